/// A built-in model described by value: kind, complete parameters and a display name; the
/// ``ModelFactory`` an evaluation can run on any thread.
///
/// A spec is a description, not a model: ``make()`` gives a fresh, unfitted ``RallyModel``.
/// Creating a spec validates the parameters against the kind (unknown names are errors that
/// list the valid ones) and fills in the defaults, so a spec always holds every parameter.
/// Specs are `Sendable`: an evaluation may call ``make()`` on several threads at once.
/// A calibrated spec (``init(calibrating:parameters:name:)``) also holds the spec of its base.
public struct ModelSpec: ModelFactory, Sendable, Hashable {
    /// The label of the models in tables (the kind unless given).
    public let name: String
    /// The model kind, one of ``ModelKind/builtIns`` or `calibrated`.
    public let kind: String
    /// Every parameter with its effective value, in declaration order (for a calibrated spec:
    /// the calibrator's, then the base's kind and parameters as `base.<name>`).
    public let parameters: ModelParameters
    /// The base of a calibrated spec (empty otherwise): an array, as a struct cannot hold itself.
    private let wrapped: [ModelSpec]
    /// The calibrator's own parameters, for a calibrated spec.
    private let calibration: ModelParameters?

    /// The spec a calibrated spec wraps; nil for a plain kind.
    public var base: ModelSpec? { wrapped.first }

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
        self.wrapped = []
        self.calibration = nil
    }

    /// A calibrated spec: `base` wrapped by ``CalibratedModel`` with the calibrator's
    /// `parameters` (method, holdout, embargo; defaults for the rest). Its default name is the
    /// base's name and the method (`gbdt_platt`). Throws for an unknown or invalid parameter, an
    /// empty name, or a base that is itself calibrated.
    public init(calibrating base: ModelSpec, parameters: ModelParameters = [:], name: String? = nil) throws {
        if name?.isEmpty == true { throw RallyError("model 'calibrated': the name must not be empty") }
        guard base.base == nil else { throw RallyError("calibrated: the base model is already calibrated") }
        let own = try CalibratedModel.kind.resolve(parameters)
        self.kind = CalibratedModel.kind.name
        self.calibration = own
        self.parameters = CalibratedModel.recorded(own: own, baseKind: base.kind, base: base.parameters)
        self.wrapped = [base]
        let method = try own.string("method")
        self.name = name ?? "\(base.name)_\(method)"
    }

    /// The spec of a loaded model: its saved parameters, taken as they are.
    public init(describing model: any RallyModel) throws {
        if let calibrated = model as? CalibratedModel {
            self = try ModelSpec(calibrating: ModelSpec(describing: calibrated.base), parameters: calibrated.ownParameters)
            return
        }
        self.kind = model.kind
        self.parameters = try ModelKind.builtIn(named: model.kind).resolve(model.parameters)
        self.name = model.kind
        self.wrapped = []
        self.calibration = nil
    }

    /// A new, unfitted model.
    public func make() throws -> any RallyModel {
        if let base, let calibration { return try CalibratedModel(parameters: calibration, base: base.make()) }
        return try ModelKind.builtIn(named: kind).make(parameters)
    }

    /// Itself: built-in models may be made and fitted on any thread.
    public var sendableSpec: ModelSpec? { self }

    /// A fit's cost relative to other specs' (``ModelKind/fitCost(_:)``; a calibrated spec: its
    /// base's, and a little more for the calibration): a ranking, not a time.
    public var fitCost: Double {
        if let base { return base.fitCost + 0.5 }
        return (try? ModelKind.builtIn(named: kind).fitCost(parameters)) ?? 1
    }

    /// `kind` and the headline parameters: `gbdt rounds=300 max_depth=6 eta=0.05`.
    public var summary: String {
        if let base, let calibration { return "\(CalibratedModel.kind.line(of: calibration)) of \(base.summary)" }
        return (try? ModelKind.builtIn(named: kind).line(of: parameters)) ?? kind
    }
}
