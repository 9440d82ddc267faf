/// One axis of a sweep grid: a labeler parameter and the values it takes, in order.
public struct SweepAxis: Sendable, Equatable {
    /// The labeler parameter (`q`, `window`, `horizon`, `level`, ...).
    public var name: String
    /// Its values, in the order the runs take them.
    public var values: [ParameterValue]

    /// Creates an axis.
    public init(name: String, values: [ParameterValue]) {
        self.name = name
        self.values = values
    }
}

/// The labeler parameters a sweep varies: every combination of the axes' values is one
/// labeler configuration; the first axis varies slowest.
public struct SweepGrid: Sendable, Equatable {
    /// The axes, outermost first.
    public let axes: [SweepAxis]

    /// Creates a grid; throws when an axis is empty, repeats a value, or two axes share a name.
    /// No axes at all is one configuration: the labeler as given.
    public init(_ axes: [SweepAxis] = []) throws {
        // the number of configurations first (checked arithmetic), before any work per value
        var configurations = 1
        for axis in axes {
            let (product, overflow) = configurations.multipliedReportingOverflow(by: axis.values.count)
            guard !overflow, product <= Self.maximumConfigurations else {
                let shown = axes.prefix(6).map { "\($0.name) \($0.values.count)" }.joined(separator: " x ")
                throw RallyError("sweep: the grid has more than \(Self.maximumConfigurations) configurations (\(shown)\(axes.count > 6 ? " x ..." : "") values)")
            }
            configurations = product
        }
        for (i, axis) in axes.enumerated() {
            if axes[..<i].contains(where: { $0.name == axis.name }) {
                throw RallyError("sweep: grid names '\(axis.name)' twice")
            }
            guard !axis.values.isEmpty else { throw RallyError("sweep: grid '\(axis.name)' has no values") }
            for (k, v) in axis.values.enumerated() where axis.values[..<k].contains(v) {
                throw RallyError("sweep: grid '\(axis.name)' lists \(v) twice")
            }
        }
        self.axes = axes
    }

    /// The most configurations a grid may have (each is a whole evaluation).
    public static let maximumConfigurations = 10_000

    /// Number of configurations.
    public var count: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// Every combination, first axis outermost: each one the parameters to change.
    public func combinations() -> [[ModelParameter]] {
        axes.reduce([[]]) { partial, axis in
            partial.flatMap { prefix in axis.values.map { prefix + [ModelParameter(axis.name, $0)] } }
        }
    }

    /// `q 0.9, 0.95 x window 168, 672` (or `none`).
    public var summary: String {
        axes.isEmpty ? "none" : axes.map { "\($0.name) " + $0.values.map(\.description).joined(separator: ", ") }.joined(separator: " x ")
    }
}

/// One labeler configuration of a sweep: its place in the grid, the values it sets and the
/// labeler they give.
public struct SweepConfiguration: Sendable, Equatable {
    /// Position in grid order (0-based).
    public let index: Int
    /// The grid values of this configuration, in axis order.
    public let values: [ModelParameter]
    /// The labeler: the sweep's labeler with ``values`` applied.
    public let labeler: Labeler
    /// The location of a multi-location dataset this configuration runs on (its
    /// ``Dataset/location(_:)``); nil: the dataset as it is.
    public var location: String?
    /// The locations whose rows this configuration stacks to fit one global model per fold on
    /// (``PanelStack``); nil: no stacking.
    public var stacked: [String]?

    /// `q=0.95 window=672`, or `labeler as given` for an empty grid.
    public var label: String {
        let shown = (location.map { ["location=\($0)"] } ?? []) + values.map { "\($0.name)=\($0.value)" }
        return shown.isEmpty ? "labeler as given" : shown.joined(separator: " ")
    }
}

/// Everything a sweep needs besides the data and the models: the evaluation settings every
/// run shares (an ``EvaluationPlan`` whose labeler is the one the grid modifies), the grid of
/// labeler parameters it varies, and the metric it ranks by.
///
/// Each configuration is evaluated exactly as ``Evaluator`` evaluates the plan
/// ``evaluationPlan(for:)`` returns: the features are built from ``features`` as given (its
/// horizon does not follow a `horizon` axis, so a known-ahead feature never reads further than
/// the spec declares) with the configuration's labeler supplying `gap_to_thr`'s threshold.
public struct SweepPlan: Sendable {
    /// The settings every configuration shares, with the base labeler.
    public var evaluation: EvaluationPlan
    /// The labeler parameters varied.
    public var grid: SweepGrid
    /// The figure the sweep ranks by and reports intervals for.
    public var metric: Metric
    /// The locations of a multi-location dataset the grid runs on, each with every labeler
    /// configuration (the outermost axis, `location`); empty: the dataset as it is.
    public var locations: [String] = []
    /// The SPA test over the runs when asked for (``SweepSPAPlan``), else nil.
    public var spa: SweepSPAPlan?

