import CLua
import RallyCore

/// One method of a userdata class: its Lua name, its doc string and its body, which receives
/// the Swift object behind `self` and the state (arguments from slot 2 on; use
/// `LuaArgs(L, name, method: true)`).
public struct LuaMethod<Object: AnyObject> {
    /// The method name, as called from Lua (`ds:slice`).
    public let name: String
    /// The doc string shown by `help`.
    public let doc: String
    /// The implementation.
    public let body: (Object, LuaState) throws -> Int32

    /// Creates a method.
    public init(_ name: String, doc: String, _ body: @escaping (Object, LuaState) throws -> Int32) {
        self.name = name
        self.doc = doc
        self.body = body
    }
}

/// A declarative description of a Swift type exposed to Lua as a userdata class.
///
/// Register it once per state with ``register(_:)``, then push objects with
/// ``LuaObjects/push(_:_:_:)``. Every class gets `__index` (methods, then ``index`` for other
/// keys), `__tostring`, `__len` (when ``length`` is set), `__gc` (releases the Swift object),
/// `__close` and a `close()` method; a closed object answers every later call with
/// `attempt to use a closed <Class>`.
public struct LuaClass<Object: AnyObject> {
    /// The class name shown to users (`Dataset`); the metatable is `rally.<name>`.
    public let name: String
    /// The doc string shown by `help`.
    public var doc: String
    /// The methods.
    public var methods: [LuaMethod<Object>] = []
    /// The `__tostring` text.
    public var tostring: ((Object) -> String)?
    /// The `#obj` value.
    public var length: ((Object) -> Int)?
    /// Lookup of keys that are not methods (`vec[3]`, `res.models`): the key is at stack slot 2;
    /// push one value and return 1, or return 0 for nil.
    public var index: ((Object, LuaState) throws -> Int32)?

    /// Creates a class description.
    public init(_ name: String, doc: String) {
        self.name = name
        self.doc = doc
    }

    /// Adds a method.
    public mutating func method(_ name: String, doc: String, _ body: @escaping (Object, LuaState) throws -> Int32) {
        methods.append(LuaMethod(name, doc: doc, body))
    }

    /// Creates the metatable in `L` (idempotent) and records the docs with ``LuaHelp``.
    public func register(_ L: LuaState) {
        let metaName = "rally.\(name)"
        let created = metaName.withCString { cName -> Bool in
            var spec = rally_p_named(name: cName, size: 0, block: nil, created: 0)
            guard rally_p_newmetatable(L.raw, &spec) == LUA_OK else { L.recordFailure(); return false }
            if spec.created == 0 { L.pop() }
            return spec.created != 0
        }
        guard created else { return }
        let meta = L.top
        let className = name

        // methods table
        L.newTable(record: methods.count + 1)
        let methodTable = L.top
        let metaIdentity = lua_topointer(L.raw, meta)
        for m in methods {
            let body = m.body
            let qualified = "\(className):\(m.name)"
            let name = m.name
            L.push(function: m.name) { L in
                // fast path: self's metatable is this class's (the object type is then known)
                if lua_getmetatable(L.raw, 1) != 0 {
                    let same = lua_topointer(L.raw, -1) == metaIdentity
                    L.pop()
                    if same, let p = lua_touserdata(L.raw, 1)?.assumingMemoryBound(to: UnsafeMutableRawPointer?.self).pointee {
                        return try body(Unmanaged<Object>.fromOpaque(p).takeUnretainedValue(), L)
                    }
                }
                return try body(LuaObjects.selfObject(L, className, as: Object.self, method: name), L)
            }
            LuaHelp.record(L, function: -1, name: qualified, doc: m.doc)
            L.rawSet(methodTable, m.name)
        }
        L.push(function: "close") { L in
            guard LuaObjects.isInstance(L, 1, className) else {
                throw RallyError("calling 'close' on bad self (\(className) expected, got \(L.typeName(1)))")
            }
            LuaObjects.close(L, 1, className)
            return 0
        }
        LuaHelp.record(L, function: -1, name: "\(className):close",
                       doc: "\(className):close() -- releases the object now; later calls fail with 'attempt to use a closed \(className)'.")
        L.rawSet(methodTable, "close")

        if let index {
            L.pushValue(methodTable)
            L.push(function: "__index") { L in
                try index(LuaObjects.selfObject(L, className, as: Object.self, method: "__index"), L)
            }
            L.pushIndex()
        } else {
            L.pushValue(methodTable)
        }
        L.rawSet(meta, "__index")

        let tostring = self.tostring
        L.push(function: "__tostring") { L in
            guard let object = LuaObjects.peek(L, 1, className, as: Object.self) else {
                guard LuaObjects.isInstance(L, 1, className) else {
                    throw RallyError("calling '__tostring' on bad self (\(className) expected, got \(L.typeName(1)))")
                }
                L.push("<\(className) (closed)>")
                return 1
            }
            L.push(tostring?(object) ?? "<\(className)>")
            return 1
        }
        L.rawSet(meta, "__tostring")

        if let length {
            L.push(function: "__len") { L in
                let object = try LuaObjects.selfObject(L, className, as: Object.self, method: "__len")
                L.push(length(object))
                return 1
            }
            L.rawSet(meta, "__len")
        }

        L.push(function: "__gc") { L in
            LuaObjects.close(L, 1, className)
            return 0
        }
        L.pushValue(-1)
        L.rawSet(meta, "__gc")
        L.rawSet(meta, "__close")

        L.pushValue(methodTable)
        L.rawSet(meta, "methods")
        L.remove(methodTable)
        L.pop() // metatable
        LuaHelp.record(L, name: className, doc: doc)
        if L.hasPendingError {
            // out of memory on the way: drop the half-made metatable, so a later attempt
            // (require "rally" again) builds it whole instead of finding it "registered"
            L.pushRegistry()
            L.pushNil()
            L.rawSet(-2, metaName)
            L.pop()
        }
    }
}

