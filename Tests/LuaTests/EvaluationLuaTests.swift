import CLua
import LuaBridge
import Foundation
import Testing
@testable import RallyEngine

/// A temporary directory for artifacts; removed on deinit.
private final class ArtifactDirectory {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("rally-lua-eval-\(UUID().uuidString)").path
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Two synthetic years, a split testing the second, naive and logreg (fast enough for debug builds); DecisionLuaTests builds on it.
let evaluationSetUp = """
ds = rally.dataset.synthetic{years = 2, seed = 4}
lab = rally.labeler.quantile{col = "price", q = 0.95, window = 672, horizon = 24}
fx = rally.features.protocol_v1()
sp = rally.split{train_end = "2013-12-31 23:00", test_start = "2014-01-01", embargo = 24}
models = {rally.model.naive(), rally.model.logreg{C = 1}}
"""

@Suite(.serialized) struct EvaluationLuaTests {
    let lua = LuaHarness()

    /// The error `chunk` raises, without its position and traceback.
    func luaError(_ chunk: String) -> String { lua.errorMessage(chunk, positioned: false) }

    @Test func evaluateReturnsAResult() throws {
        try lua.run(evaluationSetUp)
        try lua.run("res = rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, bootstrap = 50, quiet = true}")
        let rows = try lua.run("return #res, res.rows, res.positives, res.baseline, table.concat(res.models, ',')")
        #expect(rows[0] == rows[1])
        #expect(rows[3] == "naive" && rows[4] == "naive,logreg")
        #expect(try lua.run("return tostring(res)")[0].hasPrefix("<Result naive, logreg on \(rows[0]) test rows"))
        let table = try lua.run("return res:table()")[0]
        #expect(table.contains("ΔPR-AUC vs naive [95% CI]") && table.contains("\nlogreg "))
        // metrics() mirrors metrics.json
        #expect(try lua.run("""
            local m = res:metrics()
            return m.baseline, #m.models, math.type(m.test.rows), m.metrics.logreg.pr_auc.value > m.metrics.naive.pr_auc.value,
                   #m.metrics.logreg.pr_auc.ci95, m.vs_baseline.naive == nil, m.vs_baseline.logreg.dm_brier_p < 1
            """) == ["naive", "2", "integer", "true", "2", "true", "true"])
        let best = try lua.run("return res:best('pr_auc')")
        #expect(best[0] == "logreg")
        #expect(try lua.run("return (res:best('brier'))") == ["logreg"])
        // predictions are the test rows
        #expect(try lua.run("""
            local p = res:predictions()
            return #p.ts == #res, #p.p_logreg == #res, p.ts[1], p.y[1] == 0 or p.y[1] == 1, p.p_naive[1] >= 0
            """) == ["true", "true", "2014-01-01 00:00", "true", "true"])
        #expect(try lua.run("local f = res:folds() return #f, f[1].test_rows == #res, f[1].test_start, type(f[1].metrics.naive.roc_auc)")
                == ["1", "true", "2014-01-01 00:00", "number"])
    }

    @Test func writeIsAtomicCompleteAndReproducible() throws {
        let first = ArtifactDirectory(), second = ArtifactDirectory()
        try lua.run(evaluationSetUp)
        for dir in [first.path, second.path] {
            try lua.run("""
                local res = rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, bootstrap = 30, quiet = true}
                res:write('\(dir)', {recipe = 'test', seconds = {load = 0.5}})
                """)
        }
        for name in ["metrics.json", "predictions.csv", "benchmark_table.csv", "importance.csv"] {
            let a = FileManager.default.contents(atPath: first.path + "/" + name)
            #expect(a != nil && a == FileManager.default.contents(atPath: second.path + "/" + name), "\(name) differs between runs")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: first.path).sorted()
        #expect(files == ["benchmark_table.csv", "importance.csv", "metrics.json", "predictions.csv", "run.json"])
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: first.path + "/run.json"))) as! [String: Any]
        let data = run["data"] as! [String: Any]
        #expect(data["synthetic"] as? Bool == true && data["path"] is NSNull)
        #expect((run["seconds"] as! [String: Any])["load"] as? Double == 0.5)
        #expect(run["recipe"] as? String == "test")
        // the versions, in order; the target CPU as the build names it (a test build: baseline)
        let versions = run["versions"] as! [String: Any]
        #expect(Set(versions.keys) == ["rally", "swift", "target_cpu", "lua", "xgboost"])
        #expect(versions["target_cpu"] as? String == BuildInfo.targetCPU && ["x86-64", "x86-64-v3", "aarch64"].contains(BuildInfo.targetCPU))
        let text = try String(contentsOfFile: first.path + "/run.json", encoding: .utf8)
        #expect(text.contains("\"swift\": \"\(BuildInfo.swiftVersion)\",\n    \"target_cpu\": \"\(BuildInfo.targetCPU)\",\n    \"lua\""), "target_cpu between swift and lua")
        try lua.run("local v = rally.versions(); assert(v.target_cpu == '\(BuildInfo.targetCPU)', tostring(v.target_cpu))")
        let predictions = try String(contentsOfFile: first.path + "/predictions.csv", encoding: .utf8)
        #expect(predictions.hasPrefix("ts,y,price,threshold,p_naive,p_logreg\n2014-01-01 00:00,"))
    }

    @Test func walkForwardAndLuaModels() throws {
        try lua.run(evaluationSetUp)
        try lua.run("""
            rally.model.register("hour_rate", {
              fit = function(self, X, y)
                local hits, total = {}, {}
                for i = 1, X.n do
                  local h = X.hour[i]
                  hits[h] = (hits[h] or 0) + y[i]; total[h] = (total[h] or 0) + 1
                end
                self.rate = {}
                for h, n in pairs(total) do self.rate[h] = hits[h] / n end
              end,
              predict = function(self, X)
                local p = {}
                for i = 1, X.n do p[i] = self.rate[X.hour[i]] or 0 end
                return p
              end,
            })
            folds = rally.walkforward{first_test = "2014-01-01", step = "6 months", embargo = 24, data = ds}
            res = rally.evaluate{data = ds, features = fx, labeler = lab, walkforward = folds,
                                 models = {rally.model.naive(), rally.model.new("hour_rate", {})}, bootstrap = 20, quiet = true}
            """)
        #expect(try lua.run("return #res:folds(), table.concat(res.models, ',')") == ["2", "naive,hour_rate"])
        #expect(try lua.run("local f = res:folds() return f[1].test_rows + f[2].test_rows == #res") == ["true"])
    }

    @Test func badArgumentsAreClearErrors() throws {
        try lua.run(evaluationSetUp)
        #expect(luaError("rally.evaluate()") == "bad argument #1 to 'evaluate' (table expected, got no value)")
        #expect(luaError("rally.evaluate{features = fx}") == "bad argument #1 to 'evaluate' (field 'data': Dataset expected, got nil (the dataset, e.g. rally.load(path)))")
        #expect(luaError("rally.evaluate{data = ds, features = fx, labeler = lab, models = models}")
                == "bad argument #1 to 'evaluate' (field 'split': Split expected, got nil (give split = rally.split{...} or walkforward = rally.walkforward{...}))")
        #expect(luaError("rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = {1}}")
                == "bad argument #1 to 'evaluate' (field 'models': Model expected at index 1, got number)")
        #expect(luaError("rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, bootsrap = 10}")
                == "bad argument #1 to 'evaluate' (unknown option 'bootsrap'; valid options: baseline, bins, block, bootstrap, data, dm_lag, features, labeler, location_feature, locations, min_positives, models, quiet, seed, split, threads, top, training, walkforward)")
        #expect(luaError("rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, baseline = 'gbdt', quiet = true}")
                == "evaluate: baseline 'gbdt' is not one of the models (naive, logreg)")
        #expect(luaError("rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, top = 2}")
                == "bad argument #1 to 'evaluate' (field 'top': a number in (0, 1] expected, got 2 (share of rows flagged for precision_at_top and lift_at_top (0.05: the top 5%)))")
        #expect(luaError("rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = {}}")
                == "bad argument #1 to 'evaluate' (field 'models': list of Models expected, got an empty table)")
        #expect(luaError("rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, min_positives = -5}")
                == "bad argument #1 to 'evaluate' (field 'min_positives': an integer in [0, 1000000] expected, got -5 (folds or test rows with fewer rallies than this are flagged (0: no such warnings)))")
        #expect(luaError("rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, bootstrap = 1e7}")
                == "bad argument #1 to 'evaluate' (field 'bootstrap': an integer in [0, 100000] expected, got 10000000 (moving-block bootstrap resamples of the test rows (0: no intervals)))")
        // a spec without columns fails on that, not on the fit ("naive: cannot fit on 0 rows")
        // (made in Swift: rally.features{} itself refuses to make an empty spec)
        LuaObjects.push(lua.L, FeatureSpecObject(FeatureSpec(horizon: 24, features: [])), FeatureBindings.specClass)
        lua_setglobal(lua.L.raw, "empty")
        #expect(luaError("rally.evaluate{data = ds, features = empty, labeler = lab, split = sp, models = models, quiet = true}")
                == "evaluate: the feature spec has no columns, so the models would see no features; give the spec at least one feature")
        try lua.run("res = rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, bootstrap = 0, quiet = true}")
        #expect(luaError("res:best('auc')").hasPrefix("bad argument #1 to 'best' (unknown metric 'auc'; valid metrics: roc_auc, pr_auc,"))
        #expect(luaError("res:write('/proc/nope')").hasPrefix("cannot create directory '/proc/nope'"))
    }

    @Test func metricsOfPlainTables() throws {
        let out = try lua.run("""
            local m = rally.metrics({1, 0, 1, 0, 0, 1}, {0.9, 0.9, 0.6, 0.3, 0.3, 0.3}, {threshold = 0.6, top = 0.5})
            return m.roc_auc, m.pr_auc, m.brier, m.precision_at_top, m.precision, m.recall, #m.curve, m.curve[1].count
            """)
        let expected: [Double] = [5.5 / 9, 5.0 / 9, 0.275, 2.0 / 3, 2.0 / 3, 2.0 / 3, 3, 3]
        let values: [Double] = out.compactMap { Double($0) }
        #expect(values.count == expected.count)
        for (x, e) in zip(values, expected) { #expect(abs(x - e) < 1e-12) }
        #expect(luaError("rally.metrics({0, 2}, {0.1, 0.2})") == "bad argument #1 to 'metrics' (outcome at index 2 is 2, expected 0 or 1)")
        #expect(luaError("rally.metrics({}, {})") == "bad argument #1 to 'metrics' (outcomes expected, got none)")
        #expect(luaError("rally.metrics({0, 1}, {0.1})") == "bad argument #2 to 'metrics' (2 probabilities expected (one per outcome), got 1)")
        #expect(luaError("rally.metrics({0, 1}, {0.1, 1.5})") == "bad argument #2 to 'metrics' (probability at index 2 is 1.5, expected a number in [0, 1])")
        #expect(luaError("rally.metrics({0, 1}, {0.1, 0.2}, {threshold = 2})")
                == "bad argument #3 to 'metrics' (field 'threshold': a number in [0, 1] expected, got 2 (precision, recall and f1 call a rally when p >= threshold))")
        #expect(luaError("rally.metrics({0, 1}, {0.1, 0.2}, {climatology = -0.1})")
                == "bad argument #3 to 'metrics' (field 'climatology': a number in [0, 1] expected, got -0.1 (the reference forecast of brier_skill (default: the base rate of y)))")
        #expect(luaError("rally.metrics({0, 1}, {0.1, 0.2}, {top = 0})") == "bad argument #3 to 'metrics' (field 'top': a number in (0, 1] expected, got 0 (share of rows flagged for precision_at_top and lift_at_top (0.05: the top 5%)))")
        #expect(try lua.run("return rally.metrics({0, 1}, {0.1, 0.7}, {threshold = 1}).recall, rally.metrics({0, 1}, {0.1, 0.7}, {threshold = 0}).recall")
                == ["0.0", "1.0"])
    }

    /// On a test set too short for the Newey–West lag the Diebold–Mariano test is undefined: nil in
    /// metrics(), "—" in the table, empty in benchmark_table.csv, and a warning says why
    /// (it used to report p = 0 on 5 rows). Otherwise the table says which way the difference goes.
    @Test func dieboldMarianoIsUndefinedOnTinyTestSetsAndSignedOtherwise() throws {
        let out = ArtifactDirectory()
        try lua.run(evaluationSetUp)
        try lua.run("""
            tiny = rally.evaluate{data = ds, features = fx, labeler = lab, models = models, bootstrap = 0, quiet = true,
                                  split = rally.split{train_end = "2013-12-31 23:00", test_start = "2014-01-01", test_end = "2014-01-01 05:00", embargo = 24}}
            tiny:write('\(out.path)')
            """)
        #expect(try lua.run("local v = tiny:metrics().vs_baseline.logreg return v.dm_brier_p, v.dm_log_loss_p, v.dm_brier_statistic, v.pr_auc_diff ~= nil")
                == ["nil", "nil", "nil", "true"])
        let warnings = try lua.run("return table.concat(tiny.warnings, '|')")[0]
        #expect(warnings.contains("Diebold-Mariano tests undefined (p-values left empty): 5 test rows are fewer than 10 x (lag 23 + 1) = 240"))
        let logregRow = try #require(try lua.run("return tiny:table()")[0].split(separator: "\n").first { $0.hasPrefix("logreg ") })
        #expect(logregRow.split(separator: " ").suffix(2) == ["—", "—"], "DM cells: \(logregRow)")
        let csv = try String(contentsOfFile: out.path + "/benchmark_table.csv", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(csv[0].hasSuffix(",dm_brier_p,dm_log_loss_p,dm_brier_statistic,dm_log_loss_statistic"))
        #expect(csv[2].hasPrefix("logreg,") && csv[2].hasSuffix(",,,,"))

        // a full year: the p-value cells carry the direction, and the CSV the signed statistics
        try lua.run("""
            res = rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = {rally.model.logreg{C = 1}, rally.model.naive()},
                                 bootstrap = 0, quiet = true}
            res:write('\(out.path)')
            """)
        let values = try lua.run("local v = res:metrics().vs_baseline.naive return v.dm_brier_statistic > 0, v.brier_diff.value > 0, v.dm_brier_p < 0.05")
        #expect(values == ["true", "true", "true"])
        let naiveRow = try #require(try lua.run("return res:table()")[0].split(separator: "\n").first { $0.hasPrefix("naive ") })
        #expect(naiveRow.contains(" worse  ") && naiveRow.hasSuffix(" worse"), "naive's losses are higher than logreg's: \(naiveRow)")
        let table = try String(contentsOfFile: out.path + "/benchmark_table.csv", encoding: .utf8).split(separator: "\n")
        let header = table[0].split(separator: ",", omittingEmptySubsequences: false)
        let naive = table[2].split(separator: ",", omittingEmptySubsequences: false)
        let z = try #require(Double(naive[header.firstIndex(of: "dm_brier_statistic")!]))
        #expect(z > 0)
        let fromMetrics = try #require(Double(try lua.run("return string.format('%.17g', res:metrics().vs_baseline.naive.dm_brier_statistic)")[0]))
        #expect(fromMetrics == z)
    }

    /// A labeler horizon other than the feature spec's is allowed, with a warning saying what the
    /// features and the label then describe; the same horizon gives none.
    @Test func labelHorizonOtherThanTheFeaturesIsAWarning() throws {
        try lua.run(evaluationSetUp)
        try lua.run("""
            res = rally.evaluate{data = ds, features = fx, labeler = lab:with{horizon = 12}, split = sp, models = models, bootstrap = 0, quiet = true}
            """)
        let warnings = try lua.run("return table.concat(res.warnings, '|')")[0]
        #expect(warnings.contains("the labeler's horizon (12 h) does not match the feature spec's (24 h): the calendar and known-ahead features (hour, dow, month, weekend,"))
        #expect(warnings.contains("describe hour t+24, while the label looks at hour t+12"))
        try lua.run("same = rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, bootstrap = 0, quiet = true}")
        #expect(try lua.run("for _, w in ipairs(same.warnings) do if w:find('horizon') then return w end end return 'none'") == ["none"])
    }

    /// A daily_any label covers the next calendar day: a 24 h feature spec matches it (no
    /// warning), another one gets a warning that says so.
    @Test func dailyAnyMatchesA24HourFeatureSpec() throws {
        try lua.run(evaluationSetUp)
        try lua.run("""
            daily = rally.labeler.daily_any{col = "price"}
            sp48 = rally.split{train_end = "2013-12-31 23:00", test_start = "2014-01-01", embargo = 48}
            r24 = rally.evaluate{data = ds, features = fx, labeler = daily, split = sp48, models = models, bootstrap = 0, quiet = true}
            r12 = rally.evaluate{data = ds, features = rally.features{col = "price", lags = {0}, calendar = {"hour"}, horizon = 12},
                                 labeler = daily, split = sp48, models = {rally.model.logreg{}}, bootstrap = 0, quiet = true}
            """)
        #expect(try lua.run("for _, w in ipairs(r24.warnings) do if w:find('horizon') then return w end end return 'none'") == ["none"])
        let warnings = try lua.run("return table.concat(r12.warnings, '|')")[0]
        #expect(warnings.contains("describe hour t+12, while the label looks at the next calendar day (which holds hour t+24 for every hour t)"))
    }

    /// A baseline that gives one probability to (almost) every test row is flagged: gains over it
    /// say little. A jump labeler makes protocol v1's gap_to_thr constant, so naive is constant.
    @Test func aNearConstantBaselineIsFlagged() throws {
        try lua.run(evaluationSetUp)
        try lua.run("""
            jr = rally.evaluate{data = ds, features = fx, labeler = rally.labeler.jump{col = "price", rise = 0.5, horizon = 24},
                                split = sp, models = models, bootstrap = 0, quiet = true}
            qr = rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, bootstrap = 0, quiet = true}
            """)
        #expect(try lua.run("return table.concat(jr.warnings, '|')")[0].contains("the baseline 'naive' gives one probability to "))
        #expect(try lua.run("for _, w in ipairs(qr.warnings) do if w:find('baseline') then return w end end return 'none'") == ["none"])
        #expect(PooledScores.constantBaseline([0.1, 0.2] + [Double](repeating: 0.05, count: 198), name: "b") != nil)
        #expect(PooledScores.constantBaseline([Double](repeating: 0.2, count: 10) + [Double](repeating: 0.05, count: 190), name: "b") == nil)
    }

    /// A walk-forward given as `split` says where it goes; an error inside a Lua model carries
    /// its message once, without a traceback of its own (the caller's error has one).
    @Test func messagesForAWalkForwardAsSplitAndForALuaModelError() throws {
        try lua.run(evaluationSetUp)
        #expect(luaError("rally.evaluate{data = ds, features = fx, labeler = lab, models = models, split = rally.walkforward{first_test = '2014-01-01', step = 'year', embargo = 24, data = ds}}")
                == "bad argument #1 to 'evaluate' (field 'split': Split expected, got a table (one train/test split, as rally.split makes (a list of Splits, as rally.walkforward makes, goes in walkforward = ...)))")
        try lua.run("rally.model.register('broken', {fit = function(self, X, y) error('boom') end, predict = function(self, X) return {} end})")
        let message = lua.error("rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = {rally.model.new('broken')}, bootstrap = 0, quiet = true}")
        #expect(message.contains("model 'broken' fit: test:1: boom"), "\(message)")
        #expect(!message.contains("stack traceback"), "\(message)")
    }

    /// help(rally.evaluate) says the baseline is the first model, not naive.
    @Test func evaluateHelpNamesTheFirstModelAsBaseline() throws {
        let doc = try lua.run("return rally.help(rally.evaluate)")[0]
        #expect(doc.contains("Baseline: the FIRST model in `models` unless baseline = \"<model name>\""))
        #expect(doc.contains("baseline (non-empty string): the model the others are compared with (default: the first model)"))
        #expect(!doc.contains("baseline = \"naive\", "))
    }

    /// A recipe on the synthetic default without --out writes into <default out>synthetic/, never
    /// over the committed real-data artifacts; --data or --out keep their meaning.
    @Test func recipesOnSyntheticDataLeaveTheCommittedArtifactsAlone() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        try lua.run("package.path = '\(root.path)/scripts/?.lua;' .. package.path; recipe = require 'recipe'")
        let spec = "{valued = {'data', 'out'}, defaults = {out = 'artifacts/'}, usage = error}"
        #expect(try lua.run("return recipe.options({[0] = 'b.lua'}, \(spec)).out") == ["artifacts/synthetic/"])
        #expect(try lua.run("return recipe.options({[0] = 'b.lua', '--data', 'f.csv'}, \(spec)).out") == ["artifacts/"])
        #expect(try lua.run("return recipe.options({[0] = 'b.lua', '--out', 'artifacts/'}, \(spec)).out") == ["artifacts/"])
        #expect(try lua.run("return recipe.options({[0] = 'b.lua', '--out', 'elsewhere/'}, \(spec)).out") == ["elsewhere/"])
    }

    /// scripts/benchmark.lua without --data: the synthetic default, said in its output and in run.json.
    /// The recipe's plumbing is what is tested, so logreg and gbdt are swapped for cheap stand-ins
    /// under their names (a debug build would take minutes to fit them on six years).
    @Test func benchmarkRecipeRunsOnTheSyntheticDefault() throws {
        let out = ArtifactDirectory()
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let script = root.appendingPathComponent("scripts/benchmark.lua").path
        try lua.run("""
            rally.model.logreg = function() return rally.model.naive{name = "logreg"} end
            rally.model.gbdt = function() return rally.model.naive{name = "gbdt", cut = 0.8} end
            arg = {[0] = '\(script)', '--out', '\(out.path)', '--bootstrap', '10', '--quiet'}
            package.path = '\(root.path)/scripts/?.lua;' .. package.path  -- as rally-shell sets it
            dofile('\(script)')
            """)
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.path + "/run.json"))) as! [String: Any]
        #expect((run["data"] as! [String: Any])["synthetic"] as? Bool == true)
        #expect((run["recipe"] as? String)?.contains("synthetic") == true)
        let metrics = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.path + "/metrics.json"))) as! [String: Any]
        #expect(metrics["models"] as? [String] == ["naive", "logreg", "gbdt", "gbdt_platt", "gbdt_isotonic"])
    }
}
