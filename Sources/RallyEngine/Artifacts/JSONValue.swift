/// A JSON document whose text is a pure function of its value: object keys keep the order
/// they were given in, numbers are printed in the shortest form that reads back to the same
/// `Double` (Swift's `description`), so equal values always give byte-identical files.
public indirect enum JSONValue: Sendable, Equatable {
    /// `null` (also what a NaN or infinite number is written as).
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// An integer, written without a decimal point.
    case integer(Int)
    /// A number, written in its shortest round-trip form (`0.0647`, `1e-07`); NaN and ±∞ as `null`.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; keys in the given order.
    case object([(String, JSONValue)])

    /// Two values are equal when they print the same text (so NaN equals null, as written).
    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.text() == b.text() }

    /// A number, or `null` for NaN and ±∞ (JSON has no such numbers).
    public static func finite(_ x: Double) -> JSONValue { x.isFinite ? .number(x) : .null }

    /// The pretty-printed text: two-space indents, arrays of scalars on one line, a final newline.
    public func text() -> String {
        var out = ""
        write(into: &out, indent: 0)
        out += "\n"
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    private func write(into out: inout String, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .integer(let i): out += String(i)
        case .number(let x): if x.isFinite { x.write(to: &out) } else { out += "null" }
        case .string(let s): out += JSONText.string(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy(\.isScalar) {
                out += "["
                for (i, item) in items.enumerated() {
                    if i > 0 { out += ", " }
                    item.write(into: &out, indent: indent)
                }
                out += "]"
                return
            }
            let pad = String(repeating: "  ", count: indent + 1)
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(into: &out, indent: indent + 1)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            let pad = String(repeating: "  ", count: indent + 1)
            out += "{\n"
            for (i, (key, value)) in fields.enumerated() {
                out += pad
                out += JSONText.string(key)
                out += ": "
                value.write(into: &out, indent: indent + 1)
                out += i + 1 < fields.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }
}
