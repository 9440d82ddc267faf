import Foundation

/// The commit a working copy is at, read from `.git` files directly (no `git` process).
public enum GitRevision {
    /// The commit hash checked out in the repository containing `directory` (searched upwards
    /// for `.git`), or nil when there is none or it cannot be read. Follows a symbolic `HEAD`
    /// through loose refs and `packed-refs`, and a `.git` file (`gitdir: ...`) of a worktree.
    public static func commit(searchingFrom directory: String = FileManager.default.currentDirectoryPath) -> String? {
        guard let gitDir = findGitDirectory(from: URL(fileURLWithPath: directory)) else { return nil }
        guard let head = read(gitDir.appendingPathComponent("HEAD")) else { return nil }
        guard head.hasPrefix("ref: ") else { return isHash(head) ? head : nil }
        let ref = String(head.dropFirst(5))
        // a worktree keeps its HEAD locally but shares refs with the main repository
        let common = read(gitDir.appendingPathComponent("commondir")).map {
            URL(fileURLWithPath: $0, relativeTo: gitDir).standardizedFileURL
        } ?? gitDir
        for dir in [gitDir, common] {
            if let loose = read(dir.appendingPathComponent(ref)), isHash(loose) { return loose }
        }
        for dir in [gitDir, common] {
            guard let packed = read(dir.appendingPathComponent("packed-refs")) else { continue }
            for line in packed.split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.count == 2, parts[1] == ref, isHash(String(parts[0])) { return String(parts[0]) }
            }
        }
        return nil
    }

    private static func findGitDirectory(from start: URL) -> URL? {
        var dir = start.standardizedFileURL
        while true {
            let candidate = dir.appendingPathComponent(".git")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory) {
                if isDirectory.boolValue { return candidate }
                if let text = read(candidate), text.hasPrefix("gitdir: ") {
                    return URL(fileURLWithPath: String(text.dropFirst(8)), relativeTo: dir).standardizedFileURL
                }
                return nil
            }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return nil }
            dir = parent
        }
    }

    private static func read(_ url: URL) -> String? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func isHash(_ s: String) -> Bool {
        (s.count == 40 || s.count == 64) && s.allSatisfy(\.isHexDigit)
    }
}
