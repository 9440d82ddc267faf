import Foundation

/// The pairwise predictive-ability tests as `metrics.json` stores them (`giacomini_white`,
/// `multivariate_dm`): for each test and loss, `p[i][j]` (small: model j beats model i).
/// Nil when the artifacts predate the tests or hold one model.
struct PairwiseTestArtifact: Sendable {
    /// The models, in metrics.json's order (rows and columns of every matrix).
    let models: [String]
    /// Complete days behind the tests.
    let days: Int
    /// `[(test name, loss name, p matrix)]` in drawing order: GW Brier, GW log loss, DM Brier, DM log loss.
    let panels: [(test: String, loss: String, p: [[Double]])]

    /// Reads the tests from `metrics.json` in `directory`; nil when it has neither object.
    static func load(directory: String, models: [String]) throws -> PairwiseTestArtifact? {
        let root = try ArtifactJSON.load(URL(fileURLWithPath: directory).appendingPathComponent("metrics.json").path)
        var panels: [(test: String, loss: String, p: [[Double]])] = []
        var days = 0
        for (key, test) in [("giacomini_white", "Giacomini–White"), ("multivariate_dm", "multivariate Diebold–Mariano")] {
            guard let node = try root.optionalMember(key) else { continue }
            days = try node.member("days").integer()
            for (lossKey, loss) in [("brier", "Brier"), ("log_loss", "log loss")] {
                let rows = try node.member(lossKey).member("p").elements()
                let p = try rows.map { try $0.elements().map { try $0.number() } }
                guard p.count == models.count, p.allSatisfy({ $0.count == models.count }) else {
                    throw RallyError("\(directory)/metrics.json: '\(key).\(lossKey).p' is not \(models.count) x \(models.count) (one row and column per model)")
                }
                panels.append((test, loss, p))
            }
        }
        return panels.isEmpty ? nil : PairwiseTestArtifact(models: models, days: days, panels: panels)
    }
}

/// A chessboard of pairwise p-values as the EPF literature prints them (Lago et al. 2021,
/// epftoolbox's `plot_multivariate_GW_test`): cell (row i, column j) is the p-value of H0
/// "model j is not more accurate than model i", coloured green (p near 0: the column's model is
/// better) through yellow (0.05) and red to black (p ≥ 0.10); the diagonal is crossed out and
/// an undefined test is hatched. One board per test and loss, side by side. Drawing only.
struct PValueChessboard {
    let title: String
    let models: [String]
    let panels: [(test: String, loss: String, p: [[Double]])]

    private static let cell = 44.0, labelWidth = 96.0, gap = 36.0, top = 58.0, barWidth = 90.0

    /// epftoolbox's colour map on [0, 0.1]: red rises 0 → 1 and falls to 0.5, green 0.5 → 1
    /// then 0 past the middle, no blue; black at 0.1 and above.
    static func color(_ p: Double) -> String {
        guard p < 0.1 else { return "#000000" }
        let t = max(p, 0) / 0.1   // 0 ... 1
        let red = t < 0.5 ? t * 2 : 1 - (t - 0.5)
        let green = t < 0.5 ? 0.5 + t : 0
        return String(format: "#%02x%02x00", Int((red * 255).rounded()), Int((green * 255).rounded()))
    }

    /// The SVG document: panels in a row of at most two, rows of panels below.
    func svg() -> String {
        let n = Double(models.count)
        let board = Self.labelWidth + n * Self.cell
        let panelHeight = 22 + n * Self.cell + Self.labelWidth * 0.7
        let perRow = min(panels.count, 2)
        let rows = (panels.count + perRow - 1) / perRow
        let width = Double(perRow) * board + Double(perRow - 1) * Self.gap + Self.barWidth + 20
        let height = Self.top + Double(rows) * panelHeight + 10
        var w = SVGWriter(width: width, height: height, title: title)
        FigureText.title(title, width: width, into: &w)
        w.start("defs", [])
        w.start("pattern", [("id", "pa-undefined"), ("width", "6"), ("height", "6"), ("patternUnits", "userSpaceOnUse")])
        w.element("rect", [("width", "6"), ("height", "6"), ("fill", "#f2f2f2")])
        w.element("path", [("d", "M0,6 L6,0"), ("stroke", "#bbbbbb"), ("stroke-width", "1")])
        w.end()
        w.end()
        for (k, panel) in panels.enumerated() {
            let x0 = Double(k % perRow) * (board + Self.gap), y0 = Self.top + Double(k / perRow) * panelHeight
            draw(panel, x: x0, y: y0, into: &w)
        }
        colorBar(x: width - Self.barWidth, top: Self.top + 22, bottom: Self.top + 22 + n * Self.cell, into: &w)
        return w.finish()
    }

