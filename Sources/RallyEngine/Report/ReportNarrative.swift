import Foundation

/// Writes the report's prose, tables and figure placements. Every sentence that states a
/// result is built from the artifacts or from ``ReportAnalysis``; only definitions and the
/// decision framing are fixed text.
struct ReportNarrative {
    let artifacts: ReportArtifacts
    let analysis: ReportAnalysis
    let options: ReportOptions
    /// Figures by stem, in the order they are placed.
    let figures: [ReportFigure]

    private var metrics: BenchmarkMetrics { artifacts.metrics }
    var models: [String] { artifacts.models }
    private var predictions: PredictionTable { artifacts.predictions }
    private var contenders: [String] { models.filter { $0 != metrics.baseline } }
    typealias T = ReportText

    func document() -> ReportDocument {
        var doc = ReportDocument(title: "Rally risk on PJM power prices: what the benchmark shows")
        overview(&doc)
        rallyDefinition(&doc)
        benchmark(&doc)
        closeUps(&doc)
        calibrationAndRanking(&doc)
        disagreement(&doc)
        decisions(&doc)
        caveats(&doc)
        reproduce(&doc)
        return doc
    }

    /// Places the figure `stem` (when it was drawn).
    func place(_ stem: String, _ doc: inout ReportDocument) {
        guard let figure = figures.first(where: { $0.stem == stem }) else { return }
        doc.add(.figure(file: "\(options.name)_\(stem).svg", figure: figure))
    }

    private var topShareText: String {
        artifacts.run?.topShare.map { T.percent($0, 0) } ?? "top share"
    }

    private var dataDescription: String {
        guard let run = artifacts.run else { return "the data named in the benchmark run (run.json is absent)" }
        if run.synthetic { return run.dataSource.isEmpty ? "generated (synthetic) data" : run.dataSource }
        return "`\(run.dataPath ?? run.dataSource)`"
    }

    private var isSynthetic: Bool { artifacts.run?.synthetic ?? false }

    // MARK: overview

    private func overview(_ doc: inout ReportDocument) {
        let first = predictions.times[0], last = predictions.times[predictions.count - 1]
        var text = "This report is rendered by `scripts/report.lua` from the benchmark artifacts in `\(artifacts.directory)` alone. "
        text += "It compares \(T.count(models.count, "model")) (\(T.list(models.map { "`\($0)`" })); the baseline is `\(metrics.baseline)`) "
        text += "on \(metrics.testRows) test hours from \(predictions.clock.format(first)) to \(predictions.clock.format(last)), of which \(metrics.testPositives) were followed by a rally "
        text += "(base rate \(T.percent(metrics.baseRate, 2))). Data: \(dataDescription)."
        doc.add(.paragraph(text))
        if isSynthetic {
            doc.add(.paragraph("**These artifacts come from synthetic data.** The figures show how the pipeline and the report work; their numbers say nothing about PJM prices."))
        }
        let best = analysis.pair.a
        if best != metrics.baseline, let e = metrics.estimate(best, "pr_auc"), let base = metrics.estimate(metrics.baseline, "pr_auc") {
            var summary = "In one line: `\(best)` ranks rally hours best (PR-AUC \(T.interval(e, 3)) against \(T.fixed(base.value, 3)) for `\(metrics.baseline)`)"
            if let d = analysis.paired.first(where: { $0.metric == "pr_auc" }), analysis.pair.b != metrics.baseline {
                let gap = "(PR-AUC \(T.signedInterval(d.value, d.lower, d.upper, 3)))"
                summary += d.lower > 0 || d.upper < 0
                    ? ", and its lead over `\(analysis.pair.b)` \(gap) is outside the bootstrap noise."
                    : ", but its lead over `\(analysis.pair.b)` \(gap) is within the bootstrap noise."
            } else {
                summary += "."
            }
            doc.add(.paragraph(summary))
        }
    }

    // MARK: definition

