/// A train/test split in time, with an embargo that keeps training labels out of the test period.
///
/// Bounds are timestamps on the dataset's clock (see ``TimeStamp``):
/// - a row at time `t` (index `i`) **trains** when `trainStart ≤ t` (if set), `t ≤ trainEnd − embargo`,
///   and its label, which reads row `i + horizonSteps`, reads a time `≤ trainEnd`;
/// - a row **tests** when `testStart ≤ t` and `t < testEnd` (if set; `testEnd` is exclusive).
///
/// A split is made without data, so each bound is as the user gave it (``SplitTime``): a
/// market-time reading (naive seconds; the default), or a UTC instant when ``offsets`` holds
/// the offset it was written with. ``resolved(in:)`` turns the readings into timestamps of a
/// dataset's zone when the split is applied; on a wall-clock dataset a split of readings is
/// used as it is.
///
/// The embargo (hours) must be at least the label horizon: otherwise the last training rows
/// would carry labels computed from prices after `trainEnd`, and ``trainRows(timestamps:candidates:horizonSteps:stepSeconds:)``
/// refuses with an error naming those rows. Protocol v1 uses `trainEnd = 2016-12-31 23:00`,
/// `testStart = 2017-01-01 00:00`, embargo 24 h, horizon 24 steps of one hour.
public struct TimeSplit: Sendable, Equatable {
    /// One of a split's four bounds.
    public enum Bound: String, Sendable, Hashable, CaseIterable {
        case trainStart = "train_start", trainEnd = "train_end", testStart = "test_start", testEnd = "test_end"
    }

    /// First time a training row may have (inclusive), or nil for "from the start" (expanding).
    public var trainStart: Int64?
    /// Last time a training label may read (inclusive).
    public var trainEnd: Int64
    /// First test time (inclusive).
    public var testStart: Int64
    /// End of the test period (exclusive), or nil for "to the end of the data".
    public var testEnd: Int64?
    /// Hours before `trainEnd` in which no row trains; at least the label horizon.
    public var embargoHours: Int
    /// The bounds that are UTC instants, with the UTC offset each is printed with; every other
    /// bound is a market-time reading. Empty for a split of readings (all of rally's splits
    /// until a time with an offset is given).
    public var offsets: [Bound: Int] = [:]

    /// Creates a split; throws when the ranges are out of order or overlap. `offsets` marks the
    /// bounds that are UTC instants (see ``offsets``).
    public init(trainStart: Int64? = nil, trainEnd: Int64, testStart: Int64, testEnd: Int64? = nil, embargoHours: Int,
                offsets: [Bound: Int] = [:]) throws {
        guard (0...EntryPointOptions.maximumSteps).contains(embargoHours) else {
            throw RallyError("split: embargo must be 0 to \(EntryPointOptions.maximumSteps) hours, got \(embargoHours)")
        }
        self.trainStart = trainStart
        self.trainEnd = trainEnd
        self.testStart = testStart
        self.testEnd = testEnd
        self.embargoHours = embargoHours
        self.offsets = offsets.filter { b, _ in value(b) != nil }
        try checkOrder()
    }

    /// Creates a split of times as the user gave them: readings, or instants (see ``SplitTime``).
    public init(trainStart: SplitTime?, trainEnd: SplitTime, testStart: SplitTime, testEnd: SplitTime?, embargoHours: Int) throws {
        var offsets: [Bound: Int] = [:]
        func value(_ t: SplitTime?, _ b: Bound) -> Int64? {
            switch t {
            case nil: return nil
            case .local(let v): return v
            case .instant(let i): offsets[b] = i.offset; return i.utc
            }
        }
        let (ts, te, ss, se) = (value(trainStart, .trainStart), value(trainEnd, .trainEnd)!, value(testStart, .testStart)!, value(testEnd, .testEnd))
        try self.init(trainStart: ts, trainEnd: te, testStart: ss, testEnd: se, embargoHours: embargoHours, offsets: offsets)
    }

    /// The value of bound `b` (nil for an open one).
    public func value(_ b: Bound) -> Int64? {
        switch b {
        case .trainStart: return trainStart
        case .trainEnd: return trainEnd
        case .testStart: return testStart
        case .testEnd: return testEnd
        }
    }

    /// Bound `b` as given (nil when open): `2017-01-01 00:00`, or an instant with its offset,
    /// `2016-11-06 01:00-05:00`.
    public func text(_ b: Bound) -> String? {
        value(b).map { format($0, like: b) }
    }

    /// `t` printed as bound `b` is: with `b`'s offset when `b` is an instant.
    func format(_ t: Int64, like b: Bound) -> String {
        offsets[b].map { TimeStamp.format(t, offset: $0) } ?? TimeStamp.format(t)
    }

