/// Where two models disagree, from their probabilities on the same test hours: how much their
/// top-share alarm sets overlap, how often rallies follow the hours only one of them flags,
/// and the hours where their probabilities differ most.
public struct ModelDisagreement: Sendable {
    /// The two models.
    public var a: String, b: String
    /// The alarm share compared (0.05: each model's top 5% of hours).
    public var share: Double
    /// Hours in each top set.
    public var topCount: Int
    /// Hours in both top sets.
    public var both: Int
    /// Rallies among the hours in both sets, only in a's, only in b's.
    public var ralliesBoth: Int, ralliesOnlyA: Int, ralliesOnlyB: Int
    /// Mean |p_a − p_b| over all hours.
    public var meanAbsoluteDifference: Double
    /// Pearson correlation of the two probability columns.
    public var correlation: Double
    /// Rows with the largest |p_a − p_b|, largest first (ties in time order).
    public var largest: [Int]

    /// Share of a's top hours that b also flags.
    public var agreement: Double { topCount > 0 ? Double(both) / Double(topCount) : .nan }
    /// Hours only one model flags (the same number for each, as both sets have `topCount` hours).
    public var onlyOne: Int { topCount - both }

    /// Compares `pa` (model `a`) with `pb` (model `b`) against `labels`.
    public static func compute(a: String, b: String, pa: [Double], pb: [Double], labels: [Double],
                               share: Double = 0.05, largest count: Int = 8) throws -> ModelDisagreement {
        let n = labels.count
        guard n > 0, pa.count == n, pb.count == n else { throw RallyError("disagreement: columns of different lengths") }
        guard share > 0 && share <= 1 else { throw RallyError("disagreement: share must be in (0, 1], got \(Format.number(share))") }
        let k = min(max(Int((share * Double(n)).rounded(.toNearestOrEven)), 1), n)
        var inA = [Bool](repeating: false, count: n), inB = [Bool](repeating: false, count: n)
        for i in ScoreOrder.descending(pa).prefix(k) { inA[i] = true }
        for i in ScoreOrder.descending(pb).prefix(k) { inB[i] = true }
        var both = 0, rBoth = 0, rA = 0, rB = 0
        var sumA = 0.0, sumB = 0.0, absolute = 0.0
        for i in 0..<n {
            let y = labels[i] == 1
            if inA[i] && inB[i] { both += 1; if y { rBoth += 1 } }
            else if inA[i] { if y { rA += 1 } }
            else if inB[i] { if y { rB += 1 } }
            sumA += pa[i]; sumB += pb[i]
            absolute += abs(pa[i] - pb[i])
        }
        let meanA = sumA / Double(n), meanB = sumB / Double(n)
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in 0..<n {
            sab += (pa[i] - meanA) * (pb[i] - meanB)
            saa += (pa[i] - meanA) * (pa[i] - meanA)
            sbb += (pb[i] - meanB) * (pb[i] - meanB)
        }
        let gaps = (0..<n).map { abs(pa[$0] - pb[$0]) }
        return ModelDisagreement(a: a, b: b, share: share, topCount: k, both: both, ralliesBoth: rBoth, ralliesOnlyA: rA, ralliesOnlyB: rB,
                                 meanAbsoluteDifference: absolute / Double(n),
                                 correlation: saa > 0 && sbb > 0 ? sab / (saa * sbb).squareRoot() : .nan,
                                 largest: Array(ScoreOrder.descending(gaps).prefix(count)))
    }
}
