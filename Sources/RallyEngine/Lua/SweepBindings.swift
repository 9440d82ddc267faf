import CLua
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The Swift object behind a Lua `SweepTable`: a table of sweep results and, for the table a
/// sweep returned, how the sweep ended.
final class SweepTableObject {
    let table: SweepTable
    /// Whether the sweep that made the table was interrupted (carried by sorted, filtered and cut copies).
    let interrupted: Bool
    /// Runs of the whole sweep (nil for a pivot).
    let runsTotal: Int?
    /// The sweep's warnings.
    let warnings: [String]

    init(_ table: SweepTable, interrupted: Bool = false, runsTotal: Int? = nil, warnings: [String] = []) {
        self.table = table
        self.interrupted = interrupted
        self.runsTotal = runsTotal
        self.warnings = warnings
    }

    /// A copy holding `table`, keeping how the sweep ended.
    func derived(_ table: SweepTable) -> SweepTableObject {
        SweepTableObject(table, interrupted: interrupted, runsTotal: runsTotal, warnings: warnings)
    }
}

/// The Lua face of sweeps: `rally.sweep{...}` and the `SweepTable` class.
enum SweepBindings {
    /// Class name of sweep tables in Lua.
    static let tableClass = "SweepTable"

    static func install(_ rally: LuaModule) {
        rally.register(tableLuaClass())
        rally.function("sweep", doc: """
        rally.sweep{data = ds, features = fx, labeler = lab, grid = {q = {0.9, 0.95}, window = {168, 672}, horizon = {...}},
                    models = {m1, m2, ...}, split = sp | walkforward = folds [, metric = "pr_auc", bootstrap = 1000, block = 168, seed = 7,
                    top = 0.05, bins = 10, baseline = name, dm_lag = n, min_positives = 30, threads = cores, resume = path, quiet = false]}
          -- evaluates every model on every combination of the grid (labeler parameters, applied with lab:with) and returns a SweepTable,
          one row per configuration x model: the labeler parameters, model, every metric, the interval of `metric` (<metric>_lo/_hi),
          its difference from the baseline with its paired interval (<metric>_diff, _diff_lo, _diff_hi), Diebold-Mariano p-values, test rows and rallies.
          The baseline is the FIRST model in `models` unless baseline = "<model name>" is given; the scoring options are rally.evaluate's.
          Each row equals what rally.evaluate gives with that labeler. Labels, features and folds are computed once per configuration
          and shared by its models. Built-in models run on `threads` worker threads (default: every core); models written in Lua run
          here, meanwhile. A model's own threads come on top: give gbdt nthread = 1 in a sweep (XGBoost's predictions do not depend on it). The feature spec is used as given (a horizon axis moves the label, not the features' target step; t.warnings says so for each configuration whose label horizon differs from the spec's).
          Progress on stderr: a bar on a terminal, plain lines otherwise (quiet = true: none). Ctrl-C stops the sweep and returns the
          finished configurations (t.interrupted is true). resume = path saves each finished configuration to path at once; running
          the same sweep with the same path skips them and gives the same table as an uninterrupted run.
        """, options: EntryPointOptions.sweep) { L in try sweep(L) }
    }

    // MARK: rally.sweep

    private static func sweep(_ L: LuaState) throws -> Int32 {
        let args = LuaArgs(L, "sweep")
        if args.isNil(1) { throw args.typeError(1, expected: "table") }
        let o = try args.options(1)
        let values = try o.decode(EntryPointOptions.sweep)
        let (data, features, labeler) = try EvaluationBindings.readInputs(o)
        let grid = try readGrid(o, L, labeler: labeler)
        let schedule = try EvaluationBindings.readSchedule(o, L)
        let models = try EvaluationBindings.modelList(o, L)
        let metric = Metric(key: values.string("metric")!)!
        let resume = values.string("resume")
        let quiet = values.bool("quiet")!
        let scoring = EvaluationPlan(values, features: features, labeler: labeler, schedule: schedule,
                                     defaultThreads: ProcessInfo.processInfo.activeProcessorCount)
        let plan = SweepPlan(features: features, labeler: labeler, grid: grid, schedule: schedule,
                             bootstrap: scoring.bootstrap, metrics: scoring.metrics, metric: metric, baseline: scoring.baseline,
                             dieboldMarianoLag: scoring.dieboldMarianoLag, minimumPositives: scoring.minimumPositives,
                             threads: scoring.threads)
        let display = ProgressDisplay(quiet: quiet)
        let outcome: SweepOutcome
        do {
            outcome = try SweepRunner(plan: plan, resumePath: resume, progress: display.show).run(on: data, models: models)
        } catch {
            display.end()
            throw error
        }
        display.end()
        if outcome.interrupted {
            // Ctrl-C ended the sweep, not the script: keep the finished rows and let the caller go on.
            rally_clear_interrupt(L.raw)
            Cancellation.reset()
        }
        if !quiet { report(outcome, resume: resume) }
        LuaObjects.push(L, SweepTableObject(outcome.table, interrupted: outcome.interrupted, runsTotal: outcome.runsTotal,
                                            warnings: outcome.warnings), tableClass)
        return 1
    }

