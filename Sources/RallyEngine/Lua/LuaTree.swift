import CLua
import LuaBridge

extension LuaValues {
    /// The value at `index` as an ``OptionTree``, translated as it is (raw gets, no metamethods):
    /// tables become list positions, named fields and descriptions of other keys; userdata and
    /// functions their type name. Deeper than ``OptionTree/maximumDepth`` (a cyclic table is)
    /// or larger than ``OptionTree/maximumEntries`` is an error.
    public static func tree(_ L: LuaState, _ index: Int32) throws -> OptionTree {
        var entries = 0
        return try tree(L, L.absolute(index), depth: 0, entries: &entries)
    }

    /// A rally userdata as the engine value its box holds (``OptionValueBox``); other userdata by type name.
    private static func object(_ L: LuaState, _ t: Int32) throws -> OptionTree {
        guard let cls = L.className(t) else { return .other(L.typeName(t)) }
        guard let box = LuaObjects.peekAny(L, t, cls) else { throw RallyError("attempt to use a closed \(cls)") }
        return .object(OptionObject(className: cls, value: (box as? OptionValueBox)?.optionValue(L) ?? box))
    }

    private static func tree(_ L: LuaState, _ t: Int32, depth: Int, entries: inout Int) throws -> OptionTree {
        switch L.type(t) {
        case LUA_TNUMBER: return .number(L.number(t)!, integer: L.integer(t))
        case LUA_TSTRING: return .string(L.string(t)!)
        case LUA_TBOOLEAN: return .bool(L.boolean(t)!)
        case LUA_TTABLE: break
        case LUA_TUSERDATA: return try object(L, t)
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

/// The Swift box behind a rally userdata that hands the engine its value when a script passes
/// the object as an option (`data = ds` gives the ``Dataset``, `models = {m}` a model factory).
protocol OptionValueBox: AnyObject {
    /// The engine value, made to call Lua (if it does) in `L`, the state of the current call.
    func optionValue(_ L: LuaState) -> Any
}

extension LuaArgs {
    /// Argument `n` as a whole number checked by the declaration's rule (an engine declaration
    /// such as ``EntryPointOptions/horizon``): out of range is `bad argument #n (an integer in
    /// [a, b] expected, got x (doc))`.
    /// An absent argument takes the declaration's default (when it has one).
    public func integer(_ n: Int32, _ declaration: OptionDeclaration) throws -> Int {
        guard case .scalar(let rule) = declaration.kind else { preconditionFailure("\(declaration.name) is not a scalar") }
        if isNil(n), let x = declaration.defaultValue?.number { return Int(x) }
        guard let x = L.number(slot(n)) else { throw typeError(n, expected: "number") }
        if let problem = rule.problem(.number(x), shown: L.integer(slot(n)).map(String.init)) { throw error(n, "\(problem) (\(declaration.doc))") }
        return Int(x)
    }

    /// Argument `n` as a list of numbers: a rally Vector, or a Lua list (with a field `n`, a nil
    /// at a position up to `n` is a missing value, NaN); keys that are not list positions are errors.
    public func numbers(_ n: Int32) throws -> [Double] {
        if let v = LuaObjects.peek(L, slot(n), LuaVector.className, as: VectorObject.self) { return v.values }
        guard L.type(slot(n)) == LUA_TTABLE else { throw typeError(n, expected: "table of numbers") }
        return try LuaValues.numbers(L, slot(n), notList: { error(n, "a list of numbers expected, \($0)") }) { i, got in
            error(n, "number expected at index \(i), got \(got)\(got == "nil" ? LuaValues.missingHint : "")")
        }
    }

    /// Argument `n` (an options table, or nil for none) decoded against `schema`, the one
    /// declaration of these options: `bad argument #n to 'f' (field 'x': message)` for an
    /// error about one option, `bad argument #n to 'f' (message)` for others.
    public func decode(_ n: Int32, _ schema: OptionSchema) throws -> OptionValues {
        if isNil(n) { return try options(n) { try schema.decode(nil) } }
        guard L.type(slot(n)) == LUA_TTABLE else { throw typeError(n, expected: "table") }
        return try decoding(n) { try schema.decode($0) }
    }

    /// Runs the engine's `body` on argument `n`'s options: an error about one option becomes
    /// `bad argument #n to 'f' (field 'path': message)`, any other engine error
    /// `bad argument #n to 'f' (message)` (``attributing(options:_:)`` passes those unchanged).
    public func options<T>(_ n: Int32, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as RallyError where e != .interrupted {
            throw error(e.argument.map { Int32(clamping: $0) } ?? n, e.option.map { "field '\($0)': \(e.message)" } ?? e.message)
        }
    }

    /// Argument `n` as an ``OptionTree``, or nil when absent.
    public func tree(_ n: Int32) throws -> OptionTree? {
        isNil(n) ? nil : try LuaValues.tree(L, slot(n))
    }

    /// Argument `n` as an ``OptionTree`` read by the engine's `body`: an error about one option
    /// becomes `bad argument #n to 'f' (field 'path': message)`, any other engine error
    /// `bad argument #n to 'f' (message)`.
    public func decoding<T>(_ n: Int32, _ body: (OptionTree) throws -> T) throws -> T {
        try options(n) { try body(try LuaValues.tree(L, slot(n))) }
    }
}

extension LuaState {
    /// Pushes an engine JSON value as Lua values: objects as tables, arrays as sequences, null
    /// and non-finite numbers as nil.
    public func push(_ value: JSONValue) {
        switch value {
        case .null: pushNil()
        case .bool(let b): push(b)
        case .integer(let i): push(i)
        case .number(let x): push(x, nanAsNil: true)
        case .string(let s): push(s)
        case .array(let items):
            newTable(array: items.count)
            for (i, item) in items.enumerated() {
                push(item)
                rawSet(-2, index: i + 1)
            }
        case .object(let fields):
            newTable(record: fields.count)
            for (key, item) in fields {
                push(item)
                rawSet(-2, key)
            }
        }
    }
}

extension ModelObject: OptionValueBox { func optionValue(_ L: LuaState) -> Any { factory(L) } }

/// The Swift object behind a rally userdata that holds one engine value and nothing else (a
/// Dataset, a Split, a FeatureSpec, ...): a box for Lua, not the value's owner or a copy.
public final class LuaBox<Value>: OptionValueBox {
    /// The engine value.
    public let value: Value
    /// Wraps `value`.
    public init(_ value: Value) { self.value = value }
    func optionValue(_ L: LuaState) -> Any { value }
}

/// A Lua `Dataset`.
public typealias DatasetObject = LuaBox<Dataset>
/// A Lua `Split` (one train/test split; walk-forward gives a list of them).
public typealias SplitObject = LuaBox<TimeSplit>
/// A Lua `FeatureSpec`.
public typealias FeatureSpecObject = LuaBox<FeatureSpec>
/// A Lua `FeatureMatrix`.
public typealias FeatureMatrixObject = LuaBox<FeatureMatrix>
/// A Lua `Labeler`.
public typealias LabelerObject = LuaBox<Labeler>
/// A Lua `Vintages`.
public typealias VintagesObject = LuaBox<Vintages>
/// A Lua `Bundle`.
public typealias BundleObject = LuaBox<ModelBundle>

extension LuaModule {
    /// Adds `path.name`, documented by the engine's `schema` (its summary and options), the
    /// declaration its option table is decoded from.
    public func function(_ name: String, schema: OptionSchema, _ body: @escaping LuaFunction) {
        function(name, doc: schema.help, body)
    }
}
