import CXGBoost
import Foundation

// How each built-in model explains itself (``ExplainableModel``).

extension LogisticModel: ExplainableModel {
    /// Exact linear terms on the standardized scale: feature j contributes
    /// `weight_j * (x_j - mean_j) / scale_j`; the bias is the intercept. Their sum is the
    /// model's log-odds, so a contribution is how far the feature's distance from its training
    /// mean moved this row's log-odds.
    public func explain(_ X: DesignMatrix) throws -> Explanation {
        guard let c = coefficients else { try TrainingData.requireFitted(model: kind, false); return Explanation(features: [], contributions: [], bias: []) }
        try TrainingData.checkSameFeatures(model: kind, fitted: c.features, X)
        for j in 0..<X.width { try TrainingData.rejectNaN(model: kind, X, column: j) }
        let terms = (0..<X.width).map { j in
            let w = c.weights[j], m = c.means[j], s = c.scales[j]
            return X.columns[j].map { w * (($0 - m) / s) }
        }
        return Explanation(features: X.names, contributions: terms, bias: [Double](repeating: c.intercept, count: X.rows))
    }
}

extension GradientBoostedModel: ExplainableModel {
    /// XGBoost's own exact tree SHAP values (the C API's contribution prediction): the bias is
    /// the expected margin over the training data (base score included), a feature's
    /// contribution its Shapley value on the margin. Computed in single precision by XGBoost,
    /// so bias + contributions equal the margin to about 1e-6.
    public func explain(_ X: DesignMatrix) throws -> Explanation {
        guard let booster = try booster else { try TrainingData.requireFitted(model: kind, false); return Explanation(features: [], contributions: [], bias: []) }
        try TrainingData.checkSameFeatures(model: kind, fitted: features, X)
        guard X.rows > 0 else { return Explanation(features: X.names, contributions: X.names.map { _ in [] }, bias: []) }
        let matrix = try XGMatrix(X, rows: 0..<X.rows, threads: try parameters.integer("nthread"))
        let values = try booster.predict(matrix, type: 2, count: X.rows * (X.width + 1))
        let stride = X.width + 1
        let terms = (0..<X.width).map { j in (0..<X.rows).map { Double(values[$0 * stride + j]) } }
        return Explanation(features: X.names, contributions: terms, bias: (0..<X.rows).map { Double(values[$0 * stride + X.width]) })
    }

    /// XGBoost's margins (log-odds before the logistic link) for the rows of `X`.
    func margins(_ X: DesignMatrix) throws -> [Double] {
        guard let booster = try booster else { try TrainingData.requireFitted(model: kind, false); return [] }
        let matrix = try XGMatrix(X, rows: 0..<X.rows, threads: try parameters.integer("nthread"))
        return try booster.predict(matrix, type: 1, count: X.rows).map(Double.init)
    }
}

extension XGBooster {
    /// XGBoost's prediction of `type` (0 value, 1 margin, 2 SHAP contributions: per row the
    /// features then the bias) for every tree, as `count` floats in row-major order.
    func predict(_ matrix: XGMatrix, type: Int, count: Int) throws -> [Float] {
        var shape: UnsafePointer<bst_ulong>?
        var dim: bst_ulong = 0
        var result: UnsafePointer<Float>?
        let config = "{\"type\": \(type), \"training\": false, \"iteration_begin\": 0, \"iteration_end\": 0, \"strict_shape\": false}"
        try XGBoost.check(rally_xgb_BoosterPredictFromDMatrix(handle, matrix.handle, config, &shape, &dim, &result), "predict (type \(type))")
        guard let result, let shape else { throw RallyError("gbdt: XGBoost returned no predictions") }
        let size = (0..<Int(dim)).reduce(1) { $0 * Int(shape[$1]) }
        guard size == count else { throw RallyError("gbdt: XGBoost returned \(size) values, expected \(count)") }
        return Array(UnsafeBufferPointer(start: result, count: count))
    }
}

extension NaiveModel: ExplainableModel {
    /// The rule, step by step: the bias is the log-odds of the rate at or below the cut; the
    /// compared feature contributes the step to the rate above the cut (`logit(above) -
    /// logit(below)`) on rows above it and 0 elsewhere; every other feature contributes 0.
    public func explain(_ X: DesignMatrix) throws -> Explanation {
        guard let rates else { try TrainingData.requireFitted(model: kind, false); return Explanation(features: [], contributions: [], bias: []) }
        let j = try TrainingData.column(model: kind, feature, in: X)
        try TrainingData.rejectNaN(model: kind, X, column: j)
        let base = Explanation.logit(rates.below), step = Explanation.logit(rates.above) - base
        var terms = X.names.map { _ in [Double](repeating: 0, count: X.rows) }
        terms[j] = X.columns[j].map { $0 > cut ? step : 0 }
        return Explanation(features: X.names, contributions: terms, bias: [Double](repeating: base, count: X.rows))
    }
}

extension ClimatologyModel: ExplainableModel {
    /// The cell's log-odds split in three along the table: the bias is the log-odds of the mean
    /// rate over all 288 cells; `month` contributes the step from there to the log-odds of its
    /// month's mean cell rate; `hour` the step from that to its own cell's log-odds. Every other
    /// feature contributes 0.
    public func explain(_ X: DesignMatrix) throws -> Explanation {
        guard let table else { try TrainingData.requireFitted(model: kind, false); return Explanation(features: [], contributions: [], bias: []) }
        let h = try TrainingData.column(model: kind, "hour", in: X), m = try TrainingData.column(model: kind, "month", in: X)
        let cells = try predict(X)  // checks hour and month; the cell rate of each row
        let grand = Explanation.logit(table.reduce(0, +) / Double(table.count))
        let monthLogit = (0..<Self.months).map { month in
            Explanation.logit(table[month * Self.hours..<(month + 1) * Self.hours].reduce(0, +) / Double(Self.hours))
        }
        var terms = X.names.map { _ in [Double](repeating: 0, count: X.rows) }
        for i in 0..<X.rows {
            let monthTerm = monthLogit[Int(X.columns[m][i]) - 1]
            terms[m][i] = monthTerm - grand
            terms[h][i] = Explanation.logit(cells[i]) - monthTerm
        }
        return Explanation(features: X.names, contributions: terms, bias: [Double](repeating: grand, count: X.rows))
    }
}