    /// The closing lines on stderr: interruption, warnings, timing.
    private static func report(_ outcome: SweepOutcome, resume: String?) {
        var lines: [String] = []
        let finished = outcome.table.count
        if outcome.interrupted {
            let hint = resume.map { "; run it again with resume = \"\($0)\" to continue" } ?? "; give resume = path to be able to continue"
            lines.append("sweep: interrupted: the table holds the \(finished) finished of \(outcome.runsTotal) runs\(hint)")
        }
        lines += outcome.warnings.map { "sweep: warning: " + $0 }
        let fits = outcome.fitSeconds.map { "\($0.model) \(Format.fixed($0.seconds, digits: 1)) s" }.joined(separator: ", ")
        let resumed = outcome.runsResumed > 0 ? " (\(outcome.runsResumed) read from \(resume ?? "the resume file"))" : ""
        lines.append("sweep: \(finished) runs\(resumed) in \(Format.fixed(outcome.seconds, digits: 1)) s; fitting: \(fits)")
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }

    /// Field `grid`: labeler parameter = value or list of values; axes in the labeler's parameter
    /// order; every combination is checked against the labeler here, so a bad value is an argument error.
    private static func readGrid(_ o: LuaOptions, _ L: LuaState, labeler: Labeler) throws -> SweepGrid {
        let axes = try o.with("grid") { present -> [SweepAxis] in
            guard present else { return [] }
            guard L.type(-1) == LUA_TTABLE else { throw o.error("grid", "table expected ({q = {0.9, 0.95}, window = {168, 672}}), got \(L.typeName(-1))") }
            var axes: [SweepAxis] = []
            try L.forEach(-1) {
                guard let name = L.string(-2) else { throw o.error("grid", "parameter names must be strings, got a \(L.typeName(-2)) key") }
                axes.append(SweepAxis(name: name, values: try gridValues(o, L, name)))
            }
            let order = labeler.parameters.names
            return axes.sorted { a, b in
                let ia = order.firstIndex(of: a.name) ?? order.count, ib = order.firstIndex(of: b.name) ?? order.count
                return ia != ib ? ia < ib : a.name < b.name
            }
        }
        let grid: SweepGrid
        do { grid = try SweepGrid(axes) } catch let error as RallyError { throw o.error("grid", error.message) }
        for values in grid.combinations() {
            do {
                _ = try labeler.with(ModelParameters(values.map { ($0.name, $0.value) }))
            } catch let problem as Labeler.InvalidParameter {
                throw o.error("grid", values.map { "\($0.name)=\($0.value)" }.joined(separator: " ") + ": \(problem)")
            }
        }
        return grid
    }

    /// The values of grid axis `name` (the value on top of the stack): one number or string, or a list of them.
    private static func gridValues(_ o: LuaOptions, _ L: LuaState, _ name: String) throws -> [ParameterValue] {
        func value(_ index: Int32, _ place: String) throws -> ParameterValue {
            if let x = L.number(index) { return .number(x) }
            if let s = L.string(index) { return .string(s) }
            throw o.error("grid", "\(place): number or string expected, got \(L.typeName(index))")
        }
        guard L.type(-1) == LUA_TTABLE else { return [try value(-1, name)] }
        let t = L.absolute(-1)
        let n = L.rawLength(t)
        guard n > 0 else { throw o.error("grid", "\(name): a list of values expected, got an empty table") }
        return try (1...n).map { i in
            L.rawGet(t, index: i)
            defer { L.pop() }
            return try value(-1, "\(name)[\(i)]")
        }
    }

    /// Fields `split` (a Split) or `walkforward` (a list of Splits, as rally.walkforward returns).
    // MARK: the SweepTable class

