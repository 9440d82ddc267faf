import CLua

extension LuaValues {
    /// The value at `index` as an ``OptionTree``, translated as it is (raw gets, no metamethods):
    /// tables become list positions, named fields and descriptions of other keys; userdata and
    /// functions their type name. Deeper than ``OptionTree/maximumDepth`` (a cyclic table is)
    /// or larger than ``OptionTree/maximumEntries`` is an error.
    public static func tree(_ L: LuaState, _ index: Int32) throws -> OptionTree {
        var entries = 0
        return try tree(L, L.absolute(index), depth: 0, entries: &entries)
    }

    private static func tree(_ L: LuaState, _ t: Int32, depth: Int, entries: inout Int) throws -> OptionTree {
        switch L.type(t) {
        case LUA_TNUMBER: return .number(L.number(t)!, integer: L.integer(t))
        case LUA_TSTRING: return .string(L.string(t)!)
        case LUA_TBOOLEAN: return .bool(L.boolean(t)!)
        case LUA_TTABLE: break
        default: return .other(L.typeName(t))
        }
        guard depth < OptionTree.maximumDepth else {
            throw RallyError("tables nested deeper than \(OptionTree.maximumDepth) levels (a table that contains itself?)")
        }
        // each level keeps a key and a value on the Lua stack while it reads the next one: grow
        // the stack first (a C function is only promised LUA_MINSTACK slots, and a coroutine's
        // stack is small, so 16 levels wrote past its end and corrupted the heap)
        guard lua_checkstack(L.raw, 4) != 0 else {
            throw RallyError("tables nested too deep for the Lua stack")
        }
        let count = L.rawLength(t)
        var list: [OptionTree] = []
        var fields: [(String, OptionTree)] = []
        var other: [String] = []
        var failure: (any Error)?
        L.forEach(t) {
            guard failure == nil else { return }
            entries += 1
            if entries > OptionTree.maximumEntries { failure = RallyError("tables with more than \(OptionTree.maximumEntries) entries in all"); return }
            if let i = L.integer(-2), L.type(-2) == LUA_TNUMBER, i >= 1, i <= count { return }
            if let key = L.string(-2) {
                do { fields.append((key, try tree(L, L.absolute(-1), depth: depth + 1, entries: &entries))) } catch { failure = error }
            } else if L.type(-2) == LUA_TNUMBER {
                other.append("key \(L.integer(-2).map(String.init) ?? Format.number(L.number(-2)!)) (past the list's end, \(count))")
            } else {
                other.append("a \(L.typeName(-2)) key")
            }
        }
        if let failure { throw failure }
        for i in 0..<count {
            L.rawGet(t, index: i + 1)
            defer { L.pop() }
            list.append(try tree(L, L.absolute(-1), depth: depth + 1, entries: &entries))
        }
        fields.sort { $0.0 < $1.0 }
        return .table(list: list, fields: fields, otherKeys: other.sorted())
    }
}

extension LuaArgs {
    /// The value on top of the stack (an option's) as an ``OptionTree`` read by `body`: an
    /// engine error about it becomes `bad argument #1 to 'f' (field 'path': message)`.
    public func decodingOption<T>(_ key: String, argument n: Int32 = 1, _ body: (OptionTree) throws -> T) throws -> T {
        do {
            return try body(try LuaValues.tree(L, -1))
        } catch let e as RallyError where e != .interrupted {
            throw error(n, "field '\(e.option ?? key)': \(e.message)")
        }
    }

    /// Argument `n` as an ``OptionTree`` read by the engine's `body`: an error about one option
    /// becomes `bad argument #n to 'f' (field 'path': message)`, any other engine error
    /// `bad argument #n to 'f' (message)`.
    public func decoding<T>(_ n: Int32, _ body: (OptionTree) throws -> T) throws -> T {
        do {
            return try body(try LuaValues.tree(L, slot(n)))
        } catch let e as RallyError where e != .interrupted {
            throw error(n, e.option.map { "field '\($0)': \(e.message)" } ?? e.message)
        }
    }
}
