import Foundation
import Testing
@testable import RallyEngine

/// A temporary directory, removed on deinit.
private final class ScratchDirectory {
    let path: String

    init(_ name: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("rally-eval-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite struct JSONTests {
    @Test func textIsStableAndOrdered() {
        let doc = JSONValue.object([
            ("b", .number(0.1)), ("a", .integer(3)), ("ci95", .array([.number(1e-7), .number(2.5)])),
            ("nested", .object([("x", .null), ("s", .string("quote \" slash \\ tab \t nl \n bell \u{07}"))])),
            ("nan", .finite(.nan)), ("empty", .object([])), ("list", .array([])), ("flag", .bool(true)),
        ])
        let expected = """
        {
          "b": 0.1,
          "a": 3,
          "ci95": [1e-07, 2.5],
          "nested": {
            "x": null,
            "s": "quote \\" slash \\\\ tab \\t nl \\n bell \\u0007"
          },
          "nan": null,
          "empty": {},
          "list": [],
          "flag": true
        }

        """
        #expect(doc.text() == expected)
    }

    @Test func numbersReadBackExactly() {
        let values = [0.06469298245614036, 1.0 / 3, 123456.789, .leastNonzeroMagnitude, 0.1 + 0.2, -2.5e300]
        let text = JSONValue.array(values.map { .number($0) }).text()
        let tokens = text.dropFirst().dropLast(2).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(tokens.map { Double($0) } == values)
    }

    @Test func arraysOfObjectsAreIndented() {
        let text = JSONValue.array([.object([("k", .integer(1))])]).text()
        #expect(text == "[\n  {\n    \"k\": 1\n  }\n]\n")
    }
}

@Suite struct CSVTests {
    @Test func quotingAndNumbers() {
        var t = CSVTable(header: ["ts", "note", "p"])
        t.append(["2017-01-01 00:00", "a, b", CSVTable.number(0.25)])
        t.append(["2017-01-01 01:00", "say \"hi\"", CSVTable.number(.nan)])
        t.field("2017-01-01 02:00"); t.field(""); t.number(3); t.endRow()
        #expect(t.rowCount == 3)
        #expect(t.text() == "ts,note,p\n2017-01-01 00:00,\"a, b\",0.25\n2017-01-01 01:00,\"say \"\"hi\"\"\",\n2017-01-01 02:00,,3\n")
    }
}

@Suite struct AtomicFileTests {
    @Test func writesCreatesDirectoriesAndLeavesNoTemporaryFile() throws {
        let scratch = try ScratchDirectory("atomic")
        let dir = scratch.path
        let path = dir + "/sub/out.txt"
        try AtomicFile.write("first\n", to: path)
        try AtomicFile.write("second\n", to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "second\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/sub") == ["out.txt"])
    }

    @Test func unwritableTargetIsAnError() throws {
        let scratch = try ScratchDirectory("blocked")
        let dir = scratch.path
        // a regular file where a directory is needed
        try AtomicFile.write("x", to: dir + "/file")
        #expect(throws: RallyError.self) { try AtomicFile.write("y", to: dir + "/file/inner.txt") }
    }
}

@Suite struct SHA256Tests {
    /// Why the tests of the SHA-extension path are skipped where they are.
    static let noSHAExtensions: Comment = "this CPU lacks the x86 SHA extensions (SHA-NI, SSSE3, SSE4.1): only the Swift compression is tested"

    /// The digest of `chunks` fed in turn, through the SHA extensions or the Swift compression.
    static func digest(_ chunks: [Data], accelerated: Bool) -> String {
        var hash = SHA256(accelerated: accelerated)
        for chunk in chunks { hash.update(chunk) }
        return hash.hexDigest()
    }

    /// FIPS 180-2 appendix B and the NIST examples: "", "abc", the 448- and 896-bit messages, a million 'a'.
    static func checkStandardVectors(accelerated: Bool) {
        let vectors: [(Data, String)] = [
            (Data(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (Data("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (Data("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
             "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            (Data(("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                   + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").utf8),
             "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
            (Data(repeating: UInt8(ascii: "a"), count: 1_000_000),
             "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
        ]
        for (message, expected) in vectors {
            #expect(digest([message], accelerated: accelerated) == expected, "\(message.count) bytes")
        }
    }

    /// `bytes` cut into pieces of random lengths (some empty, some longer than a block).
    static func randomChunks(_ bytes: Data, using rng: inout Xoshiro256StarStar) -> [Data] {
        var chunks: [Data] = [], start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + Int.random(in: 0...(bytes.count > 1000 ? 200_000 : 130), using: &rng))
            chunks.append(bytes[start..<end])
            start = end
        }
        return chunks
    }

    @Test func standardVectorsInSwift() {
        Self.checkStandardVectors(accelerated: false)
    }

    @Test(.enabled(if: SHA256.hardwareAvailable, noSHAExtensions))
    func standardVectorsWithSHAExtensions() {
        Self.checkStandardVectors(accelerated: true)
    }

    @Test(.enabled(if: SHA256.hardwareAvailable, noSHAExtensions))
    func bothPathsAgreeOnRandomInputs() {
        var rng = Xoshiro256StarStar(seed: 256)
        let lengths = Array(0...300) + [1 << 20, 3_000_017, 4 << 20]
        for length in lengths {
            let bytes = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) })
            let whole = Self.digest([bytes], accelerated: false)
            let chunks = Self.randomChunks(bytes, using: &rng)
            #expect(Self.digest(chunks, accelerated: true) == whole, "\(length) bytes in \(chunks.count) pieces")
            #expect(Self.digest(chunks, accelerated: false) == whole, "\(length) bytes in \(chunks.count) pieces")
        }
    }