    /// Columns `print` shows by default: the keys, the metric with its intervals and its
    /// difference from the baseline, a few other figures, the rallies; columns with no value are left out.
    static func displayColumns(_ t: SweepTable) -> [String] {
        let k = t.metric.rawValue
        guard t.columns.contains("\(k)_diff") else { return t.columns }
        let wanted = [k, "\(k)_lo", "\(k)_hi", "\(k)_diff", "\(k)_diff_lo", "\(k)_diff_hi"]
            + ["roc_auc", "pr_auc", "brier", "log_loss", "lift_at_top"].filter { $0 != k } + ["positives"]
        let figures = wanted.filter { name in
            guard let j = t.columns.firstIndex(of: name) else { return false }
            return t.rows.contains { !($0[j].number?.isNaN ?? false) }
        }
        return Array(t.columns.prefix(t.keys)) + figures
    }

    /// `SweepTable 45 rows: 15 rally definitions x 3 models` above the table, or with a single
    /// rally definition `SweepTable 3 rows; best pr_auc 0.6754: q=0.95 window=672 horizon=24 gbdt`
    /// (a pivot: the table alone).
    static func text(_ object: SweepTableObject) -> String {
        let t = object.table
        let body = (try? t.text(columns: displayColumns(t))) ?? ""
        guard object.runsTotal != nil else { return body }
        var head = "SweepTable \(t.count) row\(t.count == 1 ? "" : "s")"
        if let total = object.runsTotal, t.count != total || object.interrupted {
            head += " of \(total) runs" + (object.interrupted ? " (interrupted)" : "")
        }
        return head + bestOrShape(t, lead: ": ", best: { "; best \(t.metric.rawValue) \($0): \($1)" }) + "\n" + body
    }

    /// With one rally definition, the best run (`best(value, run)`); with several, `lead` and
    /// their count and the models': the metrics of different definitions rest on different base
    /// rates (a commoner rally scores a higher PR-AUC), so no run across them is "best".
    private static func bestOrShape(_ t: SweepTable, lead: String, best: (String, String) -> String) -> String {
        let definitions = Set(t.rows.map { $0.prefix(max(t.keys - 1, 0)).map(\.description) }).count
        if definitions > 1 {
            let models = Set(t.rows.map { $0[t.keys - 1].description }).count
            return lead + "\(definitions) rally definitions x \(models) model\(models == 1 ? "" : "s")"
        }
        guard let b = try? t.best(), let j = try? t.column(t.metric.rawValue), let value = t.rows[b][j].number else { return "" }
        let run = t.rows[b].prefix(t.keys).enumerated().map { j, v in j == t.keys - 1 ? "\(v)" : "\(t.columns[j])=\(v)" }
        return best(Format.fixed(value, digits: 4), run.joined(separator: " "))
    }

    /// What `tostring` gives, one line: `<SweepTable 45 rows: q x window x horizon x model, metric pr_auc;
    /// best 0.6754 (q=0.95 window=672 horizon=24 gbdt)>`, `<SweepTable 6 of 45 runs (interrupted): ...>`,
    /// or for a pivot `<SweepTable pivot 5 rows: q by naive, logreg, gbdt>`. t:print() shows the rows.
    static func summary(_ object: SweepTableObject) -> String {
        let t = object.table
        let rows = "\(t.count) row\(t.count == 1 ? "" : "s")"
        guard let total = object.runsTotal else {
            return "<SweepTable pivot \(rows): \(t.columns.prefix(t.keys).joined(separator: ", ")) by \(t.columns.dropFirst(t.keys).joined(separator: ", "))>"
        }
        var line = "<SweepTable "
        if object.interrupted {
            line += "\(t.count) of \(total) runs (interrupted)"
        } else {
            line += rows
        }
        line += ": \(t.columns.prefix(t.keys).joined(separator: " x ")), metric \(t.metric.rawValue)"
        return line + bestOrShape(t, lead: "; ", best: { "; best \($0) (\($1))" }) + ">"
    }

    /// Pushes row `i` as a Lua table keyed by column name; missing values are absent, whole
    /// parameters and counts are integers.
    static func pushRow(_ L: LuaState, _ t: SweepTable, _ i: Int) {
        L.newTable(record: t.columns.count)
        for (j, value) in t.rows[i].enumerated() {
            switch value {
            case .text(let s): L.push(s)
            case .number(let x):
                if x.isNaN { continue }
                let counted = j < t.keys || t.columns[j] == "test_rows" || t.columns[j] == "positives"
                if counted && x == x.rounded() && abs(x) < 1e15 { L.push(Int(x)) } else { L.push(x) }
            }
            L.rawSet(-2, t.columns[j])
        }
    }

