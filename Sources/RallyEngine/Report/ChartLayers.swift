/// A line through (x, y) points; a NaN y breaks the line.
public struct LineSeries: Sendable {
    /// Legend entry (nil: none).
    public var name: String?
    /// x values (seconds for a time axis).
    public var xs: [Double]
    /// y values.
    public var ys: [Double]
    /// Stroke colour.
    public var color: String
    /// Stroke width in pixels.
    public var width: Double
    /// SVG dash pattern (`"6 4"`), nil for solid.
    public var dash: String?
    /// Draw as steps: each value holds until the next x.
    public var step: Bool

    /// Creates a line.
    public init(name: String?, xs: [Double], ys: [Double], color: String, width: Double = 1.6, dash: String? = nil, step: Bool = false) {
        self.name = name
        self.xs = xs
        self.ys = ys
        self.color = color
        self.width = width
        self.dash = dash
        self.step = step
    }
}

/// A shaded band between a lower and an upper curve (a confidence band); NaN breaks it.
public struct BandSeries: Sendable {
    /// Legend entry (nil: none).
    public var name: String?
    /// x values.
    public var xs: [Double]
    /// Lower edge.
    public var lower: [Double]
    /// Upper edge.
    public var upper: [Double]
    /// Fill colour.
    public var color: String
    /// Fill opacity (0...1).
    public var opacity: Double

    /// Creates a band.
    public init(name: String?, xs: [Double], lower: [Double], upper: [Double], color: String, opacity: Double = 0.2) {
        self.name = name
        self.xs = xs
        self.lower = lower
        self.upper = upper
        self.color = color
        self.opacity = opacity
    }
}

/// Markers at (x, y), optionally with vertical whiskers and a hover text each.
public struct PointSeries: Sendable {
    /// Legend entry (nil: none).
    public var name: String?
    /// x values.
    public var xs: [Double]
    /// y values.
    public var ys: [Double]
    /// Whisker bottoms (nil: no whiskers).
    public var lower: [Double]?
    /// Whisker tops.
    public var upper: [Double]?
    /// Hover texts, one per point (nil: none).
    public var tooltips: [String]?
    /// Marker colour.
    public var color: String
    /// Marker radius in pixels.
    public var radius: Double

    /// Creates markers.
    public init(name: String?, xs: [Double], ys: [Double], lower: [Double]? = nil, upper: [Double]? = nil,
                tooltips: [String]? = nil, color: String, radius: Double = 3.5) {
        self.name = name
        self.xs = xs
        self.ys = ys
        self.lower = lower
        self.upper = upper
        self.tooltips = tooltips
        self.color = color
        self.radius = radius
    }
}

/// Shaded x-intervals across the whole plot height (e.g. realized rallies).
public struct SpanSeries: Sendable {
    /// Legend entry (nil: none).
    public var name: String?
    /// The intervals, each (from, to) in x units.
    public var spans: [(from: Double, to: Double)]
    /// Fill colour.
    public var color: String
    /// Fill opacity (0...1).
    public var opacity: Double

    /// Creates shaded intervals.
    public init(name: String?, spans: [(from: Double, to: Double)], color: String, opacity: Double = 0.45) {
        self.name = name
        self.spans = spans
        self.color = color
        self.opacity = opacity
    }
}

/// One layer of a chart panel, drawn in the order given (spans first reads best).
public enum PlotLayer: Sendable {
    /// Shaded x-intervals.
    case spans(SpanSeries)
    /// A band between two curves.
    case band(BandSeries)
    /// A line.
    case line(LineSeries)
    /// Markers.
    case points(PointSeries)

    /// The legend entry, if any: name, colour and how the swatch is drawn.
    var legend: (name: String, color: String, swatch: LegendSwatch)? {
        switch self {
        case .spans(let s): return s.name.map { ($0, s.color, .block(s.opacity)) }
        case .band(let b): return b.name.map { ($0, b.color, .block(b.opacity)) }
        case .line(let l): return l.name.map { ($0, l.color, .line(l.dash)) }
        case .points(let p): return p.name.map { ($0, p.color, .dot) }
        }
    }

    /// Every x value the layer draws (for automatic axis bounds).
    var xValues: [Double] {
        switch self {
        case .spans(let s): return s.spans.flatMap { [$0.from, $0.to] }
        case .band(let b): return b.xs
        case .line(let l): return l.xs
        case .points(let p): return p.xs
        }
    }

    /// Every y value the layer draws (spans have none: they fill the height).
    var yValues: [Double] {
        switch self {
        case .spans: return []
        case .band(let b): return b.lower + b.upper
        case .line(let l): return l.ys
        case .points(let p): return p.ys + (p.lower ?? []) + (p.upper ?? [])
        }
    }
}

/// How a legend entry's swatch is drawn.
enum LegendSwatch: Sendable {
    case line(String?)
    case block(Double)
    case dot
}
