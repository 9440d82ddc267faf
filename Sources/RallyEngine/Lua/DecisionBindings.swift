import CLua

/// The Lua face of the decision figures: `rally.tune{...}`, and `res:events()` and `res:value()`
/// on results. It translates options and results; the engine computes and lays out.
enum DecisionBindings {
    static func install(_ rally: LuaModule) {
        rally.function("tune", schema: EntryPointOptions.tune) { L in try tune(L) }
    }

    private static func tune(_ L: LuaState) throws -> Int32 {
        let args = LuaArgs(L, "tune")
        if args.isNil(1) { throw args.typeError(1, expected: "table") }
        let o = try args.options(1)
        let values = try o.decode(EntryPointOptions.tune)
        let (data, features, labeler) = try EvaluationBindings.readInputs(o)
        let schedule = try EvaluationBindings.readSchedule(o, L)
        let grid = try o.with("grid") { _ in try args.decodingOption("grid") { $0 } }
        let params = try o.with("params") { present in present ? try args.decodingOption("params") { $0 } : nil }
        let plan = try o.attributing { try TunePlan(values, grid: grid, params: params, features: features, labeler: labeler, schedule: schedule) }
        let result = try o.attributing { try Tuning.run(plan, on: data, progress: ProgressLines.standardError(quiet: values.bool("quiet")!)) }
        EvaluationBindings.push(L, result.json)
        return 1
    }

    /// Adds `res:events` and `res:value` to the Result class.
    static func addResultMethods(_ cls: inout LuaClass<ResultObject>) {
        cls.method("events", doc: EntryPointOptions.events.help) { object, L in
            let args = LuaArgs(L, "events", method: true)
            let values = try args.options(1).decode(EntryPointOptions.events)
            EvaluationBindings.push(L, try object.result.episodes(EpisodeSettings(values)).luaJSON)
            return 1
        }
        cls.method("value", doc: EntryPointOptions.value.help) { object, L in
            let args = LuaArgs(L, "value", method: true)
            let o = try args.options(1)
            _ = try o.decode(EntryPointOptions.value)
            let alphas = try o.with("alpha") { present -> [Double]? in
                guard present else { return nil }
                if let x = L.number(-1) { return [x] }
                guard L.type(-1) == LUA_TTABLE else { throw o.error("alpha", "number or list of numbers expected, got \(L.typeName(-1))") }
                return try LuaValues.numbers(L, -1, notList: { o.error("alpha", "a list of numbers expected, \($0)") }) { i, got in
                    o.error("alpha", "number expected at index \(i), got \(got)")
                }
            }
            EvaluationBindings.push(L, try o.attributing { try object.result.valueCurves(alphas: alphas ?? EconomicValue.defaultAlphas).json })
            return 1
        }
    }
}
