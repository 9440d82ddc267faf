import Testing
import RallyEngine
import RallyConsole

/// The console's rewriting of top-level `local` declarations (each REPL line is its own chunk).
@Suite struct TopLevelLocalsTests {
    private func rewrite(_ text: String) -> String { LuaConsole.rewriteTopLevelLocals(text) }

    @Test func everyTopLevelLocalOnALineBecomesGlobal() {
        #expect(rewrite("local d = 4; local e = 5") == "d = 4; e = 5")
        #expect(rewrite("local h = 1 local i = 2") == "h = 1 i = 2")
        #expect(rewrite("  local x = 1") == "  x = 1")
        #expect(rewrite("local a, b") == "a, b = nil")
        #expect(rewrite("local a, b; local function g() local z = 1 end") == "a, b = nil; function g() local z = 1 end")
    }

    @Test func localsInsideBlocksAndFunctionsStay() {
        let loop = "for i = 1, 3 do local y = i end local after = 1"
        #expect(rewrite(loop) == "for i = 1, 3 do local y = i end after = 1")
        let nested = "while x do if y then local a = 1 else local b = 2 end end"
        #expect(rewrite(nested) == nested)
        let repeatBlock = "repeat local r = 1 until r local s = 2"
        #expect(rewrite(repeatBlock) == "repeat local r = 1 until r s = 2")
        let anonymous = "f = function() local inner = 1 end local outer = 2"
        #expect(rewrite(anonymous) == "f = function() local inner = 1 end outer = 2")
        let bareDo = "do local scoped = 1 end local top = 2"
        #expect(rewrite(bareDo) == "do local scoped = 1 end top = 2")
    }

    @Test func stringsCommentsAndAttributesAreLeftAlone() {
        #expect(rewrite("print('local x = 1') local y = \"end\"") == "print('local x = 1') y = \"end\"")
        #expect(rewrite("s = [[ do local q end ]] local t = 1") == "s = [[ do local q end ]] t = 1")
        #expect(rewrite("-- do\nlocal c = 1") == "-- do\nc = 1")
        #expect(rewrite("--[==[ function ]==] local c = 1") == "--[==[ function ]==] c = 1")
        #expect(rewrite("local f <close> = g()") == "local f <close> = g()")
        #expect(rewrite("local k <const> = 1; local m = k") == "local k <const> = 1; m = k")
        #expect(rewrite("if a == b then end local n = 1e-3") == "if a == b then end n = 1e-3")
    }

    @Test func twoLocalsOnOneLineAreBothVisibleOnTheNextLine() throws {
        let lua = LuaHarness()
        let L = lua.L
        for line in ["local d = 4; local e = 5", "local function twice(x) return 2 * x end"] {
            guard case .ready = LuaConsole.compile(L, line) else { Issue.record("did not compile: \(line)"); return }
            _ = LuaConsole.run(L)
            L.setTop(0)
        }
        guard case .ready = LuaConsole.compile(L, "return d + e + twice(1)") else { Issue.record("did not compile"); return }
        guard case .success(let count) = LuaConsole.run(L), count == 1 else { Issue.record("did not run"); return }
        #expect(L.integer(-1) == 11)
        L.setTop(0)
    }
}
