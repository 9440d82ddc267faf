import Foundation
import Testing
@testable import RallyEngine

@Suite("Report: analyses")
struct ReportAnalysisTests {
    let labels: [Double] = [1, 0, 1, 0, 0, 1, 0, 0, 0, 0]
    let scores: [Double] = [0.9, 0.8, 0.7, 0.7, 0.3, 0.6, 0.2, 0.1, 0.1, 0.05]

    @Test func liftCountsTheTopRows() throws {
        let lift = try TopShareLift.compute(labels: labels, scores: scores, percents: [10, 20, 50])
        #expect(lift.precision == [1, 0.5, 0.6])
        #expect(lift.lift.map { ($0 * 1000).rounded() / 1000 } == [3.333, 1.667, 2])
    }

    @Test func weightedAveragePrecisionMatchesTheMetric() throws {
        let ap = WeightedPrecision(scores: scores).averagePrecision(labels: labels, weights: [Double](repeating: 1, count: 10))
        #expect(abs(ap - (try BinaryMetrics.averagePrecision(labels: labels, scores: scores))) < 1e-12)
        let doubled = WeightedPrecision(scores: scores).averagePrecision(labels: labels + labels, weights: [Double](repeating: 1, count: 10) + [Double](repeating: 0, count: 10))
        #expect(abs(doubled - ap) < 1e-12)
    }

    @Test func pairedComparisonIsZeroForAModelAgainstItself() throws {
        let d = try PairedComparison.compute(labels: labels + labels, a: scores + scores, b: scores + scores,
                                             bootstrap: BlockBootstrap(block: 3, resamples: 20, seed: 1))
        #expect(d.map(\.metric) == ["pr_auc", "brier", "log_loss"])
        #expect(d.allSatisfy { $0.value == 0 && $0.lower == 0 && $0.upper == 0 })
    }

    @Test func precisionRecallEndsAtFullRecall() throws {
        let curve = try PrecisionRecallCurve.compute(labels: labels, scores: scores)
        #expect(curve.recall.last == 1)
        #expect(curve.precision.last == 0.3)
        #expect(curve.precision.first == 1)
    }

    @Test func precisionRecallStepsEncloseTheAveragePrecision() throws {
        let curve = try PrecisionRecallCurve.compute(labels: labels, scores: scores)
        let steps = curve.steps
        #expect(steps.recall.first == 0 && steps.recall.last == 1)
        #expect(steps.recall.count == steps.precision.count)
        // Drawn as steps, each precision holds until the next recall: the area is the average precision.
        let area = zip(zip(steps.recall, steps.recall.dropFirst()), steps.precision).reduce(0) { $0 + ($1.0.1 - $1.0.0) * $1.1 }
        #expect(abs(area - (try BinaryMetrics.averagePrecision(labels: labels, scores: scores))) < 1e-12)
        let twoScores = try PrecisionRecallCurve.compute(labels: [1, 0, 1, 0, 0], scores: [1, 1, 0, 0, 0]).steps
        #expect(twoScores.recall == [0, 0.5, 1] && twoScores.precision == [0.5, 0.4, 0.4], "two operating points, two steps, no slope")
    }

    @Test func decisionCostsCountAlarmsAndMisses() throws {
        let d = try DecisionCosts.compute(labels: labels, models: [("m", scores)], costRatio: 4, grid: [0.65])
        #expect(d.thresholds == [0.2, 0.65])
        let strict = d.table[0][1]
        #expect(strict.alarms == 4 && strict.hits == 2 && strict.misses == 1 && strict.cost == 2 + 4)
        #expect(d.neverCost == 12 && d.alwaysCost == 7)
        #expect(d.hindsightBest[0].cost <= strict.cost)
        #expect(d.hindsightBest[0].threshold == 0.6)
    }

    @Test func disagreementComparesTopSets() throws {
        let other: [Double] = [0.1, 0.9, 0.7, 0.8, 0.3, 0.6, 0.2, 0.1, 0.1, 0.05]
        let d = try ModelDisagreement.compute(a: "a", b: "b", pa: scores, pb: other, labels: labels, share: 0.2, largest: 1)
        #expect(d.topCount == 2 && d.both == 1)
        #expect(d.ralliesOnlyA == 1 && d.ralliesOnlyB == 0 && d.ralliesBoth == 0)
        #expect(d.largest == [0])
    }

    @Test func calendarShiftsByTheHorizon() throws {
        let t = try TimeStamp.parse("2018-01-31 23:00")
        let c = RallyCalendar.compute(times: [t], labels: [1], horizonHours: 24)
        #expect(c.count[23][1] == 1 && c.rate[23][1] == 1)
        #expect(c.rate[23][0].isNaN)
    }

    @Test func reliabilityBandsBracketTheObservedRate() throws {
        let table = try ReportFixture.write(to: try ReportFixture.directory("r"), start: "2018-06-01", days: 40)
        let points = try ReliabilityBands.compute(labels: table.labels, models: table.probabilities, bins: 10,
                                                  bootstrap: BlockBootstrap(block: 48, resamples: 60, seed: 3))
        #expect(points[0].count == 2, "the naive model has two distinct probabilities")
        for point in points.flatMap({ $0 }) where point.count >= 50 {
            #expect(point.bandLower <= point.observedRate + 1e-12 && point.observedRate <= point.bandUpper + 1e-12)
        }
        #expect(points.flatMap { $0 }.reduce(0) { $0 + $1.count } == 3 * table.count)
    }

    @Test func csvReaderHandlesQuotesAndNamesBadRows() throws {
        let csv = try ArtifactCSV(text: "a,b\n\"x, y\",\"say \"\"hi\"\"\"\r\n\n1,2\n", path: "t.csv")
        #expect(csv.rows == [["x, y", "say \"hi\""], ["1", "2"]])
        #expect(csv.lines == [2, 4])
        #expect(throws: RallyError("t.csv:3: 1 fields, expected 2 (as in the header: a,b)")) { try ArtifactCSV(text: "a,b\n1,2\n3\n", path: "t.csv") }
        #expect(throws: RallyError("t.csv:2: column 'b': expected a number, got \"zz\"")) { try ArtifactCSV(text: "a,b\n1,zz\n", path: "t.csv").numbers(1) }
    }
}
