import Foundation
import Testing
@testable import RallyEngine

/// Bundle files are hostile input: every mutation of a valid one is refused before use, with
/// a message naming the file and the field (or the embedded model's own problem).
@Suite struct BundleFileTests {
    /// A bundle of a small gbdt forecast on one synthetic year, as text.
    static let saved: String = {
        let path = scratchPath("bundle-seed.json")
        if var ds = try? SyntheticPJM.generate(years: 1, seed: 5), let spec = try? ModelSpec(kind: "gbdt", parameters: ["rounds": .number(5), "nthread": .number(1)]) {
            let p = ds.names.firstIndex(of: "price")!
            for i in (ds.count - 24)..<ds.count { ds.columns[p][i] = .nan }
            if let f = try? Forecaster.run(ForecastPlan(features: .protocolV1(), labeler: .protocolV1), on: ds, factory: spec) {
                try? ModelBundle(f).write(to: path)
            }
        }
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }()

    /// The message loading `text` gives, or "" when it loads.
    func refusal(_ text: String, _ name: String = "bundle-mutant.json") -> String {
        let path = scratchPath(name)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try ModelBundle.load(from: path)
            return ""
        } catch {
            return (error as? RallyError)?.message ?? "\(error)"
        }
    }

    func replacing(_ old: String, _ new: String) -> String {
        #expect(Self.saved.contains(old), "the saved bundle has no \(old)")
        return Self.saved.replacingOccurrences(of: old, with: new)
    }

    @Test func theSavedBundleLoads() {
        #expect(Self.saved.hasPrefix("{\n  \"format\": \"rally-bundle\""))
        #expect(refusal(Self.saved) == "")
    }

    @Test func mutatedManifestsAreRefusedNamingTheField() {
        let cases: [(String, String)] = [
            (String(Self.saved.prefix(Self.saved.count / 2)), "malformed JSON at byte"),
            (replacing("\"version\": 1", "\"version\": 2"), "field 'version' must be 1"),
            (replacing("\"format\": \"rally-bundle\"", "\"format\": \"rally-model\""), "field 'format' must be \"rally-bundle\""),
            (replacing("\"horizon\": 24,\n    \"features\"", "\"horizon\": -1,\n    \"features\""), "features.horizon = -1 must be in [0, "),
            (replacing("\"steps\": 144", "\"steps\": 1e400"), "a number beyond the range of a double"),
            (replacing("\"steps\": 144", "\"steps\": 99999999999"), "features.features[4].steps = 99999999999 must be in"),
            (replacing("\"source\": \"lag\"", "\"source\": \"crystal_ball\""), "is not a kind of feature"),
            (replacing("\"name\": \"lag1\"", "\"name\": \"lag0\""), "two features are named 'lag0'"),
            (replacing("\"q\": 0.95", "\"q\": 1.5"), "labeler: field 'q'"),
            (replacing("\"step_seconds\": 3600", "\"step_seconds\": 0"), "data.step_seconds = 0 must be in"),
            (replacing("\"columns\": [\"price\", ", "\"columns\": ["), "data.columns lacks price"),
            (replacing("\"format\": \"rally-bundle\"", "\"format\": \"rally-bundle\", \"format\": \"rally-bundle\""), "appears twice"),
            (String(repeating: "[", count: 40) + String(repeating: "]", count: 40), "nested more than 32 levels"),
            (replacing("\"issued_at\": \"", "\"issued_at\": \"yesterday"), "training.issued_at"),
        ]
        for (text, expected) in cases {
            let message = refusal(text)
            #expect(message.contains(expected) && message.contains("bundle-mutant.json"), "expected '\(expected)', got: \(message)")
            #expect(message.utf8.count <= 4_000)
        }
    }

    @Test func aChangedModelIsRefusedByItsHashOrByTheModelFileCheck() {
        // a changed model text no longer matches its sha256
        let tampered = replacing("\\\"num_trees\\\":\\\"5\\\"", "\\\"num_trees\\\":\\\"6\\\"")
        #expect(refusal(tampered).contains("model.sha256 does not match model.file"))
        // with the hash updated too, the gbdt file check refuses it before XGBoost reads it
        guard let start = Self.saved.range(of: "\"sha256\": \"", options: .backwards) else { Issue.record("no model hash"); return }
        let old = String(Self.saved[start.upperBound...].prefix(64))
        var unescaped = ""
        if case .object(let root)? = try? BoundedJSON.parse(tampered), case .object(let model)? = root["model"], case .string(let s)? = model["file"] { unescaped = s }
        let rehashed = tampered.replacingOccurrences(of: old, with: SHA256.hex(Data(unescaped.utf8)))
        let message = refusal(rehashed)
        #expect(message.contains("(its model)': not a valid gbdt model file") && message.contains("num_trees"), "got: \(message)")
    }

    @Test func aBundleLargerThanTheLimitIsRefusedBeforeReadingItAll() throws {
        #expect(ModelBundle.maxBytes == ModelFile.maxBytes + (16 << 20))
        let path = scratchPath("bundle-huge.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(ModelBundle.maxBytes + 1))  // a sparse file: no disk used
        try handle.close()
        #expect {
            try ModelBundle.load(from: path)
        } throws: { error in
            ((error as? RallyError)?.message ?? "").contains("more than the 272 MiB a bundle may have")
        }
    }
}
