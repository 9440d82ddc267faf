/// The CSV reader's single pass over the data records: times and numbers parsed from bytes in
/// place, straight into columns. Records what it met on the way (blank lines, empty cells,
/// trailing delimiters) for the load report.
struct RowReader {
    let path: String
    let fieldCount: Int
    let header: [String]
    let time: TimeColumns
    let selected: [(index: Int, name: String)]
    let decimal: UInt8
    /// Whether `decimal`, `delimiter`, `format` were given (messages then name them).
    let decimalGiven: Bool, delimiterNote: String, formatGiven: Bool

    /// Times, in file order.
    private(set) var timestamps: [Int64] = []
    /// The UTC offset of each row's time in seconds, when the layout has one (`%z`); else empty.
    private(set) var offsets: [Int32] = []
    /// One array per selected column, aligned with `timestamps`.
    private(set) var values: [[Double]]
    /// Columns holding publish times of as-of columns (``PublishedColumns``), and their cells.
    let published: [(index: Int, of: String)]
    private(set) var publishedCells: [[SplitTime?]]
    /// Line of each row.
    private(set) var lineMap = LineMap()
    private var missing: [Int]
    private var missingLines: [[Int]]
    private var blankLines = 0
    private var trailingDelimiterRows = 0

    init(path: String, fieldCount: Int, header: [String], time: TimeColumns, selected: [(index: Int, name: String)], options: CSVOptions,
         published: [(index: Int, of: String)] = []) {
        self.path = path
        self.fieldCount = fieldCount
        self.header = header
        self.time = time
        self.selected = selected
        decimal = options.decimal
        decimalGiven = options.decimal != 46
        delimiterNote = CSVReader.delimiterNote(options)
        formatGiven = options.format != nil
        values = selected.map { _ in [] }
        self.published = published
        publishedCells = published.map { _ in [] }
        missing = selected.map { _ in 0 }
        missingLines = selected.map { _ in [] }
    }

    /// Reads every record from the file's current position to its end.
    mutating func read(file: ChunkedFile, scanner: CSVScanner, firstLine: Int, expectedRows: Int) throws {
        timestamps.reserveCapacity(expectedRows)
        for k in values.indices { values[k].reserveCapacity(expectedRows) }
        let columns = header.count
        let timeIndex = time.index
        let format = time.format
        let keepOffsets = format.hasOffset
        if keepOffsets { offsets.reserveCapacity(expectedRows) }
        var offset: Int32 = 0
        let hourColumn = time.hour
        let firstHour = hourColumn?.convention.hours.lowerBound ?? 0
        let lastHour = hourColumn?.convention.hours.upperBound ?? 0
        try scanner.forEachRecord(in: file, firstLine: firstLine, blank: { blankLines += 1 }) { b, line in
            let n = scanner.fieldCount
            if n != columns {
                if n == 1 && isBlank(b, scanner.starts[0], scanner.ends[0]) {
                    blankLines += 1
                    return
                }
                guard n == columns + 1 && scanner.starts[columns] == scanner.ends[columns] else {
                    throw RallyError("\(path):\(line): expected \(columns) fields as in the header, found \(n)\(delimiterNote)")
                }
                if fieldCount == columns { trailingDelimiterRows += 1 }
            }
            let row = timestamps.count
            lineMap.record(row: row, line: line)
            let (ts, te) = CSVScanner.trimmed(b, scanner.starts[timeIndex], scanner.ends[timeIndex])
            guard var t = format.parse(b, ts, te, offset: &offset) else {
                throw RallyError(ts == te
                    ? "\(path):\(line):\(timeIndex + 1): empty time in column '\(header[timeIndex])'"
                    : "\(path):\(line):\(timeIndex + 1): expected a time like \(format)\(formatGiven ? " (format = \"\(format)\")" : "") in column '\(header[timeIndex])', found \"\(MessageText.quote(b, scanner.starts[timeIndex], scanner.ends[timeIndex], limit: 40))\"")
            }
            if let hourColumn {
                let h = hourColumn.index
                let (hs, he) = CSVScanner.trimmed(b, scanner.starts[h], scanner.ends[h])
                let hour = smallInteger(b, hs, he)
                guard let hour, hour >= firstHour && hour <= lastHour else {
                    throw hourColumn.outOfRange(path: path, line: line, header: header, found: MessageText.quote(b, scanner.starts[h], scanner.ends[h], limit: 40), value: hour)
                }
                t += Int64(hour - firstHour) * 3600
            }
            timestamps.append(t)
            if keepOffsets { offsets.append(offset) }
            for k in selected.indices {
                let field = selected[k].index
                let (s, e) = CSVScanner.trimmed(b, scanner.starts[field], scanner.ends[field])
                if s == e {
                    values[k].append(.nan)
                    missing[k] += 1
                    if missingLines[k].count < 3 { missingLines[k].append(line) }
                    continue
                }
                guard let v = NumberParser.parse(b, s, e, decimal: decimal), v.isFinite || v.isNaN else {
                    throw numberError(line: line, field: field, b: b, s: s, e: e, raw: (scanner.starts[field], scanner.ends[field]))
                }
                if v.isNaN {
                    missing[k] += 1
                    if missingLines[k].count < 3 { missingLines[k].append(line) }
                }
                values[k].append(v)
            }
            for (k, c) in published.enumerated() {
                let (s, e) = CSVScanner.trimmed(b, scanner.starts[c.index], scanner.ends[c.index])
                let text = String(decoding: UnsafeBufferPointer(start: b + s, count: e - s), as: UTF8.self)
                publishedCells[k].append(try PublishedColumns.cell(text, path: path, line: line, field: c.index, column: header[c.index]))
            }
        }
    }

