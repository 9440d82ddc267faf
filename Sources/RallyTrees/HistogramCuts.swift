import Dispatch
import RallyCore

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
        // each feature's cuts on their own (features shared among the workers), then laid end to end
        let perFeature = concurrentMap(columns.count, threads: threads) { f in Self.cuts(of: columns[f], weights: weights, maxBin: maxBin) }
        var values: [Float] = [], pointers = [0], minimums: [Float] = []
        for f in columns.indices {
            let (cuts, minimum) = perFeature[f]
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

    /// The bin of a (non-NaN) `value` among a feature's `cuts` (ascending, at least one): the
    /// first cut above it, the last bin for values at or above the last cut. A binary search
    /// without branches on the comparisons, whose outcomes are random.
    @inline(__always)
    static func bin(_ value: Float, among cuts: UnsafeBufferPointer<Float>) -> Int {
        var base = 0, n = cuts.count
        while n > 1 {
            let half = n / 2
            base = cuts[base + half] <= value ? base + half : base
            n -= half
        }
        return min(base + (cuts[base] <= value ? 1 : 0), cuts.count - 1)
    }

    /// ``bin(_:among:)`` of each of `values` into `out`, NaN as `missing`; returns whether a
    /// value was NaN. Eight searches run side by side: each step of a search waits for the load
    /// before it, and eight independent chains keep the loads overlapping.
    static func bins(of values: UnsafeBufferPointer<Float>, among cuts: UnsafeBufferPointer<Float>, missing: UInt16,
                     into out: UnsafeMutablePointer<UInt16>) -> Bool {
        let c = cuts.baseAddress!, last = cuts.count - 1
        var anyMissing = false, i = 0
        while i + 8 <= values.count {
            var v = SIMD8<Float>(), base = SIMD8<Int32>()
            for l in 0..<8 { v[l] = values[i + l] }
            var n = cuts.count
            while n > 1 {
                let half = n / 2
                for l in 0..<8 {
                    let b = Int(base[l])
                    base[l] = Int32(c[b + half] <= v[l] ? b + half : b)
                }
                n -= half
            }
            for l in 0..<8 {
                let b = Int(base[l])
                let bin = UInt16(truncatingIfNeeded: min(b + (c[b] <= v[l] ? 1 : 0), last))
                out[i + l] = v[l].isNaN ? missing : bin
            }
            anyMissing = anyMissing || any(v .!= v)
            i += 8
        }
        while i < values.count {
            let v = values[i]
            out[i] = v.isNaN ? missing : UInt16(truncatingIfNeeded: bin(v, among: cuts))
            anyMissing = anyMissing || v.isNaN
            i += 1
        }
        return anyMissing
    }
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

    /// Bins `columns` (as given to ``HistogramCuts/init(columns:weights:maxBin:threads:)``),
    /// features shared among `threads` workers.
    init(columns: [[Float]], cuts: HistogramCuts, threads: Int = 1) {
        let rows = columns.first?.count ?? 0, count = rows * columns.count
        var missing: [Bool] = []
        byFeature = [UInt16](unsafeUninitializedCapacity: count) { buffer, written in
            missing = Self.bin(columns, cuts: cuts, threads: threads, into: buffer)
            written = count
        }
        self.rows = rows
        missingIn = missing
    }

    /// Bins `columns` into `bins` (`rows × features` slots, feature-major as ``byFeature``),
    /// features shared among `threads` workers; returns whether each feature has a missing
    /// value. The trainer bins straight into the buffer it keeps.
    static func bin(_ columns: [[Float]], cuts: HistogramCuts, threads: Int, into bins: UnsafeMutableBufferPointer<UInt16>) -> [Bool] {
        let rows = columns.first?.count ?? 0, width = columns.count
        precondition(bins.count >= rows * width, "room for \(rows * width) bins, got \(bins.count)")
        guard rows > 0, let base = bins.baseAddress else { return [Bool](repeating: false, count: width) }
        let target = FeatureBins(bins: base, features: width)
        let workers = max(1, min(threads, width)), next = WorkCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            cuts.values.withUnsafeBufferPointer { values in
                while case let f = next.take(), f < width {
                    let own = UnsafeBufferPointer(rebasing: values[cuts.pointers[f]..<cuts.pointers[f + 1]])
                    target.missing[f] = columns[f].withUnsafeBufferPointer { column in
                        HistogramCuts.bins(of: column, among: own, missing: UInt16(own.count), into: target.bins + f * rows)
                    }
                }
            }
        }
        return Array(target.missing.prefix(width))
    }
}

/// Where the workers bin, each feature's rows and flag written by one worker.
private final class FeatureBins: @unchecked Sendable {
    // @unchecked: worker w writes only its own features' rows and flags; read after all finish.
    /// The bins' memory (not owned).
    let bins: UnsafeMutablePointer<UInt16>
    let missing: UnsafeMutableBufferPointer<Bool>
    init(bins: UnsafeMutablePointer<UInt16>, features: Int) {
        self.bins = bins
        missing = .allocate(capacity: max(1, features))
        missing.initialize(repeating: false)
    }
    deinit { missing.deallocate() }
}
