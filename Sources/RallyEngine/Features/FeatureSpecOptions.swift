/// A ``FeatureSpec`` from the options of `rally.features{...}` (an ``OptionTree``): every field
/// and every list entry is checked here, with errors naming its path (`rolling[2].window`).
extension FeatureSpec {
    /// The options of `rally.features{...}`, declared once: help shows them, unknown keys and
    /// the scalars' types and ranges are checked from them; the lists are read below.
    public static let schema = OptionSchema("features", summary: """
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
        Every lag, window, rel and the horizon is integer steps or a duration such as "24h", "7d", "15m", "1w" (steps of the
        dataset's step when built: lags = {"1h", "1d"} names lag1h, lag1d). Exogenous columns joined from forecast vintages
        (rally.asof) are read at t only when published by t.
        """, [
        OptionDeclaration("col", .nonEmptyText, default: .string("price"), doc: "the main series"),
        OptionDeclaration("horizon", .steps(0...EntryPointOptions.maximumSteps), default: .number(24),
                          doc: "steps (or a duration) to the target hour of calendar and exogenous features"),
        OptionDeclaration("lags", kind: .table("{k, ...}"), doc: "col[t-k] for each k (steps or durations): lag0, lag1, lag24"),
        OptionDeclaration("rolling", kind: .table("{{stat =, window = [, q, col, name]}, ...}"), doc: "trailing rolling statistics of col"),
        OptionDeclaration("relative", kind: .table("{window, ...} or {{window =, col =, name =}, ...}"), doc: "col[t] / its trailing mean"),
        OptionDeclaration("gap_to_thr", .flag, default: .bool(false), doc: "col[t] / the labeler's threshold(t)"),
        OptionDeclaration("calendar", kind: .table("{field, ...}"), doc: "calendar fields of the target hour: hour, dow, month, weekend, doy, holiday"),
        OptionDeclaration("exogenous", kind: .table("{col, ...} or {{col =, rel =, name =}, ...}"), doc: "known-ahead columns at t+horizon"),
        OptionDeclaration("ratio", kind: .table("{{a, b}, ...}"), doc: "ratios of features listed before them"),
        OptionDeclaration("difference", kind: .table("{{a, b}, ...}"), doc: "differences of features listed before them"),
    ])

    /// Reads a spec from `tree`, the options table of `rally.features{...}`: first checked
    /// against ``schema``, then each list entry with its path in errors.
    public init(options tree: OptionTree) throws {
        let values = try Self.schema.decode(tree)
        let o = try OptionReader(tree)
        let main = values.string("col")!
        let horizon = values.stepCount("horizon")!
        var features: [Feature] = []
        func add(_ source: Feature.Source, name: String?) {
            features.append(name.map { Feature(name: $0, source: source) } ?? Feature(source, mainColumn: main))
        }
        for (i, k) in (try o.entries("lags", of: "steps or durations", tables: false) ?? []).enumerated() {
            add(.lag(column: main, steps: try OptionReader.steps(k, minimum: 0) { RallyError($0, option: "lags[\(i + 1)]") }), name: nil)
        }
        for (i, entry) in (try o.entries("rolling", of: "tables {stat = ..., window = ...}") ?? []).enumerated() {
            let e = try OptionReader(entry, path: "rolling[\(i + 1)]", expected: "table {stat = ..., window = ...}")
            let (statistic, window) = try RollingStatistic.read(e)
            add(.rolling(column: try e.string("col") ?? main, statistic: statistic, window: window), name: try e.string("name"))
            try e.finish()
        }
        for (i, entry) in (try o.entries("relative", of: "windows or tables {window = ...}") ?? []).enumerated() {
            let path = "relative[\(i + 1)]"
            if case .table = entry {} else {
                add(.relativeToMean(column: main, window: try OptionReader.steps(entry, minimum: 1) { RallyError($0, option: path) }), name: nil)
                continue
            }
            let e = try OptionReader(entry, path: path, expected: "window or table {window = ...}")
            add(.relativeToMean(column: try e.string("col") ?? main, window: try Self.window(e)), name: try e.string("name"))
            try e.finish()
        }
        if values.bool("gap_to_thr")! { add(.gapToThreshold(column: main), name: nil) }
        for field in try Self.strings(o, "calendar") {
            guard let value = CalendarField(rawValue: field) else {
                throw o.error("calendar", "expected one of \(CalendarField.allCases.map { JSONText.string($0.rawValue) }.joined(separator: ", ")), got \(JSONText.string(field))")
            }
            add(.calendar(value), name: nil)
        }
        for (i, entry) in (try o.entries("exogenous", of: "column names or tables {col = ..., rel = ...}") ?? []).enumerated() {
            if case .string(let column) = entry {
                add(.knownAhead(column: column), name: nil)
                continue
            }
            let e = try OptionReader(entry, path: "exogenous[\(i + 1)]", expected: "column name or table {col = ..., rel = ...}")
            guard let column = try e.string("col") else { throw e.error("col", "string expected, got nil") }
            add(.knownAhead(column: column), name: try e.string("name"))
            if let window = try e.steps("rel", minimum: 1) {
                add(.knownAheadRelative(column: column, window: window), name: nil)
            }
            try e.finish()
        }
        for op in ["ratio", "difference"] {
            for (i, entry) in (try o.entries(op, of: "tables {\"a\", \"b\"}") ?? []).enumerated() {
                let e = try OptionReader(entry, path: "\(op)[\(i + 1)]", expected: "table {\"a\", \"b\"}")
                let pair = "two feature names {\"a\", \"b\"} or {a = ..., b = ...} expected"
                guard let a = try Self.name(e, position: 0) ?? e.string("a") else { throw e.error(pair) }
                guard let b = try Self.name(e, position: 1) ?? e.string("b") else { throw e.error(pair) }
                let source: Feature.Source = op == "ratio" ? .ratio(numerator: a, denominator: b) : .difference(minuend: a, subtrahend: b)
                add(source, name: try e.string("name"))
                try e.finish(allowingPositions: 2)
            }
        }
        self.init(horizon: horizon, features: features)
    }

