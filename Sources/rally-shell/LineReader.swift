import LuaBridge
import CReadline
#if canImport(Glibc)
import Glibc
#endif

/// Blocks until standard input has something to read (true) or Ctrl-C was pressed or a signal
/// interrupted the wait (false).
func waitForInputOrInterrupt() -> Bool {
    var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
               pollfd(fd: Interrupts.wakeDescriptor, events: Int16(POLLIN), revents: 0)]
    let r = poll(&fds, nfds_t(fds.count), -1)
    return r > 0 && fds[0].revents != 0
}

/// One read from the user.
enum LineInput {
    case line(String)
    case endOfInput
    case interrupted
}

/// Reads lines at a prompt.
protocol LineReader {
    func read(prompt: String) -> LineInput
    func remember(_ entry: String)
}

/// Plain line reading for piped input: prints the prompt, reads up to a newline, treats Ctrl-C
/// (EINTR) as an interrupted line.
final class PlainLineReader: LineReader {
    private var buffer: [UInt8] = []
    private var finished = false

    func read(prompt: String) -> LineInput {
        Terminal.writeAll(1, prompt)
        while true {
            if let nl = buffer.firstIndex(of: 10) {
                let line = String(decoding: buffer[..<nl], as: UTF8.self)
                buffer.removeSubrange(...nl)
                return .line(line.hasSuffix("\r") ? String(line.dropLast()) : line)
            }
            if finished {
                if buffer.isEmpty { return .endOfInput }
                defer { buffer.removeAll() }
                return .line(String(decoding: buffer, as: UTF8.self))
            }
            _ = waitForInputOrInterrupt()
            if Interrupts.takePromptInterrupt() { buffer.removeAll(); Terminal.writeAll(1, "\n"); return .interrupted }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = Glibc.read(0, &chunk, chunk.count)
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                finished = true
            } else if n == 0 {
                finished = true
            } else {
                buffer.append(contentsOf: chunk[..<n])
            }
        }
    }

    func remember(_ entry: String) {}
}

/// GNU readline in callback mode, so that Ctrl-C at the prompt can clear the pending input
/// cleanly: Ctrl-C wakes the `poll` (through the interrupt pipe), and the reader resets readline's line state.
/// History persists in `historyPath`; completion asks `completer`.
final class ReadlineReader: LineReader {
    nonisolated(unsafe) private static var received: LineInput?
    nonisolated(unsafe) static var completer: ((String) -> [String])?
    private let historyPath: String

    init(historyPath: String) {
        self.historyPath = historyPath
        rally_rl_configure(ReadlineReader.nextKey) { text, _, _ in
            rally_rl_completion_over()
            guard let text, let completer = ReadlineReader.completer else { return nil }
            let matches = completer(String(cString: text))
            guard !matches.isEmpty else { return nil }
            let list = malloc((matches.count + 2) * MemoryLayout<UnsafeMutablePointer<CChar>?>.stride)!.assumingMemoryBound(to: UnsafeMutablePointer<CChar>?.self)
            list[0] = strdup(ReadlineReader.commonPrefix(matches))
            for (i, m) in matches.enumerated() { list[i + 1] = strdup(m) }
            list[matches.count + 1] = nil
            if matches.count == 1 { free(list[1]); list[1] = nil }
            return list
        }
        stifle_history(2000)
        _ = read_history(historyPath)
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first else { return "" }
        for w in words.dropFirst() {
            while !w.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    func read(prompt: String) -> LineInput {
        ReadlineReader.received = nil
        ReadlineReader.interruptDelivered = false
        rl_callback_handler_install(prompt) { line in
            if let line {
                ReadlineReader.received = .line(String(cString: line))
                free(line)
            } else {
                ReadlineReader.received = .endOfInput
            }
            rl_callback_handler_remove()
        }
        while true {
            let ready = waitForInputOrInterrupt()
            if Interrupts.takePromptInterrupt() { return abandonLine() }
            guard ready else { continue }
            rl_callback_read_char()
            // the Return that `nextKey` answered for a Ctrl-C ended readline's line: discard it
            if ReadlineReader.interruptDelivered {
                _ = Interrupts.takePromptInterrupt()
                return abandonLine()
            }
            if let got = ReadlineReader.received {
                if case .endOfInput = got { Terminal.writeAll(1, "\n") }
                return got
            }
        }
    }

    /// Drops the line being edited after a Ctrl-C (readline may already have ended it).
    private func abandonLine() -> LineInput {
        if ReadlineReader.received == nil {
            rl_replace_line("", 0)
            rl_free_line_state()
            rl_callback_sigcleanup()
            rl_callback_handler_remove()
            Terminal.writeAll(1, "\n")
        }
        return .interrupted
    }

    /// Whether `nextKey` already answered the pending Ctrl-C.
    nonisolated(unsafe) private static var interruptDelivered = false

    /// Readline's key source. Readline may read more keys than `poll` announced (a Ctrl-C flushes
    /// the terminal's input queue in between); blocking then would append the next line typed to
    /// the interrupted one. So a Ctrl-C pending while readline waits for a key is answered once
    /// with Return, which ends readline's line; `read(prompt:)` then discards that line instead of
    /// returning it.
    private static let nextKey: @convention(c) (UnsafeMutablePointer<FILE>?) -> Int32 = { _ in
        while true {
            let pending = Interrupts.promptInterruptPending
            if pending && !interruptDelivered {
                interruptDelivered = true
                return 13
            }
            var fds = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: pending ? -1 : Interrupts.wakeDescriptor, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, nfds_t(fds.count), -1) > 0, fds[0].revents != 0 else { continue }
            var key: UInt8 = 0
            let n = Glibc.read(0, &key, 1)
            if n == 1 { return Int32(key) }
            if n < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            return EOF
        }
    }

    func remember(_ entry: String) {
        guard !entry.allSatisfy(\.isWhitespace) else { return }
        add_history(entry)
        _ = write_history(historyPath)
    }
}
