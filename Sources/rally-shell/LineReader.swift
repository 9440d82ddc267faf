import CReadline
#if canImport(Glibc)
import Glibc
#endif

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
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = Glibc.read(0, &chunk, chunk.count)
            if n < 0 {
                if errno == EINTR {
                    if Interrupts.takePromptInterrupt() { buffer.removeAll(); Terminal.writeAll(1, "\n"); return .interrupted }
                    continue
                }
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
/// cleanly: SIGINT interrupts `poll`, and the reader resets readline's line state.
/// History persists in `historyPath`; completion asks `completer`.
final class ReadlineReader: LineReader {
    nonisolated(unsafe) private static var received: LineInput?
    nonisolated(unsafe) static var completer: ((String) -> [String])?
    private let historyPath: String

    init(historyPath: String) {
        self.historyPath = historyPath
        rally_rl_configure { text, _, _ in
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
            var fds = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            let r = poll(&fds, 1, -1)
            if Interrupts.takePromptInterrupt() {
                rl_replace_line("", 0)
                rl_free_line_state()
                rl_callback_sigcleanup()
                rl_callback_handler_remove()
                Terminal.writeAll(1, "\n")
                return .interrupted
            }
            if r < 0 { continue }
            rl_callback_read_char()
            if let got = ReadlineReader.received {
                if case .endOfInput = got { Terminal.writeAll(1, "\n") }
                return got
            }
        }
    }

    func remember(_ entry: String) {
        guard !entry.allSatisfy(\.isWhitespace) else { return }
        add_history(entry)
        _ = write_history(historyPath)
    }
}
