import CLua

/// The Swift object behind a Lua `FeatureSpec`.
public final class FeatureSpecObject {
    /// The spec.
    public let spec: FeatureSpec
    /// Wraps `spec`.
    public init(_ spec: FeatureSpec) { self.spec = spec }
}

/// The Swift object behind a Lua `FeatureMatrix`.
public final class FeatureMatrixObject {
    /// The matrix.
    public let matrix: FeatureMatrix
    /// Wraps `matrix`.
    public init(_ matrix: FeatureMatrix) { self.matrix = matrix }
}

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
        rally.submodule("features", doc: """
        rally.features{...} -- a FeatureSpec: leak-safe features known at t (fx:build(ds [, labeler]) computes them).
          col = "price" (the main series), horizon = 24 (steps to the target hour of calendar and exogenous features),
          lags = {0, 1, 24}                                          -- col[t-k]: lag0, lag1, lag24
          rolling = {{stat = "mean", window = 24}, {stat = "quantile", q = 0.95, window = 672}, ...}
                    -- stat mean | std | min | max | quantile over col[t-window+1 ... t]; optional col, name: mean24, q95_672
          relative = {168} or {{window = 168, col = ..., name = ...}} -- col[t] / trailing mean: rel168
          gap_to_thr = true                                          -- col[t] / the labeler's threshold(t)
          calendar = {"hour", "dow", "month", "weekend", "doy", "holiday"}  -- of the target hour t+horizon (holiday: NERC)
          exogenous = {"sys_load_fc", {col = "zonal_load_fc", rel = 168}}   -- known-ahead columns at t+horizon
                    (rel: also that value / the column's mean over [t-rel+1 ... t], named <col>_rel)
          ratio = {{"lag0", "mean24"}, {a = "lag0", b = "mean168", name = "r"}}, difference = {{"lag0", "lag1"}}
                    -- of features listed before them: lag0/mean24, lag0-lag1
        Columns come in that order: lags, rolling, relative, gap_to_thr, calendar, exogenous, ratio, difference.
        """, call: makeSpec, installFunctions)
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
                let o = try args.options(2)
                let (statistic, window) = try SpecReader.statistic(o)
                try o.finish()
                LuaVector.push(L, try statistic.apply(values, window: window), name: "\(statistic.name)\(window)")
                return 1
            }
    }

    /// `rally.features{...}`: the spec table is argument 1 (after the `rally.features` table itself).
    private static func makeSpec(_ L: LuaState) throws -> Int32 {
        let args = LuaArgs(L, "features", method: true)
        if args.isNil(1) { throw args.typeError(1, expected: "table") }
        let spec = try SpecReader(try args.options(1), L).read()
        do { try spec.validate() } catch let error as RallyError { throw args.error(1, error.message) }
        LuaObjects.push(L, FeatureSpecObject(spec), specClass)
        return 1
    }

    static func specLuaClass() -> LuaClass<FeatureSpecObject> {
        var cls = LuaClass<FeatureSpecObject>(specClass, doc: """
        FeatureSpec -- a list of features (rally.features{...}, rally.features.protocol_v1()). print(fx) lists the columns; #fx counts them;
        fx:build(ds [, labeler]) computes them over a Dataset.
        """)
        cls.tostring = { "<FeatureSpec \($0.spec.features.count) columns, horizon \($0.spec.horizon): \($0.spec.names.joined(separator: ", "))>" }
        cls.length = { $0.spec.features.count }
        cls.method("build", doc: """
        fx:build(ds [, labeler]) -- the FeatureMatrix of Dataset ds (every row; nil where undefined). gap_to_thr needs the labeler (its threshold).
        """) { object, L in
            let args = LuaArgs(L, "build", method: true)
            let data = try args.object(1, DataBindings.datasetClass, as: DatasetObject.self).dataset
            var labels: LabelSeries?
            if !args.isNil(2) {
                let labeler = try args.object(2, LabelBindings.labelerClass, as: LabelerObject.self).labeler
                // Only gap_to_thr reads the labels; without it the labeler is not applied.
                if object.spec.needsThreshold {
                    do { labels = try labeler.apply(to: data) } catch let error as RallyError where error != .interrupted {
                        throw args.error(2, error.message)
                    }
                }
            } else if object.spec.needsThreshold {
                throw args.error(2, "Labeler expected, got no value: gap_to_thr divides by the labeler's threshold")
            }
            do {
                LuaObjects.push(L, FeatureMatrixObject(try object.spec.build(on: data, labels: labels)), matrixClass)
            } catch let error as RallyError where error != .interrupted {
                throw args.error(1, error.message)
            }
            return 1
        }
        cls.method("names", doc: "fx:names() -- the column names, as a Lua table.") { object, L in
            L.push(strings: object.spec.names)
            return 1
        }
        cls.method("describe", doc: "fx:describe() -- one line per column with its definition (t+H is the target step), as text.") { object, L in
            L.push(object.spec.features.map(\.description).joined(separator: "\n"))
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
        cls.tostring = { $0.matrix.summary }
        cls.length = { $0.matrix.count }
        cls.method("col", doc: "X:col(name) -- feature `name` as a Vector (nil where undefined).") { object, L in
            let args = LuaArgs(L, "col", method: true)
            let name = try args.string(1)
            guard let values = object.matrix.column(named: name) else {
                throw args.error(1, "no feature '\(name)'; features: \(object.matrix.names.joined(separator: ", "))")
            }
            LuaVector.push(L, values, name: name)
            return 1
        }
        cls.method("names", doc: "X:names() -- the feature names, as a Lua table.") { object, L in
            L.push(strings: object.matrix.names)
            return 1
        }
        cls.method("coverage", doc: "X:coverage() -- {name = share of rows (0-1) where the feature is defined, ...}.") { object, L in
            let matrix = object.matrix
            L.newTable(record: matrix.names.count)
            for (j, name) in matrix.names.enumerated() {
                L.push(matrix.coverage(of: j))
                L.rawSet(-2, name)
            }
            return 1
        }
        cls.method("describe", doc: "X:describe() -- one line per feature with the share of rows where it is defined, as text.") { object, L in
            L.push(object.matrix.coverageText)
            return 1
        }
        cls.method("totable", doc: """
        X:totable() -- {name = {values..., n = #X}, ...} for every feature (undefined values are nil holes, as table.pack makes).
        """) { object, L in
            L.newTable(record: object.matrix.names.count)
            for (name, column) in zip(object.matrix.names, object.matrix.columns) {
                LuaVector.pushTable(L, column)
                L.rawSet(-2, name)
            }
            return 1
        }
        cls.method("usable", doc: "X:usable() -- a Vector of 1 (every feature defined) or 0 per row.") { object, L in
            LuaVector.push(L, object.matrix.usable.map { $0 ? 1 : 0 }, name: "usable")
            return 1
        }
        cls.method("timestamps", doc: "X:timestamps() -- the time index as a Vector of seconds since 1970-01-01 00:00.") { object, L in
            LuaVector.push(L, object.matrix.timestamps.map(Double.init), name: "timestamps")
            return 1
        }
        return cls
    }
}

