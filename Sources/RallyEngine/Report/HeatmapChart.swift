import Foundation

/// A sequential colour scale: light for low values, dark for high ones, interpolated in RGB
/// between fixed stops (ColorBrewer "Oranges", which stays readable in grey print).
public struct ColorScale: Sendable {
    /// The stops, lowest first, as 0xRRGGBB.
    public static let stops: [UInt32] = [0xFFF5EB, 0xFEE6CE, 0xFDD0A2, 0xFDAE6B, 0xFD8D3C, 0xF16913, 0xD94801, 0xA63603, 0x7F2704]
    /// The values mapped to the first and last stop.
    public var lower: Double, upper: Double

    /// Creates a scale over [lower, upper].
    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper > lower ? upper : lower + 1
    }

    /// The colour of `value` (clamped to the scale) as `#rrggbb`.
    public func color(_ value: Double) -> String {
        let t = min(max((value - lower) / (upper - lower), 0), 1) * Double(Self.stops.count - 1)
        let k = min(Int(t), Self.stops.count - 2)
        let f = t - Double(k)
        let a = Self.stops[k], b = Self.stops[k + 1]
        func channel(_ shift: UInt32) -> Int {
            let ca = Double((a >> shift) & 0xFF), cb = Double((b >> shift) & 0xFF)
            return Int((ca + (cb - ca) * f).rounded())
        }
        return String(format: "#%02x%02x%02x", channel(16), channel(8), channel(0))
    }
}

/// A grid of coloured cells (rows × columns) with a colour bar legend, e.g. the rally rate by
/// hour of day and month. NaN cells (no data) are drawn hatched grey.
public struct HeatmapChart: Sendable {
    /// Identifier prefix for internal ids.
    public var id: String
    /// The title.
    public var title: String
    /// Row labels, top to bottom.
    public var rowLabels: [String]
    /// Column labels, left to right.
    public var columnLabels: [String]
    /// `values[r][c]`; NaN for no data.
    public var values: [[Double]]
    /// What the rows are (axis title).
    public var rowAxis: String
    /// What the columns are (axis title).
    public var columnAxis: String
    /// What the colour shows, with its unit.
    public var valueLabel: String
    /// Show values as percentages.
    public var percent: Bool
    /// Hover texts per cell (`tooltips[r][c]`), nil for the value alone.
    public var tooltips: [[String]]?
    /// Width in pixels.
    public var width: Double
    /// Height of one row in pixels.
    public var rowHeight: Double

    /// Creates a heatmap.
    public init(id: String, title: String, rowLabels: [String], columnLabels: [String], values: [[Double]],
                rowAxis: String, columnAxis: String, valueLabel: String, percent: Bool = false,
                tooltips: [[String]]? = nil, width: Double = 900, rowHeight: Double = 15) {
        self.id = id
        self.title = title
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.rowAxis = rowAxis
        self.columnAxis = columnAxis
        self.valueLabel = valueLabel
        self.percent = percent
        self.tooltips = tooltips
        self.width = width
        self.rowHeight = rowHeight
    }

    private static let left = 72.0, right = 130.0, top = 44.0, bottom = 52.0

    /// Height in pixels.
    public var height: Double { Self.top + Double(rowLabels.count) * rowHeight + Self.bottom }

