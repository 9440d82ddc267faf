import Foundation
import Testing
@testable import RallyEngine

/// m:explain's engine side: every built-in model's contributions plus bias add up to its
/// log-odds, and each model's rule is what its documentation says.
@Suite struct ExplanationTests {
    /// hour, month and a noise column over `n` rows, with labels that depend on all three.
    static func seasonal(n: Int) -> (X: DesignMatrix, y: [Double]) {
        let (base, y0) = RandomProblem.make(n: n, seed: 21)
        let hour = (0..<n).map { Double($0 % 24) }, month = (0..<n).map { Double(($0 / 720) % 12 + 1) }
        let y = (0..<n).map { i in (hour[i] >= 16 && hour[i] <= 19 && base.columns[0][i] > 0.4) || y0[i] == 1 && (month[i] > 6 || base.columns[1][i] < 0.5) ? 1.0 : 0.0 }
        return (DesignMatrix(names: ["a", "hour", "month"], columns: [base.columns[0], hour, month]), y)
    }

    static func logit(_ p: [Double]) -> [Double] { p.map { log($0) - log1p(-$0) } }

    static func maxGap(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    @Test func gbdtContributionsAreXGBoostsAndSumToItsMargin() throws {
        let (X, y) = Self.seasonal(n: 6_000)
        let m = try gbdt(["rounds": .number(60), "max_depth": .number(4), "nthread": .number(1)])
        try m.fit(X, labels: y, weights: nil)
        let e = try m.explanation(X)
        #expect(e.features == X.names && e.rows == X.rows)
        // XGBoost sums in single precision: equal to 1e-6 relative to the margin's size
        let margins = try m.margins(X)
        let gap = zip(e.margins, margins).map { abs($0 - $1) / max(1, abs($1)) }.max()!
        #expect(gap < 1e-6, "gap \(gap)")
        let p = try m.predict(X)
        #expect(Self.maxGap(e.margins.map { 1 / (1 + exp(-$0)) }, p) < 1e-6)
        #expect(Set(e.bias).count == 1, "one bias: the expected margin")
        #expect(e.contributions.allSatisfy { c in c.contains { $0 != 0 } }, "every feature used by the trees contributes somewhere")
    }

    @Test func gbdtExplainsAfterSaveAndLoad() throws {
        let (X, y) = Self.seasonal(n: 3_000)
        let m = try gbdt(["rounds": .number(20), "nthread": .number(1)])
        try m.fit(X, labels: y, weights: nil)
        let path = scratchPath("explain-gbdt.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try m.save(to: path)
        #expect(try ModelFile.load(from: path).explanation(X) == m.explanation(X))
    }

    @Test func logregContributionsAreItsLinearTerms() throws {
        let (X, y) = RandomProblem.make(n: 2_000, seed: 4)
        let m = try #require(try ModelSpec(kind: "logreg", parameters: [:]).make() as? LogisticModel)
        try m.fit(X, labels: y, weights: nil)
        let e = try m.explanation(X)
        #expect(Self.maxGap(e.margins, Self.logit(try m.predict(X))) < 1e-9)
        let c = try #require(m.coefficients)
        #expect(e.bias[0] == c.intercept)
        #expect(abs(e.contributions[1][7] - c.weights[1] * (X.columns[1][7] - c.means[1]) / c.scales[1]) < 1e-15)
        // a row at the training means has only the intercept
        let atMean = DesignMatrix(names: X.names, columns: c.means.map { [$0] })
        #expect(try m.explanation(atMean).contributions.allSatisfy { abs($0[0]) < 1e-12 })
    }

    @Test func naiveExplainsByItsCut() throws {
        let (X, y) = RandomProblem.make(n: 2_000, seed: 6)
        let m = try ModelSpec(kind: "naive", parameters: ["feature": .string("a"), "cut": .number(0.5)]).make()
        try m.fit(X, labels: y, weights: nil)
        let e = try m.explanation(X)
        let p = try m.predict(X)
        #expect(Self.maxGap(e.margins, Self.logit(p)) < 1e-12)
        #expect(e.contributions[1].allSatisfy { $0 == 0 }, "b is not the rule's feature")
        let below = try #require(X.columns[0].firstIndex { $0 <= 0.5 })
        #expect(e.contributions[0][below] == 0 && abs(e.bias[below] - Self.logit([p[below]])[0]) < 1e-12)
    }

    @Test func climatologySplitsTheCellIntoMonthAndHour() throws {
        let (X, y) = Self.seasonal(n: 12 * 720)
        let m = try ModelSpec(kind: "climatology", parameters: [:]).make()
        try m.fit(X, labels: y, weights: nil)
        let e = try m.explanation(X)
        let p = try m.predict(X)
        let cgap = Self.maxGap(e.margins, Self.logit(p))
        #expect(p.allSatisfy { $0 > 0 && $0 < 1 } && cgap < 1e-12, "gap \(cgap)")
        #expect(e.contributions[0].allSatisfy { $0 == 0 }, "a is not read by climatology")
        // two rows of the same month share the month step; the same cell, the hour step
        #expect(e.contributions[2][0] == e.contributions[2][5] && e.contributions[1][0] == e.contributions[1][24])
    }

    @Test func unfittedAndMismatchedModelsSaySo() throws {
        let (X, y) = RandomProblem.make(n: 500, seed: 2)
        let m = try gbdt(["rounds": .number(5), "nthread": .number(1)])
        #expect(throws: RallyError("gbdt: the model is not fitted; call fit(X, y) first")) { try m.explanation(X) }
        try m.fit(X, labels: y, weights: nil)
        let other = DesignMatrix(names: ["a", "c"], columns: X.columns)
        #expect(throws: RallyError.self) { try m.explanation(other) }
    }

    @Test func topDriversArePositiveContributionsLargestFirst() {
        let e = Explanation(features: ["x", "y", "z"], contributions: [[0.5], [-1], [2]], bias: [-3])
        #expect(e.topDrivers(row: 0, count: 3).map(\.feature) == ["z", "x"])
        #expect(e.margins == [-1.5])
    }
}
