import Foundation

/// L2-penalized logistic regression on standardized features, as scikit-learn's
/// `make_pipeline(StandardScaler(), LogisticRegression(C=...))`.
///
/// Standardization happens inside: each feature is centred on its training mean and divided by
/// its training population standard deviation (ddof 0; a constant feature is divided by 1, as
/// `StandardScaler` does). The fit minimizes ½‖β‖² + C·Σᵢ sᵢ·logloss (intercept not penalized)
/// by Newton's method with a Cholesky solve, to a tight tolerance; `fitReport` records the
/// iterations. `class_weight = "balanced"` multiplies each row's weight by n / (2·n_class), as
/// scikit-learn does. Missing values (NaN) or infinities in X are refused with an error.
public final class LogisticModel: RallyModel {
    /// The kind declaration.
    public static let kind = ModelKind(
        name: "logreg",
        summary: "L2-penalized logistic regression on standardized features (scikit-learn's C), Newton/Cholesky",
        parameters: [
            ParameterDefinition("C", .number(1), .number(.positive), doc: "inverse penalty: minimize 0.5*|w|^2 + C*sum(log-loss)"),
            ParameterDefinition("class_weight", .string("none"), .choice(["none", "balanced"]),
                                doc: "\"balanced\" weighs each class by n / (2 * n_class)"),
            ParameterDefinition("max_iter", .number(100), .integer(1...10_000), doc: "most Newton iterations before giving up with an error"),
            ParameterDefinition("tol", .number(1e-8), .number(.positive),
                                doc: "stop when max |gradient| <= tol * C * sum(weights)"),
        ],
        headline: ["C"],
        build: { try LogisticModel(parameters: $0) })

    /// What a fit learnt.
    public struct Coefficients: Sendable, Equatable {
        /// Feature names, in order.
        public var features: [String]
        /// Training means used for centring.
        public var means: [Double]
        /// Training population standard deviations used for scaling (1 for constant features).
        public var scales: [Double]
        /// Coefficients on the standardized features.
        public var weights: [Double]
        /// The intercept (on the standardized scale).
        public var intercept: Double
    }

    /// The model kind.
    public let kind = "logreg"
    /// Every parameter with its effective value, in declaration order.
    public let parameters: ModelParameters
    /// Facts about the last fit, in name order (empty before fitting).
    public private(set) var fitReport = ModelParameters()
    /// Whether the model has been fitted (or loaded fitted).
    public var isFitted: Bool { coefficients != nil }
    /// The fitted coefficients, nil before fitting.
    public private(set) var coefficients: Coefficients?

    private let C: Double
    private let balanced: Bool
    private let maxIterations: Int
    private let tolerance: Double

    /// A logistic regression from resolved parameters.
    init(parameters: ModelParameters) throws {
        self.parameters = parameters
        C = try parameters.number("C")
        balanced = try parameters.string("class_weight") == "balanced"
        maxIterations = try parameters.integer("max_iter")
        tolerance = try parameters.number("tol")
    }

    /// Throws when a value of X is NaN or infinite.
    private func rejectNonFinite(_ X: DesignMatrix) throws {
        for j in 0..<X.width {
            try TrainingData.rejectNaN(model: kind, X, column: j)
            if let i = X.columns[j].firstIndex(where: { $0.isInfinite }) {
                throw RallyError("\(kind): X has an infinite value at row \(i + 1), feature '\(X.names[j])'")
            }
        }
    }

    /// Fits on the rows of `X` with 0/1 `labels` and optional `weights` (see ``RallyModel``).
    public func fit(_ X: DesignMatrix, labels: [Double], weights: [Double]?) throws {
        var w = try TrainingData.checkedWeights(model: kind, X, labels: labels, weights: weights)
        try rejectNonFinite(X)
        let n = X.rows, p = X.width
        if balanced {
            let positives = labels.reduce(0, +)
            let classWeight = [Double(n) / (2 * (Double(n) - positives)), Double(n) / (2 * positives)]
            for i in 0..<n { w[i] *= classWeight[Int(labels[i])] }
        }
        var means = [Double](repeating: 0, count: p), scales = [Double](repeating: 1, count: p)
        var z = [Double](repeating: 0, count: n * p)
        for j in 0..<p {
            let col = X.columns[j]
            let mean = col.reduce(0, +) / Double(n)
            var ss = 0.0
            for x in col { ss += (x - mean) * (x - mean) }
            let sd = (ss / Double(n)).squareRoot()
            let scale = sd > 0 ? sd : 1
            means[j] = mean
            scales[j] = scale
            for i in 0..<n { z[j * n + i] = (col[i] - mean) / scale }
        }
        let solver = LogisticSolver(z: z, y: labels, cs: w.map { $0 * C }, n: n, width: p)
        let solution = try solver.solve(maxIterations: maxIterations, tolerance: tolerance)
        coefficients = Coefficients(features: X.names, means: means, scales: scales,
                                    weights: Array(solution.theta[0..<p]), intercept: solution.theta[p])
        fitReport = (["iterations": .number(Double(solution.iterations)), "gradient": .number(solution.gradient)] as ModelParameters).sortedByName
    }

    /// The probability of a rally for each row of `X`.
    public func predict(_ X: DesignMatrix) throws -> [Double] {
        guard let c = coefficients else { try TrainingData.requireFitted(model: kind, false); return [] }
        try TrainingData.checkSameFeatures(model: kind, fitted: c.features, X)
        try rejectNonFinite(X)
        var eta = [Double](repeating: c.intercept, count: X.rows)
        for j in 0..<X.width {
            let b = c.weights[j] / c.scales[j], shift = c.means[j]
            let col = X.columns[j]
            for i in 0..<X.rows { eta[i] += b * (col[i] - shift) }
        }
        return eta.map { 1 / (1 + exp(-$0)) }
    }

    /// A few lines on the model and what its fit learnt.
    public func describe() -> String {
        var lines = ["logreg: L2 logistic regression on standardized features, \(Self.kind.summary(of: parameters))"]
        guard let c = coefficients else { return (lines + ["  not fitted"]).joined(separator: "\n") }
        lines.append("  converged in \(fitReport["iterations"] ?? .number(0)) Newton iterations; coefficients on standardized features:")
        lines.append("  intercept  \(Format.number(c.intercept))")
        let width = c.features.map(\.count).max() ?? 0
        for (name, b) in zip(c.features, c.weights) {
            lines.append("  \(name.padding(toLength: width, withPad: " ", startingAt: 0))  \(Format.number(b))")
        }
        return lines.joined(separator: "\n")
    }

    /// Writes the fitted model to `path` (``ModelFile/load(from:)`` reads it back).
    public func save(to path: String) throws {
        guard let c = coefficients else { return try TrainingData.requireFitted(model: kind, false) }
        try ModelFile(kind: kind, parameters: parameters, features: c.features,
                      state: ["means": c.means, "scales": c.scales, "weights": c.weights, "intercept": [c.intercept]],
                      report: fitReport).write(to: path)
    }

    /// Restores a saved logistic regression.
    convenience init(file: ModelFile, path: String) throws {
        try self.init(parameters: file.resolvedParameters(path: path))
        let p = file.features.count
        coefficients = Coefficients(features: file.features,
                                    means: try file.state("means", count: p, path: path),
                                    scales: try file.state("scales", count: p, path: path),
                                    weights: try file.state("weights", count: p, path: path),
                                    intercept: try file.state("intercept", count: 1, path: path)[0])
        fitReport = file.orderedReport
    }
}