    /// The SVG document.
    public func svg() -> String {
        var w = SVGWriter(width: width, height: height, title: title)
        FigureText.title(title, width: width, into: &w)
        let finite = values.flatMap { $0 }.filter(\.isFinite)
        let scale = ColorScale(lower: min(finite.min() ?? 0, 0), upper: NumericTicks.niceDomain((0, finite.max() ?? 1)).upper)
        let plotWidth = width - Self.left - Self.right
        let cellWidth = plotWidth / Double(max(columnLabels.count, 1))
        let gridBottom = Self.top + Double(rowLabels.count) * rowHeight

        w.start("defs", [])
        w.start("pattern", [("id", "\(id)-nodata"), ("width", "6"), ("height", "6"), ("patternUnits", "userSpaceOnUse")])
        w.element("rect", [("width", "6"), ("height", "6"), ("fill", "#f2f2f2")])
        w.element("path", [("d", "M0,6 L6,0"), ("stroke", "#bbbbbb"), ("stroke-width", "1")])
        w.end()
        w.end()
        w.start("g", [("stroke", "#ffffff"), ("stroke-width", "0.5")])
        for (r, row) in values.enumerated() {
            for (c, value) in row.enumerated() {
                let fill = value.isFinite ? scale.color(value) : "url(#\(id)-nodata)"
                w.start("rect", [("x", SVGWriter.number(Self.left + Double(c) * cellWidth)), ("y", SVGWriter.number(Self.top + Double(r) * rowHeight)),
                                 ("width", SVGWriter.number(cellWidth)), ("height", SVGWriter.number(rowHeight)), ("fill", fill)])
                w.element("title", [], text: tooltips?[r][c] ?? "\(rowLabels[r]), \(columnLabels[c]): \(label(value))")
                w.end()
            }
        }
        w.end()
        w.start("g", [("font-size", "11"), ("fill", ChartStyle.muted)])
        let rowStep = rowLabels.count > 16 ? 2 : 1
        for (r, text) in rowLabels.enumerated() where r % rowStep == 0 {
            w.element("text", [("x", SVGWriter.number(Self.left - 6)), ("y", SVGWriter.number(Self.top + (Double(r) + 0.5) * rowHeight + 4)),
                               ("text-anchor", "end")], text: text)
        }
        for (c, text) in columnLabels.enumerated() {
            w.element("text", [("x", SVGWriter.number(Self.left + (Double(c) + 0.5) * cellWidth)), ("y", SVGWriter.number(gridBottom + 16)),
                               ("text-anchor", "middle")], text: text)
        }
        w.end()
        w.element("text", [("x", SVGWriter.number(Self.left + plotWidth / 2)), ("y", SVGWriter.number(gridBottom + 38)), ("text-anchor", "middle"),
                           ("fill", ChartStyle.ink)], text: columnAxis)
        let yMid = (Self.top + gridBottom) / 2
        w.element("text", [("x", "16"), ("y", SVGWriter.number(yMid)), ("text-anchor", "middle"), ("fill", ChartStyle.ink),
                           ("transform", "rotate(-90 16 \(SVGWriter.number(yMid)))")], text: rowAxis)
        colorBar(scale, x: width - Self.right + 24, top: Self.top, bottom: gridBottom, into: &w)
        return w.finish()
    }

    private func label(_ value: Double) -> String {
        guard value.isFinite else { return "no data" }
        return percent ? Format.fixed(value * 100, digits: 1) + "%" : Format.number(value)
    }

    private func colorBar(_ scale: ColorScale, x: Double, top: Double, bottom: Double, into w: inout SVGWriter) {
        let gradient = "\(id)-scale"
        w.start("defs", [])
        w.start("linearGradient", [("id", gradient), ("x1", "0"), ("y1", "1"), ("x2", "0"), ("y2", "0")])
        for (k, stop) in ColorScale.stops.enumerated() {
            w.element("stop", [("offset", SVGWriter.number(Double(k) / Double(ColorScale.stops.count - 1))),
                               ("stop-color", String(format: "#%06x", stop))])
        }
        w.end()
        w.end()
        w.element("rect", [("x", SVGWriter.number(x)), ("y", SVGWriter.number(top)), ("width", "16"), ("height", SVGWriter.number(bottom - top)),
                           ("fill", "url(#\(gradient))"), ("stroke", ChartStyle.ink), ("stroke-width", "0.5")])
        let bar = LinearScale(domain: (scale.lower, scale.upper), range: (bottom, top))
        w.start("g", [("font-size", "11"), ("fill", ChartStyle.muted)])
        for tick in NumericTicks.ticks((scale.lower, scale.upper), count: 5, percent: percent) {
            let y = bar.map(tick.value)
            w.element("line", [("x1", SVGWriter.number(x + 16)), ("y1", SVGWriter.number(y)), ("x2", SVGWriter.number(x + 20)),
                               ("y2", SVGWriter.number(y)), ("stroke", ChartStyle.ink)])
            w.element("text", [("x", SVGWriter.number(x + 23)), ("y", SVGWriter.number(y + 4))], text: tick.label)
        }
        w.end()
        let mid = (top + bottom) / 2
        w.element("text", [("x", SVGWriter.number(x + 86)), ("y", SVGWriter.number(mid)), ("text-anchor", "middle"), ("fill", ChartStyle.ink),
                           ("transform", "rotate(90 \(SVGWriter.number(x + 86)) \(SVGWriter.number(mid)))")], text: valueLabel)
    }
}