/// Keyed option reads with lua-style errors: a top-level options table, or one entry of a list
/// inside it (`rolling = {{stat = "mean", window = 24}}`).
protocol FeatureOptionSource {
    func number(_ key: String) throws -> Double?
    func string(_ key: String) throws -> String?
    func error(_ key: String, _ message: String) -> RallyError
}

extension LuaOptions: FeatureOptionSource {}

extension FeatureOptionSource {
    /// A whole number of steps >= `minimum`, or nil when absent.
    func steps(_ key: String, minimum: Int) throws -> Int? {
        guard let x = try number(key) else { return nil }
        guard x == x.rounded(), x >= Double(minimum), x < 1e12 else {
            let what = minimum > 0 ? "a positive whole number of steps" : "a whole number of steps >= \(minimum)"
            throw error(key, "must be \(what), got \(Format.number(x))")
        }
        return Int(x)
    }

    /// A required positive window.
    func window(_ key: String = "window") throws -> Int {
        guard let w = try steps(key, minimum: 1) else { throw error(key, "number expected, got nil") }
        return w
    }
}

/// One table entry of a list option, read with raw gets; errors name it as `rolling[2].window`.
private final class EntryReader: FeatureOptionSource {
    private let L: LuaState
    private let table: Int32
    private let path: String
    private let outer: LuaOptions
    private var known: [String] = []

