/// The comparison table of a panel evaluation, as text: one block of rows per location (each
/// location's own figures, differences against its own baseline) and the panel rows last, all
/// in ``ComparisonTable``'s columns, under one line describing the panel:
///
/// ```
/// panel of 12 locations (WESTERN HUB, COMED, ...): test 2017-01-01 00:00 .. 2018-12-31 23:00, 210240 rows stacked, ...
/// model                ROC-AUC  PR-AUC [95% CI]  ...  ΔPR-AUC vs naive [95% CI]  ...
/// WESTERN HUB: naive   0.745    0.320 [0.248, 0.387]
/// ...
/// panel: gbdt          0.861    0.512 [0.470, 0.551]  ...
/// ```
/// It is a layout of the result only; the figures are the result's.
struct PanelTable {
    /// The panel row's result (its ``EvaluationResult/panel`` holds the locations).
    let result: EvaluationResult
    /// The locations' results.
    let panel: PanelEvaluation

    /// The table, the panel line above it and the warnings below it.
    var text: String {
        var combined = result
        combined.panel = nil
        combined.models = []
        for (name, location) in zip(panel.locations, panel.results) {
            combined.models += location.models.map { Self.renamed($0, "\(name): \($0.name)") }
        }
        combined.baseline = combined.models.count + result.baseline
        combined.models += result.models.map { Self.renamed($0, "panel: \($0.name)") }
        var lines = ComparisonTable(combined).text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let baseline = result.models[result.baseline].name
        lines[0] = summaryLine
        lines[1] = lines[1].replacingOccurrences(of: "vs panel: \(baseline)", with: "vs \(baseline)")
        return lines.joined(separator: "\n")
    }

    static func renamed(_ model: ModelEvaluation, _ name: String) -> ModelEvaluation {
        var copy = model
        copy.name = name
        return copy
    }

    /// `panel of 3 locations (A, B, C): test ... .. ...: 52416 rows stacked, 3402 rallies (base rate 6.49%); bootstrap ...`.
    var summaryLine: String {
        let r = result
        let shown = panel.locations.prefix(6).joined(separator: ", ") + (panel.locations.count > 6 ? ", ..." : "")
        let head = "panel of \(panel.locations.count) location\(panel.locations.count == 1 ? "" : "s") (\(shown))"
        guard let first = r.testTimes.min(), let last = r.testTimes.max() else { return head + ": no test rows" }
        let boot = r.plan.bootstrap.resamples > 0
            ? "bootstrap \(r.bootstrapUsed) resamples of the same time blocks for every location, blocks of \(r.plan.bootstrap.block), seed \(r.plan.bootstrap.seed)"
            : "no bootstrap"
        return head + ": test \(TimeStamp.format(first)) .. \(TimeStamp.format(last)): \(r.testTimes.count) rows stacked, \(r.testPositives) rallies "
            + "(base rate \(Format.fixed(r.testBaseRate * 100, digits: 2))%); \(boot); panel DM on the mean loss across locations, lag \(r.dieboldMarianoLag)"
    }
}
