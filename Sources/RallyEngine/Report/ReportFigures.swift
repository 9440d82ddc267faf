/// A rendered figure of the report: its file stem, caption and SVG text.
public struct ReportFigure: Sendable {
    /// File name without the report prefix and extension (`reliability`).
    public var stem: String
    /// The figure's title (also its alternative text).
    public var title: String
    /// The caption written under it in the report.
    public var caption: String
    /// The SVG document.
    public var svg: String
}

/// Builds the report's figures from the artifacts and the computed analyses. Every number
/// drawn comes from the artifacts; nothing is re-fitted.
struct ReportFigures {
    let artifacts: ReportArtifacts
    /// Label horizon in hours (0 when unknown: probabilities are drawn at forecast time).
    let horizon: Int

    /// The stems of the figures other than the close-ups (`window1`, `window2`, ...).
    static let fixedStems = ["reliability", "precision_recall", "lift", "rally_calendar", "importance", "sweep", "predictive_ability", "value"]

    /// Whether `stem` names one of the report's figures (a fixed stem, or `window` and a number).
    static func isFigureStem(_ stem: String) -> Bool {
        if fixedStems.contains(stem) { return true }
        let number = stem.dropFirst("window".count)
        return stem.hasPrefix("window") && !number.isEmpty && number.allSatisfy(\.isASCII) && number.allSatisfy(\.isNumber)
    }

    private var models: [String] { artifacts.models }
    private func color(_ model: String) -> String { ChartStyle.model(model, index: models.firstIndex(of: model) ?? 0) }
    private var p: PredictionTable { artifacts.predictions }

    // MARK: windows

    /// Price, the bar it had to clear and each model's probability over `window`, with the
    /// realized rallies shaded; all drawn at the hour the label is about.
    func window(_ window: ReportWindow, index: Int) -> ReportFigure {
        let shift = Int64(horizon) * 3600
        // drawn in market time (the clock's readings: the times themselves on the wall clock)
        let local = { (t: Int64) in p.clock.local(t) }
        let rows = p.times.indices.filter { window.holds(local(p.times[$0] + shift)) }
        let target = rows.map { Double(local(p.times[$0] + shift)) }
        let priceRows = p.times.indices.filter { window.holds(local(p.times[$0])) }
        let spans = Self.rallySpans(rows.filter { p.labels[$0] == 1 }.map { local(p.times[$0] + shift) })
        let rallyLayer = PlotLayer.spans(SpanSeries(name: "realized rally", spans: spans, color: ChartStyle.rally))
        let barLabel = horizon > 0 ? "threshold set \(horizon) h earlier" : "threshold"
        let pricePanel = ChartPanel(
            heading: "Price", x: ChartAxis("", kind: .time, bounds: (Double(window.from), Double(window.to))),
            y: ChartAxis("USD/MWh", includeZero: true),
            layers: [rallyLayer,
                     .line(LineSeries(name: barLabel, xs: target, ys: rows.map { p.threshold[$0] }, color: ChartStyle.neutral, width: 1.4, dash: "6 4", step: true)),
                     .line(LineSeries(name: "price", xs: priceRows.map { Double(local(p.times[$0])) }, ys: priceRows.map { p.price[$0] }, color: ChartStyle.ink, width: 1.3))],
            height: 290)
        let probabilityLayers = models.map { m in
            PlotLayer.line(LineSeries(name: m, xs: target, ys: rows.map { artifacts.probabilities(m)[$0] }, color: color(m), width: m == artifacts.metrics.baseline ? 1.4 : 1.7, step: true))
        }
        let issued = horizon > 0 ? "issued \(horizon) h ahead" : "at forecast time"
        let probabilityPanel = ChartPanel(
            heading: "Rally probability (\(issued))", x: ChartAxis(p.clock.isWallClock ? "Hour (naive wall clock)" : "Hour (market time)", kind: .time, bounds: (Double(window.from), Double(window.to))),
            y: ChartAxis("Probability", bounds: (0, 1)), layers: [rallyLayer] + probabilityLayers, height: 260)
        let figure = ChartFigure(id: "w\(index)", title: "\(window.title): \(TimeStamp.format(window.from).prefix(10)) to \(TimeStamp.format(window.to).prefix(10))",
                                 panels: [pricePanel, probabilityPanel])
        let rallyHours = rows.filter { p.labels[$0] == 1 }.count
        let peak = priceRows.map { p.price[$0] }.filter(\.isFinite).max()
        var caption = "\(window.title): \(rallyHours) rally hours out of \(rows.count)"
        if let peak { caption += "; the price peaked at \(Format.fixed(peak, digits: 0)) USD/MWh" }
        caption += horizon > 0 ? ". Shaded: hours whose price beat the threshold set \(horizon) h earlier (realized rallies). " : ". Shaded: hours labelled rallies. "
        caption += horizon > 0
            ? "Each probability is drawn at the hour it is about, \(horizon) h after it was issued; the dashed line is the threshold that hour had to beat."
            : "Probabilities are drawn at the hour they were issued (the label horizon is not recorded in run.json)."
        return ReportFigure(stem: "window\(index + 1)", title: figure.title, caption: caption, svg: figure.svg())
    }

