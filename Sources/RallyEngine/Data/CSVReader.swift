import Foundation

/// Reads a CSV file of hourly (or other regular) data into a ``Dataset``.
///
/// - The delimiter (`,` `;` tab) is detected from the header line; a UTF-8 byte-order mark is
///   skipped; LF, CRLF and CR line endings and blank lines are accepted; fields may be quoted
///   (`"a, b"`, `""` for a quote); headers are trimmed; a delimiter at the end of every line is ignored.
/// - The time column is detected (a header naming a date or time, else the first column whose
///   values fit a known layout, see ``TimeFormat``) or named; a date column followed by an hour
///   column is combined (see ``HourColumn``: hour beginning 0-23 or hour ending 1-24, detected or
///   given). Ambiguous layouts (`01/02/2013`) are refused unless `format` is given.
/// - Every other cell must be a number: an empty cell is a missing value (counted in the report);
///   any other text is an error naming `file:line:field`, the column and the text found.
/// - The ``TimeContracts`` then check order, duplicates and gaps.
/// - A PJM Data Miner 2 hourly LMP export or a gridstatus LMP export (long formats) is
///   recognised by its header and pivoted by ``DataMinerReader`` / ``GridstatusReader``.
/// - A first line of numbers and dates is data, not a header (``HeaderLine``); a leading
///   unnamed 0, 1, 2, ... column (pandas' index) is ignored.
///
/// Timestamps are UTC instants when the times carry offsets or `zone` is given, else naive
/// wall-clock readings of the file's clock (see ``TimeStamp``, ``ZoneReading``).
public enum CSVReader {
    /// The header of the shared PJM COMED benchmark file (Lago et al., 2021; the typo is theirs).
    public static let pjmComedHeader = ["Date", "Zonal COMED price", "System load forecast", "Zonal COMED load foecast"]
    /// The names its value columns load under.
    public static let pjmComedNames = ["price", "sys_load_fc", "zonal_load_fc"]

    /// Reads `path` with `options`.
    public static func load(path: String, options: CSVOptions = CSVOptions()) throws -> Dataset {
        try load(path: path, options: options, chunkSize: 1 << 20)
    }

    /// ``load(path:options:)`` reading `chunkSize` bytes at a time (tests use tiny chunks to
    /// exercise records that straddle reads).
    static func load(path: String, options: CSVOptions, chunkSize: Int) throws -> Dataset {
        var headerLine = 1
        do {
            return try read(path: path, options: options, chunkSize: chunkSize, headerLine: &headerLine)
        } catch let error as RallyError where error != .interrupted {
            throw RallyError(MessageText.bounded(located(error.message, path: path, headerLine: headerLine)))
        }
    }

    /// The most columns a file may have (fields per record, not counting a trailing delimiter).
    public static let maxColumns = 10_000
    /// The longest column name in a header, in bytes.
    public static let maxNameBytes = 1_000

    /// `message` naming `path:headerLine` when it names `path` but no line: the reader's messages
    /// without a line of their own are about the header (and the options that bear on it), except
    /// for an empty file, a file without data rows, and I/O errors.
    static func located(_ message: String, path: String, headerLine: Int) -> String {
        let prefix = path + ": "
        guard message.hasPrefix(prefix) else { return message }
        let rest = message.dropFirst(prefix.count)
        if rest.hasPrefix("the file is empty") || rest.hasPrefix("no data rows") { return message }
        return "\(path):\(headerLine): " + rest
    }

    /// A CSV file opened past its header: the header read (empty names replaced by `columnN`,
    /// positional names for a headerless file), the delimiter detected, and the report lines so
    /// far. Readers of every layout start here.
    struct Opened {
        let file: ChunkedFile
        let scanner: CSVScanner
        let header: [String]
        /// Fields per record as the header has them (a trailing empty field included).
        let fieldCount: Int
        /// The line of the first record after the header (of the first record for a headerless file).
        let line: Int
        let notes: [String]
        /// Whether the file has no header line (given, or detected: its first line is data).
        let headerless: Bool
        /// Whether the first header field was empty (a pandas row index, perhaps).
        let firstUnnamed: Bool
    }

