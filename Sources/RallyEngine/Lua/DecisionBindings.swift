import CLua
import LuaBridge

/// The Lua face of the decision figures: `rally.tune{...}`, and `res:events()` and `res:value()`
/// on results. It translates options and results; the engine computes and lays out.
enum DecisionBindings {
    static func install(_ rally: LuaModule) {
        rally.function("tune", schema: EntryPointOptions.tune) { L in try tune(L) }
    }

    private static func tune(_ L: LuaState) throws -> Int32 {
        let args = LuaArgs(L, "tune")
        if args.isNil(1) { throw args.typeError(1, expected: "table") }
        let values = try args.decode(1, EntryPointOptions.tune)
        let plan = try args.attributing(options: 1) { try TunePlan(values) }
        let data = values.object("data", as: Dataset.self)!
        let result = try args.attributing(options: 1) { try Tuning.run(plan, on: data, progress: ProgressLines.standardError(quiet: values.bool("quiet")!)) }
        L.push(result.json)
        return 1
    }

    /// Adds `res:events` and `res:value` to the Result class.
    static func addResultMethods(_ cls: inout LuaClass<ResultObject>) {
        cls.method("events", doc: EntryPointOptions.events.help) { object, L in
            let values = try LuaArgs(L, "events", method: true).decode(1, EntryPointOptions.events)
            L.push(try object.result.episodes(EpisodeSettings(values)).jsonWithText)
            return 1
        }
        cls.method("value", doc: EntryPointOptions.value.help) { object, L in
            let args = LuaArgs(L, "value", method: true)
            let values = try args.decode(1, EntryPointOptions.value)
            L.push(try args.attributing(options: 1) { try object.result.valueCurves(values).json })
            return 1
        }
    }
}
