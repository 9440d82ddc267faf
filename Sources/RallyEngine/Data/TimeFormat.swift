/// A date-time layout such as `%Y-%m-%d %H:%M:%S`, compiled once and matched against raw bytes.
///
/// Directives: `%Y` (4-digit year), `%m` month, `%d` day, `%H` hour 0-23, `%I` hour 1-12 with
/// `%p` (AM/PM, any case), `%M` minute, `%S` second (each of these 1 or 2 digits; a fraction
/// after the seconds, `:00.000`, is read when it is zero and refused otherwise: rally's clock
/// counts whole seconds), `%z` a UTC offset (`Z`, `+00:00`, `-0500`, `-05`; at most 18 hours),
/// `%%` a percent sign; every other character must appear as is. Values are checked (month 1-12,
/// a real day of the month, hour, minute and second in range).
///
/// A layout with `%z` reads instants: ``parse(_:)`` gives UTC seconds (the local reading minus
/// the offset) and ``parse(_:_:_:offset:)`` also the offset. Without `%z` it reads the naive
/// clock of the file.
public struct TimeFormat: Sendable, Equatable, CustomStringConvertible {
    enum Token: Sendable, Equatable {
        case year, month, day, hour24, hour12, minute, second, meridiem, offset
        case literal(UInt8)
    }

    let tokens: [Token]
    /// Length of the text when every field has its full width (4-digit year, 2-digit others).
    private let fullWidth: Int
    /// The pattern text, e.g. `%Y-%m-%d %H:%M`.
    public let pattern: String

    /// Compiles `pattern`; throws on an unknown directive or a pattern without a year, month and day.
    public init(_ pattern: String) throws {
        var tokens: [Token] = []
        var bytes = Array(pattern.utf8).makeIterator()
        while let c = bytes.next() {
            guard c == 37 else { tokens.append(.literal(c)); continue }
            switch bytes.next() {
            case 89: tokens.append(.year)       // Y
            case 109: tokens.append(.month)     // m
            case 100: tokens.append(.day)       // d
            case 72: tokens.append(.hour24)     // H
            case 73: tokens.append(.hour12)     // I
            case 77: tokens.append(.minute)     // M
            case 83: tokens.append(.second)     // S
            case 112: tokens.append(.meridiem)  // p
            case 122: tokens.append(.offset)    // z
            case 37: tokens.append(.literal(37))
            default:
                throw RallyError("bad time format \"\(pattern)\": directives are %Y %m %d %H %I %M %S %p %z %%")
            }
        }
        guard tokens.contains(.year), tokens.contains(.month), tokens.contains(.day) else {
            throw RallyError("bad time format \"\(pattern)\": it needs %Y, %m and %d")
        }
        if tokens.filter({ $0 == .offset }).count > 1 {
            throw RallyError("bad time format \"\(pattern)\": %z (the UTC offset) appears more than once")
        }
        if tokens.contains(.hour12) != tokens.contains(.meridiem) {
            throw RallyError("bad time format \"\(pattern)\": %I (12-hour clock) and %p (AM/PM) go together")
        }
        self.tokens = tokens
        self.pattern = pattern
        fullWidth = tokens.reduce(0) { w, t in
            switch t {
            case .literal: return w + 1
            case .year: return w + 4
            case .offset: return w + 6
            default: return w + 2
            }
        }
    }

    public var description: String { pattern }

    /// Whether the layout has a time of day (otherwise it names whole days).
    public var hasTimeOfDay: Bool { tokens.contains(.hour24) || tokens.contains(.hour12) }

    /// Whether the layout has a UTC offset (`%z`): it then reads instants, in UTC seconds.
    public var hasOffset: Bool { tokens.contains(.offset) }

    /// The most a UTC offset may be, in seconds (18 hours, as ISO 8601 profiles allow).
    public static let maxOffsetSeconds: Int32 = 18 * 3600

    /// The timestamp in `p[start..<end]`, or nil when the text does not fit the layout or is not a real date and time.
    @inline(__always)
    func parse(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        var offset: Int32 = 0
        return parse(p, start, end, offset: &offset)
    }

    /// Like ``parse(_:_:_:)``, setting `offset` to the text's UTC offset in seconds (0 without `%z`).
    @inline(__always)
    func parse(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, offset: inout Int32) -> Int64? {
        offset = 0
        if end - start == fullWidth, let t = parseFullWidth(p, start, offset: &offset) { return t }
        return parseGeneral(p, start, end, offset: &offset)
    }

    /// The fast path: every field at its full width, at fixed offsets.
    @inline(__always)
    private func parseFullWidth(_ p: UnsafePointer<UInt8>, _ start: Int, offset: inout Int32) -> Int64? {
        var i = start
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        var pm: Bool?
        @inline(__always) func two() -> Int? {
            let a = p[i] &- 48, b = p[i + 1] &- 48
            guard a < 10 && b < 10 else { return nil }
            i += 2
            return Int(a) * 10 + Int(b)
        }
        for token in tokens {
            switch token {
            case .literal(let c):
                guard p[i] == c else { return nil }
                i += 1
            case .year:
                guard let hi = two(), let lo = two() else { return nil }
                year = hi * 100 + lo
            case .month: guard let v = two() else { return nil }; month = v
            case .day: guard let v = two() else { return nil }; day = v
            case .hour24, .hour12: guard let v = two() else { return nil }; hour = v
            case .minute: guard let v = two() else { return nil }; minute = v
            case .second: guard let v = two() else { return nil }; second = v
            case .meridiem:
                guard let v = Self.meridiem(p, i) else { return nil }
                pm = v
                i += 2
            case .offset:
                let sign = p[i]
                i += 1
                guard let hours = two(), p[i] == 58 else { return nil }
                i += 1
                guard let v = Self.signedOffset(sign, hours, two()) else { return nil }
                offset = v
            }
        }
        return Self.assemble(year, month, day, hour, minute, second, pm).map { $0 - Int64(offset) }
    }