    init(_ L: LuaState, table: Int32, path: String, outer: LuaOptions) {
        self.L = L
        self.table = L.absolute(table)
        self.path = path
        self.outer = outer
    }

    func error(_ key: String, _ message: String) -> RallyError { outer.error("\(path).\(key)", message) }

    /// The entry as a whole is wrong.
    func error(_ message: String) -> RallyError { outer.error(path, message) }

    private func read<T>(_ key: String, _ convert: () throws -> T?) rethrows -> T? {
        if !known.contains(key) { known.append(key) }
        L.rawGet(table, key)
        defer { L.pop() }
        return L.isNoneOrNil(-1) ? nil : try convert()
    }

    func number(_ key: String) throws -> Double? {
        try read(key) {
            guard let x = L.number(-1) else { throw error(key, "number expected, got \(L.typeName(-1))") }
            return x
        }
    }

    func string(_ key: String) throws -> String? {
        try read(key) {
            guard let s = L.string(-1) else { throw error(key, "string expected, got \(L.typeName(-1))") }
            return s
        }
    }

    /// The string at array position `i`, or nil.
    func string(at i: Int) throws -> String? {
        L.rawGet(table, index: i)
        defer { L.pop() }
        if L.isNoneOrNil(-1) { return nil }
        guard let s = L.string(-1) else { throw outer.error("\(path)[\(i)]", "feature name expected, got \(L.typeName(-1))") }
        return s
    }

    /// Throws when the entry has a key that was never read.
    func finish(allowingPositions positions: Int = 0) throws {
        var unknown: [String] = []
        L.forEach(table) {
            if let k = L.string(-2) {
                if !known.contains(k) { unknown.append(k) }
            } else if let i = L.integer(-2), i >= 1, i <= positions {
                return
            } else {
                unknown.append("<\(L.typeName(-2)) key>")
            }
        }
        guard let first = unknown.sorted().first else { return }
        throw error("unknown option '\(first)'; valid options: \(known.sorted().joined(separator: ", "))")
    }
}

/// Reads a `rally.features{...}` table into a ``FeatureSpec``.
struct SpecReader {
    private let o: LuaOptions
    private let L: LuaState

    init(_ options: LuaOptions, _ L: LuaState) {
        o = options
        self.L = L
    }

