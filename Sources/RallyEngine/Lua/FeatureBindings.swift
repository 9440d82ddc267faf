import CLua
import LuaBridge

/// The Lua face of the feature builder: `rally.features{...}`, `rally.features.protocol_v1()`,
/// `rally.features.rolling(...)`, and the `FeatureSpec` and `FeatureMatrix` classes.
enum FeatureBindings {
    /// Class name of feature specs in Lua.
    static let specClass = "FeatureSpec"
    /// Class name of feature matrices in Lua.
    static let matrixClass = "FeatureMatrix"

    static func install(_ rally: LuaModule) {
        rally.register(specLuaClass())
        rally.register(matrixLuaClass())
        rally.submodule("features", doc: FeatureSpec.schema.help, call: makeSpec, installFunctions)
    }

    /// `rally.features.protocol_v1` and `rally.features.rolling`.
    private static func installFunctions(_ m: LuaModule) {
            m.function("protocol_v1", doc: """
            rally.features.protocol_v1() -- the 19 features of protocol v1 (BENCHMARK.md), horizon 24; build with the protocol's labeler for gap_to_thr.
            """) { L in
                LuaObjects.push(L, FeatureSpecObject(.protocolV1()), specClass)
                return 1
            }
            m.function("rolling", doc: """
            rally.features.rolling(values, {stat = "quantile", window = 672, q = 0.95}) -- a trailing rolling statistic of a Vector or
            table of numbers, as a Vector (nil until the window is full or where it holds a missing value). stat: mean, std, min, max, quantile.
            """) { L in
                let args = LuaArgs(L, "rolling")
                let values = try args.numbers(1)
                if args.isNil(2) { throw args.typeError(2, expected: "table") }
                let (statistic, window) = try args.decoding(2) { tree in
                    let o = try OptionReader(tree)
                    let read = try RollingStatistic.readSteps(o)
                    try o.finish()
                    return read
                }
                LuaVector.push(L, try statistic.apply(values, window: window), name: "\(statistic.name)\(window)")
                return 1
            }
    }

    /// `rally.features{...}`: the spec table is argument 1 (after the `rally.features` table itself).
    private static func makeSpec(_ L: LuaState) throws -> Int32 {
        let args = LuaArgs(L, "features", method: true)
        if args.isNil(1) { throw args.typeError(1, expected: "table") }
        let spec = try args.decoding(1) { tree in
            let spec = try FeatureSpec(options: tree)
            try spec.validate()
            return spec
        }
        LuaObjects.push(L, FeatureSpecObject(spec), specClass)
        return 1
    }

    static func specLuaClass() -> LuaClass<FeatureSpecObject> {
        var cls = LuaClass<FeatureSpecObject>(specClass, doc: """
        FeatureSpec -- a list of features (rally.features{...}, rally.features.protocol_v1()). print(fx) lists the columns; #fx counts them;
        fx:build(ds [, labeler]) computes them over a Dataset.
        """)
        cls.tostring = { $0.value.summary }
        cls.length = { $0.value.features.count }
        cls.method("build", doc: """
        fx:build(ds [, labeler]) -- the FeatureMatrix of Dataset ds (every row; nil where undefined). gap_to_thr needs the labeler (its threshold).
        """) { object, L in
            let args = LuaArgs(L, "build", method: true)
            let data = try args.object(1, DataBindings.datasetClass, as: DatasetObject.self).value
            let labeler = args.isNil(2) ? nil : try args.object(2, LabelBindings.labelerClass, as: LabelerObject.self).value
            let matrix = try args.attributing { try object.value.build(on: data, labeler: labeler) }
            LuaObjects.push(L, FeatureMatrixObject(matrix), matrixClass)
            return 1
        }
        cls.method("names", doc: "fx:names() -- the column names, as a Lua table.") { object, L in
            L.push(strings: object.value.names)
            return 1
        }
        cls.method("describe", doc: "fx:describe() -- one line per column with its definition (t+H is the target step), as text.") { object, L in
            L.push(object.value.features.map(\.description).joined(separator: "\n"))
            return 1
        }
        return cls
    }

    static func matrixLuaClass() -> LuaClass<FeatureMatrixObject> {
        var cls = LuaClass<FeatureMatrixObject>(matrixClass, doc: """
        FeatureMatrix -- features over a dataset's full time index (fx:build). print(X) gives its size and usable rows; #X is the number of rows;
        X:names() the feature names; X:coverage() each feature's share of defined rows (X:describe() prints them); X:col(name) a column as a Vector;
        X:totable() every column as a Lua table keyed by name (so #X:totable() is 0); X:usable() the mask of rows where every feature is defined.
        """)
        cls.tostring = { $0.value.summary }
        cls.length = { $0.value.count }
        cls.method("col", doc: "X:col(name) -- feature `name` as a Vector (nil where undefined).") { object, L in
            let args = LuaArgs(L, "col", method: true)
            let name = try args.string(1)
            let values = try args.attributing { try object.value.requiredColumn(named: name) }
            LuaVector.push(L, values, name: name)
            return 1
        }
        cls.method("names", doc: "X:names() -- the feature names, as a Lua table.") { object, L in
            L.push(strings: object.value.names)
            return 1
        }
        cls.method("coverage", doc: "X:coverage() -- {name = share of rows (0-1) where the feature is defined, ...}.") { object, L in
            let matrix = object.value
            L.newTable(record: matrix.names.count)
            for (j, name) in matrix.names.enumerated() {
                L.push(matrix.coverage(of: j))
                L.rawSet(-2, name)
            }
            return 1
        }
        cls.method("describe", doc: "X:describe() -- one line per feature with the share of rows where it is defined, as text.") { object, L in
            L.push(object.value.coverageText)
            return 1
        }
        cls.method("totable", doc: """
        X:totable() -- {name = {values..., n = #X}, ...} for every feature (undefined values are nil holes, as table.pack makes).
        """) { object, L in
            L.newTable(record: object.value.names.count)
            for (name, column) in zip(object.value.names, object.value.columns) {
                LuaVector.pushTable(L, column)
                L.rawSet(-2, name)
            }
            return 1
        }
        cls.method("usable", doc: "X:usable() -- a Vector of 1 (every feature defined) or 0 per row.") { object, L in
            LuaVector.push(L, object.value.usable.map { $0 ? 1 : 0 }, name: "usable")
            return 1
        }
        cls.method("timestamps", doc: "X:timestamps() -- the time index as a Vector of seconds since 1970-01-01 00:00.") { object, L in
            LuaVector.push(L, object.value.timestamps.map(Double.init), name: "timestamps")
            return 1
        }
        return cls
    }
}
