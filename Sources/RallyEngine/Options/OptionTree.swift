/// A nested options value as a script gave it (a Lua table, translated as it is): numbers,
/// strings, booleans, and tables with list positions and named fields. The engine reads nested
/// options (`rally.features{rolling = {{stat = "mean", window = 24}}}`) from it, so their
/// checks live in the engine. It is not checked or interpreted: ``OptionReader`` does that.
public indirect enum OptionTree: Sendable, Equatable {
    /// A number (a Lua integer keeps its exact value in `integer`).
    case number(Double, integer: Int?)
    /// A string.
    case string(String)
    /// A boolean.
    case bool(Bool)
    /// A table: its list positions 1...n in order, then its named fields sorted by name, then
    /// a description of every other key (`key 7 (past the list's end, 3)`, `a boolean key`).
    case table(list: [OptionTree], fields: [(String, OptionTree)], otherKeys: [String])
    /// A rally object (a Dataset, a Model, a Split) with the engine value behind it.
    case object(OptionObject)
    /// Anything else, by its type name (`function`, `nil`).
    case other(String)

    /// The most levels of nesting a tree may have.
    public static let maximumDepth = 16
    /// The most entries (list positions plus fields) of all the tables of one tree.
    public static let maximumEntries = 1_000_000

    /// The type as messages name it: `number`, `string`, `table`, `function`.
    public var typeName: String {
        switch self {
        case .number: "number"
        case .string: "string"
        case .bool: "boolean"
        case .table: "table"
        case .object(let o): o.className
        case .other(let name): name
        }
    }

    public static func == (a: OptionTree, b: OptionTree) -> Bool {
        switch (a, b) {
        case let (.number(x, i), .number(y, j)): return x == y && i == j
        case let (.string(x), .string(y)): return x == y
        case let (.bool(x), .bool(y)): return x == y
        case let (.other(x), .other(y)): return x == y
        case let (.object(x), .object(y)): return x.className == y.className && (x.value as AnyObject) === (y.value as AnyObject)
        case let (.table(l1, f1, o1), .table(l2, f2, o2)):
            return l1 == l2 && o1 == o2 && f1.count == f2.count && zip(f1, f2).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }
}

/// A rally object a script gave as an option value: its class name as users see it (`Dataset`)
/// and the engine value behind it (a ``Dataset``, a model factory, a ``TimeSplit``). It is not a
/// copy and not a Lua value: the binding layer hands over what the userdata holds.
///
/// Unchecked Sendable: an options tree lives for one call, on the thread that made it.
public struct OptionObject: @unchecked Sendable {
    /// The class name (`Dataset`, `Model`, `Split`).
    public let className: String
    /// The engine value.
    public let value: Any

    /// An object of class `className` holding `value`.
    public init(className: String, value: Any) {
        self.className = className
        self.value = value
    }
}

/// Reads one table of an ``OptionTree`` with paths in its errors (`rolling[2].window`):
/// typed fields, list entries, and unknown keys (listing the valid ones) at ``finish()``.
/// Its errors carry ``RallyError/option`` = the path, so the Lua layer reports
/// `bad argument #1 to 'features' (field 'rolling[2].window': ...)`.
public final class OptionReader {
    /// Where this table is (`""` for the top level, `rolling[2]`).
    public let path: String
    private let list: [OptionTree]
    private let fields: [(String, OptionTree)]
    private let otherKeys: [String]
    private var known: Set<String> = []

    /// A reader of `tree` at `path`; throws when it is not a table.
    public init(_ tree: OptionTree, path: String = "", expected: String = "table") throws {
        guard case .table(let list, let fields, let otherKeys) = tree else {
            throw RallyError("\(expected) expected, got \(tree.typeName)", option: path.isEmpty ? nil : path)
        }
        self.path = path
        self.list = list
        self.fields = fields
        self.otherKeys = otherKeys
    }

    /// The path of `key` within this table.
    public func place(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// An error about `key`.
    public func error(_ key: String, _ message: String) -> RallyError { RallyError(message, option: place(key)) }

    /// An error about this table as a whole.
    public func error(_ message: String) -> RallyError { RallyError(message, option: path.isEmpty ? nil : path) }

    /// Field `key` (marked as known), or nil when absent.
    public func field(_ key: String) -> OptionTree? {
        known.insert(key)
        return fields.first { $0.0 == key }?.1
    }

    /// The list positions.
    public var positions: [OptionTree] { list }

    /// Field `key` as a number, or nil.
    public func number(_ key: String) throws -> Double? {
        guard let value = field(key) else { return nil }
        guard case .number(let x, _) = value else { throw error(key, "number expected, got \(value.typeName)") }
        return x
    }

    /// Field `key` as a string, or nil.
    public func string(_ key: String) throws -> String? {
        guard let value = field(key) else { return nil }
        guard case .string(let s) = value else { throw error(key, "string expected, got \(value.typeName)") }
        return s
    }

    /// Field `key` as a boolean, or nil.
    public func bool(_ key: String) throws -> Bool? {
        guard let value = field(key) else { return nil }
        guard case .bool(let b) = value else { throw error(key, "boolean expected, got \(value.typeName)") }
        return b
    }

    /// Field `key` as a count of rows (whole steps, or a duration such as `"24h"`) in
    /// `minimum...EntryPointOptions.maximumSteps`, or nil.
    public func steps(_ key: String, minimum: Int) throws -> StepCount? {
        guard let value = field(key) else { return nil }
        return try Self.steps(value, minimum: minimum) { error(key, $0) }
    }

    /// `value` as a count of rows (whole steps, or a duration such as `"24h"`) in
    /// `minimum...EntryPointOptions.maximumSteps`, checked by the one ``ParameterRule/steps(_:)`` rule.
    public static func steps(_ value: OptionTree, minimum: Int, fail: (String) -> RallyError) throws -> StepCount {
        let rule = ParameterRule.steps(minimum...EntryPointOptions.maximumSteps)
        let given: ParameterValue
        switch value {
        case .number(let x, _): given = .number(x)
        case .string(let s): given = .string(s)
        default: throw fail("\(rule.summary) expected, got \(value.typeName)")
        }
        if let problem = rule.problem(given) { throw fail(problem) }
        return StepCount(given)!
    }

    /// Field `key` as a list (a single value is a list of one), or nil. Keys that are not list
    /// positions are an error naming `entries`, what the list holds.
    /// When the entries may be tables, the error says each needs its own braces.
    public func entries(_ key: String, of entries: String, tables: Bool = true) throws -> [OptionTree]? {
        guard let value = field(key) else { return nil }
        guard case .table(let list, let fields, let other) = value else { return [value] }
        if let extra = (fields.map { "key '\($0.0)'" } + other).min() {
            let hint = tables ? " (each entry needs its own braces: \(key) = {{...}, ...})" : ""
            throw error(key, "a list of \(entries) expected, found \(extra)\(hint)")
        }
        return list
    }

    /// Throws when the table has a key that was never read, or more than `positions` list positions.
    /// `noun` names the keys in the message (`option`, or `field` for a table inside an option).
    public func finish(allowingPositions positions: Int = 0, noun: String = "option") throws {
        var unknown = fields.map(\.0).filter { !known.contains($0) } + otherKeys
        if list.count > positions { unknown.append("<number key>") }
        guard let first = unknown.sorted().first else { return }
        throw error("unknown \(noun) '\(first)'; valid \(noun)s: \(known.sorted().joined(separator: ", "))")
    }
}
