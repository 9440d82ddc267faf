import Foundation
import Testing
@testable import RallyEngine
@testable import RallyTrees

/// rally's grower of XGBoost's hist trees (`trainer = "rally"`) against XGBoost's own rounds
/// (`trainer = "xgboost"`) on one thread: the saved trees must be the same, node for node.
struct HistogramTreesTests {
    /// A problem with what trips a tree grower: ties (a 0-20 integer feature), a binary
    /// feature, NaN in two features, a constant feature, and a continuous one with more
    /// distinct values than XGBoost's sketch keeps exactly (at `n` above 8,194).
    static func problem(n: Int, seed: UInt64) -> (X: DesignMatrix, y: [Double]) {
        var (X, y) = RandomProblem.make(n: n, seed: seed)
        var state = seed &+ 99
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(UInt64(1) << 53)
        }
        let ticks = (0..<n).map { _ in (next() * 21).rounded(.down) }
        let flag = (0..<n).map { _ in next() < 0.3 ? 1.0 : 0.0 }
        for i in stride(from: 3, to: n, by: 11) { X.columns[0][i] = .nan }
        var gappy = (0..<n).map { i in ticks[i] * 0.5 + (next() < 0.1 ? 3 : 0) }
        for i in stride(from: 5, to: n, by: 6) { gappy[i] = .nan }
        for i in 0..<n where flag[i] == 1 && next() < 0.5 { y[i] = 1 - y[i] }
        X = DesignMatrix(names: X.names + ["ticks", "flag", "gappy", "constant"],
                         columns: X.columns + [ticks, flag, gappy, [Double](repeating: 7, count: n)])
        return (X, y)
    }

    /// The `trees` of a fitted model's XGBoost JSON.
    static func trees(_ m: GradientBoostedModel) throws -> NSArray {
        let data = try #require(try m.booster?.jsonModel())
        let doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let learner = try #require(doc["learner"] as? [String: Any])
        let booster = try #require(learner["gradient_booster"] as? [String: Any])
        let model = try #require(booster["model"] as? [String: Any])
        return try #require(model["trees"] as? NSArray)
    }

    static func fitted(_ parameters: ModelParameters, trainer: String, _ X: DesignMatrix, _ y: [Double],
                       weights: [Double]? = nil) throws -> GradientBoostedModel {
        let m = try gbdt(parameters.merging(["trainer": .string(trainer), "nthread": .number(1)]))
        try m.fit(X, labels: y, weights: weights)
        return m
    }

    /// Fits with both trainers and expects the same trees; returns the two models.
    @discardableResult
    static func expectSameTrees(_ parameters: ModelParameters, _ X: DesignMatrix, _ y: [Double], weights: [Double]? = nil,
                                sourceLocation: SourceLocation = #_sourceLocation) throws -> (ours: GradientBoostedModel, theirs: GradientBoostedModel) {
        let ours = try fitted(parameters, trainer: "rally", X, y, weights: weights)
        let theirs = try fitted(parameters, trainer: "xgboost", X, y, weights: weights)
        #expect(try trees(ours).isEqual(trees(theirs)), sourceLocation: sourceLocation)
        return (ours, theirs)
    }

    static let settings: [ModelParameters] = [
        ["rounds": .number(15), "max_depth": .number(4)],
        ["rounds": .number(10), "grow_policy": .string("lossguide"), "max_leaves": .number(11), "max_depth": .number(0)],
        ["rounds": .number(10), "min_child_weight": .number(4), "lambda": .number(3), "alpha": .number(0.4), "eta": .number(0.2)],
        ["rounds": .number(10), "max_bin": .number(8), "scale_pos_weight": .number(3)],
        ["rounds": .number(5), "max_depth": .number(8), "min_child_weight": .number(0)],
    ]

    @Test(arguments: 0..<5) func treesEqualXGBoostsOnOneThread(setting: Int) throws {
        let (X, y) = Self.problem(n: 3_000, seed: UInt64(20 + setting))
        let (ours, theirs) = try Self.expectSameTrees(Self.settings[setting], X, y)
        #expect(try ours.predict(X) == theirs.predict(X))
    }

    @Test func treesEqualXGBoostsWithWeightsAndAPrunedSketch() throws {
        // 20,000 rows: the continuous features' sketches merge and prune, as XGBoost's do
        let (X, y) = Self.problem(n: 20_000, seed: 3)
        let weights = (0..<20_000).map { 0.5 + Double($0 % 5) * 0.25 }
        try Self.expectSameTrees(["rounds": .number(8), "max_depth": .number(6), "max_bin": .number(64)], X, y, weights: weights)
    }

    @Test func treesEqualXGBoostsWithMoreSlotsThan16BitsHold() throws {
        // two continuous features of 40,000 distinct values at max_bin 40,000: over 65,535
        // histogram slots, so rows keep them in 32 bits
        let (X, y) = RandomProblem.make(n: 40_000, seed: 9)
        try Self.expectSameTrees(["rounds": .number(3), "max_depth": .number(3), "max_bin": .number(40_000)], X, y)
    }

    @Test func earlyStoppingPicksXGBoostsRound() throws {
        let (X, y) = Self.problem(n: 2_000, seed: 8)
        let (ours, theirs) = try Self.expectSameTrees(["rounds": .number(200), "eta": .number(0.5), "early_stopping_rounds": .number(5)], X, y)
        #expect(ours.fitReport["best_iteration"] == theirs.fitReport["best_iteration"])
        #expect(ours.fitReport["rounds"] == theirs.fitReport["rounds"])
        let a = try #require(ours.fitReport["best_validation_logloss"]?.number)
        let b = try #require(theirs.fitReport["best_validation_logloss"]?.number)
        #expect(abs(a - b) < 1e-6, "\(a) vs \(b)")
    }

    @Test func treesDoNotDependOnTheThreadCount() throws {
        let (X, y) = Self.problem(n: 5_000, seed: 4)
        var models: [GradientBoostedModel] = []
        for threads in [1, 2, 3] {
            let m = try gbdt(["rounds": .number(12), "subsample": .number(0.8), "colsample_bytree": .number(0.7), "nthread": .number(Double(threads))])
            m.threadSchedule = { round, _ in round < 0 ? 1 : threads }
            try m.fit(X, labels: y, weights: nil)
            models.append(m)
        }
        #expect(try Self.trees(models[0]).isEqual(Self.trees(models[1])))
        #expect(try Self.trees(models[0]).isEqual(Self.trees(models[2])))
    }

    @Test func trainingPredictionsAreThoseOfTheTrees() throws {
        let (X, y) = Self.problem(n: 1_500, seed: 6)
        let m = try gbdt(["rounds": .number(20), "nthread": .number(1)])
        m.keepsTrainingPredictions = true
        try m.fit(X, labels: y, weights: nil)
        let kept = try #require(m.trainingPredictions)
        let predicted = try m.booster!.predict(XGMatrix(X, rows: 0..<X.rows, threads: 1), rows: X.rows)
        #expect(kept == predicted)
    }

    @Test func aSmallHistogramBudgetGrowsTheSameShapes() throws {
        // beyond the budget parents give up their histograms and children are summed from rows:
        // the same splits, sums equal up to rounding
        let (X, y) = Self.problem(n: 4_000, seed: 12)
        let settings = HistogramTrees.Settings(eta: 0.3, maxDepth: 0, lossGuide: true, maxLeaves: 40, minChildWeight: 0.5)
        let labels = y[...]
        let roomy = try HistogramTrees(columns: X.columns, names: X.names, rows: 0..<X.rows, labels: labels, weights: nil, maxBin: 32, settings: settings)
        let tight = try HistogramTrees(columns: X.columns, names: X.names, rows: 0..<X.rows, labels: labels, weights: nil, maxBin: 32, settings: settings,
                                       histogramBudget: 3)
        for _ in 0..<5 {
            let a = roomy.boost(threads: 2), b = tight.boost(threads: 2)
            #expect(a.left == b.left && a.feature == b.feature && a.split.count == b.split.count)
        }
        for (a, b) in zip(roomy.margins, tight.margins) { #expect(abs(a - b) < 1e-5) }
    }

    @Test func infiniteValuesAreRefusedByName() throws {
        var (X, y) = Self.problem(n: 200, seed: 1)
        X.columns[4][17] = .infinity
        let m = try gbdt(["rounds": .number(2), "nthread": .number(1)])
        let e = #expect(throws: RallyError.self) { try m.fit(X, labels: y, weights: nil) }
        #expect(e?.message == "gbdt: feature 'gappy' is inf at row 18, which is infinite as a 32-bit float; use NaN for missing values")
        X.columns[4][17] = 1e39
        let f = #expect(throws: RallyError.self) { try m.fit(X, labels: y, weights: nil) }
        #expect(f?.message.contains("is 1e+39 at row 18") == true)
    }

    @Test func cutsEqualXGBoostsOnASmallColumn() {
        // 5 distinct values, max_bin 3: XGBoost's rule keeps the 2nd and 3rd summary values and
        // a last cut just above the maximum
        let cuts = HistogramCuts(columns: [[4, 1, 2, 2, 3, 5, .nan]], weights: nil, maxBin: 3)
        #expect(cuts.pointers == [0, 3])
        #expect(cuts.values.count == 3)
        #expect(cuts.values.last == Float(5) + (5 + 1e-5))
        #expect(cuts.minimums == [Float(1) - 1 - 1e-5])
        // NaN in the slot after the last bin, a value above the last cut in the last bin
        let binned = BinnedColumns(columns: [[.nan, 100, 1]], cuts: cuts)
        #expect(binned.byFeature == [3, 2, 0])
        #expect(binned.missingIn == [true])
    }

    @Test(arguments: [0, 1, 2, 64, 65, 3_000, 20_000]) func sketchSortIsAStableSortByValue(count: Int) {
        // ties, -0 beside +0, negatives, tiny and huge magnitudes; weights tell equal values apart
        var generator = Xoshiro256StarStar(seed: UInt64(count) + 5)
        let pool: [Float] = [-0.0, 0.0, -1.5, 1.5, 3, -3e30, 3e30, Float(bitPattern: 0x1000), -Float(bitPattern: 0x1000), 7]  // two subnormals
        let queue = (0..<count).map { i -> (value: Float, weight: Float) in
            let r = generator.next()
            let value = r % 3 == 0 ? pool[Int(r >> 8) % pool.count] : Float(Int64(bitPattern: r >> 1) % 10_000) / 7
            return (value, Float(i))
        }
        var ours = queue
        QuantileSketch.sortByValue(&ours)
        // the reference: stable by construction (position breaks ties)
        let reference = queue.enumerated().sorted { a, b in
            a.element.value < b.element.value || (!(b.element.value < a.element.value) && a.offset < b.offset)
        }.map(\.element)
        #expect(ours.map(\.value.bitPattern) == reference.map(\.value.bitPattern))
        #expect(ours.map(\.weight) == reference.map(\.weight))
    }

    @Test func binSearchFindsTheFirstCutAboveTheValue() {
        var generator = Xoshiro256StarStar(seed: 11)
        for count in [1, 2, 3, 7, 8, 255, 256] {
            let cuts = (0..<count).map { Float($0 * 2) }
            for _ in 0..<500 {
                let value = Float(Int(generator.next() % UInt64(2 * count + 4))) - 2 + (generator.next() % 2 == 0 ? 0 : 0.5)
                let expected = min(cuts.firstIndex { $0 > value } ?? count - 1, count - 1)
                let found = cuts.withUnsafeBufferPointer { HistogramCuts.bin(value, among: $0) }
                #expect(found == expected, "value \(value) among \(count) cuts")
            }
        }
    }

    /// The eight-at-a-time binning gives each value the scalar search's bin, NaN the missing
    /// slot, for lengths that are and are not multiples of eight.
    @Test func batchBinningMatchesOneValueAtATime() {
        var generator = Xoshiro256StarStar(seed: 12)
        for count in [1, 2, 5, 128] {
            let cuts = (0..<count).map { Float($0 * 2) }
            for length in [0, 1, 7, 8, 9, 64, 203] {
                let values: [Float] = (0..<length).map { _ in
                    generator.next() % 9 == 0 ? .nan : Float(Int(generator.next() % UInt64(2 * count + 4))) - 2 + (generator.next() % 2 == 0 ? 0 : 0.5)
                }
                var out = [UInt16](repeating: 7_777, count: length)
                let missing = cuts.withUnsafeBufferPointer { c in
                    values.withUnsafeBufferPointer { v in
                        out.withUnsafeMutableBufferPointer { HistogramCuts.bins(of: v, among: c, missing: UInt16(count), into: $0.baseAddress!) }
                    }
                }
                let expected = values.map { v in
                    v.isNaN ? UInt16(count) : UInt16(cuts.withUnsafeBufferPointer { HistogramCuts.bin(v, among: $0) })
                }
                #expect(out == expected, "\(length) values among \(count) cuts")
                #expect(missing == values.contains { $0.isNaN })
            }
        }
    }
}

/// The fit's helper threads: every share of every step runs exactly once, whether the helpers
/// were spinning or had gone to sleep between steps.
struct WorkerTeamTests {
    final class Counts: @unchecked Sendable {
        // @unchecked: each worker adds to its own slot only, and the team returns after all finish
        var values = [Int](repeating: 0, count: 4)
    }

    @Test func everyShareRunsOncePerStep() {
        let team = WorkerTeam(threads: 3)
        defer { team.stop() }
        let counts = Counts()
        counts.values.withUnsafeMutableBufferPointer { slots in
            nonisolated(unsafe) let slots = slots
            for step in 0..<2_000 {
                team.run(step % 4 == 0 ? 2 : 3) { w in slots[w] += 1 }
                // now and then a pause longer than the helpers spin, so they sleep and are woken
                if step % 500 == 0 { usleep(20_000) }
            }
        }
        #expect(counts.values == [2_000, 2_000, 1_500, 0])
        #expect(team.capacity == 3)
    }
}