    /// Whether the two bytes at `p[i]` are `PM` (true) or `AM` (false), in either case; nil otherwise.
    @inline(__always)
    private static func meridiem(_ p: UnsafePointer<UInt8>, _ i: Int) -> Bool? {
        guard p[i + 1] | 0x20 == 109 else { return nil }
        switch p[i] | 0x20 {
        case 97: return false
        case 112: return true
        default: return nil
        }
    }

    /// The offset in seconds of sign byte `sign` (`+` or `-`), `hours` and `minutes`, or nil when
    /// a part is missing or out of range.
    @inline(__always)
    private static func signedOffset(_ sign: UInt8, _ hours: Int?, _ minutes: Int?) -> Int32? {
        guard sign == 43 || sign == 45, let hours, let minutes, minutes < 60 else { return nil }
        let seconds = Int32(hours * 3600 + minutes * 60)
        guard seconds <= maxOffsetSeconds else { return nil }
        return sign == 45 ? -seconds : seconds
    }

    @inline(__always)
    private static func assemble(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, _ pm: Bool?) -> Int64? {
        guard TimeStamp.isValid(year: year, month: month, day: day), minute < 60, second < 60 else { return nil }
        var hour = hour
        if let pm {
            guard hour >= 1 && hour <= 12 else { return nil }
            hour = hour % 12 + (pm ? 12 : 0)
        } else if hour > 23 {
            return nil
        }
        return TimeStamp.make(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    /// The general path: 1- or 2-digit fields, zero fractions of a second, every offset form.
    private func parseGeneral(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, offset: inout Int32) -> Int64? {
        var i = start
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        var pm: Bool?
        for token in tokens {
            switch token {
            case .literal(let c):
                guard i < end, p[i] == c else { return nil }
                i += 1
            case .meridiem:
                guard i + 2 <= end, let v = Self.meridiem(p, i) else { return nil }
                pm = v
                i += 2
            case .offset:
                guard let (v, next) = Self.offset(p, i, end) else { return nil }
                offset = v
                i = next
            default:
                let width = token == .year ? 4 : 2
                var v = 0, n = 0
                while n < width && i < end {
                    let d = p[i] &- 48
                    guard d < 10 else { break }
                    v = v * 10 + Int(d)
                    n += 1
                    i += 1
                }
                guard n > 0, token != .year || n == 4 else { return nil }
                switch token {
                case .year: year = v
                case .month: month = v
                case .day: day = v
                case .hour24, .hour12: hour = v
                case .minute: minute = v
                default:
                    second = v
                    guard let next = Self.zeroFraction(p, i, end) else { return nil }
                    i = next
                }
            }
        }
        guard i == end else { return nil }
        return Self.assemble(year, month, day, hour, minute, second, pm).map { $0 - Int64(offset) }
    }

    /// Where the text continues after a fraction of a second at `i` (`.000`): `i` itself when
    /// there is none, nil when it is not zero (rally's clock counts whole seconds).
    private static func zeroFraction(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> Int? {
        guard i < end, p[i] == 46 || p[i] == 44, i + 1 < end, p[i + 1] &- 48 < 10 else { return i }
        var j = i + 1
        while j < end, p[j] &- 48 < 10 {
            guard p[j] == 48 else { return nil }
            j += 1
        }
        return j
    }

    /// The UTC offset at `i` (`Z`, `z`, `+HH:MM`, `+HHMM`, `+HH`, or with `-`) in seconds and
    /// where the text continues, or nil.
    private static func offset(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> (Int32, Int)? {
        guard i < end else { return nil }
        if p[i] == 90 || p[i] == 122 { return (0, i + 1) }
        func digits(_ j: Int) -> Int? {
            guard j + 2 <= end, p[j] &- 48 < 10, p[j + 1] &- 48 < 10 else { return nil }
            return Int(p[j] - 48) * 10 + Int(p[j + 1] - 48)
        }
        guard let hours = digits(i + 1) else { return nil }
        var j = i + 3
        var minutes = 0
        if j < end {
            if p[j] == 58 { j += 1 }
            guard let m = digits(j) else { return nil }
            minutes = m
            j += 2
        }
        guard let v = signedOffset(p[i], hours, minutes) else { return nil }
        return (v, j)
    }

    /// The timestamp in `text`, or nil (see ``parse(_:_:_:)``).
    public func parse(_ text: String) -> Int64? { parseWithOffset(text)?.time }

    /// The timestamp in `text` and its UTC offset in seconds (0 without `%z`), or nil.
    public func parseWithOffset(_ text: String) -> (time: Int64, offset: Int32)? {
        var s = text
        return s.withUTF8 { buf in
            guard let base = buf.baseAddress else { return nil }
            var offset: Int32 = 0
            return parse(base, 0, buf.count, offset: &offset).map { ($0, offset) }
        }
    }

    /// The layouts `rally.load` tries when no `format` is given, most specific first. Month-first
    /// and day-first layouts with the same separator are both tried, so dates whose days are all
    /// 12 or less are reported as ambiguous rather than read one way.
    static let candidates: [TimeFormat] = [
        "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M%z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M%z", "%Y-%m-%d",
        "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y%m%d",
        "%m-%d-%Y %H:%M:%S", "%d-%m-%Y %H:%M:%S", "%m-%d-%Y %H:%M", "%d-%m-%Y %H:%M", "%m-%d-%Y", "%d-%m-%Y",
        "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y",
        "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p",
        "%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M",
        "%m/%d/%Y", "%d/%m/%Y",
    ].map { try! TimeFormat($0) }
}
