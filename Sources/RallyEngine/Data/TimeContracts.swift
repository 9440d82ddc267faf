/// What to do with rows that share a timestamp.
public enum DuplicatePolicy: String, Sendable, CaseIterable {
    /// Keep the first row (in file order).
    case first
    /// Keep the last row (in file order).
    case last
    /// Average the rows, column by column, over their non-missing values.
    case mean
}

/// How to fill the missing steps of a gap.
public enum FillPolicy: String, Sendable, CaseIterable {
    /// Repeat the row before the gap.
    case ffill
    /// Interpolate linearly in time between the rows around the gap.
    case interpolate
}

/// The US daylight-saving changes of Eastern Prevailing Time (PJM's local clock), as the tz
/// database's `America/New_York` has them (since 2007: 02:00 to 03:00 on the second Sunday of
/// March, 02:00 back to 01:00 on the first Sunday of November; earlier years as they were).
/// Used by `dst = "us"` on naive wall-clock files; a dataset with a zone needs no repair.
public enum USDaylightSaving {
    /// `America/New_York`, read once; nil when the tz database is not installed.
    static let rules: TimeZoneRules? = try? TimeZoneRules.load(MarketZone.pjmZoneName)

    /// The rules, or the error saying why they cannot be read.
    static func requireRules() throws -> TimeZoneRules {
        if let rules { return rules }
        return try TimeZoneRules.load(MarketZone.pjmZoneName)
    }

    /// The clock changes whose local readings start in `year`.
    private static func changes(year: Int) -> [TimeZoneRules.ClockChange] {
        guard let rules else { return [] }
        let from = TimeStamp.make(year: year, month: 1, day: 1) - TimeStamp.day
        let through = TimeStamp.make(year: year + 1, month: 1, day: 1) + TimeStamp.day
        return rules.changes(from: from, through: through).filter { TimeStamp.components($0.localReadings.lowerBound).year == year }
    }

    /// The naive timestamp of the first local reading the clocks skip in `year` (02:00 on the
    /// spring day), or nil (no change that year, or no tz database).
    public static func missingHour(year: Int) -> Int64? {
        changes(year: year).first(where: \.skips)?.localReadings.lowerBound
    }

    /// The naive timestamp of the first local reading the clocks repeat in `year` (01:00 on the
    /// autumn day), or nil.
    public static func repeatedHour(year: Int) -> Int64? {
        changes(year: year).first { !$0.skips }?.localReadings.lowerBound
    }

    /// Whether an hour starting at `t` is the missing spring hour of its year.
    public static func isMissingHour(_ t: Int64) -> Bool { t == missingHour(year: TimeStamp.components(t).year) }

    /// Whether an hour starting at `t` is the repeated autumn hour of its year.
    public static func isRepeatedHour(_ t: Int64) -> Bool { t == repeatedHour(year: TimeStamp.components(t).year) }
}

/// The rules that keep a time series honest, applied after reading and before a `Dataset` exists:
/// time order, unique timestamps, gaps. Each violation is an error unless the caller asked for a
/// repair, and every repair (and every gap left open) becomes a line of the load report.
public struct TimeContracts: Sendable {
    /// Sort rows into time order (otherwise out-of-order rows are an error).
    public var sort = false
    /// How to merge rows with the same timestamp (nil: duplicates are an error).
    public var duplicates: DuplicatePolicy?
    /// How to fill gaps (nil: gaps are reported and left as they are).
    public var fill: FillPolicy?
    /// The clock is US Eastern Prevailing Time: fill the missing spring hour by interpolation and
    /// average the two rows of the repeated autumn hour (other gaps and duplicates still follow
    /// `fill` and `duplicates`).
    public var usDaylightSaving = false
    /// The most rows `fill` (and `dst = "us"`) may add to a load; a larger fill is an error naming
    /// the widest gap, so a stray timestamp years away cannot make millions of rows.
    public var fillLimit = TimeContracts.defaultFillLimit
    /// ``fillLimit``'s default: 10,000 rows (a gap of about 14 months of hours).
    public static let defaultFillLimit = 10_000
    /// The largest ``fillLimit`` accepted: 50 million rows.
    public static let maxFillLimit = 50_000_000

