import Foundation
import Testing
@testable import RallyEngine

/// The value curves and episode figures score resamples eight at a time from row counts; these
/// tests hold them to the weights path (each resample's weights, one by one) bit for bit, on the
/// same resamples.
@Suite struct DecisionBatchTests {
    private func bits(_ xs: [Double]) -> [UInt64] { xs.map(\.bitPattern) }
    private func bits(_ xs: [Interval]) -> [UInt64] { xs.flatMap { [$0.lower.bitPattern, $0.upper.bitPattern] } }

    /// Rallies in clusters, probabilities with ties (two decimals) and a two-valued model.
    private func sample(rows n: Int, seed: Int) -> (times: [Int64], y: [Double], models: [(String, [Double])]) {
        var rng = Xoshiro256StarStar(seed: UInt64(seed), stream: 0)
        var y = [Double](repeating: 0, count: n)
        var i = 0
        while i < n {
            if rng.below(40) == 0 {
                let length = 1 + Int(rng.below(12))
                for j in i..<min(n, i + length) { y[j] = 1 }
                i += length
            } else {
                i += 1
            }
        }
        let sharp = (0..<n).map { k in y[min(k + 2, n - 1)] == 1 ? 0.5 + Double(rng.below(50)) / 100 : Double(rng.below(60)) / 100 }
        let tied = sharp.map { ($0 * 10).rounded() / 10 }
        let twoValued = (0..<n).map { k in k % 24 < 6 ? 0.2 : 0.05 }
        // an hour missing now and then: times are not all one step apart
        var times: [Int64] = [], t: Int64 = 0
        for k in 0..<n {
            times.append(t)
            t += k % 500 == 499 ? 7200 : 3600
        }
        return (times, y, [("sharp", sharp), ("tied", tied), ("two", twoValued)])
    }

    private func compareValue(rows: Int, folds: [Int], scheme: BlockBootstrap, threads: Int = 2, seed: Int = 1) throws {
        let s = sample(rows: rows, seed: seed)
        let training = folds.indices.map { f in
            let t = sample(rows: 400, seed: seed * 10 + f)
            return t.models.map { ForecastSample(labels: t.y, probabilities: $0.1) }
        }
        let models = s.models.enumerated().map { m, model in
            (name: model.0, probabilities: model.1, training: m == 2 ? nil : Optional(folds.indices.map { training[$0][m] }))
        }
        let alphas = [0.01, 0.05, 0.1, 0.2, 0.35, 0.5, 0.8, 0.99]
        let batched = try ValueCurves.compute(labels: s.y, foldSizes: folds, models: models, alphas: alphas, bootstrap: scheme,
                                              threads: threads, batched: true)
        let reference = try ValueCurves.compute(labels: s.y, foldSizes: folds, models: models, alphas: alphas, bootstrap: scheme,
                                                threads: 1, batched: false)
        for (a, b) in zip(batched.models, reference.models) {
            #expect(bits(a.calibrated) == bits(b.calibrated))
            #expect(bits(a.calibratedBand) == bits(b.calibratedBand))
            #expect(a.trained.map(bits) == b.trained.map(bits))
            #expect(a.trainedBand.map(bits) == b.trainedBand.map(bits))
        }
    }

    private func compareEpisodes(rows: Int, settings: EpisodeSettings, scheme: BlockBootstrap, threads: Int = 2, seed: Int = 1) throws {
        let s = sample(rows: rows, seed: seed)
        let batched = try EpisodeTable.compute(times: s.times, labels: s.y, models: s.models, settings: settings, bootstrap: scheme,
                                               horizon: 24, threads: threads, batched: true)
        let reference = try EpisodeTable.compute(times: s.times, labels: s.y, models: s.models, settings: settings, bootstrap: scheme,
                                                 horizon: 24, threads: 1, batched: false)
        #expect(batched.values.map(bits) == reference.values.map(bits))
        #expect(batched.intervals.map(bits) == reference.intervals.map(bits))
    }

    @Test func valueCurvesEqualTheWeightsPathToTheLastBit() throws {
        // 37 resamples: four full batches and one of five lanes; one fold and three
        try compareValue(rows: 3000, folds: [3000], scheme: BlockBootstrap(block: 168, resamples: 37, seed: 7))
        try compareValue(rows: 3000, folds: [1000, 1200, 800], scheme: BlockBootstrap(block: 168, resamples: 37, seed: 7), threads: 3)
        // block 1 (many rows drawn several times) and one block covering almost everything
        try compareValue(rows: 500, folds: [250, 250], scheme: BlockBootstrap(block: 1, resamples: 9, seed: 2), seed: 3)
        try compareValue(rows: 500, folds: [500], scheme: BlockBootstrap(block: 499, resamples: 8, seed: 4), seed: 5)
    }

    @Test func episodeFiguresEqualTheWeightsPathToTheLastBit() throws {
        try compareEpisodes(rows: 3000, settings: EpisodeSettings(), scheme: BlockBootstrap(block: 168, resamples: 37, seed: 7))
        try compareEpisodes(rows: 3000, settings: EpisodeSettings(rule: .threshold(0.5), gapHours: 3, leadHours: 6),
                            scheme: BlockBootstrap(block: 48, resamples: 21, seed: 3), threads: 3, seed: 2)
        try compareEpisodes(rows: 600, settings: EpisodeSettings(rule: .top(0.2), gapHours: 0, leadHours: 0),
                            scheme: BlockBootstrap(block: 1, resamples: 9, seed: 1), seed: 4)
        try compareEpisodes(rows: 600, settings: EpisodeSettings(rule: .threshold(0.9), gapHours: 1, leadHours: 48),
                            scheme: BlockBootstrap(block: 599, resamples: 8, seed: 2), seed: 6)
    }

    @Test func evaluationDecisionFiguresEqualTheWeightsPath() throws {
        let data = try SyntheticPJM.generate(years: 3, seed: 5)
        let wf = try WalkForward(firstTestStart: TimeStamp.parse("2014-07-01"), end: TimeStamp.parse("2016-01-01"),
                                 step: .months(6), embargoHours: 24)
        let plan = EvaluationPlan(features: .protocolV1(), labeler: .protocolV1, schedule: .walkForward(wf),
                                  bootstrap: BlockBootstrap(block: 168, resamples: 30, seed: 7))
        let r = try Evaluator(plan: plan).run(on: data, models: [try ModelSpec(kind: "naive"), try ModelSpec(kind: "logreg")])
        let models = r.models.map { (name: $0.name, probabilities: $0.predictions, training: $0.training) }
        let alphas = EconomicValue.defaultAlphas
        let a = try ValueCurves.compute(labels: r.testLabels, foldSizes: r.folds.map(\.testRows), models: models, alphas: alphas,
                                        bootstrap: plan.bootstrap, threads: 2, batched: true)
        let b = try ValueCurves.compute(labels: r.testLabels, foldSizes: r.folds.map(\.testRows), models: models, alphas: alphas,
                                        bootstrap: plan.bootstrap, threads: 2, batched: false)
        #expect(a.json.text() == b.json.text())
        let e = try EpisodeTable.compute(times: r.testTimes, labels: r.testLabels, models: models.map { ($0.name, $0.probabilities) },
                                         settings: EpisodeSettings(), bootstrap: plan.bootstrap, horizon: 24, threads: 2, batched: false)
        #expect(try r.episodes().json.text() == e.json.text())
    }
}