    private func draw(_ panel: (test: String, loss: String, p: [[Double]]), x x0: Double, y y0: Double, into w: inout SVGWriter) {
        let left = x0 + Self.labelWidth, top = y0 + 22
        w.element("text", [("x", SVGWriter.number(left + Double(models.count) * Self.cell / 2)), ("y", SVGWriter.number(y0 + 12)),
                           ("text-anchor", "middle"), ("font-weight", "bold"), ("fill", ChartStyle.ink)], text: "\(panel.test), \(panel.loss)")
        for (i, row) in panel.p.enumerated() {
            for (j, p) in row.enumerated() {
                let x = left + Double(j) * Self.cell, y = top + Double(i) * Self.cell
                let fill = i == j ? "#ffffff" : p.isFinite ? Self.color(p) : "url(#pa-undefined)"
                w.start("rect", [("x", SVGWriter.number(x)), ("y", SVGWriter.number(y)), ("width", SVGWriter.number(Self.cell)),
                                 ("height", SVGWriter.number(Self.cell)), ("fill", fill), ("stroke", "#ffffff"), ("stroke-width", "1")])
                let tip = i == j ? models[i] : p.isFinite
                    ? "\(panel.test), \(panel.loss): p = \(ComparisonTable.pValue(p)) that \(models[j]) is not more accurate than \(models[i])"
                    : "\(panel.test), \(panel.loss): \(models[j]) against \(models[i]) undefined"
                w.element("title", [], text: tip)
                w.end()
                if i == j {
                    let a = SVGWriter.number(x + 12), b = SVGWriter.number(x + Self.cell - 12)
                    let c = SVGWriter.number(y + 12), d = SVGWriter.number(y + Self.cell - 12)
                    w.element("path", [("d", "M\(a),\(c) L\(b),\(d) M\(a),\(d) L\(b),\(c)"), ("stroke", ChartStyle.neutral), ("stroke-width", "1.5")])
                } else if p.isFinite {
                    w.element("text", [("x", SVGWriter.number(x + Self.cell / 2)), ("y", SVGWriter.number(y + Self.cell / 2 + 4)),
                                       ("text-anchor", "middle"), ("font-size", "10"), ("fill", p < 0.05 && p > 0.015 ? ChartStyle.ink : "#ffffff")],
                              text: ComparisonTable.pValue(p))
                }
            }
        }
        w.start("g", [("font-size", "11"), ("fill", ChartStyle.ink)])
        for (i, name) in models.enumerated() {
            w.element("text", [("x", SVGWriter.number(left - 6)), ("y", SVGWriter.number(top + (Double(i) + 0.5) * Self.cell + 4)),
                               ("text-anchor", "end")], text: name)
            let cx = left + (Double(i) + 0.5) * Self.cell, cy = top + Double(models.count) * Self.cell + 8
            w.element("text", [("x", SVGWriter.number(cx)), ("y", SVGWriter.number(cy)), ("text-anchor", "end"),
                               ("transform", "rotate(-45 \(SVGWriter.number(cx)) \(SVGWriter.number(cy)))")], text: name)
        }
        w.end()
    }

    private func colorBar(x: Double, top: Double, bottom: Double, into w: inout SVGWriter) {
        let steps = 20
        let h = (bottom - top) / Double(steps)
        for s in 0..<steps {
            let p = 0.1 * (Double(s) + 0.5) / Double(steps)
            w.element("rect", [("x", SVGWriter.number(x)), ("y", SVGWriter.number(top + Double(s) * h)), ("width", "16"),
                               ("height", SVGWriter.number(h + 0.5)), ("fill", Self.color(p))])
        }
        w.start("g", [("font-size", "11"), ("fill", ChartStyle.muted)])
        for p in [0.0, 0.05, 0.1] {
            w.element("text", [("x", SVGWriter.number(x + 20)), ("y", SVGWriter.number(top + p / 0.1 * (bottom - top) + 4))],
                      text: p == 0.1 ? "≥ 0.10" : Format.fixed(p, digits: 2))
        }
        w.end()
    }
}

extension ReportFigures {
    /// The p-value chessboards of the pairwise tests in metrics.json; nil when it has none.
    func predictiveAbility() throws -> ReportFigure? {
        guard let tests = try PairwiseTestArtifact.load(directory: artifacts.directory, models: artifacts.models) else { return nil }
        let board = PValueChessboard(title: "Pairwise predictive-ability tests on daily loss vectors (p-values)",
                                     models: tests.models, panels: tests.panels)
        let caption = "Each cell is the one-sided p-value that the model of its column is not more accurate than the model of its row, "
            + "tested on \(tests.days) days of 24 hourly losses (a day's forecasts are one step ahead in days): green, p near 0, says the column's model "
            + "is the better one; yellow is p = 0.05; red to black, p of 0.10 and more, says the data do not show it. Giacomini–White tests "
            + "conditional predictive ability (instruments: a constant and the previous day's loss differential; T R² against χ² with 2 degrees of freedom); "
            + "the multivariate Diebold–Mariano test compares the mean daily losses (standard normal). Crossed: a model against itself; hatched: undefined."
        return ReportFigure(stem: "predictive_ability", title: board.title, caption: caption, svg: board.svg())
    }
}

extension ReportNarrative {
    /// A paragraph and the chessboard figure, when the artifacts carry the pairwise tests.
    func predictiveAbility(_ doc: inout ReportDocument) {
        guard let figure = figures.first(where: { $0.stem == "predictive_ability" }) else { return }
        doc.add(.paragraph("Every pair of models, not only each against the baseline: the tests of the electricity-price-forecasting literature "
                           + "on daily loss vectors, read row against column. A green cell says the column's model forecasts better than the row's."))
        doc.add(.figure(file: "\(options.name)_predictive_ability.svg", figure: figure))
    }
}
