import Dispatch
import Foundation
import RallyCore

/// How ``HistogramTrees`` grows one tree: XGBoost 1.7's `QuantileHistMaker::ExpandTree` with
/// its `Driver`, `HistEvaluator` and row partitioner, step for step.
extension HistogramTrees {
    /// The best split of a node: XGBoost's `SplitEntry`. Rows whose bin of `feature` is below
    /// `leftBins` go left (the split value is the cut there); missing values go to
    /// `defaultLeft`'s side.
    struct Split {
        var loss: Float = 0
        var feature = 0
        var threshold: Float = 0
        var defaultLeft = false
        var leftBins = 0
        var left = Sums.zero, right = Sums.zero

        /// XGBoost's `SplitEntry::NeedReplace`: a larger loss reduction wins; on a tie, the
        /// lower feature.
        func yields(to loss: Float, feature f: Int) -> Bool {
            if loss.isInfinite { return false }
            return feature <= f ? loss > self.loss : !(self.loss > loss)
        }

        mutating func update(_ other: Split) {
            if yields(to: other.loss, feature: other.feature) { self = other }
        }
    }

    /// A leaf with its best split, waiting to be split (XGBoost's `CPUExpandEntry`).
    struct Candidate {
        var node: Int, depth: Int, split: Split
    }

    /// Grows one tree on the current gradients, splitting on `chosen` features with
    /// `threads` workers, and adds its leaves to the margins.
    func grow(features chosen: [Int], threads: Int) -> BoostedTree {
        var tree = BoostedTree()
        ranges = [0..<rows]
        sums = [.zero]
        rootGains = [0]
        histogramOf = [histograms.acquire()]
        for i in 0..<rows { order[i] = Int32(i) }
        // for data without missing values XGBoost sums the root from feature 0's histogram
        let rootFeatures = hasMissing || chosen.first == 0 ? chosen : [0] + chosen
        // the root's histograms: every feature costs an add per row
        forEachShare(rootFeatures, threads: threads, cost: { _ in 1 }) { _, share in self.fill(0, features: share, from: .all) }
        sums[0] = hasMissing ? (0..<rows).reduce(into: Sums.zero) { $0 += gradients[$1] } : featureTotal(0, feature: 0)
        let weight = calcWeight(sums[0])
        tree.sumHessian[0] = Float(sums[0].y)
        tree.baseWeight[0] = weight
        tree.split[0] = settings.eta * weight
        rootGains[0] = gain(sums[0])

        let table = SplitTable(runs: threads, nodes: 1)
        forEachShare(chosen, threads: threads, cost: { self.cuts.bins($0) }) { w, share in
            for f in share { self.evaluate(0, feature: f, into: &table.entries[w]) }
        }
        var queue = ExpandQueue(lossGuide: settings.lossGuide)
        queue.push(Candidate(node: 0, depth: 0, split: table.best(node: 0)))
        table.release()
        var leaves = 1
        var batch = queue.pop(leaves: &leaves, isValid: isValid)
        while !batch.isEmpty {
            var valid: [Candidate] = [], final: [Candidate] = []
            for c in batch {
                apply(c, to: &tree)
                if childrenMayGrow(c, leaves: leaves) {
                    valid.append(c)
                } else {
                    final.append(c)
                    releaseHistogram(c.node)
                }
            }
            let level = partition(valid, tree: tree, threads: threads)
            settle(final, tree: tree, threads: threads)
            for child in growChildren(valid, rows: level, tree: tree, features: chosen, threads: threads, queue: &queue) {
                if child.split.loss > Self.minimumLoss {
                    queue.push(child)
                } else {
                    releaseHistogram(child.node)
                }
            }
            for c in batch { releaseHistogram(c.node) }
            batch = queue.pop(leaves: &leaves, isValid: isValid)
        }
        histograms.reset()
        // the leaves whose rows were not settled with their parent's split add their value here
        // (a settled split's leaves have no rows of their own); a few thousand rows are not
        // worth a parallel step
        let ends = (0..<tree.count).filter { tree.left[$0] == -1 && !ranges[$0].isEmpty }.map { (rows: ranges[$0], value: tree.split[$0]) }
        let endRows = ends.reduce(0) { $0 + $1.rows.count }
        let workers = endRows < 8192 ? 1 : max(1, min(threads, ends.count)), next = WorkCounter()
        parallel(workers) { _ in
            while case let i = next.take(), i < ends.count {
                for k in ends[i].rows { self.marginValues[Int(self.order[k])] += ends[i].value }
            }
        }
        return tree
    }

    // MARK: one level

