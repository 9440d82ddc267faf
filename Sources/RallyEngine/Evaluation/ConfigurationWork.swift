import Foundation

/// One labeler configuration's data, ready for the fits: labels, the feature matrix and each
/// fold's rows (each fit builds the design matrices it needs from the shared feature matrix).
struct PreparedConfiguration: Sendable {
    let configuration: SweepConfiguration
    let labels: LabelSeries
    let featureNames: [String]
    let keptRows: Int
    let folds: [EvaluationFold]
    /// The warning that the label looks at another step than the features' target (``PlanChecks``), or nil.
    let horizonMismatch: String?
    /// Wall seconds of the steps: labels, features, folds.
    let seconds: [(String, Double)]
    /// For a stacked configuration: each location's own prepared data, in stacking order.
    var parts: [PreparedConfiguration] = []

    /// Test rows summed over the folds.
    var testRows: Int { folds.reduce(0) { $0 + $1.test.count } }
}

/// What one model produced on one fold: its test probabilities, feature importance (when the
/// model has one) and timings.
struct FitOutcome: Sendable {
    let predictions: [Double]
    let importance: [(feature: String, score: Double)]?
    let fitSeconds: Double
    let predictSeconds: Double
    /// The model's probabilities for its own training rows, when the plan keeps them.
    var trainingPredictions: [Double]? = nil
}

/// A model as results name it: name, kind and parameters (what a worker thread may hold of a
/// factory, which may be a Lua model's).
struct ModelDescription: Sendable {
    let name: String
    let kind: String
    let parameters: ModelParameters

    init(_ factory: any ModelFactory) {
        name = factory.name
        kind = factory.kind
        parameters = factory.parameters
    }
}

/// Everything one configuration's evaluation produced: each model's figures with intervals and
/// paired differences, the folds, the pooled test rows and the warnings. `rally.evaluate` keeps
/// all of it; a sweep keeps one row of figures per model.
struct ScoredConfiguration: Sendable {
    let configuration: SweepConfiguration
    let models: [ModelEvaluation]
    let baseline: Int
    let featureNames: [String]
    let keptRows: Int
    /// The pooled test rows (indices into the dataset), in time order, and their labels.
    let testRows: [Int]
    let labels: LabelSeries
    let folds: [FoldEvaluation]
    let bootstrapUsed: Int, bootstrapSkipped: Int
    let dieboldMarianoLag: Int
    /// Warnings, without the configuration's name.
    let warnings: [String]
    /// Wall seconds of the steps: labels, features, folds, models, metrics, bootstrap.
    let seconds: [(String, Double)]
}

/// The steps of one configuration's evaluation, the same for `rally.evaluate` and every
/// configuration of a sweep: prepare (labels, features, folds), fit one model on one fold,
/// score (pooled figures, paired bootstrap, Diebold-Mariano tests, per-fold figures, warnings).
/// Errors name the command and, in a sweep, the configuration.
enum ConfigurationWork {
    /// The prefix of this configuration's errors: `evaluate: ` or `sweep: q=0.95: `.
    static func at(_ configuration: SweepConfiguration, command: String) -> String {
        command == "sweep" ? "sweep: \(configuration.label): " : configuration.location.map { "\(command): \($0): " } ?? "\(command): "
    }

    /// Labels and features once (on the configuration's location, when it has one), then the folds' rows; throws (naming the configuration) when
    /// a fold has no training or test rows or a single class to train on.
    static func prepare(_ configuration: SweepConfiguration, plan: EvaluationPlan, dataset whole: Dataset,
                        command: String) throws -> PreparedConfiguration {
        var seconds: [(String, Double)] = []
        var t = Date()
        func lap(_ stage: String) { seconds.append((stage, Date().timeIntervalSince(t))); t = Date() }
        if configuration.stacked != nil { return try PanelStack.prepare(configuration, plan: plan, dataset: whole, command: command) }
        do {
            let dataset = try configuration.location.map { try whole.location($0) } ?? whole
            let labels = try configuration.labeler.apply(to: dataset)
            lap("labels")
            let features = try plan.features.build(on: dataset, labels: labels)
            lap("features")
            let kept = features.rows(labeledBy: labels)
            let folds = try EvaluationFold.folds(of: plan.schedule, dataset: dataset, features: features, labels: labels, kept: kept)
            lap("folds")
            let step = try TimeGrid.step(dataset.timestamps, for: command)
            let mismatch = PlanChecks.horizonMismatch(features: try plan.features.resolved(every: step),
                                                      labeler: try configuration.labeler.resolved(every: step))
            return PreparedConfiguration(configuration: configuration, labels: labels, featureNames: features.names,
                                         keptRows: kept.count, folds: folds, horizonMismatch: mismatch, seconds: seconds)
        } catch let error as RallyError where error != .interrupted {
            throw RallyError(at(configuration, command: command) + error.message)
        }
    }

