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
        let (lo, hi, t) = neighbours(count: v.count, q)
        return lerp(v[lo], v[hi], t)
    }

    /// ``of(_:_:)`` at each of `qs` (ascending), the same numbers to the last bit without
    /// sorting: the few order statistics they need are selected in place (quickselect), which
    /// for a bootstrap's thousand replicates is several times faster. Equal-comparing values
    /// with different bits (−0 and +0) and NaN make the sorted order depend on the sort, so
    /// with those it sorts as ``of(_:_:)`` does.
    public static func of(_ values: [Double], ascending qs: [Double]) -> [Double] {
        guard !values.isEmpty else { return qs.map { _ in .nan } }
        var v = values
        if v.contains(where: \.isNaN) { return qs.map { of(sorted: v.sorted(), $0) } }
        let picked: [Double]? = v.withUnsafeMutableBufferPointer { buffer in
            var from = 0
            var out: [Double] = []
            for q in qs {
                let (lo, hi, t) = neighbours(count: buffer.count, q)
                guard lo >= from else { return nil }
                select(lo, in: buffer, from: from)
                // after selecting lo, every value past it is at least v[lo]: the next is their least
                let upper = hi == lo ? buffer[lo] : buffer[(lo + 1)...].min()!
                if buffer[lo] == 0 || upper == 0 { return nil }
                out.append(lerp(buffer[lo], upper, t))
                from = lo
            }
            return out
        }
        return picked ?? qs.map { of(sorted: values.sorted(), $0) }
    }

    /// The positions of the neighbours of the `q`-th percentile among `count` sorted values,
    /// and the fraction between them.
    private static func neighbours(count: Int, _ q: Double) -> (lo: Int, hi: Int, t: Double) {
        let h = Double(count - 1) * (q / 100)
        let lo = Int(h.rounded(.down))
        return (lo, min(lo + 1, count - 1), h - Double(lo))
    }

    /// numpy's `_lerp` of `a` and `b` at `t`.
    private static func lerp(_ a: Double, _ b: Double, _ t: Double) -> Double {
        let diff = b - a
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t
    }

    /// Reorders `v[from...]` so that `v[k]` holds the value a sort would put there, with no
    /// greater value before it and no smaller one after it (Hoare's selection, middle pivot).
    private static func select(_ k: Int, in v: UnsafeMutableBufferPointer<Double>, from: Int) {
        var lo = from, hi = v.count - 1
        while lo < hi {
            let pivot = v[lo + (hi - lo) / 2]
            var i = lo, j = hi
            while i <= j {
                while v[i] < pivot { i += 1 }
                while pivot < v[j] { j -= 1 }
                if i <= j {
                    v.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return }
        }
    }
}
