/// What the first line of a CSV file is, for the files that bend the usual layout: a first line
/// of data (no header), and a leading unnamed column of row numbers as pandas writes its index
/// (`,price,load` over `0,...`, `1,...`). Each guess is a report line; nothing here reads data.
enum HeaderLine {
    /// Whether the first line's `fields` are data rather than names: every field (a trailing
    /// empty one aside) is a number or a date or time in a known layout.
    static func isData(_ fields: [String], decimal: UInt8) -> Bool {
        let fields = fields.count > 1 && fields.last == "" ? Array(fields.dropLast()) : fields
        return !fields.isEmpty && fields.allSatisfy { f in
            guard !f.isEmpty else { return false }
            var text = f
            let number = text.withUTF8 { b in b.baseAddress.map { NumberParser.parse($0, 0, b.count, decimal: decimal) != nil } ?? false }
            return number || TimeFormat.candidates.contains { $0.parse(f) != nil }
        }
    }

    /// `column1`, `column2`, ... for `count` fields.
    static func positionalNames(_ count: Int) -> [String] { (0..<count).map { "column\($0 + 1)" } }

    /// The report line of a first line read as data.
    static func note(given: Bool, count: Int) -> String {
        (given ? "header = false: the first line is data" : "the first line holds only numbers and dates: read it as data, not a header (header = true reads it as one)")
            + "; columns named column1..column\(count) by position"
    }

    /// Whether field 0 is a pandas index: its header was empty and its sampled values count 0, 1, 2, ...
    static func isPandasIndex(headerWasEmpty: Bool, samples: [[String]]) -> Bool {
        guard headerWasEmpty, samples.count >= 2 else { return false }
        return samples.enumerated().allSatisfy { k, row in !row.isEmpty && row[0] == String(k) }
    }
}
