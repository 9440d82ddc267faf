import CLua

/// The Swift object behind a Lua `Model`: what makes the model (a built-in spec or a model
/// written in Lua) and, once `m:fit` has run, the fitted model.
public final class ModelObject {
    /// Where the model comes from.
    enum Source {
        /// A built-in kind.
        case builtIn(ModelSpec)
        /// A model registered from Lua, with its parameters.
        case lua(LuaModelDefinition, ModelParameters)
    }

    let source: Source
    /// The label of the model in tables.
    let name: String
    /// The model fitted by `m:fit` (or loaded), nil before.
    var fitted: (any RallyModel)?

    init(_ source: Source, name: String, fitted: (any RallyModel)? = nil) {
        self.source = source
        self.name = name
        self.fitted = fitted
    }

    var kind: String {
        switch source {
        case .builtIn(let spec): spec.kind
        case .lua(let definition, _): definition.name
        }
    }

    var parameters: ModelParameters {
        switch source {
        case .builtIn(let spec): spec.parameters
        case .lua(_, let parameters): parameters
        }
    }

    /// A factory for this model bound to `L`, the state of the current call.
    func factory(_ L: LuaState) -> any ModelFactory {
        switch source {
        case .builtIn(let spec): spec
        case .lua(let definition, let parameters): LuaModelFactory(definition: definition, parameters: parameters, name: name, state: L)
        }
    }

    /// `<Model gbdt rounds=300 max_depth=6 eta=0.05 (not fitted)>`
    var text: String {
        let details: String
        switch source {
        case .builtIn(let spec): details = spec.summary
        case .lua(let definition, let parameters): details = ([definition.name + " (Lua)"] + (parameters.isEmpty ? [] : [parameters.summary])).joined(separator: " ")
        }
        let label = name == kind ? details : "\(name): \(details)"
        return "<Model \(label) (\(fitted == nil ? "not fitted" : "fitted"))>"
    }
}

/// A model written in Lua (`rally.model.register`): its name, doc, default parameters and the
/// definition table (`fit`, `predict`) held in the Lua registry.
///
/// Not `Sendable`: it belongs to one Lua state and is used only on the thread running it.
final class LuaModelDefinition {
    let name: String
    let doc: String
    /// Default parameters, in name order.
    let defaults: ModelParameters
    private let main: LuaState
    private let reference: Int32

    /// Takes the definition table on top of the stack (popping it).
    init(_ L: LuaState, name: String, doc: String, defaults: ModelParameters) {
        self.name = name
        self.doc = doc
        self.defaults = defaults
        self.main = LuaReferences.mainThread(L)
        self.reference = LuaReferences.store(L)
    }

    deinit { LuaReferences.release(main, reference) }

    /// Pushes the definition's field `key` (a function).
    func push(_ L: LuaState, _ key: String) {
        LuaReferences.push(L, reference)
        L.rawGet(-1, key)
        L.remove(-2)
    }

    /// `given` checked against the defaults: only known names, each of its default's type.
    func resolve(_ given: ModelParameters) throws -> ModelParameters {
        var out = defaults
        for p in given {
            guard let d = defaults[p.name] else {
                let valid = defaults.isEmpty ? "(none; declare them in params = {...} when registering)" : defaults.names.joined(separator: ", ")
                throw RallyError("model '\(name)': unknown parameter '\(p.name)'; valid parameters: \(valid)")
            }
            guard d.typeName == p.value.typeName else {
                throw RallyError("model '\(name)': parameter '\(p.name)': \(d.typeName) expected, got \(p.value.typeName)")
            }
            out[p.name] = p.value
        }
        return out
    }
}

/// Registry references that outlive one call: stored with `luaL_ref` and released through the
/// main thread (a coroutine's state may be gone by then).
enum LuaReferences {
    /// The main thread of the state `L` belongs to.
    static func mainThread(_ L: LuaState) -> LuaState {
        lua_rawgeti(L.raw, rally_registryindex(), lua_Integer(LUA_RIDX_MAINTHREAD))
        defer { L.pop() }
        return LuaState(lua_tothread(L.raw, -1)!)
    }

