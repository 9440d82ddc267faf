import Testing
@testable import RallyEngine

private func hourly(_ values: [Double], start: Int64 = TimeStamp.make(year: 2017, month: 3, day: 1)) -> Dataset {
    Dataset(timestamps: values.indices.map { start + Int64($0) * 3600 }, names: ["price"], columns: [values])
}

private func same(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.isNaN ? $1.isNaN : $0 == $1 }
}

@Test func quantileLabelerFollowsTheProtocolDefinition() throws {
    let x: [Double] = [10, 20, 30, 25, 5, 40, 15]
    let series = try Labeler.quantile(column: "price", q: 0.5, window: 3, horizon: 2).apply(to: hourly(x))
    // medians of [10,20,30], [20,30,25], [30,25,5], [25,5,40], [5,40,15]
    #expect(same(series.thresholds, [.nan, .nan, 20, 25, 25, 25, 15]))
    // label(t) = x[t+2] > thr(t): t=2: 5 > 20 no; t=3: 40 > 25 yes; t=4: 15 > 25 no; t=5, 6: past the end
    #expect(same(series.labels, [.nan, .nan, 0, 1, 0, .nan, .nan]))
    #expect(series.horizon == 2)
    // strict: equal to the threshold is not a rally
    let tie = try Labeler.quantile(column: "price", q: 0.5, window: 1, horizon: 1).apply(to: hourly([3, 3, 4]))
    #expect(same(tie.labels, [0, 1, .nan]))
}

@Test func thresholdAndJumpLabelers() throws {
    let x: [Double] = [10, -10, 30, 8, 12]
    let fixed = try Labeler.threshold(column: "price", level: 20, horizon: 1).apply(to: hourly(x))
    #expect(same(fixed.labels, [0, 1, 0, 0, .nan]))
    #expect(fixed.thresholds == [20, 20, 20, 20, 20])
    let jump = try Labeler.jump(column: "price", rise: 0.5, horizon: 1).apply(to: hourly(x))
    // threshold = x + 0.5 |x|: 15, -5, 45, 12, 18
    #expect(same(jump.thresholds, [15, -5, 45, 12, 18]))
    #expect(same(jump.labels, [0, 1, 0, 0, .nan]))
}

@Test func dailyAnyLooksAtTheWholeNextCalendarDay() throws {
    // Three days from 06:00 on day 0: day 0 is partial (18 h), day 1 and day 2 are complete.
    var x = [Double](repeating: 10, count: 18 + 48)
    x[18 + 23] = 50          // day 1, 23:00
    x[18 + 24 + 5] = .nan    // day 2, 05:00
    let start = TimeStamp.make(year: 2017, month: 3, day: 1, hour: 6)
    let series = try Labeler.dailyAny(column: "price", threshold: .level(20)).apply(to: hourly(x, start: start))
    #expect(series.labels[0...17].allSatisfy { $0 == 1 }, "day 0 rows see the spike at 23:00 of day 1")
    #expect(series.labels[18...41].allSatisfy { $0.isNaN }, "day 1 rows: day 2 has a missing value and no exceedance")
    #expect(series.labels[42...].allSatisfy { $0.isNaN }, "day 2 rows: day 3 is not in the data")
    #expect(series.horizon == 47, "from day 1 00:00 to day 2 23:00")
    x[18 + 24 + 5] = 10
    let clean = try Labeler.dailyAny(column: "price", threshold: .level(20)).apply(to: hourly(x, start: start))
    #expect(clean.labels[18...41].allSatisfy { $0 == 0 })
    // With a trailing quantile the threshold is the one known at t.
    let q = try Labeler.dailyAny(column: "price", threshold: .quantile(q: 0.9, window: 3)).apply(to: hourly(x, start: start))
    #expect(same(q.thresholds, try RollingStatistic.quantile(0.9).apply(x, window: 3)))
    #expect(q.labels[0].isNaN && q.labels[2] == 1)
}

