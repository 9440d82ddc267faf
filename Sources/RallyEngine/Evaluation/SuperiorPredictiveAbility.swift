import Dispatch
import Foundation

/// Hansen's (2005) test of superior predictive ability (SPA) and White's (2000) reality check:
/// does the best of k alternatives beat the benchmark once we account for having picked it
/// from k? The data are loss differentials dₖ,ₜ = loss of the benchmark − loss of alternative k
/// (positive: k is better) on the same n rows; H0: E dₖ ≤ 0 for every k.
///
/// The null distribution comes from bootstrap means d̄*ₖ of the differentials (here the paired
/// moving-block resamples of ``BlockBootstrap``), recentred as Hansen does with
/// g(d̄ₖ): lower g = max(d̄ₖ, 0); consistent g = d̄ₖ when d̄ₖ ≥ −√(ω²ₖ/n · 2 log log n), else 0;
/// upper g = d̄ₖ (the least favourable configuration). Each p-value is the share of resamples
/// whose statistic is strictly above the sample's.
///
/// - **Studentized** (Hansen's SPA): T = max(0, maxₖ √n d̄ₖ/ω̂ₖ) with ω̂²ₖ = n · mean over
///   resamples of (d̄*ₖ − d̄ₖ)² (Hansen 2005, §2.3), the same ω̂ in the consistent threshold.
/// - **Unstudentized** (what `arch.bootstrap.SPA` 8.0 computes whatever its `studentize` flag,
///   and White's reality check as its upper p-value): T = maxₖ d̄ₖ, no floor at 0, with the
///   variances given for the consistent threshold (arch: its stationary-bootstrap kernel).
///
/// It is a test, not a model ranking: it says whether the best run's edge survives the search,
/// not which run is best.
public struct SuperiorPredictiveAbility: Sendable, Equatable {
    /// The lower, consistent and upper p-values (lower ≤ consistent ≤ upper).
    public struct PValues: Sendable, Equatable {
        public var lower: Double, consistent: Double, upper: Double
    }

    /// The statistic: studentized max(0, maxₖ √n d̄ₖ/ω̂ₖ), or unstudentized maxₖ d̄ₖ.
    public var statistic: Double
    /// The three p-values.
    public var pValues: PValues
    /// The alternative with the largest (studentized, when studentized) mean differential.
    public var best: Int
    /// Whether the statistic was studentized.
    public var studentized: Bool

    /// The test from the sample means `means[k]` (d̄ₖ), the bootstrap means
    /// `resampleMeans[b][k]` (d̄*ₖ on resample b), the variances ω²ₖ of √n d̄ₖ used in the
    /// consistent threshold (and to studentize), on `rows` rows. An alternative with ω²ₖ = 0 (its
    /// differential is 0 on every resample) takes no part in a studentized maximum.
    public static func test(means: [Double], resampleMeans: [[Double]], variances: [Double], rows n: Int,
                            studentize: Bool) throws -> SuperiorPredictiveAbility {
        let k = means.count
        guard k > 0 else { throw RallyError("superior predictive ability: no alternatives to test") }
        guard variances.count == k, resampleMeans.allSatisfy({ $0.count == k }) else {
            throw RallyError("superior predictive ability: \(k) means but \(variances.count) variances or resamples of another width")
        }
        guard !resampleMeans.isEmpty else { throw RallyError("superior predictive ability: no resamples") }
        guard n >= 3 else { throw RallyError("superior predictive ability: \(n) rows; 3 or more needed") }
        let threshold = variances.map { -(($0 / Double(n)) * 2 * log(log(Double(n)))).squareRoot() }
        let centres: [[Double]] = [
            means.map { max($0, 0) },
            means.indices.map { means[$0] >= threshold[$0] ? means[$0] : 0 },
            means,
        ]
        let scale: [Double] = studentize
            ? variances.map { $0 > 0 ? Double(n).squareRoot() / $0.squareRoot() : 0 }
            : [Double](repeating: 1, count: k)
        let scaled = means.indices.map { means[$0] * scale[$0] }
        let best = scaled.indices.max { scaled[$0] < scaled[$1] || (scaled[$0] == scaled[$1] && $0 > $1) }!
        let statistic = studentize ? max(0, scaled[best]) : scaled[best]
        var exceed = [0, 0, 0]
        for row in resampleMeans {
            for (c, centre) in centres.enumerated() {
                var top = studentize ? 0.0 : -Double.infinity
                for j in 0..<k where !studentize || scale[j] > 0 { top = max(top, (row[j] - centre[j]) * scale[j]) }
                if top > statistic { exceed[c] += 1 }
            }
        }
        let b = Double(resampleMeans.count)
        return SuperiorPredictiveAbility(
            statistic: statistic,
            pValues: PValues(lower: Double(exceed[0]) / b, consistent: Double(exceed[1]) / b, upper: Double(exceed[2]) / b),
            best: best, studentized: studentize)
    }

