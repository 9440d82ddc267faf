import Foundation
import Testing
@testable import RallyEngine

/// A small sample with many tied scores. Reference figures were computed once with
/// scikit-learn 1.9.1 / numpy 2.4.6 (roc_auc_score, average_precision_score,
/// brier_score_loss, log_loss on np.clip(p, 1e-6, 1 - 1e-6), calibration_curve(n_bins=10))
/// and are hard-coded below.
enum TiedSample {
    static let y: [Double] = [0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1,
                              0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0]
    static let p: [Double] = [0.1, 0.2, 0.8, 0.6, 0.1, 0.4, 0.5, 0.2, 0.7, 0.1, 0.4, 0.5, 0.4, 0.6, 0.7, 1.0, 0.3, 0.6, 0.7, 0.3,
                              0.0, 1.0, 0.3, 0.3, 0.9, 0.6, 0.5, 0.8, 0.0, 0.7, 0.4, 0.1, 0.7, 0.9, 0.2, 0.6, 0.3, 0.7, 0.7, 0.2]
}

private func close(_ a: Double, _ b: Double, _ tol: Double = 1e-12) -> Bool { abs(a - b) <= tol }

@Suite struct HandWorkedMetrics {
    // y = 1 0 1 0 0 1, p = .9 .9 .6 .3 .3 .3: two tie groups mixing the classes.
    let y: [Double] = [1, 0, 1, 0, 0, 1]
    let p: [Double] = [0.9, 0.9, 0.6, 0.3, 0.3, 0.3]

    @Test func rocAUCCountsTiesAsHalf() throws {
        // pairs (pos, neg): .9: ½+1+1, .6: 0+1+1, .3: 0+½+½ → 5.5 of 9
        #expect(close(try BinaryMetrics.rocAUC(labels: y, scores: p), 5.5 / 9))
    }

    @Test func averagePrecisionStepsOverDistinctThresholds() throws {
        // thresholds .9, .6, .3: (R, P) = (1/3, 1/2), (2/3, 2/3), (1, 1/2) → (1/2 + 2/3 + 1/2)/3
        #expect(close(try BinaryMetrics.averagePrecision(labels: y, scores: p), 5.0 / 9))
    }

    @Test func brierAndLogLoss() throws {
        #expect(close(try BinaryMetrics.brier(labels: y, probabilities: p), 1.65 / 6))
        let ll = try BinaryMetrics.logLoss(labels: [1, 0], probabilities: [1, 1])
        // p = 1 for a 0 is clipped to 1 − 1e-6: −log(1e-6)/2, and −log(1 − 1e-6)/2 for the 1
        #expect(close(ll, (-log(1e-6) - log(1 - 1e-6)) / 2, 1e-9))
    }

    @Test func topKBreaksTiesByTimeOrder() throws {
        // k = round(0.5·6) = 3: rows 0, 1, 2 → 2/3, lift (2/3)/(1/2)
        let half = try BinaryMetrics.top(labels: y, scores: p, fraction: 0.5)
        #expect(close(half.precision, 2.0 / 3))
        #expect(close(half.lift, 4.0 / 3))
        // k = 4 cuts the .3 tie group: the earliest tied row (row 3, a 0) goes first → 2/4;
        // breaking the tie the other way (row 5, a 1) would give 3/4
        #expect(close(try BinaryMetrics.top(labels: y, scores: p, fraction: 4.0 / 6).precision, 0.5))
    }

    @Test func topKRoundsHalfToEvenAsPython() throws {
        // n = 10, 0.25·10 = 2.5 → k = 2 (Python's round), the two first rows
        let yy: [Double] = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]
        let pp = [Double](repeating: 0.5, count: 10)
        #expect(close(try BinaryMetrics.top(labels: yy, scores: pp, fraction: 0.25).precision, 1))
        // and k is at least 1
        #expect(close(try BinaryMetrics.top(labels: yy, scores: pp, fraction: 0.01).precision, 1))
    }

    @Test func allTiedScoresGiveChanceAUC() throws {
        #expect(close(try BinaryMetrics.rocAUC(labels: [0, 1, 0, 1, 1], scores: [0.2, 0.2, 0.2, 0.2, 0.2]), 0.5))
        #expect(close(try BinaryMetrics.averagePrecision(labels: [0, 1, 0, 1, 1], scores: [0.2, 0.2, 0.2, 0.2, 0.2]), 0.6))
    }

    @Test func singleClassLeavesRankMetricsUndefined() throws {
        #expect(try BinaryMetrics.rocAUC(labels: [0, 0, 0], scores: [0.1, 0.2, 0.3]).isNaN)
        #expect(try BinaryMetrics.averagePrecision(labels: [0, 0, 0], scores: [0.1, 0.2, 0.3]).isNaN)
    }

    @Test func thresholdMetrics() throws {
        // p ≥ .6 called: rows 0, 1, 2 → tp 2, fp 1, fn 1
        let m = try BinaryMetrics.atThreshold(labels: y, probabilities: p, threshold: 0.6)
        #expect(close(m.precision, 2.0 / 3))
        #expect(close(m.recall, 2.0 / 3))
        #expect(close(m.f1, 2.0 / 3))
        let none = try BinaryMetrics.atThreshold(labels: y, probabilities: p, threshold: 0.95)
        #expect(none.precision == 0 && none.recall == 0 && none.f1 == 0)
    }

    @Test func brierDecompositionIsExactForBinConstantForecasts() throws {
        // two forecast values (like the naive model): 0.2 ×4 with one rally, 0.6 ×3 with two
        let yy: [Double] = [0, 0, 0, 1, 1, 1, 0]
        let pp: [Double] = [0.2, 0.2, 0.2, 0.2, 0.6, 0.6, 0.6]
        let d = try BinaryMetrics.brierDecomposition(labels: yy, probabilities: pp)
        let o = 3.0 / 7
        #expect(close(d.reliability, (4 * 0.05 * 0.05 + 3 * (0.6 - 2.0 / 3) * (0.6 - 2.0 / 3)) / 7))
        #expect(close(d.resolution, (4 * (0.25 - o) * (0.25 - o) + 3 * (2.0 / 3 - o) * (2.0 / 3 - o)) / 7))
        #expect(close(d.uncertainty, o * (1 - o)))
        #expect(close(d.residual, 0))
        #expect(close(try BinaryMetrics.expectedCalibrationError(labels: yy, probabilities: pp), (4 * 0.05 + 3 * (2.0 / 3 - 0.6)) / 7))
    }

    @Test func brierSkillAgainstClimatology() throws {
        // own base rate: reference = ō(1 − ō) = 1/4, Brier = .275 → 1 − 1.1
        #expect(close(try BinaryMetrics.brierSkill(labels: y, probabilities: p), 1 - 0.275 / 0.25))
        // climatology 0.2: reference = mean (0.2 − y)² = (3·0.64 + 3·0.04)/6 = 0.34
        #expect(close(try BinaryMetrics.brierSkill(labels: y, probabilities: p, climatology: 0.2), 1 - 0.275 / 0.34))
    }

    @Test func invalidInputIsAnErrorThatSaysWhere() {
        #expect(throws: RallyError("metrics for 'model': label at row 2 is 2, expected 0 or 1")) {
            try BinaryMetrics.brier(labels: [0, 2], probabilities: [0.1, 0.2])
        }
        #expect(throws: RallyError("metrics for 'model': probability at row 1 is nan, expected a number in [0, 1]")) {
            try BinaryMetrics.brier(labels: [0, 1], probabilities: [.nan, 0.2])
        }
        #expect(throws: RallyError("metrics for 'model': 2 labels but 1 probabilities")) {
            try BinaryMetrics.brier(labels: [0, 1], probabilities: [0.5])
        }
    }
}

