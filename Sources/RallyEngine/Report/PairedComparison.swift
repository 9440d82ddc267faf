import Foundation

/// A difference between two models on one metric (a − b), with its paired bootstrap interval.
public struct PairedDifference: Sendable, Equatable {
    /// The metric key (`pr_auc`, `brier`, `log_loss`).
    public var metric: String
    /// a − b on all test rows.
    public var value: Double
    /// 2.5th percentile of a − b over the resamples.
    public var lower: Double
    /// 97.5th percentile.
    public var upper: Double
}

/// Differences between two models' PR-AUC (average precision), Brier score and log loss, with
/// intervals from a paired moving-block bootstrap (both models scored on the same resampled
/// weeks). metrics.json compares each model with the baseline only; this answers whether the
/// two best models differ.
public enum PairedComparison {
    /// The metrics compared, in order.
    public static let metrics = ["pr_auc", "brier", "log_loss"]

    /// a − b for each of ``metrics``. Resamples without a rally are skipped for PR-AUC.
    public static func compute(labels: [Double], a: [Double], b: [Double], bootstrap: BlockBootstrap, clip: Double = 1e-6) throws -> [PairedDifference] {
        let n = labels.count
        guard n == a.count, n == b.count, n > 0 else { throw RallyError("paired comparison: columns of different lengths") }
        let ranked = [WeightedPrecision(scores: a), WeightedPrecision(scores: b)]
        var brierGap = [Double](repeating: 0, count: n), logGap = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let ea = a[i] - labels[i], eb = b[i] - labels[i]
            brierGap[i] = ea * ea - eb * eb
            logGap[i] = logLoss(a[i], labels[i], clip) - logLoss(b[i], labels[i], clip)
        }
        let ones = [Double](repeating: 1, count: n)
        func statistics(_ w: [Double]) -> [Double] {
            let total = w.reduce(0, +)
            var brier = 0.0, log = 0.0
            for i in 0..<n where w[i] > 0 {
                brier += w[i] * brierGap[i]
                log += w[i] * logGap[i]
            }
            return [ranked[0].averagePrecision(labels: labels, weights: w) - ranked[1].averagePrecision(labels: labels, weights: w),
                    brier / total, log / total]
        }
        let point = statistics(ones)
        var draws = [[Double]](repeating: [], count: metrics.count)
        if bootstrap.resamples > 0 && n > bootstrap.block {
            var w: [Double] = []
            for r in 0..<bootstrap.resamples {
                try Cancellation.check()
                bootstrap.weights(resample: r, rows: n, into: &w)
                for (k, v) in statistics(w).enumerated() where v.isFinite { draws[k].append(v) }
            }
        }
        return metrics.indices.map { k in
            let sorted = draws[k].sorted()
            return PairedDifference(metric: metrics[k], value: point[k],
                                    lower: sorted.isEmpty ? .nan : Percentile.of(sorted: sorted, 2.5),
                                    upper: sorted.isEmpty ? .nan : Percentile.of(sorted: sorted, 97.5))
        }
    }

    private static func logLoss(_ p: Double, _ y: Double, _ clip: Double) -> Double {
        let q = min(max(p, clip), 1 - clip)
        return y == 1 ? -Foundation.log(q) : -Foundation.log(1 - q)
    }
}

/// Average precision with row weights (resample multiplicities), over distinct score
/// thresholds: Σ (Rₙ − Rₙ₋₁)·Pₙ, as scikit-learn's `average_precision_score` with
/// `sample_weight`. The order is sorted once; each weighting is then one pass.
struct WeightedPrecision {
    let order: [Int]
    /// `groupEnd[k]`: the k-th ranked row is the last of its tie group.
    let groupEnd: [Bool]

    init(scores: [Double]) {
        let ranked = ScoreOrder.descending(scores)
        order = ranked
        groupEnd = ranked.indices.map { k in k == ranked.count - 1 || scores[ranked[k + 1]] != scores[ranked[k]] }
    }

    /// The weighted average precision; NaN when the weighted labels hold no rally.
    func averagePrecision(labels: [Double], weights: [Double]) -> Double {
        var positives = 0.0
        for i in order.indices { positives += weights[i] * labels[i] }
        guard positives > 0 else { return .nan }
        var weight = 0.0, hits = 0.0, previous = 0.0, ap = 0.0
        for (k, i) in order.enumerated() {
            weight += weights[i]
            hits += weights[i] * labels[i]
            if groupEnd[k] && hits > previous {
                ap += (hits - previous) / positives * (hits / weight)
                previous = hits
            }
        }
        return ap
    }
}