    private func rallyDefinition(_ doc: inout ReportDocument) {
        doc.add(.heading(1, "What a rally is here, and why a rolling threshold"))
        let run = artifacts.run
        let thresholds = predictions.threshold.filter(\.isFinite).sorted()
        let h = analysis.horizon
        switch run?.labelerKind {
        case "quantile":
            let q = run?.parameter("q") ?? "q", window = Int(run?.parameter("window") ?? "") ?? 0
            let days = window % 24 == 0 ? " (\(window / 24) days)" : ""
            doc.add(.paragraph("An hour t is labelled a **rally** when the price \(h) hours later, at t + \(h), is above the \(q)-quantile of the last \(window) hourly prices\(days) ending at t. The threshold is known at t, so a model can be scored on it without looking ahead; the label reads one price \(h) hours on, the lead time a day-ahead decision has."))
        case "threshold":
            doc.add(.paragraph("An hour t is labelled a **rally** when the price \(h) hours later is above the fixed level \(run?.parameter("level") ?? "") USD/MWh."))
        case "jump":
            doc.add(.paragraph("An hour t is labelled a **rally** when the price \(h) hours later exceeds the price at t by more than a relative rise of \(run?.parameter("rise") ?? "") (see run.json)."))
        case "daily_any":
            doc.add(.paragraph("An hour t is labelled a **rally** when any hour of the next delivery day has a price above the threshold known at t (see run.json for its parameters)."))
        default:
            doc.add(.paragraph("run.json does not record the labeler, so the labels are taken as written in predictions.csv: y = 1 marks a rally, compared with the `threshold` column."))
        }
        if let lo = thresholds.first, let hi = thresholds.last {
            let median = Percentile.of(sorted: thresholds, 50)
            doc.add(.paragraph("Why rolling: over the test period the threshold itself moved from \(T.fixed(lo, 1)) to \(T.fixed(hi, 1)) USD/MWh (median \(T.fixed(median, 1))). Price levels shift with the season, fuel prices and the year; a fixed level would call whole winters rallies and miss spikes in a cheap spring. A trailing quantile asks the operational question — is the coming hour unusually expensive for the current regime? — with an event rate that stays near the chosen tail share whatever the level."))
        }
    }

    // MARK: benchmark table

    private func benchmark(_ doc: inout ReportDocument) {
        doc.add(.heading(1, "The benchmark"))
        let keys = ["roc_auc", "pr_auc", "brier", "log_loss", "precision_at_top", "lift_at_top", "brier_skill"]
        let shown = keys.filter { k in models.contains { metrics.estimate($0, k) != nil } }
        let header = ["Model"] + shown.map { k in
            k == "precision_at_top" ? "Precision@\(topShareText)" : k == "lift_at_top" ? "Lift@\(topShareText)" : BenchmarkMetrics.name(k)
        }
        let rows = models.map { m in [m] + shown.map { k in metrics.estimate(m, k).map { T.interval($0, T.digits(k)) } ?? "" } }
        var intro = "Point values on all test hours with 95% intervals"
        if let b = metrics.bootstrap { intro += " from a moving-block bootstrap (\(b.resamples) resamples of \(b.block)-hour blocks, seed \(b.seed))" }
        intro += ". Higher is better for ROC-AUC, PR-AUC, precision, lift and Brier skill; lower for Brier and log loss."
        doc.add(.paragraph(intro))
        doc.add(.table(header: header, rows: rows, numeric: [false] + shown.map { _ in true }))

        guard !contenders.isEmpty else { return }
        doc.add(.heading(2, "What is and is not significant"))
        let diffKeys = ["pr_auc", "roc_auc", "brier", "log_loss", "brier_skill"]
        let diffHeader = ["Model − \(metrics.baseline)"] + diffKeys.map { "Δ " + BenchmarkMetrics.name($0) } + ["DM p (Brier)", "DM p (log loss)"]
        var diffRows: [[String]] = []
        var sentences: [String] = []
        for m in contenders {
            guard let v = metrics.versusBaseline[m] else { continue }
            diffRows.append([m] + diffKeys.map { k in v.differences[k].map { T.signedInterval($0.value, $0.lower, $0.upper, T.digits(k)) } ?? "" }
                            + [T.dieboldMariano(v.dieboldMarianoBrierP, v.dieboldMarianoBrierStatistic),
                               T.dieboldMariano(v.dieboldMarianoLogLossP, v.dieboldMarianoLogLossStatistic)])
            var better: [String] = [], worse: [String] = [], unclear: [String] = []
            for k in diffKeys {
                guard let side = v.differences[k]?.sideOfZero else { continue }
                let improves = BenchmarkMetrics.higherIsBetter(k) ? side > 0 : side < 0
                if side == 0 { unclear.append(BenchmarkMetrics.name(k)) } else if improves { better.append(BenchmarkMetrics.name(k)) } else { worse.append(BenchmarkMetrics.name(k)) }
            }
            var s = "`\(m)` against `\(metrics.baseline)`: "
            var parts: [String] = []
            if !better.isEmpty { parts.append("better on \(T.list(better)) (interval excludes zero)") }
            if !worse.isEmpty { parts.append("worse on \(T.list(worse))") }
            if !unclear.isEmpty { parts.append("not distinguishable on \(T.list(unclear)) (interval includes zero)") }
            s += parts.joined(separator: "; ")
            let dm = [("Brier loss", v.dieboldMarianoBrierP, v.dieboldMarianoBrierStatistic),
                      ("log loss", v.dieboldMarianoLogLossP, v.dieboldMarianoLogLossStatistic)].filter { $0.1.isFinite }
            if !dm.isEmpty {
                // the statistic's sign says which way: negative = the model's loss is lower
                s += "; Diebold–Mariano: " + dm.map { name, p, z in
                    (z < 0 ? "lower " : z > 0 ? "higher " : "") + "\(name) (\(T.pClause(p)))"
                }.joined(separator: ", ")
                let significant = dm.filter { $0.1 < 0.05 }.count
                s += significant == dm.count ? "; the loss gaps are significant at 5%" : significant == 0 ? "; no loss gap is significant at 5%" : "; one of the two loss gaps is significant at 5%"
            }
            sentences.append(s + ".")
        }
        doc.add(.paragraph("Differences model − \(metrics.baseline) with paired 95% bootstrap intervals (both models scored on the same resampled weeks), and Diebold–Mariano p-values on the hourly Brier and log losses (better: the model's loss is lower than `\(metrics.baseline)`'s; worse: higher). An interval that excludes zero marks a difference larger than the resampling noise."))
        doc.add(.table(header: diffHeader, rows: diffRows, numeric: [false] + diffHeader.dropFirst().map { _ in true }))
        doc.add(.bullets(sentences))
        headToHead(&doc)
        predictiveAbility(&doc)
    }

