import CLua
import LuaBridge

/// The Lua face of the data layer: `rally.load`, `rally.split`, `rally.walkforward`,
/// `rally.dataset.*`, and the `Dataset` and `Split` classes.
enum DataBindings {
    /// Class name of datasets in Lua.
    static let datasetClass = "Dataset"
    /// Class name of splits in Lua.
    static let splitClass = "Split"

    static func install(_ rally: LuaModule) {
        rally.register(datasetLuaClass())
        rally.register(splitLuaClass())
        installLoad(rally)
        installSplits(rally)
        rally.submodule("dataset", doc: "rally.dataset -- built-in datasets: rally.dataset.synthetic{...}.") { m in
            m.function("synthetic", schema: EntryPointOptions.synthetic) { L in
                let args = LuaArgs(L, "synthetic")
                let values = try args.decode(1, EntryPointOptions.synthetic)
                LuaObjects.push(L, DatasetObject(try args.attributing(options: 1) { try SyntheticPanel.generate(values) }), datasetClass)
                return 1
            }
        }
    }

    // MARK: rally.load

    static func installLoad(_ rally: LuaModule) {
        rally.function("load", schema: EntryPointOptions.load) { L in
            let args = LuaArgs(L, "load")
            let path = try args.string(1)
            let values = try args.decode(2, EntryPointOptions.load)
            let options = try args.attributing(options: 2) { try CSVOptions(values) }
            LuaObjects.push(L, DatasetObject(try CSVReader.load(path: path, options: options)), datasetClass)
            return 1
        }
    }

    /// Argument `n` as a time (a market-time reading, or an instant with its offset: ``SplitTime``), or nil when absent.
    private static func time(_ args: LuaArgs, _ n: Int32, dateOnly: DateOnly) throws -> SplitTime? {
        if args.isNil(n) { return nil }
        guard let text = args.L.string(args.slot(n)) else { throw args.error(n, "time string expected (\"YYYY-MM-DD HH:MM\"), got \(args.L.typeName(args.slot(n)))") }
        return try args.attributing(argument: n) { try SplitTime.parse(text, dateOnly: dateOnly) }
    }

    // MARK: Dataset

    static func datasetLuaClass() -> LuaClass<DatasetObject> {
        var cls = LuaClass<DatasetObject>(datasetClass, doc: """
        Dataset -- an hourly time series table: one time index, named numeric columns (nil = missing).
        print(ds) summarises it; #ds is the number of rows; ds.price (or ds:col("price")) is a column as a Vector.
        Times are UTC instants shown in the dataset's zone (print(ds) names it: America/New_York, UTC), or, for files with naive
        times and no zone, the file's own wall clock; calendar features use the same local time.
        """)
        cls.tostring = { $0.value.summary }
        cls.length = { $0.value.count }
        cls.index = { object, L in
            guard let key = L.string(2), let values = object.value.column(named: key) else { return 0 }
            LuaVector.push(L, values, name: key)
            return 1
        }
        cls.method("columns", doc: "ds:columns() -- the column names, as a Lua table.") { object, L in
            L.push(strings: object.value.names)
            return 1
        }
        cls.method("col", doc: "ds:col(name) -- column `name` as a Vector (#v, v[i], v:totable()).") { object, L in
            let args = LuaArgs(L, "col", method: true)
            let name = try args.string(1)
            let values = try args.attributing { try object.value.requiredColumn(named: name) }
            LuaVector.push(L, values, name: name)
            return 1
        }
        cls.method("zone", doc: "ds:zone() -- the dataset's zone: an IANA name (\"America/New_York\"), \"UTC\", \"UTC-05:00\" or \"wall clock\".") { object, L in
            L.push(object.value.zone.name)
            return 1
        }
        cls.method("timestamps", doc: "ds:timestamps() -- the time index as a Vector of seconds since 1970-01-01 00:00 (UTC, or the wall clock of a file without zone).") { object, L in
            LuaVector.push(L, object.value.timestamps.map(Double.init), name: "timestamps")
            return 1
        }
        cls.method("write", doc: """
        ds:write(path) -- writes the dataset as CSV (a `time` column "YYYY-MM-DD HH:MM", then every column; numbers exactly, missing values
        empty), atomically, creating missing folders; returns path. rally.load(path) reads back the same values: save a repaired or
        pivoted dataset (fill, dst, Data Miner pnodes) for colleagues. A dataset with a zone writes its local times with their UTC
        offsets (2016-11-06 01:00-05:00: the same instants read back); a wall-clock dataset writes its clock without a zone: tell
        whoever gets the file when that is UTC (a Data Miner pivot) or a local clock such as EPT.
        """) { object, L in
            let path = try LuaArgs(L, "write", method: true).string(1)
            try DatasetCSV.write(object.value, to: path)
            L.push(path)
            return 1
        }
        cls.method("head", doc: "ds:head([n]) -- the first n rows (default 5) as a printable table (a string).") { object, L in
            L.push(DatasetText.head(object.value, try LuaArgs(L, "head", method: true).integer(1, EntryPointOptions.rowCount)))
            return 1
        }
        cls.method("tail", doc: "ds:tail([n]) -- the last n rows (default 5) as a printable table (a string).") { object, L in
            L.push(DatasetText.tail(object.value, try LuaArgs(L, "tail", method: true).integer(1, EntryPointOptions.rowCount)))
            return 1
        }
        cls.method("slice", doc: """
        ds:slice(from, to) -- the rows with from <= time <= to, as a new Dataset. Times are "YYYY-MM-DD[ HH:MM]" strings in the dataset's local time (or with a UTC offset: that instant), or nil (open end); a date alone as `to` covers that whole day.
        """) { object, L in
            let args = LuaArgs(L, "slice", method: true)
            let from = try time(args, 1, dateOnly: .startOfDay), to = try time(args, 2, dateOnly: .endOfDay)
            LuaObjects.push(L, DatasetObject(try args.attributing { try object.value.slice(from: from, through: to) }), datasetClass)
            return 1
        }
        cls.method("locations", doc: "ds:locations() -- the names of the locations a long export held (a hub, zone or pnode each), as a Lua table; empty for a single series.") { object, L in
            L.push(strings: object.value.locations.map(\.name))
            return 1
        }
        cls.method("location", doc: """
        ds:location(name_or_id) -- one location of a multi-location dataset as a Dataset with plain column names (price, ...) plus the shared columns, so every single-series recipe runs on it.
        """) { object, L in
            let args = LuaArgs(L, "location", method: true)
            let key = try args.string(1)
            LuaObjects.push(L, DatasetObject(try args.attributing { try object.value.location(key) }), datasetClass)
            return 1
        }
        cls.method("describe", doc: "ds:describe() -- count, missing, mean, std, min, quartiles and max of every column, as a printable table (a string).") { object, L in
            L.push(DatasetText.describe(object.value))
            return 1
        }
        cls.method("report", doc: "ds:report() -- what the load found and every repair it made, as text.") { object, L in
            L.push(object.value.report.text)
            return 1
        }
        return cls
    }