    /// Fits `model` on the fold's training rows and predicts its test rows; checks the predictions.
    static func fit(_ model: any RallyModel, name: String, fold: EvaluationFold, at prefix: String,
                    keepTraining: Bool = false) throws -> FitOutcome {
        let t0 = Date()
        if keepTraining, let keeper = model as? any TrainingRowPredictions { keeper.keepsTrainingPredictions = true }
        do {
            try model.fit(fold.trainX(), labels: fold.trainY, weights: nil)
        } catch let error as RallyError where error != .interrupted {
            throw RallyError("\(prefix)fitting '\(name)' on fold \(fold.index + 1): \(error.message)")
        }
        let t1 = Date()
        let predictions: [Double]
        do {
            predictions = try model.predict(fold.testX())
        } catch let error as RallyError where error != .interrupted {
            throw RallyError("\(prefix)'\(name)' predicting fold \(fold.index + 1): \(error.message)")
        }
        let t2 = Date()
        guard predictions.count == fold.test.count else {
            throw RallyError("\(prefix)'\(name)' returned \(predictions.count) probabilities for the \(fold.test.count) test rows of fold \(fold.index + 1)")
        }
        if let bad = predictions.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw RallyError("\(prefix)'\(name)' predicted \(Format.number(predictions[bad])) for test row \(bad + 1) of fold \(fold.index + 1); probabilities must be in [0, 1]")
        }
        let importance = try (model as? any FeatureImportanceModel)?.importance(type: "gain")
        var outcome = FitOutcome(predictions: predictions, importance: importance,
                                 fitSeconds: t1.timeIntervalSince(t0), predictSeconds: t2.timeIntervalSince(t1))
        if keepTraining { outcome.trainingPredictions = try trainingPredictions(model, name: name, fold: fold, at: prefix) }
        return outcome
    }

    /// The model's probabilities for the fold's training rows, checked like its test predictions.
    private static func trainingPredictions(_ model: any RallyModel, name: String, fold: EvaluationFold, at prefix: String) throws -> [Double] {
        let p: [Double]
        do {
            p = try (model as? any TrainingRowPredictions)?.trainingPredictions ?? model.predict(fold.trainX())
        } catch let error as RallyError where error != .interrupted {
            throw RallyError("\(prefix)'\(name)' predicting the training rows of fold \(fold.index + 1): \(error.message)")
        }
        guard p.count == fold.train.count, !p.contains(where: { !($0 >= 0 && $0 <= 1) }) else {
            throw RallyError("\(prefix)'\(name)' returned \(p.count) probabilities, not all in [0, 1], for the \(fold.train.count) training rows of fold \(fold.index + 1)")
        }
        return p
    }

    /// Scores the pooled test predictions of every model (`outcomes[model][fold]`): point
    /// figures, the paired bootstrap (on `threads` threads; the figures do not depend on it),
    /// Diebold-Mariano tests against the baseline, each fold's figures, and the warnings.
    static func score(_ prepared: PreparedConfiguration, outcomes: [[FitOutcome]], models: [ModelDescription], baseline: Int,
                      plan: EvaluationPlan, threads: Int, modelSeconds: Double) throws -> ScoredConfiguration {
        let names = models.map(\.name)
        var t = Date()
        let pooled = try PooledScores(folds: prepared.folds, outcomes: outcomes, labels: prepared.labels, names: names,
                                      baseline: baseline, metrics: plan.metrics, lag: plan.dieboldMarianoLag, threads: threads)
        let folds = try foldEvaluations(prepared, outcomes: outcomes, names: names, plan: plan, pooled: pooled)
        let metricSeconds = Date().timeIntervalSince(t)
        t = Date()
        let bootstrap = try pooled.bootstrap(names: names, baseline: baseline, scheme: plan.bootstrap, threads: threads)
        let bootstrapSeconds = Date().timeIntervalSince(t)
        let points = pooled.points
        let nan = Interval(lower: .nan, upper: .nan)
        var evaluations: [ModelEvaluation] = []
        for (m, factory) in models.enumerated() {
            var evaluation = ModelEvaluation(
                name: factory.name, kind: factory.kind, parameters: factory.parameters,
                predictions: pooled.scorers[m].probabilities, metrics: points[m],
                intervals: Metric.allCases.map { bootstrap?.interval(model: m, metric: $0) ?? nan },
                importance: meanImportance(outcomes[m].map(\.importance)),
                fitSeconds: outcomes[m].reduce(0) { $0 + $1.fitSeconds },
                predictSeconds: outcomes[m].reduce(0) { $0 + $1.predictSeconds })
            if plan.keepsTrainingPredictions {
                evaluation.training = try prepared.folds.map { fold in
                    guard let p = outcomes[m][fold.index].trainingPredictions else { throw RallyError("'\(factory.name)' kept no training predictions") }
                    return ForecastSample(labels: fold.trainY, probabilities: p)
                }
            }
            if m != baseline {
                evaluation.differences = Metric.allCases.map { metric in
                    (points[m][metric] - points[baseline][metric], bootstrap?.differenceInterval(model: m, metric: metric) ?? nan)
                }
                evaluation.dieboldMarianoBrier = pooled.dieboldMariano[m].brier
                evaluation.dieboldMarianoLogLoss = pooled.dieboldMariano[m].logLoss
            }
            evaluations.append(evaluation)
        }
        let warnings = Self.warnings(prepared, folds: folds, y: pooled.labels, bootstrap: bootstrap, plan: plan) + pooled.warnings
        return ScoredConfiguration(
            configuration: prepared.configuration, models: evaluations, baseline: baseline, featureNames: prepared.featureNames,
            keptRows: prepared.keptRows, testRows: pooled.rows, labels: prepared.labels, folds: folds,
            bootstrapUsed: bootstrap?.used ?? 0, bootstrapSkipped: bootstrap?.skipped ?? 0, dieboldMarianoLag: pooled.lag,
            warnings: warnings,
            seconds: prepared.seconds + [("models", modelSeconds), ("metrics", metricSeconds), ("bootstrap", bootstrapSeconds)])
    }

    /// Each fold's counts and figures, with its warnings (folds resting on few rallies). A
    /// single fold's figures are the `pooled` ones (the same rows, predictions and climatology).
    private static func foldEvaluations(_ prepared: PreparedConfiguration, outcomes: [[FitOutcome]], names: [String],
                                        plan: EvaluationPlan, pooled: PooledScores) throws -> [FoldEvaluation] {
        let minimum = plan.minimumPositives
        return try prepared.folds.map { fold in
            let y = fold.test.map { prepared.labels.labels[$0] }
            let rate = fold.trainY.reduce(0, +) / Double(fold.trainY.count)
            let climatology = [Double](repeating: rate, count: y.count)
            let metrics = try prepared.folds.count == 1 ? pooled.points : names.indices.map { m in
                try ForecastScorer(labels: y, probabilities: outcomes[m][fold.index].predictions, climatology: climatology,
                                   settings: plan.metrics, model: names[m]).score()
            }
            let testPositives = Int(y.reduce(0, +)), trainPositives = Int(fold.trainY.reduce(0, +))
            var summary = FoldEvaluation(split: fold.split, trainRows: fold.train.count, trainPositives: trainPositives,
                                         testRows: fold.test.count, testPositives: testPositives, trainBaseRate: rate,
                                         metrics: metrics, warnings: [])
            let name = "fold \(fold.index + 1) (\(summary.name))"
            if testPositives < minimum {
                summary.warnings.append("\(name): \(testPositives) rallies in \(fold.test.count) test rows (< \(minimum)); its figures rest on few events")
            }
            if trainPositives < minimum {
                summary.warnings.append("\(name): \(trainPositives) rallies in \(fold.train.count) training rows (< \(minimum)); its models learnt from few events")
            }
            return summary
        }
    }

    /// The warnings of one configuration: a label horizon other than the features', folds,
    /// test rows or top-k resting on few rallies, skipped resamples.
    private static func warnings(_ prepared: PreparedConfiguration, folds: [FoldEvaluation], y: [Double],
                                 bootstrap: PairedBootstrapResult?, plan: EvaluationPlan) -> [String] {
        let minimum = plan.minimumPositives
        var out: [String] = []
        if let mismatch = prepared.horizonMismatch { out.append(mismatch) }
        out += folds.flatMap(\.warnings)
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

    /// Per-feature importance averaged over folds (features in the first fold's order).
    static func meanImportance(_ perFold: [[(feature: String, score: Double)]?]) -> [(feature: String, gain: Double)]? {
        let present = perFold.compactMap { $0 }
        guard let first = present.first else { return nil }
        return first.map { entry in
            let total = present.reduce(0.0) { sum, fold in sum + (fold.first { $0.feature == entry.feature }?.score ?? 0) }
            return (entry.feature, total / Double(present.count))
        }
    }
}
