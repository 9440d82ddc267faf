/// An axis of a chart panel: what it measures (with its unit) and how it is ticked.
public struct ChartAxis: Sendable {
    /// How values are read and ticked.
    public enum Kind: Sendable {
        /// Plain numbers.
        case linear
        /// Seconds since 1970 on a naive wall clock, ticked by calendar.
        case time
        /// Fractions shown as percentages.
        case percent
    }

    /// The axis title, with its unit (`Price (USD/MWh)`).
    public var label: String
    /// How values are ticked.
    public var kind: Kind
    /// Fixed bounds; nil takes them from the data (rounded out to whole ticks, time axes exact).
    public var bounds: (lower: Double, upper: Double)?
    /// With automatic bounds, whether zero must be inside them.
    public var includeZero: Bool

    /// Creates an axis.
    public init(_ label: String, kind: Kind = .linear, bounds: (lower: Double, upper: Double)? = nil, includeZero: Bool = false) {
        self.label = label
        self.kind = kind
        self.bounds = bounds
        self.includeZero = includeZero
    }
}

/// One plot area of a figure: its axes, layers and an optional heading.
public struct ChartPanel: Sendable {
    /// A short heading drawn above the plot area (nil: none).
    public var heading: String?
    /// The horizontal axis.
    public var x: ChartAxis
    /// The vertical axis.
    public var y: ChartAxis
    /// What is drawn, in order.
    public var layers: [PlotLayer]
    /// Height of the panel in pixels, margins included.
    public var height: Double

    /// Creates a panel.
    public init(heading: String? = nil, x: ChartAxis, y: ChartAxis, layers: [PlotLayer], height: Double = 330) {
        self.heading = heading
        self.x = x
        self.y = y
        self.layers = layers
        self.height = height
    }
}

/// A figure of one or more panels stacked vertically under a title, rendered as a standalone
/// SVG document. The same figure always renders to the same bytes.
public struct ChartFigure: Sendable {
    /// A short identifier, unique within a report: prefixes the figure's internal ids so
    /// several figures can be inlined in one HTML page.
    public var id: String
    /// The title drawn at the top.
    public var title: String
    /// Width in pixels.
    public var width: Double
    /// The panels, row by row.
    public var panels: [ChartPanel]
    /// Panels per row (small multiples side by side); 1 stacks them.
    public var columns: Int

    /// Margins of a panel's plot area.
    static let left = 72.0, right = 24.0, top = 30.0, bottom = 48.0, titleHeight = 34.0

    /// Creates a figure.
    public init(id: String, title: String, width: Double = 900, columns: Int = 1, panels: [ChartPanel]) {
        self.id = id
        self.title = title
        self.width = width
        self.columns = max(columns, 1)
        self.panels = panels
    }

    /// The panels of each row.
    private var rows: [ArraySlice<ChartPanel>] {
        stride(from: 0, to: panels.count, by: columns).map { panels[$0..<min($0 + columns, panels.count)] }
    }

    /// Total height in pixels.
    public var height: Double { Self.titleHeight + rows.reduce(0) { $0 + ($1.map(\.height).max() ?? 0) } }

    /// The SVG document.
    public func svg() -> String {
        var w = SVGWriter(width: width, height: height, title: title)
        FigureText.title(title, width: width, into: &w)
        var top = Self.titleHeight
        let panelWidth = width / Double(columns)
        for row in rows {
            for k in row.indices {
                let column = Double((k - row.startIndex) % columns)
                PanelRenderer(panel: panels[k], clipID: "\(id)-clip\(k)",
                              box: (x: column * panelWidth, y: top, width: panelWidth, height: panels[k].height)).render(into: &w)
            }
            top += row.map(\.height).max() ?? 0
        }
        return w.finish()
    }
}

/// Titles and legends shared by every figure type.
enum FigureText {
    /// The figure title, centred in the top band.
    static func title(_ text: String, width: Double, into w: inout SVGWriter) {
        w.element("text", [("x", SVGWriter.number(width / 2)), ("y", "22"), ("text-anchor", "middle"),
                           ("font-size", "15"), ("font-weight", "bold"), ("fill", ChartStyle.ink)], text: text)
    }

    private static func itemWidths(_ items: [(name: String, color: String, swatch: LegendSwatch)]) -> [Double] {
        items.map { 22 + ChartStyle.textWidth($0.name, fontSize: 11) + 14 }
    }

