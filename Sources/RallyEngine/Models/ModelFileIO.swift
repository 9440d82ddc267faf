import Foundation

/// Reads and writes model files, with messages that name the path and the system's reason
/// (`No such file or directory`), and describes JSON that is not a model file.
enum ModelFileIO {
    /// The bytes of `path`.
    static func read(_ path: String) throws -> Data {
        guard !path.isEmpty else { throw RallyError("cannot read model file '': the path is empty") }
        guard let handle = fopen(path, "rb") else {
            throw RallyError("cannot read model file '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { fclose(handle) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&buffer, 1, buffer.count, handle)
            if n > 0 { data.append(buffer, count: n) }
            if n < buffer.count {
                if ferror(handle) != 0 { throw RallyError("cannot read model file '\(path)': \(String(cString: strerror(errno)))") }
                return data
            }
        }
    }

    /// Writes `data` to `path` atomically (replacing it; the folder must exist); `kind` names
    /// the model in messages.
    static func write(_ data: Data, to path: String, kind: String) throws {
        do {
            try AtomicFile.write(data, to: path, createDirectories: false)
        } catch let error as RallyError {
            throw RallyError("\(kind): \(error.message)")
        }
    }

    /// Why `data` read from `path` is not what `type` decodes: `not JSON`, or the field that is
    /// missing or of the wrong type.
    static func decodingProblem(_ error: any Error, data: Data) -> String {
        if (try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])) == nil { return "not JSON" }
        guard let error = error as? DecodingError else { return "unreadable JSON" }
        func field(_ path: [any CodingKey]) -> String {
            path.isEmpty ? "the top level" : "field '" + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") + "'"
        }
        switch error {
        case .keyNotFound(let key, let context): return "no \(field(context.codingPath + [key]))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "\(field(context.codingPath)) has the wrong type"
        case .dataCorrupted(let context): return "\(field(context.codingPath)) is malformed"
        @unknown default: return "unreadable JSON"
        }
    }
}
