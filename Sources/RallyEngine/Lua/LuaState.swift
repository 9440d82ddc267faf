import CLua

/// A Swift function callable from Lua. It reads its arguments from the stack, pushes its
/// results and returns how many; it reports failure by throwing, never by raising a Lua error.
public typealias LuaFunction = (LuaState) throws -> Int32

/// A borrowed handle on a `lua_State`.
///
/// Every method here uses only Lua API calls that cannot raise a Lua error (other than out of
/// memory): raw table access, type checks, pushes, and protected calls. That is what keeps a
/// `longjmp` from ever crossing a Swift frame; code in the binding layer must keep to it.
public struct LuaState {
    /// The underlying `lua_State *`.
    public let raw: OpaquePointer

    /// Wraps `raw`.
    public init(_ raw: OpaquePointer) { self.raw = raw }

    // MARK: stack

    /// Index of the top element (the number of values on the stack).
    public var top: Int32 { lua_gettop(raw) }
    /// Sets the stack top, dropping or nil-padding values.
    public func setTop(_ index: Int32) { lua_settop(raw, index) }
    /// Pops `n` values.
    public func pop(_ n: Int32 = 1) { rally_pop(raw, n) }
    /// Converts a relative index into an absolute one.
    public func absolute(_ index: Int32) -> Int32 { lua_absindex(raw, index) }
    /// Pushes a copy of the value at `index`.
    public func pushValue(_ index: Int32) { lua_pushvalue(raw, index) }
    /// Moves the top value into position `index`, shifting up the values above it.
    public func insert(_ index: Int32) { rally_insert(raw, index) }
    /// Removes the value at `index`.
    public func remove(_ index: Int32) { rally_remove(raw, index) }

    // MARK: types

    /// The Lua type tag (`LUA_TNIL`, `LUA_TNUMBER`, ...) at `index`.
    public func type(_ index: Int32) -> Int32 { lua_type(raw, index) }
    /// The Lua name of the type at `index` ("nil", "number", "table", ...), or the class name of a
    /// rally userdata ("Dataset").
    public func typeName(_ index: Int32) -> String {
        if type(index) == LUA_TUSERDATA, let cls = className(index) { return cls }
        return String(cString: lua_typename(raw, type(index)))
    }
    /// Whether the value at `index` is nil or absent.
    public func isNoneOrNil(_ index: Int32) -> Bool { type(index) <= LUA_TNIL }
    /// The rally class name of the userdata at `index` (from its metatable's `__name`).
    public func className(_ index: Int32) -> String? {
        guard lua_getmetatable(raw, index) != 0 else { return nil }
        defer { pop() }
        guard rawGet(-1, "__name") == LUA_TSTRING, let name = string(-1) else { pop(); return nil }
        pop()
        return name.hasPrefix("rally.") ? String(name.dropFirst(6)) : nil
    }

    // MARK: reading values (no conversion side effects on non-strings)

