import Foundation

/// The resume file of a sweep: what identifies the sweep, and every scored configuration's
/// figures, rewritten atomically after each one.
///
/// ```json
/// {
///   "schema": "rally.sweep-checkpoint/1",
///   "sweep": {"data": "...", "features": "...", "labeler": "...", "grid": "...", "models": "...", ...},
///   "configurations": [
///     {"index": 0, "at": "q=0.9 window=168", "figures": [["0.745...", ...], ...], "warnings": []}
///   ]
/// }
/// ```
/// Figures are stored as text in Swift's shortest round-trip form (`nan` for missing), so a
/// resumed sweep's table equals an uninterrupted one's bit for bit. A file written by a sweep
/// that differs in any identifying field is refused, naming the field.
struct SweepCheckpoint {
    static let schema = "rally.sweep-checkpoint/1"

    let path: String
    let identity: [(String, String)]
    private(set) var scored: [Int: SweepScoredConfiguration]

    /// Reads `path` if it exists (checking it belongs to this sweep), else creates it empty,
    /// so that an unwritable path fails before any work is done.
    static func open(_ path: String, identity: [(String, String)], configurations: [SweepConfiguration],
                     models: Int, figures: Int) throws -> SweepCheckpoint {
        guard FileManager.default.fileExists(atPath: path) else {
            let fresh = SweepCheckpoint(path: path, identity: identity, scored: [:])
            try fresh.save()
            return fresh
        }
        let problem = { (what: String) in RallyError("sweep: resume file '\(path)': \(what)") }
        guard let data = FileManager.default.contents(atPath: path) else { throw problem("cannot be read") }
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch { throw problem("not a JSON document (\(error.localizedDescription))") }
        guard let top = root as? [String: Any], top["schema"] as? String == schema else {
            throw problem("not a sweep resume file (schema \(schema) expected)")
        }
        guard let stored = top["sweep"] as? [String: String] else { throw problem("field 'sweep' missing") }
        for (key, value) in identity where stored[key] != value {
            throw problem("""
                written by another sweep: its \(key) is \(stored[key].map { "'\($0)'" } ?? "absent"), this sweep's is '\(value)'; \
                delete the file or give another resume path
                """)
        }
        guard let entries = top["configurations"] as? [[String: Any]] else { throw problem("field 'configurations' missing") }
        var scored: [Int: SweepScoredConfiguration] = [:]
        for (k, entry) in entries.enumerated() {
            let place = "configuration \(k + 1)"
            guard let index = entry["index"] as? Int, configurations.indices.contains(index) else {
                throw problem("\(place): index missing or out of range")
            }
            let configuration = configurations[index]
            guard entry["at"] as? String == configuration.label else {
                throw problem("\(place): recorded for '\(entry["at"] ?? "?")', but this sweep's configuration \(index + 1) is '\(configuration.label)'")
            }
            guard let rows = entry["figures"] as? [[String]], rows.count == models, rows.allSatisfy({ $0.count == figures }) else {
                throw problem("\(place): expected \(models) rows of \(figures) figures")
            }
            let values = try rows.map { row in
                try row.map { text in
                    guard let x = Double(text) else { throw problem("\(place): '\(text)' is not a number") }
                    return x
                }
            }
            let warnings = entry["warnings"] as? [String] ?? []
            scored[index] = SweepScoredConfiguration(configuration: configuration, figures: values, warnings: warnings)
        }
        return SweepCheckpoint(path: path, identity: identity, scored: scored)
    }

    /// Adds a scored configuration and rewrites the file.
    mutating func record(_ result: SweepScoredConfiguration) throws {
        scored[result.configuration.index] = result
        try save()
    }

    /// Writes the file atomically (configurations in grid order).
    func save() throws {
        let entries = scored.keys.sorted().map { index -> JSONValue in
            let s = scored[index]!
            return .object([
                ("index", .integer(index)),
                ("at", .string(s.configuration.label)),
                ("figures", .array(s.figures.map { row in .array(row.map { .string($0.description) }) })),
                ("warnings", .array(s.warnings.map { .string($0) })),
            ])
        }
        let document = JSONValue.object([
            ("schema", .string(Self.schema)),
            ("sweep", .object(identity.map { ($0.0, .string($0.1)) })),
            ("configurations", .array(entries)),
        ])
        do {
            try AtomicFile.write(document.text(), to: path)
        } catch let error as RallyError {
            throw RallyError("sweep: resume file: \(error.message)")
        }
    }
}
