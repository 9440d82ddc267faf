/// Rolling mean and sample standard deviation in O(n), numerically stable.
///
/// The window's sums are kept relative to an anchor K (sums of x - K and of (x - K)²) with
/// Neumaier-compensated addition and exact products (FMA), and are recomputed from scratch
/// with a fresh anchor every `window` steps (amortized O(log w) per step), so neither rounding
/// drift nor cancellation in Σd² - (Σd)²/n can build up over long series. The anchor is the
/// window's median, a typical value: a spike in the window does not pull it away from the
/// others, so x - K stays small (and exact for values within a factor 2 of K).
enum RollingMoments {
    /// Trailing mean and sample std (n - 1) of every full window without missing values.
    static func compute(_ x: [Double], window w: Int) throws -> (mean: [Double], std: [Double]) {
        let n = x.count
        var mean = [Double](repeating: .nan, count: n)
        var std = [Double](repeating: .nan, count: n)
        guard w >= 1, n >= w else { return (mean, std) }
        let count = Double(w)
        var anchor = 0.0
        var s1 = CompensatedSum(), s2 = CompensatedSum()
        var missing = 0
        var sinceAnchor = w
        var scratch = [Double]()
        scratch.reserveCapacity(w)
        for i in 0..<n {
            if i % 8192 == 0 { try Cancellation.check() }
            if x[i].isNaN { missing += 1 }
            if i >= w, x[i - w].isNaN { missing -= 1 }
            if sinceAnchor >= w {
                // Re-anchor on the current window's median and recompute both sums.
                let lo = Swift.max(0, i - w + 1)
                scratch.removeAll(keepingCapacity: true)
                for k in lo...i where !x[k].isNaN { scratch.append(x[k]) }
                scratch.sort()
                anchor = scratch.isEmpty ? 0 : scratch[scratch.count / 2]
                s1 = CompensatedSum(); s2 = CompensatedSum()
                for k in lo...i where !x[k].isNaN {
                    let d = x[k] - anchor
                    s1.add(d); s2.addSquare(d)
                }
                sinceAnchor = 0
            } else {
                if !x[i].isNaN {
                    let d = x[i] - anchor
                    s1.add(d); s2.addSquare(d)
                }
                if i >= w, !x[i - w].isNaN {
                    let d = x[i - w] - anchor
                    s1.add(-d); s2.subtractSquare(d)
                }
            }
            sinceAnchor += 1
            guard i >= w - 1, missing == 0 else { continue }
            let sum = s1.value
            mean[i] = anchor + sum / count
            if w >= 2 {
                let ss = s2.value - sum * sum / count
                std[i] = (Swift.max(ss, 0) / (count - 1)).squareRoot()
            }
        }
        return (mean, std)
    }
}

/// A running sum with Neumaier's compensation: the error of each addition is carried
/// separately and added back when the value is read.
struct CompensatedSum {
    private var sum = 0.0
    private var compensation = 0.0

    /// The compensated total.
    var value: Double { sum + compensation }

    /// Adds `x`, keeping the rounding error.
    mutating func add(_ x: Double) {
        let t = sum + x
        if abs(sum) >= abs(x) { compensation += (sum - t) + x } else { compensation += (x - t) + sum }
        sum = t
    }

    /// Adds d², including the rounding error of the product.
    mutating func addSquare(_ d: Double) {
        let p = d * d
        add(p)
        compensation += (-p).addingProduct(d, d)
    }

    /// Subtracts d², including the rounding error of the product.
    mutating func subtractSquare(_ d: Double) {
        let p = d * d
        add(-p)
        compensation -= (-p).addingProduct(d, d)
    }
}
