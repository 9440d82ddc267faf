import Foundation
import Testing
@testable import RallyEngine

@Suite(.serialized) struct TuningTests {
    static func plan(grid: [SweepAxis], resamples: Int = 0) throws -> TunePlan {
        let wf = try WalkForward(firstTestStart: TimeStamp.parse("2015-01-01"), end: TimeStamp.parse("2017-01-01"),
                                 step: .years(1), embargoHours: 24)
        let evaluation = EvaluationPlan(features: .protocolV1(), labeler: .protocolV1, schedule: .walkForward(wf),
                                        bootstrap: BlockBootstrap(block: 168, resamples: resamples, seed: 7))
        return TunePlan(evaluation: evaluation, kind: "logreg", grid: try SweepGrid(grid), metric: .prAUC)
    }

    static let grid = [SweepAxis(name: "C", values: [.number(0.0001), .number(1)])]

    /// `data` with every column changed from the first row at or after `from` up to (not including) `to`.
    static func perturbed(_ data: Dataset, from: String, to: String? = nil) throws -> Dataset {
        let start = try TimeStamp.parse(from), end = try to.map(TimeStamp.parse) ?? .max
        var copy = data
        for j in copy.columns.indices {
            for i in data.timestamps.indices where data.timestamps[i] >= start && data.timestamps[i] < end {
                copy.columns[j][i] = data.columns[j][i] * (1.5 + Double((i * 7919) % 13) / 4) + 11
            }
        }
        return copy
    }

    @Test func innerFoldsLieInsideTheOuterTrainingRows() throws {
        let outer = try TimeSplit(trainEnd: TimeStamp.parse("2015-12-31 23:00"), testStart: TimeStamp.parse("2016-01-01"), embargoHours: 24)
        let inner = try Tuning.innerSplits(of: outer, count: 3, step: .years(1), stepSeconds: 3600, dataStart: TimeStamp.parse("2013-01-01"))
        // the third year back starts at the data's first row: no room to train, left out
        #expect(inner.count == 2)
        let t = try ["2014-01-01", "2015-01-01", "2015-12-31 00:00"].map(TimeStamp.parse)
        #expect(inner[0].testStart == t[0] && inner[0].testEnd == t[1])
        // the last inner test row is the last outer training row (train end less the embargo)
        #expect(inner[1].testStart == t[1] && inner[1].testEnd == t[2])
        #expect(inner.allSatisfy { $0.trainEnd < $0.testStart && $0.embargoHours == 24 })
    }

    @Test func outerTestRowsNeverInfluenceTheChoice() throws {
        let data = try SyntheticPJM.generate(years: 4, seed: 11)
        let plan = try Self.plan(grid: Self.grid)
        let base = try Tuning.run(plan, on: data)
        #expect(base.folds.count == 2)
        // fold 2 tests 2016: perturbing 2016 changes neither fold's inner figures nor choices
        let future = try Tuning.run(plan, on: Self.perturbed(data, from: "2016-01-01"))
        for (a, b) in zip(base.folds, future.folds) {
            #expect(a.chosen == b.chosen)
            #expect(a.innerScores == b.innerScores)
        }
        // while the outer figures do move (the perturbation reached the scored rows)
        #expect(base.tuned[.prAUC] != future.tuned[.prAUC])
        // perturbing 2015 (fold 2's inner test year) does reach fold 2's inner figures, and not fold 1's
        let past = try Tuning.run(plan, on: Self.perturbed(data, from: "2015-01-01", to: "2016-01-01"))
        #expect(past.folds[0].innerScores == base.folds[0].innerScores)
        #expect(past.folds[1].innerScores != base.folds[1].innerScores)
    }

    @Test func tunedFiguresComeFromEachFoldsChoice() throws {
        let data = try SyntheticPJM.generate(years: 4, seed: 11)
        let r = try Tuning.run(try Self.plan(grid: Self.grid, resamples: 30), on: data)
        // with one chosen candidate everywhere the tuned model is that candidate
        if r.folds.allSatisfy({ $0.chosen == r.folds[0].chosen }) {
            #expect(r.tuned == r.fixed[r.folds[0].chosen])
        }
        #expect(r.fixed.count == 2 && r.candidates.map(\.name) == ["C=0.0001", "C=1"])
        #expect(r.flattery.value == r.fixed[r.selectedOnTest][.prAUC] - r.tuned[.prAUC])
        #expect(r.tunedIntervals[Metric.prAUC.index].lower <= r.tuned[.prAUC])
        let text = r.text
        #expect(text.contains("tuned (nested, outer rows)") && text.contains("flattered"))
    }

    @Test func gridIsBoundedAndChecked() throws {
        let big = (0..<9).map { Double($0) + 1 }
        let plan = try Self.plan(grid: [SweepAxis(name: "C", values: big.map { .number($0) }),
                                       SweepAxis(name: "max_iter", values: big.map { .number($0 * 100) })])
        #expect(throws: RallyError.self) { try plan.candidates() }
        let bad = try Self.plan(grid: [SweepAxis(name: "C", values: [.number(-1)])])
        #expect(throws: RallyError.self) { try bad.candidates() }
    }
}
