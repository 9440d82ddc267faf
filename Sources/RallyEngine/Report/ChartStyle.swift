/// Colours and sizes shared by every chart: a colour-blind-safe palette (Okabe & Ito 2008),
/// a fixed colour per model name, and text metrics used for layout.
public enum ChartStyle {
    /// Text and axis colour.
    public static let ink = "#222222"
    /// Tick label colour.
    public static let muted = "#555555"
    /// Grid line colour.
    public static let grid = "#e6e6e6"
    /// The shading of realized rallies.
    public static let rally = "#e8a09a"
    /// A neutral grey for references (the naive model, thresholds, diagonals).
    public static let neutral = "#7a7a7a"
    /// Series colours in order of use.
    public static let series = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

    /// The colour of model `name`, the `index`-th model of a report: the naive baseline is
    /// grey, logreg blue, gbdt vermilion; other models take the remaining palette colours.
    public static func model(_ name: String, index: Int) -> String {
        switch name {
        case "naive": return neutral
        case "logreg": return series[0]
        case "gbdt": return series[1]
        default: return series[2 + index % (series.count - 2)]
        }
    }

    /// Estimated width in pixels of `text` at `fontSize` (DejaVu Sans averages about 0.6 em).
    public static func textWidth(_ text: String, fontSize: Double) -> Double {
        Double(text.count) * fontSize * 0.6
    }
}