    /// Opens `path` and reads its header (skipping a BOM and leading blank lines), setting
    /// `headerLine`. Throws for an empty or binary file and a malformed or oversized header.
    static func open(path: String, options: CSVOptions, chunkSize: Int, headerLine: inout Int) throws -> Opened {
        let file = try ChunkedFile(path: path, chunkSize: chunkSize)
        var notes: [String] = []
        try file.ensure(3)
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        if file.end - file.start >= 3 && (0..<3).allSatisfy({ file.buffer[file.start + $0] == bom[$0] }) {
            file.start += 3
            notes.append("skipped a UTF-8 byte-order mark")
        }
        var line = 1
        while true {
            try file.ensure(2)
            guard file.start < file.end, file.buffer[file.start] == CSVScanner.lf || file.buffer[file.start] == CSVScanner.cr else { break }
            if file.buffer[file.start] == CSVScanner.lf || file.start + 1 >= file.end || file.buffer[file.start + 1] != CSVScanner.lf { line += 1 }
            file.start += 1
        }
        try file.ensureLineBreak()
        if memchr(file.buffer + file.start, 0, file.end - file.start) != nil {
            throw RallyError("\(path): does not look like a text CSV file (a NUL byte near its start: binary data, or UTF-16 text, which rally does not read)")
        }
        let delimiter = options.delimiter ?? CSVScanner.detectDelimiter(file.buffer, from: file.start, end: file.end)
        notes.append("delimiter: \(delimiterName(delimiter))")
        let scanner = CSVScanner(delimiter: delimiter, maxFields: maxColumns + 1)
        headerLine = line
        var header: [String] = []
        let firstRecord = file.start
        scan: while true {
            switch scanner.scan(file.buffer, from: file.start, end: file.end, atEOF: file.atEOF) {
            case .record(let next, let lines):
                if let k = (0..<scanner.fieldCount).first(where: { scanner.ends[$0] - scanner.starts[$0] > maxNameBytes }) {
                    throw RallyError("\(path):\(headerLine):\(k + 1): header field \(k + 1) is \(scanner.ends[k] - scanner.starts[k]) bytes long; rally reads column names of at most \(maxNameBytes) bytes (\"\(MessageText.quote(file.buffer, scanner.starts[k], scanner.ends[k], limit: 40))\")\(delimiterNote(options))")
                }
                header = (0..<scanner.fieldCount).map { scanner.text(file.buffer, $0) }
                notes.append("line endings: \(lineEnding(file.buffer, before: next, start: file.start))")
                file.start = next
                line += lines
                break scan
            case .needMore: try file.refill()
            case .blank, .endOfInput: throw RallyError("\(path): the file is empty (no header line)")
            case .unterminatedQuote(let field): throw RallyError("\(path):\(headerLine):\(field): a quoted header never closes")
            case .textAfterQuote(let field): throw RallyError("\(path):\(headerLine):\(field): text after the closing quote of a quoted header")
            case .tooManyFields: throw RallyError("\(path):\(headerLine): the header has more than \(maxColumns) fields; rally reads at most \(maxColumns) columns\(delimiterNote(options))")
            }
        }
        let headerless = options.header.map { !$0 } ?? HeaderLine.isData(header, decimal: options.decimal)
        if headerless {
            file.start = firstRecord
            line = headerLine
            header = HeaderLine.positionalNames(header.count > 1 && header.last == "" ? header.count - 1 : header.count) + (header.last == "" && header.count > 1 ? [""] : [])
            notes.append(HeaderLine.note(given: options.header != nil, count: header.count - (header.last == "" ? 1 : 0)))
        }
        let fieldCount = header.count
        if header.count > maxColumns && !(header.count == maxColumns + 1 && header.last == "") {
            throw RallyError("\(path):\(headerLine): the header has \(header.count) fields; rally reads at most \(maxColumns) columns\(delimiterNote(options))")
        }
        if header.count > 1 && header.last == "" {
            header.removeLast()
            notes.append("the header ends with a delimiter: its empty last field is ignored")
        }
        let firstUnnamed = header.first == ""
        var unnamed: [String] = []
        for (k, name) in header.enumerated() where name.isEmpty {
            header[k] = "column\(k + 1)"
            unnamed.append(String(k + 1))
        }
        if unnamed.count == 1 {
            notes.append("header field \(unnamed[0]) is empty: named it 'column\(unnamed[0])'")
        } else if !unnamed.isEmpty {
            notes.append("\(unnamed.count) header fields are empty (\(MessageText.list(unnamed))): named them 'columnN' by their position")
        }
        return Opened(file: file, scanner: scanner, header: header, fieldCount: fieldCount, line: line, notes: notes,
                      headerless: headerless, firstUnnamed: firstUnnamed)
    }

