import Testing
@testable import RallyEngine

/// Split and walk-forward times on zoned data: readings are market time, times with offsets are
/// instants, and both resolve against the dataset's zone when applied.
@Suite struct ZonedSplitTests {
    let zone = try! MarketZone.named("America/New_York")

    /// Hourly UTC instants of 2016 in America/New_York: from 2016-01-01 00:00-05:00 for `hours` hours.
    func year2016(hours: Int = 8784) -> Dataset {
        let t0 = TimeStamp.make(year: 2016, month: 1, day: 1, hour: 5)
        let times = (0..<hours).map { t0 + Int64($0) * 3600 }
        return Dataset(timestamps: times, names: ["price"], columns: [times.map { _ in 1 }], zone: zone)
    }

    func message(_ body: () throws -> Void) -> String? {
        do { try body(); return nil } catch let e as RallyError { return e.message } catch { return "\(error)" }
    }

    @Test func timesParseAsReadingsOrInstants() throws {
        #expect(try SplitTime.parse("2016-11-06 01:00") == .local(TimeStamp.make(year: 2016, month: 11, day: 6, hour: 1)))
        #expect(try SplitTime.parse("2017-12-31", dateOnly: .endOfDay) == .local(TimeStamp.make(year: 2018, month: 1, day: 1) - 1))
        let utc = TimeStamp.make(year: 2016, month: 11, day: 6, hour: 6)
        #expect(try SplitTime.parse("2016-11-06 01:00-05:00") == .instant(.init(utc: utc, offset: -18_000)))
        #expect(try SplitTime.parse("2016-11-06T06:00:00Z") == .instant(.init(utc: utc, offset: 0)))
        #expect(try SplitTime.parse("2016-11-06 06:00+00:00") == .instant(.init(utc: utc, offset: 0)))
        #expect(try SplitTime.parse("2016-11-06 01:00-05:00").text == "2016-11-06 01:00-05:00")
        #expect(message { _ = try SplitTime.parse("2016-11-06 01:00-25:00") }?.hasPrefix("bad instant \"2016-11-06 01:00-25:00\"") == true)
        #expect(message { _ = try SplitTime.parse("06/11/2016") } == "bad time \"06/11/2016\": expected \(SplitTime.expected)")
    }

    @Test func readingsResolveInMarketTimeAndInstantsAreExact() throws {
        let ds = year2016()
        let fallBack = TimeStamp.make(year: 2016, month: 11, day: 6, hour: 1)   // 01:00 happens twice
        let first = TimeStamp.make(year: 2016, month: 11, day: 6, hour: 5)     // 01:00-04:00
        // a reading: the earlier 01:00 as a start, the later as train_end (inclusive: both hours)
        #expect(try SplitTime.local(fallBack).resolved(in: zone, latest: false, what: "x") == first)
        #expect(try SplitTime.local(fallBack).resolved(in: zone, latest: true, what: "x") == first + 3600)
        // the skipped spring reading 02:00 is the instant of the change (03:00-04:00)
        let spring = TimeStamp.make(year: 2016, month: 3, day: 13, hour: 7)
        #expect(try SplitTime.parse("2016-03-13 02:30").resolved(in: zone, latest: false, what: "x") == spring)
        #expect(try SplitTime.parse("2016-03-13 02:30").resolved(in: zone, latest: true, what: "x") == spring - 1)

        // test from the second 01:00 (given with its offset) and from the first (a reading)
        let split = try TimeSplit(trainStart: nil, trainEnd: .parse("2016-11-05 23:00"), testStart: .parse("2016-11-06 01:00-05:00"),
                                  testEnd: .parse("2016-11-07"), embargoHours: 1)
        #expect(split.text(.testStart) == "2016-11-06 01:00-05:00" && split.text(.trainEnd) == "2016-11-05 23:00")
        let bounds = try split.resolved(in: ds.zone)
        let test = bounds.testRows(timestamps: ds.timestamps, candidates: Array(ds.timestamps.indices))
        #expect(ds.timestamps[test[0]] == first + 3600 && test.count == 23)   // 01:00-05:00 .. 23:00-05:00
        #expect(bounds.summary == "train .. 2016-11-05 23:00-04:00 | test 2016-11-06 01:00-05:00 .. 2016-11-07 00:00-05:00 (excl.) | embargo 1 h")
        let naive = try TimeSplit(trainEnd: TimeStamp.make(year: 2016, month: 11, day: 5, hour: 23), testStart: fallBack, embargoHours: 1)
        let naiveTest = try naive.resolved(in: zone).testRows(timestamps: ds.timestamps, candidates: Array(ds.timestamps.indices))
        #expect(ds.timestamps[naiveTest[0]] == first)
        // train_end on a wall-clock reading of the repeated hour trains through both 01:00 hours
        let late = try TimeSplit(trainEnd: fallBack, testStart: fallBack + 3600, embargoHours: 0)
        let train = try late.resolved(in: zone).trainRows(timestamps: ds.timestamps, candidates: Array(ds.timestamps.indices), horizonSteps: 0)
        #expect(ds.timestamps[train.last!] == first + 3600)
    }

