/// Equal-width probability bins on [0, 1], cut exactly as scikit-learn's
/// `calibration_curve(strategy="uniform")`: edges `numpy.linspace(0, 1, bins + 1)`, and a
/// probability lying on an inner edge belongs to the bin below it (`searchsorted`, side left).
/// So with 10 bins the first bin is [0, 0.1], the next (0.1, 0.2], ..., the last (0.9, 1].
public enum CalibrationBins {
    /// The `bins − 1` inner edges, computed as numpy's linspace does (`k · (1/bins)`).
    public static func innerEdges(_ bins: Int) -> [Double] {
        let step = 1.0 / Double(bins)
        return (1..<max(bins, 1)).map { Double($0) * step }
    }

    /// The bin of probability `p`: the number of inner edges strictly below it.
    public static func bin(of p: Double, innerEdges edges: [Double]) -> Int {
        var lo = 0, hi = edges.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if edges[mid] < p { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// One bin of a reliability curve.
public struct ReliabilityBin: Sendable, Equatable {
    /// Lower edge of the bin (the bin holds probabilities above it, or equal to it for the first bin).
    public var lower: Double
    /// Upper edge of the bin (included).
    public var upper: Double
    /// Rows whose probability falls in the bin.
    public var count: Int
    /// Their mean probability (the forecast).
    public var meanProbability: Double
    /// Their observed rally rate (the outcome).
    public var observedRate: Double
}

/// Murphy's (1973) decomposition of the Brier score over the calibration bins.
///
/// With forecasts grouped in K bins (nₖ rows, mean forecast p̄ₖ, observed rate ōₖ, overall
/// rate ō): reliability = Σ nₖ(p̄ₖ − ōₖ)²/n, resolution = Σ nₖ(ōₖ − ō)²/n, uncertainty =
/// ō(1 − ō). Brier = reliability − resolution + uncertainty holds exactly when forecasts are
/// constant within each bin (the naive model); otherwise the difference is the within-bin
/// terms of Stephenson et al. (2008), reported here as ``residual``.
public struct BrierDecomposition: Sendable, Equatable {
    /// The Brier score.
    public var brier: Double
    /// Reliability (calibration error; lower is better).
    public var reliability: Double
    /// Resolution (how far bins' rates move from the base rate; higher is better).
    public var resolution: Double
    /// Uncertainty of the outcomes, ō(1 − ō).
    public var uncertainty: Double
    /// brier − (reliability − resolution + uncertainty): the within-bin terms.
    public var residual: Double { brier - (reliability - resolution + uncertainty) }
}
