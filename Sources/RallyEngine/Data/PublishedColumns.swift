/// The publish times of as-of columns (``Dataset/published``) as CSV columns: `ds:write` writes
/// a column `<name>_published` after each column joined from forecast vintages, holding when
/// each value was published (the dataset's local time with its UTC offset on a zoned dataset,
/// the naive reading on the wall clock; empty where no vintage was joined), and `rally.load`
/// reads such a column back as the publish times of `<name>`, so a round trip keeps them bit
/// for bit.
///
/// A column is taken for publish times when it is named `<name>_published`, a column `<name>`
/// is read too, and none of its first sampled cells is a number; otherwise it is an ordinary
/// column. Not a reader of vintages (several forecasts per target): see ``VintageReader``.
enum PublishedColumns {
    /// The suffix of a publish-time column's name.
    static let suffix = "_published"

    /// The name of the column holding `column`'s publish times.
    static func name(of column: String) -> String { column + suffix }

    /// `selected` parted into value columns and publish-time columns (each with the value
    /// column it belongs to), judged by the header and the sampled records.
    static func part(_ selected: [(index: Int, name: String)], samples: [[String]], decimal: UInt8)
        -> (values: [(index: Int, name: String)], published: [(index: Int, of: String)]) {
        let names = Set(selected.map(\.name))
        var values: [(index: Int, name: String)] = []
        var published: [(index: Int, of: String)] = []
        for c in selected {
            let owner = String(c.name.dropLast(suffix.count))
            let isNumber = { (text: String) -> Bool in
                var t = text
                return t.withUTF8 { b in b.baseAddress.map { NumberParser.parse($0, 0, b.count, decimal: decimal) != nil } ?? false }
            }
            let cells = samples.lazy.compactMap { c.index < $0.count ? $0[c.index].trimmingBlanks : nil }.filter { !$0.isEmpty }
            if c.name.hasSuffix(suffix), !owner.isEmpty, names.contains(owner), !cells.contains(where: isNumber) {
                published.append((c.index, owner))
            } else {
                values.append(c)
            }
        }
        return (values, published)
    }

    /// One cell of a publish-time column: nil when empty (no vintage), else the time it holds
    /// (a reading, or an instant with its offset). Throws a message naming the cell.
    static func cell(_ text: String, path: String, line: Int, field: Int, column: String) throws -> SplitTime? {
        guard !text.isEmpty else { return nil }
        do { return try SplitTime.parse(text) } catch let e as RallyError {
            throw RallyError("\(path):\(line):\(field + 1): column '\(column)' holds publish times: \(e.message)")
        }
    }

    /// The publish times read (`cells[k][row]`, per column of `columns`) as timestamps of a
    /// dataset in `zone`: instants on a zoned dataset, readings on the wall clock (the kind of
    /// clock must match: an error naming the column and line otherwise); no vintage is
    /// `Int64.min`.
    static func timestamps(_ cells: [[SplitTime?]], columns: [(index: Int, of: String)], zone: MarketZone, path: String,
                           line: (Int) -> Int) throws -> [String: [Int64]] {
        var out: [String: [Int64]] = [:]
        for (k, c) in columns.enumerated() {
            out[c.of] = try cells[k].enumerated().map { row, cell in
                switch (cell, zone.isWallClock) {
                case (nil, _): return Int64.min
                case (.local(let t)?, true): return t
                case (.instant(let i)?, false): return i.utc
                case (let given?, _):
                    throw RallyError("""
                        \(path):\(line(row)):\(c.index + 1): column '\(name(of: c.of))' holds \(zone.isWallClock ? "a time with a UTC offset" : "a time without a UTC offset") \
                        (\(given.text)) but the dataset's times are \(zone.isWallClock ? "naive (wall clock)" : "instants (\(zone.name))"); publish times must be on the same clock
                        """)
                }
            }
        }
        return out
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs.
    var trimmingBlanks: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(scalars[first...last])
    }
}
