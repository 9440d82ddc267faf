import Foundation

/// The Diebold–Mariano (1995) test of equal predictive accuracy, with a Newey–West (1987)
/// HAC variance of the mean loss differential.
///
/// With dₜ = loss of the model − loss of the baseline at test row t (time order), the
/// statistic is d̄ / √(V/n), V = γ₀ + 2 Σₖ₌₁ᴸ (1 − k/(L+1)) γₖ (Bartlett weights, γₖ the
/// lag-k autocovariance of d with divisor n), and the two-sided p-value is
/// erfc(|DM|/√2) from the standard normal. A negative statistic means the model's loss is lower.
///
/// The test is *undefined* (``test(modelLosses:baselineLosses:lag:)`` returns nil) when it
/// cannot be trusted: fewer than ``minimumRows(lag:)`` rows for the lag, or a HAC variance that
/// is not positive (a constant non-zero differential; rounding noise does not count as variance).
public struct DieboldMariano: Sendable, Equatable {
    /// Mean loss differential d̄ (model − baseline).
    public var meanDifference: Double
    /// The DM statistic: negative when the model's loss is lower than the baseline's, 0 when
    /// every differential is 0.
    public var statistic: Double
    /// Two-sided p-value (1 when every differential is 0).
    public var pValue: Double
    /// The HAC lag L used.
    public var lag: Int

    /// The lag the losses need: the larger of h − 1, the overlap that h-step-ahead labels build
    /// into the losses (23 for protocol v1's 24 h horizon), and the Newey–West rule of thumb
    /// ⌊4 (n/100)^(2/9)⌋ (12 for 17,328 test hours). It is not shortened for short test sets:
    /// a test set too short for it leaves the test undefined (``minimumRows(lag:)``).
    public static func defaultLag(rows n: Int, horizon: Int) -> Int {
        let ruleOfThumb = Int((4 * pow(Double(max(n, 0)) / 100, 2.0 / 9.0)).rounded(.down))
        return max(0, horizon - 1, ruleOfThumb)
    }

    /// A HAC standard deviation below this share of the largest |dₜ| is rounding noise (e.g. of a
    /// constant differential such as 0.3 − 0.1 in every row), not a positive variance.
    static let roundingShare = 1e-9

    /// The fewest rows a test at lag `lag` is given on: 10 (L + 1).
    ///
    /// Why: estimating the mean biases the HAC variance towards 0. For serially uncorrelated
    /// differentials of variance σ², E γ̂₀ ≈ σ² (1 − 1/n) and E γ̂ₖ ≈ −σ²/n, and the Bartlett
    /// weights sum to Σₖ₌₁ᴸ (1 − k/(L+1)) = L/2, so E V̂ ≈ σ² (1 − (L+1)/n): the variance is
    /// understated by the share (L+1)/n, and at L = n − 1 it all but vanishes (p ≈ 0 on a
    /// handful of rows). Ten lag windows keep that bias at 10% or less, which inflates |DM| by
    /// at most 1/√0.9 − 1 ≈ 5%. For protocol v1 (L = 23) that is 240 test hours, ten days.
    public static func minimumRows(lag: Int) -> Int { 10 * (lag + 1) }

    /// Why a test on `rows` rows at lag `lag` is not given, or nil when it is.
    public static func tooFewRows(_ rows: Int, lag: Int) -> String? {
        let needed = minimumRows(lag: lag)
        guard rows < needed else { return nil }
        return "\(rows) test rows are fewer than 10 x (lag \(lag) + 1) = \(needed); the HAC variance would be biased towards 0"
    }

    /// Tests `modelLosses` against `baselineLosses` (per-row losses, same rows, time order).
    /// Returns nil when the test is undefined: fewer than ``minimumRows(lag:)`` rows, or a
    /// HAC variance that is not positive while the differentials are not all 0 (identical
    /// losses give statistic 0 and p-value 1). Mismatched counts, a negative lag and
    /// non-finite losses are errors.
    public static func test(modelLosses: [Double], baselineLosses: [Double], lag: Int) throws -> DieboldMariano? {
        let n = modelLosses.count
        guard n == baselineLosses.count else {
            throw RallyError("Diebold-Mariano: \(n) model losses but \(baselineLosses.count) baseline losses")
        }
        guard lag >= 0 else { throw RallyError("Diebold-Mariano: lag must be 0 or more, got \(lag)") }
        let d = zip(modelLosses, baselineLosses).map { $0 - $1 }
        guard d.allSatisfy(\.isFinite) else { throw RallyError("Diebold-Mariano: the losses must be finite numbers") }
        guard tooFewRows(n, lag: lag) == nil else { return nil }
        if d.allSatisfy({ $0 == 0 }) { return DieboldMariano(meanDifference: 0, statistic: 0, pValue: 1, lag: lag) }
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
        // a constant differential leaves only rounding noise in the variance: no positive variance
        let scale = d.reduce(0) { max($0, abs($1)) }
        guard variance > (Self.roundingShare * scale) * (Self.roundingShare * scale) else { return nil }
        let statistic = mean / (variance / Double(n)).squareRoot()
        return DieboldMariano(meanDifference: mean, statistic: statistic,
                              pValue: erfc(abs(statistic) / 2.0.squareRoot()), lag: lag)
    }
}
