/// A rule that marks the hours followed by a price rally, and the threshold it compares with.
///
/// Every labeler's threshold at t is known at t (it reads the series up to t only); its label
/// at t reads the series up to t + ``horizon`` and no further. Windows and horizons are
/// ``StepCount``s: whole steps, or durations (`"28d"`) turned into steps by the data's step
/// when the labeler is applied (``resolved(every:)``). Apply one with
/// ``apply(to:)``; change a copy with ``with(_:)`` (for sweeps); ``parameters`` and
/// ``description`` record it (run.json, printing).
public enum Labeler: Sendable, Equatable, CustomStringConvertible {
    /// The protocol's labeler: threshold(t) = type-7 q-quantile of `column[t-window+1 ... t]`;
    /// label(t) = 1 when `column[t+horizon] > threshold(t)` (strict). Undefined before the
    /// window fills and where t + horizon is past the end.
    case quantile(column: String, q: Double, window: StepCount, horizon: StepCount)
    /// A fixed level (USD/MWh): label(t) = 1 when `column[t+horizon] > level`.
    case threshold(column: String, level: Double, horizon: StepCount)
    /// A relative rise: threshold(t) = `column[t] + rise * |column[t]|` (for a positive price,
    /// `column[t] * (1 + rise)`); label(t) = 1 when `column[t+horizon] > threshold(t)`.
    case jump(column: String, rise: Double, horizon: StepCount)
    /// For day-ahead decisions: label(t) = 1 when any step of the next delivery day (the
    /// calendar day after t's date, 00:00 up to but excluding 00:00 of the day after) has
    /// `column > threshold(t)`, the threshold known at t. Undefined when the next day is not
    /// wholly in the data; where no value exceeds the threshold but one is missing, undefined.
    case dailyAny(column: String, threshold: DailyThreshold)

    /// The threshold of a ``dailyAny`` labeler.
    public enum DailyThreshold: Sendable, Equatable {
        /// The type-7 q-quantile of the trailing `window` steps ending at t.
        case quantile(q: Double, window: StepCount)
        /// A fixed level.
        case level(Double)
    }

    /// A parameter that cannot be used, with the field it concerns (nil: the set as a whole).
    public struct InvalidParameter: Error, Sendable, Equatable, CustomStringConvertible {
        /// The parameter name (`q`, `window`), or nil.
        public let field: String?
        /// What is wrong and what was expected.
        public let reason: String
        /// `field 'q': must be in (0, 1), got 1.5`, or the bare reason.
        public var description: String { field.map { "field '\($0)': \(reason)" } ?? reason }
    }

    /// The labeler of protocol v1: quantile of price, q 0.95, window 672, horizon 24.
    public static let protocolV1 = Labeler.quantile(column: "price", q: 0.95, window: 672, horizon: 24)

    /// The kinds, as named in Lua (`rally.labeler.<kind>`) and in ``parameters``.
    public static let kinds = ["quantile", "threshold", "jump", "daily_any"]

    /// The kind: `quantile`, `threshold`, `jump` or `daily_any`.
    public var kind: String {
        switch self {
        case .quantile: "quantile"
        case .threshold: "threshold"
        case .jump: "jump"
        case .dailyAny: "daily_any"
        }
    }

    /// The labelled series.
    public var column: String {
        switch self {
        case .quantile(let c, _, _, _), .threshold(let c, _, _), .jump(let c, _, _), .dailyAny(let c, _): c
        }
    }

    /// How many steps ahead a label looks at most. For `daily_any` on hourly data, 47: a label
    /// at 00:00 reads up to 23:00 of the next day (``LabelSeries/horizon`` gives the reach
    /// for the data it was applied to).
    public var horizon: StepCount {
        switch self {
        case .quantile(_, _, _, let h), .threshold(_, _, let h), .jump(_, _, let h): h
        case .dailyAny: 47
        }
    }

    /// The parameters in a fixed order, `col` first: what `rally.labeler.<kind>{...}` takes.
    public var parameters: ModelParameters {
        var p: ModelParameters = ["col": .string(column)]
        switch self {
        case .quantile(_, let q, let window, let horizon):
            p["q"] = .number(q); p["window"] = window.parameterValue; p["horizon"] = horizon.parameterValue
        case .threshold(_, let level, let horizon):
            p["level"] = .number(level); p["horizon"] = horizon.parameterValue
        case .jump(_, let rise, let horizon):
            p["rise"] = .number(rise); p["horizon"] = horizon.parameterValue
        case .dailyAny(_, .quantile(let q, let window)):
            p["q"] = .number(q); p["window"] = window.parameterValue
        case .dailyAny(_, .level(let level)):
            p["level"] = .number(level)
        }
        return p
    }

    /// `quantile{col=price, q=0.95, window=672, horizon=24}`.
    public var description: String {
        "\(kind){" + parameters.entries.map { "\($0.name)=\($0.value)" }.joined(separator: ", ") + "}"
    }

    /// The option names a kind accepts (from its ``schema(_:)``).
    public static func options(of kind: String) -> [String] { schema(kind).options.map(\.name) }

