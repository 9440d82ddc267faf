/// An hourly (or other regular) time series table: one time index, named `Double` columns.
///
/// Timestamps are seconds since 1970-01-01 00:00 on the clock the data were read in
/// (see ``TimeAxis`` in the README: naive wall-clock unless a reader says UTC). Columns are
/// contiguous arrays; a missing value is `Double.nan`.
public struct Dataset: Sendable {
    /// Seconds since the epoch, strictly increasing.
    public var timestamps: [Int64]
    /// Column names, in order.
    public var names: [String]
    /// Column values, `columns[j][i]` is column `names[j]` at `timestamps[i]`.
    public var columns: [[Double]]
    /// What the load found and did.
    public var report: LoadReport

    /// Creates a dataset; columns must have as many values as there are timestamps.
    public init(timestamps: [Int64], names: [String], columns: [[Double]], report: LoadReport = LoadReport()) {
        precondition(names.count == columns.count, "one name per column")
        precondition(columns.allSatisfy { $0.count == timestamps.count }, "columns match the time index")
        self.timestamps = timestamps
        self.names = names
        self.columns = columns
        self.report = report
    }

    /// Number of rows (time steps).
    public var count: Int { timestamps.count }

    /// The column called `name`, or `nil`.
    public func column(named name: String) -> [Double]? {
        names.firstIndex(of: name).map { columns[$0] }
    }
}

/// What a load found in the input and what it did about it: every repair is listed.
public struct LoadReport: Sendable, Equatable {
    /// Where the data came from (a path, or a description such as "synthetic, seed 7").
    public var source: String
    /// One line per finding or repair, in the order they happened.
    public var notes: [String]

    /// Creates a report.
    public init(source: String = "", notes: [String] = []) {
        self.source = source
        self.notes = notes
    }
}
