import Foundation

/// The files an evaluation writes, and their exact shapes (a report renders from them, so
/// keep to these):
///
/// - `metrics.json` (stable key order; numbers in shortest round-trip form; null for NaN):
///   ```json
///   {
///     "baseline": "naive",
///     "models": ["naive", "logreg", "gbdt"],
///     "metrics": {"<model>": {"<metric>": {"value": x, "ci95": [lo, hi]}, ...}, ...},
///     "vs_baseline": {"<model>": {"<metric>_diff": {"value": d, "ci95": [lo, hi]}, ...,
///                                 "dm_brier_p": p, "dm_log_loss_p": p,
///                                 "dm_brier_statistic": z, "dm_log_loss_statistic": z}, ...},
///     (a statistic < 0: the model's loss is lower than the baseline's; p and z are null when
///     the test is undefined, with a line in "warnings" saying why)
///     "test": {"rows": n, "positives": k, "base_rate": r, "start": "2017-01-01 00:00", "end": "..."},
///     "folds": [{"test_start": ..., "test_end": ..., "train_rows": ..., "train_positives": ...,
///                "test_rows": ..., "test_positives": ..., "train_base_rate": ...,
///                "metrics": {"<model>": {"<metric>": x, ...}}, "warnings": [...]}, ...],
///     "bootstrap": {"block": 168, "resamples": 1000, "used": 1000, "skipped": 0, "seed": 7},
///     "diebold_mariano_lag": 23,
///     "giacomini_white": {"days": 722, "hours_per_day": 24, "rows_left_out": 0, ...,
///                         "brier": {"statistic": [[...]], "p": [[...]]}, "log_loss": {...}},
///     "multivariate_dm": {same shape} (both null with one model; see ``PredictiveAbilityTests``:
///     p[i][j] small says models[j] is more accurate than models[i]),
///     "warnings": [...]
///   }
///   ```
///   Metric keys, in order: roc_auc, pr_auc, brier, log_loss, precision_at_top, lift_at_top,
///   brier_skill, ece, brier_reliability, brier_resolution, brier_uncertainty (``Metric``).
///   `vs_baseline` lists every model but the baseline.
/// - `predictions.csv`: `ts,y,price,threshold,p_<model>...`, one row per test hour in time order;
///   `ts` as `YYYY-MM-DD HH:MM`, `price` the labelled series at t, `threshold` the labeler's.
/// - `benchmark_table.csv`: one row per model: `model,kind`, then for each metric
///   `<metric>,<metric>_lo,<metric>_hi`, then for each metric `<metric>_diff,<metric>_diff_lo,<metric>_diff_hi`
///   (model − baseline, paired bootstrap interval; empty for the baseline), then `dm_brier_p,dm_log_loss_p`
///   and `dm_brier_statistic,dm_log_loss_statistic` (the signed Diebold–Mariano statistics:
///   negative = the model's loss is lower than the baseline's; all four empty for the baseline
///   and for an undefined test, see ``DieboldMariano``).
/// - `importance.csv`: `model,feature,gain` for models that rank features (gbdt: XGBoost gain,
///   averaged over folds); only the header when none does.
/// - `run.json`: see ``RunRecord``.
///
/// All but `run.json` are pure functions of the result, so two runs of the same recipe write
/// byte-identical files; `run.json` differs only in its `seconds`.
public struct EvaluationArtifacts: Sendable {
    /// The options of `res:write(dir, options)`.
    public static let writeOptions = OptionSchema("write", summary: "res:write(dir [, options]) -- writes the run's artifacts into dir.", [
        OptionDeclaration("recipe", .nonEmptyText, default: .string("rally.evaluate"), doc: "the recipe's name in run.json"),
        OptionDeclaration("seconds", kind: .table("{stage = seconds, ...}"), doc: "seconds per stage the recipe measured (e.g. the load), recorded in run.json"),
    ])

    /// The result rendered.
    public let result: EvaluationResult

    /// Creates the artifacts of `result`.
    public init(_ result: EvaluationResult) { self.result = result }

    /// The file names, in the order ``write(to:run:)`` writes them.
    public static let fileNames = ["metrics.json", "predictions.csv", "benchmark_table.csv", "importance.csv", "run.json"]

