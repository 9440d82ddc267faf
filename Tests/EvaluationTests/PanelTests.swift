import Foundation
import Testing
@testable import RallyEngine

/// Panels of locations: the synthetic panel, per-location figures equal to evaluating each
/// location alone, and a panel bootstrap that keeps the dependence across locations.
@Suite(.serialized) struct PanelTests {
    static func schedule() throws -> EvaluationSchedule {
        .split(try TimeSplit(trainEnd: TimeStamp.parse("2014-12-31 23:00"), testStart: TimeStamp.parse("2015-01-01"), embargoHours: 24))
    }

    static func models() throws -> [any ModelFactory] { [try ModelSpec(kind: "naive"), try ModelSpec(kind: "logreg")] }

    static func plan(locations: [String], resamples: Int = 60, threads: Int = 2) throws -> EvaluationPlan {
        var plan = EvaluationPlan(features: .protocolV1(), labeler: .protocolV1, schedule: try schedule(),
                                  bootstrap: BlockBootstrap(block: 168, resamples: resamples, seed: 7), threads: threads)
        plan.locations = locations
        return plan
    }

    @Test func syntheticPanelSharesTheSystemAndIsDeterministic() throws {
        let a = try SyntheticPanel.generate(locations: 4, years: 2, seed: 3)
        let b = try SyntheticPanel.generate(locations: 4, years: 2, seed: 3)
        let c = try SyntheticPanel.generate(locations: 4, years: 2, seed: 4)
        #expect(a.columns == b.columns && a.names == b.names && a.timestamps == b.timestamps)
        #expect(a.columns != c.columns)
        #expect(a.locations.map(\.name) == ["WESTERN HUB", "COMED", "AEP", "DOMINION"])
        #expect(a.names == ["sys_load_fc"] + a.locations.flatMap { [$0.name + ".price", $0.name + ".zonal_load_fc"] })
        // the shared column is the one-series generator's, which stays as it was
        let system = try SyntheticPJM.generate(years: 2, seed: 3)
        #expect(a.column(named: "sys_load_fc") == system.column(named: "sys_load_fc"))
        // locations differ but move together (shared stress)
        let west = try a.location("WESTERN HUB"), comed = try a.location("COMED")
        #expect(west.names == ["price", "zonal_load_fc", "sys_load_fc"])
        let x = west.column(named: "price")!, y = comed.column(named: "price")!
        #expect(x != y)
        #expect(Self.correlation(x, y) > 0.6)
        // the first locations do not change when more are asked for
        let more = try SyntheticPanel.generate(locations: 6, years: 2, seed: 3)
        #expect(try more.location("AEP").columns == a.location("AEP").columns)
        #expect(try SyntheticPanel.generate(locations: 14, years: 1).locations.last?.name == "ZONE 14")
        for bad in [0, SyntheticPanel.maximumLocations + 1] {
            #expect(throws: RallyError.self) { try SyntheticPanel.generate(locations: bad, years: 1) }
        }
    }

