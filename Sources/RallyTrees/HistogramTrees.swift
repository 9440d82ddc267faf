import Dispatch
import Foundation
import RallyCore
import CSigmoid

/// XGBoost 1.7's `hist` tree method for binary log-loss, grown in rally: the gbdt model's
/// default trainer (``GradientBoostedModel``, `trainer = "rally"`). It does XGBoost's
/// arithmetic step by step — `Float` gradients from the `Float` margins, histograms summed in
/// `Double` in row order, XGBoost's gain and weight formulas with their `Float` roundings,
/// its tie rules, the smaller child built and its sibling subtracted, depthwise or loss-guided
/// growth, bins from XGBoost's own sketch (``HistogramCuts``) — so that, without row or column
/// sampling, its trees are those XGBoost grows on one thread (`HistogramTreesTests` compares
/// them node for node). Its sums do not depend on the thread count: threads share features,
/// never rows.
///
/// It is faster than XGBoost on the small, dense matrices rally fits (a few features, tens of
/// thousands of rows) because it does only this: no DMatrix, no per-round set-up, one
/// parallel step per tree level. Row and column sampling draw from rally's own generator,
/// not XGBoost's, so sampled fits are rally's own (same seed, same trees).
///
/// The trees are handed to XGBoost (``BoostedTree/xgboostModel(_:features:scalePositiveWeight:)``),
/// which saves, explains and ranks them as it would its own.
package final class HistogramTrees: @unchecked Sendable {
    // @unchecked: the workers of one parallel step (``WorkerTeam``) write disjoint parts of the
    // buffers below (their own features, their own rows); nothing else runs while they do.

    /// What a fit asks for (XGBoost's parameter names in the docs).
    package struct Settings: Sendable {
        /// `eta`.
        package var eta: Float = 0.3
        /// `max_depth` (0: no limit).
        package var maxDepth = 6
        /// `grow_policy = lossguide`: split the best leaf first instead of level by level.
        package var lossGuide = false
        /// `max_leaves` (0: no limit).
        package var maxLeaves = 0
        /// `min_child_weight`.
        package var minChildWeight: Float = 1
        /// `lambda`, `alpha`.
        package var lambda: Float = 1, alpha: Float = 0
        /// `subsample`, `colsample_bytree`.
        package var subsample: Float = 1, columnSample: Float = 1
        /// `scale_pos_weight`.
        package var scalePositiveWeight: Float = 1
        /// Seed of row and column sampling.
        package var seed: UInt64 = 0

        package init(eta: Float = 0.3, maxDepth: Int = 6, lossGuide: Bool = false, maxLeaves: Int = 0, minChildWeight: Float = 1,
                     lambda: Float = 1, alpha: Float = 0, subsample: Float = 1, columnSample: Float = 1,
                     scalePositiveWeight: Float = 1, seed: UInt64 = 0) {
            self.eta = eta
            self.maxDepth = maxDepth
            self.lossGuide = lossGuide
            self.maxLeaves = maxLeaves
            self.minChildWeight = minChildWeight
            self.lambda = lambda
            self.alpha = alpha
            self.subsample = subsample
            self.columnSample = columnSample
            self.scalePositiveWeight = scalePositiveWeight
            self.seed = seed
        }
    }

    /// Gradient and hessian sums.
    package typealias Sums = SIMD2<Double>

    /// XGBoost's `kRtEps`: a split must reduce the loss by more than this.
    static let minimumLoss: Float = 1e-6

    package let settings: Settings
    package let cuts: HistogramCuts
    /// Rows and features of the training matrix.
    package let rows: Int, features: Int
    /// Each training row's margin after the trees so far (XGBoost's prediction cache).
    package var margins: [Float] { Array(marginValues) }

    let marginValues: UnsafeMutableBufferPointer<Float>
    private let labels: UnsafeMutableBufferPointer<Float>
    private let weights: UnsafeMutableBufferPointer<Float>?
    /// Row-major: row `i`'s histogram slot of feature `f` is `rowSlots[i * features + f]`
    /// (its bin plus the feature's first slot), in 16 bits when every slot fits (half the
    /// memory a histogram pass reads).
    let rowSlots: RowSlots

    /// Histogram slots of the rows, 16 or 32 bits wide.
    enum RowSlots {
        case narrow(UnsafeMutableBufferPointer<UInt16>)
        case wide(UnsafeMutableBufferPointer<UInt32>)
    }
    /// Feature-major bins (``BinnedColumns/byFeature``), for partitions.
    let binsByFeature: UnsafeMutableBufferPointer<UInt16>
    let hasMissing: Bool
    /// Whether feature `f` has a missing value among the training rows.
    let missingIn: [Bool]
    /// Where feature `f`'s histogram starts: its bins, then one slot for missing values.
    let slotOffsets: [Int]
    let gradients: UnsafeMutableBufferPointer<Sums>
    /// The rows of each node of the tree being grown, side by side (``ranges``), in row order.
    let order: UnsafeMutableBufferPointer<Int32>
    /// Where a partition puts each block's left and right rows before they go back to `order`.
    let leftRows: UnsafeMutableBufferPointer<Int32>
    let rightRows: UnsafeMutableBufferPointer<Int32>
    var histograms: HistogramPool
    private var random: Xoshiro256StarStar
    /// The fit's helper threads, made at the first tree that uses more than one thread.
    private var team: WorkerTeam?

    /// Per node of the tree being grown.
    var ranges: [Range<Int>] = []
    var sums: [Sums] = []
    var rootGains: [Float] = []
    var histogramOf: [Int] = []

    /// Prepares a fit on `rows` of `X` with 0/1 `labels` and optional `weights`, at most
    /// `maxBin` bins per feature. Throws on an infinite value (after the `Float` conversion).
    /// `histogramBudget` (tests) caps the histograms kept at once (default: about 256 MB).
    package init(columns source: [[Double]], names: [String], rows: Range<Int>, labels: ArraySlice<Double>, weights: ArraySlice<Double>?,
                 maxBin: Int, settings: Settings, threads: Int = 1, histogramBudget: Int? = nil) throws {
        // the rows as 32-bit floats, features shared among the workers
        let converted = concurrentMap(source.count, threads: threads) { j in
            let values = source[j][rows].map { Float($0) }
            return (values: values, infinite: values.firstIndex { $0.isInfinite })
        }
        var columns: [[Float]] = []
        for j in source.indices {
            let (values, infinite) = converted[j]
            if let i = infinite {
                throw RallyError("gbdt: feature '\(names[j])' is \(source[j][rows.lowerBound + i]) at row \(i + 1), which is infinite as a 32-bit float; use NaN for missing values")
            }
            columns.append(values)
        }
        let weightValues = weights.map { $0.map { Float($0) } }
        self.settings = settings
        self.rows = rows.count
        self.features = source.count
        let labelValues = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, rows.count))
        _ = labelValues.initialize(from: labels.map { Float($0) })
        self.labels = labelValues
        self.weights = weightValues.map { values in
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, values.count))
            _ = buffer.initialize(from: values)
            return buffer
        }
        let cuts = HistogramCuts(columns: columns, weights: weightValues, maxBin: maxBin, threads: threads)
        self.cuts = cuts
        let width = source.count, n = rows.count
        let bins = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: max(1, n * width))
        missingIn = BinnedColumns.bin(columns, cuts: cuts, threads: threads, into: UnsafeMutableBufferPointer(rebasing: bins[0..<(n * width)]))
        hasMissing = missingIn.contains(true)
        binsByFeature = bins
        let offsets = (0..<width).map { cuts.pointers[$0] + $0 }
        let slotCount = cuts.values.count + width
        // row-major slots, laid out 256 rows at a time (a block's rows stay in cache while each
        // feature's bins are read in order)
        func laidOut<Slot: FixedWidthInteger>(_: Slot.Type) -> UnsafeMutableBufferPointer<Slot> {
            let out = UnsafeMutableBufferPointer<Slot>.allocate(capacity: max(1, n * width))
            for start in stride(from: 0, to: n, by: 256) {
                let block = start..<min(n, start + 256)
                for f in 0..<width {
                    let offset = offsets[f], column = bins.baseAddress! + f * n
                    for i in block { out[i * width + f] = Slot(truncatingIfNeeded: offset + Int(column[i])) }
                }
            }
            return out
        }
        rowSlots = slotCount <= Int(UInt16.max) ? .narrow(laidOut(UInt16.self)) : .wide(laidOut(UInt32.self))
        slotOffsets = offsets
        marginValues = .allocate(capacity: max(1, rows.count))
        marginValues.initialize(repeating: 0)
        gradients = .allocate(capacity: max(1, rows.count))
        order = .allocate(capacity: max(1, rows.count))
        leftRows = .allocate(capacity: max(1, rows.count))
        rightRows = .allocate(capacity: max(1, rows.count))
        histograms = HistogramPool(slots: slotCount, limit: histogramBudget)
        random = Xoshiro256StarStar(seed: settings.seed)
    }

    deinit {
        marginValues.deallocate()
        labels.deallocate()
        weights?.deallocate()
        switch rowSlots {
        case .narrow(let slots): slots.deallocate()
        case .wide(let slots): slots.deallocate()
        }
        binsByFeature.deallocate()
        gradients.deallocate()
        order.deallocate()
        leftRows.deallocate()
        rightRows.deallocate()
        histograms.deallocate()
        team?.stop()
    }

    /// XGBoost's sigmoid (`common::Sigmoid`): the probability of a margin. (The gradients take it
    /// four margins at a time from `rally_xgboost_sigmoid`, which gives the same bits.)
    package static func probability(_ margin: Float) -> Float {
        1 / (expf(min(-margin, 88.7)) + 1 + 1e-16)
    }

    /// Grows one tree on the current margins with `threads` workers and adds it to the margins.
    package func boost(threads: Int) -> BoostedTree {
        if threads > 1 && (team?.capacity ?? 1) < threads {
            team?.stop()
            team = WorkerTeam(threads: threads)
        }
        computeGradients(threads: threads)
        if settings.subsample < 1 { sampleRows() }
        let chosen = sampledFeatures()
        return grow(features: chosen, threads: max(1, min(threads, chosen.count)))
    }

    /// Seconds the fit's helper threads have spent waiting for a CPU (0 before the first tree
    /// on several threads), or nil when unreadable. The caller's own thread is the caller's to clock.
    package var helpersWaitingSeconds: Double? { team?.helpersWaitingSeconds() ?? 0 }

    /// Runs `body(worker)` for workers `0 ..< workers`: on the team, or one after the other.
    func parallel(_ workers: Int, _ body: @escaping @Sendable (Int) -> Void) {
        if workers > 1, let team, team.capacity >= workers {
            team.run(workers, body)
        } else {
            for w in 0..<workers { body(w) }
        }
    }

    // MARK: gradients and sampling

    private func computeGradients(threads: Int) {
        let n = rows, spw = settings.scalePositiveWeight
        let chunk = 1024, chunks = (n + chunk - 1) / chunk
        let workers = max(1, min(threads, chunks))
        parallel(workers) { worker in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: chunk) { probabilities in
                var c = worker
                while c < chunks {
                    let rows = (c * chunk)..<min(n, (c + 1) * chunk)
                    // XGBoost's sigmoid, four rows at a time: the same bits as `probability` (CSigmoid)
                    rally_xgboost_sigmoid(self.marginValues.baseAddress! + rows.lowerBound, probabilities.baseAddress!, rows.count)
                    for i in rows {
                        let p = probabilities[i - rows.lowerBound], label = self.labels[i]
                        var weight = self.weights?[i] ?? 1
                        if label == 1 { weight *= spw }
                        let g = (p - label) * weight, h = max(p * (1 - p), 1e-16) * weight
                        self.gradients[i] = Sums(Double(g), Double(h))
                    }
                    c += workers
                }
            }
        }
    }

    /// Zeroes the gradients of rows left out of this tree (`subsample`).
    private func sampleRows() {
        for i in 0..<rows {
            let u = Float(random.next() >> 40) * 0x1p-24
            if !(gradients[i].y >= 0 && u < settings.subsample) { gradients[i] = .zero }
        }
    }

    /// The features this tree may split on (`colsample_bytree`), ascending.
    private func sampledFeatures() -> [Int] {
        guard settings.columnSample < 1 else { return Array(0..<features) }
        var all = Array(0..<features)
        let n = max(1, Int(settings.columnSample * Float(features)))
        for i in stride(from: all.count - 1, to: 0, by: -1) {
            all.swapAt(i, Int(random.below(UInt64(i + 1))))
        }
        return all.prefix(n).sorted()
    }
}