    private static func valueAndInterval(_ value: Double, _ interval: Interval) -> JSONValue {
        .object([("value", .finite(value)), ("ci95", .array([.finite(interval.lower), .finite(interval.upper)]))])
    }

    /// The `metrics.json` document.
    public func metricsJSON() -> JSONValue {
        let r = result
        let metrics: [(String, JSONValue)] = r.models.map { m in
            (m.name, .object(Metric.allCases.map { ($0.rawValue, Self.valueAndInterval(m.metrics[$0], m.interval($0))) }))
        }
        var versus: [(String, JSONValue)] = []
        for m in r.models {
            guard let differences = m.differences else { continue }
            var fields: [(String, JSONValue)] = Metric.allCases.map { metric in
                let d = differences[metric.index]
                return (metric.rawValue + "_diff", Self.valueAndInterval(d.value, d.interval))
            }
            fields.append(("dm_brier_p", .finite(m.dieboldMarianoBrier?.pValue ?? .nan)))
            fields.append(("dm_log_loss_p", .finite(m.dieboldMarianoLogLoss?.pValue ?? .nan)))
            fields.append(("dm_brier_statistic", .finite(m.dieboldMarianoBrier?.statistic ?? .nan)))
            fields.append(("dm_log_loss_statistic", .finite(m.dieboldMarianoLogLoss?.statistic ?? .nan)))
            versus.append((m.name, .object(fields)))
        }
        let test: JSONValue = .object([
            ("rows", .integer(r.testTimes.count)), ("positives", .integer(r.testPositives)),
            ("base_rate", .finite(r.testBaseRate)),
            ("start", r.testTimes.first.map { .string(r.zone.format($0)) } ?? .null),
            ("end", r.testTimes.last.map { .string(r.zone.format($0)) } ?? .null),
        ])
        let folds = foldsJSON()
        let b = r.plan.bootstrap
        let bootstrap: JSONValue = .object([
            ("block", .integer(b.block)), ("resamples", .integer(b.resamples)), ("used", .integer(r.bootstrapUsed)),
            ("skipped", .integer(r.bootstrapSkipped)), ("seed", Self.seed(b.seed)),
        ])
        return .object(panelJSON() + [
            ("baseline", .string(r.models[r.baseline].name)),
            ("models", .array(r.models.map { .string($0.name) })),
            ("metrics", .object(metrics)),
            ("vs_baseline", .object(versus)),
            ("test", test),
            ("folds", folds),
            ("bootstrap", bootstrap),
            ("diebold_mariano_lag", .integer(r.dieboldMarianoLag)),
            ("giacomini_white", r.predictiveAbility?.giacominiWhiteJSON ?? .null),
            ("multivariate_dm", r.predictiveAbility?.multivariateDieboldMarianoJSON ?? .null),
            ("warnings", .array(r.warnings.map(JSONValue.string))),
        ] + r.decisionSections())
    }

    static func seed(_ s: UInt64) -> JSONValue { s <= UInt64(Int.max) ? .integer(Int(s)) : .string(String(s)) }

    /// The `predictions.csv` table.
    public func predictionsCSV() -> CSVTable {
        let r = result
        var table = CSVTable(header: (r.panel == nil ? [] : ["location"]) + ["ts", "y", "price", "threshold"] + r.models.map { "p_" + $0.name },
                             expectedRows: r.testTimes.count)
        let predictions = r.models.map(\.predictions)   // not a copy of each model's record per row
        for i in r.testTimes.indices {
            if let panel = r.panel { table.field(panel.location(ofRow: i)) }
            table.field(r.zone.format(r.testTimes[i]))
            table.number(r.testLabels[i])
            table.number(r.testSeries[i])
            table.number(r.testThresholds[i])
            for p in predictions { table.number(p[i]) }
            table.endRow()
        }
        return table
    }

