import Foundation

/// Number formatting for people: short and stable across runs.
public enum Format {
    /// A compact decimal with up to 6 significant digits (`%.6g`), integers without a point.
    public static func number(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x == x.rounded() && abs(x) < 1e15 { return String(Int64(x)) }
        return String(format: "%.6g", x)
    }

    /// `x` with exactly `digits` digits after the decimal point.
    public static func fixed(_ x: Double, digits: Int) -> String {
        if x.isNaN { return "nan" }
        return String(format: "%.\(digits)f", x)
    }
}