    /// The features the models see.
    public var features: FeatureSpec { evaluation.features }
    /// The labeler the grid modifies.
    public var labeler: Labeler { evaluation.labeler }
    /// Which rows train and test.
    public var schedule: EvaluationSchedule {
        get { evaluation.schedule }
        set { evaluation.schedule = newValue }
    }
    /// The block bootstrap of each configuration's test rows.
    public var bootstrap: BlockBootstrap { evaluation.bootstrap }
    /// Metric settings.
    public var metrics: MetricSettings { evaluation.metrics }
    /// The baseline model's name (nil: the first model).
    public var baseline: String? { evaluation.baseline }
    /// Lag of the Diebold–Mariano HAC variance (nil: the default).
    public var dieboldMarianoLag: Int? { evaluation.dieboldMarianoLag }
    /// Configurations whose test rows hold fewer rallies than this are flagged.
    public var minimumPositives: Int { evaluation.minimumPositives }
    /// Worker threads for the engine work (at least 1).
    public var threads: Int { evaluation.threads }

    /// A plan from the shared evaluation settings, the grid and the ranking metric.
    public init(evaluation: EvaluationPlan, grid: SweepGrid, metric: Metric = .prAUC, spa: SweepSPAPlan? = nil) {
        self.evaluation = evaluation
        self.spa = spa
        self.evaluation.keepsTrainingPredictions = false   // a sweep keeps one row of figures per model
        self.grid = grid
        self.metric = metric
    }

    /// Creates a plan; the defaults are protocol v1's, with PR-AUC as the ranking metric.
    public init(features: FeatureSpec, labeler: Labeler, grid: SweepGrid, schedule: EvaluationSchedule,
                bootstrap: BlockBootstrap = BlockBootstrap(), metrics: MetricSettings = MetricSettings(),
                metric: Metric = .prAUC, baseline: String? = nil, dieboldMarianoLag: Int? = nil,
                minimumPositives: Int = 30, threads: Int = 2) {
        self.init(evaluation: EvaluationPlan(features: features, labeler: labeler, schedule: schedule, bootstrap: bootstrap,
                                             metrics: metrics, baseline: baseline, dieboldMarianoLag: dieboldMarianoLag,
                                             minimumPositives: minimumPositives, threads: threads),
                  grid: grid, metric: metric)
    }

    /// The configurations in grid order; throws when a grid value does not suit the labeler
    /// (an unknown parameter, a value out of range), naming the configuration.
    /// With locations, every location takes every labeler configuration, location outermost.
    public func configurations() throws -> [SweepConfiguration] {
        let labelers = try grid.combinations().map { values in
            do {
                return (values, try labeler.with(ModelParameters(values.map { ($0.name, $0.value) })))
            } catch let problem as Labeler.InvalidParameter {
                let at = values.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
                throw RallyError("sweep: grid \(at): \(labeler.kind) labeler: \(problem)")
            }
        }
        guard !locations.isEmpty else {
            return labelers.enumerated().map { SweepConfiguration(index: $0, values: $1.0, labeler: $1.1) }
        }
        let (total, overflow) = locations.count.multipliedReportingOverflow(by: labelers.count)
        guard !overflow, total <= SweepGrid.maximumConfigurations else {
            throw RallyError("sweep: \(locations.count) locations x \(labelers.count) labeler configurations is more than \(SweepGrid.maximumConfigurations) configurations")
        }
        return locations.enumerated().flatMap { l, name in
            labelers.enumerated().map { g, x in
                SweepConfiguration(index: l * labelers.count + g, values: x.0, labeler: x.1, location: name)
            }
        }
    }

    /// The plan ``Evaluator`` would run for one configuration: what `rally.evaluate` with the
    /// configuration's labeler computes.
    public func evaluationPlan(for configuration: SweepConfiguration) -> EvaluationPlan {
        var plan = evaluation
        plan.labeler = configuration.labeler
        return plan
    }
}