    /// Builds the children of `valid` candidates (the one with the smaller hessian from its
    /// rows, its sibling by subtraction from the parent) and finds their best splits, in
    /// order: left, right of each candidate. The children's rows are read from the `level`'s
    /// blocks; copying them back into the order is work of the same step.
    private func growChildren(_ valid: [Candidate], rows level: LevelRows?, tree: BoostedTree, features chosen: [Int], threads: Int,
                              queue: inout ExpandQueue) -> [Candidate] {
        guard let level else { return [] }
        var out: [Candidate] = []
        var copies = level.blocks.count
        var start = 0
        while start < valid.count {
            // bounded memory: waiting leaves, children made so far, then later parents give up
            // their histograms (a parent without one has both children summed from rows)
            let spare = queue.nodes + out.map(\.node) + valid[(start + 1)...].reversed().map(\.node)
            for node in spare where histograms.available < 2 { releaseHistogram(node) }
            let part = Array(valid[start..<min(valid.count, start + max(1, histograms.available / 2))])
            var jobs: [(built: Int, other: Int, parent: Int, candidate: Int, builtLeft: Bool)] = []
            for (i, c) in part.enumerated() {
                let l = Int(tree.left[c.node])
                let fewerRight = c.split.right.y < c.split.left.y
                let job = (built: fewerRight ? l + 1 : l, other: fewerRight ? l : l + 1, parent: histogramOf[c.node],
                           candidate: start + i, builtLeft: !fewerRight)
                histogramOf[job.built] = histograms.acquire()
                histogramOf[job.other] = histograms.acquire()
                jobs.append(job)
            }
            // the work of a level: each candidate's children on each run of features, taken by
            // whichever worker is free next (a node's rows, hence its work, differ at random),
            // then the blocks' copies into the order (small items that even out the workers' ends)
            let workers = max(1, min(threads, chosen.count))
            // a feature costs a histogram add per row of the built child (about a nanosecond) and
            // a split search over its bins for each child (a few nanoseconds a bin): near the
            // root the rows dominate and every feature costs about the same
            let builtRows = jobs.reduce(0) { $0 + self.ranges[$1.built].count } / max(1, jobs.count)
            let runs = featureRuns(chosen, workers: workers) { builtRows + 4 * self.cuts.bins($0) }
            let table = SplitTable(runs: runs.count - 1, nodes: 2 * part.count)
            let steps = jobs, fills = jobs.count * (runs.count - 1), items = fills + copies, next = WorkCounter()
            parallel(workers) { _ in
                while case let item = next.take(), item < items {
                    guard item < fills else {
                        self.copyBack(level, block: item - fills)
                        continue
                    }
                    let (j, r) = item.quotientAndRemainder(dividingBy: runs.count - 1)
                    let job = steps[j], share = chosen[runs[r]..<runs[r + 1]]
                    self.fill(job.built, features: share, from: .side(level, candidate: job.candidate, left: job.builtLeft))
                    if job.parent >= 0 {
                        for f in share { self.subtract(job.parent, job.built, into: job.other, feature: f) }
                    } else {
                        self.fill(job.other, features: share, from: .side(level, candidate: job.candidate, left: !job.builtLeft))
                    }
                    let l = min(job.built, job.other)
                    for f in share {
                        self.evaluate(l, feature: f, into: &table.entries[r * 2 * steps.count + 2 * j])
                        self.evaluate(l + 1, feature: f, into: &table.entries[r * 2 * steps.count + 2 * j + 1])
                    }
                }
            }
            for (j, c) in part.enumerated() {
                let l = Int(tree.left[c.node])
                out.append(Candidate(node: l, depth: c.depth + 1, split: table.best(node: 2 * j)))
                out.append(Candidate(node: l + 1, depth: c.depth + 1, split: table.best(node: 2 * j + 1)))
            }
            table.release()
            for c in part { releaseHistogram(c.node) }
            start += part.count
            copies = 0
        }
        return out
    }

    /// Runs `body(worker, share)` on `threads` workers, each given a run of `chosen` features
    /// of about even `cost` (so each feature's sums are made by one worker, in row order,
    /// whatever the count).
    private func forEachShare(_ chosen: [Int], threads: Int, cost: (Int) -> Int,
                              _ body: @escaping @Sendable (Int, ArraySlice<Int>) -> Void) {
        let workers = max(1, min(threads, chosen.count))
        if workers == 1 {
            body(0, chosen[...])
            return
        }
        let runs = featureRuns(chosen, workers: workers, cost: cost)
        parallel(workers) { w in body(w, chosen[runs[w]..<runs[w + 1]]) }
    }

    /// Where `chosen` is cut into `workers` runs (run r is `runs[r] ..< runs[r + 1]`, at least
    /// one feature each) of even work, feature `f` costing `cost(f)`.
    private func featureRuns(_ chosen: [Int], workers: Int, cost: (Int) -> Int) -> [Int] {
        let cost = chosen.map(cost)
        let total = cost.reduce(0, +)
        var bounds = [0], sum = 0
        for (i, c) in cost.enumerated() {
            sum += c
            if bounds.count < workers && sum * workers >= total * bounds.count && i + 1 < chosen.count { bounds.append(i + 1) }
        }
        while bounds.count < workers + 1 { bounds.append(chosen.count) }
        return bounds
    }

    // MARK: histograms

    /// Where a node's rows are read from when its histogram is made: every row (the root), or
    /// one side of its parent's blocks in a level's partition (before, or while, they are
    /// copied back into the order).
    enum NodeRows {
        case all
        case side(LevelRows, candidate: Int, left: Bool)
    }

