import CLua
import LuaBridge
import Foundation

/// The Swift object behind a Lua `SweepTable`: a ``SweepResult``.
final class SweepTableObject {
    let result: SweepResult
    var table: SweepTable { result.table }

    init(_ result: SweepResult) { self.result = result }

    /// A copy holding `table`, keeping how the sweep ended.
    func derived(_ table: SweepTable) -> SweepTableObject { SweepTableObject(result.derived(table)) }
}

/// The Lua face of sweeps: `rally.sweep{...}` and the `SweepTable` class.
enum SweepBindings {
    /// Class name of sweep tables in Lua.
    static let tableClass = "SweepTable"

    static func install(_ rally: LuaModule) {
        rally.register(tableLuaClass())
        rally.function("sweep", schema: EntryPointOptions.sweep) { L in try sweep(L) }
        rally.function("sweep_merge", doc: """
        rally.sweep_merge{path1, path2, ...} -- the SweepTable of a sweep run as shards (rally.sweep{..., shard = {index = i, count = n},
        resume = path_i}) from their resume files, in any order: the same table, and the same CSV byte for byte, as one run of the
        whole grid. Files of different sweeps, a configuration in two files, a missing or unfinished shard are errors naming the files.
        """) { L in
            let args = LuaArgs(L, "sweep_merge")
            let paths = try LuaValues.strings(L, try args.table(1), notList: { args.error(1, "a list of file paths expected, \($0)") }) { i, got in
                args.error(1, "file path expected at index \(i), got \(got)")
            }
            LuaObjects.push(L, SweepTableObject(try SweepMerge.merge(paths)), tableClass)
            return 1
        }
    }

    // MARK: rally.sweep

    private static func sweep(_ L: LuaState) throws -> Int32 {
        let args = LuaArgs(L, "sweep")
        if args.isNil(1) { throw args.typeError(1, expected: "table") }
        let values = try args.decode(1, EntryPointOptions.sweep)
        let sweep = try args.attributing(options: 1) { try ConsoleSweep(values) }
        let outcome = try sweep.run()
        if outcome.interrupted {
            // Ctrl-C ended the sweep, not the script: keep the finished rows and let the caller go on.
            rally_clear_interrupt(L.raw)
            Cancellation.reset()
        }
        LuaObjects.push(L, SweepTableObject(SweepResult(outcome)), tableClass)
        return 1
    }

    // MARK: the SweepTable class

    /// Pushes row `i` as a Lua table keyed by column name; missing values are absent, values of
    /// whole-number columns (``SweepTable/isWhole(column:)``) are integers.
    static func pushRow(_ L: LuaState, _ t: SweepTable, _ i: Int) {
        L.newTable(record: t.columns.count)
        for (j, value) in t.rows[i].enumerated() {
            switch value {
            case .text(let s): L.push(s)
            case .number(let x):
                if x.isNaN { continue }
                if t.isWhole(column: j) && x == x.rounded() && abs(x) < 1e15 { L.push(Int(x)) } else { L.push(x) }
            }
            L.rawSet(-2, t.columns[j])
        }
    }

    static func tableLuaClass() -> LuaClass<SweepTableObject> {
        var cls = LuaClass<SweepTableObject>(tableClass, doc: """
        SweepTable -- what rally.sweep returns, one row per configuration x model: t:sort(col [, descending]), t:top(n), t:filter(fn),
        t:best([col]), t:pivot(row, col [, value [, agg]]), t:print([cols]), t:write_csv(path), t:rows(); #t rows, t[i] row i as a table.
        Fields: t.columns, t.metric, t.interrupted, t.warnings, t.spa (with spa = ...: {superior_predictive_ability = {hansen_spa =
        {p_consistent =, ...}, reality_check =, best_run =, ...}}, as in the CSV's metadata file). Sorting, filtering, cutting and pivoting return new tables.
        tostring(t) is a one-line summary (<SweepTable 45 rows: q x window x horizon x model, metric pr_auc; best ...>); t:print() shows the rows.
        """)
        cls.tostring = { $0.result.summary }
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
            case "interrupted": L.push(object.result.interrupted)
            case "warnings": L.push(strings: object.result.warnings)
            case "spa":
                guard let spa = object.result.spa else { return 0 }
                L.push(spa.json)
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
            let sorted = try args.attributing(argument: 1) { try object.table.sorted(by: name, descending: descending) }
            LuaObjects.push(L, object.derived(sorted), tableClass)
            return 1
        }
        cls.method("top", doc: "t:top(n) -- a copy with the first n rows (sort first for the n best).") { object, L in
            let args = LuaArgs(L, "top", method: true)
            let n = try args.integer(1)
            let top = try args.attributing(argument: 1) { try object.table.top(n) }
            LuaObjects.push(L, object.derived(top), tableClass)
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
            guard let i = try args.attributing(argument: 1, { try t.best(name) }) else { L.pushNil(); return 1 }
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
            let aggregate = try args.optionalString(4).map { name in try args.attributing(argument: 4) { try SweepTable.Aggregate.named(name) } }
            let pivot = try args.attributing { try object.table.pivot(row: row, column: column, value: value, aggregate: aggregate) }
            LuaObjects.push(L, SweepTableObject(SweepResult(pivot)), tableClass)
            return 1
        }
        cls.method("print", doc: """
        t:print([cols]) -- prints the table to stdout: by default the parameters, model, the metric with its intervals and difference from
        the baseline, and a few other figures; cols (a list of column names) chooses others, t:print(t.columns) shows all.
        """) { object, L in
            let args = LuaArgs(L, "print", method: true)
            if args.isNil(1) {
                print(object.result.text)
            } else {
                let chosen = try LuaValues.strings(L, try args.table(1)) { i, got in args.error(1, "column name expected at index \(i), got \(got)") }
                print(try args.attributing(argument: 1) { try object.table.text(columns: chosen) })
            }
            return 0
        }
        cls.method("write_csv", doc: """
        t:write_csv(path) -- writes every column to a CSV file (atomically; missing values as empty fields); returns path. When the sweep
        ran the SPA test (spa = ...), also writes its result to <path>-metadata.json and returns that path second; the CSV is the same.
        """) { object, L in
            let path = try LuaArgs(L, "write_csv", method: true).string(1)
            let written = try object.result.writeCSV(to: path)
            for file in written { L.push(file) }
            return Int32(written.count)
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
