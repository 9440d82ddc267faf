import Dispatch
import Foundation
import Synchronization

/// Runs an ``EvaluationPlan``: labels and features once, then for every fold each model is
/// made fresh, fitted on the fold's training rows and asked for the test rows' probabilities;
/// the pooled test predictions are scored, bootstrapped (paired) and tested against the baseline.
///
/// Rows: a row is *kept* when every feature and its label are defined; a fold trains on the
/// kept rows its split lets train (the embargo keeps labels out of the test period) and tests
/// on the kept rows in its test period. Test periods of the folds must not overlap; their rows
/// are pooled in time order for the figures.
///
/// Threads: built-in models (factories with a ``ModelFactory/sendableSpec``) are fitted on
/// up to ``EvaluationPlan/threads`` workers at once; other factories (models written in Lua)
/// are made and fitted on the calling thread, meanwhile. Results do not depend on the order
/// in which fits finish.
public struct Evaluator {
    /// The plan.
    public let plan: EvaluationPlan
    /// Called on the calling thread with one line per stage (for progress on stderr).
    public let progress: (String) -> Void

    /// Creates an evaluator.
    public init(plan: EvaluationPlan, progress: @escaping (String) -> Void = { _ in }) {
        self.plan = plan
        self.progress = progress
    }

    /// What one model produced on one fold.
    struct FitOutcome: Sendable {
        let predictions: [Double]
        let importance: [(feature: String, score: Double)]?
        let fitSeconds: Double
        let predictSeconds: Double
    }

    /// Evaluates `models` on `dataset`.
    public func run(on dataset: Dataset, models: [any ModelFactory]) throws -> EvaluationResult {
        let started = Date()
        var seconds: [(String, Double)] = []
        func lap(_ stage: String, since t: Date) { seconds.append((stage, Date().timeIntervalSince(t))) }

        let names = models.map(\.name)
        let baseline = try ModelLineup.baseline(among: names, wanted: plan.baseline, command: "evaluate")
        try plan.metrics.validate()
        guard plan.threads >= 1 else { throw RallyError("evaluate: threads must be at least 1, got \(plan.threads)") }
        try PlanChecks.requireColumns(plan.features, command: "evaluate")
        guard let labelled = dataset.column(named: plan.labeler.column) else {
            throw RallyError("evaluate: the labeler's column '\(plan.labeler.column)' is not in the dataset (columns: \(dataset.names.joined(separator: ", ")))")
        }

        var t = Date()
        let labels = try plan.labeler.apply(to: dataset)
        lap("labels", since: t)
        t = Date()
        let features = try plan.features.build(on: dataset, labels: labels)
        lap("features", since: t)
        let kept = features.rows(labeledBy: labels)
        progress("evaluate: \(dataset.count) rows, \(kept.count) kept (features and label defined), \(features.names.count) features")

        t = Date()
        let folds: [EvaluationFold]
        do {
            folds = try EvaluationFold.folds(of: plan.schedule, dataset: dataset, features: features, labels: labels, kept: kept)
        } catch let error as RallyError where error != .interrupted {
            throw RallyError("evaluate: \(error.message)")
        }
        lap("folds", since: t)

        t = Date()
        let outcomes = try fitAll(models: models, folds: folds)
        lap("models", since: t)

        // pool the test rows of the folds, in time order
        t = Date()
        let pooled = try PooledScores(folds: folds, outcomes: outcomes, labels: labels, names: names, baseline: baseline,
                                      metrics: plan.metrics, lag: plan.dieboldMarianoLag)
        let foldSummaries = try foldEvaluations(folds: folds, outcomes: outcomes, labels: labels, names: names)
        lap("metrics", since: t)
        let testRows = pooled.rows, y = pooled.labels, points = pooled.points

        t = Date()
        if plan.bootstrap.resamples > 0 {
            progress("evaluate: bootstrap, \(plan.bootstrap.resamples) resamples of \(y.count) test rows in blocks of \(plan.bootstrap.block)")
        }
        let bootstrap = try pooled.bootstrap(names: names, baseline: baseline, scheme: plan.bootstrap, threads: plan.threads)
        lap("bootstrap", since: t)

        var evaluations: [ModelEvaluation] = []
        for (m, factory) in models.enumerated() {
            let nan = Interval(lower: .nan, upper: .nan)
            var evaluation = ModelEvaluation(
                name: factory.name, kind: factory.kind, parameters: factory.parameters,
                predictions: pooled.scorers[m].probabilities, metrics: points[m],
                intervals: Metric.allCases.map { bootstrap?.interval(model: m, metric: $0) ?? nan },
                importance: Self.meanImportance(outcomes[m].map(\.importance)),
                fitSeconds: outcomes[m].reduce(0) { $0 + $1.fitSeconds },
                predictSeconds: outcomes[m].reduce(0) { $0 + $1.predictSeconds })
            if m != baseline {
                evaluation.differences = Metric.allCases.map { metric in
                    (points[m][metric] - points[baseline][metric], bootstrap?.differenceInterval(model: m, metric: metric) ?? nan)
                }
                evaluation.dieboldMarianoBrier = pooled.dieboldMariano[m].brier
                evaluation.dieboldMarianoLogLoss = pooled.dieboldMariano[m].logLoss
            }
            evaluations.append(evaluation)
        }

        var warnings = PlanChecks.horizonMismatch(features: plan.features, labeler: plan.labeler).map { [$0] } ?? []
        warnings += foldSummaries.flatMap(\.warnings)
        let positives = Int(y.reduce(0, +))
        if positives < plan.minimumPositives {
            warnings.append("test rows hold \(positives) rallies (< \(plan.minimumPositives)): every figure rests on few events")
        }
        let k = max(1, (plan.metrics.top * Double(y.count)).rounded(.toNearestOrEven))
        if k < Double(plan.minimumPositives) {
            warnings.append("precision_at_top and lift_at_top rest on the top \(Int(k)) rows (< \(plan.minimumPositives))")
        }
        if let bootstrap, bootstrap.skipped > 0 {
            warnings.append("bootstrap: \(bootstrap.skipped) of \(plan.bootstrap.resamples) resamples held a single class and were skipped")
        }
        warnings += pooled.warnings
        for w in warnings { progress("evaluate: warning: \(w)") }
        seconds.append(("evaluate", Date().timeIntervalSince(started)))

        return EvaluationResult(
            plan: plan, models: evaluations, baseline: baseline, featureNames: features.names,
            datasetRows: dataset.count, keptRows: kept.count, testTimes: testRows.map { dataset.timestamps[$0] },
            testLabels: y, testSeries: testRows.map { labelled[$0] }, testThresholds: testRows.map { labels.thresholds[$0] },
            folds: foldSummaries, bootstrapUsed: bootstrap?.used ?? 0, bootstrapSkipped: bootstrap?.skipped ?? 0,
            dieboldMarianoLag: pooled.lag, warnings: warnings, seconds: seconds)
    }

