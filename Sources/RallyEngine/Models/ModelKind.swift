/// An interval of allowed numbers, each end open or closed (an infinite end is always open).
public struct NumberInterval: Sendable, Hashable, CustomStringConvertible {
    /// Lower end.
    public var lower: Double
    /// Whether `lower` itself is excluded.
    public var lowerOpen: Bool
    /// Upper end.
    public var upper: Double
    /// Whether `upper` itself is excluded.
    public var upperOpen: Bool

    /// Creates an interval.
    public init(lower: Double, lowerOpen: Bool, upper: Double, upperOpen: Bool) {
        self.lower = lower
        self.lowerOpen = lowerOpen
        self.upper = upper
        self.upperOpen = upperOpen
    }

    /// (0, ∞)
    public static let positive = NumberInterval(lower: 0, lowerOpen: true, upper: .infinity, upperOpen: true)
    /// [0, ∞)
    public static let nonNegative = NumberInterval(lower: 0, lowerOpen: false, upper: .infinity, upperOpen: true)
    /// (0, 1]
    public static let fraction = NumberInterval(lower: 0, lowerOpen: true, upper: 1, upperOpen: false)
    /// (0, 1)
    public static let openFraction = NumberInterval(lower: 0, lowerOpen: true, upper: 1, upperOpen: true)
    /// Every finite number.
    public static let finite = NumberInterval(lower: -.infinity, lowerOpen: true, upper: .infinity, upperOpen: true)

    /// Whether `x` is finite and inside.
    public func contains(_ x: Double) -> Bool {
        guard x.isFinite else { return false }
        let aboveLower = lowerOpen ? x > lower : x >= lower
        let belowUpper = upperOpen ? x < upper : x <= upper
        return aboveLower && belowUpper
    }

    /// `(0, 1]`, `[0, inf)`.
    public var description: String {
        "\(lowerOpen ? "(" : "[")\(JSONText.number(lower).replacingNull("-inf")), \(JSONText.number(upper).replacingNull("inf"))\(upperOpen ? ")" : "]")"
    }
}

private extension String {
    func replacingNull(_ s: String) -> String { self == "null" ? s : self }
}

/// What values a parameter accepts.
public enum ParameterRule: Sendable, Hashable {
    /// A finite number in the interval.
    case number(NumberInterval)
    /// A whole number in the range.
    case integer(ClosedRange<Int>)
    /// One of the listed strings.
    case choice([String])
    /// Any string.
    case text
    /// A boolean.
    case flag

    /// Why `value` is not accepted, or nil when it is.
    func problem(_ value: ParameterValue) -> String? {
        switch (self, value) {
        case (.number(let range), .number(let x)):
            return range.contains(x) ? nil : "a number in \(range) expected, got \(Self.shown(x))"
        case (.integer(let range), .number(let x)):
            guard x == x.rounded(), x.isFinite, x >= Double(range.lowerBound), x <= Double(range.upperBound) else {
                return "an integer in [\(range.lowerBound), \(range.upperBound)] expected, got \(Self.shown(x))"
            }
            return nil
        case (.choice(let options), .string(let s)):
            return options.contains(s) ? nil : "one of \(options.map { "\"\($0)\"" }.joined(separator: ", ")) expected, got \"\(s)\""
        case (.text, .string), (.flag, .bool):
            return nil
        default:
            return "\(expectedType) expected, got \(value.typeName)"
        }
    }

    /// A given number as messages show it: `nan`, `inf` and `-inf` by name (JSON would say null).
    private static func shown(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return JSONText.number(x)
    }

    private var expectedType: String {
        switch self {
        case .number, .integer: "number"
        case .choice, .text: "string"
        case .flag: "boolean"
        }
    }
}

/// The declaration of one model parameter: name, default, accepted values and meaning.
public struct ParameterDefinition: Sendable, Hashable {
    /// The name used in Lua tables and `run.json`.
    public var name: String
    /// Other names accepted for it on input (`depth` for `max_depth`).
    public var aliases: [String]
    /// The value when none is given.
    public var defaultValue: ParameterValue
    /// The accepted values.
    public var rule: ParameterRule
    /// One line on what it does.
    public var doc: String
    /// The numeric parameter that must be non-zero for this one to have any effect
    /// (`validation_fraction` needs `early_stopping_rounds`); giving this one without it is an error.
    public var needs: String?

    /// Declares a parameter.
    public init(_ name: String, _ defaultValue: ParameterValue, _ rule: ParameterRule, aliases: [String] = [],
                needs: String? = nil, doc: String) {
        self.name = name
        self.aliases = aliases
        self.defaultValue = defaultValue
        self.rule = rule
        self.needs = needs
        self.doc = doc
    }
}

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
