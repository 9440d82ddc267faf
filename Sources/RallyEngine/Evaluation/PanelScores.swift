import Dispatch

/// The panel row of a multi-location evaluation: every model's figures on the test rows of all
/// locations stacked (location after location), with intervals and paired differences from a
/// block bootstrap that resamples the same time blocks for every location.
///
/// Why the same blocks: the locations of a panel share the system (a cold snap raises every
/// hub's price at once), so their errors are correlated in time. Resampling each location's
/// blocks independently would treat twelve views of one cold snap as twelve independent events
/// and give intervals that are too narrow. Here a resample draws blocks of *times* (the union
/// of the locations' test times, in order) with ``BlockBootstrap/weights(resample:rows:into:)``,
/// and every location's row at a drawn time gets that time's weight; with one location this is
/// exactly that location's own bootstrap.
///
/// The Diebold-Mariano tests of the panel row test the cross-sectional mean loss at each time
/// (the mean over the locations tested at that time), a series whose HAC variance keeps the
/// dependence across locations.
///
/// It scores what the configurations of the locations already hold (their predictions and
/// labels); it fits nothing and is not a per-location figure (those are each location's own
/// ``ScoredConfiguration``).
struct PanelScores {
    /// Each model's panel evaluation (stacked predictions, pooled figures, intervals, differences).
    let models: [ModelEvaluation]
    /// The stacked test rows: dataset row, location index (into the configurations given).
    let rows: [Int], locationOfRow: [Int]
    /// Their labels.
    let labels: [Double]
    /// Resamples used and skipped (a single class).
    let bootstrapUsed: Int, bootstrapSkipped: Int
    /// The Newey-West lag of the panel's Diebold-Mariano tests.
    let lag: Int
    /// Why figures are missing, one line each.
    let warnings: [String]

    /// Pools `locations` (one scored configuration per location, same models, same labeler).
    init(_ locations: [ScoredConfiguration], baseline: Int, plan: EvaluationPlan, threads: Int) throws {
        guard let first = locations.first else { throw RallyError("panel: no locations to pool") }
        var rows: [Int] = [], owner: [Int] = [], labels: [Double] = [], climatology: [Double] = []
        for (k, location) in locations.enumerated() {
            rows += location.testRows
            owner += [Int](repeating: k, count: location.testRows.count)
            labels += location.testRows.map { location.labels.labels[$0] }
            for fold in location.folds { climatology += [Double](repeating: fold.trainBaseRate, count: fold.testRows) }
        }
        let names = first.models.map(\.name)
        let scorers = try names.indices.map { m in
            try ForecastScorer(labels: labels, probabilities: locations.flatMap { $0.models[m].predictions },
                               climatology: climatology, settings: plan.metrics, model: names[m])
        }
        let points = scorers.map { $0.score() }
        let times = Array(Set(rows)).sorted()
        var slot = [Int: Int](minimumCapacity: times.count)
        for (j, row) in times.enumerated() { slot[row] = j }
        let slotOfRow = rows.map { slot[$0]! }
        var warnings: [String] = []
        let bootstrap = plan.bootstrap.resamples > 0
            ? try Self.bootstrap(scorers: scorers, names: names, baseline: baseline, slots: times.count, slotOfRow: slotOfRow,
                                 scheme: plan.bootstrap, threads: threads)
            : nil
        if let bootstrap, bootstrap.skipped > 0 {
            warnings.append("panel bootstrap: \(bootstrap.skipped) of \(plan.bootstrap.resamples) resamples held a single class and were skipped")
        }
        let lag = plan.dieboldMarianoLag ?? DieboldMariano.defaultLag(rows: times.count, horizon: first.labels.horizon)
        if names.count > 1, let reason = DieboldMariano.tooFewRows(times.count, lag: lag) {
            warnings.append("panel Diebold-Mariano tests undefined (p-values left empty): \(reason)")
        }
        func meanBySlot(_ losses: [Double]) -> [Double] {
            var sum = [Double](repeating: 0, count: times.count), count = sum
            for (i, loss) in losses.enumerated() { sum[slotOfRow[i]] += loss; count[slotOfRow[i]] += 1 }
            return zip(sum, count).map { $0 / $1 }
        }
        let nan = Interval(lower: .nan, upper: .nan)
        models = try first.models.indices.map { m in
            let local = locations.map { $0.models[m] }
            var evaluation = ModelEvaluation(
                name: local[0].name, kind: local[0].kind, parameters: local[0].parameters,
                predictions: scorers[m].probabilities, metrics: points[m],
                intervals: Metric.allCases.map { bootstrap?.interval(model: m, metric: $0) ?? nan },
                importance: ConfigurationWork.meanImportance(local.map { $0.importance?.map { (feature: $0.feature, score: $0.gain) } }),
                fitSeconds: local.reduce(0) { $0 + $1.fitSeconds }, predictSeconds: local.reduce(0) { $0 + $1.predictSeconds })
            if m != baseline {
                evaluation.differences = Metric.allCases.map { metric in
                    (points[m][metric] - points[baseline][metric], bootstrap?.differenceInterval(model: m, metric: metric) ?? nan)
                }
                evaluation.dieboldMarianoBrier = try DieboldMariano.test(
                    modelLosses: meanBySlot(scorers[m].squaredErrors), baselineLosses: meanBySlot(scorers[baseline].squaredErrors), lag: lag)
                evaluation.dieboldMarianoLogLoss = try DieboldMariano.test(
                    modelLosses: meanBySlot(scorers[m].logLosses), baselineLosses: meanBySlot(scorers[baseline].logLosses), lag: lag)
            }
            return evaluation
        }
        self.rows = rows
        locationOfRow = owner
        self.labels = labels
        bootstrapUsed = bootstrap?.used ?? 0
        bootstrapSkipped = bootstrap?.skipped ?? 0
        self.lag = lag
        self.warnings = warnings
    }

