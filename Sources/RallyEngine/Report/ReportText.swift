/// Number formatting for the report's prose and tables: fixed digits per metric, signed
/// differences, intervals and p-values, all stable across runs.
enum ReportText {
    /// Digits shown for metric `key`.
    static func digits(_ key: String) -> Int {
        switch key {
        case "brier": return 4
        case "ece": return 4
        case "brier_reliability", "brier_resolution", "brier_uncertainty": return 5
        case "lift_at_top": return 2
        default: return 3
        }
    }

    /// `x` with `d` decimals; `n/a` for NaN.
    static func fixed(_ x: Double, _ d: Int) -> String { x.isFinite ? Format.fixed(x, digits: d) : "n/a" }

    /// `x` with an explicit sign (`+0.045`, `−0.012`).
    static func signed(_ x: Double, _ d: Int) -> String {
        guard x.isFinite else { return "n/a" }
        let s = Format.fixed(abs(x), digits: d)
        if s == Format.fixed(0, digits: d) { return s }
        return (x > 0 ? "+" : "−") + s
    }

    /// A fraction as a percentage with `d` decimals (`6.5%`).
    static func percent(_ x: Double, _ d: Int = 1) -> String { x.isFinite ? Format.fixed(x * 100, digits: d) + "%" : "n/a" }

    /// `value [lower, upper]`.
    static func interval(_ e: ReportedEstimate, _ d: Int) -> String {
        "\(fixed(e.value, d)) [\(fixed(e.lower, d)), \(fixed(e.upper, d))]"
    }

    /// A signed difference with its interval.
    static func signedInterval(_ value: Double, _ lower: Double, _ upper: Double, _ d: Int) -> String {
        "\(signed(value, d)) [\(signed(lower, d)), \(signed(upper, d))]"
    }

    /// A p-value for a table: `< 0.001` below that, else three decimals; `n/a` when absent.
    static func pValue(_ p: Double) -> String {
        guard p.isFinite else { return "n/a" }
        return p < 0.001 ? "< 0.001" : Format.fixed(p, digits: 3)
    }

    /// A Diebold–Mariano cell: the p-value (``pValue(_:)``) and, when the statistic `z` is known
    /// and not 0, `better` (the model's loss is lower than the baseline's) or `worse`.
    static func dieboldMariano(_ p: Double, _ z: Double) -> String {
        guard p.isFinite else { return pValue(p) }
        return pValue(p) + (z < 0 ? " better" : z > 0 ? " worse" : "")
    }

    /// A p-value in a sentence: `p < 0.001` or `p = 0.042`.
    static func pClause(_ p: Double) -> String {
        guard p.isFinite else { return "p n/a" }
        return p < 0.001 ? "p < 0.001" : "p = " + Format.fixed(p, digits: 3)
    }

    /// An English list: `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
        }
    }

    /// A count with its noun, singular or plural.
    static func count(_ n: Int, _ noun: String, _ plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? noun : plural ?? noun + "s")
    }
}
