import Foundation

/// Runs an ``EvaluationPlan``: ``EvaluationPipeline`` with one configuration (the plan's
/// labeler), so an evaluation takes exactly the path each configuration of a sweep takes.
/// Labels and features once, then for every fold each model is made fresh, fitted on the
/// fold's training rows and asked for the test rows' probabilities; the pooled test
/// predictions are scored, bootstrapped (paired) and tested against the baseline.
///
/// Rows: a row is *kept* when every feature and its label are defined; a fold trains on the
/// kept rows its split lets train (the embargo keeps labels out of the test period) and tests
/// on the kept rows in its test period. Test periods of the folds must not overlap; their rows
/// are pooled in time order for the figures.
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

    /// Evaluates `models` on `dataset`: on the dataset as it is, or, when the plan names
    /// locations, on each of them (one configuration of the pipeline per location, run together)
    /// with the panel row pooled over them (``PanelScores``). Global training adds one stacked
    /// configuration (``PanelStack``) whose models are then scored per location (``PanelRescore``).
    public func run(on dataset: Dataset, models: [any ModelFactory]) throws -> EvaluationResult {
        let started = Date()
        guard plan.training == .perLocation || !plan.locations.isEmpty else {
            throw RallyError("evaluate: training = \"\(plan.training.rawValue)\" trains across locations: give locations = ... too", option: "training")
        }
        var configurations = plan.locations.isEmpty
            ? [SweepConfiguration(index: 0, values: [], labeler: plan.labeler)]
            : plan.locations.enumerated().map { SweepConfiguration(index: $0, values: [], labeler: plan.labeler, location: $1) }
        guard plan.training != .perLocation else {
            let (_, scored, baseline) = try collect(configurations, plan: plan, dataset: dataset, models: models)
            guard !plan.locations.isEmpty else {
                return try Self.result(scored[0], dataset: dataset, plan: plan, seconds: [("evaluate", Date().timeIntervalSince(started))])
            }
            return try panelResult(scored, baseline: baseline, dataset: dataset, started: started)
        }
        if plan.training == .global { configurations = [] }
        configurations.append(SweepConfiguration(index: configurations.count, values: [], labeler: plan.labeler, stacked: plan.locations))
        // the pipeline fits; every location is scored (and bootstrapped) once, afterwards
        // (a model fitted on stacked rows has no one location's training predictions: re-scored
        // locations keep none, so their value curves have no trained strategy)
        var fitting = plan
        fitting.bootstrap.resamples = 0
        fitting.baseline = nil
        fitting.keepsTrainingPredictions = false
        let (prepared, scored, _) = try collect(configurations, plan: fitting, dataset: dataset, models: models)
        var scoring = plan
        scoring.keepsTrainingPredictions = false
        let rescored = try PanelRescore.score(local: plan.training == .both ? Array(scored.dropLast()) : nil, stacked: prepared.last!,
                                              global: scored.last!, suffix: plan.training == .both ? "_global" : "", plan: scoring)
        return try panelResult(rescored.locations, baseline: rescored.baseline, dataset: dataset, started: started)
    }

    /// Runs `configurations` through the pipeline; returns their prepared data and scores, in
    /// order, and the baseline.
    private func collect(_ configurations: [SweepConfiguration], plan: EvaluationPlan, dataset: Dataset, models: [any ModelFactory])
        throws -> (prepared: [PreparedConfiguration], scored: [ScoredConfiguration], baseline: Int) {
        let pipeline = EvaluationPipeline(plan: plan, configurations: configurations, command: "evaluate")
        let names = models.map(\.name)
        let baseline = try pipeline.check(dataset: dataset, names: names)
        var prepared: [Int: PreparedConfiguration] = [:], scored: [Int: ScoredConfiguration] = [:]
        func at(_ c: SweepConfiguration) -> String {
            "evaluate: " + (c.location.map { $0 + ": " } ?? c.stacked.map { "global over \($0.count) locations: " } ?? "")
        }
        var listener = EvaluationPipeline.Listener()
        listener.prepared = { [progress] data in
            progress(at(data.configuration) + "\(dataset.count) rows, \(data.keptRows) kept (features and label defined), \(data.featureNames.count) features")
            progress(at(data.configuration) + "fitting \(names.joined(separator: ", ")) on \(data.folds.count) fold\(data.folds.count == 1 ? "" : "s")")
            prepared[data.configuration.index] = data
        }
        listener.scored = { [progress, plan] result in
            for model in result.models {
                progress(at(result.configuration) + "\(model.name) fitted in \(Format.fixed(model.fitSeconds, digits: 3)) s")
            }
            if plan.bootstrap.resamples > 0 {
                progress(at(result.configuration) + "bootstrap, \(plan.bootstrap.resamples) resamples of \(result.testRows.count) test rows in blocks of \(plan.bootstrap.block)")
            }
            for w in result.warnings { progress(at(result.configuration) + "warning: \(w)") }
            scored[result.configuration.index] = result
        }
        try pipeline.run(on: dataset, models: models, baseline: baseline, listener: listener)
        let done = configurations.compactMap { scored[$0.index] }
        guard done.count == configurations.count else { throw RallyError.interrupted }
        return (configurations.compactMap { prepared[$0.index] }, done, baseline)
    }

    /// The panel row over the scored locations (in ``EvaluationPlan/locations`` order), with
    /// each location's own result.
    private func panelResult(_ done: [ScoredConfiguration], baseline: Int, dataset: Dataset, started: Date) throws -> EvaluationResult {
        var single = plan
        single.locations = []
        let locations = try zip(plan.locations, done).map { name, s in
            try Self.result(s, dataset: try dataset.location(name), plan: single, seconds: [])
        }
        let t = Date()
        let pooled = try PanelScores(done, baseline: baseline, plan: plan, threads: plan.threads)
        if plan.bootstrap.resamples > 0 {
            progress("evaluate: panel bootstrap, \(plan.bootstrap.resamples) resamples of the \(pooled.rows.count) rows of \(locations.count) locations, the same time blocks for each")
        }
        for w in pooled.warnings { progress("evaluate: warning: \(w)") }
        let panelSeconds = Date().timeIntervalSince(t)
        let stages = PanelStack.summedByStage(locations.flatMap(\.seconds))
        var result = EvaluationResult(
            plan: plan, models: pooled.models, baseline: baseline, featureNames: locations[0].featureNames,
            datasetRows: dataset.count, keptRows: locations.reduce(0) { $0 + $1.keptRows },
            testTimes: pooled.rows.map { dataset.timestamps[$0] }, testLabels: pooled.labels,
            testSeries: locations.flatMap(\.testSeries), testThresholds: locations.flatMap(\.testThresholds),
            folds: [], bootstrapUsed: pooled.bootstrapUsed, bootstrapSkipped: pooled.bootstrapSkipped,
            dieboldMarianoLag: pooled.lag,
            warnings: zip(plan.locations, locations).flatMap { name, r in r.warnings.map { "\(name): \($0)" } } + pooled.warnings,
            seconds: stages + [("panel", panelSeconds), ("evaluate", Date().timeIntervalSince(started))],
            panel: PanelEvaluation(locations: plan.locations, results: locations, rowLocations: pooled.locationOfRow))
        result.zone = dataset.zone
        return result
    }

    /// The result of one scored configuration on `dataset` (the data it ran on: the whole
    /// dataset, or its location's).
    static func result(_ s: ScoredConfiguration, dataset: Dataset, plan: EvaluationPlan, seconds: [(String, Double)]) throws -> EvaluationResult {
        let labelled = dataset.column(named: plan.labeler.column)!
        var result = EvaluationResult(
            plan: plan, models: s.models, baseline: s.baseline, featureNames: s.featureNames,
            datasetRows: dataset.count, keptRows: s.keptRows, testTimes: s.testRows.map { dataset.timestamps[$0] },
            testLabels: s.testRows.map { s.labels.labels[$0] }, testSeries: s.testRows.map { labelled[$0] },
            testThresholds: s.testRows.map { s.labels.thresholds[$0] },
            folds: s.folds, bootstrapUsed: s.bootstrapUsed, bootstrapSkipped: s.bootstrapSkipped,
            dieboldMarianoLag: s.dieboldMarianoLag, warnings: s.warnings, seconds: s.seconds + seconds)
        result.zone = dataset.zone
        result.predictiveAbility = try result.predictiveAbilityTests()
        if let reason = result.predictiveAbility?.undefinedReason { result.warnings.append(reason) }
        return result
    }
}
