import Dispatch

/// `transform(i)` for each `i` in `0 ..< count`, on up to `threads` workers (whichever is free
/// takes the next `i`), returned in index order. When some throw, the error of the lowest index
/// is rethrown: the one a serial map would have thrown (a transform that cannot throw makes a
/// map that cannot). For a few costly, independent items (one per model or feature), not for
/// fine-grained loops.
public func concurrentMap<T: Sendable, E: Error>(_ count: Int, threads: Int,
                                                 _ transform: @Sendable (Int) throws(E) -> T) throws(E) -> [T] {
    let workers = max(1, min(threads, count))
    if workers == 1 { return try (0..<count).map { i throws(E) in try transform(i) } }
    let results = WorkerSlots<Result<T, E>?>(count: count, initial: nil)
    let next = WorkCounter()
    DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while case let i = next.take(), i < count { results.set(i, Result { () throws(E) in try transform(i) }) }
    }
    return try (0..<count).map { i throws(E) in try results.get(i)!.get() }
}
