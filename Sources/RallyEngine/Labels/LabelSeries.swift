/// The output of a labeler over a dataset's full time index.
///
/// `labels[i]` is 1 when a rally follows time i, 0 when none does, NaN where undefined
/// (threshold not yet known, or the horizon runs past the data). `thresholds[i]` is the
/// level the labeler compared against (NaN where undefined).
public struct LabelSeries: Sendable {
    /// 0, 1 or NaN per row.
    public var labels: [Double]
    /// The threshold used at each row.
    public var thresholds: [Double]
    /// How many steps ahead the label looks (a label at t reads data up to t + horizon).
    public var horizon: Int

    /// Creates a label series.
    public init(labels: [Double], thresholds: [Double], horizon: Int) {
        precondition(labels.count == thresholds.count)
        self.labels = labels
        self.thresholds = thresholds
        self.horizon = horizon
    }
}