    /// A required positive window (`window`).
    static func window(_ e: OptionReader) throws -> StepCount {
        guard let w = try e.steps("window", minimum: 1) else { throw e.error("window", "number expected, got nil") }
        return w
    }

    /// The feature name at list position `i` of `e`, or nil.
    private static func name(_ e: OptionReader, position i: Int) throws -> String? {
        guard i < e.positions.count else { return nil }
        guard case .string(let s) = e.positions[i] else {
            throw RallyError("feature name expected, got \(e.positions[i].typeName)", option: "\(e.path)[\(i + 1)]")
        }
        return s
    }

    /// Field `key` as strings (one string is a list of one); empty when absent.
    private static func strings(_ o: OptionReader, _ key: String) throws -> [String] {
        try (try o.entries(key, of: "strings", tables: false) ?? []).enumerated().map { i, value in
            guard case .string(let s) = value else { throw o.error(key, "string expected at index \(i + 1), got \(value.typeName)") }
            return s
        }
    }
}

extension RollingStatistic {
    /// A rolling statistic and its window from the options `stat`, `window` and (for quantile) `q`.
    public static func read(_ source: OptionReader) throws -> (RollingStatistic, StepCount) {
        let names = ["mean", "std", "min", "max", "quantile"]
        guard let name = try source.string("stat") else { throw source.error("stat", "string expected, got nil") }
        guard names.contains(name) else {
            throw source.error("stat", "expected one of \(names.map(JSONText.string).joined(separator: ", ")), got \(JSONText.string(name))")
        }
        let window = try FeatureSpec.window(source)
        let statistic: RollingStatistic
        if let plain = RollingStatistic(plainName: name) {
            statistic = plain
        } else {
            guard let q = try source.number("q") else { throw source.error("q", "number expected, got nil") }
            guard q > 0 && q < 1 else { throw source.error("q", "must be in (0, 1), got \(Format.number(q))") }
            statistic = .quantile(q)
        }
        if let steps = window.stepsGiven, let problem = statistic.problem(window: steps) { throw source.error("window", problem) }
        return (statistic, window)
    }

    /// A rolling statistic and its window in steps, for a series without a time index (a
    /// Vector): a duration has no step to be divided by there, so it is an error.
    public static func readSteps(_ source: OptionReader) throws -> (RollingStatistic, Int) {
        let (statistic, window) = try read(source)
        guard let steps = window.stepsGiven else {
            throw source.error("window", "a series without times has no step: give the window in steps, not \(JSONText.string(window.description))")
        }
        return (statistic, steps)
    }
}
