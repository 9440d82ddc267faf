import Foundation
import Testing
@testable import RallyEngine

/// The pairwise tests and the SPA test from Lua: options decoded from the declared schemas,
/// results reachable as tables, help from the schemas.
@Suite(.serialized) struct PredictiveAbilityLuaTests {
    let lua = LuaHarness()

    /// The sweep tests' data, split, models and grid.
    private let setUp = sweepSetUp

    /// res:metrics() carries the matrices (p[1][2]: logreg against naive; the diagonal absent), res:table() the section.
    @Test func evaluateGivesThePairwiseTests() throws {
        try lua.run(setUp + "res = rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, bootstrap = 0, quiet = true}")
        let out = try lua.run("""
            local m = res:metrics()
            local gw, dm = m.giacomini_white, m.multivariate_dm
            return gw.days, gw.brier.p[1][1] == nil, type(gw.brier.p[1][2]), type(dm.log_loss.statistic[2][1]),
                   res:table():find("pairwise tests on", 1, true) ~= nil
            """)
        try #require(out.count == 5)
        #expect(Int(out[0]) ?? 0 > 150)
        #expect(Array(out.dropFirst()) == ["true", "number", "number", "true"])
        #expect(try lua.run("return rally.help(rally.evaluate)").first?.contains("Giacomini-White") == true)
    }

    /// spa through rally.sweep: t.spa, t:write_csv's two paths, t:print's lines; bad options are argument errors naming the field.
    @Test func sweepSPAFromLua() throws {
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("rally-spa-lua-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: csv); try? FileManager.default.removeItem(atPath: csv + "-metadata.json") }
        try lua.run(setUp + """
            t = rally.sweep{data = ds, features = fx, labeler = lab, split = sp, models = models, grid = {q = {0.9, 0.95}},
                            bootstrap = 0, quiet = true, spa = {loss = "log_loss", resamples = 100}}
            """)
        let out = try lua.run("""
            local s = t.spa.superior_predictive_ability
            local a, b = t:write_csv("\(csv)")
            return s.loss, s.runs, s.bootstrap.resamples, type(s.hansen_spa.p_consistent), a, b
            """)
        #expect(out == ["log_loss", "2", "100", "number", csv, csv + "-metadata.json"])
        try #require(out.count == 6)
        #expect(try lua.run("return t:sort('pr_auc').spa ~= nil") == ["true"])
        let message = lua.errorMessage(setUp + "rally.sweep{data = ds, features = fx, labeler = lab, split = sp, models = models, quiet = true, spa = {resamples = 1e9}}",
                                       positioned: false)
        #expect(message.contains("field 'spa.resamples'") && message.contains("[1, 100000]"))
        #expect(try lua.run("return rally.help(rally.sweep)").first?.contains("spa options:") == true)
        #expect(try lua.run(setUp + "u = rally.sweep{data = ds, features = fx, labeler = lab, split = sp, models = models, bootstrap = 0, quiet = true, spa = false}; return u.spa == nil") == ["true"])
    }
}