@Test func labelerParametersDescriptionAndWith() throws {
    let lab = Labeler.protocolV1
    #expect(lab.description == "quantile{col=price, q=0.95, window=672, horizon=24}")
    #expect(lab.parameters.json == #"{"col": "price", "q": 0.95, "window": 672, "horizon": 24}"#)
    let sharper = try lab.with(["q": .number(0.99)])
    #expect(sharper == .quantile(column: "price", q: 0.99, window: 672, horizon: 24))
    #expect(lab == .quantile(column: "price", q: 0.95, window: 672, horizon: 24), "with returns a copy")
    #expect(throws: Labeler.InvalidParameter(field: nil, reason: "unknown option 'level'; valid options: col, horizon, q, window")) {
        try lab.with(["level": .number(3)])
    }
    #expect(throws: Labeler.InvalidParameter(field: "q", reason: "a number in (0, 1) expected, got 1 (the trailing quantile a rally must beat)")) { try lab.with(["q": .number(1)]) }
    #expect(throws: Labeler.InvalidParameter(field: "window", reason: "integer steps in [1, 1000000] or a duration such as \"24h\" expected, got -4 (history behind that quantile: steps, or a duration such as \"28d\")")) {
        try lab.with(["window": .number(-4)])
    }
    #expect(throws: Labeler.InvalidParameter(field: "horizon", reason: "integer steps in [1, 1000000] or a duration such as \"24h\" expected, got 1.5 (how far ahead the label looks: steps, or a duration such as \"24h\")")) {
        try lab.with(["horizon": .number(1.5)])
    }
    #expect(throws: Labeler.InvalidParameter(field: "q", reason: "number expected, got string (the trailing quantile a rally must beat)")) { try lab.with(["q": .string("high")]) }
    let daily = try Labeler.make(kind: "daily_any", parameters: [:])
    #expect(daily == .dailyAny(column: "price", threshold: .quantile(q: 0.95, window: 672)))
    #expect(try daily.with(["level": .number(100)]) == .dailyAny(column: "price", threshold: .level(100)))
    #expect(throws: Labeler.InvalidParameter(field: "q", reason: "give either level or q and window, not both")) {
        try Labeler.make(kind: "daily_any", parameters: ["level": .number(1), "q": .number(0.9)])
    }
    #expect(throws: Labeler.InvalidParameter(field: "level", reason: "finite number expected, got nil (a fixed threshold (USD/MWh))")) {
        try Labeler.make(kind: "threshold", parameters: [:])
    }
    #expect(try Labeler.make(kind: "jump", parameters: ["rise": .number(0.5), "col": .string("p")]).description
            == "jump{col=p, rise=0.5, horizon=24}")
}

@Test func labelersRejectDataTheyCannotLabel() throws {
    let data = hourly([1, 2, 3, 4, 5])
    #expect(throws: RallyError("quantile labeler: no column 'prices' in the dataset (columns: price)")) {
        try Labeler.quantile(column: "prices", q: 0.5, window: 2, horizon: 1).apply(to: data)
    }
    #expect(throws: RallyError("threshold labeler: horizon 5 is longer than the data (5 rows): no label can be defined")) {
        try Labeler.threshold(column: "price", level: 1, horizon: 5).apply(to: data)
    }
    #expect(throws: RallyError("quantile labeler: window 6 is longer than the data (5 rows)")) {
        try Labeler.quantile(column: "price", q: 0.5, window: 6, horizon: 1).apply(to: data)
    }
    #expect(throws: RallyError("quantile labeler: window 4 and horizon 2 leave no row to label in 5 rows")) {
        try Labeler.quantile(column: "price", q: 0.5, window: 4, horizon: 2).apply(to: data)
    }
    var gappy = data
    gappy.timestamps[3] += 3600
    #expect(throws: RallyError("jump labeler: the time index is not regular (steps of 1 h, but 2017-03-01 02:00 is followed by 2017-03-01 04:00); lags and horizons count rows, so fill or repair the gaps when loading")) {
        try Labeler.jump(column: "price", rise: 0.1, horizon: 1).apply(to: gappy)
    }
    #expect(throws: RallyError("daily_any labeler: the data (5 rows) hold no complete next day after a known threshold: no label can be defined")) {
        try Labeler.dailyAny(column: "price", threshold: .level(3)).apply(to: data)
    }
}
