import Testing
@testable import RallyEngine

@Suite struct SplitTests {
    /// Hourly timestamps from `start` for `count` hours.
    func hourly(from start: String, count: Int) throws -> [Int64] {
        let t0 = try TimeStamp.parse(start)
        return (0..<count).map { t0 + Int64($0) * 3600 }
    }

    func protocolSplit(embargo: Int = 24) throws -> TimeSplit {
        try TimeSplit(trainEnd: TimeStamp.parse("2016-12-31 23:00"), testStart: TimeStamp.parse("2017-01-01"), embargoHours: embargo)
    }

    @Test func protocolSplitOnTheSharedTimeAxis() throws {
        // The shared file's axis: 2013-01-01 00:00 .. 2018-12-24 23:00, hourly. Protocol v1 keeps the
        // rows where the 672-hour threshold window is full and the 24-hour-ahead label exists.
        let t = try hourly(from: "2013-01-01 00:00", count: 52_416)
        #expect(TimeStamp.format(t.last!) == "2018-12-24 23:00")
        let kept = Array(671...(t.count - 25))
        #expect(kept.count == 51_721)
        let split = try protocolSplit()
        let train = try split.trainRows(timestamps: t, candidates: kept, horizonSteps: 24)
        let test = split.testRows(timestamps: t, candidates: kept)
        #expect(train.count == 34_369)
        #expect(test.count == 17_328)
        #expect(TimeStamp.format(t[train.last!]) == "2016-12-30 23:00")
        #expect(TimeStamp.format(t[test.first!]) == "2017-01-01 00:00")
        #expect(Set(train).isDisjoint(with: test))
    }

    @Test(.enabled(if: SharedData.isPresent, "the shared file ../shared/data/pjm_comed_2013_2018.csv is absent: skipped"))
    func protocolSplitOnTheSharedFile() throws {
        let ds = try CSVReader.load(path: SharedData.path)
        let kept = Array(671...(ds.count - 25))
        let split = try protocolSplit()
        #expect(try split.trainRows(timestamps: ds.timestamps, candidates: kept, horizonSteps: 24).count == 34_369)
        #expect(split.testRows(timestamps: ds.timestamps, candidates: kept).count == 17_328)
    }

    @Test func noTrainingLabelReadsPastTrainEnd() throws {
        // with a gap, the label row (24 rows ahead) is later than t + 24 h: the index rule still holds
        var t = try hourly(from: "2016-12-29 00:00", count: 100)
        t.remove(at: 60)
        let split = try protocolSplit()
        let train = try split.trainRows(timestamps: t, candidates: Array(t.indices), horizonSteps: 24)
        #expect(train.allSatisfy { t[$0 + 24] <= split.trainEnd })
        #expect(train.last == t.firstIndex(of: t.first { $0 == (try? TimeStamp.parse("2016-12-30 22:00")) }!)!)
    }

    @Test func anEmbargoShorterThanTheHorizonIsRefused() throws {
        let split = try protocolSplit(embargo: 12)
        let t = try hourly(from: "2016-12-01 00:00", count: 1000)
        let message = errorMessage { try split.trainRows(timestamps: t, candidates: Array(t.indices), horizonSteps: 24) }
        #expect(message == "split: embargo 12 h is shorter than the label horizon 24 h: training rows 2016-12-31 00:00 .. 2016-12-31 11:00 would have labels reading past train_end 2016-12-31 23:00 (up to 2017-01-01 11:00); use embargo >= 24")
        #expect(throws: Never.self) { try split.checkEmbargo(horizonSteps: 12) }
    }

