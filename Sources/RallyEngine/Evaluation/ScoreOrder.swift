/// Row orders by score, shared by the ranking figures: highest score first, ties in time order
/// (the protocol's rule for top-k), so every figure ranks rows the same way.
public enum ScoreOrder {
    /// Indices of `scores`, highest first, ties by index.
    public static func descending(_ scores: [Double]) -> [Int] {
        descendingRows(scores).map(Int.init)
    }

    /// ``descending(_:)`` as 32-bit row numbers. Without NaN (which has no place in the order)
    /// it is a stable radix sort of the scores' bits (`-0` read as `+0`, which compares equal):
    /// a few linear passes instead of n log n comparisons, the same order as the comparison
    /// sort it falls back to.
    static func descendingRows(_ scores: [Double]) -> [Int32] {
        let n = scores.count
        guard n < Int(Int32.max), !scores.contains(where: \.isNaN) else {
            return Array(0..<Int32(clamping: n)).sorted { a, b in
                let x = scores[Int(a)], y = scores[Int(b)]
                return x > y || (x == y && a < b)
            }
        }
        var keys = scores.map(descendingKey)
        var rows = [Int32](0..<Int32(n))
        var spareKeys = keys, spareRows = rows
        // a histogram per byte of the keys, filled in one pass
        var counts = [Int](repeating: 0, count: 8 * 256)
        for key in keys {
            for byte in 0..<8 { counts[byte * 256 + Int((key >> UInt64(8 * byte)) & 0xff)] += 1 }
        }
        for byte in 0..<8 {
            let histogram = counts[(byte * 256)..<(byte * 256 + 256)]
            if histogram.contains(n) { continue }   // every key has the same byte here: nothing to move
            var next = [Int](repeating: 0, count: 256)
            var start = 0
            for (value, count) in zip(histogram.indices, histogram) {
                next[value - byte * 256] = start
                start += count
            }
            let shift = UInt64(8 * byte)
            for k in 0..<n {
                let value = Int((keys[k] >> shift) & 0xff)
                spareKeys[next[value]] = keys[k]
                spareRows[next[value]] = rows[k]
                next[value] += 1
            }
            swap(&keys, &spareKeys)
            swap(&rows, &spareRows)
        }
        return rows
    }

    /// A key whose ascending order is `x`'s descending order: IEEE 754 bits with the sign
    /// flipped for positives and every bit for negatives, then complemented.
    private static func descendingKey(_ x: Double) -> UInt64 {
        let bits = (x + 0.0).bitPattern   // -0 + 0 is +0
        let ascending = bits >> 63 == 1 ? ~bits : bits | (1 << 63)
        return ~ascending
    }
}
