/// One model: a probabilistic classifier of rallies, fitted on a design matrix and 0/1 labels,
/// predicting the probability of a rally for each row.
///
/// A model is an instance, not a description (that is ``ModelSpec``, or a ``ModelKind`` without
/// values) and not a file (``ModelFile``). It is a mutable object: `fit` replaces whatever an earlier fit learnt. It is not
/// `Sendable` (models written in Lua must stay on the Lua thread), but the built-in models
/// hold no shared state, so different instances may be created, fitted and used on different
/// threads at the same time (make each one with ``ModelSpec/make()`` on the thread that uses it).
public protocol RallyModel: AnyObject {
    /// The model kind (`naive`, `logreg`, `gbdt`, or a name registered from Lua).
    var kind: String { get }
    /// Every parameter with its effective value (defaults filled in), in declaration order.
    var parameters: ModelParameters { get }
    /// Whether ``fit(_:labels:weights:)`` has succeeded (or the model was loaded fitted).
    var isFitted: Bool { get }
    /// Facts about the last fit, for `run.json` (e.g. `iterations`, `best_iteration`), in name
    /// order; empty before fitting.
    var fitReport: ModelParameters { get }

    /// Fits the model on the rows of `X` with `labels` (one 0 or 1 per row) and optional
    /// non-negative sample `weights` (one per row).
    ///
    /// Throws a ``RallyError`` when shapes disagree, a label is not 0 or 1, the labels hold a
    /// single class, a weight is negative or not finite, or the model cannot use `X` (a missing
    /// feature, NaN where the model refuses it).
    func fit(_ X: DesignMatrix, labels: [Double], weights: [Double]?) throws

    /// The probability of a rally for each row of `X`, in [0, 1].
    ///
    /// Throws when the model is not fitted or `X` lacks the features it was fitted on.
    func predict(_ X: DesignMatrix) throws -> [Double]

    /// A few lines describing the model and, when fitted, what it learnt.
    func describe() -> String

    /// Writes the fitted model to `path`, in a form ``ModelFile/load(from:)`` reads back
    /// into a model that predicts exactly the same values.
    func save(to path: String) throws
}

/// A model that can rank its input features.
public protocol FeatureImportanceModel: RallyModel {
    /// The importance of each feature the model was fitted on, in feature order (0 for a
    /// feature it never used). `type` names the measure; each model documents the ones it has.
    func importance(type: String) throws -> [(feature: String, score: Double)]
}

/// A model that can keep the probabilities of its own training rows from the fit itself, cheaper
/// than predicting those rows again and equal to that prediction to the last bit. It is an
/// optional shortcut for evaluations that need training predictions (the value curve's
/// training-chosen thresholds), not a different prediction.
protocol TrainingRowPredictions: RallyModel {
    /// Set before ``RallyModel/fit(_:labels:weights:)``: the fit keeps its training rows'
    /// probabilities in ``trainingPredictions``.
    var keepsTrainingPredictions: Bool { get set }
    /// The last fit's probabilities for every row of its `X`, in row order, when it kept them
    /// and could (nil otherwise: predict the rows instead).
    var trainingPredictions: [Double]? { get }
}

extension RallyModel {
    /// The features ranked by importance measure `type`, highest first (ties in feature order).
    /// Throws for a model that cannot rank its features, or as ``FeatureImportanceModel/importance(type:)`` does.
    public func rankedImportance(type: String) throws -> [(feature: String, score: Double)] {
        guard let model = self as? any FeatureImportanceModel else {
            throw RallyError("\(kind): this model has no feature importance (gbdt has)")
        }
        return try model.importance(type: type).enumerated().sorted {
            $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset
        }.map(\.element)
    }
}

/// Something that makes fresh, unfitted models: what an evaluation takes, and calls once per
/// fold. It is not a model and holds no fitted state.
///
/// Two conform. ``ModelSpec`` describes a built-in model; it is `Sendable`, and the models it
/// makes may be made and fitted on any thread, several at once. A model written in Lua is made
/// by the Lua runtime's factory (`LuaScriptedModel.Factory`, in the binding layer): it is *not*
/// `Sendable`, and both ``make()`` and everything the resulting model does must run on the
/// thread that owns its Lua state.
/// Code that wants to use several threads asks for ``sendableSpec`` and runs the factory on the
/// calling thread when it is nil.
public protocol ModelFactory {
    /// The label of the models in tables and artifacts (by default the kind, e.g. `logreg`).
    var name: String { get }
    /// The model kind.
    var kind: String { get }
    /// The effective parameters of the models it makes.
    var parameters: ModelParameters { get }
    /// One line for `tostring`: the kind and its headline parameters (`gbdt rounds=300 ...`).
    var summary: String { get }
    /// A new, unfitted model.
    func make() throws -> any RallyModel
    /// This factory as a `Sendable` spec when its models may be made and used on any thread;
    /// nil when they must stay on the caller's thread (models written in Lua).
    var sendableSpec: ModelSpec? { get }
}

extension ModelFactory {
    /// How a model made by this factory prints, one line: `<Model gbdt rounds=300 eta=0.05
    /// max_depth=6 (not fitted)>`, or `<Model lr: logreg C=0.5 (fitted)>` when the name is not
    /// the kind.
    public func line(fitted: Bool) -> String {
        let label = name == kind ? summary : "\(name): \(summary)"
        return "<Model \(label) (\(fitted ? "fitted" : "not fitted"))>"
    }
}
