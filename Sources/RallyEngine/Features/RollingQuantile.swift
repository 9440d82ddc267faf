/// Rolling type-7 quantile in O(n log w) with two indexed heaps.
///
/// The window's values are split at the order statistic below the quantile: a max-heap holds
/// the ⌊q (n - 1)⌋ + 1 smallest, a min-heap the rest, so the two order statistics to
/// interpolate between are the two heap tops. Every value remembers its heap position, so the
/// value leaving the window is replaced (or removed) exactly in O(log w): no lazy deletion, no
/// sort. The interpolation is pandas' `roll_quantile` formula, so results match a sort-based
/// reference exactly.
enum RollingQuantile {
    /// The trailing q-quantile of every full window without missing values.
    static func compute(_ x: [Double], window w: Int, q: Double) throws -> [Double] {
        let n = x.count
        var out = [Double](repeating: .nan, count: n)
        guard w >= 1, n >= w else { return out }
        let window = OrderStatisticsWindow(capacity: w, q: q)
        var missing = 0
        try x.withUnsafeBufferPointer { x in
            try out.withUnsafeMutableBufferPointer { out in
                for i in 0..<n {
                    if i % 8192 == 0 { try Cancellation.check() }
                    let slot = i % w
                    let v = x[i]
                    if i >= w {
                        let old = x[i - w]
                        if old.isNaN { missing -= 1 }
                        if !old.isNaN && !v.isNaN {
                            window.replace(slot: slot, with: v)
                        } else {
                            if !old.isNaN { window.remove(slot: slot) }
                            if !v.isNaN { window.insert(v, slot: slot) }
                        }
                    } else if !v.isNaN {
                        window.insert(v, slot: slot)
                    }
                    if v.isNaN { missing += 1 }
                    if i >= w - 1, missing == 0 { out[i] = window.quantile }
                }
            }
        }
        return out
    }
}

/// The values of a sliding window split into a low and a high heap around the q-quantile.
///
/// Values live in slots `0..<capacity` (the caller's ring position); `location[slot]` is the
/// value's position: `p` in the high heap, `~p` (negative) in the low heap.
final class OrderStatisticsWindow {
    private let low: SlotHeap     // keys are negated values: its top is the largest low value
    private let high: SlotHeap
    private let location: UnsafeMutablePointer<Int32>
    private let q: Double

    /// A window of at most `capacity` values, answering the q-quantile.
    init(capacity: Int, q: Double) {
        location = .allocate(capacity: capacity)
        location.initialize(repeating: SlotHeap.absent, count: capacity)
        low = SlotHeap(capacity: capacity, isLow: true, location: location)
        high = SlotHeap(capacity: capacity, isLow: false, location: location)
        self.q = q
    }

    deinit { location.deallocate() }

    /// Number of values held.
    var count: Int { low.count + high.count }

    /// How many values the low heap holds for `n` values: ⌊q (n - 1)⌋ + 1.
    private func lowCount(_ n: Int) -> Int { n == 0 ? 0 : Int(q * Double(n - 1)) + 1 }

    /// Adds `value` under `slot` (which must be free).
    func insert(_ value: Double, slot: Int) {
        if low.count > 0 && value <= -low.top {
            low.push(-value, slot: Int32(slot))
        } else {
            high.push(value, slot: Int32(slot))
        }
        rebalance()
    }

    /// Removes the value held under `slot`.
    func remove(slot: Int) {
        let code = location[slot]
        if code < 0 { low.remove(at: Int(~code)) } else { high.remove(at: Int(code)) }
        rebalance()
    }

    /// Replaces the value held under `slot` by `value`: one or two sifts, no rebalancing.
    func replace(slot: Int, with value: Double) {
        let code = location[slot]
        let s = Int32(slot)
        if code < 0 {
            if high.count == 0 || value <= high.top {
                low.replace(at: Int(~code), key: -value, slot: s)
            } else {
                // The new value belongs high: the high top moves down into the freed low place.
                let (top, topSlot) = (high.top, high.topSlot)
                high.replace(at: 0, key: value, slot: s)
                low.replace(at: Int(~code), key: -top, slot: topSlot)
            }
        } else {
            if low.count == 0 || value >= -low.top {
                high.replace(at: Int(code), key: value, slot: s)
            } else {
                // The new value belongs low: the low top moves up into the freed high place.
                let (top, topSlot) = (-low.top, low.topSlot)
                low.replace(at: 0, key: -value, slot: s)
                high.replace(at: Int(code), key: top, slot: topSlot)
            }
        }
    }

    private func rebalance() {
        let target = lowCount(count)
        while low.count > target {
            let (key, slot) = (low.top, low.topSlot)
            low.remove(at: 0)
            high.push(-key, slot: slot)
        }
        while low.count < target {
            let (key, slot) = (high.top, high.topSlot)
            high.remove(at: 0)
            low.push(-key, slot: slot)
        }
    }

    /// The type-7 q-quantile of the values held (NaN when empty).
    var quantile: Double {
        let n = count
        guard n > 0 else { return .nan }
        let h = q * Double(n - 1)
        let lo = Int(h)
        let below = -low.top
        if h == Double(lo) { return below }
        return below + (high.top - below) * (h - Double(lo))
    }
}

/// A binary min-heap of (key, slot) pairs in fixed storage that records each slot's position
/// in the window's shared location table.
final class SlotHeap {
    /// The location of a slot that holds no value.
    static let absent = Int32.min

    private let keys: UnsafeMutablePointer<Double>
    private let slots: UnsafeMutablePointer<Int32>
    private let location: UnsafeMutablePointer<Int32>
    private let isLow: Bool
    private(set) var count = 0

    init(capacity: Int, isLow: Bool, location: UnsafeMutablePointer<Int32>) {
        keys = .allocate(capacity: capacity)
        slots = .allocate(capacity: capacity)
        self.isLow = isLow
        self.location = location
    }

    deinit {
        keys.deallocate()
        slots.deallocate()
    }

    var top: Double { keys[0] }
    var topSlot: Int32 { slots[0] }

    @inline(__always) private func place(_ key: Double, _ slot: Int32, at i: Int) {
        keys[i] = key
        slots[i] = slot
        location[Int(slot)] = isLow ? ~Int32(i) : Int32(i)
    }

    func push(_ key: Double, slot: Int32) {
        count += 1
        siftUp(key, slot, from: count - 1)
    }

    /// Removes the entry at position `p`.
    func remove(at p: Int) {
        location[Int(slots[p])] = SlotHeap.absent
        count -= 1
        guard p < count else { return }
        replace(at: p, key: keys[count], slot: slots[count])
    }

    /// Puts (key, slot) at position `p` in place of what was there, and restores heap order.
    func replace(at p: Int, key: Double, slot: Int32) {
        if p > 0 && key < keys[(p - 1) / 2] {
            siftUp(key, slot, from: p)
        } else {
            siftDown(key, slot, from: p)
        }
    }

    private func siftUp(_ key: Double, _ slot: Int32, from start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) / 2
            guard key < keys[parent] else { break }
            place(keys[parent], slots[parent], at: i)
            i = parent
        }
        place(key, slot, at: i)
    }

    private func siftDown(_ key: Double, _ slot: Int32, from start: Int) {
        var i = start
        while true {
            var child = 2 * i + 1
            guard child < count else { break }
            if child + 1 < count && keys[child + 1] < keys[child] { child += 1 }
            guard keys[child] < key else { break }
            place(keys[child], slots[child], at: i)
            i = child
        }
        place(key, slot, at: i)
    }
}
