import Foundation

/// Writes files so that a reader sees either the old file or the complete new one, never a
/// half-written one: the bytes go to a temporary file in the same directory, which is then
/// renamed over the target (rename(2) is atomic within a file system).
public enum AtomicFile {
    /// Writes `text` (UTF-8) to `path`, creating missing parent directories.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Writes `data` to `path`, creating missing parent directories unless
    /// `createDirectories` is false. Errors name the path and the system's reason
    /// (`Permission denied`, `No such file or directory`).
    public static func write(_ data: Data, to path: String, createDirectories: Bool = true) throws {
        guard !path.isEmpty else { throw RallyError("cannot write '': the path is empty") }
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        if createDirectories { try makeDirectory(directory) }
        let temporary = directory + "/.\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp"
        guard let handle = fopen(temporary, "wb") else {
            throw RallyError("cannot write '\(path)': \(reason(errno))")
        }
        let written = data.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        let writeError = written == data.count ? 0 : errno
        let closeError = fclose(handle) == 0 ? 0 : errno
        if writeError != 0 || closeError != 0 {
            unlink(temporary)
            throw RallyError("cannot write '\(path)': \(reason(writeError != 0 ? writeError : closeError))")
        }
        guard rename(temporary, url.path) == 0 else {
            let why = reason(errno)
            unlink(temporary)
            throw RallyError("cannot write '\(path)': \(why)")
        }
    }

    /// Creates `path` and its missing parents.
    private static func makeDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw RallyError("cannot create directory '\(path)': a file of that name exists") }
            return
        }
        let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if parent != path { try makeDirectory(parent) }
        guard mkdir(path, 0o777) == 0 || errno == EEXIST else {
            throw RallyError("cannot create directory '\(path)': \(reason(errno))")
        }
    }

    private static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