@Suite struct ScikitLearnCrossCheck {
    let y = TiedSample.y, p = TiedSample.p

    @Test func rankingAndLossesMatchScikitLearn() throws {
        let v = try ForecastScorer(labels: y, probabilities: p).score()
        #expect(close(v[.rocAUC], 0.7689393939393939))
        #expect(close(v[.prAUC], 0.7148301770850789))
        #expect(close(v[.brier], 0.19425))
        #expect(close(v[.logLoss], 0.5634941898573235))
    }

    @Test func calibrationMatchesCalibrationCurve() throws {
        let curve = try BinaryMetrics.reliabilityCurve(labels: y, probabilities: p)
        let observed = [0.0, 0.5, 0.4, 0.0, 1.0 / 3, 0.8, 0.5714285714285714, 1.0, 0.5, 1.0]
        let predicted = [0.06666666666666667, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7000000000000001, 0.8, 0.9, 1.0]
        #expect(curve.count == 10)
        for (bin, (o, q)) in zip(curve, zip(observed, predicted)) {
            #expect(close(bin.observedRate, o) && close(bin.meanProbability, q))
        }
        // ECE and Murphy terms computed with numpy over the same bins
        let v = try ForecastScorer(labels: y, probabilities: p).score()
        #expect(close(v[.ece], 0.18250000000000005))
        #expect(close(v[.brierReliability], 0.04689285714285716))
        #expect(close(v[.brierResolution], 0.1004761904761905))
        #expect(close(v[.brierUncertainty], 0.2475))
    }

    @Test func topAndSkillMatchNumpy() throws {
        let v = try ForecastScorer(labels: y, probabilities: p, climatology: [Double](repeating: 0.3, count: y.count),
                                   settings: MetricSettings(top: 0.1)).score()
        #expect(close(v[.precisionAtTop], 0.75))
        #expect(close(v[.liftAtTop], 1.6666666666666665))
        #expect(close(v[.brierSkill], 0.28055555555555534))
        let own = try ForecastScorer(labels: y, probabilities: p).score()
        #expect(close(own[.brierSkill], 0.2151515151515152))
    }

    @Test func thresholdMatchesScikitLearn() throws {
        let m = try BinaryMetrics.atThreshold(labels: y, probabilities: p, threshold: 0.5)
        #expect(close(m.precision, 0.6666666666666666))
        #expect(close(m.recall, 0.7777777777777778))
        #expect(close(m.f1, 0.717948717948718))
    }

    @Test func weightsEqualTheDuplicatedSample() throws {
        // scikit-learn on y[idx], p[idx] for this multiset of rows
        let idx = [0, 0, 0, 5, 7, 7, 10, 11, 12, 13, 13, 14, 20, 21, 22, 23, 30, 31, 32, 33]
        var w = [Double](repeating: 0, count: y.count)
        for i in idx { w[i] += 1 }
        let v = try ForecastScorer(labels: y, probabilities: p).score(weights: w)
        #expect(close(v[.rocAUC], 0.7582417582417582))
        #expect(close(v[.prAUC], 0.7115646258503401))
        // and every figure equals the unweighted one on the duplicated arrays
        let dup = try ForecastScorer(labels: idx.map { y[$0] }, probabilities: idx.map { p[$0] }).score()
        for m in Metric.allCases where m != .precisionAtTop && m != .liftAtTop {
            #expect(close(v[m], dup[m], 1e-12), "\(m.rawValue)")
        }
    }
}

@Test func metricIndexIsThePositionInAllCases() {
    for (i, m) in Metric.allCases.enumerated() { #expect(m.index == i) }
}