    /// Sums node's rows' gradients by bin of each feature of `share`, row by row (in row
    /// order for each bin), missing values in the slot after a feature's last bin. Going
    /// across features row by row keeps many sums in flight at once.
    private func fill(_ node: Int, features share: ArraySlice<Int>, from rows: NodeRows) {
        let h = histograms[histogramOf[node]]
        for f in share { (h + slotOffsets[f]).update(repeating: .zero, count: cuts.bins(f) + 1) }
        switch rows {
        case .all:
            fill(h, rows: nil, 0..<self.rows, share)
        case .side(let level, let candidate, let left):
            let ids = UnsafePointer((left ? leftRows : rightRows).baseAddress!)
            for b in level.spans[candidate] { fill(h, rows: ids, level.side(b, left: left), share) }
        }
    }

    /// Adds the gradients of rows `ids[k]` for k in `range` (rows `range` themselves when `ids`
    /// is nil) to `h`.
    private func fill(_ h: UnsafeMutablePointer<Sums>, rows ids: UnsafePointer<Int32>?, _ range: Range<Int>, _ share: ArraySlice<Int>) {
        switch rowSlots {
        case .narrow(let slots): fill(h, ids, range, share, UnsafePointer(slots.baseAddress!))
        case .wide(let slots): fill(h, ids, range, share, UnsafePointer(slots.baseAddress!))
        }
    }

    @inline(__always)
    private func fill<Slot: FixedWidthInteger>(_ h: UnsafeMutablePointer<Sums>, _ ids: UnsafePointer<Int32>?, _ range: Range<Int>,
                                               _ share: ArraySlice<Int>, _ slots: UnsafePointer<Slot>) {
        guard let first = share.first else { return }
        let width = features
        if share.count == share.last! - first + 1 {
            // a run of features: a row's slots for them lie side by side
            let n = share.count
            if let ids {
                for k in range {
                    let r = Int(ids[k])
                    let g = gradients[r], row = slots + (r &* width &+ first)
                    for j in 0..<n { h[Int(row[j])] += g }
                }
            } else {
                for r in range {
                    let g = gradients[r], row = slots + (r &* width &+ first)
                    for j in 0..<n { h[Int(row[j])] += g }
                }
            }
            return
        }
        for k in range {
            let r = ids.map { Int($0[k]) } ?? k
            let g = gradients[r], row = slots + r &* width
            for f in share { h[Int(row[f])] += g }
        }
    }

    /// `other`'s histogram of feature `f` as the parent's minus `built`'s.
    private func subtract(_ parent: Int, _ built: Int, into other: Int, feature f: Int) {
        let offset = slotOffsets[f], n = cuts.bins(f) + 1
        let p = histograms[parent] + offset, b = histograms[histogramOf[built]] + offset, o = histograms[histogramOf[other]] + offset
        for i in 0..<n { o[i] = p[i] - b[i] }
    }

    /// The sum over feature `f`'s bins of node's histogram, in bin order.
    private func featureTotal(_ node: Int, feature f: Int) -> Sums {
        let h = histograms[histogramOf[node]] + slotOffsets[f]
        var total = Sums.zero
        for i in 0..<cuts.bins(f) { total += h[i] }
        return total
    }

    private func releaseHistogram(_ node: Int) {
        guard histogramOf[node] >= 0 else { return }
        histograms.release(histogramOf[node])
        histogramOf[node] = -1
    }

    /// Makes candidate's node a split with two leaves (XGBoost's `ApplyTreeSplit`).
    private func apply(_ c: Candidate, to tree: inout BoostedTree) {
        let s = c.split, total = s.left + s.right, eta = settings.eta
        _ = tree.expand(c.node, feature: s.feature, threshold: s.threshold, defaultLeft: s.defaultLeft,
                        baseWeight: calcWeight(total), leftValue: calcWeight(s.left) * eta, rightValue: calcWeight(s.right) * eta,
                        lossChange: s.loss, hessians: (Float(total.y), Float(s.left.y), Float(s.right.y)))
        ranges += [0..<0, 0..<0]
        sums += [s.left, s.right]
        rootGains += [gain(s.left), gain(s.right)]
        histogramOf += [-1, -1]
    }

    /// XGBoost's `ExpandEntry::IsValid`.
    private func isValid(_ c: Candidate, leaves: Int) -> Bool {
        if c.split.loss <= Self.minimumLoss { return false }
        if c.split.left.y == 0 || c.split.right.y == 0 { return false }
        if c.split.loss < 0 { return false }
        if settings.maxDepth > 0 && c.depth == settings.maxDepth { return false }
        if settings.maxLeaves > 0 && leaves == settings.maxLeaves { return false }
        return true
    }

    /// XGBoost's `Driver::IsChildValid`: whether a split's children may be split in turn.
    private func childrenMayGrow(_ c: Candidate, leaves: Int) -> Bool {
        if settings.maxDepth > 0 && c.depth + 1 >= settings.maxDepth { return false }
        if settings.maxLeaves > 0 && leaves >= settings.maxLeaves { return false }
        return true
    }
}
