/// Checks shared by every model (shapes, labels, weights, fitted feature names, predictions),
/// and ``Input``, X as a script passes it. Not a data set: it holds nothing.
enum TrainingData {
    /// Checks that `labels` and `weights` fit `X` and returns the weights (all 1 when nil).
    ///
    /// Throws when `X` has no rows or columns, a count differs, a label is not 0 or 1, the
    /// labels hold one class only, or a weight is negative or not finite, or they sum to 0.
    static func checkedWeights(model: String, _ X: DesignMatrix, labels: [Double], weights: [Double]?) throws -> [Double] {
        guard X.rows > 0 else { throw RallyError("\(model): cannot fit on 0 rows") }
        guard labels.count == X.rows else {
            throw RallyError("\(model): \(labels.count) labels for \(X.rows) rows of X; expected one label per row")
        }
        var positives = 0
        for (i, y) in labels.enumerated() {
            if y == 1 { positives += 1 } else if y != 0 {
                throw RallyError("\(model): label \(i + 1) is \(Format.number(y)); labels must be 0 or 1")
            }
        }
        guard positives > 0 && positives < labels.count else {
            throw RallyError("\(model): the training labels are all \(positives == 0 ? 0 : 1) (\(labels.count) rows); fitting needs both classes")
        }
        guard let weights else { return [Double](repeating: 1, count: X.rows) }
        guard weights.count == X.rows else {
            throw RallyError("\(model): \(weights.count) weights for \(X.rows) rows of X; expected one weight per row")
        }
        var total = 0.0
        for (i, w) in weights.enumerated() {
            guard w.isFinite && w >= 0 else {
                throw RallyError("\(model): weight \(i + 1) is \(Format.number(w)); weights must be finite and >= 0")
            }
            total += w
        }
        guard total > 0 else { throw RallyError("\(model): the weights sum to 0") }
        return weights
    }

    /// The column index of feature `name` in `X`, or an error listing the features.
    static func column(model: String, _ name: String, in X: DesignMatrix) throws -> Int {
        guard let j = X.names.firstIndex(of: name) else {
            throw RallyError("\(model): feature '\(name)' is not in X (features: \(X.names.joined(separator: ", ")))")
        }
        return j
    }

    /// Throws unless `X` has exactly the features `fitted`, in that order.
    static func checkSameFeatures(model: String, fitted: [String], _ X: DesignMatrix) throws {
        guard X.names != fitted else { return }
        let missing = fitted.filter { !X.names.contains($0) }
        let extra = X.names.filter { !fitted.contains($0) }
        var detail: [String] = []
        if !missing.isEmpty { detail.append("missing: \(missing.joined(separator: ", "))") }
        if !extra.isEmpty { detail.append("unexpected: \(extra.joined(separator: ", "))") }
        if detail.isEmpty { detail.append("same names in another order") }
        throw RallyError("\(model): X has \(X.width) features but the model was fitted on \(fitted.count) (\(detail.joined(separator: "; ")))")
    }

    /// Throws unless the model is fitted.
    static func requireFitted(model: String, _ fitted: Bool) throws {
        guard fitted else { throw RallyError("\(model): the model is not fitted; call fit(X, y) first") }
    }

    /// Throws when column `j` of `X` holds a NaN, naming the row and feature.
    static func rejectNaN(model: String, _ X: DesignMatrix, column j: Int) throws {
        if let i = X.columns[j].firstIndex(where: { $0.isNaN }) {
            throw RallyError("\(model): X has a missing value (NaN) at row \(i + 1), feature '\(X.names[j])'; this model does not accept missing values")
        }
    }
}

// MARK: what a script passes as X

extension TrainingData {
    /// X as `m:fit` and `m:predict` receive it: a design matrix, or a feature matrix standing for
    /// its usable rows (predictions then cover its whole time index, NaN where not usable).
    struct Input {
        /// The feature matrix, when X is one.
        let matrix: FeatureMatrix?
        /// The rows of the matrix X stands for (nil for a design matrix).
        let rows: [Int]?
        /// X's rows, as a model receives them.
        let X: DesignMatrix

        /// A design matrix, row for row.
        init(_ X: DesignMatrix) {
            self.matrix = nil
            self.rows = nil
            self.X = X
        }

        /// A feature matrix's usable rows.
        init(_ matrix: FeatureMatrix) {
            let rows = matrix.usable.indices.filter { matrix.usable[$0] }
            self.matrix = matrix
            self.rows = rows
            self.X = matrix.design(rows: rows)
        }

        /// The length of what X stands for: the matrix's time index, or the rows of X.
        var length: Int { matrix?.count ?? X.rows }

        /// What a fit uses with `labels`: for a feature matrix with labels over its whole time
        /// index, the usable rows whose label is defined (``FeatureMatrix/rows(labeledBy:)``);
        /// otherwise every row of X, one label each. `at` is where each row's label (and weight)
        /// sits in `labels`. Throws when the counts disagree.
        func training(labels: [Double]) throws -> (X: DesignMatrix, y: [Double], at: [Int]) {
            if let matrix, labels.count == matrix.count {
                let series = LabelSeries(labels: labels, thresholds: [Double](repeating: .nan, count: labels.count), horizon: 0)
                let kept = matrix.rows(labeledBy: series)
                return (matrix.design(rows: kept), kept.map { labels[$0] }, kept)
            }
            guard labels.count == X.rows else {
                let usable = rows.map { " (\($0.count) usable of \(length))" } ?? ""
                throw RallyError("\(labels.count) labels for \(X.rows) rows of X\(usable)")
            }
            return (X, labels, Array(labels.indices))
        }

        /// The weights of the rows `training(labels:)` chose (`at`), given one per label.
        func weights(_ weights: [Double], at: [Int], labels: Int) throws -> [Double] {
            guard weights.count == labels else { throw RallyError("\(weights.count) weights for \(labels) labels") }
            return at.map { weights[$0] }
        }

        /// Predictions for X spread over what it stands for: NaN at the rows a feature matrix
        /// cannot use.
        func spread(_ predictions: [Double]) -> [Double] {
            guard let rows, let matrix else { return predictions }
            var full = [Double](repeating: .nan, count: matrix.count)
            for (k, i) in rows.enumerated() { full[i] = predictions[k] }
            return full
        }
    }

    /// Checks what a model's predict returned for `rows` rows: one probability in [0, 1] each.
    /// `model` starts the messages (`model 'hour_rate' predict`).
    static func checkPredictions(model: String, _ values: [Double], rows: Int) throws {
        guard values.count == rows else {
            throw RallyError("\(model): returned \(values.count) probabilities for \(rows) rows")
        }
        if let i = values.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw RallyError("\(model): value \(i + 1) is \(Format.number(values[i])); probabilities must be in [0, 1]")
        }
    }
}
