import Foundation

/// A place's UTC offsets over time (`America/New_York`: -05:00 in winter, -04:00 in summer),
/// read from the system tz database (tzdata's compiled TZif files under ``directory``).
///
/// Why a reader of our own rather than Foundation's `TimeZone`: rally's clock is integer
/// seconds, and loading a year of 5-minute data for 12 locations asks for an offset a million
/// times; a sorted table of transitions answers each with a binary search and no locks, gives
/// the inverse (a local reading to its instants, with skipped and repeated readings told
/// apart), and reads the very files Foundation reads on Linux. The footer's POSIX rule
/// (`EST5EDT,M3.2.0,M11.1.0`) extends the table past the file's last transition to
/// ``lastExtendedYear``. Not a calendar: it knows offsets, not holidays or day names.
public struct TimeZoneRules: Sendable, Equatable {
    /// The IANA name, e.g. `America/New_York`.
    public let name: String
    /// UTC instants at which the offset changes, increasing.
    let transitions: [Int64]
    /// `offsets[i]` applies from `transitions[i]` until the next transition.
    let offsets: [Int32]
    /// The offset before the first transition.
    let initialOffset: Int32

    /// Where the tz database is read from.
    public static let directory = "/usr/share/zoneinfo"
    /// The last year a footer rule is extended to.
    public static let lastExtendedYear = 2200

    init(name: String, transitions: [Int64], offsets: [Int32], initialOffset: Int32) {
        self.name = name
        self.transitions = transitions
        self.offsets = offsets
        self.initialOffset = initialOffset
    }

    /// The rules of zone `name` (`America/New_York`, `Europe/Berlin`, `UTC`). Throws a
    /// ``RallyError`` for a malformed name, a zone the database does not have, a database that
    /// is not installed, or a file that is not TZif.
    public static func load(_ name: String) throws -> TimeZoneRules {
        let allowed = name.utf8.allSatisfy { c in
            (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 95 || c == 45 || c == 43 || c == 47
        }
        guard !name.isEmpty, name.utf8.count <= 64, allowed, !name.hasPrefix("/"), !name.split(separator: "/").contains(where: { $0.hasPrefix("-") }) else {
            throw RallyError("zone \"\(MessageText.quote(name, limit: 64))\" is not a time zone name: expected an IANA name such as America/New_York (letters, digits, _ - + and /)")
        }
        let path = directory + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else {
            guard FileManager.default.fileExists(atPath: directory + "/America/New_York") else {
                throw RallyError("zone \"\(name)\": the tz database is not installed (\(directory) is missing); install Debian's tzdata package (scripts/setup.sh does)")
            }
            throw RallyError("zone \"\(name)\": no such zone in the tz database (\(path) not found); names look like America/New_York, America/Chicago, Europe/Berlin")
        }
        return try TZifFile(name: name, bytes: Array(data)).rules()
    }

    /// The offset from UTC in seconds at instant `utc` (east positive).
    public func offset(at utc: Int64) -> Int {
        var lo = 0, hi = transitions.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if transitions[mid] <= utc { lo = mid + 1 } else { hi = mid }
        }
        return Int(lo == 0 ? initialOffset : offsets[lo - 1])
    }

    /// What a local reading (naive seconds) names in this zone.
    public enum LocalReading: Sendable, Equatable {
        /// One instant.
        case unique(Int64)
        /// Two instants, earlier first: the reading is in an hour the clocks repeat.
        case repeated(Int64, Int64)
        /// None: the clocks skip the reading.
        case skipped
    }

    /// The instants whose local reading is `local` (naive seconds). Assumes, as every zone of
    /// the database does, at most one change of the clocks within a day of any reading.
    public func resolve(local: Int64) -> LocalReading {
        let a = offset(at: local - TimeStamp.day), b = offset(at: local + TimeStamp.day)
        let ua = local - Int64(a), ub = local - Int64(b)
        let aFits = offset(at: ua) == a, bFits = a != b && offset(at: ub) == b
        switch (aFits, bFits) {
        case (true, true): return .repeated(min(ua, ub), max(ua, ub))
        case (true, false): return .unique(ua)
        case (false, true): return .unique(ub)
        case (false, false): return .skipped
        }
    }

    /// A change of the clocks: at instant `utc` the offset goes from `before` to `after`.
    public struct ClockChange: Sendable, Equatable {
        /// The instant of the change.
        public var utc: Int64
        /// The offset before it, in seconds.
        public var before: Int
        /// The offset after it, in seconds.
        public var after: Int
        /// The local readings the change skips (spring forward) or repeats (fall back), as naive seconds.
        public var localReadings: Range<Int64> {
            utc + Int64(min(before, after))..<(utc + Int64(max(before, after)))
        }
        /// Whether the clocks go forward (readings skipped) rather than back (readings repeated).
        public var skips: Bool { after > before }
    }

    /// The clock changes at instants `from ... through`, in time order.
    public func changes(from: Int64, through: Int64) -> [ClockChange] {
        transitions.indices.filter { transitions[$0] >= from && transitions[$0] <= through }.compactMap { i in
            let before = Int(i == 0 ? initialOffset : offsets[i - 1]), after = Int(offsets[i])
            return before == after ? nil : ClockChange(utc: transitions[i], before: before, after: after)
        }
    }
}