    /// Consecutive hourly rally times merged into [start, end) spans.
    static func rallySpans(_ hours: [Int64]) -> [(from: Double, to: Double)] {
        var out: [(from: Double, to: Double)] = []
        for t in hours {
            if let last = out.last, last.to == Double(t) {
                out[out.count - 1].to = Double(t + 3600)
            } else {
                out.append((Double(t), Double(t + 3600)))
            }
        }
        return out
    }

    // MARK: reliability

    func reliability(_ points: [[ReliabilityPoint]], bins: Int, bootstrap: BlockBootstrap) -> ReportFigure {
        let top = points.flatMap { $0.flatMap { [$0.meanProbability, $0.observedRate, $0.bandUpper] } }.filter(\.isFinite).max() ?? 1
        let upper = min(NumericTicks.niceDomain((0, max(top, 0.05)), count: 5).upper, 1)
        let panels = models.indices.map { k -> ChartPanel in
            let m = models[k], bins = points[k]
            let ece = artifacts.metrics.estimate(m, "ece").map { "  ECE \(Format.fixed($0.value, digits: 3))" } ?? ""
            let tips = bins.map { "\(m): mean p \(Format.fixed($0.meanProbability, digits: 3)), observed \(Format.fixed($0.observedRate, digits: 3)) (\($0.count) hours)" }
            return ChartPanel(
                heading: m + ece, x: ChartAxis("Mean predicted probability", bounds: (0, upper)), y: ChartAxis("Observed rally rate", bounds: (0, upper)),
                layers: [
                    .line(LineSeries(name: nil, xs: [0, upper], ys: [0, upper], color: ChartStyle.neutral, width: 1, dash: "5 4")),
                    .band(BandSeries(name: nil, xs: bins.map(\.meanProbability), lower: bins.map(\.bandLower), upper: bins.map(\.bandUpper), color: color(m), opacity: 0.22)),
                    .line(LineSeries(name: nil, xs: bins.map(\.meanProbability), ys: bins.map(\.observedRate), color: color(m), width: 1.6)),
                    .points(PointSeries(name: nil, xs: bins.map(\.meanProbability), ys: bins.map(\.observedRate), tooltips: tips, color: color(m))),
                ], height: 330)
        }
        let figure = ChartFigure(id: "rel", title: "Reliability: observed rally rate against predicted probability",
                                 columns: min(models.count, 3), panels: panels)
        let caption = "Reliability diagrams with \(bins) equal-width probability bins (those of the ECE in metrics.json; empty bins left out); points on the dashed diagonal are calibrated. "
            + "Shaded: 95% band of each bin's observed rate over \(bootstrap.resamples) moving-block bootstrap resamples "
            + "(blocks of \(bootstrap.block) h, seed \(bootstrap.seed)), bins held fixed."
        return ReportFigure(stem: "reliability", title: figure.title, caption: caption, svg: figure.svg())
    }

    // MARK: precision-recall and lift

    func precisionRecall(_ curves: [PrecisionRecallCurve]) -> ReportFigure {
        let base = artifacts.metrics.baseRate
        var layers: [PlotLayer] = [.line(LineSeries(name: "no skill (base rate \(Format.fixed(base * 100, digits: 1))%)", xs: [0, 1], ys: [base, base],
                                                    color: ChartStyle.neutral, width: 1, dash: "5 4"))]
        for (m, curve) in zip(models, curves) {
            let ap = artifacts.metrics.estimate(m, "pr_auc").map { " (PR-AUC \(Format.fixed($0.value, digits: 3)))" } ?? ""
            let steps = curve.steps
            layers.append(.line(LineSeries(name: m + ap, xs: steps.recall, ys: steps.precision, color: color(m), width: 1.8, step: true)))
        }
        let figure = ChartFigure(id: "pr", title: "Precision–recall curves on the test hours", panels: [
            ChartPanel(x: ChartAxis("Recall (share of rallies flagged)", bounds: (0, 1)), y: ChartAxis("Precision", bounds: (0, 1)),
                       layers: layers, height: 400),
        ])
        return ReportFigure(stem: "precision_recall", title: figure.title, caption: "Precision against recall as the alarm threshold falls, one step per distinct score: each precision holds over the recall its threshold adds, "
                                + "as average precision sums it, so there is no slope between operating points (a model with few distinct scores has few steps). "
                                + "PR-AUC in the legend is the average precision from metrics.json.",
                            svg: figure.svg())
    }

