import CLua
import RallyCore

/// The doc strings behind `rally.help(x)` and the shell's `help(x)`.
///
/// Docs live in a registry table keyed both by the function value itself and by a qualified
/// name (`"rally.load"`, `"Dataset:slice"`, `"Dataset"`), so `help(rally.load)`,
/// `help("rally.load")`, `help(ds)` and `help(ds.slice)` all find them.
public enum LuaHelp {
    static let docsKey = "rally.docs"
    static let namesKey = "rally.docnames"

    /// Records `doc` under `name`, and under the function at `function` when given.
    public static func record(_ L: LuaState, function: Int32? = nil, name: String, doc: String) {
        let f = function.map { L.absolute($0) }
        L.pushRegistryTable(docsKey)
        L.push(doc)
        L.rawSet(-2, name)
        if let f {
            L.pushValue(f)
            L.push(doc)
            L.rawSet(-3)
            L.pushRegistryTable(namesKey)
            L.pushValue(f)
            L.push(name)
            L.rawSet(-3)
            L.pop()
        }
        L.pop()
    }

    /// The doc recorded for the value at `index` (a function or a name), or nil.
    static func lookup(_ L: LuaState, _ index: Int32) -> String? { value(L, index, in: docsKey) }

    /// The qualified name recorded for the function at `index`.
    static func name(_ L: LuaState, _ index: Int32) -> String? { value(L, index, in: namesKey) }

    /// The string the registry table `key` holds for the value at `index`.
    private static func value(_ L: LuaState, _ index: Int32, in key: String) -> String? {
        let i = L.absolute(index)
        L.pushRegistryTable(key)
        defer { L.pop() }
        L.pushValue(i)
        L.rawGet(-2)
        defer { L.pop() }
        return L.string(-1)
    }

    private static func firstLine(_ s: String) -> String {
        String(s.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    /// The help text for the value at `index`.
    ///
    /// A module (`rally.model`, or its name `"rally.model"`) shows its own description and then
    /// its members; `"Dataset.slice"` is read as `"Dataset:slice"`.
    public static func text(_ L: LuaState, _ index: Int32) -> String {
        let i = L.absolute(index)
        switch L.type(i) {
        case LUA_TNONE, LUA_TNIL:
            return rootText(L)
        case LUA_TSTRING:
            let s = L.string(i)!
            if s == "rally" { return rootText(L) }
            if let doc = lookup(L, i) {
                if pushTable(L, named: s) {
                    defer { L.pop() }
                    return moduleText(L, -1, doc: doc)
                }
                return doc + methodList(L, className: s)
            }
            if let dot = s.lastIndex(of: "."), s[..<dot].first?.isUppercase == true {
                L.push(s[..<dot] + ":" + s[s.index(after: dot)...])
                defer { L.pop() }
                if let doc = lookup(L, -1) { return doc }
            }
            return "no help for '\(s)'"
        case LUA_TFUNCTION:
            return lookup(L, i) ?? "no help for this function (not a rally function)"
        case LUA_TUSERDATA:
            guard let cls = L.className(i) else { return "no help for this userdata" }
            L.push(cls)
            defer { L.pop() }
            return (lookup(L, -1) ?? cls) + methodList(L, className: cls)
        case LUA_TTABLE:
            if isRoot(L, i) { return rootText(L) }
            let doc = moduleDoc(L, i)
            if doc == nil && tableListing(L, i).isEmpty { return "no help for a table (not a rally module)" }
            return moduleText(L, i, doc: doc)
        default:
            return "no help for a \(L.typeName(i))"
        }
    }

    /// The help of the `rally` table itself: the doc recorded under `rally`, then its members.
    private static func rootText(_ L: LuaState) -> String {
        L.push("rally")
        defer { L.pop() }
        return (lookup(L, -1).map { $0 + "\n" } ?? "") + listing(L, globalName: "rally")
    }

    /// A module's description (when it has one) followed by its members.
    private static func moduleText(_ L: LuaState, _ index: Int32, doc: String?) -> String {
        let members = tableListing(L, index)
        return [doc, members.isEmpty ? nil : "members:\n" + members].compactMap { $0 }.joined(separator: "\n")
    }

    /// The `__doc` of the table's metatable (what ``LuaModule/submodule(_:doc:call:_:)`` sets).
    private static func moduleDoc(_ L: LuaState, _ index: Int32) -> String? {
        guard lua_getmetatable(L.raw, index) != 0 else { return nil }
        defer { L.pop(2) }
        L.rawGet(-1, "__doc")
        return L.string(-1)
    }

    /// Whether the table at `index` is the `rally` module (`rally` global or `package.loaded.rally`).
    private static func isRoot(_ L: LuaState, _ index: Int32) -> Bool {
        guard pushTable(L, named: "rally") else { return false }
        defer { L.pop() }
        return lua_rawequal(L.raw, index, -1) != 0
    }

    /// Pushes the table a dotted name (`rally.model`) leads to from the globals, or from
    /// `package.loaded` for `rally` when it is not a global (stock Lua's `require`); returns
    /// false, pushing nothing, when the name does not lead to a table.
    private static func pushTable(_ L: LuaState, named name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        L.pushGlobals()
        if L.rawGet(-1, parts[0]) != LUA_TTABLE {
            L.pop(2)
            L.pushRegistry()
            guard L.rawGet(-1, LUA_LOADED_TABLE) == LUA_TTABLE else { L.pop(2); return false }
            guard L.rawGet(-1, parts[0]) == LUA_TTABLE else { L.pop(3); return false }
            L.remove(-2)
        }
        L.remove(-2)
        for part in parts.dropFirst() {
            guard L.rawGet(-1, part) == LUA_TTABLE else { L.pop(2); return false }
            L.remove(-2)
        }
        return true
    }

    private static func listing(_ L: LuaState, globalName: String) -> String {
        guard pushTable(L, named: globalName) else { return "" }
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
