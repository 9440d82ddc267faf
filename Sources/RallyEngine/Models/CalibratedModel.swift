import Foundation

/// A model wrapped with a calibrator: `rally.model.calibrated{base = m, method = "platt" |
/// "isotonic", holdout = "90d" | rows, embargo = "1d" | rows}`.
///
/// Fitting splits the training rows in time order (they arrive in time order): the latest
/// `holdout` of them (a row count, or the rows within that duration of the last row's time)
/// calibrate; the base model is fitted on the rows before them, leaving out the last `embargo`
/// (rows whose label would reach into the holdout: a label at t reads up to t + horizon, so the
/// embargo should be at least the horizon). The calibrator (``Calibrator``) is then fitted on
/// the base's predictions for the holdout rows. Nothing else is read: rows predicted later
/// (test rows) never reach the fit. Predicting maps the base's probability through the
/// calibrator. A wrapper, not a kind of its own: it has no features of its own, and a base
/// model written in Lua, or one already calibrated, is refused.
public final class CalibratedModel: RallyModel, ExplainableModel {
    /// The kind declaration: the calibrator's own parameters (the base is a model, not a parameter).
    public static let kind = ModelKind(
        name: "calibrated",
        summary: "a base model whose probabilities are recalibrated on the latest training rows (Platt or isotonic)",
        parameters: [
            ParameterDefinition("method", .string("platt"), .choice(Calibrator.methods),
                                doc: "\"platt\": a logistic fit on the base's log-odds; \"isotonic\": pool-adjacent-violators"),
            ParameterDefinition("holdout", .string("90d"), .span,
                                doc: "the latest training rows the calibrator is fitted on: a row count or a duration \"Nd\"/\"Nh\""),
            ParameterDefinition("embargo", .string("1d"), .span,
                                doc: "rows (or a duration) before the holdout left out of the base's fit: at least the label horizon"),
        ],
        headline: ["method", "holdout"],
        build: { _ in throw RallyError("model 'calibrated' wraps a base model: rally.model.calibrated{base = m, ...}") })

    /// The model kind.
    public let kind = "calibrated"
    /// The calibrator's parameters (method, holdout, embargo), in declaration order.
    public let ownParameters: ModelParameters
    /// The wrapped model (fitted on the earlier rows once this model is fitted).
    public let base: any RallyModel
    /// The fitted calibrator, nil before fitting.
    public private(set) var calibrator: Calibrator?
    /// Facts about the last fit: the rows of each part, then the base's report (`base_...`).
    public private(set) var fitReport = ModelParameters()
    private var features: [String] = []

    /// A calibrated model around the unfitted `base` with resolved `parameters`. Throws for a
    /// base that is itself calibrated.
    init(parameters: ModelParameters, base: any RallyModel) throws {
        guard !(base is CalibratedModel) else { throw RallyError("calibrated: the base model is already calibrated") }
        self.ownParameters = parameters
        self.base = base
    }

    /// Every parameter: the calibrator's, then `base` (the base's kind) and the base's parameters
    /// as `base.<name>` (what run.json records).
    public var parameters: ModelParameters { Self.recorded(own: ownParameters, baseKind: base.kind, base: base.parameters) }

    /// The calibrator's parameters followed by the base's kind and parameters (`base.rounds`).
    static func recorded(own: ModelParameters, baseKind: String, base: ModelParameters) -> ModelParameters {
        var all = own
        all["base"] = .string(baseKind)
        for p in base { all["base.\(p.name)"] = p.value }
        return all
    }

    /// Whether the base and the calibrator are fitted.
    public var isFitted: Bool { calibrator != nil }

    /// The training rows split in time order: base rows, then (after the embargo) holdout rows.
    /// Throws when a duration is given for rows without times, or a part would be empty.
    static func partition(_ X: DesignMatrix, holdout: RowSpan, embargo: RowSpan) throws -> (base: Range<Int>, holdout: Range<Int>) {
        let n = X.rows
        func needTimes(_ name: String) throws -> [Int64] {
            guard let times = X.times else {
                throw RallyError("calibrated: \(name) is a duration, but X has no times (a Lua table); fit on a FeatureMatrix or give \(name) as a row count")
            }
            return times
        }
        let holdoutStart: Int
        switch holdout {
        case .rows(let k): holdoutStart = max(0, n - k)
        case .duration(let s):
            let times = try needTimes("holdout")
            holdoutStart = n == 0 ? 0 : (times.firstIndex { $0 > times[n - 1] - s } ?? n)
        }
        let baseEnd: Int
        switch embargo {
        case .rows(let k): baseEnd = max(0, holdoutStart - k)
        case .duration(let s):
            let times = try needTimes("embargo")
            baseEnd = holdoutStart < n ? (times.firstIndex { $0 + s >= times[holdoutStart] } ?? holdoutStart) : holdoutStart
        }
        guard holdoutStart < n, baseEnd > 0 else {
            throw RallyError("calibrated: \(n) training rows leave \(baseEnd) for the base model and \(n - holdoutStart) for the holdout "
                             + "(holdout \(holdout), embargo \(embargo)); both need rows")
        }
        return (0..<baseEnd, holdoutStart..<n)
    }