    func lift(_ curves: [TopShareLift]) -> ReportFigure {
        var layers: [PlotLayer] = [.line(LineSeries(name: "random", xs: [0, 20], ys: [1, 1], color: ChartStyle.neutral, width: 1, dash: "5 4"))]
        for (m, curve) in zip(models, curves) {
            let xs = curve.percents.map(Double.init)
            layers.append(.line(LineSeries(name: m, xs: xs, ys: curve.lift, color: color(m), width: 1.8)))
            let tips = curve.percents.indices.map { "\(m), top \(curve.percents[$0])%: lift \(Format.fixed(curve.lift[$0], digits: 2)), precision \(Format.fixed(curve.precision[$0] * 100, digits: 1))%" }
            layers.append(.points(PointSeries(name: nil, xs: xs, ys: curve.lift, tooltips: tips, color: color(m), radius: 3)))
        }
        let figure = ChartFigure(id: "lift", title: "Lift among the top k% of hours by predicted probability", panels: [
            ChartPanel(x: ChartAxis("Top k% of test hours flagged (%)", bounds: (0, 20)), y: ChartAxis("Lift (rally rate ÷ base rate)", includeZero: true),
                       layers: layers, height: 380),
        ])
        return ReportFigure(stem: "lift", title: figure.title, caption: "Rally rate among the k% of hours each model ranks highest, divided by the base rate, for k = 1 … 20.",
                            svg: figure.svg())
    }

    // MARK: calendar

    func calendar(_ c: RallyCalendar) -> ReportFigure {
        let months = (1...12).map { TimeTicks.monthName($0) }
        let tips = (0..<24).map { h in
            (0..<12).map { m in
                c.count[h][m] > 0
                    ? "\(String(format: "%02d:00", h)), \(months[m]): \(Format.fixed(c.rate[h][m] * 100, digits: 1))% (\(c.rallies[h][m]) of \(c.count[h][m]) hours)"
                    : "\(String(format: "%02d:00", h)), \(months[m]): no test hours"
            }
        }
        let heat = HeatmapChart(id: "cal", title: "Rally rate by hour of day and month (test period)",
                                rowLabels: (0..<24).map { String(format: "%02d:00", $0) }, columnLabels: months, values: c.rate,
                                rowAxis: "Hour of day", columnAxis: "Month", valueLabel: "Rally rate (% of hours)", percent: true, tooltips: tips)
        let about = horizon > 0 ? "the hour the label is about (forecast time + \(horizon) h)" : "the forecast hour"
        return ReportFigure(stem: "rally_calendar", title: heat.title, caption: "Share of test hours that were rallies, by hour of day and month of \(about). Hatched: no test hours.",
                            svg: heat.svg())
    }

    // MARK: importance

    /// Gain shares of the model that ranks features (gbdt preferred), or nil without importance rows.
    func importance(limit: Int = 20) -> ReportFigure? {
        let rows = artifacts.importance
        let rankers = rows.map(\.model).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        guard let model = rankers.contains("gbdt") ? "gbdt" : rankers.first else { return nil }
        let mine = rows.filter { $0.model == model && $0.gain.isFinite }
        let total = mine.reduce(0) { $0 + $1.gain }
        guard total > 0 else { return nil }
        let ranked = mine.sorted { $0.gain > $1.gain || ($0.gain == $1.gain && $0.feature < $1.feature) }.prefix(limit)
        let chart = BarChart(id: "imp", title: "\(model): feature importance (share of total gain)", categories: ranked.map(\.feature),
                             values: ranked.map { $0.gain / total }, valueAxis: ChartAxis("Share of total gain", kind: .percent), color: color(model))
        let shown = ranked.count < mine.count ? "the top \(ranked.count) of \(mine.count) features" : "all \(mine.count) features"
        return ReportFigure(stem: "importance", title: chart.title, caption: "\(model) feature importance from importance.csv: each feature's gain as a share of the total, \(shown).",
                            svg: chart.svg())
    }

    // MARK: sweep

