import CLua
import LuaBridge

/// The Swift object behind a Lua `Model`: what makes its models (a ``ModelFactory``) and the
/// current model, unfitted until `m:fit` (or loaded fitted). A box for Lua, not a model.
public final class ModelObject {
    /// Makes fresh models: a ``ModelSpec``, or a ``LuaScriptedModel/Factory``.
    let factory: any ModelFactory
    /// The model `m:predict`, `m:save`, ... use; `m:fit` replaces it with a fitted fresh one.
    var model: any RallyModel {
        didSet { bundle = nil }
    }
    /// Makes the bundle `m:save_bundle` writes (when asked: it hashes the data): set for the
    /// model of a forecast or a bundle, dropped by `m:fit`.
    var bundle: (() -> ModelBundle)?

    init(factory: any ModelFactory, model: any RallyModel, bundle: (() -> ModelBundle)? = nil) {
        self.factory = factory
        self.model = model
        self.bundle = bundle
    }

    /// A new object with an unfitted model from `factory`.
    convenience init(factory: any ModelFactory) throws {
        self.init(factory: factory, model: try factory.make())
    }

    /// The label of the model in tables.
    var name: String { factory.name }
    var kind: String { factory.kind }

    /// The factory, making models that call Lua (if they do) in `L`, the state of the current call.
    func factory(_ L: LuaState) -> any ModelFactory {
        (factory as? LuaScriptedModel.Factory)?.on(L) ?? factory
    }

    /// The model, calling Lua (if it does) in `L`.
    func model(_ L: LuaState) -> any RallyModel {
        (model as? LuaScriptedModel)?.on(L) ?? model
    }

    /// `<Model gbdt rounds=300 max_depth=6 eta=0.05 (not fitted)>`
    var text: String { factory.line(fitted: model.isFitted) }
}

/// The Lua face of the models: `rally.model.*` and the `Model` class.
public enum ModelBindings {
    /// Class name of models in Lua.
    public static let className = "Model"
    private static let registryKey = "rally.models"

    static func install(_ rally: LuaModule) {
        rally.register(luaClass())
        var definitions = LuaClass<LuaScriptedModel.Definition>(definitionClass, doc: """
        ModelDefinition -- a model written in Lua, as rally.model.register stored it (internal).
        """)
        definitions.tostring = { "<ModelDefinition \($0.kind.name)>" }
        rally.register(definitions)
        rally.submodule("model", doc: """
        rally.model -- models: naive, climatology, logreg, gbdt, and models written in Lua (rally.model.register).
        Each constructor returns a Model (m:fit(X, y), m:predict(X), m:params(), m:save(path), ...); help(rally.model.gbdt) lists parameters.
        """) { m in
            for kind in ModelKind.builtIns {
                m.function(kind.name, doc: """
                rally.model.\(kind.name){...} -- a \(kind.name) Model: \(kind.summary). Optional name = "label" for tables.
                \(kind.help.split(separator: "\n").dropFirst().joined(separator: "\n"))
                """) { L in
                    try pushNew(L, kind: kind.name, function: kind.name, tableArgument: 1)
                }
            }
            m.function("calibrated", doc: """
            rally.model.calibrated{base = m [, method, holdout, embargo, name]} -- a Model: \(CalibratedModel.kind.summary).
              The base (a built-in model) is fitted on the training rows before the latest `holdout` (less an `embargo`), the calibrator on
              that holdout, in time order; default name: the base's name and the method (gbdt_platt).
            \(CalibratedModel.kind.help.split(separator: "\n").dropFirst().joined(separator: "\n"))
            """) { L in
                let args = LuaArgs(L, "calibrated")
                if args.isNil(1) { throw args.typeError(1, expected: "table") }
                LuaObjects.push(L, try ModelObject(factory: try args.decoding(1) { try ModelSpec(calibratedOptions: $0) }), className)
                return 1
            }
            m.function("new", doc: """
            rally.model.new(name, params) -- a Model of a built-in kind or of a model registered from Lua, with params (a table; optional name = "label").
            """) { L in
                let args = LuaArgs(L, "new")
                return try pushNew(L, kind: try args.string(1), function: "new", tableArgument: 2)
            }
            m.function("list", doc: """
            rally.model.list() -- the model names: built-in kinds first, then those registered from Lua (sorted).
            """) { L in
                L.push(strings: ModelKind.builtInNames + luaModelNames(L))
                return 1
            }
            m.function("register", doc: """
            rally.model.register(name, {fit = function(self, X, y, w) ... end, predict = function(self, X) ... return probs end, params = {k = default, ...}, doc = "...",
              explain = function(self, X) ... return {bias = b, contributions = {name = {...}, ...}} end (optional, for m:explain and reasons)})
              -- a model written in Lua, then made with rally.model.new(name, params) and fitted, predicted and evaluated like the built-ins.
              params declares each parameter by its default (a number: any finite number; a string; a boolean) or by a table
              {default = v, min = a, max = b, integer = true, choices = {...}, doc = "..."}; values are checked as the built-ins' are.
              X is a table of columns: X[name][i] (nil where missing), X.n rows, X.names in order; y a table of 0/1; w weights or nil.
              self is a fresh table per model, {name = ..., params = {...}}: keep what fit learns in it. predict returns a Vector or table of probabilities.
            """) { L in
                try register(L)
                return 0
            }
            m.function("load", doc: """
            rally.model.load(path) -- a fitted Model read from a file written by m:save(path).
            """) { L in
                let path = try LuaArgs(L, "load").string(1)
                let model = try ModelFile.load(from: path)
                LuaObjects.push(L, ModelObject(factory: try ModelSpec(describing: model), model: model), className)
                return 1
            }
        }
    }

