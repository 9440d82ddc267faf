/// The leaves waiting to be split, in XGBoost's `Driver` order: by node (level by level), or
/// by loss reduction, largest first, for loss-guided growth.
struct ExpandQueue {
    typealias Candidate = HistogramTrees.Candidate
    let lossGuide: Bool
    private var heap: [Candidate] = []

    init(lossGuide: Bool) { self.lossGuide = lossGuide }

    /// The nodes waiting, in no particular order.
    var nodes: [Int] { heap.map(\.node) }

    private func precedes(_ a: Candidate, _ b: Candidate) -> Bool {
        guard lossGuide else { return a.node < b.node }
        return a.split.loss == b.split.loss ? a.node < b.node : a.split.loss > b.split.loss
    }

    mutating func push(_ c: Candidate) {
        heap.append(c)
        var i = heap.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard precedes(heap[i], heap[p]) else { break }
            heap.swapAt(i, p)
            i = p
        }
    }

    private mutating func popTop() -> Candidate {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && precedes(heap[l], heap[m]) { m = l }
                if r < heap.count && precedes(heap[r], heap[m]) { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return top
    }

    /// XGBoost's `Driver::Pop`: the next leaf to split (loss-guided; none if it may not be
    /// split), or the valid leaves of the next level, at most 256.
    mutating func pop(leaves: inout Int, isValid: (Candidate, Int) -> Bool) -> [Candidate] {
        guard !heap.isEmpty else { return [] }
        if lossGuide {
            let e = popTop()
            guard isValid(e, leaves) else { return [] }
            leaves += 1
            return [e]
        }
        var result: [Candidate] = []
        var e = heap[0]
        let level = e.depth
        while e.depth == level && !heap.isEmpty && result.count < 256 {
            _ = popTop()
            if isValid(e, leaves) {
                leaves += 1
                result.append(e)
            }
            if !heap.isEmpty { e = heap[0] }
        }
        return result
    }
}