    private func headToHead(_ doc: inout ReportDocument) {
        let (a, b) = analysis.pair
        guard a != b, b != metrics.baseline else { return }
        let rows = analysis.paired.map { d in
            [BenchmarkMetrics.name(d.metric), T.signedInterval(d.value, d.lower, d.upper, T.digits(d.metric)),
             d.lower > 0 || d.upper < 0 ? "yes" : "no"]
        }
        let settled = analysis.paired.filter { $0.lower > 0 || $0.upper < 0 }.map { BenchmarkMetrics.name($0.metric) }
        let b0 = options.bootstrap
        doc.add(.paragraph("metrics.json compares every model with the baseline only. The two best models by PR-AUC, `\(a)` and `\(b)`, compared directly (\(a) − \(b); paired moving-block bootstrap computed by the report from predictions.csv, \(b0.resamples) resamples of \(b0.block) h, seed \(b0.seed)):"))
        doc.add(.table(header: ["Metric", "\(a) − \(b) [95% interval]", "Interval excludes 0"], rows: rows, numeric: [false, true, false]))
        doc.add(.paragraph(settled.isEmpty
            ? "None of these differences is outside the resampling noise: on this test period `\(a)` and `\(b)` cannot be told apart."
            : "The difference is outside the resampling noise on \(T.list(settled)); the other intervals include zero."))
    }

    // MARK: windows

    private func closeUps(_ doc: inout ReportDocument) {
        doc.add(.heading(1, "Close-ups: price, probabilities and realized rallies"))
        if let note = analysis.windowNote { doc.add(.paragraph(note)) }
        let shift = Int64(analysis.horizon) * 3600
        for (k, w) in analysis.windows.enumerated() {
            place("window\(k + 1)", &doc)
            let rows = predictions.times.indices.filter { w.holds(predictions.clock.local(predictions.times[$0] + shift)) }
            let rallies = rows.filter { predictions.labels[$0] == 1 }, calm = rows.filter { predictions.labels[$0] == 0 }
            guard !rallies.isEmpty, !calm.isEmpty else {
                doc.add(.paragraph("\(w.title): \(rallies.isEmpty ? "no rally hours" : "only rally hours") in this window, so there is no contrast to read."))
                continue
            }
            let parts = models.map { m -> String in
                let p = artifacts.probabilities(m)
                let onRally = rallies.reduce(0) { $0 + p[$1] } / Double(rallies.count), onCalm = calm.reduce(0) { $0 + p[$1] } / Double(calm.count)
                return "`\(m)` \(T.fixed(onRally, 2)) vs \(T.fixed(onCalm, 2))"
            }
            doc.add(.paragraph("\(w.title): mean probability on the \(rallies.count) rally hours vs the \(calm.count) other hours — \(parts.joined(separator: "; "))."))
        }
    }

