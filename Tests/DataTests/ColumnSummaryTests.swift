import Testing
@testable import RallyEngine

/// What a Lua `Vector` prints and sums: missing values (NaN) left out, counted apart.
@Suite struct ColumnSummaryTests {
    @Test func figuresLeaveMissingValuesOut() {
        let s = ColumnSummary([3, .nan, -1.5, 7, .nan])
        #expect(s.count == 5 && s.missing == 2 && s.sum == 8.5 && s.min == -1.5 && s.max == 7)
        #expect(s.mean == 8.5 / 3)
        #expect(s.line(name: "price") == "<Vector price: 5 values, mean 2.83333, min -1.5, max 7, 2 missing>")
        #expect(ColumnSummary([1, 2]).line(name: "x") == "<Vector x: 2 values, mean 1.5, min 1, max 2>")
    }

    @Test func noValuesLeaveNoMeanMinOrMax() {
        for values in [[], [Double.nan, .nan]] {
            let s = ColumnSummary(values)
            #expect(s.sum == 0 && s.mean == nil && s.min == nil && s.max == nil && s.missing == values.count)
            #expect(s.line(name: "v") == "<Vector v: \(values.count) values, all missing>")
        }
        let infinite = ColumnSummary([.infinity, 1, -.infinity])
        #expect(infinite.min == -.infinity && infinite.max == .infinity && infinite.sum.isNaN)
    }
}
