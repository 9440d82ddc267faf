import Foundation

/// Scores one model's probabilities against 0/1 outcomes: on the sample as it is, or on any
/// reweighting of its rows, which is what a bootstrap resample is (row i drawn wᵢ times).
///
/// Everything that does not depend on the weights is done once in `init`: the rows are sorted
/// by descending probability (stable, so tied scores keep time order), tie groups are marked,
/// and per-row losses and calibration bins are stored. ``score(weights:)`` is then a few O(n)
/// passes with no sorting, so 1000 resamples cost 1000 linear walks, not 1000 sorts.
///
/// With integer weights every figure equals the unweighted metric of the multiset of rows the
/// weights describe (duplicated rows are tied with themselves), so resample values match what
/// scikit-learn returns on the resampled arrays, except that ties in precision-at-top are
/// broken by original time order rather than by position in the resample.
public struct ForecastScorer: Sendable {
    /// Number of rows.
    public let count: Int
    /// Outcomes, 0 or 1, in time order.
    public let labels: [Double]
    /// Probabilities, in time order.
    public let probabilities: [Double]
    /// The settings the figures use.
    public let settings: MetricSettings

    /// Row indices by descending probability; equal probabilities in ascending row order.
    let order: [Int32]
    /// Outcomes in `order`.
    let sortedLabels: [Double]
    /// End (exclusive) of each run of equal probabilities in `order`.
    let groupEnds: [Int32]
    /// (pᵢ − yᵢ)² per row.
    let squaredErrors: [Double]
    /// −log-likelihood of yᵢ under the clipped pᵢ, per row.
    let logLosses: [Double]
    /// Calibration bin of each row.
    let bins: [Int32]
    /// (cᵢ − yᵢ)² per row for the climatological forecast c, or nil to use the scored
    /// sample's own base rate.
    let referenceErrors: [Double]?

    /// Prepares scoring of `probabilities` against `labels` (same length, labels 0 or 1,
    /// probabilities in [0, 1]). `model` names the forecasts in error messages.
    ///
    /// `climatology` is the reference forecast of the Brier skill score, one probability per
    /// row: the training base rate of the fold that predicted the row is the forecast one could
    /// have made without a model. Nil uses the scored sample's own base rate (hindsight; the
    /// reference Brier is then the uncertainty term).
    public init(labels: [Double], probabilities: [Double], climatology: [Double]? = nil,
                settings: MetricSettings = MetricSettings(), model: String = "model") throws {
        let losses = try ForecastLosses(labels: labels, probabilities: probabilities, settings: settings, model: model)
        if let climatology {
            guard climatology.count == labels.count else {
                throw RallyError("metrics for '\(model)': \(labels.count) labels but \(climatology.count) climatology values")
            }
            for (i, c) in climatology.enumerated() where !(c >= 0 && c <= 1) {
                throw RallyError("metrics for '\(model)': climatology at row \(i + 1) is \(Format.number(c)), expected a number in [0, 1]")
            }
        }
        let n = labels.count
        count = n
        referenceErrors = climatology.map { c in zip(c, labels).map { ($0 - $1) * ($0 - $1) } }
        self.labels = labels
        self.probabilities = probabilities
        self.settings = settings

        let order = ScoreOrder.descendingRows(probabilities)
        self.order = order
        sortedLabels = order.map { labels[Int($0)] }
        var ends: [Int32] = []
        for j in 1..<max(n, 1) where probabilities[Int(order[j])] != probabilities[Int(order[j - 1])] {
            ends.append(Int32(j))
        }
        ends.append(Int32(n))
        groupEnds = ends

        squaredErrors = losses.squaredErrors
        logLosses = losses.logLosses
        let edges = CalibrationBins.innerEdges(settings.calibrationBins)
        bins = probabilities.map { Int32(CalibrationBins.bin(of: $0, innerEdges: edges)) }
    }

    /// The figures on the sample itself (every row once).
    public func score() -> MetricValues {
        score(weights: [Double](repeating: 1, count: count))
    }

