import LuaBridge
/// The Lua face of the report: `rally.report{...}`.
enum ReportBindings {
    static func install(_ rally: LuaModule) {
        rally.function("report", schema: EntryPointOptions.report) { L in
            let args = LuaArgs(L, "report")
            let values = try args.decode(1, EntryPointOptions.report)
            let options = try args.options(1) {
                var options = try ReportOptions(values)
                options.windows = try values.decoded("windows", ReportWindow.list)
                return options
            }
            Cancellation.reset()
            L.push(try ReportBuilder.render(options).json)
            return 1
        }
    }
}
