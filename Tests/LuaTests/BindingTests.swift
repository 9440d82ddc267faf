import CLua
import LuaBridge
import Synchronization
import Testing
@testable import RallyEngine
import RallyConsole

/// Live instances of `Probe`, to prove that Lua's collector releases Swift objects.
private let liveProbes = Atomic<Int>(0)

private final class Probe {
    let value: Int
    init(_ value: Int) {
        self.value = value
        liveProbes.add(1, ordering: .relaxed)
    }
    deinit { liveProbes.subtract(1, ordering: .relaxed) }
}

/// Registers a `Probe` class and functions that exercise the binding layer.
private func installProbe(_ h: LuaHarness) {
    var cls = LuaClass<Probe>("Probe", doc: "Probe -- a test object.")
    cls.tostring = { "<Probe \($0.value)>" }
    cls.length = { $0.value }
    cls.method("value", doc: "p:value() -- the value.") { p, L in
        L.push(p.value)
        return 1
    }
    cls.method("add", doc: "p:add(n) -- value + n.") { p, L in
        L.push(p.value + (try LuaArgs(L, "add", method: true).integer(1)))
        return 1
    }
    let L = h.L
    L.pushGlobals()
    let module = LuaModule(L, table: -1, path: "test")
    module.register(cls)
    module.function("probe", doc: "probe(n) -- a new Probe.") { L in
        LuaObjects.push(L, Probe(try LuaArgs(L, "probe").integer(1)), "Probe")
        return 1
    }
    module.function("fail", doc: "fail(msg) -- throws from Swift.") { L in
        throw RallyError("engine failed: \(try LuaArgs(L, "fail").string(1))")
    }
    module.function("opts", doc: "opts{...} -- reads options.") { L in
        let values = try LuaArgs(L, "opts").decode(1, OptionSchema("opts", [
            OptionDeclaration("q", .number(.openFraction), default: .number(0.5), doc: "a share"),
            OptionDeclaration("col", .nonEmptyText, default: .string("price"), doc: "a column"),
        ]))
        L.push("\(values.string("col")!) \(values.number("q")!)")
        return 1
    }
    L.pop()
}

@Suite struct BindingTests {
    @Test func wrongArgumentTypesGiveLuaStyleMessages() {
        let h = LuaHarness()
        installProbe(h)
        #expect(h.error("rally.timing('yes')").hasSuffix("bad argument #1 to 'timing' (boolean expected, got string)"))
        #expect(h.error("probe()").hasSuffix("bad argument #1 to 'probe' (number expected, got no value)"))
        #expect(h.error("probe(1.5)").hasSuffix("bad argument #1 to 'probe' (number has no integer representation)"))
        #expect(h.error("probe(1):add('x')").hasSuffix("bad argument #1 to 'add' (number expected, got string)"))
        #expect(h.error("local p = probe(1); p.add(5, 1)").hasSuffix("calling 'add' on bad self (Probe expected, got number)"))
    }

    @Test func errorsCarryTheCallersPosition() {
        let h = LuaHarness()
        installProbe(h)
        #expect(h.error("\n\nfail('x')") == "test:3: engine failed: x")
    }

    @Test func unknownOptionsAreErrorsListingTheValidOnes() throws {
        let h = LuaHarness()
        installProbe(h)
        #expect(try h.run("return opts{q = 0.9}") == ["price 0.9"])
        #expect(h.error("opts{q = 0.9, qq = 1}").hasSuffix("bad argument #1 to 'opts' (unknown option 'qq'; valid options: col, q)"))
        #expect(h.error("opts{q = 'high'}").hasSuffix("bad argument #1 to 'opts' (field 'q': number expected, got string (a share))"))
        #expect(h.error("opts{q = 2}").hasSuffix("bad argument #1 to 'opts' (field 'q': a number in (0, 1) expected, got 2 (a share))"))
        #expect(h.error("opts{col = ''}").hasSuffix("bad argument #1 to 'opts' (field 'col': a non-empty string expected, got an empty string (a column))"))
    }

    @Test func swiftThrowsAreCatchableWithPcall() throws {
        let h = LuaHarness()
        installProbe(h)
        let out = try h.run("local ok, msg = pcall(function() fail('disk full') end); return ok, msg")
        #expect(out == ["false", "test:1: engine failed: disk full"])
        // the state is intact afterwards
        #expect(try h.run("return 1 + 1") == ["2"])
    }

    @Test func userdataHaveToStringLengthAndMethods() throws {
        let h = LuaHarness()
        installProbe(h)
        #expect(try h.run("local p = probe(7); return tostring(p), #p, p:value(), p:add(3)") == ["<Probe 7>", "7", "7", "10"])
    }

