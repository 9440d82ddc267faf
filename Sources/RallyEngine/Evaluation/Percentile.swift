/// Percentiles as numpy computes them by default (`method="linear"`, type 7).
public enum Percentile {
    /// The `q`-th percentile (0…100) of `values`: position h = (n − 1)·q/100 in the sorted
    /// values, linear between the two neighbours, with numpy's `_lerp` (computed from the
    /// upper neighbour when the fraction is at least ½) so results agree to the last bit.
    /// NaN for an empty list.
    public static func of(_ values: [Double], _ q: Double) -> Double {
        of(sorted: values.sorted(), q)
    }

    /// Like ``of(_:_:)`` on values already sorted ascending.
    public static func of(sorted v: [Double], _ q: Double) -> Double {
        guard !v.isEmpty else { return .nan }
        let h = Double(v.count - 1) * (q / 100)
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, v.count - 1)
        let t = h - Double(lo)
        let a = v[lo], b = v[hi]
        let diff = b - a
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t
    }
}
