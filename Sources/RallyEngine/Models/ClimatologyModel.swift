/// A seasonal baseline: the training rally rate of each hour-of-day × month cell, read from the
/// `hour` (0–23) and `month` (1–12) features of the target hour.
///
/// Fallback for empty cells (no training row with that hour and month): the cell predicts the
/// rate of its month over all hours, and when the month itself has no training row, the overall
/// training rate. ``fitReport`` counts such cells (`cells_from_month`, `cells_from_overall`).
public final class ClimatologyModel: RallyModel {
    /// The kind declaration.
    public static let kind = ModelKind(
        name: "climatology",
        summary: "training rally rate by hour of day (feature 'hour', 0-23) x month (feature 'month', 1-12)",
        parameters: [],
        headline: [],
        cost: { _ in 0 },
        build: { try ClimatologyModel(parameters: $0) })

    static let hours = 24
    static let months = 12

    /// The model kind.
    public let kind = "climatology"
    /// Every parameter with its effective value, in declaration order.
    public let parameters: ModelParameters
    /// Facts about the last fit, in name order (empty before fitting).
    public private(set) var fitReport = ModelParameters()
    /// Whether the model has been fitted (or loaded fitted).
    public var isFitted: Bool { table != nil }

    /// Predicted rate per cell, index `(month - 1) * 24 + hour`.
    private(set) var table: [Double]?

    /// A climatology model from resolved parameters.
    init(parameters: ModelParameters) throws {
        self.parameters = parameters
    }

    /// The cell index of every row, checking that hour and month are whole numbers in range.
    private func cells(_ X: DesignMatrix) throws -> [Int] {
        let h = try TrainingData.column(model: kind, "hour", in: X)
        let m = try TrainingData.column(model: kind, "month", in: X)
        let hours = X.columns[h], months = X.columns[m]
        var out = [Int](repeating: 0, count: X.rows)
        for i in 0..<X.rows {
            let hour = hours[i], month = months[i]
            guard hour == hour.rounded(), hour >= 0, hour < Double(Self.hours) else {
                throw RallyError("\(kind): feature 'hour' is \(Format.number(hour)) at row \(i + 1); expected a whole number 0-23")
            }
            guard month == month.rounded(), month >= 1, month <= Double(Self.months) else {
                throw RallyError("\(kind): feature 'month' is \(Format.number(month)) at row \(i + 1); expected a whole number 1-12")
            }
            out[i] = (Int(month) - 1) * Self.hours + Int(hour)
        }
        return out
    }

    /// Fits on the rows of `X` with 0/1 `labels` and optional `weights` (see ``RallyModel``).
    public func fit(_ X: DesignMatrix, labels: [Double], weights: [Double]?) throws {
        let w = try TrainingData.checkedWeights(model: kind, X, labels: labels, weights: weights)
        let cell = try cells(X)
        let n = Self.hours * Self.months
        var hits = [Double](repeating: 0, count: n), totals = [Double](repeating: 0, count: n)
        for i in 0..<X.rows {
            hits[cell[i]] += w[i] * labels[i]
            totals[cell[i]] += w[i]
        }
        let overall = hits.reduce(0, +) / totals.reduce(0, +)
        var rates = [Double](repeating: overall, count: n)
        var fromMonth = 0, fromOverall = 0
        for month in 0..<Self.months {
            let range = month * Self.hours..<(month + 1) * Self.hours
            let monthTotal = totals[range].reduce(0, +)
            let monthRate = monthTotal > 0 ? hits[range].reduce(0, +) / monthTotal : overall
            for c in range {
                if totals[c] > 0 { rates[c] = hits[c] / totals[c] }
                else if monthTotal > 0 { rates[c] = monthRate; fromMonth += 1 }
                else { rates[c] = overall; fromOverall += 1 }
            }
        }
        table = rates
        fitReport = (["cells_from_month": .number(Double(fromMonth)), "cells_from_overall": .number(Double(fromOverall))] as ModelParameters).sortedByName
    }

    /// The probability of a rally for each row of `X`.
    public func predict(_ X: DesignMatrix) throws -> [Double] {
        guard let table else { try TrainingData.requireFitted(model: kind, false); return [] }
        return try cells(X).map { table[$0] }
    }

    /// A few lines on the model and what its fit learnt.
    public func describe() -> String {
        var lines = ["climatology: rally rate by hour of day x month of the target hour"]
        if let table {
            lines.append("  rates from \(Format.number(table.min() ?? 0)) to \(Format.number(table.max() ?? 0)) over 288 cells")
            lines.append("  empty cells: \(fitReport["cells_from_month"] ?? .number(0)) use their month's rate, \(fitReport["cells_from_overall"] ?? .number(0)) the overall rate")
        } else {
            lines.append("  not fitted")
        }
        return lines.joined(separator: "\n")
    }

    /// Writes the fitted model to `path` (``ModelFile/load(from:)`` reads it back).
    public func save(to path: String) throws {
        guard let table else { return try TrainingData.requireFitted(model: kind, false) }
        try ModelFile(kind: kind, parameters: parameters, features: ["hour", "month"],
                      state: ["rates": table], report: fitReport).write(to: path)
    }

    /// Restores a saved climatology model.
    convenience init(file: ModelFile, path: String) throws {
        try self.init(parameters: file.resolvedParameters(path: path))
        table = try file.state("rates", count: Self.hours * Self.months, path: path)
        fitReport = file.orderedReport
    }
}
