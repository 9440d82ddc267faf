import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import RallyEngine

/// Parses `text` as XML and returns the parser error, or nil when it is well-formed.
func xmlError(_ text: String) -> String? {
    let parser = XMLParser(data: Data(text.utf8))
    if parser.parse() { return nil }
    return parser.parserError.map { "\($0)" } ?? "unknown XML error"
}

@Suite("Report: SVG charts")
struct SVGChartTests {
    @Test func escapesTextAndAttributes() {
        #expect(SVGWriter.escape("a<b & \"c\" 'd' >") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos; &gt;")
        #expect(SVGWriter.escape("bell\u{07}") == "bell\u{FFFD}")
        var w = SVGWriter(width: 100, height: 50, title: "<&>")
        w.element("text", [("data-x", "\"q\"")], text: "R&D <tag>")
        let svg = w.finish()
        #expect(xmlError(svg) == nil)
        #expect(svg.contains("R&amp;D &lt;tag&gt;"))
    }

    @Test func numbersAreShortAndStable() {
        #expect(SVGWriter.number(1) == "1")
        #expect(SVGWriter.number(1.5) == "1.5")
        #expect(SVGWriter.number(1.234567) == "1.23")
        #expect(SVGWriter.number(-0.001) == "0")
        #expect(SVGWriter.number(-2.005) == "-2.01" || SVGWriter.number(-2.005) == "-2")
        #expect(SVGWriter.number(.nan) == "0")
    }

    @Test func numericTicksAreRound() {
        let ticks = NumericTicks.ticks((0, 1), count: 5)
        #expect(ticks.map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let percent = NumericTicks.ticks((0, 0.2), count: 4, percent: true)
        #expect(percent.map(\.label) == ["0%", "5%", "10%", "15%", "20%"])
        #expect(NumericTicks.niceDomain((3.2, 187)) == (0, 200))
        #expect(NumericTicks.niceDomain((-2.8, 159)) == (-10, 200), "one slightly negative hour takes a sub-step, not a whole step")
        #expect(NumericTicks.niceDomain((-60, 159)) == (-100, 200), "a real negative range keeps whole steps")
        #expect(NumericTicks.niceDomain((-159, 2.8)) == (-200, 10))
        #expect(NumericTicks.ticks((0, 20), count: 8).map(\.label) == ["0", "5", "10", "15", "20"])
        #expect(NumericTicks.ticks((0, 0.8), count: 5).map(\.label) == ["0.0", "0.2", "0.4", "0.6", "0.8"])
    }

    @Test func timeTicksFollowTheCalendar() throws {
        let from = try TimeStamp.parse("2017-12-26"), to = try TimeStamp.parse("2018-01-10 23:00")
        let days = TimeTicks.ticks(lower: from, upper: to)
        #expect(days.first?.label == "Dec 26")
        #expect(days.count <= 9 && days.count >= 4)
        let years = TimeTicks.ticks(lower: try TimeStamp.parse("2017-01-01"), upper: try TimeStamp.parse("2018-12-23"))
        #expect(years.first?.label == "Jan 2017")
        #expect(years.allSatisfy { $0.label.hasPrefix("Jan") || $0.label.hasPrefix("Apr") || $0.label.hasPrefix("Jul") || $0.label.hasPrefix("Oct") })
    }

