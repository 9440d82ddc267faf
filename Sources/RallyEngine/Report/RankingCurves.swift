/// The precision–recall curve of a score against 0/1 labels, one point per distinct score
/// threshold (ties enter together), thinned for drawing.
public struct PrecisionRecallCurve: Sendable {
    /// Recall at each kept threshold, increasing.
    public var recall: [Double]
    /// Precision at the same thresholds.
    public var precision: [Double]

    /// The curve of `scores` against `labels`, keeping a point when recall moved by at least
    /// 1/`resolution` or precision by at least 0.01 since the last kept one (and the last point).
    public static func compute(labels: [Double], scores: [Double], resolution: Int = 400) throws -> PrecisionRecallCurve {
        let order = ScoreOrder.descending(scores)
        let positives = labels.reduce(0, +)
        guard positives > 0 else { throw RallyError("precision-recall: the labels contain no rally") }
        var recall: [Double] = [], precision: [Double] = []
        var hits = 0.0
        for (k, i) in order.enumerated() {
            if k % 4096 == 0 { try Cancellation.check() }
            hits += labels[i]
            let last = k == order.count - 1
            guard last || scores[order[k + 1]] != scores[i] else { continue }
            let r = hits / positives, p = hits / Double(k + 1)
            if let lastR = recall.last, let lastP = precision.last, !last,
               r - lastR < 1 / Double(resolution), abs(p - lastP) < 0.01 { continue }
            recall.append(r)
            precision.append(p)
        }
        return PrecisionRecallCurve(recall: recall, precision: precision)
    }

    /// The curve as steps in the way average precision sums it: each point's precision holds
    /// over the recall gained since the previous point (from recall 0 for the first). Drawn as
    /// a step line (each y holding until the next x), these vertices give the staircase whose
    /// area is the average precision, with no slope between operating points.
    public var steps: (recall: [Double], precision: [Double]) {
        guard let last = precision.last else { return ([], []) }
        return ([0] + recall, precision + [last])
    }
}

/// Precision and lift among the top k% of hours by score, for k = 1, 2, ... percent.
public struct TopShareLift: Sendable {
    /// The shares, in percent.
    public var percents: [Int]
    /// Rally rate among the top `percents[j]`% of hours.
    public var precision: [Double]
    /// That rate divided by the base rate.
    public var lift: [Double]

    /// The curve for `percents` (top k = round(p/100 · n) rows, half to even as numpy, at least one).
    public static func compute(labels: [Double], scores: [Double], percents: [Int] = Array(1...20)) throws -> TopShareLift {
        let n = labels.count
        guard n > 0 else { throw RallyError("lift: no rows") }
        let baseRate = labels.reduce(0, +) / Double(n)
        guard baseRate > 0 else { throw RallyError("lift: the labels contain no rally") }
        let order = ScoreOrder.descending(scores)
        var cumulative = [Double](repeating: 0, count: n + 1)
        for (k, i) in order.enumerated() { cumulative[k + 1] = cumulative[k] + labels[i] }
        var precision: [Double] = [], lift: [Double] = []
        for p in percents {
            let k = min(max(Int((Double(p) / 100 * Double(n)).rounded(.toNearestOrEven)), 1), n)
            let rate = cumulative[k] / Double(k)
            precision.append(rate)
            lift.append(rate / baseRate)
        }
        return TopShareLift(percents: percents, precision: precision, lift: lift)
    }
}
