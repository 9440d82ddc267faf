import Foundation
import Testing
@testable import RallyEngine

/// A small sweep on synthetic data: two thresholds x two windows x three models.
enum SmallSweep {
    static let data: Dataset = try! SyntheticPJM.generate(years: 2, seed: 4)

    static func plan(threads: Int, resamples: Int = 40) throws -> SweepPlan {
        let split = try TimeSplit(trainEnd: TimeStamp.parse("2014-06-30 23:00"), testStart: TimeStamp.parse("2014-07-01"), embargoHours: 24)
        let grid = try SweepGrid([SweepAxis(name: "q", values: [.number(0.9), .number(0.95)]),
                                  SweepAxis(name: "window", values: [.number(168), .number(336)])])
        return SweepPlan(features: .protocolV1(), labeler: .protocolV1, grid: grid, schedule: .split(split),
                         bootstrap: BlockBootstrap(block: 72, resamples: resamples, seed: 11), threads: threads)
    }

    static func models() throws -> [ModelSpec] {
        [try ModelSpec(kind: "naive"), try ModelSpec(kind: "logreg"),
         try ModelSpec(kind: "gbdt", parameters: ["rounds": .number(15), "max_depth": .number(3)])]
    }

    /// The full table, computed once for the tests that compare with it.
    static let full: SweepTable = try! SweepRunner(plan: plan(threads: 2)).run(on: data, models: models()).table

    static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("rally-sweep-\(UUID().uuidString)-\(name)").path
    }
}

