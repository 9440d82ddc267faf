/// Pivots a PJM Data Miner 2 hourly LMP export (long format: one row per pnode per hour, columns
/// `datetime_beginning_utc, datetime_beginning_ept, pnode_id, pnode_name, ..., system_energy_price_da,
/// total_lmp_da, congestion_price_da, marginal_loss_price_da, row_is_current, version_nbr`) into one
/// column per selected pnode.
///
/// - Rows are keyed on the **UTC** column: Eastern Prevailing Time has 23- and 25-hour days, UTC
///   does not. The dataset's clock is UTC, shifted by `utcOffsetHours` when asked (a fixed offset,
///   so the series stays regular).
/// - Only rows with `row_is_current` true are kept, and of those the highest `version_nbr` per
///   (pnode, hour); two current rows with the same version are an error.
/// - energy + congestion + loss is checked against the total LMP to the cent; the report lists
///   the rows that disagree.
/// - The price component (`total`, `energy`, `congestion`, `loss`) is chosen by option; the
///   `_da` (day-ahead) or `_rt` (real-time) suffix is taken from the file.
struct DataMinerReader {
    let path: String
    let header: [String]
    let fieldCount: Int
    let options: CSVOptions

    /// Whether `header` is a Data Miner hourly LMP export.
    static func recognizes(_ header: [String]) -> Bool {
        ["datetime_beginning_utc", "pnode_id", "pnode_name", "row_is_current", "version_nbr"].allSatisfy(header.contains)
            && header.contains { $0.hasPrefix("total_lmp_") }
    }

    init(path: String, header: [String], fieldCount: Int, options: CSVOptions) {
        self.path = path
        self.header = header
        self.fieldCount = fieldCount
        self.options = options
    }

    private func column(_ name: String) throws -> Int {
        guard let k = header.firstIndex(of: name) else { throw RallyError("\(path): Data Miner export without a '\(name)' column") }
        return k
    }

    private func componentColumn(_ prefix: String) throws -> Int {
        guard let k = header.firstIndex(where: { $0.hasPrefix(prefix) }) else {
            throw RallyError("\(path): Data Miner export without a '\(prefix)da' (or '\(prefix)rt') column")
        }
        return k
    }

    /// Reads the rest of `file` and returns the pivoted dataset.
    mutating func read(file: ChunkedFile, scanner: CSVScanner, firstLine: Int, notes: [String]) throws -> Dataset {
        var notes = notes
        let utcOffset = options.utcOffsetHours ?? 0
        guard (-14...14).contains(utcOffset) else {
            throw RallyError("\(path): utc_offset must be between -14 and 14 hours, got \(utcOffset)")
        }
        if options.zone != nil && options.utcOffsetHours != nil {
            throw RallyError("\(path): give zone = \"...\" (UTC instants shown in the zone's local time) or utc_offset (a shifted naive clock), not both")
        }
        let zone = try options.zone.map { try MarketZone.named($0) } ?? .wallClock
        let utc = try column("datetime_beginning_utc")
        let nodeID = try column("pnode_id"), nodeName = try column("pnode_name")
        let currentField = try column("row_is_current"), versionField = try column("version_nbr")
        let components = try [LMPComponent.energy, .congestion, .loss, .total].map { try componentColumn($0.columnPrefix) }
        let samples = try CSVReader.sample(path: path, file: file, scanner: scanner, limit: 50, firstLine: firstLine)
        let format = try options.format.map { try TimeFormat($0) }
            ?? TimeColumns.detect(path: path, name: header[utc], values: samples.compactMap { utc < $0.count ? $0[utc] : nil })
        notes.append("time column: '\(header[utc])' (\(format)); the dataset's clock is UTC" +
                     (utcOffset != 0 ? " shifted by \(utcOffset) h" : "") + (zone.isWallClock ? "" : ", shown in zone \(zone.name) (as given)"))

        var rows = LMPLongRows()
        var versions: [Int32] = [], current: [Bool] = []
        try scanner.forEachRecord(in: file, firstLine: firstLine, blank: {}) { b, line in
            let n = scanner.fieldCount
            if n == 1 && scanner.text(b, 0).isEmpty { return }
            guard n == fieldCount || (n == header.count + 1 && scanner.starts[header.count] == scanner.ends[header.count]) else {
                throw RallyError("\(path):\(line): expected \(header.count) fields as in the header, found \(n)\(CSVReader.delimiterNote(options))")
            }
            let (ts, te) = CSVScanner.trimmed(b, scanner.starts[utc], scanner.ends[utc])
            guard let t = format.parse(b, ts, te) else {
                throw RallyError("\(path):\(line):\(utc + 1): expected a time like \(format)\(options.format != nil ? " (format = \"\(format)\")" : "") in column '\(header[utc])', found \"\(MessageText.quote(b, scanner.starts[utc], scanner.ends[utc], limit: 40))\"")
            }
            let node = rows.location(id: scanner.text(b, nodeID), name: scanner.text(b, nodeName))
            let flag = scanner.text(b, currentField).lowercased()
            guard ["true", "false", "1", "0"].contains(flag) else {
                throw RallyError("\(path):\(line):\(currentField + 1): expected TRUE or FALSE in column 'row_is_current', found \"\(MessageText.quote(b, scanner.starts[currentField], scanner.ends[currentField], limit: 40))\"")
            }
            guard let version = Int32(scanner.text(b, versionField)) else {
                throw RallyError("\(path):\(line):\(versionField + 1): expected an integer in column 'version_nbr', found \"\(MessageText.quote(b, scanner.starts[versionField], scanner.ends[versionField], limit: 40))\"")
            }
            var prices = [Double](repeating: .nan, count: 4)
            for (j, field) in components.enumerated() {
                let (s, e) = CSVScanner.trimmed(b, scanner.starts[field], scanner.ends[field])
                guard s < e else { continue }
                guard let v = NumberParser.parse(b, s, e, decimal: options.decimal), !v.isInfinite else {
                    let text = MessageText.quote(b, scanner.starts[field], scanner.ends[field], limit: 40)
                    let why = NumberParser.parse(b, s, e, decimal: options.decimal) != nil ? " (beyond the range of a double: rally refuses infinite values)"
                        : options.decimal != 46 ? " (decimal = \",\" was given)" : ""
                    throw RallyError("\(path):\(line):\(field + 1): expected a number in column '\(header[field])', found \"\(text)\"\(why)")
                }
                prices[j] = v
            }
            rows.append(time: t + Int64(utcOffset) * 3600, location: node, prices: (prices[0], prices[1], prices[2], prices[3]), line: line)
            versions.append(version)
            current.append(flag == "true" || flag == "1")
        }
        guard !rows.time.isEmpty else { throw RallyError("\(path): no data rows after the header") }
        notes.append("read \(rows.time.count) long rows for \(rows.ids.count) pnode\(rows.ids.count == 1 ? "" : "s"): " + rows.listed(10))

        let selection = try rows.select(path: path, options: options, noun: "pnode")
        let kept = try latestCurrentRows(rows, versions: versions, current: current, notes: &notes)
        rows.checkComponents(kept: kept, format: TimeStamp.format, notes: &notes)
        return try pivot(rows, kept: kept, selection: selection, zone: zone, notes: notes)
    }

