/// A CSV file built column by column: a header and rows of fields, written with `\n` line
/// ends and RFC 4180 quoting (a field with a comma, quote or line break is quoted, quotes
/// doubled). Numbers go through ``number(_:)`` so the text is stable across runs.
public struct CSVTable: Sendable {
    /// Column names.
    public let header: [String]
    /// Rows of already formatted fields.
    public private(set) var rows: [[String]] = []

    /// Creates an empty table with `header`.
    public init(header: [String]) { self.header = header }

    /// Appends a row; it must have one field per column.
    public mutating func append(_ fields: [String]) {
        precondition(fields.count == header.count, "a CSV row needs \(header.count) fields, got \(fields.count)")
        rows.append(fields)
    }

    /// A number as a field: integers without a point, others in their shortest round-trip
    /// form (`0.0647`), NaN as an empty field (missing).
    public static func number(_ x: Double) -> String {
        if x.isNaN { return "" }
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        return x.description
    }

    /// The file's text.
    public func text() -> String {
        var out = ""
        out.reserveCapacity((rows.count + 1) * header.count * 12)
        Self.line(header, into: &out)
        for row in rows { Self.line(row, into: &out) }
        return out
    }

    private static func line(_ fields: [String], into out: inout String) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out += "," }
            if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                out += "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            } else {
                out += field
            }
        }
        out += "\n"
    }
}
