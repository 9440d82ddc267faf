import Foundation

/// The Giacomini–White (2006) test of conditional predictive ability, in the form the EPF
/// toolbox (jeslago/epftoolbox, `GW(..., version = "multivariate")`) applies to day-ahead
/// forecasts: one step ahead in days (τ = 1), on a series of daily loss differentials.
///
/// With dₜ = loss of model A − loss of model B on day t (days in time order, t = 1…T+1) and
/// the instruments hₜ₋₁ = (1, dₜ₋₁), the statistic is T·R² of the regression, without an
/// intercept, of the constant 1 on the T rows zₜ = hₜ₋₁ dₜ (t = 2…T+1): R² = 1 − mean(eₜ²)
/// with eₜ = 1 − zₜ'β̂ (uncentred; Giacomini and White's Theorem 1 remark (c) for τ = 1). It is
/// signed as epftoolbox signs it, by the sign of the mean of dₜ over those T days, and the
/// one-sided p-value is 1 − F(stat) for the χ² distribution with 2 degrees of freedom (the
/// number of instruments): H0 "B does not predict better than A" against H1 "B predicts
/// better"; a small p says B is better, a negative statistic gives p = 1.
///
/// It is not the unconditional (Diebold–Mariano) test: the lagged differential lets it
/// reject when the better model is predictable from yesterday, even if the means are close.
public struct GiacominiWhite: Sendable, Equatable {
    /// The signed statistic T·R² (negative when A's mean loss is lower).
    public var statistic: Double
    /// One-sided p-value: small when B (the second model) predicts better.
    public var pValue: Double
    /// The days T in the regression (one fewer than the differentials given).
    public var days: Int

    /// Degrees of freedom of the χ² reference: the instruments, a constant and dₜ₋₁.
    public static let instruments = 2

    /// Tests daily differentials `d` (A − B, time order). Nil (undefined) with fewer than
    /// ``DieboldMariano/minimumRows(lag:)`` (10) days in the regression. Non-finite values are errors.
    public static func test(differentials d: [Double]) throws -> GiacominiWhite? {
        guard d.allSatisfy(\.isFinite) else { throw RallyError("Giacomini-White: the loss differentials must be finite numbers") }
        let days = d.count - 1
        guard days >= DieboldMariano.minimumRows(lag: 0) else { return nil }
        // zₜ = (dₜ, dₜ₋₁ dₜ); the fitted values of 1 on z are the projection of 1 on z's columns.
        var a = 0.0, b = 0.0, c = 0.0, u = 0.0, v = 0.0, sum = 0.0
        for t in 1...days {
            let z1 = d[t], z2 = d[t - 1] * d[t]
            a += z1 * z1; b += z1 * z2; c += z2 * z2
            u += z1; v += z2
            sum += d[t]
        }
        let explained = Self.projectedSquares(a: a, b: b, c: c, u: u, v: v)
        // ŷ = P1 is an orthogonal projection: ‖1 − ŷ‖² = T − ‖ŷ‖², so R² = 1 − mean((1 − ŷ)²) = ‖ŷ‖² / T.
        let r2 = min(max(explained / Double(days), 0), 1)
        let mean = sum / Double(days)
        let sign: Double = mean > 0 ? 1 : mean < 0 ? -1 : 0
        let statistic = sign * Double(days) * r2
        return GiacominiWhite(statistic: statistic, pValue: ChiSquare.survival(statistic, degrees: instruments), days: days)
    }

    /// ‖P 1‖² for the projection P on two columns with Gram matrix [[a, b], [b, c]] and
    /// inner products (u, v) with the vector of ones: u'G⁻¹u when G is invertible, else the
    /// projection on the column that is not zero (collinear columns span one direction).
    static func projectedSquares(a: Double, b: Double, c: Double, u: Double, v: Double) -> Double {
        let det = a * c - b * b
        if det > 1e-12 * a * c {
            return (c * u * u - 2 * b * u * v + a * v * v) / det
        }
        if a > 0 { return u * u / a }
        if c > 0 { return v * v / c }
        return 0
    }
}

/// The χ² distribution's upper tail, P(X > x) for X ~ χ²(k) = Q(k/2, x/2), the regularized
/// upper incomplete gamma function (series below a + 1, Lentz's continued fraction above, as
/// in Numerical Recipes' `gammq`; relative accuracy about 1e-14). Not a general gamma library.
public enum ChiSquare {
    /// P(X > x) for `degrees` degrees of freedom; 1 for x ≤ 0.
    public static func survival(_ x: Double, degrees: Int) -> Double {
        precondition(degrees >= 1, "a chi-square needs at least one degree of freedom")
        guard x > 0 else { return 1 }
        if x.isInfinite { return 0 }
        return upperGamma(Double(degrees) / 2, x / 2)
    }

    /// Q(a, x) for a > 0, x > 0.
    static func upperGamma(_ a: Double, _ x: Double) -> Double {
        let logPrefix = a * log(x) - x - lgamma(a)
        if x < a + 1 {
            // P(a, x) = e^{-x} x^a / Γ(a+1) Σ xⁿ / ((a+1)…(a+n))
            var term = 1 / a, total = term, ap = a
            for _ in 0..<10_000 {
                ap += 1
                term *= x / ap
                total += term
                if abs(term) < abs(total) * 1e-16 { break }
            }
            return max(0, 1 - total * exp(logPrefix))
        }
        // Q(a, x) = e^{-x} x^a / Γ(a) · 1 / (x + 1 − a − 1(1−a)/(x + 3 − a − ...))
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return min(1, exp(logPrefix) * h)
    }
}