    @Test func rangesMustBeOrderedAndDisjoint() throws {
        let a = try TimeStamp.parse("2017-01-01"), b = try TimeStamp.parse("2016-06-01")
        #expect(errorMessage { try TimeSplit(trainEnd: a, testStart: a, embargoHours: 24) }
                == "split: train period (.. 2017-01-01 00:00) overlaps the test period (2017-01-01 00:00 ..): train_end must be before test_start")
        #expect(errorMessage { try TimeSplit(trainEnd: b, testStart: a, testEnd: a, embargoHours: 24) }
                == "split: test_end 2017-01-01 00:00 is not after test_start 2017-01-01 00:00")
        #expect(errorMessage { try TimeSplit(trainStart: a, trainEnd: b, testStart: a + 3600, embargoHours: 24) }
                == "split: train_start 2017-01-01 00:00 is after train_end 2016-06-01 00:00")
    }

    @Test func testEndIsExclusiveAndTrainStartInclusive() throws {
        let t = try hourly(from: "2017-01-01 00:00", count: 24 * 10)
        let split = try TimeSplit(trainStart: TimeStamp.parse("2017-01-02"), trainEnd: TimeStamp.parse("2017-01-04 23:00"),
                                  testStart: TimeStamp.parse("2017-01-05"), testEnd: TimeStamp.parse("2017-01-06"), embargoHours: 0)
        let train = try split.trainRows(timestamps: t, candidates: Array(t.indices), horizonSteps: 0)
        let test = split.testRows(timestamps: t, candidates: Array(t.indices))
        #expect(train.count == 72 && TimeStamp.format(t[train[0]]) == "2017-01-02 00:00")
        #expect(test.count == 24 && TimeStamp.format(t[test.last!]) == "2017-01-05 23:00")
    }

    @Test func walkForwardYearlyExpanding() throws {
        let end = try TimeStamp.parse("2018-12-25")
        let folds = try WalkForward(firstTestStart: TimeStamp.parse("2016-01-01"), end: end, step: .years(1), embargoHours: 24).folds()
        #expect(folds.map(\.summary) == [
            "train .. 2015-12-31 23:00 | test 2016-01-01 00:00 .. 2017-01-01 00:00 (excl.) | embargo 24 h",
            "train .. 2016-12-31 23:00 | test 2017-01-01 00:00 .. 2018-01-01 00:00 (excl.) | embargo 24 h",
            "train .. 2017-12-31 23:00 | test 2018-01-01 00:00 .. 2018-12-25 00:00 (excl.) | embargo 24 h",
        ])
        #expect(folds[1] == (try protocolSplitWithEnd("2018-01-01")))
    }

    func protocolSplitWithEnd(_ end: String) throws -> TimeSplit {
        var s = try protocolSplit()
        s.testEnd = try TimeStamp.parse(end)
        return s
    }

    @Test func walkForwardMonthlyRolling() throws {
        let folds = try WalkForward(firstTestStart: TimeStamp.parse("2017-01-31"), end: TimeStamp.parse("2017-04-15"),
                                    step: .months(1), window: .rolling(.months(6)), embargoHours: 24).folds()
        #expect(folds.map(\.summary) == [
            "train 2016-07-31 00:00 .. 2017-01-30 23:00 | test 2017-01-31 00:00 .. 2017-02-28 00:00 (excl.) | embargo 24 h",
            "train 2016-08-28 00:00 .. 2017-02-27 23:00 | test 2017-02-28 00:00 .. 2017-03-31 00:00 (excl.) | embargo 24 h",
            "train 2016-09-30 00:00 .. 2017-03-30 23:00 | test 2017-03-31 00:00 .. 2017-04-15 00:00 (excl.) | embargo 24 h",
        ])
        #expect(errorMessage { try WalkForward(firstTestStart: 10, end: 5, step: .years(1), embargoHours: 0) }
                == "walkforward: first test start 1970-01-01 00:00:10 is not before the end of the data 1970-01-01 00:00:05")
    }

    @Test func timeStampRoundTrips() throws {
        for text in ["1970-01-01 00:00", "2016-02-29 13:45", "2000-03-01 00:00", "1900-12-31 23:00", "2470-05-25 07:00"] {
            #expect(TimeStamp.format(try TimeStamp.parse(text)) == text)
        }
        #expect(try TimeStamp.parse("2013-01-01") == 1_356_998_400)
        #expect(try TimeStamp.parse("2013-01-01T00:00:30") == 1_356_998_430)
        #expect(TimeStamp.format(1_356_998_430) == "2013-01-01 00:00:30")
        #expect(TimeStamp.weekday(try TimeStamp.parse("2018-12-24")) == 0)
        #expect(TimeStamp.weekday(try TimeStamp.parse("2013-01-06 23:00")) == 6)
        #expect(errorMessage { try TimeStamp.parse("2017-02-29") } == "bad time \"2017-02-29\": expected YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS")
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let c = TimeStamp.civil(days: days)
            #expect(TimeStamp.days(year: c.year, month: c.month, day: c.day) == days)
        }
    }
}
