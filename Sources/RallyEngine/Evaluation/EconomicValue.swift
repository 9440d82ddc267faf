import Dispatch

/// Labels and one model's probabilities on the same rows (a fold's training rows, say).
public struct ForecastSample: Sendable, Equatable {
    /// Outcomes, 0 or 1.
    public var labels: [Double]
    /// The model's probabilities.
    public var probabilities: [Double]

    /// Creates a sample.
    public init(labels: [Double], probabilities: [Double]) {
        self.labels = labels
        self.probabilities = probabilities
    }
}

/// The relative economic value of the cost-loss model (Richardson 2000; Wilks 2001): a user
/// who acts (at cost C) protects against a loss L that a rally would cause; with α = C / L,
/// the expense per hour, in units of L, is α · (share of hours acted on) + (share of rallies
/// not acted on). Climatology acts always or never, whichever is cheaper: min(α, s) for a base
/// rate s; perfect knowledge acts exactly on rallies: α · s. The value of a forecast is
/// (E_climatology − E_forecast) / (E_climatology − E_perfect): 1 for perfect knowledge, 0 for
/// no better than climatology, negative when acting on it costs more than climatology.
///
/// In the report's units (a false alarm costs 1, a missed rally R) α = 1 / (1 + R). It is not a
/// ranking metric: it depends on where the user acts (the threshold), which is the point.
public enum EconomicValue {
    /// Value of acting on `alarms` rows of `total`, `hits` of them rallies, with `positives`
    /// rallies in all, at cost/loss ratio `alpha` (weighted counts allowed). NaN without both classes.
    public static func value(alpha: Double, alarms: Double, hits: Double, positives: Double, total: Double) -> Double {
        values(alpha: alpha, alarms: Lanes(repeating: alarms), hits: Lanes(repeating: hits),
               positives: Lanes(repeating: positives), total: Lanes(repeating: total))[0]
    }

    /// Eight values at once (a batch of resamples): ``value(alpha:alarms:hits:positives:total:)``
    /// lane by lane, with the same operations in the same order, so the same numbers to the last bit.
    static func values(alpha: Double, alarms: Lanes, hits: Lanes, positives: Lanes, total: Lanes) -> Lanes {
        let s = positives / total
        let forecast = (alpha * alarms + (positives - hits)) / total
        var climatology = Lanes(repeating: alpha)
        climatology.replace(with: s, where: s .< climatology)   // min(alpha, s)
        var value = (climatology - forecast) / (climatology - alpha * s)
        value.replace(with: .nan, where: .!((total .> 0) .& (positives .> 0) .& (positives .< total)))
        return value
    }

    /// Eight doubles, one per lane of a ``ResampleBatch`` (or per cost/loss ratio).
    typealias Lanes = SIMD8<Double>

    /// The threshold τ (act when p ≥ τ) with the lowest expense on `sample` at `alpha`; +∞ when
    /// acting never is cheapest. Only thresholds the sample's own probabilities take are tried;
    /// among equal expenses the highest threshold (fewest alarms) wins.
    public static func bestThreshold(_ sample: ForecastSample, alpha: Double) -> Double {
        bestThresholds(sample, alphas: [alpha])[0]
    }

    /// ``bestThreshold(_:alpha:)`` for each of `alphas`, sorting the sample once.
    public static func bestThresholds(_ sample: ForecastSample, alphas: [Double]) -> [Double] {
        let p = sample.probabilities
        let order = ScoreOrder.descending(p)
        let positives = sample.labels.reduce(0, +)
        // (threshold, alarms, hits) at the end of each run of equal probabilities, leaving out the
        // runs that add no rally: with more alarms and no more hits than the run before, their
        // expense is no lower at any ratio (rounding is monotone), so they never win
        var steps: [(threshold: Double, alarms: Double, hits: Double)] = []
        var alarms = 0.0, hits = 0.0, previousHits = 0.0
        for (k, i) in order.enumerated() {
            alarms += 1
            hits += sample.labels[i]
            guard k == order.count - 1 || p[order[k + 1]] != p[i] else { continue }
            if hits > previousHits { steps.append((p[i], alarms, hits)) }
            previousHits = hits
        }
        // eight ratios at a time, each lane keeping its own cheapest step (the same sums per ratio)
        var thresholds: [Double] = []
        for first in stride(from: 0, to: alphas.count, by: Lanes.scalarCount) {
            var alpha = Lanes(repeating: alphas[first])
            for lane in 1..<Lanes.scalarCount where first + lane < alphas.count { alpha[lane] = alphas[first + lane] }
            var best = Lanes(repeating: positives), threshold = Lanes(repeating: .infinity)
            for step in steps {
                let expense = alpha * step.alarms + positives - step.hits
                let cheaper = expense .< best
                best.replace(with: expense, where: cheaper)
                threshold.replace(with: step.threshold, where: cheaper)
            }
            for lane in 0..<min(Lanes.scalarCount, alphas.count - first) { thresholds.append(threshold[lane]) }
        }
        return thresholds
    }

    /// The default grid of cost/loss ratios: 0.01, 0.02, ..., 0.99.
    public static let defaultAlphas: [Double] = (1...99).map { Double($0) / 100 }

