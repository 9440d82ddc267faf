import CLua

/// The Swift object behind a Lua `Dataset`.
public final class DatasetObject {
    /// The dataset.
    public let dataset: Dataset
    /// Wraps `dataset`.
    public init(_ dataset: Dataset) { self.dataset = dataset }
}

/// The Swift object behind a Lua `Split` (one train/test split; walk-forward gives a list of them).
public final class SplitObject {
    /// The split.
    public let split: TimeSplit
    /// Wraps `split`.
    public init(_ split: TimeSplit) { self.split = split }
}

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
                let o = try LuaArgs(L, "synthetic").options(1)
                let values = try o.decode(EntryPointOptions.synthetic)
                let years = values.integer("years")!, seed = values.integer("seed")!
                let start = try time(o, L, "start", dateOnly: .startOfDay) ?? 1_356_998_400
                let locations = values.integer("locations")
                LuaObjects.push(L, DatasetObject(try o.attributing {
                    try locations.map { try SyntheticPanel.generate(locations: $0, years: years, seed: UInt64(seed), start: start) }
                        ?? SyntheticPJM.generate(years: years, seed: UInt64(seed), start: start)
                }), datasetClass)
                return 1
            }
        }
    }

    // MARK: rally.load

    static func installLoad(_ rally: LuaModule) {
        rally.function("load", schema: EntryPointOptions.load) { L in
            let args = LuaArgs(L, "load")
            let path = try args.string(1)
            let o = try args.options(2)
            let options = try loadOptions(o, L)
            try o.finish()
            LuaObjects.push(L, DatasetObject(try CSVReader.load(path: path, options: options)), datasetClass)
            return 1
        }
    }

    static func loadOptions(_ o: LuaOptions, _ L: LuaState) throws -> CSVOptions {
        let values = try o.decode(EntryPointOptions.load)
        var options = try o.attributing { try CSVOptions(values) }
        if let time = try o.strings("time") {
            guard time.count == 1 || time.count == 2 else {
                throw o.error("time", "a column name, or {date column, hour column}, expected; got \(time.count) names")
            }
            options.time = time
        }
        if let columns = try o.stringMap("columns") {
            guard !columns.isEmpty else { throw o.error("columns", "at least one column expected") }
            options.columns = columns.map { ColumnSelection(name: $0.0, header: $0.1) }
        }
        options.pnodes = try names(o, L, "pnodes")
        options.locations = try names(o, L, "locations")
        return options
    }

    /// Option `key` as a list of names or ids (a single one may stand alone), or nil when absent.
    static func names(_ o: LuaOptions, _ L: LuaState, _ key: String) throws -> [String]? {
        try o.with(key) { present -> [String]? in
            guard present else { return nil }
            if let s = L.string(-1) { return [s] }
            if let i = L.integer(-1) { return [String(i)] }
            guard L.type(-1) == LUA_TTABLE else { throw o.error(key, "a list of names or ids expected, got \(L.typeName(-1))") }
            if let bad = LuaValues.firstNonListKey(L, -1, count: L.rawLength(-1), allowingN: false) {
                throw o.error(key, "a list of names or ids expected, found \(bad)")
            }
            var out: [String] = []
            for i in 0..<L.rawLength(-1) {
                L.rawGet(-1, index: i + 1)
                defer { L.pop() }
                if let s = L.string(-1) { out.append(s) } else if let n = L.integer(-1) { out.append(String(n)) } else {
                    throw o.error(key, "name or id expected at index \(i + 1), got \(L.typeName(-1))")
                }
            }
            return out
        }
    }

    // MARK: times as arguments

    /// How a time argument that is only a date (`"2017-12-31"`) is read.
    enum DateOnly {
        /// The start of that day (00:00).
        case startOfDay
        /// The last second of that day: an inclusive upper bound covering the whole day.
        case endOfDay
    }

    /// A time given as `"YYYY-MM-DD[ HH:MM[:SS]]"`; anything else, numbers included, is an error.
    static func time(_ L: LuaState, _ index: Int32, dateOnly: DateOnly, fail: (String) -> RallyError) throws -> Int64 {
        guard let s = L.string(index) else { throw fail("time string expected (\"YYYY-MM-DD HH:MM\"), got \(L.typeName(index))") }
        let t: Int64
        do { t = try TimeStamp.parse(s) } catch let e as RallyError { throw fail(e.message) }
        return dateOnly == .endOfDay && TimeStamp.isDateOnly(s) ? t + TimeStamp.day - 1 : t
    }

    /// Option `key` as a time, or nil when absent.
    static func time(_ o: LuaOptions, _ L: LuaState, _ key: String, dateOnly: DateOnly) throws -> Int64? {
        try o.with(key) { present in
            guard present else { return nil }
            return try time(L, -1, dateOnly: dateOnly) { o.error(key, $0) }
        }
    }

    /// Option `key` as a required time.
    static func requiredTime(_ o: LuaOptions, _ L: LuaState, _ key: String, dateOnly: DateOnly) throws -> Int64 {
        guard let t = try time(o, L, key, dateOnly: dateOnly) else {
            throw o.error(key, "time string expected (\"YYYY-MM-DD HH:MM\"), got nil")
        }
        return t
    }

    // MARK: Dataset

    static func datasetLuaClass() -> LuaClass<DatasetObject> {
        var cls = LuaClass<DatasetObject>(datasetClass, doc: """
        Dataset -- an hourly time series table: one time index, named numeric columns (nil = missing).
        print(ds) summarises it; #ds is the number of rows; ds.price (or ds:col("price")) is a column as a Vector.
        Times are UTC instants shown in the dataset's zone (print(ds) names it: America/New_York, UTC), or, for files with naive
        times and no zone, the file's own wall clock; calendar features use the same local time.
        """)
        cls.tostring = { $0.dataset.summary }
        cls.length = { $0.dataset.count }
        cls.index = { object, L in
            guard let key = L.string(2), let values = object.dataset.column(named: key) else { return 0 }
            LuaVector.push(L, values, name: key)
            return 1
        }
        cls.method("columns", doc: "ds:columns() -- the column names, as a Lua table.") { object, L in
            L.push(strings: object.dataset.names)
            return 1
        }
        cls.method("col", doc: "ds:col(name) -- column `name` as a Vector (#v, v[i], v:totable()).") { object, L in
            let args = LuaArgs(L, "col", method: true)
            let name = try args.string(1)
            guard let values = object.dataset.column(named: name) else {
                throw args.error(1, "no column '\(name)'; columns: \(object.dataset.names.joined(separator: ", "))")
            }
            LuaVector.push(L, values, name: name)
            return 1
        }
        cls.method("zone", doc: "ds:zone() -- the dataset's zone: an IANA name (\"America/New_York\"), \"UTC\", \"UTC-05:00\" or \"wall clock\".") { object, L in
            L.push(object.dataset.zone.name)
            return 1
        }
        cls.method("timestamps", doc: "ds:timestamps() -- the time index as a Vector of seconds since 1970-01-01 00:00 (UTC, or the wall clock of a file without zone).") { object, L in
            LuaVector.push(L, object.dataset.timestamps.map(Double.init), name: "timestamps")
            return 1
        }
        cls.method("write", doc: """
        ds:write(path) -- writes the dataset as CSV (a `time` column "YYYY-MM-DD HH:MM", then every column; numbers exactly, missing values
        empty), atomically, creating missing folders; returns path. rally.load(path) reads back the same values: save a repaired or
        pivoted dataset (fill, dst, Data Miner pnodes) for colleagues. The times are the dataset's clock, written without a zone:
        tell whoever gets the file when that is UTC (a Data Miner pivot) or a local clock such as EPT.
        """) { object, L in
            let path = try LuaArgs(L, "write", method: true).string(1)
            try DatasetCSV.write(object.dataset, to: path)
            L.push(path)
            return 1
        }
        cls.method("head", doc: "ds:head([n]) -- the first n rows (default 5) as a printable table (a string).") { object, L in
            L.push(DatasetText.head(object.dataset, try LuaArgs(L, "head", method: true).integer(1, EntryPointOptions.rowCount)))
            return 1
        }
        cls.method("tail", doc: "ds:tail([n]) -- the last n rows (default 5) as a printable table (a string).") { object, L in
            L.push(DatasetText.tail(object.dataset, try LuaArgs(L, "tail", method: true).integer(1, EntryPointOptions.rowCount)))
            return 1
        }
        cls.method("slice", doc: """
        ds:slice(from, to) -- the rows with from <= time <= to, as a new Dataset. Times are "YYYY-MM-DD[ HH:MM]" strings in the dataset's local time, or nil (open end); a date alone as `to` covers that whole day.
        """) { object, L in
            let args = LuaArgs(L, "slice", method: true)
            let from = args.isNil(1) ? nil : try time(L, args.slot(1), dateOnly: .startOfDay) { args.error(1, $0) }
            let to = args.isNil(2) ? nil : try time(L, args.slot(2), dateOnly: .endOfDay) { args.error(2, $0) }
            if let from, let to, to < from {
                throw args.error(2, "'to' (\(TimeStamp.format(to))) is before 'from' (\(TimeStamp.format(from)))")
            }
            LuaObjects.push(L, DatasetObject(object.dataset.slice(fromLocal: from, throughLocal: to)), datasetClass)
            return 1
        }
        cls.method("locations", doc: "ds:locations() -- the names of the locations a long export held (a hub, zone or pnode each), as a Lua table; empty for a single series.") { object, L in
            L.push(strings: object.dataset.locations.map(\.name))
            return 1
        }
        cls.method("location", doc: """
        ds:location(name_or_id) -- one location of a multi-location dataset as a Dataset with plain column names (price, ...) plus the shared columns, so every single-series recipe runs on it.
        """) { object, L in
            let args = LuaArgs(L, "location", method: true)
            let key = try args.string(1)
            LuaObjects.push(L, DatasetObject(try args.attributing { try object.dataset.location(key) }), datasetClass)
            return 1
        }
        cls.method("describe", doc: "ds:describe() -- count, missing, mean, std, min, quartiles and max of every column, as a printable table (a string).") { object, L in
            L.push(DatasetText.describe(object.dataset))
            return 1
        }
        cls.method("report", doc: "ds:report() -- what the load found and every repair it made, as text.") { object, L in
            L.push(object.dataset.report.text)
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
        cls.tostring = { "<Split \($0.split.summary)>" }
        cls.index = { object, L in
            let s = object.split
            switch L.string(2) {
            case "train_start": if let t = s.trainStart { L.push(TimeStamp.format(t)) } else { L.pushNil() }
            case "train_end": L.push(TimeStamp.format(s.trainEnd))
            case "test_start": L.push(TimeStamp.format(s.testStart))
            case "test_end": if let t = s.testEnd { L.push(TimeStamp.format(t)) } else { L.pushNil() }
            case "embargo": L.push(s.embargoHours)
            default: return 0
            }
            return 1
        }
        cls.method("rows", doc: """
        split:rows(ds, horizon) -- the training and test row numbers (1-based Vectors) of ds for a label `horizon` rows ahead; errors when the embargo is shorter than the horizon.
        """) { object, L in
            let args = LuaArgs(L, "rows", method: true)
            let ds = try args.object(1, datasetClass, as: DatasetObject.self).dataset
            let horizon = try args.integer(2, EntryPointOptions.horizonSteps)
            let all = Array(0..<ds.count)
            let step = ds.timeIndex.stepSeconds ?? 3600
            let train = try object.split.trainRows(timestamps: ds.timestamps, candidates: all, horizonSteps: horizon, stepSeconds: step)
            let test = object.split.testRows(timestamps: ds.timestamps, candidates: all)
            LuaVector.push(L, train.map { Double($0 + 1) }, name: "train rows")
            LuaVector.push(L, test.map { Double($0 + 1) }, name: "test rows")
            return 2
        }
        return cls
    }

    static func installSplits(_ rally: LuaModule) {
        rally.function("split", schema: EntryPointOptions.split) { L in
            let o = try LuaArgs(L, "split").options(1)
            let values = try o.decode(EntryPointOptions.split)
            let trainEnd = try requiredTime(o, L, "train_end", dateOnly: .endOfDay)
            let testStart = try requiredTime(o, L, "test_start", dateOnly: .startOfDay)
            let testEnd = try time(o, L, "test_end", dateOnly: .startOfDay)
            let trainStart = try time(o, L, "train_start", dateOnly: .startOfDay)
            let split = try o.attributing { try TimeSplit(values, trainStart: trainStart, trainEnd: trainEnd, testStart: testStart, testEnd: testEnd) }
            LuaObjects.push(L, SplitObject(split), splitClass)
            return 1
        }
        rally.function("walkforward", schema: EntryPointOptions.walkforward) { L in
            let o = try LuaArgs(L, "walkforward").options(1)
            let values = try o.decode(EntryPointOptions.walkforward)
            let firstTest = try requiredTime(o, L, "first_test", dateOnly: .startOfDay)
            let data = try o.object("data", datasetClass, as: DatasetObject.self)?.dataset
            let stop = try time(o, L, "stop", dateOnly: .startOfDay)
            if let data, data.timestamps.isEmpty { throw o.error("data", "the dataset has no rows") }
            let span = data.map { (first: $0.timestamps.first!, last: $0.timestamps.last!, step: $0.timeIndex.stepSeconds) }
            let folds = try o.attributing { try WalkForward.folds(values, firstTest: firstTest, stop: stop, data: span) }
            L.newTable(array: folds.count)
            for (k, fold) in folds.enumerated() {
                LuaObjects.push(L, SplitObject(fold), splitClass)
                L.rawSet(-2, index: k + 1)
            }
            return 1
        }
    }
}
