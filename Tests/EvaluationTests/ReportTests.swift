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