    /// Creates contracts; the defaults repair nothing.
    public init(sort: Bool = false, duplicates: DuplicatePolicy? = nil, fill: FillPolicy? = nil, usDaylightSaving: Bool = false) {
        self.sort = sort
        self.duplicates = duplicates
        self.fill = fill
        self.usDaylightSaving = usDaylightSaving
    }

    /// The rows of a table being checked: times and columns as read, and where each row came from.
    public struct Table {
        /// Times, in read order.
        public var timestamps: [Int64]
        /// Columns aligned with `timestamps`.
        public var columns: [[Double]]
        /// Where the table came from, e.g. `data.csv`.
        public var source: String
        /// The line of the source that row `i` (in read order) came from.
        public var line: (Int) -> Int
        /// The clock of `timestamps`, for messages (local times with offsets when not the wall clock).
        public var zone = MarketZone.wallClock

        /// Creates a table.
        public init(timestamps: [Int64], columns: [[Double]], source: String, line: @escaping (Int) -> Int) {
            self.timestamps = timestamps
            self.columns = columns
            self.source = source
            self.line = line
        }

        /// `source:line` of row `i` (in read order).
        func location(_ i: Int) -> String { "\(source):\(line(i))" }
    }

    /// Checks and (where asked) repairs `table`; returns the repaired times and columns and appends
    /// one note per finding or repair to `notes`.
    public func apply(_ table: Table, notes: inout [String]) throws -> (timestamps: [Int64], columns: [[Double]]) {
        guard (0...Self.maxFillLimit).contains(fillLimit) else {
            throw RallyError("fill_limit must be between 0 and \(Self.maxFillLimit) rows, got \(fillLimit)")
        }
        if usDaylightSaving {
            guard table.zone.isWallClock else {
                throw RallyError("\(table.source): dst = \"us\" repairs naive Eastern wall-clock times; these times are instants (zone \(table.zone.name)), which have no missing or repeated hours")
            }
            _ = try USDaylightSaving.requireRules()
        }
        var t = table.timestamps
        var cols = table.columns
        var origin: [Int]?
        try enforceOrder(table, &t, &cols, &origin, &notes)
        try Cancellation.check()
        try mergeDuplicates(table, &t, &cols, origin, &notes)
        try Cancellation.check()
        try fillGaps(table, &t, &cols, &notes)
        return (t, cols)
    }

    // MARK: order

    private func enforceOrder(_ table: Table, _ t: inout [Int64], _ cols: inout [[Double]], _ origin: inout [Int]?, _ notes: inout [String]) throws {
        var backwards = 0
        var first: Int?
        for i in t.indices.dropFirst() where t[i] < t[i - 1] {
            backwards += 1
            if first == nil { first = i }
        }
        guard let first else {
            if sort { notes.append("sort = true: the rows were already in time order") }
            return
        }
        guard sort else {
            throw RallyError("""
                \(table.location(first)): rows are not in time order: \(table.zone.format(t[first])) comes after \
                \(table.zone.format(t[first - 1])) (\(table.location(first - 1))); pass sort = true to sort them
                """)
        }
        let order = t.indices.sorted { t[$0] != t[$1] ? t[$0] < t[$1] : $0 < $1 }
        t = order.map { t[$0] }
        cols = cols.map { c in order.map { c[$0] } }
        origin = order
        notes.append("sorted the rows into time order (sort = true): time went backwards at \(backwards) place\(backwards == 1 ? "" : "s"), first at \(table.location(first))")
    }

    // MARK: duplicates

