// The buffers HistogramTrees grows a tree with: histograms, best splits per run of features and
// partition counts.

/// Histogram buffers of one fit, reused from tree to tree, at most `limit` of them (about
/// 256 MB): beyond that, parents give theirs up and their children are built from rows.
struct HistogramPool {
    let slots: Int
    let limit: Int
    private var buffers: [UnsafeMutablePointer<SIMD2<Double>>] = []
    private var free: [Int] = []

    /// A pool of buffers of `slots` sums, at most `limit` (at least 3; default about 256 MB).
    init(slots: Int, limit: Int? = nil) {
        self.slots = slots
        self.limit = max(3, limit ?? (256 << 20) / max(1, slots * MemoryLayout<SIMD2<Double>>.stride))
    }

    /// Buffers that can still be handed out.
    var available: Int { free.count + limit - buffers.count }

    subscript(i: Int) -> UnsafeMutablePointer<SIMD2<Double>> { buffers[i] }

    mutating func acquire() -> Int {
        if let i = free.popLast() { return i }
        precondition(buffers.count < limit, "histogram pool exhausted")
        buffers.append(.allocate(capacity: max(1, slots)))
        return buffers.count - 1
    }

    mutating func release(_ i: Int) { free.append(i) }

    /// Every buffer free again (end of a tree).
    mutating func reset() { free = Array(buffers.indices.reversed()) }

    /// Frees the memory.
    func deallocate() { buffers.forEach { $0.deallocate() } }
}

/// Numbers per block of one partition step (its left-row count, or where its rows go), each
/// written by one worker or by the caller between steps.
final class SplitCounts: @unchecked Sendable {
    // @unchecked: worker w writes only the numbers of its own blocks; the caller writes only
    // between steps.
    let counts: UnsafeMutableBufferPointer<Int>
    init(_ n: Int) {
        counts = .allocate(capacity: max(1, n))
        counts.initialize(repeating: 0)
    }
    func release() { counts.deallocate() }
}

/// The best split per node of each run of features (`runs` of them, in feature order) of one
/// parallel step.
final class SplitTable: @unchecked Sendable {
    // @unchecked: run r's entries[r * nodes ..< (r + 1) * nodes] are written by one worker at a
    // time (the one doing that run of a node's work), read after the step.
    let entries: UnsafeMutableBufferPointer<HistogramTrees.Split>
    let runs: Int, nodes: Int

    init(runs: Int, nodes: Int) {
        self.runs = runs
        self.nodes = nodes
        entries = .allocate(capacity: max(1, runs * nodes))
        entries.initialize(repeating: HistogramTrees.Split())
    }

    /// Node's best split over the runs, in feature order (as XGBoost's one thread sees them).
    func best(node: Int) -> HistogramTrees.Split {
        var best = HistogramTrees.Split()
        for r in 0..<runs { best.update(entries[r * nodes + node]) }
        return best
    }

    func release() { entries.deallocate() }
}
