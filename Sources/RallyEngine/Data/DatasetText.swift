/// Per-column summary statistics of a dataset, as `describe()` shows them.
public struct ColumnStatistics: Sendable, Equatable {
    /// Column name.
    public var name: String
    /// Number of non-missing values.
    public var count: Int
    /// Number of missing values.
    public var missing: Int
    /// Mean, sample standard deviation (n-1), minimum, quartiles (type 7) and maximum; NaN when undefined.
    public var mean, std, min, q25, median, q75, max: Double

    /// Statistics of `values` (NaN = missing).
    public init(name: String, values: [Double]) {
        self.name = name
        let finite = values.filter { !$0.isNaN }.sorted()
        count = finite.count
        missing = values.count - finite.count
        guard !finite.isEmpty else {
            (mean, std, min, q25, median, q75, max) = (.nan, .nan, .nan, .nan, .nan, .nan, .nan)
            return
        }
        let m = finite.reduce(0, +) / Double(finite.count)
        mean = m
        std = finite.count > 1 ? (finite.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(finite.count - 1)).squareRoot() : .nan
        min = finite[0]
        max = finite[finite.count - 1]
        q25 = Self.quantile(finite, 0.25)
        median = Self.quantile(finite, 0.5)
        q75 = Self.quantile(finite, 0.75)
    }

    /// The `q`-quantile of sorted `values`, interpolating linearly between order statistics (type 7).
    static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        let h = Double(sorted.count - 1) * q
        let lo = Int(h.rounded(.down))
        let hi = Swift.min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }
}

/// Text renderings of a dataset for the prompt: `head`, `tail`, `describe`.
public enum DatasetText {
    /// The first `n` rows as an aligned table.
    public static func head(_ ds: Dataset, _ n: Int) -> String {
        table(ds, rows: 0..<Swift.min(Swift.max(n, 0), ds.count))
    }

    /// The last `n` rows as an aligned table.
    public static func tail(_ ds: Dataset, _ n: Int) -> String {
        table(ds, rows: Swift.max(0, ds.count - Swift.max(n, 0))..<ds.count)
    }

    /// Rows `rows` as an aligned table: a `time` column, then one column per dataset column.
    public static func table(_ ds: Dataset, rows: Range<Int>) -> String {
        var cells: [[String]] = [["time"] + ds.names]
        for i in rows {
            cells.append([ds.zone.format(ds.timestamps[i])] + ds.columns.map { Format.number($0[i]) })
        }
        return align(cells, leftColumns: 1)
    }

    /// count, missing, mean, std, min, 25%, 50%, 75%, max (rows) for every column (columns).
    public static func describe(_ ds: Dataset) -> String {
        let stats = zip(ds.names, ds.columns).map { ColumnStatistics(name: $0, values: $1) }
        let rows: [(String, (ColumnStatistics) -> String)] = [
            ("count", { String($0.count) }), ("missing", { String($0.missing) }),
            ("mean", { Format.number($0.mean) }), ("std", { Format.number($0.std) }),
            ("min", { Format.number($0.min) }), ("25%", { Format.number($0.q25) }),
            ("50%", { Format.number($0.median) }), ("75%", { Format.number($0.q75) }),
            ("max", { Format.number($0.max) }),
        ]
        var cells: [[String]] = [[""] + ds.names]
        for (label, value) in rows { cells.append([label] + stats.map(value)) }
        return align(cells, leftColumns: 1)
    }

    /// Cells padded to their column's width: the first `leftColumns` columns left-aligned, others right-aligned.
    static func align(_ cells: [[String]], leftColumns: Int) -> String {
        guard let width = cells.first?.count else { return "" }
        var widths = [Int](repeating: 0, count: width)
        for row in cells { for (j, c) in row.enumerated() { widths[j] = Swift.max(widths[j], c.count) } }
        return cells.map { row in
            row.enumerated().map { j, c in
                let pad = String(repeating: " ", count: widths[j] - c.count)
                return j < leftColumns ? c + pad : pad + c
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
