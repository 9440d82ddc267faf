import Foundation
import Testing
@testable import RallyEngine

/// A 30-day x 24-hour case shared by the EPF-toolbox checks: outcomes and two forecasts from
/// integer formulas (so Python and Swift build the same numbers).
enum EPFCase {
    static let days = 30, hours = 24
    static func y(_ d: Int, _ h: Int) -> Double { (d * 7 + h * 3) % 11 == 0 ? 1 : 0 }
    static func p1(_ d: Int, _ h: Int) -> Double { Double((d * 5 + h * 7) % 13) / 13 * 0.5 + 0.05 }
    static func p2(_ d: Int, _ h: Int) -> Double { Double((d * 3 + h * 11) % 17) / 17 * 0.6 + 0.02 }
    /// Hourly times from 2017-01-01 00:00, and the three series row by row.
    static func rows() throws -> (times: [Int64], y: [Double], p1: [Double], p2: [Double]) {
        let start = try TimeStamp.parse("2017-01-01 00:00")
        var times: [Int64] = [], y: [Double] = [], p1: [Double] = [], p2: [Double] = []
        for d in 0..<days {
            for h in 0..<hours {
                times.append(start + Int64(d * 24 + h) * 3600)
                y.append(Self.y(d, h)); p1.append(Self.p1(d, h)); p2.append(Self.p2(d, h))
            }
        }
        return (times, y, p1, p2)
    }
}

@Suite struct PredictiveAbilityTestsSuite {
    /// Q(k/2, x/2) against closed forms (k = 1: erfc(√(x/2)); k = 2: e^(−x/2); k = 3:
    /// erfc(√(x/2)) + √(2x/π) e^(−x/2)) and scipy.stats.chi2.sf (k = 5, 24: printed by scipy 1.17.1).
    @Test func chiSquareSurvival() {
        for x in [0.01, 0.3, 1, 2.5, 7, 30, 80] {
            #expect(abs(ChiSquare.survival(x, degrees: 1) - erfc((x / 2).squareRoot())) < 1e-14)
            #expect(abs(ChiSquare.survival(x, degrees: 2) - exp(-x / 2)) <= 1e-14 * exp(-x / 2) + 1e-300)
            let k3 = erfc((x / 2).squareRoot()) + (2 * x / Double.pi).squareRoot() * exp(-x / 2)
            #expect(abs(ChiSquare.survival(x, degrees: 3) - k3) <= 1e-13 * k3)
        }
        #expect(abs(ChiSquare.survival(3.7, degrees: 5) - 0.5933639617818078) < 1e-14)
        #expect(abs(ChiSquare.survival(40, degrees: 24) - 0.02138682158728023) < 1e-15)
        #expect(abs(ChiSquare.survival(50, degrees: 3) - 7.989179244951495e-11) < 1e-23)
        #expect(ChiSquare.survival(0, degrees: 2) == 1)
        #expect(ChiSquare.survival(-3.6, degrees: 2) == 1)
    }