    /// Pops the top value into the registry and returns its reference.
    static func store(_ L: LuaState) -> Int32 { luaL_ref(L.raw, rally_registryindex()) }

    /// Pushes the value stored under `reference`.
    static func push(_ L: LuaState, _ reference: Int32) {
        lua_rawgeti(L.raw, rally_registryindex(), lua_Integer(reference))
    }

    /// Frees `reference`.
    static func release(_ L: LuaState, _ reference: Int32) { luaL_unref(L.raw, rally_registryindex(), reference) }
}

/// Makes models written in Lua. Not `Sendable`: ``make()`` and everything the model does run
/// Lua code in the state of the call that created the factory, on that call's thread, so
/// ``sendableSpec`` is nil and an evaluation runs such models on its calling thread.
final class LuaModelFactory: ModelFactory {
    let definition: LuaModelDefinition
    let parameters: ModelParameters
    let name: String
    private let state: LuaState

    init(definition: LuaModelDefinition, parameters: ModelParameters, name: String, state: LuaState) {
        self.definition = definition
        self.parameters = parameters
        self.name = name
        self.state = state
    }

    var kind: String { definition.name }

    func make() throws -> any RallyModel {
        LuaDefinedModel(definition: definition, parameters: parameters, state: state)
    }

    var sendableSpec: ModelSpec? { nil }
}

/// A model whose `fit` and `predict` are Lua functions, called with `L.protectedCall` only.
///
/// Each instance has its own `self` table, `{name = ..., params = {...}}`, where the Lua code
/// keeps what it learns. `X` reaches Lua as ``LuaModelData`` describes. Not `Sendable`.
final class LuaDefinedModel: RallyModel {
    let definition: LuaModelDefinition
    let parameters: ModelParameters
    /// The state used for calls; ``ModelObject`` rebinds it to the current call's state.
    var state: LuaState
    private let main: LuaState
    private let instance: Int32
    private(set) var isFitted = false
    private var features: [String] = []

    init(definition: LuaModelDefinition, parameters: ModelParameters, state L: LuaState) {
        self.definition = definition
        self.parameters = parameters
        self.state = L
        self.main = LuaReferences.mainThread(L)
        L.newTable(record: 2)
        L.push(definition.name)
        L.rawSet(-2, "name")
        L.newTable(record: parameters.count)
        for p in parameters {
            LuaModelData.push(L, p.value)
            L.rawSet(-2, p.name)
        }
        L.rawSet(-2, "params")
        self.instance = LuaReferences.store(L)
    }

    deinit { LuaReferences.release(main, instance) }

    var kind: String { definition.name }
    var fitReport: ModelParameters { ModelParameters() }

    /// Calls the definition's `key` function with `self`, then the values `pushArguments`
    /// pushes (it returns how many), keeping `results` results on the stack.
    private func call(_ key: String, results: Int32, _ pushArguments: () -> Int32) throws {
        let L = state
        definition.push(L, key)
        LuaReferences.push(L, instance)
        let count = pushArguments()
        do { try L.protectedCall(arguments: count + 1, results: results, traceback: false) } catch let e as RallyError {
            throw RallyError("model '\(kind)' \(key): \(e.message)")
        }
    }

    func fit(_ X: DesignMatrix, labels: [Double], weights: [Double]?) throws {
        let w = try TrainingData.checkedWeights(model: kind, X, labels: labels, weights: weights)
        try LuaModelData.checkNames(X, model: kind)
        try call("fit", results: 0) {
            LuaModelData.push(state, X)
            state.push(numbers: labels)
            if weights != nil { state.push(numbers: w) } else { state.pushNil() }
            return 3
        }
        isFitted = true
        features = X.names
    }

