import Foundation
import Testing
@testable import RallyEngine

/// Kinds registered from a script: declared with the built-ins' rules and messages.
@Test func scriptedKindsResolveParametersByTheBuiltInsRules() throws {
    let kind = ModelKind(scripted: "mean_rate", doc: "a rate", parameters: [
        try ModelKind.scriptedParameter("k", default: .number(3), min: 1, max: 10, integer: true),
        try ModelKind.scriptedParameter("mode", default: .string("mean"), choices: ["mean", "median"]),
        try ModelKind.scriptedParameter("prior", default: .number(0.5)),
        try ModelKind.scriptedParameter("weight", default: .number(0), min: 0, doc: "pseudo-count"),
    ])
    #expect(try kind.resolve(["prior": .number(0.25)]).json == #"{"k": 3, "mode": "mean", "prior": 0.25, "weight": 0}"#)
    #expect(kind.summary(of: try kind.resolve([:])) == "k=3 mode=mean prior=0.5 weight=0")
    #expect(throws: RallyError("model 'mean_rate': parameter 'prior': a finite number expected, got nan")) {
        try kind.resolve(["prior": .number(.nan)])
    }
    #expect(throws: RallyError("model 'mean_rate': parameter 'k': an integer in [1, 10] expected, got 11")) {
        try kind.resolve(["k": .number(11)])
    }
    #expect(throws: RallyError("model 'mean_rate': parameter 'weight': a number in [0, inf) expected, got -1")) {
        try kind.resolve(["weight": .number(-1)])
    }
    #expect(throws: RallyError(#"model 'mean_rate': parameter 'mode': one of "mean", "median" expected, got "max""#)) {
        try kind.resolve(["mode": .string("max")])
    }
    #expect(throws: RallyError("model 'mean_rate': unknown parameter 'wieght'; valid parameters: k, mode, prior, weight")) {
        try kind.resolve(["wieght": .number(1)])
    }
    #expect(throws: RallyError("model 'mean_rate' is written in Lua; make it with rally.model.new")) { try kind.make([:]) }
    let bare = ModelKind(scripted: "flat", doc: "", parameters: [])
    #expect(throws: RallyError("model 'flat': unknown parameter 'x'; valid parameters: (none; declare them in params = {...} when registering)")) {
        try bare.resolve(["x": .number(1)])
    }
}

@Test func scriptedParameterDeclarationsAreChecked() throws {
    func message(_ body: () throws -> ParameterDefinition) -> String {
        do { _ = try body(); return "no error" } catch { return (error as? RallyError)?.message ?? "\(error)" }
    }
    #expect(message { try ModelKind.scriptedParameter("p", default: .number(.infinity)) } ==
            "parameter 'p': default: a finite number expected, got inf")
    #expect(message { try ModelKind.scriptedParameter("p", default: .string("a"), min: 0) } ==
            "parameter 'p': min, max and integer need a number default, got a string")
    #expect(message { try ModelKind.scriptedParameter("p", default: .number(1), choices: ["a"]) } ==
            "parameter 'p': choices need a string default, got a number")
    #expect(message { try ModelKind.scriptedParameter("p", default: .number(1), min: 3, max: 2) } == "parameter 'p': min 3 is above max 2")
    #expect(message { try ModelKind.scriptedParameter("p", default: .number(0), min: 1) } ==
            "parameter 'p': default: a number in [1, inf) expected, got 0")
    #expect(message { try ModelKind.scriptedParameter("p", default: .number(2), min: 0.5, integer: true) } ==
            "parameter 'p': the limits of an integer must be whole numbers")
    #expect(throws: RallyError("'naive' is a built-in model; choose another name")) { try ModelKind.checkScriptedName("naive") }
    #expect(throws: RallyError("model names are letters, digits and '_', got 'a-b'")) { try ModelKind.checkScriptedName("a-b") }
    #expect(ModelKind.unknownModel("forest", registered: ["mine"]).message == "unknown model 'forest'; models: naive, climatology, logreg, gbdt, mine")
}

/// A rally model file as the code before issue 11's model vocabulary (ModelFileIO,
/// ModelRegistry) wrote it, keys sorted, still loads and predicts what it learnt.
@Test func aModelFileSavedBeforeTheRenamesStillLoads() throws {
    let text = #"{"features":["gap_to_thr"],"format":"rally-model","kind":"naive","parameters":{"cut":1,"feature":"gap_to_thr"},"report":{"empty_side":"none"},"state":{"rates":[0.2,0.6666666666666666]},"version":1}"#
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("rally-old-naive-\(ProcessInfo.processInfo.processIdentifier).json").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    let model = try ModelFile.load(from: path)
    #expect(model.kind == "naive" && model.isFitted)
    #expect(try model.predict(DesignMatrix(names: ["gap_to_thr"], columns: [[0.1, 1.01]])) == [0.2, 2.0 / 3])
    #expect(try ModelSpec(describing: model).summary == "naive")
}

/// X as a script passes it: rows of a feature matrix chosen by FeatureMatrix.rows(labeledBy:).
@Test func scriptInputChoosesTheLabelledUsableRows() throws {
    let fm = FeatureMatrix(names: ["a"], timestamps: [0, 1, 2, 3, 4], columns: [[.nan, 1, 2, 3, 4]])
    let input = TrainingData.Input(fm)
    #expect(input.X.rows == 4 && input.length == 5)
    // labels over the whole time index: usable rows whose label is defined
    let whole = try input.training(labels: [1, 0, .nan, 1, 0])
    #expect(whole.X.columns == [[1, 3, 4]] && whole.y == [0, 1, 0] && whole.at == [1, 3, 4])
    #expect(try input.weights([1, 2, 3, 4, 5], at: whole.at, labels: 5) == [2, 4, 5])
    #expect(throws: RallyError("2 weights for 5 labels")) { try input.weights([1, 2], at: whole.at, labels: 5) }
    // one label per usable row
    let perRow = try input.training(labels: [0, 1, 0, 1])
    #expect(perRow.X.rows == 4 && perRow.at == [0, 1, 2, 3])
    #expect(throws: RallyError("3 labels for 4 rows of X (4 usable of 5)")) { try input.training(labels: [0, 1, 0]) }
    #expect(input.spread([0.1, 0.2, 0.3, 0.4]).map { $0.isNaN ? -1 : $0 } == [-1, 0.1, 0.2, 0.3, 0.4])
    #expect(throws: RallyError("m predict: returned 1 probabilities for 2 rows")) { try TrainingData.checkPredictions(model: "m predict", [0.5], rows: 2) }
    #expect(throws: RallyError("m predict: value 2 is 1.5; probabilities must be in [0, 1]")) {
        try TrainingData.checkPredictions(model: "m predict", [0.5, 1.5], rows: 2)
    }
}

@Test func rankedImportanceIsHighestFirstAndOnlyForModelsThatRank() throws {
    let m = try ModelSpec(kind: "logreg").make()
    #expect(throws: RallyError("logreg: this model has no feature importance (gbdt has)")) { try m.rankedImportance(type: "gain") }
    let g = try ModelSpec(kind: "gbdt").make()
    #expect(throws: RallyError("gbdt: the model is not fitted; call fit(X, y) first")) { try g.rankedImportance(type: "gain") }
}
