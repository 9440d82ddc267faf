/// What one option of an entry point accepts.
///
/// Scalars carry a ``ParameterRule`` (the rules model parameters use, so the same option has the
/// same limits wherever it appears). The other kinds name what the binding hands over: a rally
/// object of a class, a list, or a table whose shape the option's doc states.
public enum OptionKind: Sendable, Hashable {
    /// A number, whole number, choice, string or boolean checked by the rule.
    case scalar(ParameterRule)
    /// A rally object of the named class (`Dataset`, `FeatureSpec`, `Split`).
    case object(String)
    /// One rally object of the named class or a non-empty list of them (`models`, `walkforward`).
    case objects(String)
    /// A number or a list of numbers, each checked by the rule.
    case numbers(ParameterRule)
    /// A string or a list of strings.
    case texts
    /// A table whose shape the doc describes (`grid`, `columns`, `windows`).
    case table(String)
    /// A time string (`"2017-01-01"`, `"2017-01-01 00:00"`: market time; or with a UTC offset,
    /// `"2016-11-06 01:00-05:00"`), read by ``SplitTime/parse(_:dateOnly:)``.
    case time

    /// How help and messages name the kind: `integer in [0, 100000]`, `Dataset`, `list of numbers`.
    public var summary: String {
        switch self {
        case .scalar(let rule): rule.summary
        case .object(let cls): cls
        case .objects(let cls): "\(cls) or list of \(cls)s"
        case .numbers(let rule): "number or list of numbers (each \(rule.summary))"
        case .texts: "string or list of strings"
        case .table(let shape): "table \(shape)"
        case .time: "time \"YYYY-MM-DD[ HH:MM]\" (market time, or with a UTC offset)"
        }
    }
}

/// The declaration of one option: name, accepted values, default and meaning. Not a value: the
/// values a call gave are in ``OptionValues``.
public struct OptionDeclaration: Sendable, Hashable {
    /// The name used in Lua tables (`bootstrap`).
    public var name: String
    /// What it accepts.
    public var kind: OptionKind
    /// The value when none is given (nil: no default; the option is then absent or required).
    public var defaultValue: ParameterValue?
    /// Whether a call must give it.
    public var required: Bool
    /// One line on what it does.
    public var doc: String

    /// Declares a scalar option.
    public init(_ name: String, _ rule: ParameterRule, default value: ParameterValue? = nil, required: Bool = false, doc: String) {
        self.init(name, kind: .scalar(rule), default: value, required: required, doc: doc)
    }

    /// Declares an option of any kind.
    public init(_ name: String, kind: OptionKind, default value: ParameterValue? = nil, required: Bool = false, doc: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = value
        self.required = required
        self.doc = doc
    }

    /// A model parameter as an option (its aliases are separate names in a schema).
    public init(_ parameter: ParameterDefinition) {
        self.init(parameter.name, parameter.rule, default: parameter.defaultValue, doc: parameter.doc)
    }

    /// `bootstrap = 1000 (integer in [0, 100000]): resamples of the test rows (0: no intervals)`.
    public var help: String {
        let value = defaultValue.map { " = \($0.json)" } ?? (required ? " (required)" : "")
        return "\(name)\(value) (\(kind.summary)): \(doc)"
    }
}

/// Every option of one entry point (`evaluate`, `split`, `report`), declared once: bindings
/// decode tables from it, checks and limits come from it, help shows it. It holds no values.
public struct OptionSchema: Sendable {
    /// The function the options belong to, as messages name it (`evaluate`).
    public let function: String
    /// What the function does and returns, as its help shows it (usage line first).
    public let summary: String
    /// The options, in the order help shows them.
    public let options: [OptionDeclaration]

    /// Declares the options of `function`; names must be unique.
    public init(_ function: String, summary: String = "", _ options: [OptionDeclaration]) {
        precondition(Set(options.map(\.name)).count == options.count, "\(function): an option is declared twice")
        self.function = function
        self.summary = summary
        self.options = options
    }

