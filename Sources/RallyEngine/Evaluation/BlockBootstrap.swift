import Foundation

/// The moving-block bootstrap of a time-ordered sample (Künsch 1989), as the peer draws it.
///
/// A resample of `m` rows is `ceil(m / block)` blocks of `block` consecutive rows, each block
/// starting at a row drawn uniformly from `0 ..< m - block` (the peer's
/// `rng.integers(0, m - block)`), concatenated and cut to `m` rows. A resample is returned as
/// per-row multiplicities (how many times each row was drawn), which is all a metric needs.
///
/// Resample `r` draws from ``Xoshiro256StarStar/init(seed:stream:)`` with stream `r`, so the
/// draws depend on (seed, r) only: any number of threads gives the same resamples.
public struct BlockBootstrap: Sendable, Equatable {
    /// Rows per block (168 = one week of hours).
    public var block: Int
    /// Number of resamples drawn.
    public var resamples: Int
    /// The seed of the whole run.
    public var seed: UInt64

    /// Creates a bootstrap scheme.
    public init(block: Int = 168, resamples: Int = 1000, seed: UInt64 = 7) {
        self.block = block
        self.resamples = resamples
        self.seed = seed
    }

    /// Checks that the scheme can resample `rows` rows.
    public func validate(rows: Int) throws {
        guard block >= 1 else { throw RallyError("bootstrap: block must be at least 1, got \(block)") }
        guard resamples >= 0 else { throw RallyError("bootstrap: resamples must be 0 or more, got \(resamples)") }
        guard rows > block else {
            throw RallyError("bootstrap: block of \(block) rows needs more than \(block) test rows, got \(rows)")
        }
    }

    /// Fills `weights` (resized to `rows`) with the multiplicity of each row in resample `r`.
    /// Call ``validate(rows:)`` first.
    public func weights(resample r: Int, rows: Int, into weights: inout [Double]) {
        if weights.count != rows {
            weights = [Double](repeating: 0, count: rows)
        } else {
            for i in weights.indices { weights[i] = 0 }
        }
        var rng = Xoshiro256StarStar(seed: seed, stream: r)
        let blocks = (rows + block - 1) / block
        let span = UInt64(rows - block)
        var remaining = rows
        weights.withUnsafeMutableBufferPointer { w in
            for _ in 0..<blocks {
                let start = Int(rng.below(span))
                let take = min(block, remaining)
                for i in start..<(start + take) { w[i] += 1 }
                remaining -= take
            }
        }
    }
}

extension BlockBootstrap {
    /// Runs `body(r, weights)` for every resample `r`, spread over at most `threads` workers
    /// (whichever is free takes the next resample), each with its own buffer of the resample's row
    /// multiplicities over `rows` rows; a worker stops when Ctrl-C is requested. `body` writes
    /// its figures for `r` into slots of its own, so the order the workers run in cannot matter.
    func forEachResample(rows: Int, threads: Int, _ body: @Sendable (_ r: Int, _ weights: [Double]) -> Void) {
        guard resamples > 0 else { return }
        let workers = max(1, min(threads, resamples))
        let next = WorkCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var weights = [Double](repeating: 0, count: rows)
            while case let r = next.take(), r < resamples {
                if Cancellation.isRequested { return }
                self.weights(resample: r, rows: rows, into: &weights)
                body(r, weights)
            }
        }
    }
}
