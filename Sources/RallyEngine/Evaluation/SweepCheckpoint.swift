import Foundation

/// The columns of a sweep's table and the size of its grid, as its resume file records them,
/// so that shard files can be merged into the table without the sweep's plan.
struct SweepLayout: Equatable {
    /// The key columns (labeler parameters), before `model`.
    let keys: [String]
    /// The models, in table order.
    let models: [String]
    /// The figure columns after `model`.
    let figures: [String]
    /// The headline metric.
    let metric: String
    /// Configurations in the whole grid.
    let configurations: Int

    /// The table of `configurations` (key values and one row of figures per model each, in
    /// grid order): keys, `model`, figures.
    func table(_ configurations: [(keys: [SweepValue], figures: [[Double]])]) -> SweepTable {
        let rows = configurations.flatMap { c in
            models.indices.map { m in c.keys + [.text(models[m])] + c.figures[m].map { .number($0) } }
        }
        return SweepTable(columns: keys + ["model"] + figures, keys: keys.count + 1, rows: rows, metric: Metric(key: metric) ?? .prAUC)
    }

    var json: JSONValue {
        .object([("keys", .array(keys.map(JSONValue.string))), ("models", .array(models.map(JSONValue.string))),
                 ("figures", .array(figures.map(JSONValue.string))), ("metric", .string(metric)),
                 ("configurations", .integer(configurations))])
    }
}

/// The resume file of a sweep: what identifies the sweep, the table's layout, the shard it
/// runs (if any), and every scored configuration's key values, figures and warnings,
/// rewritten atomically after each one.
///
/// ```json
/// {
///   "schema": "rally.sweep-checkpoint/1",
///   "sweep": {"data": "...", "features": "...", "labeler": "...", "grid": "...", "models": "...", ...},
///   "table": {"keys": ["q", "window"], "models": ["naive", ...], "figures": [...], "metric": "pr_auc", "configurations": 15},
///   "shard": {"index": 2, "count": 4},
///   "configurations": [
///     {"index": 1, "at": "q=0.9 window=336", "values": [["n", "0.9"], ["n", "336"]], "figures": [["0.745...", ...], ...], "warnings": []}
///   ]
/// }
/// ```
/// Figures and numeric keys are stored as text in Swift's shortest round-trip form (`nan` for
/// missing), so a resumed or merged sweep's table equals an uninterrupted one's bit for bit.
/// A file written by a sweep that differs in any identifying field is refused, naming the field.
struct SweepCheckpoint {
    static let schema = "rally.sweep-checkpoint/1"

    /// One scored configuration as the file holds it.
    struct Entry {
        let index: Int
        let at: String
        let values: [SweepValue]?
        let figures: [[Double]]
        let warnings: [String]
    }

    /// A resume file as read, before it is checked against a sweep.
    struct Contents {
        let identity: [String: String]
        let layout: SweepLayout?
        let shard: SweepShard?
        let entries: [Entry]
    }

    let path: String
    let identity: [(String, String)]
    let layout: SweepLayout
    let shard: SweepShard?
    private(set) var scored: [Int: SweepScoredConfiguration]
    private var keyValues: [Int: [SweepValue]] = [:]

    /// Reads `path` if it exists (checking it belongs to this sweep and shard), else creates it
    /// empty, so that an unwritable path fails before any work is done.
    static func open(_ path: String, identity: [(String, String)], layout: SweepLayout, shard: SweepShard?,
                     configurations: [SweepConfiguration], keyValues: (SweepConfiguration) -> [SweepValue]) throws -> SweepCheckpoint {
        var checkpoint = SweepCheckpoint(path: path, identity: identity, layout: layout, shard: shard, scored: [:])
        guard FileManager.default.fileExists(atPath: path) else {
            try checkpoint.save()
            return checkpoint
        }
        let problem = { (what: String) in RallyError("sweep: resume file '\(path)': \(what)") }
        let contents = try read(path)
        for (key, value) in identity where contents.identity[key] != value {
            throw problem("""
                written by another sweep: its \(key) is \(contents.identity[key].map { "'\($0)'" } ?? "absent"), this sweep's is '\(value)'; \
                delete the file or give another resume path
                """)
        }
        if contents.shard != shard {
            throw problem("written by \(contents.shard.map { "shard \($0)" } ?? "a whole sweep"), this run is \(shard.map { "shard \($0)" } ?? "a whole sweep"); give another resume path")
        }
        for entry in contents.entries {
            let place = "configuration \(entry.index + 1)"
            guard configurations.indices.contains(entry.index), shard?.contains(entry.index) ?? true else {
                throw problem("\(place): not a configuration of this \(shard == nil ? "sweep" : "shard")")
            }
            let configuration = configurations[entry.index]
            guard entry.at == configuration.label else {
                throw problem("\(place): recorded for '\(entry.at)', but this sweep's configuration \(entry.index + 1) is '\(configuration.label)'")
            }
            guard entry.figures.count == layout.models.count, entry.figures.allSatisfy({ $0.count == layout.figures.count }) else {
                throw problem("\(place): expected \(layout.models.count) rows of \(layout.figures.count) figures")
            }
            checkpoint.scored[entry.index] = SweepScoredConfiguration(configuration: configuration, figures: entry.figures, warnings: entry.warnings)
            checkpoint.keyValues[entry.index] = keyValues(configuration)
        }
        return checkpoint
    }

