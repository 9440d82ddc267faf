import Foundation

/// The built-in model kinds, and loading saved models.
///
/// The registry is immutable and `Sendable`: models written in Lua are registered in the Lua
/// binding layer, not here.
public enum ModelRegistry {
    /// Every built-in kind, in the order `rally.model.list()` shows them.
    public static let kinds: [ModelKind] = [NaiveModel.kind, ClimatologyModel.kind, LogisticModel.kind, GradientBoostedModel.kind]

    /// The names of the built-in kinds.
    public static var names: [String] { kinds.map(\.name) }

    /// The kind called `name`; throws listing the valid names otherwise.
    public static func kind(named name: String) throws -> ModelKind {
        guard let k = kinds.first(where: { $0.name == name }) else {
            throw RallyError("unknown model '\(name)'; built-in models: \(names.joined(separator: ", "))")
        }
        return k
    }

    /// A new, unfitted model of `kind` with `parameters` (validated; defaults for the rest).
    public static func make(kind: String, parameters: ModelParameters = [:]) throws -> any RallyModel {
        try self.kind(named: kind).make(parameters)
    }

    /// Reads a model written by ``RallyModel/save(to:)``: an XGBoost JSON model saved by gbdt,
    /// or a rally model file (naive, climatology, logreg).
    public static func load(from path: String) throws -> any RallyModel {
        let data = try ModelFileIO.read(path)
        if GradientBoostedModel.isXGBoostModel(data) { return try GradientBoostedModel(model: data, path: path) }
        let file = try ModelFile.decode(data, path: path)
        switch file.kind {
        case NaiveModel.kind.name: return try NaiveModel(file: file, path: path)
        case ClimatologyModel.kind.name: return try ClimatologyModel(file: file, path: path)
        case LogisticModel.kind.name: return try LogisticModel(file: file, path: path)
        default: throw RallyError("'\(path)': unknown model kind '\(file.kind)'")
        }
    }
}
