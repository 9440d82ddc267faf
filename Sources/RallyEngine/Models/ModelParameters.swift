/// One parameter value of a model: a number, a string or a boolean.
///
/// Integer-valued parameters (`rounds`, `max_depth`) are numbers with a whole value.
public enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
    /// A number (finite once validated by a ``ModelKind``).
    case number(Double)
    /// A string.
    case string(String)
    /// A boolean.
    case bool(Bool)

    /// The number, when this is one.
    public var number: Double? { if case .number(let x) = self { x } else { nil } }
    /// The string, when this is one.
    public var string: String? { if case .string(let s) = self { s } else { nil } }
    /// The boolean, when this is one.
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }

    /// The kind of value, for messages: "number", "string" or "boolean".
    public var typeName: String {
        switch self {
        case .number: "number"
        case .string: "string"
        case .bool: "boolean"
        }
    }

    /// A stable JSON rendering: whole numbers without a point (`300`), other numbers in their
    /// shortest round-trip form (`0.05`, `1e-08`), strings quoted and escaped, `true`/`false`.
    public var json: String {
        switch self {
        case .number(let x): JSONText.number(x)
        case .string(let s): JSONText.string(s)
        case .bool(let b): b ? "true" : "false"
        }
    }

    /// The value as a person reads it: `300`, `0.05`, `balanced`, `true`.
    public var description: String {
        switch self {
        case .number(let x): JSONText.number(x)
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        }
    }
}

extension ParameterValue: Codable {
    /// Decodes a JSON scalar (number, string or boolean).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let x = try? c.decode(Double.self) { self = .number(x) }
        else { self = .string(try c.decode(String.self)) }
    }

    /// Encodes the value as a JSON scalar.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let x): try c.encode(x)
        case .string(let s): try c.encode(s)
        case .bool(let b): try c.encode(b)
        }
    }
}

/// One named parameter value.
public struct ModelParameter: Sendable, Hashable {
    /// The parameter name (`C`, `rounds`).
    public var name: String
    /// Its value.
    public var value: ParameterValue

    /// Creates a parameter.
    public init(_ name: String, _ value: ParameterValue) {
        self.name = name
        self.value = value
    }
}

/// Ordered model parameters (or fit facts): names keep the order they were declared in, so
/// renderings (`run.json`, `tostring`) are stable from run to run.
public struct ModelParameters: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// The entries, in order; names are unique.
    public private(set) var entries: [ModelParameter] = []

    /// No parameters.
    public init() {}

    /// Parameters from `(name, value)` pairs in order; a repeated name keeps its last value.
    public init(_ pairs: [(String, ParameterValue)]) {
        for (name, value) in pairs { self[name] = value }
    }

    /// Parameters from a literal such as `["C": .number(1)]`, in the order written.
    public init(dictionaryLiteral elements: (String, ParameterValue)...) {
        self.init(elements)
    }

    /// The value of `name`; setting a new name appends it, setting nil removes it.
    public subscript(name: String) -> ParameterValue? {
        get { entries.first { $0.name == name }?.value }
        set {
            if let i = entries.firstIndex(where: { $0.name == name }) {
                if let newValue { entries[i].value = newValue } else { entries.remove(at: i) }
            } else if let newValue {
                entries.append(ModelParameter(name, newValue))
            }
        }
    }

    /// The names, in order.
    public var names: [String] { entries.map(\.name) }
    /// Number of entries.
    public var count: Int { entries.count }
    /// Whether there are none.
    public var isEmpty: Bool { entries.isEmpty }

    /// Iterates the entries in order.
    public func makeIterator() -> IndexingIterator<[ModelParameter]> { entries.makeIterator() }

    /// A JSON object in entry order: `{"C": 1, "class_weight": "balanced"}`.
    public var json: String {
        "{" + entries.map { "\(JSONText.string($0.name)): \($0.value.json)" }.joined(separator: ", ") + "}"
    }

    /// The same entries in name order (fit reports use it, so a saved and reloaded report
    /// compares equal).
    public var sortedByName: ModelParameters {
        ModelParameters(entries.sorted { $0.name < $1.name }.map { ($0.name, $0.value) })
    }

    /// `name=value` pairs separated by spaces, for one-line summaries.
    public var summary: String {
        entries.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
    }

    /// The number `name` (throws when it is absent or not a number).
    public func number(_ name: String) throws -> Double {
        guard let x = self[name]?.number else { throw missing(name, "number") }
        return x
    }

    /// The whole number `name` (throws when it is absent or not a whole number).
    public func integer(_ name: String) throws -> Int {
        let x = try number(name)
        guard x == x.rounded(), abs(x) < 1e15 else { throw missing(name, "integer") }
        return Int(x)
    }

    /// The string `name` (throws when it is absent or not a string).
    public func string(_ name: String) throws -> String {
        guard let s = self[name]?.string else { throw missing(name, "string") }
        return s
    }

    private func missing(_ name: String, _ type: String) -> RallyError {
        RallyError("parameter '\(name)' should be a \(type), got \(self[name].map { $0.typeName } ?? "nothing")")
    }
}
