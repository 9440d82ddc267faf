import Foundation

/// The saved form of the models that are not XGBoost boosters: one JSON object
/// `{"format": "rally-model", "version": 1, "kind", "parameters", "features", "state", "report"}`
/// where `state` holds named arrays of numbers (whatever the kind needs to predict).
struct ModelFile: Codable {
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
        try ModelFileIO.write(data, to: path, kind: kind)
    }

    /// Decodes a file from `data` read from `path`.
    static func decode(_ data: Data, path: String) throws -> ModelFile {
        let file: ModelFile
        do { file = try JSONDecoder().decode(ModelFile.self, from: data) } catch {
            throw RallyError("'\(path)' is not a rally model file (\(ModelFileIO.decodingProblem(error, data: data)))")
        }
        guard file.format == formatName, file.version == currentVersion else {
            throw RallyError("'\(path)': unsupported model file (format \(file.format) version \(file.version); expected \(formatName) version \(currentVersion))")
        }
        return file
    }

    /// The saved parameters, ordered and validated for the kind.
    func resolvedParameters(path: String) throws -> ModelParameters {
        let kind = try ModelRegistry.kind(named: self.kind)
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
