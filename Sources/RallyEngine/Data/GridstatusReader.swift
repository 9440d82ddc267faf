import Foundation

/// Pivots a gridstatus LMP export (long format: one row per location and interval) into a
/// multi-location dataset, keyed on the UTC interval start. Two header styles:
///
/// - the Python library's frames: `Time, Interval Start, Interval End, Market, Location Id,
///   Location Name, Location Short Name, Location Type, LMP, Energy, Congestion, Loss`, times
///   with offsets in US/Eastern (`2016-11-06 01:00:00-05:00`);
/// - the hosted API's snake_case: `interval_start_utc, interval_end_utc, market, location,
///   location_id, location_short_name, location_type, lmp, energy, congestion, loss` (with
///   `interval_start_local, interval_end_local` or without).
///
/// One market per file (`DAY_AHEAD_HOURLY`, `REAL_TIME_HOURLY`, `REAL_TIME_5_MIN`: a file mixing
/// them is refused naming them); the zone is PJM's `America/New_York` unless `zone` is given;
/// every location gets `price` (the chosen `component`, LMP by default) and the other three
/// components. Hourly and 5-minute files alike.
struct GridstatusReader {
    /// The columns of one header style.
    struct Layout {
        var style: String
        var start: String, market: String, id: String, name: String
        var components: [String]  // energy, congestion, loss, lmp
    }

    static let layouts = [
        Layout(style: "gridstatus frame", start: "Interval Start", market: "Market", id: "Location Id", name: "Location Name",
               components: ["Energy", "Congestion", "Loss", "LMP"]),
        Layout(style: "gridstatus API, snake_case", start: "interval_start_utc", market: "market", id: "location_id", name: "location",
               components: ["energy", "congestion", "loss", "lmp"]),
    ]

    let path: String
    let header: [String]
    let fieldCount: Int
    let options: CSVOptions
    let layout: Layout

    /// The layout `header` is in, if it is a gridstatus LMP export.
    static func layout(of header: [String]) -> Layout? {
        layouts.first { l in ([l.start, l.market, l.id, l.name] + l.components).allSatisfy(header.contains) }
    }

    private func index(_ name: String) -> Int { header.firstIndex(of: name)! }

    /// Reads the rest of `file` and returns the pivoted dataset.
    func read(file: ChunkedFile, scanner: CSVScanner, firstLine: Int, notes: [String]) throws -> Dataset {
        var notes = notes
        let start = index(layout.start), marketField = index(layout.market), idField = index(layout.id), nameField = index(layout.name)
        let prices = layout.components.map(index)
        let samples = try CSVReader.sample(path: path, file: file, scanner: scanner, limit: 50, firstLine: firstLine)
        let format = try options.format.map { try TimeFormat($0) }
            ?? TimeColumns.detect(path: path, name: layout.start, values: samples.compactMap { start < $0.count ? $0[start] : nil })
        notes.append("time column: '\(layout.start)' (\(format)), the interval start")
        var rows = LMPLongRows()
        var offsets: [Int32] = []
        var markets = MarketValues()
        var locations = LocationCache()
        var offset: Int32 = 0
        try scanner.forEachRecord(in: file, firstLine: firstLine, blank: {}) { b, line in
            let n = scanner.fieldCount
            if n == 1 && scanner.text(b, 0).isEmpty { return }
            guard n == fieldCount || (n == header.count + 1 && scanner.starts[header.count] == scanner.ends[header.count]) else {
                throw RallyError("\(path):\(line): expected \(header.count) fields as in the header, found \(n)\(CSVReader.delimiterNote(options))")
            }
            let (ts, te) = CSVScanner.trimmed(b, scanner.starts[start], scanner.ends[start])
            guard let t = format.parse(b, ts, te, offset: &offset) else {
                throw RallyError("\(path):\(line):\(start + 1): expected a time like \(format)\(options.format != nil ? " (format = \"\(format)\")" : "") in column '\(layout.start)', found \"\(MessageText.quote(b, scanner.starts[start], scanner.ends[start], limit: 40))\"")
            }
            markets.note(b, scanner.starts[marketField], scanner.ends[marketField], line: line)
            let location = locations.index(b, scanner, idField: idField, nameField: nameField, rows: &rows)
            var values = (Double.nan, Double.nan, Double.nan, Double.nan)
            for (j, field) in prices.enumerated() {
                let (s, e) = CSVScanner.trimmed(b, scanner.starts[field], scanner.ends[field])
                guard s < e else { continue }
                guard let v = NumberParser.parse(b, s, e, decimal: options.decimal), !v.isInfinite else {
                    throw RallyError("\(path):\(line):\(field + 1): expected a number in column '\(header[field])', found \"\(MessageText.quote(b, scanner.starts[field], scanner.ends[field], limit: 40))\"")
                }
                switch j {
                case 0: values.0 = v
                case 1: values.1 = v
                case 2: values.2 = v
                default: values.3 = v
                }
            }
            rows.append(time: t, location: location, prices: values, line: line)
            if format.hasOffset { offsets.append(offset) }
        }
        guard !rows.time.isEmpty else { throw RallyError("\(path): no data rows after the header") }
        try markets.check(path: path, column: layout.market, notes: &notes)
        notes.append("read \(rows.time.count) long rows for \(rows.ids.count) location\(rows.ids.count == 1 ? "" : "s"): " + rows.listed(12))
        let zone = try self.zone(&rows.time, offsets: format.hasOffset ? offsets : nil, format: format, lines: rows.line, notes: &notes)
        let kept = Array(rows.time.indices)
        rows.checkComponents(kept: kept, format: zone.format, notes: &notes)
        let selection = try rows.select(path: path, options: options, noun: "location")
        let component = options.component ?? .total
        let components = [component] + [LMPComponent.total, .energy, .congestion, .loss].filter { $0 != component }
        let pivot = try rows.pivot(path: path, kept: kept, selection: selection, components: components, format: zone.format)
        notes.append("pivoted per location on the UTC interval start: price = \(component.plainName) ('\(layout.components[[.energy, .congestion, .loss, .total].firstIndex(of: component)!])'), then " +
                     components.dropFirst().map(\.plainName).joined(separator: ", ") + " (columns <location>_<component>; ds:location(name) gives plain names)")
        return try pivot.dataset(path: path, options: options, zone: zone, noun: "location", unit: "intervals", notes: notes)
    }

