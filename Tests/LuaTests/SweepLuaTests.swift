import CLua
import LuaBridge
import Foundation
import Testing
@testable import RallyEngine

/// Two synthetic years, a split testing the second half, a small grid; naive and logreg are fast enough for debug builds.
let sweepSetUp = """
ds = rally.dataset.synthetic{years = 2, seed = 4}
lab = rally.labeler.quantile{col = "price", q = 0.95, window = 672, horizon = 24}
fx = rally.features.protocol_v1()
sp = rally.split{train_end = "2014-06-30 23:00", test_start = "2014-07-01", embargo = 24}
models = {rally.model.naive(), rally.model.logreg{C = 1}}
grid = {q = {0.9, 0.95}, window = {168, 336}}
"""

/// A model written in Lua: the training rally rate per hour of the target day.
private let hourRate = """
rally.model.register("hour_rate", {
  fit = function(self, X, y)
    local n, k = {}, {}
    for h = 0, 23 do n[h], k[h] = 0, 0 end
    for i = 1, X.n do local h = X.hour[i]; n[h] = n[h] + 1; k[h] = k[h] + y[i] end
    self.rate = {}
    for h = 0, 23 do self.rate[h] = (k[h] + 1) / (n[h] + 2) end
  end,
  predict = function(self, X)
    local p = {}
    for i = 1, X.n do p[i] = self.rate[X.hour[i]] end
    return p
  end,
})
"""

@Suite(.serialized) struct SweepLuaTests {
    let lua = LuaHarness()

    /// The error `chunk` raises, without its position and traceback.
    func luaError(_ chunk: String) -> String { lua.errorMessage(chunk, positioned: false) }

    /// Each row of the sweep holds exactly the figures `rally.evaluate` gives with `lab:with{...}`,
    /// for built-in models and for one written in Lua (fitted on the Lua thread).
    @Test func sweepRowsEqualSeparateEvaluations() throws {
        try lua.run(sweepSetUp + hourRate)
        try lua.run("""
            models[3] = rally.model.new("hour_rate", {})
            t = rally.sweep{data = ds, features = fx, labeler = lab, split = sp, models = models, grid = grid, bootstrap = 30, quiet = true}
            """)
        #expect(try lua.run("return #t, t.interrupted, table.concat(t.columns, ',', 1, 5)") == ["12", "false", "q,window,horizon,model,roc_auc"])
        let mismatches = try lua.run("""
            local bad = {}
            local function same(a, b) return string.format("%.17g", a) == string.format("%.17g", b) end
            local i = 0
            for _, q in ipairs(grid.q) do
              for _, w in ipairs(grid.window) do
                local res = rally.evaluate{data = ds, features = fx, labeler = lab:with{q = q, window = w}, split = sp, models = models,
                                           bootstrap = 30, quiet = true}
                local m = res:metrics()
                for _, name in ipairs(res.models) do
                  i = i + 1
                  local row = t[i]
                  if row.q ~= q or row.window ~= w or row.model ~= name then bad[#bad + 1] = "order at row " .. i end
                  for _, key in ipairs{"roc_auc", "pr_auc", "brier", "log_loss", "lift_at_top", "ece"} do
                    if not same(row[key], m.metrics[name][key].value) then bad[#bad + 1] = name .. " " .. key .. " at row " .. i end
                  end
                  local ci = m.metrics[name].pr_auc.ci95
                  if not (same(row.pr_auc_lo, ci[1]) and same(row.pr_auc_hi, ci[2])) then bad[#bad + 1] = name .. " ci at row " .. i end
                  local vs = m.vs_baseline[name]
                  if vs then
                    if not same(row.pr_auc_diff, vs.pr_auc_diff.value) or not same(row.pr_auc_diff_lo, vs.pr_auc_diff.ci95[1])
                       or not same(row.dm_brier_p, vs.dm_brier_p) then bad[#bad + 1] = name .. " diff at row " .. i end
                  elseif row.pr_auc_diff ~= nil then bad[#bad + 1] = "baseline diff at row " .. i end
                  if row.test_rows ~= #res or row.positives ~= res.positives then bad[#bad + 1] = "rows at row " .. i end
                end
              end
            end
            return table.concat(bad, "; ")
            """)
        #expect(mismatches == [""])
    }

