/// The declaration machinery for options and parameters: allowed numbers, rules, declarations.
/// Every option of every entry point and every model parameter is declared with these types.

/// An interval of allowed numbers, each end open or closed (an infinite end is always open).
public struct NumberInterval: Sendable, Hashable, CustomStringConvertible {
    /// Lower end.
    public var lower: Double
    /// Whether `lower` itself is excluded.
    public var lowerOpen: Bool
    /// Upper end.
    public var upper: Double
    /// Whether `upper` itself is excluded.
    public var upperOpen: Bool

    /// Creates an interval.
    public init(lower: Double, lowerOpen: Bool, upper: Double, upperOpen: Bool) {
        self.lower = lower
        self.lowerOpen = lowerOpen
        self.upper = upper
        self.upperOpen = upperOpen
    }

    /// (0, ∞)
    public static let positive = NumberInterval(lower: 0, lowerOpen: true, upper: .infinity, upperOpen: true)
    /// [0, ∞)
    public static let nonNegative = NumberInterval(lower: 0, lowerOpen: false, upper: .infinity, upperOpen: true)
    /// (0, 1]
    public static let fraction = NumberInterval(lower: 0, lowerOpen: true, upper: 1, upperOpen: false)
    /// (0, 1)
    public static let openFraction = NumberInterval(lower: 0, lowerOpen: true, upper: 1, upperOpen: true)
    /// Every finite number.
    public static let finite = NumberInterval(lower: -.infinity, lowerOpen: true, upper: .infinity, upperOpen: true)

    /// Whether `x` is finite and inside.
    public func contains(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        let aboveLower = lowerOpen ? x > lower : x >= lower
        let belowUpper = upperOpen ? x < upper : x <= upper
        return aboveLower && belowUpper
    }

    /// `(0, 1]`, `[0, inf)`.
    public var description: String {
        "\(lowerOpen ? "(" : "[")\(JSONText.number(lower).replacingNull("-inf")), \(JSONText.number(upper).replacingNull("inf"))\(upperOpen ? ")" : "]")"
    }
}

private extension String {
    func replacingNull(_ s: String) -> String { self == "null" ? s : self }
}

/// What values a parameter accepts.
public enum ParameterRule: Sendable, Hashable {
    /// A finite number in the interval.
    case number(NumberInterval)
    /// A whole number in the range.
    case integer(ClosedRange<Int>)
    /// A count of rows: a whole number of steps in the range, or a duration (``TimeSpan``,
    /// `"24h"`) that becomes one against the data's step (``StepCount``). A duration of zero is
    /// refused when the range starts above zero.
    case steps(ClosedRange<Int>)
    /// A number of hours in the range, or a duration that is whole hours (a split's embargo).
    case hours(ClosedRange<Int>)
    /// One of the listed strings.
    case choice([String])
    /// Any string.
    case text
    /// A string of at least one character (a name, a path).
    case nonEmptyText
    /// A boolean.
    case flag
    /// A ``RowSpan``: a row count or a duration `"Nd"` / `"Nh"`.
    case span

    /// Why `value` is not accepted, or nil when it is; `shown` is how the message shows a
    /// number (default: its shortest form; a caller holding the exact integer the user gave
    /// passes that).
    func problem(_ value: ParameterValue, shown display: String? = nil) -> String? {
        func shown(_ x: Double) -> String { display ?? Self.shown(x) }
        switch (self, value) {
        case (.number(let range), .number(let x)):
            if range.contains(x) { return nil }
            return range == .finite ? "a finite number expected, got \(shown(x))" : "a number in \(range) expected, got \(shown(x))"
        case (.integer(let range), .number(let x)):
            guard x == x.rounded(), x.isFinite, x >= Double(range.lowerBound), x <= Double(range.upperBound) else {
                return "an integer in [\(range.lowerBound), \(range.upperBound)] expected, got \(shown(x))"
            }
            return nil
        case (.steps(let range), .number(let x)), (.hours(let range), .number(let x)):
            guard x == x.rounded(), x.isFinite, x >= Double(range.lowerBound), x <= Double(range.upperBound) else {
                return "\(summary) expected, got \(shown(x))"
            }
            return nil
        case (.steps(let range), .string(let s)), (.hours(let range), .string(let s)):
            guard let span = TimeSpan.parse(s) else { return "\(summary) expected, got \(JSONText.string(s))" }
            if span.seconds == 0 && range.lowerBound > 0 { return "a positive duration expected, got \(JSONText.string(s))" }
            if case .hours = self, span.seconds % 3600 != 0 { return "a whole number of hours expected, got \(JSONText.string(s))" }
            return nil
        case (.choice(let options), .string(let s)):
            return options.contains(s) ? nil : "one of \(options.map(JSONText.string).joined(separator: ", ")) expected, got \(JSONText.string(s))"
        case (.nonEmptyText, .string(let s)):
            return s.isEmpty ? "a non-empty string expected, got an empty string" : nil
        case (.text, .string), (.flag, .bool):
            return nil
        case (.span, _):
            return RowSpan.parse(value) == nil ? "\(RowSpan.expected) expected, got \(value.json)" : nil
        default:
            return "\(expectedType) expected, got \(value.typeName)"
        }
    }

    /// A given number as messages show it: `nan`, `inf` and `-inf` by name (JSON would say null).
    private static func shown(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return JSONText.number(x)
    }

    private var expectedType: String {
        switch self {
        case .number, .integer: "number"
        case .steps, .hours: "number or duration"
        case .choice, .text, .nonEmptyText: "string"
        case .flag: "boolean"
        case .span: "number or string"
        }
    }
}

/// The declaration of one model parameter: name, default, accepted values and meaning.
public struct ParameterDefinition: Sendable, Hashable {
    /// The name used in Lua tables and `run.json`.
    public var name: String
    /// Other names accepted for it on input (`depth` for `max_depth`).
    public var aliases: [String]
    /// The value when none is given.
    public var defaultValue: ParameterValue
    /// The accepted values.
    public var rule: ParameterRule
    /// One line on what it does.
    public var doc: String
    /// The numeric parameter that must be non-zero for this one to have any effect
    /// (`validation_fraction` needs `early_stopping_rounds`); giving this one without it is an error.
    public var needs: String?

    /// Declares a parameter.
    public init(_ name: String, _ defaultValue: ParameterValue, _ rule: ParameterRule, aliases: [String] = [],
                needs: String? = nil, doc: String) {
        self.name = name
        self.aliases = aliases
        self.defaultValue = defaultValue
        self.rule = rule
        self.needs = needs
        self.doc = doc
    }
}
