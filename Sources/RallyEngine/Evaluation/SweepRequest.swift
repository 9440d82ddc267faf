extension SweepPlan {
    /// The plan of `rally.sweep`'s decoded options (``EntryPointOptions/sweep``) around
    /// `request`'s evaluation: the grid (checked against the labeler), metric, SPA test, episode
    /// columns and locations. Errors name the option they concern.
    public init(_ values: OptionValues, request: EvaluationRequest) throws {
        var axes = try values.decoded("grid") { try Self.axes($0, labeler: request.plan.labeler) } ?? []
        let locationAxis = Self.takeLocationAxis(&axes)
        let grid: SweepGrid
        do { grid = try SweepGrid(axes) } catch let error as RallyError { throw RallyError(error.message, option: "grid") }
        for combination in grid.combinations() {
            do {
                _ = try request.plan.labeler.with(ModelParameters(combination.map { ($0.name, $0.value) }))
            } catch let problem as Labeler.InvalidParameter {
                throw RallyError(combination.map { "\($0.name)=\($0.value)" }.joined(separator: " ") + ": \(problem)", option: "grid")
            }
        }
        self.init(evaluation: request.plan, grid: grid, metric: Metric(key: values.string("metric")!)!,
                  spa: try values.decoded("spa") { try SweepSPAPlan.requested($0) } ?? nil)
        episodes = try values.decoded("events") { try EpisodeSettings(options: $0) }
        locations = try Self.panelLocations(axis: locationAxis, option: values.strings("locations"), dataset: request.data)
    }

    /// The axes of `grid = {parameter = value or list of values, ...}`, in the labeler's parameter order.
    static func axes(_ tree: OptionTree, labeler: Labeler) throws -> [SweepAxis] {
        guard case .table(let list, let fields, let other) = tree, list.isEmpty, other.isEmpty else {
            throw RallyError("a table of parameter = value or list of values expected ({q = {0.9, 0.95}, window = {168, 672}}), got \(tree.typeName)")
        }
        let axes = try fields.map { name, value in SweepAxis(name: name, values: try gridValues(value, name)) }
        let order = labeler.parameters.names
        return axes.sorted { a, b in
            let ia = order.firstIndex(of: a.name) ?? order.count, ib = order.firstIndex(of: b.name) ?? order.count
            return ia != ib ? ia < ib : a.name < b.name
        }
    }

    /// One number or string, or a non-empty list of them.
    private static func gridValues(_ tree: OptionTree, _ name: String) throws -> [ParameterValue] {
        func value(_ item: OptionTree, _ place: String) throws -> ParameterValue {
            switch item {
            case .number(let x, _): return .number(x)
            case .string(let s): return .string(s)
            default: throw RallyError("\(place): number or string expected, got \(item.typeName)")
            }
        }
        guard case .table(let list, let fields, let other) = tree else { return [try value(tree, name)] }
        if let extra = (fields.map { "key '\($0.0)'" } + other).min() { throw RallyError("\(name): a list of values expected, found \(extra)") }
        guard !list.isEmpty else { throw RallyError("\(name): a list of values expected, got an empty table") }
        return try list.enumerated().map { try value($1, "\(name)[\($0 + 1)]") }
    }
}
