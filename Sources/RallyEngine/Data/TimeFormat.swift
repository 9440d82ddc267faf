/// A date-time layout such as `%Y-%m-%d %H:%M:%S`, compiled once and matched against raw bytes.
///
/// Directives: `%Y` (4-digit year), `%m` month, `%d` day, `%H` hour 0-23, `%I` hour 1-12 with
/// `%p` (AM/PM, any case), `%M` minute, `%S` second (each of these 1 or 2 digits), `%%` a percent
/// sign; every other character must appear as is. Values are checked (month 1-12, a real day of
/// the month, hour, minute and second in range).
public struct TimeFormat: Sendable, Equatable, CustomStringConvertible {
    enum Token: Sendable, Equatable {
        case year, month, day, hour24, hour12, minute, second, meridiem
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
            case 37: tokens.append(.literal(37))
            default:
                throw RallyError("bad time format \"\(pattern)\": directives are %Y %m %d %H %I %M %S %p %%")
            }
        }
        guard tokens.contains(.year), tokens.contains(.month), tokens.contains(.day) else {
            throw RallyError("bad time format \"\(pattern)\": it needs %Y, %m and %d")
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
            default: return w + 2
            }
        }
    }

    public var description: String { pattern }

    /// Whether the layout has a time of day (otherwise it names whole days).
    public var hasTimeOfDay: Bool { tokens.contains(.hour24) || tokens.contains(.hour12) }

    /// The timestamp in `p[start..<end]`, or nil when the text does not fit the layout or is not a real date and time.
    @inline(__always)
    func parse(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        if end - start == fullWidth, let t = parseFullWidth(p, start) { return t }
        return parseGeneral(p, start, end)
    }

    /// The fast path: every field at its full width, at fixed offsets.
    @inline(__always)
    private func parseFullWidth(_ p: UnsafePointer<UInt8>, _ start: Int) -> Int64? {
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
                guard p[i + 1] | 0x20 == 109 else { return nil }
                switch p[i] | 0x20 {
                case 97: pm = false
                case 112: pm = true
                default: return nil
                }
                i += 2
            }
        }
        return Self.assemble(year, month, day, hour, minute, second, pm)
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

    /// The general path: 1- or 2-digit fields.
    private func parseGeneral(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        var i = start
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        var pm: Bool?
        for token in tokens {
            switch token {
            case .literal(let c):
                guard i < end, p[i] == c else { return nil }
                i += 1
            case .meridiem:
                guard i + 2 <= end, p[i + 1] | 0x20 == 109 else { return nil }
                switch p[i] | 0x20 {
                case 97: pm = false
                case 112: pm = true
                default: return nil
                }
                i += 2
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
                default: second = v
                }
            }
        }
        guard i == end else { return nil }
        return Self.assemble(year, month, day, hour, minute, second, pm)
    }

    /// The timestamp in `text`, or nil (see ``parse(_:_:_:)``).
    public func parse(_ text: String) -> Int64? {
        var s = text
        return s.withUTF8 { buf in
            guard let base = buf.baseAddress else { return nil }
            return parse(base, 0, buf.count)
        }
    }

    /// The layouts `rally.load` tries when no `format` is given, most specific first. Month-first
    /// and day-first layouts with the same separator are both tried, so dates whose days are all
    /// 12 or less are reported as ambiguous rather than read one way.
    static let candidates: [TimeFormat] = [
        "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%MZ", "%Y-%m-%d",
        "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y%m%d",
        "%m-%d-%Y %H:%M:%S", "%d-%m-%Y %H:%M:%S", "%m-%d-%Y %H:%M", "%d-%m-%Y %H:%M", "%m-%d-%Y", "%d-%m-%Y",
        "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y",
        "%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p",
        "%m/%d/%Y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M",
        "%m/%d/%Y", "%d/%m/%Y",
    ].map { try! TimeFormat($0) }
}
