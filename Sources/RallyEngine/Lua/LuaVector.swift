import CLua
import LuaBridge

/// The Swift object behind a Lua `Vector`: a named, immutable array of numbers.
public final class VectorObject {
    /// The values (NaN = missing).
    public let values: [Double]
    /// A label for printing (a column name, "predictions", ...).
    public let name: String

    /// Creates a vector.
    public init(_ values: [Double], name: String) {
        self.values = values
        self.name = name
    }
}

/// `Vector`: a column of numbers handed to Lua without copying it into a table.
/// `#v`, `v[i]` (1-based; nil for a missing value), `v:totable()`, and summaries.
public enum LuaVector {
    /// The class name.
    public static let className = "Vector"

    /// Pushes `values` as a Vector.
    public static func push(_ L: LuaState, _ values: [Double], name: String) {
        LuaObjects.push(L, VectorObject(values, name: name), className)
    }

    /// Pushes `values` as a plain Lua table: missing values (NaN) are nil holes and the field
    /// `n` holds the length, as `table.pack` makes (``LuaValues/numbers(_:_:notList:fail:)``
    /// reads it back).
    static func pushTable(_ L: LuaState, _ values: [Double]) {
        L.newTable(array: values.count, record: 1)
        for (i, x) in values.enumerated() where !x.isNaN {
            L.push(x)
            L.rawSet(-2, index: i + 1)
        }
        L.push(values.count)
        L.rawSet(-2, "n")
    }

    /// Pushes `x`, or nil.
    private static func push(_ L: LuaState, _ x: Double?) {
        if let x { L.push(x) } else { L.pushNil() }
    }

    /// The class description.
    public static func luaClass() -> LuaClass<VectorObject> {
        var cls = LuaClass<VectorObject>(className, doc: """
        Vector -- a column of numbers (a dataset column, labels, predictions).
        #v is its length, v[i] its i-th value (1-based; nil where missing), v:totable() a plain Lua table (with n = #v).
        rally.vector(t [, name]) makes one from a list of numbers; in a table with a field n (table.pack, v:totable()), a nil up to n is a missing value.
        """)
        cls.tostring = { ColumnSummary($0.values).line(name: $0.name) }
        cls.length = { $0.values.count }
        cls.index = { v, L in
            guard let i = L.integer(2) else { return 0 }
            guard i >= 1 && i <= v.values.count else { return 0 }
            L.push(v.values[i - 1], nanAsNil: true)
            return 1
        }
        cls.method("totable", doc: """
        v:totable() -- the values as a Lua table with field n = #v (missing values become nil holes, as table.pack makes); rally.vector(t) reads it back.
        """) { v, L in
            pushTable(L, v.values)
            return 1
        }
        cls.method("sum", doc: "v:sum() -- sum of the non-missing values.") { v, L in
            L.push(ColumnSummary(v.values).sum); return 1
        }
        cls.method("mean", doc: "v:mean() -- mean of the non-missing values (nil when none).") { v, L in
            push(L, ColumnSummary(v.values).mean); return 1
        }
        cls.method("min", doc: "v:min() -- smallest non-missing value.") { v, L in
            push(L, ColumnSummary(v.values).min); return 1
        }
        cls.method("max", doc: "v:max() -- largest non-missing value.") { v, L in
            push(L, ColumnSummary(v.values).max); return 1
        }
        cls.method("missing", doc: "v:missing() -- number of missing (NaN) values.") { v, L in
            L.push(ColumnSummary(v.values).missing); return 1
        }
        return cls
    }
}