    @Test func figureIsWellFormedAndDeterministic() {
        let xs = (0..<48).map { Double($0) * 3600 + 1_500_000_000 }
        let ys = xs.indices.map { i in i == 10 ? Double.nan : sin(Double(i) / 5) * 20 + 30 }
        let figure = ChartFigure(id: "t", title: "Price & <probability>", panels: [
            ChartPanel(heading: "Panel", x: ChartAxis("Time", kind: .time), y: ChartAxis("Price (USD/MWh)"), layers: [
                .spans(SpanSeries(name: "rally", spans: [(xs[5], xs[9])], color: ChartStyle.rally)),
                .band(BandSeries(name: "band", xs: xs, lower: ys.map { $0 - 3 }, upper: ys.map { $0 + 3 }, color: "#0072B2")),
                .line(LineSeries(name: "price", xs: xs, ys: ys, color: ChartStyle.ink)),
                .line(LineSeries(name: "steps", xs: xs, ys: ys.map { $0 / 2 }, color: "#D55E00", dash: "4 3", step: true)),
                .points(PointSeries(name: "pts", xs: Array(xs.prefix(3)), ys: [1, 2, 3], lower: [0, 1, 2], upper: [2, 3, 4],
                                    tooltips: ["a", "b", "c"], color: "#009E73")),
            ]),
        ])
        let svg = figure.svg()
        #expect(xmlError(svg) == nil)
        #expect(svg == figure.svg())
        #expect(svg.contains("Price &amp; &lt;probability&gt;"))
        #expect(svg.contains("USD/MWh"))
        #expect(svg.contains(" M"), "a NaN breaks the line into two runs")
    }

    @Test func heatmapAndBarsAreWellFormed() {
        let heat = HeatmapChart(id: "h", title: "Rate", rowLabels: (0..<24).map { "\($0)" }, columnLabels: ["Jan", "Feb"],
                                values: (0..<24).map { [Double($0) / 100, $0 == 3 ? .nan : 0.05] },
                                rowAxis: "Hour", columnAxis: "Month", valueLabel: "Rally rate", percent: true)
        let svg = heat.svg()
        #expect(xmlError(svg) == nil)
        #expect(svg.contains("no data"))
        #expect(ColorScale(lower: 0, upper: 1).color(0) == "#fff5eb")
        #expect(ColorScale(lower: 0, upper: 1).color(1) == "#7f2704")
        let bars = BarChart(id: "b", title: "Gain", categories: ["lag0", "hour"], values: [0.6, 0.4],
                            valueAxis: ChartAxis("Share of gain", kind: .percent), color: "#D55E00")
        #expect(xmlError(bars.svg()) == nil)
        #expect(bars.svg().contains("60.0%"))
    }
}

/// Small artifact sets written into a temporary directory, shaped as the benchmark writes them.
enum ReportFixture {
    static let models = ["naive", "logreg", "gbdt"]

