import Testing
@testable import RallyEngine

private func same(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.isNaN ? $1.isNaN : $0 == $1 }
}

@Test func nercHolidaysWithTheSundayRule() {
    func dates(_ year: Int) -> [String] {
        NERCHolidays.days(in: year).map { String(TimeStamp.format($0 * TimeStamp.day).prefix(10)) }
    }
    // 2017: New Year's Day on a Sunday is observed on Monday 2 January.
    #expect(dates(2017) == ["2017-01-02", "2017-05-29", "2017-07-04", "2017-09-04", "2017-11-23", "2017-12-25"])
    // 2016: Christmas on a Sunday moves to Monday 26 December.
    #expect(dates(2016) == ["2016-01-01", "2016-05-30", "2016-07-04", "2016-09-05", "2016-11-24", "2016-12-26"])
    // 2022: New Year's Day on a Saturday is not moved.
    #expect(dates(2022) == ["2022-01-01", "2022-05-30", "2022-07-04", "2022-09-05", "2022-11-24", "2022-12-26"])
    #expect(NERCHolidays.contains(day: TimeStamp.days(year: 2018, month: 11, day: 22)))
    #expect(!NERCHolidays.contains(day: TimeStamp.days(year: 2017, month: 1, day: 1)))
}

@Test func calendarFeaturesDescribeTheTargetHour() throws {
    let start = TimeStamp.make(year: 2016, month: 12, day: 31, hour: 22)
    let data = Dataset(timestamps: (0..<4).map { start + Int64($0) * 3600 }, names: ["price"], columns: [[1, 2, 3, 4]])
    let spec = FeatureSpec(horizon: 24, features: CalendarField.allCases.map { Feature(.calendar($0)) })
    let m = try spec.build(on: data)
    // Targets: 2017-01-01 22:00 and 23:00 (Sunday, day 1), 2017-01-02 00:00 and 01:00 (Monday, observed holiday).
    #expect(m.names == ["hour", "dow", "month", "weekend", "doy", "holiday"])
    #expect(m.column(named: "hour") == [22, 23, 0, 1])
    #expect(m.column(named: "dow") == [6, 6, 0, 0])
    #expect(m.column(named: "month") == [1, 1, 1, 1])
    #expect(m.column(named: "weekend") == [1, 1, 0, 0])
    #expect(m.column(named: "doy") == [1, 1, 2, 2])
    #expect(m.column(named: "holiday") == [0, 0, 1, 1])
    #expect(m.usableCount == 4, "calendar features are defined even where t + H is past the data")
}

@Test func everyFeatureKindComputesItsDefinition() throws {
    let x: [Double] = [2, 4, 0, 8, 6, 10]
    let f: [Double] = [10, 20, 30, 40, 50, 60]
    let data = Dataset(timestamps: (0..<6).map { Int64($0) * 3600 }, names: ["price", "fc"], columns: [x, f])
    let spec = FeatureSpec(horizon: 2, features: [
        Feature(.lag(column: "price", steps: 1)),
        Feature(.rolling(column: "price", statistic: .min, window: 2)),
        Feature(.relativeToMean(column: "price", window: 2)),
        Feature(.knownAhead(column: "fc")),
        Feature(.knownAheadRelative(column: "fc", window: 2)),
        Feature(.lag(column: "fc", steps: 0)),
        Feature(.ratio(numerator: "lag1", denominator: "min2")),
        Feature(name: "change", source: .difference(minuend: "fc_lag0", subtrahend: "fc")),
        Feature(.gapToThreshold(column: "price")),
    ])
    #expect(spec.names == ["lag1", "min2", "rel2", "fc", "fc_rel", "fc_lag0", "lag1/min2", "change", "gap_to_thr"])
    #expect(spec.features[4].description == "fc_rel = fc[t+H] / mean(fc[t-1 ... t])")
    let labels = LabelSeries(labels: [Double](repeating: .nan, count: 6), thresholds: [1, 2, 4, 0, 3, 5], horizon: 2)
    let m = try spec.build(on: data, labels: labels)
    #expect(same(m.columns[0], [.nan, 2, 4, 0, 8, 6]))
    #expect(same(m.columns[1], [.nan, 2, 0, 0, 6, 6]))
    #expect(same(m.columns[2], [.nan, 4 / 3.0, 0, 2, 6 / 7.0, 10 / 8.0]))
    #expect(same(m.columns[3], [30, 40, 50, 60, .nan, .nan]))
    #expect(same(m.columns[4], [.nan, 40 / 15.0, 50 / 25.0, 60 / 35.0, .nan, .nan]))
    #expect(same(m.columns[6], [.nan, 1, .nan, .nan, 8 / 6.0, 1]), "a ratio with a zero denominator is missing, not infinite")
    #expect(same(m.columns[7], [-20, -20, -20, -20, .nan, .nan]))
    #expect(same(m.columns[8], [2, 2, 0, .nan, 2, 2]))
    #expect(m.usable == [false, true, false, false, false, false])
}

