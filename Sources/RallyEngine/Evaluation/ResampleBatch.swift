import Dispatch

/// The row counts of up to eight bootstrap resamples of the same rows, side by side: row i's
/// counts are one `SIMD8<UInt16>`, lane l holding how many times resample `first + l` drew the
/// row. It is scratch memory for one worker thread (allocated once, refilled per batch), not a
/// result, and not to be shared between threads.
///
/// Side by side, one read of a row serves eight resamples, and every running sum of
/// ``ResampleBatchScorer`` is eight independent lanes, which is what makes the paired bootstrap
/// fast; the figures are those of ``ForecastScorer/score(weights:)`` on each resample alone.
final class ResampleBatch {
    /// Resamples in a batch (lanes of the vectors).
    static let lanes = 8
    typealias Counts = SIMD8<UInt16>

    /// Number of rows.
    let rows: Int
    /// Row i's counts, one lane per resample.
    let counts: UnsafeMutablePointer<Counts>
    /// Count changes where blocks start (+1) and end (−1), row by row (wrapping arithmetic).
    private let steps: UnsafeMutablePointer<Counts>
    /// The resample in lane 0; lane l holds resample `first + l` when that is below `last`.
    private(set) var first = 0
    /// How many lanes hold a resample of the run (the others repeat lane 0).
    private(set) var filled = 0

    /// Scratch for `rows` rows.
    init(rows: Int) {
        self.rows = rows
        counts = .allocate(capacity: max(rows, 1))
        counts.initialize(repeating: Counts(), count: max(rows, 1))
        steps = .allocate(capacity: rows + 1)
        steps.initialize(repeating: Counts(), count: rows + 1)
    }

    deinit {
        counts.deallocate()
        steps.deallocate()
    }

    /// Whether `scheme`'s resamples of `rows` rows fit: a row's count is at most the number of
    /// blocks, which must fit in 16 bits, and running sums of counts in 32 bits.
    static func fits(_ scheme: BlockBootstrap, rows: Int) -> Bool {
        guard scheme.block >= 1, rows > scheme.block, rows < Int(Int32.max) / 2 else { return false }
        return (rows + scheme.block - 1) / scheme.block <= Int(UInt16.max)
    }

    /// Fills the lanes with resamples `first ..< min(first + 8, end)` of `scheme`, drawn exactly
    /// as ``BlockBootstrap/weights(resample:rows:into:)`` draws them; lanes past `end` repeat
    /// resample `first`. Call ``fits(_:rows:)`` first.
    func fill(_ scheme: BlockBootstrap, first: Int, end: Int) {
        self.first = first
        filled = min(Self.lanes, end - first)
        let blocks = (rows + scheme.block - 1) / scheme.block
        let span = UInt64(rows - scheme.block)
        for lane in 0..<Self.lanes {
            var rng = Xoshiro256StarStar(seed: scheme.seed, stream: lane < filled ? first + lane : first)
            var remaining = rows
            for _ in 0..<blocks {
                let start = Int(rng.below(span))
                let take = min(scheme.block, remaining)
                steps[start][lane] &+= 1
                steps[start + take][lane] &-= 1
                remaining -= take
            }
        }
        var running = Counts()
        for i in 0..<rows {
            running &+= steps[i]
            steps[i] = Counts()
            counts[i] = running
        }
        steps[rows] = Counts()
    }

    /// Row i's counts as 32-bit lanes.
    @inline(__always)
    func wide(_ i: Int) -> SIMD8<Int32> { SIMD8<Int32>(truncatingIfNeeded: counts[i]) }

    /// Every row's counts summed: the rows each resample drew, as 32-bit lanes.
    func drawn() -> SIMD8<Int32> {
        var sum = SIMD8<Int32>()
        for i in 0..<rows { sum &+= wide(i) }
        return sum
    }
}

extension ResampleBatch {
    /// Runs `body` on every batch of eight of `scheme`'s resamples of `rows` rows, on up to
    /// `threads` workers, whichever is free taking the next batch (each with its own scratch
    /// batch). `body` must write each resample's results at slots of its own. Stops early when
    /// Ctrl-C is pressed (check ``Cancellation`` afterwards). Call ``fits(_:rows:)`` first.
    static func forEach(_ scheme: BlockBootstrap, rows: Int, threads: Int, _ body: @Sendable (ResampleBatch) -> Void) {
        let batches = (scheme.resamples + lanes - 1) / lanes
        guard batches > 0 else { return }
        let workers = max(1, min(threads, batches))
        let next = WorkCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let batch = ResampleBatch(rows: rows)
            while case let b = next.take(), b < batches {
                if Cancellation.isRequested { return }
                batch.fill(scheme, first: b * lanes, end: scheme.resamples)
                body(batch)
            }
        }
    }
}