    /// A fresh temporary directory.
    static func directory(_ name: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rally-report-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes predictions.csv, metrics.json, run.json and importance.csv for `days` hourly days
    /// from `start` (market time of `zone`); `gbdtDiff` is gbdt's PR-AUC difference vs naive with its interval.
    @discardableResult
    static func write(to dir: String, start: String, days: Int = 30, gbdtDiff: (Double, Double, Double) = (0.3, 0.2, 0.4),
                      run: Bool = true, importance: Bool = true, sweep: Bool = false, zone: MarketZone = .wallClock) throws -> PredictionTable {
        let n = days * 24
        // a zoned run writes UTC instants as market time with their offsets
        let t0 = zone.instant(local: try TimeStamp.parse(start), latest: false)
        var rng = Xoshiro256StarStar(seed: 11)
        func uniform() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        var price = [Double](), threshold = [Double]()
        for i in 0..<n {
            let hour = Double(TimeStamp.hour(t0 + Int64(i) * 3600))
            let spike = uniform() < 0.05 ? 40 + 60 * uniform() : 0
            price.append(35 + 12 * sin(2 * Double.pi * (hour - 9) / 24) + spike + 5 * uniform())
            threshold.append(55 + Double(i) / Double(n) * 5)
        }
        var rows: [String] = ["ts,y,price,threshold,p_naive,p_logreg,p_gbdt"]
        var labels = [Double](), columns = [[Double]](repeating: [], count: 3)
        for i in 0..<n {
            let future = i + 24 < n ? price[i + 24] : price[i]
            let y: Double = future > threshold[i] ? 1 : 0
            let naive = price[i] > threshold[i] ? 0.4 : 0.04
            let logreg = min(max(0.55 * y + 0.35 * uniform(), 0), 1)
            let gbdt = min(max(0.7 * y + 0.25 * uniform(), 0), 1)
            labels.append(y)
            for (k, p) in [naive, logreg, gbdt].enumerated() { columns[k].append(p) }
            rows.append([zone.format(t0 + Int64(i) * 3600), CSVTable.number(y), CSVTable.number(price[i]), CSVTable.number(threshold[i]),
                         CSVTable.number(naive), CSVTable.number(logreg), CSVTable.number(gbdt)].joined(separator: ","))
        }
        try AtomicFile.write(rows.joined(separator: "\n") + "\n", to: dir + "/predictions.csv")
        let positives = Int(labels.reduce(0, +))
        func estimate(_ v: Double) -> String { "{\"value\": \(v), \"ci95\": [\(v * 0.9), \(v * 1.1)]}" }
        func modelMetrics(_ scale: Double) -> String {
            "{\"roc_auc\": \(estimate(0.7 + 0.1 * scale)), \"pr_auc\": \(estimate(0.3 + 0.2 * scale)), \"brier\": \(estimate(0.05 - 0.01 * scale)), "
                + "\"log_loss\": \(estimate(0.2 - 0.05 * scale)), \"precision_at_top\": \(estimate(0.5)), \"lift_at_top\": \(estimate(8)), "
                + "\"brier_skill\": \(estimate(0.2 + 0.1 * scale)), \"ece\": \(estimate(0.01))}"
        }
        let (d, lo, hi) = gbdtDiff
        let metrics = """
        {"baseline": "naive", "models": ["naive", "logreg", "gbdt"],
         "metrics": {"naive": \(modelMetrics(0)), "logreg": \(modelMetrics(1)), "gbdt": \(modelMetrics(1.5))},
         "vs_baseline": {
           "logreg": {"pr_auc_diff": {"value": 0.2, "ci95": [-0.05, 0.4]}, "brier_diff": {"value": -0.01, "ci95": [-0.02, -0.001]},
                      "dm_brier_p": 0.03, "dm_log_loss_p": 0.2, "dm_brier_statistic": -2.17, "dm_log_loss_statistic": 1.28},
           "gbdt": {"pr_auc_diff": {"value": \(d), "ci95": [\(lo), \(hi)]}, "brier_diff": {"value": -0.015, "ci95": [-0.03, -0.005]},
                    "dm_brier_p": 0.0001, "dm_log_loss_p": null, "dm_brier_statistic": -3.9, "dm_log_loss_statistic": null}},
         "test": {"rows": \(n), "positives": \(positives), "base_rate": \(Double(positives) / Double(n)), "start": "\(start)", "end": ""},
         "folds": [{}], "bootstrap": {"block": 168, "resamples": 100, "used": 100, "skipped": 0, "seed": 7},
         "warnings": ["fixture warning <&>"]}
        """
        try AtomicFile.write(metrics, to: dir + "/metrics.json")
        if run {
            try AtomicFile.write("""
            {"schema": "rally.run/1", "recipe": "scripts/benchmark.lua",
             "data": {"path": null, "sha256": null, "synthetic": true, "source": "synthetic, seed 1", "rows": \(n), "notes": []},
             "rows": {"kept": \(n), "train": 1000, "test": \(n)},
             "parameters": {"labeler": {"kind": "quantile", "col": "price", "q": 0.95, "window": 672, "horizon": 24},
                            "metrics": {"top": 0.05, "calibration_bins": 10, "log_loss_clip": 1e-06},
                            "bootstrap": {"block": 168, "resamples": 100, "seed": 7}},
             "seed": 7, "git_commit": null}
            """, to: dir + "/run.json")
        }
        if importance {
            try AtomicFile.write("model,feature,gain\ngbdt,lag0,4.5\ngbdt,hour,2.25\ngbdt,\"gap, to thr\",1\n", to: dir + "/importance.csv")
        }
        if sweep {
            var text = "q,window,horizon,model,roc_auc,pr_auc,brier,lift_at_top,brier_skill,pr_auc_lo,pr_auc_hi,base_rate\n"
            for q in [0.9, 0.95, 0.99] {
                for window in [336, 672] {
                    for (k, m) in models.enumerated() {
                        let ap = 0.3 + 0.1 * Double(k) - (q - 0.9) + Double(window) / 10_000
                        text += "\(q),\(window),24,\(m),0.9,\(ap),0.04,\(5 + k),0.3,\(ap - 0.05),\(ap + 0.05),\(1 - q)\n"
                    }
                }
            }
            try AtomicFile.write(text, to: dir + "/sweep_thresholds.csv")
        }
        return PredictionTable(times: (0..<n).map { t0 + Int64($0) * 3600 }, labels: labels, price: price, threshold: threshold,
                               models: models, probabilities: columns)
    }

    /// Options that render `artifacts` into `out` quickly.
    static func options(_ artifacts: String, _ out: String) -> ReportOptions {
        var o = ReportOptions()
        o.artifacts = artifacts
        o.out = out
        o.bootstrap = BlockBootstrap(block: 48, resamples: 40, seed: 7)
        return o
    }

    static func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }
}

