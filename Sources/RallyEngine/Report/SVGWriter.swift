import Foundation

/// Writes SVG text element by element: attributes and text are escaped, numbers go through
/// ``number(_:)`` so the same drawing always gives the same bytes, and elements are closed in
/// order so the result is well-formed XML.
public struct SVGWriter {
    private var text = ""
    private var open: [String] = []

    /// Starts a document of `width` × `height` pixels whose accessible title is `title`.
    public init(width: Double, height: Double, title: String) {
        text.reserveCapacity(64 * 1024)
        text += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        start("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"),
            ("width", Self.number(width)), ("height", Self.number(height)),
            ("viewBox", "0 0 \(Self.number(width)) \(Self.number(height))"),
            ("font-family", "DejaVu Sans, Helvetica, Arial, sans-serif"), ("font-size", "12"),
            ("role", "img"),
        ])
        element("title", [], text: title)
        element("rect", [("x", "0"), ("y", "0"), ("width", Self.number(width)), ("height", Self.number(height)), ("fill", "#ffffff")])
    }

    /// Opens element `name`; every ``start(_:_:)`` needs a matching ``end()``.
    public mutating func start(_ name: String, _ attributes: [(String, String)]) {
        text += "<" + name
        Self.append(attributes, to: &text)
        text += ">\n"
        open.append(name)
    }

    /// Closes the innermost open element.
    public mutating func end() {
        guard let name = open.popLast() else { preconditionFailure("SVGWriter.end() without an open element") }
        text += "</" + name + ">\n"
    }

    /// Writes a complete element, empty or with escaped `text` content.
    public mutating func element(_ name: String, _ attributes: [(String, String)], text content: String? = nil) {
        text += "<" + name
        Self.append(attributes, to: &text)
        if let content {
            text += ">" + Self.escape(content) + "</" + name + ">\n"
        } else {
            text += "/>\n"
        }
    }

    /// The document, with every open element closed.
    public mutating func finish() -> String {
        while !open.isEmpty { end() }
        return text
    }

    /// `s` escaped for XML text and attribute values (`& < > " '`); control characters other
    /// than tab and line feed, which XML 1.0 forbids, become U+FFFD.
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// A coordinate or length: at most two decimals, trailing zeros dropped, never `-0`.
    public static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let hundredths = (x * 100).rounded()
        if hundredths == 0 { return "0" }
        var s = String(format: "%.2f", hundredths / 100)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// The `points` of a polyline or polygon.
    public static func points(_ xs: [Double], _ ys: [Double]) -> String {
        var out = ""
        for i in xs.indices {
            if i > 0 { out += " " }
            out += number(xs[i]) + "," + number(ys[i])
        }
        return out
    }

    private static func append(_ attributes: [(String, String)], to text: inout String) {
        for (key, value) in attributes {
            text += " " + key + "=\"" + escape(value) + "\""
        }
    }
}
