/// The figures of the folds' pooled test rows (in time order): each model's scorer and point
/// metrics against the training base rate of each row's fold, and Diebold–Mariano tests of each
/// model against the baseline; ``bootstrap(names:baseline:scheme:threads:)`` adds the paired
/// block bootstrap. ``Evaluator`` and the sweep both
/// score this way, so a sweep's figures equal those of `rally.evaluate`.
struct PooledScores {
    /// The pooled test rows (indices into the dataset).
    let rows: [Int]
    /// Their labels.
    let labels: [Double]
    /// One scorer per model.
    let scorers: [ForecastScorer]
    /// Each model's point metrics.
    let points: [MetricValues]
    /// The Newey–West lag of the Diebold–Mariano tests.
    let lag: Int
    /// Per model: Diebold–Mariano on Brier and on log loss against the baseline (nil for the baseline).
    let dieboldMariano: [(brier: DieboldMariano, logLoss: DieboldMariano)?]

    /// Scores `outcomes[model][fold]` on `folds`.
    init(folds: [EvaluationFold], outcomes: [[Evaluator.FitOutcome]], labels series: LabelSeries, names: [String],
         baseline: Int, metrics: MetricSettings, lag fixedLag: Int?) throws {
        let rows = folds.flatMap(\.test)
        let labels = rows.map { series.labels[$0] }
        self.rows = rows
        self.labels = labels
        var climatology: [Double] = []
        for fold in folds {
            let rate = fold.trainY.reduce(0, +) / Double(fold.trainY.count)
            climatology += [Double](repeating: rate, count: fold.test.count)
        }
        let scorers = try names.indices.map { m in
            try ForecastScorer(labels: labels, probabilities: folds.indices.flatMap { outcomes[m][$0].predictions },
                               climatology: climatology, settings: metrics, model: names[m])
        }
        self.scorers = scorers
        points = scorers.map { $0.score() }
        let lag = fixedLag ?? DieboldMariano.defaultLag(rows: labels.count, horizon: series.horizon)
        self.lag = lag
        dieboldMariano = try names.indices.map { m in
            guard m != baseline else { return nil }
            return (try DieboldMariano.test(modelLosses: scorers[m].squaredErrors, baselineLosses: scorers[baseline].squaredErrors, lag: lag),
                    try DieboldMariano.test(modelLosses: scorers[m].logLosses, baselineLosses: scorers[baseline].logLosses, lag: lag))
        }
    }

    /// The paired block bootstrap of every metric (nil without resamples); the figures do not
    /// depend on `threads`.
    func bootstrap(names: [String], baseline: Int, scheme: BlockBootstrap, threads: Int) throws -> PairedBootstrapResult? {
        guard scheme.resamples > 0 else { return nil }
        return try PairedBootstrap.run(scorers: scorers, models: names, baseline: baseline, scheme: scheme, threads: threads)
    }
}
