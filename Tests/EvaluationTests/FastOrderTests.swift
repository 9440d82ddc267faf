import Testing
@testable import RallyEngine

/// The fast paths of the write stage hold to the plain computations they replace, bit for bit:
/// percentiles by selection against a full sort, the radix score order against the comparison
/// sort, and the pruned search for the cheapest threshold against trying every threshold.
@Suite struct FastOrderTests {
    /// Values with many ties, both zeros, infinities and (when `nan`) NaN, from a seeded stream.
    private func values(_ count: Int, seed: UInt64, nan: Bool = false) -> [Double] {
        var rng = Xoshiro256StarStar(seed: seed)
        let pool: [Double] = [0, -0.0, 0.25, -1.5, .infinity, -.infinity, 1e-300, 0.1] + (nan ? [.nan] : [])
        return (0..<count).map { _ in
            rng.below(3) == 0 ? pool[Int(rng.below(UInt64(pool.count)))] : Double(rng.below(1_000_000)) / 999_983 - 0.3
        }
    }

    @Test func percentilesBySelectionMatchTheSort() {
        for seed in 1...60 as ClosedRange<UInt64> {
            for count in [1, 2, 3, 7, 40, 1000] {
                let xs = values(count, seed: seed &* 31 &+ UInt64(count), nan: seed % 5 == 0)
                let qs = [0, 2.5, 50, 97.5, 100]
                let fast = Percentile.of(xs, ascending: qs)
                let slow = qs.map { Percentile.of(xs, $0) }
                #expect(fast.map(\.bitPattern) == slow.map(\.bitPattern), "seed \(seed), \(count) values")
            }
        }
        #expect(Percentile.of([], ascending: [2.5, 97.5]).allSatisfy { $0.isNaN })
    }

    @Test func radixScoreOrderMatchesTheComparisonSort() {
        for seed in 1...40 as ClosedRange<UInt64> {
            for count in [0, 1, 2, 5, 300, 5000] {
                let xs = values(count, seed: seed &* 17 &+ UInt64(count), nan: seed % 4 == 0)
                let reference = Array(xs.indices).sorted { a, b in xs[a] > xs[b] || (xs[a] == xs[b] && a < b) }
                #expect(ScoreOrder.descending(xs) == reference, "seed \(seed), \(count) scores")
            }
        }
    }

    @Test func prunedThresholdSearchMatchesTryingEveryThreshold() {
        let alphas = EconomicValue.defaultAlphas + [1e-6, 0.999999]
        for seed in 1...30 as ClosedRange<UInt64> {
            var rng = Xoshiro256StarStar(seed: seed)
            let n = 50 + Int(rng.below(550))
            let p = (0..<n).map { _ in Double(rng.below(seed % 2 == 0 ? 40 : 1_000_000)) / 1_000_000 }
            let y = p.map { Double(rng.below(1000)) / 1000 < $0 * 8 ? 1.0 : 0.0 }
            let sample = ForecastSample(labels: y, probabilities: p)
            let positives = y.reduce(0, +)
            // every threshold the probabilities take, highest first; the first of the cheapest wins
            let steps = Set(p).sorted(by: >).map { tau in
                let acted = p.indices.filter { p[$0] >= tau }
                return (tau: tau, alarms: Double(acted.count), hits: acted.reduce(0) { $0 + y[$1] })
            }
            let expected = alphas.map { alpha -> Double in
                var best = positives, threshold = Double.infinity
                for step in steps {
                    let expense = alpha * step.alarms + positives - step.hits
                    if expense < best { (best, threshold) = (expense, step.tau) }
                }
                return threshold
            }
            #expect(EconomicValue.bestThresholds(sample, alphas: alphas) == expected, "seed \(seed)")
        }
    }
}
