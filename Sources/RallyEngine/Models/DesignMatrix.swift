/// The rows a model fits on or predicts for: column-major `Double` features, no missing rows
/// unless a model accepts NaN (gbdt treats NaN as missing).
public struct DesignMatrix: Sendable {
    /// Feature names, in order.
    public var names: [String]
    /// One array per feature, all of length ``rows``.
    public var columns: [[Double]]

    /// Creates a design matrix; every column must have the same length.
    public init(names: [String], columns: [[Double]]) {
        precondition(names.count == columns.count, "one name per column")
        let n = columns.first?.count ?? 0
        precondition(columns.allSatisfy { $0.count == n }, "columns of equal length")
        self.names = names
        self.columns = columns
    }

    /// Number of rows.
    public var rows: Int { columns.first?.count ?? 0 }
    /// Number of features.
    public var width: Int { columns.count }
}
