import CLua
import RallyEngine
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C handling. While a chunk runs, SIGINT does what lua.c does (a hook that raises
/// "interrupted!" at the next Lua instruction) and also raises the engine's cancellation flag,
/// because the hook cannot fire while Swift code runs. At the prompt, it only records the
/// keypress; the line editor then clears the pending input.
enum Interrupts {
    nonisolated(unsafe) static var runningState: OpaquePointer?
    nonisolated(unsafe) static var atPrompt: sig_atomic_t = 0

    /// Installs the SIGINT handler (without SA_RESTART, so a blocked read returns EINTR).
    static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            if let L = Interrupts.runningState {
                rally_interrupt(L)
                Cancellation.request()
            } else {
                Interrupts.atPrompt = 1
            }
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        // a parent may have started us with SIGINT blocked; Ctrl-C must reach us
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigprocmask(SIG_UNBLOCK, &set, nil)
    }

    /// Whether Ctrl-C was pressed at the prompt since the last call; clears the record.
    static func takePromptInterrupt() -> Bool {
        defer { atPrompt = 0 }
        return atPrompt != 0
    }

    /// Runs the chunk on top of the stack with Ctrl-C armed.
    static func run(_ L: LuaState) -> Result<Int32, RallyError> {
        Cancellation.reset()
        runningState = L.raw
        defer {
            runningState = nil
            rally_clear_interrupt(L.raw)
            Cancellation.reset()
        }
        return LuaConsole.run(L)
    }
}