    func predict(_ X: DesignMatrix) throws -> [Double] {
        try TrainingData.requireFitted(model: kind, isFitted)
        try LuaModelData.checkNames(X, model: kind)
        try call("predict", results: 1) {
            LuaModelData.push(state, X)
            return 1
        }
        let L = state
        defer { L.pop() }
        let values: [Double]
        if let v = LuaObjects.peek(L, -1, LuaVector.className, as: VectorObject.self) {
            values = v.values
        } else if L.type(-1) == LUA_TTABLE {
            values = try LuaValues.numbers(L, -1) { i, got in
                RallyError("model '\(kind)' predict: returned table has a \(got) at index \(i); expected probabilities")
            }
        } else {
            throw RallyError("model '\(kind)' predict: returned a \(L.typeName(-1)); expected a Vector or table of probabilities")
        }
        guard values.count == X.rows else {
            throw RallyError("model '\(kind)' predict: returned \(values.count) probabilities for \(X.rows) rows")
        }
        if let i = values.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw RallyError("model '\(kind)' predict: value \(i + 1) is \(Format.number(values[i])); probabilities must be in [0, 1]")
        }
        return values
    }

    func describe() -> String {
        var lines = ["\(kind): a model written in Lua\(definition.doc.isEmpty ? "" : " -- \(definition.doc)")"]
        if !parameters.isEmpty { lines.append("  parameters: \(parameters.summary)") }
        lines.append(isFitted ? "  fitted on \(features.count) features" : "  not fitted")
        return lines.joined(separator: "\n")
    }

    func save(to path: String) throws {
        throw RallyError("model '\(kind)' is written in Lua and cannot be saved; save what its fit learns from Lua instead")
    }
}

/// How data crosses into Lua-defined models, and into `m:fit`/`m:predict` from Lua.
///
/// A design matrix reaches Lua as a table of columns: `X[name][i]` is feature `name` at row i
/// (1-based; a missing value is a nil hole), `X.n` the number of rows and `X.names` the feature
/// names in order. Feature names `n` and `names` are therefore refused.
enum LuaModelData {
    /// Pushes a parameter value (a whole number as a Lua integer).
    static func push(_ L: LuaState, _ value: ParameterValue) {
        switch value {
        case .number(let x): if x == x.rounded() && abs(x) < 1e15 { L.push(Int(x)) } else { L.push(x) }
        case .string(let s): L.push(s)
        case .bool(let b): L.push(b)
        }
    }

    /// Throws when a feature name collides with the `n` or `names` fields.
    static func checkNames(_ X: DesignMatrix, model: String) throws {
        if let clash = X.names.first(where: { $0 == "n" || $0 == "names" }) {
            throw RallyError("model '\(model)': a feature named '\(clash)' would hide X.\(clash) in Lua; rename it")
        }
    }

    /// Pushes `X` as `{n = rows, names = {...}, [name] = {values...}}`.
    static func push(_ L: LuaState, _ X: DesignMatrix) {
        L.newTable(record: X.width + 2)
        L.push(X.rows)
        L.rawSet(-2, "n")
        L.push(strings: X.names)
        L.rawSet(-2, "names")
        for (name, column) in zip(X.names, X.columns) {
            L.newTable(array: column.count)
            for (i, x) in column.enumerated() where !x.isNaN {
                L.push(x)
                L.rawSet(-2, index: i + 1)
            }
            L.rawSet(-2, name)
        }
    }

    /// The rows `X` stands for: a design matrix and, for a `FeatureMatrix`, its usable rows and
    /// full length.
    struct Input {
        var X: DesignMatrix
        /// Row numbers in the FeatureMatrix's time index (nil for a plain table).
        var rows: [Int]?
        /// The FeatureMatrix's full length (rows of the table otherwise).
        var length: Int
    }

    /// Reads argument `n` of `args`: a `FeatureMatrix` (its usable rows), a table of columns
    /// `{name = {...}, ...}` (with optional `names` for the order, else names sorted, and
    /// optional `n`), or an array of rows (`{{lag0 = 1, ...}, ...}` records, or plain arrays
    /// whose features are named x1, x2, ...).
    static func input(_ args: LuaArgs, _ n: Int32) throws -> Input {
        let L = args.L
        let slot = args.slot(n)
        if let fm = LuaObjects.peek(L, slot, FeatureBindings.matrixClass, as: FeatureMatrixObject.self) {
            let rows = fm.matrix.usable.indices.filter { fm.matrix.usable[$0] }
            return Input(X: fm.matrix.design(rows: rows), rows: rows, length: fm.matrix.timestamps.count)
        }
        guard L.type(slot) == LUA_TTABLE else { throw args.typeError(n, expected: "FeatureMatrix or table") }
        let X = L.rawLength(slot) > 0 ? try rowsTable(args, n) : try columnsTable(args, n)
        return Input(X: X, rows: nil, length: X.rows)
    }

