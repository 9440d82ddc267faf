import CLua
import LuaBridge
import RallyEngine
import RallyConsole
#if canImport(Glibc)
import Glibc
#endif

/// The interactive loop: read a chunk (continuing on `>> ` while it is incomplete), run it,
/// print its values, report errors and go on.
struct REPL {
    let L: LuaState
    let reader: LineReader

    static let prompt = "rally> "
    static let continuation = ">> "

    func loop() {
        while let chunk = readChunk() {
            guard !chunk.isEmpty else { continue }
            execute()
        }
    }

    /// Reads lines until they compile (the chunk is then on the stack), or returns nil at end of
    /// input. A syntax error is reported and an empty string returned; Ctrl-C drops the input.
    private func readChunk() -> String? {
        var text = ""
        var prompt = REPL.prompt
        while true {
            switch reader.read(prompt: prompt) {
            case .endOfInput:
                return nil
            case .interrupted:
                return ""
            case .line(let line):
                text = text.isEmpty ? line : text + "\n" + line
                if text.allSatisfy(\.isWhitespace) { return "" }
                switch LuaConsole.compile(L, text) {
                case .ready:
                    reader.remember(text)
                    return text
                case .incomplete:
                    prompt = REPL.continuation
                case .failed(let message):
                    reader.remember(text)
                    Terminal.error(message)
                    return ""
                }
            }
        }
    }

    /// Runs the compiled chunk and prints its results or its error.
    private func execute() {
        let base = L.top - 1
        let start = Clock.now()
        let outcome = Interrupts.run(L)
        let elapsed = Clock.now() - start
        switch outcome {
        case .success(let count):
            if count > 0 {
                let rendered = (0..<count).map { LuaConsole.render(L, base + 1 + $0) }
                Terminal.out(rendered.joined(separator: "\t"))
            }
            L.setTop(base)
        case .failure(let error):
            Terminal.error(error.message)
        }
        if RallyLua.timingEnabled(L) {
            Terminal.note(elapsed < 1 ? "(\(Format.fixed(elapsed * 1000, digits: 1)) ms)" : "(\(Format.fixed(elapsed, digits: 3)) s)")
        }
        if let error = L.takePendingError() { Terminal.error(error.message) } // from the work above, outside any chunk
    }
}

/// Monotonic seconds.
enum Clock {
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
    }
}
