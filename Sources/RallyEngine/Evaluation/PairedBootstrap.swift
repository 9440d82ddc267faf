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
        let tail = (1 - level) / 2 * 100
        let bounds = Percentile.of(values, ascending: [tail, 100 - tail])
        return Interval(lower: bounds[0], upper: bounds[1])
    }
}

/// Runs a moving-block bootstrap over several models scored on the same rows.
public enum PairedBootstrap {
    /// Draws `scheme.resamples` resamples of the rows the `scorers` share and scores every
    /// model on each. `threads` workers share the resamples; the result does not depend on
    /// how many there are (resample r is seeded from (seed, r) and stored at its own slot).
    ///
    /// Resamples are scored eight at a time from their row counts (``ResampleBatchScorer``);
    /// the figures are those of ``ForecastScorer/score(weights:)`` on each resample.
    public static func run(scorers: [ForecastScorer], models: [String], baseline: Int,
                           scheme: BlockBootstrap, threads: Int = 2) throws -> PairedBootstrapResult {
        try run(scorers: scorers, models: models, baseline: baseline, scheme: scheme, threads: threads, batched: true)
    }

    /// ``run(scorers:models:baseline:scheme:threads:)``, scoring each resample by
    /// ``ForecastScorer/score(weights:)`` when `batched` is false (the reference the batched
    /// path is tested against; also taken when counts would not fit its 16-bit lanes).
    static func run(scorers: [ForecastScorer], models: [String], baseline: Int,
                    scheme: BlockBootstrap, threads: Int, batched: Bool) throws -> PairedBootstrapResult {
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
        if batched && ResampleBatch.fits(scheme, rows: rows) {
            scoreInBatches(scorers, scheme: scheme, threads: threads, slab: slab, kept: kept)
        } else {
            scoreOneByOne(scorers, scheme: scheme, threads: threads, slab: slab, kept: kept)
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

    /// Whether a resample drawing `positives` positive rows of `rows` holds both classes (the
    /// others are skipped, as the peer skips them).
    private static func bothClasses(positives: Double, rows: Int) -> Bool { positives > 0 && positives < Double(rows) }

    /// The reference: each resample's weights, each model's ``ForecastScorer/score(weights:)``.
    private static func scoreOneByOne(_ scorers: [ForecastScorer], scheme: BlockBootstrap, threads: Int,
                                      slab: SharedSlab, kept: SharedSlab) {
        let rows = scorers[0].count
        let metricCount = Metric.allCases.count, stride = scorers.count * metricCount
        let labels = scorers[0].labels
        scheme.forEachResample(rows: rows, threads: threads) { r, weights in
            var positives = 0.0
            for i in 0..<rows { positives += weights[i] * labels[i] }
            guard bothClasses(positives: positives, rows: rows) else { return }
            kept[r] = 1
            for (m, scorer) in scorers.enumerated() {
                let v = scorer.score(weights: weights)
                for j in 0..<metricCount { slab[r * stride + m * metricCount + j] = v.values[j] }
            }
        }
    }

    /// The fast path: batches of eight resamples' row counts, every model scored on a batch
    /// before the next is drawn; whichever worker is free takes the next batch and writes each
    /// resample's figures at its own slots. Memory per worker is fixed (two vectors per row),
    /// nothing is allocated per resample.
    private static func scoreInBatches(_ scorers: [ForecastScorer], scheme: BlockBootstrap, threads: Int,
                                       slab: SharedSlab, kept: SharedSlab) {
        let rows = scorers[0].count, resamples = scheme.resamples, lanes = ResampleBatch.lanes
        let metricCount = Metric.allCases.count, stride = scorers.count * metricCount
        let batches = (resamples + lanes - 1) / lanes
        let workers = max(1, min(threads, batches))
        let layouts = scorers.map(ResampleBatchScorer.init)
        let positiveRows = scorers[0].labels.indices.filter { scorers[0].labels[$0] == 1 }
        let binCount = scorers.map(\.settings.calibrationBins).max() ?? 1
        let next = WorkCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let batch = ResampleBatch(rows: rows)
            let bins = UnsafeMutableBufferPointer<ForecastScorer.BinSums>.allocate(capacity: lanes * binCount)
            bins.initialize(repeating: ForecastScorer.BinSums())
            let out = UnsafeMutableBufferPointer<Double>.allocate(capacity: lanes * metricCount)
            out.initialize(repeating: 0)
            defer { bins.deallocate(); out.deallocate() }
            while case let b = next.take(), b < batches {
                if Cancellation.isRequested { return }
                batch.fill(scheme, first: b * lanes, end: resamples)
                var positives = SIMD8<Int32>()
                for i in positiveRows { positives &+= batch.wide(i) }
                let used = (0..<batch.filled).filter { bothClasses(positives: Double(positives[$0]), rows: rows) }
                if !used.isEmpty {
                    for (m, layout) in layouts.enumerated() {
                        layout.score(batch, positives: positives, bins: bins, into: out)
                        for lane in used {
                            let r = batch.first + lane
                            for j in 0..<metricCount { slab[r * stride + m * metricCount + j] = out[lane * metricCount + j] }
                        }
                    }
                    for lane in used { kept[batch.first + lane] = 1 }
                }
            }
        }
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