    private static func number(_ L: LuaState, _ args: LuaArgs, _ n: Int32, _ place: () -> String) throws -> Double {
        if L.isNoneOrNil(-1) { return .nan }
        guard let x = L.number(-1) else { throw args.error(n, "number expected at \(place()), got \(L.typeName(-1))") }
        return x
    }

    private static func columnsTable(_ args: LuaArgs, _ n: Int32) throws -> DesignMatrix {
        let L = args.L, t = args.slot(n)
        var names: [String] = []
        var declaredRows: Int?
        if L.rawGet(t, "names") == LUA_TTABLE {
            names = try LuaValues.strings(L, -1) { i, got in args.error(n, "names[\(i)] should be a string, got \(got)") }
        }
        L.pop()
        if L.rawGet(t, "n") != LUA_TNIL {
            guard let r = L.integer(-1), r >= 0 else { L.pop(); throw args.error(n, "field 'n' should be a row count") }
            declaredRows = r
        }
        L.pop()
        if names.isEmpty {
            try L.forEach(t) {
                guard let key = L.string(-2) else { throw args.error(n, "column names must be strings, got a \(L.typeName(-2)) key") }
                if key != "n" && key != "names" { names.append(key) }
            }
            names.sort()
        }
        guard !names.isEmpty else { throw args.error(n, "no columns") }
        var columns: [[Double]] = []
        for name in names {
            guard L.rawGet(t, name) == LUA_TTABLE else {
                defer { L.pop() }
                throw args.error(n, "column '\(name)' should be a table of numbers, got \(L.typeName(-1))")
            }
            let count = declaredRows ?? L.rawLength(-1)
            var column = [Double](repeating: .nan, count: count)
            for i in 0..<count {
                L.rawGet(-1, index: i + 1)
                defer { L.pop() }
                column[i] = try number(L, args, n) { "\(name)[\(i + 1)]" }
            }
            L.pop()
            columns.append(column)
        }
        guard let rows = columns.first?.count, columns.allSatisfy({ $0.count == rows }) else {
            let counts = zip(names, columns).map { "\($0.0) \($0.1.count)" }.joined(separator: ", ")
            throw args.error(n, "columns have different lengths (\(counts)); give X.n when values are missing at the end")
        }
        return DesignMatrix(names: names, columns: columns)
    }

    private static func rowsTable(_ args: LuaArgs, _ n: Int32) throws -> DesignMatrix {
        let L = args.L, t = args.slot(n)
        let count = L.rawLength(t)
        guard L.rawGet(t, index: 1) == LUA_TTABLE else {
            defer { L.pop() }
            throw args.error(n, "row 1 should be a table, got \(L.typeName(-1))")
        }
        let width = L.rawLength(-1)
        var names: [String] = []
        if width == 0 {
            try L.forEach(-1) {
                guard let key = L.string(-2) else { throw args.error(n, "row 1: feature names must be strings") }
                names.append(key)
            }
            names.sort()
        } else {
            names = (1...width).map { "x\($0)" }
        }
        L.pop()
        var columns = [[Double]](repeating: [Double](repeating: .nan, count: count), count: names.count)
        for i in 0..<count {
            guard L.rawGet(t, index: i + 1) == LUA_TTABLE else {
                defer { L.pop() }
                throw args.error(n, "row \(i + 1) should be a table, got \(L.typeName(-1))")
            }
            for (j, name) in names.enumerated() {
                if width == 0 { L.rawGet(-1, name) } else { L.rawGet(-1, index: j + 1) }
                defer { L.pop() }
                columns[j][i] = try number(L, args, n) { "row \(i + 1), \(name)" }
            }
            L.pop()
        }
        return DesignMatrix(names: names, columns: columns)
    }