@Suite struct SweepTests {
    @Test func gridEnumeratesFirstAxisOutermost() throws {
        let grid = try SweepGrid([SweepAxis(name: "q", values: [.number(0.9), .number(0.95)]),
                                  SweepAxis(name: "window", values: [.number(168), .number(336), .number(672)])])
        #expect(grid.count == 6)
        let combos = grid.combinations().map { $0.map { "\($0.name)=\($0.value)" }.joined(separator: " ") }
        #expect(combos == ["q=0.9 window=168", "q=0.9 window=336", "q=0.9 window=672",
                           "q=0.95 window=168", "q=0.95 window=336", "q=0.95 window=672"])
        #expect(try SweepGrid().combinations().count == 1)
        #expect(throws: RallyError("sweep: grid 'q' lists 0.9 twice")) {
            try SweepGrid([SweepAxis(name: "q", values: [.number(0.9), .number(0.9)])])
        }
        let plan = SweepPlan(features: .protocolV1(), labeler: .protocolV1,
                             grid: try SweepGrid([SweepAxis(name: "q", values: [.number(1.5)])]),
                             schedule: try SharedPJM.protocolSplit())
        #expect(throws: RallyError("sweep: grid q=1.5: quantile labeler: field 'q': a number in (0, 1) expected, got 1.5 (the trailing quantile a rally must beat)")) {
            try plan.configurations()
        }
    }

    /// Every row equals what the Evaluator (rally.evaluate) gives for that configuration's labeler.
    @Test func rowsEqualSeparateEvaluations() throws {
        let plan = try SmallSweep.plan(threads: 2)
        let table = SmallSweep.full
        let k = plan.metric
        #expect(table.columns.prefix(table.keys) == ["q", "window", "horizon", "model"])
        #expect(table.count == 12)
        for (c, configuration) in try plan.configurations().enumerated() {
            let result = try Evaluator(plan: plan.evaluationPlan(for: configuration)).run(on: SmallSweep.data, models: SmallSweep.models())
            for (m, model) in result.models.enumerated() {
                let row = table.rows[c * 3 + m]
                func value(_ column: String) throws -> Double { row[try table.column(column)].number! }
                #expect(row[3] == .text(model.name))
                #expect(try value("q") == configuration.labeler.parameters["q"]?.number)
                for metric in Metric.allCases {
                    let ours = try value(metric.rawValue), theirs = model.metrics[metric]
                    #expect(ours == theirs || (ours.isNaN && theirs.isNaN), "\(configuration.label) \(model.name) \(metric.rawValue)")
                }
                #expect(try value("\(k.rawValue)_lo") == model.interval(k).lower)
                #expect(try value("\(k.rawValue)_hi") == model.interval(k).upper)
                if let d = model.differences?[k.index] {
                    #expect(try value("\(k.rawValue)_diff") == d.value)
                    #expect(try value("\(k.rawValue)_diff_lo") == d.interval.lower)
                    #expect(try value("\(k.rawValue)_diff_hi") == d.interval.upper)
                    #expect(try value("dm_brier_p") == model.dieboldMarianoBrier?.pValue)
                    #expect(try value("dm_log_loss_p") == model.dieboldMarianoLogLoss?.pValue)
                    #expect(try value("dm_brier_statistic") == model.dieboldMarianoBrier?.statistic)
                    #expect(try value("dm_log_loss_statistic") == model.dieboldMarianoLogLoss?.statistic)
                } else {
                    #expect(try value("\(k.rawValue)_diff").isNaN)
                }
                #expect(try value("test_rows") == Double(result.testTimes.count))
                #expect(try value("positives") == Double(result.testPositives))
            }
        }
    }

    @Test func parallelAndSerialTablesAreIdentical() throws {
        let serial = try SweepRunner(plan: SmallSweep.plan(threads: 1)).run(on: SmallSweep.data, models: SmallSweep.models())
        #expect(serial.table == SmallSweep.full)
        #expect(!serial.interrupted)
        #expect(serial.table.csv() == SmallSweep.full.csv())
    }

    /// A resume file holding some configurations (as an interrupted sweep leaves it) is
    /// continued to the same table; a complete one is read back without any work.
    @Test func resumeCompletesToTheSameTable() throws {
        let path = SmallSweep.temporaryPath("resume.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let plan = try SmallSweep.plan(threads: 2)
        let first = try SweepRunner(plan: plan, resumePath: path).run(on: SmallSweep.data, models: SmallSweep.models())
        #expect(first.table == SmallSweep.full && first.runsResumed == 0)

        // keep configurations 1 and 3 only, as if the sweep had stopped
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let entries = try #require(document["configurations"] as? [[String: Any]])
        document["configurations"] = [entries[0], entries[2]]
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: path))

        var reports: [SweepProgress] = []
        let resumed = try SweepRunner(plan: plan, resumePath: path) { reports.append($0) }.run(on: SmallSweep.data, models: SmallSweep.models())
        #expect(resumed.runsResumed == 6)
        #expect(resumed.table == SmallSweep.full)
        #expect(reports.first?.runsDone == 6 && reports.last?.runsDone == 12)

        let again = try SweepRunner(plan: plan, resumePath: path).run(on: SmallSweep.data, models: SmallSweep.models())
        #expect(again.runsResumed == 12 && again.table == SmallSweep.full)
        #expect(again.fitSeconds.allSatisfy { $0.seconds == 0 })
    }

    @Test func resumeRefusesAnotherSweepsFile() throws {
        let path = SmallSweep.temporaryPath("other.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let models: [any ModelFactory] = [try ModelSpec(kind: "naive")]
        _ = try SweepRunner(plan: SmallSweep.plan(threads: 2, resamples: 0), resumePath: path).run(on: SmallSweep.data, models: models)
        #expect(throws: RallyError("""
            sweep: resume file '\(path)': written by another sweep: its bootstrap is '0 resamples, block 72, seed 11', \
            this sweep's is '40 resamples, block 72, seed 11'; delete the file or give another resume path
            """)) {
            try SweepRunner(plan: SmallSweep.plan(threads: 2), resumePath: path).run(on: SmallSweep.data, models: models)
        }
    }

    @Test func failuresNameTheConfiguration() throws {
        var plan = try SmallSweep.plan(threads: 2, resamples: 0)
        // a test period before the window fills has no rows with a label
        plan.schedule = .split(try TimeSplit(trainEnd: TimeStamp.parse("2013-01-01 10:00"), testStart: TimeStamp.parse("2013-01-01 12:00"),
                                             testEnd: TimeStamp.parse("2013-01-02"), embargoHours: 24))
        do {
            _ = try SweepRunner(plan: plan).run(on: SmallSweep.data, models: [try ModelSpec(kind: "naive")])
            Issue.record("expected the sweep to fail")
        } catch let error as RallyError {
            #expect(error.message.hasPrefix("sweep: q=0.9"))
            #expect(error.message.contains(": fold 1 (test 2013-01-01 12:00 ..) has no training rows"))
        }
    }

    @Test func tableSortsFiltersAndPivots() throws {
        let t = SmallSweep.full
        let sorted = try t.sorted(by: "pr_auc")
        let pr = try t.column("pr_auc")
        let values = sorted.rows.map { $0[pr].number! }
        #expect(values == values.sorted(by: >))
        #expect(try t.sorted(by: "brier").rows.first == t.rows[try #require(try t.best("brier"))])
        #expect(try t.sorted(by: "pr_auc", descending: false).rows.first.map { $0[pr] } == .number(values.last!))
        #expect(try t.best().map { t.rows[$0][pr] } == .number(values.first!))
        #expect(try t.top(2).count == 2)
        let model = try t.column("model")
        let gbdt = t.filtered { $0[model] == .text("gbdt") }
        #expect(gbdt.count == 4)

        #expect(throws: RallyError.self) { try t.pivot(row: "q", column: "model", value: "pr_auc") }
        let pivot = try t.filtered { $0[1] == .number(336) }.pivot(row: "q", column: "model", value: "pr_auc")
        #expect(pivot.columns == ["q", "naive", "logreg", "gbdt"])
        #expect(pivot.rows.map { $0[0] } == [.number(0.9), .number(0.95)])
        #expect(pivot.rows[1][3] == t.rows[11][pr])
        let best = try t.pivot(row: "q", column: "model", value: "pr_auc", aggregate: .best)
        #expect(best.rows[0][1] == .number(max(t.rows[0][pr].number!, t.rows[3][pr].number!)))

        let csv = t.csv().split(separator: "\n")
        #expect(csv.count == 13)
        #expect(csv[0].hasPrefix("q,window,horizon,model,roc_auc,pr_auc,"))
        #expect(throws: RallyError("sweep table: no column 'prauc'; columns: \(t.columns.joined(separator: ", "))")) {
            try t.sorted(by: "prauc")
        }
    }

    @Test func progressRendersABarAndLines() {
        let p = SweepProgress(metric: .prAUC, runsTotal: 45, runsDone: 9, runsResumed: 0, elapsed: 6,
                              leader: .init(run: "gbdt q=0.95", value: 0.675), scored: ["q=0.9 window=168: naive 0.3000 (pr_auc)"])
        #expect(p.secondsLeft == 24)
        #expect(p.bar(width: 200) == "sweep [####................] 9/45 runs  0:06 elapsed, ~0:24 left  best pr_auc 0.6750 (gbdt q=0.95)")
        #expect(p.bar(width: 30).count == 30)
        #expect(p.lines == ["sweep: 9/45 runs, 0:06 elapsed, ~0:24 left: q=0.9 window=168: naive 0.3000 (pr_auc)"])
        #expect(SweepProgress.clock(3725) == "1:02:05")
    }
}

/// The pipeline's first fits start with the costliest kind (``ModelKind/fitCost(_:)``): on one
/// worker, a gbdt fit runs before logreg's and logreg's before naive's, whatever their order in
/// the list; a calibrated gbdt ranks just above its base.
@Suite struct FitOrderTests {
    @Test func untimedFitsRunCostliestKindFirst() throws {
        let data = try SyntheticPJM.generate(years: 3, seed: 9)
        var plan = EvaluationPlan(features: .protocolV1(), labeler: .protocolV1,
                                  schedule: .split(try TimeSplit(trainEnd: TimeStamp.parse("2014-12-31 23:00"),
                                                                 testStart: TimeStamp.parse("2015-01-01 00:00"), embargoHours: 24)),
                                  bootstrap: BlockBootstrap(resamples: 0))
        plan.threads = 1
        let gbdt = try ModelSpec(kind: "gbdt", parameters: ["rounds": .number(30), "nthread": .number(1)])
        let models: [any ModelFactory] = [try ModelSpec(kind: "naive"), try ModelSpec(kind: "logreg"), gbdt,
                                          try ModelSpec(calibrating: gbdt, parameters: ["method": .string("platt")])]
        #expect(models.map { $0.sendableSpec!.fitCost } == [0, 1, 3, 3.5])
        let pipeline = EvaluationPipeline(plan: plan, configurations: [SweepConfiguration(index: 0, values: [], labeler: plan.labeler)],
                                          command: "evaluate")
        let baseline = try pipeline.check(dataset: data, names: models.map(\.name))
        var finished: [Int] = []
        var listener = EvaluationPipeline.Listener()
        listener.runFinished = { _, m in finished.append(m) }
        try pipeline.run(on: data, models: models, baseline: baseline, listener: listener)
        #expect(finished == [3, 2, 1, 0])
    }
}
