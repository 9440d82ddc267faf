import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Shows a sweep's progress on stderr: a bar redrawn in place on a terminal, one line per
/// scored configuration otherwise, nothing when quiet.
public final class ProgressDisplay {
    private let quiet: Bool
    private let terminal: Bool
    private var drawn = false

    /// A display; `quiet`: show nothing.
    public init(quiet: Bool) {
        self.quiet = quiet
        terminal = isatty(2) != 0
    }

    private static var width: Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 100
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    /// Shows `p`: the bar redrawn, or the lines of configurations scored since the last call.
    public func show(_ p: SweepProgress) {
        guard !quiet else { return }
        if terminal {
            write("\r" + p.bar(width: Self.width - 1) + "\u{1B}[K")
            drawn = true
        } else if !p.lines.isEmpty {
            write(p.lines.joined(separator: "\n") + "\n")
        }
    }

    /// Ends the bar's line.
    public func end() {
        if drawn { write("\n") }
        drawn = false
    }
}

/// Progress lines on stderr (one per stage of an evaluation), or none when quiet.
public enum ProgressLines {
    /// A writer of lines to stderr; nothing when `quiet`.
    public static func standardError(quiet: Bool) -> (String) -> Void {
        { line in if !quiet { FileHandle.standardError.write(Data((line + "\n").utf8)) } }
    }

    /// Writes `lines` to stderr at once.
    public static func write(_ lines: [String]) {
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