    /// The rows of `input` that fitting uses and their labels (and weights): for a
    /// `FeatureMatrix` with labels over its whole time index, the usable rows whose label is
    /// defined; otherwise one label per row of X.
    static func training(_ input: Input, labels: [Double], weights: [Double]?, args: LuaArgs) throws -> (X: DesignMatrix, y: [Double], w: [Double]?) {
        if let rows = input.rows, labels.count == input.length, input.length != rows.count {
            if let weights, weights.count != labels.count {
                throw args.error(3, "\(weights.count) weights for \(labels.count) labels")
            }
            let keep = rows.indices.filter { !labels[rows[$0]].isNaN }
            let X = DesignMatrix(names: input.X.names, columns: input.X.columns.map { c in keep.map { c[$0] } })
            return (X, keep.map { labels[rows[$0]] }, weights.map { w in keep.map { w[rows[$0]] } })
        }
        guard labels.count == input.X.rows else {
            let usable = input.rows.map { " (\($0.count) usable of \(input.length))" } ?? ""
            throw args.error(2, "\(labels.count) labels for \(input.X.rows) rows of X\(usable)")
        }
        return (input.X, labels, weights)
    }
}

/// The Lua face of the models: `rally.model.*` and the `Model` class.
public enum ModelBindings {
    /// Class name of models in Lua.
    public static let className = "Model"
    private static let registryKey = "rally.models"

