extension TimeStamp {
    /// An instant read from text that states its UTC offset: UTC seconds since 1970-01-01 and
    /// the offset of the local reading it was written as (`2016-11-06 01:00:00-05:00` is
    /// `utc` = 2016-11-06 06:00 UTC, `offset` = -18000). Not a zone: the offset is one reading's,
    /// and a zone's rules (``TimeZoneRules``) say which offsets a place uses when.
    public struct Instant: Sendable, Equatable {
        /// Seconds since 1970-01-01 00:00 UTC.
        public var utc: Int64
        /// The offset of the local reading from UTC, in seconds (east positive: `-05:00` is -18000).
        public var offset: Int

        /// Creates an instant.
        public init(utc: Int64, offset: Int) {
            self.utc = utc
            self.offset = offset
        }

        /// The local reading as naive seconds (``TimeStamp``'s clock): `utc + offset`.
        public var local: Int64 { utc + Int64(offset) }
    }

    /// The ISO 8601 layouts ``parseInstant(_:)`` reads: a date, `T` or a space, hours and
    /// minutes, optional seconds (with a zero fraction), and an offset.
    static let instantLayouts: [TimeFormat] = [
        "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M%z", "%Y-%m-%dT%H:%M%z",
    ].map { try! TimeFormat($0) }

    /// Parses an ISO 8601 instant with a UTC offset: `YYYY-MM-DD[T| ]HH:MM[:SS[.fff]]` followed
    /// by `Z`, `±HH:MM`, `±HHMM` or `±HH` (at most 18 hours), e.g. `2016-11-06 01:00:00-05:00`,
    /// `2016-11-06T06:00:00Z`, `2016-11-06T06:00+0000`.
    ///
    /// Fractions of a second are read when they are zero (`06:00:00.000Z`, as many APIs write)
    /// and refused otherwise: rally's clock counts whole seconds, and rounding would move an
    /// instant silently. Throws a ``RallyError`` quoting the text and saying what was expected.
    public static func parseInstant(_ text: String) throws -> Instant {
        for layout in instantLayouts {
            if let (utc, offset) = layout.parseWithOffset(text) { return Instant(utc: utc, offset: Int(offset)) }
        }
        let quoted = MessageText.quote(text, limit: 60)
        if let nonZero = nonZeroFraction(text) {
            throw RallyError("bad instant \"\(quoted)\": a fraction of a second (\(nonZero)) that is not zero; rally's clock counts whole seconds and does not round")
        }
        if (try? parse(text)) != nil {
            throw RallyError("bad instant \"\(quoted)\": no UTC offset; expected one at the end (Z, +00:00, -05:00, -0500)")
        }
        throw RallyError("bad instant \"\(quoted)\": expected YYYY-MM-DD HH:MM[:SS] (or a T for the space) and a UTC offset (Z, +00:00, -05:00, -0500) of at most 18 hours")
    }

    /// The fraction of a second in `text` (`.25`) when it has a non-zero one after `HH:MM:SS`.
    private static func nonZeroFraction(_ text: String) -> String? {
        let b = Array(text.utf8)
        guard b.count > 20, b[19] == 46 || b[19] == 44 else { return nil }
        let digits = b[20...].prefix { $0 >= 48 && $0 <= 57 }
        guard !digits.isEmpty, digits.contains(where: { $0 != 48 }) else { return nil }
        return String(decoding: b[19..<(20 + digits.count)], as: UTF8.self)
    }

    /// `t` (UTC seconds) as the local reading at `offset` seconds, ISO 8601 with the offset:
    /// `2016-11-06 01:00-05:00` (seconds added when not zero); `Z` for offset 0 is not used, so
    /// the text always parses back with ``parseInstant(_:)`` to the same instant and offset.
    public static func format(_ t: Int64, offset: Int) -> String {
        format(t + Int64(offset)) + offsetText(offset)
    }

    /// `+00:00`, `-05:00`, `+05:30`.
    public static func offsetText(_ offset: Int) -> String {
        let a = abs(offset)
        let h = a / 3600, m = a / 60 % 60
        return (offset < 0 ? "-" : "+") + (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
    }
}
