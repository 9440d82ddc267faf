import Dispatch
import Foundation
import Synchronization
import Testing
@testable import RallyEngine

@Test func builtInKindsAreListedInOrder() {
    #expect(ModelKind.builtInNames == ["naive", "climatology", "logreg", "gbdt"])
}

@Test func specFillsDefaultsInDeclarationOrder() throws {
    let spec = try ModelSpec(kind: "gbdt", parameters: ["depth": .number(4), "rounds": .number(100)])
    #expect(spec.name == "gbdt")
    #expect(spec.parameters.names.prefix(3) == ["rounds", "eta", "max_depth"])
    #expect(spec.parameters["max_depth"] == .number(4))
    #expect(spec.summary == "gbdt rounds=100 eta=0.05 max_depth=4")
    #expect(try ModelSpec(kind: "logreg", name: "lr").parameters.json == #"{"C": 1, "class_weight": "none", "max_iter": 100, "tol": 1e-08}"#)
}

@Test func specRejectsUnknownKeysListingTheValidOnes() throws {
    #expect(throws: RallyError("model 'logreg': unknown parameter 'c'; valid parameters: C, class_weight, max_iter, tol")) {
        try ModelSpec(kind: "logreg", parameters: ["c": .number(1)])
    }
    #expect(throws: RallyError("unknown model 'xgb'; built-in models: naive, climatology, logreg, gbdt")) {
        try ModelSpec(kind: "xgb")
    }
}

@Test func specRejectsBadValues() throws {
    #expect(throws: RallyError("model 'logreg': parameter 'C': a number in (0, inf) expected, got -1")) {
        try ModelSpec(kind: "logreg", parameters: ["C": .number(-1)])
    }
    #expect(throws: RallyError("model 'gbdt': parameter 'rounds': an integer in [1, 100000] expected, got 2.5")) {
        try ModelSpec(kind: "gbdt", parameters: ["rounds": .number(2.5)])
    }
    #expect(throws: RallyError(#"model 'logreg': parameter 'class_weight': one of "none", "balanced" expected, got "auto""#)) {
        try ModelSpec(kind: "logreg", parameters: ["class_weight": .string("auto")])
    }
    #expect(throws: RallyError("model 'gbdt': parameter 'eta': number expected, got string")) {
        try ModelSpec(kind: "gbdt", parameters: ["eta": .string("0.1")])
    }
    #expect(throws: RallyError("model 'gbdt': parameter 'max_depth' given twice (as 'max_depth' and 'depth')")) {
        try ModelSpec(kind: "gbdt", parameters: ["max_depth": .number(3), "depth": .number(4)])
    }
}

@Test func naivePredictsTheConditionalBaseRate() throws {
    let X = DesignMatrix(names: ["gap_to_thr"], columns: [[0.5, 0.9, 1.2, 1.5, 0.7, 2.0, 0.8, 1.0]])
    let y: [Double] = [0, 1, 1, 0, 0, 1, 0, 0]
    let m = try ModelSpec(kind: "naive").make()
    try m.fit(X, labels: y, weights: nil)
    // at or below 1: rows 1,2,5,7,8 -> 1 of 5; above 1: rows 3,4,6 -> 2 of 3
    let expected: [Double] = [0.2, 0.2, 2.0 / 3]
    #expect(try m.predict(DesignMatrix(names: ["gap_to_thr"], columns: [[0.1, 1.0, 1.01]])) == expected)
    let cut = try ModelSpec(kind: "naive", parameters: ["feature": .string("x"), "cut": .number(0)]).make()
    #expect(throws: RallyError("naive: feature 'x' is not in X (features: gap_to_thr)")) { try cut.fit(X, labels: y, weights: nil) }
}

@Test func naiveUsesTheOverallRateForAnEmptySide() throws {
    let X = DesignMatrix(names: ["gap_to_thr"], columns: [[0.5, 0.9, 0.2, 0.7]])
    let m = try ModelSpec(kind: "naive").make()
    try m.fit(X, labels: [0, 1, 0, 0], weights: nil)
    #expect(try m.predict(DesignMatrix(names: ["gap_to_thr"], columns: [[3]])) == [0.25])
    #expect(m.fitReport["empty_side"] == .string("above"))
}