    /// The width a legend of `items` takes.
    static func legendWidth(_ items: [(name: String, color: String, swatch: LegendSwatch)]) -> Double {
        max(itemWidths(items).reduce(0, +) - 14, 0)
    }

    /// A one-row legend ending at `right`, baseline at `y`.
    static func legend(_ items: [(name: String, color: String, swatch: LegendSwatch)], right: Double, y: Double, into w: inout SVGWriter) {
        guard !items.isEmpty else { return }
        let widths = itemWidths(items)
        var x = right - legendWidth(items)
        w.start("g", [("font-size", "11"), ("fill", ChartStyle.ink)])
        for (item, itemWidth) in zip(items, widths) {
            switch item.swatch {
            case .line(let dash):
                var attributes = [("x1", SVGWriter.number(x)), ("y1", SVGWriter.number(y - 4)), ("x2", SVGWriter.number(x + 18)),
                                  ("y2", SVGWriter.number(y - 4)), ("stroke", item.color), ("stroke-width", "2.5")]
                if let dash { attributes.append(("stroke-dasharray", dash)) }
                w.element("line", attributes)
            case .block(let opacity):
                w.element("rect", [("x", SVGWriter.number(x)), ("y", SVGWriter.number(y - 10)), ("width", "18"), ("height", "10"),
                                   ("fill", item.color), ("fill-opacity", SVGWriter.number(max(opacity, 0.3)))])
            case .dot:
                w.element("circle", [("cx", SVGWriter.number(x + 9)), ("cy", SVGWriter.number(y - 4)), ("r", "4"), ("fill", item.color)])
            }
            w.element("text", [("x", SVGWriter.number(x + 22)), ("y", SVGWriter.number(y))], text: item.name)
            x += itemWidth
        }
        w.end()
    }
}

/// Draws one panel: grid, layers clipped to the plot area, axes, ticks, labels, legend.
struct PanelRenderer {
    let panel: ChartPanel
    let clipID: String
    let box: (x: Double, y: Double, width: Double, height: Double)

