import Dispatch

/// A 95% (or other) percentile interval.
public struct Interval: Sendable, Equatable {
    /// Lower bound (the 2.5th percentile for 95%).
    public var lower: Double
    /// Upper bound (the 97.5th percentile for 95%).
    public var upper: Double

    /// Creates an interval.
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}

/// Every metric of every model on every bootstrap resample, and the intervals they give.
///
/// The resamples are paired: each one reweights the same test rows for all models, so the
/// difference model − baseline is taken resample by resample and its interval reflects the
/// correlation between the models' errors.
public struct PairedBootstrapResult: Sendable {
    /// Model names, in the order of the scorers.
    public let models: [String]
    /// Index of the baseline in ``models``.
    public let baseline: Int
    /// The scheme that drew the resamples.
    public let scheme: BlockBootstrap
    /// Resamples with both classes present: the ones the intervals use.
    public let used: Int
    /// Resamples skipped because they held a single class (as the peer does).
    public let skipped: Int
    /// `replicates[model][metric]`: the metric's value on each used resample, in resample order.
    public let replicates: [[[Double]]]

    /// The percentile interval of `metric` for model `model` at `level` (0.95: 2.5th–97.5th).
    public func interval(model: Int, metric: Metric, level: Double = 0.95) -> Interval {
        Self.interval(replicates[model][metric.index], level: level)
    }

    /// The percentile interval of `metric`(model) − `metric`(baseline) over the paired resamples.
    public func differenceInterval(model: Int, metric: Metric, level: Double = 0.95) -> Interval {
        let a = replicates[model][metric.index], b = replicates[baseline][metric.index]
        return Self.interval(zip(a, b).map { $0 - $1 }, level: level)
    }

    /// The percentile interval of `values`.
    static func interval(_ values: [Double], level: Double) -> Interval {
        let sorted = values.sorted()
        let tail = (1 - level) / 2 * 100
        return Interval(lower: Percentile.of(sorted: sorted, tail), upper: Percentile.of(sorted: sorted, 100 - tail))
    }
}

/// Runs a moving-block bootstrap over several models scored on the same rows.
public enum PairedBootstrap {
    /// Draws `scheme.resamples` resamples of the rows the `scorers` share and scores every
    /// model on each. `threads` workers share the resamples; the result does not depend on
    /// how many there are (resample r is seeded from (seed, r) and stored at its own slot).
    public static func run(scorers: [ForecastScorer], models: [String], baseline: Int,
                           scheme: BlockBootstrap, threads: Int = 2) throws -> PairedBootstrapResult {
        guard let first = scorers.first else { throw RallyError("bootstrap: no models to resample") }
        guard models.count == scorers.count else { throw RallyError("bootstrap: \(models.count) names for \(scorers.count) models") }
        guard models.indices.contains(baseline) else { throw RallyError("bootstrap: baseline index \(baseline) out of range") }
        for (name, s) in zip(models, scorers) where s.labels != first.labels {
            throw RallyError("bootstrap: model '\(name)' was scored on other rows than '\(models[0])'; a paired bootstrap needs the same rows")
        }
        let rows = first.count
        try scheme.validate(rows: rows)
        let metricCount = Metric.allCases.count
        let stride = scorers.count * metricCount
        let resamples = scheme.resamples
        let slab = SharedSlab(count: resamples * stride)
        let kept = SharedSlab(count: resamples)
        defer { slab.release(); kept.release() }
        let workers = max(1, min(threads, resamples))
        let labels = first.labels

        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var weights = [Double](repeating: 0, count: rows)
            var r = worker
            while r < resamples {
                if Cancellation.isRequested { return }
                scheme.weights(resample: r, rows: rows, into: &weights)
                var positives = 0.0
                for i in 0..<rows { positives += weights[i] * labels[i] }
                if positives > 0 && positives < Double(rows) {
                    kept[r] = 1
                    for (m, scorer) in scorers.enumerated() {
                        let v = scorer.score(weights: weights)
                        for j in 0..<metricCount { slab[r * stride + m * metricCount + j] = v.values[j] }
                    }
                }
                r += workers
            }
        }
        try Cancellation.check()

        var replicates = [[[Double]]](repeating: [[Double]](repeating: [], count: metricCount), count: scorers.count)
        var used = 0
        for r in 0..<resamples where kept[r] == 1 {
            used += 1
            for m in scorers.indices {
                for j in 0..<metricCount { replicates[m][j].append(slab[r * stride + m * metricCount + j]) }
            }
        }
        return PairedBootstrapResult(models: models, baseline: baseline, scheme: scheme, used: used,
                                     skipped: resamples - used, replicates: replicates)
    }
}

/// A fixed block of doubles that concurrent workers write at disjoint indices (each resample
/// owns its own slots), read only after all workers have finished.
private final class SharedSlab: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Double>

    init(count: Int) {
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: 0, count: max(count, 1))
    }

    func release() { base.deallocate() }

    subscript(i: Int) -> Double {
        get { base[i] }
        set { base[i] = newValue }
    }
}
