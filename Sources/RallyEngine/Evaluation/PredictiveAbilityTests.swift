import Foundation

/// One test on one loss for every ordered pair of models, as the EPF literature prints it:
/// `pValues[i][j]` tests H0 "model j (the column) is not more accurate than model i (the row)";
/// a small p says the column's model is better. The diagonal and undefined tests are NaN.
public struct PairwiseTests: Sendable, Equatable {
    /// The models, rows and columns in the same order.
    public let models: [String]
    /// `statistics[i][j]`: the test's statistic on loss(i) − loss(j) (positive: j is better).
    public let statistics: [[Double]]
    /// `pValues[i][j]`: the one-sided p-value that j beats i.
    public let pValues: [[Double]]

    /// Runs `test` on the daily differentials loss(i) − loss(j) of every ordered pair.
    static func run(_ losses: [[Double]], models: [String],
                    test: ([Double]) throws -> (statistic: Double, pValue: Double)?) rethrows -> PairwiseTests {
        var statistics = [[Double]](repeating: [Double](repeating: .nan, count: models.count), count: models.count)
        var pValues = statistics
        for i in models.indices {
            for j in models.indices where i != j {
                if let result = try test(DailyLosses.differentials(losses[i], losses[j])) {
                    statistics[i][j] = result.statistic
                    pValues[i][j] = result.pValue
                }
            }
        }
        return PairwiseTests(models: models, statistics: statistics, pValues: pValues)
    }

    /// `{"statistic": [[...]], "p": [[...]]}`, rows and columns in model order, null on the
    /// diagonal and for undefined tests.
    var json: JSONValue {
        func matrix(_ m: [[Double]]) -> JSONValue { .array(m.map { .array($0.map(JSONValue.finite)) }) }
        return .object([("statistic", matrix(statistics)), ("p", matrix(pValues))])
    }
}

/// The predictive-ability tests of the EPF literature between every pair of models of an
/// evaluation, on the daily loss vectors (``DailyLosses``) of the Brier and the log loss: the
/// Giacomini–White test of conditional predictive ability (``GiacominiWhite``) and the
/// multivariate Diebold–Mariano test (``MultivariateDieboldMariano``). It complements, and
/// does not replace, the hourly Diebold–Mariano tests against the baseline.
public struct PredictiveAbilityTests: Sendable {
    /// Complete days tested.
    public let days: Int
    /// Test rows of incomplete days, left out.
    public let rowsLeftOut: Int
    /// Rows per complete day.
    public let stepsPerDay: Int
    /// Giacomini–White on the Brier and the log-loss differentials.
    public let giacominiWhiteBrier: PairwiseTests, giacominiWhiteLogLoss: PairwiseTests
    /// Multivariate Diebold–Mariano on the Brier and the log-loss differentials.
    public let dieboldMarianoBrier: PairwiseTests, dieboldMarianoLogLoss: PairwiseTests

    /// Both tests on both losses for every ordered pair of `names`.
    public init(_ daily: DailyLosses, names: [String], stepsPerDay: Int = 24) throws {
        days = daily.days.count
        rowsLeftOut = daily.rowsLeftOut
        self.stepsPerDay = stepsPerDay
        func gw(_ d: [Double]) throws -> (statistic: Double, pValue: Double)? {
            try GiacominiWhite.test(differentials: d).map { ($0.statistic, $0.pValue) }
        }
        func mdm(_ d: [Double]) throws -> (statistic: Double, pValue: Double)? {
            try MultivariateDieboldMariano.test(differentials: d).map { ($0.statistic, $0.pValue) }
        }
        giacominiWhiteBrier = try PairwiseTests.run(daily.brier, models: names, test: gw)
        giacominiWhiteLogLoss = try PairwiseTests.run(daily.logLoss, models: names, test: gw)
        dieboldMarianoBrier = try PairwiseTests.run(daily.brier, models: names, test: mdm)
        dieboldMarianoLogLoss = try PairwiseTests.run(daily.logLoss, models: names, test: mdm)
    }

