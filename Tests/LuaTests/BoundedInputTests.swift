import Testing
@testable import RallyEngine

/// The reproducers of hostile numbers that used to trap the process (integer overflow, huge
/// allocations): each is now an ordinary Lua error whose text names the argument and the bound.
@Suite struct BoundedInputTests {
    let lua = LuaHarness()

    /// The error `chunk` raises, without its position and traceback.
    func luaError(_ chunk: String) -> String { lua.errorMessage(chunk) }

    @Test func optionsAreBoundedWhereTheyAreDecoded() throws {
        #expect(luaError("rally.load('/nonexistent.csv', {utc_offset = math.mininteger})")
                == "bad argument #2 to 'load' (field 'utc_offset': an integer in [-14, 14] expected, got -9223372036854775808 (Data Miner exports: hours to add to the UTC clock))")
        #expect(luaError("rally.split{train_end = '2013-09-30 23:00', test_start = '2013-10-01', embargo = math.maxinteger}")
                .hasPrefix("bad argument #1 to 'split' (field 'embargo': integer hours in [0, 1000000] or a duration such as \"1d\" expected, got 9223372036854775807"))
        #expect(luaError("rally.metrics({1, 0, 1}, {0.2, 0.5, 0.9}, {bins = math.maxinteger})")
                .hasPrefix("bad argument #3 to 'metrics' (field 'bins': an integer in [1, 1000] expected, got 9223372036854775807"))
        #expect(luaError("rally.metrics({1, 0, 1}, {0.2, 0.5, 0.9}, {bins = 2.5})")
                .hasPrefix("bad argument #3 to 'metrics' (field 'bins': an integer in [1, 1000] expected, got 2.5"))
        #expect(luaError("rally.dataset.synthetic{seed = 2^60}")
                .hasPrefix("bad argument #1 to 'synthetic' (field 'seed': an integer in [0, 9007199254740991] expected"))
    }

    @Test func methodArgumentsAreBounded() throws {
        try lua.run("ds = rally.dataset.synthetic{years = 1}; sp = rally.split{train_end = '2013-09-30 23:00', test_start = '2013-10-01', embargo = 24}")
        #expect(luaError("sp:rows(ds, math.maxinteger)")
                == "bad argument #2 to 'rows' (an integer in [0, 1000000] expected, got 9223372036854775807 (the label horizon in steps, to check the embargo now))")
        #expect(luaError("sp:rows(ds, -1)").hasPrefix("bad argument #2 to 'rows' (an integer in [0, 1000000] expected, got -1"))
        #expect(try lua.run("local tr, te = sp:rows(ds, 24) return #tr > 0, #te > 0") == ["true", "true"])
    }

    @Test func spansAreBounded() throws {
        try lua.run("ds = rally.dataset.synthetic{years = 1}")
        let expected = "expected \"year\", \"month\", \"N years\" (N up to 1000) or \"N months\" (N up to 12000)"
        #expect(luaError("rally.walkforward{first_test = '2013-02-01', step = 'month', embargo = 24, data = ds, window = 'rolling', train = '99999999999999 years'}")
                == "bad argument #1 to 'walkforward' (field 'train': \(expected), got \"99999999999999 years\")")
        for step in ["99999999999999 years", "800000000000000000 years", "999999999999999999 months", "0 months", "-3 years"] {
            #expect(luaError("rally.walkforward{first_test = '2013-02-01', step = '\(step)', embargo = 24, stop = '2014-01-01'}")
                    == "bad argument #1 to 'walkforward' (field 'step': \(expected), got \"\(step)\")")
        }
        #expect(try lua.run("return #rally.walkforward{first_test = '2013-02-01', step = '1000 years', embargo = 24, stop = '2014-01-01'}") == ["1"])
    }

    @Test func listLengthsAreBoundedByTheirData() throws {
        for n in ["math.maxinteger", "2^40"] {
            #expect(luaError("rally.vector{n = \(n)}").contains("more than 1000000 past the table's last value (0)"))
        }
        #expect(try lua.run("return #rally.vector{1, 2, n = 5}") == ["5"])
    }

    @Test func aLuaModelReturningAHugeLengthIsAnError() throws {
        try lua.run("""
            ds = rally.dataset.synthetic{years = 1}
            sp = rally.split{train_end = '2013-09-30 23:00', test_start = '2013-10-01', embargo = 24}
            rally.model.register('huge_n', {fit = function(self, X, y) end, predict = function(self, X) return {n = 2^40} end})
            """)
        let message = luaError("""
            rally.evaluate{data = ds, features = rally.features.protocol_v1(), labeler = rally.labeler.quantile{q = 0.95, window = 672, horizon = 24}, \
            split = sp, models = {rally.model.naive(), rally.model.new('huge_n', {})}, bootstrap = 0, quiet = true}
            """)
        #expect(message.hasPrefix("evaluate: 'huge_n' predicting fold 1: "), "\(message)")
        #expect(message.contains("more than 1000000 past the table's last value"), "\(message)")
    }

    @Test func nestedOptionsAreBoundedInDepth() throws {
        #expect(luaError("local t = {} t.rolling = {t} rally.features(t)")
                == "bad argument #1 to 'features' (tables nested deeper than 16 levels (a table that contains itself?))")
        #expect(luaError("rally.features{rolling = {{stat = 'mean', window = 2^40}}}")
                == "bad argument #1 to 'features' (field 'rolling[1].window': integer steps in [1, 1000000] or a duration such as \"24h\" expected, got 1099511627776)")
        #expect(luaError("rally.features{rolling = {{stat = 'mean', window = 24, [true] = 1}}}")
                == "bad argument #1 to 'features' (field 'rolling[1]': unknown option 'a boolean key'; valid options: col, name, stat, window)")
    }

    @Test func shardsAreCheckedWhereTheyAreDecoded() throws {
        try lua.run("""
            base = {data = rally.dataset.synthetic{years = 1}, features = rally.features.protocol_v1(),
                    labeler = rally.labeler.quantile{q = 0.95, window = 336, horizon = 24}, models = {rally.model.naive()},
                    split = rally.split{train_end = '2013-09-30 23:00', test_start = '2013-10-01', embargo = 24}, quiet = true}
            function with(extra) local t = {} for k, v in pairs(base) do t[k] = v end for k, v in pairs(extra) do t[k] = v end return t end
            """)
        #expect(luaError("rally.sweep(with{shard = {index = 1, count = 2}})")
                == "bad argument #1 to 'sweep' (field 'shard': a shard's configurations are merged from its resume file: give resume = path too)")
        #expect(luaError("rally.sweep(with{shard = {index = 0, count = 2}, resume = '/tmp/x.json'})")
                == "bad argument #1 to 'sweep' (field 'shard.index': a shard index in [1, 2] expected (shards are numbered from 1), got 0)")
        #expect(luaError("rally.sweep(with{shard = {index = 1, count = math.maxinteger}, resume = '/tmp/x.json'})")
                .hasPrefix("bad argument #1 to 'sweep' (field 'shard.count': a whole number expected"))
        #expect(luaError("rally.sweep(with{shard = 3, resume = '/tmp/x.json'})")
                == "bad argument #1 to 'sweep' (field 'shard': table {index = i, count = n} expected, got number)")
        #expect(luaError("rally.sweep_merge{}") == "sweep_merge: no resume files given")
    }

    @Test func errorMessagesAreBounded() throws {
        // a message that quotes a 1 MB argument reaches Lua cut, saying how long it was
        let message = luaError("rally.model.new(string.rep('y', 2^20))")
        #expect(message.utf8.count <= 4000, "\(message.utf8.count) bytes")
        #expect(message.hasSuffix("yyy ... (message cut: 1048661 bytes)"), "\(message.suffix(80))")
        #expect(luaError("rally.vector{1, 'x'}") == "bad argument #1 to 'vector' (number expected at index 2, got string)")
    }
}
