/// A built-in model described by value: kind, complete parameters and a display name; the
/// ``ModelFactory`` an evaluation can run on any thread.
///
/// A spec is a description, not a model: ``make()`` gives a fresh, unfitted ``RallyModel``.
/// Creating a spec validates the parameters against the kind (unknown names are errors that
/// list the valid ones) and fills in the defaults, so a spec always holds every parameter.
/// Specs are `Sendable`: an evaluation may call ``make()`` on several threads at once.
public struct ModelSpec: ModelFactory, Sendable, Hashable {
    /// The label of the models in tables (the kind unless given).
    public let name: String
    /// The model kind, one of ``ModelKind/builtIns``.
    public let kind: String
    /// Every parameter with its effective value, in declaration order.
    public let parameters: ModelParameters

    /// A spec for `kind` with `parameters` (defaults for the rest) and an optional display name.
    /// Throws on an empty name, or a parameter that has no effect without another
    /// (``ModelKind/checkNeeds(given:resolved:)``).
    public init(kind: String, parameters: ModelParameters = [:], name: String? = nil) throws {
        if name?.isEmpty == true { throw RallyError("model '\(kind)': the name must not be empty") }
        let k = try ModelKind.builtIn(named: kind)
        let resolved = try k.resolve(parameters)
        try k.checkNeeds(given: parameters, resolved: resolved)
        self.kind = kind
        self.parameters = resolved
        self.name = name ?? kind
    }

    /// The spec of a loaded model: its saved parameters, taken as they are.
    public init(describing model: any RallyModel) throws {
        self.kind = model.kind
        self.parameters = try ModelKind.builtIn(named: model.kind).resolve(model.parameters)
        self.name = model.kind
    }

    /// A new, unfitted model.
    public func make() throws -> any RallyModel {
        try ModelKind.builtIn(named: kind).make(parameters)
    }

    /// Itself: built-in models may be made and fitted on any thread.
    public var sendableSpec: ModelSpec? { self }

    /// `kind` and the headline parameters: `gbdt rounds=300 max_depth=6 eta=0.05`.
    public var summary: String {
        (try? ModelKind.builtIn(named: kind).line(of: parameters)) ?? kind
    }
}
