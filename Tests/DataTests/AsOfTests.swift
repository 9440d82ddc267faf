import Testing
@testable import RallyEngine

/// Vintages of a load forecast: for every hour from `start` over `hours` hours, one vintage
/// published every `every` hours from three days before the hour up to the hour itself; the
/// value says when it was published (load + hours of lead), so a test can tell which was used.
private func vintages(start: Int64, hours: Int, every: Int64 = 5, zone: MarketZone = .wallClock) throws -> Vintages {
    var targets: [Int64] = [], published: [Int64] = [], load: [Double] = [], peak: [Double] = []
    for h in 0..<hours {
        let target = start + Int64(h) * 3600
        var p = target - 72 * 3600 + Int64(h % 3) * 600   // publish times vary with the target
        while p <= target {
            targets.append(target); published.append(p)
            load.append(10_000 + Double(h) + Double(target - p) / 3600 / 1000)
            peak.append(Double(h % 24))
            p += every * 3600
        }
    }
    // handed over in reverse, so the one sort is exercised
    return try Vintages(targets: targets.reversed(), published: published.reversed(), names: ["load", "peak"],
                        columns: [load.reversed(), peak.reversed()], zone: zone)
}

private func hourly(start: Int64, hours: Int, zone: MarketZone = .wallClock) -> Dataset {
    let times = (0..<hours).map { start + Int64($0) * 3600 }
    return Dataset(timestamps: times, names: ["price"], columns: [times.indices.map { 30 + Double($0 % 24) }], zone: zone)
}

/// The latest record published no later than `decision(t)`, by looking at every record.
private func reference(_ v: Vintages, at t: Int64, decision: Int64) -> Int? {
    v.targets.indices.filter { v.targets[$0] == t && v.published[$0] <= decision }.max { v.published[$0] < v.published[$1] }
}

private func same(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.isNaN ? $1.isNaN : $0 == $1 }
}