    /// ω̂²ₖ = n · mean over resamples of (d̄*ₖ − d̄ₖ)²: the bootstrap variance of √n d̄ₖ.
    public static func bootstrapVariances(means: [Double], resampleMeans: [[Double]], rows n: Int) -> [Double] {
        means.indices.map { j in
            let s = resampleMeans.reduce(0.0) { $0 + ($1[j] - means[j]) * ($1[j] - means[j]) }
            return Double(n) * s / Double(max(resampleMeans.count, 1))
        }
    }

    /// The means of each row of `differentials` (`[alternative][row]`) on every resample of
    /// `scheme` (`[resample][alternative]`): Σ wᵢ dₖ,ᵢ / n with wᵢ the row's multiplicity in the
    /// resample, drawn by ``BlockBootstrap/weights(resample:rows:into:)``, so the resamples are
    /// those of the evaluation's paired bootstrap for the same scheme. `threads` workers; the
    /// result does not depend on how many.
    public static func resampleMeans(_ differentials: [[Double]], scheme: BlockBootstrap, threads: Int = 2) throws -> [[Double]] {
        guard let n = differentials.first?.count else { throw RallyError("superior predictive ability: no alternatives to resample") }
        guard differentials.allSatisfy({ $0.count == n }) else { throw RallyError("superior predictive ability: alternatives of different lengths") }
        try scheme.validate(rows: n)
        let k = differentials.count, resamples = scheme.resamples
        let out = ResampleMeans(resamples: resamples, width: k)
        scheme.forEachResample(rows: n, threads: threads) { r, weights in
            weights.withUnsafeBufferPointer { w in
                for j in 0..<k {
                    let s = differentials[j].withUnsafeBufferPointer { Self.dot(w, $0) }
                    out.set(r, j, s / Double(n))
                }
            }
        }
        try Cancellation.check()
        return out.rows()
    }
}

extension SuperiorPredictiveAbility {
    /// Σ aᵢ bᵢ over the shorter length, four lanes at a time (the same order of additions for
    /// the same lengths, so the same bits on every run).
    static func dot(_ a: UnsafeBufferPointer<Double>, _ b: UnsafeBufferPointer<Double>) -> Double {
        let n = min(a.count, b.count)
        guard n > 0, let pa = a.baseAddress, let pb = b.baseAddress else { return 0 }
        var lanes = SIMD4<Double>(repeating: 0)
        var i = 0
        while i + 4 <= n {
            lanes += UnsafeRawPointer(pa + i).loadUnaligned(as: SIMD4<Double>.self) * UnsafeRawPointer(pb + i).loadUnaligned(as: SIMD4<Double>.self)
            i += 4
        }
        var s = lanes.sum()
        while i < n {
            s += pa[i] * pb[i]
            i += 1
        }
        return s
    }
}

/// Resample means that concurrent workers write at disjoint rows (each resample owns its row),
/// read only after every worker has finished.
private final class ResampleMeans: @unchecked Sendable {
    private var values: [Double]
    private let width: Int
    private let lock = NSLock()

    init(resamples: Int, width: Int) {
        values = [Double](repeating: 0, count: resamples * width)
        self.width = width
    }

    func set(_ r: Int, _ j: Int, _ x: Double) {
        lock.lock()
        values[r * width + j] = x
        lock.unlock()
    }

    func rows() -> [[Double]] {
        stride(from: 0, to: values.count, by: width).map { Array(values[$0..<($0 + width)]) }
    }
}
