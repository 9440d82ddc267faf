import Foundation
import Testing
@testable import RallyEngine

@Suite struct RandomSourceTests {
    @Test func splitMix64MatchesTheReferenceStream() {
        // first outputs of the reference C implementation seeded with 1234567
        var g = SplitMix64(seed: 1234567)
        #expect(g.next() == 6457827717110365317)
        #expect(g.next() == 3203168211198807973)
    }

    @Test func boundedDrawsStayInRangeAndCoverIt() {
        var g = Xoshiro256StarStar(seed: 7)
        var seen = Set<UInt64>()
        for _ in 0..<2000 {
            let x = g.below(10)
            #expect(x < 10)
            seen.insert(x)
        }
        #expect(seen.count == 10)
    }

    @Test func streamsDependOnSeedAndIndexOnly() {
        var a = Xoshiro256StarStar(seed: 7, stream: 3), b = Xoshiro256StarStar(seed: 7, stream: 3)
        var c = Xoshiro256StarStar(seed: 7, stream: 4), d = Xoshiro256StarStar(seed: 8, stream: 3)
        let x = a.next()
        #expect(x == b.next())
        #expect(x != c.next())
        #expect(x != d.next())
    }
}

@Suite struct BlockBootstrapTests {
    @Test func aResampleHasMRowsInBlocksFromTheAllowedStarts() throws {
        let scheme = BlockBootstrap(block: 5, resamples: 10, seed: 1)
        try scheme.validate(rows: 23)
        var w: [Double] = []
        for r in 0..<10 {
            scheme.weights(resample: r, rows: 23, into: &w)
            #expect(w.count == 23)
            #expect(w.reduce(0, +) == 23)
            // starts lie in 0 ..< m − block, so the last row can never be drawn (as in the peer)
            #expect(w[22] == 0)
        }
        var again: [Double] = []
        scheme.weights(resample: 4, rows: 23, into: &again)
        scheme.weights(resample: 4, rows: 23, into: &w)
        #expect(again == w)
    }

    @Test func tooFewRowsIsAnError() {
        #expect(throws: RallyError("bootstrap: block of 168 rows needs more than 168 test rows, got 100")) {
            try BlockBootstrap().validate(rows: 100)
        }
    }

    @Test func percentileIsNumpyLinear() {
        // numpy.percentile([3, 1, 4, 1, 5, 9, 2, 6], [2.5, 97.5]) → 1.0, 8.475000000000001
        let v: [Double] = [3, 1, 4, 1, 5, 9, 2, 6]
        #expect(Percentile.of(v, 2.5) == 1.0)
        #expect(Percentile.of(v, 97.5) == 8.475000000000001)
        #expect(Percentile.of([], 50).isNaN)
        #expect(Percentile.of([2], 97.5) == 2)
    }
}

/// A synthetic test period: an AR-ish latent risk, outcomes drawn from it, and three
/// forecasters of different skill.
enum SyntheticForecasts {
    static func make(rows n: Int, seed: UInt64 = 11) -> (y: [Double], models: [[Double]]) {
        var g = Xoshiro256StarStar(seed: seed)
        func uniform() -> Double { Double(g.next() >> 11) / Double(1 << 53) }
        var latent = 0.0
        var y = [Double](), good = [Double](), fair = [Double](), naive = [Double]()
        for _ in 0..<n {
            latent = 0.97 * latent + 0.5 * (uniform() - 0.5)
            let risk = 1 / (1 + exp(-(latent * 4 - 3)))
            y.append(uniform() < risk ? 1 : 0)
            good.append(min(1, max(0, risk + 0.05 * (uniform() - 0.5))))
            fair.append(min(1, max(0, 0.5 * risk + 0.3 * uniform())))
            naive.append(latent > 0.3 ? 0.3 : 0.05)
        }
        return (y, [naive, fair, good])
    }
}

