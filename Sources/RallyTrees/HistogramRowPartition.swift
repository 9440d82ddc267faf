import RallyCore

/// How ``HistogramTrees`` moves a level's rows to the children of its splits (XGBoost's
/// row partitioner), and how it adds the leaves of a tree's last splits to their rows' margins.
/// Rows go in blocks of consecutive positions of the order, each block to whichever worker is
/// free; a node's rows stay in row order on each side, so its histograms add them in that order.
extension HistogramTrees {
    /// Splits each candidate's rows between its children, keeping row order on each side:
    /// workers partition blocks of rows (each taking the next block when done with one) into
    /// `leftRows` and `rightRows`; then the children's ranges and each block's places in the
    /// order are set (a node's left blocks first). Nil for no candidates.
    func partition(_ batch: [Candidate], tree: BoostedTree, threads: Int) -> LevelRows? {
        guard !batch.isEmpty else { return nil }
        let level = LevelRows(blocks: rowBlocks(batch), candidates: batch.count), splits = batch.map(\.split)
        let workers = max(1, min(threads, level.blocks.count)), next = WorkCounter()
        parallel(workers) { _ in
            while case let b = next.take(), b < level.blocks.count {
                level.lefts[b] = self.partition(level.blocks[b].rows, by: splits[level.blocks[b].candidate])
            }
        }
        for (i, c) in batch.enumerated() {
            let range = ranges[c.node]
            var l = range.lowerBound
            for b in level.spans[i] {
                level.places[2 * b] = l
                l += level.lefts[b]
            }
            var r = l
            for b in level.spans[i] {
                level.places[2 * b + 1] = r
                r += level.blocks[b].rows.count - level.lefts[b]
            }
            let left = Int(tree.left[c.node])
            ranges[left] = range.lowerBound..<l
            ranges[left + 1] = l..<range.upperBound
        }
        return level
    }

    /// Copies block b of a level's partition back into the order: its left rows, then its right
    /// rows, each at its place.
    func copyBack(_ level: LevelRows, block b: Int) {
        let left = level.side(b, left: true), right = level.side(b, left: false)
        (order.baseAddress! + level.places[2 * b]).update(from: leftRows.baseAddress! + left.lowerBound, count: left.count)
        (order.baseAddress! + level.places[2 * b + 1]).update(from: rightRows.baseAddress! + right.lowerBound, count: right.count)
    }

    /// Blocks of at most 2,048 of the candidates' rows, candidate after candidate.
    func rowBlocks(_ batch: [Candidate]) -> [(candidate: Int, rows: Range<Int>)] {
        let block = 2048
        var blocks: [(candidate: Int, rows: Range<Int>)] = []
        for (i, c) in batch.enumerated() {
            let range = ranges[c.node]
            for start in stride(from: range.lowerBound, to: range.upperBound, by: block) {
                blocks.append((i, start..<min(range.upperBound, start + block)))
            }
        }
        return blocks
    }

    /// Adds the leaf values of candidates whose children are leaves for good straight to their
    /// rows' margins, without partitioning the rows (each row still gets its one leaf of this tree).
    func settle(_ batch: [Candidate], tree: BoostedTree, threads: Int) {
        guard !batch.isEmpty else { return }
        let steps = rowBlocks(batch), splits = batch.map(\.split)
        let values = batch.map { c in (left: tree.split[Int(tree.left[c.node])], right: tree.split[Int(tree.left[c.node]) + 1]) }
        let workers = max(1, min(threads, steps.count)), next = WorkCounter()
        parallel(workers) { _ in
            while case let b = next.take(), b < steps.count {
                let i = steps[b].candidate
                self.settle(steps[b].rows, by: splits[i], values: values[i])
            }
        }
    }

    func settle(_ rows: Range<Int>, by split: Split, values: (left: Float, right: Float)) {
        let f = split.feature, threshold = split.leftBins
        let missing = cuts.bins(f), missingLeft = split.defaultLeft
        let column = binsByFeature.baseAddress! + f * self.rows
        for k in rows {
            let row = Int(order[k]), b = Int(column[row])
            let goesLeft = b == missing ? missingLeft : b < threshold
            marginValues[row] += goesLeft ? values.left : values.right
        }
    }

    /// Partitions `rows` of the order by `split`: left rows, in order, to `leftRows` from the
    /// block's first position, right rows likewise to `rightRows`; returns the left count.
    func partition(_ rows: Range<Int>, by split: Split) -> Int {
        let f = split.feature, threshold = split.leftBins
        let missing = cuts.bins(f), missingLeft = split.defaultLeft
        let column = binsByFeature.baseAddress! + f * self.rows
        var l = rows.lowerBound, r = rows.lowerBound
        // both writes, one kept: no branch on the row's side
        if missingIn[f] {
            for k in rows {
                let row = order[k], b = Int(column[Int(row)])
                let goesLeft = b == missing ? missingLeft : b < threshold
                leftRows[l] = row
                rightRows[r] = row
                l &+= goesLeft ? 1 : 0
                r &+= goesLeft ? 0 : 1
            }
        } else {
            for k in rows {
                let row = order[k], goesLeft = Int(column[Int(row)]) < threshold
                leftRows[l] = row
                rightRows[r] = row
                l &+= goesLeft ? 1 : 0
                r &+= goesLeft ? 0 : 1
            }
        }
        return l - rows.lowerBound
    }
}