    private func mergeDuplicates(_ table: Table, _ t: inout [Int64], _ cols: inout [[Double]], _ origin: [Int]?, _ notes: inout [String]) throws {
        let at = { (i: Int) in origin.map { $0[i] } ?? i }
        // groups of equal timestamps: (first row, row count)
        var groups: [(start: Int, count: Int)] = []
        var i = 1
        while i < t.count {
            if t[i] == t[i - 1] {
                var j = i
                while j + 1 < t.count && t[j + 1] == t[i] { j += 1 }
                groups.append((i - 1, j - i + 2))
                i = j + 1
            } else {
                i += 1
            }
        }
        guard !groups.isEmpty else { return }
        let lines = { (g: (start: Int, count: Int)) in
            (g.start..<(g.start + min(g.count, 5))).map { String(table.line(at($0))) }.joined(separator: ", ")
                + (g.count > 5 ? ", ... (\(g.count) rows)" : "")
        }
        let dstGroups = usDaylightSaving ? groups.filter { $0.count == 2 && USDaylightSaving.isRepeatedHour(t[$0.start]) } : []
        let otherGroups = groups.filter { g in !dstGroups.contains { $0.start == g.start } }
        if !otherGroups.isEmpty && duplicates == nil {
            let shown = otherGroups.prefix(5).map { "\(table.zone.format(t[$0.start])) (lines \(lines($0)))" }
            let firstLine = (otherGroups[0].start..<(otherGroups[0].start + otherGroups[0].count)).map { table.line(at($0)) }.min() ?? 1
            var message = "\(table.source):\(firstLine): duplicate timestamps: \(shown.joined(separator: ", "))"
            if otherGroups.count > 5 { message += ", ... (\(otherGroups.count) in all)" }
            message += "; pass duplicates = \"first\", \"last\" or \"mean\""
            if table.zone.isWallClock, let dst = otherGroups.first(where: { USDaylightSaving.isRepeatedHour(t[$0.start]) }) {
                message += " (\(table.zone.format(t[dst.start])) is the US autumn daylight-saving repeat: dst = \"us\" averages it)"
            }
            throw RallyError(message)
        }
        var policyFor: [Int: DuplicatePolicy] = [:]
        for g in dstGroups { policyFor[g.start] = .mean }
        if let duplicates { for g in otherGroups { policyFor[g.start] = duplicates } }
        var keep = [Bool](repeating: true, count: t.count)
        for g in groups {
            let rows = g.start..<(g.start + g.count)
            let target: Int
            switch policyFor[g.start]! {
            case .first: target = g.start
            case .last:
                target = rows.upperBound - 1
            case .mean:
                target = g.start
                for c in cols.indices {
                    var sum = 0.0, n = 0
                    for r in rows where !cols[c][r].isNaN { sum += cols[c][r]; n += 1 }
                    cols[c][target] = n > 0 ? sum / Double(n) : .nan
                }
            }
            for r in rows where r != target { keep[r] = false }
        }
        if !dstGroups.isEmpty {
            notes.append("dst = \"us\": averaged the two rows of the autumn repeated hour at " +
                         dstGroups.map { "\(table.zone.format(t[$0.start])) (lines \(lines($0)))" }.joined(separator: ", "))
        }
        if !otherGroups.isEmpty, let duplicates {
            let removed = otherGroups.reduce(0) { $0 + $1.count - 1 }
            let shown = otherGroups.prefix(5).map { "\(table.zone.format(t[$0.start])) (lines \(lines($0)))" }
            notes.append("duplicates = \"\(duplicates.rawValue)\": merged \(otherGroups.count) duplicated timestamp\(otherGroups.count == 1 ? "" : "s") (\(removed) row\(removed == 1 ? "" : "s") removed): "
                         + shown.joined(separator: ", ") + (otherGroups.count > 5 ? ", ..." : ""))
        }
        t = t.indices.filter { keep[$0] }.map { t[$0] }
        cols = cols.map { c in c.indices.filter { keep[$0] }.map { c[$0] } }
    }

    // MARK: gaps

