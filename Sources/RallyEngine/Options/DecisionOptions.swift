/// Engine settings of the decision entry points (`res:events`, `rally.metrics`' episodes,
/// `rally.tune`) built from decoded options and, for tune, its nested `grid` and `params` tables.

extension EpisodeSettings {
    /// The settings of `values`: `alarm` ("top" uses `top`, "threshold" uses `threshold`), `gap`, `lead`.
    public init(_ values: OptionValues) {
        let rule: AlarmRule = values.string("alarm") == "threshold" ? .threshold(values.number("threshold")!) : .top(values.number("top")!)
        self.init(rule: rule, gapHours: values.integer("gap")!, leadHours: values.integer("lead")!)
    }

    /// The settings of a nested table (`rally.sweep{events = {lead = 12}}`), checked by the rules of `res:events`.
    public init(options tree: OptionTree) throws {
        guard case .table(let list, let fields, let other) = tree, list.isEmpty, other.isEmpty else {
            throw RallyError("table expected ({alarm = \"top\", lead = 24, ...}), got \(tree.typeName)", option: "events")
        }
        var given: [String: ParameterValue] = [:]
        for (key, value) in fields {
            switch value {
            case .number(let x, _): given[key] = .number(x)
            case .string(let s): given[key] = .string(s)
            case .bool(let b): given[key] = .bool(b)
            default: throw RallyError("number or string expected, got \(value.typeName)", option: "events.\(key)")
            }
        }
        do {
            self.init(try OptionValues(EntryPointOptions.events, given: given))
        } catch let error as RallyError {
            throw RallyError(error.message, option: "events")
        }
    }
}

extension TunePlan {
    /// The plan of `rally.tune`'s decoded options (``EntryPointOptions/tune``): its `grid` and
    /// `params` tables, inputs and outer schedule.
    public init(_ values: OptionValues) throws {
        // grid, features and labeler are required by the schema
        let grid = values.tree("grid")!, params = values.tree("params")
        let features = values.object("features", as: FeatureSpec.self)!, labeler = values.object("labeler", as: Labeler.self)!
        let schedule = try EvaluationRequest.schedule(values)
        let kind = values.string("model")!
        let order = try ModelKind.builtIn(named: kind).parameters.map(\.name)
        var axes = try Self.entries(grid, path: "grid").map { name, tree -> SweepAxis in
            let list: [OptionTree]
            if case .table(let items, let fields, let other) = tree {
                guard fields.isEmpty, other.isEmpty, !items.isEmpty else {
                    throw RallyError("a non-empty list of values expected", option: "grid.\(name)")
                }
                list = items
            } else {
                list = [tree]
            }
            guard list.count <= EntryPointOptions.maximumTuneGrid else {
                throw RallyError("at most \(EntryPointOptions.maximumTuneGrid) values expected, got \(list.count)", option: "grid.\(name)")
            }
            return SweepAxis(name: name, values: try list.enumerated().map { try Self.scalar($1, path: "grid.\(name)[\($0 + 1)]") })
        }
        axes.sort { (order.firstIndex(of: $0.name) ?? order.count, $0.name) < (order.firstIndex(of: $1.name) ?? order.count, $1.name) }
        let shared = try params.map { tree in
            ModelParameters(try Self.entries(tree, path: "params").map { ($0, try Self.scalar($1, path: "params.\($0)")) })
        } ?? [:]
        let stepText = values.string("inner_step")!
        guard let innerStep = WalkForward.Step.parse(stepText) else {
            throw RallyError("expected \(WalkForward.Step.expected), got \"\(stepText)\"", option: "inner_step")
        }
        let evaluation = EvaluationPlan(features: features, labeler: labeler, schedule: schedule, bootstrap: BlockBootstrap(values),
                                        metrics: MetricSettings(values), threads: values.integer("threads")!)
        let sweepGrid: SweepGrid
        do { sweepGrid = try SweepGrid(axes) } catch let error as RallyError { throw RallyError(error.message, option: "grid") }
        self.init(evaluation: evaluation, kind: kind, shared: shared, grid: sweepGrid, metric: Metric(key: values.string("metric")!)!,
                  innerFolds: values.integer("inner")!, innerStep: innerStep)
        _ = try candidates()   // every grid point checked now, naming it
    }

    /// The named fields of a table option (`path` names it in errors).
    private static func entries(_ tree: OptionTree, path: String) throws -> [(String, OptionTree)] {
        guard case .table(let list, let fields, let other) = tree else { throw RallyError("table expected, got \(tree.typeName)", option: path) }
        guard list.isEmpty, other.isEmpty else { throw RallyError("parameter names as keys expected ({max_depth = {3, 6}})", option: path) }
        return fields
    }

    /// A number, string or boolean of a table option.
    private static func scalar(_ tree: OptionTree, path: String) throws -> ParameterValue {
        switch tree {
        case .number(let x, _): return .number(x)
        case .string(let s): return .string(s)
        case .bool(let b): return .bool(b)
        default: throw RallyError("number, string or boolean expected, got \(tree.typeName)", option: path)
        }
    }
}
