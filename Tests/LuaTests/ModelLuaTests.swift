import LuaBridge
import Foundation
import Testing
@testable import RallyEngine

/// A Lua chunk defining `X` (two columns, 8 rows) and `y` used by the model tests.
private let data = """
X = {a = {1, 2, 3, 4, 5, 6, 7, 8}, b = {0.5, 0.1, 0.4, 0.2, 0.9, 0.3, 0.8, 0.7}}
y = {0, 0, 0, 1, 0, 1, 1, 1}
"""

@Test func builtInConstructorsMakeModels() throws {
    let lua = LuaHarness()
    #expect(try lua.run("return rally.model.gbdt{rounds = 300, depth = 6, eta = 0.05}") ==
            ["<Model gbdt rounds=300 eta=0.05 max_depth=6 (not fitted)>"])
    #expect(try lua.run("return rally.model.logreg{C = 0.5, name = 'lr'}") == ["<Model lr: logreg C=0.5 (not fitted)>"])
    #expect(try lua.run("return rally.model.naive()") == ["<Model naive (not fitted)>"])
    #expect(try lua.run("local m = rally.model.new('logreg', {class_weight = 'balanced'}); return m.kind, m.name, m.fitted, m:params().class_weight, m:params().C")
            == ["logreg", "logreg", "false", "balanced", "1"])
    #expect(try lua.run("return table.concat(rally.model.list(), ',')") == ["naive,climatology,logreg,gbdt"])
}

@Test func unknownParametersAreErrorsListingTheValidOnes() throws {
    let lua = LuaHarness()
    #expect(lua.error("rally.model.logreg{c = 1}").contains(
        "bad argument #1 to 'logreg' (model 'logreg': unknown parameter 'c'; valid parameters: C, class_weight, max_iter, tol)"))
    #expect(lua.error("rally.model.gbdt{eta = 'fast'}").contains("parameter 'eta': number expected, got string"))
    #expect(lua.error("rally.model.new('forest', {})").contains("unknown model 'forest'; models: naive, climatology, logreg, gbdt"))
    #expect(lua.error("rally.model.logreg{C = {}}").contains("field 'C': number, string or boolean expected, got table"))
}

@Test func parameterAndFileMessagesFromLua() throws {
    let lua = LuaHarness()
    #expect(lua.error("rally.model.logreg{C = math.huge}").contains("bad argument #1 to 'logreg' (model 'logreg': parameter 'C': a number in (0, inf) expected, got inf)"))
    #expect(lua.error("rally.model.logreg{C = 0/0}").contains("parameter 'C': a number in (0, inf) expected, got nan)"))
    #expect(lua.error("rally.model.naive{cut = 0/0}").contains("parameter 'cut': a finite number expected, got nan)"))
    #expect(lua.error("rally.model.gbdt{validation_fraction = 0.2}").contains(
        "bad argument #1 to 'gbdt' (model 'gbdt': parameter 'validation_fraction' needs early_stopping_rounds > 0 (it has no effect otherwise))"))
    #expect(try lua.run("return rally.model.gbdt{validation_fraction = 0.3, early_stopping_rounds = 5}.name") == ["gbdt"])
    #expect(lua.error("rally.model.gbdt{name = ''}").contains("bad argument #1 to 'gbdt' (field 'name': a non-empty string expected, got \"\")"))
    #expect(lua.error("rally.model.load('/etc/passwd')").contains("'/etc/passwd' is not a rally model file (not JSON)"))
    #expect(lua.error("rally.model.load('/nonexistent-rally')").contains("cannot read model file '/nonexistent-rally': No such file or directory"))
    try lua.run(data)
    try lua.run("m = rally.model.logreg(); m:fit(X, y)")
    #expect(lua.error("m:save('')").contains("logreg: cannot write '': the path is empty"))
    #expect(lua.error("m:save('/nonexistent-rally/m.json')").contains("logreg: cannot write '/nonexistent-rally/m.json': No such file or directory"))
}