    func render(into w: inout SVGWriter) {
        let plot = (left: box.x + ChartFigure.left, right: box.x + box.width - ChartFigure.right,
                    top: box.y + ChartFigure.top, bottom: box.y + box.height - ChartFigure.bottom)
        let xDomain = Self.domain(panel.x, values: panel.layers.flatMap(\.xValues))
        let yDomain = Self.domain(panel.y, values: panel.layers.flatMap(\.yValues))
        let xs = LinearScale(domain: xDomain, range: (plot.left, plot.right))
        let ys = LinearScale(domain: yDomain, range: (plot.bottom, plot.top))
        let xTicks = Self.ticks(panel.x, xs.domain, count: 8)
        let yTicks = Self.ticks(panel.y, ys.domain, count: 5)

        w.start("g", [("font-size", "11")])
        // Grid.
        for tick in yTicks {
            let y = SVGWriter.number(ys.map(tick.value))
            w.element("line", [("x1", SVGWriter.number(plot.left)), ("y1", y), ("x2", SVGWriter.number(plot.right)), ("y2", y),
                               ("stroke", ChartStyle.grid), ("stroke-width", "1")])
        }
        for tick in xTicks {
            let x = SVGWriter.number(xs.map(tick.value))
            w.element("line", [("x1", x), ("y1", SVGWriter.number(plot.top)), ("x2", x), ("y2", SVGWriter.number(plot.bottom)),
                               ("stroke", ChartStyle.grid), ("stroke-width", "1")])
        }
        // Layers, clipped to the plot area.
        w.start("clipPath", [("id", clipID)])
        w.element("rect", [("x", SVGWriter.number(plot.left)), ("y", SVGWriter.number(plot.top)),
                           ("width", SVGWriter.number(plot.right - plot.left)), ("height", SVGWriter.number(plot.bottom - plot.top))])
        w.end()
        w.start("g", [("clip-path", "url(#\(clipID))")])
        for layer in panel.layers {
            LayerRenderer(xs: xs, ys: ys, top: plot.top, bottom: plot.bottom).draw(layer, into: &w)
        }
        w.end()
        // Axes.
        w.element("rect", [("x", SVGWriter.number(plot.left)), ("y", SVGWriter.number(plot.top)),
                           ("width", SVGWriter.number(plot.right - plot.left)), ("height", SVGWriter.number(plot.bottom - plot.top)),
                           ("fill", "none"), ("stroke", ChartStyle.ink), ("stroke-width", "1")])
        for tick in yTicks {
            let y = ys.map(tick.value)
            w.element("line", [("x1", SVGWriter.number(plot.left - 5)), ("y1", SVGWriter.number(y)), ("x2", SVGWriter.number(plot.left)),
                               ("y2", SVGWriter.number(y)), ("stroke", ChartStyle.ink)])
            w.element("text", [("x", SVGWriter.number(plot.left - 8)), ("y", SVGWriter.number(y + 4)), ("text-anchor", "end"),
                               ("fill", ChartStyle.muted)], text: tick.label)
        }
        for tick in xTicks {
            let x = xs.map(tick.value)
            w.element("line", [("x1", SVGWriter.number(x)), ("y1", SVGWriter.number(plot.bottom)), ("x2", SVGWriter.number(x)),
                               ("y2", SVGWriter.number(plot.bottom + 5)), ("stroke", ChartStyle.ink)])
            w.element("text", [("x", SVGWriter.number(x)), ("y", SVGWriter.number(plot.bottom + 18)), ("text-anchor", "middle"),
                               ("fill", ChartStyle.muted)], text: tick.label)
        }
        w.element("text", [("x", SVGWriter.number((plot.left + plot.right) / 2)), ("y", SVGWriter.number(plot.bottom + 38)),
                           ("text-anchor", "middle"), ("font-size", "12"), ("fill", ChartStyle.ink)], text: panel.x.label)
        let yMid = (plot.top + plot.bottom) / 2
        w.element("text", [("x", SVGWriter.number(box.x + 16)), ("y", SVGWriter.number(yMid)), ("text-anchor", "middle"),
                           ("font-size", "12"), ("fill", ChartStyle.ink),
                           ("transform", "rotate(-90 \(SVGWriter.number(box.x + 16)) \(SVGWriter.number(yMid)))")], text: panel.y.label)
        let legend = panel.layers.compactMap(\.legend)
        if let heading = panel.heading {
            // Lift the heading above the legend when the two would overlap on one line.
            let headingEnd = plot.left + ChartStyle.textWidth(heading, fontSize: 12.5)
            let crowded = !legend.isEmpty && headingEnd + 12 > plot.right - FigureText.legendWidth(legend)
            w.element("text", [("x", SVGWriter.number(plot.left)), ("y", SVGWriter.number(plot.top - (crowded ? 24 : 10))), ("font-size", "12"),
                               ("font-weight", "bold"), ("fill", ChartStyle.ink)], text: heading)
        }
        FigureText.legend(legend, right: plot.right, y: plot.top - 10, into: &w)
        w.end()
    }

    /// The axis domain: fixed bounds, or the finite data range (rounded out for numbers).
    static func domain(_ axis: ChartAxis, values: [Double]) -> (lower: Double, upper: Double) {
        if let bounds = axis.bounds { return bounds }
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite {
            lo = min(lo, v)
            hi = max(hi, v)
        }
        if axis.includeZero { lo = min(lo, 0); hi = max(hi, 0) }
        guard lo <= hi else { return (0, 1) }
        if axis.kind == .time { return hi > lo ? (lo, hi) : (lo - 3600, hi + 3600) }
        if hi == lo { return (lo - 1, hi + 1) }
        return NumericTicks.niceDomain((lo, hi))
    }

    static func ticks(_ axis: ChartAxis, _ domain: (lower: Double, upper: Double), count: Int) -> [AxisTick] {
        switch axis.kind {
        case .time: return TimeTicks.ticks(lower: Int64(domain.lower.rounded(.up)), upper: Int64(domain.upper.rounded(.down)))
        case .linear: return NumericTicks.ticks(domain, count: count)
        case .percent: return NumericTicks.ticks(domain, count: count, percent: true)
        }
    }
}

/// Draws one layer with the panel's scales.
struct LayerRenderer {
    let xs: LinearScale
    let ys: LinearScale
    let top: Double
    let bottom: Double

