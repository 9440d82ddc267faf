import Foundation

/// A fitted model with everything a forecast needs to run it again tomorrow: the feature spec,
/// the labeler, the data's time step and columns, the training window, the data's hash and the
/// rally and XGBoost versions. What `m:save_bundle(path)` writes and `rally.bundle.load(path)`
/// reads; `rally.forecast{bundle = ...}` uses the model as saved (no refit). Not a forecast
/// (``Forecast``) and not a bare model file (``ModelFile``, which it embeds).
///
/// The file is one JSON document, written atomically: the manifest first, then field `model`
/// holding the model's own file (what `m:save` writes, as text) with its SHA-256. One file, not
/// a folder, so it is replaced atomically and handed on as one thing; JSON, so any tool reads the
/// manifest. Reading treats it as hostile: at most ``maxBytes``, strict JSON (``BoundedJSON``),
/// every field checked, the model's hash compared before the model is read (and a gbdt model
/// checked by ``GradientBoostedFileCheck`` before XGBoost sees it).
public struct ModelBundle {
    /// The model, fitted.
    public let model: any RallyModel
    /// The model's label (`gbdt`, `gbdt_platt`).
    public let name: String
    /// The features the model reads.
    public let features: FeatureSpec
    /// The labeler whose labels trained the model (its threshold is the level to beat).
    public let labeler: Labeler
    /// The data's time step, in seconds.
    public let step: Int64
    /// The data columns the features and the labeler read.
    public let columns: [String]
    /// The training rows: how many, the first and last issue times, and the issue time at
    /// which every training label was known.
    public let training: (rows: Int, first: Int64, last: Int64, issuedAt: Int64)
    /// The data the model was fitted on: the SHA-256 of its values (names, times, columns),
    /// its rows, first and last times and where it was loaded from.
    public let data: (sha256: String, rows: Int, first: Int64, last: Int64, source: String)
    /// The rally and XGBoost versions that wrote the bundle.
    public let versions: (rally: String, xgboost: String)

    static let formatName = "rally-bundle"
    static let currentVersion = 1
    /// The largest bundle read: the largest model file plus 16 MiB of manifest and escaping.
    public static let maxBytes = ModelFile.maxBytes + (16 << 20)

    /// The bundle of a forecast's fitted model: its recipe, training window and data. A
    /// forecast made from a bundle gives back that bundle.
    public init(_ forecast: Forecast) {
        if let bundle = forecast.bundle {
            self = bundle
            return
        }
        let d = forecast.dataset
        self.init(model: forecast.fitted, name: forecast.model, features: forecast.plan.features, labeler: forecast.plan.labeler,
                  step: forecast.step, columns: Self.columns(forecast.plan.features, forecast.plan.labeler),
                  training: (forecast.trainingRows, forecast.trainingWindow.first, forecast.trainingWindow.last, forecast.issuedAt),
                  data: (d.valuesSHA256, d.count, d.timestamps.first ?? 0, d.timestamps.last ?? 0, d.report.source),
                  versions: (BuildInfo.rallyVersion, BuildInfo.xgboostVersion))
    }

    init(model: any RallyModel, name: String, features: FeatureSpec, labeler: Labeler, step: Int64, columns: [String],
         training: (rows: Int, first: Int64, last: Int64, issuedAt: Int64), data: (sha256: String, rows: Int, first: Int64, last: Int64, source: String),
         versions: (rally: String, xgboost: String)) {
        self.model = model
        self.name = name
        self.features = features
        self.labeler = labeler
        self.step = step
        self.columns = columns
        self.training = training
        self.data = data
        self.versions = versions
    }

    /// The data columns `features` and `labeler` read, sorted.
    static func columns(_ features: FeatureSpec, _ labeler: Labeler) -> [String] {
        Set(features.features.flatMap(\.columns) + [labeler.column]).sorted()
    }

    /// `<Bundle gbdt: 19 features, quantile{...}, trained on 51697 rows 2013-01-29 .. 2018-12-23 23:00>`.
    public var summary: String {
        "<Bundle \(name): \(features.features.count) features, \(labeler), trained on \(training.rows) rows "
            + "\(TimeStamp.format(training.first)) .. \(TimeStamp.format(training.last))>"
    }

    /// `bundle`, or the error for a model that has none: only a forecast knows the recipe and
    /// the training window a bundle records.
    public static func require(_ bundle: ModelBundle?) throws -> ModelBundle {
        guard let bundle else {
            throw RallyError("save_bundle: this model has no forecasting recipe; fit it with rally.forecast{...} and save f:model():save_bundle(path)")
        }
        return bundle
    }

    // MARK: the file

    /// The bundle as JSON: the manifest, then the model's file as text.
    func json() throws -> JSONValue {
        let bytes = try ModelFile.bytes(of: model)
        return .object([
            ("format", .string(Self.formatName)),
            ("version", .integer(Self.currentVersion)),
            ("rally_version", .string(versions.rally)),
            ("xgboost_version", .string(versions.xgboost)),
            ("features", BundleRecipe.json(features)),
            ("labeler", BundleRecipe.json(labeler)),
            ("data", .object([("step_seconds", .integer(Int(step))), ("columns", .array(columns.map { .string($0) })),
                              ("sha256", .string(data.sha256)), ("rows", .integer(data.rows)),
                              ("first", .string(TimeStamp.format(data.first))), ("last", .string(TimeStamp.format(data.last))),
                              ("source", .string(data.source))])),
            ("training", .object([("rows", .integer(training.rows)), ("first", .string(TimeStamp.format(training.first))),
                                  ("last", .string(TimeStamp.format(training.last))), ("issued_at", .string(TimeStamp.format(training.issuedAt)))])),
            ("model", .object([("name", .string(name)), ("kind", .string(model.kind)), ("sha256", .string(SHA256.hex(bytes))),
                               ("file", .string(String(decoding: bytes, as: UTF8.self)))])),
        ])
    }