@Test func fitAndPredictFromLuaTables() throws {
    let lua = LuaHarness()
    try lua.run(data)
    let out = try lua.run("""
    local m = rally.model.logreg{C = 10}
    assert(m:fit(X, y) == m)
    local p = m:predict(X)
    return #p, p[1] < 0.5, p[8] > 0.5, m.fitted, m:report().iterations > 0, tostring(m)
    """)
    #expect(out == ["8", "true", "true", "true", "true", "<Model logreg C=10 (fitted)>"])
    // rows as records give the same predictions as columns
    let same = try lua.run("""
    local rows = {}
    for i = 1, 8 do rows[i] = {a = X.a[i], b = X.b[i]} end
    local m1, m2 = rally.model.logreg(), rally.model.logreg()
    m1:fit(X, y); m2:fit(rows, y)
    return m1:predict(X)[3] == m2:predict(rows)[3]
    """)
    #expect(same == ["true"])
}

@Test func shapeMismatchesAreErrors() throws {
    let lua = LuaHarness()
    try lua.run(data)
    #expect(lua.error("rally.model.logreg():fit(X, {0, 1})").contains("bad argument #2 to 'fit' (2 labels for 8 rows of X)"))
    #expect(lua.error("rally.model.logreg():fit({a = {1, 2, 3}, b = {1, 2}}, {0, 1, 0})").contains("columns have different lengths (a 3, b 2)"))
    #expect(lua.error("rally.model.logreg():fit(X, {0, 0, 0, 0, 0, 0, 0, 0})").contains("logreg: the training labels are all 0 (8 rows); fitting needs both classes"))
    #expect(lua.error("local m = rally.model.logreg(); m:fit(X, y); m:predict{a = {1}}").contains("logreg: X has 1 features but the model was fitted on 2 (missing: b)"))
    #expect(lua.error("rally.model.logreg():predict(X)").contains("logreg: the model is not fitted"))
    #expect(lua.error("rally.model.logreg():fit({a = {1, 0/0, 3, 4}}, {0, 1, 0, 1})").contains("logreg: X has a missing value (NaN) at row 2, feature 'a'"))
    #expect(lua.error("rally.model.logreg():fit('X', y)").contains("bad argument #1 to 'fit' (FeatureMatrix or table expected, got string)"))
}

@Test func gbdtImportanceSaveAndLoadFromLua() throws {
    let lua = LuaHarness()
    try lua.run(data)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("rally-lua-gbdt-\(ProcessInfo.processInfo.processIdentifier).json").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let out = try lua.run("""
    local m = rally.model.gbdt{rounds = 10, nthread = 1, min_child_weight = 0}
    m:fit(X, y)
    local imp = m:importance()
    m:save("\(path)")
    local back = rally.model.load("\(path)")
    local p, q = m:predict(X), back:predict(X)
    local same = true
    for i = 1, #p do same = same and p[i] == q[i] end
    return #imp, imp[1].feature ~= nil, imp[1].score >= imp[2].score, same, tostring(back)
    """)
    #expect(out == ["2", "true", "true", "true", "<Model gbdt rounds=10 eta=0.05 max_depth=6 min_child_weight=0 nthread=1 (fitted)>"])
    #expect(lua.error("local m = rally.model.logreg(); m:fit(X, y); m:importance()").contains("logreg: this model has no feature importance"))
}

private let hourRate = """
rally.model.register("mean_rate", {
  doc = "the training rally rate, shrunk towards prior",
  params = {prior = 0.5, weight = 0},
  fit = function(self, X, y)
    local s = 0
    for i = 1, X.n do s = s + y[i] end
    local w = self.params.weight
    self.rate = (s + w * self.params.prior) / (X.n + w)
    self.names = table.concat(X.names, ",")
  end,
  predict = function(self, X)
    local p = {}
    for i = 1, X.n do p[i] = self.rate end
    return p
  end,
})
"""

