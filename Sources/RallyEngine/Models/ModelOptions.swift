/// Decoding the tables scripts give to make models: the parameters of `rally.model.<kind>{...}`,
/// `rally.model.calibrated{base = m, ...}` and the declaration of `rally.model.register(name, {...})`.
/// The rules and messages live here; the binding layer hands over the table as an
/// ``OptionTree`` and keeps the functions of a registered model.

extension ModelParameters {
    /// A parameter table (`{rounds = 300, name = "gbdt300"}`): string keys with number,
    /// string or boolean values, sorted by name; `name` is taken out as the display name and
    /// `skipped` ignored. Checking them against a kind is ``ModelSpec``'s.
    public static func given(_ tree: OptionTree?, skipping skipped: String? = nil) throws -> (ModelParameters, name: String?) {
        guard let tree else { return ([:], nil) }
        guard case .table(let list, let fields, let other) = tree else { throw RallyError("table expected, got \(tree.typeName)") }
        if !list.isEmpty || !other.isEmpty { throw RallyError("parameter names must be strings, got a number key") }
        var pairs: [(String, ParameterValue)] = []
        var name: String?
        for (key, value) in fields where key != skipped {
            if key == "name" {
                guard case .string(let s) = value else { throw RallyError("string expected, got \(value.typeName)", option: "name") }
                guard !s.isEmpty else { throw RallyError("a non-empty string expected, got \"\"", option: "name") }
                name = s
            } else if let v = ParameterValue(value) {
                pairs.append((key, v))
            } else {
                throw RallyError("number, string or boolean expected, got \(value.typeName)", option: key)
            }
        }
        return (ModelParameters(pairs), name)
    }
}

extension ParameterValue {
    /// A number, string or boolean of an options tree; nil for tables and objects.
    public init?(_ tree: OptionTree) {
        switch tree {
        case .number(let x, _): self = .number(x)
        case .string(let s): self = .string(s)
        case .bool(let b): self = .bool(b)
        default: return nil
        }
    }
}

extension ModelSpec {
    /// The spec of `rally.model.calibrated{base = m, method =, holdout =, embargo =, name =}`.
    public init(calibratedOptions tree: OptionTree) throws {
        let base: any ModelFactory
        switch tree {
        case .table(_, let fields, _):
            guard let given = fields.first(where: { $0.0 == "base" })?.1 else {
                throw RallyError("Model expected, got nil (e.g. rally.model.gbdt{})", option: "base")
            }
            guard case .object(let o) = given, let factory = o.value as? any ModelFactory else {
                throw RallyError("Model expected, got \(given.typeName)", option: "base")
            }
            base = factory
        default: throw RallyError("table expected, got \(tree.typeName)")
        }
        guard let spec = base.sendableSpec else {
            throw RallyError("a model written in Lua cannot be calibrated (built-in models can)", option: "base")
        }
        let (parameters, name) = try ModelParameters.given(tree, skipping: "base")
        try self.init(calibrating: spec, parameters: parameters, name: name)
    }
}

extension ModelKind {
    /// The kind `rally.model.register(name, options)` declares: `options` must hold functions
    /// `fit` and `predict` (and may hold `explain`), a `doc` string and a `params` table whose
    /// entries are defaults or `{default =, min =, max =, integer =, choices =, doc =}`.
    public init(scripted name: String, options tree: OptionTree) throws {
        let o = try OptionReader(tree)
        for key in ["fit", "predict", "explain"] {
            let value = o.field(key)
            if value == nil && key == "explain" { continue }
            guard case .other("function")? = value else { throw o.error(key, "function expected, got \(value?.typeName ?? "nil")") }
        }
        let doc = try o.string("doc") ?? ""
        var declared: [ParameterDefinition] = []
        if let params = o.field("params") {
            guard case .table(let list, let fields, let other) = params else { throw o.error("params", "table expected, got \(params.typeName)") }
            guard list.isEmpty, other.isEmpty else { throw o.error("params", "names must be strings") }
            declared = try fields.map { key, value in
                do { return try Self.scriptedParameter(key, value) } catch let e as RallyError where e != .interrupted {
                    throw o.error("params", e.message)
                }
            }
        }
        try o.finish()
        self.init(scripted: name, doc: doc, parameters: declared)
    }

    /// Parameter `key` of a registered model from its declaration: a default, or
    /// `{default = v, min = a, max = b, integer = true, choices = {...}, doc = "..."}`.
    static func scriptedParameter(_ key: String, _ tree: OptionTree) throws -> ParameterDefinition {
        if let value = ParameterValue(tree) { return try scriptedParameter(key, default: value) }
        func fail(_ message: String) -> RallyError { RallyError("'\(key)': \(message)") }
        guard case .table = tree else {
            throw fail("a default (number, string or boolean) or a table {default = ..., min = ..., ...} expected, got \(tree.typeName)")
        }
        let t = try OptionReader(tree)
        for name in ["choices", "default", "doc", "integer", "max", "min"] { _ = t.field(name) }
        do { try t.finish(noun: "field") } catch let e as RallyError { throw fail(e.message) }
        func field<T>(_ name: String, _ expected: String, _ read: (OptionTree) -> T?) throws -> T? {
            guard let value = t.field(name) else { return nil }
            guard let read = read(value) else { throw fail("field '\(name)': \(expected) expected, got \(value.typeName)") }
            return read
        }
        let what = "number, string or boolean"
        guard let value = try field("default", what, ParameterValue.init) else { throw fail("field 'default': \(what) expected, got nil") }
        func number(_ v: OptionTree) -> Double? { if case .number(let x, _) = v { x } else { nil } }
        let min = try field("min", "number", number), max = try field("max", "number", number)
        let integer = try field("integer", "boolean") { if case .bool(let b) = $0 { b } else { nil } } ?? false
        let choices = try field("choices", "list of strings") { v -> [String]? in
            guard case .table(let list, let fields, let other) = v, fields.isEmpty, other.isEmpty else { return nil }
            let strings = list.compactMap { if case .string(let s) = $0 { s } else { nil } }
            return strings.count == list.count ? strings : nil
        }
        let doc = try field("doc", "string") { if case .string(let s) = $0 { s } else { nil } }
        return try scriptedParameter(key, default: value, min: min, max: max, integer: integer, choices: choices, doc: doc)
    }
}
