import CLua
import Foundation

/// The Swift object behind a Lua `Result`: an evaluation's result and where its data came from.
public final class ResultObject {
    /// The result.
    public let result: EvaluationResult
    /// The evaluated dataset's load report and row count (for `run.json`).
    let dataReport: LoadReport
    let dataRows: Int

    init(_ result: EvaluationResult, dataReport: LoadReport, dataRows: Int) {
        self.result = result
        self.dataReport = dataReport
        self.dataRows = dataRows
    }
}

/// The Lua face of the evaluation: `rally.evaluate{...}`, the `Result` class,
/// `rally.metrics(y, p)` and `rally.clock()`.
enum EvaluationBindings {
    /// Class name of results in Lua.
    static let resultClass = "Result"

    static func install(_ rally: LuaModule) {
        rally.register(resultLuaClass())
        rally.function("evaluate", schema: EntryPointOptions.evaluate) { L in try evaluate(L) }
        rally.function("metrics", schema: EntryPointOptions.metrics) { L in try metrics(L) }
        rally.function("clock", doc: """
        rally.clock() -- seconds on a monotonic wall clock (for timing stages of a recipe: t = rally.clock() ... rally.clock() - t).
        """) { L in
            L.push(Double(DispatchTime.now().uptimeNanoseconds) / 1e9)
            return 1
        }
    }

    // MARK: rally.evaluate

    private static func evaluate(_ L: LuaState) throws -> Int32 {
        let args = LuaArgs(L, "evaluate")
        if args.isNil(1) { throw args.typeError(1, expected: "table") }
        let o = try args.options(1)
        let values = try o.decode(EntryPointOptions.evaluate)
        let (data, features, labeler) = try readInputs(o)
        let schedule = try readSchedule(o, L)
        let models = try modelList(o, L)
        let quiet = values.bool("quiet")!
        var plan = EvaluationPlan(values, features: features, labeler: labeler, schedule: schedule, defaultThreads: 2)
        if let keys = try o.strings("locations") { plan.locations = try o.attributing { try data.panelLocations(keys) } }
        plan.training = PanelTraining(rawValue: values.string("training")!)!
        plan.locationFeature = values.bool("location_feature")!
        let evaluator = Evaluator(plan: plan, progress: ProgressLines.standardError(quiet: quiet))
        let result = try evaluator.run(on: data, models: models)
        LuaObjects.push(L, ResultObject(result, dataReport: data.report, dataRows: data.count), resultClass)
        return 1
    }

    /// Field `key` as a list of Splits (nil when absent).
    /// Fields `data`, `features` and `labeler`, required by `rally.evaluate` and `rally.sweep`.
    static func readInputs(_ o: LuaOptions) throws -> (Dataset, FeatureSpec, Labeler) {
        guard let data = try o.object("data", DataBindings.datasetClass, as: DatasetObject.self)?.dataset else {
            throw o.error("data", "Dataset expected, got nil")
        }
        guard let features = try o.object("features", FeatureBindings.specClass, as: FeatureSpecObject.self)?.spec else {
            throw o.error("features", "FeatureSpec expected, got nil (e.g. rally.features.protocol_v1())")
        }
        guard let labeler = try o.object("labeler", LabelBindings.labelerClass, as: LabelerObject.self)?.labeler else {
            throw o.error("labeler", "Labeler expected, got nil (e.g. rally.labeler.quantile{...})")
        }
        return (data, features, labeler)
    }

    /// Field `split` (one Split) or `walkforward` (a list of Splits), exactly one of them.
    static func readSchedule(_ o: LuaOptions, _ L: LuaState) throws -> EvaluationSchedule {
        let split = try o.with("split") { present -> TimeSplit? in
            guard present else { return nil }
            guard L.type(-1) != LUA_TTABLE else {
                throw o.error("split", "Split expected, got a table (a list of Splits, as rally.walkforward makes, goes in walkforward = ...)")
            }
            return try LuaObjects.object(L, -1, DataBindings.splitClass, as: SplitObject.self) {
                o.error("split", "Split expected, got \(L.typeName(-1))")
            }.split
        }
        let folds = try o.objects("walkforward", DataBindings.splitClass, as: SplitObject.self, example: " (rally.walkforward{...})")?.map(\.split)
        switch (split, folds) {
        case (let s?, nil): return .split(s)
        case (nil, let f?): return .folds(f)
        case (nil, nil): throw o.error("split", "Split expected, got nil (give split = rally.split{...} or walkforward = rally.walkforward{...})")
        case (.some, .some): throw o.error("walkforward", "give split or walkforward, not both")
        }
    }

    /// Field `models` as model factories (one Model or a non-empty list of them), for
    /// `rally.evaluate` and `rally.sweep`.
    static func modelList(_ o: LuaOptions, _ L: LuaState) throws -> [any ModelFactory] {
        guard let models = try o.objects("models", ModelBindings.className, as: ModelObject.self) else {
            throw o.error("models", "list of Models expected, got nil (e.g. {rally.model.naive(), rally.model.logreg{}})")
        }
        return models.map { $0.factory(L) }
    }