    /// The figures with row i counted `weights[i]` times. Figures that need both classes
    /// (ROC-AUC, PR-AUC, lift, skill) are NaN when the weighted sample lacks one.
    ///
    /// This is the reference computation; the paired bootstrap scores eight resamples at a
    /// time from integer row counts (``ResampleBatchScorer``) and gives the same figures to
    /// the last bit.
    public func score(weights: [Double]) -> MetricValues {
        precondition(weights.count == count, "one weight per row")
        return weights.withUnsafeBufferPointer { w in
            let sums = linearSums(w)
            let ranked = rankedFigures(w, positives: sums.positives, total: sums.total)
            let weighted = WeightedSums(total: sums.total, positives: sums.positives, brier: sums.brier, logLoss: sums.logLoss,
                                        reference: sums.reference, auc: ranked.auc, ap: ranked.ap,
                                        precisionAtTop: ranked.precisionAtTop)
            var out = MetricValues()
            sums.bins.withUnsafeBufferPointer { bins in
                out.values.withUnsafeMutableBufferPointer { figures(weighted, bins: bins, into: $0) }
            }
            return out
        }
    }

    /// The weighted sums every figure is computed from (all but the calibration bins').
    struct WeightedSums {
        /// Σ wᵢ and Σ wᵢyᵢ.
        var total, positives: Double
        /// Σ wᵢ(pᵢ − yᵢ)², Σ wᵢ·log-lossᵢ and Σ wᵢ(cᵢ − yᵢ)² (0 without a climatology).
        var brier, logLoss, reference: Double
        /// ROC-AUC, average precision and precision at top, already finished.
        var auc, ap, precisionAtTop: Double
    }

    /// Writes the figures (in ``Metric/allCases`` order) into `out` from the weighted sums and
    /// the calibration bins' sums: the one place the metrics are finished, for the reference
    /// ``score(weights:)`` and the batched bootstrap alike.
    func figures(_ sums: WeightedSums, bins: UnsafeBufferPointer<BinSums>, into out: UnsafeMutableBufferPointer<Double>) {
        let total = sums.total, baseRate = sums.positives / total
        let brier = sums.brier / total
        out[Metric.rocAUC.index] = sums.auc
        out[Metric.prAUC.index] = sums.ap
        out[Metric.precisionAtTop.index] = sums.precisionAtTop
        out[Metric.brier.index] = brier
        out[Metric.logLoss.index] = sums.logLoss / total
        out[Metric.liftAtTop.index] = sums.positives > 0 ? sums.precisionAtTop / baseRate : .nan

        var reliability = 0.0, resolution = 0.0, ece = 0.0
        for k in bins.indices where bins[k].count > 0 {
            let bin = bins[k]
            let meanP = bin.probability / bin.count, meanY = bin.outcome / bin.count
            reliability += bin.count * (meanP - meanY) * (meanP - meanY)
            resolution += bin.count * (meanY - baseRate) * (meanY - baseRate)
            ece += bin.count * abs(meanP - meanY)
        }
        out[Metric.brierReliability.index] = reliability / total
        out[Metric.brierResolution.index] = resolution / total
        out[Metric.brierUncertainty.index] = baseRate * (1 - baseRate)
        out[Metric.ece.index] = ece / total
        let reference = referenceErrors == nil ? baseRate * (1 - baseRate) : sums.reference / total
        out[Metric.brierSkill.index] = reference > 0 ? 1 - brier / reference : .nan
    }

    /// Weighted sums of one calibration bin.
    struct BinSums {
        var count = 0.0, probability = 0.0, outcome = 0.0
    }

    /// Weighted totals, losses and calibration-bin sums, in one pass in time order.
    private func linearSums(_ w: UnsafeBufferPointer<Double>)
        -> (total: Double, positives: Double, brier: Double, logLoss: Double, reference: Double, bins: [BinSums]) {
        var bins = [BinSums](repeating: BinSums(), count: settings.calibrationBins)
        let sums = labels.withUnsafeBufferPointer { y in
            probabilities.withUnsafeBufferPointer { p in
                squaredErrors.withUnsafeBufferPointer { se in
                    logLosses.withUnsafeBufferPointer { ll in
                        self.bins.withUnsafeBufferPointer { b in
                            bins.withUnsafeMutableBufferPointer { bins in
                                var total = 0.0, positives = 0.0, brier = 0.0, logLoss = 0.0
                                for i in 0..<w.count {
                                    let wi = w[i]
                                    if wi == 0 { continue }
                                    let wy = wi * y[i]
                                    total += wi
                                    positives += wy
                                    brier += wi * se[i]
                                    logLoss += wi * ll[i]
                                    let k = Int(b[i])
                                    bins[k].count += wi
                                    bins[k].probability += wi * p[i]
                                    bins[k].outcome += wy
                                }
                                return (total, positives, brier, logLoss)
                            }
                        }
                    }
                }
            }
        }
        var reference = 0.0
        if let referenceErrors {
            for i in 0..<w.count { reference += w[i] * referenceErrors[i] }
        }
        return (sums.0, sums.1, sums.2, sums.3, reference, bins)
    }

