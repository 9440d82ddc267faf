import LuaBridge
/// The Swift object behind a Lua `Forecast`: one ``Forecast`` and the factory of its model.
public final class ForecastObject {
    /// The forecast.
    public let forecast: Forecast
    let factory: any ModelFactory

    init(_ forecast: Forecast, factory: any ModelFactory) {
        self.forecast = forecast
        self.factory = factory
    }
}

/// The Lua face of forecasting: `rally.forecast{...}` and the `Forecast` class. It decodes and
/// pushes; ``Forecaster`` does the work.
enum ForecastBindings {
    /// Class name of forecasts in Lua.
    static let className = "Forecast"

    static func install(_ rally: LuaModule) {
        rally.register(luaClass())
        rally.register(bundleClass())
        rally.function("forecast", schema: EntryPointOptions.forecast) { L in
            let args = LuaArgs(L, "forecast")
            if args.isNil(1) { throw args.typeError(1, expected: "table") }
            let values = try args.decode(1, EntryPointOptions.forecast)
            let (forecast, factory) = try args.attributing(options: 1) { try Forecaster.run(values) }
            LuaObjects.push(L, ForecastObject(forecast, factory: factory), className)
            return 1
        }
        rally.submodule("bundle", doc: """
        rally.bundle -- saved forecasting bundles: a fitted model with its features, labeler, training window, data hash and versions.
        """) { m in
            m.function("load", doc: """
            rally.bundle.load(path) -- a Bundle read from a file written by m:save_bundle(path) (f:model():save_bundle(path) after rally.forecast).
            """) { L in
                let path = try LuaArgs(L, "load").string(1)
                LuaObjects.push(L, BundleObject(try ModelBundle.load(from: path)), bundleClassName)
                return 1
            }
        }
    }

    /// Class name of bundles in Lua.
    static let bundleClassName = "Bundle"

    static func bundleClass() -> LuaClass<BundleObject> {
        var cls = LuaClass<BundleObject>(bundleClassName, doc: """
        Bundle -- a saved forecasting bundle (rally.bundle.load): b:model() (the fitted Model), b.features (FeatureSpec), b.labeler (Labeler),
        b.name, b:info() (the manifest: versions, features, labeler, data step, columns and sha256, training rows and window).
        rally.forecast{data = ds, bundle = b} forecasts with it.
        """)
        cls.tostring = { $0.value.summary }
        cls.index = { object, L in
            switch L.string(2) {
            case "name": L.push(object.value.name)
            case "features": LuaObjects.push(L, FeatureSpecObject(object.value.features), FeatureBindings.specClass)
            case "labeler": LuaObjects.push(L, LabelerObject(object.value.labeler), LabelBindings.labelerClass)
            default: return 0
            }
            return 1
        }
        cls.method("info", doc: "b:info() -- the bundle's manifest as a table (everything but the model's file).") { object, L in
            L.push(object.value.manifest())
            return 1
        }
        cls.method("model", doc: "b:model() -- the bundle's fitted model (a Model).") { object, L in
            let model = object.value.model
            let bundle = object.value
            LuaObjects.push(L, ModelObject(factory: try ModelSpec(describing: model), model: model, bundle: { bundle }), ModelBindings.className)
            return 1
        }
        return cls
    }

    static func luaClass() -> LuaClass<ForecastObject> {
        var cls = LuaClass<ForecastObject>(className, doc: """
        Forecast -- what rally.forecast returns: f:table() (the risk table as text), f:rows() (one table per hour: issued_at, target,
        threshold, probability, alarm, reasons = {{feature =, contribution =}, ...}, outcome when the data hold it), f:write(dir)
        (forecast.csv and forecast.json, atomically; returns their paths), f:model() (the fitted model). #f is the number of hours.
        Fields: f.issued_at, f.model, f.horizon, f.cost_ratio, f.alarm_level, f.training_rows, f.notes.
        """)
        cls.tostring = { $0.forecast.summary }
        cls.length = { $0.forecast.rows.count }
        cls.index = { object, L in
            guard let key = L.string(2) else { return 0 }
            let f = object.forecast
            switch key {
            case "issued_at": L.push(TimeStamp.format(f.issuedAt))
            case "model": L.push(f.model)
            case "horizon": L.push(f.horizon)
            case "cost_ratio": L.push(f.costRatio)
            case "alarm_level": L.push(f.alarmLevel)
            case "training_rows": L.push(f.trainingRows)
            case "notes": L.push(strings: f.notes)
            default: return 0
            }
            return 1
        }
        cls.method("table", doc: "f:table() -- the risk table: issue time, target hour, threshold, p, alarm, top reasons.") { object, L in
            L.push(object.forecast.table)
            return 1
        }
        cls.method("rows", doc: "f:rows() -- one table per forecast hour (see help(Forecast)).") { object, L in
            let rows = object.forecast.rows
            L.newTable(array: rows.count)
            for (i, r) in rows.enumerated() {
                L.newTable(record: 7)
                L.push(TimeStamp.format(r.issuedAt)); L.rawSet(-2, "issued_at")
                L.push(TimeStamp.format(r.target)); L.rawSet(-2, "target")
                L.push(r.threshold, nanAsNil: true); L.rawSet(-2, "threshold")
                L.push(r.probability); L.rawSet(-2, "probability")
                L.push(r.alarm); L.rawSet(-2, "alarm")
                L.newTable(array: r.reasons.count)
                for (k, reason) in r.reasons.enumerated() {
                    L.newTable(record: 2)
                    L.push(reason.feature); L.rawSet(-2, "feature")
                    L.push(reason.contribution); L.rawSet(-2, "contribution")
                    L.rawSet(-2, index: k + 1)
                }
                L.rawSet(-2, "reasons")
                if let outcome = r.outcome { L.push(Int(outcome)); L.rawSet(-2, "outcome") }
                L.rawSet(-2, index: i + 1)
            }
            return 1
        }
        cls.method("write", doc: "f:write(dir) -- writes dir/forecast.csv and dir/forecast.json atomically; returns their paths.") { object, L in
            let directory = try LuaArgs(L, "write", method: true).string(1)
            L.push(strings: try object.forecast.write(to: directory))
            return 1
        }
        cls.method("model", doc: "f:model() -- the fitted model the forecast used (a Model: m:predict(X), m:explain(X), m:save(path), m:save_bundle(path)).") { object, L in
            let f = object.forecast
            LuaObjects.push(L, ModelObject(factory: object.factory, model: f.fitted, bundle: { ModelBundle(f) }), ModelBindings.className)
            return 1
        }
        return cls
    }
}
