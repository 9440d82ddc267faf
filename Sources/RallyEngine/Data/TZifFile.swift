/// The bytes of a compiled tz database file (TZif, RFC 8536) and what ``TimeZoneRules`` takes
/// from them: the transitions of the 64-bit block (version 2 and later; the 32-bit block of a
/// version 1 file otherwise) and the footer's POSIX rule, extended year by year. Every count is
/// checked against the file's length before it is used; leap-second ("right/") zones are refused.
struct TZifFile {
    let name: String
    let bytes: [UInt8]

    private func fail(_ why: String) -> RallyError {
        RallyError("zone \"\(name)\": \(TimeZoneRules.directory)/\(name) is not a tz database file (\(why))")
    }

    private func integer(_ at: Int, _ width: Int) -> Int64 {
        var v: Int64 = 0
        for k in 0..<width { v = v << 8 | Int64(bytes[at + k]) }
        let shift = Int64(64 - 8 * width)
        return (v << shift) >> shift
    }

    /// The rules the file gives.
    func rules() throws -> TimeZoneRules {
        guard bytes.count >= 44, bytes[0..<4].elementsEqual("TZif".utf8) else { throw fail("no TZif header") }
        let version = bytes[4]
        let (first, firstEnd) = try block(at: 0, timeWidth: 4)
        guard version >= 50 else { return try extend(first, footer: nil) }
        let (second, secondEnd) = try block(at: firstEnd, timeWidth: 8)
        var footer: String?
        if secondEnd < bytes.count, bytes[secondEnd] == 10, let close = bytes[(secondEnd + 1)...].firstIndex(of: 10) {
            footer = String(decoding: bytes[(secondEnd + 1)..<close], as: UTF8.self)
        }
        return try extend(second, footer: footer)
    }

    private struct Block {
        var transitions: [Int64] = []
        var offsets: [Int32] = []
        var initialOffset: Int32 = 0
    }

    /// The data block whose header starts at `at`, and where the block ends.
    private func block(at start: Int, timeWidth: Int) throws -> (Block, Int) {
        guard start + 44 <= bytes.count, bytes[start..<(start + 4)].elementsEqual("TZif".utf8) else { throw fail("a block header is missing") }
        let counts = (0..<6).map { Int(integer(start + 20 + 4 * $0, 4)) }
        let (isut, isstd, leap, time, type, chars) = (counts[0], counts[1], counts[2], counts[3], counts[4], counts[5])
        guard counts.allSatisfy({ $0 >= 0 && $0 < 1 << 20 }), type >= 1 else { throw fail("bad counts") }
        guard leap == 0 else { throw fail("a leap-second zone; rally counts UTC seconds without leap seconds") }
        let times = start + 44, indices = times + time * timeWidth, types = indices + time
        let end = types + type * 6 + chars + leap * (timeWidth + 4) + isstd + isut
        guard end <= bytes.count else { throw fail("shorter than its counts say") }
        let typeOffsets = (0..<type).map { Int32(truncatingIfNeeded: integer(types + 6 * $0, 4)) }
        var out = Block()
        out.initialOffset = typeOffsets[0]
        for k in 0..<time {
            let index = Int(bytes[indices + k])
            guard index < type else { throw fail("a transition names a missing type") }
            let t = integer(times + k * timeWidth, timeWidth)
            guard out.transitions.last.map({ t > $0 }) ?? true else { throw fail("transitions out of order") }
            out.transitions.append(t)
            out.offsets.append(typeOffsets[index])
        }
        guard typeOffsets.allSatisfy({ abs($0) <= 26 * 3600 }) else { throw fail("an offset beyond 26 hours") }
        return (out, end)
    }

    /// `block`'s rules, with the footer's yearly changes appended after its last transition.
    private func extend(_ block: Block, footer: String?) throws -> TimeZoneRules {
        var transitions = block.transitions, offsets = block.offsets
        if let footer, let rule = PosixZoneRule(footer) {
            if let dst = rule.daylight {
                let lastYear = transitions.last.map { TimeStamp.components($0).year } ?? 1970
                for year in lastYear...TimeZoneRules.lastExtendedYear {
                    let start = dst.start.instant(year: year, offset: rule.standard)
                    let end = dst.end.instant(year: year, offset: dst.offset)
                    for (t, offset) in [(start, dst.offset), (end, rule.standard)].sorted(by: { $0.0 < $1.0 }) where t > (transitions.last ?? Int64.min) {
                        transitions.append(t)
                        offsets.append(offset)
                    }
                }
            }
        }
        return TimeZoneRules(name: name, transitions: transitions, offsets: offsets, initialOffset: block.initialOffset)
    }
}

