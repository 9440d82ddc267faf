/// Decoding a script's options table against the one declaration of its options.
///
/// The binding layer translates a Lua table into an ``OptionTree`` as it is (rally objects
/// included) and hands it here; every check, limit and message about an option's kind lives in
/// this file, so an option has the same rules and words wherever a script gives it.

extension OptionSchema {
    /// Decodes `tree` (a script's options table; nil when none was given): unknown keys
    /// (listing the valid ones), missing required options, values of the wrong kind and scalars
    /// outside their rule are errors. Errors about one option carry it as
    /// ``RallyError/option``, so the binding reports `bad argument #1 to 'f' (field 'x': ...)`.
    public func decode(_ tree: OptionTree?) throws -> OptionValues {
        var fields: [(String, OptionTree)] = []
        if let tree {
            guard case .table(let list, let given, let otherKeys) = tree else {
                throw RallyError("table expected, got \(tree.typeName)")
            }
            let unknown = given.map(\.0).filter { declaration($0) == nil } + (list.isEmpty ? [] : ["<number key>"]) + otherKeys
            if let first = unknown.sorted().first {
                throw RallyError("unknown option '\(first)'; valid options: \(names.joined(separator: ", "))")
            }
            fields = given
        }
        var scalars: [String: ParameterValue] = [:]
        var trees: [String: OptionTree] = [:]
        for option in options {
            guard let value = fields.first(where: { $0.0 == option.name })?.1 else {
                if option.required { throw RallyError("\(option.kind.summary) expected, got nil (\(option.doc))", option: option.name) }
                continue
            }
            func fail(_ message: String) -> RallyError { RallyError(message, option: option.name) }
            switch option.kind {
            case .scalar(let rule):
                scalars[option.name] = try Self.scalar(value, rule) { fail("\($0) (\(option.doc))") }
            case .time:
                guard case .string(let text) = value else { throw fail("time string expected (\"YYYY-MM-DD HH:MM\"), got \(value.typeName)") }
                scalars[option.name] = .string(text)
            case .object(let cls):
                guard case .object(let o) = value, o.className == cls else {
                    // a table where an object belongs is the usual slip: the doc says what to give
                    if case .table = value { throw fail("\(cls) expected, got a table (\(option.doc))") }
                    throw fail("\(cls) expected, got \(value.typeName)")
                }
                trees[option.name] = value
            case .objects(let cls):
                trees[option.name] = .table(list: try Self.list(value, of: "\(cls)s", empty: false, fail) { item, i in
                    guard case .object(let o) = item, o.className == cls else { throw fail("\(cls) expected at index \(i), got \(item.typeName)") }
                    return item
                }, fields: [], otherKeys: [])
            case .numbers(let rule):
                trees[option.name] = .table(list: try Self.list(value, of: "numbers", empty: true, fail) { item, i in
                    guard case .number = item else { throw fail("number expected at index \(i), got \(item.typeName)") }
                    _ = try Self.scalar(item, rule) { fail("at index \(i): \($0)") }
                    return item
                }, fields: [], otherKeys: [])
            case .texts:
                trees[option.name] = .table(list: try Self.list(value, of: "strings", empty: true, fail) { item, i in
                    guard case .string = item else { throw fail("string expected at index \(i), got \(item.typeName)") }
                    return item
                }, fields: [], otherKeys: [])
            case .table:
                trees[option.name] = value
            }
        }
        var values = try OptionValues(self, given: scalars)
        values.trees = trees
        return values
    }

    /// `value` as a scalar checked by `rule`.
    private static func scalar(_ value: OptionTree, _ rule: ParameterRule, _ fail: (String) -> RallyError) throws -> ParameterValue {
        let given: ParameterValue
        var shown: String?
        switch value {
        case .number(let x, let integer): given = .number(x); shown = integer.map(String.init)
        case .string(let s): given = .string(s)
        case .bool(let b): given = .bool(b)
        default: throw fail("\(rule.summary) expected, got \(value.typeName)")
        }
        if let problem = rule.problem(given, shown: shown) { throw fail(problem) }
        return given
    }

