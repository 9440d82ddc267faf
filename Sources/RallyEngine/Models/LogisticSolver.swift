import Dispatch
import Foundation
import Synchronization

/// Newton's method (IRLS) for L2-penalized logistic regression with an unpenalized intercept:
/// minimizes ½‖β‖² + C·Σᵢ sᵢ·logloss(yᵢ, σ(b + zᵢ·β)), each step solving the Newton system by
/// Cholesky, with a backtracking line search for safety.
///
/// The data is column-major (`z[j * n + i]`). Sums over rows run in fixed blocks, split in two
/// halves that run on both cores and are added in a fixed order, so results do not depend on
/// thread timing.
struct LogisticSolver {
    /// Standardized features, column-major, `width` columns of `n` rows.
    let z: [Double]
    /// 0/1 labels.
    let y: [Double]
    /// Per-row weights (sample weight × class weight), multiplied by C.
    let cs: [Double]
    let n: Int
    let width: Int

    /// The outcome of a solve.
    struct Solution {
        /// Coefficients on the standardized features, then the intercept.
        var theta: [Double]
        /// Newton steps taken.
        var iterations: Int
        /// Largest gradient component at the solution, divided by C·Σ weights.
        var gradient: Double
    }

    /// Objective value, gradient and Hessian (row-major, upper triangle) at `theta`.
    private struct Evaluation {
        var loss = 0.0
        var gradient: [Double]
        var hessian: [Double]
    }

    private static let block = 256

    /// The rows of each half: both cores take one when there are enough rows.
    private var halves: [Range<Int>] {
        guard n >= 8192 else { return [0..<n] }
        let mid = (n / 2 / Self.block) * Self.block
        return [0..<mid, mid..<n]
    }

    /// Σ-terms over `rows`: data loss, gradient and Hessian of the data part.
    private func accumulate(_ theta: [Double], rows: Range<Int>) -> Evaluation {
        let p = width, d = width + 1
        var e = Evaluation(gradient: [Double](repeating: 0, count: d), hessian: [Double](repeating: 0, count: d * d))
        var eta = [Double](repeating: 0, count: Self.block)
        var g = [Double](repeating: 0, count: Self.block)
        var h = [Double](repeating: 0, count: Self.block)
        var hz = [Double](repeating: 0, count: p * Self.block)
        z.withUnsafeBufferPointer { Z in
            var start = rows.lowerBound
            while start < rows.upperBound {
                let m = min(Self.block, rows.upperBound - start)
                for i in 0..<m { eta[i] = theta[p] }
                for j in 0..<p {
                    let bj = theta[j], col = Z.baseAddress! + j * n + start
                    for i in 0..<m { eta[i] += bj * col[i] }
                }
                for i in 0..<m {
                    // one exp per row: softplus(t) = max(t, 0) + log1p(e), σ(t) from e = exp(-|t|)
                    let r = start + i, w = cs[r], t = eta[i]
                    let ex = exp(-abs(t))
                    e.loss += w * (max(t, 0) + log1p(ex) - y[r] * t)
                    let prob = t >= 0 ? 1 / (1 + ex) : ex / (1 + ex)
                    g[i] = w * (prob - y[r])
                    h[i] = w * prob * (1 - prob)
                }
                accumulateDerivatives(&e, Z.baseAddress!, start: start, m: m, g: g, h: h, hz: &hz)
                start += m
            }
        }
        return e
    }

    private func accumulateDerivatives(_ e: inout Evaluation, _ Z: UnsafePointer<Double>, start: Int, m: Int,
                                       g: [Double], h: [Double], hz: inout [Double]) {
        let p = width, d = width + 1
        g.withUnsafeBufferPointer { G in
            h.withUnsafeBufferPointer { Hrow in
                hz.withUnsafeMutableBufferPointer { HZ in
                    for j in 0..<p {
                        let col = Z + j * n + start, out = HZ.baseAddress! + j * Self.block
                        for i in 0..<m { out[i] = Hrow[i] * col[i] }
                        e.gradient[j] += LinearAlgebra.dot(G.baseAddress!, col, m)
                    }
                    e.gradient[p] += LinearAlgebra.sum(G.baseAddress!, m)
                    for j in 0..<p {
                        let hzj = UnsafePointer(HZ.baseAddress! + j * Self.block)
                        for k in j..<p {
                            e.hessian[j * d + k] += LinearAlgebra.dot(hzj, Z + k * n + start, m)
                        }
                        e.hessian[j * d + p] += LinearAlgebra.sum(hzj, m)
                    }
                    e.hessian[p * d + p] += LinearAlgebra.sum(Hrow.baseAddress!, m)
                }
            }
        }
    }

    /// The full objective (penalty included) and its derivatives at `theta`.
    private func evaluate(_ theta: [Double]) -> Evaluation {
        let parts = halves
        var results = [Evaluation?](repeating: nil, count: parts.count)
        if parts.count == 1 {
            results[0] = accumulate(theta, rows: parts[0])
        } else {
            let slots = Mutex(results)
            DispatchQueue.concurrentPerform(iterations: parts.count) { k in
                let part = accumulate(theta, rows: parts[k])
                slots.withLock { $0[k] = part }
            }
            results = slots.withLock { $0 }
        }
        var total = results[0]!
        for r in results.dropFirst() {
            let r = r!
            total.loss += r.loss
            for i in total.gradient.indices { total.gradient[i] += r.gradient[i] }
            for i in total.hessian.indices { total.hessian[i] += r.hessian[i] }
        }
        let p = width, d = width + 1
        for j in 0..<p {
            total.loss += 0.5 * theta[j] * theta[j]
            total.gradient[j] += theta[j]
            total.hessian[j * d + j] += 1
        }
        return total
    }

    /// Runs Newton steps from zero until the largest gradient component is at most
    /// `tolerance`·C·Σ weights; throws when `maxIterations` steps do not get there.
    func solve(maxIterations: Int, tolerance: Double) throws -> Solution {
        let d = width + 1
        let scale = max(cs.reduce(0, +), .leastNormalMagnitude)
        var theta = [Double](repeating: 0, count: d)
        var current = evaluate(theta)
        var iterations = 0
        while true {
            try Cancellation.check()
            let gmax = current.gradient.map(abs).max() ?? 0
            if gmax <= tolerance * scale {
                return Solution(theta: theta, iterations: iterations, gradient: gmax / scale)
            }
            guard iterations < maxIterations else {
                throw RallyError("logreg: did not converge in \(maxIterations) Newton iterations (scaled gradient \(Format.number(gmax / scale)) > tol \(Format.number(tolerance))); raise max_iter or tol")
            }
            guard let step = LinearAlgebra.choleskySolve(current.hessian, current.gradient, n: d) else {
                throw RallyError("logreg: the Newton system is not positive definite at iteration \(iterations + 1) (check the features for extreme values)")
            }
            // backtracking (Armijo); the full Newton step is almost always taken at once
            let slope = zip(current.gradient, step).reduce(0) { $0 + $1.0 * $1.1 }
            var t = 1.0
            var candidate = theta
            var halvings = 0
            while true {
                for i in 0..<d { candidate[i] = theta[i] - t * step[i] }
                let next = evaluate(candidate)
                let decreased = next.loss <= current.loss - 1e-4 * t * slope
                // no further decrease is representable: the current point is the optimum
                let flat = abs(next.loss - current.loss) <= 1e-15 * abs(current.loss)
                if decreased || flat || halvings >= 40 {
                    current = next
                    break
                }
                t /= 2
                halvings += 1
            }
            theta = candidate
            iterations += 1
        }
    }
}
