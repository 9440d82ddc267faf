import CLua

/// Reads the fields of an options table (`rally.labeler.quantile{col = "price", q = 0.95}`)
/// with raw gets, remembers which keys were read, and rejects unknown keys in ``finish()``
/// with a message that lists the valid ones.
public final class LuaOptions {
    private let L: LuaState
    private let table: Int32?
    /// The function the options belong to, for messages.
    public let function: String
    private let argument: Int32
    private var known: [String] = []
    /// The schema given to ``decode(_:)``: its names are the valid options.
    private var schema: OptionSchema?

    /// Creates a reader for the table at absolute index `table` (nil: no table given).
    public init(_ L: LuaState, table: Int32?, function: String, argument: Int32) {
        self.L = L
        self.table = table
        self.function = function
        self.argument = argument
    }

    /// An error about field `key`: `bad argument #1 to 'quantile' (field 'q': message)`.
    public func error(_ key: String, _ message: String) -> RallyError {
        RallyError("bad argument #\(argument) to '\(function)' (field '\(key)': \(message))")
    }

    /// Pushes field `key` (nil when absent) and calls `body` with it at the top; pops it.
    public func with<T>(_ key: String, _ body: (Bool) throws -> T) throws -> T {
        if !known.contains(key) { known.append(key) }
        guard let table else { L.pushNil(); defer { L.pop() }; return try body(false) }
        L.rawGet(table, key)
        defer { L.pop() }
        return try body(!L.isNoneOrNil(-1))
    }

    /// Field `key` as a number, or nil when absent.
    public func number(_ key: String) throws -> Double? {
        try with(key) { present in
            guard present else { return nil }
            guard let d = L.number(-1) else { throw error(key, "number expected, got \(L.typeName(-1))") }
            return d
        }
    }

    /// Field `key` as an integer, or nil when absent.
    public func integer(_ key: String) throws -> Int? {
        try with(key) { present in
            guard present else { return nil }
            guard L.type(-1) == LUA_TNUMBER else { throw error(key, "integer expected, got \(L.typeName(-1))") }
            guard let i = L.integer(-1) else { throw error(key, "integer expected, got \(L.number(-1)!)") }
            return i
        }
    }

    /// Field `key` as a string, or nil when absent.
    public func string(_ key: String) throws -> String? {
        try with(key) { present in
            guard present else { return nil }
            guard let s = L.string(-1) else { throw error(key, "string expected, got \(L.typeName(-1))") }
            return s
        }
    }

    /// Field `key` as a list of strings, or nil when absent (a single string is a list of one);
    /// keys that are not list positions are errors.
    public func strings(_ key: String) throws -> [String]? {
        try with(key) { present in
            guard present else { return nil }
            if let s = L.string(-1) { return [s] }
            guard L.type(-1) == LUA_TTABLE else { throw error(key, "table of strings expected, got \(L.typeName(-1))") }
            return try LuaValues.strings(L, -1, notList: { self.error(key, "a list of strings expected, \($0)") }) { i, got in
                error(key, "string expected at index \(i), got \(got)")
            }
        }
    }

    /// Field `key` as the Swift object of a rally userdata of class `className`, or nil.
    public func object<Object: AnyObject>(_ key: String, _ className: String, as type: Object.Type) throws -> Object? {
        try with(key) { present in
            guard present else { return nil }
            return try LuaObjects.object(L, -1, className, as: type) {
                error(key, "\(className) expected, got \(L.typeName(-1))")
            }
        }
    }

    /// Field `key` as one rally object of class `className` or a non-empty list of them (the
    /// `.objects` kind: `models`, `walkforward`), or nil when absent; `example` ends the
    /// message of a wrong value (`(rally.walkforward{...})`).
    public func objects<Object: AnyObject>(_ key: String, _ className: String, as type: Object.Type, example: String = "") throws -> [Object]? {
        try with(key) { present in
            guard present else { return nil }
            if let one = LuaObjects.peek(L, -1, className, as: type) { return [one] }
            guard L.type(-1) == LUA_TTABLE else { throw error(key, "list of \(className)s expected\(example), got \(L.typeName(-1))") }
            let table = L.absolute(-1)
            let n = L.rawLength(table)
            guard n > 0 else { throw error(key, "list of \(className)s expected, got an empty table") }
            return try (1...n).map { i in
                L.rawGet(table, index: i)
                defer { L.pop() }
                return try LuaObjects.object(L, -1, className, as: type) {
                    error(key, "\(className) expected at index \(i), got \(L.typeName(-1))")
                }
            }
        }
    }

