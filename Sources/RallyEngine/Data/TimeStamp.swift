/// Calendar arithmetic on rally's time axis: seconds since 1970-01-01 00:00 on a clock with no
/// time zone and no daylight-saving time (a "naive" clock).
///
/// ## Time convention
/// A `Dataset` timestamp is either a UTC instant (the dataset has a zone, ``MarketZone``: times
/// read with offsets, or naive times read with `zone =`) or, for files with naive times and no
/// zone, a wall-clock reading turned into seconds as if every day had 24 hours:
/// `2013-01-01 00:00` is `1356998400` whatever the zone. On such a wall clock with daylight-saving
/// time the spring-forward hour is absent (reported as a one-step gap) and the autumn fall-back
/// hour appears twice (reported as a duplicate timestamp); neither is repaired unless asked
/// (`dst = "us"`, `fill =`, `duplicates =`); see ``CSVReader``. Local readings of instants
/// (``MarketZone/local(_:)``) are naive seconds too, so the calendar arithmetic here serves both.
///
/// Everything here is pure integer arithmetic (Howard Hinnant's civil-day algorithms), with
/// no Foundation calendars, so it is fast and identical on every machine.
public enum TimeStamp {
    /// The parts of a timestamp.
    public struct Components: Sendable, Equatable {
        /// Calendar year, e.g. 2013.
        public var year: Int
        /// Month, 1...12.
        public var month: Int
        /// Day of the month, 1...31.
        public var day: Int
        /// Hour, 0...23.
        public var hour: Int
        /// Minute, 0...59.
        public var minute: Int
        /// Second, 0...59.
        public var second: Int
        /// Day of the week, Monday = 0 ... Sunday = 6.
        public var weekday: Int
    }

    /// Seconds in a day.
    public static let day: Int64 = 86_400

    /// Days since 1970-01-01 of the civil date `year-month-day` (proleptic Gregorian).
    public static func days(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The civil date (year, month, day) of `days` since 1970-01-01.
    public static func civil(days: Int64) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }

    /// The timestamp of a civil date and time. No range checks: use ``isValid(year:month:day:)``.
    public static func make(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) -> Int64 {
        days(year: year, month: month, day: day) * Self.day + Int64(hour * 3600 + minute * 60 + second)
    }

    /// Whether `year-month-day` is a real calendar date.
    public static func isValid(year: Int, month: Int, day: Int) -> Bool {
        month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year: year, month: month)
    }

    /// Number of days in `month` of `year`.
    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Splits `t` into calendar parts.
    public static func components(_ t: Int64) -> Components {
        let days = floorDiv(t, Self.day)
        let secs = Int(t - days * Self.day)
        let (y, m, d) = civil(days: days)
        return Components(year: y, month: m, day: d, hour: secs / 3600, minute: secs / 60 % 60,
                          second: secs % 60, weekday: weekday(days: days))
    }

    /// Day of the week of `days` since 1970-01-01 (a Thursday): Monday = 0 ... Sunday = 6.
    public static func weekday(days: Int64) -> Int {
        Int(((days % 7) + 7 + 3) % 7)
    }

    /// Hour of the day (0...23) of `t`.
    public static func hour(_ t: Int64) -> Int { Int((t - floorDiv(t, Self.day) * Self.day) / 3600) }

    /// Day of the week of `t`: Monday = 0 ... Sunday = 6.
    public static func weekday(_ t: Int64) -> Int { weekday(days: floorDiv(t, Self.day)) }

    /// Month (1...12) of `t`.
    public static func month(_ t: Int64) -> Int { civil(days: floorDiv(t, Self.day)).month }

    /// `t` as `YYYY-MM-DD HH:MM` (with `:SS` appended when the seconds are not zero).
    public static func format(_ t: Int64) -> String {
        let c = components(t)
        guard (0...9999).contains(c.year) else {
            var s = pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2) + " " + pad(c.hour, 2) + ":" + pad(c.minute, 2)
            if c.second != 0 { s += ":" + pad(c.second, 2) }
            return s
        }
        // the usual years, digit by digit into the string's own storage (a CSV writes one per row)
        let length = c.second == 0 ? 16 : 19
        return String(unsafeUninitializedCapacity: length) { out in
            func put(_ value: Int, digits: Int, at start: Int) {
                var v = value
                for k in (start..<(start + digits)).reversed() {
                    out[k] = UInt8(ascii: "0") + UInt8(v % 10)
                    v /= 10
                }
            }
            put(c.year, digits: 4, at: 0)
            put(c.month, digits: 2, at: 5)
            put(c.day, digits: 2, at: 8)
            put(c.hour, digits: 2, at: 11)
            put(c.minute, digits: 2, at: 14)
            (out[4], out[7], out[10], out[13]) = (UInt8(ascii: "-"), UInt8(ascii: "-"), UInt8(ascii: " "), UInt8(ascii: ":"))
            if c.second != 0 {
                out[16] = UInt8(ascii: ":")
                put(c.second, digits: 2, at: 17)
            }
            return length
        }
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` or `YYYY-MM-DD HH:MM:SS` (a `T` may replace the
    /// space). Throws a ``RallyError`` quoting the text when it is not one of these or not a
    /// real date and time.
    public static func parse(_ text: String) throws -> Int64 {
        guard let t = parseParts(text)?.time else {
            throw RallyError("bad time \"\(text)\": expected YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS")
        }
        return t
    }

    /// Whether `text` parses with ``parse(_:)`` and names a whole day (no time part).
    public static func isDateOnly(_ text: String) -> Bool {
        parseParts(text)?.dateOnly ?? false
    }

    private static func parseParts(_ text: String) -> (time: Int64, dateOnly: Bool)? {
        let b = Array(text.utf8)
        func num(_ from: Int, _ len: Int) -> Int? {
            guard from + len <= b.count else { return nil }
            var v = 0
            for k in from..<(from + len) {
                let c = b[k]
                guard c >= 48 && c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard b.count >= 10, b[4] == 45, b[7] == 45,
              let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), isValid(year: y, month: mo, day: d) else { return nil }
        if b.count == 10 { return (make(year: y, month: mo, day: d), true) }
        guard b.count == 16 || b.count == 19, b[10] == 32 || b[10] == 84, b[13] == 58,
              let h = num(11, 2), let mi = num(14, 2), h < 24, mi < 60 else { return nil }
        var s = 0
        if b.count == 19 {
            guard b[16] == 58, let sec = num(17, 2), sec < 60 else { return nil }
            s = sec
        }
        return (make(year: y, month: mo, day: d, hour: h, minute: mi, second: s), false)
    }

    /// A short description of a duration: `1 h`, `3 h`, `2 d 4 h`, `15 min`, `30 s`.
    public static func duration(_ seconds: Int64) -> String {
        if seconds % 3600 == 0 {
            let h = seconds / 3600
            if h >= 48 && h % 24 == 0 { return "\(h / 24) d" }
            if h >= 48 { return "\(h / 24) d \(h % 24) h" }
            return "\(h) h"
        }
        if seconds % 60 == 0 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }

    /// Floor division (rounds toward negative infinity).
    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
