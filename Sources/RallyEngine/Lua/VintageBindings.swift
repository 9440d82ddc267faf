import LuaBridge
/// The Lua face of forecast vintages: `rally.load_vintages`, `rally.asof` and the `Vintages`
/// class. It decodes and pushes; ``VintageReader`` and ``AsOfJoin`` do the work.
enum VintageBindings {
    /// Class name of vintages in Lua.
    static let className = "Vintages"

    static func install(_ rally: LuaModule) {
        rally.register(luaClass())
        rally.function("load_vintages", schema: VintageReader.schema) { L in
            let args = LuaArgs(L, "load_vintages")
            let path = try args.string(1)
            LuaObjects.push(L, VintagesObject(try Vintages.load(path: path)), className)
            return 1
        }
        rally.function("asof", schema: AsOfJoin.schema) { L in
            let args = LuaArgs(L, "asof")
            let data = try args.object(1, DataBindings.datasetClass, as: DatasetObject.self).value
            let vintages = try args.object(2, className, as: VintagesObject.self).value
            if args.isNil(3) { throw args.typeError(3, expected: "table") }
            let values = try args.decode(3, AsOfJoin.schema)
            let join = try args.attributing(options: 3) {
                try AsOfJoin(values, columns: try values.decoded("columns") { try $0.stringMap() }?.map { (name: $0.0, source: $0.1) } ?? [],
                             stepSeconds: data.timeIndex.stepSeconds)
            }
            let outcome = try args.attributing(options: 3) { try join.apply(vintages, to: data) }
            LuaObjects.push(L, DatasetObject(outcome.dataset), DataBindings.datasetClass)
            L.push(outcome.missing)
            return 2
        }
    }

    static func luaClass() -> LuaClass<VintagesObject> {
        var cls = LuaClass<VintagesObject>(className, doc: """
        Vintages -- forecasts of target intervals, several per interval with their publish times (rally.load_vintages). #v counts
        the records; v:columns() lists the value columns; v:report() says what the load found. rally.asof(ds, v, {...}) joins them.
        """)
        cls.tostring = { $0.value.summary }
        cls.length = { $0.value.count }
        cls.method("columns", doc: "v:columns() -- the value column names, as a Lua table.") { object, L in
            L.push(strings: object.value.names)
            return 1
        }
        cls.method("report", doc: "v:report() -- what the load found, as text.") { object, L in
            L.push(object.value.report.text)
            return 1
        }
        return cls
    }
}
