import Foundation
import Testing
@testable import RallyEngine

/// rally.forecast's engine: which rows train and which are scored, leak-proofness by
/// perturbing the future, equality with the fitted model's own prediction, and the files.
@Suite struct ForecastTests {
    /// One synthetic year whose last `open` hours have no price: the load forecasts for the
    /// target hours are there, as they would be the day before.
    static func data(open: Int = 24) throws -> Dataset {
        var ds = try SyntheticPJM.generate(years: 1, seed: 3)
        let p = ds.names.firstIndex(of: "price")!
        for i in (ds.count - open)..<ds.count { ds.columns[p][i] = .nan }
        return ds
    }

    static let model = try! ModelSpec(kind: "gbdt", parameters: ["rounds": .number(25), "max_depth": .number(3), "eta": .number(0.3), "nthread": .number(1)])
    static let plan = ForecastPlan(features: .protocolV1(), labeler: .protocolV1, costRatio: 10, top: 3)

    static func price(_ ds: Dataset) -> Int { ds.names.firstIndex(of: "price")! }

    @Test func latestScoresEveryOpenHourAndTrainsOnKnownLabelsOnly() throws {
        let ds = try Self.data()
        let f = try Forecaster.run(Self.plan, on: ds, factory: Self.model)
        let n = ds.count
        // the last labelled row reads the last price (row n - 25): rows n - 48 ..< n - 24 are open
        #expect(f.issuedAt == ds.timestamps[n - 48])
        #expect(f.rows.map(\.issuedAt) == Array(ds.timestamps[(n - 48)..<(n - 24)]))
        #expect(f.rows.map(\.target) == f.rows.map { $0.issuedAt + 24 * 3600 })
        #expect(f.rows.allSatisfy { $0.outcome == nil && $0.reasons.count <= 3 && $0.alarm == ($0.probability >= 1.0 / 11) })
        // the newest training label is known at the issue time, the next one would not be
        #expect(f.trainingWindow.last == f.issuedAt - 24 * 3600)
        let labels = try Labeler.protocolV1.apply(to: ds)
        #expect(f.rows.map(\.threshold) == Array(labels.thresholds[(n - 48)..<(n - 24)]))
    }

    @Test func aForecastIsTheFittedModelsPredictionAndItsReasons() throws {
        let ds = try Self.data()
        let f = try Forecaster.run(Self.plan, on: ds, factory: Self.model)
        let labels = try Labeler.protocolV1.apply(to: ds)
        let X = try FeatureSpec.protocolV1().build(on: ds, labels: labels)
        let rows = f.rows.map { ds.firstRow(atOrAfter: $0.issuedAt) }
        let design = X.design(rows: rows)
        #expect(try f.fitted.predict(design) == f.rows.map(\.probability))
        let e = try f.fitted.explanation(design)
        #expect(f.rows.enumerated().allSatisfy { k, r in r.reasons.map(\.feature) == e.topDrivers(row: k, count: 3).map(\.feature) })
        // and the same model's backtest prediction for a row equals the forecast issued at it
        let past = ForecastPlan(features: .protocolV1(), labeler: .protocolV1, at: ds.timestamps[5_000], costRatio: 10, top: 3)
        let g = try Forecaster.run(past, on: ds, factory: Self.model)
        #expect(try g.fitted.predict(X.design(rows: [5_000, 5_001])) == [g.rows[0].probability, g.rows[1].probability])
        #expect(g.rows.count == 24 && g.rows.allSatisfy { $0.outcome != nil })
    }

    @Test func changingAPriceAfterTheIssueTimeChangesNoForecast() throws {
        let ds = try Self.data()
        let plan = ForecastPlan(features: .protocolV1(), labeler: .protocolV1, at: ds.timestamps[6_000], costRatio: 10, top: 3)
        let base = try Forecaster.run(plan, on: ds, factory: Self.model)
        for k in [0, 9, 23] {
            let issued = ds.firstRow(atOrAfter: base.rows[k].issuedAt)
            var changed = ds
            for i in (issued + 1)..<ds.count { changed.columns[Self.price(ds)][i] *= 3 }
            var again = try Forecaster.run(plan, on: changed, factory: Self.model).rows[k]
            again.outcome = base.rows[k].outcome  // the outcome is the future: it may change
            #expect(again == base.rows[k], "row \(k): a price after its issue time changed it")
            // the test can fail: a price at the issue time does change the row
            var now = ds
            now.columns[Self.price(ds)][issued] *= 3
            #expect(try Forecaster.run(plan, on: now, factory: Self.model).rows[k] != base.rows[k])
        }
    }