    // MARK: calibration and ranking

    private func calibrationAndRanking(_ doc: inout ReportDocument) {
        doc.add(.heading(1, "Calibration and ranking"))
        place("reliability", &doc)
        var lines: [String] = []
        for (m, points) in zip(models, analysis.reliability) {
            guard let worst = points.max(by: { abs($0.observedRate - $0.meanProbability) < abs($1.observedRate - $1.meanProbability) }) else { continue }
            let covered = points.filter { $0.bandLower.isFinite && $0.bandLower <= $0.meanProbability && $0.meanProbability <= $0.bandUpper }.count
            let direction = worst.observedRate > worst.meanProbability ? "under-forecasts" : "over-forecasts"
            var s = "`\(m)`: the diagonal lies inside the band in \(covered) of \(points.count) bins; the largest gap is at mean p = \(T.fixed(worst.meanProbability, 3)), where the observed rate is \(T.fixed(worst.observedRate, 3)) (it \(direction) there)"
            if let ece = metrics.estimate(m, "ece") { s += "; ECE \(T.interval(ece, 4))" }
            lines.append(s + ".")
        }
        doc.add(.bullets(lines))
        place("precision_recall", &doc)
        let atHalf = zip(models, analysis.precisionRecall).map { m, c -> String in
            let best = c.recall.indices.filter { c.recall[$0] >= 0.5 }.map { c.precision[$0] }.max() ?? .nan
            return "`\(m)` \(T.percent(best))"
        }
        doc.add(.paragraph("To flag half of all rallies, the alarms would be right this often: \(atHalf.joined(separator: ", ")) (best precision at recall ≥ 50%)."))
        place("lift", &doc)
        let cut = [1, 5, 10, 20]
        let liftRows = zip(models, analysis.lift).map { m, l in
            [m] + cut.map { k in l.percents.firstIndex(of: k).map { "\(T.fixed(l.lift[$0], 2))× (\(T.percent(l.precision[$0])))" } ?? "" }
        }
        doc.add(.table(header: ["Model"] + cut.map { "Top \($0)%" }, rows: liftRows, numeric: [false] + cut.map { _ in true }))
        doc.add(.paragraph("Lift (rally rate among the flagged hours in brackets): a lift of L means the flagged hours are L times as likely to be followed by a rally as a random hour."))
        place("rally_calendar", &doc)
        let c = analysis.calendar
        let byMonth = c.byMonth, byHour = c.byHour
        if let m = byMonth.indices.filter({ byMonth[$0].isFinite }).max(by: { byMonth[$0] < byMonth[$1] }),
           let lowM = byMonth.indices.filter({ byMonth[$0].isFinite }).min(by: { byMonth[$0] < byMonth[$1] }),
           let h = byHour.indices.filter({ byHour[$0].isFinite }).max(by: { byHour[$0] < byHour[$1] }),
           let lowH = byHour.indices.filter({ byHour[$0].isFinite }).min(by: { byHour[$0] < byHour[$1] }) {
            var s = "Rallies cluster in time: the most rally-prone month was \(TimeTicks.monthName(m + 1)) (\(T.percent(byMonth[m])) of hours), the least \(TimeTicks.monthName(lowM + 1)) (\(T.percent(byMonth[lowM]))); "
            s += "by hour of day, \(String(format: "%02d:00", h)) (\(T.percent(byHour[h]))) against \(String(format: "%02d:00", lowH)) (\(T.percent(byHour[lowH])))"
            if let peak = c.peak { s += "; the single hottest cell is \(String(format: "%02d:00", peak.hour)) in \(TimeTicks.monthName(peak.month)) at \(T.percent(peak.rate))" }
            doc.add(.paragraph(s + ". Hour and month carry part of the signal on their own, which is why both are features."))
        }
        if figures.contains(where: { $0.stem == "importance" }) {
            place("importance", &doc)
            if let text = importanceSentence() { doc.add(.paragraph(text)) }
        }
        if let slice = analysis.sweep {
            doc.add(.heading(2, "Threshold sweep"))
            place("sweep", &doc)
            doc.add(.paragraph(sweepSentence(slice)))
        }
    }

