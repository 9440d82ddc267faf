/// XGBoost 1.7's weighted quantile sketch of one feature column (`WQuantileSketch<float,
/// float>` with its `WQSummary`), as the `hist` tree method builds it to place its bin
/// boundaries. rally's histogram trainer (``HistogramTrees``) takes its cut points from here,
/// so that it bins every value exactly as XGBoost does: same pushes, same merges, same prunes,
/// ranks in `Float` as there.
///
/// It is not a general-purpose quantile estimator: use ``RollingStatistic`` or sorting for
/// quantiles of prices.
struct QuantileSketch {
    /// One summary entry: the value, the least and greatest rank it may have, and its own weight.
    struct Entry {
        var rmin: Float, rmax: Float, wmin: Float, value: Float
        var rminNext: Float { rmin + wmin }
        var rmaxPrev: Float { rmax - wmin }
    }

    /// Entries in ascending value order (XGBoost's `WQSummary`).
    typealias Summary = [Entry]

    /// The most entries a level keeps.
    private let limit: Int
    /// Values pushed since the last merge (in push order; equal neighbours share an entry).
    private var queue: [(value: Float, weight: Float)] = []
    /// The queue's capacity before it is merged into the levels.
    private let queueCapacity: Int
    /// Merged summaries; level 0 is scratch space, as in XGBoost.
    private var levels: [Summary] = []

    /// A sketch for a column of `count` values (XGBoost's `Init(maxn, eps)`) with
    /// `eps = 1 / (bins * 8)`, `bins` being `min(max_bin, count)`.
    init(count: Int, maxBin: Int) {
        let bins = max(1, min(maxBin, count))
        let eps = 1.0 / (Double(Float(bins) * 8))
        var nlevel = 1, limit = 1
        while true {
            limit = min(count, Int((Double(nlevel) / eps).rounded(.up)) + 1)
            if (1 << nlevel) * limit >= count { break }
            nlevel += 1
        }
        self.limit = limit
        self.queueCapacity = limit * 2
        queue.reserveCapacity(min(queueCapacity, count))
    }

    /// Adds `value` with `weight` (zero weights are ignored).
    mutating func push(_ value: Float, weight: Float = 1) {
        guard weight != 0 else { return }
        if let last = queue.last, last.value == value {
            queue[queue.count - 1].weight += weight
            return
        }
        if queue.count == queueCapacity {
            let temp = Self.summary(of: &queue)
            queue.removeAll(keepingCapacity: true)
            pushUp(temp)
        }
        queue.append((value, weight))
    }

    /// The final summary (XGBoost's `GetSummary`).
    mutating func summary() -> Summary {
        var out = Self.summary(of: &queue)
        guard !levels.isEmpty else {
            return out.count > limit ? Self.pruned(out, to: limit) : out
        }
        levels[0] = Self.pruned(out, to: limit)
        for l in 1..<levels.count where !levels[l].isEmpty {
            if levels[0].isEmpty {
                levels[0] = levels[l]
            } else {
                out = Self.combined(levels[0], levels[l])
                levels[0] = Self.pruned(out, to: limit)
            }
        }
        return levels[0]
    }

    /// Merges a full queue's summary into the levels (XGBoost's `PushTemp`).
    private mutating func pushUp(_ summary: Summary) {
        var temp = summary
        var l = 1
        while true {
            while levels.count < l + 1 { levels.append([]) }
            if levels[l].isEmpty {
                levels[l] = Self.pruned(temp, to: limit)
                return
            }
            levels[0] = Self.pruned(temp, to: limit)
            temp = Self.combined(levels[0], levels[l])
            if temp.count > limit {
                levels[l] = []
                l += 1
            } else {
                levels[l] = temp
                return
            }
        }
    }

    /// The exact summary of queued values: sorted, equal values merged (`Queue::MakeSummary`).
    static func summary(of queue: inout [(value: Float, weight: Float)]) -> Summary {
        sortByValue(&queue)
        var out: Summary = []
        out.reserveCapacity(queue.count)
        var wsum: Float = 0
        var i = 0
        while i < queue.count {
            var w = queue[i].weight
            var j = i + 1
            while j < queue.count && queue[j].value == queue[i].value {
                w += queue[j].weight
                j += 1
            }
            out.append(Entry(rmin: wsum, rmax: wsum + w, wmin: w, value: queue[i].value))
            wsum += w
            i = j
        }
        return out
    }