    // MARK: rally.metrics

    private static func metrics(_ L: LuaState) throws -> Int32 {
        let args = LuaArgs(L, "metrics")
        let y = try args.numbers(1)
        let p = try args.numbers(2)
        let options = try args.options(3).decode(EntryPointOptions.metrics)
        let values = options
        let threshold = values.number("threshold")!
        let climatology = values.number("climatology")
        guard !y.isEmpty else { throw args.error(1, "outcomes expected, got none") }
        if let i = y.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw args.error(1, "outcome at index \(i + 1) is \(Format.number(y[i])), expected 0 or 1")
        }
        guard p.count == y.count else { throw args.error(2, "\(y.count) probabilities expected (one per outcome), got \(p.count)") }
        if let i = p.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw args.error(2, "probability at index \(i + 1) is \(Format.number(p[i])), expected a number in [0, 1]")
        }
        let settings = MetricSettings(values)
        do {
            let reference = climatology.map { [Double](repeating: $0, count: y.count) }
            let values = try ForecastScorer(labels: y, probabilities: p, climatology: reference, settings: settings).score()
            let called = try BinaryMetrics.atThreshold(labels: y, probabilities: p, threshold: threshold)
            let curve = try BinaryMetrics.reliabilityCurve(labels: y, probabilities: p, bins: settings.calibrationBins)
            L.newTable(record: Metric.allCases.count + 5)
            for metric in Metric.allCases {
                L.push(values[metric], nanAsNil: true)
                L.rawSet(-2, metric.rawValue)
            }
            L.push(called.precision); L.rawSet(-2, "precision")
            L.push(called.recall); L.rawSet(-2, "recall")
            L.push(called.f1); L.rawSet(-2, "f1")
            L.newTable(array: curve.count)
            for (i, bin) in curve.enumerated() {
                L.newTable(record: 5)
                L.push(bin.lower); L.rawSet(-2, "lower")
                L.push(bin.upper); L.rawSet(-2, "upper")
                L.push(bin.count); L.rawSet(-2, "count")
                L.push(bin.meanProbability); L.rawSet(-2, "mean_p")
                L.push(bin.observedRate); L.rawSet(-2, "observed")
                L.rawSet(-2, index: i + 1)
            }
            L.rawSet(-2, "curve")
            push(L, try EpisodeTable.hourly(labels: y, probabilities: p, settings: EpisodeSettings(options)))
            L.rawSet(-2, "episodes")
            return 1
        } catch let error as RallyError where error != .interrupted {
            // the arguments were checked above; what the scorer still refuses is about y and p together
            throw args.error(1, error.message)
        }
    }

    // MARK: the Result class

    /// Pushes a JSON value as Lua values: objects as tables, arrays as sequences, null as nil.
    static func push(_ L: LuaState, _ value: JSONValue) {
        switch value {
        case .null: L.pushNil()
        case .bool(let b): L.push(b)
        case .integer(let i): L.push(i)
        case .number(let x): L.push(x, nanAsNil: true)
        case .string(let s): L.push(s)
        case .array(let items):
            L.newTable(array: items.count)
            for (i, item) in items.enumerated() {
                push(L, item)
                L.rawSet(-2, index: i + 1)
            }
        case .object(let fields):
            L.newTable(record: fields.count)
            for (key, item) in fields {
                push(L, item)
                L.rawSet(-2, key)
            }
        }
    }

    static func resultLuaClass() -> LuaClass<ResultObject> {
        var cls = LuaClass<ResultObject>(resultClass, doc: """
        Result -- what rally.evaluate returns: res:table(), res:metrics(), res:predictions(), res:folds(), res:best([metric]), res:write(dir),
        res:events() (rally episodes), res:value() (economic value curves); for a panel of locations res:locations() and res:location(name).
        Fields: res.models (names), res.baseline, res.rows (test rows), res.positives, res.warnings.
        """)
        cls.tostring = { object in
            let r = object.result
            let best = r.best(.prAUC).map { ", best PR-AUC \($0.name) \(Format.fixed($0.metrics[.prAUC], digits: 3))" } ?? ""
            return "<Result \(r.models.map(\.name).joined(separator: ", ")) on \(r.testTimes.count) test rows (\(r.testPositives) rallies), \(r.folds.count) fold\(r.folds.count == 1 ? "" : "s")\(best)>"
        }
        cls.length = { $0.result.testTimes.count }
        cls.index = { object, L in
            let r = object.result
            switch L.string(2) {
            case "models": L.push(strings: r.models.map(\.name))
            case "baseline": L.push(r.models[r.baseline].name)
            case "rows": L.push(r.testTimes.count)
            case "positives": L.push(r.testPositives)
            case "warnings": L.push(strings: r.warnings)
            default: return 0
            }
            return 1
        }
        cls.method("table", doc: """
        res:table() -- the comparison table as a string: each model's metrics with the PR-AUC interval, its PR-AUC gain over the baseline
        with the paired interval, and Diebold-Mariano p-values (Brier, log loss) against the baseline; warnings below.
        """) { object, L in
            L.push(ComparisonTable(object.result).text)
            return 1
        }
        cls.method("metrics", doc: """
        res:metrics() -- the contents of metrics.json as a Lua table: baseline, models, metrics[model][metric] = {value =, ci95 = {lo, hi}},
        vs_baseline[model] = {<metric>_diff = {value =, ci95 =}, dm_brier_p =, dm_log_loss_p =}, test, folds, bootstrap.
        """) { object, L in
            push(L, EvaluationArtifacts(object.result).metricsJSON())
            return 1
        }
        cls.method("predictions", doc: """
        res:predictions() -- the test rows as columns: ts (strings "YYYY-MM-DD HH:MM"), time (Vector of seconds), y, price, threshold,
        and p_<model> for each model (Vectors), as in predictions.csv.
        """) { object, L in
            let r = object.result
            L.newTable(record: 5 + r.models.count)
            L.push(strings: r.testTimes.map(TimeStamp.format)); L.rawSet(-2, "ts")
            LuaVector.push(L, r.testTimes.map(Double.init), name: "time"); L.rawSet(-2, "time")
            LuaVector.push(L, r.testLabels, name: "y"); L.rawSet(-2, "y")
            LuaVector.push(L, r.testSeries, name: "price"); L.rawSet(-2, "price")
            LuaVector.push(L, r.testThresholds, name: "threshold"); L.rawSet(-2, "threshold")
            for m in r.models {
                LuaVector.push(L, m.predictions, name: "p_" + m.name)
                L.rawSet(-2, "p_" + m.name)
            }
            return 1
        }
        cls.method("folds", doc: """
        res:folds() -- one table per fold: test_start, test_end, train_rows, train_positives, test_rows, test_positives, train_base_rate,
        metrics[model][metric] (the fold's own figures) and warnings (folds resting on fewer than min_positives rallies).
        """) { object, L in
            push(L, EvaluationArtifacts(object.result).foldsJSON())
            return 1
        }
        cls.method("best", doc: """
        res:best([metric]) -- the name of the model with the best value of metric (default "pr_auc"; lowest for losses), and that value.
        """) { object, L in
            let args = LuaArgs(L, "best", method: true)
            let key = try args.optionalString(1) ?? "pr_auc"
            guard let metric = Metric(key: key) else {
                throw args.error(1, "unknown metric '\(key)'; valid metrics: \(Metric.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let best = object.result.best(metric) else { L.pushNil(); return 1 }
            L.push(best.name)
            L.push(best.metrics[metric])
            return 2
        }
        cls.method("write", doc: """
        res:write(dir [, {recipe = "name", seconds = {load = s, ...}}]) -- writes metrics.json, predictions.csv, benchmark_table.csv,
        importance.csv and run.json into dir (created if missing), each atomically. run.json records the data path and sha256, rows,
        split, parameters, seed, versions, git commit and seconds per stage (given ones first, e.g. the load). Returns the paths.
        """) { object, L in
            let args = LuaArgs(L, "write", method: true)
            let directory = try args.string(1)
            let o = try args.options(2)
            let recipe = try o.string("recipe") ?? "rally.evaluate"
            let given = try stageSeconds(o, L)
            try o.finish()
            let paths = try EvaluationArtifacts(object.result).write(
                to: directory, recipe: recipe, data: object.dataReport, rows: object.dataRows, given: given,
                hostVersions: [("lua", RallyLua.luaVersion)])
            L.push(strings: paths)
            return 1
        }
        DecisionBindings.addResultMethods(&cls)
        cls.method("locations", doc: "res:locations() -- a panel's locations, in the order evaluated (an empty list for one series).") { object, L in
            L.push(strings: object.result.panel?.locations ?? [])
            return 1
        }
        cls.method("location", doc: "res:location(name) -- one location's own Result in a panel (what rally.evaluate gives on ds:location(name)).") { object, L in
            let args = LuaArgs(L, "location", method: true)
            guard let panel = object.result.panel else { throw args.error(1, "this result is of one series, not a panel of locations") }
            LuaObjects.push(L, ResultObject(try panel.result(try args.string(1)), dataReport: object.dataReport, dataRows: object.dataRows), resultClass)
            return 1
        }
        return cls
    }

    /// Field `seconds` of `res:write`'s options: stage name → seconds, in name order.
    private static func stageSeconds(_ o: LuaOptions, _ L: LuaState) throws -> [(String, Double)] {
        try o.with("seconds") { present in
            guard present else { return [] }
            guard L.type(-1) == LUA_TTABLE else { throw o.error("seconds", "table expected, got \(L.typeName(-1))") }
            var out: [(String, Double)] = []
            try L.forEach(-1) {
                guard let key = L.string(-2), let value = L.number(-1) else {
                    throw o.error("seconds", "stage names (strings) with seconds (numbers) expected")
                }
                out.append((key, value))
            }
            return out.sorted { $0.0 < $1.0 }
        }
    }
}