    @Test func chunkingDoesNotChangeTheDigest() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let whole = SHA256.hex(Data(bytes))
        for cut in [1, 55, 56, 63, 64, 65, 128, 999] {
            var h = SHA256()
            h.update(Data(bytes[..<cut]))
            h.update(bytes[cut...])
            #expect(h.hexDigest() == whole, "cut at \(cut)")
        }
    }

    @Test func fileDigestMatchesDataDigest() throws {
        let scratch = try ScratchDirectory("sha")
        let dir = scratch.path
        let text = String(repeating: "rally,", count: 300_000)
        try AtomicFile.write(text, to: dir + "/f.csv")
        #expect(try SHA256.hex(file: dir + "/f.csv") == SHA256.hex(Data(text.utf8)))
        #expect(throws: RallyError("cannot open '\(dir)/missing.csv' to compute its sha256")) {
            try SHA256.hex(file: dir + "/missing.csv")
        }
    }
}

@Suite struct GitRevisionTests {
    @Test func followsSymbolicHeadToLooseAndPackedRefs() throws {
        let scratch = try ScratchDirectory("git")
        let dir = scratch.path
        let hash = String(repeating: "ab", count: 20)
        try AtomicFile.write("ref: refs/heads/main\n", to: dir + "/.git/HEAD")
        try AtomicFile.write("\(hash)\n", to: dir + "/.git/refs/heads/main")
        try FileManager.default.createDirectory(atPath: dir + "/deep/er", withIntermediateDirectories: true)
        #expect(GitRevision.commit(searchingFrom: dir + "/deep/er") == hash)
        try FileManager.default.removeItem(atPath: dir + "/.git/refs/heads/main")
        let packed = String(repeating: "cd", count: 20)
        try AtomicFile.write("# pack-refs with: peeled\n\(packed) refs/heads/main\n", to: dir + "/.git/packed-refs")
        #expect(GitRevision.commit(searchingFrom: dir) == packed)
    }

    @Test func detachedHeadIsTheHash() throws {
        let scratch = try ScratchDirectory("detached")
        let dir = scratch.path
        let hash = String(repeating: "0f", count: 20)
        try AtomicFile.write(hash + "\n", to: dir + "/.git/HEAD")
        #expect(GitRevision.commit(searchingFrom: dir) == hash)
    }
}

@Suite struct ZonedArtifactsTests {
    /// A zoned dataset's evaluation writes its test hours in market time with their offsets
    /// (`2015-03-08 03:00-04:00`), and the report's reader takes them back as the same instants.
    @Test func predictionsOfAZonedEvaluationCarryOffsetsAndReadBack() throws {
        var data = try SyntheticPJM.generate(years: 3, seed: 5)
        data.zone = try MarketZone.named("America/New_York")
        let wf = try WalkForward(firstTestStart: TimeStamp.parse("2015-01-01"), end: TimeStamp.parse("2016-01-01"),
                                 step: .months(6), embargoHours: 24)
        let plan = EvaluationPlan(features: .protocolV1(), labeler: .protocolV1, schedule: .walkForward(wf),
                                  bootstrap: BlockBootstrap(resamples: 20))
        let r = try Evaluator(plan: plan).run(on: data, models: [try ModelSpec(kind: "naive")])
        let text = EvaluationArtifacts(r).predictionsCSV().text()
        let firstRow = text.split(separator: "\n")[1]
        #expect(firstRow.hasPrefix(data.zone.format(r.testTimes[0]) + ","))
        #expect(text.contains("-04:00,") && text.contains("-05:00,"))   // summer and winter hours
        let scratch = try ScratchDirectory("zoned")
        let path = scratch.path + "/predictions.csv"
        try AtomicFile.write(text, to: path)
        #expect(try PredictionTable.load(path: path).times == r.testTimes)
    }
}

@Suite struct ArtifactWriteTests {
    /// predictions.csv is written beside metrics.json's figures; when a file fails, the error
    /// names it and nothing is still being written into the directory once `write` returns.
    @Test func aFailedWriteNamesTheFileAndLeavesNothingWriting() throws {
        // many test hours and no resamples: the predictions take longer to write than the rest
        let data = try SyntheticPJM.generate(years: 8, seed: 5)
        let split = try TimeSplit(trainEnd: TimeStamp.parse("2013-12-31 23:00"), testStart: TimeStamp.parse("2014-01-01"), embargoHours: 24)
        let plan = EvaluationPlan(features: .protocolV1(), labeler: .protocolV1, schedule: .split(split), bootstrap: BlockBootstrap(resamples: 0))
        let artifacts = EvaluationArtifacts(try Evaluator(plan: plan).run(on: data, models: [try ModelSpec(kind: "naive")]))
        let scratch = try ScratchDirectory("failed-write")
        // a directory where metrics.json goes: renaming a file over it fails
        try FileManager.default.createDirectory(atPath: scratch.path + "/metrics.json/x", withIntermediateDirectories: true)
        let error = #expect(throws: RallyError.self) {
            try artifacts.write(to: scratch.path, recipe: "test", data: LoadReport(), rows: data.count, given: [], hostVersions: [])
        }
        #expect(error.map { "\($0)" }?.contains("/metrics.json'") == true, "\(String(describing: error))")
        let predictions = try String(contentsOfFile: scratch.path + "/predictions.csv", encoding: .utf8)
        #expect(predictions == artifacts.predictionsCSV().text())
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/run.json"))
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted()
        #expect(left == ["metrics.json", "predictions.csv"])
    }
}