/// Pushing, checking and closing rally userdata. A userdata holds one retained pointer to its
/// Swift object; `__gc` and `close()` release it and set it to nil.
public enum LuaObjects {
    /// Pushes `object` as a userdata of class `className` (registered beforehand).
    /// When memory runs out, pushes nil and records the pending error (see ``LuaState``); the
    /// object is then not retained.
    public static func push(_ L: LuaState, _ object: AnyObject, _ className: String) {
        let block: UnsafeMutableRawPointer? = "rally.\(className)".withCString { cName in
            var spec = rally_p_named(name: cName, size: MemoryLayout<UnsafeMutableRawPointer?>.size, block: nil, created: 0)
            guard rally_p_newobject(L.raw, &spec) == LUA_OK else { L.recordFailure(pushingNils: 1); return nil }
            return spec.block
        }
        // the block is zeroed (a closed object) until it holds the retained pointer
        block?.assumingMemoryBound(to: UnsafeMutableRawPointer?.self).pointee = Unmanaged.passRetained(object).toOpaque()
    }

    /// The userdata's slot when the value at `index` is of class `className` (a failed check
    /// for lack of memory answers nil and records the pending error).
    private static func slot(_ L: LuaState, _ index: Int32, _ className: String) -> UnsafeMutablePointer<UnsafeMutableRawPointer?>? {
        "rally.\(className)".withCString { cName in
            var spec = rally_p_named(name: cName, size: 0, block: nil, created: 0)
            guard rally_p_testudata(L.raw, index, &spec) == LUA_OK else { L.recordFailure(); return nil }
            return spec.block?.assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        }
    }

    /// Whether the value at `index` is a userdata of class `className`, open or closed.
    public static func isInstance(_ L: LuaState, _ index: Int32, _ className: String) -> Bool {
        slot(L, index, className) != nil
    }

    /// The Swift object at `index` if it is an open userdata of class `className`, whatever its type.
    public static func peekAny(_ L: LuaState, _ index: Int32, _ className: String) -> AnyObject? {
        guard let s = slot(L, index, className), let p = s.pointee else { return nil }
        return Unmanaged<AnyObject>.fromOpaque(p).takeUnretainedValue()
    }

    /// The object at `index` if it is an open userdata of class `className`.
    public static func peek<Object: AnyObject>(_ L: LuaState, _ index: Int32, _ className: String, as type: Object.Type) -> Object? {
        guard let s = slot(L, index, className), let p = s.pointee else { return nil }
        return Unmanaged<AnyObject>.fromOpaque(p).takeUnretainedValue() as? Object
    }

    /// The object at `index`; throws `wrongType()` when it is not of `className`, and
    /// `attempt to use a closed <Class>` when it was closed.
    public static func object<Object: AnyObject>(_ L: LuaState, _ index: Int32, _ className: String, as type: Object.Type,
                                                 wrongType: () -> RallyError) throws -> Object {
        guard let s = slot(L, index, className) else { throw wrongType() }
        guard let p = s.pointee else { throw RallyError("attempt to use a closed \(className)") }
        guard let object = Unmanaged<AnyObject>.fromOpaque(p).takeUnretainedValue() as? Object else { throw wrongType() }
        return object
    }

    /// The object behind `self` (slot 1) of a method call.
    static func selfObject<Object: AnyObject>(_ L: LuaState, _ className: String, as type: Object.Type, method: String) throws -> Object {
        try object(L, 1, className, as: type) {
            RallyError("calling '\(method)' on bad self (\(className) expected, got \(L.typeName(1)))")
        }
    }

    /// Releases the object at `index` (no-op when already closed or not of `className`).
    public static func close(_ L: LuaState, _ index: Int32, _ className: String) {
        guard let s = slot(L, index, className), let p = s.pointee else { return }
        s.pointee = nil
        Unmanaged<AnyObject>.fromOpaque(p).release()
    }
}
