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

    /// Evaluates `models` on `dataset`.
    public func run(on dataset: Dataset, models: [any ModelFactory]) throws -> EvaluationResult {
        let started = Date()
        let configuration = SweepConfiguration(index: 0, values: [], labeler: plan.labeler)
        let pipeline = EvaluationPipeline(plan: plan, configurations: [configuration], command: "evaluate")
        let names = models.map(\.name)
        let baseline = try pipeline.check(dataset: dataset, names: names)
        var scored: ScoredConfiguration?
        var listener = EvaluationPipeline.Listener()
        listener.prepared = { [progress] data in
            progress("evaluate: \(dataset.count) rows, \(data.keptRows) kept (features and label defined), \(data.featureNames.count) features")
            progress("evaluate: fitting \(names.joined(separator: ", ")) on \(data.folds.count) fold\(data.folds.count == 1 ? "" : "s")")
        }
        listener.scored = { [progress, plan] result in
            for model in result.models {
                progress("evaluate: \(model.name) fitted in \(Format.fixed(model.fitSeconds, digits: 3)) s")
            }
            if plan.bootstrap.resamples > 0 {
                progress("evaluate: bootstrap, \(plan.bootstrap.resamples) resamples of \(result.testRows.count) test rows in blocks of \(plan.bootstrap.block)")
            }
            for w in result.warnings { progress("evaluate: warning: \(w)") }
            scored = result
        }
        try pipeline.run(on: dataset, models: models, baseline: baseline, listener: listener)
        guard let s = scored else { throw RallyError.interrupted }
        let labelled = dataset.column(named: plan.labeler.column)!
        var result = EvaluationResult(
            plan: plan, models: s.models, baseline: s.baseline, featureNames: s.featureNames,
            datasetRows: dataset.count, keptRows: s.keptRows, testTimes: s.testRows.map { dataset.timestamps[$0] },
            testLabels: s.testRows.map { s.labels.labels[$0] }, testSeries: s.testRows.map { labelled[$0] },
            testThresholds: s.testRows.map { s.labels.thresholds[$0] },
            folds: s.folds, bootstrapUsed: s.bootstrapUsed, bootstrapSkipped: s.bootstrapSkipped,
            dieboldMarianoLag: s.dieboldMarianoLag, warnings: s.warnings,
            seconds: s.seconds + [("evaluate", Date().timeIntervalSince(started))])
        result.predictiveAbility = try result.predictiveAbilityTests()
        if let reason = result.predictiveAbility?.undefinedReason { result.warnings.append(reason) }
        return result
    }
}