    /// The `benchmark_table.csv` table.
    public func benchmarkTableCSV() -> CSVTable {
        var header = (result.panel == nil ? [] : ["location"]) + ["model", "kind"]
        for metric in Metric.allCases { header += [metric.rawValue, metric.rawValue + "_lo", metric.rawValue + "_hi"] }
        for metric in Metric.allCases { header += [metric.rawValue + "_diff", metric.rawValue + "_diff_lo", metric.rawValue + "_diff_hi"] }
        header += ["dm_brier_p", "dm_log_loss_p", "dm_brier_statistic", "dm_log_loss_statistic"]
        var table = CSVTable(header: header)
        for (location, m) in tableRows {
            var row = (location.map { [$0] } ?? []) + [m.name, m.kind]
            for metric in Metric.allCases {
                let ci = m.interval(metric)
                row += [m.metrics[metric], ci.lower, ci.upper].map(CSVTable.number)
            }
            for metric in Metric.allCases {
                if let d = m.differences?[metric.index] {
                    row += [d.value, d.interval.lower, d.interval.upper].map(CSVTable.number)
                } else {
                    row += ["", "", ""]
                }
            }
            let tests = [m.dieboldMarianoBrier, m.dieboldMarianoLogLoss]
            row += tests.map { $0.map { CSVTable.number($0.pValue) } ?? "" }
            row += tests.map { $0.map { CSVTable.number($0.statistic) } ?? "" }
            table.append(row)
        }
        return table
    }

    /// The `importance.csv` table.
    public func importanceCSV() -> CSVTable {
        var table = CSVTable(header: ["model", "feature", "gain"])
        for m in result.models {
            for entry in m.importance ?? [] { table.append([m.name, entry.feature, CSVTable.number(entry.gain)]) }
        }
        return table
    }

    /// The folds as metrics.json holds them: test period, rows and rallies, training base rate,
    /// each model's figures on the fold, and its warnings.
    public func foldsJSON() -> JSONValue {
        let r = result
        return .array(r.folds.map { f in
            let foldMetrics: [(String, JSONValue)] = zip(r.models, f.metrics).map { m, v in
                (m.name, .object(Metric.allCases.map { ($0.rawValue, .finite(v[$0])) }))
            }
            return .object([
                ("test_start", .string(f.split.text(.testStart)!)),
                ("test_end", f.split.text(.testEnd).map { .string($0) } ?? .null),
                ("train_rows", .integer(f.trainRows)), ("train_positives", .integer(f.trainPositives)),
                ("test_rows", .integer(f.testRows)), ("test_positives", .integer(f.testPositives)),
                ("train_base_rate", .finite(f.trainBaseRate)),
                ("metrics", .object(foldMetrics)),
                ("warnings", .array(f.warnings.map(JSONValue.string))),
            ])
        })
    }

    /// Every parameter of the run, for `run.json`: features, labeler, schedule, models,
    /// bootstrap, metric settings, baseline, Diebold–Mariano lag, guard, threads.
    public func parametersJSON() -> JSONValue {
        let p = result.plan
        let features: JSONValue = .object([
            ("horizon", p.features.horizon.json),
            ("columns", .array(p.features.features.map { .object([("name", .string($0.name)), ("definition", .string($0.definition))]) })),
        ])
        let models: [JSONValue] = result.models.map { m in
            .object([("name", .string(m.name)), ("kind", .string(m.kind)), ("parameters", Self.json(m.parameters))])
        }
        return .object([
            ("features", features),
            ("labeler", .object([("kind", .string(p.labeler.kind))] + Self.fields(p.labeler.parameters))),
            ("schedule", p.schedule.json),
            ("models", .array(models)),
            ("baseline", .string(result.models[result.baseline].name)),
            ("bootstrap", .object([("block", .integer(p.bootstrap.block)), ("resamples", .integer(p.bootstrap.resamples)),
                                   ("seed", Self.seed(p.bootstrap.seed))])),
            ("metrics", .object([("top", .number(p.metrics.top)), ("calibration_bins", .integer(p.metrics.calibrationBins)),
                                 ("log_loss_clip", .number(p.metrics.logLossClip))])),
            ("diebold_mariano_lag", .integer(result.dieboldMarianoLag)),
            ("minimum_positives", .integer(p.minimumPositives)),
            ("threads", .integer(p.threads)),
        ] + panelParameters())
    }

    /// Model or labeler parameters as a JSON object (whole numbers as integers).
    static func json(_ parameters: ModelParameters) -> JSONValue { .object(fields(parameters)) }

