/// How ``HistogramTrees`` finds a node's best split from its histogram (XGBoost 1.7's
/// `HistEvaluator::EnumerateSplit`), and XGBoost's gain and weight formulas with their `Float`
/// roundings. Split off from ``HistogramTrees``' growth (HistogramTreeGrowth.swift), which calls it.
extension HistogramTrees {
    /// Updates `best` with node's best split on feature `f` (XGBoost's `EnumerateSplit`):
    /// a forward scan with missing values right, and a backward one with them left when the
    /// feature has missing values in the node.
    func evaluate(_ node: Int, feature f: Int, into best: inout Split) {
        let chunk = Self.evaluationChunk
        withUnsafeTemporaryAllocation(of: Sums.self, capacity: chunk + 4) { partial in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: chunk) { bins in
                withUnsafeTemporaryAllocation(of: Float.self, capacity: chunk + 4) { losses in
                    let scratch = (partial: partial.baseAddress!, bins: bins.baseAddress!, losses: losses.baseAddress!)
                    let (forward, total) = scan(node, feature: f, forward: true, scratch)
                    best.update(forward)
                    let parent = sums[node]
                    // the bins sum to the node's total: no missing values here, and XGBoost then
                    // scans forward only
                    guard total.x != parent.x || total.y != parent.y else { return }
                    best.update(scan(node, feature: f, forward: false, scratch).best)
                }
            }
        }
    }

    /// One scan of feature `f`'s bins of `node`: forward, bins below the cut go left and missing
    /// values right; backward, bins from the cut up go right and missing values left. Returns
    /// the best split (ties to the first candidate met) and the sum of all bins.
    private func scan(_ node: Int, feature f: Int, forward: Bool,
                      _ scratch: (partial: UnsafeMutablePointer<Sums>, bins: UnsafeMutablePointer<Int>, losses: UnsafeMutablePointer<Float>))
        -> (best: Split, total: Sums) {
        let h = histograms[histogramOf[node]] + slotOffsets[f]
        let parent = sums[node], n = cuts.bins(f), first = cuts.pointers[f]
        let (partial, bins, losses) = scratch
        var local = Split()
        var e = Sums.zero, step = 0
        while step < n {
            // the next non-empty bins' running sums (an empty bin repeats the candidate before
            // it, which cannot win a tie: overwritten by the next)
            var k = 0
            while step < n && k < Self.evaluationChunk {
                let i = forward ? step : n - 1 - step, v = h[i]
                e += v
                partial[k] = e
                bins[k] = i
                k &+= v == .zero ? 0 : 1  // no branch: empty bins come at random
                step += 1
            }
            splitLosses(partial, count: k, node: node, leftIsSum: forward, into: losses)
            for j in 0..<k where local.yields(to: losses[j], feature: f) {
                let b = bins[j], other = parent - partial[j]
                local = forward
                    ? Split(loss: losses[j], feature: f, threshold: cuts.values[first + b], defaultLeft: false, leftBins: b + 1,
                            left: partial[j], right: other)
                    : Split(loss: losses[j], feature: f, threshold: b == 0 ? cuts.minimums[f] : cuts.values[first + b - 1],
                            defaultLeft: true, leftBins: b, left: other, right: partial[j])
            }
        }
        return (local, e)
    }

    /// A mask of `Double` lanes as one of `Float` lanes.
    @inline(__always)
    private static func narrowed(_ m: SIMDMask<SIMD4<Int64>>) -> SIMDMask<SIMD4<Int32>> {
        var out = SIMDMask<SIMD4<Int32>>()
        for lane in 0..<4 { out[lane] = m[lane] }
        return out
    }

    /// Non-empty bins a split search scores at once.
    static let evaluationChunk = 64

    /// The loss reduction of the splits whose one side sums to `partial[j]` (the left side when
    /// `leftIsSum`, else the right) and the other to the rest of `node`: XGBoost's
    /// `CalcSplitGain` (left ``gain(_:)`` plus right) minus the node's own gain, four
    /// candidates at a time with the same `Float` roundings; -∞ (never chosen) where a side's
    /// hessian is below `min_child_weight`.
    @inline(__always)
    private func splitLosses(_ partial: UnsafeMutablePointer<Sums>, count: Int, node: Int, leftIsSum: Bool, into losses: UnsafeMutablePointer<Float>) {
        let parent = sums[node], rootGain = rootGains[node]
        let minimum = SIMD4(repeating: Double(settings.minChildWeight)), lambda = SIMD4(repeating: Double(settings.lambda))
        let alpha = Double(settings.alpha)
        var tail = count
        while tail % 4 != 0 {
            partial[tail] = .zero
            tail += 1
        }
        @inline(__always) func score(_ x: SIMD4<Double>, _ y: SIMD4<Double>) -> SIMD4<Float> {
            var t = x
            if alpha != 0 {
                let a = SIMD4(repeating: alpha)
                t = SIMD4<Double>(repeating: 0).replacing(with: x - a, where: x .> a).replacing(with: x + a, where: x .< -a)
            }
            let g = SIMD4<Float>(t * t) / SIMD4<Float>(y + lambda)
            return g.replacing(with: 0, where: Self.narrowed(y .<= 0))
        }
        var j = 0
        while j < count {
            let s0 = partial[j], s1 = partial[j + 1], s2 = partial[j + 2], s3 = partial[j + 3]
            let sx = SIMD4(s0.x, s1.x, s2.x, s3.x), sy = SIMD4(s0.y, s1.y, s2.y, s3.y)
            let ox = SIMD4(repeating: parent.x) - sx, oy = SIMD4(repeating: parent.y) - sy
            let valid = (sy .>= minimum) .& (oy .>= minimum)
            let gain = leftIsSum ? score(sx, sy) + score(ox, oy) : score(ox, oy) + score(sx, sy)
            let loss = (gain - SIMD4(repeating: rootGain)).replacing(with: -.infinity, where: .!Self.narrowed(valid))
            UnsafeMutableRawPointer(losses + j).storeBytes(of: loss, as: SIMD4<Float>.self)  // lanes past count: never read
            j += 4
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
