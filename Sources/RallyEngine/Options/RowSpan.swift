/// A stretch of rows given either as a count of rows or as a duration of time: `2160` or
/// `"90d"` / `"36h"`. The one reader of such durations (`Nd`, `Nh`) until a project-wide duration
/// type replaces it; a span is a length, not a position (where it starts is the caller's business).
///
/// Bounded where decoded: a row count in `0...``maximumRows```, a duration of at most
/// ``maximumSteps`` hours (about 114 years), so converting to seconds cannot overflow.
public enum RowSpan: Sendable, Hashable, CustomStringConvertible {
    /// That many rows.
    case rows(Int)
    /// That many seconds of time (whole hours).
    case duration(seconds: Int64)

    /// The most rows a span counts.
    public static let maximumRows = 10_000_000
    /// The most hours a duration spans (the same bound as every window and horizon).
    public static let maximumHours = EntryPointOptions.maximumSteps

    /// What the rule accepts, for messages and help.
    public static let expected = "a whole number of rows in [0, \(maximumRows)] or a duration \"Nd\" or \"Nh\" (e.g. \"90d\")"

    /// The span `value` describes, or nil when it is neither a row count in range nor `"<N>d"` /
    /// `"<N>h"` with N >= 0 and at most ``maximumHours`` hours.
    public static func parse(_ value: ParameterValue) -> RowSpan? {
        switch value {
        case .number(let x):
            guard x.isFinite, x == x.rounded(), x >= 0, x <= Double(maximumRows) else { return nil }
            return .rows(Int(x))
        case .string(let text):
            guard let unit = text.last, unit == "d" || unit == "h" else { return nil }
            let digits = text.dropLast()
            guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int64(digits), n >= 0 else { return nil }
            let hours = unit == "d" ? n * 24 : n
            guard hours <= Int64(maximumHours) else { return nil }
            return .duration(seconds: hours * 3600)
        case .bool:
            return nil
        }
    }

    /// `2160 rows`, `90d`, `36h`.
    public var description: String {
        switch self {
        case .rows(let n): return "\(n) row\(n == 1 ? "" : "s")"
        case .duration(let s): return s % 86_400 == 0 ? "\(s / 86_400)d" : "\(s / 3600)h"
        }
    }
}
