/// Reads a CSV file of forecast vintages into ``Vintages``, recognised from its header: a
/// target interval start, a publish time, then value columns. The layouts:
///
/// - gridstatus load forecasts as the Python library gives them: `Interval Start, Interval End,
///   Publish Time, Load Forecast, <area columns>` (a `Time` column may lead), times with UTC
///   offsets (`2016-01-01 00:00:00-05:00`);
/// - the hosted API's snake_case: `interval_start_utc, interval_end_utc, publish_time_utc,
///   load_forecast, ...` (`*_local` columns are skipped).
///
/// Times with offsets are UTC instants, their zone inferred as ``ZoneReading`` does for
/// `rally.load` (PJM's `America/New_York` for gridstatus' US/Eastern offsets); naive times
/// stay on the wall clock. Every other column must hold numbers (empty: missing).
enum VintageReader {
    /// Target and publish-time column names, in the order tried.
    static let targetNames = ["Interval Start", "interval_start_utc"]
    static let publishNames = ["Publish Time", "publish_time_utc"]
    /// Time columns read past: the interval end, gridstatus' `Time`, local copies of UTC times.
    static let skippedNames: Set<String> = ["Interval End", "interval_end_utc", "Time", "interval_start_local",
                                            "interval_end_local", "publish_time_local"]

    /// Reads `path`.
    static func load(path: String, chunkSize: Int = 1 << 20) throws -> Vintages {
        var headerLine = 1
        do {
            let opened = try CSVReader.open(path: path, options: CSVOptions(), chunkSize: chunkSize, headerLine: &headerLine)
            return try read(path: path, opened)
        } catch let error as RallyError where error != .interrupted {
            throw RallyError(MessageText.bounded(CSVReader.located(error.message, path: path, headerLine: headerLine)))
        }
    }

    private static func read(path: String, _ opened: CSVReader.Opened) throws -> Vintages {
        let header = opened.header
        guard let target = targetNames.lazy.compactMap({ header.firstIndex(of: $0) }).first,
              let publish = publishNames.lazy.compactMap({ header.firstIndex(of: $0) }).first else {
            throw RallyError("\(path): not a file of forecast vintages: expected a target column (\(targetNames.joined(separator: " or "))) and a publish time column (\(publishNames.joined(separator: " or "))) (header: \(MessageText.headers(header)))")
        }
        let values = header.indices.filter { $0 != target && $0 != publish && !skippedNames.contains(header[$0]) }
        guard !values.isEmpty else { throw RallyError("\(path): no value columns besides the times (header: \(MessageText.headers(header)))") }
        var notes = opened.notes
        notes.append("recognised forecast vintages: target '\(header[target])', published '\(header[publish])', values \(values.map { "'\(header[$0])'" }.joined(separator: ", "))")
        var targets: [Int64] = [], published: [Int64] = [], offsets: [Int32] = [], lines = LineMap()
        var columns = [[Double]](repeating: [], count: values.count)
        var withOffsets: Bool?
        let scanner = opened.scanner
        try scanner.forEachRecord(in: opened.file, firstLine: opened.line, blank: {}) { b, line in
            guard scanner.fieldCount == opened.fieldCount else {
                throw RallyError("\(path):\(line): expected \(opened.fieldCount) fields as in the header, found \(scanner.fieldCount)")
            }
            lines.record(row: targets.count, line: line)
            for (field, into) in [(target, 0), (publish, 1)] {
                let text = scanner.text(b, field)
                let instant: TimeStamp.Instant
                do {
                    instant = try time(text, offsets: &withOffsets)
                } catch let e as RallyError {
                    throw RallyError("\(path):\(line):\(field + 1): column '\(header[field])': \(e.message)")
                }
                if into == 0 { targets.append(instant.utc); offsets.append(Int32(instant.offset)) } else { published.append(instant.utc) }
            }
            for (c, field) in values.enumerated() {
                let (s, e) = (scanner.starts[field], scanner.ends[field])
                if s == e { columns[c].append(.nan); continue }
                guard let x = NumberParser.parse(b, s, e, decimal: UInt8(ascii: ".")) else {
                    throw RallyError("\(path):\(line):\(field + 1): expected a number in column '\(header[field])', found \"\(MessageText.quote(b, s, e, limit: 40))\"")
                }
                columns[c].append(x)
            }
        }
        guard !targets.isEmpty else { throw RallyError("\(path): no data rows after the header") }
        let zone: MarketZone
        if withOffsets == true {
            let lineMap = lines
            let source = ZoneReading.Source(path: path) { lineMap.line(of: $0) }
            zone = try ZoneReading.instants(source, utc: targets, offsets: offsets, given: nil, notes: &notes)
        } else {
            zone = .wallClock
            notes.append("naive times: the vintages are on the wall clock")
        }
        var vintages = try Vintages(targets: targets, published: published, names: values.map { header[$0] }, columns: columns,
                                    zone: zone, report: LoadReport(source: path, notes: notes))
        vintages.report.notes.append("\(vintages.count) records: \(vintages.targetCount) target intervals, \(Format.number(Double(vintages.count) / Double(vintages.targetCount))) vintages per interval on average")
        return vintages
    }

    /// A time with a UTC offset, or a naive one (offset 0) — whichever the first time was.
    private static func time(_ text: String, offsets: inout Bool?) throws -> TimeStamp.Instant {
        if offsets == nil { offsets = (try? TimeStamp.parseInstant(text)) != nil }
        if offsets == true { return try TimeStamp.parseInstant(text) }
        return TimeStamp.Instant(utc: try TimeStamp.parse(text), offset: 0)
    }
}

extension Vintages {
    /// Whether `header` is a file of forecast vintages (``VintageReader``): a target interval
    /// start and a publish time column.
    public static func recognizes(_ header: [String]) -> Bool {
        VintageReader.targetNames.contains(where: header.contains) && VintageReader.publishNames.contains(where: header.contains)
    }

    /// Reads the forecast vintages of the CSV file at `path` (see ``VintageReader``).
    public static func load(path: String) throws -> Vintages { try VintageReader.load(path: path) }
}

extension VintageReader {
    /// The options of `rally.load_vintages` (none: the layout is recognised from the header).
    static let schema = OptionSchema("load_vintages", summary: """
        rally.load_vintages(path) -- reads a CSV file of forecast vintages (several forecasts of each interval, each with its
        publish time) into a Vintages object, recognised from the header: gridstatus load forecasts (Interval Start, Interval End,
        Publish Time, Load Forecast, <area columns>; or interval_start_utc, publish_time_utc, ...). Times with UTC offsets are
        instants (zone inferred as rally.load does, America/New_York for gridstatus); every other column holds numbers.
        v:columns(), v:report(), #v (records); join to a Dataset with rally.asof(ds, v, {...}).
        """, [])
}
