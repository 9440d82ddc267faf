import Foundation
import Testing
@testable import RallyEngine

/// The paired bootstrap scores resamples eight at a time from row counts; these tests hold it
/// to the reference (each resample's weights through `ForecastScorer.score(weights:)`) bit for
/// bit, on the same resamples.
@Suite struct BatchedBootstrapTests {
    /// Every replicate of every metric and model as bit patterns (NaN compares equal to itself).
    private func bits(_ r: PairedBootstrapResult) -> [[[UInt64]]] { r.replicates.map { $0.map { $0.map(\.bitPattern) } } }

    private func compare(_ scorers: [ForecastScorer], scheme: BlockBootstrap, threads: Int = 2) throws {
        let names = scorers.indices.map { "m\($0)" }
        let batched = try PairedBootstrap.run(scorers: scorers, models: names, baseline: 0, scheme: scheme, threads: threads, batched: true)
        let reference = try PairedBootstrap.run(scorers: scorers, models: names, baseline: 0, scheme: scheme, threads: 1, batched: false)
        #expect(batched.used == reference.used)
        #expect(batched.skipped == reference.skipped)
        #expect(bits(batched) == bits(reference))
        for m in scorers.indices {
            for metric in Metric.allCases {
                #expect(batched.interval(model: m, metric: metric) == reference.interval(model: m, metric: metric)
                        || batched.interval(model: m, metric: metric).lower.isNaN)
            }
        }
    }

    /// Three forecasters with many ties (probabilities rounded to 2 decimals, a two-valued
    /// naive one) and a per-fold climatology, as the evaluation scores them.
    private func tiedScorers(rows: Int, settings: MetricSettings = MetricSettings()) throws -> [ForecastScorer] {
        let (y, models) = SyntheticForecasts.make(rows: rows, seed: 5)
        let climatology = (0..<rows).map { $0 < rows / 2 ? 0.08 : 0.11 }
        return try models.enumerated().map { m, p in
            let probabilities = m == 1 ? p.map { ($0 * 100).rounded() / 100 } : p
            return try ForecastScorer(labels: y, probabilities: probabilities, climatology: climatology, settings: settings)
        }
    }

    @Test func batchedResamplesEqualTheReferenceToTheLastBit() throws {
        // 37 resamples: four full batches and one of five lanes
        try compare(try tiedScorers(rows: 3000), scheme: BlockBootstrap(block: 168, resamples: 37, seed: 7))
        try compare(try tiedScorers(rows: 3000), scheme: BlockBootstrap(block: 168, resamples: 37, seed: 7), threads: 3)
    }

    @Test func otherSettingsAndBlocksEqualTheReference() throws {
        let settings = MetricSettings(top: 0.3, calibrationBins: 7, logLossClip: 0.01)
        try compare(try tiedScorers(rows: 1500, settings: settings), scheme: BlockBootstrap(block: 24, resamples: 20, seed: 3))
        // block 1: rows drawn one by one, counts up to several per row
        try compare(try tiedScorers(rows: 400), scheme: BlockBootstrap(block: 1, resamples: 9, seed: 1))
        // one block covering almost everything: many rows drawn twice or more in one lane
        try compare(try tiedScorers(rows: 400), scheme: BlockBootstrap(block: 399, resamples: 8, seed: 2))
        // top k = every row, and scorers with different settings in one run
        let all = try ForecastScorer(labels: SyntheticForecasts.make(rows: 500).y, probabilities: SyntheticForecasts.make(rows: 500).models[2],
                                     settings: MetricSettings(top: 1, calibrationBins: 1))
        let few = try ForecastScorer(labels: all.labels, probabilities: SyntheticForecasts.make(rows: 500).models[0],
                                     settings: MetricSettings(top: 0.001, calibrationBins: 20))
        try compare([all, few], scheme: BlockBootstrap(block: 30, resamples: 11, seed: 4))
    }

    @Test func allTiedAndSingleClassResamplesEqualTheReference() throws {
        // one rally in the last block only: most resamples miss it and are skipped
        var y = [Double](repeating: 0, count: 300)
        y[250] = 1
        let p = (0..<300).map { Double($0) / 300 }
        let constant = [Double](repeating: 0.2, count: 300)
        try compare([try ForecastScorer(labels: y, probabilities: p), try ForecastScorer(labels: y, probabilities: constant)],
                    scheme: BlockBootstrap(block: 10, resamples: 50, seed: 2))
    }

    @Test func fewResamplesAndMoreThreadsThanBatches() throws {
        try compare(try tiedScorers(rows: 800), scheme: BlockBootstrap(block: 48, resamples: 1, seed: 9), threads: 4)
        let none = try PairedBootstrap.run(scorers: try tiedScorers(rows: 800), models: ["a", "b", "c"], baseline: 0,
                                           scheme: BlockBootstrap(block: 48, resamples: 0, seed: 9))
        #expect(none.used == 0 && none.skipped == 0)
    }

    @Test func batchCountsAreTheReferenceWeights() throws {
        let scheme = BlockBootstrap(block: 7, resamples: 13, seed: 5)
        let batch = ResampleBatch(rows: 100)
        var w: [Double] = []
        for first in stride(from: 0, to: 13, by: ResampleBatch.lanes) {
            batch.fill(scheme, first: first, end: 13)
            #expect(batch.filled == min(8, 13 - first))
            for lane in 0..<batch.filled {
                scheme.weights(resample: first + lane, rows: 100, into: &w)
                #expect((0..<100).map { Double(batch.counts[$0][lane]) } == w)
            }
        }
        #expect(ResampleBatch.fits(BlockBootstrap(block: 168), rows: 17_328))
        #expect(!ResampleBatch.fits(BlockBootstrap(block: 1), rows: 70_000))
    }
}