    /// Why the tests are undefined (fewer than 10 complete days, or 11 for Giacomini–White), or nil.
    public var undefinedReason: String? {
        let needed = DieboldMariano.minimumRows(lag: 0) + 1
        guard days < needed else { return nil }
        return "the pairwise daily tests need at least \(needed) complete days of \(stepsPerDay) test rows; the test rows hold \(days)"
    }

    /// What a p-value in the matrices means, as written in metrics.json.
    static let reading = "p[i][j]: one-sided test of H0 'models[j] is not more accurate than models[i]'; a small p says the column model j is better"

    /// The `giacomini_white` object of metrics.json.
    public var giacominiWhiteJSON: JSONValue {
        .object(header + [
            ("instruments", .array([.string("constant"), .string("lagged differential")])), ("tau_days", .integer(1)),
            ("statistic", .string("T R^2 of 1 regressed on (d_t, d_t-1 d_t), signed by the mean of d; chi-square, 2 degrees of freedom")),
            ("brier", giacominiWhiteBrier.json), ("log_loss", giacominiWhiteLogLoss.json),
        ])
    }

    /// The `multivariate_dm` object of metrics.json.
    public var multivariateDieboldMarianoJSON: JSONValue {
        .object(header + [
            ("statistic", .string("mean(d) / sqrt(var(d) / N), variance with divisor N; standard normal")),
            ("brier", dieboldMarianoBrier.json), ("log_loss", dieboldMarianoLogLoss.json),
        ])
    }

    private var header: [(String, JSONValue)] {
        [("days", .integer(days)), ("hours_per_day", .integer(stepsPerDay)), ("rows_left_out", .integer(rowsLeftOut)),
         ("differential", .string("d_t = mean loss of models[i] - mean loss of models[j] over day t's hours")),
         ("reading", .string(Self.reading))]
    }

    /// The compact section under the comparison table: one matrix per test, each cell
    /// `p Brier / p log loss`.
    public var text: String {
        var lines = ["pairwise tests on \(days) daily loss vectors (\(stepsPerDay) hourly losses each"
                     + (rowsLeftOut > 0 ? "; \(rowsLeftOut) rows of incomplete days left out" : "")
                     + "): p of H0 \"the column model is not more accurate than the row model\", Brier / log loss; small p: the column is better"]
        if let reason = undefinedReason { return (lines + ["  undefined: " + reason]).joined(separator: "\n") }
        for (name, brier, logLoss) in [("Giacomini-White", giacominiWhiteBrier, giacominiWhiteLogLoss),
                                       ("multivariate DM", dieboldMarianoBrier, dieboldMarianoLogLoss)] {
            let models = brier.models
            var rows = [[name] + models]
            for i in models.indices {
                rows.append(["  " + models[i]] + models.indices.map { j in
                    i == j ? "—" : ComparisonTable.pValue(brier.pValues[i][j]) + " / " + ComparisonTable.pValue(logLoss.pValues[i][j])
                })
            }
            let widths = rows[0].indices.map { k in rows.map { $0[k].count }.max() ?? 0 }
            lines += rows.map { row in
                row.enumerated().map { k, cell in k == row.count - 1 ? cell : cell.padding(toLength: widths[k], withPad: " ", startingAt: 0) }
                    .joined(separator: "  ")
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension EvaluationResult {
    /// The pairwise Giacomini–White and multivariate Diebold–Mariano tests of this evaluation's
    /// models on their daily Brier and log-loss vectors (nil with fewer than two models).
    public func predictiveAbilityTests(stepsPerDay: Int = 24) throws -> PredictiveAbilityTests? {
        guard models.count > 1 else { return nil }
        let names = models.map(\.name)
        let daily = try DailyLosses(times: testTimes, labels: testLabels, predictions: models.map(\.predictions), names: names,
                                    settings: plan.metrics, stepsPerDay: stepsPerDay)
        return try PredictiveAbilityTests(daily, names: names, stepsPerDay: stepsPerDay)
    }
}
