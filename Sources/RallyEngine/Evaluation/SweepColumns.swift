/// One configuration of a sweep as its table and resume file keep it: one row of figures per
/// model (the figure columns of ``SweepColumns``) and its warnings, prefixed with its name.
struct SweepScoredConfiguration: Sendable {
    let configuration: SweepConfiguration
    let figures: [[Double]]
    let warnings: [String]
}

/// The columns of a sweep's table after the key columns, and how a scored configuration fills them.
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

    /// The figures of `result` for headline metric `metric`, one row per model.
    static func row(_ result: ScoredConfiguration, metric: Metric) -> SweepScoredConfiguration {
        let rows = Double(result.testRows.count)
        let positives = result.testRows.reduce(0.0) { $0 + result.labels.labels[$1] }
        let figures = result.models.map { model -> [Double] in
            let interval = model.interval(metric)
            let difference = model.differences?[metric.index]
            return model.metrics.values + [
                interval.lower, interval.upper, difference?.value ?? .nan,
                difference?.interval.lower ?? .nan, difference?.interval.upper ?? .nan,
                model.dieboldMarianoBrier?.pValue ?? .nan, model.dieboldMarianoLogLoss?.pValue ?? .nan,
                model.dieboldMarianoBrier?.statistic ?? .nan, model.dieboldMarianoLogLoss?.statistic ?? .nan,
                rows, positives, positives / rows,
            ]
        }
        return SweepScoredConfiguration(configuration: result.configuration, figures: figures,
                                        warnings: result.warnings.map { "\(result.configuration.label): \($0)" })
    }
}
