import Foundation

/// One cell of a ``SweepTable``: a number (NaN = missing) or a text.
public enum SweepValue: Sendable, Hashable, CustomStringConvertible {
    /// A number; NaN stands for a missing value.
    case number(Double)
    /// A text (a model name, a labeler column).
    case text(String)

    /// The number, when this is one.
    public var number: Double? { if case .number(let x) = self { x } else { nil } }

    /// Numbers compare by value, with every NaN equal to every other NaN (a missing value is
    /// the same missing value in two tables).
    public static func == (a: SweepValue, b: SweepValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): x == y || (x.isNaN && y.isNaN)
        case (.text(let s), .text(let t)): s == t
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .number(let x): hasher.combine(x.isNaN ? Double.nan.bitPattern : (x == 0 ? 0 : x).bitPattern)
        case .text(let s): hasher.combine(s)
        }
    }

    /// `0.95`, `672`, `gbdt`, `nan`.
    public var description: String {
        switch self {
        case .number(let x): Format.number(x)
        case .text(let s): s
        }
    }
}

/// A table of sweep results: one row per run (a labeler configuration and a model), the first
/// ``keys`` columns saying which run it is (`q`, `window`, `model`), the others its figures.
///
/// Tables are values: sorting, filtering, cutting and pivoting return new tables. Column names
/// that are ``Metric`` keys (`pr_auc`), their intervals (`pr_auc_lo`, `pr_auc_hi`) and their
/// differences from the baseline (`pr_auc_diff`) sort best first by default: highest first, or
/// lowest first for a loss.
public struct SweepTable: Sendable, Equatable {
    /// Column names, in order.
    public let columns: [String]
    /// How many leading columns identify a row (the grid parameters and the model).
    public let keys: Int
    /// The rows; each has one value per column.
    public let rows: [[SweepValue]]
    /// The figure the sweep ranks by (``best(_:)`` without a column, the default pivot).
    public let metric: Metric

    /// Creates a table; every row must have one value per column.
    public init(columns: [String], keys: Int, rows: [[SweepValue]], metric: Metric) {
        precondition(keys >= 0 && keys <= columns.count, "keys within the columns")
        precondition(rows.allSatisfy { $0.count == columns.count }, "one value per column")
        self.columns = columns
        self.keys = keys
        self.rows = rows
        self.metric = metric
    }

    /// Number of rows.
    public var count: Int { rows.count }

    /// The index of column `name`; throws naming the columns when there is none.
    public func column(_ name: String) throws -> Int {
        guard let j = columns.firstIndex(of: name) else {
            throw RallyError("sweep table: no column '\(name)'; columns: \(columns.joined(separator: ", "))")
        }
        return j
    }

    /// The metric a column reports on: `pr_auc`, `pr_auc_lo`, `pr_auc_hi`, `pr_auc_diff`, `pr_auc_diff_lo`... give `.prAUC`.
    static func metric(ofColumn name: String) -> Metric? {
        var base = name
        for suffix in ["_lo", "_hi"] where base.hasSuffix(suffix) { base.removeLast(suffix.count) }
        if base.hasSuffix("_diff") { base.removeLast(5) }
        return Metric(key: base)
    }

    /// Whether column `name` sorts highest first by default: a metric where higher is better
    /// (or its interval bounds, or its difference from the baseline).
    public static func higherIsBetter(_ name: String) -> Bool {
        metric(ofColumn: name)?.higherIsBetter ?? false
    }

    /// A copy with `rows`.
    private func with(rows: [[SweepValue]]) -> SweepTable {
        SweepTable(columns: columns, keys: keys, rows: rows, metric: metric)
    }

    /// Rows sorted by column `name`, stably; `descending` nil sorts best first for a metric
    /// column and ascending otherwise. Missing values (NaN) always come last.
    public func sorted(by name: String, descending: Bool? = nil) throws -> SweepTable {
        let j = try column(name)
        let down = descending ?? Self.higherIsBetter(name)
        let order = rows.indices.sorted { a, b in
            switch Self.compare(rows[a][j], rows[b][j], descending: down) {
            case .some(let less): less
            case nil: a < b
            }
        }
        return with(rows: order.map { rows[$0] })
    }