@Test func luaDefinedModelRunsThroughTheRegistry() throws {
    let lua = LuaHarness()
    try lua.run(data)
    try lua.run(hourRate)
    #expect(try lua.run("return table.concat(rally.model.list(), ',')") == ["naive,climatology,logreg,gbdt,mean_rate"])
    let out = try lua.run("""
    local m = rally.model.new("mean_rate", {weight = 2})
    m:fit(X, y)
    local p = m:predict(X)
    return tostring(m), #p, p[1], m:params().prior
    """)
    // (4 + 2 * 0.5) / (8 + 2) = 0.5
    #expect(out == ["<Model mean_rate (Lua) prior=0.5 weight=2 (fitted)>", "8", "0.5", "0.5"])
    #expect(lua.error("rally.model.new('mean_rate', {wieght = 1})").contains("unknown parameter 'wieght'; valid parameters: prior, weight"))
    #expect(lua.error("rally.model.new('mean_rate', {prior = 'high'})").contains("parameter 'prior': number expected, got string"))
}

@Test func luaDefinedModelsRunAsFactoriesOnTheLuaThread() throws {
    let lua = LuaHarness()
    try lua.run(data)
    try lua.run(hourRate)
    try lua.run("models = {rally.model.new('mean_rate'), rally.model.logreg{name = 'lr'}}")
    let L = lua.L
    L.pushGlobals()
    L.rawGet(-1, "models")
    let factories = try (1...2).map { i -> any ModelFactory in
        L.rawGet(-1, index: i)
        defer { L.pop() }
        return try #require(LuaObjects.peek(L, -1, ModelBindings.className, as: ModelObject.self)).factory(L)
    }
    L.pop(2)
    #expect(factories.map(\.name) == ["mean_rate", "lr"])
    #expect(factories[0].sendableSpec == nil)
    #expect(factories[1].sendableSpec?.kind == "logreg")
    let X = DesignMatrix(names: ["a", "b"], columns: [[1, 2, 3, 4], [0.5, 0.1, 0.4, 0.2]])
    for factory in factories {
        let model = try factory.make()
        try model.fit(X, labels: [0, 1, 0, 1], weights: nil)
        let p = try model.predict(X)
        #expect(p.count == 4)
        if factory.kind == "mean_rate" { #expect(p == [0.5, 0.5, 0.5, 0.5]) }
    }
    #expect(L.top == 0)
}

@Test func luaDefinedModelErrorsAreReported() throws {
    let lua = LuaHarness()
    try lua.run(data)
    try lua.run("""
    rally.model.register("broken", {
      fit = function(self, X, y) if X.n > 3 then error("too many rows") end end,
      predict = function(self, X) return {2} end,
    })
    """)
    #expect(lua.error("rally.model.new('broken'):fit(X, y)").contains("model 'broken' fit: "))
    #expect(lua.error("rally.model.new('broken'):fit(X, y)").contains("too many rows"))
    #expect(lua.error("local m = rally.model.new('broken'); m:fit({a = {1, 2}}, {0, 1}); m:predict({a = {1, 2}})")
            .contains("model 'broken' predict: returned 1 probabilities for 2 rows"))
    #expect(lua.error("local m = rally.model.new('broken'); m:fit({a = {1}}, {0, 1})").contains("1 rows"))
    #expect(lua.error("rally.model.register('logreg', {fit = print, predict = print})").contains("'logreg' is a built-in model"))
    #expect(lua.error("rally.model.register('x', {fit = print})").contains("field 'predict': function expected, got nil"))
    #expect(lua.error("rally.model.register('x', {fit = print, predict = print, fitt = 1})").contains("unknown option 'fitt'"))
    #expect(lua.error("rally.model.new('broken'):save('/tmp/x')").contains("not fitted"))
}

