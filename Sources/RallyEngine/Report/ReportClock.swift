/// The clock a report reads its test hours on, from `predictions.csv`: the wall clock (naive
/// times, as a wall-clock evaluation writes them), or market time given by the UTC offset each
/// row was written with (a zoned evaluation: `2016-11-06 01:00-05:00`). Calendar tallies and
/// close-up windows use market-time readings, printed times carry the offset.
///
/// Not a time zone: it knows only the offsets of the rows; a time between rows takes the offset
/// of the last row at or before it (the first row's before the first), which is the zone's
/// except past a daylight-saving change that no row shows (beyond the test period's last hour).
public struct ReportClock: Sendable, Equatable {
    /// The rows' times as read: UTC instants when `offsets` is not empty, else naive readings.
    let times: [Int64]
    /// Each row's UTC offset in seconds; empty on the wall clock.
    let offsets: [Int]

    /// The wall clock.
    public static let wallClock = ReportClock(times: [], offsets: [])

    /// Whether the times are naive wall-clock readings.
    public var isWallClock: Bool { offsets.isEmpty }

    /// The offset of instant `t` (0 on the wall clock).
    func offset(at t: Int64) -> Int {
        guard !offsets.isEmpty else { return 0 }
        var lo = 0, hi = times.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if times[mid] <= t { lo = mid + 1 } else { hi = mid }
        }
        return offsets[max(lo - 1, 0)]
    }

    /// The market-time reading of `t` (naive seconds; `t` itself on the wall clock).
    public func local(_ t: Int64) -> Int64 { t + Int64(offset(at: t)) }

    /// `t` as printed: `YYYY-MM-DD HH:MM` on the wall clock, else its market-time reading with
    /// the offset, `2016-11-06 01:00-05:00`.
    public func format(_ t: Int64) -> String {
        isWallClock ? TimeStamp.format(t) : TimeStamp.format(t, offset: offset(at: t))
    }
}
