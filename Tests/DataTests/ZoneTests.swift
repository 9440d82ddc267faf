import Testing
@testable import RallyEngine

/// Market zones from the tz database: ``TimeZoneRules``, naive local readings in a zone, zones of
/// times with offsets, and calendar features in local time. Fixtures are the real 2016 US days
/// of 23 hours (13 March) and 25 hours (6 November).
@Suite struct ZoneTests {
    let files = TestFiles()
    let newYork = try! TimeZoneRules.load("America/New_York")
    /// 2016-03-13 07:00 UTC: 03:00 EDT, the clocks having skipped 02:00-03:00 EST.
    let springChange = TimeStamp.make(year: 2016, month: 3, day: 13, hour: 7)
    /// 2016-11-06 06:00 UTC: 01:00 EST, the clocks going back from 02:00 EDT.
    let fallChange = TimeStamp.make(year: 2016, month: 11, day: 6, hour: 6)

    /// `hours` naive hourly rows of `day` from 00:00 local, as the local clock shows them
    /// (23 on the spring day, 25 with the repeated hour on the autumn day).
    func localDay(_ day: String, hours: [Int]) -> String {
        "time,price\n" + hours.enumerated().map { k, h in "\(day) \(h < 10 ? "0" : "")\(h):00,\(k)" }.joined(separator: "\n") + "\n"
    }

    @Test func rulesFromTheTzDatabase() throws {
        #expect(newYork.offset(at: springChange - 1) == -18_000)
        #expect(newYork.offset(at: springChange) == -14_400)
        #expect(newYork.offset(at: fallChange - 1) == -14_400)
        #expect(newYork.offset(at: fallChange) == -18_000)
        // past the file's transitions (2037), from the footer's rule: 2050-03-13 is the second Sunday of March
        #expect(newYork.offset(at: TimeStamp.make(year: 2050, month: 3, day: 13, hour: 6, minute: 59, second: 59)) == -18_000)
        #expect(newYork.offset(at: TimeStamp.make(year: 2050, month: 3, day: 13, hour: 7)) == -14_400)
        let changes = newYork.changes(from: TimeStamp.make(year: 2016, month: 1, day: 1), through: TimeStamp.make(year: 2017, month: 1, day: 1))
        #expect(changes.map(\.utc) == [springChange, fallChange])
        #expect(changes.map { TimeStamp.format($0.localReadings.lowerBound) } == ["2016-03-13 02:00", "2016-11-06 01:00"])
        let berlin = try TimeZoneRules.load("Europe/Berlin")
        #expect(berlin.offset(at: TimeStamp.make(year: 2016, month: 3, day: 27, hour: 1)) == 7200)
        #expect(berlin.offset(at: TimeStamp.make(year: 2016, month: 3, day: 27, hour: 0, minute: 59)) == 3600)
    }

    @Test func localReadingsAreSkippedRepeatedOrUnique() {
        let local = { (h: Int, day: Int, month: Int) in TimeStamp.make(year: 2016, month: month, day: day, hour: h) }
        #expect(newYork.resolve(local: local(2, 13, 3)) == .skipped)
        #expect(newYork.resolve(local: local(3, 13, 3)) == .unique(springChange))
        #expect(newYork.resolve(local: local(1, 6, 11)) == .repeated(fallChange - 3600, fallChange))
        #expect(newYork.resolve(local: local(2, 6, 11)) == .unique(fallChange + 3600))
        #expect(MarketZone(.rules(newYork)).instant(local: local(2, 13, 3), latest: false) == springChange)
        #expect(MarketZone(.rules(newYork)).instant(local: local(2, 13, 3), latest: true) == springChange - 1)
    }

    @Test func zoneNamesAreCheckedAndMissingZonesNamed() {
        #expect(errorMessage { try TimeZoneRules.load("../../etc/passwd") }.hasPrefix("zone \"../../etc/passwd\" is not a time zone name"))
        #expect(errorMessage { try TimeZoneRules.load("Nowhere/City") }.hasPrefix("zone \"Nowhere/City\": no such zone in the tz database"))
        #expect(PosixZoneRule("CET-1CEST,M3.5.0,M10.5.0/3")?.daylight?.end.seconds == 3 * 3600)
        #expect(PosixZoneRule("<-03>3")?.standard == -10_800)
        #expect(PosixZoneRule("EST5EDT,J60,J300") == nil)
    }