/// Synthetic data, the protocol's labeler and features, for tests that run the whole path.
private let pipeline = """
ds = rally.dataset.synthetic{years = 2, seed = 1}
lab = rally.labeler.quantile{col = "price", q = 0.95, window = 672, horizon = 24}
fx = rally.features.protocol_v1()
"""

@Test func fitAndPredictOnAFeatureMatrix() throws {
    let lua = LuaHarness()
    try lua.run(pipeline)
    let out = try lua.run("""
    local X, y = fx:build(ds, lab), lab:apply(ds).labels
    local p = rally.model.logreg():fit(X, y):predict(X)
    local usable, holes, aligned = X:usable(), 0, true
    for i = 1, #p do
      if p[i] == nil then holes = holes + 1 end
      aligned = aligned and ((p[i] ~= nil) == (usable[i] == 1))
    end
    return #p == #ds, holes, math.tointeger(#ds - usable:sum()), aligned
    """)
    #expect(out.count == 4 && out[0] == "true" && out[1] == out[2] && out[3] == "true")
}

@Test func luaDefinedModelRunsThroughEvaluate() throws {
    let lua = LuaHarness()
    try lua.run(pipeline)
    try lua.run(hourRate)
    let out = try lua.run("""
    local split = rally.split{train_end = "2013-09-30 23:00", test_start = "2013-10-01 00:00", embargo = 24, horizon = 24}
    local res = rally.evaluate{data = ds, features = fx, labeler = lab, split = split, bootstrap = 0, quiet = true,
                               models = {rally.model.naive(), rally.model.new("mean_rate", {name = "flat"})}}
    return res:table():find("flat") ~= nil
    """)
    #expect(out == ["true"])
}

@Test func luaModelParametersFollowTheBuiltInsRules() throws {
    let lua = LuaHarness()
    try lua.run(data)
    try lua.run("""
    rally.model.register("ranged", {
      params = {prior = 0.5, k = {default = 3, min = 1, max = 10, integer = true, doc = "neighbours"},
                mode = {default = "mean", choices = {"mean", "median"}}},
      fit = function(self, X, y) end,
      predict = function(self, X) local p = {} for i = 1, X.n do p[i] = self.params.prior end return p end,
    })
    rally.model.register("bare", {fit = function() end, predict = function() end})
    """)
    #expect(try lua.run("return tostring(rally.model.new('ranged', {k = 4}))") == ["<Model ranged (Lua) k=4 mode=mean prior=0.5 (not fitted)>"])
    #expect(lua.error("rally.model.new('ranged', {prior = 0/0})").contains(
        "bad argument #2 to 'new' (model 'ranged': parameter 'prior': a finite number expected, got nan)"))
    #expect(lua.error("rally.model.new('ranged', {k = 2.5})").contains("parameter 'k': an integer in [1, 10] expected, got 2.5"))
    #expect(lua.error("rally.model.new('ranged', {mode = 'max'})").contains(#"parameter 'mode': one of "mean", "median" expected, got "max""#))
    #expect(lua.error("rally.model.new('bare', {x = 1})").contains(
        "unknown parameter 'x'; valid parameters: (none; declare them in params = {...} when registering)"))
    #expect(lua.error("rally.model.register('r2', {fit = print, predict = print, params = {k = {default = 0, min = 1}}})").contains(
        "bad argument #2 to 'register' (field 'params': parameter 'k': default: a number in [1, inf) expected, got 0)"))
    #expect(lua.error("rally.model.register('r2', {fit = print, predict = print, params = {k = {defualt = 1}}})").contains(
        "field 'params': 'k': unknown field 'defualt'; valid fields: choices, default, doc, integer, max, min"))
    #expect(lua.error("rally.model.register('r2', {fit = print, predict = print, params = {k = {default = 1, min = 'a'}}})").contains(
        "field 'params': 'k': field 'min': number expected, got string"))
    #expect(lua.error("rally.model.register('r2', {fit = print, predict = print, params = {k = print}})").contains(
        "field 'params': 'k': a default (number, string or boolean) or a table {default = ..., min = ..., ...} expected, got function"))
    #expect(lua.error("rally.model.register('r2', {fit = print, predict = print, params = {k = 1/0}})").contains(
        "parameter 'k': default: a finite number expected, got inf"))
    #expect(lua.error("rally.model.register('a-b', {fit = print, predict = print})").contains(
        "bad argument #1 to 'register' (model names are letters, digits and '_', got 'a-b')"))
}

