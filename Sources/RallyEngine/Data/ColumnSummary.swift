import RallyCore

/// A few figures of one column of numbers, NaN counted as missing: what a Lua `Vector` (a dataset
/// column, labels, predictions) prints and what its `v:sum()`, `v:mean()`, `v:min()`, `v:max()`
/// and `v:missing()` return. It is not a data contract (``LoadReport`` says what a load found) and
/// holds no values: only these figures, from one pass in order.
public struct ColumnSummary: Sendable, Equatable {
    /// Values, missing ones included.
    public let count: Int
    /// Missing (NaN) values.
    public let missing: Int
    /// Sum of the non-missing values, in order (0 when there are none).
    public let sum: Double
    /// Smallest and largest non-missing value (nil when there are none).
    public let min: Double?, max: Double?

    /// The figures of `values`.
    public init(_ values: [Double]) {
        var missing = 0, sum = 0.0
        var low: Double?, high: Double?
        for x in values {
            if x.isNaN { missing += 1; continue }
            sum += x
            if low == nil || x < low! { low = x }
            if high == nil || high! < x { high = x }
        }
        count = values.count
        self.missing = missing
        self.sum = sum
        min = low
        max = high
    }

    /// Mean of the non-missing values (nil when there are none).
    public var mean: Double? { count > missing ? sum / Double(count - missing) : nil }

    /// `<Vector price: 52416 values, mean 35.1, min -12.5, max 1900, 3 missing>`: one line, as
    /// every class prints in Lua.
    public func line(name: String) -> String {
        guard let mean, let min, let max else { return "<Vector \(name): \(count) values, all missing>" }
        let gaps = missing > 0 ? ", \(missing) missing" : ""
        return "<Vector \(name): \(count) values, mean \(Format.number(mean)), min \(Format.number(min)), max \(Format.number(max))\(gaps)>"
    }
}
