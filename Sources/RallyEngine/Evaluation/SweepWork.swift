/// One configuration's data, ready for the fits: labels, and each fold's rows (each fit builds
/// the design matrices it needs from the shared feature matrix).
struct SweepPreparedConfiguration: Sendable {
    let configuration: SweepConfiguration
    let labels: LabelSeries
    let folds: [EvaluationFold]
}

/// The figures of one configuration: one row of values per model (the figure columns of
/// ``SweepColumns``), and the warnings the evaluation would give.
struct SweepScoredConfiguration: Sendable {
    let configuration: SweepConfiguration
    let figures: [[Double]]
    let warnings: [String]
}

/// The columns of a sweep's table after the key columns.
enum SweepColumns {
    /// Every metric, then the headline metric's interval, its difference from the baseline
    /// (`<metric>_diff`, as in benchmark_table.csv) with that interval, the Diebold–Mariano
    /// p-values and signed statistics against the baseline (negative: the model's loss is
    /// lower), and the test rows.
    static func figures(headline m: Metric) -> [String] {
        let k = m.rawValue
        return Metric.allCases.map(\.rawValue)
            + ["\(k)_lo", "\(k)_hi", "\(k)_diff", "\(k)_diff_lo", "\(k)_diff_hi", "dm_brier_p", "dm_log_loss_p",
               "dm_brier_statistic", "dm_log_loss_statistic", "test_rows", "positives", "base_rate"]
    }
}

/// The two steps of a configuration around its fits, done exactly as ``Evaluator`` does them
/// (same rows, same scorers, same bootstrap and tests), so a sweep's figures equal those of
/// `rally.evaluate` with the configuration's labeler.
enum SweepWork {
    /// Labels and features once, then the folds' rows; throws (naming the
    /// configuration) when a fold has no training or test rows or a single class to train on.
    static func prepare(_ configuration: SweepConfiguration, plan: SweepPlan, dataset: Dataset) throws -> SweepPreparedConfiguration {
        let at = "sweep: \(configuration.label)"
        do {
            let labels = try configuration.labeler.apply(to: dataset)
            let features = try plan.features.build(on: dataset, labels: labels)
            let kept = features.rows(labeledBy: labels)
            let folds = try EvaluationFold.folds(of: plan.schedule, dataset: dataset, features: features, labels: labels, kept: kept)
            return SweepPreparedConfiguration(configuration: configuration, labels: labels, folds: folds)
        } catch let error as RallyError where error != .interrupted {
            throw RallyError("\(at): \(error.message)")
        }
    }

    /// Scores the pooled test predictions of every model (`outcomes[model][fold]`): point
    /// figures, the paired bootstrap (on `threads` threads; the figures do not depend on it)
    /// and Diebold–Mariano tests against the baseline.
    static func score(_ prepared: SweepPreparedConfiguration, outcomes: [[Evaluator.FitOutcome]], names: [String],
                      baseline: Int, plan: SweepPlan, threads: Int) throws -> SweepScoredConfiguration {
        let at = prepared.configuration.label
        let folds = prepared.folds
        let labels = prepared.labels
        let pooled = try PooledScores(folds: folds, outcomes: outcomes, labels: labels, names: names, baseline: baseline,
                                      metrics: plan.metrics, lag: plan.dieboldMarianoLag)
        let bootstrap = try pooled.bootstrap(names: names, baseline: baseline, scheme: plan.bootstrap, threads: threads)
        let y = pooled.labels, points = pooled.points
        let metric = plan.metric
        let positives = y.reduce(0, +)
        let nan = Interval(lower: .nan, upper: .nan)
        var figures: [[Double]] = []
        for m in names.indices {
            let interval = bootstrap?.interval(model: m, metric: metric) ?? nan
            var difference = (value: Double.nan, interval: nan)
            if m != baseline {
                difference = (points[m][metric] - points[baseline][metric], bootstrap?.differenceInterval(model: m, metric: metric) ?? nan)
            }
            let dm = pooled.dieboldMariano[m]
            figures.append(points[m].values + [
                interval.lower, interval.upper, difference.value, difference.interval.lower, difference.interval.upper,
                dm.brier?.pValue ?? .nan, dm.logLoss?.pValue ?? .nan, dm.brier?.statistic ?? .nan, dm.logLoss?.statistic ?? .nan,
                Double(y.count), positives, positives / Double(y.count),
            ])
        }
        return SweepScoredConfiguration(configuration: prepared.configuration, figures: figures,
                                        warnings: (warnings(prepared, y: y, bootstrap: bootstrap, plan: plan) + pooled.warnings).map { "\(at): \($0)" })
    }

    /// The warnings ``Evaluator`` gives for the same rows: a label horizon other than the features', folds, test rows or
    /// top-k resting on few rallies, skipped resamples.
    private static func warnings(_ prepared: SweepPreparedConfiguration, y: [Double], bootstrap: PairedBootstrapResult?, plan: SweepPlan) -> [String] {
        let minimum = plan.minimumPositives
        var out: [String] = []
        if let mismatch = PlanChecks.horizonMismatch(features: plan.features, labeler: prepared.configuration.labeler) { out.append(mismatch) }
        for fold in prepared.folds {
            let testPositives = Int(fold.test.reduce(0) { $0 + prepared.labels.labels[$1] })
            let trainPositives = Int(fold.trainY.reduce(0, +))
            let name = "fold \(fold.index + 1) (\(fold.split.testPeriod))"
            if testPositives < minimum {
                out.append("\(name): \(testPositives) rallies in \(fold.test.count) test rows (< \(minimum)); its figures rest on few events")
            }
            if trainPositives < minimum {
                out.append("\(name): \(trainPositives) rallies in \(fold.train.count) training rows (< \(minimum)); its models learnt from few events")
            }
        }
        let positives = Int(y.reduce(0, +))
        if positives < minimum {
            out.append("test rows hold \(positives) rallies (< \(minimum)): every figure rests on few events")
        }
        let k = max(1, (plan.metrics.top * Double(y.count)).rounded(.toNearestOrEven))
        if k < Double(minimum) {
            out.append("precision_at_top and lift_at_top rest on the top \(Int(k)) rows (< \(minimum))")
        }
        if let bootstrap, bootstrap.skipped > 0 {
            out.append("bootstrap: \(bootstrap.skipped) of \(plan.bootstrap.resamples) resamples held a single class and were skipped")
        }
        return out
    }
}
