/// One named feature column and how it is computed from data known at t.
///
/// Lags and windows are ``StepCount``s: whole steps, or durations (`"7d"`) that become steps
/// when the spec is built on a dataset (``FeatureSpec/resolved(every:)``).
/// Trailing features read rows t - k ... t only. Features of the *target* step t + horizon read
/// either the calendar (known in advance) or columns declared known ahead, such as day-ahead
/// load forecasts published before t: `x[t + horizon]` is then, by declaration, known at t.
public struct Feature: Sendable, Equatable, CustomStringConvertible {
    /// The column name in the feature matrix.
    public var name: String
    /// How the value is computed.
    public var source: Source

    /// The ways a feature can be computed. `horizon` is the spec's ``FeatureSpec/horizon``.
    public enum Source: Sendable, Equatable {
        /// `column[t - steps]`.
        case lag(column: String, steps: StepCount)
        /// A ``RollingStatistic`` of `column[t - window + 1 ... t]`.
        case rolling(column: String, statistic: RollingStatistic, window: StepCount)
        /// `column[t]` divided by the mean of `column[t - window + 1 ... t]`.
        case relativeToMean(column: String, window: StepCount)
        /// `column[t]` divided by the labeler's threshold at t (known at t for every labeler).
        case gapToThreshold(column: String)
        /// A calendar field of the target time `time[t] + horizon` steps.
        case calendar(CalendarField)
        /// `column[t + horizon]`, a column declared known ahead (a day-ahead forecast).
        case knownAhead(column: String)
        /// `column[t + horizon]` divided by the mean of `column[t - window + 1 ... t]`.
        case knownAheadRelative(column: String, window: StepCount)
        /// Feature `numerator` divided by feature `denominator` (both defined earlier in the spec).
        case ratio(numerator: String, denominator: String)
        /// Feature `minuend` minus feature `subtrahend` (both defined earlier in the spec).
        case difference(minuend: String, subtrahend: String)
    }

    /// A feature with an explicit name.
    public init(name: String, source: Source) {
        self.name = name
        self.source = source
    }

    /// A feature named by ``defaultName(of:mainColumn:)``.
    public init(_ source: Source, mainColumn: String = "price") {
        self.init(name: Feature.defaultName(of: source, mainColumn: mainColumn), source: source)
    }

    /// The conventional name: `lag0`, `mean24`, `q95_672`, `rel168`, `gap_to_thr`, `hour`,
    /// `sys_load_fc`, `sys_load_fc_rel`, `a/b`, `a-b`. Features of a column other than
    /// `mainColumn` are prefixed with it (`sys_load_fc_lag24`, `sys_load_fc_mean168`).
    public static func defaultName(of source: Source, mainColumn: String = "price") -> String {
        func prefixed(_ column: String, _ base: String) -> String { column == mainColumn ? base : "\(column)_\(base)" }
        switch source {
        case .lag(let c, let k): return prefixed(c, "lag\(k)")
        case .rolling(let c, .quantile(let q), let w): return prefixed(c, "q\(Format.number(q * 100))_\(w)")
        case .rolling(let c, let s, let w): return prefixed(c, "\(s.name)\(w)")
        case .relativeToMean(let c, let w): return prefixed(c, "rel\(w)")
        case .gapToThreshold(let c): return prefixed(c, "gap_to_thr")
        case .calendar(let field): return field.rawValue
        case .knownAhead(let c): return c
        case .knownAheadRelative(let c, _): return "\(c)_rel"
        case .ratio(let a, let b): return "\(a)/\(b)"
        case .difference(let a, let b): return "\(a)-\(b)"
        }
    }

    /// The data columns the feature reads.
    public var columns: [String] {
        switch source {
        case .lag(let c, _), .rolling(let c, _, _), .relativeToMean(let c, _), .gapToThreshold(let c),
             .knownAhead(let c), .knownAheadRelative(let c, _): [c]
        case .calendar, .ratio, .difference: []
        }
    }

    /// `name = definition`, e.g. `mean24 = mean(price[t-23 ... t])`.
    public var description: String { "\(name) = \(definition)" }

    /// The formula, with the target step written `t+H`.
    public var definition: String {
        switch source {
        case .lag(let c, let k): k == 0 ? "\(c)[t]" : "\(c)[t-\(k)]"
        case .rolling(let c, let s, let w): "\(s)(\(Self.window(c, w)))"
        case .relativeToMean(let c, let w): "\(c)[t] / mean(\(Self.window(c, w)))"
        case .gapToThreshold(let c): "\(c)[t] / threshold(t)"
        case .calendar(let field): "\(field.meaning) of t+H"
        case .knownAhead(let c): "\(c)[t+H] (known ahead)"
        case .knownAheadRelative(let c, let w): "\(c)[t+H] / mean(\(Self.window(c, w)))"
        case .ratio(let a, let b): "\(a) / \(b)"
        case .difference(let a, let b): "\(a) - \(b)"
        }
    }

    /// `price[t-23 ... t]` for 24 steps, `price(t-7d ... t]` (the 7d up to t) for a duration.
    private static func window(_ column: String, _ w: StepCount) -> String {
        switch w {
        case .steps(let n): "\(column)[t-\(n - 1) ... t]"
        case .span(let span): "\(column)(t-\(span) ... t]"
        }
    }
}

/// A calendar field of a time (in the feature builder: the target time t + horizon).
public enum CalendarField: String, Sendable, CaseIterable {
    /// Hour of the day, 0-23.
    case hour
    /// Day of the week, Monday = 0 ... Sunday = 6.
    case dow
    /// Month, 1-12.
    case month
    /// 1 on Saturday and Sunday, else 0.
    case weekend
    /// Day of the year, 1-366.
    case doy
    /// 1 on a NERC holiday (see ``NERCHolidays``), else 0.
    case holiday

    /// What the field is, in words.
    public var meaning: String {
        switch self {
        case .hour: "hour (0-23)"
        case .dow: "day of week (Mon=0 ... Sun=6)"
        case .month: "month (1-12)"
        case .weekend: "weekend (Sat/Sun = 1)"
        case .doy: "day of year (1-366)"
        case .holiday: "NERC holiday (1/0)"
        }
    }
}