    /// The threshold sweep (see ``SweepSlice``): one panel per metric, one line per model (and
    /// per value of any other varying parameter not held).
    func sweep(_ slice: SweepSlice) -> ReportFigure {
        let xs = slice.xs
        let panels = slice.shown.map { metric -> ChartPanel in
            let ys = slice.numbers[metric]!
            var layers: [PlotLayer] = []
            // A figure of the labels alone (the base rate) is the same for every model: one line.
            let shared = slice.series.allSatisfy { line in line.rows.map { ys[$0] } == slice.series[0].rows.map { ys[$0] } && line.rows.map { xs[$0] } == slice.series[0].rows.map { xs[$0] } }
            let lines = shared && slice.others.isEmpty ? [(label: "all models", model: "", rows: slice.series[0].rows)] : slice.series
            for (g, line) in lines.enumerated() {
                let rows = line.rows
                let colour = line.model.isEmpty ? ChartStyle.ink
                    : slice.others.isEmpty ? ChartStyle.model(line.model, index: models.firstIndex(of: line.model) ?? g) : ChartStyle.series[g % ChartStyle.series.count]
                if metric == slice.headline, let lo = slice.numbers[metric + "_lo"], let hi = slice.numbers[metric + "_hi"] {
                    layers.append(.band(BandSeries(name: nil, xs: rows.map { xs[$0] }, lower: rows.map { lo[$0] }, upper: rows.map { hi[$0] }, color: colour, opacity: 0.15)))
                }
                layers.append(.line(LineSeries(name: line.label, xs: rows.map { xs[$0] }, ys: rows.map { ys[$0] }, color: colour)))
                layers.append(.points(PointSeries(name: nil, xs: rows.map { xs[$0] }, ys: rows.map { ys[$0] },
                                                  tooltips: rows.map { "\(line.label), \(slice.x) = \(Format.number(xs[$0])): \(Format.number(ys[$0]))" },
                                                  color: colour, radius: 3)))
            }
            let percent = metric == "base_rate"
            return ChartPanel(heading: percent ? "Base rate (share of rally hours)" : BenchmarkMetrics.name(metric) + (metric == slice.headline ? " with 95% interval" : ""),
                              x: ChartAxis(slice.x), y: ChartAxis(percent ? "Base rate" : BenchmarkMetrics.name(metric), kind: percent ? .percent : .linear),
                              layers: layers, height: 300)
        }
        let figure = ChartFigure(id: "sweep", title: "Threshold sweep: how the benchmark moves with \(slice.x)", columns: min(panels.count, 2), panels: panels)
        var caption = "From sweep_thresholds.csv: \(ReportText.list(slice.shown.map { $0 == "base_rate" ? "the base rate" : BenchmarkMetrics.name($0) })) against the labeler's \(slice.x), one line per model"
        if !slice.others.isEmpty { caption += " and value of \(ReportText.list(slice.others))" }
        if let held = slice.heldText { caption += ", at the benchmark's own \(held)" }
        caption += "."
        if let interval = sweepIntervalNote(slice) { caption += " " + interval }
        return ReportFigure(stem: "sweep", title: figure.title, caption: caption, svg: figure.svg())
    }

    /// Where the sweep's intervals come from: its own bootstrap of each configuration, not the
    /// benchmark table's, so at the benchmark's own setting the interval may differ slightly
    /// from the table's (while the point values, when they agree, are the table's).
    private func sweepIntervalNote(_ slice: SweepSlice) -> String? {
        guard let metric = slice.headline else { return nil }
        let benchmark = artifacts.run?.bootstrapResamples.map { "the benchmark table's \($0) resamples" } ?? "the benchmark table's bootstrap"
        var note = "Its 95% intervals come from the sweep's own moving-block bootstrap of each configuration's test rows "
            + "(`sweep_thresholds.lua --bootstrap`, 200 resamples unless set otherwise; sweep_thresholds.csv does not record the number), not from \(benchmark)"
        guard let own = artifacts.run?.parameter(slice.x), let x = Double(own) else { return note + "." }
        note += ", so at the benchmark's own \(slice.x) = \(own) the interval may differ slightly from the benchmark table's"
        let matches = slice.series.compactMap { line -> Bool? in
            guard let row = line.rows.first(where: { slice.xs[$0] == x }), let table = artifacts.metrics.estimate(line.model, metric) else { return nil }
            return slice.numbers[metric]?[row] == table.value
        }
        if !matches.isEmpty && matches.allSatisfy({ $0 }) && slice.others.isEmpty { note += " even though the point values there are the table's" }
        return note + "."
    }
}
