/// Horizontal bars, one per category (top to bottom in the order given), with the value
/// printed at the end of each bar: e.g. feature importance.
public struct BarChart: Sendable {
    /// Identifier prefix (kept for symmetry with the other figures; bars need no internal ids).
    public var id: String
    /// The title.
    public var title: String
    /// Category labels, top to bottom.
    public var categories: [String]
    /// One non-negative value per category.
    public var values: [Double]
    /// The value axis title, with its unit.
    public var valueAxis: ChartAxis
    /// Bar colour.
    public var color: String
    /// Width in pixels.
    public var width: Double
    /// Height of one bar's row in pixels.
    public var rowHeight: Double

    /// Creates a bar chart.
    public init(id: String, title: String, categories: [String], values: [Double], valueAxis: ChartAxis,
                color: String, width: Double = 900, rowHeight: Double = 20) {
        self.id = id
        self.title = title
        self.categories = categories
        self.values = values
        self.valueAxis = valueAxis
        self.color = color
        self.width = width
        self.rowHeight = rowHeight
    }

    private static let top = 44.0, bottom = 50.0, right = 70.0

    /// Height in pixels.
    public var height: Double { Self.top + Double(categories.count) * rowHeight + Self.bottom }

    /// The SVG document.
    public func svg() -> String {
        var w = SVGWriter(width: width, height: height, title: title)
        FigureText.title(title, width: width, into: &w)
        let longest = categories.map { ChartStyle.textWidth($0, fontSize: 11) }.max() ?? 0
        let left = max(72, longest + 16)
        let bottomY = Self.top + Double(categories.count) * rowHeight
        let domain = PanelRenderer.domain(valueAxis, values: values + [0])
        let scale = LinearScale(domain: domain, range: (left, width - Self.right))
        let ticks = PanelRenderer.ticks(valueAxis, scale.domain, count: 6)
        for tick in ticks {
            let x = SVGWriter.number(scale.map(tick.value))
            w.element("line", [("x1", x), ("y1", SVGWriter.number(Self.top)), ("x2", x), ("y2", SVGWriter.number(bottomY)),
                               ("stroke", ChartStyle.grid)])
        }
        w.start("g", [("font-size", "11")])
        for (k, category) in categories.enumerated() {
            let y = Self.top + Double(k) * rowHeight
            let x0 = scale.map(0), x1 = scale.map(values[k])
            w.start("rect", [("x", SVGWriter.number(min(x0, x1))), ("y", SVGWriter.number(y + 3)), ("width", SVGWriter.number(abs(x1 - x0))),
                             ("height", SVGWriter.number(rowHeight - 6)), ("fill", color)])
            w.element("title", [], text: "\(category): \(tickLabel(values[k]))")
            w.end()
            w.element("text", [("x", SVGWriter.number(left - 6)), ("y", SVGWriter.number(y + rowHeight / 2 + 4)), ("text-anchor", "end"),
                               ("fill", ChartStyle.ink)], text: category)
            w.element("text", [("x", SVGWriter.number(max(x0, x1) + 4)), ("y", SVGWriter.number(y + rowHeight / 2 + 4)),
                               ("fill", ChartStyle.muted)], text: tickLabel(values[k]))
        }
        w.element("line", [("x1", SVGWriter.number(left)), ("y1", SVGWriter.number(Self.top)), ("x2", SVGWriter.number(left)),
                           ("y2", SVGWriter.number(bottomY)), ("stroke", ChartStyle.ink)])
        w.element("line", [("x1", SVGWriter.number(left)), ("y1", SVGWriter.number(bottomY)), ("x2", SVGWriter.number(width - Self.right)),
                           ("y2", SVGWriter.number(bottomY)), ("stroke", ChartStyle.ink)])
        for tick in ticks {
            w.element("text", [("x", SVGWriter.number(scale.map(tick.value))), ("y", SVGWriter.number(bottomY + 18)), ("text-anchor", "middle"),
                               ("fill", ChartStyle.muted)], text: tick.label)
        }
        w.element("text", [("x", SVGWriter.number((left + width - Self.right) / 2)), ("y", SVGWriter.number(bottomY + 38)),
                           ("text-anchor", "middle"), ("font-size", "12"), ("fill", ChartStyle.ink)], text: valueAxis.label)
        w.end()
        return w.finish()
    }

    private func tickLabel(_ v: Double) -> String {
        valueAxis.kind == .percent ? Format.fixed(v * 100, digits: 1) + "%" : Format.number(v)
    }
}