    /// Fits every model on every fold; `result[model][fold]`.
    private func fitAll(models: [any ModelFactory], folds: [EvaluationFold]) throws -> [[FitOutcome]] {
        let modelList = models.map(\.name).joined(separator: ", ")
        progress("evaluate: fitting \(modelList) on \(folds.count) fold\(folds.count == 1 ? "" : "s")")
        // built-in models on worker threads; the others (Lua) here, meanwhile
        var background: [(model: Int, fold: Int, spec: ModelSpec)] = []
        var foreground: [(model: Int, fold: Int)] = []
        for (m, factory) in models.enumerated() {
            for f in folds.indices {
                if let spec = factory.sendableSpec { background.append((m, f, spec)) } else { foreground.append((m, f)) }
            }
        }
        let board = TaskBoard(count: background.count)
        let group = DispatchGroup()
        let workers = max(1, min(plan.threads, background.count))
        if !background.isEmpty {
            let tasks = background
            DispatchQueue.global().async(group: group) {
                DispatchQueue.concurrentPerform(iterations: workers) { _ in
                    while let k = board.take() {
                        let task = tasks[k]
                        board.finish(k, Result {
                            try Cancellation.check()
                            return try Self.fitAndPredict(task.spec.make(), name: task.spec.name, fold: folds[task.fold])
                        })
                    }
                }
            }
        }
        var results = [[FitOutcome?]](repeating: [FitOutcome?](repeating: nil, count: folds.count), count: models.count)
        var firstError: (any Error)?
        for task in foreground where firstError == nil {
            do {
                let model = try models[task.model].make()
                results[task.model][task.fold] = try Self.fitAndPredict(model, name: models[task.model].name, fold: folds[task.fold])
            } catch {
                firstError = error
                board.cancel()
            }
        }
        group.wait()
        if let firstError { throw firstError }
        for (k, task) in background.enumerated() {
            results[task.model][task.fold] = try board.result(k).get()
        }
        for (m, factory) in models.enumerated() {
            let fit = results[m].reduce(0) { $0 + ($1?.fitSeconds ?? 0) }
            progress("evaluate: \(factory.name) fitted in \(Format.fixed(fit, digits: 3)) s")
        }
        return results.map { $0.map { $0! } }
    }

