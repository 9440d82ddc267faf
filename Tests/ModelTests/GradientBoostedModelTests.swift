import Foundation
import Testing
@testable import RallyEngine

func gbdt(_ parameters: ModelParameters = [:]) throws -> GradientBoostedModel {
    try #require(try ModelSpec(kind: "gbdt", parameters: parameters).make() as? GradientBoostedModel)
}

/// A scratch file path unique to one test.
func scratchPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("rally-model-tests-\(ProcessInfo.processInfo.processIdentifier)-\(name)").path
}

@Test func gbdtSeparatesSeparableData() throws {
    let x = (0..<400).map { Double($0) }
    let y = x.map { $0 >= 200 ? 1.0 : 0.0 }
    let m = try gbdt(["rounds": .number(50), "eta": .number(0.3), "nthread": .number(1)])
    try m.fit(DesignMatrix(names: ["x"], columns: [x]), labels: y, weights: nil)
    let p = try m.predict(DesignMatrix(names: ["x"], columns: [[10, 190, 210, 390]]))
    #expect(p[0] < 0.05 && p[1] < 0.05 && p[2] > 0.95 && p[3] > 0.95)
    #expect(m.fitReport["rounds"] == .number(50))
}

@Test func gbdtIsDeterministicForASeedAndTwoThreads() throws {
    let (X, y) = RandomProblem.make(n: 3_000, seed: 11)
    let parameters: ModelParameters = ["rounds": .number(40), "subsample": .number(0.7), "colsample_bytree": .number(0.5),
                                       "seed": .number(3), "nthread": .number(2)]
    let a = try gbdt(parameters), b = try gbdt(parameters), c = try gbdt((["seed": .number(4)] as ModelParameters).merging(parameters))
    try a.fit(X, labels: y, weights: nil)
    try b.fit(X, labels: y, weights: nil)
    try c.fit(X, labels: y, weights: nil)
    #expect(try a.predict(X) == b.predict(X))
    #expect(try a.predict(X) != c.predict(X))
}

@Test func gbdtTreatsNaNAsMissing() throws {
    var (X, y) = RandomProblem.make(n: 1_000, seed: 5)
    for i in stride(from: 0, to: 1_000, by: 7) { X.columns[0][i] = .nan }
    let m = try gbdt(["rounds": .number(20), "nthread": .number(1)])
    try m.fit(X, labels: y, weights: nil)
    let p = try m.predict(X)
    #expect(p.allSatisfy { $0.isFinite && $0 > 0 && $0 < 1 })
}

@Test func gbdtSaveThenLoadPredictsTheSame() throws {
    let (X, y) = RandomProblem.make(n: 2_000, seed: 9)
    let m = try gbdt(["rounds": .number(30), "max_depth": .number(4), "nthread": .number(1)])
    try m.fit(X, labels: y, weights: nil)
    let path = scratchPath("gbdt.json")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try m.save(to: path)
    let loaded = try ModelFile.load(from: path)
    #expect(loaded.kind == "gbdt")
    #expect(loaded.parameters == m.parameters)
    #expect(loaded.fitReport == m.fitReport)
    #expect(try loaded.predict(X) == m.predict(X))
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(text.hasPrefix("{\"learner\""))
}

@Test func gbdtStopsEarlyOnTheValidationSlice() throws {
    let (X, y) = RandomProblem.make(n: 3_000, seed: 13)
    let m = try gbdt(["rounds": .number(2_000), "eta": .number(0.3), "early_stopping_rounds": .number(10),
                      "validation_fraction": .number(0.25), "nthread": .number(1)])
    try m.fit(X, labels: y, weights: nil)
    let best = try #require(m.fitReport["best_iteration"]?.number)
    #expect(best < 2_000)
    #expect(m.fitReport["rounds"] == .number(best))
    #expect(m.fitReport["validation_rows"] == .number(750))
    #expect(m.fitReport["train_rows"] == .number(2_250))
}

@Test func gbdtImportanceByGainNamesEveryFeature() throws {
    var (X, y) = RandomProblem.make(n: 2_000, seed: 17)
    X.names.append("constant")
    X.columns.append([Double](repeating: 1, count: 2_000))
    let m = try gbdt(["rounds": .number(20), "nthread": .number(1)])
    try m.fit(X, labels: y, weights: nil)
    let importance = try m.importance(type: "gain")
    #expect(importance.map(\.feature) == ["a", "b", "constant"])
    #expect(importance[0].score > 0 && importance[1].score > 0)
    #expect(importance[2].score == 0)
    #expect(throws: RallyError.self) { try m.importance(type: "shap") }
}

