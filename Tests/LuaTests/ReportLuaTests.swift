import Foundation
import Testing
@testable import RallyEngine

/// A minimal artifact set (metrics.json and predictions.csv, two models, 20 days from `start`).
private func writeArtifacts(start: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rally-report-lua-\(UUID().uuidString)").path
    let t0 = try TimeStamp.parse(start)
    var rng = Xoshiro256StarStar(seed: 5)
    var lines = ["ts,y,price,threshold,p_naive,p_gbdt"]
    var positives = 0
    let n = 20 * 24
    for i in 0..<n {
        let u = Double(rng.next() >> 11) / Double(1 << 53)
        let y = u < 0.08 ? 1 : 0
        positives += y
        lines.append("\(TimeStamp.format(t0 + Int64(i) * 3600)),\(y),\(30 + 40 * u),50,0.08,\(y == 1 ? 0.6 : 0.1 * u)")
    }
    try AtomicFile.write(lines.joined(separator: "\n") + "\n", to: dir + "/predictions.csv")
    let e = "{\"value\": 0.5, \"ci95\": [0.4, 0.6]}"
    try AtomicFile.write("""
    {"baseline": "naive", "models": ["naive", "gbdt"], "metrics": {"naive": {"pr_auc": \(e)}, "gbdt": {"pr_auc": \(e)}},
     "vs_baseline": {"gbdt": {"pr_auc_diff": {"value": 0.1, "ci95": [0.05, 0.2]}, "dm_brier_p": 0.01, "dm_log_loss_p": 0.02}},
     "test": {"rows": \(n), "positives": \(positives), "base_rate": \(Double(positives) / Double(n))}}
    """, to: dir + "/metrics.json")
    return dir
}

@Suite("Lua: rally.report")
struct ReportLuaTests {
    @Test func rendersAndReturnsThePaths() throws {
        let artifacts = try writeArtifacts(start: "2018-06-20")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("rally-report-lua-out-\(UUID().uuidString)").path
        let lua = LuaHarness()
        let result = try lua.run("""
        local r = rally.report{artifacts = "\(artifacts)", out = "\(out)", name = "demo", resamples = 20, block = 24,
                               windows = {{from = "2018-06-25", to = "2018-07-02", title = "Heat"}}, cost_ratio = 5}
        return r.markdown, r.html, #r.figures, r.figures[1], #r.notes
        """)
        #expect(result[0] == out + "/demo.md")
        #expect(result[1] == out + "/demo.html")
        #expect(result[2] == "5", "window, reliability, PR, lift, calendar (no importance, no sweep)")
        #expect(result[3] == out + "/demo_window1.svg")
        #expect(result[4] == "4", "no run.json, no importance, no sweep, no economic_value section")
        let markdown = try String(contentsOfFile: out + "/demo.md", encoding: .utf8)
        #expect(markdown.contains("Heat: "))
        #expect(markdown.contains("a missed rally 5 units"))
    }

    @Test func badOptionsAreLuaErrors() throws {
        let lua = LuaHarness()
        #expect(lua.error("rally.report{colour = 1}").contains("unknown option 'colour'; valid options: artifacts, bins, block, cost_ratio, name, out, resamples, seed, top, windows"))
        #expect(lua.error("rally.report{cost_ratio = -1}") == "test:1: bad argument #1 to 'report' (field 'cost_ratio': a number in (0, 1000000000] expected, got -1 (a missed rally costs this many false alarms))")
        #expect(lua.error("rally.report{windows = {{from = '2018-01-01'}}}") == "test:1: bad argument #1 to 'report' (field 'windows': window 1: field 'to': time string expected (\"YYYY-MM-DD HH:MM\"), got nil)")
        #expect(lua.error("rally.report{windows = {{from = 'soon', to = '2018-01-02'}}}").contains("window 1: field 'from': bad time \"soon\""))
        #expect(lua.error("rally.report{windows = {{from = '2018-01-03', to = '2018-01-02'}}}").contains("must come before"))
        #expect(lua.error("rally.report{windows = {{from = '2018-01-01', to = '2018-01-02', when = 1}}}")
                == "test:1: bad argument #1 to 'report' (field 'windows': window 1: unknown field 'when'; valid fields: from, title, to)")
        #expect(lua.error("rally.report{windows = {{from = '2018-01-01', to = '2018-01-02', title = {}}}}")
                == "test:1: bad argument #1 to 'report' (field 'windows': window 1: field 'title': string expected, got table)")
        #expect(lua.error("rally.report{resamples = 1e6}") == "test:1: bad argument #1 to 'report' (field 'resamples': an integer in [0, 100000] expected, got 1000000 (bootstrap resamples of the reliability bands and the head-to-head comparison))")
        #expect(lua.error("rally.report{artifacts = '/nonexistent/rally'}") == "test:1: report: no metrics.json in '/nonexistent/rally' (run scripts/benchmark.lua first, or pass artifacts = DIR)")
        #expect(lua.error("rally.report{name = 'a/b'}").contains("a file stem without '/' expected"))
    }

    @Test func hasHelp() throws {
        let text = try LuaHarness().run("return rally.help(rally.report)")
        #expect(text.first?.hasPrefix("rally.report{[options]} -- renders the colleague-ready report") == true)
        // the options come from the schema the table is decoded from
        #expect(text.first?.contains("\n  resamples = 500 (integer in [0, 100000]): ") == true)
    }
}
