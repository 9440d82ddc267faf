import CLua
import LuaBridge

/// How model data crosses between Lua and Swift: X into models written in Lua, and X from Lua
/// into `m:fit`/`m:predict` (parameters cross through the `LuaState` extension below).
///
/// A design matrix reaches Lua as a table of columns: `X[name][i]` is feature `name` at row i
/// (1-based; a missing value is a nil hole), `X.n` the number of rows and `X.names` the feature
/// names in order. Feature names `n` and `names` are therefore refused.
enum LuaModelData {
    /// Throws when a feature name collides with the `n` or `names` fields.
    static func checkNames(_ X: DesignMatrix, model: String) throws {
        if let clash = X.names.first(where: { $0 == "n" || $0 == "names" }) {
            throw RallyError("model '\(model)': a feature named '\(clash)' would hide X.\(clash) in Lua; rename it")
        }
    }

    /// Pushes `X` as `{n = rows, names = {...}, [name] = {values...}}`.
    static func push(_ L: LuaState, _ X: DesignMatrix) {
        L.newTable(record: X.width + 2)
        L.push(X.rows)
        L.rawSet(-2, "n")
        L.push(strings: X.names)
        L.rawSet(-2, "names")
        for (name, column) in zip(X.names, X.columns) {
            L.newTable(array: column.count)
            for (i, x) in column.enumerated() where !x.isNaN {
                L.push(x)
                L.rawSet(-2, index: i + 1)
            }
            L.rawSet(-2, name)
        }
    }

    /// Reads argument `n` of `args` as X: a `FeatureMatrix` (its usable rows), a table of
    /// columns `{name = {...}, ...}` (with optional `names` for the order, else names sorted, and
    /// optional `n`), or an array of rows (`{{lag0 = 1, ...}, ...}` records, or plain arrays
    /// whose features are named x1, x2, ...).
    static func input(_ args: LuaArgs, _ n: Int32) throws -> TrainingData.Input {
        let L = args.L
        let slot = args.slot(n)
        if let fm = LuaObjects.peek(L, slot, FeatureBindings.matrixClass, as: FeatureMatrixObject.self) {
            return TrainingData.Input(fm.value)
        }
        guard L.type(slot) == LUA_TTABLE else { throw args.typeError(n, expected: "FeatureMatrix or table") }
        return TrainingData.Input(L.rawLength(slot) > 0 ? try rowsTable(args, n) : try columnsTable(args, n))
    }

    private static func number(_ L: LuaState, _ args: LuaArgs, _ n: Int32, _ place: () -> String) throws -> Double {
        if L.isNoneOrNil(-1) { return .nan }
        guard let x = L.number(-1) else { throw args.error(n, "number expected at \(place()), got \(L.typeName(-1))") }
        return x
    }

    /// The most values X given as a Lua table may hold: rows and columns can be the same table
    /// many times over, so their product is bounded, not only each of them.
    static let maximumValues = 50_000_000

    /// Throws unless `rows` x `features` values (checked multiplication) are at most ``maximumValues``.
    private static func checkSize(_ args: LuaArgs, _ n: Int32, rows: Int, features: Int) throws {
        let (values, overflow) = rows.multipliedReportingOverflow(by: features)
        guard overflow || values > maximumValues else { return }
        throw args.error(n, "X as a table has \(rows) rows x \(features) features, more than \(maximumValues) values (give large inputs as a FeatureMatrix)")
    }