    /// Field `key` as a string-keyed table of strings (e.g. `columns = {price = "Zonal COMED price"}`).
    public func stringMap(_ key: String) throws -> [(String, String)]? {
        try with(key) { present in
            guard present else { return nil }
            guard L.type(-1) == LUA_TTABLE else { throw error(key, "table expected, got \(L.typeName(-1))") }
            var out: [(String, String)] = []
            try L.forEach(-1) {
                guard let k = L.string(-2), let v = L.string(-1) else {
                    throw error(key, "string keys and string values expected")
                }
                out.append((k, v))
            }
            return out.sorted { $0.0 < $1.0 }
        }
    }

    /// Every key present in the table, sorted.
    public func presentKeys() -> [String] {
        guard let table else { return [] }
        var keys: [String] = []
        L.forEach(table) {
            if let k = L.string(-2) { keys.append(k) } else { keys.append("<\(L.typeName(-2)) key>") }
        }
        return keys.sorted()
    }

    /// Runs `body`; an engine error about one option (``RallyError/option``) becomes
    /// `bad argument #n to 'f' (field 'key': message)`, other errors pass unchanged.
    public func attributing<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as RallyError where e.option != nil {
            throw error(e.option!, e.message)
        }
    }

    /// Throws when the table has a key that was never read (nor declared by the schema given
    /// to ``decode(_:)``): a misspelt option is an error.
    public func finish() throws {
        let valid = Set(known + (schema?.names ?? []))
        let unknown = presentKeys().filter { !valid.contains($0) }
        guard let first = unknown.first else { return }
        throw RallyError("bad argument #\(argument) to '\(function)' (unknown option '\(first)'; valid options: \(valid.sorted().joined(separator: ", ")))")
    }

    /// Decodes the table against `schema`, the one declaration of these options: unknown keys
    /// (listing the valid ones), scalars of the wrong type or outside their rule, missing
    /// required options and objects, lists or tables of the wrong type are errors naming the
    /// field. Returns the scalar values with defaults filled in; objects, lists and tables are
    /// then read with ``object(_:_:as:)``, ``numbers(_:)``, ``with(_:_:)``.
    public func decode(_ schema: OptionSchema) throws -> OptionValues {
        self.schema = schema
        try finish()
        var given: [String: ParameterValue] = [:]
        for option in schema.options {
            let value = try with(option.name) { present -> ParameterValue? in
                guard present else {
                    if option.required { throw error(option.name, "\(option.kind.summary) expected, got nil (\(option.doc))") }
                    return nil
                }
                return try check(option)
            }
            if let value { given[option.name] = value }
        }
        do {
            return try OptionValues(schema, given: given)
        } catch let problem as RallyError {
            throw RallyError("bad argument #\(argument) to '\(function)' (\(problem.message))")
        }
    }

    /// The number, string or boolean on top of the stack.
    private func scalar() -> ParameterValue? {
        if let x = L.number(-1) { return .number(x) }
        if let s = L.string(-1) { return .string(s) }
        if let b = L.boolean(-1) { return .bool(b) }
        return nil
    }

    /// Checks the scalar on top of the stack against `option` and returns it; nil for other kinds.
    private func check(_ option: OptionDeclaration) throws -> ParameterValue? {
        let got = L.typeName(-1)
        switch option.kind {
        case .scalar(let rule):
            guard let value = scalar() else { throw error(option.name, "\(rule.summary) expected, got \(got) (\(option.doc))") }
            if let problem = rule.problem(value, shown: L.integer(-1).map(String.init)) { throw error(option.name, "\(problem) (\(option.doc))") }
            return value
        case .object, .objects, .numbers, .texts, .table, .time:
            // read and type-checked by the binding that takes them, with messages about their shape
            break
        }
        return nil
    }
}