    /// Whether `a` goes before `b` (nil when neither does): numbers before texts, missing numbers last.
    private static func compare(_ a: SweepValue, _ b: SweepValue, descending: Bool) -> Bool? {
        switch (a, b) {
        case (.number(let x), .number(let y)):
            if x.isNaN || y.isNaN { return x.isNaN == y.isNaN ? nil : y.isNaN }
            if x == y { return nil }
            return descending ? x > y : x < y
        case (.text(let s), .text(let t)):
            if s == t { return nil }
            return descending ? s > t : s < t
        case (.number, .text): return true
        case (.text, .number): return false
        }
    }

    /// The first `n` rows (all of them when there are fewer).
    public func top(_ n: Int) throws -> SweepTable {
        guard n >= 0 else { throw RallyError("sweep table: top needs a count of 0 or more, got \(n)") }
        return with(rows: Array(rows.prefix(n)))
    }

    /// The rows for which `keep` is true, in order.
    public func filtered(_ keep: ([SweepValue]) throws -> Bool) rethrows -> SweepTable {
        with(rows: try rows.filter(keep))
    }

    /// The index of the row with the best value of column `name` (default: the sweep's
    /// metric), highest or lowest as ``higherIsBetter(_:)`` says; the first such row on a tie;
    /// nil when every value is missing.
    public func best(_ name: String? = nil) throws -> Int? {
        let key = name ?? metric.rawValue
        let j = try column(key)
        let high = Self.higherIsBetter(key)
        var found: (index: Int, value: Double)?
        for (i, row) in rows.enumerated() {
            guard let x = row[j].number else {
                throw RallyError("sweep table: column '\(key)' holds texts; best needs a column of numbers")
            }
            if x.isNaN { continue }
            if let f = found, !(high ? x > f.value : x < f.value) { continue }
            found = (i, x)
        }
        return found?.index
    }

    /// How ``pivot(row:column:value:aggregate:)`` combines several rows that fall in one cell.
    public enum Aggregate: String, Sendable, CaseIterable {
        /// The mean of the non-missing values.
        case mean
        /// The smallest value.
        case min
        /// The largest value.
        case max
        /// The best value: the largest, or the smallest for a loss.
        case best

        /// The aggregate called `name`; throws, naming the valid ones, when there is none.
        public static func named(_ name: String) throws -> Aggregate {
            guard let aggregate = Aggregate(rawValue: name) else {
                throw RallyError("expected one of \(allCases.map { JSONText.string($0.rawValue) }.joined(separator: ", ")), got \(JSONText.string(name))")
            }
            return aggregate
        }
    }