@Suite("Report: rendering from artifacts")
struct ReportRenderTests {
    @Test func rendersMarkdownHTMLAndWellFormedFigures() throws {
        let artifacts = try ReportFixture.directory("a"), out = try ReportFixture.directory("o")
        try ReportFixture.write(to: artifacts, start: "2017-12-20", sweep: true)
        let output = try ReportBuilder.render(ReportFixture.options(artifacts, out))
        let stems = output.figures.map { URL(fileURLWithPath: $0).lastPathComponent }
        #expect(stems == ["pjm_rally_demo_window1.svg", "pjm_rally_demo_reliability.svg", "pjm_rally_demo_precision_recall.svg",
                          "pjm_rally_demo_lift.svg", "pjm_rally_demo_rally_calendar.svg", "pjm_rally_demo_importance.svg", "pjm_rally_demo_sweep.svg"])
        for file in output.figures {
            let svg = try ReportFixture.read(file)
            #expect(xmlError(svg) == nil, "\(file) is not well-formed: \(xmlError(svg) ?? "")")
        }
        let markdown = try ReportFixture.read(output.markdown)
        for stem in stems { #expect(markdown.contains("](\(stem))"), "the Markdown links \(stem)") }
        #expect(markdown.contains("January 2018 cold snap"))
        #expect(!markdown.contains("Summer 2018 heat spell: "), "a window without data is left out")
        #expect(markdown.contains("No test hours fall in Summer 2018 heat spell"))
        #expect(markdown.contains("**These artifacts come from synthetic data.**"))
        #expect(markdown.contains("fixture warning <&>"))
        #expect(markdown.contains("against the labeler's q, one line per model, at the benchmark's own window = 672."))
        #expect(markdown.contains("not from the benchmark table's 100 resamples, so at the benchmark's own q = 0.95 the interval may differ slightly"),
                "the sweep caption says its intervals are its own")
        #expect(markdown.contains("`rally-shell scripts/benchmark.lua --out \(artifacts)` writes the artifacts"),
                "the benchmark command writes where the report reads")
        let sweep = try ReportFixture.read(output.figures.last!)
        #expect(sweep.contains("gbdt, q = 0.95: 0.5172") && !sweep.contains("0.4836"), "the sweep is held at window = 672")
        let html = try ReportFixture.read(output.html)
        #expect(html.components(separatedBy: "<svg ").count - 1 == output.figures.count, "every figure is inlined")
        #expect(!html.contains("<?xml"))
        #expect(html.contains("fixture warning &lt;&amp;&gt;"))
        let external = html.components(separatedBy: "http").dropFirst().filter { !$0.hasPrefix("://www.w3.org/2000/svg") }
        #expect(external.isEmpty, "the HTML references nothing outside itself")
        #expect(!html.contains("<script"))
    }

    @Test func rendersAreByteIdentical() throws {
        let artifacts = try ReportFixture.directory("a"), out = try ReportFixture.directory("o"), other = try ReportFixture.directory("p")
        try ReportFixture.write(to: artifacts, start: "2017-12-20")
        let first = try ReportBuilder.render(ReportFixture.options(artifacts, out))
        let texts = try ([first.markdown, first.html] + first.figures).map(ReportFixture.read)
        let again = try ReportBuilder.render(ReportFixture.options(artifacts, out))
        #expect(try ([again.markdown, again.html] + again.figures).map(ReportFixture.read) == texts)
        let elsewhere = try ReportBuilder.render(ReportFixture.options(artifacts, other))
        #expect(try elsewhere.figures.map(ReportFixture.read) == first.figures.map(ReportFixture.read), "figures do not depend on the output directory")
    }

    @Test func removesOnlyItsOwnStaleFigures() throws {
        let artifacts = try ReportFixture.directory("a"), out = try ReportFixture.directory("o")
        try ReportFixture.write(to: artifacts, start: "2017-12-20", sweep: true)
        let first = try ReportBuilder.render(ReportFixture.options(artifacts, out))
        #expect(first.figures.contains { $0.hasSuffix("pjm_rally_demo_sweep.svg") })
        let decoys = ["pjm_rally_demo_v2_window1.svg", "pjm_rally_demo_sweep.png", "notes.svg", "pjm_rally_demo_window.svg"]
        for file in decoys + ["pjm_rally_demo_window7.svg"] { try AtomicFile.write("<svg/>", to: out + "/" + file) }
        try FileManager.default.removeItem(atPath: artifacts + "/sweep_thresholds.csv")
        let second = try ReportBuilder.render(ReportFixture.options(artifacts, out))
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: out))
        #expect(!files.contains("pjm_rally_demo_sweep.svg"), "the sweep figure of the earlier artifacts is gone")
        #expect(!files.contains("pjm_rally_demo_window7.svg"))
        #expect(decoys.allSatisfy(files.contains), "files outside the report's naming pattern stay")
        #expect(files == Set(decoys + second.figures.map { URL(fileURLWithPath: $0).lastPathComponent } + ["pjm_rally_demo.md", "pjm_rally_demo.html"]))
        #expect(second.notes.contains("removed pjm_rally_demo_sweep.svg, a figure of an earlier render that this one does not draw"))
    }

    @Test func reproduceNamesTheArtifactsDirectoryOnlyWhenNotTheDefault() {
        for path in ["artifacts", "artifacts/", "./artifacts/"] { #expect(ReportNarrative.isDefaultArtifactsDirectory(path), "\(path)") }
        for path in ["/tmp/b1", "../artifacts", "artifacts2", "/work/main/artifacts"] { #expect(!ReportNarrative.isDefaultArtifactsDirectory(path), "\(path)") }
    }

    @Test func fallsBackToTheFirstTwoWeeksOutsideTheDefaultWindows() throws {
        let artifacts = try ReportFixture.directory("a"), out = try ReportFixture.directory("o")
        try ReportFixture.write(to: artifacts, start: "2021-03-01", days: 20, run: false, importance: false)
        let output = try ReportBuilder.render(ReportFixture.options(artifacts, out))
        let markdown = try ReportFixture.read(output.markdown)
        #expect(markdown.contains("First two weeks of the test period"))
        #expect(output.notes.contains { $0.contains("outside the test period") })
        #expect(output.notes.contains { $0.contains("no run.json") })
        #expect(!output.figures.contains { $0.hasSuffix("_importance.svg") })
        #expect(markdown.contains("run.json does not record the labeler"))
    }

    /// A zoned run's report prints its hours in market time with their offsets, and tallies and
    /// close-ups in market time; the same predictions on the wall clock print as before.
    @Test func aZonedRunIsReportedInMarketTime() throws {
        let zone = try MarketZone.named("America/New_York")
        let artifacts = try ReportFixture.directory("a"), out = try ReportFixture.directory("o")
        try ReportFixture.write(to: artifacts, start: "2017-10-30", days: 14, run: false, importance: false, zone: zone)
        var options = ReportFixture.options(artifacts, out)
        options.windows = [try ReportWindow(title: "Fall back", from: try TimeStamp.parse("2017-11-05"), to: try TimeStamp.parse("2017-11-05 23:00"))]
        let output = try ReportBuilder.render(options)
        let markdown = try ReportFixture.read(output.markdown)
        #expect(markdown.contains("test hours from 2017-10-30 00:00-04:00 to 2017-11-12 22:00-05:00"))   // 14 x 24 hours, one day of 25
        #expect(markdown.contains("The test covers 2017-10-30 00:00-04:00 to 2017-11-12 22:00-05:00"))   // 14 x 24 hours, one day of 25
        let p = try PredictionTable.load(path: artifacts + "/predictions.csv")
        let start = try TimeStamp.parse("2017-10-30")
        #expect(!p.clock.isWallClock && p.clock.local(p.times[0]) == start)
        // the fall-back day has 25 market hours: the window holds them all, 01:00 twice
        #expect(p.times.indices.filter { options.windows![0].holds(p.clock.local(p.times[$0])) }.count == 25)
        let calendar = RallyCalendar.compute(times: p.times, labels: p.labels, horizonHours: 0, local: p.clock.local)
        #expect(calendar.count[0].reduce(0, +) == 14 && calendar.count[1].reduce(0, +) == 15 && calendar.count[4].reduce(0, +) == 14)
        #expect(p.clock.format(p.times[0] + 86_400 * 6 + 2 * 3600) == "2017-11-05 01:00-05:00")   // the second 01:00
        // the same file on the wall clock (no offsets) keeps the wall-clock text
        let wall = try ReportFixture.directory("w")
        try ReportFixture.write(to: wall, start: "2017-10-30", days: 14, run: false, importance: false)
        let plain = try ReportFixture.read(try ReportBuilder.render(ReportFixture.options(wall, try ReportFixture.directory("wo"))).markdown)
        #expect(plain.contains("test hours from 2017-10-30 00:00 to 2017-11-12 23:00,"))
    }

    @Test func requestedWindowsMustHaveData() throws {
        let artifacts = try ReportFixture.directory("a"), out = try ReportFixture.directory("o")
        try ReportFixture.write(to: artifacts, start: "2017-12-20")
        var options = ReportFixture.options(artifacts, out)
        options.windows = [try ReportWindow(title: "Mars", from: try TimeStamp.parse("2030-01-01"), to: try TimeStamp.parse("2030-01-05"))]
        #expect(throws: RallyError.self) { try ReportBuilder.render(options) }
        do { _ = try ReportBuilder.render(options) } catch let e as RallyError {
            #expect(e.message.contains("report window 'Mars'") && e.message.contains("has no test hours"))
        }
        options.windows = [try ReportWindow(title: "New year", from: try TimeStamp.parse("2017-12-31"), to: try TimeStamp.parse("2018-01-03 23:00"))]
        let output = try ReportBuilder.render(options)
        #expect(try ReportFixture.read(output.markdown).contains("New year: "))
    }

    @Test func significanceSentencesFollowTheIntervals() throws {
        let artifacts = try ReportFixture.directory("a"), out = try ReportFixture.directory("o")
        try ReportFixture.write(to: artifacts, start: "2017-12-20", gbdtDiff: (0.3, 0.2, 0.4))
        let clear = try ReportFixture.read(ReportBuilder.render(ReportFixture.options(artifacts, out)).markdown)
        #expect(clear.contains("`gbdt` against `naive`: better on PR-AUC and Brier (interval excludes zero); Diebold–Mariano: lower Brier loss (p < 0.001); the loss gaps are significant at 5%."))
        #expect(clear.contains("`logreg` against `naive`: better on Brier (interval excludes zero); not distinguishable on PR-AUC"))
        // the Diebold–Mariano p-values say which way the loss difference goes (statistic < 0: the model's loss is lower)
        #expect(clear.contains("Diebold–Mariano: lower Brier loss (p = 0.030), higher log loss (p = 0.200); one of the two loss gaps is significant at 5%."))
        #expect(clear.contains("| 0.030 better | 0.200 worse |") && clear.contains("| < 0.001 better | n/a |"))
        try ReportFixture.write(to: artifacts, start: "2017-12-20", gbdtDiff: (0.05, -0.01, 0.12))
        let unclear = try ReportFixture.read(ReportBuilder.render(ReportFixture.options(artifacts, out)).markdown)
        #expect(unclear.contains("`gbdt` against `naive`: better on Brier (interval excludes zero); not distinguishable on PR-AUC (interval includes zero)"))
        #expect(unclear.contains("+0.050 [−0.010, +0.120]"))
    }

    @Test func badArtifactsAreNamedErrors() throws {
        let empty = try ReportFixture.directory("e"), out = try ReportFixture.directory("o")
        #expect(throws: RallyError("report: no metrics.json in '\(empty)' (run scripts/benchmark.lua first, or pass artifacts = DIR)")) {
            try ReportBuilder.render(ReportFixture.options(empty, out))
        }
        let artifacts = try ReportFixture.directory("a")
        try ReportFixture.write(to: artifacts, start: "2017-12-20", days: 10)
        var text = try ReportFixture.read(artifacts + "/predictions.csv")
        text = text.replacingOccurrences(of: "\n2017-12-20 03:00,0,", with: "\n2017-12-20 03:00,2,")
        try AtomicFile.write(text, to: artifacts + "/predictions.csv")
        #expect(throws: RallyError("\(artifacts)/predictions.csv:5: column 'y': expected 0 or 1, got 2")) {
            try ReportArtifacts.load(directory: artifacts)
        }
        try AtomicFile.write("ts,y,price,threshold,p_naive,p_logreg\n2017-01-01 00:00,0,1,2,0.1,0.2\n", to: artifacts + "/predictions.csv")
        #expect(throws: RallyError("\(artifacts)/predictions.csv: no column p_gbdt for model 'gbdt' of metrics.json (columns: p_naive, p_logreg)")) {
            try ReportArtifacts.load(directory: artifacts)
        }
        try AtomicFile.write("{\"baseline\": \"naive\", \"models\": \"naive\"}", to: artifacts + "/metrics.json")
        #expect(throws: RallyError("\(artifacts)/metrics.json: 'models': expected an array, got the string \"naive\"")) {
            try ReportArtifacts.load(directory: artifacts)
        }
    }
}