    /// The most cost/loss ratios one curve may hold.
    public static let maximumAlphas = 1000

    /// The most (ratio, resample) values one model's band keeps in memory (16 MB per curve).
    public static let maximumReplicates = 2_000_000
}

/// One model's value curve: acting at p ≥ α (what calibrated probabilities call for) and at the
/// threshold that was cheapest on each fold's training rows at that α, with bootstrap bands.
public struct ModelValueCurve: Sendable {
    /// The model.
    public var name: String
    /// Value acting at p ≥ α, per α.
    public var calibrated: [Double]
    /// Its 95% band.
    public var calibratedBand: [Interval]
    /// Value acting at the threshold chosen on training rows, per α (nil without training predictions).
    public var trained: [Double]?
    /// Its 95% band.
    public var trainedBand: [Interval]?
    /// The chosen thresholds: `thresholds[fold][alpha]` (+∞: never act).
    public var thresholds: [[Double]]?
}

/// The relative economic value of every model of an evaluation against the cost/loss ratio,
/// on its pooled test rows, with moving-block bootstrap bands (the resamples of every other
/// interval: row i counted as often as the resample draws it). It is not a choice of threshold
/// on the test rows: the trained curve's thresholds come from training rows only.
public struct ValueCurves: Sendable {
    /// The cost/loss ratios, in (0, 1).
    public var alphas: [Double]
    /// One curve per model.
    public var models: [ModelValueCurve]
    /// Resamples behind the bands.
    public var resamples: Int

    /// The curves of `models` (name, pooled test probabilities, training samples per fold or
    /// nil) on `labels`, whose folds are consecutive blocks of `foldSizes` rows.
    public static func compute(labels: [Double], foldSizes: [Int], models: [(name: String, probabilities: [Double], training: [ForecastSample]?)],
                               alphas: [Double], bootstrap: BlockBootstrap, threads: Int = 2) throws -> ValueCurves {
        try compute(labels: labels, foldSizes: foldSizes, models: models, alphas: alphas, bootstrap: bootstrap, threads: threads, batched: true)
    }

    /// ``compute(labels:foldSizes:models:alphas:bootstrap:threads:)``, each resample from its
    /// weights when `batched` is false (the reference the batched path is tested against; also
    /// taken when counts would not fit a ``ResampleBatch`` or a label is not 0 or 1).
    static func compute(labels: [Double], foldSizes: [Int], models: [(name: String, probabilities: [Double], training: [ForecastSample]?)],
                        alphas: [Double], bootstrap: BlockBootstrap, threads: Int, batched: Bool) throws -> ValueCurves {
        guard !alphas.isEmpty, alphas.count <= EconomicValue.maximumAlphas else {
            throw RallyError("value: 1 to \(EconomicValue.maximumAlphas) cost/loss ratios expected, got \(alphas.count)", option: "alpha")
        }
        if let bad = alphas.first(where: { !($0 > 0 && $0 < 1) }) {
            throw RallyError("value: a cost/loss ratio in (0, 1) expected, got \(Format.number(bad))", option: "alpha")
        }
        guard foldSizes.reduce(0, +) == labels.count, foldSizes.allSatisfy({ $0 > 0 }) else {
            throw RallyError("value: fold sizes \(foldSizes) do not add up to the \(labels.count) test rows")
        }
        let n = labels.count
        if bootstrap.resamples > 0 { try bootstrap.validate(rows: n) }
        guard alphas.count * bootstrap.resamples <= EconomicValue.maximumReplicates else {
            throw RallyError("value: \(alphas.count) cost/loss ratios x \(bootstrap.resamples) resamples is more than \(EconomicValue.maximumReplicates) replicates per model; give fewer of either", option: "alpha")
        }
        let starts = foldSizes.dropLast().reduce(into: [0]) { $0.append($0.last! + $1) }
        // each model's cut points (a sort per fold), models side by side
        let cutters = try concurrentMap(models.count, threads: threads) { m -> FoldCuts in
            let model = models[m]
            guard model.probabilities.count == n else { throw RallyError("value: '\(model.name)' has \(model.probabilities.count) probabilities for \(n) rows") }
            if let training = model.training, training.count != foldSizes.count {
                throw RallyError("value: '\(model.name)' has training predictions for \(training.count) folds, not \(foldSizes.count)")
            }
            return FoldCuts(labels: labels, p: model.probabilities, starts: starts, sizes: foldSizes, alphas: alphas, training: model.training)
        }
        let ones = [Double](repeating: 1, count: n)
        // replicates[model][strategy][alpha][resample], two strategies per model (calibrated, trained)
        let resamples = bootstrap.resamples
        let ratios = alphas.count
        @Sendable func series(_ m: Int, _ s: Int, _ a: Int) -> Int { (m * 2 + s) * ratios + a }
        @Sendable func slot(_ m: Int, _ s: Int, _ a: Int, _ r: Int) -> Int { series(m, s, a) * resamples + r }
        let slab = ResampleSlots(count: models.count * 2 * alphas.count * resamples)
        if batched && resamples > 0 && ResampleBatch.fits(bootstrap, rows: n) && (cutters.first?.batchable ?? false) {
            ResampleBatch.forEach(bootstrap, rows: n, threads: threads) { batch in
                for (m, cutter) in cutters.enumerated() {
                    cutter.values(batch, alphas: alphas) { lane, s, a, value in slab[slot(m, s, a, batch.first + lane)] = value }
                }
            }
        } else {
            bootstrap.forEachResample(rows: n, threads: threads) { r, weights in
                for (m, cutter) in cutters.enumerated() {
                    for (s, curve) in cutter.values(weights: weights, alphas: alphas).enumerated() {
                        for a in curve.indices { slab[slot(m, s, a, r)] = curve[a] }
                    }
                }
            }
        }
        try Cancellation.check()
        let intervals = slab.intervals(series: models.count * 2 * ratios, resamples: resamples, threads: threads)
        let curves = models.indices.map { m -> ModelValueCurve in
            let point = cutters[m].values(weights: ones, alphas: alphas)
            let bands = point.indices.map { s in alphas.indices.map { a in intervals[series(m, s, a)] } }
            return ModelValueCurve(name: models[m].name, calibrated: point[0], calibratedBand: bands[0],
                                   trained: point.count > 1 ? point[1] : nil, trainedBand: bands.count > 1 ? bands[1] : nil,
                                   thresholds: cutters[m].thresholds)
        }
        return ValueCurves(alphas: alphas, models: curves, resamples: bootstrap.resamples)
    }
}