    @Test func sweepTableMethods() throws {
        try lua.run(sweepSetUp)
        try lua.run("t = rally.sweep{data = ds, features = fx, labeler = lab, split = sp, models = models, grid = grid, bootstrap = 0, quiet = true}")
        #expect(try lua.run("return #t, t.metric, #t:top(3), #t:filter(function(r) return r.model == 'logreg' end)") == ["8", "pr_auc", "3", "4"])
        // sort: best first for a metric, lowest first for a loss, explicit direction
        #expect(try lua.run("""
            local s = t:sort('pr_auc')
            local b = t:sort('brier')
            local a = t:sort('pr_auc', false)
            return s[1].pr_auc >= s[2].pr_auc, b[1].brier <= b[2].brier, a[1].pr_auc <= a[8].pr_auc, s[1].pr_auc == (t:best()).pr_auc
            """) == ["true", "true", "true", "true"])
        let best = try lua.run("local row, v = t:best('roc_auc') return row.model, v == row.roc_auc, math.type(row.window), row.pr_auc_lo")
        #expect(best[1] == "true" && best[2] == "integer" && best[3] == "nil")
        // pivot: one cell per (q, model) once window is fixed; ambiguous cells are errors unless aggregated
        #expect(try lua.run("""
            local p = t:filter(function(r) return r.window == 336 end):pivot('q', 'model', 'pr_auc')
            return #p, table.concat(p.columns, ','), p[2].logreg == t[8].pr_auc
            """) == ["2", "q,naive,logreg", "true"])
        #expect(luaError("t:pivot('q', 'model', 'pr_auc')")
                == "bad argument #4 to 'pivot' (sweep table: pivot cell q=0.9, model=naive holds 2 rows differing in window; filter the table first or pass an aggregate (\"mean\", \"min\", \"max\" or \"best\"))")
        #expect(try lua.run("local p = t:pivot('q', 'model', 'pr_auc', 'max') return p[1].naive == math.max(t[1].pr_auc, t[3].pr_auc)") == ["true"])
        // rows and text
        #expect(try lua.run("local r = t:rows() return #r, r[5].q, r[5].model") == ["8", "0.95", "naive"])
        let summary = try lua.run("return tostring(t)")[0]
        // several rally definitions: no "best" across them (their base rates differ); one: its best run
        #expect(summary == "<SweepTable 8 rows: q x window x horizon x model, metric pr_auc; 4 rally definitions x 2 models>")
        let one = try lua.run("return tostring(t:filter(function(r) return r.q == 0.9 and r.window == 168 end))")[0]
        #expect(one.hasPrefix("<SweepTable 2 rows: q x window x horizon x model, metric pr_auc; best ")
                && one.hasSuffix("q=0.9 window=168 horizon=24 logreg)>"), "\(one)")
        #expect(try lua.run("return tostring(t:filter(function(r) return r.window == 336 end):pivot('q', 'model'))")
                == ["<SweepTable pivot 2 rows: q by naive, logreg>"])
        // t:print() prints the full text: a header line, then the rows
        lua_getglobal(lua.L.raw, "t")
        let object = try #require(LuaObjects.peek(lua.L, -1, SweepBindings.tableClass, as: SweepTableObject.self))
        lua.L.pop()
        let text = object.result.text
        #expect(text.hasPrefix("SweepTable 8 rows: 4 rally definitions x 2 models\n"))
        #expect(text.contains("pr_auc_diff") && !text.contains("pr_auc_lo"))   // no bootstrap: no interval columns shown
        // CSV
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rally-sweep-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try lua.run("return t:write_csv('\(path)')") == [path])
        let csv = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 9 && csv[0].hasPrefix("q,window,horizon,model,roc_auc,pr_auc,"))
        #expect(csv[1].hasPrefix("0.9,168,24,naive,"))
    }

    @Test func badArgumentsAreErrors() throws {
        try lua.run(sweepSetUp)
        let base = "data = ds, features = fx, labeler = lab, split = sp, models = models, quiet = true"
        #expect(luaError("rally.sweep{\(base), grid = {q = {0.9, 1.5}}}")
                == "bad argument #1 to 'sweep' (field 'grid': q=1.5: field 'q': a number in (0, 1) expected, got 1.5 (the trailing quantile a rally must beat))")
        #expect(luaError("rally.sweep{\(base), grid = {qq = {0.9}}}")
                == "bad argument #1 to 'sweep' (field 'grid': qq=0.9: unknown option 'qq'; valid options: col, horizon, q, window)")
        #expect(luaError("rally.sweep{\(base), grid = {q = {}}}") == "bad argument #1 to 'sweep' (field 'grid': q: a list of values expected, got an empty table)")
        #expect(luaError("rally.sweep{\(base), metric = 'auc'}").hasPrefix("bad argument #1 to 'sweep' (field 'metric': one of \"roc_auc\", \"pr_auc\""))
        #expect(luaError("rally.sweep{\(base), bootstrapp = 10}").hasPrefix("bad argument #1 to 'sweep' (unknown option 'bootstrapp'; valid options:"))
        #expect(luaError("rally.sweep{data = ds, features = fx, labeler = lab, models = models}")
                == "bad argument #1 to 'sweep' (field 'split': Split expected, got nil (give split = rally.split{...} or walkforward = rally.walkforward{...}))")
        #expect(luaError("rally.sweep{\(base), grid = {q = 0.9}, threads = 0}") == "bad argument #1 to 'sweep' (field 'threads': an integer in [1, 1024] expected, got 0 (engine worker threads (default: every core)))")
        #expect(luaError("rally.sweep{data = ds, features = fx, labeler = lab, split = sp, models = {}}")
                == "bad argument #1 to 'sweep' (field 'models': list of Models expected, got an empty table)")
        #expect(luaError("rally.sweep{data = ds, features = fx, labeler = lab, split = sp, models = {rally.model.naive(), 3}}")
                == "bad argument #1 to 'sweep' (field 'models': Model expected at index 2, got number)")
        #expect(luaError("rally.sweep{\(base), bootstrap = 200000}")
                == "bad argument #1 to 'sweep' (field 'bootstrap': an integer in [0, 100000] expected, got 200000 (moving-block bootstrap resamples of the test rows (0: no intervals)))")
        try lua.run("t = rally.sweep{\(base), bootstrap = 0}")
        #expect(luaError("t:sort('nope')").hasPrefix("bad argument #1 to 'sort' (sweep table: no column 'nope'; columns: q, window, horizon, model,"))
        #expect(luaError("t:pivot('q', 'model', 'pr_auc', 'median')") == "bad argument #4 to 'pivot' (expected one of \"mean\", \"min\", \"max\", \"best\", got \"median\")")
        // pivot errors name the argument they concern
        #expect(luaError("t:pivot('qq', 'model')").hasPrefix("bad argument #1 to 'pivot' (sweep table: no column 'qq'; columns: q,"))
        #expect(luaError("t:pivot('q', 'modle')").hasPrefix("bad argument #2 to 'pivot' (sweep table: no column 'modle';"))
        #expect(luaError("t:pivot('q', 'model', 'prauc')").hasPrefix("bad argument #3 to 'pivot' (sweep table: no column 'prauc';"))
        #expect(luaError("t:pivot('q', 'q')") == "bad argument #2 to 'pivot' (sweep table: pivot needs two different columns, got 'q' twice)")
        #expect(luaError("t:pivot('q', 'window', 'model')") == "bad argument #3 to 'pivot' (sweep table: pivot value column 'model' holds texts; numbers expected)")
        #expect(luaError("t:best('nope')").hasPrefix("bad argument #1 to 'best' (sweep table: no column 'nope';"))
        #expect(luaError("t:filter(function(r) error('boom') end)").contains("boom"))
        #expect(try lua.run("return #t, t[1].model, t[2].model") == ["2", "naive", "logreg"])
    }

    /// Ctrl-C during a sweep in `rally-shell` stops it, keeps the scored configurations and lets
    /// the script go on; running the script again with the same resume file completes the
    /// sweep to the table an uninterrupted run gives.
    @Test func controlCKeepsFinishedRowsAndResumeCompletes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rally-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("sweep.lua")
        try """
            local out, resume = ...
            local ds = rally.dataset.synthetic{years = 2, seed = 4}
            local t = rally.sweep{data = ds, features = rally.features.protocol_v1(),
              labeler = rally.labeler.quantile{col = "price", q = 0.95, window = 672, horizon = 24},
              split = rally.split{train_end = "2014-06-30 23:00", test_start = "2014-07-01", embargo = 24},
              grid = {q = {0.85, 0.9, 0.925, 0.95, 0.975}, window = {168, 336}},
              models = {rally.model.naive(), rally.model.gbdt{rounds = 40, max_depth = 4}}, bootstrap = 20, resume = resume}
            t:write_csv(out)
            print("done", t.interrupted, #t)
            """.write(to: script, atomically: true, encoding: .utf8)
        let shell = SweepShell.binary
        try #require(FileManager.default.fileExists(atPath: shell.path), "rally-shell not built at \(shell.path)")

        let full = dir.appendingPathComponent("full.csv").path, partial = dir.appendingPathComponent("partial.csv").path
        let resumed = dir.appendingPathComponent("resumed.csv").path, state = dir.appendingPathComponent("state.json").path
        let reference = try SweepShell.run(shell, [script.path, full, dir.appendingPathComponent("unused.json").path])
        #expect(reference.stdout == "done\tfalse\t20\n")

        let stopped = try SweepShell.run(shell, [script.path, partial, state], interruptAfterLines: 1)
        let words = stopped.stdout.split(whereSeparator: { $0 == "\t" || $0 == "\n" })
        #expect(words.first == "done" && words.dropFirst().first == "true", "stdout: \(stopped.stdout) stderr: \(stopped.stderr)")
        #expect(stopped.stderr.contains("sweep: interrupted: the table holds the "))
        let fullLines = try String(contentsOfFile: full, encoding: .utf8).split(separator: "\n")
        let partialLines = try String(contentsOfFile: partial, encoding: .utf8).split(separator: "\n")
        #expect(partialLines.count > 1 && partialLines.count < fullLines.count)
        #expect((partialLines.count - 1) % 2 == 0)
        // the finished configurations (not necessarily the first ones: they run side by side), in grid order
        let positions = partialLines.map { fullLines.firstIndex(of: $0) }
        #expect(positions.allSatisfy { $0 != nil }, "every partial row is a row of the full table")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())

        let finished = try SweepShell.run(shell, [script.path, resumed, state])
        #expect(finished.stdout == "done\tfalse\t20\n")
        #expect(finished.stderr.contains("read from \(state)"))
        #expect(try String(contentsOfFile: resumed, encoding: .utf8) == String(contentsOfFile: full, encoding: .utf8))
    }

    /// scripts/sweep_thresholds.lua stopped by Ctrl-C: exit status 130, the finished runs in
    /// sweep_thresholds.partial.csv (sweep_thresholds.csv is not written) and no pivots; run
    /// again with the same --resume file, it completes, writes sweep_thresholds.csv and removes
    /// the partial file. logreg and gbdt are swapped for cheaper models under their names (the
    /// recipe's plumbing is tested, not the models).
    @Test func interruptedSweepRecipeExits130AndWritesOnlyAPartialTable() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rally-sweep-recipe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let shell = SweepShell.binary
        try #require(FileManager.default.fileExists(atPath: shell.path), "rally-shell not built at \(shell.path)")
        let prelude = """
            local gbdt = rally.model.gbdt
            rally.model.logreg = function() return rally.model.naive{name = "logreg", cut = 0.9} end
            rally.model.gbdt = function() return gbdt{rounds = 40, max_depth = 4, nthread = 1} end
            """
        let script = SweepShell.root.appendingPathComponent("scripts/sweep_thresholds.lua").path
        let state = dir.appendingPathComponent("state.json").path
        let arguments = ["-e", prelude, script, "--out", dir.path, "--bootstrap", "0", "--threads", "2", "--resume", state]
        let table = dir.appendingPathComponent("sweep_thresholds.csv").path
        let partial = dir.appendingPathComponent("sweep_thresholds.partial.csv").path

        let stopped = try SweepShell.run(shell, arguments, interruptAfterLines: 1)
        #expect(stopped.status == 130, "stderr: \(stopped.stderr)")
        #expect(!FileManager.default.fileExists(atPath: table))
        let partialLines = try String(contentsOfFile: partial, encoding: .utf8).split(separator: "\n")
        #expect(partialLines.count > 1 && partialLines.count < 46)
        #expect(stopped.stderr.contains("sweep_thresholds: INTERRUPTED: wrote the \(partialLines.count - 1) finished runs to \(partial)"))
        #expect(stopped.stderr.contains("run the same command again to continue from \(state)"))
        #expect(!stopped.stdout.contains("PR-AUC, window ="), "no pivots of a partial table")

        let finished = try SweepShell.run(shell, arguments)
        #expect(finished.status == 0, "stderr: \(finished.stderr)")
        #expect(finished.stderr.contains("read from \(state)"))
        #expect(try String(contentsOfFile: table, encoding: .utf8).split(separator: "\n").count == 46)
        #expect(!FileManager.default.fileExists(atPath: partial), "the partial table is removed once the sweep is complete")
        #expect(finished.stdout.contains("PR-AUC, window = 672 h"))
    }

    /// Every recipe prints its header comment (its usage) to stdout on --help or -h and exits 0;
    /// report.lua's --window without FROM and TO is a usage error saying so.
    @Test func recipesPrintTheirUsageOnHelp() throws {
        let shell = SweepShell.binary
        try #require(FileManager.default.fileExists(atPath: shell.path), "rally-shell not built at \(shell.path)")
        for name in ["benchmark", "sweep_thresholds", "compare_models", "bench_sweep", "report"] {
            let script = SweepShell.root.appendingPathComponent("scripts/\(name).lua").path
            for flag in ["--help", "-h"] {
                let outcome = try SweepShell.run(shell, [script, flag])
                #expect(outcome.status == 0 && outcome.stderr.isEmpty, "\(name) \(flag): \(outcome.stderr)")
                #expect(outcome.stdout.contains("rally-shell scripts/\(name).lua ["), "\(name) \(flag): \(outcome.stdout)")
                #expect(!outcome.stdout.hasPrefix("--") && !outcome.stdout.contains("\n-- "), "the comment markers are stripped")
            }
        }
        let report = SweepShell.root.appendingPathComponent("scripts/report.lua").path
        let window = try SweepShell.run(shell, [report, "--window", "2018-01-01", "--artifacts", "artifacts/"])
        #expect(window.status == 2)
        #expect(window.stderr.hasPrefix("report.lua: --window needs FROM and TO dates (YYYY-MM-DD) after it, got no TO"))
    }
}

/// Runs the built rally-shell (next to the test binary) on a script.
enum SweepShell {
    static let binary: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("rally-shell")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".build/debug/rally-shell")
    }()

    struct Outcome {
        let stdout: String
        let stderr: String
        /// The exit status.
        let status: Int32
    }

    /// The package root (scripts/ lives there).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs `shell` with `arguments`; with `interruptAfterLines`, sends SIGINT once stderr has
    /// shown that many sweep progress lines (plain lines: stderr is a pipe).
    static func run(_ shell: URL, _ arguments: [String], interruptAfterLines: Int? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = shell
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        DispatchQueue.global().async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
        var errData = Data()
        var signalled = false
        while true {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            errData.append(chunk)
            if let wanted = interruptAfterLines, !signalled {
                let lines = String(decoding: errData, as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("sweep: ") && $0.contains(" runs, ") }
                if lines.count >= wanted {
                    process.interrupt()
                    signalled = true
                }
            }
        }
        group.wait()
        process.waitUntilExit()
        return Outcome(stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self),
                       status: process.terminationStatus)
    }
}