    /// Throws when the bounds are out of order. Two bounds are compared when both are readings
    /// or both instants; a reading and an instant are compared once resolved in a zone.
    private func checkOrder() throws {
        func comparable(_ a: Bound, _ b: Bound) -> Bool { (offsets[a] == nil) == (offsets[b] == nil) }
        let trainEndText = format(trainEnd, like: .trainEnd), testStartText = format(testStart, like: .testStart)
        if let trainStart, comparable(.trainStart, .trainEnd), trainStart > trainEnd {
            throw RallyError("split: train_start \(format(trainStart, like: .trainStart)) is after train_end \(trainEndText)")
        }
        if comparable(.trainEnd, .testStart), trainEnd >= testStart {
            throw RallyError("split: train period (.. \(trainEndText)) overlaps the test period (\(testStartText) ..): train_end must be before test_start")
        }
        if let testEnd, comparable(.testEnd, .testStart), testEnd <= testStart {
            throw RallyError("split: test_end \(format(testEnd, like: .testEnd)) is not after test_start \(testStartText)")
        }
    }

    /// The split as timestamps of a dataset in `zone`, which its rows are compared with: on the
    /// wall clock a split of readings is itself; in a zone each reading becomes an instant by
    /// the zone's rules (``SplitTime/resolved(in:latest:what:)``: a repeated fall-back reading
    /// is its earlier instant, the later for `train_end`, which includes its bound; a reading
    /// the clocks skip is the instant of the change), and every bound is printed in the zone's
    /// local time with its offset. Throws for an instant on the wall clock, or when the resolved
    /// bounds are out of order.
    public func resolved(in zone: MarketZone) throws -> TimeSplit {
        if zone.isWallClock && offsets.isEmpty { return self }
        func resolve(_ b: Bound) throws -> Int64? {
            guard let t = value(b) else { return nil }
            let given: SplitTime = offsets[b].map { .instant(TimeStamp.Instant(utc: t, offset: $0)) } ?? .local(t)
            return try given.resolved(in: zone, latest: b == .trainEnd, what: "split: " + b.rawValue)
        }
        let (ts, te, ss, se) = (try resolve(.trainStart), try resolve(.trainEnd)!, try resolve(.testStart)!, try resolve(.testEnd))
        var local: [Bound: Int] = [:]
        for (b, t) in [(Bound.trainStart, ts), (.trainEnd, te), (.testStart, ss), (.testEnd, se)] {
            if let t { local[b] = zone.offset(at: t) }
        }
        return try TimeSplit(trainStart: ts, trainEnd: te, testStart: ss, testEnd: se, embargoHours: embargoHours, offsets: local)
    }

    /// The split with its instants turned into `zone`'s local readings (a split of readings is
    /// itself): what calendar arithmetic on its bounds (inner folds of a tuning) works on.
    /// Throws for an instant on the wall clock.
    public func readings(in zone: MarketZone) throws -> TimeSplit {
        guard !offsets.isEmpty else { return self }
        func reading(_ b: Bound) throws -> Int64? {
            guard let t = value(b) else { return nil }
            guard let offset = offsets[b] else { return t }
            return try SplitTime.instant(TimeStamp.Instant(utc: t, offset: offset)).reading(in: zone, what: "split: " + b.rawValue)
        }
        return try TimeSplit(trainStart: reading(.trainStart), trainEnd: reading(.trainEnd)!, testStart: reading(.testStart)!,
                             testEnd: reading(.testEnd), embargoHours: embargoHours)
    }

    /// Throws when the embargo is shorter than a label horizon of `horizonSteps` steps of
    /// `stepSeconds`, naming the training rows whose labels would reach past `trainEnd`.
    public func checkEmbargo(horizonSteps: Int, stepSeconds: Int64 = 3600) throws {
        let (horizon, overflow) = Int64(horizonSteps).multipliedReportingOverflow(by: stepSeconds)
        guard horizonSteps >= 0, !overflow, horizon <= Int64(EntryPointOptions.maximumSteps) * 3600 * 24 * 366 else {
            throw RallyError("split: a label horizon of \(horizonSteps) steps of \(stepSeconds) s is beyond any split (at most \(EntryPointOptions.maximumSteps) steps)")
        }
        let embargo = Int64(embargoHours) * 3600
        guard embargo < horizon else { return }
        let firstBad = trainEnd - horizon + stepSeconds
        let lastBad = trainEnd - embargo
        throw RallyError("""
            split: embargo \(embargoHours) h is shorter than the label horizon \(horizon % 3600 == 0 ? "\(horizon / 3600) h" : TimeStamp.duration(horizon)): \
            training rows \(format(firstBad, like: .trainEnd)) .. \(format(lastBad, like: .trainEnd)) would have labels reading \
            past train_end \(format(trainEnd, like: .trainEnd)) (up to \(format(lastBad + horizon, like: .trainEnd))); use embargo >= \(Int(horizon / 3600))
            """)
    }