@Test func climatologyRatesByHourAndMonthWithFallbacks() throws {
    // hour 0 of January: 1 of 2; hour 1 of January: 0 of 1; nothing in February.
    let X = DesignMatrix(names: ["hour", "month"], columns: [[0, 0, 1], [1, 1, 1]])
    let m = try ModelSpec(kind: "climatology").make()
    try m.fit(X, labels: [1, 0, 0], weights: nil)
    let p = try m.predict(DesignMatrix(names: ["hour", "month"], columns: [[0, 1, 5, 0], [1, 1, 1, 2]]))
    let third = 1.0 / 3
    let expected: [Double] = [0.5, 0, third, third] // hour 5 of January: January's rate; February: overall rate
    #expect(p == expected)
    #expect(m.fitReport["cells_from_month"] == .number(22))
    #expect(m.fitReport["cells_from_overall"] == .number(264))
    #expect(throws: RallyError("climatology: feature 'hour' is 24 at row 1; expected a whole number 0-23")) {
        try m.predict(DesignMatrix(names: ["hour", "month"], columns: [[24], [1]]))
    }
}

@Test(arguments: ["naive", "climatology", "logreg", "gbdt"])
func everyModelChecksLabelsAndShapes(kind: String) throws {
    let X = DesignMatrix(names: ["gap_to_thr", "hour", "month"], columns: [[0.5, 1.5, 2, 0.1], [0, 1, 2, 3], [1, 1, 2, 2]])
    let m = try ModelSpec(kind: kind, parameters: kind == "gbdt" ? ["nthread": .number(1), "rounds": .number(3)] : [:]).make()
    #expect(throws: RallyError("\(kind): 3 labels for 4 rows of X; expected one label per row")) {
        try m.fit(X, labels: [0, 1, 0], weights: nil)
    }
    #expect(throws: RallyError("\(kind): the training labels are all 0 (4 rows); fitting needs both classes")) {
        try m.fit(X, labels: [0, 0, 0, 0], weights: nil)
    }
    #expect(throws: RallyError("\(kind): label 2 is 2; labels must be 0 or 1")) {
        try m.fit(X, labels: [0, 2, 0, 1], weights: nil)
    }
    #expect(throws: RallyError("\(kind): label 3 is nan; labels must be 0 or 1")) {
        try m.fit(X, labels: [0, 1, .nan, 1], weights: nil)
    }
    #expect(throws: RallyError("\(kind): 2 weights for 4 rows of X; expected one weight per row")) {
        try m.fit(X, labels: [0, 1, 0, 1], weights: [1, 1])
    }
    #expect(throws: RallyError("\(kind): weight 4 is -1; weights must be finite and >= 0")) {
        try m.fit(X, labels: [0, 1, 0, 1], weights: [1, 1, 1, -1])
    }
    #expect(throws: RallyError("\(kind): the model is not fitted; call fit(X, y) first")) { try m.predict(X) }
    #expect(!m.isFitted)
    try m.fit(X, labels: [0, 1, 0, 1], weights: [1, 2, 1, 1])
    #expect(m.isFitted)
    let p = try m.predict(X)
    #expect(p.count == 4 && p.allSatisfy { $0 >= 0 && $0 <= 1 })
    #expect(!m.describe().isEmpty)
}

@Test(arguments: ["naive", "climatology", "logreg"])
func saveThenLoadPredictsTheSame(kind: String) throws {
    var (X, y) = RandomProblem.make(n: 500, seed: 21)
    X.names = ["gap_to_thr", "x"]
    X.columns[0] = X.columns[0].map { $0 * 2 }
    X.names += ["hour", "month"]
    X.columns += [(0..<500).map { Double($0 % 24) }, (0..<500).map { Double($0 % 12 + 1) }]
    let m = try ModelSpec(kind: kind).make()
    try m.fit(X, labels: y, weights: nil)
    let path = scratchPath("\(kind).json")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try m.save(to: path)
    let loaded = try ModelFile.load(from: path)
    #expect(loaded.kind == kind)
    #expect(loaded.parameters == m.parameters)
    #expect(try loaded.predict(X) == m.predict(X))
    // the same model saves to the same bytes
    let again = scratchPath("\(kind)-again.json")
    defer { try? FileManager.default.removeItem(atPath: again) }
    try loaded.save(to: again)
    #expect(FileManager.default.contents(atPath: path) == FileManager.default.contents(atPath: again))
}

