import Foundation

/// A saved model: what `m:save` writes and ``load(from:)`` reads back into a ``RallyModel``.
///
/// gbdt saves an XGBoost JSON model (rally's parameters, features and report in its attributes);
/// the other built-in kinds save a value of this type, one JSON object
/// `{"format": "rally-model", "version": 1, "kind", "parameters", "features", "state", "report"}`
/// where `state` holds named arrays of numbers (whatever the kind needs to predict). A model
/// file is not a model (load it to predict) and models written in Lua have none.
public struct ModelFile: Codable {
    /// Always ``formatName``.
    var format: String
    /// The file format version.
    var version: Int
    /// The model kind.
    var kind: String
    /// The model's parameters.
    var parameters: [String: ParameterValue]
    /// The features the model was fitted on, in order.
    var features: [String]
    /// The learnt numbers, by name.
    var state: [String: [Double]]
    /// The fit facts.
    var report: [String: ParameterValue]
    /// A calibrated model's base: that model's own file, as text (nil for other kinds).
    var base: String?

    /// Reads a model written by ``RallyModel/save(to:)``: an XGBoost JSON model saved by gbdt,
    /// or a rally model file (naive, climatology, logreg, calibrated). Messages name the path and the reason.
    public static func load(from path: String) throws -> any RallyModel {
        try load(data: try read(path), path: path)
    }

    /// Reads a model from the bytes of a model file (`path` names them in messages: a file, or
    /// the file a model is embedded in).
    public static func load(data: Data, path: String) throws -> any RallyModel {
        if GradientBoostedModel.isXGBoostModel(data) { return try GradientBoostedModel(model: data, path: path) }
        let file = try decode(data, path: path)
        switch file.kind {
        case NaiveModel.kind.name: return try NaiveModel(file: file, path: path)
        case ClimatologyModel.kind.name: return try ClimatologyModel(file: file, path: path)
        case LogisticModel.kind.name: return try LogisticModel(file: file, path: path)
        case CalibratedModel.kind.name: return try CalibratedModel(file: file, path: path)
        default: throw RallyError("'\(path)': unknown model kind '\(MessageText.quote(file.kind, limit: 40))'")
        }
    }

    /// The bytes `model.save(to:)` writes (through a temporary file, removed afterwards): how a
    /// model is embedded in a calibrated model's file or a bundle.
    static func bytes(of model: any RallyModel) throws -> Data {
        let path = NSTemporaryDirectory() + "/rally-model-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).json"
        defer { unlink(path) }
        try model.save(to: path)
        return try read(path)
    }

    static let formatName = "rally-model"
    static let currentVersion = 1

    /// A file for a fitted model.
    init(kind: String, parameters: ModelParameters, features: [String], state: [String: [Double]], report: ModelParameters) {
        self.format = Self.formatName
        self.version = Self.currentVersion
        self.kind = kind
        self.parameters = Dictionary(uniqueKeysWithValues: parameters.entries.map { ($0.name, $0.value) })
        self.features = features
        self.state = state
        self.report = Dictionary(uniqueKeysWithValues: report.entries.map { ($0.name, $0.value) })
    }

    /// Writes the file as JSON with sorted keys (stable bytes for the same model).
    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try encoder.encode(self) } catch {
            throw RallyError("\(kind): cannot encode the model for '\(path)': \(error)")
        }
        try Self.write(data, to: path, kind: kind)
    }

    /// Decodes a file from `data` read from `path`.
    static func decode(_ data: Data, path: String) throws -> ModelFile {
        let file: ModelFile
        do { file = try JSONDecoder().decode(ModelFile.self, from: data) } catch {
            throw RallyError("'\(path)' is not a rally model file (\(decodingProblem(error, data: data)))")
        }
        guard file.format == formatName, file.version == currentVersion else {
            throw RallyError("'\(path)': unsupported model file (format \(MessageText.quote(file.format, limit: 40)) version \(file.version); expected \(formatName) version \(currentVersion))")
        }
        return file
    }

    /// The saved parameters, ordered and validated for the kind (`kind`: a kind outside the
    /// built-in list, such as ``CalibratedModel/kind``).
    func resolvedParameters(path: String, kind declared: ModelKind? = nil) throws -> ModelParameters {
        let kind = try declared ?? ModelKind.builtIn(named: self.kind)
        var given = ModelParameters()
        for p in kind.parameters { if let v = parameters[p.name] { given[p.name] = v } }
        for (k, v) in parameters.sorted(by: { $0.key < $1.key }) where given[k] == nil { given[k] = v }
        do { return try kind.resolve(given) } catch let e as RallyError {
            throw RallyError("'\(path)': \(e.message)")
        }
    }

    /// The saved fit report, in name order.
    var orderedReport: ModelParameters {
        ModelParameters(report.map { ($0.key, $0.value) }).sortedByName
    }

    /// The state array `name`, checked to have `count` values (any count when nil).
    func state(_ name: String, count: Int? = nil, path: String) throws -> [Double] {
        guard let values = state[name] else { throw RallyError("'\(path)': \(kind) model file lacks state '\(name)'") }
        if let count, values.count != count {
            throw RallyError("'\(path)': \(kind) model state '\(name)' has \(values.count) values, expected \(count)")
        }
        return values
    }
}

// MARK: reading and writing bytes

/// Messages name the path and the system's reason (`No such file or directory`), and say what
/// in JSON that is not a model file is wrong.
extension ModelFile {
    /// The largest model file read (the limit of gbdt files, which are the largest).
    static let maxBytes = GradientBoostedFileCheck.maxBytes

    /// The bytes of `path`; throws when the file is larger than `limit` bytes, before reading more.
    static func read(_ path: String, limit: Int = maxBytes, what: String = "model file") throws -> Data {
        guard !path.isEmpty else { throw RallyError("cannot read \(what) '': the path is empty") }
        guard let handle = fopen(path, "rb") else {
            throw RallyError("cannot read \(what) '\(path)': \(String(cString: strerror(errno)))")
        }
        defer { fclose(handle) }
        var status = stat()
        if fstat(fileno(handle), &status) == 0, (status.st_mode & S_IFMT) == S_IFREG, status.st_size > limit {
            throw RallyError("cannot read \(what) '\(path)': \(status.st_size) bytes, more than the \(limit >> 20) MiB a \(what) may have")
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&buffer, 1, buffer.count, handle)
            if n > 0 { data.append(buffer, count: n) }
            if data.count > limit {
                throw RallyError("cannot read \(what) '\(path)': more than the \(limit >> 20) MiB a \(what) may have")
            }
            if n < buffer.count {
                if ferror(handle) != 0 { throw RallyError("cannot read \(what) '\(path)': \(String(cString: strerror(errno)))") }
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