    private func fillGaps(_ table: Table, _ t: inout [Int64], _ cols: inout [[Double]], _ notes: inout [String]) throws {
        let index = TimeIndex(t)
        guard let step = index.stepSeconds else { return }
        if index.irregularSpacings > 0 {
            notes.append("\(index.irregularSpacings) spacing\(index.irregularSpacings == 1 ? " is" : "s are") not a whole number of \(TimeStamp.duration(step)) steps (left as they are)")
        }
        guard !index.gaps.isEmpty else { return }
        let isDST = { (g: TimeIndex.Gap) in table.zone.isWallClock && step == 3600 && g.missingSteps == 1 && USDaylightSaving.isMissingHour(g.after + step) }
        let describe = { (gs: [TimeIndex.Gap]) -> String in
            let shown = gs.prefix(5).map { g in
                "\(table.zone.format(g.after + step)) (\(g.missingSteps) step\(g.missingSteps == 1 ? "" : "s")\(isDST(g) ? ", US spring daylight-saving hour" : ""))"
            }
            return shown.joined(separator: ", ") + (gs.count > 5 ? ", ... (\(gs.count) in all)" : "")
        }
        let dstGaps = usDaylightSaving ? index.gaps.filter(isDST) : []
        let otherGaps = index.gaps.filter { g in !dstGaps.contains(g) }
        var toFill: [(TimeIndex.Gap, FillPolicy)] = dstGaps.map { ($0, .interpolate) }
        if let fill { toFill += otherGaps.map { ($0, fill) } }
        if !dstGaps.isEmpty {
            notes.append("dst = \"us\": interpolated the missing spring hour at " + dstGaps.map { table.zone.format($0.after + step) }.joined(separator: ", "))
        }
        if !otherGaps.isEmpty {
            let missing = otherGaps.reduce(0) { $0 + $1.missingSteps }
            let what = "\(otherGaps.count) gap\(otherGaps.count == 1 ? "" : "s"), \(missing) missing \(TimeStamp.duration(step)) step\(missing == 1 ? "" : "s")"
            if let fill {
                notes.append("fill = \"\(fill.rawValue)\": filled \(what): \(describe(otherGaps))")
            } else {
                notes.append("\(what), not filled (fill = \"ffill\" or \"interpolate\" fills them): \(describe(otherGaps))")
            }
        }
        guard !toFill.isEmpty else { return }
        let added = toFill.reduce(0) { $0 + $1.0.missingSteps }
        if added > fillLimit, let widest = toFill.max(by: { $0.0.missingSteps < $1.0.missingSteps })?.0 {
            let row = table.timestamps.firstIndex(of: widest.before) ?? 0
            throw RallyError("""
                \(table.location(row)): fill would add \(added) rows, more than fill_limit = \(fillLimit); the widest gap is \
                \(widest.missingSteps) missing \(TimeStamp.duration(step)) steps, from \(table.zone.format(widest.after)) to \
                \(table.zone.format(widest.before)) (a wrong timestamp?); \(added <= Self.maxFillLimit
                    ? "raise fill_limit (at most \(Self.maxFillLimit)) to fill it" : "no fill_limit allows that many (at most \(Self.maxFillLimit))")
                """)
        }
        let policy = Dictionary(uniqueKeysWithValues: toFill.map { ($0.0.after, $0.1) })
        var nt: [Int64] = []
        nt.reserveCapacity(t.count + added)
        var nc = cols.map { c -> [Double] in var a = [Double](); a.reserveCapacity(c.count + added); return a }
        for i in t.indices {
            nt.append(t[i])
            for c in cols.indices { nc[c].append(cols[c][i]) }
            guard i + 1 < t.count, let how = policy[t[i]] else { continue }
            let span = Double(t[i + 1] - t[i])
            var s = t[i] + step
            while s < t[i + 1] {
                nt.append(s)
                let w = Double(s - t[i]) / span
                for c in cols.indices {
                    let a = cols[c][i], b = cols[c][i + 1]
                    nc[c].append(how == .ffill ? a : a + w * (b - a))
                }
                s += step
            }
        }
        t = nt
        cols = nc
    }
}
