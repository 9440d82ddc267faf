import Testing
@testable import RallyEngine

/// Straightforward per-window references: sort, two-pass moments.
enum Reference {
    static func windows(_ x: [Double], _ w: Int, _ f: ([Double]) -> Double) -> [Double] {
        x.indices.map { i in
            guard i >= w - 1 else { return .nan }
            let win = Array(x[(i - w + 1)...i])
            return win.contains(where: \.isNaN) ? .nan : f(win)
        }
    }

    static func quantile(_ x: [Double], _ w: Int, _ q: Double) -> [Double] {
        windows(x, w) { win in
            let s = win.sorted()
            let h = q * Double(s.count - 1)
            let lo = Int(h)
            if h == Double(lo) { return s[lo] }
            return s[lo] + (s[lo + 1] - s[lo]) * (h - Double(lo))
        }
    }

    static func mean(_ x: [Double], _ w: Int) -> [Double] {
        windows(x, w) { $0.reduce(0, +) / Double($0.count) }
    }

    static func std(_ x: [Double], _ w: Int) -> [Double] {
        windows(x, w) { win in
            // The corrected two-pass algorithm: the second term removes the error of the computed mean.
            let n = Double(win.count)
            let m = win.reduce(0, +) / n
            let d = win.map { $0 - m }
            let sum = d.reduce(0, +)
            return ((d.map { $0 * $0 }.reduce(0, +) - sum * sum / n) / (n - 1)).squareRoot()
        }
    }
}

private func randomSeries(_ n: Int, seed: UInt64, ties: Bool = false, missing: Double = 0) -> [Double] {
    var rng = TestRandom(seed: seed)
    return (0..<n).map { _ in
        if rng.uniform() < missing { return .nan }
        let v = rng.uniform() * 100 - 20
        return ties ? v.rounded() : v
    }
}

private func identical(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.isNaN ? $1.isNaN : $0 == $1 }
}

@Test(arguments: [(1, 0.5), (2, 0.95), (7, 0.5), (24, 0.95), (24, 0.0), (24, 1.0), (168, 0.37), (672, 0.95)])
func rollingQuantileEqualsSortReferenceExactly(window: Int, q: Double) throws {
    for (seed, ties) in [(UInt64(1), false), (2, true)] {
        let x = randomSeries(3000, seed: seed, ties: ties)
        let fast = try RollingStatistic.quantile(q).apply(x, window: window)
        #expect(identical(fast, Reference.quantile(x, window, q)), "window \(window) q \(q) ties \(ties)")
    }
}

@Test func rollingQuantileHandlesMissingValues() throws {
    let x = randomSeries(2000, seed: 3, ties: true, missing: 0.01)
    #expect(identical(try RollingStatistic.quantile(0.9).apply(x, window: 50), Reference.quantile(x, 50, 0.9)))
}

@Test func rollingMinMaxEqualReference() throws {
    for (seed, missing) in [(UInt64(4), 0.0), (5, 0.01)] {
        let x = randomSeries(3000, seed: seed, ties: true, missing: missing)
        for w in [1, 3, 24, 168] {
            #expect(identical(try RollingStatistic.max.apply(x, window: w), Reference.windows(x, w) { $0.max()! }))
            #expect(identical(try RollingStatistic.min.apply(x, window: w), Reference.windows(x, w) { $0.min()! }))
        }
    }
}

@Test func rollingMeanStdMatchTwoPassReference() throws {
    // A large offset and tiny spread, plus a spike leaving the window: the cases that break naive running sums.
    var x = randomSeries(5000, seed: 6, missing: 0.002).map { 1e6 + $0 * 1e-3 }
    x[2000] = 5e9
    for w in [2, 24, 168, 672] {
        let mean = try RollingStatistic.mean.apply(x, window: w)
        let std = try RollingStatistic.std.apply(x, window: w)
        let refMean = Reference.mean(x, w), refStd = Reference.std(x, w)
        #expect(zip(mean, refMean).allSatisfy { TestData.close($0, $1, relative: 1e-12) }, "mean window \(w)")
        #expect(zip(std, refStd).allSatisfy { TestData.close($0, $1, relative: 1e-9) }, "std window \(w)")
    }
}

@Test func constantWindowsHaveZeroStd() throws {
    let x = [Double](repeating: 42.17, count: 100) + [1, 2, 3] + [Double](repeating: 0.1, count: 100)
    let std = try RollingStatistic.std.apply(x, window: 24)
    #expect(std[50] == 0)
    #expect(std[202] == 0)
}

@Test func invalidWindowsAreRejected() {
    #expect(throws: RallyError("rolling mean: window must be a positive number of steps, got 0")) {
        try RollingStatistic.mean.apply([1, 2, 3], window: 0)
    }
    #expect(throws: RallyError("rolling std: std needs a window of at least 2 (sample std, n - 1), got 1")) {
        try RollingStatistic.std.apply([1, 2, 3], window: 1)
    }
    #expect(throws: RallyError("rolling quantile: quantile q must be in [0, 1], got 1.5")) {
        try RollingStatistic.quantile(1.5).apply([1, 2, 3], window: 2)
    }
}
