import Testing
@testable import RallyEngine

/// The Lua face of features and labelers: rally.features, rally.labeler, FeatureSpec,
/// FeatureMatrix, Labeler.
@Suite struct FeatureLuaTests {
    let lua = LuaHarness()

    init() throws {
        try lua.run("ds = rally.dataset.synthetic{years = 1, seed = 1}; n = #ds")
    }

    /// The error `chunk` raises, without its position and traceback.
    func luaError(_ chunk: String) -> String { lua.errorMessage(chunk) }

    var rows: String { (try? lua.run("return n"))?.first ?? "?" }

    @Test func protocolV1FromLua() throws {
        try lua.run("fx = rally.features.protocol_v1(); lab = rally.labeler.quantile{col = 'price', q = 0.95, window = 672, horizon = 24}")
        #expect(try lua.run("return tostring(fx)") == ["""
            <FeatureSpec 19 columns, horizon 24: lag0, lag1, lag2, lag23, lag144, mean24, std24, mean168, std168, max24, gap_to_thr, \
            hour, dow, month, weekend, sys_load_fc, sys_load_fc_rel, zonal_load_fc, zonal_load_fc_rel>
            """])
        #expect(try lua.run("return #fx, fx:names()[11]") == ["19", "gap_to_thr"])
        try lua.run("X = fx:build(ds, lab)")
        let shown = try lua.run("return tostring(X)")[0]
        #expect(shown.hasPrefix("<FeatureMatrix \(rows) rows x 19 features, "))
        #expect(shown.hasSuffix("%)>") && !shown.contains("\n"))
        #expect(try lua.run("local c = X:coverage() return c.lag0, c.lag144 == (n - 144) / n, c.nope") == ["1.0", "true", "nil"])
        #expect(try lua.run("return (X:describe():match('lag144 +[0-9.]+%%'))") == ["lag144" + String(repeating: " ", count: 13) + "98.36%"])
        #expect(try lua.run("return #X:names(), X:names()[19], X:totable().lag1.n == n") == ["19", "zonal_load_fc_rel", "true"])
        #expect(try lua.run("return #X == n, #X:col('lag0') == n, X:col('lag1')[1], X:col('lag1')[2] == ds.price[1]") == ["true", "true", "nil", "true"])
        #expect(try lua.run("local t = X:totable() return #t.hour, t.lag144[145] == ds.price[1], t.gap_to_thr[1]") == [rows, "true", "nil"])
        // gap_to_thr is price / the labeler's threshold, row for row
        #expect(try lua.run("""
            local r = lab:apply(ds) local g = X:col('gap_to_thr')
            return math.abs(g[1000] - ds.price[1000] / r.thresholds[1000]) < 1e-12, r.horizon, #r.labels == n
            """) == ["true", "24", "true"])
        #expect(try lua.run("local u = X:usable() return u[1], u[n - 24], u[n]") == ["0.0", "1.0", "0.0"])
        #expect(try lua.run("return X:timestamps()[1] == ds:timestamps()[1]") == ["true"])
        #expect(luaError("X:col('lag3')").hasPrefix("bad argument #1 to 'col' (no feature 'lag3'; features: lag0, lag1, lag2, lag23, lag144, mean24,"))
    }

    @Test func featureSpecFromLuaTable() throws {
        try lua.run("""
            fx = rally.features{
              horizon = 12, lags = {0, 24},
              rolling = {{stat = "mean", window = 24}, {stat = "quantile", q = 0.9, window = 48}, {stat = "min", window = 6, col = "sys_load_fc"},
                         {stat = "max", window = 24, name = "peak"}},
              relative = {168, {window = 24, col = "zonal_load_fc"}},
              gap_to_thr = true,
              calendar = {"hour", "doy", "holiday"},
              exogenous = {"sys_load_fc", {col = "zonal_load_fc", rel = 168}},
              ratio = {{"lag0", "mean24"}}, difference = {{a = "lag0", b = "lag24", name = "daily_change"}},
            }
            """)
        #expect(try lua.run("return table.concat(fx:names(), ' ')") == [
            "lag0 lag24 mean24 q90_48 sys_load_fc_min6 peak rel168 zonal_load_fc_rel24 gap_to_thr hour doy holiday sys_load_fc zonal_load_fc zonal_load_fc_rel lag0/mean24 daily_change",
        ])
        #expect(try lua.run("return (fx:describe():match('daily_change = [^\\n]*'))") == ["daily_change = lag0 - lag24"])
        try lua.run("X = fx:build(ds, rally.labeler.threshold{level = 100, horizon = 12})")
        #expect(try lua.run("local d, a, b = X:col('daily_change'), X:col('lag0'), X:col('lag24') return d[100] == a[100] - b[100]") == ["true"])
        #expect(try lua.run("return X:col('gap_to_thr')[5] == ds.price[5] / 100") == ["true"])
        #expect(try lua.run("return X:col('sys_load_fc')[1] == ds.sys_load_fc[13], X:col('holiday'):sum() > 0") == ["true", "true"])
    }

    @Test func rollingFromLua() throws {
        #expect(try lua.run("local v = rally.features.rolling({1, 5, 2, 8}, {stat = 'max', window = 2}) return tostring(v), v[1], v[4]")
                == ["<Vector max2: 4 values, mean 6, min 5, max 8, 1 missing>", "nil", "8.0"])
        #expect(try lua.run("return rally.features.rolling(ds.price, {stat = 'quantile', q = 0.5, window = 3})[3] == rally.features.rolling(ds.price, {stat = 'quantile', q = 0.5, window = 3})[3]") == ["true"])
        #expect(luaError("rally.features.rolling({1, 2}, {stat = 'median', window = 2})")
                == #"bad argument #2 to 'rolling' (field 'stat': expected one of "mean", "std", "min", "max", "quantile", got "median")"#)
        #expect(luaError("rally.features.rolling({1, 2}, {stat = 'std', window = 1})")
                == "bad argument #2 to 'rolling' (field 'window': std needs a window of at least 2 (sample std, n - 1), got 1)")
        #expect(luaError("rally.features.rolling({1, 2}, {stat = 'max', window = 2, q = 3})")
                == "bad argument #2 to 'rolling' (unknown option 'q'; valid options: stat, window)")
    }

    @Test func labelersFromLua() throws {
        try lua.run("lab = rally.labeler.quantile{q = 0.95}")
        #expect(try lua.run("return tostring(lab), lab.kind, lab.horizon, lab.q, lab.window, lab.col")
                == ["<Labeler quantile{col=price, q=0.95, window=672, horizon=24}>", "quantile", "24", "0.95", "672", "price"])
        #expect(try lua.run("local l2 = lab:with{q = 0.99} return l2.q, lab.q, tostring(l2)")
                == ["0.99", "0.95", "<Labeler quantile{col=price, q=0.99, window=672, horizon=24}>"])
        #expect(try lua.run("local r = lab:apply(ds) return tostring(r.labels):match('^<Vector labels: ' .. n .. ' values') ~= nil, r.thresholds[671], r.thresholds[672] ~= nil")
                == ["true", "nil", "true"])
        #expect(try lua.run("return tostring(rally.labeler.threshold{level = 150}), tostring(rally.labeler.jump{rise = 0.5, horizon = 6})")
                == ["<Labeler threshold{col=price, level=150, horizon=24}>", "<Labeler jump{col=price, rise=0.5, horizon=6}>"])
        try lua.run("daily = rally.labeler.daily_any{q = 0.9, window = 168}")
        #expect(try lua.run("return tostring(daily), daily.horizon, daily:apply(ds).horizon, tostring(daily:with{level = 200})")
                == ["<Labeler daily_any{col=price, q=0.9, window=168}>", "47", "47", "<Labeler daily_any{col=price, level=200}>"])
        #expect(try lua.run("local p = lab:parameters() return p.kind, p.q, p.window") == ["quantile", "0.95", "672"])
    }

    @Test func argumentErrorsSayWhichArgumentAndWhy() throws {
        #expect(luaError("rally.labeler.quantile{window = 0}")
                == "bad argument #1 to 'quantile' (field 'window': integer steps in [1, 1000000] or a duration such as \"24h\" expected, got 0 (history behind that quantile: steps, or a duration such as \"28d\"))")
        #expect(luaError("rally.labeler.quantile{window = -24}")
                == "bad argument #1 to 'quantile' (field 'window': integer steps in [1, 1000000] or a duration such as \"24h\" expected, got -24 (history behind that quantile: steps, or a duration such as \"28d\"))")
        #expect(luaError("rally.labeler.quantile{q = 1.5}") == "bad argument #1 to 'quantile' (field 'q': a number in (0, 1) expected, got 1.5 (the trailing quantile a rally must beat))")
        #expect(luaError("rally.labeler.daily_any{q = 0}") == "bad argument #1 to 'daily_any' (field 'q': a number in (0, 1) expected, got 0 (the trailing quantile a rally must beat))")
        #expect(luaError("rally.labeler.quantile{q = '0.9'}") == "bad argument #1 to 'quantile' (field 'q': number expected, got string (the trailing quantile a rally must beat))")
        #expect(luaError("rally.labeler.quantile{qq = 0.9}")
                == "bad argument #1 to 'quantile' (unknown option 'qq'; valid options: col, horizon, q, window)")
        #expect(luaError("rally.labeler.quantile()") == "bad argument #1 to 'quantile' (table expected, got no value)")
        #expect(luaError("rally.labeler.threshold{horizon = 0, level = 3}")
                == "bad argument #1 to 'threshold' (field 'horizon': integer steps in [1, 1000000] or a duration such as \"24h\" expected, got 0 (how far ahead the label looks: steps, or a duration such as \"24h\"))")
        #expect(luaError("rally.labeler.jump{}") == "bad argument #1 to 'jump' (field 'rise': number in [0, inf) expected, got nil (the relative rise a rally must beat (0.5 = +50%)))")
        #expect(luaError("rally.labeler.quantile{}:with{q = 2}") == "bad argument #1 to 'with' (field 'q': a number in (0, 1) expected, got 2 (the trailing quantile a rally must beat))")
        #expect(luaError("rally.labeler.quantile{col = 'prices'}:apply(ds)")
                == "bad argument #1 to 'apply' (quantile labeler: no column 'prices' in the dataset (columns: price, sys_load_fc, zonal_load_fc))")
        #expect(luaError("rally.labeler.threshold{level = 1, horizon = 100000}:apply(ds)")
                == "bad argument #1 to 'apply' (threshold labeler: horizon 100000 is longer than the data (\(rows) rows): no label can be defined)")
        #expect(luaError("rally.labeler.quantile{}:apply({})") == "bad argument #1 to 'apply' (Dataset expected, got table)")

        #expect(luaError("rally.features{rolling = {{stat = 'mean', window = 0}}}")
                == "bad argument #1 to 'features' (field 'rolling[1].window': integer steps in [1, 1000000] or a duration such as \"24h\" expected, got 0)")
        #expect(luaError("rally.features{rolling = {{stat = 'mean', window = 24}, {stat = 'quantile', window = 24, q = 1}}}")
                == "bad argument #1 to 'features' (field 'rolling[2].q': must be in (0, 1), got 1)")
        #expect(luaError("rally.features{rolling = {{stat = 'mean', window = 24, widow = 3}}}")
                == "bad argument #1 to 'features' (field 'rolling[1]': unknown option 'widow'; valid options: col, name, stat, window)")
        #expect(luaError("rally.features{lags = {1, -2}}")
                == "bad argument #1 to 'features' (field 'lags[2]': integer steps in [0, 1000000] or a duration such as \"24h\" expected, got -2)")
        #expect(luaError("rally.features{relative = {-5}}")
                == "bad argument #1 to 'features' (field 'relative[1]': integer steps in [1, 1000000] or a duration such as \"24h\" expected, got -5)")
        #expect(luaError("rally.features{calendar = {'hour', 'week'}}")
                == #"bad argument #1 to 'features' (field 'calendar': expected one of "hour", "dow", "month", "weekend", "doy", "holiday", got "week")"#)
        #expect(luaError("rally.features{col = 'price', rolling = {stat = 'mean', window = 5}}")
                == "bad argument #1 to 'features' (field 'rolling': a list of tables {stat = ..., window = ...} expected, found key 'stat' (each entry needs its own braces: rolling = {{...}, ...}))")
        #expect(luaError("rally.features{relative = {window = 24}}")
                == "bad argument #1 to 'features' (field 'relative': a list of windows or tables {window = ...} expected, found key 'window' (each entry needs its own braces: relative = {{...}, ...}))")
        #expect(luaError("rally.features{exogenous = {col = 'sys_load_fc'}}")
                == "bad argument #1 to 'features' (field 'exogenous': a list of column names or tables {col = ..., rel = ...} expected, found key 'col' (each entry needs its own braces: exogenous = {{...}, ...}))")
        #expect(luaError("rally.features{lags = {0}, ratio = {a = 'lag0', b = 'lag0'}}")
                == "bad argument #1 to 'features' (field 'ratio': a list of tables {\"a\", \"b\"} expected, found key 'a' (each entry needs its own braces: ratio = {{...}, ...}))")
        #expect(luaError("rally.features{lags = {k = 1}}") == "bad argument #1 to 'features' (field 'lags': a list of steps or durations expected, found key 'k')")
        #expect(luaError("rally.features{calendar = {first = 'hour'}}") == "bad argument #1 to 'features' (field 'calendar': a list of strings expected, found key 'first')")
        let empty = "bad argument #1 to 'features' (features: the spec builds no columns; give at least one of lags, rolling, relative, gap_to_thr, calendar, exogenous)"
        #expect(luaError("rally.features{}") == empty)
        #expect(luaError("rally.features{lags = {}}") == empty)
        #expect(luaError("rally.features{col = 'price', horizon = 12}") == empty)
        #expect(luaError("rally.features{lag = {1}}")
                == "bad argument #1 to 'features' (unknown option 'lag'; valid options: calendar, col, difference, exogenous, gap_to_thr, horizon, lags, ratio, relative, rolling)")
        #expect(luaError("rally.features{lags = {0}, ratio = {{'lag0', 'lag9'}}}")
                == "bad argument #1 to 'features' (features: feature 'lag0/lag9': 'lag9' is not a feature defined before it)")
        #expect(luaError("rally.features{lags = {0, 0}}") == "bad argument #1 to 'features' (features: two features are named 'lag0')")
        #expect(luaError("rally.features{exogenous = {'nope'}}:build(ds)")
                == "bad argument #1 to 'build' (features: feature 'nope': no column 'nope' in the dataset (columns: price, sys_load_fc, zonal_load_fc))")
        #expect(luaError("rally.features{horizon = 100000, exogenous = {'sys_load_fc'}}:build(ds)")
                == "bad argument #1 to 'build' (features: horizon 100000 is longer than the data (\(rows) rows))")
        #expect(luaError("rally.features{rolling = {{stat = 'max', window = 100000}}}:build(ds)")
                == "bad argument #1 to 'build' (features: feature 'max100000' reaches 100000 rows back, longer than the data (\(rows) rows))")
        #expect(luaError("rally.features.protocol_v1():build(ds)")
                == "bad argument #2 to 'build' (features: gap_to_thr needs the labeler's threshold series: build with a labeler)")
        #expect(luaError("rally.features.protocol_v1():build(ds, rally.labeler.quantile{window = 100000})")
                == "bad argument #2 to 'build' (quantile labeler: window 100000 is longer than the data (\(rows) rows))")
        #expect(luaError("rally.features.protocol_v1():build(ds, rally.labeler.quantile{}):col('lag7')").hasPrefix(
            "bad argument #1 to 'col' (no feature 'lag7'; features: lag0, lag1,"))
    }

    @Test func helpDocumentsTheFace() throws {
        #expect(try lua.run("return rally.help(rally.labeler.quantile)")[0].hasPrefix("rally.labeler.quantile{[options]} -- the protocol's labeler."))
        // the options and their defaults come from the labeler's schema
        #expect(try lua.run("return rally.help(rally.labeler.quantile)")[0].contains("\n  window = 672 (integer steps in [1, 1000000] or a duration such as \"24h\"): history behind that quantile"))
        #expect(try lua.run("return rally.help(rally.features.protocol_v1())")[0].contains(":build"))
        #expect(try lua.run("return rally.help('Labeler')")[0].contains(":with"))
    }
}