    private static func columnsTable(_ args: LuaArgs, _ n: Int32) throws -> DesignMatrix {
        let L = args.L, t = args.slot(n)
        var names: [String] = []
        var declaredRows: Int?
        if L.rawGet(t, "names") == LUA_TTABLE {
            names = try LuaValues.strings(L, -1) { i, got in args.error(n, "names[\(i)] should be a string, got \(got)") }
        }
        L.pop()
        if L.rawGet(t, "n") != LUA_TNIL {
            guard let r = L.integer(-1), r >= 0 else { L.pop(); throw args.error(n, "field 'n' should be a row count") }
            declaredRows = r
        }
        L.pop()
        if names.isEmpty {
            try L.forEach(t) {
                guard let key = L.string(-2) else { throw args.error(n, "column names must be strings, got a \(L.typeName(-2)) key") }
                if key != "n" && key != "names" { names.append(key) }
            }
            names.sort()
        }
        guard !names.isEmpty else { throw args.error(n, "no columns") }
        var columns: [[Double]] = []
        for name in names {
            guard L.rawGet(t, name) == LUA_TTABLE else {
                defer { L.pop() }
                throw args.error(n, "column '\(name)' should be a table of numbers, got \(L.typeName(-1))")
            }
            // X.n counts trailing missing values too, but no allocation may be sized by it
            // beyond the data: at most `maximumTrailingNils` past the column's last value
            let border = L.rawLength(-1)
            if let declared = declaredRows, declared > border, declared - border > LuaValues.maximumTrailingNils {
                L.pop()
                throw args.error(n, "field 'n' = \(declared) is more than \(LuaValues.maximumTrailingNils) past the last value of column '\(name)' (\(border)); n is the row count, trailing missing values included")
            }
            let count = declaredRows ?? border
            try checkSize(args, n, rows: count, features: names.count)
            var column = [Double](repeating: .nan, count: count)
            for i in 0..<count {
                L.rawGet(-1, index: i + 1)
                defer { L.pop() }
                column[i] = try number(L, args, n) { "\(name)[\(i + 1)]" }
            }
            L.pop()
            columns.append(column)
        }
        guard let rows = columns.first?.count, columns.allSatisfy({ $0.count == rows }) else {
            let counts = zip(names, columns).map { "\($0.0) \($0.1.count)" }.joined(separator: ", ")
            throw args.error(n, "columns have different lengths (\(counts)); give X.n when values are missing at the end")
        }
        return DesignMatrix(names: names, columns: columns)
    }

    private static func rowsTable(_ args: LuaArgs, _ n: Int32) throws -> DesignMatrix {
        let L = args.L, t = args.slot(n)
        let count = L.rawLength(t)
        guard L.rawGet(t, index: 1) == LUA_TTABLE else {
            defer { L.pop() }
            throw args.error(n, "row 1 should be a table, got \(L.typeName(-1))")
        }
        let width = L.rawLength(-1)
        var names: [String] = []
        if width == 0 {
            try L.forEach(-1) {
                guard let key = L.string(-2) else { throw args.error(n, "row 1: feature names must be strings") }
                names.append(key)
            }
            names.sort()
        } else {
            names = (1...width).map { "x\($0)" }
        }
        L.pop()
        try checkSize(args, n, rows: count, features: names.count)
        var columns = [[Double]](repeating: [Double](repeating: .nan, count: count), count: names.count)
        for i in 0..<count {
            guard L.rawGet(t, index: i + 1) == LUA_TTABLE else {
                defer { L.pop() }
                throw args.error(n, "row \(i + 1) should be a table, got \(L.typeName(-1))")
            }
            for (j, name) in names.enumerated() {
                if width == 0 { L.rawGet(-1, name) } else { L.rawGet(-1, index: j + 1) }
                defer { L.pop() }
                columns[j][i] = try number(L, args, n) { "row \(i + 1), \(name)" }
            }
            L.pop()
        }
        return DesignMatrix(names: names, columns: columns)
    }
}

extension LuaState {
    /// Pushes `parameters` as a table `{name = value, ...}` (`self.params`, `m:params()`,
    /// `m:report()`; labelers' parameters could use it too).
    func push(parameters: ModelParameters) {
        newTable(record: parameters.count)
        for p in parameters {
            push(p.value)
            rawSet(-2, p.name)
        }
    }

    /// Pushes a parameter value (a whole number as a Lua integer).
    func push(_ value: ParameterValue) {
        switch value {
        case .number(let x): if x == x.rounded() && abs(x) < 1e15 { push(Int(x)) } else { push(x) }
        case .string(let s): push(s)
        case .bool(let b): push(b)
        }
    }

    /// The value at `index` as a model or labeler parameter: a number, a string or a boolean;
    /// nil for any other type.
    func parameterValue(_ index: Int32) -> ParameterValue? {
        if let x = number(index) { return .number(x) }
        if let s = string(index) { return .string(s) }
        if let b = boolean(index) { return .bool(b) }
        return nil
    }
}