    /// The case run through a verbatim copy of epftoolbox's `GW` and `DM` (version
    /// "multivariate", norm = 2: the squared error of a probability is its Brier loss, p_real = y)
    /// with numpy 2.4.6 / scipy 1.17.1, printed with repr:
    /// DM(y, p1, p2) = (-2.3016203354278026, 0.9893217038391555), DM(y, p2, p1) = (2.3016..., 0.01067829616084448);
    /// GW(y, p1, p2) = (-3.6910466701774025, 1.0), GW(y, p2, p1) = (3.6910466701774025, 0.15794264233050548).
    /// (epftoolbox takes T from max(d.shape), so it needs more days than hours: hence 30 days.)
    @Test func matchesTheEPFToolboxOnBrierLosses() throws {
        let c = try EPFCase.rows()
        let daily = try DailyLosses(times: c.times, labels: c.y, predictions: [c.p1, c.p2], names: ["one", "two"],
                                    settings: MetricSettings())
        #expect(daily.days.count == 30 && daily.rowsLeftOut == 0)
        #expect(abs(daily.brier[0][0] - daily.brier[1][0] - -0.09812128) < 5e-9)   // numpy's first daily differential
        let d12 = DailyLosses.differentials(daily.brier[0], daily.brier[1])
        let dm = try #require(try MultivariateDieboldMariano.test(differentials: d12))
        #expect(abs(dm.statistic - -2.3016203354278026) < 1e-12)
        #expect(abs(dm.pValue - 0.9893217038391555) < 1e-12)
        let dm21 = try #require(try MultivariateDieboldMariano.test(differentials: d12.map { -$0 }))
        #expect(abs(dm21.pValue - 0.01067829616084448) < 1e-13)
        let gw = try #require(try GiacominiWhite.test(differentials: d12))
        #expect(abs(gw.statistic - -3.6910466701774025) < 1e-11)
        #expect(gw.pValue == 1 && gw.days == 29)
        let gw21 = try #require(try GiacominiWhite.test(differentials: d12.map { -$0 }))
        #expect(abs(gw21.statistic - 3.6910466701774025) < 1e-11)
        #expect(abs(gw21.pValue - 0.15794264233050548) < 1e-12)

        let tests = try PredictiveAbilityTests(daily, names: ["one", "two"])
        #expect(tests.dieboldMarianoBrier.pValues[1][0] == dm21.pValue)   // row two, column one: "one beats two"
        #expect(tests.dieboldMarianoBrier.pValues[0][1] == dm.pValue)
        #expect(tests.giacominiWhiteBrier.pValues[1][0] == gw21.pValue)
        #expect(tests.giacominiWhiteBrier.pValues[0][0].isNaN)
    }

    /// By hand: 11 days (10 in the regression) with dₜ alternating 1, 3: instruments (1, dₜ₋₁),
    /// z = (dₜ, dₜ₋₁dₜ) is (3, 3) or (1, 3), and 1 lies in their span, so R² = 1, T·R² = 10,
    /// p = e^(−10/2) = e^(−5) (χ² with 2 degrees of freedom). A constant differential d = 2
    /// gives collinear columns (2, 4): ŷ = 1 again, T·R² = 10.
    @Test func giacominiWhiteByHand() throws {
        let alternating = (0..<11).map { $0 % 2 == 0 ? 1.0 : 3.0 }
        let gw = try #require(try GiacominiWhite.test(differentials: alternating))
        #expect(abs(gw.statistic - 10) < 1e-12 && abs(gw.pValue - exp(-5)) < 1e-15)
        let constant = try #require(try GiacominiWhite.test(differentials: [Double](repeating: 2, count: 11)))
        #expect(abs(constant.statistic - 10) < 1e-12)
        let zero = try #require(try GiacominiWhite.test(differentials: [Double](repeating: 0, count: 11)))
        #expect(zero.statistic == 0 && zero.pValue == 1)
        #expect(try GiacominiWhite.test(differentials: [Double](repeating: 1, count: 10)) == nil)   // 9 days < 10
        #expect(throws: RallyError.self) { try GiacominiWhite.test(differentials: [1, .nan] + [Double](repeating: 1, count: 10)) }
    }

    /// By hand: d = (1, 2, ..., 10): mean 5.5, variance (divisor 10) 8.25, statistic
    /// 5.5 / √0.825 = 6.0553..., p = Φ(−6.0553) = erfc(6.0553/√2)/2.
    @Test func multivariateDieboldMarianoByHand() throws {
        let d = (1...10).map(Double.init)
        let dm = try #require(try MultivariateDieboldMariano.test(differentials: d))
        let z = 5.5 / 0.825.squareRoot()
        #expect(abs(dm.statistic - z) < 1e-12 && abs(dm.pValue - erfc(z / 2.0.squareRoot()) / 2) < 1e-22)
        #expect(try MultivariateDieboldMariano.test(differentials: [Double](repeating: 0, count: 10))?.pValue == 0.5)
        #expect(try MultivariateDieboldMariano.test(differentials: [Double](repeating: 0.2, count: 10)) == nil)
        #expect(try MultivariateDieboldMariano.test(differentials: [Double](repeating: 1, count: 9)) == nil)
    }

