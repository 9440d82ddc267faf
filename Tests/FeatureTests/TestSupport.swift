import Foundation
@testable import RallyEngine

/// A small deterministic generator for test data (SplitMix64).
struct TestRandom {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Uniform integer in 0..<n.
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

enum TestData {
    /// A price-like hourly series from 2013-01-01 00:00: a positive random walk with a daily
    /// shape, occasional spikes, and coarse rounding so that ties occur.
    static func dataset(rows: Int, seed: UInt64) -> Dataset {
        var rng = TestRandom(seed: seed)
        let start = TimeStamp.make(year: 2013, month: 1, day: 1)
        var price = [Double](), sys = [Double](), zonal = [Double]()
        var level = 30.0
        for i in 0..<rows {
            level = max(5, level + (rng.uniform() - 0.5) * 2)
            let hour = Double(i % 24)
            var p = level + 8 * sin(hour / 24 * 2 * .pi)
            if rng.uniform() < 0.02 { p *= 3 + 4 * rng.uniform() }
            price.append((p * 100).rounded() / 100)
            sys.append((80_000 + 10_000 * sin(hour / 24 * 2 * .pi) + 2000 * rng.uniform()).rounded())
            zonal.append((11_000 + 1500 * sin(hour / 24 * 2 * .pi) + 300 * rng.uniform()).rounded())
        }
        let ts = (0..<rows).map { start + Int64($0) * 3600 }
        return Dataset(timestamps: ts, names: ["price", "sys_load_fc", "zonal_load_fc"], columns: [price, sys, zonal])
    }

    /// The package root (two levels above this file's folder).
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `../shared/<relative>` from the package root, when the file exists.
    static func shared(_ relative: String) -> URL? {
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared").appendingPathComponent(relative)
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// The shared PJM file read with a minimal parser (columns price, sys_load_fc, zonal_load_fc).
    static func pjm() throws -> Dataset? {
        guard let url = shared("data/pjm_comed_2013_2018.csv") else { return nil }
        let text = try String(contentsOf: url, encoding: .utf8)
        var ts = [Int64](), cols: [[Double]] = [[], [], []]
        for line in text.split(separator: "\n").dropFirst() where !line.isEmpty {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            ts.append(try TimeStamp.parse(String(f[0])))
            for j in 0..<3 { cols[j].append(Double(f[j + 1])!) }
        }
        return Dataset(timestamps: ts, names: ["price", "sys_load_fc", "zonal_load_fc"], columns: cols)
    }

    /// Relative difference, with an absolute floor for values near zero.
    static func close(_ a: Double, _ b: Double, relative: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        return abs(a - b) <= relative * max(abs(a), abs(b), 1e-300)
    }
}
