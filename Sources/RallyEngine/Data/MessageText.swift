/// Text from a file, or about one, made fit for an error message: bounded, with control
/// characters and invalid UTF-8 escaped, so a message is a few hundred printable characters
/// whatever the input held.
enum MessageText {
    /// The longest message a reader throws, in bytes (longer ones are cut, saying so).
    static let maxMessageBytes = 600

    /// `bytes[start..<end]` as printable text: valid UTF-8 kept, control characters as `\n`,
    /// `\r`, `\t`, `\0` or `\u{1B}` (Swift's ASCII escapes), each invalid byte as `\xFF`; cut after `limit` characters
    /// (or about `2 * limit` bytes of escapes) with ` ... (N bytes)`.
    static func quote(_ b: UnsafePointer<UInt8>, _ start: Int, _ end: Int, limit: Int = 80) -> String {
        var out = ""
        var shown = 0
        var i = start
        while i < end {
            guard shown < limit && out.utf8.count < 2 * limit else { return out + " ... (\(end - start) bytes)" }
            let (scalar, length) = decode(b, i, end)
            if let scalar {
                out += escaped(scalar)
            } else {
                out += "\\x" + hex(b[i])
            }
            i += length
            shown += 1
        }
        return out
    }

    /// `text` with control characters and U+FFFD escaped, cut after `limit` characters (or
    /// about `2 * limit` bytes of escapes).
    static func quote(_ text: String, limit: Int = 80) -> String {
        var out = ""
        for (k, c) in text.unicodeScalars.enumerated() {
            guard k < limit && out.utf8.count < 2 * limit else { return out + " ... (\(text.unicodeScalars.count) characters)" }
            out += escaped(c)
        }
        return out
    }

    /// The first `limit` items of `items`, joined by `, `, then `, ... (N in all)` when there
    /// are more.
    static func list(_ items: [String], limit: Int = 8) -> String {
        items.prefix(limit).joined(separator: ", ") + (items.count > limit ? ", ... (\(items.count) in all)" : "")
    }

    /// Header names for a message: each quoted (see ``quote(_:limit:)``), the first eight.
    static func headers(_ header: [String]) -> String {
        list(header.map { quote($0, limit: 40) })
    }

    /// A finished message: control characters and U+FFFD escaped, cut to ``maxMessageBytes``.
    static func bounded(_ message: String) -> String {
        var out = ""
        for c in message.unicodeScalars {
            let piece = escaped(c)
            if out.utf8.count + piece.utf8.count > maxMessageBytes - 40 {
                return out + " ... (message cut: \(message.utf8.count) bytes)"
            }
            out += piece
        }
        return out
    }

    private static func escaped(_ c: Unicode.Scalar) -> String {
        switch c.value {
        case 0..<32, 127..<160, 0xFFFD, 0x2028, 0x2029: return c.escaped(asASCII: true)
        default: return String(c)
        }
    }

    private static func hex(_ v: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String(digits[Int(v >> 4)]) + String(digits[Int(v & 15)])
    }

    /// The scalar starting at `b[i]` and its length in bytes, or nil and 1 for an invalid byte.
    private static func decode(_ b: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> (Unicode.Scalar?, Int) {
        let c0 = b[i]
        if c0 < 0x80 { return (Unicode.Scalar(c0), 1) }
        let length: Int, minimum: UInt32
        var value: UInt32
        switch c0 {
        case 0xC2...0xDF: (length, value, minimum) = (2, UInt32(c0 & 0x1F), 0x80)
        case 0xE0...0xEF: (length, value, minimum) = (3, UInt32(c0 & 0x0F), 0x800)
        case 0xF0...0xF4: (length, value, minimum) = (4, UInt32(c0 & 0x07), 0x10000)
        default: return (nil, 1)
        }
        guard i + length <= end else { return (nil, 1) }
        for k in 1..<length {
            let c = b[i + k]
            guard c & 0xC0 == 0x80 else { return (nil, 1) }
            value = value << 6 | UInt32(c & 0x3F)
        }
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return (nil, 1) }
        return (scalar, length)
    }
}
