/// The outcome of acting on one model's alarms at one probability threshold.
public struct DecisionOutcome: Sendable, Equatable {
    /// The model.
    public var model: String
    /// Act when the probability is at least this.
    public var threshold: Double
    /// Hours flagged.
    public var alarms: Int
    /// Flagged hours that were rallies.
    public var hits: Int
    /// Rallies not flagged.
    public var misses: Int
    /// Flagged hours that were not rallies.
    public var falseAlarms: Int { alarms - hits }
    /// Total cost: false alarms × 1 + misses × cost ratio.
    public var cost: Double
}

/// What alarms are worth when a missed rally costs `costRatio` times a false alarm.
///
/// Units: one false alarm (pre-buying power or moving pumping work for an hour that turns out
/// calm) costs 1; one missed rally (being caught unhedged, or running flat out into a spike)
/// costs `costRatio`. Doing nothing costs `costRatio` × rallies. For calibrated probabilities
/// the cost-minimising rule is to act when p ≥ 1 / (1 + costRatio).
public struct DecisionCosts: Sendable {
    /// Cost of a missed rally in units of a false alarm.
    public var costRatio: Double
    /// Test hours and rallies among them.
    public var hours: Int, rallies: Int
    /// The cost of never acting (every rally missed).
    public var neverCost: Double { costRatio * Double(rallies) }
    /// The cost of always acting (every calm hour a false alarm).
    public var alwaysCost: Double { Double(hours - rallies) }
    /// The thresholds of ``table``, increasing; the first is 1 / (1 + costRatio) when that is not in the grid.
    public var thresholds: [Double]
    /// `table[m][t]`: model m acting at `thresholds[t]`.
    public var table: [[DecisionOutcome]]
    /// For each model, the threshold that would have cost least on these hours (hindsight).
    public var hindsightBest: [DecisionOutcome]

    /// The threshold that is cost-optimal for calibrated probabilities.
    public var bayesThreshold: Double { 1 / (1 + costRatio) }

    /// Evaluates every model in `models` (names and probability columns) on `labels`.
    public static func compute(labels: [Double], models: [(name: String, probabilities: [Double])], costRatio: Double,
                               grid: [Double] = [0.05, 0.1, 0.2, 0.3, 0.5]) throws -> DecisionCosts {
        guard costRatio > 0, costRatio.isFinite else { throw RallyError("decision costs: cost_ratio must be a positive number, got \(Format.number(costRatio))") }
        let rallies = Int(labels.reduce(0, +))
        let bayes = 1 / (1 + costRatio)
        let thresholds = Array(Set(grid + [bayes])).sorted()
        var table: [[DecisionOutcome]] = [], best: [DecisionOutcome] = []
        for (name, p) in models {
            try Cancellation.check()
            table.append(thresholds.map { t in
                var alarms = 0, hits = 0
                for i in p.indices where p[i] >= t {
                    alarms += 1
                    hits += Int(labels[i])
                }
                return DecisionOutcome(model: name, threshold: t, alarms: alarms, hits: hits, misses: rallies - hits,
                                       cost: Double(alarms - hits) + costRatio * Double(rallies - hits))
            })
            best.append(hindsight(name: name, labels: labels, p: p, rallies: rallies, costRatio: costRatio))
        }
        return DecisionCosts(costRatio: costRatio, hours: labels.count, rallies: rallies, thresholds: thresholds, table: table, hindsightBest: best)
    }

    /// Scans every distinct probability as a threshold (highest first) and keeps the cheapest.
    private static func hindsight(name: String, labels: [Double], p: [Double], rallies: Int, costRatio: Double) -> DecisionOutcome {
        let order = ScoreOrder.descending(p)
        var best = DecisionOutcome(model: name, threshold: 1.0.nextUp, alarms: 0, hits: 0, misses: rallies, cost: costRatio * Double(rallies))
        var alarms = 0, hits = 0
        for (k, i) in order.enumerated() {
            alarms += 1
            hits += Int(labels[i])
            guard k == order.count - 1 || p[order[k + 1]] != p[i] else { continue }
            let cost = Double(alarms - hits) + costRatio * Double(rallies - hits)
            if cost < best.cost {
                best = DecisionOutcome(model: name, threshold: p[i], alarms: alarms, hits: hits, misses: rallies - hits, cost: cost)
            }
        }
        return best
    }
}