    @Test func aSpringDayOf23HoursInAZoneIsContinuousInUTC() throws {
        let path = files.write("spring.csv", localDay("2016-03-13", hours: [0, 1] + Array(3...23)))
        var options = CSVOptions()
        options.zone = "America/New_York"
        let ds = try loadBothWays(path, options)
        #expect(ds.count == 23)
        #expect(ds.zone.name == "America/New_York")
        #expect(ds.timeIndex.gaps.isEmpty)
        #expect(ds.timestamps[2] == springChange)
        #expect(ds.report.notes.contains("2016-03-13: the clocks skip 02:00-03:00 (spring forward): no rows there, and none expected (not a gap of the UTC index)"))
        #expect(DatasetText.head(ds, 3).contains("2016-03-13 03:00-04:00"))
        #expect(ds.summary.hasSuffix("hourly, no gaps  America/New_York>"))
        // the same file without a zone loads exactly as before: a wall clock with a one-hour gap
        let naive = try loadBothWays(path)
        #expect(naive.zone == .wallClock && naive.timeIndex.gaps.count == 1)
    }

    @Test func aRowInTheSkippedHourIsAnErrorNamingItsLine() {
        let path = files.write("spring2.csv", localDay("2016-03-13", hours: [0, 1, 2, 3]))
        var options = CSVOptions()
        options.zone = "America/New_York"
        #expect(errorMessage { try CSVReader.load(path: path, options: options) }
                == "\(path):4: 2016-03-13 02:00 does not exist in America/New_York: the clocks skip it (spring forward); a row there is a mistake, or the file is not in America/New_York")
    }

    @Test func anAutumnDayOf25HoursIsToldApartByFileOrder() throws {
        let path = files.write("fall.csv", localDay("2016-11-06", hours: [0, 1, 1] + Array(2...23)))
        var options = CSVOptions()
        options.zone = "America/New_York"
        let ds = try loadBothWays(path, options)
        #expect(ds.count == 25 && ds.timeIndex.gaps.isEmpty)
        #expect(ds.timestamps[1] == fallChange - 3600 && ds.timestamps[2] == fallChange)
        #expect(ds.report.notes.contains("2016-11-06: the clocks repeat 01:00-02:00 (fall back): told apart by file order, 1 row read at -04:00 from line 3, 1 at -05:00 from line 4"))
        // written with offsets, it reads back to the same instants (and a zone that gives them)
        let written = files.write("written.csv", DatasetCSV.text(ds))
        #expect(DatasetCSV.text(ds).contains("2016-11-06 01:00-04:00,1\n2016-11-06 01:00-05:00,2\n"))
        let back = try CSVReader.load(path: written)
        #expect(back.timestamps == ds.timestamps && back.zone.name == "America/New_York")
        let three = files.write("fall3.csv", localDay("2016-11-06", hours: [0, 1, 1, 1, 2]))
        #expect(errorMessage { try CSVReader.load(path: three, options: options) }
                == "\(three):5: 2016-11-06 01:00 happens twice in America/New_York (at -04:00 and -05:00), and file order cannot tell which this row is: the row before it (line 4) is already at the second; give the times with offsets, or remove the extra row")
    }

    @Test func fiveMinuteRowsOverTheRepeatedHour() throws {
        var rows: [String] = []
        for pass in 0..<2 { for m in stride(from: 0, to: 60, by: 5) { rows.append("2016-11-06 01:\(m < 10 ? "0" : "")\(m),\(pass)") } }
        let path = files.write("fall5.csv", "time,price\n" + rows.joined(separator: "\n") + "\n")
        var options = CSVOptions()
        options.zone = "America/New_York"
        let ds = try loadBothWays(path, options)
        #expect(ds.count == 24 && ds.timeIndex.stepSeconds == 300 && ds.timeIndex.gaps.isEmpty)
        #expect(ds.timestamps.first == fallChange - 3600 && ds.timestamps.last == fallChange + 3300)
        #expect(ds.report.notes.contains { $0.contains("12 rows read at -04:00 from line 2, 12 at -05:00 from line 14") })
    }

    @Test func offsetsChooseTheZone() throws {
        let fall = "time,price\n2016-11-06 00:00:00-04:00,1\n2016-11-06 01:00:00-04:00,2\n2016-11-06 01:00:00-05:00,3\n"
        let inferred = try loadBothWays(files.write("offsets.csv", fall))
        #expect(inferred.zone.name == "America/New_York")
        #expect(inferred.report.notes.contains { $0.hasPrefix("zone: America/New_York, assumed: the first of rally's market zones") })
        let fixed = try loadBothWays(files.write("fixed.csv", "time,price\n2016-01-01 00:00-05:00,1\n2016-01-01 01:00-05:00,2\n"))
        #expect(fixed.zone.name == "UTC-05:00")
        #expect(DatasetText.head(fixed, 1).contains("2016-01-01 00:00-05:00"))
        var options = CSVOptions()
        options.zone = "Europe/Berlin"
        let given = try loadBothWays(files.write("given.csv", fall), options)
        #expect(given.zone.name == "Europe/Berlin")
        #expect(given.report.notes.contains { $0.hasPrefix("3 rows' offsets differ from Europe/Berlin's (first at line 2: -04:00 where the zone has +01:00)") })
        let odd = files.write("odd.csv", "time,price\n2016-01-01 00:00+03:00,1\n2016-01-01 01:00+07:00,2\n")
        #expect(errorMessage { try CSVReader.load(path: odd) }.contains("the times carry several UTC offsets (+03:00, +07:00)"))
    }

    @Test func dstRepairIsForWallClocksOnly() {
        let path = files.write("dst.csv", localDay("2016-03-13", hours: [0, 1, 3]))
        var options = CSVOptions()
        options.zone = "America/New_York"
        options.contracts.usDaylightSaving = true
        #expect(errorMessage { try CSVReader.load(path: path, options: options) }.hasSuffix("dst = \"us\" repairs naive Eastern wall-clock times; these times are instants (zone America/New_York), which have no missing or repeated hours"))
    }

    @Test func calendarFeaturesUseLocalTime() throws {
        let path = files.write("fallcal.csv", localDay("2016-11-06", hours: [0, 1, 1] + Array(2...23)))
        var options = CSVOptions()
        options.zone = "America/New_York"
        let ds = try CSVReader.load(path: path, options: options)
        let spec = FeatureSpec(horizon: 0, features: [Feature(.calendar(.hour)), Feature(.calendar(.dow))])
        let x = try spec.build(on: ds)
        #expect(x.columns[0] == [0, 1, 1] + (2...23).map(Double.init))
        #expect(Set(x.columns[1]) == [6])
        // a horizon of 2 steps: the target's local hour, across the repeated hour
        let ahead = try FeatureSpec(horizon: 2, features: [Feature(.calendar(.hour))]).build(on: ds)
        #expect(Array(ahead.columns[0].prefix(3)) == [1, 2, 3])
    }

    @Test func splitBoundsAreLocalTimesOfTheZone() throws {
        let path = files.write("twodays.csv", localDay("2016-11-06", hours: [0, 1, 1] + Array(2...23))
                               + (0...23).map { "2016-11-07 \($0 < 10 ? "0" : "")\($0):00,\(25 + $0)" }.joined(separator: "\n") + "\n")
        var options = CSVOptions()
        options.zone = "America/New_York"
        let ds = try CSVReader.load(path: path, options: options)
        let split = try TimeSplit(trainEnd: TimeStamp.make(year: 2016, month: 11, day: 6, hour: 23), testStart: TimeStamp.make(year: 2016, month: 11, day: 7), embargoHours: 1)
        let test = try split.resolved(in: ds.zone).testRows(timestamps: ds.timestamps, candidates: Array(ds.timestamps.indices))
        #expect(test.first == 25 && test.count == 24)
        let train = try split.resolved(in: ds.zone).trainRows(timestamps: ds.timestamps, candidates: Array(ds.timestamps.indices), horizonSteps: 1)
        #expect(train.last == 23)
        #expect(try split.resolved(in: .wallClock) == split)
    }
}
