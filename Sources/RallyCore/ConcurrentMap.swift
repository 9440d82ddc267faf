import Dispatch

/// `transform(i)` for each `i` in `0 ..< count`, on up to `threads` workers (whichever is free
/// takes the next `i`), returned in index order. When some throw, the error of the lowest index
/// is rethrown: the one a serial map would have thrown. For a few costly, independent items
/// (one per model), not for fine-grained loops.
public func concurrentMap<T: Sendable>(_ count: Int, threads: Int, _ transform: @Sendable (Int) throws -> T) throws -> [T] {
    let workers = max(1, min(threads, count))
    if workers == 1 { return try (0..<count).map(transform) }
    let results = WorkerSlots<Result<T, any Error>?>(count: count, initial: nil)
    let next = WorkCounter()
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while case let i = next.take(), i < count { results.set(i, Result { try transform(i) }) }
    }
    return try (0..<count).map { try results.get($0)!.get() }
}