@Suite struct PairedBootstrapTests {
    @Test func resultIsTheSameForAnyThreadCount() throws {
        let (y, models) = SyntheticForecasts.make(rows: 2000)
        let scorers = try models.map { try ForecastScorer(labels: y, probabilities: $0) }
        let scheme = BlockBootstrap(block: 50, resamples: 60, seed: 3)
        let one = try PairedBootstrap.run(scorers: scorers, models: ["naive", "fair", "good"], baseline: 0, scheme: scheme, threads: 1)
        let two = try PairedBootstrap.run(scorers: scorers, models: ["naive", "fair", "good"], baseline: 0, scheme: scheme, threads: 2)
        #expect(one.replicates == two.replicates)
        #expect(one.used + one.skipped == 60)
    }

    @Test func replicatesEqualDirectScoringOfEachResample() throws {
        let (y, models) = SyntheticForecasts.make(rows: 600)
        let scorers = try models.map { try ForecastScorer(labels: y, probabilities: $0) }
        let scheme = BlockBootstrap(block: 24, resamples: 5, seed: 9)
        let result = try PairedBootstrap.run(scorers: scorers, models: ["a", "b", "c"], baseline: 0, scheme: scheme)
        #expect(result.skipped == 0)
        var w: [Double] = []
        scheme.weights(resample: 2, rows: 600, into: &w)
        // rebuild resample 2 as explicit rows and score it from scratch
        var rows: [Int] = []
        for (i, k) in w.enumerated() { rows += Array(repeating: i, count: Int(k)) }
        let direct = try ForecastScorer(labels: rows.map { y[$0] }, probabilities: rows.map { models[2][$0] }).score()
        #expect(abs(result.replicates[2][Metric.rocAUC.index][2] - direct[.rocAUC]) < 1e-12)
        #expect(abs(result.replicates[2][Metric.prAUC.index][2] - direct[.prAUC]) < 1e-12)
        #expect(abs(result.replicates[2][Metric.brier.index][2] - direct[.brier]) < 1e-12)
    }

    @Test func pairedDifferenceOfAModelWithItselfIsZero() throws {
        let (y, models) = SyntheticForecasts.make(rows: 800)
        let s = try ForecastScorer(labels: y, probabilities: models[1])
        let result = try PairedBootstrap.run(scorers: [s, s], models: ["x", "x again"], baseline: 0,
                                             scheme: BlockBootstrap(block: 24, resamples: 40, seed: 1))
        #expect(result.differenceInterval(model: 1, metric: .prAUC) == Interval(lower: 0, upper: 0))
        let ci = result.interval(model: 1, metric: .prAUC)
        #expect(ci.lower < ci.upper)
    }

    @Test func singleClassResamplesAreSkipped() throws {
        // one rally in the last block only: most resamples miss it
        var y = [Double](repeating: 0, count: 300)
        y[250] = 1
        let p = (0..<300).map { Double($0) / 300 }
        let s = try ForecastScorer(labels: y, probabilities: p)
        let result = try PairedBootstrap.run(scorers: [s], models: ["m"], baseline: 0, scheme: BlockBootstrap(block: 10, resamples: 50, seed: 2))
        #expect(result.skipped > 0)
        #expect(result.replicates[0][0].count == result.used)
        #expect(result.replicates[0][Metric.rocAUC.index].allSatisfy { !$0.isNaN })
    }

    @Test func mismatchedRowsAreRefused() throws {
        let a = try ForecastScorer(labels: [0, 1, 0], probabilities: [0.1, 0.2, 0.3])
        let b = try ForecastScorer(labels: [1, 1, 0], probabilities: [0.1, 0.2, 0.3])
        #expect(throws: RallyError("bootstrap: model 'b' was scored on other rows than 'a'; a paired bootstrap needs the same rows")) {
            try PairedBootstrap.run(scorers: [a, b], models: ["a", "b"], baseline: 0, scheme: BlockBootstrap(block: 1, resamples: 2, seed: 1))
        }
    }
}

