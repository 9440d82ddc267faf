import Foundation
import Testing
@testable import RallyEngine

/// Shards: disjoint parts of the grid whose resume files merge into the single-run table.
@Suite struct SweepShardTests {
    @Test func shardsCutTheGridIntoDisjointParts() throws {
        let shards = try (1...3).map { try SweepShard(index: $0, count: 3) }
        for c in 0..<10 { #expect(shards.filter { $0.contains(c) }.count == 1) }
        #expect(try SweepShard(text: "2/4") == SweepShard(index: 2, count: 4))
        #expect(throws: RallyError("a shard index in [1, 4] expected (shards are numbered from 1), got 0", option: "shard.index")) {
            try SweepShard(index: 0, count: 4)
        }
        #expect(throws: RallyError("a shard as i/n expected (e.g. 2/4), got \"2-4\"")) { try SweepShard(text: "2-4") }
    }

    /// A shard's rows reach the table only through its resume file: a runner without one is refused.
    @Test func aShardNeedsAResumeFile() throws {
        let plan = try SmallSweep.plan(threads: 1, resamples: 0)
        #expect(throws: RallyError("a shard's configurations are merged from its resume file: give resume = path too", option: "shard")) {
            try SweepRunner(plan: plan, shard: try SweepShard(index: 1, count: 2))
        }
        _ = try SweepRunner(plan: plan, resumePath: SmallSweep.temporaryPath("unused.json"), shard: try SweepShard(index: 1, count: 2))
    }

    /// Three shards run separately (in another order than their numbers), merged: the same CSV
    /// as one run of the whole grid, byte for byte; the wrong sets of files are refused.
    @Test func mergedShardsEqualTheWholeSweep() throws {
        let plan = try SmallSweep.plan(threads: 2, resamples: 20)
        let models = try SmallSweep.models()
        let whole = try SweepRunner(plan: plan).run(on: SmallSweep.data, models: models).table
        let paths = (1...3).map { SmallSweep.temporaryPath("shard\($0).json") }
        defer { for p in paths { try? FileManager.default.removeItem(atPath: p) } }
        for i in [3, 1, 2] {
            let outcome = try SweepRunner(plan: plan, resumePath: paths[i - 1], shard: try SweepShard(index: i, count: 3))
                .run(on: SmallSweep.data, models: models)
            #expect(!outcome.interrupted)
            #expect(outcome.table.count == [2, 1, 1][i - 1] * models.count)   // 4 configurations: 0, 3 | 1 | 2
        }
        let merged = try SweepMerge.merge([paths[2], paths[0], paths[1]])
        #expect(merged.table.csv() == whole.csv())
        #expect(merged.runsTotal == 12)

        #expect(throws: RallyError("sweep_merge: shard 2/3 missing (2 of 3 files given)")) {
            try SweepMerge.merge([paths[0], paths[2]])
        }
        #expect(throws: RallyError("sweep_merge: '\(paths[0])' and '\(paths[0])' are both shard 1/3")) {
            try SweepMerge.merge([paths[0], paths[0], paths[1], paths[2]])
        }
        // a shard file resumed by another shard is refused before any work
        #expect(throws: RallyError("sweep: resume file '\(paths[0])': written by shard 1/3, this run is shard 2/3; give another resume path")) {
            try SweepRunner(plan: plan, resumePath: paths[0], shard: try SweepShard(index: 2, count: 3)).run(on: SmallSweep.data, models: models)
        }
        // a shard of another sweep (another bootstrap) does not merge
        let other = SmallSweep.temporaryPath("other.json")
        defer { try? FileManager.default.removeItem(atPath: other) }
        _ = try SweepRunner(plan: try SmallSweep.plan(threads: 2, resamples: 0), resumePath: other, shard: try SweepShard(index: 2, count: 3))
            .run(on: SmallSweep.data, models: models)
        let error = #expect(throws: RallyError.self) { try SweepMerge.merge([paths[0], other, paths[2]]) }
        #expect(error?.message.contains("is from another sweep than '\(paths[0])': their bootstrap differs") == true, "\(error?.message ?? "")")
    }
}
