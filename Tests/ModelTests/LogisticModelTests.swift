import Foundation
import Testing
@testable import RallyEngine

/// A 12-row, 3-feature problem whose scikit-learn solution is hard-coded below.
enum TinyProblem {
    static let rows: [[Double]] = [
        [0.5, 3.0, 1.0], [1.5, 2.0, 0.0], [2.0, 2.5, 1.0], [2.5, 1.0, 0.0], [3.0, 4.0, 1.0], [3.5, 0.5, 0.0],
        [4.0, 3.5, 1.0], [4.5, 1.5, 0.0], [5.0, 2.0, 1.0], [5.5, 0.0, 0.0], [6.0, 3.0, 1.0], [7.0, 1.0, 0.0],
    ]
    static let labels: [Double] = [0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1]
    static let weights: [Double] = [1, 2, 1, 1, 0.5, 1, 1, 3, 1, 1, 1, 2]
    static var X: DesignMatrix {
        DesignMatrix(names: ["a", "b", "c"], columns: (0..<3).map { j in rows.map { $0[j] } })
    }
}

/// A reproducible random problem: `n` rows of two uniform features, labels drawn from a
/// logistic model with coefficients (3, -2).
enum RandomProblem {
    static func make(n: Int, seed: UInt64) -> (X: DesignMatrix, y: [Double]) {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(UInt64(1) << 53)
        }
        let a = (0..<n).map { _ in next() }, b = (0..<n).map { _ in next() }
        let y = (0..<n).map { i in next() < 1 / (1 + exp(-(6 * a[i] - 4 * b[i] - 1))) ? 1.0 : 0.0 }
        return (DesignMatrix(names: ["a", "b"], columns: [a, b]), y)
    }
}

func logreg(_ parameters: ModelParameters = [:]) throws -> LogisticModel {
    try #require(try ModelSpec(kind: "logreg", parameters: parameters).make() as? LogisticModel)
}

func expectClose(_ a: [Double], _ b: [Double], _ tolerance: Double, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, sourceLocation: sourceLocation)
    for (x, y) in zip(a, b) {
        #expect(abs(x - y) <= tolerance, "\(x) vs \(y)", sourceLocation: sourceLocation)
    }
}

// Reference numbers: scikit-learn 1.9.1, computed once with
//   Z = StandardScaler().fit_transform(X)
//   LogisticRegression(C=C, class_weight=cw, solver="newton-cholesky", tol=1e-14,
//                      max_iter=100000).fit(Z, y[, sample_weight=w])
// on TinyProblem, and hard-coded here (intercept first, then the coefficients).
@Test func logregMatchesScikitLearnOnATinyProblem() throws {
    let m = try logreg()
    try m.fit(TinyProblem.X, labels: TinyProblem.labels, weights: nil)
    let c = try #require(m.coefficients)
    expectClose([c.intercept] + c.weights,
                [-0.3716388792264283, 0.5695291965130511, -0.13282504164315614, -0.11640754710484627], 1e-9)
    let p = try m.predict(TinyProblem.X)
    expectClose(Array(p[0..<3]), [0.1691048587839948, 0.2804485173386578, 0.2538501058150042], 1e-9)
    #expect((m.fitReport["iterations"]?.number ?? 0) >= 2)
    #expect((m.fitReport["gradient"]?.number ?? 1) <= 1e-8)
}

@Test func logregBalancedClassWeightMatchesScikitLearn() throws {
    let m = try logreg(["C": .number(0.3), "class_weight": .string("balanced")])
    try m.fit(TinyProblem.X, labels: TinyProblem.labels, weights: nil)
    let c = try #require(m.coefficients)
    expectClose([c.intercept] + c.weights,
                [-0.02985675149088805, 0.34890400201170124, -0.13105119344742122, -0.08235464605275285], 1e-9)
    let p = try m.predict(TinyProblem.X)
    expectClose(Array(p[0..<3]), [0.30359352429504527, 0.40893376165121814, 0.3788083097440533], 1e-9)
}

@Test func logregSampleWeightsMatchScikitLearn() throws {
    let m = try logreg()
    try m.fit(TinyProblem.X, labels: TinyProblem.labels, weights: TinyProblem.weights)
    let c = try #require(m.coefficients)
    expectClose([c.intercept] + c.weights,
                [-0.09903246023684709, 0.8377823888144356, -0.034223427550984876, -0.28109233894596963], 1e-9)
}

@Test func logregSeparatesSeparableData() throws {
    let x = (0..<200).map { Double($0) / 10 }
    let y = x.map { $0 > 10 ? 1.0 : 0.0 }
    let m = try logreg(["C": .number(100)])
    try m.fit(DesignMatrix(names: ["x"], columns: [x]), labels: y, weights: nil)
    let p = try m.predict(DesignMatrix(names: ["x"], columns: [[2, 9, 11, 18]]))
    #expect(p[0] < 0.01 && p[1] < 0.2 && p[2] > 0.8 && p[3] > 0.99)
}

@Test func logregRefusesNaNAndInfinity() throws {
    var X = TinyProblem.X
    X.columns[1][4] = .nan
    let m = try logreg()
    let e = #expect(throws: RallyError.self) { try m.fit(X, labels: TinyProblem.labels, weights: nil) }
    #expect(e?.message.contains("row 5, feature 'b'") == true)
    X.columns[1][4] = .infinity
    #expect(throws: RallyError.self) { try m.fit(X, labels: TinyProblem.labels, weights: nil) }
    try m.fit(TinyProblem.X, labels: TinyProblem.labels, weights: nil)
    X.columns[1][4] = .nan
    #expect(throws: RallyError.self) { try m.predict(X) }
}

@Test func logregChecksFeaturesAtPrediction() throws {
    let m = try logreg()
    #expect(throws: RallyError("logreg: the model is not fitted; call fit(X, y) first")) { try m.predict(TinyProblem.X) }
    try m.fit(TinyProblem.X, labels: TinyProblem.labels, weights: nil)
    let fewer = DesignMatrix(names: ["a", "b"], columns: Array(TinyProblem.X.columns[0..<2]))
    let e = #expect(throws: RallyError.self) { try m.predict(fewer) }
    #expect(e?.message.contains("missing: c") == true)
}

@Test func logregTwoThreadPathAgreesWithTheOneThreadPath() throws {
    // 12,000 rows are summed on two threads, 6,000 on one. Every row twice with C = 1 is the
    // same problem as every row once with C = 2 (same means and population deviations).
    let (X, y) = RandomProblem.make(n: 6_000, seed: 7)
    let doubled = DesignMatrix(names: X.names, columns: X.columns.map { $0 + $0 })
    let big = try logreg(), small = try logreg(["C": .number(2)])
    try big.fit(doubled, labels: y + y, weights: nil)
    try small.fit(X, labels: y, weights: nil)
    let a = try #require(big.coefficients), b = try #require(small.coefficients)
    expectClose([a.intercept] + a.weights, [b.intercept] + b.weights, 1e-9)
    #expect(a.weights[0] > 0 && a.weights[1] < 0)
}
