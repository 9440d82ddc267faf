/// A kind of model: its name, its declared parameters and, for a built-in kind, how to build one.
///
/// A kind is a declaration, not a model: ``ModelSpec`` pairs it with parameter values and
/// ``RallyModel`` is what gets fitted. The built-in kinds are listed in ``builtIns``; a model
/// registered from Lua also declares a kind (``init(scripted:doc:parameters:)``) so its parameters
/// go through the same rules and messages, but its models are made by the Lua runtime, not here.
public struct ModelKind: Sendable {
    /// The kind name (`logreg`).
    public let name: String
    /// One line on what the model is.
    public let summary: String
    /// Its parameters, in the order they are shown and recorded.
    public let parameters: [ParameterDefinition]
    /// The parameters shown in one-line summaries (`tostring`), besides any set off their default.
    public let headline: [String]
    /// Builds a model from resolved parameters; nil for a kind registered from a script.
    private let build: (@Sendable (ModelParameters) throws -> any RallyModel)?
    /// A fit's cost relative to other kinds' (0 for a table lookup, 1 for a logistic fit), from
    /// resolved parameters: the order of an evaluation's first fits, slowest first, before any
    /// has been timed. Not a time: a ranking.
    private let cost: @Sendable (ModelParameters) -> Double

    /// Declares a built-in kind; `build` receives parameters already resolved by ``resolve(_:)``,
    /// `cost` ranks its fits among other kinds' (default 1, a logistic fit's).
    public init(name: String, summary: String, parameters: [ParameterDefinition], headline: [String],
                cost: @escaping @Sendable (ModelParameters) -> Double = { _ in 1 },
                build: @escaping @Sendable (ModelParameters) throws -> any RallyModel) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.headline = headline
        self.cost = cost
        self.build = build
    }

    /// The relative cost of fitting a model of this kind with resolved `parameters` (see `cost`).
    public func fitCost(_ parameters: ModelParameters) -> Double { cost(parameters) }

    /// The complete parameters for `given`: every declared parameter in order, given values
    /// (under their name or an alias) replacing defaults. Throws on an unknown name (listing the
    /// valid ones), a value the rule refuses, or a parameter given twice under two names.
    public func resolve(_ given: ModelParameters) throws -> ModelParameters {
        var resolved = ModelParameters()
        var used: Set<String> = []
        for p in parameters {
            var value = p.defaultValue
            var source: String?
            for key in [p.name] + p.aliases {
                guard let v = given[key] else { continue }
                if let source {
                    throw RallyError("model '\(name)': parameter '\(p.name)' given twice (as '\(source)' and '\(key)')")
                }
                if let problem = p.rule.problem(v) {
                    throw RallyError("model '\(name)': parameter '\(key)': \(problem)")
                }
                source = key
                value = v
                used.insert(key)
            }
            resolved[p.name] = value
        }
        if let unknown = given.names.first(where: { !used.contains($0) }) {
            throw RallyError("model '\(name)': unknown parameter '\(unknown)'; valid parameters: \(validNames)")
        }
        return resolved
    }

    /// Throws when `given` (what the user wrote, before defaults) sets a parameter whose
    /// ``ParameterDefinition/needs`` is 0 in `resolved`: the value would be silently unused.
    /// Saved models are not checked (their files hold every parameter).
    public func checkNeeds(given: ModelParameters, resolved: ModelParameters) throws {
        for p in parameters {
            guard let needed = p.needs, let key = ([p.name] + p.aliases).first(where: { given[$0] != nil }) else { continue }
            if resolved[needed] == .number(0) {
                throw RallyError("model '\(name)': parameter '\(key)' needs \(needed) > 0 (it has no effect otherwise)")
            }
        }
    }

    /// The valid parameter names (aliases in parentheses), for messages: `C, class_weight, ...`.
    public var validNames: String {
        if parameters.isEmpty { return build == nil ? "(none; declare them in params = {...} when registering)" : "(none)" }
        return parameters.map { p in
            p.aliases.isEmpty ? p.name : "\(p.name) (or \(p.aliases.joined(separator: ", ")))"
        }.joined(separator: ", ")
    }

    /// A new, unfitted model with `parameters` resolved first. Throws for a kind registered
    /// from a script (the Lua runtime makes those).
    public func make(_ parameters: ModelParameters) throws -> any RallyModel {
        guard let build else { throw RallyError("model '\(name)' is written in Lua; make it with rally.model.new") }
        return try build(try resolve(parameters))
    }

    /// The headline parameters plus every parameter off its default, in declaration order:
    /// `rounds=300 max_depth=6 eta=0.05`.
    public func summary(of resolved: ModelParameters) -> String {
        var shown = ModelParameters()
        for p in parameters {
            guard let v = resolved[p.name] else { continue }
            if headline.contains(p.name) || v != p.defaultValue { shown[p.name] = v }
        }
        return shown.summary
    }

    /// The kind and its summary parameters, one line: `gbdt rounds=300 eta=0.05 max_depth=6`,
    /// `mean_rate (Lua) prior=0.5` for a kind registered from a script.
    public func line(of resolved: ModelParameters) -> String {
        let details = summary(of: resolved)
        let title = build == nil ? "\(name) (Lua)" : name
        return details.isEmpty ? title : "\(title) \(details)"
    }

    /// A multi-line help text: the summary and one line per parameter with its default.
    public var help: String {
        var lines = ["\(name) -- \(summary)"]
        for p in parameters {
            let alias = p.aliases.isEmpty ? "" : " (alias \(p.aliases.joined(separator: ", ")))"
            lines.append("  \(p.name)\(alias) = \(p.defaultValue.json): \(p.doc)")
        }
        return lines.joined(separator: "\n")
    }
}