    /// Fits the base on the earlier rows and the calibrator on the holdout (see the type's doc).
    /// Weights weigh the base's fit; the calibrator weighs every holdout row alike.
    public func fit(_ X: DesignMatrix, labels: [Double], weights: [Double]?) throws {
        _ = try TrainingData.checkedWeights(model: kind, X, labels: labels, weights: weights)
        guard let holdout = RowSpan.parse(ownParameters["holdout"] ?? .bool(false)),
              let embargo = RowSpan.parse(ownParameters["embargo"] ?? .bool(false)) else {
            throw RallyError("calibrated: holdout and embargo must be \(RowSpan.expected)")
        }
        let parts = try Self.partition(X, holdout: holdout, embargo: embargo)
        try base.fit(X.slice(parts.base), labels: Array(labels[parts.base]), weights: weights.map { Array($0[parts.base]) })
        let p = try base.predict(X.slice(parts.holdout))
        let method = try ownParameters.string("method")
        calibrator = try Calibrator.fit(method: method, probabilities: p, labels: Array(labels[parts.holdout]))
        features = X.names
        var report: ModelParameters = [
            "base_rows": .number(Double(parts.base.count)),
            "embargo_rows": .number(Double(parts.holdout.lowerBound - parts.base.upperBound)),
            "holdout_rows": .number(Double(parts.holdout.count)),
        ]
        for r in base.fitReport { report["base_\(r.name)"] = r.value }
        fitReport = report.sortedByName
    }

    /// The calibrated probability of each row of `X`.
    public func predict(_ X: DesignMatrix) throws -> [Double] {
        guard let calibrator else { try TrainingData.requireFitted(model: kind, false); return [] }
        return calibrator.apply(try base.predict(X))
    }

    /// Whether the base can explain itself.
    public var canExplain: Bool { base.canExplain }

    /// The base's explanation, moved to the calibrated log-odds: Platt multiplies every
    /// contribution by its slope; isotonic keeps the base's contributions. The bias takes the
    /// rest, so bias + contributions = logit(calibrated p) row by row.
    public func explain(_ X: DesignMatrix) throws -> Explanation {
        guard let calibrator else { try TrainingData.requireFitted(model: kind, false); return Explanation(features: [], contributions: [], bias: []) }
        let e = try base.explanation(X)
        let calibrated = calibrator.apply(try base.predict(X))
        var scale = 1.0
        if case .platt(let slope, _) = calibrator { scale = slope }
        let contributions = e.contributions.map { $0.map { $0 * scale } }
        var bias = calibrated.map(Explanation.logit)
        for column in contributions { for i in bias.indices { bias[i] -= column[i] } }
        return Explanation(features: e.features, contributions: contributions, bias: bias)
    }

    /// A few lines: the calibrator, then the base's description.
    public func describe() -> String {
        var lines = ["calibrated: \(Self.kind.summary(of: ownParameters))"]
        switch calibrator {
        case nil: lines.append("  not fitted")
        case .platt(let a, let b)?: lines.append("  Platt: p' = 1 / (1 + exp(-(\(Format.number(a)) * logit(p) + \(Format.number(b)))))")
        case .isotonic(let x, _)?: lines.append("  isotonic: a non-decreasing map through \(x.count) points")
        }
        if isFitted { lines.append("  fitted: \(fitReport.summary)") }
        return (lines + base.describe().split(separator: "\n").map { "  base " + $0 }).joined(separator: "\n")
    }

    /// Writes a rally model file: the calibrator's parameters and numbers, and the base model's
    /// own file embedded as text (``ModelFile/load(from:)`` reads it back).
    public func save(to path: String) throws {
        guard let calibrator else { return try TrainingData.requireFitted(model: kind, false) }
        var file = ModelFile(kind: kind, parameters: ownParameters, features: features, state: calibrator.state, report: fitReport)
        file.base = String(decoding: try ModelFile.bytes(of: base), as: UTF8.self)
        try file.write(to: path)
    }

    /// Restores a saved calibrated model; its base is read from the embedded file.
    convenience init(file: ModelFile, path: String) throws {
        guard let text = file.base else { throw RallyError("'\(path)': calibrated model file lacks its base model (field 'base')") }
        let base = try ModelFile.load(data: Data(text.utf8), path: "\(path) (its base model)")
        guard !(base is CalibratedModel) else { throw RallyError("'\(path)': the base model is itself calibrated") }
        let resolved = try file.resolvedParameters(path: path, kind: Self.kind)
        try self.init(parameters: resolved, base: base)
        calibrator = try Calibrator.restore(method: try resolved.string("method"), state: file.state, path: path)
        features = file.features
        fitReport = file.orderedReport
    }
}