    @Test func unscorableHoursNameTheMissingKnownAheadColumns() throws {
        let ds = try SyntheticPJM.generate(years: 1, seed: 3)  // no load forecasts past the last price
        #expect {
            try Forecaster.run(Self.plan, on: ds, factory: Self.model)
        } throws: { error in
            let m = (error as? RallyError)?.message ?? ""
            return m.contains("sys_load_fc_rel") && m.contains("must carry sys_load_fc, zonal_load_fc through")
        }
        let late = ForecastPlan(features: .protocolV1(), labeler: .protocolV1, at: ds.timestamps[ds.count - 1] + 3600)
        #expect(throws: RallyError.self) { try Forecaster.run(late, on: ds, factory: Self.model) }
    }

    @Test func featureMatricesTellScorableFromTrainableRows() throws {
        let ds = try Self.data()
        let labels = try Labeler.protocolV1.apply(to: ds)
        let X = try FeatureSpec.protocolV1().build(on: ds, labels: labels)
        let open = X.openRows(labeledBy: labels)
        #expect(open == Array((ds.count - 48)..<(ds.count - 24)))
        #expect(Set(X.scorableRows) == Set(X.rows(labeledBy: labels)).union(open))
        let known = X.rows(labeledBy: labels, knownAt: ds.timestamps[1_000], step: 3600)
        #expect(known.last == 976 && known == X.rows(labeledBy: labels).filter { $0 <= 976 })
    }

    @Test func filesHoldOneRowPerHour() throws {
        let ds = try Self.data()
        let f = try Forecaster.run(Self.plan, on: ds, factory: Self.model)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rally-forecast-\(ProcessInfo.processInfo.processIdentifier)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let paths = try f.write(to: dir)
        let csv = try String(contentsOfFile: paths[0], encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "issued_at,target,threshold,probability,alarm,reasons" && csv.count == 25)
        let json = try String(contentsOfFile: paths[1], encoding: .utf8)
        #expect(json == f.json().text() && json.contains("\"issued_at\": \"\(TimeStamp.format(f.issuedAt))\""))
        #expect(f.table.split(separator: "\n").count == 26)
    }
}

extension ForecastTests {
    @Test func dailyAnyTargetsTheNextDay() throws {
        let ds = try Self.data(open: 48)
        let daily = Labeler.dailyAny(column: "price", threshold: .quantile(q: 0.95, window: 672))
        let plan = ForecastPlan(features: .protocolV1(), labeler: daily, at: ds.timestamps[5_000] + 5 * 3600, costRatio: 10, top: 1)
        let f = try Forecaster.run(plan, on: ds, factory: Self.model)
        #expect(f.rows.allSatisfy { $0.target % TimeStamp.day == 0 && $0.target > $0.issuedAt && $0.target - $0.issuedAt <= TimeStamp.day })
        #expect(f.rows.count == f.horizon)
    }
}

// MARK: bundles

extension ForecastTests {
    /// A bundle of `f` written to a scratch file and read back.
    static func roundTrip(_ f: Forecast, _ name: String) throws -> ModelBundle {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rally-bundle-\(ProcessInfo.processInfo.processIdentifier)-\(name).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try ModelBundle(f).write(to: path)
        return try ModelBundle.load(from: path)
    }

    @Test func aForecastFromTheBundleIsTheInMemoryForecastBitForBit() throws {
        let ds = try Self.data()
        let calibrated = try ModelSpec(calibrating: Self.model, parameters: ["method": .string("isotonic"), "holdout": .string("60d")])
        for factory in [Self.model, try ModelSpec(kind: "logreg"), calibrated] {
            let f = try Forecaster.run(Self.plan, on: ds, factory: factory)
            let bundle = try Self.roundTrip(f, factory.name)
            #expect(bundle.features == Self.plan.features && bundle.labeler == Self.plan.labeler && bundle.step == 3600)
            #expect(bundle.training.rows == f.trainingRows && bundle.training.last == f.trainingWindow.last && bundle.training.issuedAt == f.issuedAt)
            #expect(bundle.data.sha256 == ds.valuesSHA256 && bundle.versions.xgboost == BuildInfo.xgboostVersion)
            #expect(bundle.columns == ["price", "sys_load_fc", "zonal_load_fc"])
            let g = try Forecaster.run(ForecastPlan(features: .protocolV1(), labeler: .protocolV1, costRatio: 10, top: 3), on: ds, bundle: bundle)
            #expect(g.rows == f.rows, "\(factory.name): a forecast from the bundle differs from the in-memory one")
            #expect(g.issuedAt == f.issuedAt && g.trainingRows == f.trainingRows && g.model == f.model)
            // the re-saved bundle of a bundle's forecast is the same bundle
            #expect(try ModelBundle(g).json() == (try bundle.json()))
        }
    }

