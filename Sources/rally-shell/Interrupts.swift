import CLua
import LuaBridge
import RallyEngine
import RallyConsole
#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C handling. While a chunk runs, SIGINT does what lua.c does (a hook that raises
/// "interrupted!" at the next Lua instruction) and also raises the engine's cancellation flag,
/// because the hook cannot fire while Swift code runs. At the prompt, it writes a byte to a
/// wake-up pipe, which is the only record of the keypress: a line reader waiting in `poll`
/// wakes up even when the kernel delivered the signal to another thread (XGBoost and Dispatch
/// keep worker threads), and there is no flag to disagree with the pipe.
enum Interrupts {
    nonisolated(unsafe) private static var runningState: OpaquePointer?
    nonisolated(unsafe) private static var wakeRead: Int32 = -1
    nonisolated(unsafe) private static var wakeWrite: Int32 = -1
    /// Whether Ctrl-C was pressed while the last chunk ran (a batch run then exits with 130,
    /// as shells report a command stopped by SIGINT).
    nonisolated(unsafe) private(set) static var lastRunInterrupted = false

    /// The descriptor that becomes readable when Ctrl-C is pressed at the prompt.
    static var wakeDescriptor: Int32 { wakeRead }

    /// Creates the wake-up pipe and installs the SIGINT handler (without SA_RESTART, so a
    /// blocked read returns EINTR).
    static func install() {
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            wakeRead = fds[0]
            wakeWrite = fds[1]
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            let saved = errno
            if let L = Interrupts.runningState {
                Interrupts.lastRunInterrupted = true
                rally_interrupt(L)
                Cancellation.request()
            } else {
                var byte: UInt8 = 1
                _ = write(Interrupts.wakeWrite, &byte, 1)
            }
            errno = saved
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

    /// Whether a Ctrl-C pressed outside a running chunk awaits `takePromptInterrupt`.
    static var promptInterruptPending: Bool {
        var fd = pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)
        return wakeRead >= 0 && poll(&fd, 1, 0) > 0
    }

    /// Whether Ctrl-C was pressed outside a running chunk since the last call; empties the
    /// wake-up pipe.
    static func takePromptInterrupt() -> Bool {
        guard wakeRead >= 0 else { return false }
        var sink = [UInt8](repeating: 0, count: 64)
        var pressed = false
        while read(wakeRead, &sink, sink.count) > 0 { pressed = true }
        return pressed
    }

    /// Runs `body` (which runs Lua code on `L`) with Ctrl-C armed. A Ctrl-C pressed between
    /// the end of the input and this point (while the chunk was compiled) interrupts the chunk
    /// rather than being lost.
    static func armed<T>(_ L: LuaState, _ body: () -> T) -> T {
        rally_clear_interrupt(L.raw)
        Cancellation.reset()
        lastRunInterrupted = false
        runningState = L.raw
        if takePromptInterrupt() {
            lastRunInterrupted = true
            rally_interrupt(L.raw)
            Cancellation.request()
        }
        defer {
            runningState = nil
            rally_clear_interrupt(L.raw)
            Cancellation.reset()
        }
        return body()
    }

    /// Runs the chunk on top of the stack with Ctrl-C armed.
    static func run(_ L: LuaState) -> Result<Int32, RallyError> {
        armed(L) { LuaConsole.run(L) }
    }
}
