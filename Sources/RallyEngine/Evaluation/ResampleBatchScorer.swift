/// One model's ``ForecastScorer`` laid out to score a ``ResampleBatch`` (eight resamples) at
/// once, from integer row counts, over the model's one global score order: no sorting, no
/// allocation and no floating-point weight per resample. It is the paired bootstrap's fast
/// path, not a new metric: every figure equals ``ForecastScorer/score(weights:)`` on each
/// resample to the last bit (a test compares the two ways), because
/// - counts are whole numbers, so every count, positive, tie-group and top-k sum is exact in
///   any order and is kept in integers;
/// - the sums that are rounded (Brier, log loss, the climatology's Brier, each calibration
///   bin's probability sum, ROC-AUC's and average precision's sums over tie groups) take the
///   same terms in the same order as the reference: a row or group the resample did not draw
///   adds an exact +0 there and is skipped here;
/// - the figures are finished by the same code (``ForecastScorer/figures(_:bins:into:)``).
///
/// Layout made once per model: tie groups holding a positive (the only ones ROC-AUC and
/// average precision add anything for; the rows between them only move the count of
/// negatives ranked above), and the rows of each calibration bin in time order.
struct ResampleBatchScorer: Sendable {
    typealias Lanes = SIMD8<Double>
    typealias Whole = SIMD8<Int32>

    /// The scorer whose figures this computes.
    let scorer: ForecastScorer
    /// Start and end (exclusive) in the score order of each tie group holding a positive.
    private let groupStarts: [Int32], groupEnds: [Int32]
    /// −1 where the row at that position of the score order is a positive, else 0.
    private let sortedPositive: [Int32]
    /// Rows ordered by calibration bin, then time; bin k is `binRows[binStarts[k] ..< binStarts[k + 1]]`.
    private let binRows: [Int32], binStarts: [Int]
    /// The probability and positive mask (−1 / 0) of each row of `binRows`.
    private let binProbabilities: [Double], binPositive: [Int32]
    /// k of precision at top: max(1, round(top · rows)), as the reference computes it.
    private let topK: Double

    /// Lays out `scorer` for batches.
    init(_ scorer: ForecastScorer) {
        self.scorer = scorer
        var starts: [Int32] = [], ends: [Int32] = []
        var start = 0
        for end32 in scorer.groupEnds {
            let end = Int(end32)
            if scorer.sortedLabels[start..<end].contains(1) {
                starts.append(Int32(start))
                ends.append(end32)
            }
            start = end
        }
        groupStarts = starts
        groupEnds = ends
        sortedPositive = scorer.sortedLabels.map { $0 == 1 ? -1 : 0 }
        let binCount = scorer.settings.calibrationBins
        var perBin = [[Int32]](repeating: [], count: binCount)
        for i in 0..<scorer.count { perBin[Int(scorer.bins[i])].append(Int32(i)) }
        binRows = perBin.flatMap { $0 }
        var offsets = [0]
        for rows in perBin { offsets.append(offsets[offsets.count - 1] + rows.count) }
        binStarts = offsets
        binProbabilities = binRows.map { scorer.probabilities[Int($0)] }
        binPositive = binRows.map { scorer.labels[Int($0)] == 1 ? -1 : 0 }
        topK = Swift.max(1.0, (scorer.settings.top * Double(scorer.count)).rounded(.toNearestOrEven))
    }

    /// Scores the batch's eight lanes; lane l's figures go to `out[l * metrics ..< (l + 1) * metrics]`
    /// (``Metric/allCases`` order). `positives` is each lane's count of positive rows drawn;
    /// `bins` is scratch for `8 × calibrationBins` bin sums.
    func score(_ batch: ResampleBatch, positives: Whole, bins: UnsafeMutableBufferPointer<ForecastScorer.BinSums>,
               into out: UnsafeMutableBufferPointer<Double>) {
        let linear = linearSums(batch)
        binSums(batch, into: bins)
        let ranked = rankedSums(batch, positives: positives)
        let metrics = Metric.allCases.count, binCount = scorer.settings.calibrationBins
        let total = Double(batch.rows), hits = Lanes(ranked.hits)
        for lane in 0..<ResampleBatch.lanes {
            let totalPos = Double(positives[lane]), totalNeg = total - totalPos
            let bothClasses = totalPos > 0 && totalNeg > 0
            let sums = ForecastScorer.WeightedSums(
                total: total, positives: totalPos, brier: linear.brier[lane], logLoss: linear.logLoss[lane],
                reference: linear.reference[lane],
                auc: bothClasses ? ranked.auc[lane] / (totalPos * totalNeg) : .nan,
                ap: totalPos > 0 ? ranked.ap[lane] : .nan,
                precisionAtTop: hits[lane] / topK)
            scorer.figures(sums, bins: UnsafeBufferPointer(rebasing: bins[(lane * binCount)..<((lane + 1) * binCount)]),
                           into: UnsafeMutableBufferPointer(rebasing: out[(lane * metrics)..<((lane + 1) * metrics)]))
        }
    }