    private static func read(path: String, options: CSVOptions, chunkSize: Int, headerLine: inout Int) throws -> Dataset {
        let opened = try open(path: path, options: options, chunkSize: chunkSize, headerLine: &headerLine)
        let (file, scanner, header, fieldCount, line) = (opened.file, opened.scanner, opened.header, opened.fieldCount, opened.line)
        let (headerless, firstUnnamed) = (opened.headerless, opened.firstUnnamed)
        var notes = opened.notes
        if !headerless, Vintages.recognizes(header) {
            throw RallyError("\(path): forecast vintages (several forecasts per interval, with their publish times): read them with rally.load_vintages(path)")
        }
        if !headerless, DataMinerReader.recognizes(header) {
            if let hours = options.hourConvention {
                throw RallyError("\(path): hours = \"\(hours.rawValue)\" is for a date column plus an hour column; a PJM Data Miner export is keyed on its datetime_beginning_utc column")
            }
            if options.time != nil {
                throw RallyError("\(path): time = ... names the time column of a wide file; a PJM Data Miner export is keyed on its datetime_beginning_utc column")
            }
            notes.append("recognised a PJM Data Miner 2 hourly LMP export (long format: one row per pnode and hour)")
            var reader = DataMinerReader(path: path, header: header, fieldCount: fieldCount, options: options)
            return try reader.read(file: file, scanner: scanner, firstLine: line, notes: notes)
        }
        if !headerless, let layout = GridstatusReader.layout(of: header) {
            if let hours = options.hourConvention {
                throw RallyError("\(path): hours = \"\(hours.rawValue)\" is for a date column plus an hour column; a gridstatus export is keyed on its '\(layout.start)' column")
            }
            if options.utcOffsetHours != nil {
                throw RallyError("\(path): utc_offset applies only to PJM Data Miner exports; a gridstatus export's zone is America/New_York unless zone = \"...\" names another")
            }
            if options.time != nil {
                throw RallyError("\(path): time = ... names the time column of a wide file; a gridstatus export is keyed on its '\(layout.start)' column")
            }
            notes.append("recognised a gridstatus LMP export (\(layout.style); long format: one row per location and interval)")
            return try GridstatusReader(path: path, header: header, fieldCount: fieldCount, options: options, layout: layout)
                .read(file: file, scanner: scanner, firstLine: line, notes: notes)
        }
        if let option = options.dataMinerOptionsGiven.first {
            throw RallyError("\(path): \(option) applies only to long LMP exports (PJM Data Miner, gridstatus), and this file is not one (header: \(MessageText.headers(header)))")
        }
        let samples = try sample(path: path, file: file, scanner: scanner, limit: 2000, firstLine: line)
        let index = HeaderLine.isPandasIndex(headerWasEmpty: firstUnnamed, samples: samples) && options.columns == nil && options.time == nil
        if index {
            notes.removeAll { $0.hasPrefix("header field 1 is empty") }
            notes.append("ignored column 1: no header and values 0, 1, 2, ... (a row index as pandas writes it)")
        }
        let time = try TimeColumns.resolve(path: path, header: header, samples: samples, options: options, headerLine: headerLine, headerless: headerless)
        notes.append(time.description(header))
        if headerless, let hour = time.hour, options.time == nil {
            notes.append("took \(header[hour.index]) for the hour of \(header[time.index])'s dates: whole numbers 0-24 covering a day, next to a date column without a header")
        }
        let (selected, published) = PublishedColumns.part(
            try valueColumns(path: path, header: header, time: time, ignored: index ? [0] : [], options: options, notes: &notes),
            samples: samples, decimal: options.decimal)
        var reader = RowReader(path: path, fieldCount: fieldCount, header: header, time: time, selected: selected, options: options,
                               published: published)
        let expected = expectedRows(path: path, file: file, samples: samples)
        try reader.read(file: file, scanner: scanner, firstLine: line, expectedRows: expected)
        notes += reader.notes()
        guard !reader.timestamps.isEmpty else { throw RallyError("\(path): no data rows after the header") }
        let lineMap = reader.lineMap
        var timestamps = reader.timestamps
        let zone = try readZone(path: path, timestamps: &timestamps, offsets: time.format.hasOffset ? reader.offsets : nil,
                                options: options, line: { lineMap.line(of: $0) }, notes: &notes)
        var table = TimeContracts.Table(timestamps: timestamps, columns: reader.values, source: path) { lineMap.line(of: $0) }
        table.zone = zone
        try Cancellation.check()
        let (checked, columns) = try options.contracts.apply(table, notes: &notes)
        var dataset = Dataset(timestamps: checked, names: selected.map(\.name), columns: columns, report: LoadReport(source: path, notes: notes), zone: zone)
        if !published.isEmpty {
            let names = published.map { PublishedColumns.name(of: $0.of) }
            guard checked == timestamps else {
                throw RallyError("\(path): columns \(names.joined(separator: ", ")) hold publish times, which rally keeps only for the rows as read; sort, duplicates, fill and dst repairs change the rows")
            }
            dataset.published = try PublishedColumns.timestamps(reader.publishedCells, columns: published, zone: zone, path: path) { lineMap.line(of: $0) }
            dataset.report.notes.append("publish times of \(published.map(\.of).joined(separator: ", ")) read from \(names.joined(separator: ", ")) (as rally.asof joined them: features read each value only once published)")
        }
        return dataset
    }

