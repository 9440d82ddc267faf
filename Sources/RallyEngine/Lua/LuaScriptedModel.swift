import CLua
import LuaBridge

/// A model written in Lua (`rally.model.register`): a ``RallyModel`` whose `fit` and `predict`
/// are Lua functions, called with `L.protectedCall` only.
///
/// It is the runtime that runs such models, not their Lua face (that is ``ModelBindings``) and
/// not their declaration (the ``Definition`` that `register` stores, whose ``ModelKind`` checks
/// parameters by the same rules as the built-ins). Each model has its own `self` table,
/// `{name = ..., params = {...}}`, where the Lua code keeps what it learns; `X` reaches Lua as
/// ``LuaModelData`` describes. A model is seen from one Lua state at a time (``on(_:)`` gives
/// the same model seen from the state of the current call). Not `Sendable`: everything runs on
/// the thread of that state.
final class LuaScriptedModel: RallyModel {
    /// The declaration the model was made from.
    let definition: Definition
    let parameters: ModelParameters
    /// The state calls run in: the one of the call that made or last rebound this view.
    let state: LuaState
    /// The `self` table and what the fit learnt, shared by every view of this model.
    private let instance: Instance

    private init(definition: Definition, parameters: ModelParameters, state: LuaState, instance: Instance) {
        self.definition = definition
        self.parameters = parameters
        self.state = state
        self.instance = instance
    }

    /// A new, unfitted model with its `self` table made in `L`.
    convenience init(definition: Definition, parameters: ModelParameters, state L: LuaState) {
        self.init(definition: definition, parameters: parameters, state: L,
                  instance: Instance(L, name: definition.kind.name, parameters: parameters))
    }

    /// The same model (same `self` table, same fit) calling Lua in `L`, the state of the current call.
    func on(_ L: LuaState) -> LuaScriptedModel {
        L.raw == state.raw ? self : LuaScriptedModel(definition: definition, parameters: parameters, state: L, instance: instance)
    }

    var kind: String { definition.kind.name }
    var isFitted: Bool { instance.features != nil }
    var fitReport: ModelParameters { ModelParameters() }

    func fit(_ X: DesignMatrix, labels: [Double], weights: [Double]?) throws {
        let w = try TrainingData.checkedWeights(model: kind, X, labels: labels, weights: weights)
        try LuaModelData.checkNames(X, model: kind)
        try call("fit", results: 0) {
            LuaModelData.push(state, X)
            state.push(numbers: labels)
            if weights != nil { state.push(numbers: w) } else { state.pushNil() }
            return 3
        }
        instance.features = X.names
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
        try TrainingData.checkPredictions(model: "model '\(kind)' predict", values, rows: X.rows)
        return values
    }

    func describe() -> String {
        let doc = definition.kind.summary
        var lines = ["\(kind): a model written in Lua\(doc.isEmpty ? "" : " -- \(doc)")"]
        if !parameters.isEmpty { lines.append("  parameters: \(parameters.summary)") }
        lines.append(instance.features.map { "  fitted on \($0.count) features" } ?? "  not fitted")
        return lines.joined(separator: "\n")
    }

    func save(to path: String) throws {
        try TrainingData.requireFitted(model: kind, isFitted)
        throw RallyError("model '\(kind)' is written in Lua and cannot be saved; save what its fit learns from Lua instead")
    }

    /// Calls the definition's `key` function with `self`, then the values `pushArguments`
    /// pushes (it returns how many), keeping `results` results on the stack.
    func call(_ key: String, results: Int32, _ pushArguments: () -> Int32) throws {
        let L = state
        definition.push(L, key)
        LuaReferences.push(L, instance.reference)
        let count = pushArguments()
        do { try L.protectedCall(arguments: count + 1, results: results, traceback: false) } catch let e as RallyError {
            throw RallyError("model '\(kind)' \(key): \(e.message)")
        }
    }

    /// The `self` table in the registry and the features of the last fit (nil before).
    private final class Instance {
        let reference: Int32
        private let main: LuaState
        var features: [String]?

        init(_ L: LuaState, name: String, parameters: ModelParameters) {
            main = LuaReferences.mainThread(L)
            L.newTable(record: 2)
            L.push(name)
            L.rawSet(-2, "name")
            L.push(parameters: parameters)
            L.rawSet(-2, "params")
            reference = LuaReferences.store(L)
        }

        deinit { LuaReferences.release(main, reference) }
    }
}

extension LuaScriptedModel {
    /// What `rally.model.register` stores: the declared ``ModelKind`` (name, doc as its
    /// summary, parameters declared by their defaults) and the definition table (`fit`,
    /// `predict`) held in the Lua registry. Not a model: ``Factory`` makes those.
    final class Definition {
        /// The declaration: parameters are resolved by ``ModelKind/resolve(_:)``, as the built-ins'.
        let kind: ModelKind
        private let main: LuaState
        private let reference: Int32

        /// Takes the definition table on top of the stack (popping it).
        init(_ L: LuaState, kind: ModelKind) {
            self.kind = kind
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
    }

    /// Makes models of a ``Definition`` with resolved parameters, calling Lua in the state it is
    /// bound to. Not `Sendable`: ``sendableSpec`` is nil, so an evaluation makes and runs these
    /// models on its calling thread.
    struct Factory: ModelFactory {
        let definition: Definition
        let parameters: ModelParameters
        let name: String
        private let state: LuaState

        /// A factory for `definition` with `given` parameters resolved by its kind.
        init(definition: Definition, given: ModelParameters, name: String?, state: LuaState) throws {
            self.definition = definition
            self.parameters = try definition.kind.resolve(given)
            self.name = name ?? definition.kind.name
            self.state = state
        }

        private init(_ other: Factory, state: LuaState) {
            definition = other.definition
            parameters = other.parameters
            name = other.name
            self.state = state
        }

        /// The same factory making models that call Lua in `L`.
        func on(_ L: LuaState) -> Factory { Factory(self, state: L) }

        var kind: String { definition.kind.name }
        var summary: String { definition.kind.line(of: parameters) }
        var sendableSpec: ModelSpec? { nil }

        func make() throws -> any RallyModel {
            LuaScriptedModel(definition: definition, parameters: parameters, state: state)
        }
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