    /// Days: only complete calendar days count; a day cut short is left out and counted. The
    /// daily log loss is the mean of the clipped hourly log losses (p = 0 clipped to 1e-6).
    @Test func dailyGroupingAndLogLoss() throws {
        let start = try TimeStamp.parse("2017-01-01 20:00")   // 4 rows of a partial first day
        let times = (0..<(4 + 48)).map { start + Int64($0) * 3600 }
        let y = times.indices.map { $0 % 5 == 0 ? 1.0 : 0.0 }
        let p = times.indices.map { $0 == 4 ? 0.0 : 0.25 }
        let daily = try DailyLosses(times: times, labels: y, predictions: [p], names: ["m"], settings: MetricSettings())
        #expect(daily.days == [try TimeStamp.parse("2017-01-02"), try TimeStamp.parse("2017-01-03")])
        #expect(daily.rowsLeftOut == 4)
        // day 1 = rows 4..<28: rallies at rows 5, 10, 15, 20, 25 (p 0.25) and row 4 has p = 0 with y = 0
        let day1 = (4..<28).map { i -> Double in y[i] == 1 ? -log(p[i] == 0 ? 1e-6 : p[i]) : -log(1 - max(p[i], 1e-6)) }
        #expect(abs(daily.logLoss[0][0] - day1.reduce(0, +) / 24) < 1e-15)
        #expect(throws: RallyError.self) { try DailyLosses(times: times.reversed(), labels: y, predictions: [p], names: ["m"], settings: MetricSettings()) }
    }
}

@Suite struct PredictiveAbilityEvaluationTests {
    /// An evaluation carries the pairwise tests: metrics.json has both objects with a 2 x 2
    /// matrix per loss (null diagonal), the table prints the section, and the figures are
    /// those of the tests run on the result's own predictions.
    @Test func evaluationWritesAndPrintsThePairwiseTests() throws {
        let data = try SyntheticPJM.generate(years: 2, seed: 3)
        let schedule = EvaluationSchedule.split(try TimeSplit(trainEnd: TimeStamp.parse("2013-12-31 23:00"),
                                                              testStart: TimeStamp.parse("2014-01-01"), embargoHours: 24))
        let plan = EvaluationPlan(features: .protocolV1(), labeler: .protocolV1, schedule: schedule,
                                  bootstrap: BlockBootstrap(block: 168, resamples: 0, seed: 7))
        let result = try Evaluator(plan: plan).run(on: data, models: [try ModelSpec(kind: "naive"), try ModelSpec(kind: "logreg")])
        let tests = try #require(result.predictiveAbility)
        #expect(tests.days > 300 && tests.rowsLeftOut < 24)
        let daily = try DailyLosses(times: result.testTimes, labels: result.testLabels, predictions: result.models.map(\.predictions),
                                    names: ["naive", "logreg"], settings: plan.metrics)
        let gw = try #require(try GiacominiWhite.test(differentials: DailyLosses.differentials(daily.logLoss[0], daily.logLoss[1])))
        #expect(tests.giacominiWhiteLogLoss.pValues[0][1] == gw.pValue)
        let json = EvaluationArtifacts(result).metricsJSON()
        let text = json.text()
        #expect(text.contains("\"giacomini_white\": {") && text.contains("\"multivariate_dm\": {"))
        #expect(text.contains("[null, ") || text.contains("[null,"))
        let table = ComparisonTable(result).text
        #expect(table.contains("pairwise tests on \(tests.days) daily loss vectors"))
        #expect(table.contains("Giacomini-White") && table.contains("multivariate DM"))
    }
}
