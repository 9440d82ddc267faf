/// The rows a model fits on or predicts for: column-major `Double` features, no missing rows
/// unless a model accepts NaN (gbdt treats NaN as missing).
public struct DesignMatrix: Sendable {
    /// Feature names, in order.
    public var names: [String]
    /// One array per feature, all of length ``rows``.
    public var columns: [[Double]]
    /// The time of each row (rows taken from a ``FeatureMatrix``, in time order), or nil when X
    /// came without times (a Lua table). Models that split their rows by time read it.
    public var times: [Int64]?

    /// Creates a design matrix; every column (and `times`, when given) must have the same length.
    public init(names: [String], columns: [[Double]], times: [Int64]? = nil) {
        precondition(names.count == columns.count, "one name per column")
        let n = columns.first?.count ?? 0
        precondition(columns.allSatisfy { $0.count == n }, "columns of equal length")
        precondition(times == nil || times!.count == n || columns.isEmpty, "one time per row")
        self.names = names
        self.columns = columns
        self.times = times
    }

    /// The rows `range`, with their times.
    public func slice(_ range: Range<Int>) -> DesignMatrix {
        DesignMatrix(names: names, columns: columns.map { Array($0[range]) }, times: times.map { Array($0[range]) })
    }

    /// Number of rows.
    public var rows: Int { columns.first?.count ?? 0 }
    /// Number of features.
    public var width: Int { columns.count }
}