    static func fields(_ parameters: ModelParameters) -> [(String, JSONValue)] {
        parameters.map { entry in
            let value: JSONValue
            switch entry.value {
            case .number(let x): value = x == x.rounded() && abs(x) < 1e15 ? .integer(Int(x)) : .finite(x)
            case .string(let s): value = .string(s)
            case .bool(let b): value = .bool(b)
            }
            return (entry.name, value)
        }
    }

    /// Writes every file into `directory` (created when missing), each atomically; `run.json`
    /// last, built by `run` from the seconds the other files took. Returns the paths written.
    @discardableResult
    public func write(to directory: String, run: (_ writeSeconds: Double) throws -> RunRecord) throws -> [String] {
        let started = Date()
        let base = URL(fileURLWithPath: directory)
        func path(_ name: String) -> String { base.appendingPathComponent(name).path }
        // the predictions (a row per test hour, the largest file) are rendered and written while
        // metrics.json's figures are made
        let artifacts = self, predictionsPath = path("predictions.csv")
        let predictions = BackgroundResult { try AtomicFile.write(artifacts.predictionsCSV().text(), to: predictionsPath) }
        let texts = [("metrics.json", metricsJSON().text()), ("benchmark_table.csv", benchmarkTableCSV().text()),
                     ("importance.csv", importanceCSV().text())]
        do {
            for (name, text) in texts { try AtomicFile.write(text, to: path(name)) }
        } catch {
            _ = try? predictions.value()  // nothing writes into the directory once this returns
            throw error
        }
        try predictions.value()
        try AtomicFile.write(try run(Date().timeIntervalSince(started)).json().text(), to: path("run.json"))
        return Self.fileNames.map(path)
    }
}

extension EvaluationArtifacts {
    /// Writes every file into `directory` with the `run.json` of this run: the recipe's name,
    /// where the data came from (`report`, `rows`), the stages the caller timed before the
    /// evaluation (`given`, e.g. the load) and the versions of the host (e.g. the Lua release).
    @discardableResult
    public func write(to directory: String, recipe: String, data report: LoadReport, rows: Int,
                      given: [(String, Double)], hostVersions: [(String, String)]) throws -> [String] {
        let r = result
        // the data file's SHA-256 takes a while: it is computed while the other files are rendered
        let source = BackgroundResult { try RunRecord.DataSource.of(report: report, rows: rows) }
        // asking XGBoost its version loads the library (a few ms) when no fit needed it
        let xgboost = BackgroundResult { BuildInfo.xgboostVersion }
        let commit = GitRevision.commit()
        return try write(to: directory) { writeSeconds in
            var seconds = given + r.seconds
            seconds += r.models.map { ("fit_" + $0.name, $0.fitSeconds) }
            seconds.append(("write", writeSeconds))
            let total = given.reduce(0) { $0 + $1.1 } + (r.seconds.last { $0.0 == "evaluate" }?.1 ?? 0) + writeSeconds
            seconds.append(("total", total))
            let versions = [("rally", BuildInfo.rallyVersion), ("swift", BuildInfo.swiftVersion), ("target_cpu", BuildInfo.targetCPU)] + hostVersions
                + [("xgboost", try xgboost.value())]
            return RunRecord(recipe: recipe, data: try source.value(), rowsKept: r.keptRows, rowsTrain: r.trainRows, rowsTest: r.testTimes.count,
                             split: r.plan.schedule.json, parameters: parametersJSON(), seed: r.plan.bootstrap.seed,
                             versions: versions, gitCommit: commit, seconds: seconds, warnings: r.warnings)
        }
    }
}

extension RunRecord.DataSource {
    /// The provenance of a dataset of `rows` rows loaded as `report` says: when the report
    /// names a file that exists, that path and its SHA-256; otherwise (generated data) no path,
    /// `synthetic` true.
    public static func of(report: LoadReport, rows: Int) throws -> RunRecord.DataSource {
        let source = report.source
        var isDirectory: ObjCBool = false
        let isFile = !source.isEmpty && FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) && !isDirectory.boolValue
        return RunRecord.DataSource(path: isFile ? source : nil, sha256: isFile ? try SHA256.hex(file: source) : nil,
                                    synthetic: !isFile, source: source, rows: rows, notes: report.notes)
    }
}
