/// How ``HistogramTrees`` finds a node's best split from its histogram (XGBoost 1.7's
/// `HistEvaluator::EnumerateSplit`), and XGBoost's gain and weight formulas with their `Float`
/// roundings. Split off from ``HistogramTrees``' growth (HistogramTreeGrowth.swift), which calls it.
extension HistogramTrees {
    /// Updates `best` with node's best split on feature `f` (XGBoost's `EnumerateSplit`):
    /// a forward scan with missing values right, and a backward one with them left when the
    /// feature has missing values in the node.
    func evaluate(_ node: Int, feature f: Int, into best: inout Split) {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * (cuts.bins(f) + 4)) { partial in
            let (forward, total) = scan(node, feature: f, forward: true, partial.baseAddress!)
            best.update(forward)
            let parent = sums[node]
            // the bins sum to the node's total: no missing values here, and XGBoost then scans
            // forward only
            guard total.x != parent.x || total.y != parent.y else { return }
            best.update(scan(node, feature: f, forward: false, partial.baseAddress!).best)
        }
    }

    /// One scan of feature `f`'s bins of `node`: forward, bins below the cut go left and missing
    /// values right; backward, bins from the cut up go right and missing values left. Returns
    /// the best split (ties to the first candidate met) and the sum of all bins.
    ///
    /// Every bin is a candidate, four at a time: the running sums are one chain of additions,
    /// and four candidates are scored while the next four are summed. An empty bin repeats the
    /// running sum, hence the loss, of the candidate before it, and a repeat never wins (the
    /// first of equal losses does), so the winner is XGBoost's. `partial` has room for the
    /// running sums' gradients and hessians (twice the bins and eight more).
    private func scan(_ node: Int, feature f: Int, forward: Bool, _ partial: UnsafeMutablePointer<Double>) -> (best: Split, total: Sums) {
        let h = histograms[histogramOf[node]] + slotOffsets[f]
        let parent = sums[node], n = cuts.bins(f), first = cuts.pointers[f]
        let scorer = SplitScorer(parent: parent, rootGain: rootGains[node], settings: settings)
        let gradients = partial, hessians = partial + (n + 4)
        // each lane keeps its best loss and where it was met (a loss must exceed 0 to count)
        var best = (loss: SIMD4<Float>(repeating: 0), at: SIMD4<Int32>(repeating: -1))
        var e = Sums.zero, position = 0
        let stride = forward ? 1 : -1
        var bin = forward ? h : h + (n - 1)
        while position + 4 <= n {
            let e0 = e + bin[0], e1 = e0 + bin[stride], e2 = e1 + bin[2 &* stride], e3 = e2 + bin[3 &* stride]
            e = e3
            let x = SIMD4(e0.x, e1.x, e2.x, e3.x), y = SIMD4(e0.y, e1.y, e2.y, e3.y)
            UnsafeMutableRawPointer(gradients + position).storeBytes(of: x, as: SIMD4<Double>.self)
            UnsafeMutableRawPointer(hessians + position).storeBytes(of: y, as: SIMD4<Double>.self)
            scorer.consider(x: x, y: y, at: position, live: 4, best: &best)
            bin += 4 &* stride
            position += 4
        }
        if position < n {
            for k in 0..<4 {
                if position + k < n { e += bin[k &* stride] }
                gradients[position + k] = e.x
                hessians[position + k] = e.y
            }
            let x = UnsafeRawPointer(gradients + position).loadUnaligned(as: SIMD4<Double>.self)
            let y = UnsafeRawPointer(hessians + position).loadUnaligned(as: SIMD4<Double>.self)
            scorer.consider(x: x, y: y, at: position, live: n - position, best: &best)
        }
        // the highest loss over the lanes; of equal ones, the first met
        var winner = -1, winning: Float = 0
        for lane in 0..<4 where best.at[lane] >= 0 {
            if winner < 0 || best.loss[lane] > winning || (best.loss[lane] == winning && Int(best.at[lane]) < winner) {
                winner = Int(best.at[lane])
                winning = best.loss[lane]
            }
        }
        guard winner >= 0 else { return (Split(), e) }
        let b = forward ? winner : n - 1 - winner, sum = Sums(gradients[winner], hessians[winner]), other = parent - sum
        let split = forward
            ? Split(loss: winning, feature: f, threshold: cuts.values[first + b], defaultLeft: false, leftBins: b + 1, left: sum, right: other)
            : Split(loss: winning, feature: f, threshold: b == 0 ? cuts.minimums[f] : cuts.values[first + b - 1],
                    defaultLeft: true, leftBins: b, left: other, right: sum)
        return (split, e)
    }

    /// Scores splits of one node whose one side sums to a running sum and the other to the rest
    /// of the node, four candidates at a time: XGBoost's `CalcSplitGain` (the two sides'
    /// ``gain(_:)``) minus the node's own gain, with the same `Float` roundings (the sum of the
    /// two sides' `Float` gains does not depend on their order).
    struct SplitScorer {
        /// The lanes' numbers (computed: a stored static is a lazy global, checked at every use).
        private static var lanes: SIMD4<Int32> { SIMD4(0, 1, 2, 3) }
        let parentX: SIMD4<Double>, parentY: SIMD4<Double>, rootGain: SIMD4<Float>
        let minimum: SIMD4<Double>, lambda: SIMD4<Double>, alpha: Double
        /// No L1 term and a positive `min_child_weight`: a valid candidate's sides both have
        /// hessian, so their gains need no guard.
        let plain: Bool

        init(parent: Sums, rootGain: Float, settings: Settings) {
            parentX = SIMD4(repeating: parent.x)
            parentY = SIMD4(repeating: parent.y)
            self.rootGain = SIMD4(repeating: rootGain)
            minimum = SIMD4(repeating: Double(settings.minChildWeight))
            lambda = SIMD4(repeating: Double(settings.lambda))
            alpha = Double(settings.alpha)
            plain = settings.alpha == 0 && settings.minChildWeight > 0
        }

        /// Scores the candidates `at ..< at + live` (running sums `x`, `y`) and keeps, lane by
        /// lane, the first loss above the lane's best. A candidate with a side's hessian below
        /// `min_child_weight` scores -∞ or NaN, and an infinite loss is dropped: neither ever
        /// wins (XGBoost's -∞ and `SplitEntry::NeedReplace`). Transparent: with
        /// `@inline(__always)` the scan still called it for every four bins.
        @_transparent
        func consider(x: SIMD4<Double>, y: SIMD4<Double>, at position: Int, live: Int,
                      best: inout (loss: SIMD4<Float>, at: SIMD4<Int32>)) {
            let ox = parentX - x, oy = parentY - y
            let valid = (y .>= minimum) .& (oy .>= minimum)
            var loss: SIMD4<Float>
            if plain {
                // a valid candidate has hessian on both sides: XGBoost's gains without their guards
                loss = SIMD4<Float>(x * x) / SIMD4<Float>(y + lambda) + SIMD4<Float>(ox * ox) / SIMD4<Float>(oy + lambda) - rootGain
            } else {
                loss = side(x, y) + side(ox, oy) - rootGain
            }
            let dropped = .!Self.narrowed(valid) .| (loss .== .infinity) .| (Self.lanes .>= Int32(truncatingIfNeeded: live))
            loss.replace(with: -.infinity, where: dropped)
            let better = loss .> best.loss
            best.loss.replace(with: loss, where: better)
            best.at.replace(with: Self.lanes &+ Int32(truncatingIfNeeded: position), where: better)
        }

        /// One side's gain (``gain(_:)``: 0 without hessian).
        @inline(__always)
        private func side(_ x: SIMD4<Double>, _ y: SIMD4<Double>) -> SIMD4<Float> {
            var t = x
            if alpha != 0 {
                let a = SIMD4(repeating: alpha)
                t = SIMD4<Double>(repeating: 0).replacing(with: x - a, where: x .> a).replacing(with: x + a, where: x .< -a)
            }
            let empty = y .<= 0
            let numerator = (t * t).replacing(with: 0, where: empty)
            let denominator = (y + lambda).replacing(with: 1, where: empty)
            return SIMD4<Float>(numerator) / SIMD4<Float>(denominator)
        }

        /// A mask of `Double` lanes as one of `Float` lanes.
        @inline(__always)
        private static func narrowed(_ m: SIMDMask<SIMD4<Int64>>) -> SIMDMask<SIMD4<Int32>> {
            var out = SIMDMask<SIMD4<Int32>>()
            for lane in 0..<4 { out[lane] = m[lane] }
            return out
        }
    }

    // MARK: XGBoost's formulas, with its Float roundings

    private func thresholdL1(_ w: Double) -> Double {
        let alpha = Double(settings.alpha)
        if w > alpha { return w - alpha }
        if w < -alpha { return w + alpha }
        return 0
    }

    /// A leaf's weight (`CalcWeight`).
    func calcWeight(_ s: Sums) -> Float {
        if s.y < Double(settings.minChildWeight) || s.y <= 0 { return 0 }
        return Float(-thresholdL1(s.x) / (s.y + Double(settings.lambda)))
    }

    /// A node's score (`CalcGainGivenWeight` without constraints).
    func gain(_ s: Sums) -> Float {
        if s.y <= 0 { return 0 }
        let t = thresholdL1(s.x)
        return Float(t * t) / Float(s.y + Double(settings.lambda))
    }
}
