import CLua
import LuaBridge
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
        let values = try args.decode(1, EntryPointOptions.evaluate)
        let request = try args.attributing(options: 1) { try EvaluationRequest(values) }
        let evaluator = Evaluator(plan: request.plan, progress: ProgressLines.standardError(quiet: values.bool("quiet")!))
        let result = try evaluator.run(on: request.data, models: request.models)
        LuaObjects.push(L, ResultObject(result, dataReport: request.data.report, dataRows: request.data.count), resultClass)
        return 1
    }

    // MARK: rally.metrics

    private static func metrics(_ L: LuaState) throws -> Int32 {
        let args = LuaArgs(L, "metrics")
        let y = try args.numbers(1), p = try args.numbers(2)
        let values = try args.decode(3, EntryPointOptions.metrics)
        L.push(try args.attributing { try MetricsSummary.json(labels: y, probabilities: p, values) })
        return 1
    }

    // MARK: the Result class

    static func resultLuaClass() -> LuaClass<ResultObject> {
        var cls = LuaClass<ResultObject>(resultClass, doc: """
        Result -- what rally.evaluate returns: res:table(), res:metrics(), res:predictions(), res:folds(), res:best([metric]), res:write(dir),
        res:events() (rally episodes), res:value() (economic value curves); for a panel of locations res:locations() and res:location(name).
        Fields: res.models (names), res.baseline, res.rows (test rows), res.positives, res.warnings.
        """)
        cls.tostring = { $0.result.summary }
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
        with the paired interval, and Diebold-Mariano p-values (Brier, log loss) against the baseline; below it the pairwise
        Giacomini-White and multivariate Diebold-Mariano p-values on daily loss vectors (help(rally.evaluate)), then warnings.
        """) { object, L in
            L.push(ComparisonTable(object.result).text)
            return 1
        }
        cls.method("metrics", doc: """
        res:metrics() -- the contents of metrics.json as a Lua table: baseline, models, metrics[model][metric] = {value =, ci95 = {lo, hi}},
        vs_baseline[model] = {<metric>_diff = {value =, ci95 =}, dm_brier_p =, dm_log_loss_p =}, test, folds, bootstrap,
        giacomini_white and multivariate_dm = {days =, brier = {statistic = {{...}}, p = {{...}}}, log_loss = {...}} (p[i][j]: j beats i).
        """) { object, L in
            L.push(EvaluationArtifacts(object.result).metricsJSON())
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
            L.push(EvaluationArtifacts(object.result).foldsJSON())
            return 1
        }
        cls.method("best", doc: """
        res:best([metric]) -- the name of the model with the best value of metric (default "pr_auc"; lowest for losses), and that value.
        """) { object, L in
            let args = LuaArgs(L, "best", method: true)
            let key = try args.optionalString(1) ?? "pr_auc"
            let metric = try args.attributing(argument: 1) { try Metric.named(key) }
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
            let values = try args.decode(2, EvaluationArtifacts.writeOptions)
            let given = try args.attributing(options: 2) { try values.decoded("seconds", RunRecord.stageSeconds) ?? [] }
            let paths = try EvaluationArtifacts(object.result).write(
                to: directory, recipe: values.string("recipe")!, data: object.dataReport, rows: object.dataRows, given: given,
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
            let name = try args.string(1)
            let one = try args.attributing(argument: 1) { try object.result.location(name) }
            LuaObjects.push(L, ResultObject(one, dataReport: object.dataReport, dataRows: object.dataRows), resultClass)
            return 1
        }
        return cls
    }
}
