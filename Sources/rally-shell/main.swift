import CLua
import RallyEngine
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

        let L = LuaState(luaL_newstate()!)
        defer { lua_close(L.raw) }
        RallyLua.openAll(L)
        setPackagePath(L, script: options.script)
        makeArgTable(L, argv: argv, scriptIndex: options.scriptIndex)
        Interrupts.install()

        for action in options.actions {
            let ok: Bool
            switch action {
            case .execute(let chunk): ok = runChunk(L, chunk, name: "=(command line)")
            case .require(let module): ok = runChunk(L, "\(module) = require(\"\(module)\")", name: "=(command line)")
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

    /// `./scripts` and the script's own folder are searched by `require`.
    static func setPackagePath(_ L: LuaState, script: String?) {
        var dirs = ["./scripts"]
        if let script, script != "-", let slash = script.lastIndex(of: "/") {
            dirs.insert(String(script[..<slash]), at: 0)
        }
        let prefix = dirs.map { "\($0)/?.lua;" }.joined()
        _ = runChunk(L, "package.path = \"\(prefix)\" .. package.path", name: "=(setup)")
    }

    /// The global `arg`, as lua(1) sets it: arg[0] the script, arg[1...] its arguments,
    /// negative indices the interpreter and its options.
    static func makeArgTable(_ L: LuaState, argv: [String], scriptIndex: Int?) {
        let zero = scriptIndex ?? argv.count
        L.newTable(array: max(0, argv.count - zero), record: zero + 1)
        for (i, a) in argv.enumerated() {
            L.push(a)
            L.rawSet(-2, index: i - zero)
        }
        lua_setglobal(L.raw, "arg")
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
        let status = path == "-" ? luaL_loadfilex(L.raw, nil, nil) : luaL_loadfilex(L.raw, path, nil)
        guard status == LUA_OK else {
            report(L.string(-1) ?? "cannot load \(path)")
            L.pop()
            return false
        }
        let base = L.top - 1
        let args = scriptIndex.map { Array(argv[($0 + 1)...]) } ?? []
        for a in args { L.push(a) }
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

ThreadWaitPolicy.preferPassive()
exit(Shell.main())
