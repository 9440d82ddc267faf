/// A built-in kind of model: its name, its parameters, and how to build one.
public struct ModelKind: Sendable {
    /// The kind name (`logreg`).
    public let name: String
    /// One line on what the model is.
    public let summary: String
    /// Its parameters, in the order they are shown and recorded.
    public let parameters: [ParameterDefinition]
    /// The parameters shown in one-line summaries (`tostring`), besides any set off their default.
    public let headline: [String]
    private let build: @Sendable (ModelParameters) throws -> any RallyModel

    /// Declares a kind; `build` receives parameters already resolved by ``resolve(_:)``.
    public init(name: String, summary: String, parameters: [ParameterDefinition], headline: [String],
                build: @escaping @Sendable (ModelParameters) throws -> any RallyModel) {
        self.name = name
        self.summary = summary
        self.parameters = parameters
        self.headline = headline
        self.build = build
    }

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
        if parameters.isEmpty { return "(none)" }
        return parameters.map { p in
            p.aliases.isEmpty ? p.name : "\(p.name) (or \(p.aliases.joined(separator: ", ")))"
        }.joined(separator: ", ")
    }

    /// A new, unfitted model with `parameters` resolved first.
    public func make(_ parameters: ModelParameters) throws -> any RallyModel {
        try build(try resolve(parameters))
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
