import Testing
@testable import RallyEngine

/// `data` with its time index respaced to one row every `seconds` (the values unchanged).
private func respaced(_ data: Dataset, every seconds: Int64) -> Dataset {
    var copy = data
    copy.timestamps = data.timestamps.indices.map { data.timestamps[0] + Int64($0) * seconds }
    return copy
}

private func same(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.isNaN ? $1.isNaN : $0 == $1 }
}

private func message(_ body: () throws -> Void) -> String? {
    do { try body(); return nil } catch let e as RallyError { return e.message } catch { return "\(error)" }
}

@Test func durationsParseOneWayAndRefuseTheRest() throws {
    let cases: [(String, Int64)] = [("24h", 86_400), ("7d", 604_800), ("15m", 900), ("15min", 900), ("1w", 604_800),
                                    ("30s", 30), ("24 h", 86_400), ("0h", 0), ("1000000h", 3_600_000_000)]
    for (text, seconds) in cases {
        #expect(TimeSpan.parse(text) == TimeSpan(seconds: seconds, text: text), "\(text)")
    }
    for bad in ["", "h", "24", "1.5h", "-1h", "24hours", "24H", "1000001h", "99999999999999999999h", " 24h", "24h ", "1d2h"] {
        #expect(TimeSpan.parse(bad) == nil, "\(bad)")
    }
    #expect(throws: RallyError("\(TimeSpan.expected) expected, got \"2 days\"", option: "holdout")) {
        try TimeSpan.read("2 days", option: "holdout")
    }
}

@Test func stepCountsResolveAgainstTheDataStep() throws {
    #expect(try StepCount.span(TimeSpan.parse("24h")!).resolved(every: 300, option: "horizon") == 288)
    #expect(try StepCount.span(TimeSpan.parse("1d")!).resolved(every: 3600, option: "horizon") == 24)
    #expect(try StepCount.steps(24).resolved(every: 300, option: "horizon") == 24, "integers keep meaning steps")
    #expect(message { _ = try StepCount.span(TimeSpan.parse("25m")!).resolved(every: 3600, option: "window") }
            == "window = \"25m\" is not a whole number of 1 h steps")
    #expect(message { _ = try StepCount.span(TimeSpan.parse("1000000w")!).resolved(every: 3600, option: "window") }
            == "window = \"1000000w\" is 168000000 steps of 1 h, more than the 1000000 allowed")
    #expect(message { _ = try StepCount.span(TimeSpan.parse("0h")!).resolved(every: 3600, minimum: 1, option: "window") }
            == "window = \"0h\" is 0 steps of 1 h; at least 1 expected")
    // the one rule: schemas and nested options say the same
    let rule = ParameterRule.steps(1...EntryPointOptions.maximumSteps)
    #expect(rule.problem(.string("7d")) == nil)
    #expect(rule.problem(.string("0d")) == "a positive duration expected, got \"0d\"")
    #expect(rule.problem(.string("a week")) == "integer steps in [1, 1000000] or a duration such as \"24h\" expected, got \"a week\"")
    #expect(rule.problem(.number(1.5)) == "integer steps in [1, 1000000] or a duration such as \"24h\" expected, got 1.5")
    #expect(ParameterRule.hours(0...10).problem(.string("90m")) == "a whole number of hours expected, got \"90m\"")
}

@Test func labelerDurationsEqualTheirStepCounts() throws {
    let hourly = TestData.dataset(rows: 1500, seed: 3)
    let byDuration = try Labeler.make(kind: "quantile", parameters: ["window": .string("28d"), "horizon": .string("24h")])
    #expect(byDuration.description == "quantile{col=price, q=0.95, window=28d, horizon=24h}")
    #expect(Labeler.protocolV1.parameters["window"] == .number(672), "step counts stay numbers in records")
    let a = try byDuration.apply(to: hourly), b = try Labeler.protocolV1.apply(to: hourly)
    #expect(same(a.labels, b.labels) && same(a.thresholds, b.thresholds) && a.horizon == 24)

    // 5-minute data: "24h" is 288 steps, "2h" of window 24 steps
    let fiveMinute = respaced(hourly, every: 300)
    let short = try Labeler.make(kind: "threshold", parameters: ["level": .number(40), "horizon": .string("24h")])
    #expect(try short.apply(to: fiveMinute).horizon == 288)
    let q = try Labeler.make(kind: "quantile", parameters: ["window": .string("2h"), "horizon": .string("1h")])
    let steps = Labeler.quantile(column: "price", q: 0.95, window: 24, horizon: 12)
    #expect(same(try q.apply(to: fiveMinute).labels, try steps.apply(to: fiveMinute).labels))
    #expect(try q.resolved(every: 300) == steps)

    #expect(message { _ = try Labeler.make(kind: "quantile", parameters: ["window": .string("25m")]).apply(to: hourly) }
            == "quantile labeler: window = \"25m\" is not a whole number of 1 h steps")
    #expect(message { _ = try Labeler.make(kind: "jump", parameters: ["rise": .number(1), "horizon": .string("2000w")]).apply(to: fiveMinute) }
            == "jump labeler: horizon = \"2000w\" is 4032000 steps of 5 min, more than the 1000000 allowed")
    #expect(throws: Labeler.InvalidParameter(field: "window", reason: "a positive duration expected, got \"0d\" (history behind that quantile: steps, or a duration such as \"28d\")")) {
        try Labeler.protocolV1.with(["window": .string("0d")])
    }
}