    /// Fits `model` on the fold's training rows and predicts its test rows; checks the predictions.
    static func fitAndPredict(_ model: any RallyModel, name: String, fold: EvaluationFold) throws -> FitOutcome {
        let t0 = Date()
        do {
            try model.fit(fold.trainX(), labels: fold.trainY, weights: nil)
        } catch let error as RallyError where error != .interrupted {
            throw RallyError("evaluate: fitting '\(name)' on fold \(fold.index + 1): \(error.message)")
        }
        let t1 = Date()
        let predictions: [Double]
        do {
            predictions = try model.predict(fold.testX())
        } catch let error as RallyError where error != .interrupted {
            throw RallyError("evaluate: '\(name)' predicting fold \(fold.index + 1): \(error.message)")
        }
        let t2 = Date()
        guard predictions.count == fold.test.count else {
            throw RallyError("evaluate: '\(name)' returned \(predictions.count) probabilities for the \(fold.test.count) test rows of fold \(fold.index + 1)")
        }
        if let bad = predictions.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw RallyError("evaluate: '\(name)' predicted \(Format.number(predictions[bad])) for test row \(bad + 1) of fold \(fold.index + 1); probabilities must be in [0, 1]")
        }
        let importance = try (model as? any FeatureImportanceModel)?.importance(type: "gain")
        return FitOutcome(predictions: predictions, importance: importance,
                          fitSeconds: t1.timeIntervalSince(t0), predictSeconds: t2.timeIntervalSince(t1))
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

    /// Each fold's counts, figures and warnings.
    private func foldEvaluations(folds: [EvaluationFold], outcomes: [[FitOutcome]], labels: LabelSeries, names: [String]) throws -> [FoldEvaluation] {
        try folds.map { fold in
            let y = fold.test.map { labels.labels[$0] }
            let rate = fold.trainY.reduce(0, +) / Double(fold.trainY.count)
            let climatology = [Double](repeating: rate, count: y.count)
            let metrics = try names.indices.map { m in
                try ForecastScorer(labels: y, probabilities: outcomes[m][fold.index].predictions, climatology: climatology,
                                   settings: plan.metrics, model: names[m]).score()
            }
            let testPositives = Int(y.reduce(0, +)), trainPositives = Int(fold.trainY.reduce(0, +))
            var summary = FoldEvaluation(split: fold.split, trainRows: fold.train.count, trainPositives: trainPositives,
                                         testRows: fold.test.count, testPositives: testPositives, trainBaseRate: rate,
                                         metrics: metrics, warnings: [])
            if testPositives < plan.minimumPositives {
                summary.warnings.append("fold \(fold.index + 1) (\(summary.name)): \(testPositives) rallies in \(fold.test.count) test rows (< \(plan.minimumPositives)); its figures rest on few events")
            }
            if trainPositives < plan.minimumPositives {
                summary.warnings.append("fold \(fold.index + 1) (\(summary.name)): \(trainPositives) rallies in \(fold.train.count) training rows (< \(plan.minimumPositives)); its models learnt from few events")
            }
            return summary
        }
    }
}

/// The shared state of the background fits: which task is next, and each task's result.
private final class TaskBoard: Sendable {
    private struct State {
        var next = 0
        var cancelled = false
        var results: [Result<Evaluator.FitOutcome, any Error>?]
    }
    private let state: Mutex<State>
    private let count: Int

    init(count: Int) {
        self.count = count
        state = Mutex(State(results: Array(repeating: nil, count: count)))
    }

    /// The next task to run, or nil when all are taken or the run was cancelled.
    func take() -> Int? {
        state.withLock { s in
            guard !s.cancelled, s.next < count else { return nil }
            defer { s.next += 1 }
            return s.next
        }
    }

    /// Stores task `k`'s result; a failure stops the remaining tasks.
    func finish(_ k: Int, _ result: Result<Evaluator.FitOutcome, any Error>) {
        state.withLock { s in
            s.results[k] = result
            if case .failure = result { s.cancelled = true }
        }
    }

    /// Stops handing out tasks.
    func cancel() { state.withLock { $0.cancelled = true } }

    /// Task `k`'s result; a task never run (after a cancel) reports the first failure.
    func result(_ k: Int) -> Result<Evaluator.FitOutcome, any Error> {
        state.withLock { s in
            if let r = s.results[k] { return r }
            let failure = s.results.lazy.compactMap { r -> (any Error)? in
                if case .failure(let e) = r { return e } else { return nil }
            }.first
            return .failure(failure ?? RallyError.interrupted)
        }
    }
}
