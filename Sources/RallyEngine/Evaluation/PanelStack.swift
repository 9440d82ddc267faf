/// How the models of a panel are trained.
public enum PanelTraining: String, Sendable, CaseIterable {
    /// One model per location, fitted on that location's rows (the default).
    case perLocation = "per_location"
    /// One model per fold fitted on the stacked training rows of every location (a global
    /// model, as mlforecast or Darts fit one), predicting each location's test rows.
    case global
    /// Both, side by side: each model per location as given and globally as `<name>_global`.
    case both
}

/// The stacked configuration of a global model: each location prepared on its own (labels,
/// features, folds, exactly as a per-location configuration), then their rows stacked location
/// after location into one feature matrix, one label series and one set of folds (fold f trains
/// on every location's training rows of fold f and tests every location's test rows of fold f).
/// With ``EvaluationPlan/locationFeature`` the matrix gains one 0/1 column per location.
///
/// It only arranges rows: the fits are the pipeline's, and the figures are scored per location
/// afterwards (``PanelRescore``). It is not a new dataset: times repeat across locations.
enum PanelStack {
    static func prepare(_ configuration: SweepConfiguration, plan: EvaluationPlan, dataset: Dataset,
                        command: String) throws -> PreparedConfiguration {
        let names = configuration.stacked ?? []
        let parts = try names.map { name in
            var single = configuration
            single.stacked = nil
            single.location = name
            return try ConfigurationWork.prepare(single, plan: plan, dataset: dataset, command: command)
        }
        guard let first = parts.first else { throw RallyError("\(command): a global model needs at least one location") }
        var offsets: [Int] = [], rows = 0
        for part in parts {
            offsets.append(rows)
            rows += part.labels.labels.count
        }
        let matrices = parts.map { $0.folds[0].features }
        var columns = first.featureNames.indices.map { j in matrices.flatMap { $0.columns[j] } }
        var featureNames = first.featureNames
        if plan.locationFeature {
            for (k, name) in names.enumerated() {
                featureNames.append("location=\(name)")
                columns.append(parts.indices.flatMap { [Double](repeating: $0 == k ? 1 : 0, count: parts[$0].labels.labels.count) })
            }
        }
        let features = FeatureMatrix(names: featureNames, timestamps: matrices.flatMap(\.timestamps), columns: columns)
        let labels = LabelSeries(labels: parts.flatMap(\.labels.labels), thresholds: parts.flatMap(\.labels.thresholds),
                                 horizon: first.labels.horizon)
        let folds = first.folds.indices.map { f in
            EvaluationFold(index: f, split: first.folds[f].split,
                           train: parts.indices.flatMap { k in parts[k].folds[f].train.map { $0 + offsets[k] } },
                           test: parts.indices.flatMap { k in parts[k].folds[f].test.map { $0 + offsets[k] } },
                           trainY: parts.flatMap { $0.folds[f].trainY }, features: features)
        }
        var prepared = PreparedConfiguration(configuration: configuration, labels: labels, featureNames: featureNames,
                                             keptRows: parts.reduce(0) { $0 + $1.keptRows }, folds: folds, horizonMismatch: first.horizonMismatch,
                                             seconds: summedByStage(parts.flatMap(\.seconds)))
        prepared.parts = parts
        return prepared
    }

    /// Seconds per stage summed over locations, stages in the order they first appear.
    static func summedByStage(_ seconds: [(String, Double)]) -> [(String, Double)] {
        var out: [(String, Double)] = []
        for (stage, s) in seconds {
            if let k = out.firstIndex(where: { $0.0 == stage }) { out[k].1 += s } else { out.append((stage, s)) }
        }
        return out
    }
}
