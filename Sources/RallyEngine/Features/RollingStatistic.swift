/// A statistic over a trailing window `[t - window + 1 ... t]` of a series.
///
/// Every statistic is undefined (NaN) until the window is full and wherever the window holds
/// a missing value, as pandas' `rolling(window)` with `min_periods = window`.
public enum RollingStatistic: Sendable, Equatable, CustomStringConvertible {
    /// Arithmetic mean.
    case mean
    /// Sample standard deviation (divisor n - 1); needs a window of at least 2.
    case std
    /// Smallest value.
    case min
    /// Largest value.
    case max
    /// The q-quantile, linear interpolation between order statistics ("type 7", as
    /// numpy and pandas): with h = q (n - 1), x[⌊h⌋] + (x[⌊h⌋ + 1] - x[⌊h⌋]) (h - ⌊h⌋).
    case quantile(Double)

    /// The statistic without a parameter named `name` (`mean`, `std`, `min`, `max`); nil for
    /// `quantile`, which needs its q, and for any other name.
    public init?(plainName name: String) {
        switch name {
        case "mean": self = .mean
        case "std": self = .std
        case "min": self = .min
        case "max": self = .max
        default: return nil
        }
    }

    /// The name used in feature names and Lua specs: `mean`, `std`, `min`, `max`, `quantile`.
    public var name: String {
        switch self {
        case .mean: "mean"
        case .std: "std"
        case .min: "min"
        case .max: "max"
        case .quantile: "quantile"
        }
    }

    /// `mean`, `std`, `min`, `max` or `quantile(0.95)`.
    public var description: String {
        if case .quantile(let q) = self { return "quantile(\(Format.number(q)))" }
        return name
    }

    /// Why `window` cannot be used with this statistic, or nil when it can.
    public func problem(window: Int) -> String? {
        if window < 1 { return "window must be a positive number of steps, got \(window)" }
        if self == .std && window < 2 { return "std needs a window of at least 2 (sample std, n - 1), got \(window)" }
        if case .quantile(let q) = self, !(q >= 0 && q <= 1) {
            return "quantile q must be in [0, 1], got \(Format.number(q))"
        }
        return nil
    }

    /// The statistic over every trailing window of `values`; `result[t]` covers
    /// `values[t - window + 1 ... t]`. Throws when the window is invalid for this statistic, or
    /// when cancelled.
    public func apply(_ values: [Double], window: Int) throws -> [Double] {
        if let problem = problem(window: window) { throw RallyError("rolling \(name): \(problem)") }
        switch self {
        case .mean: return try RollingMoments.compute(values, window: window, std: false).mean
        case .std: return try RollingMoments.compute(values, window: window).std
        case .min: return try RollingExtreme.compute(values, window: window, largest: false)
        case .max: return try RollingExtreme.compute(values, window: window, largest: true)
        case .quantile(let q): return try RollingQuantile.compute(values, window: window, q: q)
        }
    }
}