    /// The string at `index` if it is a string (numbers are not converted).
    public func string(_ index: Int32) -> String? {
        guard type(index) == LUA_TSTRING else { return nil }
        var len = 0
        guard let p = lua_tolstring(raw, index, &len) else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self)
    }
    /// The number at `index` if it is a number.
    public func number(_ index: Int32) -> Double? {
        guard type(index) == LUA_TNUMBER else { return nil }
        return rally_tonumber(raw, index, nil)
    }
    /// The integer at `index` if it is a number with an exact integer value.
    public func integer(_ index: Int32) -> Int? {
        guard type(index) == LUA_TNUMBER else { return nil }
        var ok: Int32 = 0
        let v = rally_tointeger(raw, index, &ok)
        return ok != 0 ? Int(v) : nil
    }
    /// The boolean at `index` if it is a boolean.
    public func boolean(_ index: Int32) -> Bool? {
        guard type(index) == LUA_TBOOLEAN else { return nil }
        return lua_toboolean(raw, index) != 0
    }

    // MARK: pushing values

    /// Pushes nil.
    public func pushNil() { lua_pushnil(raw) }
    /// Pushes a number.
    public func push(_ value: Double) { lua_pushnumber(raw, value) }
    /// Pushes an integer.
    public func push(_ value: Int) { lua_pushinteger(raw, lua_Integer(value)) }
    /// Pushes a boolean.
    public func push(_ value: Bool) { lua_pushboolean(raw, value ? 1 : 0) }
    /// Pushes a string.
    public func push(_ value: String) {
        var s = value
        s.withUTF8 { buf in _ = lua_pushlstring(raw, buf.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, buf.count) }
    }
    /// Pushes a number, or nil for NaN when `nanAsNil` is set.
    public func push(_ value: Double, nanAsNil: Bool) {
        if nanAsNil && value.isNaN { pushNil() } else { push(value) }
    }
    /// Pushes an array of numbers as a Lua sequence.
    public func push(numbers values: [Double]) {
        lua_createtable(raw, Int32(clamping: values.count), 0)
        for (i, v) in values.enumerated() {
            push(v)
            lua_rawseti(raw, -2, lua_Integer(i + 1))
        }
    }
    /// Pushes an array of strings as a Lua sequence.
    public func push(strings values: [String]) {
        lua_createtable(raw, Int32(clamping: values.count), 0)
        for (i, v) in values.enumerated() {
            push(v)
            lua_rawseti(raw, -2, lua_Integer(i + 1))
        }
    }
    /// Pushes a new empty table with room for `array` and `record` entries.
    public func newTable(array: Int = 0, record: Int = 0) {
        lua_createtable(raw, Int32(clamping: array), Int32(clamping: record))
    }
    /// Pushes a Swift function as a Lua function. `name` is used in error messages.
    public func push(function name: String, _ body: @escaping LuaFunction) {
        let box = LuaFunctionBox(name: name, body: body)
        rally_push_swift_function(raw, Unmanaged.passRetained(box).toOpaque())
    }

    // MARK: raw table access (never calls metamethods)

    /// Pushes `t[key]` for the table at `table`, without metamethods; returns its type.
    @discardableResult
    public func rawGet(_ table: Int32, _ key: String) -> Int32 {
        let t = absolute(table)
        push(key)
        return lua_rawget(raw, t)
    }
    /// Pushes `t[i]` without metamethods; returns its type.
    @discardableResult
    public func rawGet(_ table: Int32, index i: Int) -> Int32 {
        lua_rawgeti(raw, table, lua_Integer(i))
    }
    /// Pops a value and stores it as `t[key]`, without metamethods.
    public func rawSet(_ table: Int32, _ key: String) {
        let t = absolute(table)
        push(key)
        insert(-2)
        lua_rawset(raw, t)
    }
    /// Pops a value and stores it as `t[i]`, without metamethods.
    public func rawSet(_ table: Int32, index i: Int) {
        lua_rawseti(raw, table, lua_Integer(i))
    }
    /// The raw length (`#` without `__len`) of the value at `index`.
    public func rawLength(_ index: Int32) -> Int { Int(lua_rawlen(raw, index)) }

    /// Calls `body` for each key/value pair of the table at `table`, with the key at -2 and the
    /// value at -1. Keys are never converted in place. The body must leave the stack balanced.
    public func forEach(_ table: Int32, _ body: () throws -> Void) rethrows {
        let t = absolute(table)
        pushNil()
        while lua_next(raw, t) != 0 {
            do { try body() } catch { pop(2); throw error }
            pop()
        }
    }

    // MARK: registry

    /// Pushes the registry table.
    public func pushRegistry() { lua_pushvalue(raw, rally_registryindex()) }
    /// Pushes the global table.
    public func pushGlobals() { _ = lua_rawgeti(raw, rally_registryindex(), lua_Integer(LUA_RIDX_GLOBALS)) }

    // MARK: protected calls

    /// Calls the function below its `nargs` arguments in protected mode. Throws ``RallyError``
    /// carrying the Lua message, with a traceback appended when `traceback` is true (leave it
    /// out for a message that an outer error will carry, with its own traceback); the stack then
    /// holds neither the function nor its arguments.
    public func protectedCall(arguments nargs: Int32, results nresults: Int32, traceback: Bool = true) throws {
        let base = top - nargs
        let status: Int32
        if traceback {
            rally_pushcfunction(raw, rally_msghandler)
            insert(base)
            status = rally_pcall(raw, nargs, nresults, base)
            remove(base)
        } else {
            status = rally_pcall(raw, nargs, nresults, 0)
        }
        if status != LUA_OK {
            let message = string(-1) ?? "(error object is a \(typeName(-1)) value)"
            pop()
            throw RallyError(message)
        }
    }
}

/// The Swift side of a Lua function: the closure and the name its errors use.
final class LuaFunctionBox {
    let name: String
    let body: LuaFunction
    init(name: String, body: @escaping LuaFunction) {
        self.name = name
        self.body = body
    }
}

/// Called by the C trampoline. Runs the Swift body; converts a thrown error into an error
/// message on the stack and -1, so the trampoline raises it after this frame has returned.
@_cdecl("rally_swift_dispatch")
func rallySwiftDispatch(_ L: OpaquePointer?, _ box: UnsafeMutableRawPointer?) -> Int32 {
    guard let L, let box else { return 0 }
    let function = Unmanaged<LuaFunctionBox>.fromOpaque(box).takeUnretainedValue()
    let state = LuaState(L)
    do {
        return try function.body(state)
    } catch let error as RallyError {
        state.push(error.message)
    } catch {
        state.push(String(describing: error))
    }
    return -1
}

/// Called by a box's `__gc`: drops the Swift closure.
@_cdecl("rally_swift_release")
func rallySwiftRelease(_ box: UnsafeMutableRawPointer?) {
    guard let box else { return }
    Unmanaged<LuaFunctionBox>.fromOpaque(box).release()
}