@Test func asOfTakesTheLatestVintagePublishedByTheDecisionTime() throws {
    let start = try TimeStamp.parse("2016-03-01")
    let data = hourly(start: start, hours: 24 * 10)
    let v = try vintages(start: start + 24 * 3600, hours: 24 * 8)   // the first and last day have none
    let join = AsOfJoin(decision: .clock(minute: 600, daysBefore: 1), columns: [(name: "load_fc", source: "load")])
    let out = try join.apply(v, to: data)
    let load = try #require(out.dataset.column(named: "load_fc"))
    var missing = 0
    for (i, t) in data.timestamps.enumerated() {
        let decision = TimeStamp.floorDiv(t, TimeStamp.day) * TimeStamp.day - TimeStamp.day + 600 * 60
        if let k = reference(v, at: t, decision: decision) {
            #expect(load[i] == v.columns[0][k], "row \(i)")
            #expect(out.dataset.published["load_fc"]?[i] == v.published[k])
            #expect(v.published[k] <= decision)
        } else {
            #expect(load[i].isNaN)
            missing += 1
        }
    }
    #expect(missing == 48 && out.missing == 48, "the first and last day have no vintage")
    #expect(out.dataset.names == ["price", "load_fc"])
    #expect(out.dataset.report.notes.last == """
        asof: joined load_fc from forecast vintages published by 10:00, 1 day before the target's day (market time); \
        48 of 240 rows have no vintage for their interval (first 2016-03-01 00:00): missing
        """)
}

@Test func changingEveryVintagePublishedAfterTheDecisionChangesNoFeature() throws {
    let start = try TimeStamp.parse("2016-03-01")
    let data = hourly(start: start, hours: 24 * 9)
    let v = try vintages(start: start, hours: 24 * 9, every: 2)
    for decision in [DecisionTime.clock(minute: 600, daysBefore: 1), .lead(seconds: 24 * 3600), .clock(minute: 0, daysBefore: 0)] {
        let join = AsOfJoin(decision: decision)
        let base = try join.apply(v, to: data).dataset
        func changed(_ late: Bool) throws -> Dataset {
            let columns = v.columns.map { c in
                c.indices.map { i in (v.published[i] > decision.time(for: v.targets[i], zone: .wallClock)) == late ? c[i] * 3 + 1 : c[i] }
            }
            let edited = try Vintages(targets: v.targets, published: v.published, names: v.names, columns: columns)
            return try join.apply(edited, to: data).dataset
        }
        let later = try changed(true)
        #expect(same(base.columns[1], later.columns[1]) && same(base.columns[2], later.columns[2]), "\(decision)")
        // the test can fail: changing the vintages published by the decision changes the join
        let earlier = try changed(false)
        #expect(!same(base.columns[1], earlier.columns[1]), "\(decision)")
    }
}

@Test func decisionTimesFollowTheMarketZoneAcrossDaylightSaving() throws {
    let eastern = try MarketZone.named("America/New_York")
    // spring forward on 2016-03-13 (23 hours), fall back on 2016-11-06 (25 hours)
    let clock = DecisionTime.clock(minute: 600, daysBefore: 1)
    let spring = try TimeStamp.parseInstant("2016-03-13 05:00:00-04:00").utc
    #expect(try clock.time(for: spring, zone: eastern) == TimeStamp.parseInstant("2016-03-12 10:00:00-05:00").utc)
    let fallBack = try TimeStamp.parseInstant("2016-11-07 00:00:00-05:00").utc
    #expect(try clock.time(for: fallBack, zone: eastern) == TimeStamp.parseInstant("2016-11-06 10:00:00-05:00").utc)
    let late = try TimeStamp.parseInstant("2016-11-06 01:30:00-05:00").utc   // the second 01:00 hour
    #expect(try clock.time(for: late, zone: eastern) == TimeStamp.parseInstant("2016-11-05 10:00:00-04:00").utc)
    // never after the target's start
    #expect(DecisionTime.clock(minute: 600, daysBefore: 0).time(for: spring, zone: eastern) == spring)

    // a zoned dataset over both changes: every row gets the vintage published by 10:00 local the day before
    for day in ["2016-03-12", "2016-11-05"] {
        let start = try TimeStamp.parseInstant("\(day) 00:00:00-0\(day.hasPrefix("2016-03") ? 5 : 4):00").utc
        let data = hourly(start: start, hours: 72, zone: eastern)
        let v = try vintages(start: start, hours: 72, every: 1, zone: eastern)
        let out = try AsOfJoin(decision: clock).apply(v, to: data)
        for (i, t) in data.timestamps.enumerated() {
            let k = reference(v, at: t, decision: clock.time(for: t, zone: eastern))
            #expect(out.dataset.columns[1][i].isNaN ? k == nil : out.dataset.columns[1][i] == v.columns[0][k!])
        }
        #expect(out.missing == 0)
    }
    let naive = hourly(start: try TimeStamp.parse("2016-03-12"), hours: 24)
    #expect(throws: RallyError("asof: the data have wall-clock times but the vintages have UTC instants: give the data a zone (rally.load(path, {zone = \"America/New_York\"}))")) {
        try AsOfJoin(decision: clock).apply(try vintages(start: 0, hours: 2, zone: eastern), to: naive)
    }
}

@Test func joinedForecastsReachFeaturesOnlyOncePublished() throws {
    let start = try TimeStamp.parse("2016-03-01")
    let data = hourly(start: start, hours: 24 * 9)
    let v = try vintages(start: start, hours: 24 * 9, every: 1)
    let spec = FeatureSpec(horizon: 24, features: [Feature(.knownAhead(column: "load")), Feature(.lag(column: "load", steps: 0))])
    // published by 10:00 the day before: for rows before 10:00 the target's forecast is not out yet
    let byClock = try spec.build(on: try AsOfJoin(decision: .clock(minute: 600, daysBefore: 1)).apply(v, to: data).dataset)
    // published a day ahead: known at every row
    let byLead = try spec.build(on: try AsOfJoin(decision: .lead(seconds: 24 * 3600)).apply(v, to: data).dataset)
    for t in 24..<(data.count - 24) {
        let hour = Int(data.timestamps[t] % TimeStamp.day / 3600)
        #expect(byClock.columns[0][t].isNaN == (hour < 10), "row \(t) at hour \(hour)")
        #expect(!byLead.columns[0][t].isNaN)
        #expect(!byClock.columns[1][t].isNaN, "a forecast of the row's own interval is out by then")
    }
}

@Test func vintagesRefuseWhatTheyCannotHold() throws {
    #expect(throws: RallyError("vintages: two records for target 2016-01-01 00:00 were published at 2015-12-31 10:00")) {
        let t = try TimeStamp.parse("2016-01-01"), p = try TimeStamp.parse("2015-12-31 10:00")
        _ = try Vintages(targets: [t, t], published: [p, p], names: ["load"], columns: [[1, 2]])
    }
    let v = try vintages(start: 0, hours: 3)
    let data = hourly(start: 0, hours: 3)
    #expect(throws: RallyError("no column 'nope' in the vintages (columns: load, peak)", option: "columns")) {
        try AsOfJoin(decision: .lead(seconds: 0), columns: [(name: "x", source: "nope")]).apply(v, to: data)
    }
    #expect(throws: RallyError("the dataset already has a column 'price'; name the joined one differently, columns = {new_name = \"load\"}", option: "columns")) {
        try AsOfJoin(decision: .lead(seconds: 0), columns: [(name: "price", source: "load")]).apply(v, to: data)
    }
    func decoded(_ given: [String: ParameterValue]) throws -> DecisionTime {
        try AsOfJoin(try OptionValues(AsOfJoin.schema, given: given), columns: [], stepSeconds: 300).decision
    }
    #expect(try decoded(["at": .string("10:00")]) == .clock(minute: 600, daysBefore: 1))
    #expect(try decoded(["lead": .string("1d")]) == .lead(seconds: 86_400))
    #expect(try decoded(["lead": .number(12)]) == .lead(seconds: 3600), "12 steps of 5 minutes")
    #expect(throws: RallyError("a clock time \"HH:MM\" expected, got \"10am\"", option: "at")) { try decoded(["at": .string("10am")]) }
    #expect(throws: RallyError("give either at (with days_before) or lead, not both", option: "lead")) {
        try decoded(["at": .string("10:00"), "lead": .string("1d")])
    }
}
