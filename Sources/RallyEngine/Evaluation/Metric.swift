/// The figures the evaluation reports for each model, in report order. The raw value is the
/// key used in `metrics.json` and in Lua tables.
public enum Metric: String, CaseIterable, Sendable, Codable {
    /// Area under the ROC curve; tied scores share their average rank.
    case rocAUC = "roc_auc"
    /// Average precision, Σ (Rₙ − Rₙ₋₁)·Pₙ over distinct score thresholds (scikit-learn's).
    case prAUC = "pr_auc"
    /// Mean squared error of the probability.
    case brier = "brier"
    /// Mean negative log-likelihood, probabilities clipped to [1e-6, 1 − 1e-6].
    case logLoss = "log_loss"
    /// Share of rallies among the top-k scores, k = round(top · n).
    case precisionAtTop = "precision_at_top"
    /// ``precisionAtTop`` divided by the base rate.
    case liftAtTop = "lift_at_top"
    /// 1 − Brier / Brier of the climatological forecast (see ``ForecastScorer/init(labels:probabilities:climatology:settings:model:)``).
    case brierSkill = "brier_skill"
    /// Expected calibration error: Σ (nₖ/n)·|p̄ₖ − ōₖ| over the calibration bins.
    case ece = "ece"
    /// Murphy's reliability term: Σ (nₖ/n)·(p̄ₖ − ōₖ)² (lower is better).
    case brierReliability = "brier_reliability"
    /// Murphy's resolution term: Σ (nₖ/n)·(ōₖ − ō)² (higher is better).
    case brierResolution = "brier_resolution"
    /// Murphy's uncertainty term: ō(1 − ō), a property of the outcomes only.
    case brierUncertainty = "brier_uncertainty"

    /// Whether a larger value is better (false for losses and calibration errors).
    public var higherIsBetter: Bool {
        switch self {
        case .rocAUC, .prAUC, .precisionAtTop, .liftAtTop, .brierSkill, .brierResolution: true
        case .brier, .logLoss, .ece, .brierReliability, .brierUncertainty: false
        }
    }

    /// Position in ``allCases`` (the index into ``MetricValues``).
    public var index: Int {
        switch self {
        case .rocAUC: 0
        case .prAUC: 1
        case .brier: 2
        case .logLoss: 3
        case .precisionAtTop: 4
        case .liftAtTop: 5
        case .brierSkill: 6
        case .ece: 7
        case .brierReliability: 8
        case .brierResolution: 9
        case .brierUncertainty: 10
        }
    }

    /// The metric called `key` (`"pr_auc"`), or nil.
    public init?(key: String) { self.init(rawValue: key) }

    /// The metric called `key`; throws, naming the valid ones, when there is none.
    public static func named(_ key: String) throws -> Metric {
        guard let metric = Metric(key: key) else {
            throw RallyError("unknown metric '\(MessageText.quote(key, limit: 60))'; valid metrics: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return metric
    }
}

/// One value per ``Metric``, stored flat (no dictionary in the bootstrap's hot loop).
public struct MetricValues: Sendable, Equatable {
    /// Values in ``Metric/allCases`` order.
    public var values: [Double]

    /// All values NaN.
    public init() { values = [Double](repeating: .nan, count: Metric.allCases.count) }

    /// The value of `metric`.
    public subscript(metric: Metric) -> Double {
        get { values[metric.index] }
        set { values[metric.index] = newValue }
    }
}

/// The knobs of the metrics that have any.
public struct MetricSettings: Sendable, Equatable {
    /// Share of rows flagged for precision / lift at top (0.05: the top 5%).
    public var top: Double
    /// Number of equal-width probability bins on [0, 1] for the calibration metrics.
    public var calibrationBins: Int
    /// Probabilities are clipped to [clip, 1 − clip] for the log loss.
    public var logLossClip: Double

    /// Creates settings; the defaults are protocol v1's.
    public init(top: Double = 0.05, calibrationBins: Int = 10, logLossClip: Double = 1e-6) {
        self.top = top
        self.calibrationBins = calibrationBins
        self.logLossClip = logLossClip
    }

    /// Checks the settings.
    public func validate() throws {
        guard top > 0 && top <= 1 else { throw RallyError("metrics: top must be in (0, 1], got \(top)") }
        guard calibrationBins >= 1 else { throw RallyError("metrics: calibration bins must be at least 1, got \(calibrationBins)") }
        guard logLossClip > 0 && logLossClip < 0.5 else { throw RallyError("metrics: log-loss clip must be in (0, 0.5), got \(logLossClip)") }
    }
}