    /// The declaration of `name`, or nil.
    public func declaration(_ name: String) -> OptionDeclaration? { options.first { $0.name == name } }

    /// The option names, sorted (for "valid options: ..." messages).
    public var names: [String] { options.map(\.name).sorted() }

    /// One line per option, for help texts.
    public var optionLines: String { options.map { "  " + $0.help }.joined(separator: "\n") }

    /// The function's help: its summary, then its options.
    public var help: String { summary + "\noptions:\n" + optionLines }
}

/// The values of one call's options after decoding against an ``OptionSchema``: every scalar
/// checked by its rule, defaults filled in; objects, lists, times and tables checked for their
/// kind (``OptionSchema/decode(_:)``) and read with ``object(_:as:)``, ``strings(_:)``,
/// ``tree(_:)``. Not a declaration: that is the schema.
public struct OptionValues: Sendable {
    /// The schema the values were checked against.
    public let schema: OptionSchema
    private var values: [String: ParameterValue]
    /// The options of other kinds than scalars, as given (lists normalised to tables).
    var trees: [String: OptionTree] = [:]

    /// Values for `schema`: `given` (already checked against each declaration's rule) plus the
    /// defaults of the options not given. Throws when a given value breaks its rule or a
    /// required option is missing (used by Swift callers; the Lua layer checks as it decodes).
    public init(_ schema: OptionSchema, given: [String: ParameterValue]) throws {
        self.schema = schema
        var values: [String: ParameterValue] = [:]
        for option in schema.options {
            if let value = given[option.name] {
                if case .scalar(let rule) = option.kind, let problem = rule.problem(value) {
                    throw RallyError("\(schema.function): option '\(option.name)': \(problem)")
                }
                values[option.name] = value
            } else if let value = option.defaultValue {
                values[option.name] = value
            }
        }
        if let unknown = given.keys.sorted().first(where: { schema.declaration($0) == nil }) {
            throw RallyError("\(schema.function): unknown option '\(unknown)'; valid options: \(schema.names.joined(separator: ", "))")
        }
        self.values = values
    }

    /// The value of `name` (given or default), or nil.
    public subscript(name: String) -> ParameterValue? { values[name] }

    /// Whether `name` was given or has a default.
    public func has(_ name: String) -> Bool { values[name] != nil }

    /// The number `name`, or nil.
    public func number(_ name: String) -> Double? { values[name]?.number }

    /// The whole number `name`, or nil. Declared integer options are bounded, so the value fits.
    public func integer(_ name: String) -> Int? {
        guard let x = values[name]?.number, x == x.rounded(), abs(x) < 9.0e15 else { return nil }
        return Int(x)
    }

    /// The step count or duration `name` (checked by a ``ParameterRule/steps(_:)`` rule), or nil.
    public func stepCount(_ name: String) -> StepCount? { values[name].flatMap(StepCount.init) }

    /// The string `name`, or nil.
    public func string(_ name: String) -> String? { values[name]?.string }

    /// The boolean `name`, or nil.
    public func bool(_ name: String) -> Bool? { values[name]?.bool }
}

extension ParameterRule {
    /// The rule as help shows it: `integer in [0, 100000]`, `number in (0, 1]`, `one of "a", "b"`.
    public var summary: String {
        switch self {
        case .number(let range): range == .finite ? "finite number" : "number in \(range)"
        case .integer(let range): "integer in [\(range.lowerBound), \(range.upperBound)]"
        case .steps(let range): "integer steps in [\(range.lowerBound), \(range.upperBound)] or a duration such as \"24h\""
        case .hours(let range): "integer hours in [\(range.lowerBound), \(range.upperBound)] or a duration such as \"1d\""
        case .choice(let options): "one of " + options.map(JSONText.string).joined(separator: ", ")
        case .text: "string"
        case .nonEmptyText: "non-empty string"
        case .flag: "boolean"
        }
    }
}
