import LuaBridge
/// The command line, parsed the way lua(1) parses its own.
struct Options {
    /// `-e CHUNK` and `-l MOD` in the order given.
    enum Action { case execute(String), require(String) }

    var actions: [Action] = []
    var interactive = false
    var showVersion = false
    var showHelp = false
    /// The script (`-` for standard input) and where it sits in argv.
    var script: String?
    var scriptIndex: Int?

    static let usage = """
    usage: rally-shell [options] [script [args]]
    Available options are:
      -e chunk  execute string 'chunk' (repeatable; runs before the script)
      -l mod    require library 'mod' into global 'mod'
      -i        enter interactive mode after executing 'script'
      -v, --version  show version information
      -h, --help     show this help
      --        stop handling options
      -         execute stdin and stop handling options
    With no script: an interactive session when stdin is a terminal, else stdin runs as a script.
    """

    /// Parses `argv` (argv[0] is the program). Throws a message for bad usage.
    init(_ argv: [String]) throws {
        var i = 1
        while i < argv.count {
            let a = argv[i]
            switch a {
            case "--":
                i += 1
                if i < argv.count { script = argv[i]; scriptIndex = i }
                return
            case "-":
                script = "-"; scriptIndex = i
                return
            case "-i": interactive = true
            case "-v", "--version": showVersion = true
            case "-h", "--help": showHelp = true
            case "-e", "-l":
                guard i + 1 < argv.count else { throw UsageError("'\(a)' needs argument") }
                actions.append(a == "-e" ? .execute(argv[i + 1]) : .require(argv[i + 1]))
                i += 1
            default:
                if a.hasPrefix("-") && a.count > 1 {
                    if a.hasPrefix("-e") { actions.append(.execute(String(a.dropFirst(2)))) }
                    else if a.hasPrefix("-l") { actions.append(.require(String(a.dropFirst(2)))) }
                    else { throw UsageError("unrecognized option '\(a)'") }
                } else {
                    script = a; scriptIndex = i
                    return
                }
            }
            i += 1
        }
    }
}

/// Bad command-line usage.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
