import CLua
import LuaBridge
import Testing
@testable import RallyEngine
import RallyConsole

/// A Lua state whose allocator fails past a byte limit (`rally_newstate_limited`), with the
/// standard libraries and `rally` opened while the limit is off. Not a sandbox: the limit
/// counts Lua's own allocations only, not the engine's Swift memory.
final class LimitedLuaState {
    let book: UnsafeMutablePointer<rally_memory_limit>
    let L: LuaState

    init(openRally: Bool = true) throws {
        book = .allocate(capacity: 1)
        book.initialize(to: rally_memory_limit(used: 0, limit: Int.max))
        L = LuaState(rally_newstate_limited(book)!)
        if openRally { try RallyLua.open(L) }
    }

    deinit {
        lua_close(L.raw)
        book.deallocate()
    }

    /// Lets Lua have at most `extra` bytes more than it holds after a full collection (nil: no
    /// limit), so that the allowance is not garbage an emergency collection could free.
    func limit(extra: Int?) {
        if extra != nil { rally_gc_collect(L.raw) }
        book.pointee.limit = extra.map { book.pointee.used + $0 } ?? Int.max
    }

    /// Compiles `chunk` without a limit, then runs it with `extra` bytes to spare; returns its
    /// results as strings, or the error message. The stack is left as it was.
    func run(_ chunk: String, extra: Int? = nil) -> Result<[String], RallyError> {
        let base = L.top
        defer { limit(extra: nil); L.setTop(base) }
        guard LuaConsole.load(L, chunk, "=limited") == LUA_OK else { return .failure(RallyError(L.string(-1) ?? "?")) }
        limit(extra: extra)
        do {
            try L.protectedCall(arguments: 0, results: LUA_MULTRET)
        } catch let error as RallyError {
            return .failure(error)
        } catch {
            return .failure(RallyError("\(error)"))
        }
        limit(extra: nil)
        return .success((base + 1..<L.top + 1).map { i in
            switch L.type(i) {
            case LUA_TSTRING: return L.string(i)!
            case LUA_TBOOLEAN: return L.boolean(i)! ? "true" : "false"
            case LUA_TNUMBER: return "\(L.number(i)!)"
            default: return L.typeName(i)
            }
        })
    }
}

/// Out of memory in every Swift call into Lua: a clean "not enough memory" Lua error, never a
/// longjmp across a Swift frame (which would crash or corrupt the process).
@Suite struct ProtectedAPITests {
    /// Byte allowances to try: every 16 bytes at first (where single steps fail), then coarser.
    static let allowances = Array(stride(from: 0, to: 2_048, by: 16)) + Array(stride(from: 2_048, to: 40_000, by: 640))