    private static func pushNew(_ L: LuaState, kind: String, function: String, tableArgument n: Int32) throws -> Int32 {
        let args = LuaArgs(L, function)
        let factory: any ModelFactory = try args.options(n) {
            let (parameters, name) = try ModelParameters.given(try args.tree(n))
            if let definition = try luaDefinition(L, kind) {
                return try LuaScriptedModel.Factory(definition: definition, given: parameters, name: name, state: L)
            }
            return try ModelSpec(kind: kind, parameters: parameters, name: name)
        }
        LuaObjects.push(L, try ModelObject(factory: factory), className)
        return 1
    }

    // MARK: models written in Lua

    /// Pushes the registry table of models written in Lua (name → Definition userdata).
    private static func pushRegistered(_ L: LuaState) { L.pushRegistryTable(registryKey) }

    private static func luaModelNames(_ L: LuaState) -> [String] {
        pushRegistered(L)
        defer { L.pop() }
        var names: [String] = []
        L.forEach(-1) { if let s = L.string(-2) { names.append(s) } }
        return names.sorted()
    }

    private static func luaDefinition(_ L: LuaState, _ name: String) throws -> LuaScriptedModel.Definition? {
        pushRegistered(L)
        defer { L.pop(2) }
        L.rawGet(-1, name)
        if L.isNoneOrNil(-1) {
            guard ModelKind.builtInNames.contains(name) else { throw ModelKind.unknownModel(name, registered: luaModelNames(L)) }
            return nil
        }
        return LuaObjects.peek(L, -1, definitionClass, as: LuaScriptedModel.Definition.self)
    }

    private static let definitionClass = "ModelDefinition"

    private static func register(_ L: LuaState) throws {
        let args = LuaArgs(L, "register")
        let name = try args.string(1)
        try args.attributing(argument: 1) { try ModelKind.checkScriptedName(name) }
        if args.isNil(2) { throw args.typeError(2, expected: "table") }
        let kind = try args.decoding(2) { try ModelKind(scripted: name, options: $0) }
        // the engine checked the table; keep its functions
        let options = args.slot(2)
        L.newTable(record: 3)
        for key in ["fit", "predict", "explain"] {
            L.rawGet(options, key)
            L.rawSet(-2, key)
        }
        let definition = LuaScriptedModel.Definition(L, kind: kind)
        pushRegistered(L)
        LuaObjects.push(L, definition, definitionClass)
        L.rawSet(-2, name)
        L.pop()
    }

    // MARK: the Model class

