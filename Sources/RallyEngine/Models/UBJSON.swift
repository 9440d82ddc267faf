/// A Universal Binary JSON document (draft 12, big-endian) as XGBoost saves a model with
/// `{"format": "ubj"}`: objects, arrays (typed arrays of numbers come out as one array of
/// numbers), strings, numbers, booleans and null. It reads what XGBoost writes; it is not a
/// general UBJSON library (no high-precision numbers, no writer), and it trusts nothing: any
/// malformed or truncated input is nil, never a crash.
indirect enum UBJSON {
    case object([String: UBJSON])
    case array([UBJSON])
    case floats([Float])
    case integers([Int])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// The document in `bytes`, or nil when it is not one.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> UBJSON? {
        var reader = Reader(bytes: bytes)
        guard let marker = reader.byte(), let value = reader.value(marker), reader.at == bytes.count else { return nil }
        return value
    }

    subscript(key: String) -> UBJSON? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    var string: String? { if case .string(let s) = self { return s }; return nil }
    var elements: [UBJSON]? { if case .array(let a) = self { return a }; return nil }

    /// The numbers of an array (typed or not) as floats, when every one is a number.
    var floats: [Float]? {
        switch self {
        case .floats(let f): return f
        case .integers(let i): return i.map { Float($0) }
        case .array(let a): return a.allSatisfy({ if case .number = $0 { return true }; return false }) ? a.map { if case .number(let x) = $0 { return Float(x) }; return 0 } : nil
        default: return nil
        }
    }

    /// The numbers of an array (typed or not) as integers, when every one is a whole number.
    var integers: [Int]? {
        switch self {
        case .integers(let i): return i
        case .array(let a):
            var out: [Int] = []
            for e in a {
                switch e {
                case .number(let x) where x == x.rounded() && abs(x) < 1e15: out.append(Int(x))
                case .bool(let b): out.append(b ? 1 : 0)
                default: return nil
                }
            }
            return out
        default: return nil
        }
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var at = 0
        /// Containers open, bounded so that a hostile input cannot exhaust the stack.
        var depth = 0

        mutating func byte() -> UInt8? {
            guard at < bytes.count else { return nil }
            defer { at += 1 }
            return bytes[at]
        }

        mutating func bigEndian<T: FixedWidthInteger>(_: T.Type) -> T? {
            let size = MemoryLayout<T>.size
            guard at + size <= bytes.count else { return nil }
            var v: T = 0
            for k in 0..<size { v = (v << 8) | T(truncatingIfNeeded: bytes[at + k]) }
            at += size
            return v
        }

        /// An integer of the type `marker` names.
        mutating func integer(_ marker: UInt8) -> Int? {
            switch marker {
            case UInt8(ascii: "i"): return bigEndian(UInt8.self).map { Int(Int8(bitPattern: $0)) }
            case UInt8(ascii: "U"): return bigEndian(UInt8.self).map { Int($0) }
            case UInt8(ascii: "I"): return bigEndian(UInt16.self).map { Int(Int16(bitPattern: $0)) }
            case UInt8(ascii: "l"): return bigEndian(UInt32.self).map { Int(Int32(bitPattern: $0)) }
            case UInt8(ascii: "L"): return bigEndian(UInt64.self).map { Int(Int64(bitPattern: $0)) }
            default: return nil
            }
        }

        /// A length: a non-negative integer with its own marker, no larger than what is left.
        mutating func length() -> Int? {
            guard let marker = byte(), let n = integer(marker), n >= 0, n <= bytes.count - at else { return nil }
            return n
        }

        mutating func text() -> String? {
            guard let n = length() else { return nil }
            defer { at += n }
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[at..<(at + n)]), as: UTF8.self)
        }

        mutating func value(_ marker: UInt8) -> UBJSON? {
            switch marker {
            case UInt8(ascii: "Z"): return .null
            case UInt8(ascii: "T"): return .bool(true)
            case UInt8(ascii: "F"): return .bool(false)
            case UInt8(ascii: "d"): return bigEndian(UInt32.self).map { .number(Double(Float(bitPattern: $0))) }
            case UInt8(ascii: "D"): return bigEndian(UInt64.self).map { .number(Double(bitPattern: $0)) }
            case UInt8(ascii: "S"): return text().map { .string($0) }
            case UInt8(ascii: "C"): return byte().map { .string(String(UnicodeScalar($0))) }
            case UInt8(ascii: "["): return container(object: false)
            case UInt8(ascii: "{"): return container(object: true)
            default: return integer(marker).map { .number(Double($0)) }
            }
        }

        mutating func container(object: Bool) -> UBJSON? {
            guard depth < 64 else { return nil }
            depth += 1
            defer { depth -= 1 }
            var type: UInt8?, count: Int?
            if at < bytes.count, bytes[at] == UInt8(ascii: "$") {
                at += 1
                guard let t = byte() else { return nil }
                type = t
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: "#") {
                at += 1
                guard let n = length() else { return nil }
                count = n
            }
            guard type == nil || count != nil else { return nil }
            if !object, let type, let count {
                // typed arrays of numbers, read in one go
                switch type {
                case UInt8(ascii: "d"):
                    guard count <= (bytes.count - at) / 4 else { return nil }
                    var out = [Float](repeating: 0, count: count)
                    for k in 0..<count { out[k] = Float(bitPattern: bigEndian(UInt32.self)!) }
                    return .floats(out)
                case UInt8(ascii: "i"), UInt8(ascii: "U"), UInt8(ascii: "I"), UInt8(ascii: "l"), UInt8(ascii: "L"):
                    var out: [Int] = []
                    out.reserveCapacity(min(count, bytes.count - at))
                    for _ in 0..<count {
                        guard let v = integer(type) else { return nil }
                        out.append(v)
                    }
                    return .integers(out)
                default: break
                }
            }
            var fields: [String: UBJSON] = [:], items: [UBJSON] = []
            var k = 0
            while true {
                if let count {
                    if k == count { break }
                } else {
                    guard at < bytes.count else { return nil }
                    if bytes[at] == UInt8(ascii: object ? "}" : "]") { at += 1; break }
                }
                var key = ""
                if object {
                    guard let name = text() else { return nil }
                    key = name
                }
                guard let marker = type ?? byte(), let v = value(marker) else { return nil }
                if object { fields[key] = v } else { items.append(v) }
                k += 1
            }
            return object ? .object(fields) : .array(items)
        }
    }
}