    /// The dataset's zone (`zone`, else America/New_York), turning naive interval starts into
    /// instants: a `_utc` column's as UTC, a local column's as readings in the zone.
    private func zone(_ times: inout [Int64], offsets: [Int32]?, format: TimeFormat, lines: [Int], notes: inout [String]) throws -> MarketZone {
        let given = options.zone != nil
        let zone = try MarketZone.named(options.zone ?? MarketZone.pjmZoneName)
        let why = given ? "as given" : "PJM's, for a gridstatus export"
        let source = ZoneReading.Source(path: path) { lines[$0] }
        if let offsets { return try ZoneReading.instants(source, utc: times, offsets: offsets, given: zone, why: why, notes: &notes) }
        if layout.start.hasSuffix("_utc") {
            notes.append("zone: \(zone.name) (\(why)); the times of '\(layout.start)' have no offsets and are read as UTC, as the column's name says")
            return zone
        }
        try ZoneReading.localReadings(source, times: &times, zone: zone, why: why, notes: &notes)
        return zone
    }
}

/// The distinct values of a market column, with the first line of each, compared as bytes.
private struct MarketValues {
    private var first: [UInt8]?
    private var seen: [(text: String, line: Int)] = []

    mutating func note(_ b: UnsafePointer<UInt8>, _ s: Int, _ e: Int, line: Int) {
        let (s, e) = CSVScanner.trimmed(b, s, e)
        if let first, first.count == e - s, e == s || first.withUnsafeBufferPointer({ memcmp($0.baseAddress!, b + s, e - s) == 0 }) { return }
        let text = String(decoding: UnsafeBufferPointer(start: b + s, count: e - s), as: UTF8.self)
        if first == nil { first = Array(UnsafeBufferPointer(start: b + s, count: e - s)) }
        if !seen.contains(where: { $0.text == text }), seen.count < 20 { seen.append((text, line)) }
    }

    /// A note naming the market, or an error naming the markets a file mixes.
    func check(path: String, column: String, notes: inout [String]) throws {
        guard seen.count <= 1 else {
            throw RallyError("\(path):\(seen[1].line): the file mixes markets in column '\(column)': " +
                             seen.map { "\(MessageText.quote($0.text, limit: 40)) (first at line \($0.line))" }.joined(separator: ", ") +
                             "; a dataset holds one market: export or filter one (DAY_AHEAD_HOURLY, REAL_TIME_HOURLY, REAL_TIME_5_MIN)")
        }
        if let market = seen.first { notes.append("market: \(MessageText.quote(market.text, limit: 40))") }
    }
}

/// Location ids met so far, compared as bytes: rows usually cycle through the same locations,
/// so the one after the previous row's is tried first and a row costs one comparison.
private struct LocationCache {
    private var ids: [[UInt8]] = []
    private var last = -1

    mutating func index(_ b: UnsafePointer<UInt8>, _ scanner: CSVScanner, idField: Int, nameField: Int, rows: inout LMPLongRows) -> Int32 {
        let (s, e) = CSVScanner.trimmed(b, scanner.starts[idField], scanner.ends[idField])
        let plain = !scanner.escaped[idField]
        func matches(_ k: Int) -> Bool {
            ids[k].count == e - s && (e == s || ids[k].withUnsafeBufferPointer { memcmp($0.baseAddress!, b + s, e - s) == 0 })
        }
        if plain, e > s, !ids.isEmpty {
            let next = (last + 1) % ids.count
            if matches(next) { last = next; return Int32(next) }
            if let k = ids.indices.first(where: matches) { last = k; return Int32(k) }
        }
        let k = Int(rows.location(id: scanner.text(b, idField), name: scanner.text(b, nameField)))
        if k == ids.count { ids.append(plain ? Array(UnsafeBufferPointer(start: b + s, count: e - s)) : []) }
        last = k
        return Int32(k)
    }
}
