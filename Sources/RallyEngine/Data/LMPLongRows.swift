/// The rows of a long LMP export (one row per location and interval: PJM Data Miner, gridstatus)
/// as read, columnar, and what both readers do with them: pick locations, check that energy +
/// congestion + loss makes the LMP, and pivot to one column per location and component with
/// ``Dataset/locations`` saying which columns are whose. Not a reader: each export's reader
/// fills it (``DataMinerReader``, ``GridstatusReader``).
struct LMPLongRows {
    var time: [Int64] = []
    var location: [Int32] = []
    var energy: [Double] = []
    var congestion: [Double] = []
    var loss: [Double] = []
    var total: [Double] = []
    var line: [Int] = []
    /// Location ids and names, by location index.
    private(set) var ids: [String] = []
    private(set) var names: [String] = []
    private var index: [String: Int32] = [:]

    /// The index of location `id` (named `name` when first met).
    mutating func location(id: String, name: @autoclosure () -> String) -> Int32 {
        if let k = index[id] { return k }
        let k = Int32(ids.count)
        index[id] = k
        ids.append(id)
        names.append(name())
        return k
    }

    /// Appends one row; `prices` are energy, congestion, loss, total.
    mutating func append(time t: Int64, location k: Int32, prices: (Double, Double, Double, Double), line l: Int) {
        time.append(t)
        location.append(k)
        energy.append(prices.0); congestion.append(prices.1); loss.append(prices.2); total.append(prices.3)
        line.append(l)
    }

    /// `NAME (id), ...` of the first `limit` locations.
    func listed(_ limit: Int) -> String {
        ids.indices.prefix(limit).map { names[$0] == ids[$0] ? names[$0] : "\(names[$0]) (\(ids[$0]))" }.joined(separator: ", ")
            + (ids.count > limit ? ", ... (\(ids.count) in all)" : "")
    }

    /// The locations to pivot, with their column names: `columns = {name = "<location>"}`, else
    /// `locations` (or a Data Miner file's `pnodes`), else all; by name or id. `noun` names them
    /// in messages (`pnode`, `location`).
    func select(path: String, options: CSVOptions, noun: String) throws -> [(location: Int32, name: String)] {
        let find = { (key: String) throws -> Int32 in
            if let k = names.firstIndex(of: key) ?? ids.firstIndex(of: key) { return Int32(k) }
            throw RallyError("\(path): no \(noun) '\(MessageText.quote(key, limit: 40))' in the file; \(noun)s: \(listed(20))")
        }
        if options.pnodes != nil && options.locations != nil {
            throw RallyError("\(path): give locations = {...} or pnodes = {...}, not both (they name the same thing)")
        }
        let wanted = options.locations ?? options.pnodes
        let option = options.locations != nil ? "locations" : "pnodes"
        if wanted?.isEmpty == true {
            throw RallyError("\(path): \(option) is an empty list; name at least one \(noun), or leave \(option) out to keep them all")
        }
        if wanted != nil && options.columns != nil {
            throw RallyError("\(path): give \(option) = {...} or columns = {name = \"\(noun)\"}, not both")
        }
        if let columns = options.columns { return try columns.map { (try find($0.header), $0.name) } }
        let chosen = try wanted.map { try $0.map(find) } ?? ids.indices.map { Int32($0) }
        let chosenNames = chosen.map { names[Int($0)] }
        return chosen.enumerated().map { k, loc in
            let name = chosenNames[k]
            return (loc, chosenNames.filter { $0 == name }.count > 1 ? "\(name)_\(ids[Int(loc)])" : name)
        }
    }

    /// Notes whether energy + congestion + loss equals the LMP to the cent on every kept row.
    func checkComponents(kept: [Int], format: (Int64) -> String, notes: inout [String]) {
        let cents = { (x: Double) in (x * 100).rounded() }
        var bad: [Int] = []
        for r in kept {
            let sum = energy[r] + congestion[r] + loss[r]
            guard !sum.isNaN, !total[r].isNaN else { continue }
            if cents(sum) != cents(total[r]) { bad.append(r) }
        }
        guard !bad.isEmpty else {
            notes.append("checked energy + congestion + loss = total LMP to the cent: all \(kept.count) rows agree")
            return
        }
        let shown = bad.prefix(5).map { r in
            "line \(line[r]) (\(names[Int(location[r])]) \(format(time[r]))): " +
            "\(Format.fixed(energy[r], digits: 2)) + \(Format.fixed(congestion[r], digits: 2)) + \(Format.fixed(loss[r], digits: 2)) = " +
            "\(Format.fixed(energy[r] + congestion[r] + loss[r], digits: 2)) vs total \(Format.fixed(total[r], digits: 2))"
        }
        notes.append("energy + congestion + loss differs from the total LMP by a cent or more in \(bad.count) of \(kept.count) rows (kept as read): " + shown.joined(separator: "; ") + (bad.count > 5 ? "; ..." : ""))
    }

