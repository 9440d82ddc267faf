import CLua

/// The doc strings behind `rally.help(x)` and the shell's `help(x)`.
///
/// Docs live in a registry table keyed both by the function value itself and by a qualified
/// name (`"rally.load"`, `"Dataset:slice"`, `"Dataset"`), so `help(rally.load)`,
/// `help("rally.load")`, `help(ds)` and `help(ds.slice)` all find them.
public enum LuaHelp {
    static let docsKey = "rally.docs"
    static let namesKey = "rally.docnames"

    private static func pushTable(_ L: LuaState, _ key: String) {
        L.pushRegistry()
        if L.rawGet(-1, key) != LUA_TTABLE {
            L.pop()
            L.newTable()
            L.pushValue(-1)
            L.rawSet(-3, key)
        }
        L.remove(-2)
    }

    /// Records `doc` under `name`, and under the function at `function` when given.
    public static func record(_ L: LuaState, function: Int32? = nil, name: String, doc: String) {
        let f = function.map { L.absolute($0) }
        pushTable(L, docsKey)
        L.push(doc)
        L.rawSet(-2, name)
        if let f {
            L.pushValue(f)
            L.push(doc)
            lua_rawset(L.raw, -3)
            pushTable(L, namesKey)
            L.pushValue(f)
            L.push(name)
            lua_rawset(L.raw, -3)
            L.pop()
        }
        L.pop()
    }

    /// The doc recorded for the value at `index` (a function or a name), or nil.
    static func lookup(_ L: LuaState, _ index: Int32) -> String? {
        let i = L.absolute(index)
        pushTable(L, docsKey)
        defer { L.pop() }
        L.pushValue(i)
        _ = lua_rawget(L.raw, -2)
        defer { L.pop() }
        return L.string(-1)
    }

    /// The qualified name recorded for the function at `index`.
    static func name(_ L: LuaState, _ index: Int32) -> String? {
        let i = L.absolute(index)
        pushTable(L, namesKey)
        defer { L.pop() }
        L.pushValue(i)
        _ = lua_rawget(L.raw, -2)
        defer { L.pop() }
        return L.string(-1)
    }

    private static func firstLine(_ s: String) -> String {
        String(s.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    /// The help text for the value at `index`.
    public static func text(_ L: LuaState, _ index: Int32) -> String {
        let i = L.absolute(index)
        switch L.type(i) {
        case LUA_TNONE, LUA_TNIL:
            return """
            rally \(RallyLua.version) -- rally-risk workbench for PJM prices.
            help(x) explains a rally function, class, method or object: help(rally.load), help("Dataset"), help(ds).
            \(listing(L, globalName: "rally"))
            """
        case LUA_TSTRING:
            let s = L.string(i)!
            if let doc = lookup(L, i) { return doc + methodList(L, className: s) }
            return "no help for '\(s)'"
        case LUA_TFUNCTION:
            return lookup(L, i) ?? "no help for this function (not a rally function)"
        case LUA_TUSERDATA:
            guard let cls = L.className(i) else { return "no help for this userdata" }
            L.push(cls)
            defer { L.pop() }
            return (lookup(L, -1) ?? cls) + methodList(L, className: cls)
        case LUA_TTABLE:
            return tableListing(L, i)
        default:
            return "no help for a \(L.typeName(i))"
        }
    }

    private static func listing(_ L: LuaState, globalName: String) -> String {
        L.pushGlobals()
        defer { L.pop() }
        guard L.rawGet(-1, globalName) == LUA_TTABLE else { L.pop(); return "" }
        defer { L.pop() }
        return tableListing(L, -1)
    }

    /// One line per documented function or subtable of the table at `index`.
    private static func tableListing(_ L: LuaState, _ index: Int32) -> String {
        let t = L.absolute(index)
        var rows: [(String, String)] = []
        L.forEach(t) {
            guard let key = L.string(-2) else { return }
            if L.type(-1) == LUA_TFUNCTION {
                let doc = lookup(L, -1).map(firstLine) ?? ""
                rows.append((key, doc))
            } else if L.type(-1) == LUA_TTABLE, !key.hasPrefix("_") {
                var doc = "(table)"
                if lua_getmetatable(L.raw, -1) != 0 {
                    if L.rawGet(-1, "__doc") == LUA_TSTRING { doc = firstLine(L.string(-1)!) }
                    L.pop(2)
                }
                rows.append((key, doc))
            }
        }
        rows.sort { $0.0 < $1.0 }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }

    private static func methodList(_ L: LuaState, className: String) -> String {
        guard rally_getmetatable_named(L.raw, "rally.\(className)") == LUA_TTABLE else { L.pop(); return "" }
        defer { L.pop() }
        guard L.rawGet(-1, "methods") == LUA_TTABLE else { L.pop(); return "" }
        defer { L.pop() }
        var rows: [String] = []
        L.forEach(-1) {
            guard let key = L.string(-2) else { return }
            rows.append("  :" + key + "  " + (lookup(L, -1).map(firstLine) ?? ""))
        }
        return rows.isEmpty ? "" : "\nmethods:\n" + rows.sorted().joined(separator: "\n")
    }
}