    /// Sorts `queue` by value, stably: equal values (-0 and +0 among them) keep their push
    /// order, so equal values' weights are added in the order a stable comparison sort gives.
    /// A radix sort on the values' order-preserving bit patterns, 11 bits a pass, a pass
    /// skipped where every value shares its digit.
    static func sortByValue(_ queue: inout [(value: Float, weight: Float)]) {
        let n = queue.count
        guard n > 64 else {
            for i in queue.indices.dropFirst() {  // insertion sort: stable
                let e = queue[i]
                var j = i
                while j > 0 && e.value < queue[j - 1].value {
                    queue[j] = queue[j - 1]
                    j -= 1
                }
                queue[j] = e
            }
            return
        }
        @inline(__always) func key(_ v: Float) -> UInt32 {
            if v == 0 { return 0x8000_0000 }  // -0 sorts with +0
            let bits = v.bitPattern
            return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        }
        let radix = 2048, passes = 3
        var counts = [Int](repeating: 0, count: radix * passes)
        for e in queue {
            let k = key(e.value)
            counts[Int(k & 0x7FF)] += 1
            counts[radix + Int((k >> 11) & 0x7FF)] += 1
            counts[2 * radix + Int(k >> 22)] += 1
        }
        let a = UnsafeMutableBufferPointer<(value: Float, weight: Float)>.allocate(capacity: n)
        let b = UnsafeMutableBufferPointer<(value: Float, weight: Float)>.allocate(capacity: n)
        defer { a.deallocate(); b.deallocate() }
        _ = a.initialize(from: queue)
        var (src, dst) = (a, b)
        for pass in 0..<passes {
            let base = pass * radix, shift = UInt32(11 * pass)
            if counts[base + Int((key(src[0].value) >> shift) & 0x7FF)] == n { continue }
            var start = 0
            for d in 0..<radix {
                let c = counts[base + d]
                counts[base + d] = start
                start += c
            }
            for e in src {
                let d = base + Int((key(e.value) >> shift) & 0x7FF)
                dst[counts[d]] = e
                counts[d] += 1
            }
            swap(&src, &dst)
        }
        for i in 0..<n { queue[i] = src[i] }
    }

    /// At most `maxSize` entries of `src` at evenly spread ranks, first and last kept
    /// (`WQSummary::SetPrune`).
    static func pruned(_ src: Summary, to maxSize: Int) -> Summary {
        guard src.count > maxSize else { return src }
        let begin = src[0].rmax
        let range = src[src.count - 1].rmin - src[0].rmax
        let n = maxSize - 1
        var out: Summary = [src[0]]
        out.reserveCapacity(maxSize)
        var i = 1, last = 0
        for k in 1..<n {
            let dx2: Float = 2 * ((Float(k) * range) / Float(n) + begin)
            while i < src.count - 1 && dx2 >= src[i + 1].rmax + src[i + 1].rmin { i += 1 }
            if i == src.count - 1 { break }
            if dx2 < src[i].rminNext + src[i + 1].rmaxPrev {
                if i != last { out.append(src[i]); last = i }
            } else if i + 1 != last {
                out.append(src[i + 1])
                last = i + 1
            }
        }
        if last != src.count - 1 { out.append(src[src.count - 1]) }
        return out
    }

    /// The union of two summaries with their ranks added (`WQSummary::SetCombine`).
    static func combined(_ sa: Summary, _ sb: Summary) -> Summary {
        if sa.isEmpty { return sb }
        if sb.isEmpty { return sa }
        var out: Summary = []
        out.reserveCapacity(sa.count + sb.count)
        var a = 0, b = 0
        var aPrevRmin: Float = 0, bPrevRmin: Float = 0
        while a < sa.count && b < sb.count {
            let x = sa[a], y = sb[b]
            if x.value == y.value {
                out.append(Entry(rmin: x.rmin + y.rmin, rmax: x.rmax + y.rmax, wmin: x.wmin + y.wmin, value: x.value))
                aPrevRmin = x.rminNext
                bPrevRmin = y.rminNext
                a += 1
                b += 1
            } else if x.value < y.value {
                out.append(Entry(rmin: x.rmin + bPrevRmin, rmax: x.rmax + y.rmaxPrev, wmin: x.wmin, value: x.value))
                aPrevRmin = x.rminNext
                a += 1
            } else {
                out.append(Entry(rmin: y.rmin + aPrevRmin, rmax: y.rmax + x.rmaxPrev, wmin: y.wmin, value: y.value))
                bPrevRmin = y.rminNext
                b += 1
            }
        }
        let bMax = sb[sb.count - 1].rmax, aMax = sa[sa.count - 1].rmax
        for x in sa[a...] { out.append(Entry(rmin: x.rmin + bPrevRmin, rmax: x.rmax + bMax, wmin: x.wmin, value: x.value)) }
        for y in sb[b...] { out.append(Entry(rmin: y.rmin + aPrevRmin, rmax: y.rmax + aMax, wmin: y.wmin, value: y.value)) }
        fixErrors(&out)
        return out
    }

    /// Makes ranks monotone after a combine (`WQSummary::FixError`).
    private static func fixErrors(_ s: inout Summary) {
        var prevRmin: Float = 0, prevRmax: Float = 0
        for i in s.indices {
            if s[i].rmin < prevRmin { s[i].rmin = prevRmin } else { prevRmin = s[i].rmin }
            if s[i].rmax < prevRmax { s[i].rmax = prevRmax }
            let next = s[i].rminNext
            if s[i].rmax < next { s[i].rmax = next }
            prevRmax = s[i].rmax
        }
    }
}
