/// The figures of a panel whose models were fitted in more than one configuration (global
/// models on the stacked rows, per-location models on each location): each location is scored
/// again by ``ConfigurationWork/score(_:outcomes:models:baseline:plan:threads:modelSeconds:)``,
/// the one scoring path, with every model's predictions for its test rows, so global and
/// per-location models meet in one table with paired differences on the same rows.
///
/// It reads predictions back; it fits nothing. Both fold layouts are the pipeline's: a scored
/// configuration's predictions are its folds' test rows, fold after fold; a stacked
/// configuration's are, within each fold, location after location.
enum PanelRescore {
    /// A per-location model's fold outcomes, read from its pooled predictions. Its importance
    /// and timings are the folds' sums and mean, kept on the first fold.
    static func outcomes(of model: ModelEvaluation, folds: [EvaluationFold]) -> [FitOutcome] {
        var start = 0
        return folds.enumerated().map { f, fold in
            defer { start += fold.test.count }
            return FitOutcome(predictions: Array(model.predictions[start..<(start + fold.test.count)]),
                              importance: f == 0 ? model.importance?.map { (feature: $0.feature, score: $0.gain) } : nil,
                              fitSeconds: f == 0 ? model.fitSeconds : 0, predictSeconds: f == 0 ? model.predictSeconds : 0)
        }
    }

    /// A global model's fold outcomes on location `k` of the stacked configuration.
    static func globalOutcomes(of model: ModelEvaluation, stacked: PreparedConfiguration, location k: Int) -> [FitOutcome] {
        var start = 0
        return stacked.folds.indices.map { f in
            let counts = stacked.parts.map { $0.folds[f].test.count }
            let from = start + counts[..<k].reduce(0, +)
            start += counts.reduce(0, +)
            return FitOutcome(predictions: Array(model.predictions[from..<(from + counts[k])]),
                              importance: f == 0 ? model.importance?.map { (feature: $0.feature, score: $0.gain) } : nil,
                              fitSeconds: 0, predictSeconds: 0)
        }
    }

    /// Scores every location with the per-location models of `local` (nil: none) and the global
    /// models of `stacked` (named with `suffix`), in that order; `wanted` names the baseline
    /// among the combined names (nil: the first). Training-row predictions are not kept.
    static func score(local: [ScoredConfiguration]?, stacked: PreparedConfiguration, global: ScoredConfiguration, suffix: String,
                      plan given: EvaluationPlan) throws -> (locations: [ScoredConfiguration], baseline: Int) {
        var plan = given
        plan.keepsTrainingPredictions = false   // predictions read back hold the test rows only
        let localModels = local?.first?.models ?? []
        let described = localModels.map(ModelDescription.init(evaluation:))
            + global.models.map { ModelDescription(name: $0.name + suffix, kind: $0.kind, parameters: $0.parameters) }
        let baseline = try ModelLineup.baseline(among: described.map(\.name), wanted: plan.baseline, command: "evaluate")
        let scored = try stacked.parts.enumerated().map { k, part in
            let mine = local?[k].models.map { outcomes(of: $0, folds: part.folds) } ?? []
            let theirs = global.models.map { globalOutcomes(of: $0, stacked: stacked, location: k) }
            return try ConfigurationWork.score(part, outcomes: mine + theirs, models: described, baseline: baseline, plan: plan,
                                               threads: plan.threads, modelSeconds: 0)
        }
        return (scored, baseline)
    }
}

extension ModelDescription {
    /// A model as a result names it.
    init(name: String, kind: String, parameters: ModelParameters) {
        self.name = name
        self.kind = kind
        self.parameters = parameters
    }

    /// The model of an evaluation.
    init(evaluation: ModelEvaluation) { self.init(name: evaluation.name, kind: evaluation.kind, parameters: evaluation.parameters) }
}
