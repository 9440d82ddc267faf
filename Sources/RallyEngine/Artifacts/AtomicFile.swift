import Foundation

/// Writes files so that a reader sees either the old file or the complete new one, never a
/// half-written one: the bytes go to a temporary file in the same directory, which is then
/// renamed over the target (rename(2) is atomic within a file system).
public enum AtomicFile {
    /// Writes `text` (UTF-8) to `path`, creating missing parent directories.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Writes `data` to `path`, creating missing parent directories.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw RallyError("cannot create directory '\(directory.path)': \(error.localizedDescription)")
        }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data) else {
            throw RallyError("cannot write '\(temporary.path)' (is '\(directory.path)' writable?)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw RallyError("cannot move '\(temporary.path)' to '\(url.path)': \(reason)")
        }
    }
}
