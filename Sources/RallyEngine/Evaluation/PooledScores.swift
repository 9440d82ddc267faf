/// The figures of the folds' pooled test rows (in time order): each model's scorer and point
/// metrics against the training base rate of each row's fold, and Diebold–Mariano tests of each
/// model against the baseline (with a warning for each test left undefined, and one for a
/// baseline that forecasts almost one value); ``bootstrap(names:baseline:scheme:threads:)`` adds
/// the paired block bootstrap. ``Evaluator`` and the sweep both
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
    /// Why tests were left undefined, and whether the baseline says almost nothing, one line
    /// each (none when every test was given and the baseline varies).
    let warnings: [String]

    /// The share of a baseline's test rows given its most common probability above which its
    /// forecasts count as (nearly) constant.
    static let constantBaselineShare = 0.99

    /// Scores `outcomes[model][fold]` on `folds`, models side by side on up to `threads` workers.
    init(folds: [EvaluationFold], outcomes: [[FitOutcome]], labels series: LabelSeries, names: [String],
         baseline: Int, metrics: MetricSettings, lag fixedLag: Int?, threads: Int) throws {
        let rows = folds.flatMap(\.test)
        let labels = rows.map { series.labels[$0] }
        self.rows = rows
        self.labels = labels
        // each test row's climatology: the training base rate of the fold that predicted it
        let climatology = folds.flatMap { fold in
            [Double](repeating: fold.trainY.reduce(0, +) / Double(fold.trainY.count), count: fold.test.count)
        }
        // each model's scorer (a sort of its probabilities) and figures, models side by side
        let scored = try concurrentMap(names.count, threads: threads) { m in
            let scorer = try ForecastScorer(labels: labels, probabilities: folds.indices.flatMap { outcomes[m][$0].predictions },
                                            climatology: climatology, settings: metrics, model: names[m])
            return (scorer, scorer.score())
        }
        let scorers = scored.map(\.0)
        self.scorers = scorers
        points = scored.map(\.1)
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
        if names.count > 1, let note = Self.constantBaseline(folds.indices.flatMap { outcomes[baseline][$0].predictions }, name: names[baseline]) {
            warnings.append(note)
        }
        self.warnings = warnings
    }

    /// A warning when `probabilities` give one value to at least ``constantBaselineShare`` of
    /// the rows: gains and tests against such a baseline compare with a near-constant forecast
    /// (the naive model does this when its feature is constant, e.g. gap_to_thr under a `jump`
    /// labeler, whose threshold moves with the price).
    static func constantBaseline(_ probabilities: [Double], name: String) -> String? {
        guard !probabilities.isEmpty else { return nil }
        let sorted = probabilities.sorted()   // finite: predictions are checked when a model makes them
        var best = 0, run = 0
        for i in sorted.indices {
            run = i > 0 && sorted[i] == sorted[i - 1] ? run + 1 : 1
            best = max(best, run)
        }
        let share = Double(best) / Double(sorted.count)
        guard share >= constantBaselineShare else { return nil }
        return "the baseline '\(name)' gives one probability to \(Format.fixed(100 * share, digits: 1))% of the test rows: "
            + "gains and Diebold-Mariano tests against it compare with a near-constant forecast (is its feature constant under this labeler?)"
    }

    /// The paired block bootstrap of every metric (nil without resamples); the figures do not
    /// depend on `threads`.
    func bootstrap(names: [String], baseline: Int, scheme: BlockBootstrap, threads: Int) throws -> PairedBootstrapResult? {
        guard scheme.resamples > 0 else { return nil }
        return try PairedBootstrap.run(scorers: scorers, models: names, baseline: baseline, scheme: scheme, threads: threads)
    }
}