    /// A cross table: one row per distinct value of column `row`, one column per distinct value
    /// of column `column` (both in order of first appearance), each cell the `value` of the
    /// rows that have that pair. Without `aggregate`, a cell that several rows fall in is an
    /// error naming the columns that tell them apart (filter first, or aggregate).
    public func pivot(row: String, column: String, value: String, aggregate: Aggregate? = nil) throws -> SweepTable {
        func index(_ name: String, argument: Int) throws -> Int {
            do { return try self.column(name) } catch let e as RallyError { throw RallyError(e.message, argument: argument) }
        }
        let r = try index(row, argument: 1), c = try index(column, argument: 2), v = try index(value, argument: 3)
        guard r != c else { throw RallyError("sweep table: pivot needs two different columns, got '\(row)' twice", argument: 2) }
        if rows.contains(where: { $0[v].number == nil }) {
            throw RallyError("sweep table: pivot value column '\(value)' holds texts; numbers expected", argument: 3)
        }
        var distinct: [SweepValue] = []
        for values in rows where !distinct.contains(values[c]) { distinct.append(values[c]) }
        let names = [row] + distinct.map(\.description)
        if let twice = names.enumerated().first(where: { names[..<$0.offset].contains($0.element) })?.element {
            throw RallyError("sweep table: pivot would have two columns named '\(twice)'; pivot on other columns", argument: 2)
        }
        var rowValues: [SweepValue] = [], columnValues: [SweepValue] = []
        var cells: [SweepValue: [SweepValue: [Double]]] = [:]
        var witnesses: [SweepValue: [SweepValue: [Int]]] = [:]
        for (i, values) in rows.enumerated() {
            let x = values[v].number!
            let a = values[r], b = values[c]
            if !rowValues.contains(a) { rowValues.append(a) }
            if !columnValues.contains(b) { columnValues.append(b) }
            cells[a, default: [:]][b, default: []].append(x)
            witnesses[a, default: [:]][b, default: []].append(i)
        }
        if aggregate == nil {
            for a in rowValues {
                for b in columnValues {
                    guard let same = witnesses[a]?[b], same.count > 1 else { continue }
                    let differing = columns.indices.filter { j in
                        j < keys && j != r && j != c && Set(same.map { rows[$0][j] }).count > 1
                    }.map { columns[$0] }
                    let why = differing.isEmpty ? "" : " differing in \(differing.joined(separator: ", "))"
                    throw RallyError("""
                        sweep table: pivot cell \(row)=\(a), \(column)=\(b) holds \(same.count) rows\(why); \
                        filter the table first or pass an aggregate ("mean", "min", "max" or "best")
                        """, argument: 4)
                }
            }
        }
        let high = Self.higherIsBetter(value)
        let out = rowValues.map { a -> [SweepValue] in
            [a] + columnValues.map { b -> SweepValue in
                let xs = (cells[a]?[b] ?? []).filter { !$0.isNaN }
                guard !xs.isEmpty else { return .number(.nan) }
                switch aggregate ?? .mean {
                case .mean: return .number(xs.reduce(0, +) / Double(xs.count))
                case .min: return .number(xs.min()!)
                case .max: return .number(xs.max()!)
                case .best: return .number(high ? xs.max()! : xs.min()!)
                }
            }
        }
        return SweepTable(columns: names, keys: 1, rows: out, metric: metric)
    }

    // MARK: text

    /// A cell as the text table shows it: parameters and counts as compact numbers, figures
    /// with four decimals (p-values below 0.001 in scientific notation), missing values as "—".
    func cell(_ value: SweepValue, column j: Int) -> String {
        switch value {
        case .text(let s): return s
        case .number(let x):
            if x.isNaN { return "—" }
            if j < keys || (x == x.rounded() && abs(x) >= 1) { return Format.number(x) }
            if columns[j].hasSuffix("_p") && x < 0.001 { return String(format: "%.1e", x) }
            return Format.fixed(x, digits: 4)
        }
    }

    /// Whether column `j` holds whole numbers: the key columns (labeler parameters) and the
    /// counts (`test_rows`, `positives`). Their values are integers when handed to a script.
    public func isWhole(column j: Int) -> Bool {
        j < keys || columns[j] == "test_rows" || columns[j] == "positives"
    }

    /// The table as aligned text: texts left-aligned, numbers right-aligned, the given columns
    /// (default: all) in their table order.
    public func text(columns chosen: [String]? = nil) throws -> String {
        let shown = try (chosen ?? columns).map { try column($0) }
        var lines: [[String]] = [shown.map { columns[$0] }]
        for row in rows { lines.append(shown.map { cell(row[$0], column: $0) }) }
        let widths = shown.indices.map { k in lines.map { $0[k].count }.max() ?? 0 }
        let numeric = shown.map { j in rows.contains { $0[j].number != nil } }
        return lines.map { fields in
            fields.enumerated().map { k, field in
                let pad = String(repeating: " ", count: widths[k] - field.count)
                if numeric[k] { return pad + field }
                return k == fields.count - 1 ? field : field + pad
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// The table as CSV: a header line, then one line per row; numbers in their shortest
    /// round-trip form, missing values as empty fields.
    public func csv() -> String {
        var table = CSVTable(header: columns)
        for row in rows {
            table.append(row.map { v in
                switch v {
                case .number(let x): CSVTable.number(x)
                case .text(let s): s
                }
            })
        }
        return table.text()
    }
}
