import LuaBridge
#if canImport(Glibc)
import Glibc
#endif

/// Where output goes and whether it may be coloured.
enum Terminal {
    static let stdinIsTTY = isatty(0) != 0
    static let stdoutIsTTY = isatty(1) != 0
    static let stderrIsTTY = isatty(2) != 0

    /// Writes `text` to standard error.
    static func error(_ text: String) {
        let s = stderrIsTTY ? "\u{1B}[31m" + text + "\u{1B}[0m\n" : text + "\n"
        writeAll(2, s)
    }

    /// Writes `text` to standard output.
    static func out(_ text: String) { writeAll(1, text + "\n") }

    /// A dimmed note (timings), plain when not a terminal.
    static func note(_ text: String) {
        writeAll(1, stdoutIsTTY ? "\u{1B}[2m" + text + "\u{1B}[0m\n" : text + "\n")
    }

    /// Writes `text` to `fd` whole. Lua's `print`, `io.write` and the engine's printing go
    /// through the C stdio buffer, which is flushed first so that the output keeps its order
    /// when standard output is a pipe or a file.
    static func writeAll(_ fd: Int32, _ text: String) {
        fflush(nil)
        var s = text
        s.withUTF8 { buf in
            var off = 0
            while off < buf.count {
                let n = write(fd, buf.baseAddress! + off, buf.count - off)
                if n <= 0 { if errno == EINTR { continue } else { return } }
                off += n
            }
        }
    }
}