    @Test func aBundleForecastIssuedAtTIsTheBundledModelsPredictionForT() throws {
        let ds = try Self.data()
        let past = ForecastPlan(features: .protocolV1(), labeler: .protocolV1, at: ds.timestamps[5_000], costRatio: 10, top: 3)
        let bundle = try Self.roundTrip(try Forecaster.run(past, on: ds, factory: Self.model), "past")
        let later = ForecastPlan(features: .protocolV1(), labeler: .protocolV1, at: ds.timestamps[6_000], costRatio: 10, top: 3)
        let g = try Forecaster.run(later, on: ds, bundle: bundle)
        let X = try FeatureSpec.protocolV1().build(on: ds, labels: try Labeler.protocolV1.apply(to: ds))
        #expect(try bundle.model.predict(X.design(rows: Array(6_000..<6_024))) == g.rows.map(\.probability))
        // no refit: prices after the bundle's training window change its forecast only through the features
        var changed = ds
        for i in 6_001..<ds.count { changed.columns[Self.price(ds)][i] *= 3 }
        var first = try Forecaster.run(later, on: changed, bundle: bundle).rows[0]
        first.outcome = g.rows[0].outcome
        #expect(first == g.rows[0])
    }

    @Test func dataThatDoNotFitTheBundleAreRefusedNamingWhatDiffers() throws {
        let ds = try Self.data()
        let bundle = try Self.roundTrip(try Forecaster.run(Self.plan, on: ds, factory: Self.model), "misfit")
        func refusal(_ data: Dataset, at: Int64? = nil) -> String {
            do {
                _ = try Forecaster.run(ForecastPlan(features: .protocolV1(), labeler: .protocolV1, at: at), on: data, bundle: bundle)
                return "no error"
            } catch { return (error as? RallyError)?.message ?? "\(error)" }
        }
        let j = ds.names.firstIndex(of: "zonal_load_fc")!
        var lacking = ds
        lacking.names.remove(at: j)
        lacking.columns.remove(at: j)
        #expect(refusal(lacking).contains("the data lack column zonal_load_fc"))
        let every2 = Array(stride(from: 0, to: ds.count, by: 2))
        let coarse = Dataset(timestamps: every2.map { ds.timestamps[$0] }, names: ds.names, columns: ds.columns.map { c in every2.map { c[$0] } })
        #expect(refusal(coarse).contains("the data's time step is 2 h, the bundle's 1 h"))
        let cut = ds.firstRow(atOrAfter: bundle.training.last)
        let older = Dataset(timestamps: Array(ds.timestamps[..<cut]), names: ds.names, columns: ds.columns.map { Array($0[..<cut]) })
        #expect(refusal(older).contains("not after the bundle's training window"))
        #expect(refusal(ds, at: ds.timestamps[5_000]).contains("is before \(TimeStamp.format(bundle.training.issuedAt))"))
        #expect(refusal(ds) == "no error")
    }
}

extension ForecastTests {
    /// A zoned dataset's forecast names its hours in market time, with their UTC offsets, in the
    /// table, forecast.csv and forecast.json.
    @Test func aZonedForecastPrintsMarketTime() throws {
        var ds = try Self.data()
        let naive = try Forecaster.run(Self.plan, on: ds, factory: Self.model)
        ds.zone = try MarketZone.named("America/New_York")
        let f = try Forecaster.run(Self.plan, on: ds, factory: Self.model)
        #expect(f.rows.map(\.target) == naive.rows.map(\.target))   // the same instants; calendar features now read local hours
        let first = f.rows[0]
        let local = ds.zone.format(first.target)
        #expect(local == TimeStamp.format(first.target, offset: ds.zone.offset(at: first.target)))
        #expect(local.hasSuffix("-05:00") || local.hasSuffix("-04:00"))
        let lines = f.table.split(separator: "\n")
        #expect(lines[1].hasPrefix("issued at               target                  threshold"))
        #expect(lines[2].hasPrefix(ds.zone.format(first.issuedAt) + "  " + local + "  "))
        #expect(f.csv().contains("," + local + ","))
        #expect(f.json().text().contains("\"target\": \"\(local)\""))
    }

    /// `at` given as text is market time on a zoned dataset, or the instant its offset names.
    @Test func aZonedForecastIssuesAtMarketTime() throws {
        var ds = try Self.data()
        ds.zone = try MarketZone.named("America/New_York")
        let t = ds.timestamps[ds.count - 40]
        func plan(_ at: String) throws -> ForecastPlan {
            let values = try OptionValues(EntryPointOptions.forecast, given: ["at": .string(at)])
            return try ForecastPlan(values, features: .protocolV1(), labeler: .protocolV1)
        }
        let reading = TimeStamp.format(ds.zone.local(t))
        #expect(try Forecaster.run(try plan(reading), on: ds, factory: Self.model).rows[0].issuedAt == t)
        #expect(try Forecaster.run(try plan(TimeStamp.format(t, offset: 0)), on: ds, factory: Self.model).rows[0].issuedAt == t)
        var wall = ds
        wall.zone = .wallClock
        let e = #expect(throws: RallyError.self) { _ = try Forecaster.run(try plan("2018-01-01 00:00Z"), on: wall, factory: Self.model) }
        #expect(e?.option == "at")
    }
}
