import Dispatch
import Foundation

/// A fitted XGBoost binary-logistic tree ensemble laid out for prediction in rally: the trees
/// of the booster's own saved model (UBJSON), walked eight rows at a time, a tree at a time over a block of rows. It predicts what
/// XGBoost's CPU predictor predicts, to the last bit, by doing the same arithmetic: features as
/// `Float`, NaN missing (the node's default side), `value < split` goes left, the margin starts
/// at the base score's (`-logf(1 / base - 1)`) and adds each tree's leaf in tree order in
/// `Float`, and the probability is `1 / (1 + expf(-margin))`.
///
/// It is a faster path, not a second model: ``GradientBoostedModel`` compares it with XGBoost on
/// rows spread over its first prediction and keeps XGBoost's own whenever they differ or the
/// saved model holds anything this layout does not (another objective or booster, categorical
/// splits, several outputs).
struct TreeForest: Sendable {
    /// One node: a split sends a row to `left` when its value is below `split`, to `left + 1`
    /// otherwise, and to `missing` when the value is NaN. A leaf points to itself (split +∞,
    /// missing itself), so a row that reached it stays there: every row takes the same number
    /// of steps through a tree, with no branch on where it is.
    struct Node {
        var feature: Int32
        var split: Float
        var left: Int32
        var missing: Int32
    }

    /// All trees' nodes; a tree's node k is at `roots[t] + k`.
    private let nodes: [Node]
    /// The leaf value of each node (0 for splits).
    private let leafValues: [Float]
    /// The first node of each tree, in tree order, and the tree's depth (steps to its deepest leaf).
    private let roots: [Int32], depths: [Int32]
    /// The margin every row starts from.
    private let baseMargin: Float
    /// Features the trees were fitted on.
    let features: Int

    /// The forest of XGBoost's UBJSON model `data`, or nil when it is not a gbtree binary:logistic
    /// model with numeric splits and one output.
    init?(ubj data: Data, features: Int) {
        guard let doc = data.withUnsafeBytes({ UBJSON.parse($0) }), let learner = doc["learner"],
              learner["objective"]?["name"]?.string == "binary:logistic",
              let booster = learner["gradient_booster"], booster["name"]?.string == "gbtree",
              let parameters = learner["learner_model_param"], let baseText = parameters["base_score"]?.string,
              let base = Float(baseText), base > 0, base < 1,
              (parameters["num_class"]?.string).flatMap({ Int($0) }) ?? 0 <= 1,
              (parameters["num_target"]?.string).flatMap({ Int($0) }) ?? 1 == 1,
              let trees = booster["model"]?["trees"]?.elements else { return nil }
        var nodes: [Node] = [], leafValues: [Float] = [], roots: [Int32] = [], depths: [Int32] = []
        for tree in trees {
            guard let l = tree["left_children"]?.integers, let r = tree["right_children"]?.integers,
                  let f = tree["split_indices"]?.integers, let s = tree["split_conditions"]?.floats,
                  let d = tree["default_left"]?.integers, !l.isEmpty,
                  [r.count, f.count, s.count, d.count].allSatisfy({ $0 == l.count }) else { return nil }
            if let types = tree["split_type"]?.integers, types.contains(where: { $0 != 0 }) { return nil }
            let root = nodes.count, n = l.count
            guard root + n < Int(Int32.max) else { return nil }
            var depth = [Int](repeating: 0, count: n)
            for k in 0..<n {
                if l[k] == -1 {
                    nodes.append(Node(feature: 0, split: .infinity, left: Int32(root + k), missing: Int32(root + k)))
                    leafValues.append(s[k])
                    continue
                }
                // a split names a feature of the model and two neighbouring children below it
                // (XGBoost's own predictor takes the right child as the left one + 1)
                guard l[k] > k && l[k] + 1 < n && r[k] == l[k] + 1 && f[k] >= 0 && f[k] < features, s[k].isFinite else { return nil }
                // children come after their parents: a node's depth is final when it is reached
                depth[l[k]] = max(depth[l[k]], depth[k] + 1)
                depth[r[k]] = max(depth[r[k]], depth[k] + 1)
                nodes.append(Node(feature: Int32(f[k]), split: s[k], left: Int32(root + l[k]), missing: Int32(root + (d[k] != 0 ? l[k] : r[k]))))
                leafValues.append(0)
            }
            roots.append(Int32(root))
            depths.append(Int32(depth.max()!))
        }
        self.nodes = nodes
        self.leafValues = leafValues
        self.roots = roots
        self.depths = depths
        self.features = features
        baseMargin = -logf(1 / base - 1)
    }

    /// XGBoost's prediction of a margin: `1 / (1 + expf(-margin))` in `Float`.
    static func probability(margin: Float) -> Double { Double(1 / (1 + expf(-margin))) }