    private func isBlank(_ b: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        let (ts, te) = CSVScanner.trimmed(b, s, e)
        return ts == te
    }

    /// A non-negative integer of at most 4 digits, or nil.
    private func smallInteger(_ b: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int? {
        guard e > s && e - s <= 4 else { return nil }
        var v = 0
        for i in s..<e {
            let d = b[i] &- 48
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }

    private func numberError(line: Int, field: Int, b: UnsafePointer<UInt8>, s: Int, e: Int, raw: (Int, Int)) -> RallyError {
        let text = MessageText.quote(b, raw.0, raw.1, limit: 40)
        if let v = NumberParser.parse(b, s, e, decimal: decimal), v.isInfinite {
            return RallyError("\(path):\(line):\(field + 1): the number \"\(text)\" in column '\(header[field])' is beyond the range of a double (±1.8e308); rally refuses infinite values")
        }
        var message = "\(path):\(line):\(field + 1): expected a number in column '\(header[field])', found \"\(text)\""
        if decimal == 46, NumberParser.parse(b, s, e, decimal: 44) != nil {
            message += " (a decimal comma? pass decimal = \",\")"
        } else if decimalGiven {
            message += " (decimal = \",\" was given\(NumberParser.parse(b, s, e, decimal: 46) != nil ? ": this is a number with a decimal point" : ""))"
        }
        return RallyError(message)
    }

    /// Report lines: blank lines skipped, trailing delimiters, missing values per column.
    func notes() -> [String] {
        var out = ["read \(timestamps.count) rows x \(selected.count) columns"]
        if blankLines > 0 { out.append("skipped \(blankLines) blank line\(blankLines == 1 ? "" : "s")") }
        if trailingDelimiterRows > 0 {
            out.append("\(trailingDelimiterRows) row\(trailingDelimiterRows == 1 ? " ends" : "s end") with a delimiter: the empty last field is ignored")
        }
        let parts = selected.indices.filter { missing[$0] > 0 }.map { k in
            let lines = missingLines[k].map(String.init).joined(separator: ", ") + (missing[k] > missingLines[k].count ? ", ..." : "")
            return "\(selected[k].name) \(missing[k]) (line\(missing[k] == 1 ? "" : "s") \(lines))"
        }
        if !parts.isEmpty { out.append("empty cells, kept as missing values: " + parts.joined(separator: "; ")) }
        return out
    }
}
