import Foundation

/// A JSON value read from an artifact, with its path in the document (`metrics.gbdt.pr_auc`)
/// so every error says where the unexpected value sits.
struct ArtifactJSON {
    /// The parsed value (Foundation's JSONSerialization types).
    let value: Any
    /// The file it came from.
    let file: String
    /// The key path inside the file (empty at the root).
    let path: String

    /// Parses the file at `file`.
    static func load(_ file: String) throws -> ArtifactJSON {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw RallyError("\(file): cannot read the file (missing or unreadable)")
        }
        do {
            return ArtifactJSON(value: try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]), file: file, path: "")
        } catch {
            throw RallyError("\(file): not valid JSON (\(error.localizedDescription))")
        }
    }

    private var location: String { path.isEmpty ? "\(file): the document" : "\(file): '\(path)'" }

    private func child(_ value: Any, _ key: String) -> ArtifactJSON {
        ArtifactJSON(value: value, file: file, path: path.isEmpty ? key : "\(path).\(key)")
    }

    private func fail(_ expected: String) -> RallyError {
        RallyError("\(location): expected \(expected), got \(Self.describe(value))")
    }

    private static func describe(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case let s as String: return "the string \"\(s)\""
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        case let n as NSNumber: return isBoolean(n) ? "a boolean" : "the number \(n)"
        default: return "\(type(of: value))"
        }
    }

    /// Whether `n` came from a JSON `true` or `false` (JSONSerialization stores them as chars).
    private static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    /// Whether the value is an object with `key`.
    func has(_ key: String) -> Bool { (value as? [String: Any])?[key] != nil }

    /// The member `key` of an object.
    func member(_ key: String) throws -> ArtifactJSON {
        guard let object = value as? [String: Any] else { throw fail("an object") }
        guard let v = object[key] else {
            throw RallyError("\(location): no key '\(key)' (keys: \(object.keys.sorted().joined(separator: ", ")))")
        }
        return child(v, key)
    }

    /// The member `key`, or nil when it is absent or null.
    func optionalMember(_ key: String) throws -> ArtifactJSON? {
        guard let object = value as? [String: Any] else { throw fail("an object") }
        guard let v = object[key], !(v is NSNull) else { return nil }
        return child(v, key)
    }

    /// The elements of an array.
    func elements() throws -> [ArtifactJSON] {
        guard let array = value as? [Any] else { throw fail("an array") }
        return array.enumerated().map { child($1, "\($0)") }
    }

    /// A string.
    func string() throws -> String {
        guard let s = value as? String else { throw fail("a string") }
        return s
    }

    /// A number; null reads as NaN (the writers store NaN as null).
    func number() throws -> Double {
        if value is NSNull { return .nan }
        guard let n = value as? NSNumber, !Self.isBoolean(n) else { throw fail("a number") }
        return n.doubleValue
    }

    /// An integer.
    func integer() throws -> Int {
        let d = try number()
        guard d.isFinite, d == d.rounded(), abs(d) < 9e15 else { throw fail("an integer") }
        return Int(d)
    }

    /// A scalar rendered as text for people (strings as they are, numbers via ``Format``).
    func text() -> String {
        switch value {
        case let s as String: return s
        case is NSNull: return "null"
        case let n as NSNumber:
            if Self.isBoolean(n) { return n.boolValue ? "true" : "false" }
            return Format.number(n.doubleValue)
        default: return "…"
        }
    }
}
