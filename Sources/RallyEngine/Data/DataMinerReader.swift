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

    /// The long rows as read, columnar.
    private struct LongRows {
        var time: [Int64] = []
        var node: [Int32] = []
        var version: [Int32] = []
        var current: [Bool] = []
        var energy: [Double] = []
        var congestion: [Double] = []
        var loss: [Double] = []
        var total: [Double] = []
        var line: [Int] = []
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
        let utc = try column("datetime_beginning_utc")
        let nodeID = try column("pnode_id"), nodeName = try column("pnode_name")
        let currentField = try column("row_is_current"), versionField = try column("version_nbr")
        let components = try [LMPComponent.energy, .congestion, .loss, .total].map { try componentColumn($0.columnPrefix) }
        let samples = try CSVReader.sample(path: path, file: file, scanner: scanner, limit: 50, firstLine: firstLine)
        let format = try options.format.map { try TimeFormat($0) }
            ?? TimeColumns.detect(path: path, name: header[utc], values: samples.compactMap { utc < $0.count ? $0[utc] : nil })
        notes.append("time column: '\(header[utc])' (\(format)); the dataset's clock is UTC" +
                     (utcOffset != 0 ? " shifted by \(utcOffset) h" : ""))

        var rows = LongRows()
        var nodeIndex: [String: Int32] = [:]
        var nodeIDs: [String] = [], nodeNames: [String] = []
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
            let id = scanner.text(b, nodeID)
            let node: Int32
            if let k = nodeIndex[id] { node = k } else {
                node = Int32(nodeIDs.count)
                nodeIndex[id] = node
                nodeIDs.append(id)
                nodeNames.append(scanner.text(b, nodeName))
            }
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
            rows.time.append(t + Int64(utcOffset) * 3600)
            rows.node.append(node)
            rows.version.append(version)
            rows.current.append(flag == "true" || flag == "1")
            rows.energy.append(prices[0]); rows.congestion.append(prices[1]); rows.loss.append(prices[2]); rows.total.append(prices[3])
            rows.line.append(line)
        }
        guard !rows.time.isEmpty else { throw RallyError("\(path): no data rows after the header") }
        notes.append("read \(rows.time.count) long rows for \(nodeIDs.count) pnode\(nodeIDs.count == 1 ? "" : "s"): " +
                     nodeIDs.indices.prefix(10).map { "\(nodeNames[$0]) (\(nodeIDs[$0]))" }.joined(separator: ", ") + (nodeIDs.count > 10 ? ", ..." : ""))

        let selection = try select(nodeIDs: nodeIDs, nodeNames: nodeNames)
        let kept = try latestCurrentRows(rows, nodeNames: nodeNames, notes: &notes)
        checkComponents(rows, kept: kept, nodeNames: nodeNames, notes: &notes)
        return try pivot(rows, kept: kept, selection: selection, nodeNames: nodeNames, notes: notes)
    }

    /// The pnodes to pivot, with their column names.
    private func select(nodeIDs: [String], nodeNames: [String]) throws -> [(node: Int32, name: String)] {
        let available = { nodeIDs.indices.prefix(20).map { "\(nodeNames[$0]) (\(nodeIDs[$0]))" }.joined(separator: ", ") + (nodeIDs.count > 20 ? ", ..." : "") }
        let find = { (key: String) throws -> Int32 in
            if let k = nodeNames.firstIndex(of: key) ?? nodeIDs.firstIndex(of: key) { return Int32(k) }
            throw RallyError("\(self.path): no pnode '\(MessageText.quote(key, limit: 40))' in the file; pnodes: \(available())")
        }
        if options.pnodes?.isEmpty == true {
            throw RallyError("\(path): pnodes is an empty list; name at least one pnode, or leave pnodes out to keep them all")
        }
        if options.pnodes != nil && options.columns != nil {
            throw RallyError("\(path): give pnodes = {...} or columns = {name = \"pnode\"}, not both")
        }
        if let columns = options.columns { return try columns.map { (try find($0.header), $0.name) } }
        let nodes = try options.pnodes.map { try $0.map(find) } ?? nodeIDs.indices.map { Int32($0) }
        let names = nodes.map { nodeNames[Int($0)] }
        return nodes.enumerated().map { k, node in
            let name = names[k]
            return (node, names.filter { $0 == name }.count > 1 ? "\(name)_\(nodeIDs[Int(node)])" : name)
        }
    }

    /// Indices of the rows kept: current ones, the highest version per (pnode, hour).
    private func latestCurrentRows(_ rows: LongRows, nodeNames: [String], notes: inout [String]) throws -> [Int] {
        let current = rows.time.indices.filter { rows.current[$0] }
        let stale = rows.time.count - current.count
        if stale > 0 { notes.append("dropped \(stale) row\(stale == 1 ? "" : "s") with row_is_current = FALSE") }
        let order = current.sorted { a, b in
            if rows.node[a] != rows.node[b] { return rows.node[a] < rows.node[b] }
            if rows.time[a] != rows.time[b] { return rows.time[a] < rows.time[b] }
            return rows.version[a] > rows.version[b]
        }
        var kept: [Int] = []
        kept.reserveCapacity(order.count)
        var superseded: [Int] = []
        for r in order {
            if let last = kept.last, rows.node[last] == rows.node[r], rows.time[last] == rows.time[r] {
                if rows.version[last] == rows.version[r] {
                    throw RallyError("\(path):\(min(rows.line[last], rows.line[r])): two current rows for pnode \(MessageText.quote(nodeNames[Int(rows.node[r])], limit: 40)) at \(TimeStamp.format(rows.time[r])) UTC with the same version_nbr \(rows.version[r]) (lines \(min(rows.line[last], rows.line[r])) and \(max(rows.line[last], rows.line[r])))")
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

    /// Notes whether energy + congestion + loss equals the total LMP to the cent on every kept row.
    private func checkComponents(_ rows: LongRows, kept: [Int], nodeNames: [String], notes: inout [String]) {
        let cents = { (x: Double) in (x * 100).rounded() }
        var bad: [Int] = []
        for r in kept {
            let sum = rows.energy[r] + rows.congestion[r] + rows.loss[r]
            guard !sum.isNaN, !rows.total[r].isNaN else { continue }
            if cents(sum) != cents(rows.total[r]) { bad.append(r) }
        }
        guard !bad.isEmpty else {
            notes.append("checked energy + congestion + loss = total LMP to the cent: all \(kept.count) rows agree")
            return
        }
        let shown = bad.prefix(5).map { r in
            "line \(rows.line[r]) (\(nodeNames[Int(rows.node[r])]) \(TimeStamp.format(rows.time[r]))): " +
            "\(Format.fixed(rows.energy[r], digits: 2)) + \(Format.fixed(rows.congestion[r], digits: 2)) + \(Format.fixed(rows.loss[r], digits: 2)) = " +
            "\(Format.fixed(rows.energy[r] + rows.congestion[r] + rows.loss[r], digits: 2)) vs total \(Format.fixed(rows.total[r], digits: 2))"
        }
        notes.append("energy + congestion + loss differs from the total LMP by a cent or more in \(bad.count) of \(kept.count) rows (kept as read): " + shown.joined(separator: "; ") + (bad.count > 5 ? "; ..." : ""))
    }

    /// One column per selected pnode on the union of their hours; then the time contracts.
    private func pivot(_ rows: LongRows, kept: [Int], selection: [(node: Int32, name: String)], nodeNames: [String], notes: [String]) throws -> Dataset {
        var notes = notes
        var columnOf = [Int](repeating: -1, count: nodeNames.count)
        for (j, s) in selection.enumerated() { columnOf[Int(s.node)] = j }
        let used = kept.filter { columnOf[Int(rows.node[$0])] >= 0 }
        let times = Array(Set(used.map { rows.time[$0] })).sorted()
        var rowOf: [Int64: Int] = [:]
        for (i, t) in times.enumerated() { rowOf[t] = i }
        let value: (Int) -> Double
        let component = options.component ?? .total
        switch component {
        case .total: value = { rows.total[$0] }
        case .energy: value = { rows.energy[$0] }
        case .congestion: value = { rows.congestion[$0] }
        case .loss: value = { rows.loss[$0] }
        }
        var columns = selection.map { _ in [Double](repeating: .nan, count: times.count) }
        var firstLine = [Int](repeating: Int.max, count: times.count)
        for r in used {
            let i = rowOf[rows.time[r]]!
            columns[columnOf[Int(rows.node[r])]][i] = value(r)
            firstLine[i] = min(firstLine[i], Int(rows.line[r]))
        }
        notes.append("pivoted the \(component.rawValue) price (\(header.first { $0.hasPrefix(component.columnPrefix) } ?? "")) to one column per pnode: " +
                     selection.map { $0.name == nodeNames[Int($0.node)] ? $0.name : "\($0.name) = \(nodeNames[Int($0.node)])" }.joined(separator: ", "))
        for (j, s) in selection.enumerated() {
            let absent = columns[j].indices.filter { columns[j][$0].isNaN }
            guard let first = absent.first else { continue }
            notes.append("pnode \(s.name) has no value for \(absent.count) of \(times.count) hours (missing values; first \(TimeStamp.format(times[first])))")
        }
        let table = TimeContracts.Table(timestamps: times, columns: columns, source: path) { firstLine[$0] }
        let (t, c) = try options.contracts.apply(table, notes: &notes)
        return Dataset(timestamps: t, names: selection.map(\.name), columns: c, report: LoadReport(source: path, notes: notes))
    }
}
