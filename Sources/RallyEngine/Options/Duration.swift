/// A length of time as a user writes it: a whole number and a unit, `"24h"`, `"7d"`, `"15m"`,
/// `"1w"`, `"30s"`. It is a fixed number of seconds, not a calendar span (a month or a year
/// varies: ``WalkForward/Step`` handles those), and not a step count: ``StepCount`` turns it
/// into one against a dataset's step.
///
/// Parsed in one place (``parse(_:)``) for every option that takes a duration (windows,
/// horizons, lags, embargoes, holdouts); the number is bounded, so the seconds never overflow.
public struct TimeSpan: Sendable, Hashable, CustomStringConvertible {
    /// The length in seconds (at most 1,000,000 weeks).
    public let seconds: Int64
    /// The text as the user wrote it (`"24h"`), for names and messages.
    public let text: String

    /// The largest number a duration may carry (`"1000000h"`).
    public static let maximumCount: Int64 = 1_000_000

    /// The units and their seconds, as ``parse(_:)`` accepts them.
    static let units: [(name: String, seconds: Int64)] = [
        ("s", 1), ("m", 60), ("min", 60), ("h", 3600), ("d", 86_400), ("w", 604_800),
    ]

    /// What ``parse(_:)`` accepts, for messages and help.
    public static let expected = "a duration such as \"24h\", \"7d\", \"15m\" or \"1w\" (a whole number up to \(maximumCount) and a unit s, m, h, d or w)"

    /// A span of `seconds` written as `text` (callers that parsed it).
    init(seconds: Int64, text: String) {
        self.seconds = seconds
        self.text = text
    }

    /// The span `text` denotes: digits (at most 1,000,000), an optional space, a unit (`s`,
    /// `m` or `min`, `h`, `d`, `w`). Nil for anything else.
    public static func parse(_ text: String) -> TimeSpan? {
        let bytes = Array(text.utf8)
        var i = 0
        var count: Int64 = 0
        while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
            count = count * 10 + Int64(bytes[i] - UInt8(ascii: "0"))
            guard count <= maximumCount else { return nil }
            i += 1
        }
        guard i > 0 else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: " ") { i += 1 }
        let unit = String(decoding: bytes[i...], as: UTF8.self)
        guard let seconds = units.first(where: { $0.name == unit })?.seconds else { return nil }
        return TimeSpan(seconds: count * seconds, text: text)
    }

    /// The span `text` denotes, or an error about `option` saying what was expected.
    public static func read(_ text: String, option: String) throws -> TimeSpan {
        guard let span = parse(text) else {
            throw RallyError("\(expected) expected, got \(JSONText.string(text))", option: option)
        }
        return span
    }

    /// `"24h"`, as given.
    public var description: String { text }

    /// How many whole steps of `stepSeconds` the span is, or nil when it is not a whole number of them.
    public func steps(of stepSeconds: Int64) -> Int64? {
        guard stepSeconds > 0, seconds % stepSeconds == 0 else { return nil }
        return seconds / stepSeconds
    }
}

/// A number of rows of a regular time index, given either as a whole number of steps (`24`)
/// or as a duration (`"24h"`) that becomes steps once the data's step is known: an option
/// such as a labeler's `window` is decoded before the labeler sees any data. Integers keep
/// meaning steps. Not a time: it says how far, not when.
public enum StepCount: Sendable, Hashable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// A whole number of steps.
    case steps(Int)
    /// A duration, to be divided by the data's step.
    case span(TimeSpan)

    /// `24` is 24 steps.
    public init(integerLiteral value: Int) { self = .steps(value) }

    /// The count of a value a ``ParameterRule/steps(_:)`` rule has accepted (a whole number or
    /// a duration text); nil for any other value.
    public init?(_ value: ParameterValue) {
        switch value {
        case .number(let x) where x == x.rounded() && abs(x) <= Double(EntryPointOptions.maximumSteps):
            self = .steps(Int(x))
        case .string(let s):
            guard let span = TimeSpan.parse(s) else { return nil }
            self = .span(span)
        default:
            return nil
        }
    }

    /// The value as options and records hold it: a number of steps, or the duration's text.
    /// Step counts stay numbers, so records written before durations existed are unchanged.
    public var parameterValue: ParameterValue {
        switch self {
        case .steps(let n): .number(Double(n))
        case .span(let span): .string(span.text)
        }
    }

    /// The value in a JSON record: an integer of steps, or the duration's text.
    public var json: JSONValue {
        switch self {
        case .steps(let n): .integer(n)
        case .span(let span): .string(span.text)
        }
    }

    /// `24` or `24h`.
    public var description: String {
        switch self {
        case .steps(let n): String(n)
        case .span(let span): span.text
        }
    }

    /// The count in steps of `stepSeconds`. A step count is itself; a duration must be a whole
    /// number of steps. Either must lie in `minimum...EntryPointOptions.maximumSteps`. Errors
    /// name `option` and the value as given: `window = "25m" is not a whole number of 1 h steps`.
    public func resolved(every stepSeconds: Int64, minimum: Int = 0, option: String) throws -> Int {
        let limit = EntryPointOptions.maximumSteps
        switch self {
        case .steps(let n):
            guard (minimum...limit).contains(n) else {
                throw RallyError("\(option) = \(n) is outside \(minimum)...\(limit) steps")
            }
            return n
        case .span(let span):
            let shown = "\(option) = \(JSONText.string(span.text))"
            guard let n = span.steps(of: stepSeconds) else {
                throw RallyError("\(shown) is not a whole number of \(TimeStamp.duration(stepSeconds)) steps")
            }
            guard n <= Int64(limit) else {
                throw RallyError("\(shown) is \(n) steps of \(TimeStamp.duration(stepSeconds)), more than the \(limit) allowed")
            }
            guard n >= Int64(minimum) else {
                throw RallyError("\(shown) is \(n) steps of \(TimeStamp.duration(stepSeconds)); at least \(minimum) expected")
            }
            return Int(n)
        }
    }

    /// The count as a whole number of hours, for options kept in hours (a split's embargo):
    /// a step count is hours; a duration must be whole hours.
    public func hours(option: String) throws -> Int {
        try resolved(every: 3600, option: option)
    }

    /// The step count when given as one (nil for a duration not yet resolved).
    public var stepsGiven: Int? {
        if case .steps(let n) = self { n } else { nil }
    }
}