    static func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (a, b) in zip(x, y) { sxy += (a - mx) * (b - my); sxx += (a - mx) * (a - mx); syy += (b - my) * (b - my) }
        return sxy / (sxx * syy).squareRoot()
    }

    /// Each location's figures are exactly what evaluating that location alone gives; the panel
    /// row's points are the stacked rows' figures; threads change nothing.
    @Test func locationsEqualTheirOwnEvaluationAndThePanelPools() throws {
        let data = try SyntheticPanel.generate(locations: 3, years: 3, seed: 2)
        let names = try data.panelLocations(["all"])
        let panel = try Evaluator(plan: Self.plan(locations: names)).run(on: data, models: Self.models())
        let alone = try Evaluator(plan: Self.plan(locations: [])).run(on: data.location("COMED"), models: Self.models())
        let comed = try #require(panel.panel).result("COMED")
        #expect(comed.testTimes == alone.testTimes)
        for (a, b) in zip(comed.models, alone.models) {
            #expect(a.predictions == b.predictions && a.metrics == b.metrics && a.intervals == b.intervals)
        }
        let results = try #require(panel.panel).results
        #expect(panel.testTimes.count == results.reduce(0) { $0 + $1.testTimes.count })
        #expect(panel.panel?.rowLocations.filter { $0 == 1 }.count == comed.testTimes.count)
        #expect(panel.models[1].predictions == results.flatMap { $0.models[1].predictions })
        let climatology = results.flatMap { r in r.folds.flatMap { [Double](repeating: $0.trainBaseRate, count: $0.testRows) } }
        let stacked = try ForecastScorer(labels: panel.testLabels, probabilities: panel.models[1].predictions, climatology: climatology).score()
        #expect(stacked == panel.models[1].metrics)
        #expect(panel.models[1].differences != nil && panel.models[1].dieboldMarianoBrier != nil)
        let serial = try Evaluator(plan: Self.plan(locations: names, threads: 1)).run(on: data, models: Self.models())
        #expect(serial.models.map(\.intervals) == panel.models.map(\.intervals))
    }

    /// The panel bootstrap resamples the same time blocks for every location: a panel of two
    /// identical locations has exactly the one location's intervals (independent blocks per
    /// location would narrow them, as if the copies were new evidence), and a panel of one
    /// location is that location's own bootstrap.
    @Test func panelBootstrapKeepsTheDependenceAcrossLocations() throws {
        let one = try SyntheticPJM.generate(years: 3, seed: 5)
        let price = one.column(named: "price")!, zonal = one.column(named: "zonal_load_fc")!, system = one.column(named: "sys_load_fc")!
        let twins = Dataset(timestamps: one.timestamps, names: ["sys_load_fc", "A.price", "A.zonal_load_fc", "B.price", "B.zonal_load_fc"],
                            columns: [system, price, zonal, price, zonal],
                            locations: [Location(name: "A", id: "A", members: [.init(name: "price", column: 1), .init(name: "zonal_load_fc", column: 2)]),
                                        Location(name: "B", id: "B", members: [.init(name: "price", column: 3), .init(name: "zonal_load_fc", column: 4)])])
        let panel = try Evaluator(plan: Self.plan(locations: ["A", "B"], resamples: 100)).run(on: twins, models: Self.models())
        let alone = try Evaluator(plan: Self.plan(locations: [], resamples: 100)).run(on: one, models: Self.models())
        for (p, a) in zip(panel.models, alone.models) {
            for metric in [Metric.prAUC, .rocAUC, .brier] {
                #expect(abs(p.metrics[metric] - a.metrics[metric]) < 1e-12)
                #expect(abs(p.interval(metric).lower - a.interval(metric).lower) < 1e-12)
                #expect(abs(p.interval(metric).upper - a.interval(metric).upper) < 1e-12)
            }
        }
        let single = try Evaluator(plan: Self.plan(locations: ["B"], resamples: 100)).run(on: twins, models: Self.models())
        #expect(single.models.map(\.intervals) == single.panel?.results[0].models.map(\.intervals))
        #expect(single.models[1].differences.map { $0.map(\.interval) } == alone.models[1].differences.map { $0.map(\.interval) })
    }

    @Test func panelTableAndArtifactsCarryTheLocations() throws {
        let data = try SyntheticPanel.generate(locations: 3, years: 3, seed: 2)
        let result = try Evaluator(plan: Self.plan(locations: ["AEP", "WESTERN HUB"], resamples: 20)).run(on: data, models: Self.models())
        let text = ComparisonTable(result).text
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("panel of 2 locations (AEP, WESTERN HUB): test 2015-01-01 00:00"))
        #expect(lines[1].contains("ΔPR-AUC vs naive [95% CI]"))
        #expect(lines[2].hasPrefix("AEP: naive ") && lines[4].hasPrefix("WESTERN HUB: naive ") && lines[7].hasPrefix("panel: logreg "))
        let artifacts = EvaluationArtifacts(result)
        let predictions = artifacts.predictionsCSV().text().split(separator: "\n")
        #expect(predictions[0] == "location,ts,y,price,threshold,p_naive,p_logreg")
        #expect(predictions[1].hasPrefix("AEP,2015-01-01 00:00,") && predictions.last!.hasPrefix("WESTERN HUB,"))
        #expect(predictions.count == result.testTimes.count + 1)
        let table = artifacts.benchmarkTableCSV().text().split(separator: "\n")
        #expect(table[0].hasPrefix("location,model,kind,roc_auc,"))
        #expect(table.dropFirst().map { String($0.prefix { $0 != "," }) } == ["AEP", "AEP", "WESTERN HUB", "WESTERN HUB", "panel", "panel"])
        guard case .object(let fields) = artifacts.metricsJSON() else { Issue.record("metrics.json is not an object"); return }
        #expect(fields.prefix(3).map(\.0) == ["locations", "by_location", "baseline"])
        // one series: no location anywhere
        let single = try Evaluator(plan: Self.plan(locations: [], resamples: 20)).run(on: data.location("AEP"), models: Self.models())
        #expect(EvaluationArtifacts(single).predictionsCSV().text().hasPrefix("ts,y,price"))
        guard case .object(let plain) = EvaluationArtifacts(single).metricsJSON() else { return }
        #expect(plain.first?.0 == "baseline")
    }

    /// A location axis: every labeler configuration on every location, location the first key;
    /// each row is what evaluating that location with that labeler gives.
    @Test func sweepOverLocations() throws {
        let data = try SyntheticPanel.generate(locations: 3, years: 3, seed: 2)
        var plan = SweepPlan(features: .protocolV1(), labeler: .protocolV1,
                             grid: try SweepGrid([SweepAxis(name: "q", values: [.number(0.9), .number(0.95)])]),
                             schedule: try Self.schedule(), bootstrap: BlockBootstrap(block: 168, resamples: 30, seed: 7))
        plan.locations = ["AEP", "COMED"]
        let table = try SweepRunner(plan: plan).run(on: data, models: Self.models()).table
        #expect(Array(table.columns.prefix(table.keys)) == ["location", "q", "window", "horizon", "model"])
        #expect(table.rows.map { $0[0].description } == ["AEP", "AEP", "AEP", "AEP", "COMED", "COMED", "COMED", "COMED"])
        let alone = try Evaluator(plan: Self.plan(locations: ["COMED"], resamples: 30)).run(on: data, models: Self.models())
        let j = try table.column("pr_auc"), lo = try table.column("pr_auc_lo")
        #expect(table.rows[7][j].number == alone.models[1].metrics[.prAUC])
        #expect(table.rows[7][lo].number == alone.models[1].interval(.prAUC).lower)
        let pivot = try table.filtered { $0[4].description == "logreg" }.pivot(row: "location", column: "q", value: "pr_auc")
        #expect(pivot.rows.map { $0[0].description } == ["AEP", "COMED"] && pivot.columns.count == 3)
        var axes = [SweepAxis(name: "q", values: [.number(0.9)]), SweepAxis(name: "location", values: [.string("AEP"), .number(51288)])]
        #expect(SweepPlan.takeLocationAxis(&axes) == ["AEP", "51288"] && axes.map(\.name) == ["q"])
        #expect(throws: RallyError.self) { try SweepPlan.panelLocations(axis: ["AEP"], option: ["AEP"], dataset: data) }
        #expect(try SweepPlan.panelLocations(axis: nil, option: nil, dataset: data).isEmpty)
    }

    /// Global models: one fit per fold on the stacked rows; beside the per-location ones with
    /// training = both. A global model of one location is that location's own model.
    @Test func globalModelsBesidePerLocationOnes() throws {
        let data = try SyntheticPanel.generate(locations: 3, years: 3, seed: 2)
        var plan = try Self.plan(locations: ["COMED"], resamples: 20)
        plan.training = .both
        let one = try Evaluator(plan: plan).run(on: data, models: Self.models())
        #expect(one.models.map(\.name) == ["naive", "logreg", "naive_global", "logreg_global"])
        let comed = try #require(one.panel).results[0]
        #expect(comed.models[3].predictions == comed.models[1].predictions)
        #expect(comed.models[3].differences?[Metric.prAUC.index].value == comed.models[1].differences?[Metric.prAUC.index].value)

        plan.locations = ["AEP", "WESTERN HUB", "COMED"]
        plan.locationFeature = true
        let both = try Evaluator(plan: plan).run(on: data, models: Self.models())
        let aep = try #require(both.panel).results[0]
        #expect(aep.models[3].predictions != aep.models[1].predictions)
        #expect(aep.models[3].importance == nil && aep.models[3].differences != nil && aep.models[3].dieboldMarianoBrier != nil)
        #expect(both.models[3].predictions == both.panel!.results.flatMap { $0.models[3].predictions })
        // the per-location models are exactly the per-location training's
        var local = plan
        local.training = .perLocation
        let alone = try Evaluator(plan: local).run(on: data, models: Self.models())
        #expect(alone.models[1].predictions == both.models[1].predictions)

        plan.training = .global
        plan.baseline = "naive"
        let global = try Evaluator(plan: plan).run(on: data, models: Self.models())
        #expect(global.models.map(\.name) == ["naive", "logreg"])
        #expect(global.models[1].predictions == both.models[3].predictions)
        var lone = try Self.plan(locations: [])
        lone.training = .global
        #expect(throws: RallyError.self) { try Evaluator(plan: lone).run(on: data.location("AEP"), models: Self.models()) }
    }

    /// rally.report on a panel's artifacts: PR-AUC by location with intervals (table and figure),
    /// the panel row, where the global model wins or loses; the same artifacts give the same bytes.
    @Test func reportOfAPanel() throws {
        let data = try SyntheticPanel.generate(locations: 2, years: 3, seed: 2)
        var plan = try Self.plan(locations: ["WESTERN HUB", "COMED"], resamples: 20)
        plan.training = .both
        let result = try Evaluator(plan: plan).run(on: data, models: Self.models())
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("rally-panel-report-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let artifacts = base.appendingPathComponent("artifacts").path, out = base.appendingPathComponent("report").path
        _ = try EvaluationArtifacts(result).write(to: artifacts, recipe: "test", data: data.report, rows: data.count, given: [], hostVersions: [])
        var options = ReportOptions()
        options.artifacts = artifacts
        options.out = out
        options.name = "panel"
        let output = try ReportBuilder.render(options)
        let markdown = try String(contentsOfFile: output.markdown, encoding: .utf8)
        #expect(markdown.hasPrefix("# Rally risk across 2 locations"))
        let row = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| COMED | ") })
        let comed = try #require(result.panel).results[1].models[1]
        #expect(row.contains(Format.fixed(comed.metrics[.prAUC], digits: 3) + " [" + Format.fixed(comed.interval(.prAUC).lower, digits: 3)))
        #expect(markdown.contains("| **panel** | ") && markdown.contains("`logreg_global` vs `logreg`: better at "))
        #expect(output.figures.map { URL(fileURLWithPath: $0).lastPathComponent } == ["panel_locations.svg"])
        let svg = try String(contentsOfFile: output.figures[0], encoding: .utf8)
        #expect(svg.contains("<title>COMED, logreg: ") && svg.contains(">panel</text>"))
        let html = try Data(contentsOf: URL(fileURLWithPath: output.html))
        _ = try ReportBuilder.render(options)
        #expect(try Data(contentsOf: URL(fileURLWithPath: output.html)) == html)
    }

    @Test func locationsAreCheckedAgainstTheDataset() throws {
        let data = try SyntheticPanel.generate(locations: 3, years: 1, seed: 1)
        #expect(try data.panelLocations(["all"]) == ["WESTERN HUB", "COMED", "AEP"])
        #expect(try data.panelLocations(["AEP", "COMED"]) == ["AEP", "COMED"])
        func message(_ keys: [String], on dataset: Dataset) -> String? {
            do { _ = try dataset.panelLocations(keys); return nil } catch let e as RallyError { return e.message } catch { return "\(error)" }
        }
        #expect(message(["NORTH"], on: data)?.hasPrefix("no location 'NORTH'; locations: WESTERN HUB, COMED, AEP") == true)
        #expect(message(["AEP", "AEP"], on: data) == "location 'AEP' is named twice")
        #expect(message([], on: data) == "no locations given; name some, or give \"all\"")
        #expect(message(["all"], on: try SyntheticPJM.generate(years: 1))?.hasPrefix("this dataset holds one series") == true)
    }
}
