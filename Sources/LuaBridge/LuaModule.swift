import CLua
import RallyCore

/// Fills a Lua table with documented functions: the way every engine area publishes its Lua
/// face (`rally.load`, `rally.labeler.quantile`, ...).
public struct LuaModule {
    /// The state.
    public let L: LuaState
    /// Absolute stack index of the module table.
    public let table: Int32
    /// The qualified name of the table (`rally`, `rally.model`).
    public let path: String

    /// Wraps the table at `table`, known to users as `path`.
    public init(_ L: LuaState, table: Int32, path: String) {
        self.L = L
        self.table = L.absolute(table)
        self.path = path
    }

    /// Adds a documented function `path.name`.
    public func function(_ name: String, doc: String, _ body: @escaping LuaFunction) {
        L.push(function: name, body)
        LuaHelp.record(L, function: -1, name: "\(path).\(name)", doc: doc)
        L.rawSet(table, name)
    }

    /// Sets a string field.
    public func set(_ name: String, _ value: String) {
        L.push(value)
        L.rawSet(table, name)
    }

    /// Registers a userdata class (its metatable and docs).
    public func register<Object: AnyObject>(_ cls: LuaClass<Object>) { cls.register(L) }

    /// Creates (or reuses) the subtable `path.name` and fills it with `build`. When `call` is
    /// given, the subtable is also callable (`rally.features{...}`) through `__call`; the
    /// subtable itself is then argument 1, so `call` reads its own arguments from slot 2.
    public func submodule(_ name: String, doc: String, call: LuaFunction? = nil, _ build: (LuaModule) -> Void) {
        if L.rawGet(table, name) != LUA_TTABLE {
            L.pop()
            L.newTable()
            L.pushValue(-1)
            L.rawSet(table, name)
        }
        let sub = LuaModule(L, table: -1, path: "\(path).\(name)")
        L.newTable()
        L.push(doc)
        L.rawSet(-2, "__doc")
        if let call {
            L.push(function: "\(path).\(name)", call)
            LuaHelp.record(L, function: -1, name: "\(path).\(name)()", doc: doc)
            L.rawSet(-2, "__call")
        }
        L.setMetatable(-2)
        LuaHelp.record(L, name: "\(path).\(name)", doc: doc)
        build(sub)
        L.pop()
    }
}