    /// The indices among `candidates` (ascending row indices into `timestamps`) that train, for a
    /// label looking `horizonSteps` rows ahead. Throws when the embargo is shorter than the horizon.
    public func trainRows(timestamps: [Int64], candidates: [Int], horizonSteps: Int, stepSeconds: Int64 = 3600) throws -> [Int] {
        try checkEmbargo(horizonSteps: horizonSteps, stepSeconds: stepSeconds)
        let lastRowTime = trainEnd - Int64(embargoHours) * 3600
        let n = timestamps.count
        return candidates.filter { i in
            let t = timestamps[i]
            if let trainStart, t < trainStart { return false }
            // the label reads row i + horizonSteps; compared without forming the sum, which may overflow
            return t <= lastRowTime && horizonSteps < n - i && timestamps[i + horizonSteps] <= trainEnd
        }
    }

    /// The indices among `candidates` that test: `testStart ≤ t < testEnd`.
    public func testRows(timestamps: [Int64], candidates: [Int]) -> [Int] {
        candidates.filter { i in
            let t = timestamps[i]
            return t >= testStart && (testEnd.map { t < $0 } ?? true)
        }
    }

    /// A one-line description: `train .. 2016-12-31 23:00 | test 2017-01-01 00:00 .. | embargo 24 h`.
    public var summary: String {
        let train = (text(.trainStart).map { $0 + " .. " } ?? ".. ") + text(.trainEnd)!
        return "train \(train) | test \(testPeriod) | embargo \(embargoHours) h"
    }

    /// The test period: `2017-01-01 00:00 .. 2018-01-01 00:00 (excl.)`, or `2017-01-01 00:00 ..`
    /// when it runs to the end of the data.
    public var testPeriod: String {
        text(.testStart)! + (text(.testEnd).map { " .. " + $0 + " (excl.)" } ?? " ..")
    }
}

/// Walk-forward folds: consecutive test periods of one step (a month or a year, or several),
/// each trained on what came before it — all history (expanding) or a fixed span (rolling).
public struct WalkForward: Sendable, Equatable {
    /// How far each fold's test period reaches.
    public enum Step: Sendable, Equatable {
        /// `n` calendar months.
        case months(Int)
        /// `n` calendar years.
        case years(Int)

        /// `t` moved forward by this step, keeping the time of day; the day is clamped to the month's length.
        public func advance(_ t: Int64, times k: Int = 1) -> Int64 {
            let c = TimeStamp.components(t)
            let months = (c.year * 12 + c.month - 1) + k * (self.monthCount)
            let y = TimeStamp.floorDivInt(months, 12), m = months - y * 12 + 1
            let d = min(c.day, TimeStamp.daysIn(year: y, month: m))
            return TimeStamp.make(year: y, month: m, day: d, hour: c.hour, minute: c.minute, second: c.second)
        }

        var monthCount: Int {
            switch self {
            case .months(let n): return n
            case .years(let n): return 12 * n
            }
        }
    }

    /// How much history each fold trains on.
    public enum Window: Sendable, Equatable {
        /// Everything before the fold (from `dataStart`).
        case expanding
        /// The last `Step` worth of history before the test period (e.g. `.years(2)`).
        case rolling(Step)
    }

    /// Start of the first test period.
    public var firstTestStart: Int64
    /// End of the data (exclusive): no test period starts at or after it; the last one is cut there.
    public var end: Int64
    /// Length of each test period, and the stride between folds.
    public var step: Step
    /// Training window.
    public var window: Window
    /// Embargo hours for every fold (see ``TimeSplit``).
    public var embargoHours: Int
    /// Seconds between rows; a fold's `trainEnd` is one step before its test start.
    public var stepSeconds: Int64

    /// Creates a generator; throws when the step is not positive or the first test start is not before `end`.
    public init(firstTestStart: Int64, end: Int64, step: Step, window: Window = .expanding, embargoHours: Int, stepSeconds: Int64 = 3600) throws {
        guard step.monthCount > 0 else { throw RallyError("walkforward: the step must be at least one month") }
        if case .rolling(let span) = window, span.monthCount <= 0 {
            throw RallyError("walkforward: a rolling window must span at least one month")
        }
        guard firstTestStart < end else {
            throw RallyError("walkforward: first test start \(TimeStamp.format(firstTestStart)) is not before the end of the data \(TimeStamp.format(end))")
        }
        self.firstTestStart = firstTestStart
        self.end = end
        self.step = step
        self.window = window
        self.embargoHours = embargoHours
        self.stepSeconds = stepSeconds
    }

    /// The folds, in time order: fold k tests `[start_k, start_{k+1})` (the last one ends at `end`) and
    /// trains up to one row step before `start_k`.
    public func folds() throws -> [TimeSplit] {
        var out: [TimeSplit] = []
        var k = 0
        while true {
            let start = step.advance(firstTestStart, times: k)
            guard start < end else { break }
            let next = min(step.advance(firstTestStart, times: k + 1), end)
            var trainStart: Int64?
            if case .rolling(let span) = window {
                trainStart = span.advance(start, times: -1)
            }
            out.append(try TimeSplit(trainStart: trainStart, trainEnd: start - stepSeconds, testStart: start,
                                     testEnd: next, embargoHours: embargoHours))
            k += 1
        }
        return out
    }
}

extension TimeStamp {
    /// Floor division on `Int`.
    static func floorDivInt(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