    /// The zone of the times read (`offsets`: their UTC offsets, nil for naive times), turning
    /// naive local readings into instants when a zone is given (see ``ZoneReading``).
    static func readZone(path: String, timestamps: inout [Int64], offsets: [Int32]?, options: CSVOptions,
                         line: @escaping (Int) -> Int, notes: inout [String]) throws -> MarketZone {
        let given = try options.zone.map { try MarketZone.named($0) }
        let source = ZoneReading.Source(path: path, line: line)
        if let offsets { return try ZoneReading.instants(source, utc: timestamps, offsets: offsets, given: given, notes: &notes) }
        guard let given else { return .wallClock }
        try ZoneReading.localReadings(source, times: &timestamps, zone: given, notes: &notes)
        return given
    }

    /// ` (delimiter = ";" was given)` when the options name a delimiter, for messages it may explain.
    static func delimiterNote(_ options: CSVOptions) -> String {
        options.delimiter.map { " (delimiter = \(delimiterName($0) == "tab" ? "\"\\t\"" : "\"" + String(UnicodeScalar($0)) + "\"") was given)" } ?? ""
    }

    static func delimiterName(_ d: UInt8) -> String {
        switch d {
        case 44: return "','"
        case 59: return "';'"
        case 9: return "tab"
        default: return "'\(String(decoding: [d], as: UTF8.self))'"
        }
    }

    private static func lineEnding(_ b: UnsafePointer<UInt8>, before next: Int, start: Int) -> String {
        guard next > start else { return "none" }
        if b[next - 1] == CSVScanner.lf { return next - 2 >= start && b[next - 2] == CSVScanner.cr ? "CRLF" : "LF" }
        return b[next - 1] == CSVScanner.cr ? "CR" : "none (a single line)"
    }

    /// Up to `limit` records after the header (within the first MiB), as text, without consuming
    /// them; throws on a malformed quote, naming its line (the first is `firstLine`).
    static func sample(path: String, file: ChunkedFile, scanner: CSVScanner, limit: Int, firstLine: Int) throws -> [[String]] {
        var out: [[String]] = []
        var pos = file.start
        var line = firstLine
        var fields = 0
        while out.count < limit && fields < 200_000 {
            switch scanner.scan(file.buffer, from: pos, end: file.end, atEOF: file.atEOF) {
            case .record(let next, let lines):
                let record = (0..<scanner.fieldCount).map { scanner.text(file.buffer, $0) }
                if !(record.count == 1 && record[0].isEmpty) { out.append(record) }
                fields += record.count
                pos = next
                line += lines
            case .blank(let next):
                pos = next
                line += 1
            case .needMore:
                guard out.isEmpty || file.end - file.start < 1 << 20 else { return out }
                let offset = pos - file.start
                try file.refill()
                pos = file.start + offset
            case .endOfInput:
                return out
            case .unterminatedQuote(let field):
                throw RallyError("\(path):\(line):\(field): a quoted field never closes")
            case .textAfterQuote(let field):
                throw RallyError("\(path):\(line):\(field): text after the closing quote of a quoted field")
            case .tooManyFields:
                throw RallyError("\(path):\(line): more than \(maxColumns) fields; rally reads at most \(maxColumns) columns")
            }
        }
        return out
    }

    /// The file size divided by the average sampled record length: a capacity hint.
    private static func expectedRows(path: String, file: ChunkedFile, samples: [[String]]) -> Int {
        guard !samples.isEmpty, let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else { return 1024 }
        let bytes = samples.reduce(0) { $0 + $1.reduce($1.count) { $0 + $1.utf8.count } }
        let perRow = max(1, bytes / samples.count)
        return size / perRow + size / perRow / 50 + 16
    }

    /// The value columns to read: the `columns` selection (renamed, in file order), the short
    /// names of a recognised layout, or every column that is not a time column.
    private static func valueColumns(path: String, header: [String], time: TimeColumns, ignored: Set<Int>, options: CSVOptions, notes: inout [String]) throws -> [(index: Int, name: String)] {
        let timeIndices = Set(time.indices).union(ignored)
        if let selection = options.columns {
            var out: [(index: Int, name: String)] = []
            for s in selection {
                guard let k = header.firstIndex(of: s.header) else {
                    throw RallyError("\(path): no column '\(MessageText.quote(s.header))' (asked for as '\(s.name)'); headers: \(MessageText.headers(header))")
                }
                guard !timeIndices.contains(k) else {
                    throw RallyError("\(path): column '\(s.header)' (asked for as '\(s.name)') is the time column")
                }
                out.append((k, s.name))
            }
            out.sort { $0.index < $1.index }
            for k in out.indices.dropFirst() where out[k].index == out[k - 1].index {
                throw RallyError("\(path): column '\(header[out[k].index])' is selected twice (as '\(out[k - 1].name)' and '\(out[k].name)')")
            }
            notes.append("columns: " + out.map { header[$0.index] == $0.name ? $0.name : "\($0.name) = '\(header[$0.index])'" }.joined(separator: ", "))
            return out
        }
        if header == pjmComedHeader && time.indices == [0] {
            notes.append("recognised the shared PJM COMED benchmark header: columns named " + pjmComedNames.joined(separator: ", "))
            return pjmComedNames.enumerated().map { ($0.offset + 1, $0.element) }
        }
        let out = header.indices.filter { !timeIndices.contains($0) }.map { (index: $0, name: header[$0]) }
        var seen: [String: Int] = [:]
        for c in out {
            if let other = seen[c.name] { throw RallyError("\(path): two columns are named '\(c.name)' (fields \(other + 1) and \(c.index + 1)); rename them with columns = {...}") }
            seen[c.name] = c.index
        }
        return out
    }
}
