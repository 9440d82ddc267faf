import Foundation
import Testing
@testable import RallyEngine

/// The gbdt model files of issue 12 that crashed, hung or corrupted XGBoost, each made from a
/// file `save` wrote: every one is now refused before XGBoost sees it, naming what is wrong.
@Suite struct ModelFileFuzzTests {
    /// A saved 3-round depth-3 gbdt model on 4 features, as JSON text.
    static let saved: String = {
        let x = (0..<300).map { Double($0) }
        let X = DesignMatrix(names: ["a", "b", "c", "d"], columns: [x, x.map { sin($0) }, x.map { Double(Int($0) % 7) }, x.map { -$0 }])
        let y = x.map { sin($0) + $0 / 300 > 0.8 ? 1.0 : 0.0 }
        let path = scratchPath("fuzz-seed.json")
        // a test setup failure shows as every test failing on an empty file
        if let m = try? gbdt(["rounds": .number(3), "max_depth": .number(3), "nthread": .number(1)]) {
            try? m.fit(X, labels: y, weights: nil)
            try? m.save(to: path)
        }
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }()

    /// The entries of the first array named `key` in the saved text (tree 0's, for tree fields).
    func entries(_ key: String) -> [String] {
        guard let open = Self.saved.range(of: "\"\(key)\":["), let close = Self.saved[open.upperBound...].firstIndex(of: "]") else { return [] }
        let inner = Self.saved[open.upperBound..<close]
        return inner.isEmpty ? [] : inner.split(separator: ",").map(String.init)
    }

    /// The saved text with the first array named `key` replaced by `values`.
    func replacing(_ key: String, with values: [String], in text: String = ModelFileFuzzTests.saved) -> String {
        guard let open = text.range(of: "\"\(key)\":["), let close = text[open.upperBound...].firstIndex(of: "]") else {
            Issue.record("no array '\(key)' in the saved model")
            return text
        }
        return String(text[..<open.upperBound]) + values.joined(separator: ",") + String(text[close...])
    }

    /// The saved text with entry `k` of the first array named `key` set to `value`.
    func setting(_ key: String, _ k: Int, to value: String, in text: String = ModelFileFuzzTests.saved) -> String {
        var values = entries(key)
        guard k < values.count else { Issue.record("'\(key)' has no entry \(k)"); return text }
        values[k] = value
        return replacing(key, with: values, in: text)
    }

    func load(_ name: String, _ text: String) -> String {
        let path = scratchPath(name)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try ModelFile.load(from: path)
            Issue.record("expected \(name) to be refused")
            return ""
        } catch {
            return (error as? RallyError)?.message ?? "\(error)"
        }
    }

    @Test func theSavedFileLoads() throws {
        let path = scratchPath("fuzz-ok.json")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(Self.saved.utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let m = try ModelFile.load(from: path)
        #expect(m.describe().contains("gbdt"))
        #expect(entries("left_children").count > 3)
    }

    @Test func anEmptySplitTypeIsRefused() {
        let n = entries("left_children").count
        let message = load("split-type.json", replacing("split_type", with: []))
        #expect(message.hasSuffix("not a valid gbdt model file: trees[0].split_type has 0 entries, expected \(n)"))
    }

    @Test func deepNestingIsRefused() {
        let text = "{\"learner\": " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        let message = load("nested.json", text)
        #expect(message.hasSuffix("not a valid gbdt model file: malformed JSON at byte 43: nested more than 32 levels deep"))
    }

    @Test func aChildOutOfRangeIsRefused() {
        let n = entries("left_children").count
        let message = load("right.json", setting("right_children", 0, to: "99999999"))
        #expect(message.hasSuffix("trees[0].right_children[0] = 99999999 is not a node of the tree (it has \(n) nodes)"))
    }

    @Test func aNegativeTreeInfoIsRefused() {
        let message = load("tree-info.json", replacing("tree_info", with: ["0", "-1", "0"]))
        #expect(message.hasSuffix("model.tree_info[1] = -1 is out of range (0...0)"))
    }

    @Test func aChildIndexBeyond32BitsIsRefused() {
        let message = load("left-4g.json", setting("left_children", 0, to: "4294967296"))
        #expect(message.hasSuffix("trees[0].left_children[0] = 4294967296 is out of range (-1...2147483647)"))
    }

    @Test func cyclesAreRefused() {
        let n = entries("left_children").count
        // node 1's left child becomes the root
        let back = load("cycle.json", setting("left_children", 1, to: "0"))
        #expect(back.hasSuffix("trees[0].left_children[1] = 0 is not a node of the tree (it has \(n) nodes)"))
        // the last two nodes (leaves) become each other's children, parents agreeing: a loop the root cannot reach
        var text = setting("left_children", n - 1, to: "\(n - 2)")
        text = setting("right_children", n - 1, to: "\(n - 2)", in: text)
        text = setting("left_children", n - 2, to: "\(n - 1)", in: text)
        text = setting("right_children", n - 2, to: "\(n - 1)", in: text)
        let loop = load("loop.json", text)
        #expect(loop.contains("not a valid gbdt model file: trees[0]"))
        #expect(loop.contains("is a child of both node") || loop.contains("cannot be reached from the root") || loop.contains("parents["))
    }

    @Test func aFeatureIndexBeyondTheFeatureCountIsRefused() {
        let message = load("feature.json", setting("split_indices", 0, to: "4"))
        #expect(message.hasSuffix("trees[0].split_indices[0] = 4 is out of range (0...3)"))
    }

    @Test func integersWhereXGBoostWantsFloatsAreRefused() {
        let message = load("float.json", setting("split_conditions", 0, to: "1"))
        #expect(message.hasSuffix("trees[0].split_conditions[0] must be a number with a decimal point"))
    }

    @Test func duplicateKeysAndCutFilesAreRefused() {
        let duplicated = Self.saved.replacingOccurrences(of: "{\"learner\":{", with: "{\"learner\":{\"attributes\":{},")
        #expect(load("dup.json", duplicated).hasSuffix("the key \"attributes\" appears twice in one object"))
        #expect(load("cut.json", String(Self.saved.dropLast())).contains("not a valid gbdt model file: malformed JSON at byte"))
    }

    @Test func messagesAreBounded() {
        let long = String(repeating: "x", count: 100_000)
        let message = load("objective.json", Self.saved.replacingOccurrences(of: "\"binary:logistic\"", with: "\"\(long)\""))
        #expect(message.contains("learner.objective.name = \"xxx"))
        #expect(message.utf8.count <= MessageText.maxMessageBytes)
    }
}