    static func install(_ rally: LuaModule) {
        rally.register(luaClass())
        var definitions = LuaClass<LuaModelDefinition>(definitionClass, doc: """
        ModelDefinition -- a model written in Lua, as rally.model.register stored it (internal).
        """)
        definitions.tostring = { "<ModelDefinition \($0.name)>" }
        rally.register(definitions)
        rally.submodule("model", doc: """
        rally.model -- models: naive, climatology, logreg, gbdt, and models written in Lua (rally.model.register).
        Each constructor returns a Model (m:fit(X, y), m:predict(X), m:params(), m:save(path), ...); help(rally.model.gbdt) lists parameters.
        """) { m in
            for kind in ModelRegistry.kinds {
                m.function(kind.name, doc: """
                rally.model.\(kind.name){...} -- a \(kind.name) Model: \(kind.summary). Optional name = "label" for tables.
                \(kind.help.split(separator: "\n").dropFirst().joined(separator: "\n"))
                """) { L in
                    try pushNew(L, kind: kind.name, function: kind.name, tableArgument: 1)
                }
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
                L.push(strings: ModelRegistry.names + luaModelNames(L))
                return 1
            }
            m.function("register", doc: """
            rally.model.register(name, {fit = function(self, X, y, w) ... end, predict = function(self, X) ... return probs end, params = {k = default, ...}, doc = "..."})
              -- a model written in Lua, then made with rally.model.new(name, params) and fitted, predicted and evaluated like the built-ins.
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
                let model = try ModelRegistry.load(from: path)
                let spec = try ModelSpec(describing: model)
                LuaObjects.push(L, ModelObject(.builtIn(spec), name: spec.name, fitted: model), className)
                return 1
            }
        }
    }

    /// Reads the parameter table at argument `n` (absent: none): string keys, number, string
    /// or boolean values; `name` is taken out as the display name.
    private static func readParameters(_ args: LuaArgs, _ n: Int32) throws -> (ModelParameters, String?) {
        if args.isNil(n) { return ([:], nil) }
        let table = try args.table(n)
        let L = args.L
        var pairs: [(String, ParameterValue)] = []
        var name: String?
        try L.forEach(table) {
            guard let key = L.string(-2) else { throw args.error(n, "parameter names must be strings, got a \(L.typeName(-2)) key") }
            if key == "name" {
                guard let s = L.string(-1) else { throw args.error(n, "field 'name': string expected, got \(L.typeName(-1))") }
                guard !s.isEmpty else { throw args.error(n, "field 'name': a non-empty string expected, got \"\"") }
                name = s
            } else if let value = L.parameterValue(-1) {
                pairs.append((key, value))
            } else {
                throw args.error(n, "field '\(key)': number, string or boolean expected, got \(L.typeName(-1))")
            }
        }
        return (ModelParameters(pairs.sorted { $0.0 < $1.0 }), name)
    }

    private static func pushNew(_ L: LuaState, kind: String, function: String, tableArgument n: Int32) throws -> Int32 {
        let args = LuaArgs(L, function)
        let (parameters, name) = try readParameters(args, n)
        let object: ModelObject
        do {
            if let definition = try luaDefinition(L, kind) {
                object = ModelObject(.lua(definition, try definition.resolve(parameters)), name: name ?? kind)
            } else {
                let spec = try ModelSpec(kind: kind, parameters: parameters, name: name)
                object = ModelObject(.builtIn(spec), name: spec.name)
            }
        } catch let e as RallyError {
            throw args.error(n, e.message)
        }
        LuaObjects.push(L, object, className)
        return 1
    }

    // MARK: models written in Lua

    /// Pushes the registry table of Lua-defined models (name → LuaModelDefinition userdata).
    private static func pushRegistered(_ L: LuaState) {
        L.pushRegistry()
        if L.rawGet(-1, registryKey) != LUA_TTABLE {
            L.pop()
            L.newTable()
            L.pushValue(-1)
            L.rawSet(-3, registryKey)
        }
        L.remove(-2)
    }

    private static func luaModelNames(_ L: LuaState) -> [String] {
        pushRegistered(L)
        defer { L.pop() }
        var names: [String] = []
        L.forEach(-1) { if let s = L.string(-2) { names.append(s) } }
        return names.sorted()
    }

    private static func luaDefinition(_ L: LuaState, _ name: String) throws -> LuaModelDefinition? {
        pushRegistered(L)
        defer { L.pop(2) }
        L.rawGet(-1, name)
        if L.isNoneOrNil(-1) {
            guard ModelRegistry.names.contains(name) else {
                throw RallyError("unknown model '\(name)'; models: \((ModelRegistry.names + luaModelNames(L)).joined(separator: ", "))")
            }
            return nil
        }
        return LuaObjects.peek(L, -1, definitionClass, as: LuaModelDefinition.self)
    }

    private static let definitionClass = "ModelDefinition"

    private static func register(_ L: LuaState) throws {
        let args = LuaArgs(L, "register")
        let name = try args.string(1)
        guard !ModelRegistry.names.contains(name) else {
            throw args.error(1, "'\(name)' is a built-in model; choose another name")
        }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw args.error(1, "model names are letters, digits and '_', got '\(name)'")
        }
        if args.isNil(2) { throw args.typeError(2, expected: "table") }
        let options = try args.options(2)
        L.newTable(record: 2)
        let copy = L.top
        for key in ["fit", "predict"] {
            try options.with(key) { present in
                guard present, L.type(-1) == LUA_TFUNCTION else {
                    throw options.error(key, "function expected, got \(L.typeName(-1))")
                }
                L.pushValue(-1)
                L.rawSet(copy, key)
            }
        }
        let doc = try options.string("doc") ?? ""
        var defaults = ModelParameters()
        try options.with("params") { present in
            guard present else { return }
            guard L.type(-1) == LUA_TTABLE else { throw options.error("params", "table expected, got \(L.typeName(-1))") }
            var pairs: [(String, ParameterValue)] = []
            try L.forEach(-1) {
                guard let key = L.string(-2) else { throw options.error("params", "names must be strings") }
                guard let value = L.parameterValue(-1) else {
                    throw options.error("params", "default of '\(key)': number, string or boolean expected, got \(L.typeName(-1))")
                }
                pairs.append((key, value))
            }
            defaults = ModelParameters(pairs.sorted { $0.0 < $1.0 })
        }
        try options.finish()
        let definition = LuaModelDefinition(L, name: name, doc: doc, defaults: defaults)
        pushRegistered(L)
        LuaObjects.push(L, definition, definitionClass)
        L.rawSet(-2, name)
        L.pop()
    }

    // MARK: the Model class

    private static func rebound(_ model: any RallyModel, _ L: LuaState) -> any RallyModel {
        (model as? LuaDefinedModel)?.state = L
        return model
    }

    static func luaClass() -> LuaClass<ModelObject> {
        var cls = LuaClass<ModelObject>(className, doc: """
        Model -- a model (rally.model.*): m:fit(X, y [, w]), m:predict(X), m:params(), m:report(), m:describe(), m:importance(), m:save(path).
        X is a FeatureMatrix (its usable rows), a table of columns {name = {...}} or an array of rows; y a Vector or table of 0/1.
        m.name, m.kind and m.fitted can be read as fields.
        """)
        cls.tostring = { $0.text }
        cls.index = { object, L in
            guard let key = L.string(2) else { return 0 }
            switch key {
            case "name": L.push(object.name)
            case "kind": L.push(object.kind)
            case "fitted": L.push(object.fitted != nil)
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
            let weights = args.isNil(3) ? nil : try args.numbers(3)
            let (X, y, w) = try LuaModelData.training(input, labels: labels, weights: weights, args: args)
            let model = try object.factory(L).make()
            try model.fit(X, labels: y, weights: w)
            object.fitted = model
            L.pushValue(1)
            return 1
        }
        cls.method("predict", doc: """
        m:predict(X) -- a Vector of rally probabilities, one per row of X (for a FeatureMatrix: one per time step, nil where not usable).
        """) { object, L in
            let args = LuaArgs(L, "predict", method: true)
            guard let model = object.fitted else { throw RallyError("\(object.kind): the model is not fitted; call m:fit(X, y) first") }
            let input = try LuaModelData.input(args, 1)
            let p = try rebound(model, L).predict(input.X)
            if let rows = input.rows {
                var full = [Double](repeating: .nan, count: input.length)
                for (k, i) in rows.enumerated() { full[i] = p[k] }
                LuaVector.push(L, full, name: object.name)
            } else {
                LuaVector.push(L, p, name: object.name)
            }
            return 1
        }
        cls.method("params", doc: "m:params() -- the parameters with their effective values, as a table.") { object, L in
            L.newTable(record: object.parameters.count)
            for p in object.parameters {
                LuaModelData.push(L, p.value)
                L.rawSet(-2, p.name)
            }
            return 1
        }
        cls.method("report", doc: "m:report() -- facts about the last fit (iterations, rounds, ...), as a table; empty before fitting.") { object, L in
            let report = object.fitted?.fitReport ?? ModelParameters()
            L.newTable(record: report.count)
            for p in report {
                LuaModelData.push(L, p.value)
                L.rawSet(-2, p.name)
            }
            return 1
        }
        cls.method("describe", doc: "m:describe() -- a few lines on the model and what its fit learnt.") { object, L in
            let model = try object.fitted ?? object.factory(L).make()
            L.push(rebound(model, L).describe())
            return 1
        }
        cls.method("importance", doc: """
        m:importance([type]) -- gbdt only: {{feature = ..., score = ...}, ...} sorted by score, highest first.
          type: "gain" (average gain of the feature's splits; default), "total_gain", "weight" (split count), "cover", "total_cover".
        """) { object, L in
            let args = LuaArgs(L, "importance", method: true)
            let type = try args.optionalString(1) ?? "gain"
            guard let fitted = object.fitted else { throw RallyError("\(object.kind): the model is not fitted; call m:fit(X, y) first") }
            guard let model = fitted as? any FeatureImportanceModel else {
                throw RallyError("\(object.kind): this model has no feature importance (gbdt has)")
            }
            let scores = try model.importance(type: type).enumerated().sorted {
                $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset
            }
            L.newTable(array: scores.count)
            for (i, s) in scores.enumerated() {
                L.newTable(record: 2)
                L.push(s.element.feature)
                L.rawSet(-2, "feature")
                L.push(s.element.score)
                L.rawSet(-2, "score")
                L.rawSet(-2, index: i + 1)
            }
            return 1
        }
        cls.method("save", doc: """
        m:save(path) -- writes the fitted model (gbdt: an XGBoost JSON model; others: a rally JSON model file); rally.model.load(path) reads it back.
        """) { object, L in
            let path = try LuaArgs(L, "save", method: true).string(1)
            guard let model = object.fitted else { throw RallyError("\(object.kind): the model is not fitted; call m:fit(X, y) first") }
            try model.save(to: path)
            return 0
        }
        return cls
    }
}

extension LuaState {
    /// The value at `index` as a model or labeler parameter: a number, a string or a boolean;
    /// nil for any other type.
    func parameterValue(_ index: Int32) -> ParameterValue? {
        if let x = number(index) { return .number(x) }
        if let s = string(index) { return .string(s) }
        if let b = boolean(index) { return .bool(b) }
        return nil
    }
}