@Suite struct DieboldMarianoTests {
    @Test func handWorkedStatistic() throws {
        // d = (1, −1, 2, 0) five times, n = 20, lag 1 (20 rows = 10 x (1 + 1), the fewest allowed):
        // d̄ = ½, γ₀ = 1.25, γ₁ = −19.75/20 = −0.9875, V = γ₀ + 2·½·γ₁ = 0.2625,
        // DM = ½/√(0.2625/20) = 4.364357804719848, p = erfc(DM/√2) = 1.2749674921097067e-05 (Python math.erfc)
        let model: [Double] = (0..<20).map { [1.0, -1, 2, 0][$0 % 4] }
        let dm = try #require(try DieboldMariano.test(modelLosses: model, baselineLosses: [Double](repeating: 0, count: 20), lag: 1))
        #expect(abs(dm.meanDifference - 0.5) < 1e-15)
        #expect(abs(dm.statistic - 4.364357804719848) < 1e-12)
        #expect(abs(dm.pValue - 1.2749674921097067e-05) < 1e-15)
        #expect(dm.lag == 1)
    }

    @Test func identicalLossesGiveNoEvidence() throws {
        let losses = (0..<40).map { Double($0 % 7) / 10 }
        let dm = try #require(try DieboldMariano.test(modelLosses: losses, baselineLosses: losses, lag: 3))
        #expect(dm.statistic == 0 && dm.pValue == 1)
    }

    /// Too few rows for the lag (the HAC variance collapses as the lag nears n: p was 0 on 5 rows)
    /// and a constant non-zero differential (no variance) leave the test undefined.
    @Test func untrustworthyTestsAreUndefined() throws {
        #expect(DieboldMariano.minimumRows(lag: 23) == 240)
        #expect(DieboldMariano.tooFewRows(240, lag: 23) == nil)
        #expect(DieboldMariano.tooFewRows(239, lag: 23)
                == "239 test rows are fewer than 10 x (lag 23 + 1) = 240; the HAC variance would be biased towards 0")
        // the QA case: 5 hourly rows at lag 4 gave DM = −656.6, p = 0
        let model: [Double] = [0.01, 0.02, 0.0, 0.03, 0.01], baseline: [Double] = [0.05, 0.06, 0.04, 0.07, 0.05]
        #expect(try DieboldMariano.test(modelLosses: model, baselineLosses: baseline, lag: 4) == nil)
        let losses = (0..<240).map { Double(($0 * 37) % 11) / 10 }
        let flat = [Double](repeating: 0.4, count: 240)
        #expect(try DieboldMariano.test(modelLosses: Array(losses.dropLast()), baselineLosses: Array(flat.dropLast()), lag: 23) == nil)
        #expect(try DieboldMariano.test(modelLosses: losses, baselineLosses: flat, lag: 23) != nil)
        // a constant non-zero differential has no variance
        let constant = try DieboldMariano.test(modelLosses: [Double](repeating: 0.3, count: 50), baselineLosses: [Double](repeating: 0.1, count: 50), lag: 2)
        #expect(constant == nil)
        #expect(throws: RallyError("Diebold-Mariano: lag must be 0 or more, got -1")) {
            try DieboldMariano.test(modelLosses: [0, 1], baselineLosses: [1, 0], lag: -1)
        }
    }

    @Test func defaultLagCoversTheLabelOverlap() {
        #expect(DieboldMariano.defaultLag(rows: 17_328, horizon: 24) == 23)
        #expect(DieboldMariano.defaultLag(rows: 17_328, horizon: 1) == 12)
        // not shortened for a short test set: the test is undefined there instead
        #expect(DieboldMariano.defaultLag(rows: 5, horizon: 24) == 23)
    }

    @Test func clearlyBetterModelHasSmallPValue() throws {
        let (y, models) = SyntheticForecasts.make(rows: 5000)
        let good = zip(models[2], y).map { ($0 - $1) * ($0 - $1) }
        let naive = zip(models[0], y).map { ($0 - $1) * ($0 - $1) }
        let dm = try #require(try DieboldMariano.test(modelLosses: good, baselineLosses: naive, lag: 23))
        #expect(dm.statistic < 0)
        #expect(dm.pValue < 0.01)
    }
}
