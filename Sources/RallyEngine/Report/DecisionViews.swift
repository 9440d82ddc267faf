/// The report's main decision view, read from metrics.json's `economic_value` and `episodes`
/// sections: the relative economic value curves (a figure) and the rally-episode table. It
/// computes nothing: the curves, bands and episode figures are the evaluation's own.
struct DecisionViews {
    /// One model's value curves and bands, per cost/loss ratio.
    struct Curve {
        var model: String
        var calibrated: [Double], calibratedLower: [Double], calibratedUpper: [Double]
        var trained: [Double]?, trainedLower: [Double]?, trainedUpper: [Double]?
    }

    /// The cost/loss ratios.
    var alphas: [Double]
    /// The curves, in the report's model order.
    var curves: [Curve]
    /// Resamples behind the bands.
    var resamples: Int
    /// The episodes section, when present: rule, gap, lead and the figures per model.
    var episodes: ArtifactJSON?

    /// Reads the sections from `metrics.json` in `directory`; nil when it has no `economic_value`
    /// section (artifacts written before it existed).
    static func load(directory: String, models: [String]) throws -> DecisionViews? {
        let root = try ArtifactJSON.load(directory + "/metrics.json")
        guard let section = try root.optionalMember("economic_value"), section.has("alpha") else { return nil }
        let alphas = try section.member("alpha").elements().map { try $0.number() }
        let byModel = try section.member("models")
        let curves = try models.map { name -> Curve in
            let m = try byModel.member(name)
            func numbers(_ key: String) throws -> [Double]? {
                guard let list = try m.optionalMember(key) else { return nil }
                let values = try list.elements().map { try $0.number() }
                guard values.count == alphas.count else { throw RallyError("\(directory)/metrics.json: economic_value.models.\(name).\(key) has \(values.count) values for \(alphas.count) ratios") }
                return values
            }
            guard let calibrated = try numbers("calibrated") else { throw RallyError("\(directory)/metrics.json: economic_value.models.\(name) has no 'calibrated' curve") }
            return Curve(model: name, calibrated: calibrated, calibratedLower: try numbers("calibrated_lo") ?? [], calibratedUpper: try numbers("calibrated_hi") ?? [],
                         trained: try numbers("trained"), trainedLower: try numbers("trained_lo"), trainedUpper: try numbers("trained_hi"))
        }
        let episodes = try root.optionalMember("episodes").flatMap { $0.has("models") ? $0 : nil }
        return DecisionViews(alphas: alphas, curves: curves, resamples: try section.member("resamples").integer(), episodes: episodes)
    }

    /// The lowest value drawn; lower values are drawn at it.
    static let floor = -0.25

    /// The value figure: calibrated curves in one panel, trained in another, 95% bands shaded,
    /// the alpha of the report's cost ratio marked.
    func figure(color: (String) -> String, costRatio: Double) -> ReportFigure {
        let alpha = 1 / (1 + costRatio)
        func shown(_ v: [Double]) -> [Double] { v.map { $0.isNaN ? $0 : max($0, Self.floor) } }
        func panel(_ heading: String, _ pick: (Curve) -> (v: [Double], lo: [Double], hi: [Double])?) -> ChartPanel {
            var layers: [PlotLayer] = [
                .line(LineSeries(name: nil, xs: [0, 1], ys: [0, 0], color: ChartStyle.neutral, width: 1, dash: "5 4")),
                .line(LineSeries(name: "α = 1/(1+\(Format.number(costRatio)))", xs: [alpha, alpha], ys: [Self.floor, 1], color: ChartStyle.ink, width: 1, dash: "2 3")),
            ]
            for c in curves {
                guard let (v, lo, hi) = pick(c) else { continue }
                if lo.count == v.count && hi.count == v.count {
                    layers.append(.band(BandSeries(name: nil, xs: alphas, lower: shown(lo), upper: shown(hi), color: color(c.model), opacity: 0.15)))
                }
                layers.append(.line(LineSeries(name: c.model, xs: alphas, ys: shown(v), color: color(c.model), width: 1.8)))
            }
            return ChartPanel(heading: heading, x: ChartAxis("Cost/loss ratio α = C/L", bounds: (0, 1)),
                              y: ChartAxis("Relative economic value", bounds: (Self.floor, 1)), layers: layers, height: 340)
        }
        let calibrated = panel("Acting when p ≥ α") { ($0.calibrated, $0.calibratedLower, $0.calibratedUpper) }
        var panels = [calibrated]
        if curves.contains(where: { $0.trained != nil }) {
            panels.append(panel("Acting at the threshold chosen on training rows") { c in
                c.trained.map { ($0, c.trainedLower ?? [], c.trainedUpper ?? []) }
            })
        }
        let figure = ChartFigure(id: "value", title: "Relative economic value against the cost/loss ratio", columns: panels.count, panels: panels)
        let caption = "Relative economic value of the cost-loss model (Richardson 2000): 1 = acting with perfect knowledge, 0 = the better of always "
            + "and never acting (climatology), below 0 = worse than that (drawn at \(Format.number(Self.floor)) when lower). α is the cost of acting "
            + "over the loss a rally causes; a missed rally costing R false alarms is α = 1/(1+R) (dotted: the report's R = \(Format.number(costRatio))). "
            + "Left: acting when the probability reaches α, what calibrated probabilities call for. "
            + (panels.count > 1 ? "Right: acting at the threshold that was cheapest on each fold's training rows at that α (never on the test rows; "
               + "a flexible model's in-sample probabilities are sharper than its test ones, so this can fall below the left). " : "")
            + "Shaded: 95% bands over \(resamples) moving-block bootstrap resamples of the test hours."
        return ReportFigure(stem: "value", title: figure.title, caption: caption, svg: figure.svg())
    }

