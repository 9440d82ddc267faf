import CLua
import LuaBridge

/// The Lua face of the labelers: `rally.labeler.quantile/threshold/jump/daily_any` and the
/// `Labeler` class (`lab:with{...}`, `lab:apply(ds)`).
enum LabelBindings {
    /// Class name of labelers in Lua.
    static let labelerClass = "Labeler"

    static func install(_ rally: LuaModule) {
        rally.register(labelerLuaClass())
        rally.submodule("labeler", doc: """
        rally.labeler -- rally labelers: quantile (the protocol's), threshold, jump, daily_any. Each returns a Labeler: lab:apply(ds), lab:with{...}.
        """) { m in
            m.function("quantile", schema: Labeler.schema("quantile")) { L in try make("quantile", L) }
            m.function("threshold", schema: Labeler.schema("threshold")) { L in try make("threshold", L) }
            m.function("jump", schema: Labeler.schema("jump")) { L in try make("jump", L) }
            m.function("daily_any", schema: Labeler.schema("daily_any")) { L in try make("daily_any", L) }
        }
    }

    /// Builds a labeler of `kind` from the options table at argument 1.
    private static func make(_ kind: String, _ L: LuaState) throws -> Int32 {
        let args = LuaArgs(L, kind)
        if args.isNil(1) { throw args.typeError(1, expected: "table") }
        let parameters = try readParameters(args, 1)
        do {
            LuaObjects.push(L, LabelerObject(try Labeler.make(kind: kind, parameters: parameters)), labelerClass)
        } catch let problem as Labeler.InvalidParameter {
            throw args.error(1, problem.description)
        }
        return 1
    }

    /// The string-keyed options table at argument `n` as parameters (numbers, strings, booleans), keys sorted.
    static func readParameters(_ args: LuaArgs, _ n: Int32) throws -> ModelParameters {
        let table = try args.table(n)
        var pairs: [(String, ParameterValue)] = []
        try args.L.forEach(table) {
            let L = args.L
            guard let key = L.string(-2) else { throw args.error(n, "option names must be strings, got a \(L.typeName(-2)) key") }
            guard let value = L.parameterValue(-1) else {
                throw args.error(n, "field '\(key)': number, string or boolean expected, got \(L.typeName(-1))")
            }
            pairs.append((key, value))
        }
        return ModelParameters(pairs.sorted { $0.0 < $1.0 })
    }

    /// Pushes `labels` as `{labels = Vector, thresholds = Vector, horizon = n}`.
    static func push(_ L: LuaState, _ labels: LabelSeries) {
        L.newTable(record: 3)
        LuaVector.push(L, labels.labels, name: "labels")
        L.rawSet(-2, "labels")
        LuaVector.push(L, labels.thresholds, name: "thresholds")
        L.rawSet(-2, "thresholds")
        L.push(labels.horizon)
        L.rawSet(-2, "horizon")
    }

    static func labelerLuaClass() -> LuaClass<LabelerObject> {
        var cls = LuaClass<LabelerObject>(labelerClass, doc: """
        Labeler -- a rally labeler (rally.labeler.*). lab:apply(ds) labels a Dataset; lab:with{q = 0.99} is a modified copy.
        lab.kind, lab.horizon and every parameter (lab.col, lab.q, lab.window, ...) can be read as fields.
        """)
        cls.tostring = { "<Labeler \($0.value)>" }
        cls.index = { object, L in
            guard let key = L.string(2) else { return 0 }
            switch key {
            case "kind": L.push(object.value.kind)
            case "horizon": L.push(object.value.horizon.parameterValue)
            default:
                guard let value = object.value.parameters[key] else { return 0 }
                L.push(value)
            }
            return 1
        }
        cls.method("with", doc: """
        lab:with{q = 0.99, ...} -- a copy with some parameters changed (for sweeps); the labeler itself is unchanged.
        """) { object, L in
            let args = LuaArgs(L, "with", method: true)
            if args.isNil(1) { throw args.typeError(1, expected: "table") }
            let changes = try readParameters(args, 1)
            do {
                LuaObjects.push(L, LabelerObject(try object.value.with(changes)), labelerClass)
            } catch let problem as Labeler.InvalidParameter {
                throw args.error(1, problem.description)
            }
            return 1
        }
        cls.method("apply", doc: """
        lab:apply(ds) -- labels every row of Dataset ds: a table {labels = Vector (1/0/nil), thresholds = Vector, horizon = steps read ahead}.
        """) { object, L in
            let args = LuaArgs(L, "apply", method: true)
            let data = try args.object(1, DataBindings.datasetClass, as: DatasetObject.self)
            push(L, try args.attributing(argument: 1) { try object.value.apply(to: data.value) })
            return 1
        }
        cls.method("parameters", doc: "lab:parameters() -- the parameters as a table {col = ..., q = ..., ...}, with kind.") { object, L in
            L.push(parameters: object.value.parameters)
            L.push(object.value.kind)
            L.rawSet(-2, "kind")
            return 1
        }
        return cls
    }
}
