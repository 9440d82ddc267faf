import CLua
import RallyCore

/// A Swift function callable from Lua. It reads its arguments from the stack, pushes its
/// results and returns how many; it reports failure by throwing, never by raising a Lua error.
public typealias LuaFunction = (LuaState) throws -> Int32

/// A borrowed handle on a `lua_State`: the binding layer's only way to touch the Lua stack.
/// It is not an owner (it never closes the state) and not thread-safe (Lua states are not).
///
/// The protected-call rule: a Lua error must never `longjmp` across a Swift frame, and any Lua
/// API function that allocates can raise one ("not enough memory"). So a method here calls the
/// Lua API directly only where it cannot raise (pushes of nil, numbers and booleans, stack
/// moves, type checks, reads, raw gets with integer keys, `lua_next`); every step that
/// allocates (a string, table, userdata or closure, a raw set that may grow a table, a string
/// key) goes through a `rally_p_*` function of the C shim, which runs it inside `lua_pcall`
/// and returns the status, as lua.c runs everything under `pmain`.
///
/// When such a step fails, a method that throws throws; a method that does not throw leaves nil
/// where its value would be (a raw set does nothing) and records the error as the state's
/// *pending error*. The dispatcher raises it as a Lua error once the Swift function has
/// returned; ``protectedCall(arguments:results:traceback:)`` refuses to run while one is
/// pending; Swift code running outside any Lua call (the shell) takes it with
/// ``takePendingError()``. Code in the binding layer calls Lua through these methods, never the
/// allocating Lua API itself.
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
    /// Pushes a string (nil and a pending error when memory runs out).
    public func push(_ value: String) {
        var s = value
        let status = s.withUTF8 { buf in
            rally_p_pushstring(raw, UnsafeRawPointer(buf.baseAddress)?.assumingMemoryBound(to: CChar.self), buf.count)
        }
        if status != LUA_OK { recordFailure(pushingNils: 1) }
    }
    /// Pushes a number, or nil for NaN when `nanAsNil` is set.
    public func push(_ value: Double, nanAsNil: Bool) {
        if nanAsNil && value.isNaN { pushNil() } else { push(value) }
    }
    /// Pushes an array of numbers as a Lua sequence, filled in one protected step. With
    /// `nanAsNil`, NaN positions are left empty; with `countKey`, that field holds the length
    /// (`table.pack`'s `n`).
    public func push(numbers values: [Double], nanAsNil: Bool = false, countKey: String? = nil) {
        let status = values.withUnsafeBufferPointer { buf in
            withOptionalCString(countKey) { key in
                var spec = rally_p_numbers_t(values: buf.baseAddress, n: buf.count, nan_as_nil: nanAsNil ? 1 : 0, count_key: key)
                return rally_p_numbers(raw, &spec)
            }
        }
        if status != LUA_OK { recordFailure(pushingNils: 1) }
    }
    /// Pushes an array of strings as a Lua sequence, filled in one protected step.
    public func push(strings values: [String]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.reduce(0) { $0 + $1.utf8.count })
        let lengths = values.map { s -> Int in bytes.append(contentsOf: s.utf8); return s.utf8.count }
        let status = bytes.withUnsafeBufferPointer { b in
            lengths.withUnsafeBufferPointer { l in
                var spec = rally_p_strings_t(bytes: UnsafeRawPointer(b.baseAddress)?.assumingMemoryBound(to: CChar.self),
                                             lens: l.baseAddress, n: values.count)
                return rally_p_strings(raw, &spec)
            }
        }
        if status != LUA_OK { recordFailure(pushingNils: 1) }
    }
    /// Pushes a new empty table with room for `array` and `record` entries (nil and a pending
    /// error when memory runs out).
    public func newTable(array: Int = 0, record: Int = 0) {
        if rally_p_newtable(raw, Int32(clamping: array), Int32(clamping: record)) != LUA_OK { recordFailure(pushingNils: 1) }
    }
    /// Pushes a Swift function as a Lua function. `name` is used in error messages.
    public func push(function name: String, _ body: @escaping LuaFunction) {
        let box = Unmanaged.passRetained(LuaFunctionBox(name: name, body: body)).toOpaque()
        var spec = rally_p_box(box: box, taken: 0)
        if rally_p_function(raw, &spec) != LUA_OK {
            if spec.taken == 0 { Unmanaged<LuaFunctionBox>.fromOpaque(box).release() } // else the userdata's __gc does
            recordFailure(pushingNils: 1)
        }
    }
    /// Pops a methods table and a fallback function (on top) and pushes a class's `__index`:
    /// methods first (a raw get, in C), then `fallback(obj, key)`.
    func pushIndex() {
        if rally_p_index(raw) != LUA_OK { recordFailure(pushingNils: 1) }
    }
    /// Sets the table on top as the metatable of the table or userdata at `index` and pops it
    /// (pops and does nothing when either is something else, such as the nil of a failed push).
    public func setMetatable(_ index: Int32) {
        let target = type(index)
        guard type(-1) == LUA_TTABLE, target == LUA_TTABLE || target == LUA_TUSERDATA else { pop(); return }
        lua_setmetatable(raw, index)
    }

    // MARK: raw table access (never calls metamethods)

    /// Pushes `t[key]` for the table at `table`, without metamethods; returns its type (nil
    /// when `table` is not a table).
    @discardableResult
    public func rawGet(_ table: Int32, _ key: String) -> Int32 {
        let status = withBytes(key) { rally_p_getfield(raw, table, $0, $1, 1) }
        guard status == LUA_OK else { recordFailure(pushingNils: 1); return LUA_TNIL }
        return type(-1)
    }
    /// Pushes `t[i]` without metamethods; returns its type (nil when `table` is not a table).
    @discardableResult
    public func rawGet(_ table: Int32, index i: Int) -> Int32 {
        guard type(table) == LUA_TTABLE else { pushNil(); return LUA_TNIL }
        return lua_rawgeti(raw, table, lua_Integer(i))
    }
    /// Pops a key and pushes `t[key]` without metamethods; returns its type (nil when `table`
    /// is not a table).
    @discardableResult
    public func rawGet(_ table: Int32) -> Int32 {
        guard type(table) == LUA_TTABLE else { pop(); pushNil(); return LUA_TNIL }
        return lua_rawget(raw, table)
    }
    /// Pops a value and stores it as `t[key]`, without metamethods.
    public func rawSet(_ table: Int32, _ key: String) {
        if withBytes(key, { rally_p_rawsetfield(raw, table, $0, $1) }) != LUA_OK { recordFailure() }
    }
    /// Pops a value and stores it as `t[i]`, without metamethods.
    public func rawSet(_ table: Int32, index i: Int) {
        if rally_rawseti_fast(raw, table, lua_Integer(i)) != 0 { return } // into a new table's array part: cannot allocate
        if rally_p_rawseti(raw, table, lua_Integer(i)) != LUA_OK { recordFailure() }
    }
    /// Pops a key and a value (the value on top) and stores `t[key] = value`, without metamethods.
    public func rawSet(_ table: Int32) {
        if rally_p_rawset(raw, table) != LUA_OK { recordFailure() }
    }
    /// The raw length (`#` without `__len`) of the value at `index`.
    public func rawLength(_ index: Int32) -> Int { Int(lua_rawlen(raw, index)) }

    /// Calls `body` for each key/value pair of the table at `table`, with the key at -2 and the
    /// value at -1. Keys are never converted in place. The body must leave the stack balanced.
    public func forEach(_ table: Int32, _ body: () throws -> Void) rethrows {
        let t = absolute(table)
        guard type(t) == LUA_TTABLE else { return }
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
    /// Pushes the registry's table under `key`, creating it when missing (a place of the host's
    /// own: help docs, registered models).
    public func pushRegistryTable(_ key: String) {
        pushRegistry()
        if rawGet(-1, key) != LUA_TTABLE {
            pop()
            newTable()
            pushValue(-1)
            rawSet(-3, key)
        }
        remove(-2)
    }

    /// Pops the top value into the registry and returns its reference (`luaL_ref`, protected);
    /// `LUA_NOREF` and a pending error when memory runs out. Release it with `luaL_unref`,
    /// which allocates nothing.
    public func reference() -> Int32 {
        var ref: Int32 = LUA_NOREF
        if rally_p_ref(raw, &ref) != LUA_OK { recordFailure() }
        return ref
    }

    // MARK: protected calls

    /// Calls the function below its `nargs` arguments in protected mode. Throws ``RallyError``
    /// carrying the Lua message, with a traceback appended when `traceback` is true (leave it
    /// out for a message that an outer error will carry, with its own traceback); the stack then
    /// holds neither the function nor its arguments.
    ///
    /// While a pending error is recorded, nothing runs: the function and its arguments are
    /// dropped and the pending error is thrown (and stays pending).
    public func protectedCall(arguments nargs: Int32, results nresults: Int32, traceback: Bool = true) throws {
        if let pending = pendingError {
            setTop(top - nargs - 1)
            throw pending
        }
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

    // MARK: access through metamethods (protected; these throw)

    /// Pushes `t[key]` for the value at `table`, through `__index`; returns its type.
    @discardableResult
    public func getField(_ table: Int32, _ key: String) throws -> Int32 {
        try check(withBytes(key) { rally_p_getfield(raw, table, $0, $1, 0) })
        return type(-1)
    }
    /// Pops a value and does `t[key] = value` for the value at `table`, through `__newindex`.
    public func setField(_ table: Int32, _ key: String) throws {
        try check(withBytes(key) { rally_p_setfield(raw, table, $0, $1) })
    }
    /// Pushes the global `name` (as `lua_getglobal`); returns its type.
    @discardableResult
    public func getGlobal(_ name: String) throws -> Int32 {
        pushGlobals()
        defer { remove(-2) }
        return try getField(-1, name)
    }
    /// Pops a value into the global `name` (as `lua_setglobal`).
    public func setGlobal(_ name: String) throws {
        pushGlobals()
        insert(-2)
        defer { pop() }
        try setField(-2, name)
    }

    // MARK: the pending error

    /// The pending error: what a non-throwing method failed with, until the dispatcher raises it
    /// or ``takePendingError()`` takes it.
    public var pendingError: RallyError? {
        guard hasPendingError else { return nil }
        lua_rawgetp(raw, rally_registryindex(), pendingKey)
        defer { pop() }
        return RallyError(errorText(-1))
    }

    /// Whether an error is pending (the slot holds something other than nil or false).
    public var hasPendingError: Bool {
        let t = lua_rawgetp(raw, rally_registryindex(), pendingKey)
        defer { pop() }
        return t != LUA_TNIL && (t != LUA_TBOOLEAN || lua_toboolean(raw, -1) != 0)
    }

    /// Returns the pending error and clears it.
    public func takePendingError() -> RallyError? {
        guard let error = pendingError else { return nil }
        clearPendingError()
        return error
    }

    /// Pushes the pending error object (nil when none) and clears it.
    func pushTakingPendingError() {
        if lua_rawgetp(raw, rally_registryindex(), pendingKey) != LUA_TNIL { clearPendingError() }
    }

    private func clearPendingError() {
        lua_pushboolean(raw, 0)
        lua_rawsetp(raw, rally_registryindex(), pendingKey) // the key exists: no allocation
    }

    /// Creates the registry slot of the pending error, so that recording one never allocates;
    /// false when there is no memory even for that (nothing could be recorded: callers treat it
    /// as out of memory). ``RallyLua`` does this before anything else in a state.
    @discardableResult
    public func preparePendingSlot() -> Bool {
        guard lua_rawgetp(raw, rally_registryindex(), pendingKey) == LUA_TNIL else { pop(); return true }
        pop()
        lua_pushlightuserdata(raw, pendingKey)
        lua_pushboolean(raw, 0)
        guard rally_p_rawset(raw, rally_registryindex()) == LUA_OK else { pop(); return false }
        return true
    }

    /// Pops the error object a failed protected step left on top and records it as the pending
    /// error (the first one is kept), then pushes `count` nils in place of the step's values.
    public func recordFailure(pushingNils count: Int32 = 0) {
        switch lua_rawgetp(raw, rally_registryindex(), pendingKey) {
        case LUA_TNIL: // no slot: make it now (protected), or give up
            pop()
            preparePendingSlot()
            if lua_rawgetp(raw, rally_registryindex(), pendingKey) == LUA_TNIL { pop(2) } else { pop(); lua_rawsetp(raw, rally_registryindex(), pendingKey) }
        case LUA_TBOOLEAN where lua_toboolean(raw, -1) == 0:
            pop()
            lua_rawsetp(raw, rally_registryindex(), pendingKey) // pops the error object; the key exists
        default:
            pop(2) // one is pending already
        }
        for _ in 0..<count { pushNil() }
    }

    /// Throws the error a throwing protected step left on top (popping it).
    private func check(_ status: Int32) throws {
        guard status != LUA_OK else { return }
        let message = errorText(-1)
        pop()
        throw RallyError(message)
    }

    private func errorText(_ index: Int32) -> String {
        string(index) ?? "(error object is a \(String(cString: lua_typename(raw, type(index)))) value)"
    }
}

/// Calls `body` with the UTF-8 bytes of `s`.
private func withBytes<T>(_ s: String, _ body: (UnsafePointer<CChar>?, Int) -> T) -> T {
    var s = s
    return s.withUTF8 { body(UnsafeRawPointer($0.baseAddress)?.assumingMemoryBound(to: CChar.self), $0.count) }
}

/// Calls `body` with `s` as a C string, or NULL.
private func withOptionalCString<T>(_ s: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
    guard let s else { return body(nil) }
    return s.withCString(body)
}

extension RallyError {
    /// Lua's own out-of-memory message.
    public static let notEnoughMemory = RallyError("not enough memory")
}