    @Test func closedObjectsRefuseLaterCalls() throws {
        let h = LuaHarness()
        installProbe(h)
        #expect(h.error("local p = probe(1); p:close(); return p:value()").hasSuffix("attempt to use a closed Probe"))
        let msg = h.error("""
        local keep
        do
          local p <close> = probe(2)
          keep = p
        end
        return keep:value()
        """)
        #expect(msg.hasSuffix("attempt to use a closed Probe"))
        #expect(try h.run("local p = probe(3); p:close(); return tostring(p)") == ["<Probe (closed)>"])
    }

    @Test func collectedUserdataReleaseTheirSwiftObjects() throws {
        let h = LuaHarness()
        installProbe(h)
        let before = liveProbes.load(ordering: .relaxed)
        try h.run("for i = 1, 100000 do local p = probe(i) end collectgarbage('collect')")
        // other tests may create probes concurrently; 100,000 uncollected would show
        #expect(liveProbes.load(ordering: .relaxed) - before < 1000)
        try h.run("kept = probe(1)")
        try h.run("collectgarbage('collect')")
        #expect(try h.run("return kept:value()") == ["1"])
    }

    @Test func helpFindsFunctionsClassesAndMethods() throws {
        let h = LuaHarness()
        installProbe(h)
        #expect(try h.run("return rally.help(rally.timing)")[0].hasPrefix("rally.timing(on)"))
        #expect(try h.run("return rally.help('rally.timing')")[0].hasPrefix("rally.timing(on)"))
        let probeHelp = try h.run("return rally.help(probe(1))")[0]
        #expect(probeHelp.contains("Probe -- a test object."))
        #expect(probeHelp.contains(":add  p:add(n) -- value + n."))
        #expect(try h.run("return rally.help(probe(1).add)")[0] == "p:add(n) -- value + n.")
        #expect(try h.run("return rally.help()")[0].contains("timing"))
        #expect(try h.run("return rally.help('nope')") == ["no help for 'nope'"])
    }

    @Test func helpShowsModulesWithTheirMembers() throws {
        let h = LuaHarness()
        let model = try h.run("return rally.help(rally.model)")[0]
        #expect(model.hasPrefix("rally.model -- models: naive, climatology, logreg, gbdt"))
        #expect(model.contains("\nmembers:\n"))
        #expect(model.contains("\nlogreg  "))
        #expect(try h.run("return rally.help('rally.model')") == [model])
        let dataset = try h.run("return rally.help(rally.dataset)")[0]
        #expect(dataset.hasPrefix("rally.dataset -- built-in datasets"))
        #expect(dataset.contains("\nsynthetic  rally.dataset.synthetic{"))
        let root = try h.run("return rally.help()")[0]
        #expect(root.hasPrefix("rally \(RallyLua.version) -- rally-risk workbench"))
        #expect(try h.run("return rally.help('rally'), rally.help(rally)") == [root, root])
        #expect(try h.run("return rally.help({})") == ["no help for a table (not a rally module)"])
        #expect(try h.run("return rally.help('Dataset.slice') == rally.help('Dataset:slice')") == ["true"])
        #expect(try h.run("return rally.help('Dataset.slice')")[0].hasPrefix("ds:slice(from, to)"))
        #expect(try h.run("return rally.help('Dataset.nope')") == ["no help for 'Dataset.nope'"])
    }