/// A POSIX TZ rule as TZif footers hold it: `EST5EDT,M3.2.0,M11.1.0`, `CET-1CEST,M3.5.0,M10.5.0/3`,
/// `<-03>3`. Only the `Mm.w.d` day form is read (the tz database's footers use it); offsets in
/// the text are west-positive and stored here east-positive.
struct PosixZoneRule {
    /// A yearly change: `Mm.w.d/time`, the `w`-th (5: last) weekday `d` (0 = Sunday) of month `m`, at local `time`.
    struct Change {
        var month: Int, week: Int, weekday: Int, seconds: Int

        /// The instant of the change in `year`, the local clock before it being at `offset`.
        func instant(year: Int, offset: Int32) -> Int64 {
            let first = TimeStamp.days(year: year, month: month, day: 1)
            let wanted = (weekday + 6) % 7
            var day = 1 + (wanted - TimeStamp.weekday(days: first) + 7) % 7 + 7 * (week - 1)
            while day > TimeStamp.daysIn(year: year, month: month) { day -= 7 }
            return TimeStamp.days(year: year, month: month, day: day) * TimeStamp.day + Int64(seconds) - Int64(offset)
        }
    }

    /// Daylight time: its offset and when it starts and ends.
    struct Daylight { var offset: Int32, start: Change, end: Change }

    var standard: Int32
    var daylight: Daylight?

    init?(_ text: String) {
        var s = Substring(text)
        guard PosixZoneRule.name(&s), let std = PosixZoneRule.time(&s) else { return nil }
        standard = Int32(-std)
        guard !s.isEmpty else { daylight = nil; return }
        guard PosixZoneRule.name(&s) else { return nil }
        var dstOffset = standard + 3600
        if let first = s.first, first != "," {
            guard let d = PosixZoneRule.time(&s) else { return nil }
            dstOffset = Int32(-d)
        }
        guard s.first == ",", let start = PosixZoneRule.change(&s), s.first == ",", let end = PosixZoneRule.change(&s), s.isEmpty else { return nil }
        daylight = Daylight(offset: dstOffset, start: start, end: end)
    }

    private static func name(_ s: inout Substring) -> Bool {
        if s.first == "<" {
            guard let close = s.firstIndex(of: ">") else { return false }
            s = s[s.index(after: close)...]
            return true
        }
        let letters = s.prefix { $0.isLetter }
        guard letters.count >= 3 else { return false }
        s = s.dropFirst(letters.count)
        return true
    }

    /// `[+-]hh[:mm[:ss]]` in seconds.
    private static func time(_ s: inout Substring) -> Int? {
        var sign = 1
        if s.first == "+" || s.first == "-" { sign = s.first == "-" ? -1 : 1; s = s.dropFirst() }
        var total = 0
        for (k, scale) in [3600, 60, 1].enumerated() {
            if k > 0 { guard s.first == ":" else { break }; s = s.dropFirst() }
            let digits = s.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 3, let v = Int(digits) else { return nil }
            total += v * scale
            s = s.dropFirst(digits.count)
        }
        return sign * total
    }

    /// `,Mm.w.d[/time]`.
    private static func change(_ s: inout Substring) -> Change? {
        s = s.dropFirst()
        guard s.first == "M" else { return nil }
        s = s.dropFirst()
        let parts = s.prefix { $0 != "/" && $0 != "," }.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[0]), (1...5).contains(parts[1]), (0...6).contains(parts[2]) else { return nil }
        s = s.drop { $0 != "/" && $0 != "," }
        var seconds = 7200
        if s.first == "/" {
            s = s.dropFirst()
            guard let t = time(&s) else { return nil }
            seconds = t
        }
        return Change(month: parts[0], week: parts[1], weekday: parts[2], seconds: seconds)
    }
}
