import Foundation
import Testing
@testable import RallyEngine

/// gbdt predicts through ``TreeForest``; these tests hold the forest to XGBoost's own predictor
/// bit for bit, and its model reader to refusing what it cannot lay out.
@Suite struct TreeForestTests {
    /// A problem with more features, ties (rounded values) and, when asked, NaN (missing) values.
    private func problem(n: Int, seed: UInt64, missing: Bool) -> (X: DesignMatrix, y: [Double]) {
        let (base, y) = RandomProblem.make(n: n, seed: seed)
        var columns = base.columns
        columns.append(base.columns[0].map { ($0 * 20).rounded() / 20 })
        columns.append(zip(base.columns[0], base.columns[1]).map { $0 * $1 - 0.25 })
        if missing {
            for i in stride(from: 0, to: n, by: 7) { columns[0][i] = .nan }
            for i in stride(from: 3, to: n, by: 11) { columns[3][i] = .nan }
        }
        return (DesignMatrix(names: ["a", "b", "a_rounded", "ab"], columns: columns), y)
    }

    /// XGBoost's prediction of every row of `X` by `model`.
    private func xgboost(_ model: GradientBoostedModel, _ X: DesignMatrix) throws -> [Double] {
        let booster = try #require(try model.booster)
        return try booster.predict(XGMatrix(X, rows: 0..<X.rows, threads: 1), rows: X.rows)
    }

    private func forest(_ model: GradientBoostedModel, features: Int) throws -> TreeForest {
        let booster = try #require(try model.booster)
        return try #require(TreeForest(ubj: try booster.ubjModel(), features: features))
    }

    @Test func forestEqualsXGBoostToTheLastBit() throws {
        let settings: [ModelParameters] = [
            ["rounds": .number(80), "nthread": .number(1)],
            ["rounds": .number(40), "max_depth": .number(10), "subsample": .number(0.8), "colsample_bytree": .number(0.6), "nthread": .number(2)],
            ["rounds": .number(30), "grow_policy": .string("lossguide"), "max_leaves": .number(12), "max_depth": .number(0), "nthread": .number(1)],
            ["rounds": .number(20), "max_depth": .number(1), "eta": .number(0.3), "nthread": .number(1)],
        ]
        for (k, parameters) in settings.enumerated() {
            for missing in [false, true] {
                let (X, y) = problem(n: 3_000, seed: UInt64(30 + k), missing: missing)
                let m = try gbdt(parameters)
                try m.fit(X, labels: y, weights: nil)
                let reference = try xgboost(m, X)
                // rows not a multiple of the eight lanes, and every thread count
                for threads in [1, 2, 3] {
                    let p = try #require(try forest(m, features: 4).predict(X, threads: threads))
                    #expect(p.map(\.bitPattern) == reference.map(\.bitPattern), "setting \(k), missing \(missing), threads \(threads)")
                }
                let few = DesignMatrix(names: X.names, columns: X.columns.map { Array($0.prefix(13)) })
                #expect(try forest(m, features: 4).predict(few, threads: 2)?.map(\.bitPattern) == Array(reference.prefix(13)).map(\.bitPattern))
                // what the model itself predicts (the forest, checked on its first prediction)
                #expect(try m.predict(X).map(\.bitPattern) == reference.map(\.bitPattern))
            }
        }
    }

    @Test func aLoadedModelPredictsTheSameThroughTheForest() throws {
        let (X, y) = problem(n: 2_000, seed: 41, missing: true)
        let m = try gbdt(["rounds": .number(25), "nthread": .number(1)])
        try m.fit(X, labels: y, weights: nil)
        let path = scratchPath("forest.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try m.save(to: path)
        let loaded = try #require(try ModelFile.load(from: path) as? GradientBoostedModel)
        #expect(try loaded.predict(X).map(\.bitPattern) == xgboost(m, X).map(\.bitPattern))
    }

    /// Trees rally grew are predicted and ranked without XGBoost: the forest's first prediction is
    /// checked against the trainer's own margins, and the booster is made only when asked for.
    /// With early stopping (margins of rounds the model drops) the check is XGBoost's.
    @Test func aFitAndItsPredictionsNeedNoBooster() throws {
        let (X, y) = problem(n: 2_500, seed: 45, missing: true)
        let m = try gbdt(["rounds": .number(30), "nthread": .number(2)])
        try m.fit(X, labels: y, weights: nil)
        let p = try m.predict(X)
        _ = try m.importance(type: "gain")
        #expect(!m.boosterIsLoaded)
        #expect(p.map(\.bitPattern) == (try xgboost(m, X)).map(\.bitPattern))
        #expect(m.boosterIsLoaded)
        let stopping = try gbdt(["rounds": .number(60), "nthread": .number(1), "early_stopping_rounds": .number(5)])
        try stopping.fit(X, labels: y, weights: nil)
        let q = try stopping.predict(X)
        #expect(stopping.boosterIsLoaded)
        #expect(q.map(\.bitPattern) == (try xgboost(stopping, X)).map(\.bitPattern))
    }

    @Test func infiniteValuesAreLeftToXGBoost() throws {
        let (X, y) = problem(n: 500, seed: 43, missing: false)
        let m = try gbdt(["rounds": .number(5), "nthread": .number(1)])
        try m.fit(X, labels: y, weights: nil)
        var bad = X
        bad.columns[1][17] = .infinity
        #expect(try forest(m, features: 4).predict(bad, threads: 1) == nil)
        #expect(try forest(m, features: 4).predict(DesignMatrix(names: ["a"], columns: [[1]]), threads: 1) == nil)
    }

    @Test func malformedModelsAreRefused() throws {
        let (X, y) = problem(n: 500, seed: 44, missing: false)
        let m = try gbdt(["rounds": .number(5), "nthread": .number(1)])
        try m.fit(X, labels: y, weights: nil)
        let booster = try #require(try m.booster)
        let data = try booster.ubjModel()
        #expect(TreeForest(ubj: data, features: 4) != nil)
        // fewer features than the splits name, truncated documents, trailing bytes, not UBJSON
        #expect(TreeForest(ubj: data, features: 1) == nil)
        for cut in [1, 2, 10, data.count / 3, data.count / 2, data.count - 1] {
            #expect(TreeForest(ubj: data.prefix(cut), features: 4) == nil)
        }
        #expect(TreeForest(ubj: data + Data([0x5A]), features: 4) == nil)
        #expect(TreeForest(ubj: try booster.jsonModel(), features: 4) == nil)
        #expect(TreeForest(ubj: Data(), features: 4) == nil)
        // containers nested deeper than the reader's bound
        #expect(UBJSON.parse(UnsafeRawBufferPointer(start: nil, count: 0)) == nil)
        let deep = Data(repeating: UInt8(ascii: "["), count: 100) + Data(repeating: UInt8(ascii: "]"), count: 100)
        #expect(deep.withUnsafeBytes { UBJSON.parse($0) } == nil)
    }
}