@Test func specsAreCheckedBeforeBuilding() throws {
    let data = TestData.dataset(rows: 100, seed: 3)
    func message(_ spec: FeatureSpec, labels: LabelSeries? = nil) -> String {
        do { _ = try spec.build(on: data, labels: labels); return "no error" } catch { return "\(error)" }
    }
    #expect(message(FeatureSpec(features: [Feature(.lag(column: "price", steps: 0)), Feature(.lag(column: "price", steps: 0))]))
            == "features: two features are named 'lag0'")
    #expect(message(FeatureSpec(features: [Feature(.ratio(numerator: "a", denominator: "b"))]))
            == "features: feature 'a/b': 'a' is not a feature defined before it")
    #expect(message(FeatureSpec(features: [Feature(.rolling(column: "price", statistic: .std, window: 1))]))
            == "features: feature 'std1': std needs a window of at least 2 (sample std, n - 1), got 1")
    #expect(message(FeatureSpec(features: [Feature(.lag(column: "load", steps: 1))]))
            == "features: feature 'load_lag1': no column 'load' in the dataset (columns: price, sys_load_fc, zonal_load_fc)")
    #expect(message(FeatureSpec(features: [Feature(.rolling(column: "price", statistic: .max, window: 101))]))
            == "features: feature 'max101' reaches 101 rows back, longer than the data (100 rows)")
    #expect(message(FeatureSpec(horizon: 100, features: [Feature(.knownAhead(column: "sys_load_fc"))]))
            == "features: horizon 100 is longer than the data (100 rows)")
    #expect(message(FeatureSpec(horizon: 24, features: []))
            == "features: the spec builds no columns; give at least one of lags, rolling, relative, gap_to_thr, calendar, exogenous")
    #expect(message(FeatureSpec.protocolV1()) == "features: gap_to_thr needs the labeler's threshold series: build with a labeler")
    #expect(FeatureSpec.protocolV1().description.hasPrefix("FeatureSpec (horizon 24): lag0, lag1, lag2, lag23, lag144, mean24"))
}

/// `build(on:labeler:)` (what `fx:build(ds, labeler)` calls): the labeler's threshold series when
/// a feature reads it, each error about the argument it comes from.
@Test func buildWithALabelerAttributesErrorsToTheirArgument() throws {
    let data = TestData.dataset(rows: 1000, seed: 5)
    let spec = FeatureSpec.protocolV1(), lab = Labeler.protocolV1
    let direct = try spec.build(on: data, labels: try lab.apply(to: data))
    let viaLabeler = try spec.build(on: data, labeler: lab)
    #expect(viaLabeler.names == direct.names)
    #expect(zip(viaLabeler.columns, direct.columns).allSatisfy { a, b in zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern } })
    #expect(throws: RallyError("features: gap_to_thr needs the labeler's threshold series: build with a labeler", argument: 2)) {
        try spec.build(on: data, labeler: nil)
    }
    let tooLong = try lab.with(["window": .number(5000)])
    let labelError = #expect(throws: RallyError.self) { try spec.build(on: data, labeler: tooLong) }
    #expect(labelError?.argument == 2 && labelError?.message.hasPrefix("quantile labeler: window 5000") == true, "\(labelError?.message ?? "")")
    let short = TestData.dataset(rows: 100, seed: 5)
    let dataError = #expect(throws: RallyError.self) { try FeatureSpec(features: [Feature(.rolling(column: "price", statistic: .max, window: 101))]).build(on: short, labeler: nil) }
    #expect(dataError?.argument == 1, "\(dataError?.message ?? "")")
    // without gap_to_thr the labeler is not applied (a labeler that cannot label this data is no error)
    #expect(try FeatureSpec(horizon: 24, features: [Feature(.lag(column: "price", steps: 1))]).build(on: data, labeler: tooLong).names == ["lag1"])
}
