import Foundation

/// The comparison table of an evaluation, as text for the terminal:
///
/// ```
/// test 2017-01-01 00:00 .. 2018-12-24 23:00: 17328 rows, 1121 rallies (base rate 6.47%), 1 fold
/// model   ROC-AUC  PR-AUC [95% CI]       Brier   log loss  prec@5%  lift@5%  skill  ECE     ΔPR-AUC vs naive [95% CI]  DM p Brier  DM p log loss
/// naive   0.745    0.320 [0.248, 0.387]  0.0452  0.1785    0.569    8.80     ...
/// ```
/// Intervals are the paired moving-block bootstrap's 95% percentile intervals; ΔPR-AUC is the
/// model's PR-AUC minus the baseline's, its interval taken over the same resamples; the DM
/// p-values are two-sided Diebold–Mariano tests of the Brier and log-loss differentials, each
/// followed by the direction of the difference (`2.5e-10 better`: the model's loss is lower than
/// the baseline's; `worse`: higher) and shown as `—` when the test is undefined.
public struct ComparisonTable {
    /// The result shown.
    public let result: EvaluationResult

    /// Creates the table of `result`.
    public init(_ result: EvaluationResult) { self.result = result }

    /// The table, a header line above it and any warnings below it.
    public var text: String {
        if let panel = result.panel { return PanelTable(result: result, panel: panel).text }
        let r = result
        let baseline = r.models[r.baseline].name
        let topLabel = Format.number(r.plan.metrics.top * 100) + "%"
        let header = ["model", "ROC-AUC", "PR-AUC [95% CI]", "Brier", "log loss", "prec@\(topLabel)", "lift@\(topLabel)",
                      "skill", "ECE", "ΔPR-AUC vs \(baseline) [95% CI]", "DM p Brier", "DM p log loss"]
        var rows = [header]
        for m in r.models {
            let v = m.metrics
            let delta = m.differences.map { d -> String in
                let diff = d[Metric.prAUC.index]
                return Self.signed(diff.value) + " " + Self.interval(diff.interval, digits: 3, signed: true)
            } ?? "—"
            rows.append([
                m.name, Self.fixed(v[.rocAUC], 3),
                Self.fixed(v[.prAUC], 3) + " " + Self.interval(m.interval(.prAUC), digits: 3, signed: false),
                Self.fixed(v[.brier], 4), Self.fixed(v[.logLoss], 4), Self.fixed(v[.precisionAtTop], 3),
                Self.fixed(v[.liftAtTop], 2), Self.fixed(v[.brierSkill], 3), Self.fixed(v[.ece], 4), delta,
                Self.dieboldMariano(m.dieboldMarianoBrier),
                Self.dieboldMariano(m.dieboldMarianoLogLoss),
            ])
        }
        let widths = header.indices.map { j in rows.map { $0[j].count }.max()! }
        var lines = [summaryLine]
        for row in rows {
            let line = row.enumerated().map { j, cell in
                j == row.count - 1 ? cell : cell.padding(toLength: widths[j], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
            lines.append(String(line.reversed().drop { $0 == " " }.reversed()))
        }
        if let tests = r.predictiveAbility { lines.append(tests.text) }
        lines += r.warnings.map { "warning: " + $0 }
        return lines.joined(separator: "\n")
    }

    /// `test <first> .. <last>: n rows, k rallies (base rate r%), f folds; bootstrap ...`.
    var summaryLine: String {
        let r = result
        guard let first = r.testTimes.first, let last = r.testTimes.last else { return "no test rows" }
        let folds = r.folds.count == 1 ? "1 fold" : "\(r.folds.count) folds"
        let boot = r.plan.bootstrap.resamples > 0
            ? "bootstrap \(r.bootstrapUsed) resamples, blocks of \(r.plan.bootstrap.block), seed \(r.plan.bootstrap.seed)"
            : "no bootstrap"
        return "test \(TimeStamp.format(first)) .. \(TimeStamp.format(last)): \(r.testTimes.count) rows, \(r.testPositives) rallies "
            + "(base rate \(Format.fixed(r.testBaseRate * 100, digits: 2))%), \(folds); \(boot); DM lag \(r.dieboldMarianoLag)"
    }

    static func fixed(_ x: Double, _ digits: Int) -> String { x.isNaN ? "—" : Format.fixed(x, digits: digits) }

    static func signed(_ x: Double) -> String { x.isNaN ? "—" : (x >= 0 ? "+" : "") + Format.fixed(x, digits: 3) }

    static func interval(_ i: Interval, digits: Int, signed: Bool) -> String {
        guard !i.lower.isNaN, !i.upper.isNaN else { return "" }
        let f = { (x: Double) in signed ? Self.signed(x) : Format.fixed(x, digits: digits) }
        return "[\(f(i.lower)), \(f(i.upper))]"
    }

    /// A Diebold–Mariano cell: the p-value and `better` (the model's loss is lower) or `worse`
    /// (higher); `—` for the baseline and for an undefined test.
    static func dieboldMariano(_ test: DieboldMariano?) -> String {
        guard let test else { return "—" }
        let direction = test.statistic < 0 ? " better" : test.statistic > 0 ? " worse" : ""
        return pValue(test.pValue) + direction
    }

    /// A p-value: three decimals, or scientific below 0.001.
    static func pValue(_ p: Double) -> String {
        if p.isNaN { return "—" }
        return p < 0.001 ? String(format: "%.1e", p) : Format.fixed(p, digits: 3)
    }
}
