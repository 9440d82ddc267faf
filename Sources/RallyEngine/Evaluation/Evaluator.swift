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
    /// with the panel row pooled over them (``PanelScores``).
    public func run(on dataset: Dataset, models: [any ModelFactory]) throws -> EvaluationResult {
        let started = Date()
        let configurations = plan.locations.isEmpty
            ? [SweepConfiguration(index: 0, values: [], labeler: plan.labeler)]
            : plan.locations.enumerated().map { SweepConfiguration(index: $0, values: [], labeler: plan.labeler, location: $1) }
        let pipeline = EvaluationPipeline(plan: plan, configurations: configurations, command: "evaluate")
        let names = models.map(\.name)
        let baseline = try pipeline.check(dataset: dataset, names: names)
        var scored: [Int: ScoredConfiguration] = [:]
        var listener = EvaluationPipeline.Listener()
        listener.prepared = { [progress] data in
            let at = "evaluate: " + (data.configuration.location.map { $0 + ": " } ?? "")
            progress(at + "\(dataset.count) rows, \(data.keptRows) kept (features and label defined), \(data.featureNames.count) features")
            progress(at + "fitting \(names.joined(separator: ", ")) on \(data.folds.count) fold\(data.folds.count == 1 ? "" : "s")")
        }
        listener.scored = { [progress, plan] result in
            let at = "evaluate: " + (result.configuration.location.map { $0 + ": " } ?? "")
            for model in result.models {
                progress(at + "\(model.name) fitted in \(Format.fixed(model.fitSeconds, digits: 3)) s")
            }
            if plan.bootstrap.resamples > 0 {
                progress(at + "bootstrap, \(plan.bootstrap.resamples) resamples of \(result.testRows.count) test rows in blocks of \(plan.bootstrap.block)")
            }
            for w in result.warnings { progress(at + "warning: \(w)") }
            scored[result.configuration.index] = result
        }
        try pipeline.run(on: dataset, models: models, baseline: baseline, listener: listener)
        let done = configurations.compactMap { scored[$0.index] }
        guard done.count == configurations.count else { throw RallyError.interrupted }
        guard !plan.locations.isEmpty else {
            return try Self.result(done[0], dataset: dataset, plan: plan, seconds: [("evaluate", Date().timeIntervalSince(started))])
        }
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
        var stages: [(String, Double)] = []
        for result in locations {
            for (stage, seconds) in result.seconds {
                if let k = stages.firstIndex(where: { $0.0 == stage }) { stages[k].1 += seconds } else { stages.append((stage, seconds)) }
            }
        }
        func stacked(_ values: (EvaluationResult) -> [Double]) -> [Double] { locations.flatMap(values) }
        return EvaluationResult(
            plan: plan, models: pooled.models, baseline: baseline, featureNames: locations[0].featureNames,
            datasetRows: dataset.count, keptRows: locations.reduce(0) { $0 + $1.keptRows },
            testTimes: pooled.rows.map { dataset.timestamps[$0] }, testLabels: pooled.labels,
            testSeries: stacked(\.testSeries), testThresholds: stacked(\.testThresholds),
            folds: [], bootstrapUsed: pooled.bootstrapUsed, bootstrapSkipped: pooled.bootstrapSkipped,
            dieboldMarianoLag: pooled.lag,
            warnings: zip(plan.locations, locations).flatMap { name, r in r.warnings.map { "\(name): \($0)" } } + pooled.warnings,
            seconds: stages + [("panel", panelSeconds), ("evaluate", Date().timeIntervalSince(started))],
            panel: PanelEvaluation(locations: plan.locations, results: locations, rowLocations: pooled.locationOfRow))
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
        result.predictiveAbility = try result.predictiveAbilityTests()
        if let reason = result.predictiveAbility?.undefinedReason { result.warnings.append(reason) }
        return result
    }
}