@Test func loadReportsUnreadableFiles() throws {
    let path = scratchPath("garbage.json")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data("{\"format\": \"csv\"}".utf8).write(to: URL(fileURLWithPath: path))
    let e = #expect(throws: RallyError.self) { try ModelFile.load(from: path) }
    #expect(e?.message == "'\(path)' is not a rally model file (no field 'version')")
    func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return (error as? RallyError)?.message ?? "\(error)" }
    }
    try Data("root:x:0:0:root:/root:/bin/bash\n".utf8).write(to: URL(fileURLWithPath: path))
    #expect(message { try ModelFile.load(from: path) } == "'\(path)' is not a rally model file (not JSON)")
    try Data("{\"format\": \"rally-model\", \"version\": \"one\"}".utf8).write(to: URL(fileURLWithPath: path))
    #expect(message { try ModelFile.load(from: path) } == "'\(path)' is not a rally model file (field 'version' has the wrong type)")
    #expect(message { try ModelFile.load(from: path + ".absent") } == "cannot read model file '\(path).absent': No such file or directory")
    #expect(message { try ModelFile.load(from: NSTemporaryDirectory()) } == "cannot read model file '\(NSTemporaryDirectory())': Is a directory")
    #expect(message { try ModelFile.load(from: "") } == "cannot read model file '': the path is empty")
}

@Test func saveReportsThePathAndTheReason() throws {
    let m = try ModelSpec(kind: "naive", parameters: ["feature": .string("x")]).make()
    let X = DesignMatrix(names: ["x"], columns: [[0, 2, 0, 2]])
    try m.fit(X, labels: [0, 1, 0, 1], weights: nil)
    func message(_ path: String) -> String {
        do { try m.save(to: path); return "no error" } catch { return (error as? RallyError)?.message ?? "\(error)" }
    }
    #expect(message("") == "naive: cannot write '': the path is empty")
    #expect(message("/nonexistent-rally-dir/m.json") == "naive: cannot write '/nonexistent-rally-dir/m.json': No such file or directory")
    #expect(message(NSTemporaryDirectory()) == "naive: cannot write '\(NSTemporaryDirectory())': Is a directory")
}

@Test func parameterMessagesNameInfinityAndNaN() throws {
    func message(_ kind: String, _ parameters: ModelParameters) -> String {
        do { _ = try ModelSpec(kind: kind, parameters: parameters); return "no error" } catch { return (error as? RallyError)?.message ?? "\(error)" }
    }
    #expect(message("logreg", ["C": .number(.infinity)]) == "model 'logreg': parameter 'C': a number in (0, inf) expected, got inf")
    #expect(message("logreg", ["C": .number(.nan)]) == "model 'logreg': parameter 'C': a number in (0, inf) expected, got nan")
    #expect(message("naive", ["cut": .number(-.infinity)]) == "model 'naive': parameter 'cut': a finite number expected, got -inf")
    #expect(message("gbdt", ["rounds": .number(.nan)]) == "model 'gbdt': parameter 'rounds': an integer in [1, 100000] expected, got nan")
    #expect(message("gbdt", ["validation_fraction": .number(0.2)])
            == "model 'gbdt': parameter 'validation_fraction' needs early_stopping_rounds > 0 (it has no effect otherwise)")
    #expect(message("gbdt", ["validation_fraction": .number(0.2), "early_stopping_rounds": .number(0)])
            == "model 'gbdt': parameter 'validation_fraction' needs early_stopping_rounds > 0 (it has no effect otherwise)")
    #expect(message("gbdt", ["validation_fraction": .number(0.3), "early_stopping_rounds": .number(5)]) == "no error")
    #expect((try? ModelSpec(kind: "gbdt", name: "")) == nil)
}

@Test func specsMakeModelsThatFitOnTwoThreadsAtOnce() throws {
    let (X, y) = RandomProblem.make(n: 12_000, seed: 3)
    let specs = [try ModelSpec(kind: "logreg"), try ModelSpec(kind: "gbdt", parameters: ["rounds": .number(20), "nthread": .number(1)])]
    let results = Mutex<[[Double]?]>([nil, nil])
    let errors = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: 4) { k in
        do {
            let model = try specs[k % 2].make()
            try model.fit(X, labels: y, weights: nil)
            let p = try model.predict(X)
            results.withLock { r in
                if let earlier = r[k % 2], earlier != p { errors.withLock { $0.append("run \(k) differs") } }
                r[k % 2] = p
            }
        } catch {
            errors.withLock { $0.append("\(error)") }
        }
    }
    #expect(errors.withLock { $0 } == [])
    #expect(results.withLock { $0.allSatisfy { $0?.count == 12_000 } })
}
