/// Rolling minimum or maximum in O(n) with a monotonic deque of indices.
///
/// The deque holds the indices of the current window whose values could still become the
/// extreme, in order of time and of value; each index enters and leaves once.
enum RollingExtreme {
    /// The trailing maximum (`largest`) or minimum of every full window without missing values.
    static func compute(_ x: [Double], window w: Int, largest: Bool) throws -> [Double] {
        let n = x.count
        var out = [Double](repeating: .nan, count: n)
        guard w >= 1, n >= w else { return out }
        // Every index is pushed at most once, so a plain array with head/tail cursors is the deque.
        var deque = [Int](repeating: 0, count: n)
        // Comparing -x for the minimum keeps one loop for both.
        let sign: Double = largest ? 1 : -1
        try x.withUnsafeBufferPointer { x in
            try out.withUnsafeMutableBufferPointer { out in
                try deque.withUnsafeMutableBufferPointer { deque in
                    var head = 0, tail = 0
                    var missing = 0
                    for i in 0..<n {
                        if i % 8192 == 0 { try Cancellation.check() }
                        let v = x[i]
                        if v.isNaN {
                            missing += 1
                        } else {
                            while tail > head, sign * x[deque[tail - 1]] <= sign * v { tail -= 1 }
                            deque[tail] = i
                            tail += 1
                        }
                        if i >= w, x[i - w].isNaN { missing -= 1 }
                        if tail > head, deque[head] <= i - w { head += 1 }
                        if i >= w - 1, missing == 0 { out[i] = x[deque[head]] }
                    }
                }
            }
        }
        return out
    }
}
