/// One bin of a reliability diagram with a bootstrap band on its observed rate.
public struct ReliabilityPoint: Sendable, Equatable {
    /// Rows in the bin.
    public var count: Int
    /// Their mean probability (the forecast).
    public var meanProbability: Double
    /// Their rally rate (the outcome).
    public var observedRate: Double
    /// 2.5th percentile of the rate over the resamples (NaN without resamples).
    public var bandLower: Double
    /// 97.5th percentile.
    public var bandUpper: Double
}

/// Reliability diagrams with moving-block bootstrap bands.
///
/// Bins are the equal-width bins of ``CalibrationBins`` (scikit-learn's
/// `calibration_curve(strategy="uniform")`, the bins behind the ECE and Brier decomposition in
/// metrics.json); empty bins are left out. Rare high probabilities thus keep bins of their own,
/// with few rows and wide bands, which is the honest picture of the region where alarms are
/// raised. The band of a bin is the 2.5–97.5 percentile range of its rally rate over block
/// resamples of the test hours (``BlockBootstrap``: whole weeks keep the serial dependence of
/// rallies), bins held fixed.
public enum ReliabilityBands {
    /// The diagram of each probability column in `models` against `labels`.
    public static func compute(labels: [Double], models: [[Double]], bins: Int, bootstrap: BlockBootstrap) throws -> [[ReliabilityPoint]] {
        guard bins >= 2 else { throw RallyError("reliability: bins must be at least 2, got \(bins)") }
        let n = labels.count
        let edges = CalibrationBins.innerEdges(bins)
        let binOf: [[Int]] = models.map { p in p.map { CalibrationBins.bin(of: $0, innerEdges: edges) } }
        let useBootstrap = bootstrap.resamples > 0 && n > bootstrap.block
        var rates = [[[Double]]](repeating: [[Double]](repeating: [], count: bins), count: models.count)
        if useBootstrap {
            var weights: [Double] = []
            var total = [Double](repeating: 0, count: bins), hits = [Double](repeating: 0, count: bins)
            for r in 0..<bootstrap.resamples {
                try Cancellation.check()
                bootstrap.weights(resample: r, rows: n, into: &weights)
                for m in models.indices {
                    for b in 0..<bins { total[b] = 0; hits[b] = 0 }
                    let bin = binOf[m]
                    for i in 0..<n where weights[i] > 0 {
                        total[bin[i]] += weights[i]
                        hits[bin[i]] += weights[i] * labels[i]
                    }
                    for b in 0..<bins where total[b] > 0 { rates[m][b].append(hits[b] / total[b]) }
                }
            }
        }
        return models.indices.map { m in
            var count = [Int](repeating: 0, count: bins), sumP = [Double](repeating: 0, count: bins), sumY = [Double](repeating: 0, count: bins)
            for i in 0..<n {
                let b = binOf[m][i]
                count[b] += 1
                sumP[b] += models[m][i]
                sumY[b] += labels[i]
            }
            return (0..<bins).filter { count[$0] > 0 }.map { b in
                let sorted = rates[m][b].sorted()
                return ReliabilityPoint(count: count[b], meanProbability: sumP[b] / Double(count[b]), observedRate: sumY[b] / Double(count[b]),
                                        bandLower: sorted.isEmpty ? .nan : Percentile.of(sorted: sorted, 2.5),
                                        bandUpper: sorted.isEmpty ? .nan : Percentile.of(sorted: sorted, 97.5))
            }
        }
    }
}
