import CLua
import CStartup
import LuaBridge
import RallyEngine
import RallyConsole
#if canImport(Glibc)
import Glibc
#endif

/// rally-shell: the rally Lua workbench, interactive (readline REPL) or batch (`rally-shell FILE`).
/// It knows Lua and terminals; everything about data and models comes from the `rally` module.
enum Shell {
    static let program = "rally-shell"

    static func main() -> Int32 {
        let argv = CommandLine.arguments
        let options: Options
        do {
            options = try Options(argv)
        } catch let error as UsageError {
            Terminal.error("\(program): \(error.message)\n\(Options.usage)")
            return 1
        } catch {
            return 1
        }
        if options.showHelp { Terminal.out(Options.usage); return 0 }
        if options.showVersion { Terminal.out(banner) }

        guard let raw = luaL_newstate() else {
            report("cannot create state: not enough memory")
            return 1
        }
        let L = LuaState(raw)
        defer { lua_close(L.raw) }
        do {
            // every step protected (see LuaState): an error here is a message, never a longjmp
            try RallyLua.open(L)
            try setPackagePath(L, script: options.script)
            try makeArgTable(L, argv: argv, scriptIndex: options.scriptIndex)
        } catch {
            report("cannot create state: \(error)")
            return 1
        }
        Interrupts.install()

        for action in options.actions {
            let ok: Bool
            switch action {
            case .execute(let chunk): ok = runChunk(L, chunk, name: "=(command line)")
            case .require(let module): ok = requireModule(L, module)
            }
            if !ok { return failureStatus }
        }
        if let script = options.script {
            if !runScript(L, script, argv: argv, scriptIndex: options.scriptIndex!) { return failureStatus }
        }
        let nothingElse = options.script == nil && options.actions.isEmpty && !options.showVersion
        if options.interactive || (nothingElse && Terminal.stdinIsTTY) {
            interactive(L)
        } else if nothingElse {
            if !runScript(L, "-", argv: argv, scriptIndex: nil) { return failureStatus }
        }
        return 0
    }

    /// The exit status of a failed batch run: 130 when Ctrl-C stopped it, 1 for an error.
    static var failureStatus: Int32 { Interrupts.lastRunInterrupted ? 130 : 1 }

    static var banner: String {
        "rally \(RallyLua.version) -- \(RallyLua.luaVersion), XGBoost \(RallyLua.xgboostVersion)"
    }

    static func interactive(_ L: LuaState) {
        let reader: LineReader
        if Terminal.stdinIsTTY {
            let env = ProcessEnvironment()
            let history = env["RALLY_HISTORY"] ?? ((env["HOME"] ?? ".") + "/.rally_history")
            let readline = ReadlineReader(historyPath: history)
            ReadlineReader.completer = { LuaConsole.candidates(L, $0) }
            reader = readline
            Terminal.out(banner + "   help() for help, Ctrl-D to leave")
        } else {
            reader = PlainLineReader()
        }
        REPL(L: L, reader: reader).loop()
    }

    /// `./scripts` and the script's own folder are searched by `require`: their `?.lua`
    /// templates go in front of `package.path`, which is read and set as values (a folder name
    /// may hold any character Lua strings can).
    static func setPackagePath(_ L: LuaState, script: String?) throws {
        var dirs = ["./scripts"]
        if let script, script != "-", let slash = script.lastIndex(of: "/") {
            dirs.insert(String(script[..<slash]), at: 0)
        }
        let prefix = dirs.map { "\($0)/?.lua;" }.joined()
        let base = L.top
        defer { L.setTop(base) }
        guard try L.getGlobal("package") == LUA_TTABLE else { return }
        try L.getField(-1, "path")
        let current = L.string(-1) ?? ""
        L.pop()
        L.push(prefix + current)
        try L.setField(-2, "path")
    }

    /// The global `arg`, as lua(1) sets it: arg[0] the script, arg[1...] its arguments,
    /// negative indices the interpreter and its options.
    static func makeArgTable(_ L: LuaState, argv: [String], scriptIndex: Int?) throws {
        let zero = scriptIndex ?? argv.count
        L.newTable(array: max(0, argv.count - zero), record: zero + 1)
        for (i, a) in argv.enumerated() {
            L.push(a)
            L.rawSet(-2, index: i - zero)
        }
        if let error = L.takePendingError() { L.pop(); throw error }
        try L.setGlobal("arg")
    }

    /// `-l mod`, as lua.c's `dolibrary`: `mod = require("mod")`, with the name pushed as a value.
    static func requireModule(_ L: LuaState, _ module: String) -> Bool {
        let base = L.top
        do {
            try L.getGlobal("require")
            L.push(module)
            if let error = L.takePendingError() { throw error }
        } catch {
            L.setTop(base)
            report("\(error)")
            return false
        }
        let outcome: Result<Int32, RallyError> = Interrupts.armed(L) {
            do {
                try L.protectedCall(arguments: 1, results: 1)
                try L.setGlobal(module)
                return .success(0)
            } catch let error as RallyError {
                return .failure(error)
            } catch {
                return .failure(RallyError("\(error)"))
            }
        }
        return finish(L, outcome, base: base)
    }

    /// Runs a string chunk; reports an error and returns false on failure.
    static func runChunk(_ L: LuaState, _ chunk: String, name: String) -> Bool {
        guard LuaConsole.load(L, chunk, name) == LUA_OK else {
            report(L.string(-1) ?? "syntax error")
            L.pop()
            return false
        }
        return finish(L, Interrupts.run(L), base: L.top - 1)
    }

    /// Runs a script file (`-`: standard input) with its arguments as `...`.
    static func runScript(_ L: LuaState, _ path: String, argv: [String], scriptIndex: Int?) -> Bool {
        let status = LuaConsole.loadFile(L, path == "-" ? nil : path)
        guard status == LUA_OK else {
            report(L.string(-1) ?? "cannot load \(path)")
            L.pop()
            return false
        }
        let base = L.top - 1
        let args = scriptIndex.map { Array(argv[($0 + 1)...]) } ?? []
        for a in args { L.push(a) } // a failed push is pending: protectedCall then throws it
        let start = L.top - Int32(args.count) - 1
        let outcome: Result<Int32, RallyError> = Interrupts.armed(L) {
            do {
                try L.protectedCall(arguments: Int32(args.count), results: LUA_MULTRET)
                return .success(L.top - start)
            } catch let error as RallyError {
                return .failure(error)
            } catch {
                return .failure(RallyError("\(error)"))
            }
        }
        return finish(L, outcome, base: base)
    }

    private static func finish(_ L: LuaState, _ outcome: Result<Int32, RallyError>, base: Int32) -> Bool {
        _ = L.takePendingError() // reported in the outcome; the next chunk starts clean
        switch outcome {
        case .success:
            L.setTop(base)
            return true
        case .failure(let error):
            report(error.message)
            return false
        }
    }

    static func report(_ message: String) {
        Terminal.error("\(program): \(message)")
    }
}

/// Environment variables.
struct ProcessEnvironment {
    subscript(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

// First, while the shell has one thread: XGBoost's OpenMP threads spin briefly between steps
// (GOMP_SPINCOUNT, unless the user chose a wait policy or a count). libgomp reads it as it is
// loaded, at the first XGBoost call (Sources/CStartup/startup.c).
rally_prefer_bounded_spin()
exit(Shell.main())