/// The held-out rows of a fit with early stopping: their margins after each tree and
/// XGBoost's `logloss` of them (its `EvalRowLogLoss`, in `Float`, weighted mean in `Double`).
package struct ValidationMargins {
    private let columns: [[Float]]
    private let labels: [Float]
    private let weights: [Float]?
    private var margins: [Float]

    /// `rows` of the feature `source` columns with their `labels` and optional `weights` (indexed like the columns).
    package init(columns source: [[Double]], rows: Range<Int>, labels: [Double], weights: [Double]?) {
        columns = source.map { $0[rows].map { Float($0) } }
        self.labels = labels[rows].map { Float($0) }
        self.weights = weights.map { $0[rows].map { Float($0) } }
        margins = [Float](repeating: 0, count: rows.count)
    }

    /// Adds `tree`'s leaf to each row's margin; the log-loss after it.
    package mutating func add(_ tree: BoostedTree) -> Double {
        var loss = 0.0, total = 0.0
        for i in margins.indices {
            var k = 0
            while tree.left[k] >= 0 {
                let v = columns[Int(tree.feature[k])][i]
                let goLeft = v.isNaN ? tree.defaultLeft[k] : v < tree.split[k]
                k = Int(goLeft ? tree.left[k] : tree.right[k])
            }
            margins[i] += tree.split[k]
            let w = Double(weights?[i] ?? 1)
            loss += Double(Self.rowLoss(labels[i], HistogramTrees.probability(margins[i]))) * w
            total += w
        }
        return loss / total
    }

    /// XGBoost's `EvalRowLogLoss`.
    private static func rowLoss(_ y: Float, _ p: Float) -> Float {
        let eps: Float = 1e-16, q = 1 - p
        if p < eps { return -y * logf(eps) - (1 - y) * logf(1 - eps) }
        if q < eps { return -y * logf(1 - eps) - (1 - y) * logf(eps) }
        return -y * logf(p) - (1 - y) * logf(q)
    }
}
