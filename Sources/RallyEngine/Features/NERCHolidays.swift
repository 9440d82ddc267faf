/// The NERC holidays, the off-peak days of North American power markets (PJM included).
///
/// New Year's Day (1 January), Memorial Day (last Monday of May), Independence Day (4 July),
/// Labor Day (first Monday of September), Thanksgiving (fourth Thursday of November) and
/// Christmas Day (25 December). A fixed-date holiday on a Sunday is observed on the Monday
/// after; one on a Saturday is not moved (NERC's rule: the day is already off-peak).
public enum NERCHolidays {
    /// The holidays of `year`, as days since 1970-01-01, in calendar order.
    public static func days(in year: Int) -> [Int64] {
        func observed(_ month: Int, _ day: Int) -> Int64 {
            let d = TimeStamp.days(year: year, month: month, day: day)
            return TimeStamp.weekday(days: d) == 6 ? d + 1 : d
        }
        /// The `n`-th given weekday (Monday = 0) of a month, counting from 1.
        func nth(_ n: Int, _ weekday: Int, _ month: Int) -> Int64 {
            let first = TimeStamp.days(year: year, month: month, day: 1)
            let offset = Int64((weekday - TimeStamp.weekday(days: first) + 7) % 7)
            return first + offset + Int64(7 * (n - 1))
        }
        let lastOfMay = TimeStamp.days(year: year, month: 5, day: 31)
        let memorial = lastOfMay - Int64((TimeStamp.weekday(days: lastOfMay) + 7) % 7)
        return [observed(1, 1), memorial, observed(7, 4), nth(1, 0, 9), nth(4, 3, 11), observed(12, 25)]
    }

    /// Whether `day` (days since 1970-01-01) is a NERC holiday.
    public static func contains(day: Int64) -> Bool {
        days(in: TimeStamp.civil(days: day).year).contains(day)
    }
}
