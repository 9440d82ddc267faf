/// The part of a sweep table (`sweep_thresholds.csv`: labeler parameter columns, `model`, then
/// figures) that the report draws and describes: x is the first parameter that varies; other
/// varying parameters are held at the benchmark's own value (run.json) when the sweep has it,
/// else they split the lines; metrics are the headline one (the metric with `_lo`/`_hi`
/// columns), the base rate, lift and Brier skill, those present.
struct SweepSlice {
    /// The parameter on the x axis.
    let x: String
    /// Its value on every table row.
    let xs: [Double]
    /// Parameters held at the benchmark's value.
    let held: [(key: String, value: String)]
    /// Varying parameters that split the lines.
    let others: [String]
    /// The metric with an interval, if any.
    let headline: String?
    /// The metric columns drawn, in order.
    let shown: [String]
    /// Numeric columns by name (one value per table row).
    let numbers: [String: [Double]]
    /// One line each: its legend label, its model and its rows in x order.
    let series: [(label: String, model: String, rows: [Int])]

    /// The slice of `csv`; nil when no parameter varies. Throws when there is nothing to draw.
    init?(csv: ArtifactCSV, run: RunSummary?) throws {
        guard !csv.rows.isEmpty else { return nil }
        let modelColumn = try csv.column("model")
        var numbers: [String: [Double]] = [:]
        for (k, name) in csv.header.enumerated() where k != modelColumn {
            if let values = try? csv.numbers(k) { numbers[name] = values }
        }
        let varying = (0..<modelColumn).filter { k in Set(csv.rows.map { $0[k] }).count > 1 }.map { csv.header[$0] }
        guard let x = varying.first(where: { numbers[$0] != nil }), let xs = numbers[x] else { return nil }
        var held: [(key: String, value: String)] = []
        var used = Array(csv.rows.indices)
        for key in varying where key != x {
            guard let value = run?.parameter(key), let column = csv.header.firstIndex(of: key) else { continue }
            let matching = used.filter { Self.sameValue(csv.rows[$0][column], value) }
            if !matching.isEmpty {
                used = matching
                held.append((key, value))
            }
        }
        let others = varying.filter { key in key != x && !held.contains { $0.key == key } }
        let headline = csv.header.first { numbers[$0 + "_lo"] != nil && numbers[$0 + "_hi"] != nil && numbers[$0] != nil }
        let wanted = [headline, "base_rate", "lift_at_top", "brier_skill"].compactMap { $0 }
        let shown = wanted.reduce(into: [String]()) { if numbers[$1] != nil && !$0.contains($1) { $0.append($1) } }
        guard !shown.isEmpty else { throw RallyError("\(csv.path): no metric columns to plot (expected one of \(wanted.joined(separator: ", ")))") }
        let otherColumns = others.map { csv.header.firstIndex(of: $0)! }
        func label(_ row: [String]) -> String {
            ([row[modelColumn]] + zip(others, otherColumns).map { "\($0) = \(row[$1])" }).joined(separator: ", ")
        }
        var series: [(label: String, model: String, rows: [Int])] = []
        for i in used {
            let l = label(csv.rows[i])
            if let k = series.firstIndex(where: { $0.label == l }) { series[k].rows.append(i) } else { series.append((l, csv.rows[i][modelColumn], [i])) }
        }
        for k in series.indices { series[k].rows.sort { xs[$0] < xs[$1] || (xs[$0] == xs[$1] && $0 < $1) } }
        self.x = x
        self.xs = xs
        self.held = held
        self.others = others
        self.headline = headline
        self.shown = shown
        self.numbers = numbers
        self.series = series
    }

    /// Whether two parameter texts name the same value (numbers compared as numbers: `672` and `672.0`).
    static func sameValue(_ a: String, _ b: String) -> Bool {
        if let x = Double(a), let y = Double(b) { return x == y }
        return a == b
    }

    /// `q = 0.95`-style description of the held parameters, or nil.
    var heldText: String? {
        held.isEmpty ? nil : ReportText.list(held.map { "\($0.key) = \($0.value)" })
    }
}
