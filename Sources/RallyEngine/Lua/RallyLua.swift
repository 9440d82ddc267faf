import CLua
import CStartup
import LuaBridge

/// The `rally` Lua module: opening it in a state, and the entry point stock Lua uses.
public enum RallyLua {
    /// The rally version.
    public static var version: String { BuildInfo.rallyVersion }

    /// The Lua release the engine was built against (e.g. "Lua 5.4.6").
    public static var luaVersion: String { String(cString: rally_lua_version()) }

    /// The XGBoost library version (e.g. "1.7.4").
    public static var xgboostVersion: String { BuildInfo.xgboostVersion }

    private static let timingKey = "rally.timing"

    /// Whether `rally.timing(true)` asked the shell to time each statement.
    public static func timingEnabled(_ L: LuaState) -> Bool {
        L.pushRegistry()
        defer { L.pop(2) }
        L.rawGet(-1, timingKey)
        return L.boolean(-1) ?? false
    }

    /// Builds the `rally` table and pushes it. When memory runs out on the way, what could not be
    /// made is nil and the error is pending (see ``LuaState``); when there was no memory even to
    /// record an error, it pushes nil alone.
    public static func push(_ L: LuaState) {
        guard L.preparePendingSlot() else { L.pushNil(); return }
        L.newTable()
        let rally = LuaModule(L, table: -1, path: "rally")
        rally.set("version", version)
        LuaHelp.record(L, name: "rally", doc: """
        rally \(version) -- rally-risk workbench for PJM prices.
        help(x) explains a rally function, class, method or object: help(rally.load), help("Dataset"), help(ds).
        """)
        rally.register(LuaVector.luaClass())
        rally.function("help", doc: """
        rally.help(x) -- the documentation of x: a rally function, class, method, object or module, or a name such as "rally.load" or "Dataset".
        """) { L in
            L.push(LuaHelp.text(L, 1))
            return 1
        }
        rally.function("vector", doc: """
        rally.vector(t [, name]) -- a Vector holding the numbers of the Lua list t (keys other than positions are errors; in a table with
        a field n, as table.pack and v:totable() make, a nil at a position up to n is a missing value).
        """) { L in
            let args = LuaArgs(L, "vector")
            let values = try args.numbers(1)
            LuaVector.push(L, values, name: try args.optionalString(2) ?? "vector")
            return 1
        }
        rally.function("timing", doc: """
        rally.timing(on) -- when on (true), the shell prints the wall time of each statement.
        """) { L in
            let on = try LuaArgs(L, "timing").boolean(1)
            L.pushRegistry()
            L.push(on)
            L.rawSet(-2, timingKey)
            L.pop()
            return 0
        }
        rally.function("versions", doc: """
        rally.versions() -- a table with the versions of rally, Lua and XGBoost, and target_cpu: the
        instruction-set level rally was compiled for ("x86-64-v3" or "x86-64"; the numbers do not depend on it).
        """) { L in
            L.newTable()
            L.push(version); L.rawSet(-2, "rally")
            L.push(BuildInfo.targetCPU); L.rawSet(-2, "target_cpu")
            L.push(luaVersion); L.rawSet(-2, "lua")
            L.push(xgboostVersion); L.rawSet(-2, "xgboost")
            return 1
        }
        for install in installers { install(rally) }
    }

    /// Every engine area's Lua face, in the order they are installed.
    static let installers: [@Sendable (LuaModule) -> Void] = [
        DataBindings.install,
        ModelBindings.install,
        EvaluationBindings.install,
        FeatureBindings.install, LabelBindings.install,
        SweepBindings.install,
        ForecastBindings.install,
        ReportBindings.install,
        DecisionBindings.install,
        VintageBindings.install,
    ]

    /// Opens the standard libraries and `rally` in `L`, as the shell wants it: `rally` is a
    /// global, `require "rally"` returns it, and `help(x)` prints `rally.help(x)`. Every step
    /// is protected; a failure (out of memory) is left as the pending error (see ``open(_:)``).
    public static func openAll(_ L: LuaState) {
        guard L.preparePendingSlot() else { return } // see open(_:)
        if rally_p_openlibs(L.raw) != LUA_OK { L.recordFailure() }
        push(L)
        // package.loaded.rally = rally
        L.pushRegistry()
        if L.rawGet(-1, LUA_LOADED_TABLE) == LUA_TTABLE {
            L.pushValue(-3)
            L.rawSet(-2, "rally")
        }
        L.pop(2)
        L.pushGlobals()
        L.insert(-2)
        L.rawSet(-2, "rally") // a fresh state's globals have no metatable: raw is lua_setglobal
        L.pop()
        L.pushGlobals()
        L.push(function: "help") { L in
            let text = LuaHelp.text(L, 1)
            print(text)
            return 0
        }
        LuaHelp.record(L, function: -1, name: "help", doc: "help(x) -- prints the documentation of x (see rally.help).")
        L.rawSet(-2, "help")
        L.pop()
    }

    /// `luaopen_rally` as a Lua C function value (for `package.preload`, as tests use it).
    static var opener: lua_CFunction { luaopen_rally }

    /// ``openAll(_:)``, throwing its pending error (out of memory) instead of leaving it.
    public static func open(_ L: LuaState) throws {
        guard L.preparePendingSlot() else { throw RallyError.notEnoughMemory }
        openAll(L)
        if let error = L.takePendingError() { throw error }
    }
}

/// Entry point for `require "rally"` from stock Lua (the shared library, linked as rally.so).
///
/// Lua calls this Swift function directly (not through the trampoline), so it cannot raise:
/// when memory runs out while the module is built, it returns false (so `require` tries again
/// next time) and emits the error as a Lua warning.
///
/// It first gives XGBoost's OpenMP threads the shell's bounded spin (`GOMP_SPINCOUNT`, unless
/// the user chose a wait policy or a count): libgomp reads it only as it is loaded, which is at
/// rally's first XGBoost call, after this (Sources/CStartup/startup.c). Setting it changes the
/// process's environment (setenv), which is safe while no other thread reads it, as in stock
/// lua5.4; once set, later calls leave it alone.
@_cdecl("luaopen_rally")
public func luaopen_rally(_ L: OpaquePointer?) -> Int32 {
    rally_prefer_bounded_spin()
    guard let L else { return 0 }
    let state = LuaState(L)
    let base = state.top
    let outerPending = state.hasPendingError
    RallyLua.push(state)
    let failure = outerPending ? nil : state.takePendingError()
    if failure != nil || state.type(-1) != LUA_TTABLE {
        state.setTop(base)
        lua_warning(L, "rally: \((failure ?? .notEnoughMemory).message)", 0)
        state.push(false)
    }
    return 1
}
