/// How a reader turns the times it read into a dataset's index and ``MarketZone``, and the
/// report lines that say what was assumed. Not a repair: a reading no zone can place is an
/// error naming its line.
///
/// - Times with UTC offsets are instants already: the zone is the one given, else one offset's
///   fixed zone, else the first of ``MarketZone/inferable`` whose rules give every row's offset.
/// - Naive times with a zone given are local readings in it: each becomes the instant it
///   names; a reading the clocks skip is an error; a reading they repeat is the earliest of its
///   instants after the previous row's (file order), or an error when no instant is.
/// - Naive times without a zone stay on the wall clock, as read.
enum ZoneReading {
    /// Where the rows came from, for messages.
    struct Source {
        var path: String
        var line: (Int) -> Int
    }

    /// The zone of times read with offsets (`utc` already UTC), checking a given zone against them.
    static func instants(_ source: Source, utc: [Int64], offsets: [Int32], given: MarketZone?, notes: inout [String]) throws -> MarketZone {
        let distinct = Set(offsets).sorted()
        let listed = MessageText.list(distinct.map { TimeStamp.offsetText(Int($0)) })
        if let given {
            let wrong = utc.indices.filter { given.offset(at: utc[$0]) != Int(offsets[$0]) }
            notes.append("zone: \(given.name) (as given); the times carry UTC offsets (\(listed)): the index is UTC instants")
            if let first = wrong.first {
                notes.append("\(wrong.count) row\(wrong.count == 1 ? "'s offset differs" : "s' offsets differ") from \(given.name)'s (first at line \(source.line(first)): \(TimeStamp.offsetText(Int(offsets[first]))) where the zone has \(TimeStamp.offsetText(given.offset(at: utc[first])))): the instants are as written, local times follow the zone")
            }
            return given
        }
        if distinct.count == 1 {
            let zone = MarketZone(.fixed(Int(distinct[0])))
            notes.append("zone: \(zone.name) (every time carries offset \(listed)): the index is UTC instants")
            return zone
        }
        for name in MarketZone.inferable {
            guard let zone = try? MarketZone.named(name) else { continue }
            if !utc.indices.contains(where: { zone.offset(at: utc[$0]) != Int(offsets[$0]) }) {
                notes.append("zone: \(name), assumed: the first of rally's market zones (\(MarketZone.inferable.joined(separator: ", "))) whose rules give every row's UTC offset (\(listed)); zone = \"...\" names another")
                return zone
            }
        }
        throw RallyError("\(source.path): the times carry several UTC offsets (\(listed)) and no market zone rally tries (\(MarketZone.inferable.joined(separator: ", "))) gives every one of them; name the zone with zone = \"Area/City\"")
    }

    /// Turns naive local readings in `zone` into UTC instants, in place (see the type's summary).
    static func localReadings(_ source: Source, times: inout [Int64], zone: MarketZone, notes: inout [String]) throws {
        switch zone.kind {
        case .wallClock: return
        case .fixed(let offset):
            for i in times.indices { times[i] -= Int64(offset) }
            notes.append("zone: \(zone.name) (as given): read the naive times as local readings at \(TimeStamp.offsetText(offset)); the index is UTC instants")
        case .rules(let rules):
            try resolve(source, &times, rules)
            notes.append("zone: \(zone.name) (as given): read the naive times as local readings in it; the index is UTC instants")
            if let first = times.min(), let last = times.max() {
                notes += rules.changes(from: first, through: last).map { describe($0, times: times, source: source) }
            }
        }
    }

    private static func resolve(_ source: Source, _ times: inout [Int64], _ rules: TimeZoneRules) throws {
        var previous: Int64?
        var previousRow = 0
        for i in times.indices {
            let local = times[i]
            switch rules.resolve(local: local) {
            case .unique(let t):
                times[i] = t
            case .skipped:
                throw RallyError("\(source.path):\(source.line(i)): \(TimeStamp.format(local)) does not exist in \(rules.name): the clocks skip it (spring forward); a row there is a mistake, or the file is not in \(rules.name)")
            case .repeated(let early, let late):
                if let previous, previous >= early {
                    guard previous < late else {
                        throw RallyError("\(source.path):\(source.line(i)): \(TimeStamp.format(local)) happens twice in \(rules.name) (at \(TimeStamp.offsetText(rules.offset(at: early))) and \(TimeStamp.offsetText(rules.offset(at: late)))), and file order cannot tell which this row is: the row before it (line \(source.line(previousRow))) is already at the second; give the times with offsets, or remove the extra row")
                    }
                    times[i] = late
                } else {
                    times[i] = early
                }
            }
            previous = times[i]
            previousRow = i
        }
    }

    /// The report line of one clock change within the data.
    private static func describe(_ change: TimeZoneRules.ClockChange, times: [Int64], source: Source) -> String {
        let readings = change.localReadings
        let span = "\(TimeStamp.format(readings.lowerBound).suffix(5))-\(TimeStamp.format(readings.upperBound).suffix(5))"
        let day = String(TimeStamp.format(readings.lowerBound).prefix(10))
        if change.skips {
            return "\(day): the clocks skip \(span) (spring forward): no rows there, and none expected (not a gap of the UTC index)"
        }
        let width = readings.upperBound - readings.lowerBound
        let first = times.indices.filter { times[$0] >= change.utc - width && times[$0] < change.utc }
        let second = times.indices.filter { times[$0] >= change.utc && times[$0] < change.utc + width }
        let lines = { (rows: [Int]) in rows.first.map { " from line \(source.line($0))" } ?? "" }
        return "\(day): the clocks repeat \(span) (fall back): told apart by file order, \(first.count) row\(first.count == 1 ? "" : "s") read at \(TimeStamp.offsetText(change.before))\(lines(first)), \(second.count) at \(TimeStamp.offsetText(change.after))\(lines(second))"
    }
}