    /// Indices of the rows kept: current ones, the highest version per (pnode, hour).
    private func latestCurrentRows(_ rows: LMPLongRows, versions: [Int32], current: [Bool], notes: inout [String]) throws -> [Int] {
        let currentRows = rows.time.indices.filter { current[$0] }
        let stale = rows.time.count - currentRows.count
        if stale > 0 { notes.append("dropped \(stale) row\(stale == 1 ? "" : "s") with row_is_current = FALSE") }
        let order = currentRows.sorted { a, b in
            if rows.location[a] != rows.location[b] { return rows.location[a] < rows.location[b] }
            if rows.time[a] != rows.time[b] { return rows.time[a] < rows.time[b] }
            return versions[a] > versions[b]
        }
        var kept: [Int] = []
        kept.reserveCapacity(order.count)
        var superseded: [Int] = []
        for r in order {
            if let last = kept.last, rows.location[last] == rows.location[r], rows.time[last] == rows.time[r] {
                if versions[last] == versions[r] {
                    throw RallyError("\(path):\(min(rows.line[last], rows.line[r])): two current rows for pnode \(MessageText.quote(rows.names[Int(rows.location[r])], limit: 40)) at \(TimeStamp.format(rows.time[r])) UTC with the same version_nbr \(versions[r]) (lines \(min(rows.line[last], rows.line[r])) and \(max(rows.line[last], rows.line[r])))")
                }
                superseded.append(Int(rows.line[r]))
                continue
            }
            kept.append(r)
        }
        if !superseded.isEmpty {
            notes.append("kept the highest version_nbr where a pnode and hour had several current rows: \(superseded.count) older row\(superseded.count == 1 ? "" : "s") dropped (line\(superseded.count == 1 ? "" : "s") \(superseded.sorted().prefix(5).map(String.init).joined(separator: ", "))\(superseded.count > 5 ? ", ..." : ""))")
        }
        return kept
    }

    /// One column per selected pnode on the union of their hours; then the time contracts.
    private func pivot(_ rows: LMPLongRows, kept: [Int], selection: [(location: Int32, name: String)], zone: MarketZone, notes: [String]) throws -> Dataset {
        var notes = notes
        let component = options.component ?? .total
        let pivot = try rows.pivot(path: path, kept: kept, selection: selection, components: [component], format: TimeStamp.format)
        notes.append("pivoted the \(component.rawValue) price (\(header.first { $0.hasPrefix(component.columnPrefix) } ?? "")) to one column per pnode: " +
                     selection.map { $0.name == rows.names[Int($0.location)] ? $0.name : "\($0.name) = \(rows.names[Int($0.location)])" }.joined(separator: ", "))
        return try pivot.dataset(path: path, options: options, zone: zone, noun: "pnode", unit: "hours", notes: notes)
    }
}
