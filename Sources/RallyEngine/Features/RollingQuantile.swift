/// Rolling type-7 quantile in O(n log w) with two indexed heaps.
///
/// The window's values are split at the order statistic below the quantile: a max-heap holds
/// the ⌊q (n - 1)⌋ + 1 smallest, a min-heap the rest, so the two order statistics to
/// interpolate between are the two heap tops. Every value remembers its heap position, so the
/// value leaving the window is removed exactly in O(log w) (no lazy deletion, no sort).
/// The interpolation is pandas' `roll_quantile` formula, so results match a sort-based
/// reference exactly.
enum RollingQuantile {
    /// The trailing q-quantile of every full window without missing values.
    static func compute(_ x: [Double], window w: Int, q: Double) throws -> [Double] {
        let n = x.count
        var out = [Double](repeating: .nan, count: n)
        guard w >= 1, n >= w else { return out }
        var window = OrderStatisticsWindow(capacity: w, q: q)
        var missing = 0
        for i in 0..<n {
            if i % 4096 == 0 { try Cancellation.check() }
            let slot = i % w
            if i >= w {
                if x[i - w].isNaN { missing -= 1 } else { window.remove(slot: slot) }
            }
            let v = x[i]
            if v.isNaN { missing += 1 } else { window.insert(v, slot: slot) }
            if i >= w - 1, missing == 0 { out[i] = window.quantile }
        }
        return out
    }
}

/// The values of a sliding window split into a low and a high heap around the q-quantile.
struct OrderStatisticsWindow {
    private var low = SlotHeap(isLow: true)    // keys are negated values: its top is the largest low value
    private var high = SlotHeap(isLow: false)
    private var location: [Int32]
    private let q: Double

    /// A window of at most `capacity` values (slots `0..<capacity`), answering the q-quantile.
    init(capacity: Int, q: Double) {
        location = [Int32](repeating: SlotHeap.absent, count: capacity)
        low.reserve(capacity)
        high.reserve(capacity)
        self.q = q
    }

    /// Number of values held.
    var count: Int { low.count + high.count }

    /// Adds `value` under `slot` (which must be free).
    mutating func insert(_ value: Double, slot: Int) {
        if low.count > 0 && value <= -low.top {
            low.push(-value, slot: Int32(slot), &location)
        } else {
            high.push(value, slot: Int32(slot), &location)
        }
        rebalance()
    }

    /// Removes the value held under `slot`.
    mutating func remove(slot: Int) {
        let code = location[slot]
        if code < 0 { low.remove(at: Int(~code), &location) } else { high.remove(at: Int(code), &location) }
        rebalance()
    }

    private mutating func rebalance() {
        let n = count
        let target = n == 0 ? 0 : Int(q * Double(n - 1)) + 1
        while low.count > target {
            let (key, slot) = low.popTop(&location)
            high.push(-key, slot: slot, &location)
        }
        while low.count < target {
            let (key, slot) = high.popTop(&location)
            low.push(-key, slot: slot, &location)
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

/// A binary min-heap of (key, slot) pairs that records each slot's position in a shared
/// location table: `p` for the high heap, `~p` (negative) for the low heap.
struct SlotHeap {
    /// The location of a slot that holds no value.
    static let absent = Int32.min

    private var keys: [Double] = []
    private var slots: [Int32] = []
    private let isLow: Bool

    init(isLow: Bool) { self.isLow = isLow }

    var count: Int { keys.count }
    var top: Double { keys[0] }

    mutating func reserve(_ n: Int) {
        keys.reserveCapacity(n)
        slots.reserveCapacity(n)
    }

    private func code(_ p: Int) -> Int32 { isLow ? ~Int32(p) : Int32(p) }

    mutating func push(_ key: Double, slot: Int32, _ location: inout [Int32]) {
        keys.append(key)
        slots.append(slot)
        siftUp(key, slot, from: keys.count - 1, &location)
    }

    mutating func popTop(_ location: inout [Int32]) -> (Double, Int32) {
        let result = (keys[0], slots[0])
        remove(at: 0, &location)
        return result
    }

    mutating func remove(at p: Int, _ location: inout [Int32]) {
        location[Int(slots[p])] = SlotHeap.absent
        let key = keys.removeLast()
        let slot = slots.removeLast()
        guard p < keys.count else { return }
        if p > 0 && key < keys[(p - 1) / 2] {
            siftUp(key, slot, from: p, &location)
        } else {
            siftDown(key, slot, from: p, &location)
        }
    }

    private mutating func siftUp(_ key: Double, _ slot: Int32, from start: Int, _ location: inout [Int32]) {
        var i = start
        while i > 0 {
            let parent = (i - 1) / 2
            guard key < keys[parent] else { break }
            keys[i] = keys[parent]
            slots[i] = slots[parent]
            location[Int(slots[i])] = code(i)
            i = parent
        }
        keys[i] = key
        slots[i] = slot
        location[Int(slot)] = code(i)
    }

    private mutating func siftDown(_ key: Double, _ slot: Int32, from start: Int, _ location: inout [Int32]) {
        let n = keys.count
        var i = start
        while true {
            var child = 2 * i + 1
            guard child < n else { break }
            if child + 1 < n && keys[child + 1] < keys[child] { child += 1 }
            guard keys[child] < key else { break }
            keys[i] = keys[child]
            slots[i] = slots[child]
            location[Int(slots[i])] = code(i)
            i = child
        }
        keys[i] = key
        slots[i] = slot
        location[Int(slot)] = code(i)
    }
}
