/// The few dense kernels logistic regression needs: SIMD dot products and a Cholesky solve.
enum LinearAlgebra {
    /// Σ a[i]·b[i] over `n` values, with eight partial sums in a fixed order (deterministic).
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ n: Int) -> Double {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        var acc0 = SIMD4<Double>(), acc1 = SIMD4<Double>()
        var i = 0
        while i + 8 <= n {
            acc0 += ra.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
                * rb.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            acc1 += ra.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self)
                * rb.loadUnaligned(fromByteOffset: i * 8 + 32, as: SIMD4<Double>.self)
            i += 8
        }
        var s = (acc0 + acc1).sum()
        while i < n { s += a[i] * b[i]; i += 1 }
        return s
    }

    /// Σ a[i] over `n` values, deterministic.
    @inline(__always)
    static func sum(_ a: UnsafePointer<Double>, _ n: Int) -> Double {
        let ra = UnsafeRawPointer(a)
        var acc = SIMD4<Double>()
        var i = 0
        while i + 4 <= n {
            acc += ra.loadUnaligned(fromByteOffset: i * 8, as: SIMD4<Double>.self)
            i += 4
        }
        var s = acc.sum()
        while i < n { s += a[i]; i += 1 }
        return s
    }

    /// Solves `A x = b` for a symmetric positive definite `A` (row-major, `n`×`n`, only the
    /// upper triangle read) by Cholesky factorization; nil when `A` is not positive definite.
    static func choleskySolve(_ A: [Double], _ b: [Double], n: Int) -> [Double]? {
        // A = Lᵀ-free form: factor A = R R^T with R lower triangular, stored row-major.
        var L = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var d = A[j * n + j]
            for k in 0..<j { d -= L[j * n + k] * L[j * n + k] }
            guard d > 0, d.isFinite else { return nil }
            let ljj = d.squareRoot()
            L[j * n + j] = ljj
            for i in (j + 1)..<max(n, j + 1) {
                var s = A[j * n + i] // upper triangle: A[j][i] == A[i][j]
                for k in 0..<j { s -= L[i * n + k] * L[j * n + k] }
                L[i * n + j] = s / ljj
            }
        }
        var y = b
        for i in 0..<n {
            for k in 0..<i { y[i] -= L[i * n + k] * y[k] }
            y[i] /= L[i * n + i]
        }
        for i in stride(from: n - 1, through: 0, by: -1) {
            for k in (i + 1)..<max(n, i + 1) { y[i] -= L[k * n + i] * y[k] }
            y[i] /= L[i * n + i]
        }
        return y
    }
}