/// rally computes the importance of the trees it grew as XGBoost 1.7 does, to the last bit, for
/// every measure: same splits counted, same Float sums in the same order.
@Test func gbdtImportanceOfGrownTreesIsXGBoosts() throws {
    var (X, y) = RandomProblem.make(n: 3_000, seed: 18)
    X.names += ["ab", "constant"]
    X.columns += [zip(X.columns[0], X.columns[1]).map { $0 * $1 }, [Double](repeating: 1, count: 3_000)]
    let settings: [ModelParameters] = [
        ["rounds": .number(40), "nthread": .number(2)],
        ["rounds": .number(25), "grow_policy": .string("lossguide"), "max_leaves": .number(9), "max_depth": .number(0), "nthread": .number(1)],
        ["rounds": .number(15), "max_depth": .number(9), "subsample": .number(0.7), "colsample_bytree": .number(0.7), "nthread": .number(1)],
    ]
    for parameters in settings {
        let m = try gbdt(parameters)
        try m.fit(X, labels: y, weights: nil)
        for type in GradientBoostedModel.importanceTypes {
            let ours = try m.importance(type: type)
            let booster = try #require(try m.booster)
            let xgboost = try booster.featureScores(type: type, names: X.names)
            #expect(ours.map(\.feature) == X.names)
            #expect(ours.map { $0.score.bitPattern } == X.names.map { (xgboost[$0] ?? 0).bitPattern }, "\(type), \(parameters)")
        }
    }
}

@Test func gbdtSurfacesXGBoostErrors() throws {
    var (bad, y) = RandomProblem.make(n: 200, seed: 1)
    bad.columns[1][17] = .infinity
    let m = try gbdt(["rounds": .number(2), "nthread": .number(1), "trainer": .string("xgboost")])
    let e = #expect(throws: RallyError.self) { try m.fit(bad, labels: y, weights: nil) }
    #expect(e?.message.hasPrefix("gbdt: XGBoost failed to create a DMatrix: ") == true)
    #expect(e?.message.contains("inf") == true)
}

extension ModelParameters {
    /// These parameters with `other`'s values added where a name is new.
    func merging(_ other: ModelParameters) -> ModelParameters {
        var out = self
        for p in other where out[p.name] == nil { out[p.name] = p.value }
        return out
    }
}

@Test func gbdtTrainingPredictionsFromTheFitEqualPredictingTheRows() throws {
    // XGBoost's prediction cache of the training matrix against a fresh prediction, bit for bit:
    // NaN (missing) values, subsampling, weights, two threads, and a thread change mid-fit
    var (X, y) = RandomProblem.make(n: 4_000, seed: 21)
    for i in stride(from: 0, to: 4_000, by: 5) { X.columns[1][i] = .nan }
    let weights = (0..<4_000).map { Double($0 % 3 + 1) }
    let cases: [(ModelParameters, [Double]?)] = [
        (["rounds": .number(60), "nthread": .number(2)], nil),
        (["rounds": .number(40), "subsample": .number(0.7), "max_depth": .number(8), "nthread": .number(1)], weights),
    ]
    for (parameters, w) in cases {
        let m = try gbdt(parameters)
        m.keepsTrainingPredictions = true
        m.threadSchedule = { round, requested in round >= 20 ? 1 : requested }
        try m.fit(X, labels: y, weights: w)
        let kept = try #require(m.trainingPredictions)
        let fresh: [Double] = try m.predict(X)
        #expect(kept.map { $0.bitPattern } == fresh.map { $0.bitPattern })
    }
    // not asked for, or early stopping (trained on part of the rows): none kept
    let plain = try gbdt(["rounds": .number(10), "nthread": .number(1)])
    try plain.fit(X, labels: y, weights: nil)
    #expect(plain.trainingPredictions == nil)
    let stopped = try gbdt(["rounds": .number(50), "early_stopping_rounds": .number(5), "nthread": .number(1)])
    stopped.keepsTrainingPredictions = true
    try stopped.fit(X, labels: y, weights: nil)
    #expect(stopped.trainingPredictions == nil)
}
