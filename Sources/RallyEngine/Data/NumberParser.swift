import Foundation

/// Parses decimal numbers straight from bytes, correctly rounded.
///
/// The common case (at most 19 significant digits forming a mantissa below 2^53 and a decimal
/// exponent within ±22) is exact with one multiplication or division by a power of ten
/// (Clinger's fast path); anything else goes through `strtod`. No `String` is built.
enum NumberParser {
    /// The longest text read as a number (longer text is not a number: no allocation or
    /// `strtod` call is sized by a cell's length).
    static let maxLength = 1_000

    private static let powersOfTen: [Double] = (0...22).map { pow(10.0, Double($0)) }

    /// The number in `p[start..<end]` (already trimmed, not empty, at most ``maxLength`` bytes),
    /// with `decimal` as the decimal separator; NaN for the text `nan`/`NaN`; nil when it is not
    /// a number.
    @inline(__always)
    static func parse(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, decimal: UInt8) -> Double? {
        guard end - start <= maxLength else { return nil }
        var i = start
        var negative = false
        if p[i] == 45 { negative = true; i += 1 } else if p[i] == 43 { i += 1 }
        var mantissa: UInt64 = 0
        var exponent = 0
        var digits = 0
        var exact = true
        while i < end {
            let d = p[i] &- 48
            guard d < 10 else { break }
            if mantissa < 1_000_000_000_000_000_000 { mantissa = mantissa &* 10 &+ UInt64(d) } else { exponent += 1; exact = false }
            digits += 1
            i += 1
        }
        if i < end && p[i] == decimal {
            i += 1
            while i < end {
                let d = p[i] &- 48
                guard d < 10 else { break }
                if mantissa < 1_000_000_000_000_000_000 { mantissa = mantissa &* 10 &+ UInt64(d); exponent -= 1 } else { exact = false }
                digits += 1
                i += 1
            }
        }
        guard digits > 0 else { return isNaNText(p, start, end) ? .nan : nil }
        if i < end && (p[i] == 101 || p[i] == 69) {
            i += 1
            var expNegative = false
            if i < end && (p[i] == 45 || p[i] == 43) { expNegative = p[i] == 45; i += 1 }
            var e = 0
            var expDigits = 0
            while i < end {
                let d = p[i] &- 48
                guard d < 10 else { break }
                if e < 100_000 { e = e * 10 + Int(d) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            exponent += expNegative ? -e : e
        }
        guard i == end else { return nil }
        if exact && mantissa <= 9_007_199_254_740_992 && exponent >= -22 && exponent <= 22 {
            var v = Double(mantissa)
            v = exponent < 0 ? v / powersOfTen[-exponent] : v * powersOfTen[exponent]
            return negative ? -v : v
        }
        return slowPath(p, start, end, decimal: decimal)
    }

    /// Whether `p[start..<end]` spells NaN (`nan`, `NaN`, `NAN`).
    private static func isNaNText(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        guard end - start == 3 else { return false }
        return p[start] | 0x20 == 110 && p[start + 1] | 0x20 == 97 && p[start + 2] | 0x20 == 110
    }

    /// `strtod` on a NUL-terminated copy (with the decimal separator turned into '.').
    private static func slowPath(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, decimal: UInt8) -> Double? {
        let n = end - start
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { buf in
            for k in 0..<n {
                let c = p[start + k]
                buf[k] = CChar(bitPattern: c == decimal ? 46 : c)
            }
            buf[n] = 0
            var stop: UnsafeMutablePointer<CChar>?
            let v = strtod(buf.baseAddress!, &stop)
            guard let stop, stop - buf.baseAddress! == n else { return nil }
            return v
        }
    }
}