    /// The checks of `t:pivot(row, col, value)` that concern one argument each, so the error
    /// names it: unknown columns, the same column twice, a value column of texts, and values of
    /// `col` that would give two columns one name.
    private static func checkPivot(_ t: SweepTable, _ args: LuaArgs, row: String, column: String, value: String) throws {
        var indices: [Int] = []
        for (n, name) in [(Int32(1), row), (2, column), (3, value)] {
            do { indices.append(try t.column(name)) } catch let error as RallyError { throw args.error(n, error.message) }
        }
        guard row != column else { throw args.error(2, "sweep table: pivot needs two different columns, got '\(row)' twice") }
        if t.rows.contains(where: { $0[indices[2]].number == nil }) {
            throw args.error(3, "sweep table: pivot value column '\(value)' holds texts; numbers expected")
        }
        var distinct: [SweepValue] = []
        for values in t.rows where !distinct.contains(values[indices[1]]) { distinct.append(values[indices[1]]) }
        let names = [row] + distinct.map(\.description)
        if let twice = names.enumerated().first(where: { names[..<$0.offset].contains($0.element) })?.element {
            throw args.error(2, "sweep table: pivot would have two columns named '\(twice)'; pivot on other columns")
        }
    }

    static func tableLuaClass() -> LuaClass<SweepTableObject> {
        var cls = LuaClass<SweepTableObject>(tableClass, doc: """
        SweepTable -- what rally.sweep returns, one row per configuration x model: t:sort(col [, descending]), t:top(n), t:filter(fn),
        t:best([col]), t:pivot(row, col [, value [, agg]]), t:print([cols]), t:write_csv(path), t:rows(); #t rows, t[i] row i as a table.
        Fields: t.columns, t.metric, t.interrupted, t.warnings. Sorting, filtering, cutting and pivoting return new tables.
        tostring(t) is a one-line summary (<SweepTable 45 rows: q x window x horizon x model, metric pr_auc; best ...>); t:print() shows the rows.
        """)
        cls.tostring = { summary($0) }
        cls.length = { $0.table.count }
        cls.index = { object, L in
            let t = object.table
            if let i = L.integer(2) {
                guard i >= 1 && i <= t.count else { return 0 }
                pushRow(L, t, i - 1)
                return 1
            }
            switch L.string(2) {
            case "columns": L.push(strings: t.columns)
            case "metric": L.push(t.metric.rawValue)
            case "interrupted": L.push(object.interrupted)
            case "warnings": L.push(strings: object.warnings)
            default: return 0
            }
            return 1
        }
        cls.method("sort", doc: """
        t:sort(col [, descending]) -- a copy sorted by column col (stable); by default best first for a metric column
        (highest first, lowest first for a loss) and ascending otherwise; missing values last.
        """) { object, L in
            let args = LuaArgs(L, "sort", method: true)
            let name = try args.string(1)
            let descending = args.isNil(2) ? nil : try args.boolean(2)
            do {
                LuaObjects.push(L, object.derived(try object.table.sorted(by: name, descending: descending)), tableClass)
            } catch let error as RallyError { throw args.error(1, error.message) }
            return 1
        }
        cls.method("top", doc: "t:top(n) -- a copy with the first n rows (sort first for the n best).") { object, L in
            let args = LuaArgs(L, "top", method: true)
            let n = try args.integer(1)
            do {
                LuaObjects.push(L, object.derived(try object.table.top(n)), tableClass)
            } catch let error as RallyError { throw args.error(1, error.message) }
            return 1
        }
        cls.method("filter", doc: """
        t:filter(fn) -- a copy with the rows for which fn(row) is true; row is a table keyed by column (row.q, row.model, row.pr_auc).
        """) { object, L in
            let args = LuaArgs(L, "filter", method: true)
            let fn = try args.function(1)
            let t = object.table
            var index = 0
            let kept = try t.filtered { _ in
                defer { index += 1 }
                L.pushValue(fn)
                pushRow(L, t, index)
                try L.protectedCall(arguments: 1, results: 1)
                defer { L.pop() }
                return L.type(-1) != LUA_TNIL && L.boolean(-1) != false
            }
            LuaObjects.push(L, object.derived(kept), tableClass)
            return 1
        }
        cls.method("best", doc: """
        t:best([col]) -- the best row (a table) by column col (default: the sweep's metric; highest, or lowest for a loss), and its value;
        nil when every value is missing. Across rally definitions (q, window, ...) the metrics rest on different base rates (a commoner
        rally scores a higher PR-AUC): filter to one definition first to pick a model, or compare pr_auc_diff (the gain over the baseline).
        """) { object, L in
            let args = LuaArgs(L, "best", method: true)
            let name = try args.optionalString(1)
            let t = object.table
            let found: Int?
            do { found = try t.best(name) } catch let error as RallyError { throw args.error(1, error.message) }
            guard let i = found else { L.pushNil(); return 1 }
            pushRow(L, t, i)
            L.push(t.rows[i][try t.column(name ?? t.metric.rawValue)].number ?? .nan)
            return 2
        }
        cls.method("pivot", doc: """
        t:pivot(row, col [, value [, agg]]) -- a cross table (a SweepTable): one row per value of column `row`, one column per value of
        column `col`, cells the `value` column (default: the sweep's metric), e.g. t:pivot("q", "model", "pr_auc").
        When several rows fall in one cell (another grid parameter varies), filter first or give agg = "mean", "min", "max" or "best".
        """) { object, L in
            let args = LuaArgs(L, "pivot", method: true)
            let row = try args.string(1), column = try args.string(2)
            let value = try args.optionalString(3) ?? object.table.metric.rawValue
            var aggregate: SweepTable.Aggregate?
            if let name = try args.optionalString(4) {
                guard let a = SweepTable.Aggregate(rawValue: name) else {
                    throw args.error(4, "expected one of \(SweepTable.Aggregate.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")), got \"\(name)\"")
                }
                aggregate = a
            }
            let t = object.table
            try checkPivot(t, args, row: row, column: column, value: value)
            do {
                LuaObjects.push(L, SweepTableObject(try t.pivot(row: row, column: column, value: value, aggregate: aggregate)), tableClass)
            } catch let error as RallyError where error != .interrupted {
                // the columns were checked above: what is left is a cell holding several rows, which an aggregate settles
                throw args.error(4, error.message)
            }
            return 1
        }
        cls.method("print", doc: """
        t:print([cols]) -- prints the table to stdout: by default the parameters, model, the metric with its intervals and difference from
        the baseline, and a few other figures; cols (a list of column names) chooses others, t:print(t.columns) shows all.
        """) { object, L in
            let args = LuaArgs(L, "print", method: true)
            if args.isNil(1) {
                print(text(object))
            } else {
                let chosen = try LuaValues.strings(L, try args.table(1)) { i, got in args.error(1, "column name expected at index \(i), got \(got)") }
                do { print(try object.table.text(columns: chosen)) } catch let error as RallyError { throw args.error(1, error.message) }
            }
            return 0
        }
        cls.method("write_csv", doc: """
        t:write_csv(path) -- writes every column to a CSV file (atomically; missing values as empty fields); returns path.
        """) { object, L in
            let path = try LuaArgs(L, "write_csv", method: true).string(1)
            try AtomicFile.write(object.table.csv(), to: path)
            L.push(path)
            return 1
        }
        cls.method("rows", doc: "t:rows() -- the rows as a list of Lua tables keyed by column name (missing values absent).") { object, L in
            let t = object.table
            L.newTable(array: t.count)
            for i in 0..<t.count {
                pushRow(L, t, i)
                L.rawSet(-2, index: i + 1)
            }
            return 1
        }
        return cls
    }
}

/// Shows a sweep's progress on stderr: a bar redrawn in place on a terminal, one line per
/// scored configuration otherwise, nothing when quiet.
private final class ProgressDisplay {
    private let quiet: Bool
    private let terminal: Bool
    private var drawn = false

    init(quiet: Bool) {
        self.quiet = quiet
        terminal = isatty(2) != 0
    }

    private static var width: Int {
        var size = winsize()
        if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 100
    }

    private func write(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }

    func show(_ p: SweepProgress) {
        guard !quiet else { return }
        if terminal {
            write("\r" + p.bar(width: Self.width - 1) + "\u{1B}[K")
            drawn = true
        } else if !p.lines.isEmpty {
            write(p.lines.joined(separator: "\n") + "\n")
        }
    }

    /// Ends the bar's line.
    func end() {
        if drawn { write("\n") }
        drawn = false
    }
}
