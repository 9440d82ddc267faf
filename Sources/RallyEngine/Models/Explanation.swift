import Foundation

/// Why a model gave each row its probability: per-row additive contributions of the features
/// on the log-odds (margin) scale, plus a bias, such that for every row i
/// `bias[i] + Σ_j contributions[j][i] == margins[i]` and `1 / (1 + exp(-margins[i]))` is the
/// model's prediction for that row.
///
/// What a contribution means depends on the model, and each model documents it (see
/// ``ExplainableModel``): gbdt gives XGBoost's exact tree SHAP values, logreg the exact linear
/// terms on its standardized scale, naive and climatology the steps of their lookup rule. It is
/// an account of *this model's* arithmetic, not a causal statement about prices, and not a
/// measure of global importance (for that, ``FeatureImportanceModel``). A model whose
/// probability is 0 or 1 has an infinite margin; its contributions are then infinite too.
public struct Explanation: Sendable, Equatable {
    /// Feature names, in X's column order.
    public var features: [String]
    /// One array per feature (column-major, as ``DesignMatrix``), one value per row.
    public var contributions: [[Double]]
    /// The part of each row's margin that no feature explains (intercept, base score, baseline rate).
    public var bias: [Double]

    /// Creates an explanation; every contribution column has one value per row of `bias`.
    public init(features: [String], contributions: [[Double]], bias: [Double]) {
        precondition(features.count == contributions.count, "one name per contribution column")
        precondition(contributions.allSatisfy { $0.count == bias.count }, "one contribution per row")
        self.features = features
        self.contributions = contributions
        self.bias = bias
    }

    /// Number of rows.
    public var rows: Int { bias.count }

    /// Each row's margin (log-odds): the bias plus every contribution.
    public var margins: [Double] {
        var out = bias
        for column in contributions { for i in out.indices { out[i] += column[i] } }
        return out
    }

    /// The `count` features that raise row `i`'s log-odds the most (largest positive
    /// contribution first; ties in feature order). Features that lower it are left out.
    public func topDrivers(row i: Int, count: Int) -> [(feature: String, contribution: Double)] {
        features.indices
            .filter { contributions[$0][i] > 0 }
            .sorted { contributions[$0][i] != contributions[$1][i] ? contributions[$0][i] > contributions[$1][i] : $0 < $1 }
            .prefix(count)
            .map { (features[$0], contributions[$0][i]) }
    }

    /// The log-odds of probability `p` (±infinity at 0 and 1).
    static func logit(_ p: Double) -> Double { log(p) - log1p(-p) }
}

/// A model that can say, row by row, how its features moved its log-odds.
public protocol ExplainableModel: RallyModel {
    /// Whether ``explain(_:)`` can work (a model written in Lua can when it defines `explain`);
    /// true unless a model says otherwise.
    var canExplain: Bool { get }
    /// Per-row contributions for the rows of `X` (see ``Explanation``). Throws when the model
    /// is not fitted or `X` lacks the features it was fitted on.
    func explain(_ X: DesignMatrix) throws -> Explanation
}

extension ExplainableModel {
    public var canExplain: Bool { true }
}

extension RallyModel {
    /// Whether ``explanation(_:)`` can work for this model.
    public var canExplain: Bool { (self as? any ExplainableModel)?.canExplain ?? false }

    /// ``ExplainableModel/explain(_:)``, or an error for a model that cannot explain itself.
    public func explanation(_ X: DesignMatrix) throws -> Explanation {
        guard let model = self as? any ExplainableModel else {
            throw RallyError("\(kind): this model cannot explain its predictions (naive, climatology, logreg and gbdt can; a model written in Lua needs an explain function)")
        }
        return try model.explain(X)
    }
}
