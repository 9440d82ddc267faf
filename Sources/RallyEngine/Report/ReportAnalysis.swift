/// Everything the report computes from the predictions (the rest it reads from metrics.json):
/// chosen windows, reliability bands, ranking curves, the rally calendar, the comparison of the
/// two best models and the decision tables.
struct ReportAnalysis {
    /// Label horizon in hours; 0 when run.json does not record one.
    let horizon: Int
    /// The close-up windows shown.
    let windows: [ReportWindow]
    /// Why the windows differ from the requested ones (nil when they do not).
    let windowNote: String?
    /// Reliability points per model (report model order).
    let reliability: [[ReliabilityPoint]]
    /// Precision–recall curves per model.
    let precisionRecall: [PrecisionRecallCurve]
    /// Lift by top-k% per model.
    let lift: [TopShareLift]
    /// Rally rate by hour and month.
    let calendar: RallyCalendar
    /// The two models compared head to head: the best by PR-AUC and the runner-up.
    let pair: (a: String, b: String)
    /// Their paired differences (a − b).
    let paired: [PairedDifference]
    /// Where they disagree.
    let disagreement: ModelDisagreement
    /// Decision costs at the chosen cost ratio.
    let decisions: DecisionCosts
    /// The threshold sweep as drawn, when sweep_thresholds.csv has one that varies.
    let sweep: SweepSlice?
    /// Savings at the cost-optimal threshold for a range of cost ratios: (ratio, outcome per model).
    let costSensitivity: [(ratio: Double, never: Double, outcomes: [DecisionOutcome])]
    /// The value curves and episode figures of metrics.json (nil for artifacts without them).
    let decisionViews: DecisionViews?
    /// The prose and episode table that open the decision section (empty without them).
    let decisionBlocks: [ReportDocument.Block]

    init(artifacts: ReportArtifacts, options: ReportOptions) throws {
        let p = artifacts.predictions
        let models = artifacts.models
        let columns = models.map { artifacts.probabilities($0) }
        horizon = artifacts.run?.horizon ?? 0
        (windows, windowNote) = try Self.chooseWindows(options.windows, times: p.times, clock: p.clock, horizon: horizon)
        reliability = try ReliabilityBands.compute(labels: p.labels, models: columns, bins: options.reliabilityBins, bootstrap: options.bootstrap)
        precisionRecall = try columns.map { try PrecisionRecallCurve.compute(labels: p.labels, scores: $0) }
        lift = try columns.map { try TopShareLift.compute(labels: p.labels, scores: $0) }
        calendar = RallyCalendar.compute(times: p.times, labels: p.labels, horizonHours: horizon, local: p.clock.local)
        pair = Self.choosePair(artifacts.metrics)
        paired = try PairedComparison.compute(labels: p.labels, a: artifacts.probabilities(pair.a), b: artifacts.probabilities(pair.b),
                                              bootstrap: options.bootstrap)
        disagreement = try ModelDisagreement.compute(a: pair.a, b: pair.b, pa: artifacts.probabilities(pair.a), pb: artifacts.probabilities(pair.b),
                                                     labels: p.labels, share: options.topShare)
        let named = zip(models, columns).map { (name: $0, probabilities: $1) }
        sweep = try artifacts.sweep.flatMap { try SweepSlice(csv: $0, run: artifacts.run) }
        decisions = try DecisionCosts.compute(labels: p.labels, models: named, costRatio: options.costRatio)
        decisionViews = try DecisionViews.load(directory: artifacts.directory, models: models)
        decisionBlocks = try decisionViews?.blocks(costRatio: options.costRatio, horizon: horizon) ?? []
        costSensitivity = try Array(Set([2, 5, 10, 20, 50, options.costRatio])).sorted().map { ratio in
            let d = try DecisionCosts.compute(labels: p.labels, models: named, costRatio: ratio, grid: [])
            return (ratio, d.neverCost, d.table.map { $0[0] })
        }
    }

    /// The requested windows that hold data; with the defaults, the test period's first two
    /// weeks when none does. A requested window without data is an error.
    /// Windows are market-time readings of `clock`.
    static func chooseWindows(_ requested: [ReportWindow]?, times: [Int64], clock: ReportClock = .wallClock, horizon: Int) throws -> ([ReportWindow], String?) {
        let shift = Int64(horizon) * 3600
        let first = clock.local(times[0] + shift), last = clock.local(times[times.count - 1] + shift)
        func hasData(_ w: ReportWindow) -> Bool { w.from <= last && w.to >= first }
        if let requested {
            for w in requested where !hasData(w) {
                throw RallyError("report window '\(w.title)' (\(TimeStamp.format(w.from)) .. \(TimeStamp.format(w.to))) has no test hours: the predictions cover \(TimeStamp.format(first)) .. \(TimeStamp.format(last))")
            }
            return (requested, nil)
        }
        let usable = ReportWindow.defaults.filter(hasData)
        if !usable.isEmpty {
            let dropped = ReportWindow.defaults.filter { !hasData($0) }.map(\.title)
            return (usable, dropped.isEmpty ? nil : "No test hours fall in \(dropped.joined(separator: " or ")); that window is left out.")
        }
        let to = min(first + 14 * TimeStamp.day - 3600, last)
        let fallback = try ReportWindow(title: "First two weeks of the test period", from: first, to: max(to, first + 3600))
        return ([fallback], "The default windows (the January 2018 cold snap and a summer 2018 heat spell) are outside the test period, so the report shows its first two weeks instead.")
    }

    /// The best model by PR-AUC and the runner-up (the baseline when only one other model exists).
    static func choosePair(_ metrics: BenchmarkMetrics) -> (a: String, b: String) {
        let ranked = metrics.models.enumerated().sorted { x, y in
            let px = metrics.estimate(x.element, "pr_auc")?.value ?? -.infinity, py = metrics.estimate(y.element, "pr_auc")?.value ?? -.infinity
            return px > py || (px == py && x.offset < y.offset)
        }.map(\.element)
        let contenders = ranked.filter { $0 != metrics.baseline }
        if contenders.count >= 2 { return (contenders[0], contenders[1]) }
        if let only = contenders.first { return (only, metrics.baseline) }
        return (metrics.baseline, metrics.baseline)
    }
}
