/// A time a user gives as an argument (a split or walk-forward bound, a slice bound): either a
/// market-time reading (`"2016-11-06 01:00"`, no offset), or an instant (`"2016-11-06
/// 01:00-05:00"`, `"2016-11-06T06:00:00Z"`: ISO 8601 with a UTC offset).
///
/// A reading means the local time of the dataset it is applied to: on a zoned dataset it is
/// resolved with the zone's rules when applied (``resolved(in:latest:what:)``), on a wall-clock
/// dataset it is the timestamp itself (as rally has always read it). An instant is exact on a
/// zoned dataset and an error on a wall-clock one (whose clock has no known offset). Not a
/// dataset timestamp: only resolving turns it into one.
public enum SplitTime: Sendable, Equatable {
    /// A reading of the market's clock, as naive seconds (``TimeStamp``'s clock).
    case local(Int64)
    /// A UTC instant and the offset it was written with.
    case instant(TimeStamp.Instant)

    /// What ``parse(_:dateOnly:)`` accepts, for messages.
    public static let expected = "YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS (market time), or with a UTC offset (2016-11-06 01:00-05:00, 2016-11-06T06:00:00Z)"

    /// Parses `YYYY-MM-DD[ HH:MM[:SS]]` (a reading; a date alone as `dateOnly` says), or the same
    /// (a `T` allowed for the space) followed by a UTC offset (`Z`, `+00:00`, `-05:00`, `-0500`,
    /// `-05`): an instant. Throws a ``RallyError`` quoting the text and saying what was expected.
    public static func parse(_ text: String, dateOnly: DateOnly = .startOfDay) throws -> SplitTime {
        if let t = try? TimeStamp.parse(text) {
            return .local(dateOnly == .endOfDay && TimeStamp.isDateOnly(text) ? t + TimeStamp.day - 1 : t)
        }
        let b = Array(text.utf8)
        // something after a date and a time: an offset was meant, so say what is wrong with it
        if b.count > 16, b[4] == 45, b[7] == 45, b[13] == 58 {
            return .instant(try TimeStamp.parseInstant(text))
        }
        throw RallyError("bad time \"\(MessageText.quote(text, limit: 60))\": expected \(expected)")
    }

    /// The reading as written: the naive seconds of a reading, the local reading of an instant
    /// at the offset it was written with.
    public var reading: Int64 {
        switch self {
        case .local(let t): return t
        case .instant(let i): return i.local
        }
    }

    /// The time as given: `2017-01-01 00:00`, or `2016-11-06 01:00-05:00`.
    public var text: String {
        switch self {
        case .local(let t): return TimeStamp.format(t)
        case .instant(let i): return TimeStamp.format(i.utc, offset: i.offset)
        }
    }

    /// The timestamp this time names on a dataset in `zone`. A reading on the wall clock is
    /// itself; in a zone it is the instant the zone's rules give it: a reading repeated by a
    /// fall-back change is its earlier instant (the later one when `latest`, which an inclusive
    /// upper bound such as `train_end` uses, so it covers both), a reading the clocks skip in
    /// spring is the instant of the change (the second before it when `latest`). An instant is
    /// itself, and an error on the wall clock, naming `what` (`"train_end"`).
    public func resolved(in zone: MarketZone, latest: Bool, what: String) throws -> Int64 {
        switch self {
        case .local(let t):
            return zone.instant(local: t, latest: latest)
        case .instant(let i):
            guard !zone.isWallClock else {
                throw RallyError("""
                    \(what) \(text) is an instant (it has a UTC offset), but the dataset is on the wall clock \
                    (naive times, no zone): give it without an offset, or load the data with zone = "..."
                    """)
            }
            return i.utc
        }
    }

    /// The market-time reading this time names in `zone`: a reading is itself; an instant is
    /// the zone's local reading of it (the wall clock: an error naming `what`; no zone known,
    /// nil: the reading as written).
    public func reading(in zone: MarketZone?, what: String) throws -> Int64 {
        guard case .instant(let i) = self, let zone else { return reading }
        _ = try resolved(in: zone, latest: false, what: what)
        return zone.local(i.utc)
    }
}