    /// The probability of each row of `X` (its first ``features`` columns, as `Float`), or nil
    /// when a value is infinite (XGBoost refuses those; let it say so). `threads` workers share
    /// blocks of rows; the values do not depend on how many.
    func predict(_ X: DesignMatrix, threads: Int) -> [Double]? {
        let n = X.rows, p = features
        guard X.width == p else { return nil }
        let rows = RowBuffers(values: n * p, rows: n)
        defer { rows.release() }
        let x = rows.x, out = rows.out
        for j in 0..<p {
            let col = X.columns[j]
            for i in 0..<n { x[i * p + j] = Float(col[i]) }
        }
        guard !x.contains(where: { $0.isInfinite }) else { return nil }
        let block = 256
        let blocks = (n + block - 1) / block
        let workers = max(1, min(threads, blocks))
        let next = WorkCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while case let b = next.take(), b < blocks {
                margins(UnsafeBufferPointer(rows.x), rows: (b * block)..<min(n, (b + 1) * block), into: rows.out)
            }
        }
        return Array(out.prefix(n))
    }

    /// The row-major features and the probabilities of one prediction, written by workers at
    /// disjoint rows and read once they have all finished.
    private final class RowBuffers: @unchecked Sendable {
        let x: UnsafeMutableBufferPointer<Float>
        let out: UnsafeMutableBufferPointer<Double>

        init(values: Int, rows: Int) {
            x = .allocate(capacity: max(values, 1))
            x.initialize(repeating: 0)
            out = .allocate(capacity: max(rows, 1))
            out.initialize(repeating: 0)
        }

        func release() {
            x.deallocate()
            out.deallocate()
        }
    }

    /// The probabilities of `rows` of the row-major `x` (at most 256), written to `out`: each
    /// tree in turn walks the rows eight at a time, side by side, a fixed number of steps (the
    /// lanes of a last, short group repeat its last row and are not written). A tree's nodes stay
    /// in cache while it walks the block; every row still adds the trees' leaves in tree order.
    private func margins(_ x: UnsafeBufferPointer<Float>, rows: Range<Int>, into out: UnsafeMutableBufferPointer<Double>) {
        let p = features, groups = (rows.count + 7) / 8
        // each group's eight rows' first feature, and whether a value of theirs is missing
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: groups * 8), missing = UnsafeMutablePointer<Bool>.allocate(capacity: groups)
        let sums = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: groups)
        defer {
            starts.deallocate()
            missing.deallocate()
            sums.deallocate()
        }
        sums.initialize(repeating: SIMD8(repeating: baseMargin), count: groups)
        for g in 0..<groups {
            let first = rows.lowerBound + 8 * g, last = min(rows.upperBound, first + 8) - 1
            for lane in 0..<8 { starts[8 * g + lane] = min(first + lane, last) * p }
            missing[g] = x[(first * p)..<((last + 1) * p)].contains { $0.isNaN }
        }
        nodes.withUnsafeBufferPointer { nodes in
            leafValues.withUnsafeBufferPointer { leafValues in
                // one step down from node k for the row whose features start at b: without NaN
                // (no branch: a row at or above the split goes to left + 1), and with NaN
                @inline(__always) func step(_ k: Int, _ b: Int) -> Int {
                    let node = nodes[k]
                    let above = x[b &+ Int(node.feature)] >= node.split
                    return Int(node.left) &+ Int(unsafeBitCast(above, to: UInt8.self))
                }
                @inline(__always) func stepOrMissing(_ k: Int, _ b: Int) -> Int {
                    let node = nodes[k]
                    let v = x[b &+ Int(node.feature)]
                    return v.isNaN ? Int(node.missing) : Int(node.left) &+ (v < node.split ? 0 : 1)
                }
                for (root, depth) in zip(roots, depths) {
                    for g in 0..<groups {
                        let s = 8 * g
                        let b0 = starts[s], b1 = starts[s + 1], b2 = starts[s + 2], b3 = starts[s + 3]
                        let b4 = starts[s + 4], b5 = starts[s + 5], b6 = starts[s + 6], b7 = starts[s + 7]
                        var k0 = Int(root), k1 = k0, k2 = k0, k3 = k0, k4 = k0, k5 = k0, k6 = k0, k7 = k0
                        if missing[g] {
                            for _ in 0..<depth {
                                k0 = stepOrMissing(k0, b0); k1 = stepOrMissing(k1, b1); k2 = stepOrMissing(k2, b2); k3 = stepOrMissing(k3, b3)
                                k4 = stepOrMissing(k4, b4); k5 = stepOrMissing(k5, b5); k6 = stepOrMissing(k6, b6); k7 = stepOrMissing(k7, b7)
                            }
                        } else {
                            for _ in 0..<depth {
                                k0 = step(k0, b0); k1 = step(k1, b1); k2 = step(k2, b2); k3 = step(k3, b3)
                                k4 = step(k4, b4); k5 = step(k5, b5); k6 = step(k6, b6); k7 = step(k7, b7)
                            }
                        }
                        let low = SIMD4<Float>(leafValues[k0], leafValues[k1], leafValues[k2], leafValues[k3])
                        let high = SIMD4<Float>(leafValues[k4], leafValues[k5], leafValues[k6], leafValues[k7])
                        sums[g] += SIMD8<Float>(lowHalf: low, highHalf: high)
                    }
                }
            }
        }
        for i in rows {
            let k = i - rows.lowerBound
            out[i] = Self.probability(margin: sums[k / 8][k % 8])
        }
    }
}
