/// What `rally.evaluate`, `rally.sweep` and `rally.tune` were given, assembled from their
/// decoded options (``OptionSchema/decode(_:)``): the data, the models and the evaluation
/// plan. It holds inputs, not results, and runs nothing: ``Evaluator``, ``SweepRunner`` and
/// ``Tuning`` run it. Errors about one option carry it (``RallyError/option``).
public struct EvaluationRequest {
    /// The dataset (`data`).
    public let data: Dataset
    /// The models compared (`models`); empty for `rally.tune`, which makes its own.
    public let models: [any ModelFactory]
    /// Features, labeler, schedule, bootstrap, metrics and the panel settings.
    public var plan: EvaluationPlan

    /// The request of `values` (decoded against ``EntryPointOptions/evaluate``, ``EntryPointOptions/sweep``
    /// or ``EntryPointOptions/tune``).
    public init(_ values: OptionValues) throws {
        // data, features and labeler are required by every schema that has them
        data = values.object("data", as: Dataset.self)!
        models = values.objects("models", as: (any ModelFactory).self) ?? []
        plan = EvaluationPlan(values, features: values.object("features", as: FeatureSpec.self)!,
                              labeler: values.object("labeler", as: Labeler.self)!,
                              schedule: try Self.schedule(values))
        if let keys = values.strings("locations"), values.schema.function == "evaluate" {
            plan.locations = try data.panelLocations(keys)
        }
        if let training = values.string("training") { plan.training = PanelTraining(rawValue: training)! }
        if let flag = values.bool("location_feature") { plan.locationFeature = flag }
    }

    /// `split` (one Split) or `walkforward` (a list of Splits), exactly one of them.
    public static func schedule(_ values: OptionValues) throws -> EvaluationSchedule {
        switch (values.object("split", as: TimeSplit.self), values.objects("walkforward", as: TimeSplit.self)) {
        case (let s?, nil): return .split(s)
        case (nil, let f?): return .folds(f)
        case (nil, nil): throw RallyError("Split expected, got nil (give split = rally.split{...} or walkforward = rally.walkforward{...})", option: "split")
        case (.some, .some): throw RallyError("give split or walkforward, not both", option: "walkforward")
        }
    }
}
