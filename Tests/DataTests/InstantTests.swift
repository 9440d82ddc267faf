import Testing
@testable import RallyEngine

/// ISO 8601 instants with UTC offsets: ``TimeStamp/parseInstant(_:)``, `%z` in ``TimeFormat``
/// and their detection by the CSV reader.
@Suite struct InstantTests {
    let files = TestFiles()

    /// 2016-11-06 06:00 UTC: the first 01:00 EST of the 2016 fall-back day (01:00 EDT was 05:00 UTC).
    let fallBackEST: Int64 = TimeStamp.make(year: 2016, month: 11, day: 6, hour: 6)

    @Test func everyOffsetFormReadsTheSameInstant() throws {
        for text in ["2016-11-06 01:00:00-05:00", "2016-11-06T01:00:00-05:00", "2016-11-06 01:00-05:00", "2016-11-06T01:00-0500",
                     "2016-11-06 01:00:00-05", "2016-11-06T06:00:00Z", "2016-11-06T06:00:00z", "2016-11-06 06:00:00+00:00",
                     "2016-11-06T06:00+0000", "2016-11-06T06:00:00.000Z", "2016-11-06T11:30:00+05:30"] {
            let instant = try TimeStamp.parseInstant(text)
            #expect(instant.utc == fallBackEST, "\(text)")
        }
        #expect(try TimeStamp.parseInstant("2016-11-06 01:00:00-05:00").offset == -18_000)
        #expect(try TimeStamp.parseInstant("2016-11-06 01:00:00-04:00").utc == fallBackEST - 3600)
        #expect(try TimeStamp.parseInstant("2016-11-06T11:30:00+05:30").offset == 19_800)
        #expect(try TimeStamp.parseInstant("2016-11-06T11:30:00+05:30").local == TimeStamp.make(year: 2016, month: 11, day: 6, hour: 11, minute: 30))
    }

    @Test func badInstantsSayWhatWasExpected() {
        #expect(errorMessage { try TimeStamp.parseInstant("2016-11-06T06:00:00.250Z") }
                == "bad instant \"2016-11-06T06:00:00.250Z\": a fraction of a second (.250) that is not zero; rally's clock counts whole seconds and does not round")
        #expect(errorMessage { try TimeStamp.parseInstant("2016-11-06 06:00") }
                == "bad instant \"2016-11-06 06:00\": no UTC offset; expected one at the end (Z, +00:00, -05:00, -0500)")
        for bad in ["2016-11-06 06:00+19:00", "2016-11-06 06:00-05:60", "2016-02-30 06:00Z", "2016-11-06 24:00Z", "2016-11-06 06:00 Z", "2016-11-06 06:00-5", ""] {
            #expect(errorMessage { try TimeStamp.parseInstant(bad) }.contains("expected YYYY-MM-DD HH:MM[:SS]"), "\(bad)")
        }
    }

    @Test func formattedInstantsParseBack() throws {
        for offset in [-18_000, -14_400, 0, 19_800] {
            let text = TimeStamp.format(fallBackEST, offset: offset)
            #expect(try TimeStamp.parseInstant(text) == TimeStamp.Instant(utc: fallBackEST, offset: offset))
        }
        #expect(TimeStamp.format(fallBackEST, offset: -18_000) == "2016-11-06 01:00-05:00")
    }

    @Test func percentZInAFormat() throws {
        let format = try TimeFormat("%Y-%m-%d %H:%M:%S%z")
        #expect(format.hasOffset)
        #expect(format.parseWithOffset("2016-11-06 01:00:00-05:00")! == (fallBackEST, -18_000))
        #expect(format.parseWithOffset("2016-11-06 01:00:00-04:00")! == (fallBackEST - 3600, -14_400))
        #expect(format.parse("2016-11-06 06:00:00Z") == fallBackEST)
        #expect(format.parse("2016-11-06 01:00:00") == nil)
        #expect(format.parse("2016-11-06 01:00:00.5-05:00") == nil)
        #expect(errorMessage { try TimeFormat("%Y-%m-%d %z%z") } == "bad time format \"%Y-%m-%d %z%z\": %z (the UTC offset) appears more than once")
        #expect(errorMessage { try TimeFormat("%Y-%m-%d %Q") } == "bad time format \"%Y-%m-%d %Q\": directives are %Y %m %d %H %I %M %S %p %z %%")
    }

    @Test func offsetsAreDetectedAndTellTheTwoFallBackHoursApart() throws {
        let text = """
        Interval Start,price
        2016-11-06 00:00:00-04:00,10
        2016-11-06 01:00:00-04:00,11
        2016-11-06 01:00:00-05:00,12
        2016-11-06 02:00:00-05:00,13

        """
        let ds = try loadBothWays(files.write("fall.csv", text))
        #expect(ds.timestamps == [fallBackEST - 7200, fallBackEST - 3600, fallBackEST, fallBackEST + 3600])
        #expect(ds.report.notes.contains("time column: 'Interval Start' (%Y-%m-%d %H:%M:%S%z)"))
        #expect(ds.timeIndex.gaps.isEmpty)
        let utc = try loadBothWays(files.write("utc.csv", "time,price\n2016-11-06T05:00:00Z,1\n2016-11-06T06:00:00.000Z,2\n"))
        #expect(utc.timestamps == [fallBackEST - 3600, fallBackEST])
    }

    @Test func aNonZeroFractionInAFileIsAnErrorAtItsLine() {
        let path = files.write("frac.csv", "time,price\n2016-11-06T05:00:00Z,1\n2016-11-06T06:00:00.5Z,2\n")
        #expect(errorMessage { try CSVReader.load(path: path) }.hasPrefix("\(path):3:1: expected a time like %Y-%m-%dT%H:%M:%S%z"))
    }
}
