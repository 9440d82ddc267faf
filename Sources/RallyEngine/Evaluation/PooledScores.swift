/// The figures of the folds' pooled test rows (in time order): each model's scorer and point
/// metrics against the training base rate of each row's fold, and Diebold–Mariano tests of each
/// model against the baseline (with a warning for each test left undefined); ``bootstrap(names:baseline:scheme:threads:)`` adds the paired
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
    /// Per model: Diebold–Mariano on Brier and on log loss against the baseline; nil for the
    /// baseline and for a test that is undefined (``DieboldMariano/test(modelLosses:baselineLosses:lag:)``).
    let dieboldMariano: [(brier: DieboldMariano?, logLoss: DieboldMariano?)]
    /// Why tests were left undefined, one line each (none when every test was given).
    let dieboldMarianoWarnings: [String]

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
        var warnings: [String] = []
        if names.count > 1, let reason = DieboldMariano.tooFewRows(labels.count, lag: lag) {
            warnings.append("Diebold-Mariano tests undefined (p-values left empty): \(reason)")
        }
        dieboldMariano = try names.indices.map { m in
            guard m != baseline else { return (nil, nil) }
            let brier = try DieboldMariano.test(modelLosses: scorers[m].squaredErrors, baselineLosses: scorers[baseline].squaredErrors, lag: lag)
            let logLoss = try DieboldMariano.test(modelLosses: scorers[m].logLosses, baselineLosses: scorers[baseline].logLosses, lag: lag)
            if warnings.isEmpty {
                for (loss, test) in [("Brier", brier), ("log-loss", logLoss)] where test == nil {
                    warnings.append("Diebold-Mariano test of '\(names[m])' against '\(names[baseline])' on \(loss) undefined (p-value left empty): "
                                    + "the loss differential has no positive HAC variance (it is constant)")
                }
            }
            return (brier, logLoss)
        }
        dieboldMarianoWarnings = warnings
    }

    /// The paired block bootstrap of every metric (nil without resamples); the figures do not
    /// depend on `threads`.
    func bootstrap(names: [String], baseline: Int, scheme: BlockBootstrap, threads: Int) throws -> PairedBootstrapResult? {
        guard scheme.resamples > 0 else { return nil }
        return try PairedBootstrap.run(scorers: scorers, models: names, baseline: baseline, scheme: scheme, threads: threads)
    }
}
