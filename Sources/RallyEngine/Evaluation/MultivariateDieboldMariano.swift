import Foundation

/// The multivariate Diebold–Mariano test of the EPF literature (Ziel and Weron 2018; epftoolbox
/// `DM(..., version = "multivariate")`): the 24 hourly losses of a day form one vector, each
/// day's differential is the difference of the two models' mean losses over its hours, and the
/// daily differentials are tested as one series.
///
/// With dₜ = mean loss of A − mean loss of B on day t (N days), the statistic is
/// d̄ / √(σ̂²/N) with σ̂² the variance of dₜ with divisor N (no HAC term: a day's forecasts are
/// one step ahead in days, as in epftoolbox), and the one-sided p-value is 1 − Φ(statistic):
/// H0 "B is not more accurate than A" against H1 "B is more accurate"; a small p says B is better.
///
/// It is not ``DieboldMariano``, the two-sided hourly test with a Newey–West variance that the
/// comparison table gives against the baseline.
public struct MultivariateDieboldMariano: Sendable, Equatable {
    /// The statistic (positive when A's mean daily loss is higher, i.e. B is better).
    public var statistic: Double
    /// One-sided p-value: small when B (the second model) is more accurate.
    public var pValue: Double
    /// The days N.
    public var days: Int

    /// Tests daily differentials `d` (A − B). Nil (undefined) with fewer than 10 days
    /// (``DieboldMariano/minimumRows(lag:)`` at lag 0) or a constant non-zero differential (no
    /// variance); all-zero differentials give statistic 0 and p = 0.5. Non-finite values are errors.
    public static func test(differentials d: [Double]) throws -> MultivariateDieboldMariano? {
        guard d.allSatisfy(\.isFinite) else { throw RallyError("multivariate Diebold-Mariano: the loss differentials must be finite numbers") }
        let n = d.count
        guard n >= DieboldMariano.minimumRows(lag: 0) else { return nil }
        if d.allSatisfy({ $0 == 0 }) { return MultivariateDieboldMariano(statistic: 0, pValue: 0.5, days: n) }
        let mean = d.reduce(0, +) / Double(n)
        let variance = d.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        let scale = d.reduce(0) { max($0, abs($1)) }
        guard variance > (DieboldMariano.roundingShare * scale) * (DieboldMariano.roundingShare * scale) else { return nil }
        let statistic = mean / (variance / Double(n)).squareRoot()
        return MultivariateDieboldMariano(statistic: statistic, pValue: erfc(statistic / 2.0.squareRoot()) / 2, days: n)
    }
}

/// Each model's mean loss per calendar day (the daily loss vectors of the EPF tests), from
/// hourly test rows in time order. Only complete days count: days with exactly
/// `stepsPerDay` test rows (24 for hourly data); the rows of other days (a test period that
/// starts mid-day, gaps) are left out and counted in ``rowsLeftOut``.
///
/// With protocol v1's 24 h label horizon, day t's 24 rows are the forecasts issued on day t for
/// the hours of day t + 1: one step ahead in days, the setting of the EPF tests. It holds the
/// per-day means only, not a test.
public struct DailyLosses: Sendable {
    /// The start (00:00) of each complete day, ascending.
    public let days: [Int64]
    /// Rows of incomplete days, left out.
    public let rowsLeftOut: Int
    /// `brier[model][day]`: mean (p − y)² over the day's rows.
    public let brier: [[Double]]
    /// `logLoss[model][day]`: mean clipped log loss over the day's rows.
    public let logLoss: [[Double]]

    /// Groups `times` (ascending) into calendar days and averages each model's losses
    /// (`predictions[model]`, one probability per row) over the complete ones.
    public init(times: [Int64], labels: [Double], predictions: [[Double]], names: [String],
                settings: MetricSettings, stepsPerDay: Int = 24) throws {
        guard stepsPerDay >= 1 else { throw RallyError("daily losses: \(stepsPerDay) steps per day; 1 or more expected") }
        guard names.count == predictions.count else { throw RallyError("daily losses: \(names.count) names for \(predictions.count) models") }
        guard times.count == labels.count else { throw RallyError("daily losses: \(times.count) times but \(labels.count) labels") }
        for i in times.indices.dropFirst() where times[i] <= times[i - 1] {
            throw RallyError("daily losses: test times must ascend; row \(i + 1) (\(TimeStamp.format(times[i]))) does not")
        }
        let losses = try names.indices.map { m in
            try ForecastLosses(labels: labels, probabilities: predictions[m], settings: settings, model: names[m])
        }
        var days: [Int64] = [], spans: [Range<Int>] = []
        var start = 0
        while start < times.count {
            let day = Self.dayStart(times[start])
            var end = start + 1
            while end < times.count && Self.dayStart(times[end]) == day { end += 1 }
            if end - start == stepsPerDay {
                days.append(day)
                spans.append(start..<end)
            }
            start = end
        }
        self.days = days
        rowsLeftOut = times.count - spans.count * stepsPerDay
        func means(_ losses: [Double]) -> [Double] {
            spans.map { span in losses[span].reduce(0, +) / Double(span.count) }
        }
        brier = losses.map { means($0.squaredErrors) }
        logLoss = losses.map { means($0.logLosses) }
    }

    /// 00:00 of the day holding `t`.
    static func dayStart(_ t: Int64) -> Int64 {
        let q = t / TimeStamp.day
        return (t % TimeStamp.day < 0 ? q - 1 : q) * TimeStamp.day
    }

    /// `a[t] − b[t]` per day.
    static func differentials(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { $0 - $1 } }
}
