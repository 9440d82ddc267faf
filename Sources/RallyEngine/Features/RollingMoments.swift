/// Rolling mean and sample standard deviation in O(n), numerically stable.
///
/// The window's sums are kept relative to an anchor K (sums of d = x - K and of d²) with
/// compensated addition (TwoSum) and exact products (FMA), and are recomputed from scratch
/// with a fresh anchor every `window` steps (amortized O(1) per step), so neither rounding
/// drift nor cancellation in n·Σd² - (Σd)² can build up over long series. The anchor is the
/// window's median, a typical value: a spike in the window does not pull it away from the
/// others, so x - K stays small (and exact for values within a factor 2 of K).
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
                        var missing = 0
                        var sinceAnchor = w
                        for i in 0..<n {
                            if i % 8192 == 0 { try Cancellation.check() }
                            let v = x[i]
                            if v.isNaN { missing += 1 }
                            if i >= w, x[i - w].isNaN { missing -= 1 }
                            if sinceAnchor >= w {
                                // Re-anchor on the current window's median and recompute both sums.
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
                            mean[i] = anchor + s1.value / count
                            if wantStd && w >= 2 {
                                std[i] = (Swift.max(centeredSquares(s1, s2, count: count), 0) / (count * (count - 1))).squareRoot()
                            }
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
    let a = n * s2.sum
    let aError = (-a).addingProduct(n, s2.sum)
    let p = s1.sum * s1.sum
    let pError = (-p).addingProduct(s1.sum, s1.sum)
    return (a - p) + (aError - pError) + n * s2.compensation - 2 * s1.sum * s1.compensation
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