@Test func unfittedModelsSayTheyAreNotFitted() throws {
    let lua = LuaHarness()
    try lua.run(data)
    try lua.run(hourRate)
    #expect(lua.error("rally.model.logreg():save('/tmp/rally-never')").contains("logreg: the model is not fitted; call fit(X, y) first"))
    #expect(lua.error("rally.model.gbdt():importance()").contains("gbdt: the model is not fitted; call fit(X, y) first"))
    #expect(lua.error("rally.model.new('mean_rate'):predict(X)").contains("mean_rate: the model is not fitted; call fit(X, y) first"))
    #expect(try lua.run("local m = rally.model.logreg(); return m:report().iterations, m.fitted") == ["nil", "false"])
    #expect(try lua.run("return rally.model.new('mean_rate'):describe()") == [
        "mean_rate: a model written in Lua -- the training rally rate, shrunk towards prior\n  parameters: prior=0.5 weight=0\n  not fitted"])
}

@Test func fitOnAFeatureMatrixSkipsUndefinedLabelsAndChecksWeights() throws {
    let lua = LuaHarness()
    try lua.run(pipeline)
    let out = try lua.run("""
    local X, y = fx:build(ds, lab), lab:apply(ds).labels
    local w = {}
    for i = 1, #ds do w[i] = 1 end
    local a = rally.model.logreg():fit(X, y):predict(X)
    local b = rally.model.logreg():fit(X, y, w):predict(X)
    local same = true
    for i = 1, #a do same = same and a[i] == b[i] end
    return same
    """)
    #expect(out == ["true"])
    #expect(lua.error("local X, y = fx:build(ds, lab), lab:apply(ds).labels; rally.model.logreg():fit(X, y, {1, 2})").contains(
        "bad argument #3 to 'fit' (2 weights for"))
    // a weight of the wrong type is one argument error, not one inside another
    #expect(lua.error("local X, y = fx:build(ds, lab), lab:apply(ds).labels; rally.model.logreg():fit(X, y, {1, 'a'})").hasSuffix(
        "bad argument #3 to 'fit' (number expected at index 2, got string)"))
    #expect(lua.error("rally.model.logreg():fit(fx:build(ds, lab), {0, 1})").contains("bad argument #2 to 'fit' (2 labels for"))
}

@Test func aLuaModelFittedInACoroutineRunsFromTheMainThread() throws {
    let lua = LuaHarness()
    try lua.run(data)
    try lua.run(hourRate)
    let out = try lua.run("""
    local m = rally.model.new("mean_rate")
    local co = coroutine.create(function() m:fit(X, y); coroutine.yield(m:predict(X)[1]) end)
    local ok, first = coroutine.resume(co)
    co = nil
    collectgarbage()
    return ok, first, m:predict(X)[1], m.fitted
    """)
    #expect(out == ["true", "0.5", "0.5", "true"])
}

