import Synchronization

/// Hands out the items of one parallel step, each once, to whichever worker asks next: a worker
/// that starts late, or runs slower, takes fewer items instead of holding the step up (with a
/// fixed share each, `concurrentPerform`'s caller often did every share while a pool thread woke).
/// It is not a queue: items are numbers from 0, and a worker stops at the first past the last.
public final class WorkCounter: Sendable {
    private let next = Atomic<Int>(0)

    public init() {}

    /// The next item's number (past the last item: no more work).
    public func take() -> Int { next.add(1, ordering: .relaxed).oldValue }
}
