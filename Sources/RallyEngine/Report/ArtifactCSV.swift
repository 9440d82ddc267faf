import Foundation

/// A CSV artifact read as text: a header and rows of string fields (RFC 4180 quoting, `\n`
/// or `\r\n` line ends), with the file line of each row kept for error messages.
/// Meant for the files the benchmark writes (predictions, importance, sweeps), not raw data.
public struct ArtifactCSV: Sendable {
    /// Where the table came from.
    public let path: String
    /// Column names.
    public let header: [String]
    /// Rows of fields, each as long as the header.
    public let rows: [[String]]
    /// The file line each row started on.
    public let lines: [Int]

    /// Reads and checks `path`: every row must have one field per header column.
    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RallyError("\(path): cannot read the file (missing or unreadable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RallyError("\(path): not UTF-8 text")
        }
        try self.init(text: text, path: path)
    }

    /// Parses CSV `text` that came from `path`.
    public init(text: String, path: String) throws {
        self.path = path
        var records: [[String]] = []
        var lines: [Int] = []
        var field = "", record: [String] = []
        var inQuotes = false, afterQuote = false, line = 1, recordLine = 1
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRecord() {
            record.append(field)
            field = ""
            if !(record.count == 1 && record[0].isEmpty) {
                records.append(record)
                lines.append(recordLine)
            }
            record = []
        }
        while let c = pending ?? scalars.next() {
            pending = nil
            if inQuotes {
                if c == "\"" {
                    if let next = scalars.next() {
                        if next == "\"" { field += "\"" } else { inQuotes = false; afterQuote = true; pending = next }
                    } else {
                        inQuotes = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                guard field.isEmpty, !afterQuote else { throw RallyError("\(path):\(line): a quote inside an unquoted field") }
                inQuotes = true
            case ",":
                record.append(field)
                field = ""
                afterQuote = false
            case "\r":
                continue
            case "\n":
                endRecord()
                afterQuote = false
                line += 1
                recordLine = line
            default:
                guard !afterQuote else { throw RallyError("\(path):\(line): text after a closing quote") }
                field.unicodeScalars.append(c)
            }
        }
        if inQuotes { throw RallyError("\(path):\(recordLine): a quoted field never closes") }
        if !field.isEmpty || !record.isEmpty { endRecord() }
        guard let header = records.first else { throw RallyError("\(path): the file is empty (no header line)") }
        for (k, row) in records.enumerated().dropFirst() where row.count != header.count {
            throw RallyError("\(path):\(lines[k]): \(row.count) fields, expected \(header.count) (as in the header: \(header.joined(separator: ",")))")
        }
        self.header = header
        self.rows = Array(records.dropFirst())
        self.lines = Array(lines.dropFirst())
    }

    /// The index of column `name`, or an error naming the file and the columns it has.
    public func column(_ name: String) throws -> Int {
        guard let k = header.firstIndex(of: name) else {
            throw RallyError("\(path): no column '\(name)' (columns: \(header.joined(separator: ", ")))")
        }
        return k
    }

    /// Column `k` as numbers; an empty field is NaN, any other non-number is an error.
    public func numbers(_ k: Int) throws -> [Double] {
        var out = [Double]()
        out.reserveCapacity(rows.count)
        for (i, row) in rows.enumerated() {
            let field = row[k]
            if field.isEmpty { out.append(.nan); continue }
            guard let v = Double(field) else {
                throw RallyError("\(path):\(lines[i]): column '\(header[k])': expected a number, got \"\(field)\"")
            }
            out.append(v)
        }
        return out
    }

    /// Column `k` as times (`YYYY-MM-DD HH:MM`).
    public func times(_ k: Int) throws -> [Int64] {
        var out = [Int64]()
        out.reserveCapacity(rows.count)
        for (i, row) in rows.enumerated() {
            // wall-clock readings, or instants with their offsets (a zoned evaluation's market time)
            do { out.append(try Self.time(row[k])) } catch let e as RallyError {
                throw RallyError("\(path):\(lines[i]): column '\(header[k])': \(e.message)")
            }
        }
        return out
    }

    /// Column `k` as times with the clock they are on: wall-clock readings (every row naive),
    /// or instants with each row's offset (every row with one); a mix is an error naming the line.
    public func clockTimes(_ k: Int) throws -> (times: [Int64], clock: ReportClock) {
        let times = try times(k)
        let instants = rows.map { try? TimeStamp.parseInstant($0[k]) }
        let zoned = instants.first.map { $0 != nil } ?? false
        if let i = instants.firstIndex(where: { ($0 != nil) != zoned }) {
            throw RallyError("\(path):\(lines[i]): column '\(header[k])': a time \(zoned ? "without" : "with") a UTC offset after times \(zoned ? "with" : "without") one; a file's times are all market time with offsets or all wall clock")
        }
        let offsets = instants.compactMap { $0?.offset }
        return (times, ReportClock(times: offsets.isEmpty ? [] : times, offsets: offsets))
    }

    /// A wall-clock reading (`2017-01-01 00:00`), or an instant with its offset
    /// (`2017-01-01 00:00-05:00`, a zoned evaluation's market time) as UTC seconds.
    static func time(_ text: String) throws -> Int64 {
        if let t = try? TimeStamp.parse(text) { return t }
        if let instant = try? TimeStamp.parseInstant(text) { return instant.utc }
        return try TimeStamp.parse(text)
    }
}
