import Foundation

/// A tick on an axis: where it sits (in data units) and its label.
public struct AxisTick: Sendable, Equatable {
    /// Position in data units.
    public var value: Double
    /// The label drawn beside it.
    public var label: String

    /// Creates a tick.
    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}

/// Maps a data interval onto a pixel interval, linearly.
public struct LinearScale: Sendable {
    /// The data interval (lower, upper); never empty.
    public var domain: (lower: Double, upper: Double)
    /// The pixel interval the domain maps onto (may run backwards, as y does).
    public var range: (from: Double, to: Double)

    /// Creates a scale; a degenerate domain is widened by one unit on each side.
    public init(domain: (lower: Double, upper: Double), range: (from: Double, to: Double)) {
        var d = domain
        if !(d.upper > d.lower) { d = (d.lower - 1, d.lower + 1) }
        self.domain = d
        self.range = range
    }

    /// The pixel position of `x`.
    public func map(_ x: Double) -> Double {
        range.from + (x - domain.lower) / (domain.upper - domain.lower) * (range.to - range.from)
    }

}

/// Round-number ticks for a numeric axis: steps of 1, 2 or 5 × 10ᵏ.
public enum NumericTicks {
    /// A step of 1, 2 or 5 × 10ᵏ giving at most about `count` intervals over `span`.
    public static func step(span: Double, count: Int) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(count, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * magnitude >= raw * 0.999_999 {
            return factor * magnitude
        }
        return 10 * magnitude
    }

    /// `domain` widened outward to whole steps, as an axis wants it. An end that only just
    /// crosses zero (by less than one step, e.g. one price hour at −2.8 on an axis ticked every
    /// 50) is widened to a whole sub-step instead (−10), so it does not take a full step of the
    /// panel; every value stays inside.
    public static func niceDomain(_ domain: (lower: Double, upper: Double), count: Int = 5) -> (lower: Double, upper: Double) {
        let s = step(span: domain.upper - domain.lower, count: count)
        let sub = step(span: s, count: 5)
        var lower = (domain.lower / s).rounded(.down) * s, upper = (domain.upper / s).rounded(.up) * s
        if domain.lower < 0, domain.upper > 0, -domain.lower < s { lower = (domain.lower / sub).rounded(.down) * sub }
        if domain.upper > 0, domain.lower < 0, domain.upper < s { upper = (domain.upper / sub).rounded(.up) * sub }
        return (lower, upper)
    }

    /// The ticks inside `domain`, labelled with as many decimals as the step needs
    /// (`percent`: the value × 100 followed by `%`).
    public static func ticks(_ domain: (lower: Double, upper: Double), count: Int = 5, percent: Bool = false) -> [AxisTick] {
        let s = step(span: domain.upper - domain.lower, count: count)
        let first = (domain.lower / s - 1e-9).rounded(.up)
        let last = (domain.upper / s + 1e-9).rounded(.down)
        guard first <= last else { return [] }
        let labelStep = percent ? s * 100 : s
        let digits = (0...6).first { d in
            let scaled = labelStep * pow(10, Double(d))
            return abs(scaled - scaled.rounded()) < 1e-6 * max(scaled, 1)
        } ?? 6
        return stride(from: first, through: last, by: 1).map { k in
            let v = k * s
            let shown = percent ? v * 100 : v
            let label = Format.fixed(abs(shown) < s * 1e-9 ? 0 : shown, digits: digits)
            return AxisTick(value: v, label: percent ? label + "%" : label)
        }
    }
}

/// Calendar ticks for a time axis (seconds since 1970 on a naive wall clock): hours, days,
/// weeks or months, whichever gives at most `maxCount` ticks.
public enum TimeTicks {
    private static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// The short English name of month `m` (1...12).
    public static func monthName(_ m: Int) -> String { monthNames[(m - 1 + 120) % 12] }

    /// Ticks between `lower` and `upper` (seconds).
    public static func ticks(lower: Int64, upper: Int64, maxCount: Int = 9) -> [AxisTick] {
        let span = upper - lower
        let hourSteps: [Int64] = [1, 2, 3, 6, 12, 24, 48, 72, 96, 168, 336]
        for hours in hourSteps where span / (hours * 3600) + 1 <= Int64(maxCount) {
            return hourTicks(lower: lower, upper: upper, step: hours * 3600)
        }
        for months in [1, 2, 3, 4, 6, 12, 24, 60] where span / (Int64(months) * 30 * TimeStamp.day) + 1 <= Int64(maxCount) {
            return monthTicks(lower: lower, upper: upper, months: months)
        }
        return monthTicks(lower: lower, upper: upper, months: 120)
    }

    private static func hourTicks(lower: Int64, upper: Int64, step: Int64) -> [AxisTick] {
        // Align to midnight for whole-day steps (weeks: Mondays), else to whole multiples of the step.
        let origin: Int64 = step % (7 * TimeStamp.day) == 0 ? 4 * TimeStamp.day : 0  // 1970-01-05 was a Monday
        var t = origin + ceilDiv(lower - origin, step) * step
        var out: [AxisTick] = []
        while t <= upper {
            let c = TimeStamp.components(t)
            var label = "\(monthName(c.month)) \(c.day)"
            if step < TimeStamp.day { label += String(format: " %02d:00", c.hour) }
            out.append(AxisTick(value: Double(t), label: label))
            t += step
        }
        return out
    }

    private static func monthTicks(lower: Int64, upper: Int64, months: Int) -> [AxisTick] {
        let c = TimeStamp.components(lower)
        var index = c.year * 12 + (c.month - 1)
        if TimeStamp.make(year: c.year, month: c.month, day: 1) < lower { index += 1 }
        index = Int((Double(index) / Double(months)).rounded(.up)) * months
        var out: [AxisTick] = []
        while true {
            let year = index / 12, month = index % 12 + 1
            let t = TimeStamp.make(year: year, month: month, day: 1)
            if t > upper { break }
            out.append(AxisTick(value: Double(t), label: months >= 12 ? "\(year)" : "\(monthName(month)) \(year)"))
            index += months
        }
        return out
    }

    private static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a > 0) == (b > 0)) ? q + 1 : q
    }
}
