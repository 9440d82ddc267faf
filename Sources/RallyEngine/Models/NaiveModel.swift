/// The protocol's naive baseline: the training rally rate given whether one feature is above a
/// cut (by default whether today's price is above today's threshold, `gap_to_thr > 1`).
/// Two probabilities in all.
///
/// When no training row falls on one side of the cut, that side predicts the overall training
/// rate; ``fitReport`` says so (`empty_side`) and ``describe()`` shows it.
public final class NaiveModel: RallyModel {
    /// The kind declaration.
    public static let kind = ModelKind(
        name: "naive",
        summary: "training rally rate given whether a feature is above a cut (default gap_to_thr > 1)",
        parameters: [
            ParameterDefinition("feature", .string("gap_to_thr"), .text, doc: "the feature compared with the cut"),
            ParameterDefinition("cut", .number(1), .number(.finite), doc: "rows with feature > cut form the 'above' group"),
        ],
        headline: [],
        cost: { _ in 0 },
        build: { try NaiveModel(parameters: $0) })

    /// The model kind.
    public let kind = "naive"
    /// Every parameter with its effective value, in declaration order.
    public let parameters: ModelParameters
    /// Facts about the last fit, in name order (empty before fitting).
    public private(set) var fitReport = ModelParameters()
    /// Whether the model has been fitted (or loaded fitted).
    public var isFitted: Bool { rates != nil }

    let feature: String
    let cut: Double
    /// Rally rate for rows at or below the cut, and above it.
    private(set) var rates: (below: Double, above: Double)?

    /// A naive model from resolved parameters.
    init(parameters: ModelParameters) throws {
        self.parameters = parameters
        self.feature = try parameters.string("feature")
        self.cut = try parameters.number("cut")
    }

    /// Fits on the rows of `X` with 0/1 `labels` and optional `weights` (see ``RallyModel``).
    public func fit(_ X: DesignMatrix, labels: [Double], weights: [Double]?) throws {
        let w = try TrainingData.checkedWeights(model: kind, X, labels: labels, weights: weights)
        let j = try TrainingData.column(model: kind, feature, in: X)
        try TrainingData.rejectNaN(model: kind, X, column: j)
        var hits = [0.0, 0.0], totals = [0.0, 0.0], rows = [0, 0]
        for (i, x) in X.columns[j].enumerated() {
            let side = x > cut ? 1 : 0
            hits[side] += w[i] * labels[i]
            totals[side] += w[i]
            rows[side] += 1
        }
        let overall = (hits[0] + hits[1]) / (totals[0] + totals[1])
        let rate = { (s: Int) in totals[s] > 0 ? hits[s] / totals[s] : overall }
        rates = (rate(0), rate(1))
        var report: ModelParameters = ["rows_below": .number(Double(rows[0])), "rows_above": .number(Double(rows[1]))]
        if let empty = (0...1).first(where: { totals[$0] == 0 }) { report["empty_side"] = .string(empty == 1 ? "above" : "below") }
        fitReport = report.sortedByName
    }

    /// The probability of a rally for each row of `X`.
    public func predict(_ X: DesignMatrix) throws -> [Double] {
        guard let rates else { try TrainingData.requireFitted(model: kind, false); return [] }
        let j = try TrainingData.column(model: kind, feature, in: X)
        try TrainingData.rejectNaN(model: kind, X, column: j)
        return X.columns[j].map { $0 > cut ? rates.above : rates.below }
    }

    /// A few lines on the model and what its fit learnt.
    public func describe() -> String {
        var lines = ["naive: rally rate given \(feature) > \(JSONText.number(cut))"]
        if let rates {
            lines.append("  \(feature) > \(JSONText.number(cut)): \(Format.number(rates.above))  (\(fitReport["rows_above"] ?? .number(0)) training rows)")
            lines.append("  \(feature) <= \(JSONText.number(cut)): \(Format.number(rates.below))  (\(fitReport["rows_below"] ?? .number(0)) training rows)")
            if let side = fitReport["empty_side"] { lines.append("  no training row \(side): that side predicts the overall rate") }
        } else {
            lines.append("  not fitted")
        }
        return lines.joined(separator: "\n")
    }

    /// Writes the fitted model to `path` (``ModelFile/load(from:)`` reads it back).
    public func save(to path: String) throws {
        guard let rates else { return try TrainingData.requireFitted(model: kind, false) }
        try ModelFile(kind: kind, parameters: parameters, features: [feature],
                      state: ["rates": [rates.below, rates.above]], report: fitReport).write(to: path)
    }

    /// Restores a saved naive model.
    convenience init(file: ModelFile, path: String) throws {
        try self.init(parameters: file.resolvedParameters(path: path))
        let r = try file.state("rates", count: 2, path: path)
        rates = (r[0], r[1])
        fitReport = file.orderedReport
    }
}