    /// The values of `component`, by row.
    private func values(_ component: LMPComponent) -> [Double] {
        switch component {
        case .total: return total
        case .energy: return energy
        case .congestion: return congestion
        case .loss: return loss
        }
    }

    /// What a pivot makes: the union of the selected locations' times, and per selected location
    /// one column per component in `components` (the first is the location's `price`).
    struct Pivot {
        var times: [Int64]
        var names: [String]
        var columns: [[Double]]
        var locations: [Location]
        /// The first line of each time's rows.
        var firstLine: [Int]
    }

    /// Pivots rows `kept` of the `selection`. The first component's column is named after the
    /// location (a Data Miner pivot's only column); the others `<location>_<component>`. Two rows
    /// for one location and time are an error naming both lines.
    func pivot(path: String, kept: [Int], selection: [(location: Int32, name: String)], components: [LMPComponent],
               format: (Int64) -> String) throws -> Pivot {
        var slot = [Int](repeating: -1, count: ids.count)
        for (j, s) in selection.enumerated() { slot[Int(s.location)] = j }
        let used = kept.filter { slot[Int(location[$0])] >= 0 }
        // rows in time order (as exports come) number their times in one pass; others by a dictionary
        var inOrder = true
        for k in used.indices.dropFirst() where time[used[k]] < time[used[k - 1]] { inOrder = false; break }
        var times: [Int64] = []
        var rowOf: [Int64: Int] = [:]
        if inOrder {
            for r in used where times.last != time[r] { times.append(time[r]) }
        } else {
            times = Array(Set(used.map { time[$0] })).sorted()
            rowOf.reserveCapacity(times.count)
            for (i, t) in times.enumerated() { rowOf[t] = i }
        }
        let sources = components.map(values)
        var columns = [[Double]](repeating: [Double](repeating: .nan, count: times.count), count: selection.count * components.count)
        var firstLine = [Int](repeating: Int.max, count: times.count)
        var lineAt = [Int32](repeating: 0, count: times.count * selection.count)
        var i = -1
        for r in used {
            if inOrder {
                if i < 0 || times[i] != time[r] { i += 1 }
            } else {
                i = rowOf[time[r]]!
            }
            let j = slot[Int(location[r])]
            if lineAt[i * selection.count + j] != 0 {
                let earlier = Int(lineAt[i * selection.count + j])
                throw RallyError("\(path):\(line[r]): a second row for location \(MessageText.quote(names[Int(location[r])], limit: 40)) at \(format(time[r])) (the first is line \(earlier)); a long export has one row per location and interval")
            }
            lineAt[i * selection.count + j] = Int32(truncatingIfNeeded: line[r])
            let base = j * components.count
            for k in components.indices { columns[base + k][i] = sources[k][r] }
            firstLine[i] = min(firstLine[i], line[r])
        }
        var names: [String] = []
        var locations: [Location] = []
        for (j, s) in selection.enumerated() {
            var members: [Location.Member] = []
            for (k, c) in components.enumerated() {
                members.append(Location.Member(name: k == 0 ? "price" : c.plainName, column: names.count))
                names.append(k == 0 ? s.name : "\(s.name)_\(c.plainName)")
            }
            locations.append(Location(name: s.name, id: ids[Int(selection[j].location)], members: members))
        }
        return Pivot(times: times, names: names, columns: columns, locations: locations, firstLine: firstLine)
    }
}

extension LMPLongRows.Pivot {
    /// The dataset of the pivot: a note per location whose price column has missing values
    /// (`noun` names locations, `unit` the steps, in messages), then the time contracts.
    func dataset(path: String, options: CSVOptions, zone: MarketZone, noun: String, unit: String, notes: [String]) throws -> Dataset {
        var notes = notes
        let width = columns.count / max(1, locations.count)
        for (j, location) in locations.enumerated() {
            let values = columns[j * width]
            let absent = values.indices.filter { values[$0].isNaN }
            guard let first = absent.first else { continue }
            notes.append("\(noun) \(location.name) has no value for \(absent.count) of \(times.count) \(unit) (missing values; first \(zone.format(times[first])))")
        }
        let firstLine = self.firstLine
        var table = TimeContracts.Table(timestamps: times, columns: columns, source: path) { firstLine[$0] }
        table.zone = zone
        let (t, c) = try options.contracts.apply(table, notes: &notes)
        return Dataset(timestamps: t, names: names, columns: c, report: LoadReport(source: path, notes: notes), zone: zone, locations: locations)
    }
}

extension LMPComponent {
    /// The component's plain column name in a location's dataset: `lmp`, `energy`, `congestion`, `loss`.
    var plainName: String { self == .total ? "lmp" : rawValue }
}
