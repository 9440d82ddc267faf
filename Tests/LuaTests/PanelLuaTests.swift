import Foundation
import Testing
@testable import RallyEngine

/// Two synthetic years of a three-location panel, a split testing the second, naive and logreg.
private let setUp = """
ds = rally.dataset.synthetic{locations = 3, years = 2, seed = 4}
lab = rally.labeler.quantile{col = "price", q = 0.95, window = 672, horizon = 24}
fx = rally.features.protocol_v1()
sp = rally.split{train_end = "2013-12-31 23:00", test_start = "2014-01-01", embargo = 24}
models = {rally.model.naive(), rally.model.logreg{C = 1}}
"""

/// `rally.dataset.synthetic{locations = n}` and `rally.evaluate{..., locations = ...}` from Lua.
@Suite(.serialized) struct PanelLuaTests {
    let lua = LuaHarness()

    func luaError(_ chunk: String) -> String { lua.errorMessage(chunk, positioned: false) }

    @Test func syntheticPanelFromLua() throws {
        try lua.run(setUp)
        #expect(try lua.run("return tostring(ds)")[0].hasPrefix("<Dataset 17520 rows x 7 cols, 3 locations"))
        #expect(try lua.run("local l = ds:locations() return #l") == ["3"])
        #expect(try lua.run("return table.concat(ds:location('COMED'):columns(), ',')") == ["price,zonal_load_fc,sys_load_fc"])
        #expect(luaError("rally.dataset.synthetic{locations = 0}").contains("locations"))
        #expect(luaError("rally.dataset.synthetic{locations = 65}").contains("locations"))
        #expect(try lua.run("return #rally.dataset.synthetic{years = 1}:locations()") == ["0"])
        #expect(try lua.run("return rally.help(rally.dataset.synthetic)")[0].contains("locations"))
        #expect(try lua.run("return rally.help(rally.evaluate)")[0].contains("locations"))
    }

    @Test func evaluateAPanel() throws {
        try lua.run(setUp)
        try lua.run("""
            res = rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, bootstrap = 30,
                                 quiet = true, locations = "all"}
            """)
        #expect(try lua.run("return table.concat(res:locations(), ',')") == ["WESTERN HUB,COMED,AEP"])
        let table = try lua.run("return res:table()")[0]
        #expect(table.hasPrefix("panel of 3 locations (WESTERN HUB, COMED, AEP)"))
        #expect(table.contains("\nCOMED: logreg ") && table.contains("\npanel: logreg "))
        // one location's Result is what evaluating that location alone gives
        try lua.run("""
            one = rally.evaluate{data = ds:location("COMED"), features = fx, labeler = lab, split = sp, models = models, bootstrap = 30, quiet = true}
            """)
        #expect(try lua.run("return res:location('COMED'):table() == one:table(), #res == 3 * #one or #res > #one") == ["true", "true"])
        #expect(try lua.run("local m = res:metrics() return m.locations[2], m.by_location.AEP.baseline, m.baseline") == ["COMED", "naive", "naive"])
        #expect(luaError("res:location('NORTH')").contains("no location 'NORTH' in this panel; locations: WESTERN HUB, COMED, AEP"))
        #expect(luaError("one:location('COMED')").contains("not a panel"))
        #expect(try lua.run("return #one:locations()") == ["0"])
        let two = try lua.run("""
            local r = rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, bootstrap = 0, quiet = true,
                                     locations = {"AEP", "WESTERN HUB"}}
            return table.concat(r:locations(), ',')
            """)
        #expect(two == ["AEP,WESTERN HUB"])
    }

    @Test func sweepWithALocationAxis() throws {
        try lua.run(setUp)
        try lua.run("""
            t = rally.sweep{data = ds, features = fx, labeler = lab, split = sp, models = models, bootstrap = 0, quiet = true,
                            grid = {location = {"COMED", "AEP"}, q = {0.9, 0.95}}}
            """)
        #expect(try lua.run("return tostring(t)")[0].hasPrefix("<SweepTable 8 rows: location x q x window x horizon x model"))
        let pivot = try lua.run("""
            local p = t:filter(function(r) return r.model == "logreg" end):pivot("location", "q", "pr_auc")
            local rows = p:rows()
            return #p, rows[1].location, rows[2].location
            """)
        #expect(pivot == ["2", "COMED", "AEP"])
        #expect(try lua.run("""
            local u = rally.sweep{data = ds, features = fx, labeler = lab, split = sp, models = models, bootstrap = 0, quiet = true,
                                  locations = "all"}
            return #u
            """) == ["6"])
        #expect(luaError("rally.sweep{data = ds, features = fx, labeler = lab, split = sp, models = models, quiet = true, grid = {location = 'NORTH'}}")
            .contains("field 'grid': no location 'NORTH'"))
        #expect(luaError("rally.sweep{data = ds, features = fx, labeler = lab, split = sp, models = models, quiet = true, grid = {location = 'AEP'}, locations = 'all'}")
            .contains("give the locations once"))
    }

    @Test func globalTrainingFromLua() throws {
        try lua.run(setUp)
        let table = try lua.run("""
            local r = rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, bootstrap = 0, quiet = true,
                                     locations = {"COMED", "AEP"}, training = "both", location_feature = true}
            return r:table(), table.concat(r.models, ",")
            """)
        #expect(table[1] == "naive,logreg,naive_global,logreg_global")
        #expect(table[0].contains("\nAEP: logreg_global ") && table[0].contains("\npanel: logreg_global "))
        #expect(luaError("rally.evaluate{data = ds:location('AEP'), features = fx, labeler = lab, split = sp, models = models, training = 'global'}")
            .contains("give locations = ... too"))
        #expect(luaError("rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, locations = 'all', training = 'pooled'}")
            .contains("training"))
    }

    @Test func badLocationsAreNamed() throws {
        try lua.run(setUp)
        let call = "rally.evaluate{data = %@, features = fx, labeler = lab, split = sp, models = models, quiet = true, locations = %@}"
        func attempt(_ data: String, _ locations: String) -> String {
            luaError(call.replacingOccurrences(of: "%@", with: data, options: [], range: call.range(of: "%@"))
                .replacingOccurrences(of: "%@", with: locations))
        }
        #expect(attempt("ds", "{'NORTH'}").contains("locations"))
        #expect(attempt("ds", "{'NORTH'}").contains("no location 'NORTH'; locations: WESTERN HUB, COMED, AEP"))
        #expect(attempt("ds", "{'AEP', 'AEP'}").contains("location 'AEP' is named twice"))
        #expect(attempt("ds", "{}").contains("no locations given"))
        #expect(attempt("ds", "3").contains("locations"))
        #expect(attempt("ds:location('AEP')", "'all'").contains("this dataset holds one series"))
        // without locations a multi-location dataset has no 'price' column
        #expect(luaError("rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, quiet = true}")
            .contains("the labeler's column 'price' is not in the dataset"))
    }
}
