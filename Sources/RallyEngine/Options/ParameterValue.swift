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