    private func sweepSentence(_ slice: SweepSlice) -> String {
        let used = slice.series.flatMap(\.rows)
        let values = Array(Set(used.map { slice.xs[$0] })).sorted()
        guard let lo = values.first, let hi = values.last else { return "" }
        var text = "Across \(slice.x) from \(Format.number(lo)) to \(Format.number(hi))"
        if let held = slice.heldText { text += " (\(held))" }
        var parts: [String] = []
        func at(_ line: (label: String, model: String, rows: [Int]), _ x: Double, _ column: [Double]) -> Double? {
            line.rows.first { slice.xs[$0] == x }.map { column[$0] }
        }
        if let base = slice.numbers["base_rate"], let first = slice.series.first, let a = at(first, lo, base), let b = at(first, hi, base) {
            parts.append("the base rate goes from \(T.percent(a)) to \(T.percent(b))")
        }
        if let metric = slice.headline, let column = slice.numbers[metric] {
            let moves = slice.series.compactMap { line -> String? in
                guard let a = at(line, lo, column), let b = at(line, hi, column) else { return nil }
                return "\(line.label) \(T.fixed(a, 3)) → \(T.fixed(b, 3))"
            }
            parts.append("\(BenchmarkMetrics.name(metric)) moves \(moves.joined(separator: ", "))")
            let better = BenchmarkMetrics.higherIsBetter(metric)
            var wins: [String: Int] = [:]
            for x in values {
                let scored = slice.series.compactMap { line in at(line, x, column).map { (line.label, $0) } }.filter { $0.1.isFinite }
                if let top = scored.max(by: { better ? $0.1 < $1.1 : $0.1 > $1.1 }) { wins[top.0, default: 0] += 1 }
            }
            if let leader = slice.series.map(\.label).max(by: { (wins[$0] ?? 0) < (wins[$1] ?? 0) }) {
                parts.append("\(leader) is best at \(wins[leader] ?? 0) of \(values.count) values")
            }
        }
        return text + ": " + parts.joined(separator: "; ") + ". A rarer rally is harder to rank; compare the models at the rally definition that matches the decision, not at the one that flatters them."
    }

    private func importanceSentence() -> String? {
        let rows = artifacts.importance
        let model = rows.contains { $0.model == "gbdt" } ? "gbdt" : rows.first?.model
        guard let model else { return nil }
        let mine = rows.filter { $0.model == model && $0.gain.isFinite }
        let total = mine.reduce(0) { $0 + $1.gain }
        guard total > 0 else { return nil }
        let top = mine.sorted { $0.gain > $1.gain || ($0.gain == $1.gain && $0.feature < $1.feature) }.prefix(3)
        let share = top.reduce(0) { $0 + $1.gain } / total
        return "`\(model)` leans most on \(T.list(top.map { "`\($0.feature)` (\(T.percent($0.gain / total)))" })): together \(T.percent(share)) of its total gain. Gain measures how much a feature's splits reduce training loss, not causal effect."
    }

    // MARK: disagreement

    private func disagreement(_ doc: inout ReportDocument) {
        let d = analysis.disagreement
        guard d.a != d.b else { return }
        doc.add(.heading(1, "Where the models disagree"))
        let onlyA = d.onlyOne, rateBoth = d.both > 0 ? Double(d.ralliesBoth) / Double(d.both) : .nan
        var text = "`\(d.a)` and `\(d.b)` correlate at \(T.fixed(d.correlation, 3)) over the test hours, with a mean absolute gap of \(T.fixed(d.meanAbsoluteDifference, 3)) in probability. "
        text += "Each model's top \(T.percent(d.share, 0)) holds \(d.topCount) hours; \(d.both) of them are shared (agreement \(T.percent(d.agreement))). "
        text += "Rallies followed \(T.percent(rateBoth)) of the shared alarms"
        if onlyA > 0 {
            text += ", \(T.percent(Double(d.ralliesOnlyA) / Double(onlyA))) of the \(onlyA) hours only `\(d.a)` flagged, and \(T.percent(Double(d.ralliesOnlyB) / Double(onlyA))) of the \(onlyA) hours only `\(d.b)` flagged"
        }
        doc.add(.paragraph(text + "."))
        let shift = Int64(analysis.horizon) * 3600
        let pa = artifacts.probabilities(d.a), pb = artifacts.probabilities(d.b)
        let rows = d.largest.map { i in
            [predictions.clock.format(predictions.times[i]), predictions.clock.format(predictions.times[i] + shift), T.fixed(predictions.price[i], 1),
             predictions.labels[i] == 1 ? "yes" : "no", T.fixed(pa[i], 3), T.fixed(pb[i], 3)]
        }
        let wins = d.largest.filter { i in (pa[i] > pb[i]) == (predictions.labels[i] == 1) }.count
        doc.add(.paragraph("The \(d.largest.count) hours where they differ most (forecast time, the hour it is about, the price at forecast time); `\(d.a)` was the closer of the two in \(wins) of them:"))
        doc.add(.table(header: ["Issued", "About", "Price (USD/MWh)", "Rally", "p \(d.a)", "p \(d.b)"], rows: rows,
                       numeric: [false, false, true, false, true, true]))
    }