    /// Writes the bundle to `path` atomically (missing folders are created).
    public func write(to path: String) throws {
        try AtomicFile.write(try json().text(), to: path)
    }

    /// Reads a bundle written by ``write(to:)``. Throws `'path': not a valid rally bundle: <what>`
    /// naming the field and what was expected, or the model file's own error.
    public static func load(from path: String) throws -> ModelBundle {
        let bytes = try ModelFile.read(path, limit: maxBytes, what: "bundle")
        let r = BundleReader()
        let root: [String: BoundedJSON]
        let fields: (FeatureSpec, Labeler, [String: BoundedJSON], [String: BoundedJSON], [String: BoundedJSON])
        do {
            root = try r.object(try bytes.withUnsafeBytes { try BoundedJSON.parse($0) }, "the top level")
            guard case .string(formatName)? = root["format"] else { throw r.fail("field 'format' must be \"\(formatName)\"") }
            guard case .number(_, Int64(currentVersion)?, false)? = root["version"] else { throw r.fail("field 'version' must be \(currentVersion)") }
            fields = (try BundleRecipe.spec(root["features"], r), try BundleRecipe.labeler(root["labeler"], r),
                      try r.object(root["data"], "data"), try r.object(root["training"], "training"), try r.object(root["model"], "model"))
        } catch let e as RallyError {
            throw RallyError(MessageText.bounded("'\(path)': not a valid rally bundle: \(e.message)"))
        }
        let (features, labeler, data, training, model) = fields
        let loaded: ModelBundle
        do {
            let text = try r.text(model["file"], "model.file", limit: maxBytes)
            let file = Data(text.utf8)
            let hash = try r.text(model["sha256"], "model.sha256", limit: 64)
            guard SHA256.hex(file) == hash else { throw r.fail("model.sha256 does not match model.file (the model was changed after saving)") }
            let fitted = try ModelFile.load(data: file, path: "\(path) (its model)")
            guard fitted.isFitted else { throw r.fail("the model is not fitted") }
            loaded = ModelBundle(
                model: fitted, name: try r.text(model["name"], "model.name"), features: features, labeler: labeler,
                step: Int64(try r.integer(data["step_seconds"], "data.step_seconds", 1...(366 * 86_400))),
                columns: try r.strings(data["columns"], "data.columns", most: 10_000),
                training: (try r.integer(training["rows"], "training.rows", 1...Int(Int32.max)), try r.time(training["first"], "training.first"),
                           try r.time(training["last"], "training.last"), try r.time(training["issued_at"], "training.issued_at")),
                data: (try r.text(data["sha256"], "data.sha256", limit: 64), try r.integer(data["rows"], "data.rows", 1...Int(Int32.max)),
                       try r.time(data["first"], "data.first"), try r.time(data["last"], "data.last"),
                       (try? r.text(data["source"], "data.source")) ?? ""),
                versions: (try r.text(root["rally_version"], "rally_version", limit: 40), try r.text(root["xgboost_version"], "xgboost_version", limit: 40)))
        } catch let e as RallyError where !e.message.hasPrefix("'\(path) (its model)'") {
            throw RallyError(MessageText.bounded("'\(path)': not a valid rally bundle: \(e.message)"))
        }
        let needed = columns(loaded.features, loaded.labeler)
        guard Set(needed).isSubset(of: loaded.columns) else {
            throw RallyError(MessageText.bounded("'\(path)': not a valid rally bundle: data.columns lacks \(needed.filter { !loaded.columns.contains($0) }.joined(separator: ", ")), which the features or labeler read"))
        }
        return loaded
    }

    // MARK: using it on data

    /// Throws unless `dataset` can be forecast with this bundle: it has every column the bundle
    /// reads, the same time step, and reaches past the training window (`issued`, when given,
    /// no earlier than the time every training label was known). The message names what differs.
    public func check(_ dataset: Dataset, issued: Int64?) throws {
        let missing = columns.filter { !dataset.names.contains($0) }
        guard missing.isEmpty else {
            throw RallyError("bundle \(name): the data lack column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) "
                             + "(the bundle's features and labeler read \(columns.joined(separator: ", ")))")
        }
        let step = try TimeGrid.step(dataset.timestamps, for: "forecast")
        guard step == self.step else {
            throw RallyError("bundle \(name): the data's time step is \(TimeStamp.duration(step)), the bundle's \(TimeStamp.duration(self.step))")
        }
        guard let last = dataset.timestamps.last, last > training.last else {
            throw RallyError("bundle \(name): the data end at \(dataset.timestamps.last.map(TimeStamp.format) ?? "(no rows)"), "
                             + "not after the bundle's training window (\(TimeStamp.format(training.first)) .. \(TimeStamp.format(training.last))): "
                             + "a forecast from it needs newer data")
        }
        if let issued, issued < training.issuedAt {
            throw RallyError("bundle \(name): issue time \(TimeStamp.format(issued)) is before \(TimeStamp.format(training.issuedAt)), "
                             + "when the labels the bundle was trained on were all known", option: "at")
        }
    }
}

extension Dataset {
    /// The SHA-256 of the values: column names, times and every column's bytes (not of a file:
    /// the same data loaded from two layouts hash alike).
    public var valuesSHA256: String {
        var hash = SHA256()
        hash.update(Data(names.joined(separator: "\u{1}").utf8))
        timestamps.withUnsafeBytes { hash.update(Data($0)) }
        for column in columns { column.withUnsafeBytes { hash.update(Data($0)) } }
        return hash.hexDigest()
    }
}
