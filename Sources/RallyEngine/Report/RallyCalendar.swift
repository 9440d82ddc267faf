/// The rally rate by hour of day (rows 0–23) and calendar month (columns 1–12) of the hour
/// the label is about: forecast time plus the label horizon.
public struct RallyCalendar: Sendable {
    /// `rate[hour][month − 1]`; NaN where no test hour falls.
    public var rate: [[Double]]
    /// `count[hour][month − 1]`: test hours in the cell.
    public var count: [[Int]]
    /// Rallies in the cell.
    public var rallies: [[Int]]

    /// Tallies `labels` at `times` shifted by `horizonHours`, in market time: `local` gives an
    /// instant's reading (the time itself on the wall clock).
    public static func compute(times: [Int64], labels: [Double], horizonHours: Int, local: (Int64) -> Int64 = { $0 }) -> RallyCalendar {
        var count = [[Int]](repeating: [Int](repeating: 0, count: 12), count: 24)
        var rallies = count
        for i in times.indices {
            let t = local(times[i] + Int64(horizonHours) * 3600)
            let h = TimeStamp.hour(t), m = TimeStamp.month(t) - 1
            count[h][m] += 1
            rallies[h][m] += Int(labels[i])
        }
        let rate = (0..<24).map { h in (0..<12).map { m in count[h][m] > 0 ? Double(rallies[h][m]) / Double(count[h][m]) : .nan } }
        return RallyCalendar(rate: rate, count: count, rallies: rallies)
    }

    /// The cell with the highest rate: hour, month (1–12) and rate.
    public var peak: (hour: Int, month: Int, rate: Double)? {
        var best: (Int, Int, Double)?
        for h in 0..<24 { for m in 0..<12 where rate[h][m].isFinite && rate[h][m] > (best?.2 ?? -1) { best = (h, m + 1, rate[h][m]) } }
        return best
    }

    /// Rally rate by month (1–12, index 0 = January) over all hours; NaN for months without data.
    public var byMonth: [Double] {
        (0..<12).map { m in
            let n = (0..<24).reduce(0) { $0 + count[$1][m] }, r = (0..<24).reduce(0) { $0 + rallies[$1][m] }
            return n > 0 ? Double(r) / Double(n) : .nan
        }
    }

    /// Rally rate by hour of day over all months.
    public var byHour: [Double] {
        (0..<24).map { h in
            let n = count[h].reduce(0, +), r = rallies[h].reduce(0, +)
            return n > 0 ? Double(r) / Double(n) : .nan
        }
    }
}