    @Test func closeChecksItsSelf() throws {
        let h = LuaHarness()
        installProbe(h)
        #expect(h.error("local p = probe(1); p.close()").contains("calling 'close' on bad self (Probe expected, got no value)"))
        #expect(h.error("local p = probe(1); p.close({})").contains("calling 'close' on bad self (Probe expected, got table)"))
        #expect(h.error("local v = rally.vector{1}; v.close()").contains("calling 'close' on bad self (Vector expected, got no value)"))
        #expect(h.error("local p = probe(1); getmetatable(p).__tostring(rally.vector{1})")
                .contains("calling '__tostring' on bad self (Probe expected, got Vector)"))
        #expect(try h.run("local p = probe(1); p:close(); p:close(); return tostring(p)") == ["<Probe (closed)>"])
    }

    @Test func vectorsIndexAndSummarise() throws {
        let h = LuaHarness()
        LuaVector.push(h.L, [1, .nan, 3], name: "v")
        lua_setglobal(h.L.raw, "v")
        #expect(try h.run("return #v, v[1], v[2], v[3], v[4], v:sum(), v:missing()") == ["3", "1.0", "nil", "3.0", "nil", "4.0", "1"])
        #expect(try h.run("return tostring(v)") == ["<Vector v: 3 values, mean 2, min 1, max 3, 1 missing>"])
    }

    @Test func vectorsRoundTripThroughTables() throws {
        let h = LuaHarness()
        #expect(try h.run("local t = rally.vector({1, 0/0, 3, 0/0}):totable() return t.n, t[1], t[2], t[3], t[4]")
                == ["4", "1.0", "nil", "3.0", "nil"])
        #expect(try h.run("local w = rally.vector(rally.vector({1, 0/0, 3, 0/0}):totable()) return tostring(w), w[2], w[3]")
                == ["<Vector vector: 4 values, mean 2, min 1, max 3, 2 missing>", "nil", "3.0"])
        #expect(try h.run("return tostring(rally.vector(table.pack(nil, 2, nil)))") == ["<Vector vector: 3 values, mean 2, min 2, max 2, 2 missing>"])
        #expect(try h.run("return #rally.vector({n = 0}), #rally.vector({})") == ["0", "0"])
        #expect(h.error("rally.vector({a = 1})").contains("bad argument #1 to 'vector' (a list of numbers expected, found key 'a')"))
        #expect(h.error("rally.vector({1, 2, n = 1})").contains("bad argument #1 to 'vector' (a list of numbers expected, found key 2 (past the list's end, 1))"))
        #expect(h.error("rally.vector({n = -1})").contains("bad argument #1 to 'vector' (a list of numbers expected, found n = -1, not a count >= 0 (n is the length))"))
        #expect(h.error("rally.vector({1, 'x'})").contains("bad argument #1 to 'vector' (number expected at index 2, got string)"))
        #expect(h.error("rally.vector({1, nil, 3})").contains("bad argument #1 to 'vector' (number expected at index 2, got nil (a nil is a missing value only in a table with n = its length"))
    }
}

@Suite struct ConsoleTests {
    @Test func incompleteInputAsksForMore() {
        let h = LuaHarness()
        #expect(LuaConsole.compile(h.L, "function f(x)") == .incomplete)
        #expect(LuaConsole.compile(h.L, "function f(x)\nreturn x\nend") == .ready)
        h.L.pop()
        if case .failed(let msg) = LuaConsole.compile(h.L, "x = = 1") {
            #expect(msg.contains("unexpected symbol"))
        } else {
            Issue.record("a syntax error should fail")
        }
    }

    @Test func topLevelLocalsBecomeGlobals() {
        #expect(LuaConsole.rewriteTopLevelLocals("local x = 1") == "x = 1")
        #expect(LuaConsole.rewriteTopLevelLocals("local a, b = 1, 2") == "a, b = 1, 2")
        #expect(LuaConsole.rewriteTopLevelLocals("local function f() end") == "function f() end")
        #expect(LuaConsole.rewriteTopLevelLocals("local x") == "x = nil")
        #expect(LuaConsole.rewriteTopLevelLocals("local f <close> = g()") == "local f <close> = g()")
        #expect(LuaConsole.rewriteTopLevelLocals("do\n  local y = 2\nend") == "do\n  local y = 2\nend")
    }

    @Test func completionUsesRawFieldsAndMethods() throws {
        let h = LuaHarness()
        installProbe(h)
        try h.run("p = probe(1); trap = setmetatable({}, {__index = function() error('metamethod called') end}); trap.visible = 1")
        #expect(LuaConsole.candidates(h.L, "rally.ti") == ["rally.timing"])
        #expect(LuaConsole.candidates(h.L, "p:a") == ["p:add"])
        #expect(LuaConsole.candidates(h.L, "p:").contains("p:close"))
        #expect(LuaConsole.candidates(h.L, "trap.") == ["trap.visible"])
        #expect(LuaConsole.candidates(h.L, "prob") == ["probe"])
        #expect(LuaConsole.candidates(h.L, "nosuch.x") == [])
    }

    @Test func valuesRenderReadably() throws {
        let h = LuaHarness()
        try h.run("t = {1, 2, name = 'x', nested = {a = {b = {c = {d = 1}}}}}; t.self = t")
        lua_getglobal(h.L.raw, "t")
        let text = LuaConsole.render(h.L, -1)
        h.L.pop()
        #expect(text.contains("name = \"x\""))
        #expect(text.contains("<cycle"))
        #expect(text.contains("{...}"))
        try h.run("long = {} for i = 1, 100 do long[i] = i end")
        lua_getglobal(h.L.raw, "long")
        #expect(LuaConsole.render(h.L, -1).contains("... (70 more)"))
        h.L.pop()
    }
}