    // MARK: caveats

    private func caveats(_ doc: inout ReportDocument) {
        doc.add(.heading(1, "Caveats"))
        let first = predictions.times[0], last = predictions.times[predictions.count - 1]
        var items: [String] = []
        items.append("**One zone.** All of this is one price series (\(dataDescription)). Other zones and hubs have other congestion patterns and spike mechanics; nothing here transfers without re-running the benchmark on their data.")
        var period = "**One period.** The test covers \(predictions.clock.format(first)) to \(predictions.clock.format(last)) (\(T.count(metrics.folds, "fold"))), with \(metrics.testPositives) rallies"
        if let train = artifacts.run?.trainRows { period += " after \(train) training rows" }
        items.append(period + ". The intervals account for week-to-week noise within it, not for a different year.")
        var threshold = "**Threshold choice.** The rally definition is a choice"
        if let run = artifacts.run, !run.labelerParameters.isEmpty {
            threshold += " (\(run.labelerKind ?? "labeler"): \(run.labelerParameters.map { "\($0.name) = \($0.value)" }.joined(separator: ", ")))"
        }
        threshold += analysis.sweep == nil
            ? "; a different quantile, window or horizon changes the base rate and the ranking difficulty. Run the threshold sweep recipe to see how much."
            : "; the sweep figure shows how the metrics move with it."
        items.append(threshold)
        items.append("**Regime change.** Models were fitted on earlier years and scored on later ones. Fuel prices, new capacity, demand response and market rules shift both the level and the shape of spikes; calibration is the first thing to drift, so re-check the reliability diagram after each retraining.")
        items.append("**In-sample decisions.** The hindsight thresholds above are picked on the test hours themselves; a threshold for use must be chosen on earlier data.")
        for warning in metrics.warnings { items.append("Benchmark warning: \(warning)") }
        doc.add(.bullets(items))
    }

    // MARK: reproduce

    private func reproduce(_ doc: inout ReportDocument) {
        doc.add(.heading(1, "Reproduce"))
        var recipe = "rally-shell \(artifacts.run?.recipe ?? "scripts/benchmark.lua")"
        if let path = artifacts.run?.dataPath { recipe += " --data \(path)" }
        if !Self.isDefaultArtifactsDirectory(artifacts.directory) { recipe += " --out \(artifacts.directory)" }
        var items = [
            "`\(recipe)` writes the artifacts; `rally-shell scripts/report.lua --artifacts \(artifacts.directory) --out \(options.out)` renders this report (same artifacts, same bytes).",
        ]
        if analysis.sweep != nil { items.append("`rally-shell scripts/sweep_thresholds.lua`" + (artifacts.run?.dataPath == nil ? "" : " (same `--data`)") + " writes sweep_thresholds.csv, the threshold sweep.") }
        items.append("`notebooks/pjm_rally_demo.ipynb` draws the same key figures from the same artifacts with pandas and matplotlib.")
        if let commit = artifacts.run?.gitCommit { items.append("Artifacts produced at commit `\(commit)`.") }
        doc.add(.bullets(items))
    }

    /// Whether `directory` is `artifacts/`, where the benchmark recipe writes without `--out`
    /// (`artifacts`, `artifacts/`, `./artifacts`).
    static func isDefaultArtifactsDirectory(_ directory: String) -> Bool {
        var path = directory
        while path.hasPrefix("./") { path.removeFirst(2) }
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path == "artifacts"
    }
}
