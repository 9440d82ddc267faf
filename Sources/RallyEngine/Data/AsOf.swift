/// When a forecast must have been published to be usable for a target interval: the decision
/// time of an as-of join, in the dataset's market time. Never later than the target interval's
/// start (a forecast published after its interval began is no forecast).
public enum DecisionTime: Sendable, Equatable, CustomStringConvertible {
    /// A clock time (minutes after local midnight) `daysBefore` market days before the target's
    /// day: PJM's day-ahead bids close at 10:00 the day before (`{at = "10:00", days_before = 1}`).
    case clock(minute: Int, daysBefore: Int)
    /// A fixed lead before the target interval's start (`{lead = "24h"}`): with a feature
    /// horizon of the same length, the forecast is known at the row that reads it.
    case lead(seconds: Int64)

    /// The decision time for the interval starting at `target`, in `zone`'s local time (the
    /// wall clock's readings as they are).
    public func time(for target: Int64, zone: MarketZone) -> Int64 {
        let decided: Int64
        switch self {
        case .clock(let minute, let daysBefore):
            let day = TimeStamp.floorDiv(zone.local(target), TimeStamp.day) - Int64(daysBefore)
            decided = zone.instant(local: day * TimeStamp.day + Int64(minute) * 60, latest: false)
        case .lead(let seconds):
            decided = target - seconds
        }
        return min(decided, target)
    }

    /// `10:00, 1 day before the target's day (market time)` or `24 h before the target`.
    public var description: String {
        switch self {
        case .clock(let minute, let days):
            let clock = String(format: "%02d:%02d", minute / 60, minute % 60)
            return days == 0 ? "\(clock) of the target's day (market time)" : "\(clock), \(days) day\(days == 1 ? "" : "s") before the target's day (market time)"
        case .lead(let seconds): return "\(TimeStamp.duration(seconds)) before the target"
        }
    }
}

/// An as-of join of forecast vintages onto a dataset: each row (a target interval) gets the
/// values of the latest vintage published no later than the row's decision time, never a later
/// one; rows with no such vintage get NaN and are counted in the dataset's report. The joined
/// columns remember when their values were published (``Dataset/published``), so features never
/// read a value published after their row (``FeatureSpec/build(on:labels:)``).
///
/// One sort (``Vintages`` is held sorted) and one merge pass over the rows; a row's vintages
/// are found by binary search among its target's records.
public struct AsOfJoin: Sendable {
    /// When a vintage must have been published.
    public var decision: DecisionTime
    /// The columns attached: the dataset's name for each, and the vintages' column it takes.
    public var columns: [(name: String, source: String)]

    /// A join at `decision` of `columns` (all the vintages' columns under their own names when empty).
    public init(decision: DecisionTime, columns: [(name: String, source: String)] = []) {
        self.decision = decision
        self.columns = columns
    }

    /// The options of `rally.asof`.
    public static let schema = OptionSchema("asof", summary: """
        rally.asof(ds, vintages, {at = "10:00", days_before = 1 | lead = "24h" [, columns = {name = vintage column, ...}]}) -- a copy
        of Dataset ds with the vintages' columns attached: each row (a target interval) gets the latest vintage published no later
        than its decision time (market time: at = "HH:MM" on the day days_before market days before the row's day, or lead before
        the row's time; never after the row's start). Rows with no such vintage get nil and are counted: returns the Dataset and
        that count (ds:report() says which rows). Features never read a joined value published after their row.
        """, [
        OptionDeclaration("at", .nonEmptyText, doc: "the decision's clock time in market time, \"HH:MM\" (or lead)"),
        OptionDeclaration("days_before", .integer(0...366), default: .number(1),
                          doc: "market days between the decision and the target's day (with at; 1: the day before)"),
        OptionDeclaration("lead", .steps(0...EntryPointOptions.maximumSteps),
                          doc: "the decision this long before each row's time: steps or a duration such as \"24h\" (or at)"),
        OptionDeclaration("columns", kind: .table("{name = vintage column, ...}"),
                          doc: "the columns to attach and their names in the dataset (default: every column, as named)"),
    ])

