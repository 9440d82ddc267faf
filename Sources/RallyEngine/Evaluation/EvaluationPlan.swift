/// Which rows train and which test: one split, or a walk-forward schedule of folds.
public enum EvaluationSchedule: Sendable, Equatable {
    /// One train/test split.
    case split(TimeSplit)
    /// Consecutive test periods, each refitted on the history before it.
    case walkForward(WalkForward)
    /// An explicit list of folds (what `rally.walkforward` returns to Lua), in time order.
    case folds([TimeSplit])

    /// The folds, in time order (one for a split).
    public func folds() throws -> [TimeSplit] {
        switch self {
        case .split(let s): [s]
        case .walkForward(let w): try w.folds()
        case .folds(let list): list
        }
    }

    /// The schedule as `run.json` records it.
    public var json: JSONValue {
        switch self {
        case .split(let s):
            return .object([("kind", .string("split"))] + Self.fields(of: s))
        case .walkForward(let w):
            let step: String = switch w.step {
            case .months(let n): "\(n) month\(n == 1 ? "" : "s")"
            case .years(let n): "\(n) year\(n == 1 ? "" : "s")"
            }
            let window: String = switch w.window {
            case .expanding: "expanding"
            case .rolling(.months(let n)): "rolling \(n) month\(n == 1 ? "" : "s")"
            case .rolling(.years(let n)): "rolling \(n) year\(n == 1 ? "" : "s")"
            }
            return .object([
                ("kind", .string("walkforward")),
                ("first_test_start", .string(TimeStamp.format(w.firstTestStart))),
                ("end", .string(TimeStamp.format(w.end))),
                ("step", .string(step)),
                ("window", .string(window)),
                ("embargo_hours", .integer(w.embargoHours)),
            ])
        case .folds(let list):
            return .object([("kind", .string("folds")), ("folds", .array(list.map { .object(Self.fields(of: $0)) }))])
        }
    }

    /// A split's bounds as JSON fields (nil bounds as null).
    static func fields(of s: TimeSplit) -> [(String, JSONValue)] {
        func time(_ b: TimeSplit.Bound) -> JSONValue { s.text(b).map { .string($0) } ?? .null }
        return [
            ("train_start", time(.trainStart)), ("train_end", time(.trainEnd)),
            ("test_start", time(.testStart)), ("test_end", time(.testEnd)),
            ("embargo_hours", .integer(s.embargoHours)),
        ]
    }
}

/// Everything an evaluation needs besides the data and the models.
public struct EvaluationPlan: Sendable {
    /// The features the models see.
    public var features: FeatureSpec
    /// The rally labeler (it also supplies the threshold of `gap_to_thr`).
    public var labeler: Labeler
    /// Which rows train and test.
    public var schedule: EvaluationSchedule
    /// The block bootstrap of the test rows (0 resamples: no intervals).
    public var bootstrap: BlockBootstrap
    /// Metric settings (top share, calibration bins).
    public var metrics: MetricSettings
    /// The model the others are compared with (nil: the first model).
    public var baseline: String?
    /// Lag of the Diebold–Mariano HAC variance (nil: ``DieboldMariano/defaultLag(rows:horizon:)``).
    public var dieboldMarianoLag: Int?
    /// Folds or test sets with fewer rallies than this are flagged.
    public var minimumPositives: Int
    /// Threads for fitting built-in models and for the bootstrap.
    public var threads: Int
    /// Whether each fit also predicts its own training rows (``ModelEvaluation/training``), for
    /// choices made on training rows only (the value curve's thresholds). `rally.evaluate` keeps them; a sweep does not.
    public var keepsTrainingPredictions = true
    /// The locations of a multi-location dataset to evaluate, each on its own and pooled in a
    /// panel row (empty: the dataset as it is, one series).
    public var locations: [String] = []
    /// How a panel's models are trained: one per location, one global model on the stacked
    /// rows of every location, or both side by side.
    public var training: PanelTraining = .perLocation
    /// Whether a global model also sees one 0/1 feature per location (`location=<name>`).
    public var locationFeature = false

    /// Creates a plan; the defaults are protocol v1's.
    public init(features: FeatureSpec, labeler: Labeler, schedule: EvaluationSchedule,
                bootstrap: BlockBootstrap = BlockBootstrap(), metrics: MetricSettings = MetricSettings(),
                baseline: String? = nil, dieboldMarianoLag: Int? = nil, minimumPositives: Int = 30, threads: Int = 2) {
        self.features = features
        self.labeler = labeler
        self.schedule = schedule
        self.bootstrap = bootstrap
        self.metrics = metrics
        self.baseline = baseline
        self.dieboldMarianoLag = dieboldMarianoLag
        self.minimumPositives = minimumPositives
        self.threads = threads
    }
}