    /// Reads and parses the file at `path` (not checked against any sweep).
    static func read(_ path: String) throws -> Contents {
        let problem = { (what: String) in RallyError("sweep: resume file '\(path)': \(what)") }
        guard let data = FileManager.default.contents(atPath: path) else { throw problem("cannot be read") }
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch { throw problem("not a JSON document (\(error.localizedDescription))") }
        guard let top = root as? [String: Any], top["schema"] as? String == schema else {
            throw problem("not a sweep resume file (schema \(schema) expected)")
        }
        guard let identity = top["sweep"] as? [String: String] else { throw problem("field 'sweep' missing") }
        var layout: SweepLayout?
        if let t = top["table"] as? [String: Any] {
            guard let keys = t["keys"] as? [String], let models = t["models"] as? [String], let figures = t["figures"] as? [String],
                  let metric = t["metric"] as? String, let count = t["configurations"] as? Int, count >= 0 else {
                throw problem("field 'table' is malformed")
            }
            layout = SweepLayout(keys: keys, models: models, figures: figures, metric: metric, configurations: count)
        }
        var shard: SweepShard?
        if let s = top["shard"] as? [String: Any] {
            guard let i = s["index"] as? Int, let n = s["count"] as? Int else { throw problem("field 'shard' is malformed") }
            do { shard = try SweepShard(index: i, count: n) } catch let e as RallyError { throw problem("field 'shard': \(e.message)") }
        }
        guard let list = top["configurations"] as? [[String: Any]] else { throw problem("field 'configurations' missing") }
        let entries = try list.enumerated().map { k, entry -> Entry in
            let place = "entry \(k + 1)"
            guard let index = entry["index"] as? Int, index >= 0 else { throw problem("\(place): index missing or negative") }
            guard let at = entry["at"] as? String else { throw problem("\(place): field 'at' missing") }
            guard let rows = entry["figures"] as? [[String]] else { throw problem("\(place): field 'figures' missing") }
            let figures = try rows.map { row in
                try row.map { text in
                    guard let x = Double(text) else { throw problem("\(place): '\(text)' is not a number") }
                    return x
                }
            }
            let values = try (entry["values"] as? [[String]])?.map { pair -> SweepValue in
                guard pair.count == 2 else { throw problem("\(place): a key value is malformed") }
                if pair[0] == "t" { return .text(pair[1]) }
                guard pair[0] == "n", let x = Double(pair[1]) else { throw problem("\(place): a key value is malformed") }
                return .number(x)
            }
            return Entry(index: index, at: at, values: values, figures: figures, warnings: entry["warnings"] as? [String] ?? [])
        }
        return Contents(identity: identity, layout: layout, shard: shard, entries: entries)
    }

    /// Adds a scored configuration (with its key values) and rewrites the file.
    mutating func record(_ result: SweepScoredConfiguration, keys: [SweepValue]) throws {
        scored[result.configuration.index] = result
        keyValues[result.configuration.index] = keys
        try save()
    }

    /// Writes the file atomically (configurations in grid order).
    func save() throws {
        let entries = scored.keys.sorted().map { index -> JSONValue in
            let s = scored[index]!
            let values: [JSONValue] = (keyValues[index] ?? []).map { value in
                switch value {
                case .text(let t): .array([.string("t"), .string(t)])
                case .number(let x): .array([.string("n"), .string(x.description)])
                }
            }
            return .object([
                ("index", .integer(index)),
                ("at", .string(s.configuration.label)),
                ("values", .array(values)),
                ("figures", .array(s.figures.map { row in .array(row.map { .string($0.description) }) })),
                ("warnings", .array(s.warnings.map { .string($0) })),
            ])
        }
        var fields: [(String, JSONValue)] = [
            ("schema", .string(Self.schema)),
            ("sweep", .object(identity.map { ($0.0, .string($0.1)) })),
            ("table", layout.json),
        ]
        if let shard { fields.append(("shard", .object([("index", .integer(shard.index)), ("count", .integer(shard.count))]))) }
        fields.append(("configurations", .array(entries)))
        do {
            try AtomicFile.write(JSONValue.object(fields).text(), to: path)
        } catch let error as RallyError {
            throw RallyError("sweep: resume file: \(error.message)")
        }
    }
}
