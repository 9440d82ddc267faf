import Foundation
import Testing
import CSigmoid
@testable import RallyTrees

/// The gradients' sigmoid four margins at a time (CSigmoid) against XGBoost's, one `expf` call per
/// margin (`HistogramTrees.probability`): the same bits for every margin tried. (Every float of
/// magnitude below 88 was compared once, in a release build: 2,237,661,184 margins, none differ.)
@Suite struct SigmoidTests {
    static func reference(_ margins: [Float]) -> [UInt32] { margins.map { HistogramTrees.probability($0).bitPattern } }

    static func vectorised(_ margins: [Float]) -> [UInt32] {
        var out = [Float](repeating: .nan, count: margins.count)
        margins.withUnsafeBufferPointer { m in
            out.withUnsafeMutableBufferPointer { rally_xgboost_sigmoid(m.baseAddress!, $0.baseAddress!, m.count) }
        }
        return out.map(\.bitPattern)
    }

    @Test func everySpreadMarginGivesXGBoostsBits() {
        // floats of magnitude below 88 at an odd stride (mantissas vary), both signs
        var margins: [Float] = []
        for bits in stride(from: UInt32(0), to: 0x42b0_0000, by: 4_099) {
            margins.append(Float(bitPattern: bits))
            margins.append(Float(bitPattern: bits | 0x8000_0000))
        }
        #expect(margins.count > 500_000)
        #expect(Self.vectorised(margins) == Self.reference(margins))
    }

    @Test func marginsOutsideTheFastRangeAndTailsGiveXGBoostsBits() {
        let edges: [Float] = [0, -0, 88, -88, 87.99999, -87.99999, 88.7, -88.7, 88.8, -88.8, 103.5, -103.5, 104, -104, 1e30, -1e30,
                              .infinity, -.infinity, .nan, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .greatestFiniteMagnitude]
        // every group of four holds one edge among ordinary margins, so both paths meet in a group
        var rng = SystemRandomNumberGenerator()
        var margins: [Float] = []
        for edge in edges {
            for _ in 0..<3 { margins.append(Float.random(in: -12...12, using: &rng)) }
            margins.append(edge)
        }
        // every length up to 9 from every offset: the tails after the last whole group of four
        for start in 0..<4 {
            for count in 0...9 where start + count <= margins.count {
                let slice = Array(margins[start..<(start + count)])
                #expect(Self.vectorised(slice) == Self.reference(slice), "\(slice)")
            }
        }
        let got = Self.vectorised(margins), want = Self.reference(margins)
        for i in margins.indices where got[i] != want[i] {
            Issue.record("margin \(margins[i]): \(Float(bitPattern: got[i])) against XGBoost's \(Float(bitPattern: want[i]))")
        }
    }

    @Test func theScalarEntryIsXGBoostsSigmoid() {
        let margins: [Float] = (0..<4_096).map { Float($0 - 2_048) / 64 }
        var out = [Float](repeating: .nan, count: margins.count)
        margins.withUnsafeBufferPointer { m in
            out.withUnsafeMutableBufferPointer { rally_xgboost_sigmoid_scalar(m.baseAddress!, $0.baseAddress!, m.count) }
        }
        #expect(out.map(\.bitPattern) == Self.reference(margins))
    }

    /// On a CPU with AVX2 and FMA (and glibc's expf), the four-at-a-time path is taken: its
    /// probes at the first call found nothing to disagree with.
    @Test func aCPUWithAVX2AndFMATakesTheVectorPath() throws {
        #if arch(x86_64) && os(Linux)
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set(cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? [])
        #expect((rally_xgboost_sigmoid_vectorised() != 0) == (flags.contains("avx2") && flags.contains("fma")), "flags: avx2 \(flags.contains("avx2")), fma \(flags.contains("fma"))")
        #endif
    }
}