    @Test func mixedBoundsAreCheckedOnceResolvedAndInstantsNeedAZone() throws {
        // 01:30-05:00 is 06:30 UTC, after the reading 01:00's first instant (05:00 UTC)
        let split = try TimeSplit(trainStart: nil, trainEnd: .parse("2016-11-06 01:30-05:00"), testStart: .parse("2016-11-06 01:00"),
                                  testEnd: nil, embargoHours: 0)
        #expect(message { _ = try split.resolved(in: zone) }
                == "split: train period (.. 2016-11-06 01:30-05:00) overlaps the test period (2016-11-06 01:00-04:00 ..): train_end must be before test_start")
        #expect(message { _ = try split.resolved(in: .wallClock) }?
                .hasPrefix("split: train_end 2016-11-06 01:30-05:00 is an instant (it has a UTC offset), but the dataset is on the wall clock") == true)
        // a split of readings on the wall clock is used as it is
        let plain = try TimeSplit(trainEnd: TimeStamp.make(year: 2016, month: 12, day: 31, hour: 23), testStart: TimeStamp.make(year: 2017, month: 1, day: 1), embargoHours: 24)
        #expect(try plain.resolved(in: .wallClock) == plain && plain.offsets.isEmpty)
        // an instant on a wall-clock dataset is refused by a slice too, naming the argument
        let wall = Dataset(timestamps: [0, 3600], names: ["x"], columns: [[1, 2]])
        let e = #expect(throws: RallyError.self) { _ = try wall.slice(from: .parse("1970-01-01 00:00Z"), through: nil) }
        #expect(e?.argument == 1)
    }

    @Test func walkForwardFoldsRunInMarketTimeToTheLastHour() throws {
        let ds = year2016()
        let values = try OptionValues(EntryPointOptions.walkforward, given: ["step": .string("month"), "embargo": .number(24)])
        let data = (first: ds.timestamps.first!, last: ds.timestamps.last!, step: Int64?(3600), zone: ds.zone)
        // first_test given as an instant (midnight EST in UTC) is market midnight
        let folds = try WalkForward.folds(values, firstTest: .parse("2016-10-01T04:00:00Z"), stop: nil, data: data)
        #expect(folds.map { $0.text(.testStart)! } == ["2016-10-01 00:00", "2016-11-01 00:00", "2016-12-01 00:00"])
        #expect(folds.last!.text(.testEnd) == "2017-01-01 00:00")   // one step after 2016-12-31 23:00 market time
        let resolved = try folds.map { try $0.resolved(in: ds.zone) }
        #expect(resolved.map { $0.text(.testStart)! } == ["2016-10-01 00:00-04:00", "2016-11-01 00:00-04:00", "2016-12-01 00:00-05:00"])
        // every hour of the last three months tests exactly once, the last row included
        let all = Array(ds.timestamps.indices)
        let tested = resolved.flatMap { $0.testRows(timestamps: ds.timestamps, candidates: all) }
        #expect(tested == Array(ds.firstRow(atOrAfter: resolved[0].testStart)..<ds.count))
        // the same folds without data, ended by stop with an offset
        let free = try WalkForward.folds(values, firstTest: .parse("2016-10-01"), stop: .parse("2017-01-01 00:00-05:00"), data: nil)
        #expect(free == folds)
        // a wall-clock dataset refuses a first_test with an offset, naming the option
        let wall = (first: Int64(0), last: Int64(86_400 * 400), step: Int64?(3600), zone: MarketZone.wallClock)
        let e = #expect(throws: RallyError.self) { _ = try WalkForward.folds(values, firstTest: .parse("1970-06-01 00:00Z"), stop: nil, data: wall) }
        #expect(e?.option == "first_test")
    }
}
