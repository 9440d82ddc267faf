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
