/// One configuration of a sweep as its table and resume file keep it: one row of figures per
/// model (the figure columns of ``SweepColumns``) and its warnings, prefixed with its name.
struct SweepScoredConfiguration: Sendable {
    let configuration: SweepConfiguration
    var figures: [[Double]]
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

    /// The rally-episode columns a sweep adds on request (``SweepPlan/episodes``): the share of
    /// episodes caught and the false alarms per 30 days with their intervals, the median lead
    /// and the alarm hours per 30 days (``EpisodeTable``).
    static let episodeFigures = ["episodes_caught", "episodes_caught_lo", "episodes_caught_hi", "episodes_lead_median",
                                 "episodes_false_alarms_per_30d", "episodes_false_alarms_lo", "episodes_false_alarms_hi", "episodes_alarm_hours_per_30d"]

    /// The figures of `result` with the episode columns when `episodes` is given (`times`: the
    /// dataset's, indexed by the result's test rows).
    static func row(_ result: ScoredConfiguration, metric: Metric, episodes: EpisodeSettings?, times: [Int64],
                    bootstrap: BlockBootstrap) throws -> SweepScoredConfiguration {
        var row = self.row(result, metric: metric)
        guard let episodes else { return row }
        let table = try EpisodeTable.compute(times: result.testRows.map { times[$0] }, labels: result.testRows.map { result.labels.labels[$0] },
                                             models: result.models.map { ($0.name, $0.predictions) }, settings: episodes, bootstrap: bootstrap)
        let caught = EpisodeFigure.allCases.firstIndex(of: .caught)!, lead = EpisodeFigure.allCases.firstIndex(of: .leadMedian)!
        let falseAlarms = EpisodeFigure.allCases.firstIndex(of: .falseAlarms)!, hours = EpisodeFigure.allCases.firstIndex(of: .alarmHours)!
        for m in row.figures.indices {
            let v = table.values[m], i = table.intervals[m]
            row.figures[m] += [v[caught], i[caught].lower, i[caught].upper, v[lead], v[falseAlarms], i[falseAlarms].lower, i[falseAlarms].upper, v[hours]]
        }
        return row
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
