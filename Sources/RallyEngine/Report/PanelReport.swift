import Foundation

/// The report of a panel evaluation's artifacts (`metrics.json` with `locations` and
/// `by_location`, as `res:write` on a panel writes it): PR-AUC by location with its 95%
/// interval for every model (a table and a figure), the panel row pooled over locations, and,
/// when the run put global models beside per-location ones (`<name>_global`), where the global
/// model wins or loses. It reads figures only; the single-series report (``ReportBuilder``)
/// is for one location's artifacts.
struct PanelReport {
    /// One model's PR-AUC at one place (a location or the panel).
    struct Estimate {
        let value: Double, lower: Double, upper: Double
    }

    let directory: String
    let models: [String]
    let baseline: String
    let locations: [String]
    /// `byLocation[k][m]`: model m's PR-AUC at location k.
    let byLocation: [[Estimate]]
    /// The panel row's PR-AUC per model.
    let panel: [Estimate]
    let testRows: Int, positives: Int
    let resamples: Int, block: Int

    /// The panel in `directory`'s `metrics.json`, or nil when it holds one series.
    static func load(directory: String) throws -> PanelReport? {
        let file = URL(fileURLWithPath: directory).appendingPathComponent("metrics.json").path
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        let root = try ArtifactJSON.load(file)
        guard let names = try root.optionalMember("locations") else { return nil }
        let locations = try names.elements().map { try $0.string() }
        let models = try root.member("models").elements().map { try $0.string() }
        func estimates(_ node: ArtifactJSON) throws -> [Estimate] {
            try models.map { model in
                let e = try node.member("metrics").member(model).member("pr_auc")
                let ci = try e.member("ci95").elements()
                guard ci.count == 2 else { throw RallyError("\(file): '\(e.path).ci95': expected [lower, upper], got \(ci.count) values") }
                return Estimate(value: try e.member("value").number(), lower: try ci[0].number(), upper: try ci[1].number())
            }
        }
        let by = try root.member("by_location")
        let bootstrap = try root.member("bootstrap"), test = try root.member("test")
        return PanelReport(directory: directory, models: models, baseline: try root.member("baseline").string(), locations: locations,
                           byLocation: try locations.map { try estimates(by.member($0)) }, panel: try estimates(root),
                           testRows: try test.member("rows").integer(), positives: try test.member("positives").integer(),
                           resamples: try bootstrap.member("resamples").integer(), block: try bootstrap.member("block").integer())
    }

    static func cell(_ e: Estimate) -> String {
        let value = e.value.isNaN ? "—" : Format.fixed(e.value, digits: 3)
        return e.lower.isNaN ? value : "\(value) [\(Format.fixed(e.lower, digits: 3)), \(Format.fixed(e.upper, digits: 3))]"
    }

    /// The document, with the figure file `figureFile`.
    func document(figure: ReportFigure, figureFile: String) -> ReportDocument {
        var doc = ReportDocument(title: "Rally risk across \(locations.count) locations")
        doc.add(.paragraph("Artifacts: `\(directory)`. \(testRows) test rows stacked over the locations, \(positives) rallies. "
            + "Each location is evaluated on its own; the **panel** row pools every location's test rows, and its \(resamples) "
            + "bootstrap resamples draw the same \(block)-hour time blocks for every location, so a system-wide event counts once "
            + "in its intervals, not once per location."))
        doc.add(.heading(2, "PR-AUC by location"))
        doc.add(.table(header: ["location"] + models, rows: zip(locations, byLocation).map { [$0] + $1.map(Self.cell) }
                           + [["**panel**"] + panel.map(Self.cell)], numeric: [false] + models.map { _ in true }))
        doc.add(.figure(file: figureFile, figure: figure))
        let lines = globalLines()
        if !lines.isEmpty {
            doc.add(.heading(2, "Where the global model wins or loses"))
            doc.add(.paragraph("PR-AUC of each model fitted once on every location's rows (`<name>_global`) minus the same model "
                + "fitted per location. Point differences: for a paired interval of one against the other, rerun with the "
                + "per-location model as the baseline."))
            doc.add(.bullets(lines))
        }
        return doc
    }