    /// Σ c·(p − y)², Σ c·log-loss and Σ c·(climatology − y)² in time order, per lane (the last
    /// zero without a climatology). The three sums go through the rows together: each is a chain
    /// of adds that waits on its own last add, and three chains keep the adder busy (with AVX
    /// their 24 lanes take 6 of the 16 vector registers; a baseline x86-64 build spills some, and
    /// measured no slower than a pass each).
    private func linearSums(_ batch: ResampleBatch) -> (brier: Lanes, logLoss: Lanes, reference: Lanes) {
        var brier = Lanes(), logLoss = Lanes(), reference = Lanes()
        scorer.squaredErrors.withUnsafeBufferPointer { se in
            scorer.logLosses.withUnsafeBufferPointer { ll in
                // without a climatology the third sum repeats the first and is dropped
                (scorer.referenceErrors ?? scorer.squaredErrors).withUnsafeBufferPointer { re in
                    for i in 0..<batch.rows {
                        let c = Lanes(batch.wide(i))
                        brier += c * se[i]
                        logLoss += c * ll[i]
                        reference += c * re[i]
                    }
                }
            }
        }
        return (brier, logLoss, scorer.referenceErrors == nil ? Lanes() : reference)
    }

    /// Each calibration bin's count, probability sum and positive count, per lane, into
    /// `out[lane * bins + k]`.
    private func binSums(_ batch: ResampleBatch, into out: UnsafeMutableBufferPointer<ForecastScorer.BinSums>) {
        let binCount = scorer.settings.calibrationBins
        binRows.withUnsafeBufferPointer { rows in
            binProbabilities.withUnsafeBufferPointer { p in
                binPositive.withUnsafeBufferPointer { positive in
                    for k in 0..<binCount {
                        var count = Whole(), outcome = Whole(), probability = Lanes()
                        for j in binStarts[k]..<binStarts[k + 1] {
                            let c = batch.wide(Int(rows[j]))
                            count &+= c
                            outcome &+= c & positive[j]
                            probability += Lanes(c) * p[j]
                        }
                        for lane in 0..<ResampleBatch.lanes {
                            out[lane * binCount + k] = ForecastScorer.BinSums(count: Double(count[lane]), probability: probability[lane],
                                                                              outcome: Double(outcome[lane]))
                        }
                    }
                }
            }
        }
    }

    /// ROC-AUC's and average precision's sums over the tie groups holding a positive, in score
    /// order, and the positives among the top k, per lane.
    private func rankedSums(_ batch: ResampleBatch, positives: Whole) -> (auc: Lanes, ap: Lanes, hits: Whole) {
        let totalPos = Lanes(positives), totalNeg = Lanes(repeating: Double(batch.rows)) - totalPos
        var auc = Lanes(), ap = Lanes()
        var negAbove = Whole(), tp = Whole()
        var hits = Whole()
        scorer.order.withUnsafeBufferPointer { order in
            sortedPositive.withUnsafeBufferPointer { positive in
                hits = topHits(batch, order: order, positive: positive)
                var cursor = 0
                for g in groupStarts.indices {
                    let start = Int(groupStarts[g]), end = Int(groupEnds[g])
                    for j in cursor..<start { negAbove &+= batch.wide(Int(order[j])) }
                    var pos = Whole(), neg = Whole()
                    for j in start..<end {
                        let c = batch.wide(Int(order[j]))
                        pos &+= c & positive[j]
                        neg &+= c & ~positive[j]
                    }
                    let posD = Lanes(pos), negD = Lanes(neg)
                    // positives of this group outrank every negative below it, tie with its own
                    auc += posD * (totalNeg - Lanes(negAbove) - negD) + 0.5 * posD * negD
                    negAbove &+= neg
                    tp &+= pos
                    let tpD = Lanes(tp)
                    let term = (posD / totalPos) * (tpD / (tpD + Lanes(negAbove)))
                    ap.replace(with: ap + term, where: posD .> 0)
                    cursor = end
                }
            }
        }
        return (auc, ap, hits)
    }

    /// Positives among the first k row draws in score order (a row drawn c times fills c
    /// places; the last one taken may be split), per lane.
    private func topHits(_ batch: ResampleBatch, order: UnsafeBufferPointer<Int32>, positive: UnsafeBufferPointer<Int32>) -> Whole {
        let k = Whole(repeating: Int32(topK))
        var taken = Whole(), hits = Whole()
        var j = 0
        while j < batch.rows {
            let c = batch.wide(Int(order[j]))
            let t = pointwiseMin(c, pointwiseMax(k &- taken, Whole()))
            taken &+= t
            hits &+= t & positive[j]
            j += 1
            if j & 15 == 0 && all(taken .>= k) { break }
        }
        return hits
    }
}