    static func luaClass() -> LuaClass<ModelObject> {
        var cls = LuaClass<ModelObject>(className, doc: """
        Model -- a model (rally.model.*): m:fit(X, y [, w]), m:predict(X), m:explain(X), m:params(), m:report(), m:describe(), m:importance(), m:save(path).
        X is a FeatureMatrix (its usable rows), a table of columns {name = {...}} or an array of rows; y a Vector or table of 0/1.
        m.name, m.kind and m.fitted can be read as fields.
        """)
        cls.tostring = { $0.text }
        cls.index = { object, L in
            guard let key = L.string(2) else { return 0 }
            switch key {
            case "name": L.push(object.name)
            case "kind": L.push(object.kind)
            case "fitted": L.push(object.model.isFitted)
            default: return 0
            }
            return 1
        }
        cls.method("fit", doc: """
        m:fit(X, y [, w]) -- fits a fresh model on X and labels y (0/1), with optional weights w; returns m.
          With a FeatureMatrix X and y over its whole time index (lab:apply(ds)), the rows used are the usable ones whose label is defined.
        """) { object, L in
            let args = LuaArgs(L, "fit", method: true)
            let input = try LuaModelData.input(args, 1)
            let labels = try args.numbers(2)
            let (X, y, at) = try args.attributing(argument: 2) { try input.training(labels: labels) }
            let given = args.isNil(3) ? nil : try args.numbers(3)
            let w = try given.map { given in try args.attributing(argument: 3) { try input.weights(given, at: at, labels: labels.count) } }
            let model = try object.factory(L).make()
            try model.fit(X, labels: y, weights: w)
            object.model = model
            L.pushValue(1)
            return 1
        }
        cls.method("predict", doc: """
        m:predict(X) -- a Vector of rally probabilities, one per row of X (for a FeatureMatrix: one per time step, nil where not usable).
        """) { object, L in
            let input = try LuaModelData.input(LuaArgs(L, "predict", method: true), 1)
            LuaVector.push(L, input.spread(try object.model(L).predict(input.X)), name: object.name)
            return 1
        }
        cls.method("explain", doc: """
        m:explain(X) -- why each row got its probability: {names = {...}, bias = Vector, margin = Vector, contributions = {name = Vector, ...}},
          bias + the contributions of a row = its margin (log-odds). gbdt: XGBoost's SHAP values; logreg: linear terms on the standardized
          scale; naive, climatology: the steps of their rule. A model written in Lua needs an explain function. Rows as m:predict(X).
        """) { object, L in
            let input = try LuaModelData.input(LuaArgs(L, "explain", method: true), 1)
            let e = try object.model(L).explanation(input.X)
            L.newTable(record: 4)
            L.push(strings: e.features)
            L.rawSet(-2, "names")
            LuaVector.push(L, input.spread(e.bias), name: "bias")
            L.rawSet(-2, "bias")
            LuaVector.push(L, input.spread(e.margins), name: "margin")
            L.rawSet(-2, "margin")
            L.newTable(record: e.features.count)
            for (name, column) in zip(e.features, e.contributions) {
                LuaVector.push(L, input.spread(column), name: name)
                L.rawSet(-2, name)
            }
            L.rawSet(-2, "contributions")
            return 1
        }
        cls.method("params", doc: "m:params() -- the parameters with their effective values, as a table.") { object, L in
            L.push(parameters: object.factory.parameters)
            return 1
        }
        cls.method("report", doc: "m:report() -- facts about the last fit (iterations, rounds, ...), as a table; empty before fitting.") { object, L in
            L.push(parameters: object.model.fitReport)
            return 1
        }
        cls.method("describe", doc: "m:describe() -- a few lines on the model and what its fit learnt.") { object, L in
            L.push(object.model(L).describe())
            return 1
        }
        cls.method("importance", doc: """
        m:importance([type]) -- gbdt only: {{feature = ..., score = ...}, ...} sorted by score, highest first.
          type: "gain" (average gain of the feature's splits; default), "total_gain", "weight" (split count), "cover", "total_cover".
        """) { object, L in
            let args = LuaArgs(L, "importance", method: true)
            let type = try args.optionalString(1) ?? "gain"
            let scores = try object.model.rankedImportance(type: type)
            L.newTable(array: scores.count)
            for (i, s) in scores.enumerated() {
                L.newTable(record: 2)
                L.push(s.feature)
                L.rawSet(-2, "feature")
                L.push(s.score)
                L.rawSet(-2, "score")
                L.rawSet(-2, index: i + 1)
            }
            return 1
        }
        cls.method("save", doc: """
        m:save(path) -- writes the fitted model (gbdt: an XGBoost JSON model; others: a rally JSON model file); rally.model.load(path) reads it back.
        """) { object, L in
            let path = try LuaArgs(L, "save", method: true).string(1)
            try object.model(L).save(to: path)
            return 0
        }
        cls.method("save_bundle", doc: """
        m:save_bundle(path) -- writes the model with its features, labeler, training window, data hash and versions (one JSON file, atomically)
          for a model that came from rally.forecast (f:model()) or a bundle; rally.bundle.load(path) reads it, rally.forecast{data = ds, bundle = path} uses it.
        """) { object, L in
            let path = try LuaArgs(L, "save_bundle", method: true).string(1)
            try ModelBundle.require(object.bundle?()).write(to: path)
            return 0
        }
        return cls
    }
}
