/// The metrics one at a time, on plain arrays: for scripts, tests and anyone who wants one
/// figure. Labels are 0/1, probabilities in [0, 1], both in time order; every function
/// throws on a length mismatch or an invalid value. The evaluation itself uses
/// ``ForecastScorer``, which these wrap.
public enum BinaryMetrics {
    /// ROC-AUC; tied scores share their average rank. NaN unless both classes occur.
    public static func rocAUC(labels: [Double], scores: [Double]) throws -> Double {
        try ForecastScorer(labels: labels, probabilities: scores).score()[.rocAUC]
    }

    /// Average precision as scikit-learn defines it: Σ (Rₙ − Rₙ₋₁)·Pₙ over distinct score
    /// thresholds, from the highest down. NaN when there is no positive.
    public static func averagePrecision(labels: [Double], scores: [Double]) throws -> Double {
        try ForecastScorer(labels: labels, probabilities: scores).score()[.prAUC]
    }

    /// Mean squared error of the probabilities.
    public static func brier(labels: [Double], probabilities: [Double]) throws -> Double {
        try ForecastScorer(labels: labels, probabilities: probabilities).score()[.brier]
    }

    /// Mean negative log-likelihood with probabilities clipped to [clip, 1 − clip].
    public static func logLoss(labels: [Double], probabilities: [Double], clip: Double = 1e-6) throws -> Double {
        try ForecastScorer(labels: labels, probabilities: probabilities, settings: MetricSettings(logLossClip: clip)).score()[.logLoss]
    }

    /// Precision and lift among the k = max(1, round(top · n)) highest scores (round half to
    /// even, as Python's `round`); tied scores are taken in time order (stable sort).
    public static func top(labels: [Double], scores: [Double], fraction: Double = 0.05) throws -> (precision: Double, lift: Double) {
        let v = try ForecastScorer(labels: labels, probabilities: scores, settings: MetricSettings(top: fraction)).score()
        return (v[.precisionAtTop], v[.liftAtTop])
    }

    /// Brier skill score 1 − Brier/Brier_ref against the constant forecast `climatology`
    /// (nil: the sample's own base rate, so Brier_ref is the uncertainty term).
    public static func brierSkill(labels: [Double], probabilities: [Double], climatology: Double? = nil) throws -> Double {
        let reference = climatology.map { [Double](repeating: $0, count: labels.count) }
        return try ForecastScorer(labels: labels, probabilities: probabilities, climatology: reference).score()[.brierSkill]
    }

    /// Precision, recall and F1 when a probability at or above `threshold` is called a rally.
    /// A ratio with a zero denominator is 0 (scikit-learn's `zero_division=0`).
    public static func atThreshold(labels: [Double], probabilities: [Double], threshold: Double) throws -> (precision: Double, recall: Double, f1: Double) {
        _ = try ForecastScorer(labels: labels, probabilities: probabilities)
        guard threshold.isFinite else { throw RallyError("metrics: threshold must be a finite number, got \(Format.number(threshold))") }
        var tp = 0.0, fp = 0.0, fn = 0.0
        for (y, p) in zip(labels, probabilities) {
            let called = p >= threshold
            if called && y == 1 { tp += 1 } else if called { fp += 1 } else if y == 1 { fn += 1 }
        }
        let precision = tp + fp > 0 ? tp / (tp + fp) : 0
        let recall = tp + fn > 0 ? tp / (tp + fn) : 0
        let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        return (precision, recall, f1)
    }

    /// The reliability curve over `bins` equal-width bins (see ``CalibrationBins``); empty bins
    /// are left out, as in scikit-learn's `calibration_curve`.
    public static func reliabilityCurve(labels: [Double], probabilities: [Double], bins: Int = 10) throws -> [ReliabilityBin] {
        let scorer = try ForecastScorer(labels: labels, probabilities: probabilities, settings: MetricSettings(calibrationBins: bins))
        var count = [Int](repeating: 0, count: bins)
        var sumP = [Double](repeating: 0, count: bins)
        var sumY = [Double](repeating: 0, count: bins)
        for i in 0..<scorer.count {
            let k = Int(scorer.bins[i])
            count[k] += 1
            sumP[k] += probabilities[i]
            sumY[k] += labels[i]
        }
        let step = 1.0 / Double(bins)
        var curve: [ReliabilityBin] = []
        for k in 0..<bins where count[k] > 0 {
            let n = Double(count[k])
            let upper: Double = k == bins - 1 ? 1 : Double(k + 1) * step
            curve.append(ReliabilityBin(lower: Double(k) * step, upper: upper, count: count[k],
                                        meanProbability: sumP[k] / n, observedRate: sumY[k] / n))
        }
        return curve
    }

    /// Expected calibration error over `bins` equal-width bins: Σ (nₖ/n)·|p̄ₖ − ōₖ|.
    public static func expectedCalibrationError(labels: [Double], probabilities: [Double], bins: Int = 10) throws -> Double {
        try ForecastScorer(labels: labels, probabilities: probabilities, settings: MetricSettings(calibrationBins: bins)).score()[.ece]
    }

    /// Murphy's decomposition of the Brier score over `bins` equal-width bins.
    public static func brierDecomposition(labels: [Double], probabilities: [Double], bins: Int = 10) throws -> BrierDecomposition {
        let v = try ForecastScorer(labels: labels, probabilities: probabilities, settings: MetricSettings(calibrationBins: bins)).score()
        return BrierDecomposition(brier: v[.brier], reliability: v[.brierReliability],
                                  resolution: v[.brierResolution], uncertainty: v[.brierUncertainty])
    }
}