    /// `value` as a list (one value stands for a list of one; `empty`: whether `{}` is
    /// accepted), each entry checked by `entry`.
    private static func list(_ value: OptionTree, of what: String, empty: Bool, _ fail: (String) -> RallyError,
                             _ entry: (OptionTree, Int) throws -> OptionTree) throws -> [OptionTree] {
        guard case .table(let list, let fields, let other) = value else { return [try entry(value, 1)] }
        if let extra = (fields.map { "key '\($0.0)'" } + other).min() { throw fail("a list of \(what) expected, found \(extra)") }
        guard empty || !list.isEmpty else { throw fail("list of \(what) expected, got an empty table") }
        return try list.enumerated().map { try entry($1, $0 + 1) }
    }
}

extension OptionValues {
    /// The engine value of object option `name` (kind `.object`), or nil when absent.
    public func object<T>(_ name: String, as type: T.Type) -> T? {
        guard case .object(let o)? = trees[name] else { return nil }
        return o.value as? T
    }

    /// The engine values of option `name` (kind `.objects`: one object or a list), or nil when absent.
    public func objects<T>(_ name: String, as type: T.Type) -> [T]? {
        guard case .table(let list, _, _)? = trees[name] else { return nil }
        return list.compactMap { if case .object(let o) = $0 { o.value as? T } else { nil } }
    }

    /// The strings of option `name` (kind `.texts`: one string or a list), or nil when absent.
    public func strings(_ name: String) -> [String]? {
        guard case .table(let list, _, _)? = trees[name] else { return nil }
        return list.compactMap { if case .string(let s) = $0 { s } else { nil } }
    }

    /// The numbers of option `name` (kind `.numbers`: one number or a list), or nil when absent.
    public func numbers(_ name: String) -> [Double]? {
        guard case .table(let list, _, _)? = trees[name] else { return nil }
        return list.compactMap { if case .number(let x, _) = $0 { x } else { nil } }
    }

    /// Option `name` as given (kind `.table`), or nil when absent.
    public func tree(_ name: String) -> OptionTree? { trees[name] }
}

extension OptionValues {
    /// Option `name` (kind `.table`) read by the engine's `body`, or nil when absent; an error
    /// that names no option of its own is about `name`.
    public func decoded<T>(_ name: String, _ body: (OptionTree) throws -> T) throws -> T? {
        guard let tree = trees[name] else { return nil }
        do {
            return try body(tree)
        } catch let e as RallyError where e != .interrupted && e.option == nil {
            throw RallyError(e.message, option: name)
        }
    }
}

extension OptionTree {
    /// A table of string keys and string values (`columns = {price = "Zonal COMED price"}`),
    /// sorted by key.
    public func stringMap() throws -> [(String, String)] {
        guard case .table(let list, let fields, let other) = self, list.isEmpty, other.isEmpty else {
            throw RallyError("a table of string keys and string values expected, got \(typeName)")
        }
        return try fields.map { key, value in
            guard case .string(let s) = value else { throw RallyError("string keys and string values expected ('\(key)' is a \(value.typeName))") }
            return (key, s)
        }
    }

    /// A name or an id (a string, or a whole number), or a list of them (`locations = {"WESTERN HUB", 51288}`).
    public func namesOrIds() throws -> [String] {
        func one(_ tree: OptionTree, _ place: String) throws -> String {
            switch tree {
            case .string(let s): return s
            case .number(_, let i?): return String(i)
            default: throw RallyError("name or id expected\(place), got \(tree.typeName)")
            }
        }
        guard case .table(let list, let fields, let other) = self else { return [try one(self, "")] }
        if let extra = (fields.map { "key '\($0.0)'" } + other).min() { throw RallyError("a list of names or ids expected, found \(extra)") }
        return try list.enumerated().map { try one($1, " at index \($0 + 1)") }
    }
}