// MARK: the built-in kinds

extension ModelKind {
    /// Every built-in kind, in the order `rally.model.list()` shows them.
    public static let builtIns: [ModelKind] = [NaiveModel.kind, ClimatologyModel.kind, LogisticModel.kind, GradientBoostedModel.kind]

    /// The names of the built-in kinds.
    public static var builtInNames: [String] { builtIns.map(\.name) }

    /// The built-in kind called `name`; throws listing the valid names otherwise.
    public static func builtIn(named name: String) throws -> ModelKind {
        guard let k = builtIns.first(where: { $0.name == name }) else {
            throw RallyError("unknown model '\(name)'; built-in models: \(builtInNames.joined(separator: ", "))")
        }
        return k
    }

    /// The error for `name` when it is neither a built-in kind nor one of `registered` (the
    /// kinds registered from a script): it lists every model.
    public static func unknownModel(_ name: String, registered: [String]) -> RallyError {
        RallyError("unknown model '\(name)'; models: \((builtInNames + registered).joined(separator: ", "))")
    }
}

// MARK: kinds registered from a script

extension ModelKind {
    /// Throws unless `name` can name a model registered from a script: letters, digits and
    /// `_`, and not a built-in kind.
    public static func checkScriptedName(_ name: String) throws {
        guard !builtInNames.contains(name) else { throw RallyError("'\(name)' is a built-in model; choose another name") }
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            throw RallyError("model names are letters, digits and '_', got '\(name)'")
        }
    }

    /// The kind of a model registered from a script, with `parameters` declared by
    /// ``scriptedParameter(_:default:min:max:integer:choices:doc:)``. Every parameter shows in
    /// summaries; `doc` is the kind's summary.
    public init(scripted name: String, doc: String, parameters: [ParameterDefinition]) {
        self.name = name
        self.summary = doc
        self.parameters = parameters
        self.headline = parameters.map(\.name)
        self.cost = { _ in 1 }
        self.build = nil
    }

    /// The declaration of a parameter of a model registered from a script. Without limits, a
    /// number default accepts any finite number, a string default any string, a boolean a
    /// boolean. `min`/`max` (inclusive) and `integer` apply to a number default, `choices` to a
    /// string default. Throws when the limits do not fit the default's type, `min > max`, or the
    /// default breaks its own rule.
    public static func scriptedParameter(_ name: String, default value: ParameterValue, min: Double? = nil, max: Double? = nil,
                                         integer: Bool = false, choices: [String]? = nil, doc: String? = nil) throws -> ParameterDefinition {
        func problem(_ message: String) -> RallyError { RallyError("parameter '\(name)': \(message)") }
        let numeric = min != nil || max != nil || integer
        if numeric && value.number == nil { throw problem("min, max and integer need a number default, got a \(value.typeName)") }
        if choices != nil && value.string == nil { throw problem("choices need a string default, got a \(value.typeName)") }
        for bound in [min, max].compactMap({ $0 }) where !bound.isFinite { throw problem("min and max must be finite numbers") }
        if let min, let max, min > max { throw problem("min \(Format.number(min)) is above max \(Format.number(max))") }
        let rule: ParameterRule
        switch value {
        case .number where integer:
            let limit = Double(1 << 53)
            guard (min ?? 0) == (min ?? 0).rounded(), (max ?? 0) == (max ?? 0).rounded() else {
                throw problem("the limits of an integer must be whole numbers")
            }
            rule = .integer(Int(Swift.max(min ?? -limit, -limit))...Int(Swift.min(max ?? limit, limit)))
        case .number:
            rule = .number(NumberInterval(lower: min ?? -.infinity, lowerOpen: min == nil, upper: max ?? .infinity, upperOpen: max == nil))
        case .string: rule = choices.map { .choice($0) } ?? .text
        case .bool: rule = .flag
        }
        if let broken = rule.problem(value) { throw problem("default: \(broken)") }
        return ParameterDefinition(name, value, rule, doc: doc ?? "")
    }
}
