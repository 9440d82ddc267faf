/// Checks that a time index is regular, as lags, windows and horizons counted in rows require.
enum TimeGrid {
    /// The constant spacing of `timestamps` in seconds. Throws, naming `user` and the first
    /// irregular step, when there are fewer than 2 rows or the spacing varies (a gap, a
    /// duplicate): row offsets would then not be time offsets, and nothing is repaired here.
    static func step(_ timestamps: [Int64], for user: String) throws -> Int64 {
        guard timestamps.count >= 2 else {
            throw RallyError("\(user): needs at least 2 rows, the dataset has \(timestamps.count)")
        }
        let step = timestamps[1] - timestamps[0]
        guard step > 0 else {
            throw RallyError("\(user): the time index must increase, but rows 1 and 2 are \(TimeStamp.format(timestamps[0])) and \(TimeStamp.format(timestamps[1]))")
        }
        for i in 1..<timestamps.count where timestamps[i] - timestamps[i - 1] != step {
            throw RallyError("""
            \(user): the time index is not regular (steps of \(TimeStamp.duration(step)), but \(TimeStamp.format(timestamps[i - 1])) \
            is followed by \(TimeStamp.format(timestamps[i]))); lags and horizons count rows, so fill or repair the gaps when loading
            """)
        }
        return step
    }

    /// The column `name` of `dataset`, or an error naming `user` and listing the columns.
    static func column(_ name: String, in dataset: Dataset, for user: String) throws -> [Double] {
        guard let values = dataset.column(named: name) else {
            throw RallyError("\(user): no column '\(name)' in the dataset (columns: \(dataset.names.joined(separator: ", ")))")
        }
        return values
    }
}
