import Foundation
import Testing
@testable import RallyEngine

/// Calls that killed the process in runs of the Lua API fuzzer (scripts/fuzz/api.lua); each is
/// now an ordinary Lua error, and the test asserts its text. The seed and call that found each
/// one are in its comment.
@Suite struct APIFuzzFindingsTests {
    let lua = LuaHarness()

    /// The error `chunk` raises, without its position and traceback.
    func luaError(_ chunk: String) -> String { lua.errorMessage(chunk) }

    /// X given as a table of columns with a huge `n` allocated n rows per column
    /// ("failed to allocate 8796093022240 bytes"); n may now run at most 1e6 past a column's data.
    @Test func aColumnsTableWithAHugeRowCountIsAnError() throws {
        try lua.run("m = rally.model.naive{feature = 'a'}")
        for n in ["2^40", "math.maxinteger", "1000003"] {
            #expect(luaError("m:fit({a = {1, 2}, n = \(n)}, {0, 1})")
                    .hasPrefix("bad argument #1 to 'fit' (field 'n' = "), "n = \(n)")
            #expect(luaError("m:fit({a = {1, 2}, n = \(n)}, {0, 1})")
                    .contains("is more than 1000000 past the last value of column 'a' (2); n is the row count, trailing missing values included)"))
        }
        #expect(luaError("m:predict({a = {1, 2}, n = 2^40})")
                .hasPrefix("bad argument #1 to 'predict' (field 'n' = 1099511627776 is more than 1000000 past the last value of column 'a' (2)"))
        // a few trailing missing values are still fine
        #expect(try lua.run("g = rally.model.gbdt{rounds = 2, nthread = 1}:fit({a = {0.5, 2, 3}, n = 4}, {0, 1, 1, 0}) return #g:predict({a = {1}, n = 3})") == ["3"])
    }

    /// A model written in Lua whose fit runs an evaluation of its own, inside an evaluation
    /// with many threads (or nested 30 deep), never returned: the outer evaluation's workers,
    /// waiting on its board, held every thread of the global dispatch pool, so the inner one's
    /// workers never started. Workers are now threads of their own (at most 64 per evaluation).
    @Test func anEvaluationInsideALuaModelsFitReturns() throws {
        try lua.run("""
            ds = rally.dataset.synthetic{years = 1}:slice('2013-01-01', '2013-03-31')
            fx = rally.features{lags = {0}}
            lab = rally.labeler.quantile{q = 0.95, window = 168, horizon = 24}
            sp = rally.split{train_end = '2013-02-28 23:00', test_start = '2013-03-01', embargo = 24}
            depth, limit = 0, 2
            rally.model.register('nested', {
                fit = function(self, X, y)
                    depth = depth + 1
                    if depth < limit then
                        rally.evaluate{data = ds, features = fx, labeler = lab, split = sp, models = {rally.model.new('nested', {})},
                                       bootstrap = 0, quiet = true, threads = 2}
                    end
                end,
                predict = function(self, X) local p = {n = X.n} for i = 1, X.n do p[i] = 0.5 end return p end})
            function run(threads)
                depth = 0
                return rally.evaluate{data = ds, features = fx, labeler = lab, split = sp,
                                      models = {rally.model.naive{feature = 'lag0', cut = 50}, rally.model.new('nested', {})}, bootstrap = 0, quiet = true, threads = threads}
            end
            """)
        #expect(try lua.run("return run(1024).rows, depth") == ["720", "2"])
        #expect(try lua.run("limit = 40 return run(2).rows, depth") == ["720", "40"])
    }

    /// A grid of many axes with many values each was expanded into every combination before
    /// any check (7 axes of 1000 values: memory without end; the count overflowed Int). The
    /// number of configurations is now checked first, with checked arithmetic.
    @Test func aHugeSweepGridIsAnError() throws {
        try lua.run("""
            ds = rally.dataset.synthetic{years = 1}:slice('2013-01-01', '2013-03-31')
            big = {} for i = 1, 1000 do big[i] = i end
            function sweep(grid)
                return rally.sweep{data = ds, features = rally.features{lags = {0}}, labeler = rally.labeler.quantile{q = 0.95, window = 168, horizon = 24},
                                   split = rally.split{train_end = '2013-02-28 23:00', test_start = '2013-03-01', embargo = 24},
                                   models = {rally.model.naive()}, grid = grid, bootstrap = 0, quiet = true}
            end
            """)
        #expect(luaError("sweep{a = big, b = big, c = big, d = big, e = big, f = big, g = big}")
                == "bad argument #1 to 'sweep' (field 'grid': sweep: the grid has more than 10000 configurations (a 1000 x b 1000 x c 1000 x d 1000 x e 1000 x f 1000 x ... values))")
        #expect(luaError("sweep{q = big, window = big}")
                == "bad argument #1 to 'sweep' (field 'grid': sweep: the grid has more than 10000 configurations (q 1000 x window 1000 values))")
    }

    /// X as a list of rows that are one wide table many times over (100,000 x 100,000 values,
    /// 1.6 MB of Lua tables) allocated 80 GB; X as a table now holds at most 50 million values,
    /// rows and columns alike.
    @Test func aTableXSharingOneWideRowIsBounded() throws {
        try lua.run("""
            m = rally.model.naive()
            row = {} for i = 1, 100000 do row[i] = 0.5 end
            X = {} for i = 1, 100000 do X[i] = row end
            col = {} for i = 1, 100000 do col[i] = 0.5 end
            C = {} for i = 1, 1000 do C['f' .. i] = col end
            """)
        #expect(luaError("m:fit(X, {})")
                == "bad argument #1 to 'fit' (X as a table has 100000 rows x 100000 features, more than 50000000 values (give large inputs as a FeatureMatrix))")
        #expect(luaError("m:predict(C)")
                == "bad argument #1 to 'predict' (X as a table has 100000 rows x 1000 features, more than 50000000 values (give large inputs as a FeatureMatrix))")
    }

    /// Found by hand while fuzzing, not a crash: synthetic data starting late in 9999 ran into
    /// year 10000, which ds:write wrote and rally.load refused; such a start is now an error.
    @Test func syntheticDataStaysWithinTheYearsRallyReads() throws {
        #expect(luaError("rally.dataset.synthetic{years = 1, start = '9999-06-01'}")
                == "bad argument #1 to 'synthetic' (field 'start': 1 year from 9999-06-01 00:00 would run past 9999-12-31 23:00, the last time rally reads)")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rally-fuzz-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try lua.run("""
            local ds = rally.dataset.synthetic{years = 1, start = '9998-12-31 01:00'}
            ds:write('\(path)')
            return #rally.load('\(path)') == #ds, tostring(ds)
            """) == ["true", "<Dataset 8760 rows x 3 cols  9998-12-31 01:00 .. 9999-12-31 00:00  hourly, no gaps>"])
    }

    /// Seed 1, call 2720 (after merging main's OptionTree reader): rally.features given a
    /// cyclic table, called in a coroutine, corrupted the heap (glibc: "malloc assertion failure
    /// in sysmalloc", or a segfault, some calls later). Reading nested tables kept two values per
    /// level on the Lua stack, past the LUA_MINSTACK slots a C function is promised; a
    /// coroutine's stack is small. The reader now grows the stack as it descends.
    @Test func deepOptionTablesInACoroutineAreAnError() throws {
        try lua.run("""
            cyclic = {} cyclic.t = cyclic cyclic[1] = cyclic
            deep = {} local at = deep
            for i = 1, 40 do at.a = {x = 1, y = {}} at = at.a end
            function inCoroutine(arg) return coroutine.wrap(function() return select(2, pcall(rally.features, arg)) end)() end
            """)
        let expected = "bad argument #1 to 'features' (tables nested deeper than 16 levels (a table that contains itself?))"
        #expect(try lua.run("return inCoroutine{ratio = {gap_to_thr = cyclic}}") == [expected])
        #expect(try lua.run("return inCoroutine{lags = {0}, rolling = deep}") == [expected])
        #expect(try lua.run("""
            local same = 0
            for i = 1, 200 do
                if inCoroutine(i % 2 == 0 and {ratio = {gap_to_thr = cyclic}} or {lags = {0}, rolling = deep}) == [[\(expected)]] then same = same + 1 end
                local filler = {} for k = 1, 100 do filler[k] = {k} end
            end
            collectgarbage()
            return same
            """) == ["200"])
    }
}
