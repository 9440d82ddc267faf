import Foundation
import Testing
@testable import RallyEngine

private func close(_ a: Double, _ b: Double, _ tol: Double = 1e-12) -> Bool { abs(a - b) <= tol }

/// Twenty hours: rallies at 3-4, 8, 10-11 and 16; alarms (p >= 0.5) at 2, 9-10, 14 and 18-19.
private enum TwentyHours {
    static let times: [Int64] = (0..<20).map { Int64($0) * 3600 }
    static let y: [Double] = (0..<20).map { [3, 4, 8, 10, 11, 16].contains($0) ? 1 : 0 }
    static let p: [Double] = (0..<20).map { [2, 9, 10, 14, 18, 19].contains($0) ? 0.8 : 0.1 }

    static func figures(gap: Int, lead: Int, p: [Double] = p, weights: [Double]? = nil) throws -> [Double] {
        let settings = EpisodeSettings(rule: .threshold(0.5), gapHours: gap, leadHours: lead)
        return try RallyEpisodes(times: times, labels: y, settings: settings).outcome(p).figures(weights: weights)
    }
}

@Suite struct RallyEpisodeTests {
    private func figure(_ values: [Double], _ f: EpisodeFigure) -> Double { values[EpisodeFigure.allCases.firstIndex(of: f)!] }

    @Test func episodesAndAlarmRunsByHand() throws {
        // episodes [3,4] [8] [10,11] [16]; lead 1: windows [2,4] [7,8] [9,11] [15,16]
        // [3,4] caught by 2 (lead 1), [8] missed (9 is after it), [10,11] caught by 9 (lead 1), [16] missed
        let v = try TwentyHours.figures(gap: 0, lead: 1)
        #expect(figure(v, .episodes) == 4)
        #expect(figure(v, .caught) == 0.5 && figure(v, .caughtEarly) == 0.5 && figure(v, .caughtLate) == 0)
        #expect(figure(v, .leadMedian) == 1 && figure(v, .leadQ1) == 1 && figure(v, .leadQ3) == 1)
        // alarm runs [2] [9,10] [14] [18,19]: the last two touch no window; 20 hours = 20/720 of 30 days
        #expect(close(figure(v, .falseAlarms), 2 / (20.0 / 720)))
        #expect(close(figure(v, .alarmHours), 6 / (20.0 / 720)))
    }

    @Test func gapToleranceMergesEpisodesAndLateAlarmsAreNegativeLeads() throws {
        // gap 1: [3,4] [8..11] [16]; [8..11]'s first alarm is 9, one hour after it began: lead −1, late
        let v = try TwentyHours.figures(gap: 1, lead: 1)
        #expect(figure(v, .episodes) == 3)
        #expect(close(figure(v, .caught), 2.0 / 3) && close(figure(v, .caughtEarly), 1.0 / 3) && close(figure(v, .caughtLate), 1.0 / 3))
        #expect(figure(v, .leadMedian) == 0 && figure(v, .leadQ1) == -0.5 && figure(v, .leadQ3) == 0.5)
        #expect(close(figure(v, .falseAlarms), 2 / (20.0 / 720)))
    }

    @Test func leadZeroNeedsAnAlarmInsideTheEpisode() throws {
        // lead 0: the alarm at 2 no longer catches [3,4] and becomes a false alarm run; 10 catches [10,11] at its start
        let v = try TwentyHours.figures(gap: 0, lead: 0)
        #expect(figure(v, .caught) == 0.25 && figure(v, .caughtEarly) == 0.25)
        #expect(figure(v, .leadMedian) == 0)
        #expect(close(figure(v, .falseAlarms), 3 / (20.0 / 720)))
    }

    @Test func missingHoursCountAsCalm() throws {
        // hour 3 is missing: rallies at 2 and 4 are two episodes unless one calm hour is tolerated
        let times: [Int64] = [0, 1, 2, 4, 5].map { $0 * 3600 }
        let y: [Double] = [0, 0, 1, 1, 0]
        #expect(try RallyEpisodes(times: times, labels: y, settings: EpisodeSettings(gapHours: 0)).episodes.count == 2)
        #expect(try RallyEpisodes(times: times, labels: y, settings: EpisodeSettings(gapHours: 1)).episodes.count == 1)
    }