    /// One line per model with a `_global` twin: wins, losses, the largest of each, the panel.
    func globalLines() -> [String] {
        models.indices.compactMap { g -> String? in
            guard models[g].hasSuffix("_global"), let m = models.firstIndex(of: String(models[g].dropLast(7))) else { return nil }
            let gains = byLocation.map { $0[g].value - $0[m].value }
            let wins = gains.filter { $0 > 0 }.count, losses = gains.filter { $0 < 0 }.count
            let best = gains.indices.max { gains[$0] < gains[$1] }!, worst = gains.indices.min { gains[$0] < gains[$1] }!
            func signed(_ x: Double) -> String { (x >= 0 ? "+" : "") + Format.fixed(x, digits: 3) }
            return "`\(models[g])` vs `\(models[m])`: better at \(wins) of \(locations.count) locations, worse at \(losses); "
                + "largest gain \(locations[best]) \(signed(gains[best])), largest loss \(locations[worst]) \(signed(gains[worst])); "
                + "panel \(signed(panel[g].value - panel[m].value))"
        }
    }

    /// PR-AUC by location: one row per location (and the panel), a dot per model with its interval.
    func figure() -> ReportFigure {
        let title = "PR-AUC by location with 95% intervals"
        let rows = locations + ["panel"], values = byLocation + [panel]
        let rowHeight = 14.0 * Double(max(models.count, 1)) + 10, top = 60.0, width = 900.0
        let height = top + Double(rows.count) * rowHeight + 40
        var w = SVGWriter(width: width, height: height, title: title)
        FigureText.title(title, width: width, into: &w)
        let left = max(110, (rows.map { ChartStyle.textWidth($0, fontSize: 11) }.max() ?? 0) + 20), right = width - 30
        let x = LinearScale(domain: (0, 1), range: (left, right))
        for tick in stride(from: 0.0, through: 1.0, by: 0.2) {
            let at = SVGWriter.number(x.map(tick))
            w.element("line", [("x1", at), ("y1", SVGWriter.number(top)), ("x2", at), ("y2", SVGWriter.number(height - 40)), ("stroke", ChartStyle.grid)])
            w.element("text", [("x", at), ("y", SVGWriter.number(height - 24)), ("text-anchor", "middle"), ("font-size", "11"),
                               ("fill", ChartStyle.muted)], text: Format.fixed(tick, digits: 1))
        }
        for (m, model) in models.enumerated() {
            w.element("text", [("x", SVGWriter.number(left + 140 * Double(m))), ("y", "44"), ("font-size", "11"),
                               ("fill", ChartStyle.model(model, index: m))], text: "● " + model)
        }
        for (k, row) in rows.enumerated() {
            let y0 = top + Double(k) * rowHeight
            w.element("text", [("x", SVGWriter.number(left - 8)), ("y", SVGWriter.number(y0 + rowHeight / 2 + 4)), ("text-anchor", "end"),
                               ("font-size", "11"), ("font-weight", row == "panel" ? "bold" : "normal"), ("fill", ChartStyle.ink)], text: row)
            for (m, model) in models.enumerated() where !values[k][m].value.isNaN {
                let e = values[k][m], y = SVGWriter.number(y0 + 9 + 14 * Double(m)), color = ChartStyle.model(model, index: m)
                if !e.lower.isNaN {
                    w.element("line", [("x1", SVGWriter.number(x.map(e.lower))), ("y1", y), ("x2", SVGWriter.number(x.map(e.upper))),
                                       ("y2", y), ("stroke", color), ("stroke-width", "2")])
                }
                w.start("circle", [("cx", SVGWriter.number(x.map(e.value))), ("cy", y), ("r", "4"), ("fill", color)])
                w.element("title", [], text: "\(row), \(model): \(Self.cell(e))")
                w.end()
            }
        }
        return ReportFigure(stem: "locations", title: title,
                            caption: "Dots: PR-AUC of each model at each location and pooled (panel); lines: 95% bootstrap intervals "
                                + "(the panel's from time blocks shared by every location).", svg: w.finish())
    }

    /// Writes `<name>.md`, `<name>.html` and `<name>_locations.svg` into `options.out`.
    func render(_ options: ReportOptions) throws -> ReportOutput {
        let base = URL(fileURLWithPath: options.out)
        let figure = figure()
        let svg = base.appendingPathComponent("\(options.name)_\(figure.stem).svg").path
        try AtomicFile.write(figure.svg, to: svg)
        let doc = document(figure: figure, figureFile: "\(options.name)_\(figure.stem).svg")
        let markdown = base.appendingPathComponent("\(options.name).md").path, html = base.appendingPathComponent("\(options.name).html").path
        try AtomicFile.write(doc.markdown(), to: markdown)
        try AtomicFile.write(doc.html(), to: html)
        return ReportOutput(markdown: markdown, html: html, figures: [svg],
                            notes: ["a panel of \(locations.count) locations: the per-location report (the single-series figures are for one location's artifacts)"])
    }
}
