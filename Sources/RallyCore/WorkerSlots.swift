/// One value per item while parallel workers make them: each slot is written by the one worker
/// that owns its item, and read once they have all finished (after `concurrentPerform` or a
/// team's step returns). It is not a concurrent container: two workers never share a slot, and
/// nothing reads a slot while workers run.
public final class WorkerSlots<Value>: @unchecked Sendable {
    // @unchecked: a slot is written by one worker only, and read after every worker has finished.
    private let slots: UnsafeMutableBufferPointer<Value>

    /// `count` slots holding `initial`.
    public init(count: Int, initial: Value) {
        slots = .allocate(capacity: max(1, count))
        slots.initialize(repeating: initial)
    }

    deinit {
        _ = slots.deinitialize()
        slots.deallocate()
    }

    /// Sets slot `i` (from its worker).
    public func set(_ i: Int, _ value: Value) { slots[i] = value }

    /// Slot `i` (once the workers have finished).
    public func get(_ i: Int) -> Value { slots[i] }
}