    /// Builds a labeler of `kind` from `parameters`; absent ones take their defaults
    /// (`col` "price", `q` 0.95, `window` 672, `horizon` 24; `level` and `rise` are required,
    /// except that `daily_any` uses `q`/`window` unless `level` is given).
    /// Throws ``InvalidParameter`` for an unknown option, a wrong type or a value out of range.
    public static func make(kind: String, parameters: ModelParameters) throws -> Labeler {
        guard kinds.contains(kind) else {
            throw InvalidParameter(field: nil, reason: "unknown labeler kind '\(kind)'; kinds: \(kinds.joined(separator: ", "))")
        }
        let valid = options(of: kind)
        if let unknown = parameters.names.first(where: { !valid.contains($0) }) {
            throw InvalidParameter(field: nil, reason: "unknown option '\(unknown)'; valid options: \(valid.sorted().joined(separator: ", "))")
        }
        let read = try ParameterReader(parameters, schema: schema(kind))
        let column = read.string("col")
        switch kind {
        case "quantile":
            return .quantile(column: column, q: read.number("q"), window: read.steps("window"), horizon: read.steps("horizon"))
        case "threshold":
            return .threshold(column: column, level: read.number("level"), horizon: read.steps("horizon"))
        case "jump":
            return .jump(column: column, rise: read.number("rise"), horizon: read.steps("horizon"))
        default:
            if parameters["level"] != nil {
                if let both = ["q", "window"].first(where: { parameters[$0] != nil }) {
                    throw InvalidParameter(field: both, reason: "give either level or q and window, not both")
                }
                return .dailyAny(column: column, threshold: .level(read.number("level")))
            }
            return .dailyAny(column: column, threshold: .quantile(q: read.number("q"), window: read.steps("window")))
        }
    }

    /// The labeler with every window and horizon in steps of `stepSeconds` (durations divided
    /// by it). Throws, naming the option and its value, for a duration that is not a whole
    /// number of steps or a count outside its bounds.
    public func resolved(every stepSeconds: Int64) throws -> Labeler {
        func fix(_ count: StepCount, _ option: String) throws -> StepCount { .steps(try steps(count, option, every: stepSeconds)) }
        switch self {
        case .quantile(let c, let q, let window, let horizon):
            return .quantile(column: c, q: q, window: try fix(window, "window"), horizon: try fix(horizon, "horizon"))
        case .threshold(let c, let level, let horizon):
            return .threshold(column: c, level: level, horizon: try fix(horizon, "horizon"))
        case .jump(let c, let rise, let horizon):
            return .jump(column: c, rise: rise, horizon: try fix(horizon, "horizon"))
        case .dailyAny(let c, .quantile(let q, let window)):
            return .dailyAny(column: c, threshold: .quantile(q: q, window: try fix(window, "window")))
        case .dailyAny(_, .level):
            return self
        }
    }

    /// `count` in steps of `stepSeconds` (at least 1); errors name the labeler and `option`.
    func steps(_ count: StepCount, _ option: String, every stepSeconds: Int64) throws -> Int {
        do { return try count.resolved(every: stepSeconds, minimum: 1, option: option) } catch let e as RallyError {
            throw RallyError("\(kind) labeler: \(e.message)")
        }
    }

    /// A copy with `changes` applied over the current parameters (`lab:with{q = 0.99}`).
    /// For `daily_any`, giving `level` replaces `q`/`window` and giving either of those replaces `level`.
    public func with(_ changes: ModelParameters) throws -> Labeler {
        var merged = parameters
        if case .dailyAny = self {
            if changes["level"] != nil { merged["q"] = nil; merged["window"] = nil }
            if changes["q"] != nil || changes["window"] != nil { merged["level"] = nil }
        }
        for change in changes { merged[change.name] = change.value }
        return try Labeler.make(kind: kind, parameters: merged)
    }
}

/// Labeler parameters checked against their kind's schema: every given value by its
/// declaration's rule, required ones present, defaults filled in; reads are then plain.
private struct ParameterReader {
    let values: [String: ParameterValue]

    init(_ parameters: ModelParameters, schema: OptionSchema) throws {
        var values: [String: ParameterValue] = [:]
        for option in schema.options {
            guard let value = parameters[option.name] else {
                if option.required { throw Labeler.InvalidParameter(field: option.name, reason: "\(option.kind.summary) expected, got nil (\(option.doc))") }
                if let d = option.defaultValue { values[option.name] = d }
                continue
            }
            if case .scalar(let rule) = option.kind, let problem = rule.problem(value) {
                throw Labeler.InvalidParameter(field: option.name, reason: "\(problem) (\(option.doc))")
            }
            values[option.name] = value
        }
        self.values = values
    }

    /// A declared number (checked, or its default).
    func number(_ name: String) -> Double { values[name]!.number! }
    /// A declared step count or duration (checked by its rule).
    func steps(_ name: String) -> StepCount { StepCount(values[name]!)! }
    /// A declared string.
    func string(_ name: String) -> String { values[name]!.string! }
}