    @Test func resampledEpisodesFollowTheirFirstHour() throws {
        // dropping the first hour of [3,4] drops that (caught) episode; doubling every row changes no share or rate
        var weights = [Double](repeating: 1, count: 20)
        weights[3] = 0
        let dropped = try TwentyHours.figures(gap: 0, lead: 1, weights: weights)
        #expect(figure(dropped, .episodes) == 3 && close(figure(dropped, .caught), 1.0 / 3))
        let doubled = try TwentyHours.figures(gap: 0, lead: 1, weights: [Double](repeating: 2, count: 20))
        let once = try TwentyHours.figures(gap: 0, lead: 1)
        #expect(figure(doubled, .episodes) == 8)
        for f in EpisodeFigure.allCases where f != .episodes { #expect(close(figure(doubled, f), figure(once, f))) }
    }

    @Test func topShareAlarmsBreakTiesByTime() {
        #expect(AlarmRule.top(0.25).alarms([0.5, 0.9, 0.5, 0.5, 0.1, 0.5, 0.5, 0.5]) == [true, true, false, false, false, false, false, false])
        #expect(AlarmRule.threshold(0.5).alarms([0.49, 0.5]) == [false, true])
    }

    @Test func tableIsDeterministicWithIntervals() throws {
        let n = 2000
        let times = (0..<n).map { Int64($0) * 3600 }
        let y = (0..<n).map { Double(($0 / 7) % 9 == 0 ? 1 : 0) }
        let p = (0..<n).map { i in y[min(i + 2, n - 1)] == 1 ? 0.7 : Double(i % 10) / 40 }
        let settings = EpisodeSettings(rule: .threshold(0.5), gapHours: 0, leadHours: 6)
        let scheme = BlockBootstrap(block: 48, resamples: 200, seed: 3)
        let a = try EpisodeTable.compute(times: times, labels: y, models: [("m", p)], settings: settings, bootstrap: scheme, threads: 2)
        let b = try EpisodeTable.compute(times: times, labels: y, models: [("m", p)], settings: settings, bootstrap: scheme, threads: 1)
        #expect(a.values == b.values && a.intervals == b.intervals)
        // every episode is warned two hours ahead
        #expect(a.values[0][1] == 1 && a.values[0][4] == 2)
        let caught = a.intervals[0][1]
        #expect(caught.lower == 1 && caught.upper == 1)
        let falseAlarms = a.intervals[0][7]
        #expect(falseAlarms.lower <= a.values[0][7] && a.values[0][7] <= falseAlarms.upper)
        let none = try EpisodeTable.compute(times: times, labels: y, models: [("m", p)], settings: settings,
                                            bootstrap: BlockBootstrap(resamples: 0))
        #expect(none.intervals[0].allSatisfy { $0.lower.isNaN })
    }
}

@Suite struct EconomicValueTests {
    // n = 10, rallies at rows 0 and 3 (s = 0.2)
    let y: [Double] = [1, 0, 0, 1, 0, 0, 0, 0, 0, 0]
    let p: [Double] = [0.9, 0.8, 0.1, 0.3, 0.2, 0.1, 0.1, 0.05, 0.05, 0.05]

    private func calibrated(_ alphas: [Double]) throws -> [Double] {
        try ValueCurves.compute(labels: y, foldSizes: [10], models: [("m", p, nil)], alphas: alphas,
                                bootstrap: BlockBootstrap(resamples: 0)).models[0].calibrated
    }

    @Test func valueByHand() throws {
        // α 0.25: act on rows 0, 1, 3 → E = 0.75/10; climatology min(0.25, 0.2) = 0.2; perfect 0.05 → 0.125/0.15
        // α 0.5: act on 0, 1 → E = (1 + 1)/10 = 0.2 = climatology → 0
        // α 0.1: act on 0-6 → E = 0.07; climatology 0.1; perfect 0.02 → 0.03/0.08
        let v = try calibrated([0.1, 0.25, 0.5])
        #expect(close(v[0], 0.375) && close(v[1], 0.125 / 0.15) && close(v[2], 0))
    }

    @Test func perfectAndClimatologicalForecasts() throws {
        let perfect = try ValueCurves.compute(labels: y, foldSizes: [10], models: [("m", y, nil)], alphas: [0.1, 0.5, 0.9],
                                              bootstrap: BlockBootstrap(resamples: 0)).models[0].calibrated
        #expect(perfect.allSatisfy { close($0, 1) })
        let flat = [Double](repeating: 0.2, count: 10)
        let climate = try ValueCurves.compute(labels: y, foldSizes: [10], models: [("m", flat, nil)], alphas: [0.1, 0.19, 0.21, 0.9],
                                              bootstrap: BlockBootstrap(resamples: 0)).models[0].calibrated
        #expect(climate.allSatisfy { close($0, 0) })
    }

