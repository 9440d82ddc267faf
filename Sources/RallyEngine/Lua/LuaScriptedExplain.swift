import CLua
import LuaBridge

extension LuaScriptedModel: ExplainableModel {
    /// Whether the definition has an `explain` function.
    var canExplain: Bool {
        definition.push(state, "explain")
        defer { state.pop() }
        return state.type(-1) == LUA_TFUNCTION
    }

    /// Calls the definition's `explain(self, X)`, which returns `{bias = b, contributions =
    /// {name = {...}, ...}}`: `b` a number (every row) or one number per row, and for each
    /// feature of X one number per row on the log-odds scale (a feature left out contributes
    /// 0). rally does not check that they add up to the model's log-odds: that is the Lua
    /// code's promise. Without `explain`, an error saying how to define one.
    func explain(_ X: DesignMatrix) throws -> Explanation {
        try TrainingData.requireFitted(model: kind, isFitted)
        guard canExplain else {
            throw RallyError("model '\(kind)' cannot explain its predictions: its definition has no explain function "
                             + "(explain = function(self, X) return {bias = b, contributions = {name = {...}, ...}} end, on the log-odds scale)")
        }
        try LuaModelData.checkNames(X, model: kind)
        try call("explain", results: 1) {
            LuaModelData.push(state, X)
            return 1
        }
        let L = state
        defer { L.pop() }
        let what = "model '\(kind)' explain"
        guard L.type(-1) == LUA_TTABLE else { throw RallyError("\(what): returned a \(L.typeName(-1)); expected {bias = ..., contributions = {...}}") }
        let result = L.absolute(-1)
        let bias: [Double]
        if L.rawGet(result, "bias") == LUA_TNUMBER {
            bias = [Double](repeating: L.number(-1) ?? .nan, count: X.rows)
            L.pop()
        } else {
            bias = try numbers(L, "\(what): field 'bias'", rows: X.rows)
        }
        guard L.rawGet(result, "contributions") == LUA_TTABLE else {
            let got = L.typeName(-1)
            L.pop()
            throw RallyError("\(what): field 'contributions': a table {name = {...}, ...} expected, got \(got)")
        }
        defer { L.pop() }
        let table = L.absolute(-1)
        let columns = try X.names.map { name -> [Double] in
            if L.rawGet(table, name) == LUA_TNIL { L.pop(); return [Double](repeating: 0, count: X.rows) }
            return try numbers(L, "\(what): contributions of '\(name)'", rows: X.rows)
        }
        return Explanation(features: X.names, contributions: columns, bias: bias)
    }

    /// Pops the value on top (a Vector or a table of numbers) as exactly `rows` numbers.
    private func numbers(_ L: LuaState, _ what: String, rows: Int) throws -> [Double] {
        defer { L.pop() }
        let values: [Double]
        if let v = LuaObjects.peek(L, -1, LuaVector.className, as: VectorObject.self) {
            values = v.values
        } else if L.type(-1) == LUA_TTABLE {
            values = try LuaValues.numbers(L, -1) { i, got in RallyError("\(what): a \(got) at index \(i); expected numbers") }
        } else {
            throw RallyError("\(what): a Vector or table of numbers expected, got \(L.typeName(-1))")
        }
        guard values.count == rows else { throw RallyError("\(what): \(values.count) values for \(rows) rows") }
        return values
    }
}
