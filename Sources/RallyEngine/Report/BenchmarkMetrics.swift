/// A figure with its 95% bootstrap interval, as read from `metrics.json`.
public struct ReportedEstimate: Sendable, Equatable {
    /// The point value (NaN when the writer stored null).
    public var value: Double
    /// Lower end of the 95% interval.
    public var lower: Double
    /// Upper end of the 95% interval.
    public var upper: Double

    /// Creates an estimate.
    public init(value: Double, lower: Double, upper: Double) {
        self.value = value
        self.lower = lower
        self.upper = upper
    }

    /// Whether the interval lies wholly above (1) or below (−1) zero, or straddles it (0);
    /// nil when the interval is missing.
    public var sideOfZero: Int? {
        guard lower.isFinite, upper.isFinite else { return nil }
        if lower > 0 { return 1 }
        if upper < 0 { return -1 }
        return 0
    }
}

/// The figures of one model compared with the baseline (`vs_baseline` in `metrics.json`):
/// differences model − baseline with paired intervals, and Diebold–Mariano tests.
public struct BaselineComparison: Sendable {
    /// `<metric>` → the difference model − baseline.
    public var differences: [String: ReportedEstimate]
    /// Diebold–Mariano p-value on Brier losses (NaN when absent or undefined).
    public var dieboldMarianoBrierP: Double
    /// Diebold–Mariano p-value on log losses (NaN when absent or undefined).
    public var dieboldMarianoLogLossP: Double
    /// Diebold–Mariano statistic on Brier losses, negative when the model's loss is lower (NaN when absent).
    public var dieboldMarianoBrierStatistic: Double
    /// Diebold–Mariano statistic on log losses, negative when the model's loss is lower (NaN when absent).
    public var dieboldMarianoLogLossStatistic: Double
}

/// `metrics.json` as the report needs it.
public struct BenchmarkMetrics: Sendable {
    /// The metric keys the report reads, in the writer's order, with their display names.
    public static let metricNames: [(key: String, name: String)] = [
        ("roc_auc", "ROC-AUC"), ("pr_auc", "PR-AUC"), ("brier", "Brier"), ("log_loss", "Log loss"),
        ("precision_at_top", "Precision@top"), ("lift_at_top", "Lift@top"), ("brier_skill", "Brier skill"),
        ("ece", "ECE"), ("brier_reliability", "Reliability"), ("brier_resolution", "Resolution"),
        ("brier_uncertainty", "Uncertainty"),
    ]

    /// Whether a larger value of metric `key` is better.
    public static func higherIsBetter(_ key: String) -> Bool {
        ["roc_auc", "pr_auc", "precision_at_top", "lift_at_top", "brier_skill", "brier_resolution"].contains(key)
    }

    /// The display name of metric `key`.
    public static func name(_ key: String) -> String {
        metricNames.first { $0.key == key }?.name ?? key
    }

    /// The baseline model's name.
    public var baseline: String
    /// Model names in the writer's order.
    public var models: [String]
    /// `model` → `metric` → estimate.
    public var metrics: [String: [String: ReportedEstimate]]
    /// `model` → its comparison with the baseline (every model but the baseline).
    public var versusBaseline: [String: BaselineComparison]
    /// Test rows, rallies among them and their rate.
    public var testRows: Int, testPositives: Int, baseRate: Double
    /// Bootstrap block length, resamples and seed, when recorded.
    public var bootstrap: (block: Int, resamples: Int, seed: String)?
    /// Number of walk-forward folds.
    public var folds: Int
    /// The evaluation's warnings.
    public var warnings: [String]

    /// Reads `metrics.json` at `path`; a missing key or a value of the wrong type is an error
    /// naming the key path.
    public static func load(path: String) throws -> BenchmarkMetrics {
        let root = try ArtifactJSON.load(path)
        let baseline = try root.member("baseline").string()
        let models = try root.member("models").elements().map { try $0.string() }
        guard !models.isEmpty else { throw RallyError("\(path): 'models' is empty") }
        guard models.contains(baseline) else {
            throw RallyError("\(path): the baseline '\(baseline)' is not among the models (\(models.joined(separator: ", ")))")
        }
        let metricsNode = try root.member("metrics")
        var metrics: [String: [String: ReportedEstimate]] = [:]
        for model in models {
            let node = try metricsNode.member(model)
            var byKey: [String: ReportedEstimate] = [:]
            for (key, _) in metricNames where node.has(key) {
                byKey[key] = try estimate(node.member(key))
            }
            metrics[model] = byKey
        }
        var versus: [String: BaselineComparison] = [:]
        if let node = try root.optionalMember("vs_baseline") {
            for model in models where model != baseline && node.has(model) {
                let m = try node.member(model)
                var differences: [String: ReportedEstimate] = [:]
                for (key, _) in metricNames where m.has(key + "_diff") {
                    differences[key] = try estimate(m.member(key + "_diff"))
                }
                versus[model] = BaselineComparison(
                    differences: differences,
                    dieboldMarianoBrierP: try m.optionalMember("dm_brier_p")?.number() ?? .nan,
                    dieboldMarianoLogLossP: try m.optionalMember("dm_log_loss_p")?.number() ?? .nan,
                    dieboldMarianoBrierStatistic: try m.optionalMember("dm_brier_statistic")?.number() ?? .nan,
                    dieboldMarianoLogLossStatistic: try m.optionalMember("dm_log_loss_statistic")?.number() ?? .nan)
            }
        }
        let test = try root.member("test")
        var bootstrap: (Int, Int, String)?
        if let b = try root.optionalMember("bootstrap") {
            bootstrap = (try b.member("block").integer(), try b.member("resamples").integer(), b.has("seed") ? try b.member("seed").text() : "")
        }
        return BenchmarkMetrics(
            baseline: baseline, models: models, metrics: metrics, versusBaseline: versus,
            testRows: try test.member("rows").integer(), testPositives: try test.member("positives").integer(),
            baseRate: try test.member("base_rate").number(), bootstrap: bootstrap,
            folds: try root.optionalMember("folds")?.elements().count ?? 1,
            warnings: try root.optionalMember("warnings")?.elements().map { try $0.string() } ?? [])
    }

    private static func estimate(_ node: ArtifactJSON) throws -> ReportedEstimate {
        let value = try node.member("value").number()
        let interval = try node.member("ci95").elements()
        guard interval.count == 2 else { throw RallyError("\(node.file): '\(node.path).ci95': expected [lower, upper], got \(interval.count) values") }
        return ReportedEstimate(value: value, lower: try interval[0].number(), upper: try interval[1].number())
    }

    /// The estimate of `metric` for `model`, or nil.
    public func estimate(_ model: String, _ metric: String) -> ReportedEstimate? { metrics[model]?[metric] }
}
