import Testing
@testable import RallyEngine

/// Durations wherever a step count is taken, from Lua: labelers, features, splits, walk-forward.
@Suite struct DurationLuaTests {
    let lua = LuaHarness()

    init() throws {
        try lua.run("ds = rally.dataset.synthetic{years = 1, seed = 1}")
    }

    func luaError(_ chunk: String) -> String { lua.errorMessage(chunk) }

    @Test func labelersAndFeaturesTakeDurations() throws {
        try lua.run("""
            lab = rally.labeler.quantile{window = "28d", horizon = "24h"}
            ref = rally.labeler.quantile{window = 672, horizon = 24}
            a, b = lab:apply(ds), ref:apply(ds)
            """)
        #expect(try lua.run("return tostring(lab), lab.window, lab.horizon, a.horizon")
                == ["<Labeler quantile{col=price, q=0.95, window=28d, horizon=24h}>", "28d", "24h", "24"])
        #expect(try lua.run("for i = 1, #ds do if a.labels[i] ~= b.labels[i] then return i end end return 'same'") == ["same"])
        #expect(try lua.run("return tostring(lab:with{window = 168})") == ["<Labeler quantile{col=price, q=0.95, window=168, horizon=24h}>"])
        #expect(luaError("rally.labeler.quantile{window = '25m'}:apply(ds)")
                == "bad argument #1 to 'apply' (quantile labeler: window = \"25m\" is not a whole number of 1 h steps)")
        #expect(luaError("rally.labeler.quantile{window = '4 weeks'}")
                == "bad argument #1 to 'quantile' (field 'window': integer steps in [1, 1000000] or a duration such as \"24h\" expected, got \"4 weeks\" (history behind that quantile: steps, or a duration such as \"28d\"))")

        try lua.run("""
            fx = rally.features{lags = {"1h", "1d", "1w"}, rolling = {{stat = "mean", window = "7d"}}, horizon = "1d"}
            gx = rally.features{lags = {1, 24, 168}, rolling = {{stat = "mean", window = 168}}}
            X, Y = fx:build(ds), gx:build(ds)
            """)
        #expect(try lua.run("return tostring(fx)") == ["<FeatureSpec 4 columns, horizon 1d: lag1h, lag1d, lag1w, mean7d>"])
        #expect(try lua.run("""
            for j, name in ipairs(X:names()) do
              local x, y = X:col(name), Y:col(gx:names()[j])
              for i = 1, #ds do if x[i] ~= y[i] then return name, i end end
            end
            return 'same'
            """) == ["same"])
        #expect(luaError("rally.features{lags = {'1h', '90 minutes'}}")
                == "bad argument #1 to 'features' (field 'lags[2]': integer steps in [0, 1000000] or a duration such as \"24h\" expected, got \"90 minutes\")")
        #expect(luaError("rally.features{rolling = {{stat = 'std', window = '30m'}}}:build(ds)")
                == "bad argument #1 to 'build' (features: feature 'std30m': window = \"30m\" is not a whole number of 1 h steps)")
        #expect(luaError("rally.features.rolling({1, 2, 3}, {stat = 'mean', window = '2h'})")
                == "bad argument #2 to 'rolling' (field 'window': a series without times has no step: give the window in steps, not \"2h\")")
    }

    @Test func splitsAndFoldsTakeDurations() throws {
        #expect(try lua.run("return rally.split{train_end = '2013-06-30 23:00', test_start = '2013-07-01', embargo = '1d', horizon = '24h'}.embargo")
                == ["24"])
        #expect(luaError("rally.split{train_end = '2013-06-30 23:00', test_start = '2013-07-01', embargo = '12h', horizon = '1d'}")
                .hasPrefix("split: embargo 12 h is shorter than the label horizon 24 h"))
        #expect(luaError("rally.split{train_end = '2013-06-30 23:00', test_start = '2013-07-01', embargo = '90m'}")
                == "bad argument #1 to 'split' (field 'embargo': a whole number of hours expected, got \"90m\" (time before train_end in which no row trains: at least the label horizon, e.g. embargo = 24 or \"1d\"))")
        #expect(try lua.run("return #rally.walkforward{first_test = '2013-07-01', step = 'month', embargo = '2d', horizon = '1d', data = ds}")
                == ["6"])
        #expect(luaError("rally.walkforward{first_test = '2013-07-01', step = 'month', embargo = 24, horizon = '90m', data = ds}")
                == "bad argument #1 to 'walkforward' (field 'horizon': horizon = \"90m\" is not a whole number of 1 h steps)")
    }

    @Test func helpSaysStepsOrDurations() throws {
        let steps = "integer steps in [1, 1000000] or a duration such as \"24h\""
        #expect(try lua.run("return rally.help(rally.labeler.quantile)")[0].contains("window = 672 (\(steps)): "))
        #expect(try lua.run("return rally.help(rally.split)")[0].contains("embargo (required) (integer hours in [0, 1000000] or a duration such as \"1d\"): "))
        #expect(try lua.run("return rally.help(rally.walkforward)")[0].contains("horizon (integer steps in [0, 1000000] or a duration such as \"24h\"): "))
    }
}
