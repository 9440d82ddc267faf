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
        counts.withUnsafeMutableBufferPointer { counts in
            for key in keys {
                for byte in 0..<8 { counts[byte &* 256 &+ Int(truncatingIfNeeded: (key &>> UInt64(8 &* byte)) & 0xff)] &+= 1 }
            }
        }
        var next = [Int](repeating: 0, count: 256)
        for byte in 0..<8 {
            let histogram = counts[(byte * 256)..<(byte * 256 + 256)]
            if histogram.contains(n) { continue }   // every key has the same byte here: nothing to move
            var start = 0
            for (value, count) in histogram.enumerated() {
                next[value] = start
                start += count
            }
            Self.scatter(byte: byte, keys: keys, rows: rows, into: &spareKeys, &spareRows, next: &next)
            swap(&keys, &spareKeys)
            swap(&rows, &spareRows)
        }
        return rows
    }

    /// One pass of the radix sort: each key and its row to the next free place of its byte's bucket.
    private static func scatter(byte: Int, keys: [UInt64], rows: [Int32], into sortedKeys: inout [UInt64], _ sortedRows: inout [Int32],
                                next: inout [Int]) {
        let shift = UInt64(8 * byte)
        keys.withUnsafeBufferPointer { keys in
            rows.withUnsafeBufferPointer { rows in
                sortedKeys.withUnsafeMutableBufferPointer { sortedKeys in
                    sortedRows.withUnsafeMutableBufferPointer { sortedRows in
                        next.withUnsafeMutableBufferPointer { next in
                            for k in 0..<keys.count {
                                let value = Int(truncatingIfNeeded: (keys[k] &>> shift) & 0xff)
                                let place = next[value]
                                sortedKeys[place] = keys[k]
                                sortedRows[place] = rows[k]
                                next[value] = place &+ 1
                            }
                        }
                    }
                }
            }
        }
    }

    /// A key whose ascending order is `x`'s descending order: IEEE 754 bits with the sign
    /// flipped for positives and every bit for negatives, then complemented.
    private static func descendingKey(_ x: Double) -> UInt64 {
        let bits = (x + 0.0).bitPattern   // -0 + 0 is +0
        let ascending = bits >> 63 == 1 ? ~bits : bits | (1 << 63)
        return ~ascending
    }
}
