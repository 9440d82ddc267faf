import Foundation

/// The Diebold–Mariano (1995) test of equal predictive accuracy, with a Newey–West (1987)
/// HAC variance of the mean loss differential.
///
/// With dₜ = loss of the model − loss of the baseline at test row t (time order), the
/// statistic is d̄ / √(V/n), V = γ₀ + 2 Σₖ₌₁ᴸ (1 − k/(L+1)) γₖ (Bartlett weights, γₖ the
/// lag-k autocovariance of d with divisor n), and the two-sided p-value is
/// erfc(|DM|/√2) from the standard normal. A negative statistic means the model's loss is lower.
public struct DieboldMariano: Sendable, Equatable {
    /// Mean loss differential d̄ (model − baseline).
    public var meanDifference: Double
    /// The DM statistic (0 when every differential is 0; ±∞ when they are all the same
    /// non-zero number, which has no variance).
    public var statistic: Double
    /// Two-sided p-value (1 when every differential is 0, 0 when they are one non-zero constant).
    public var pValue: Double
    /// The HAC lag L used.
    public var lag: Int

    /// The default lag: the larger of h − 1, the overlap that h-step-ahead labels build into
    /// the losses (23 for protocol v1's 24 h horizon), and the Newey–West rule of thumb
    /// ⌊4 (n/100)^(2/9)⌋ (12 for 17,328 test hours); capped at n − 1.
    public static func defaultLag(rows n: Int, horizon: Int) -> Int {
        let ruleOfThumb = Int((4 * pow(Double(n) / 100, 2.0 / 9.0)).rounded(.down))
        return max(0, min(n - 1, max(horizon - 1, ruleOfThumb)))
    }

    /// Tests `modelLosses` against `baselineLosses` (per-row losses, same rows, time order).
    public static func test(modelLosses: [Double], baselineLosses: [Double], lag: Int) throws -> DieboldMariano {
        let n = modelLosses.count
        guard n == baselineLosses.count else {
            throw RallyError("Diebold-Mariano: \(n) model losses but \(baselineLosses.count) baseline losses")
        }
        guard n >= 2 else { throw RallyError("Diebold-Mariano: needs at least 2 rows, got \(n)") }
        guard lag >= 0 && lag < n else { throw RallyError("Diebold-Mariano: lag must be in 0...\(n - 1), got \(lag)") }
        let d = zip(modelLosses, baselineLosses).map { $0 - $1 }
        guard d.allSatisfy(\.isFinite) else { throw RallyError("Diebold-Mariano: the losses must be finite numbers") }
        let mean = d.reduce(0, +) / Double(n)
        let centred = d.map { $0 - mean }
        func autocovariance(_ k: Int) -> Double {
            var s = 0.0
            for t in k..<n { s += centred[t] * centred[t - k] }
            return s / Double(n)
        }
        var variance = autocovariance(0)
        if lag > 0 {
            for k in 1...lag { variance += 2 * (1 - Double(k) / Double(lag + 1)) * autocovariance(k) }
        }
        guard variance > 0 else {
            // a constant differential: no evidence when it is 0, certainty otherwise
            return mean == 0
                ? DieboldMariano(meanDifference: 0, statistic: 0, pValue: 1, lag: lag)
                : DieboldMariano(meanDifference: mean, statistic: mean > 0 ? .infinity : -.infinity, pValue: 0, lag: lag)
        }
        let statistic = mean / (variance / Double(n)).squareRoot()
        return DieboldMariano(meanDifference: mean, statistic: statistic,
                              pValue: erfc(abs(statistic) / 2.0.squareRoot()), lag: lag)
    }
}