@Test func featureDurationsEqualTheirStepCounts() throws {
    let hourly = TestData.dataset(rows: 2100, seed: 5)
    let lab = Labeler.protocolV1
    let byDuration = try FeatureSpec(options: .table(list: [], fields: [
        ("exogenous", .table(list: [.table(list: [], fields: [("col", .string("sys_load_fc")), ("rel", .string("1d"))], otherKeys: [])], fields: [], otherKeys: [])),
        ("horizon", .string("1d")),
        ("lags", .table(list: [.string("1h"), .string("1d"), .number(3, integer: 3)], fields: [], otherKeys: [])),
        ("relative", .table(list: [.string("1w")], fields: [], otherKeys: [])),
        ("rolling", .table(list: [.table(list: [], fields: [("stat", .string("mean")), ("window", .string("7d"))], otherKeys: [])], fields: [], otherKeys: [])),
    ], otherKeys: []))
    #expect(byDuration.names == ["lag1h", "lag1d", "lag3", "mean7d", "rel1w", "sys_load_fc", "sys_load_fc_rel"])
    #expect(byDuration.features[3].definition == "mean(price(t-7d ... t])")
    let bySteps = FeatureSpec(horizon: 24, features: [
        Feature(name: "lag1h", source: .lag(column: "price", steps: 1)), Feature(name: "lag1d", source: .lag(column: "price", steps: 24)),
        Feature(name: "lag3", source: .lag(column: "price", steps: 3)),
        Feature(name: "mean7d", source: .rolling(column: "price", statistic: .mean, window: 168)),
        Feature(name: "rel1w", source: .relativeToMean(column: "price", window: 168)),
        Feature(name: "sys_load_fc", source: .knownAhead(column: "sys_load_fc")),
        Feature(name: "sys_load_fc_rel", source: .knownAheadRelative(column: "sys_load_fc", window: 24)),
    ])
    #expect(try byDuration.resolved(every: 3600) == bySteps)
    let a = try byDuration.build(on: hourly, labels: try lab.apply(to: hourly))
    let b = try bySteps.build(on: hourly, labels: try lab.apply(to: hourly))
    #expect(a.names == b.names && zip(a.columns, b.columns).allSatisfy { same($0, $1) })

    // on 5-minute data "1h" is 12 rows back
    let fiveMinute = respaced(hourly, every: 300)
    let m = try byDuration.build(on: fiveMinute)
    #expect(m.columns[0][100] == fiveMinute.columns[0][88])
    let spec = FeatureSpec(features: [Feature(name: "lag25m", source: .lag(column: "price", steps: .span(TimeSpan.parse("25m")!)))])
    #expect(message { _ = try spec.build(on: hourly) } == "features: feature 'lag25m': lag = \"25m\" is not a whole number of 1 h steps")
    var irregular = hourly
    irregular.timestamps[400] += 1800
    #expect(message { _ = try spec.build(on: irregular) }?.hasPrefix("features: the time index is not regular") == true,
            "a step count or duration on irregular data names the problem")
}

@Test func splitsTakeEmbargoesAndHorizonsAsDurations() throws {
    let schema = EntryPointOptions.split
    let trainEnd = try TimeStamp.parse("2016-12-31 23:00"), testStart = try TimeStamp.parse("2017-01-01")
    func split(_ given: [String: ParameterValue]) throws -> TimeSplit {
        try TimeSplit(try OptionValues(schema, given: given), trainStart: nil, trainEnd: .local(trainEnd), testStart: .local(testStart), testEnd: nil)
    }
    #expect(try split(["embargo": .string("1d")]).embargoHours == 24)
    #expect(try split(["embargo": .number(24), "horizon": .string("24h")]).embargoHours == 24)
    #expect(message { _ = try split(["embargo": .string("6h"), "horizon": .string("1d")]) }?
            .hasPrefix("split: embargo 6 h is shorter than the label horizon 24 h") == true)
    #expect(message { _ = try split(["embargo": .string("90m")]) }
            == "split: option 'embargo': a whole number of hours expected, got \"90m\"")

    // walk-forward on 5-minute data: horizon "24h" is 288 steps, within an embargo of a day
    let wf = EntryPointOptions.walkforward
    let data = (first: try TimeStamp.parse("2015-01-01"), last: try TimeStamp.parse("2016-12-31 23:55"), step: Int64(300), zone: MarketZone.wallClock)
    func folds(_ given: [String: ParameterValue]) throws -> [TimeSplit] {
        try WalkForward.folds(try OptionValues(wf, given: ["step": .string("year")].merging(given) { $1 }),
                              firstTest: .local(try TimeStamp.parse("2016-01-01")), stop: nil, data: data)
    }
    #expect(try folds(["embargo": .string("1d"), "horizon": .string("24h")]).count == 1)
    #expect(try folds(["embargo": .number(24), "horizon": .number(288)]).count == 1, "integers are steps of the data")
    #expect(message { _ = try folds(["embargo": .string("12h"), "horizon": .string("24h")]) }?
            .hasPrefix("split: embargo 12 h is shorter than the label horizon 24 h") == true)
    #expect(message { _ = try folds(["embargo": .number(24), "horizon": .string("7m")]) }
            == "horizon = \"7m\" is not a whole number of 5 min steps")
}