    /// ROC-AUC, average precision and precision at top from one walk down the sorted order.
    private func rankedFigures(_ w: UnsafeBufferPointer<Double>, positives totalPos: Double, total: Double)
        -> (auc: Double, ap: Double, precisionAtTop: Double) {
        order.withUnsafeBufferPointer { order in
            sortedLabels.withUnsafeBufferPointer { y in
                groupEnds.withUnsafeBufferPointer { ends in
                    let totalNeg = total - totalPos
                    let k = Swift.max(1.0, (settings.top * total).rounded(.toNearestOrEven))

                    var negAbove = 0.0, tp = 0.0, fp = 0.0
                    var aucSum = 0.0, apSum = 0.0
                    var taken = 0.0, hits = 0.0
                    var start = 0
                    for end32 in ends {
                        let end = Int(end32)
                        var pos = 0.0, neg = 0.0
                        for j in start..<end {
                            let wj = w[Int(order[j])]
                            let yj = y[j]
                            pos += wj * yj
                            neg += wj * (1 - yj)
                            if taken < k {
                                let t = Swift.min(wj, k - taken)
                                taken += t
                                hits += t * yj
                            }
                        }
                        // positives of this group outrank every negative below it, tie with its own
                        aucSum += pos * (totalNeg - negAbove - neg) + 0.5 * pos * neg
                        negAbove += neg
                        tp += pos
                        fp += neg
                        if pos > 0 { apSum += (pos / totalPos) * (tp / (tp + fp)) }
                        start = end
                    }
                    let bothClasses = totalPos > 0 && totalNeg > 0
                    return (bothClasses ? aucSum / (totalPos * totalNeg) : .nan,
                            totalPos > 0 ? apSum : .nan,
                            hits / k)
                }
            }
        }
    }
}

/// One model's per-row losses, squared error and clipped log loss, with its inputs checked as
/// ``ForecastScorer`` checks them (it keeps these for its figures): what the Diebold-Mariano
/// and Giacomini-White tests compare. Not a scorer: no ranking, no calibration bins.
public struct ForecastLosses: Sendable {
    /// (pᵢ − yᵢ)² per row.
    public let squaredErrors: [Double]
    /// −log-likelihood of yᵢ under the clipped pᵢ, per row.
    public let logLosses: [Double]

    /// The losses of `probabilities` (in [0, 1]) against `labels` (0 or 1, same length);
    /// `model` names the forecasts in error messages.
    public init(labels: [Double], probabilities: [Double], settings: MetricSettings, model: String) throws {
        try settings.validate()
        guard labels.count == probabilities.count else {
            throw RallyError("metrics for '\(model)': \(labels.count) labels but \(probabilities.count) probabilities")
        }
        guard !labels.isEmpty else { throw RallyError("metrics for '\(model)': no rows to score") }
        for (i, y) in labels.enumerated() where y != 0 && y != 1 {
            throw RallyError("metrics for '\(model)': label at row \(i + 1) is \(Format.number(y)), expected 0 or 1")
        }
        for (i, p) in probabilities.enumerated() where !(p >= 0 && p <= 1) {
            throw RallyError("metrics for '\(model)': probability at row \(i + 1) is \(Format.number(p)), expected a number in [0, 1]")
        }
        let clip = settings.logLossClip
        squaredErrors = zip(probabilities, labels).map { p, y in (p - y) * (p - y) }
        logLosses = zip(probabilities, labels).map { p, y in
            let q = min(max(p, clip), 1 - clip)
            return y == 1 ? -log(q) : -log(1 - q)
        }
    }
}