    /// A rolling statistic and its window from the options `stat`, `window` and (for quantile) `q`.
    static func statistic(_ source: some FeatureOptionSource) throws -> (RollingStatistic, Int) {
        let names = ["mean", "std", "min", "max", "quantile"]
        guard let name = try source.string("stat") else { throw source.error("stat", "string expected, got nil") }
        guard names.contains(name) else {
            throw source.error("stat", "expected one of \(names.map { "\"\($0)\"" }.joined(separator: ", ")), got \"\(name)\"")
        }
        let window = try source.window()
        let statistic: RollingStatistic
        switch name {
        case "mean": statistic = .mean
        case "std": statistic = .std
        case "min": statistic = .min
        case "max": statistic = .max
        default:
            guard let q = try source.number("q") else { throw source.error("q", "number expected, got nil") }
            guard q > 0 && q < 1 else { throw source.error("q", "must be in (0, 1), got \(Format.number(q))") }
            statistic = .quantile(q)
        }
        if let problem = statistic.problem(window: window) { throw source.error("window", problem) }
        return (statistic, window)
    }

    /// Calls `body` with the path of each entry of the list option `key` (`rolling[2]`), the
    /// entry being on the stack top (index -1). `entries` says what the list holds, for the
    /// error when the table has keys that are not list positions (`rolling = {stat = ...}`).
    private func list(_ key: String, of entries: String, _ body: (String) throws -> Void) throws {
        try o.with(key) { present in
            guard present else { return }
            guard L.type(-1) == LUA_TTABLE else { throw o.error(key, "table expected, got \(L.typeName(-1))") }
            let t = L.absolute(-1)
            if let found = LuaValues.firstNonListKey(L, t, count: L.rawLength(t), allowingN: false) {
                throw o.error(key, "a list of \(entries) expected, found \(found) (each entry needs its own braces: \(key) = {{...}, ...})")
            }
            for i in 1...max(1, L.rawLength(t)) where L.rawLength(t) > 0 {
                L.rawGet(t, index: i)
                defer { L.pop() }
                try body("\(key)[\(i)]")
            }
        }
    }

    private func entry(_ path: String) -> EntryReader { EntryReader(L, table: -1, path: path, outer: o) }

    private func tableExpected(_ path: String, _ what: String) -> RallyError {
        o.error(path, "\(what) expected, got \(L.typeName(-1))")
    }

    func read() throws -> FeatureSpec {
        let main = try o.string("col", default: "price")
        let horizon = try o.steps("horizon", minimum: 0) ?? 24
        var features: [Feature] = []
        func add(_ source: Feature.Source, name: String?) {
            features.append(name.map { Feature(name: $0, source: source) } ?? Feature(source, mainColumn: main))
        }
        if let lags = try o.numbers("lags") {
            for (i, k) in lags.enumerated() {
                guard k == k.rounded(), k >= 0, k < 1e12 else {
                    throw o.error("lags", "lags[\(i + 1)] must be a whole number of steps >= 0, got \(Format.number(k))")
                }
                add(.lag(column: main, steps: Int(k)), name: nil)
            }
        }
        try list("rolling", of: "tables {stat = ..., window = ...}") { path in
            guard L.type(-1) == LUA_TTABLE else { throw tableExpected(path, "table {stat = ..., window = ...}") }
            let e = entry(path)
            let (statistic, window) = try Self.statistic(e)
            add(.rolling(column: try e.string("col") ?? main, statistic: statistic, window: window), name: try e.string("name"))
            try e.finish()
        }
        try list("relative", of: "windows or tables {window = ...}") { path in
            if let w = L.number(-1) {
                guard w == w.rounded(), w >= 1, w < 1e12 else { throw o.error(path, "must be a positive whole number of steps, got \(Format.number(w))") }
                add(.relativeToMean(column: main, window: Int(w)), name: nil)
                return
            }
            guard L.type(-1) == LUA_TTABLE else { throw tableExpected(path, "window or table {window = ...}") }
            let e = entry(path)
            add(.relativeToMean(column: try e.string("col") ?? main, window: try e.window()), name: try e.string("name"))
            try e.finish()
        }
        if try o.boolean("gap_to_thr") == true { add(.gapToThreshold(column: main), name: nil) }
        if let fields = try o.strings("calendar") {
            for field in fields {
                guard let value = CalendarField(rawValue: field) else {
                    throw o.error("calendar", "expected one of \(CalendarField.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")), got \"\(field)\"")
                }
                add(.calendar(value), name: nil)
            }
        }
        try list("exogenous", of: "column names or tables {col = ..., rel = ...}") { path in
            if let column = L.string(-1) {
                add(.knownAhead(column: column), name: nil)
                return
            }
            guard L.type(-1) == LUA_TTABLE else { throw tableExpected(path, "column name or table {col = ..., rel = ...}") }
            let e = entry(path)
            guard let column = try e.string("col") else { throw e.error("col", "string expected, got nil") }
            add(.knownAhead(column: column), name: try e.string("name"))
            if let window = try e.steps("rel", minimum: 1) {
                add(.knownAheadRelative(column: column, window: window), name: nil)
            }
            try e.finish()
        }
        for op in ["ratio", "difference"] {
            try list(op, of: "tables {\"a\", \"b\"}") { path in
                guard L.type(-1) == LUA_TTABLE else { throw tableExpected(path, "table {\"a\", \"b\"}") }
                let e = entry(path)
                guard let a = try e.string(at: 1) ?? e.string("a") else { throw e.error("two feature names {\"a\", \"b\"} or {a = ..., b = ...} expected") }
                guard let b = try e.string(at: 2) ?? e.string("b") else { throw e.error("two feature names {\"a\", \"b\"} or {a = ..., b = ...} expected") }
                let source: Feature.Source = op == "ratio" ? .ratio(numerator: a, denominator: b) : .difference(minuend: a, subtrahend: b)
                add(source, name: try e.string("name"))
                try e.finish(allowingPositions: 2)
            }
        }
        try o.finish()
        return FeatureSpec(horizon: horizon, features: features)
    }
}
