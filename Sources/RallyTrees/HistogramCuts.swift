import Dispatch

/// Where XGBoost's `hist` method puts the bin boundaries of each feature (its
/// `HistogramCuts`), and the training rows' bins. A value `v` of feature `f` falls in the
/// first bin whose cut is above it (`v < cut`); NaN is missing and falls in no bin.
///
/// The cuts come from ``QuantileSketch`` exactly as XGBoost 1.7 makes them (sketch of the
/// column's non-missing `Float` values with the row weights, pruned to `8 × max_bin` entries
/// and then to `max_bin + 1`, the last cut just above the maximum), so rally's trees split
/// where XGBoost's would.
package struct HistogramCuts: Sendable {
    /// Every feature's cut values in ascending order, feature after feature.
    package let values: [Float]
    /// Feature `f`'s cuts are `values[pointers[f] ..< pointers[f + 1]]`; one bin per cut.
    package let pointers: [Int]
    /// Below every value of each feature: the split value that sends no value left.
    package let minimums: [Float]

    /// The cuts of `columns` (one `Float` array per feature, NaN missing) with optional row
    /// `weights`, at most `maxBin` bins per feature.
    package init(columns: [[Float]], weights: [Float]?, maxBin: Int, threads: Int = 1) {
        // each feature's cuts on their own (features share workers in turn), then laid end to end
        let perFeature = FeatureCuts(count: columns.count)
        let workers = max(1, min(threads, columns.count))
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for f in stride(from: w, to: columns.count, by: workers) {
                perFeature.set(f, Self.cuts(of: columns[f], weights: weights, maxBin: maxBin))
            }
        }
        var values: [Float] = [], pointers = [0], minimums: [Float] = []
        for f in columns.indices {
            let (cuts, minimum) = perFeature.get(f)
            values += cuts
            pointers.append(values.count)
            minimums.append(minimum)
        }
        self.values = values
        self.pointers = pointers
        self.minimums = minimums
    }

    /// One feature's cut values and minimum, from its sketch (XGBoost's `MakeCuts`).
    private static func cuts(of column: [Float], weights: [Float]?, maxBin: Int) -> (cuts: [Float], minimum: Float) {
        let count = column.reduce(0) { $1.isNaN ? $0 : $0 + 1 }
        var summary: QuantileSketch.Summary = []
        var bins = 0
        if count > 0 {
            var sketch = QuantileSketch(count: count, maxBin: maxBin)
            for (i, v) in column.enumerated() where !v.isNaN { sketch.push(v, weight: weights?[i] ?? 1) }
            let intermediate = min(count, maxBin * 8)
            bins = min(intermediate, maxBin)
            summary = QuantileSketch.pruned(QuantileSketch.pruned(sketch.summary(), to: intermediate), to: bins + 1)
        }
        let minimum: Float = summary.first.map { $0.value - abs($0.value) - 1e-5 } ?? 1e-5
        var cuts: [Float] = []
        for i in stride(from: 1, to: min(summary.count, bins), by: 1) {
            let cut = summary[i].value
            if i == 1 || cut > cuts[cuts.count - 1] { cuts.append(cut) }
        }
        let top = summary.last?.value ?? minimum
        cuts.append(top + (abs(top) + 1e-5))
        return (cuts, minimum)
    }

    /// Number of bins of feature `f`.
    package func bins(_ f: Int) -> Int { pointers[f + 1] - pointers[f] }

    /// The bin of `value` within feature `f` (0-based within the feature), or nil for NaN:
    /// the first cut above the value, the last bin for values at or above the last cut.
    package func bin(_ value: Float, feature f: Int) -> Int? {
        guard !value.isNaN else { return nil }
        var lo = pointers[f], hi = pointers[f + 1]
        let end = hi
        while lo < hi {
            let mid = (lo + hi) / 2
            if values[mid] <= value { lo = mid + 1 } else { hi = mid }
        }
        return (lo == end ? lo - 1 : lo) - pointers[f]
    }
}

/// Each feature's cuts while they are made, written by one worker each.
private final class FeatureCuts: @unchecked Sendable {
    // @unchecked: worker w writes only its own features' slots; they are read after all finish.
    private let slots: UnsafeMutableBufferPointer<(cuts: [Float], minimum: Float)>
    init(count: Int) {
        slots = .allocate(capacity: max(1, count))
        slots.initialize(repeating: ([], 0))
    }
    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }
    func set(_ f: Int, _ value: (cuts: [Float], minimum: Float)) { slots[f] = value }
    func get(_ f: Int) -> (cuts: [Float], minimum: Float) { slots[f] }
}

/// The training rows binned by ``HistogramCuts``: each row's bin of each feature as a
/// `UInt16`, missing values as the feature's bin count (one slot past its last bin).
struct BinnedColumns: Sendable {
    /// Feature-major: feature `f`'s bins are `byFeature[f * rows ..< (f + 1) * rows]` (a
    /// partition reads one feature of many rows; histograms read rows' slots, laid out from these).
    let byFeature: [UInt16]
    let rows: Int
    /// Whether some value is missing (XGBoost's dense shortcut is off then).
    var hasMissing: Bool { missingIn.contains(true) }
    /// Whether feature `f` has a missing value.
    let missingIn: [Bool]

    /// Bins `columns` (as given to ``HistogramCuts/init(columns:weights:maxBin:)``).
    init(columns: [[Float]], cuts: HistogramCuts) {
        let rows = columns.first?.count ?? 0
        var byFeature = [UInt16](repeating: 0, count: rows * columns.count)
        var missing = [Bool](repeating: false, count: columns.count)
        for (f, column) in columns.enumerated() {
            let absent = UInt16(cuts.bins(f))
            for (i, v) in column.enumerated() {
                let b = cuts.bin(v, feature: f).map { UInt16($0) } ?? absent
                byFeature[f * rows + i] = b
                if b == absent { missing[f] = true }
            }
        }
        self.byFeature = byFeature
        self.rows = rows
        self.missingIn = missing
    }
}
