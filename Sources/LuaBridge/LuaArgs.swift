import CLua
import RallyCore

/// Reads and checks the arguments of one call, producing lua-style error messages such as
/// `bad argument #1 to 'load' (string expected, got nil)`.
///
/// For a method (`obj:name(...)`) pass `method: true`: `self` is stack slot 1 and argument
/// numbers in messages start after it, as Lua's own libraries count them.
public struct LuaArgs {
    /// The state the call runs in.
    public let L: LuaState
    /// The function name used in messages.
    public let function: String
    private let offset: Int32

    /// Creates a reader for the current call of `function`.
    public init(_ L: LuaState, _ function: String, method: Bool = false) {
        self.L = L
        self.function = function
        self.offset = method ? 1 : 0
    }

    /// Number of arguments passed (not counting `self`).
    public var count: Int32 { L.top - offset }

    /// The stack index of argument `n`.
    public func slot(_ n: Int32) -> Int32 { n + offset }

    /// An error for argument `n`: `bad argument #n to 'f' (message)`.
    public func error(_ n: Int32, _ message: String) -> RallyError {
        RallyError("bad argument #\(n) to '\(function)' (\(message))")
    }

    /// Runs `body`; an engine error about one argument (``RallyError/argument``) becomes
    /// `bad argument #n to 'f' (message)`, other errors pass unchanged.
    /// With `options`, an error about one option (``RallyError/option``) becomes
    /// `bad argument #options to 'f' (field 'key': message)`.
    public func attributing<T>(options n: Int32? = nil, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as RallyError where e.argument != nil {
            throw error(Int32(clamping: e.argument!), e.message)
        } catch let e as RallyError where e.option != nil && n != nil {
            throw error(n!, "field '\(e.option!)': \(e.message)")
        }
    }

    /// Runs `body`, which reads argument `n` only: its engine error becomes
    /// `bad argument #n to 'f' (message)` (``RallyError/interrupted`` passes unchanged).
    public func attributing<T>(argument n: Int32, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as RallyError where e != .interrupted {
            throw error(n, e.message)
        }
    }

    /// An error saying what type argument `n` should have had.
    public func typeError(_ n: Int32, expected: String) -> RallyError {
        let got = L.isNoneOrNil(slot(n)) && slot(n) > L.top ? "no value" : L.typeName(slot(n))
        return error(n, "\(expected) expected, got \(got)")
    }

    /// Whether argument `n` is absent or nil.
    public func isNil(_ n: Int32) -> Bool { L.isNoneOrNil(slot(n)) }

    /// Argument `n` as a string (numbers are accepted and formatted, as Lua does).
    public func string(_ n: Int32) throws -> String {
        if let s = L.string(slot(n)) { return s }
        if let i = L.integer(slot(n)) { return String(i) }
        if let d = L.number(slot(n)) { return String(d) }
        throw typeError(n, expected: "string")
    }

    /// Argument `n` as a string, or nil when absent.
    public func optionalString(_ n: Int32) throws -> String? { isNil(n) ? nil : try string(n) }

    /// Argument `n` as a number.
    public func number(_ n: Int32) throws -> Double {
        guard let d = L.number(slot(n)) else { throw typeError(n, expected: "number") }
        return d
    }

    /// Argument `n` as an integer.
    public func integer(_ n: Int32) throws -> Int {
        guard L.type(slot(n)) == LUA_TNUMBER else { throw typeError(n, expected: "number") }
        guard let i = L.integer(slot(n)) else { throw error(n, "number has no integer representation") }
        return i
    }

    /// Argument `n` as a boolean (only `true` or `false`).
    public func boolean(_ n: Int32) throws -> Bool {
        guard let b = L.boolean(slot(n)) else { throw typeError(n, expected: "boolean") }
        return b
    }

    /// Checks that argument `n` is a table and returns its absolute stack index.
    public func table(_ n: Int32) throws -> Int32 {
        guard L.type(slot(n)) == LUA_TTABLE else { throw typeError(n, expected: "table") }
        return L.absolute(slot(n))
    }

    /// Checks that argument `n` is a function and returns its absolute stack index.
    public func function(_ n: Int32) throws -> Int32 {
        guard L.type(slot(n)) == LUA_TFUNCTION else { throw typeError(n, expected: "function") }
        return L.absolute(slot(n))
    }

    /// Argument `n` as the Swift object behind a rally userdata of class `className`.
    public func object<Object: AnyObject>(_ n: Int32, _ className: String, as type: Object.Type) throws -> Object {
        try LuaObjects.object(L, slot(n), className, as: type) {
            typeError(n, expected: className)
        }
    }
}

