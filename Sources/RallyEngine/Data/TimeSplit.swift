/// A train/test split in time, with an embargo that keeps training labels out of the test period.
///
/// Bounds are timestamps on the dataset's clock (see ``TimeStamp``):
/// - a row at time `t` (index `i`) **trains** when `trainStart ≤ t` (if set), `t ≤ trainEnd − embargo`,
///   and its label, which reads row `i + horizonSteps`, reads a time `≤ trainEnd`;
/// - a row **tests** when `testStart ≤ t` and `t < testEnd` (if set; `testEnd` is exclusive).
///
/// The embargo (hours) must be at least the label horizon: otherwise the last training rows
/// would carry labels computed from prices after `trainEnd`, and ``trainRows(timestamps:candidates:horizonSteps:stepSeconds:)``
/// refuses with an error naming those rows. Protocol v1 uses `trainEnd = 2016-12-31 23:00`,
/// `testStart = 2017-01-01 00:00`, embargo 24 h, horizon 24 steps of one hour.
public struct TimeSplit: Sendable, Equatable {
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

    /// Creates a split; throws when the ranges are out of order or overlap.
    public init(trainStart: Int64? = nil, trainEnd: Int64, testStart: Int64, testEnd: Int64? = nil, embargoHours: Int) throws {
        guard (0...EntryPointOptions.maximumSteps).contains(embargoHours) else {
            throw RallyError("split: embargo must be 0 to \(EntryPointOptions.maximumSteps) hours, got \(embargoHours)")
        }
        if let trainStart, trainStart > trainEnd {
            throw RallyError("split: train_start \(TimeStamp.format(trainStart)) is after train_end \(TimeStamp.format(trainEnd))")
        }
        guard trainEnd < testStart else {
            throw RallyError("split: train period (.. \(TimeStamp.format(trainEnd))) overlaps the test period (\(TimeStamp.format(testStart)) ..): train_end must be before test_start")
        }
        if let testEnd, testEnd <= testStart {
            throw RallyError("split: test_end \(TimeStamp.format(testEnd)) is not after test_start \(TimeStamp.format(testStart))")
        }
        self.trainStart = trainStart
        self.trainEnd = trainEnd
        self.testStart = testStart
        self.testEnd = testEnd
        self.embargoHours = embargoHours
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
            training rows \(TimeStamp.format(firstBad)) .. \(TimeStamp.format(lastBad)) would have labels reading \
            past train_end \(TimeStamp.format(trainEnd)) (up to \(TimeStamp.format(lastBad + horizon))); use embargo >= \(Int(horizon / 3600))
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

    /// The split with its bounds, written as local times, turned into instants of `zone` (the
    /// split itself unchanged on the wall clock): the rows of a zoned dataset are compared
    /// with it. `train_end` takes the later instant of a repeated reading, the others the earlier.
    public func instants(in zone: MarketZone) -> TimeSplit {
        guard !zone.isWallClock else { return self }
        var out = self
        out.trainStart = trainStart.map { zone.instant(local: $0, latest: false) }
        out.trainEnd = zone.instant(local: trainEnd, latest: true)
        out.testStart = zone.instant(local: testStart, latest: false)
        out.testEnd = testEnd.map { zone.instant(local: $0, latest: false) }
        return out
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
        let train = (trainStart.map { TimeStamp.format($0) + " .. " } ?? ".. ") + TimeStamp.format(trainEnd)
        return "train \(train) | test \(testPeriod) | embargo \(embargoHours) h"
    }

    /// The test period: `2017-01-01 00:00 .. 2018-01-01 00:00 (excl.)`, or `2017-01-01 00:00 ..`
    /// when it runs to the end of the data.
    public var testPeriod: String {
        TimeStamp.format(testStart) + (testEnd.map { " .. " + TimeStamp.format($0) + " (excl.)" } ?? " ..")
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
