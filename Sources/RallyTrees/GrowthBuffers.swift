// The buffers HistogramTrees grows a tree with: histograms, best splits per run of features and
// a level's partitioned rows.

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

/// One level's partition of its candidates' rows, in blocks of consecutive positions of the
/// order: each block's left rows (in order) sit in `leftRows` and its right rows in `rightRows`,
/// from the block's own first position, until they are copied back into the order at `places`.
/// A child's histogram is summed straight from its side of its parent's blocks.
final class LevelRows: @unchecked Sendable {
    // @unchecked: in the partition step worker w writes only the left counts of the blocks it
    // takes; the caller writes the places between steps; later steps only read.
    /// The blocks, candidate after candidate.
    let blocks: [(candidate: Int, rows: Range<Int>)]
    /// Per candidate, its blocks' indices.
    let spans: [Range<Int>]
    /// Left rows of each block.
    let lefts: UnsafeMutableBufferPointer<Int>
    /// Where in the order block b's left rows (`places[2b]`) and right rows (`places[2b + 1]`) go.
    let places: UnsafeMutableBufferPointer<Int>

    init(blocks: [(candidate: Int, rows: Range<Int>)], candidates: Int) {
        self.blocks = blocks
        var spans: [Range<Int>] = [], b = 0
        for i in 0..<candidates {
            let first = b
            while b < blocks.count && blocks[b].candidate == i { b += 1 }
            spans.append(first..<b)
        }
        self.spans = spans
        lefts = .allocate(capacity: max(1, blocks.count))
        lefts.initialize(repeating: 0)
        places = .allocate(capacity: max(1, 2 * blocks.count))
        places.initialize(repeating: 0)
    }

    /// Block b's rows on one side: their positions in `leftRows` (left) or `rightRows`.
    func side(_ b: Int, left: Bool) -> Range<Int> {
        let start = blocks[b].rows.lowerBound
        return start..<(start + (left ? lefts[b] : blocks[b].rows.count - lefts[b]))
    }

    deinit {
        lefts.deallocate()
        places.deallocate()
    }
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
