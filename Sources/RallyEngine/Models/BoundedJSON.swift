import Foundation

/// A strict JSON reader for untrusted files: RFC 8259 only (no NaN, no comments, no trailing
/// commas), nesting at most ``maxDepth`` deep, duplicate keys refused (two readers could pick
/// different ones), numbers kept with their exact integer value when they have one. Errors say
/// what was wrong and at which byte.
enum BoundedJSON: Sendable {
    case null
    case bool(Bool)
    /// A number: its double value; its value as an integer when it is written as one (no
    /// fraction or exponent) and fits in 64 bits; whether it is written with a fraction or an
    /// exponent (XGBoost reads those as floats, the others as integers, and refuses one for the other).
    case number(Double, integer: Int64?, float: Bool)
    case string(String)
    case array([BoundedJSON])
    case object([String: BoundedJSON])

    /// The deepest nesting of arrays and objects accepted.
    static let maxDepth = 32

    /// Parses `bytes`; throws a message naming the byte offset of the problem.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws -> BoundedJSON {
        var reader = Reader(bytes: bytes)
        reader.skipBlanks()
        let value = try reader.value(depth: 0)
        reader.skipBlanks()
        guard reader.i == bytes.count else { throw reader.failure("text after the JSON value") }
        return value
    }

    /// Parses `text` (for attributes holding JSON).
    static func parse(_ text: String) throws -> BoundedJSON {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBytes { try parse($0) }
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var i = 0

        func failure(_ what: String) -> RallyError { RallyError("malformed JSON at byte \(i): \(what)") }

        mutating func skipBlanks() {
            while i < bytes.count {
                let c = bytes[i]
                guard c == 32 || c == 10 || c == 13 || c == 9 else { return }
                i += 1
            }
        }

        mutating func value(depth: Int) throws -> BoundedJSON {
            guard i < bytes.count else { throw failure("the text ends where a value should be") }
            switch bytes[i] {
            case 123, 91:
                guard depth < BoundedJSON.maxDepth else { throw failure("nested more than \(BoundedJSON.maxDepth) levels deep") }
                return bytes[i] == 123 ? try object(depth: depth + 1) : try array(depth: depth + 1)
            case 34: return .string(try string())
            case 116: try literal("true"); return .bool(true)
            case 102: try literal("false"); return .bool(false)
            case 110: try literal("null"); return .null
            default: return try number()
            }
        }

        private mutating func literal(_ word: String) throws {
            for c in word.utf8 {
                guard i < bytes.count, bytes[i] == c else { throw failure("expected \(word)") }
                i += 1
            }
        }

        private mutating func array(depth: Int) throws -> BoundedJSON {
            i += 1
            var out: [BoundedJSON] = []
            skipBlanks()
            if i < bytes.count && bytes[i] == 93 { i += 1; return .array(out) }
            while true {
                skipBlanks()
                out.append(try value(depth: depth))
                skipBlanks()
                guard i < bytes.count else { throw failure("an array never closes") }
                if bytes[i] == 93 { i += 1; return .array(out) }
                guard bytes[i] == 44 else { throw failure("expected ',' or ']' in an array") }
                i += 1
            }
        }

        private mutating func object(depth: Int) throws -> BoundedJSON {
            i += 1
            var out: [String: BoundedJSON] = [:]
            skipBlanks()
            if i < bytes.count && bytes[i] == 125 { i += 1; return .object(out) }
            while true {
                skipBlanks()
                guard i < bytes.count, bytes[i] == 34 else { throw failure("expected a key (a string)") }
                let key = try string()
                skipBlanks()
                guard i < bytes.count, bytes[i] == 58 else { throw failure("expected ':' after a key") }
                i += 1
                skipBlanks()
                let v = try value(depth: depth)
                guard out.updateValue(v, forKey: key) == nil else {
                    throw failure("the key \"\(MessageText.quote(key, limit: 40))\" appears twice in one object")
                }
                skipBlanks()
                guard i < bytes.count else { throw failure("an object never closes") }
                if bytes[i] == 125 { i += 1; return .object(out) }
                guard bytes[i] == 44 else { throw failure("expected ',' or '}' in an object") }
                i += 1
            }
        }

        private mutating func string() throws -> String {
            i += 1
            // the common case: no escapes, read in place
            var j = i
            while j < bytes.count && bytes[j] != 34 && bytes[j] != 92 && bytes[j] >= 32 { j += 1 }
            if j < bytes.count && bytes[j] == 34 {
                defer { i = j + 1 }
                return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[i..<j]), as: UTF8.self)
            }
            var out: [UInt8] = []
            while true {
                guard i < bytes.count else { throw failure("a string never closes") }
                let c = bytes[i]
                i += 1
                if c == 34 { return String(decoding: out, as: UTF8.self) }
                guard c >= 32 else { throw failure("a control byte inside a string") }
                guard c == 92 else { out.append(c); continue }
                guard i < bytes.count else { throw failure("a string never closes") }
                let e = bytes[i]
                i += 1
                switch e {
                case 34, 92, 47: out.append(e)
                case 98: out.append(8)
                case 102: out.append(12)
                case 110: out.append(10)
                case 114: out.append(13)
                case 116: out.append(9)
                case 117:
                    guard i + 4 <= bytes.count, let v = UInt32(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[i..<(i + 4)]), as: UTF8.self), radix: 16) else {
                        throw failure("a bad \\u escape")
                    }
                    i += 4
                    out.append(contentsOf: Array(String(Unicode.Scalar(v).map(Character.init) ?? "\u{FFFD}").utf8))
                default: throw failure("a bad escape in a string")
                }
            }
        }

        private mutating func number() throws -> BoundedJSON {
            let start = i
            if i < bytes.count && bytes[i] == 45 { i += 1 }
            let digitsStart = i
            while i < bytes.count && bytes[i] >= 48 && bytes[i] <= 57 { i += 1 }
            let intDigits = i - digitsStart
            guard intDigits > 0 else { throw failure("expected a value") }
            guard !(intDigits > 1 && bytes[digitsStart] == 48) else { throw failure("a number with a leading zero") }
            var integral = true
            if i < bytes.count && bytes[i] == 46 {
                integral = false
                i += 1
                let s = i
                while i < bytes.count && bytes[i] >= 48 && bytes[i] <= 57 { i += 1 }
                guard i > s else { throw failure("a number without digits after its point") }
            }
            if i < bytes.count && (bytes[i] == 101 || bytes[i] == 69) {
                integral = false
                i += 1
                if i < bytes.count && (bytes[i] == 43 || bytes[i] == 45) { i += 1 }
                let s = i
                while i < bytes.count && bytes[i] >= 48 && bytes[i] <= 57 { i += 1 }
                guard i > s else { throw failure("a number without exponent digits") }
            }
            let p = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
            guard let v = NumberParser.parse(p, start, i, decimal: 46), v.isFinite else {
                throw failure("a number beyond the range of a double")
            }
            var integer: Int64?
            if integral && intDigits <= 18 {
                var n: Int64 = 0
                for k in digitsStart..<i { n = n * 10 + Int64(bytes[k] - 48) }
                integer = bytes[start] == 45 ? -n : n
            }
            return .number(v, integer: integer, float: !integral)
        }
    }
}
