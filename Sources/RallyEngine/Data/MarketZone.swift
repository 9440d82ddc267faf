/// The clock a ``Dataset``'s times are on, and so the local time its calendar features and
/// printed times use.
///
/// - ``wallClock``: the timestamps are naive readings of the file's own clock, taken as they
///   are (no zone was given and the file states no offsets); local time is the timestamp.
/// - A fixed offset (`UTC`, `UTC-05:00`): the timestamps are UTC instants, local time is a
///   constant shift (files whose times all carry one offset).
/// - Rules from the tz database (`America/New_York`, PJM's prevailing Eastern time): the
///   timestamps are UTC instants, local time follows the zone's daylight-saving changes.
///
/// Not a calendar of market days or holidays; see ``NERCHolidays`` for those.
public struct MarketZone: Sendable, Equatable {
    /// What the zone is.
    public enum Kind: Sendable, Equatable {
        /// Naive wall-clock times.
        case wallClock
        /// UTC instants, local time at a fixed offset in seconds (east positive).
        case fixed(Int)
        /// UTC instants, local time by the zone's rules.
        case rules(TimeZoneRules)
    }

    /// What the zone is.
    public let kind: Kind

    /// Creates a zone.
    public init(_ kind: Kind) { self.kind = kind }

    /// Naive wall-clock times (the default of every dataset).
    public static let wallClock = MarketZone(.wallClock)
    /// UTC.
    public static let utc = MarketZone(.fixed(0))
    /// PJM's market zone, `America/New_York`.
    public static let pjmZoneName = "America/New_York"

    /// The zone called `name`: `UTC`, or an IANA name looked up in the tz database.
    public static func named(_ name: String) throws -> MarketZone {
        if name == "UTC" || name == "Etc/UTC" { return .utc }
        return MarketZone(.rules(try TimeZoneRules.load(name)))
    }

    /// `wall clock`, `UTC`, `UTC-05:00`, `America/New_York`.
    public var name: String {
        switch kind {
        case .wallClock: return "wall clock"
        case .fixed(0): return "UTC"
        case .fixed(let offset): return "UTC" + TimeStamp.offsetText(offset)
        case .rules(let rules): return rules.name
        }
    }

    /// Whether the timestamps are naive wall-clock readings rather than UTC instants.
    public var isWallClock: Bool { kind == .wallClock }

    /// The offset of local time from the timestamp `t`, in seconds (0 on the wall clock).
    @inline(__always)
    public func offset(at t: Int64) -> Int {
        switch kind {
        case .wallClock: return 0
        case .fixed(let offset): return offset
        case .rules(let rules): return rules.offset(at: t)
        }
    }

    /// The local reading of timestamp `t`, as naive seconds (``TimeStamp``'s clock): what
    /// calendar fields (hour, day of week, holiday) are taken from.
    @inline(__always)
    public func local(_ t: Int64) -> Int64 { t + Int64(offset(at: t)) }

    /// `t` as printed: `YYYY-MM-DD HH:MM` on the wall clock, else the local reading with its
    /// offset, `2016-11-06 01:00-05:00` (so the two 01:00 hours of a fall-back day differ).
    public func format(_ t: Int64) -> String {
        isWallClock ? TimeStamp.format(t) : TimeStamp.format(t, offset: offset(at: t))
    }

    /// The instant of local reading `local` (naive seconds): the earlier of a repeated
    /// reading's two instants, or the later when `latest`; for a reading the clocks skip, the
    /// instant of the change (or the second before it when `latest`). Bounds of a slice given
    /// in local time.
    public func instant(local: Int64, latest: Bool) -> Int64 {
        switch kind {
        case .wallClock: return local
        case .fixed(let offset): return local - Int64(offset)
        case .rules(let rules):
            switch rules.resolve(local: local) {
            case .unique(let t): return t
            case .repeated(let early, let late): return latest ? late : early
            case .skipped:
                let change = rules.changes(from: local - 2 * TimeStamp.day, through: local + 2 * TimeStamp.day)
                    .first { $0.localReadings.contains(local) }?.utc ?? local
                return latest ? change - 1 : change
            }
        }
    }

    /// Zones whose rules rally tries when a file's times carry several offsets and no zone is
    /// named: the North American and European market zones, PJM's first.
    public static let inferable = [pjmZoneName, "America/Chicago", "America/Denver", "America/Los_Angeles",
                                   "Europe/London", "Europe/Berlin", "Europe/Helsinki"]
}
