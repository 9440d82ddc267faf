/// The decision figures' resamples scored eight at a time from a ``ResampleBatch``: the value
/// curves (``FoldCuts``) and the episode figures (``EpisodeOutcome``). It is a faster path to
/// the same numbers, not new figures: each equals the weights path (``FoldCuts/values(weights:alphas:)``,
/// ``EpisodeOutcome/figures(weights:)``) on the same resample to the last bit, because every
/// sum those take is a sum of whole counts (exact in any order, kept here in integers) and the
/// figures are finished by the same code from the same numbers (`DecisionBatchTests`).
extension FoldCuts {
    /// Whether the batched path computes what the weights path does: 0/1 labels.
    var batchable: Bool { labels.allSatisfy { $0 == 0 || $0 == 1 } }

    /// The value per strategy and α of each filled lane of `batch`, handed to
    /// `store(lane, strategy, alpha, value)`.
    func values(_ batch: ResampleBatch, alphas: [Double], store: (_ lane: Int, _ strategy: Int, _ alpha: Int, _ value: Double) -> Void) {
        typealias Whole = SIMD8<Int32>
        // per fold, the count and the rallies of the rows acted on at each mark, eight lanes
        var rows: [[Whole]] = [], rallies: [[Whole]] = []
        var total = Whole(), positives = Whole()
        for f in marks.indices {
            // the counts go to four partial sums, row i to partial i % 4, so that a run of rows
            // in one bucket (most rows are in the last) does not wait on each sum in turn
            let width = marks[f].count
            var n = [Whole](repeating: Whole(), count: 4 * width), y = [Whole](repeating: Whole(), count: width)
            n.withUnsafeMutableBufferPointer { n in
                y.withUnsafeMutableBufferPointer { y in
                    for i in starts[f]..<(starts[f] + sizes[f]) {
                        let c = batch.wide(i), k = bucket[i]
                        n[(i & 3) * width + k] &+= c
                        if labels[i] == 1 { y[k] &+= c }
                    }
                    for j in 0..<width { n[j] = n[j] &+ n[width + j] &+ n[2 * width + j] &+ n[3 * width + j] }
                    for j in 1..<width {
                        n[j] &+= n[j - 1]
                        y[j] &+= y[j - 1]
                    }
                }
            }
            n.removeLast(3 * width)
            total &+= n[width - 1]
            positives &+= y[width - 1]
            rows.append(n)
            rallies.append(y)
        }
        typealias Lanes = EconomicValue.Lanes
        let totals = Lanes(total), rallyCounts = Lanes(positives)
        for (s, strategy) in cuts.enumerated() {
            for a in alphas.indices {
                var alarms = Lanes(), hits = Lanes()
                for (f, k) in strategy[a].enumerated() {
                    alarms += Lanes(rows[f][k])
                    hits += Lanes(rallies[f][k])
                }
                let values = EconomicValue.values(alpha: alphas[a], alarms: alarms, hits: hits, positives: rallyCounts, total: totals)
                for lane in 0..<batch.filled { store(lane, s, a, values[lane]) }
            }
        }
    }
}

extension EpisodeOutcome {
    /// What the batched figures need, laid out once per model: the rows in alarm, and the
    /// caught episodes' first rows with their leads, in ascending lead (ties in episode order).
    struct BatchLayout: Sendable {
        let outcome: EpisodeOutcome
        let alarmRows: [Int32]
        let caughtFirst: [Int32], caughtLeads: [Double]
        let earlyFirst: [Int32]

        init(_ outcome: EpisodeOutcome) {
            self.outcome = outcome
            alarmRows = outcome.alarm.indices.filter { outcome.alarm[$0] }.map { Int32($0) }
            let caught = outcome.leads.indices.filter { outcome.leads[$0] != nil }
                .sorted { (outcome.leads[$0]!, $0) < (outcome.leads[$1]!, $1) }
            caughtFirst = caught.map { Int32(outcome.episodes.episodes[$0].first) }
            caughtLeads = caught.map { outcome.leads[$0]! }
            earlyFirst = outcome.leads.indices.filter { (outcome.leads[$0] ?? -1) >= 0 }.map { Int32(outcome.episodes.episodes[$0].first) }
        }

        /// The figures of each filled lane of `batch`, handed to `store(lane, figures)`; `hours`
        /// is the batch's ``ResampleBatch/drawn()``, the same for every model.
        func figures(_ batch: ResampleBatch, hours: SIMD8<Int32>, store: (_ lane: Int, _ figures: [Double]) -> Void) {
            typealias Whole = SIMD8<Int32>
            var count = Whole(), caught = Whole(), early = Whole(), alarmHours = Whole(), falseRuns = Whole()
            for e in outcome.episodes.episodes { count &+= batch.wide(e.first) }
            for i in caughtFirst { caught &+= batch.wide(Int(i)) }
            for i in earlyFirst { early &+= batch.wide(Int(i)) }
            for i in alarmRows { alarmHours &+= batch.wide(Int(i)) }
            for i in outcome.falseRunStarts { falseRuns &+= batch.wide(i) }
            for lane in 0..<batch.filled {
                // the caught leads, each as often as its episode's first row is drawn (`caught` times
                // in all): sorted by construction
                let leads = [Double](unsafeUninitializedCapacity: Int(caught[lane])) { buffer, written in
                    written = 0
                    for (i, lead) in zip(caughtFirst, caughtLeads) {
                        for _ in 0..<Int(batch.counts[Int(i)][lane]) {
                            buffer[written] = lead
                            written += 1
                        }
                    }
                }
                store(lane, outcome.finish(count: Double(count[lane]), caught: Double(caught[lane]), early: Double(early[lane]),
                                           sortedLeads: leads, hours: Double(hours[lane]), alarmHours: Double(alarmHours[lane]),
                                           falseRuns: Double(falseRuns[lane])))
            }
        }
    }
}