@Test func calibratedModelsFromLua() throws {
    let lua = LuaHarness()
    #expect(try lua.run("return rally.model.calibrated{base = rally.model.gbdt{rounds = 50}, method = 'isotonic', holdout = 200}")
            == ["<Model gbdt_isotonic: calibrated method=isotonic holdout=200 of gbdt rounds=50 eta=0.05 max_depth=6 (not fitted)>"])
    #expect(try lua.run("local m = rally.model.calibrated{base = rally.model.logreg(), name = 'lr_cal'}; return m.name, m.kind, m:params().holdout, m:params()['base.C'], m:params().base")
            == ["lr_cal", "calibrated", "90d", "1", "logreg"])
    #expect(lua.error("rally.model.calibrated{method = 'platt'}").contains("field 'base': Model expected, got nil"))
    #expect(lua.error("rally.model.calibrated{base = rally.model.naive(), holdout = '90 days'}").contains("parameter 'holdout': "))
    #expect(lua.error("rally.model.calibrated{base = rally.model.naive(), holdout = '90 days'}").contains("expected, got \"90 days\""))
    #expect(lua.error("rally.model.calibrated{base = rally.model.naive(), holdout = 1e12}").contains("parameter 'holdout'"))
    #expect(lua.error("rally.model.calibrated{base = rally.model.naive(), method = 'beta'}").contains("parameter 'method': one of \"platt\", \"isotonic\" expected"))
    #expect(lua.error("rally.model.calibrated{base = rally.model.calibrated{base = rally.model.naive()}}").contains("already calibrated"))
    try lua.run("rally.model.register('flat', {fit = function() end, predict = function(self, X) return {} end})")
    #expect(lua.error("rally.model.calibrated{base = rally.model.new('flat', {})}").contains("a model written in Lua cannot be calibrated"))
    #expect(try lua.run("return rally.help(rally.model.calibrated)")[0].contains("embargo = \"1d\": rows (or a duration) before the holdout"))
    // on X without times, durations are refused and row counts work
    try lua.run("""
        local x, y = {}, {}
        for i = 1, 400 do x[i] = i; y[i] = (i % 7 == 0 or i % 11 == 0) and 1 or 0 end
        X, Y = {x = x}, y
        """)
    #expect(lua.error("rally.model.calibrated{base = rally.model.logreg()}:fit(X, Y)").contains("holdout is a duration, but X has no times"))
    #expect(try lua.run("local m = rally.model.calibrated{base = rally.model.logreg(), holdout = 100, embargo = 5}:fit(X, Y); return m:report().holdout_rows, m:report().base_rows, #m:predict(X)")
            == ["100", "295", "400"])
}

/// A calibrated model joins rally.evaluate and rally.sweep like any model: its row is the one
/// of the same model fitted on its own, and the sweep's equals the evaluation's.
@Test func calibratedModelsEvaluateAndSweep() throws {
    let lua = LuaHarness()
    let out = try lua.run("""
        local ds = rally.dataset.synthetic{years = 2, seed = 4}
        local lab = rally.labeler.quantile{col = "price", q = 0.95, window = 672, horizon = 24}
        local fx = rally.features{lags = {0, 1, 24}, rolling = {{stat = "mean", window = 24}}, gap_to_thr = true, calendar = {"hour"}}
        local sp = rally.split{train_end = "2014-06-30 23:00", test_start = "2014-07-01", embargo = 24}
        local models = {rally.model.naive(), rally.model.logreg(), rally.model.calibrated{base = rally.model.logreg(), method = "isotonic", holdout = "30d"}}
        local res = rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = models, bootstrap = 0, quiet = true}
        local t = rally.sweep{data = ds, features = fx, labeler = lab, split = sp, models = models, grid = {q = {0.9, 0.95}}, bootstrap = 0, quiet = true}
        local m = res:metrics().metrics
        local cal, swept = nil, nil
        for _, r in ipairs(t:rows()) do if r.model == "logreg_isotonic" and r.q == 0.95 then swept = r end end
        local p = res:predictions()
        return #t, swept.brier == m.logreg_isotonic.brier.value, swept.ece == m.logreg_isotonic.ece.value,
               m.logreg_isotonic.brier.value ~= m.logreg.brier.value, p.p_logreg_isotonic ~= nil
        """)
    #expect(out == ["6", "true", "true", "true", "true"], "\(out)")
}
