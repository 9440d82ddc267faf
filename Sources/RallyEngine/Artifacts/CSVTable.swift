/// A CSV file written row by row straight into its text: `\n` line ends and RFC 4180 quoting
/// (a text field with a comma, quote or line break is quoted, quotes doubled). Numbers are
/// written as ``number(_:)`` formats them, so the text is stable across runs.
public struct CSVTable: Sendable {
    /// Column names.
    public let header: [String]
    private var contents: String = ""
    /// Rows written (not counting the header).
    public private(set) var rowCount = 0
    private var fieldsInRow = 0

    /// Creates a table with `header`; `expectedRows` reserves room.
    public init(header: [String], expectedRows: Int = 0) {
        self.header = header
        contents.reserveCapacity((expectedRows + 1) * header.count * 12)
        for name in header { field(name) }
        fieldsInRow = 0
        contents += "\n"
    }

    /// The file's text so far (header, then every ended row).
    public func text() -> String { contents }

    /// A number as a field: integers without a point, others in their shortest round-trip
    /// form (`0.0647`), NaN as an empty field (missing).
    public static func number(_ x: Double) -> String {
        var text = ""
        write(x, to: &text)
        return text
    }

    /// Appends ``number(_:)``'s text of `x` to `out` (Swift's `write(to:)` prints what
    /// `description` gives, without building a string of its own).
    private static func write(_ x: Double, to out: inout String) {
        if x.isNaN { return }
        if x == x.rounded() && abs(x) < 1e15 { out += String(Int64(x)) } else { x.write(to: &out) }
    }

    /// Appends a text field to the current row, quoted when it needs to be.
    public mutating func field(_ value: String) {
        separate()
        if value.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
            contents += "\""
            contents += value.replacingOccurrences(of: "\"", with: "\"\"")
            contents += "\""
        } else {
            contents += value
        }
    }

    /// Appends a number field (see ``number(_:)``) to the current row.
    public mutating func number(_ x: Double) {
        separate()
        Self.write(x, to: &contents)
    }

    /// Ends the current row; it must have one field per column.
    public mutating func endRow() {
        precondition(fieldsInRow == header.count, "a CSV row needs \(header.count) fields, got \(fieldsInRow)")
        contents += "\n"
        fieldsInRow = 0
        rowCount += 1
    }

    /// Appends a whole row of text fields.
    public mutating func append(_ fields: [String]) {
        for f in fields { field(f) }
        endRow()
    }

    private mutating func separate() {
        if fieldsInRow > 0 { contents += "," }
        fieldsInRow += 1
    }
}
