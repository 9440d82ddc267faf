/// One model's figures on the pooled test rows: point values, bootstrap intervals, and the
/// comparison with the baseline.
public struct ModelEvaluation: Sendable {
    /// The model's name.
    public var name: String
    /// Its kind (`naive`, `logreg`, `gbdt`, or a Lua-registered name).
    public var kind: String
    /// Its effective parameters.
    public var parameters: ModelParameters
    /// Probabilities for the test rows, in ``EvaluationResult/testTimes`` order.
    public var predictions: [Double]
    /// Every metric on the test rows.
    public var metrics: MetricValues
    /// 95% bootstrap interval of each metric (NaN bounds without a bootstrap).
    public var intervals: [Interval]
    /// For a model other than the baseline: metric − baseline's metric, with its paired
    /// interval, in ``Metric/allCases`` order; nil for the baseline.
    public var differences: [(value: Double, interval: Interval)]?
    /// Diebold–Mariano test of the Brier losses against the baseline (nil for the baseline).
    public var dieboldMarianoBrier: DieboldMariano?
    /// Diebold–Mariano test of the log losses against the baseline (nil for the baseline).
    public var dieboldMarianoLogLoss: DieboldMariano?
    /// Feature importance (XGBoost gain for gbdt) averaged over folds; nil when the model has none.
    public var importance: [(feature: String, gain: Double)]?
    /// Wall seconds spent fitting, summed over folds.
    public var fitSeconds: Double
    /// Wall seconds spent predicting, summed over folds.
    public var predictSeconds: Double
    /// Per fold, the training labels and the model's probabilities for them (nil unless the plan
    /// keeps training predictions): what choices made on training rows only read.
    public var training: [ForecastSample]?

    /// The 95% interval of `metric`.
    public func interval(_ metric: Metric) -> Interval { intervals[metric.index] }
}

/// One fold of the schedule: its rows, its events and each model's figures on its test rows.
public struct FoldEvaluation: Sendable {
    /// The fold's split.
    public var split: TimeSplit
    /// Training rows and rallies among them.
    public var trainRows: Int, trainPositives: Int
    /// Test rows and rallies among them.
    public var testRows: Int, testPositives: Int
    /// Training base rate (the climatological forecast for this fold's test rows).
    public var trainBaseRate: Double
    /// Each model's metrics on this fold's test rows, in model order.
    public var metrics: [MetricValues]
    /// Warnings about this fold (too few rallies).
    public var warnings: [String]

    /// The test period (``TimeSplit/testPeriod``): `2017-01-01 00:00 .. 2018-01-01 00:00 (excl.)`.
    public var name: String { split.testPeriod }
}

/// Everything an evaluation produced: the test rows, each model's predictions and figures,
/// the folds, warnings and timings. Artifacts and tables are rendered from it.
public struct EvaluationResult: Sendable {
    /// The plan that was run.
    public var plan: EvaluationPlan
    /// The models, in the order given; ``baseline`` indexes it.
    public var models: [ModelEvaluation]
    /// Index of the baseline model.
    public var baseline: Int
    /// Feature names, in design-matrix order.
    public var featureNames: [String]
    /// Rows of the dataset, and rows kept (every feature and the label defined).
    public var datasetRows: Int, keptRows: Int
    /// Times of the test rows (pooled over folds, ascending).
    public var testTimes: [Int64]
    /// The clock of ``testTimes``: the dataset's zone (UTC instants printed in market time with
    /// their offsets), or the wall clock.
    public var zone: MarketZone = .wallClock
    /// Labels of the test rows.
    public var testLabels: [Double]
    /// The labelled series (the labeler's column, e.g. price) at each test row.
    public var testSeries: [Double]
    /// The labeler's threshold at each test row.
    public var testThresholds: [Double]
    /// The folds, in time order.
    public var folds: [FoldEvaluation]
    /// Bootstrap resamples used and skipped (single class).
    public var bootstrapUsed: Int, bootstrapSkipped: Int
    /// Lag of the Diebold–Mariano HAC variance.
    public var dieboldMarianoLag: Int
    /// Warnings (folds or figures resting on few rallies).
    public var warnings: [String]
    /// Wall seconds per stage, in the order they ran.
    public var seconds: [(String, Double)]
    /// Pairwise Giacomini–White and multivariate Diebold–Mariano tests on daily losses (nil
    /// with a single model).
    public var predictiveAbility: PredictiveAbilityTests? = nil
    /// For a panel of locations: each location's own result; this result is then the panel
    /// row (the locations' test rows stacked, location after location; no folds of its own).
    public var panel: PanelEvaluation? = nil

    /// Training rows summed over folds.
    public var trainRows: Int { folds.reduce(0) { $0 + $1.trainRows } }
    /// Rallies among the test rows.
    public var testPositives: Int { Int(testLabels.reduce(0, +)) }
    /// The test base rate.
    public var testBaseRate: Double { testLabels.isEmpty ? .nan : testLabels.reduce(0, +) / Double(testLabels.count) }

    /// The index of the model called `name`.
    public func modelIndex(_ name: String) -> Int? { models.firstIndex { $0.name == name } }

    /// `<Result naive, logreg, gbdt on 17328 test rows (1121 rallies), 1 fold, best PR-AUC gbdt 0.671>`:
    /// one line, as every class prints in Lua.
    public var summary: String {
        let best = best(.prAUC).map { ", best PR-AUC \($0.name) \(Format.fixed($0.metrics[.prAUC], digits: 3))" } ?? ""
        return "<Result \(models.map(\.name).joined(separator: ", ")) on \(testTimes.count) test rows (\(testPositives) rallies), \(ReportText.count(folds.count, "fold"))\(best)>"
    }

    /// The result of location `name` of a panel (what evaluating that location alone gives);
    /// throws for a result of one series or an unknown location.
    public func location(_ name: String) throws -> EvaluationResult {
        guard let panel else { throw RallyError("this result is of one series, not a panel of locations") }
        return try panel.result(name)
    }

    /// The model with the best point value of `metric` (the highest, or the lowest for a loss);
    /// NaN values never win.
    public func best(_ metric: Metric) -> ModelEvaluation? {
        let scored = models.filter { !$0.metrics[metric].isNaN }
        return metric.higherIsBetter
            ? scored.max { $0.metrics[metric] < $1.metrics[metric] }
            : scored.min { $0.metrics[metric] < $1.metrics[metric] }
    }
}