    // MARK: Split and walk-forward

    static func splitLuaClass() -> LuaClass<SplitObject> {
        var cls = LuaClass<SplitObject>(splitClass, doc: """
        Split -- a train/test split in time. Fields: train_start, train_end, test_start, test_end (strings or nil), embargo (hours).
        A row trains when its time is <= train_end - embargo and its label (horizon rows ahead) reads a time <= train_end; it tests when test_start <= time < test_end.
        """)
        cls.tostring = { "<Split \($0.value.summary)>" }
        cls.index = { object, L in
            let s = object.value
            switch L.string(2) {
            case "train_start": if let t = s.text(.trainStart) { L.push(t) } else { L.pushNil() }
            case "train_end": L.push(s.text(.trainEnd)!)
            case "test_start": L.push(s.text(.testStart)!)
            case "test_end": if let t = s.text(.testEnd) { L.push(t) } else { L.pushNil() }
            case "embargo": L.push(s.embargoHours)
            default: return 0
            }
            return 1
        }
        cls.method("rows", doc: """
        split:rows(ds, horizon) -- the training and test row numbers (1-based Vectors) of ds for a label `horizon` rows ahead; errors when the embargo is shorter than the horizon.
        """) { object, L in
            let args = LuaArgs(L, "rows", method: true)
            let ds = try args.object(1, datasetClass, as: DatasetObject.self).value
            let horizon = try args.integer(2, EntryPointOptions.horizonSteps)
            let all = Array(0..<ds.count)
            let step = ds.timeIndex.stepSeconds ?? 3600
            let bounds = try object.value.resolved(in: ds.zone)
            let train = try bounds.trainRows(timestamps: ds.timestamps, candidates: all, horizonSteps: horizon, stepSeconds: step)
            let test = bounds.testRows(timestamps: ds.timestamps, candidates: all)
            LuaVector.push(L, train.map { Double($0 + 1) }, name: "train rows")
            LuaVector.push(L, test.map { Double($0 + 1) }, name: "test rows")
            return 2
        }
        return cls
    }

    static func installSplits(_ rally: LuaModule) {
        rally.function("split", schema: EntryPointOptions.split) { L in
            let args = LuaArgs(L, "split")
            let values = try args.decode(1, EntryPointOptions.split)
            LuaObjects.push(L, SplitObject(try args.attributing(options: 1) { try TimeSplit(values) }), splitClass)
            return 1
        }
        rally.function("walkforward", schema: EntryPointOptions.walkforward) { L in
            let args = LuaArgs(L, "walkforward")
            let values = try args.decode(1, EntryPointOptions.walkforward)
            let folds = try args.attributing(options: 1) { try WalkForward.folds(values) }
            L.newTable(array: folds.count)
            for (k, fold) in folds.enumerated() {
                LuaObjects.push(L, SplitObject(fold), splitClass)
                L.rawSet(-2, index: k + 1)
            }
            return 1
        }
    }
}