    /// The paired block bootstrap over time slots: resample r draws ``BlockBootstrap`` weights
    /// for the `slots` times and gives each stacked row its time's weight; every model is scored
    /// on the same weights. The figures do not depend on `threads`.
    static func bootstrap(scorers: [ForecastScorer], names: [String], baseline: Int, slots: Int, slotOfRow: [Int],
                          scheme: BlockBootstrap, threads: Int) throws -> PairedBootstrapResult {
        try scheme.validate(rows: slots)
        let metricCount = Metric.allCases.count
        let labels = scorers[0].labels
        // per resample: a used flag, then every model's figures (NaN is a figure, not a marker)
        let width = 1 + scorers.count * metricCount
        let results = ResampleSlots(count: scheme.resamples * width)
        let workers = max(1, min(threads, scheme.resamples))
        let next = WorkCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var timeWeights = [Double](repeating: 0, count: slots)
            var rowWeights = [Double](repeating: 0, count: slotOfRow.count)
            while case let r = next.take(), r < scheme.resamples {
                if Cancellation.isRequested { return }
                scheme.weights(resample: r, rows: slots, into: &timeWeights)
                var positives = 0.0, total = 0.0
                for i in rowWeights.indices {
                    rowWeights[i] = timeWeights[slotOfRow[i]]
                    positives += rowWeights[i] * labels[i]
                    total += rowWeights[i]
                }
                guard positives > 0 && positives < total else { continue }
                results[r * width] = 1
                for (m, scorer) in scorers.enumerated() {
                    let values = scorer.score(weights: rowWeights).values
                    for j in 0..<metricCount { results[r * width + 1 + m * metricCount + j] = values[j] }
                }
            }
        }
        try Cancellation.check()
        var replicates = [[[Double]]](repeating: [[Double]](repeating: [], count: metricCount), count: scorers.count)
        var used = 0
        for r in 0..<scheme.resamples {
            guard results[r * width] == 1 else { continue }
            used += 1
            for m in scorers.indices {
                for j in 0..<metricCount { replicates[m][j].append(results[r * width + 1 + m * metricCount + j]) }
            }
        }
        return PairedBootstrapResult(models: names, baseline: baseline, scheme: scheme, used: used,
                                     skipped: scheme.resamples - used, replicates: replicates)
    }
}