    /// The join of `rally.asof`'s decoded options; `lead` in steps needs the data's step
    /// (`stepSeconds`). Errors name the option.
    public init(_ values: OptionValues, columns: [(name: String, source: String)], stepSeconds: Int64?) throws {
        switch (values.string("at"), values.stepCount("lead")) {
        case (let at?, nil):
            let parts = at.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let h = Int(parts[0]), let m = Int(parts[1]),
                  (0...23).contains(h), (0...59).contains(m) else {
                throw RallyError("a clock time \"HH:MM\" expected, got \(JSONText.string(at))", option: "at")
            }
            self.init(decision: .clock(minute: h * 60 + m, daysBefore: values.integer("days_before")!), columns: columns)
        case (nil, .span(let span)?):
            self.init(decision: .lead(seconds: span.seconds), columns: columns)
        case (nil, .steps(let n)?):
            guard let stepSeconds else { throw RallyError("a lead in steps needs a regular dataset; give a duration such as \"24h\"", option: "lead") }
            let (seconds, overflow) = Int64(n).multipliedReportingOverflow(by: stepSeconds)
            guard !overflow else { throw RallyError("\(n) steps of \(TimeStamp.duration(stepSeconds)) is beyond any clock", option: "lead") }
            self.init(decision: .lead(seconds: seconds), columns: columns)
        case (nil, nil):
            throw RallyError("give the decision time: at = \"HH:MM\" (with days_before) or lead = \"24h\"", option: "at")
        case (_?, _?):
            throw RallyError("give either at (with days_before) or lead, not both", option: "lead")
        }
    }

    /// What the join did to one dataset.
    public struct Outcome: Sendable {
        /// The dataset with the columns attached.
        public var dataset: Dataset
        /// Rows that got no vintage (NaN in every joined column).
        public var missing: Int
    }

    /// `dataset` with the vintages' columns joined as of each row's decision time. Throws when
    /// a column is unknown or already in the dataset, or one side's times are wall-clock
    /// readings and the other's UTC instants.
    public func apply(_ vintages: Vintages, to dataset: Dataset) throws -> Outcome {
        guard dataset.zone.isWallClock == vintages.zone.isWallClock else {
            let (naive, side) = dataset.zone.isWallClock ? ("data", "vintages") : ("vintages", "data")
            throw RallyError("asof: the \(naive) have wall-clock times but the \(side) have UTC instants: give the \(naive) a zone (rally.load(path, {zone = \"America/New_York\"}))")
        }
        let chosen = columns.isEmpty ? vintages.names.map { (name: $0, source: $0) } : columns
        let sources = try chosen.map { c -> Int in
            guard let j = vintages.names.firstIndex(of: c.source) else {
                throw RallyError("no column '\(c.source)' in the vintages (columns: \(vintages.names.joined(separator: ", ")))", option: "columns")
            }
            guard dataset.column(named: c.name) == nil else {
                throw RallyError("the dataset already has a column '\(c.name)'; name the joined one differently, columns = {new_name = \"\(c.source)\"}", option: "columns")
            }
            return j
        }
        let n = dataset.count
        var values = [[Double]](repeating: [Double](repeating: .nan, count: n), count: sources.count)
        var publishedAt = [Int64](repeating: Int64.min, count: n)
        var noTarget: [Int] = [], tooLate: [Int] = []
        var v = 0
        let m = vintages.count
        for (i, t) in dataset.timestamps.enumerated() {
            if i % 16384 == 0 { try Cancellation.check() }
            while v < m && vintages.targets[v] < t { v += 1 }
            var end = v
            while end < m && vintages.targets[end] == t { end += 1 }
            guard end > v else { noTarget.append(i); continue }
            let chosenRecord = Self.latest(vintages.published, in: v..<end, notAfter: decision.time(for: t, zone: dataset.zone))
            v = end
            guard let k = chosenRecord else { tooLate.append(i); continue }
            publishedAt[i] = vintages.published[k]
            for (c, j) in sources.enumerated() { values[c][i] = vintages.columns[j][k] }
        }
        var out = dataset
        for (c, column) in chosen.enumerated() {
            out.names.append(column.name)
            out.columns.append(values[c])
            out.published[column.name] = publishedAt
        }
        out.report.notes.append(note(chosen.map(\.name), rows: n, noTarget: noTarget, tooLate: tooLate, zone: dataset.zone,
                                     times: dataset.timestamps))
        return Outcome(dataset: out, missing: noTarget.count + tooLate.count)
    }

    /// The last index in `range` whose publish time is at most `decision` (times ascending), or nil.
    private static func latest(_ published: [Int64], in range: Range<Int>, notAfter decision: Int64) -> Int? {
        var lo = range.lowerBound, hi = range.upperBound
        while lo < hi {
            let mid = (lo + hi) / 2
            if published[mid] <= decision { lo = mid + 1 } else { hi = mid }
        }
        return lo > range.lowerBound ? lo - 1 : nil
    }

    private func note(_ names: [String], rows: Int, noTarget: [Int], tooLate: [Int], zone: MarketZone, times: [Int64]) -> String {
        var text = "asof: joined \(names.joined(separator: ", ")) from forecast vintages published by \(decision)"
        if noTarget.isEmpty && tooLate.isEmpty { return text + "; every row has one" }
        if let first = noTarget.first {
            text += "; \(noTarget.count) of \(rows) rows have no vintage for their interval (first \(zone.format(times[first]))): missing"
        }
        if let first = tooLate.first {
            text += "; \(tooLate.count) of \(rows) rows have only vintages published after their decision time (first \(zone.format(times[first]))): missing"
        }
        return text
    }
}