/// One model's alarms as cut points: per fold, its test rows by descending probability, and
/// for each strategy (calibrated, trained) and α how many of them are acted on. A resample's
/// counts at every cut come from one pass over the rows in time order: each row falls in the
/// bucket between two consecutive cuts of its fold, and the buckets are summed up.
struct FoldCuts: Sendable {
    let labels: [Double]
    let starts: [Int], sizes: [Int]
    /// Per fold, the distinct cut counts in increasing order, from 0 to the fold's size.
    let marks: [[Int]]
    /// Per pooled row, the index in its fold's marks of the first cut that acts on it.
    let bucket: [Int]
    /// `cuts[strategy][alpha][fold]`: the index in `marks[fold]` of the rows acted on.
    let cuts: [[[Int]]]
    /// Trained thresholds `[fold][alpha]`, when there are training samples.
    let thresholds: [[Double]]?

    init(labels: [Double], p: [Double], starts: [Int], sizes: [Int], alphas: [Double], training: [ForecastSample]?) {
        self.labels = labels
        self.starts = starts
        self.sizes = sizes
        let orders = zip(starts, sizes).map { start, size in
            ScoreOrder.descending(Array(p[start..<(start + size)])).map { $0 + start }
        }
        func count(_ fold: Int, atLeast tau: Double) -> Int {
            let order = orders[fold]
            var lo = 0, hi = order.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if p[order[mid]] >= tau { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        var counts = [alphas.map { a in orders.indices.map { count($0, atLeast: a) } }]
        if let training {
            let chosen = training.map { EconomicValue.bestThresholds($0, alphas: alphas) }
            counts.append(alphas.indices.map { a in orders.indices.map { count($0, atLeast: chosen[$0][a]) } })
            thresholds = chosen
        } else {
            thresholds = nil
        }
        let marks = orders.indices.map { f in Array(Set(counts.flatMap { $0.map { $0[f] } } + [0, sizes[f]])).sorted() }
        var bucket = [Int](repeating: 0, count: labels.count)
        for (f, order) in orders.enumerated() {
            var j = 1
            for (rank, i) in order.enumerated() {
                while marks[f][j] <= rank { j += 1 }
                bucket[i] = j
            }
        }
        self.marks = marks
        self.bucket = bucket
        cuts = counts.map { strategy in strategy.map { perFold in perFold.indices.map { marks[$0].firstIndex(of: perFold[$0])! } } }
    }

    /// The value per strategy and α with row i counted `weights[i]` times.
    func values(weights: [Double], alphas: [Double]) -> [[Double]] {
        // per fold, the weight and weighted rallies of the rows acted on at each mark
        var rows: [[Double]] = [], rallies: [[Double]] = []
        for f in marks.indices {
            var n = [Double](repeating: 0, count: marks[f].count), y = n
            for i in starts[f]..<(starts[f] + sizes[f]) {
                n[bucket[i]] += weights[i]
                y[bucket[i]] += weights[i] * labels[i]
            }
            for j in 1..<n.count {
                n[j] += n[j - 1]
                y[j] += y[j - 1]
            }
            rows.append(n)
            rallies.append(y)
        }
        let total = rows.reduce(0) { $0 + $1.last! }, positives = rallies.reduce(0) { $0 + $1.last! }
        return cuts.map { strategy in
            alphas.indices.map { a in
                var alarms = 0.0, hits = 0.0
                for (f, k) in strategy[a].enumerated() {
                    alarms += rows[f][k]
                    hits += rallies[f][k]
                }
                return EconomicValue.value(alpha: alphas[a], alarms: alarms, hits: hits, positives: positives, total: total)
            }
        }
    }
}