    /// The prose and tables the decision section opens with: how to read the value figure at the
    /// report's cost ratio, and the rally-episode table.
    func blocks(costRatio: Double, horizon: Int) throws -> [ReportDocument.Block] {
        let alpha = 1 / (1 + costRatio)
        let k = alphas.indices.min { abs(alphas[$0] - alpha) < abs(alphas[$1] - alpha) } ?? 0
        let ranked = curves.filter { !$0.calibrated[k].isNaN }.sorted { $0.calibrated[k] > $1.calibrated[k] }
        var out: [ReportDocument.Block] = []
        if let top = ranked.first {
            var text = "**Which model is worth acting on depends on what an error costs, so read the value figure at your own α.** "
            text += "At α = \(ReportText.fixed(alphas[k], 2)) (a missed rally ≈ \(Format.number(costRatio)) false alarms), `\(top.model)` keeps "
            text += "\(ReportText.percent(top.calibrated[k], 0)) of the saving perfect knowledge would bring over climatology"
            if top.calibratedLower.count > k { text += " (95% band \(ReportText.percent(top.calibratedLower[k], 0)) to \(ReportText.percent(top.calibratedUpper[k], 0)))" }
            text += "; " + ranked.dropFirst().map { "`\($0.model)` \(ReportText.percent($0.calibrated[k], 0))" }.joined(separator: ", ") + "."
            let useful = curves.map { c in (c.model, alphas.indices.filter { c.calibrated[$0] > 0 }) }
            let ranges = useful.compactMap { m, idx -> String? in
                guard let a = idx.first, let b = idx.last else { return nil }
                return "`\(m)` for α from \(ReportText.fixed(alphas[a], 2)) to \(ReportText.fixed(alphas[b], 2))"
            }
            if !ranges.isEmpty { text += " Acting on the probabilities beats climatology " + ranges.joined(separator: "; ") + "." }
            out.append(.paragraph(text))
        }
        if let e = episodes { out += try episodeBlocks(e, horizon: horizon) }
        return out
    }

    /// The episode table and its reading.
    private func episodeBlocks(_ e: ArtifactJSON, horizon: Int) throws -> [ReportDocument.Block] {
        let rule = try e.member("rule")
        let ruleText = rule.has("top") ? "on the top \(ReportText.percent(try rule.member("top").number(), 0)) of hours" : "when p ≥ \(try rule.member("threshold").text())"
        let lead = try e.member("lead_hours").integer(), gap = try e.member("gap_hours").integer()
        var rows: [[String]] = []
        for c in curves {
            let m = try e.member("models").member(c.model)
            func v(_ key: String) throws -> (Double, Double, Double) {
                let f = try m.member(key), ci = try f.member("ci95").elements()
                return (try f.member("value").number(), try ci.first?.number() ?? .nan, try ci.last?.number() ?? .nan)
            }
            let caught = try v("caught"), fa = try v("false_alarms_per_30d")
            rows.append([c.model, ReportText.fixed(try v("episodes").0, 0),
                         "\(ReportText.percent(caught.0, 0)) [\(ReportText.percent(caught.1, 0)), \(ReportText.percent(caught.2, 0))]",
                         ReportText.percent(try v("caught_early").0, 0),
                         "\(ReportText.fixed(try v("lead_median").0, 0)) [\(ReportText.fixed(try v("lead_q1").0, 0)), \(ReportText.fixed(try v("lead_q3").0, 0))]",
                         "\(ReportText.fixed(fa.0, 1)) [\(ReportText.fixed(fa.1, 1)), \(ReportText.fixed(fa.2, 1))]",
                         ReportText.fixed(try v("alarm_hours_per_30d").0, 0)])
        }
        let notice = horizon > 0 ? " The alarm for an hour is issued \(horizon) h before it, so the warning before a rally hour is the lead plus \(horizon) h." : ""
        return [
            .paragraph("**Rally episodes, not hours.** Rally hours at most \(gap) calm hours apart form one episode; each model raises alarms \(ruleText). "
                       + "An episode is caught when an alarm falls from \(lead) h before its first rally hour to its last; the lead is how many hours before the first rally hour the first such alarm came (negative: it came during the episode). "
                       + "A false alarm is a run of alarm hours that touches no episode. Intervals: the block bootstrap, each episode kept whole and counted as often as its first hour is drawn.\(notice)"),
            .table(header: ["Model", "Episodes", "Caught [95% CI]", "Caught in time", "Lead h, median [q1, q3]", "False alarms per 30 days [95% CI]", "Alarm hours per 30 days"],
                   rows: rows, numeric: [false, true, true, true, true, true, true]),
        ]
    }
}