/// Helpers that convert Lua tables to Swift values.
public enum LuaValues {
    /// The sequence at `index` as numbers; `fail(i, typeName)` builds the error for a bad element.
    ///
    /// A field `n` (as `table.pack` and `v:totable()` set it) gives the length, and a nil at a
    /// position up to `n` is a missing value (NaN). When `notList` is given, a key that is not a
    /// list position (`{a = 1}`, or a position past the end) is an error: `notList(problem)`
    /// builds it from a text such as `found key 'a'`.
    public static func numbers(_ L: LuaState, _ index: Int32, notList: ((String) -> RallyError)? = nil,
                               fail: (Int, String) -> RallyError) throws -> [Double] {
        let t = L.absolute(index)
        let packed = try packedLength(L, t, notList: notList)
        let n = packed ?? L.rawLength(t)
        if let notList, let key = firstNonListKey(L, t, count: n, allowingN: packed != nil) {
            throw notList("found \(key)")
        }
        var out = [Double]()
        out.reserveCapacity(n)
        for i in 1...max(n, 1) where n > 0 {
            L.rawGet(t, index: i)
            defer { L.pop() }
            if let d = L.number(-1) {
                out.append(d)
            } else if packed != nil && L.isNoneOrNil(-1) {
                out.append(.nan)
            } else {
                throw fail(i, L.typeName(-1))
            }
        }
        return out
    }

    /// The sequence at `index` as strings; `fail(i, typeName)` builds the error for a bad
    /// element, and `notList` (when given) the error for a key that is not a list position.
    public static func strings(_ L: LuaState, _ index: Int32, notList: ((String) -> RallyError)? = nil,
                               fail: (Int, String) -> RallyError) throws -> [String] {
        let t = L.absolute(index)
        let n = L.rawLength(t)
        if let notList, let key = firstNonListKey(L, t, count: n, allowingN: false) {
            throw notList("found \(key)")
        }
        var out = [String]()
        for i in 0..<n {
            L.rawGet(t, index: i + 1)
            defer { L.pop() }
            guard let s = L.string(-1) else { throw fail(i + 1, L.typeName(-1)) }
            out.append(s)
        }
        return out
    }

    /// Appended to a "got nil" element error: how to give a missing value.
    public static let missingHint = " (a nil is a missing value only in a table with n = its length, as table.pack makes; or use 0/0)"

    /// The table's field `n` when present (a count >= 0), else nil.
    private static func packedLength(_ L: LuaState, _ t: Int32, notList: ((String) -> RallyError)?) throws -> Int? {
        guard L.rawGet(t, "n") != LUA_TNIL else { L.pop(); return nil }
        defer { L.pop() }
        guard let n = L.integer(-1), n >= 0 else {
            let problem = "found n = \(L.number(-1).map(Format.number) ?? "a \(L.typeName(-1))"), not a count >= 0 (n is the length)"
            throw notList?(problem) ?? RallyError(problem)
        }
        // n counts trailing nils too, but no allocation may be sized by it beyond the data the
        // table holds: at most `maximumTrailingNils` past its last value
        let border = L.rawLength(t)
        guard n <= border || n - border <= maximumTrailingNils else {
            let problem = "found n = \(n), more than \(maximumTrailingNils) past the table's last value (\(border)); n is the length, trailing nils included"
            throw notList?(problem) ?? RallyError(problem)
        }
        return n
    }

    /// How many missing values past its last value a table's `n` may announce.
    public static let maximumTrailingNils = 1_000_000

    /// The first key (in sorted order of their descriptions) of the table at `t` that is not a
    /// list position `1...count` nor, when `allowingN`, the field `n`: `key 'stat'`,
    /// `key 7 (past the end, 3)`, `a boolean key`; nil when every key is a position.
    private static func firstNonListKey(_ L: LuaState, _ t: Int32, count: Int, allowingN: Bool) -> String? {
        var bad: [String] = []
        L.forEach(t) {
            if L.type(-2) == LUA_TNUMBER {
                if let i = L.integer(-2), i >= 1, i <= count { return }
                bad.append("key \(L.integer(-2).map(String.init) ?? Format.number(L.number(-2)!)) (past the list's end, \(count))")
            } else if let key = L.string(-2) {
                if allowingN && key == "n" { return }
                bad.append("key '\(key)'")
            } else {
                bad.append("a \(L.typeName(-2)) key")
            }
        }
        return bad.min()
    }
}
