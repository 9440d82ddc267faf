/// Rolling mean and sample standard deviation in O(n), numerically stable.
///
/// The window's sums are kept relative to an anchor K (sums of d = x - K and of d²) with
/// compensated addition (TwoSum) and exact products (FMA), and are recomputed from scratch
/// with a fresh anchor every 8 windows, and sooner (at most every window/8 steps) when the
/// window's mean has moved more than 1024 standard deviations from the anchor, as after a
/// spike: amortized O(1) per step, and neither rounding drift nor cancellation in
/// n·Σd² - (Σd)² can build up. The anchor is the window's median, a typical value, so
/// x - K stays small (and exact for values within a factor 2 of K).
enum RollingMoments {
    /// Trailing mean and sample std (n - 1) of every full window without missing values; with
    /// `std: false` only the mean is computed (the std array is then empty).
    static func compute(_ x: [Double], window w: Int, std wantStd: Bool = true) throws -> (mean: [Double], std: [Double]) {
        let n = x.count
        var mean = [Double](repeating: .nan, count: n)
        var std = [Double](repeating: .nan, count: wantStd ? n : 0)
        guard w >= 1, n >= w else { return (mean, std) }
        let count = Double(w)
        var scratch = [Double](repeating: 0, count: w)
        try x.withUnsafeBufferPointer { x in
            try mean.withUnsafeMutableBufferPointer { mean in
                try std.withUnsafeMutableBufferPointer { std in
                    try scratch.withUnsafeMutableBufferPointer { scratch in
                        var anchor = 0.0
                        var s1 = CompensatedSum(), s2 = CompensatedSum()
                        /// Recomputes both sums over the window ending at `i`, anchored on its median.
                        func reanchor(at i: Int) {
                            let lo = Swift.max(0, i - w + 1)
                            var m = 0
                            for k in lo...i where !x[k].isNaN { scratch[m] = x[k]; m += 1 }
                            anchor = m == 0 ? 0 : Selection.select(scratch.baseAddress!, count: m, rank: m / 2)
                            s1 = CompensatedSum(); s2 = CompensatedSum()
                            for k in lo...i where !x[k].isNaN {
                                let d = x[k] - anchor
                                s1.add(d)
                                if wantStd { s2.addSquare(d) }
                            }
                        }
                        let period = 8 * w, soonest = Swift.max(1, w / 8)
                        var missing = 0
                        var sinceAnchor = period
                        for i in 0..<n {
                            if i % 8192 == 0 { try Cancellation.check() }
                            let v = x[i]
                            if v.isNaN { missing += 1 }
                            if i >= w, x[i - w].isNaN { missing -= 1 }
                            if sinceAnchor >= period {
                                reanchor(at: i)
                                sinceAnchor = 0
                            } else {
                                if !v.isNaN {
                                    let d = v - anchor
                                    s1.add(d)
                                    if wantStd { s2.addSquare(d) }
                                }
                                if i >= w, !x[i - w].isNaN {
                                    let d = x[i - w] - anchor
                                    s1.add(-d)
                                    if wantStd { s2.addSquare(d, sign: -1) }
                                }
                            }
                            sinceAnchor += 1
                            guard i >= w - 1, missing == 0 else { continue }
                            if wantStd && w >= 2 {
                                var squares = centeredSquares(s1, s2, count: count)
                                let offset = s1.value
                                if offset * offset > 1_048_576 * Swift.max(squares, 0) && offset != 0 && sinceAnchor >= soonest {
                                    // The window's mean has moved far from the anchor relative to its spread
                                    // (a spike came and went): re-anchor now, before digits are lost.
                                    reanchor(at: i)
                                    sinceAnchor = 0
                                    squares = centeredSquares(s1, s2, count: count)
                                }
                                std[i] = (Swift.max(squares, 0) / (count * (count - 1))).squareRoot()
                            }
                            mean[i] = anchor + s1.value / count
                        }
                    }
                }
            }
        }
        return (mean, std)
    }
}

/// n·Σd² - (Σd)², the sum of squared deviations from the mean times n, without cancellation:
/// the leading products are split exactly with FMA and subtracted where they nearly cancel
/// (Sterbenz: exact), then the compensation terms are added.
private func centeredSquares(_ s1: CompensatedSum, _ s2: CompensatedSum, count n: Double) -> Double {
    let (h1, l1) = s1.normalized
    let (h2, l2) = s2.normalized
    let a = n * h2
    let aError = (-a).addingProduct(n, h2)
    let p = h1 * h1
    let pError = (-p).addingProduct(h1, h1)
    return (a - p) + (aError - pError) + n * l2 - 2 * h1 * l1
}

/// A running sum that carries the exact rounding error of each addition (Knuth's TwoSum)
/// separately and adds it back when the value is read.
struct CompensatedSum {
    /// The rounded running sum.
    private(set) var sum = 0.0
    /// The accumulated rounding error of ``sum``.
    private(set) var compensation = 0.0

    /// The compensated total.
    var value: Double { sum + compensation }

    /// The total as `high + low` exactly, with `high` the rounded total and `low` its error
    /// (after a large value has come and gone, the compensation can hold most of the total).
    var normalized: (high: Double, low: Double) {
        let high = sum + compensation
        let b = high - sum
        return (high, (sum - (high - b)) + (compensation - b))
    }

    /// Adds `x`, keeping the rounding error.
    @inline(__always) mutating func add(_ x: Double) {
        let t = sum + x
        let b = t - sum
        compensation += (sum - (t - b)) + (x - b)
        sum = t
    }

    /// Adds `sign` × d², including the rounding error of the product.
    @inline(__always) mutating func addSquare(_ d: Double, sign: Double = 1) {
        let p = d * d
        add(sign * p)
        compensation += sign * (-p).addingProduct(d, d)
    }
}

/// Quickselect: the value of a given rank without sorting everything.
enum Selection {
    /// The `rank`-th smallest (0-based) of `values[0..<count]`, which it reorders. Expected O(count).
    static func select(_ values: UnsafeMutablePointer<Double>, count: Int, rank: Int) -> Double {
        var lo = 0, hi = count - 1
        while lo < hi {
            let pivot = values[lo + (hi - lo) / 2]
            var i = lo, j = hi
            while i <= j {
                while values[i] < pivot { i += 1 }
                while values[j] > pivot { j -= 1 }
                if i <= j {
                    (values[i], values[j]) = (values[j], values[i])
                    i += 1
                    j -= 1
                }
            }
            if rank <= j { hi = j } else if rank >= i { lo = i } else { break }
        }
        return values[rank]
    }
}