/// The artifacts committed under the package's artifacts/ directory, when there are any.
enum CommittedArtifacts {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("artifacts").path
    static var isPresent: Bool { FileManager.default.fileExists(atPath: directory + "/metrics.json") }
}

@Suite("Report: committed artifacts")
struct CommittedArtifactsReportTests {
    @Test(.enabled(if: CommittedArtifacts.isPresent, "no artifacts/metrics.json in the package (run scripts/benchmark.lua): skipped"))
    func rendersFromTheCommittedArtifacts() throws {
        let out = try ReportFixture.directory("committed")
        var options = ReportFixture.options(CommittedArtifacts.directory, out)
        options.bootstrap = BlockBootstrap(block: 168, resamples: 50, seed: 7)
        let output = try ReportBuilder.render(options)
        #expect(output.figures.count >= 5)
        for file in output.figures {
            let svg = try ReportFixture.read(file)
            #expect(xmlError(svg) == nil, "\(file) is not well-formed")
        }
        let artifacts = try ReportArtifacts.load(directory: CommittedArtifacts.directory)
        let markdown = try ReportFixture.read(output.markdown)
        for model in artifacts.models { #expect(markdown.contains("`\(model)`")) }
        #expect(markdown.contains("\(artifacts.metrics.testRows) test hours"))
    }
}