    @Test func bestThresholdOnTrainingRows() {
        let sample = ForecastSample(labels: [1, 1, 0, 0, 0, 1, 0, 0], probabilities: [0.9, 0.6, 0.6, 0.3, 0.2, 0.2, 0.1, 0.1])
        // α 0.25, expenses: never 3, ≥.9 2.25, ≥.6 1.75, ≥.3 2, ≥.2 1.5, ≥.1 2 → 0.2
        #expect(EconomicValue.bestThreshold(sample, alpha: 0.25) == 0.2)
        // α 0.6: never 3, ≥.9 2.6, ≥.6 2.8, ... → 0.9
        #expect(EconomicValue.bestThreshold(sample, alpha: 0.6) == 0.9)
        // never acting is cheapest: +∞
        #expect(EconomicValue.bestThreshold(ForecastSample(labels: [0, 1], probabilities: [0.9, 0.5]), alpha: 0.6) == .infinity)
    }

    @Test func trainedThresholdsActPerFold() throws {
        // fold 1 trains to τ = 0.45 at α 0.3 (expense 0.3 against 1 never, 0.6 at ≥ 0.1); fold 2 to τ = 0.65 (0.6 against 1, 0.9)
        let labels: [Double] = [1, 0, 0, 0, 0, 0, 1, 0, 0, 0]
        let probabilities = [0.5, 0.4, 0.3, 0.2, 0.1, 0.6, 0.7, 0.1, 0.1, 0.1]
        let training = [ForecastSample(labels: [1, 0], probabilities: [0.45, 0.1]),
                        ForecastSample(labels: [1, 0, 0], probabilities: [0.65, 0.65, 0.1])]
        let curve = try ValueCurves.compute(labels: labels, foldSizes: [5, 5], models: [("m", probabilities, training)], alphas: [0.3],
                                            bootstrap: BlockBootstrap(resamples: 0)).models[0]
        #expect(curve.thresholds! == [[0.45], [0.65]])
        // trained: one alarm per fold, both rallies → perfect; calibrated (p ≥ 0.3): 5 alarms, 2 hits → (0.2 − 0.15)/(0.2 − 0.06)
        #expect(close(curve.trained![0], 1))
        #expect(close(curve.calibrated[0], 0.05 / 0.14))
    }

    @Test func bandsAreDeterministicAndBounded() throws {
        let n = 1000
        let labels = (0..<n).map { Double(($0 * 7919) % 13 == 0 ? 1 : 0) }
        let probabilities = (0..<n).map { labels[$0] == 1 ? 0.6 : Double(($0 * 31) % 50) / 100 }
        let scheme = BlockBootstrap(block: 50, resamples: 100, seed: 9)
        let a = try ValueCurves.compute(labels: labels, foldSizes: [n], models: [("m", probabilities, nil)], alphas: [0.05, 0.3], bootstrap: scheme)
        let b = try ValueCurves.compute(labels: labels, foldSizes: [n], models: [("m", probabilities, nil)], alphas: [0.05, 0.3], bootstrap: scheme, threads: 1)
        #expect(a.models[0].calibratedBand == b.models[0].calibratedBand)
        for (v, band) in zip(a.models[0].calibrated, a.models[0].calibratedBand) {
            #expect(band.lower <= band.upper && band.upper <= 1 && band.lower <= v + 0.2)
        }
        #expect(throws: RallyError.self) { try ValueCurves.compute(labels: labels, foldSizes: [n], models: [("m", probabilities, nil)], alphas: [1], bootstrap: scheme) }
    }

    @Test func evaluationKeepsTrainingPredictionsForTheValueCurve() throws {
        let data = try SyntheticPJM.generate(years: 3, seed: 5)
        let wf = try WalkForward(firstTestStart: TimeStamp.parse("2014-07-01"), end: TimeStamp.parse("2016-01-01"),
                                 step: .months(6), embargoHours: 24)
        let plan = EvaluationPlan(features: .protocolV1(), labeler: .protocolV1, schedule: .walkForward(wf),
                                  bootstrap: BlockBootstrap(resamples: 50))
        let r = try Evaluator(plan: plan).run(on: data, models: [try ModelSpec(kind: "naive"), try ModelSpec(kind: "logreg")])
        for m in r.models {
            #expect(m.training?.map(\.labels.count) == r.folds.map(\.trainRows))
            #expect(m.training?.map(\.probabilities.count) == r.folds.map(\.trainRows))
        }
        let curves = try r.valueCurves(alphas: [0.05, 0.1, 0.2])
        #expect(curves.models.count == 2 && curves.models.allSatisfy { $0.trained?.count == 3 && $0.thresholds?.count == r.folds.count })
        let json = EvaluationArtifacts(r).metricsJSON().text()
        #expect(json.contains("\"economic_value\"") && json.contains("\"episodes\"") && json.contains("\"caught_early\""))
        // a sweep keeps no training predictions
        #expect(!SweepPlan(evaluation: plan, grid: try SweepGrid()).evaluation.keepsTrainingPredictions)
    }
}