    /// Runs `body` inside `pcall` at every allowance: each run succeeds or fails with exactly
    /// "not enough memory" (the outer call may fail too, as pcall itself needs memory); at
    /// least one fails and the most generous succeeds; afterwards the state still works.
    func expectCleanFailures(_ state: LimitedLuaState, _ body: String, allowances: [Int] = Self.allowances,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        var failures = 0
        var lastSucceeded = false
        for extra in allowances {
            switch state.run("return pcall(function() \(body) end)", extra: extra) {
            case .success(let values) where values.first == "true":
                lastSucceeded = true
            case .success(let values):
                #expect(values.count == 2 && values[1] == "not enough memory",
                        "\(body) with \(extra) bytes: \(values)", sourceLocation: sourceLocation)
                failures += 1
                lastSucceeded = false
            case .failure(let error):
                #expect(error == .notEnoughMemory, "\(body) with \(extra) bytes: \(error)", sourceLocation: sourceLocation)
                failures += 1
                lastSucceeded = false
            }
            #expect(state.L.pendingError == nil, "left pending with \(extra) bytes", sourceLocation: sourceLocation)
            #expect(luaSwiftCallDepth == 0, "a longjmp skipped a Swift frame with \(extra) bytes", sourceLocation: sourceLocation)
        }
        #expect(failures > 0, "\(body) never ran out of memory", sourceLocation: sourceLocation)
        #expect(lastSucceeded, "\(body) never succeeded", sourceLocation: sourceLocation)
        #expect((try? state.run("return #rally.vector{1, 2, 3}:totable()").get()) == ["3.0"], sourceLocation: sourceLocation)
    }

    @Test func vectorsAndTheirTablesFailCleanly() throws {
        let state = try LimitedLuaState()
        _ = state.run("t = {} for i = 1, 300 do t[i] = i / 7 end")
        expectCleanFailures(state, "local v = rally.vector(t, 'named') assert(#v == 300)")
        _ = state.run("v = rally.vector(t)")
        expectCleanFailures(state, "local x = v:totable() assert(x.n == 300 and x[300] == v[300])")
        expectCleanFailures(state, "assert(tostring(v):find('Vector'))")
    }

    @Test func datasetsFailCleanly() throws {
        let state = try LimitedLuaState()
        let coarse = Array(stride(from: 0, to: 1_024, by: 32)) + [4_096, 40_000]
        expectCleanFailures(state, "ds = rally.dataset.synthetic{years = 1} assert(ds)", allowances: coarse)
        _ = state.run("ds = rally.dataset.synthetic{years = 1}")
        expectCleanFailures(state, "assert(tostring(ds):find('Dataset'))")
        expectCleanFailures(state, "assert(#ds:columns() > 0 and #ds:col('price'):totable() == #ds)",
                            allowances: Self.allowances + [100_000, 200_000, 400_000])
    }

    @Test func helpFailsCleanly() throws {
        let state = try LimitedLuaState()
        expectCleanFailures(state, "assert(rally.help(rally.vector):find('vector'))")
        expectCleanFailures(state, "assert(rally.help('Vector'):find('methods'))")
        expectCleanFailures(state, "assert(rally.help():find('rally'))")
    }

    @Test func openingAStateFailsCleanlyAtEveryStep() throws {
        // the shell's own start-up (libraries, rally, globals) under growing allowances
        var opened = false, failures = 0
        for extra in stride(from: 0, to: 400_000, by: 256) where !opened {
            let state = try LimitedLuaState(openRally: false)
            state.limit(extra: extra)
            do {
                try RallyLua.open(state.L)
                opened = true
            } catch {
                #expect(error as? RallyError == .notEnoughMemory, "open with \(extra) bytes: \(error)")
                failures += 1
            }
            state.limit(extra: nil)
        }
        #expect(opened && failures > 10)
        #expect(luaSwiftCallDepth == 0)
    }

    @Test func requireRallyUnderLimitsFailsOrRetries() throws {
        // stock Lua's path: luaopen_rally is called by require directly, not through the trampoline
        let state = try LimitedLuaState(openRally: false)
        #expect(rally_p_openlibs(state.L.raw) == LUA_OK)
        let L = state.L
        #expect(try L.getGlobal("package") == LUA_TTABLE)
        try L.getField(-1, "preload")
        rally_pushcfunction(L.raw, RallyLua.opener)
        try L.setField(-2, "rally")
        L.pop(2)
        var outcomes: Set<String> = []
        for extra in stride(from: 0, to: 300_000, by: 1_000) {
            let chunk = "local ok, r = pcall(require, 'rally') package.loaded.rally = nil return ok, type(r) == 'table' and r.version or tostring(r)"
            switch state.run(chunk, extra: extra) {
            case .success(let values):
                #expect(values == ["true", "0.1.0"] || values == ["true", "false"] || values == ["false", "not enough memory"],
                        "\(extra) bytes: \(values)")
                outcomes.insert(values.joined(separator: " "))
            case .failure(let error):
                #expect(error == .notEnoughMemory)
            }
        }
        #expect(outcomes.contains("true 0.1.0") && outcomes.count > 1, "\(outcomes)")
        #expect(luaSwiftCallDepth == 0)
        // whatever failed before, a require with memory to spare gives the whole module
        #expect(try state.run("local r = require 'rally' return r.version, #r.vector{1, 2}:totable()").get()
                == ["0.1.0", "2.0"])
    }

    @Test func aFailedPushLeavesNilAndAPendingErrorThatCallsRefuse() throws {
        let state = try LimitedLuaState()
        let L = state.L
        let base = L.top
        state.limit(extra: 0)
        L.push(String(repeating: "a fresh string, never interned ", count: 4))
        L.newTable(array: 100)
        state.limit(extra: nil)
        #expect(L.top == base + 2)
        #expect(L.type(-1) == LUA_TNIL && L.type(-2) == LUA_TNIL)
        #expect(L.pendingError == .notEnoughMemory)
        // raw steps on the nil placeholder do nothing
        L.push(1.0)
        L.rawSet(-2, index: 1)
        L.push(2.0)
        L.rawSet(-2, "x")
        #expect(L.rawGet(-1, "x") == LUA_TNIL)
        L.pop()
        #expect(L.top == base + 2)
        // a protected call refuses to run while the error is pending, and leaves it pending
        _ = LuaConsole.load(L, "ran = true", "=t")
        #expect(throws: RallyError.notEnoughMemory) { try L.protectedCall(arguments: 0, results: 0) }
        #expect(L.top == base + 2)
        #expect(L.takePendingError() == .notEnoughMemory)
        #expect(L.pendingError == nil)
        L.setTop(base)
        #expect(try state.run("return ran == nil").get() == ["true"])
    }

    @Test func fillingANewTablesArrayNeedsNoMemoryAndGrowingItIsProtected() throws {
        let state = try LimitedLuaState()
        let L = state.L
        let base = L.top
        L.newTable(array: 100)
        state.limit(extra: 0)
        for i in 1...100 {
            L.push(Double(i))
            L.rawSet(-2, index: i) // the array part is there: a plain set, no allocation
        }
        #expect(L.pendingError == nil)
        L.push(101.0)
        L.rawSet(-2, index: 101) // beyond it: the table grows, in a protected step that fails
        state.limit(extra: nil)
        #expect(L.takePendingError() == .notEnoughMemory)
        #expect(L.rawLength(-1) == 100 && L.top == base + 1)
        // a string key may rehash and shrink the array part: later sets take the protected step
        L.setTop(base)
        L.newTable(array: 4)
        L.push(1.0)
        L.rawSet(-2, "x")
        for i in 1...4 {
            L.push(Double(i))
            L.rawSet(-2, index: i)
        }
        #expect(L.rawLength(-1) == 4 && L.rawGet(-1, "x") == LUA_TNUMBER)
        L.setTop(base)
    }

    @Test func referencesAreProtectedToo() throws {
        let state = try LimitedLuaState()
        let L = state.L
        let base = L.top
        L.push(42.0)
        let ref = L.reference()
        #expect(ref >= 0 && L.top == base)
        _ = L.rawGet(rally_registryindex(), index: Int(ref))
        #expect(L.number(-1) == 42)
        L.pop()
        luaL_unref(L.raw, rally_registryindex(), ref)
        // out of memory: LUA_NOREF, the value popped all the same, the error pending
        for i in 0..<2_000 { L.push(Double(i)); _ = L.reference() } // fill the registry's spare room
        state.limit(extra: 0)
        var refs: [Int32] = []
        for i in 0..<20_000 where refs.last != LUA_NOREF {
            L.push(Double(i))
            refs.append(L.reference())
        }
        state.limit(extra: nil)
        #expect(refs.last == LUA_NOREF && L.top == base)
        #expect(L.takePendingError() == .notEnoughMemory)
    }

    @Test func aSwiftFunctionWhosePushFailedRaisesNotEnoughMemory() throws {
        let state = try LimitedLuaState()
        let L = state.L
        L.push(function: "fresh") { L in
            L.push(String(repeating: "never seen before ", count: 8))
            return 1
        }
        try L.setGlobal("fresh")
        switch state.run("return pcall(fresh)", extra: 0) {
        case .success(let values): #expect(values == ["false", "not enough memory"])
        case .failure(let error): #expect(error == .notEnoughMemory) // pcall itself found no memory
        }
        #expect(try state.run("return pcall(fresh)").get().first == "true")
    }
}
