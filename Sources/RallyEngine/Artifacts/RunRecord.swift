/// What `run.json` records about one evaluation run: enough to reproduce it and to know what
/// it cost. Its shape (schema `rally.run/1`), keys in this order:
///
/// ```json
/// {
///   "schema": "rally.run/1",
///   "recipe": "scripts/benchmark.lua",
///   "data": {"path": "../shared/data/pjm_comed_2013_2018.csv", "sha256": "8339…", "synthetic": false,
///            "source": "…", "rows": 52416, "notes": []},
///   "rows": {"kept": 51721, "train": 34369, "test": 17328},
///   "split": {…},                         // as the split describes itself
///   "parameters": {…},                    // features, labeler, models, bootstrap, metrics
///   "seed": 7,
///   "versions": {"rally": "0.1.0", "swift": "6.3", "target_cpu": "x86-64-v3", "lua": "Lua 5.4.6", "xgboost": "1.7.4"},
///   "git_commit": "93017c6…",             // null outside a git checkout
///   "seconds": {"features_labels": 0.04, "fit_gbdt": 0.9, …, "total": 1.2},
///   "warnings": []                        // e.g. folds resting on fewer than 30 rallies
/// }
/// ```
/// Only `seconds` changes between two runs of the same recipe on the same data (and
/// `target_cpu` between a baseline and an x86-64-v3 build, whose other files are the same).
public struct RunRecord: Sendable {
    /// Where the data came from.
    public struct DataSource: Sendable {
        /// The file read, nil for generated data.
        public var path: String?
        /// SHA-256 of that file, nil for generated data.
        public var sha256: String?
        /// Whether the data were generated (`rally.dataset.synthetic`) rather than read.
        public var synthetic: Bool
        /// The load report's source line.
        public var source: String
        /// Rows in the dataset.
        public var rows: Int
        /// The load report's notes (repairs, findings).
        public var notes: [String]

        /// Creates a data description.
        public init(path: String?, sha256: String?, synthetic: Bool, source: String, rows: Int, notes: [String]) {
            self.path = path
            self.sha256 = sha256
            self.synthetic = synthetic
            self.source = source
            self.rows = rows
            self.notes = notes
        }
    }

    /// The script or call that produced the run.
    public var recipe: String
    /// The data.
    public var data: DataSource
    /// Rows kept (features and label defined), in training and in test (summed over folds).
    public var rowsKept: Int, rowsTrain: Int, rowsTest: Int
    /// The split or walk-forward schedule.
    public var split: JSONValue
    /// Every parameter of the run.
    public var parameters: JSONValue
    /// The seed.
    public var seed: UInt64
    /// Component versions, in order (rally, swift, target_cpu, lua, xgboost).
    public var versions: [(String, String)]
    /// The git commit of the working copy, when there is one.
    public var gitCommit: String?
    /// Wall seconds per stage, in the order they ran; "total" last.
    public var seconds: [(String, Double)]
    /// Warnings raised by the run.
    public var warnings: [String]

    /// Creates a record.
    public init(recipe: String, data: DataSource, rowsKept: Int, rowsTrain: Int, rowsTest: Int, split: JSONValue,
                parameters: JSONValue, seed: UInt64, versions: [(String, String)], gitCommit: String?,
                seconds: [(String, Double)], warnings: [String]) {
        self.recipe = recipe
        self.data = data
        self.rowsKept = rowsKept
        self.rowsTrain = rowsTrain
        self.rowsTest = rowsTest
        self.split = split
        self.parameters = parameters
        self.seed = seed
        self.versions = versions
        self.gitCommit = gitCommit
        self.seconds = seconds
        self.warnings = warnings
    }

    /// The `run.json` document.
    public func json() -> JSONValue {
        let source: JSONValue = .object([
            ("path", Self.optional(data.path)),
            ("sha256", Self.optional(data.sha256)),
            ("synthetic", .bool(data.synthetic)),
            ("source", .string(data.source)),
            ("rows", .integer(data.rows)),
            ("notes", .array(data.notes.map(JSONValue.string))),
        ])
        let rows: JSONValue = .object([("kept", .integer(rowsKept)), ("train", .integer(rowsTrain)), ("test", .integer(rowsTest))])
        let seedValue: JSONValue = seed <= UInt64(Int.max) ? .integer(Int(seed)) : .string(String(seed))
        let versionFields: [(String, JSONValue)] = versions.map { ($0.0, JSONValue.string($0.1)) }
        let secondFields: [(String, JSONValue)] = seconds.map { ($0.0, JSONValue.number(($0.1 * 10_000).rounded() / 10_000)) }
        return .object([
            ("schema", .string("rally.run/1")),
            ("recipe", .string(recipe)),
            ("data", source),
            ("rows", rows),
            ("split", split),
            ("parameters", parameters),
            ("seed", seedValue),
            ("versions", .object(versionFields)),
            ("git_commit", Self.optional(gitCommit)),
            ("seconds", .object(secondFields)),
            ("warnings", .array(warnings.map(JSONValue.string))),
        ])
    }

    private static func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
}

extension RunRecord {
    /// The seconds per stage a recipe measured itself (`seconds = {load = 0.4, ...}` of
    /// `res:write`), in name order.
    public static func stageSeconds(_ tree: OptionTree) throws -> [(String, Double)] {
        guard case .table(let list, let fields, let other) = tree, list.isEmpty, other.isEmpty else {
            throw RallyError("stage names (strings) with seconds (numbers) expected")
        }
        return try fields.map { name, value in
            guard case .number(let seconds, _) = value, seconds.isFinite, seconds >= 0 else {
                throw RallyError("stage '\(name)': seconds (a finite number >= 0) expected, got \(value.typeName)")
            }
            return (name, seconds)
        }
    }
}
