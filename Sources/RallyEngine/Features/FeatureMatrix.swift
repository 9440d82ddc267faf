/// Features computed over a dataset's full time index.
///
/// `columns[j][i]` is feature `names[j]` known at `timestamps[i]` (NaN where undefined,
/// e.g. before a window fills). `usable[i]` is true when every feature is defined at row i.
public struct FeatureMatrix: Sendable {
    /// Feature names, in order.
    public var names: [String]
    /// The dataset's time index.
    public var timestamps: [Int64]
    /// Feature values, one array per feature, aligned to `timestamps`.
    public var columns: [[Double]]
    /// Rows at which every feature is defined.
    public var usable: [Bool]

    /// Creates a matrix and derives `usable` from the NaNs in `columns`.
    public init(names: [String], timestamps: [Int64], columns: [[Double]]) {
        self.names = names
        self.timestamps = timestamps
        self.columns = columns
        var ok = [Bool](repeating: true, count: timestamps.count)
        for c in columns {
            for i in c.indices where c[i].isNaN { ok[i] = false }
        }
        self.usable = ok
    }

    /// The rows `rows` of every feature, as a design matrix for a model.
    public func design(rows: [Int]) -> DesignMatrix {
        DesignMatrix(names: names, columns: columns.map { c in rows.map { c[$0] } })
    }
}
