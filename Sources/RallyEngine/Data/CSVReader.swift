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
/// - A PJM Data Miner 2 hourly LMP export (long format) is recognised by its header and pivoted
///   by ``DataMinerReader``.
///
/// Timestamps are naive wall-clock readings of the file's clock (see ``TimeStamp``).
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
        let scanner = CSVScanner(delimiter: delimiter)
        let headerLine = line
        var header: [String] = []
        scan: while true {
            switch scanner.scan(file.buffer, from: file.start, end: file.end, atEOF: file.atEOF) {
            case .record(let next, let lines):
                header = (0..<scanner.fieldCount).map { scanner.text(file.buffer, $0) }
                notes.append("line endings: \(lineEnding(file.buffer, before: next, start: file.start))")
                file.start = next
                line += lines
                break scan
            case .needMore: try file.refill()
            case .blank, .endOfInput: throw RallyError("\(path): the file is empty (no header line)")
            case .unterminatedQuote(let field): throw RallyError("\(path):\(headerLine):\(field): a quoted header never closes")
            case .textAfterQuote(let field): throw RallyError("\(path):\(headerLine):\(field): text after the closing quote of a quoted header")
            }
        }
        let fieldCount = header.count
        if header.count > 1 && header.last == "" {
            header.removeLast()
            notes.append("the header ends with a delimiter: its empty last field is ignored")
        }
        for (k, name) in header.enumerated() where name.isEmpty {
            header[k] = "column\(k + 1)"
            notes.append("header field \(k + 1) is empty: named it '\(header[k])'")
        }
        if DataMinerReader.recognizes(header) {
            if let hours = options.hourConvention {
                throw RallyError("\(path): hours = \"\(hours.rawValue)\" is for a date column plus an hour column; a PJM Data Miner export is keyed on its datetime_beginning_utc column")
            }
            notes.append("recognised a PJM Data Miner 2 hourly LMP export (long format: one row per pnode and hour)")
            var reader = DataMinerReader(path: path, header: header, fieldCount: fieldCount, options: options)
            return try reader.read(file: file, scanner: scanner, firstLine: line, notes: notes)
        }
        if let option = options.dataMinerOptionsGiven.first {
            throw RallyError("\(path): \(option) applies only to PJM Data Miner exports (long format, keyed on datetime_beginning_utc), and this file is not one (header: \(header.prefix(8).joined(separator: ", "))\(header.count > 8 ? ", ..." : ""))")
        }
        let samples = try sample(path: path, file: file, scanner: scanner, limit: 2000, firstLine: line)
        let time = try TimeColumns.resolve(path: path, header: header, samples: samples, options: options, headerLine: headerLine)
        notes.append(time.description(header))
        let selected = try valueColumns(path: path, header: header, time: time, options: options, notes: &notes)
        var reader = RowReader(path: path, fieldCount: fieldCount, header: header, time: time, selected: selected, decimal: options.decimal)
        let expected = expectedRows(path: path, file: file, samples: samples)
        try reader.read(file: file, scanner: scanner, firstLine: line, expectedRows: expected)
        notes += reader.notes()
        guard !reader.timestamps.isEmpty else { throw RallyError("\(path): no data rows after the header") }
        let lineMap = reader.lineMap
        let table = TimeContracts.Table(timestamps: reader.timestamps, columns: reader.values, source: path) { lineMap.line(of: $0) }
        let (timestamps, columns) = try options.contracts.apply(table, notes: &notes)
        return Dataset(timestamps: timestamps, names: selected.map(\.name), columns: columns, report: LoadReport(source: path, notes: notes))
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
        while out.count < limit {
            switch scanner.scan(file.buffer, from: pos, end: file.end, atEOF: file.atEOF) {
            case .record(let next, let lines):
                let fields = (0..<scanner.fieldCount).map { scanner.text(file.buffer, $0) }
                if !(fields.count == 1 && fields[0].isEmpty) { out.append(fields) }
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
    private static func valueColumns(path: String, header: [String], time: TimeColumns, options: CSVOptions, notes: inout [String]) throws -> [(index: Int, name: String)] {
        let timeIndices = Set(time.indices)
        if let selection = options.columns {
            var out: [(index: Int, name: String)] = []
            for s in selection {
                guard let k = header.firstIndex(of: s.header) else {
                    throw RallyError("\(path): no column '\(s.header)' (asked for as '\(s.name)'); headers: \(header.joined(separator: ", "))")
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

/// Which field(s) hold the time, and how to read them.
struct TimeColumns {
    /// The time field.
    var index: Int
    /// Its layout.
    var format: TimeFormat
    /// An hour field added to a date-only time field, if any.
    var hour: HourColumn?

    /// The fields used for time.
    var indices: [Int] { [index] + (hour.map { [$0.index] } ?? []) }

    /// A line for the report.
    func description(_ header: [String]) -> String {
        if let hour { return "time: date column '\(header[index])' (\(format)) + hour column '\(header[hour.index])' (\(hour.explanation))" }
        return "time column: '\(header[index])' (\(format))"
    }

    private static let timeWords = ["date", "time", "timestamp", "datetime", "day", "period", "utc", "ept"]
    private static let hourWords = ["hour", "hr", "h"]
    private static let endingWords = ["he", "hour_ending", "hourending", "hour ending"]
    private static let beginningWords = ["hb", "hour_beginning", "hourbeginning", "hour beginning"]

    /// Resolves the time column(s) from `options.time` / `options.format` or from the samples.
    static func resolve(path: String, header: [String], samples: [[String]], options: CSVOptions, headerLine: Int) throws -> TimeColumns {
        let resolved = try resolveColumns(path: path, header: header, samples: samples, options: options)
        if let given = options.hourConvention, resolved.hour == nil {
            throw RallyError("\(path): hours = \"\(given.rawValue)\" is for a date column plus an hour column, but the time is read from column '\(header[resolved.index])' alone (\(resolved.format)); name both with time = {\"<date>\", \"<hour>\"}")
        }
        return resolved
    }

    private static func resolveColumns(path: String, header: [String], samples: [[String]], options: CSVOptions) throws -> TimeColumns {
        let given = try options.format.map { try TimeFormat($0) }
        let values = { (k: Int) in samples.compactMap { k < $0.count && !$0[k].isEmpty ? $0[k] : nil } }
        func column(_ name: String) throws -> Int {
            guard let k = header.firstIndex(of: name) else {
                throw RallyError("\(path): no time column '\(name)'; headers: \(header.joined(separator: ", "))")
            }
            return k
        }
        if let names = options.time {
            guard names.count == 1 || names.count == 2 else {
                throw RallyError("\(path): time = {...} names one column, or a date column and an hour column; got \(names.count)")
            }
            let k = try column(names[0])
            let format = try given ?? detect(path: path, name: header[k], values: values(k))
            guard names.count == 2 else { return TimeColumns(index: k, format: format) }
            let h = try column(names[1])
            if format.hasTimeOfDay {
                throw RallyError("\(path): time column '\(names[0])' already has a time of day (\(format)); an hour column makes no sense with it")
            }
            let hour = try HourColumn.resolve(path: path, index: h, name: header[h], values: values(h), given: options.hourConvention)
            return TimeColumns(index: k, format: format, hour: hour)
        }
        let named = header.indices.filter { k in
            let h = header[k].lowercased()
            return timeWords.contains { h.contains($0) }
        }
        for k in named + header.indices.filter({ !named.contains($0) }) {
            let vs = values(k)
            guard !vs.isEmpty else { continue }
            let format: TimeFormat
            if let given {
                guard given.parse(vs[0]) != nil else { continue }
                format = given
            } else {
                guard let f = try detectIfAny(path: path, name: header[k], values: vs) else { continue }
                format = f
            }
            var hour: HourColumn?
            if !format.hasTimeOfDay, k + 1 < header.count, isHourHeader(header[k + 1]) {
                let hv = values(k + 1)
                if !hv.isEmpty && hv.allSatisfy({ Int($0).map { (0...24).contains($0) } ?? false }) {
                    hour = try HourColumn.resolve(path: path, index: k + 1, name: header[k + 1], values: hv, given: options.hourConvention)
                }
            }
            return TimeColumns(index: k, format: format, hour: hour)
        }
        let first = samples.first.map { "first row: " + printable($0.joined(separator: String(UnicodeScalar(options.delimiter ?? 44)))) } ?? "no data rows"
        throw RallyError("\(path): no time column found (\(first)): name it with time = \"...\" and give its layout with format = \"%Y-%m-%d %H:%M\"")
    }

    /// `text` for a message: control characters and invalid UTF-8 shown as `\u{..}` escapes,
    /// cut to 120 characters.
    static func printable(_ text: String) -> String {
        let limit = 120
        var out = ""
        for (k, c) in text.unicodeScalars.enumerated() {
            guard k < limit else { out += " ..."; break }
            out += c.properties.generalCategory == .control || c == "\u{FFFD}" ? c.escaped(asASCII: true) : String(c)
        }
        return out
    }

    /// Whether `header` names an hour column (`hour`, `HE`, `Hour Ending`, `hb`, ...).
    private static func isHourHeader(_ header: String) -> Bool {
        let h = header.lowercased()
        return hourWords.contains(h) || h.contains("hour") || conventionNamed(by: header) != nil
    }

    /// The convention an hour column's header states (`HE`, `hour_ending`, `Hour Beginning`, ...), if any.
    static func conventionNamed(by header: String) -> HourConvention? {
        let h = header.lowercased()
        if endingWords.contains(h) || h.contains("ending") { return .ending }
        if beginningWords.contains(h) || h.contains("beginning") { return .beginning }
        return nil
    }

    /// The one candidate layout that fits every value, or an error (none, or several that disagree).
    static func detect(path: String, name: String, values: [String]) throws -> TimeFormat {
        guard let f = try detectIfAny(path: path, name: name, values: values) else {
            throw RallyError("\(path): column '\(name)' does not hold times in a known layout (first value \"\(values.first ?? "")\"); give format = \"...\" (e.g. \"%d/%m/%Y %H:%M\")")
        }
        return f
    }

    /// Like ``detect(path:name:values:)`` but nil when no layout fits. A layout must fit the first
    /// value; of those, the ones fitting the most values are kept (a bad value further down is
    /// then reported at its own line by the reader), and they must agree on every value they read.
    static func detectIfAny(path: String, name: String, values: [String]) throws -> TimeFormat? {
        guard let firstValue = values.first else { return nil }
        let scored = TimeFormat.candidates.filter { $0.parse(firstValue) != nil }.map { f in
            (format: f, fits: values.filter { f.parse($0) != nil }.count)
        }
        guard let best = scored.map(\.fits).max() else { return nil }
        let fits = scored.filter { $0.fits == best }.map(\.format)
        let first = fits[0]
        let readable = values.filter { v in fits.allSatisfy { $0.parse(v) != nil } }
        let reference = readable.map { first.parse($0)! }
        let disagreeing = fits.dropFirst().filter { f in readable.map { f.parse($0)! } != reference }
        if !disagreeing.isEmpty {
            throw RallyError("\(path): the times in column '\(name)' are ambiguous (\"\(firstValue)\" fits \(([first] + disagreeing).map { "\"\($0)\"" }.joined(separator: " and "))); give format = \"...\"")
        }
        return first
    }
}

/// An hour column added to a date-only time column: where it is, how it numbers the hours, and
/// what decided that.
struct HourColumn {
    /// What decided the convention.
    enum Basis {
        /// `hours = "..."`.
        case option
        /// The column's header (`HE`, `hour_ending`, `Hour Beginning`, ...).
        case header
        /// The column's sampled values (a 24 means hour ending, else hour beginning).
        case values
    }

    /// The hour field.
    var index: Int
    /// How it numbers the hours of a day.
    var convention: HourConvention
    /// What decided `convention`.
    var basis: Basis

    /// The convention `given`, else the one the header states, else the one the sampled `values`
    /// show; a column holding both 0 and 24 is refused unless the convention is given.
    static func resolve(path: String, index: Int, name: String, values: [String], given: HourConvention?) throws -> HourColumn {
        if let given { return HourColumn(index: index, convention: given, basis: .option) }
        let hours = Set(values.compactMap { Int($0) })
        if hours.contains(0) && hours.contains(24) {
            throw RallyError("\(path): hour column '\(name)' holds both 0 and 24, so it is neither hour beginning (0-23) nor hour ending (1-24); pass hours = \"beginning\" or hours = \"ending\"")
        }
        if let named = TimeColumns.conventionNamed(by: name) { return HourColumn(index: index, convention: named, basis: .header) }
        return HourColumn(index: index, convention: hours.contains(24) ? .ending : .beginning, basis: .values)
    }

    /// The report's account of the column: `hour ending 1-24: HE 1 is 00:00-01:00; from its header`.
    var explanation: String {
        let first = convention == .ending ? "HE 1" : "hour 0"
        let why: String
        switch basis {
        case .option: why = "as given: hours = \"\(convention.rawValue)\""
        case .header: why = "from its header"
        case .values: why = convention == .ending ? "from its values, which reach 24" : "from its values, all 0-23"
        }
        return "\(convention.label): \(first) is 00:00-01:00; \(why)"
    }

    /// The error for a value outside the convention's hours, found at `line`; when the convention
    /// was detected and the value belongs to the other one, it says how to ask for that one.
    func outOfRange(path: String, line: Int, header: [String], found text: String, value: Int?) -> RallyError {
        var message = "\(path):\(line):\(index + 1): expected an hour \(convention.hours.lowerBound)-\(convention.hours.upperBound) (hour \(convention.rawValue)) in column '\(header[index])', found \"\(text)\""
        let other: HourConvention = convention == .ending ? .beginning : .ending
        if basis != .option, let value, other.hours.contains(value) {
            message += " (read as \(convention.label) \(basis == .header ? "from its header" : "from the first rows"); hours = \"\(other.rawValue)\" reads \(other.label) columns)"
        }
        return RallyError(message)
    }
}