    func draw(_ layer: PlotLayer, into w: inout SVGWriter) {
        switch layer {
        case .spans(let s): spans(s, into: &w)
        case .band(let b): band(b, into: &w)
        case .line(let l): line(l, into: &w)
        case .points(let p): points(p, into: &w)
        }
    }

    private func spans(_ s: SpanSeries, into w: inout SVGWriter) {
        guard !s.spans.isEmpty else { return }
        w.start("g", [("fill", s.color), ("fill-opacity", SVGWriter.number(s.opacity))])
        for span in s.spans {
            let x0 = xs.map(span.from), x1 = xs.map(span.to)
            w.element("rect", [("x", SVGWriter.number(min(x0, x1))), ("y", SVGWriter.number(top)),
                               ("width", SVGWriter.number(max(abs(x1 - x0), 1))), ("height", SVGWriter.number(bottom - top))])
        }
        w.end()
    }

    private func band(_ b: BandSeries, into w: inout SVGWriter) {
        for run in Self.runs(b.xs.count, defined: { b.lower[$0].isFinite && b.upper[$0].isFinite && b.xs[$0].isFinite }) {
            let upperX = run.map { xs.map(b.xs[$0]) }, upperY = run.map { ys.map(b.upper[$0]) }
            let lowerX = run.reversed().map { xs.map(b.xs[$0]) }, lowerY = run.reversed().map { ys.map(b.lower[$0]) }
            w.element("polygon", [("points", SVGWriter.points(upperX + lowerX, upperY + lowerY)),
                                  ("fill", b.color), ("fill-opacity", SVGWriter.number(b.opacity)), ("stroke", "none")])
        }
    }

    private func line(_ l: LineSeries, into w: inout SVGWriter) {
        var d = ""
        for run in Self.runs(l.xs.count, defined: { l.ys[$0].isFinite && l.xs[$0].isFinite }) {
            for (k, i) in run.enumerated() {
                let x = xs.map(l.xs[i]), y = ys.map(l.ys[i])
                if k == 0 {
                    d += (d.isEmpty ? "M" : " M") + SVGWriter.number(x) + "," + SVGWriter.number(y)
                } else if l.step {
                    d += " H" + SVGWriter.number(x) + " V" + SVGWriter.number(y)
                } else {
                    d += " L" + SVGWriter.number(x) + "," + SVGWriter.number(y)
                }
            }
            if l.step, let last = run.last, last + 1 < l.xs.count, l.xs[last + 1].isFinite {
                d += " H" + SVGWriter.number(xs.map(l.xs[last + 1]))
            }
        }
        guard !d.isEmpty else { return }
        var attributes = [("d", d), ("fill", "none"), ("stroke", l.color), ("stroke-width", SVGWriter.number(l.width)),
                          ("stroke-linejoin", "round")]
        if let dash = l.dash { attributes.append(("stroke-dasharray", dash)) }
        w.element("path", attributes)
    }

    private func points(_ p: PointSeries, into w: inout SVGWriter) {
        w.start("g", [("fill", p.color), ("stroke", p.color)])
        for i in p.xs.indices where p.xs[i].isFinite && p.ys[i].isFinite {
            let x = SVGWriter.number(xs.map(p.xs[i]))
            if let lower = p.lower, let upper = p.upper, lower[i].isFinite, upper[i].isFinite {
                w.element("line", [("x1", x), ("y1", SVGWriter.number(ys.map(lower[i]))), ("x2", x),
                                   ("y2", SVGWriter.number(ys.map(upper[i]))), ("stroke-width", "1.5")])
            }
            let attributes = [("cx", x), ("cy", SVGWriter.number(ys.map(p.ys[i]))), ("r", SVGWriter.number(p.radius)),
                              ("stroke", "#ffffff"), ("stroke-width", "1")]
            if let tips = p.tooltips {
                w.start("circle", attributes)
                w.element("title", [], text: tips[i])
                w.end()
            } else {
                w.element("circle", attributes)
            }
        }
        w.end()
    }

    /// Maximal runs of consecutive indices where `defined` holds.
    static func runs(_ count: Int, defined: (Int) -> Bool) -> [[Int]] {
        var out: [[Int]] = []
        var current: [Int] = []
        for i in 0..<count {
            if defined(i) {
                current.append(i)
            } else if !current.isEmpty {
                out.append(current)
                current = []
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
