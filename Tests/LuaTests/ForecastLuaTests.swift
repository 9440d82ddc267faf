import Foundation
import Testing
@testable import RallyEngine

/// The Lua face of items 1 and 2 of issue 15: m:explain(X), a Lua model's explain, and
/// rally.forecast with its Forecast object.
@Suite struct ForecastLuaTests {
    let lua = LuaHarness()

    init() throws {
        try lua.run("""
            ds = rally.dataset.synthetic{years = 1, seed = 2}
            lab = rally.labeler.quantile{col = "price", q = 0.95, window = 672, horizon = 24}
            fx = rally.features{horizon = 24, lags = {0, 1, 24}, rolling = {{stat = "std", window = 24}}, gap_to_thr = true, calendar = {"hour", "month"}}
            X, y = fx:build(ds, lab), lab:apply(ds).labels
            """)
    }

    @Test func explainAddsUpToTheMarginRowForRow() throws {
        for model in ["rally.model.gbdt{rounds = 20, nthread = 1}", "rally.model.logreg()", "rally.model.naive()", "rally.model.climatology()"] {
            let out = try lua.run("""
                local m = \(model):fit(X, y)
                local e, p = m:explain(X), m:predict(X)
                local worst, rows = 0, 0
                for i = 1, #p do
                  if p[i] ~= nil and p[i] > 0 and p[i] < 1 then
                    local s = e.bias[i]
                    for _, name in ipairs(e.names) do s = s + e.contributions[name][i] end
                    worst = math.max(worst, math.abs(s - e.margin[i]), math.abs(1 / (1 + math.exp(-s)) - p[i]))
                    rows = rows + 1
                  end
                end
                return #e.names, rows > 0, worst < 1e-6, e.bias[1] == nil
                """)
            #expect(out == ["7", "true", "true", "true"], "\(model): \(out)")
        }
    }

    @Test func luaModelsExplainOnlyWhenTheyDefineExplain() throws {
        try lua.run("""
            rally.model.register("flat", {fit = function(self, X, y) end,
              predict = function(self, X) local p = {} for i = 1, X.n do p[i] = 0.25 end return p end})
            rally.model.register("flat_why", {fit = function(self, X, y) end,
              predict = function(self, X) local p = {} for i = 1, X.n do p[i] = 0.25 end return p end,
              explain = function(self, X) return {bias = math.log(1 / 3), contributions = {}} end})
            """)
        #expect(lua.error("rally.model.new('flat', {}):fit(X, y):explain(X)").contains(
            "model 'flat' cannot explain its predictions: its definition has no explain function"))
        #expect(try lua.run("local e = rally.model.new('flat_why', {}):fit(X, y):explain(X) return math.abs(e.margin[1000] - math.log(1 / 3)) < 1e-12, e.contributions.lag0[1000]")
                == ["true", "0.0"])
        // a forecast with a model that cannot explain itself has no reasons and says so
        #expect(try lua.run("""
            local f = rally.forecast{data = ds, features = fx, labeler = lab, model = rally.model.new('flat', {})}
            return #f, #f:rows()[1].reasons, f.notes[1]
            """) == ["24", "0", "model flat cannot explain its predictions: no reasons"])
    }

    @Test func forecastFromLua() throws {
        let out = try lua.run("""
            local m = rally.model.gbdt{rounds = 20, nthread = 1}
            f = rally.forecast{data = ds, features = fx, labeler = lab, model = m, cost_ratio = 4}
            local r = f:rows()
            return tostring(f):match("^<Forecast 24 hours issued ") ~= nil, #r, r[1].target, f.alarm_level, #r[1].reasons <= 3, m.fitted
            """)
        #expect(out[0] == "true" && out[1] == "24" && out[3] == "0.2" && out[4] == "true" && out[5] == "false")
        #expect(out[2] == "2014-01-01 00:00", "the first open row targets the first hour after the data")
        // the fitted model's prediction for the issue row is the forecast
        #expect(try lua.run("""
            local p = f:model():predict(X)
            local n = #ds
            return p[n - 23] == f:rows()[1].probability, p[n] == f:rows()[24].probability
            """) == ["true", "true"])
        #expect(lua.error("rally.forecast{data = ds, features = fx, labeler = lab, model = rally.model.naive(), cost_ratio = -1}").contains("field 'cost_ratio'"))
        #expect(lua.error("rally.forecast{data = ds, features = fx, labeler = lab, model = rally.model.naive(), top = 1000}").contains("field 'top'"))
        #expect(lua.error("rally.forecast{data = ds, features = fx, labeler = lab}").contains("field 'model'"))
    }
}

extension ForecastLuaTests {
    @Test func bundlesRoundTripFromLua() throws {
        let path = "/tmp/rally-lua-bundle-\(getpid()).json"
        defer { unlink(path) }
        let out = try lua.run("""
            local f = rally.forecast{data = ds, features = fx, labeler = lab, model = rally.model.calibrated{base = rally.model.logreg(), holdout = "60d"}}
            f:model():save_bundle("\(path)")
            local b = rally.bundle.load("\(path)")
            local g = rally.forecast{data = ds, bundle = "\(path)"}
            local h = rally.forecast{data = ds, bundle = b, cost_ratio = 4}
            local same = true
            for i, r in ipairs(f:rows()) do same = same and r.probability == g:rows()[i].probability and r.probability == h:rows()[i].probability end
            return same, b.name, b.step, b.training_rows == f.training_rows, tostring(b.labeler), b:model().fitted, #b.columns
            """)
        #expect(out == ["true", "logreg_platt", "3600", "true", "<Labeler quantile{col=price, q=0.95, window=672, horizon=24}>", "true", "1"], "\(out)")
        #expect(lua.error("rally.model.logreg():fit(X, y):save_bundle('\(path)')").contains("this model has no forecasting recipe"))
        #expect(lua.error("rally.forecast{data = ds, bundle = '\(path)', model = rally.model.naive()}").contains(
            "field 'model': give either bundle (it carries its model, features and labeler) or model, features and labeler"))
        #expect(lua.error("rally.forecast{data = ds, bundle = '/nonexistent/b.json'}").contains("field 'bundle': cannot read bundle '/nonexistent/b.json'"))
        #expect(lua.error("rally.forecast{data = ds:slice('2013-01-01', '2013-03-01'), bundle = '\(path)'}").contains("not after the bundle's training window"))
        #expect(lua.error("rally.bundle.load('\(path).missing')").contains("cannot read bundle"))
    }
}
