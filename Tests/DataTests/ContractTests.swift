import Testing
@testable import RallyEngine

@Suite struct ContractTests {
    let files = TestFiles()

    func options(sort: Bool = false, duplicates: DuplicatePolicy? = nil, fill: FillPolicy? = nil, dst: Bool = false) -> CSVOptions {
        var o = CSVOptions()
        o.contracts = TimeContracts(sort: sort, duplicates: duplicates, fill: fill, usDaylightSaving: dst)
        return o
    }

    @Test func unsortedRowsAreAnErrorUnlessSortIsAsked() throws {
        let path = files.write("unsorted.csv", "Date,p\n2020-01-01 00:00:00,0\n2020-01-01 02:00:00,2\n2020-01-01 01:00:00,1\n")
        #expect(errorMessage { try CSVReader.load(path: path) }
                == "\(path):4: rows are not in time order: 2020-01-01 01:00 comes after 2020-01-01 02:00 (\(path):3); pass sort = true to sort them")
        let ds = try loadBothWays(path, options(sort: true))
        #expect(ds.columns[0] == [0, 1, 2])
        #expect(ds.report.notes.contains("sorted the rows into time order (sort = true): time went backwards at 1 place, first at \(path):4"))
    }

    @Test func duplicatesAreAnErrorNamingThemUnlessAPolicyIsGiven() throws {
        let path = files.write("dup.csv", "Date,p,q\n2020-01-01 00:00:00,1,\n2020-01-01 00:00:00,3,5\n\n2020-01-01 01:00:00,7,8\n2020-01-01 01:00:00,9,\n")
        #expect(errorMessage { try CSVReader.load(path: path) }
                == "\(path):2: duplicate timestamps: 2020-01-01 00:00 (lines 2, 3), 2020-01-01 01:00 (lines 5, 6); pass duplicates = \"first\", \"last\" or \"mean\"")
        let first = try loadBothWays(path, options(duplicates: .first))
        #expect(first.columns[0] == [1, 7])
        #expect(first.report.notes.contains("duplicates = \"first\": merged 2 duplicated timestamps (2 rows removed): 2020-01-01 00:00 (lines 2, 3), 2020-01-01 01:00 (lines 5, 6)"))
        let last = try loadBothWays(path, options(duplicates: .last))
        #expect(last.columns[0] == [3, 9])
        let mean = try loadBothWays(path, options(duplicates: .mean))
        #expect(mean.columns[0] == [2, 8])
        #expect(mean.columns[1] == [5, 8])
    }

    @Test func duplicatesAfterSortingKeepFileOrder() throws {
        let path = files.write("dupsort.csv", "Date,p\n2020-01-01 01:00:00,1\n2020-01-01 00:00:00,2\n2020-01-01 01:00:00,3\n")
        let ds = try loadBothWays(path, options(sort: true, duplicates: .last))
        #expect(ds.columns[0] == [2, 3])
        #expect(ds.report.notes.last == "duplicates = \"last\": merged 1 duplicated timestamp (1 row removed): 2020-01-01 01:00 (lines 2, 4)")
    }

    @Test func gapsAreReportedAndFilledOnlyWhenAsked() throws {
        let path = files.write("gaps.csv", "Date,p\n2020-01-01 00:00:00,0\n2020-01-01 01:00:00,1\n2020-01-01 04:00:00,4\n2020-01-01 05:00:00,\n2020-01-01 07:00:00,7\n2020-01-01 08:00:00,8\n")
        let open = try loadBothWays(path)
        #expect(open.count == 6)
        #expect(open.timeIndex.gaps.count == 2)
        #expect(open.report.notes.contains("2 gaps, 3 missing 1 h steps, not filled (fill = \"ffill\" or \"interpolate\" fills them): 2020-01-01 02:00 (2 steps), 2020-01-01 06:00 (1 step)"))
        #expect(open.summary == "<Dataset 6 rows x 1 col  2020-01-01 00:00 .. 2020-01-01 08:00  hourly, 2 gaps (3 missing steps)>")
        let ffill = try loadBothWays(path, options(fill: .ffill))
        #expect(ffill.count == 9)
        #expect(ffill.timeIndex.gaps.isEmpty)
        #expect(ffill.columns[0].map { $0.isNaN ? -1 : $0 } == [0, 1, 1, 1, 4, -1, -1, 7, 8])
        #expect(ffill.report.notes.contains("fill = \"ffill\": filled 2 gaps, 3 missing 1 h steps: 2020-01-01 02:00 (2 steps), 2020-01-01 06:00 (1 step)"))
        let interpolated = try loadBothWays(path, options(fill: .interpolate))
        #expect(interpolated.columns[0].map { $0.isNaN ? -1 : $0 } == [0, 1, 2, 3, 4, -1, -1, 7, 8])
    }

    @Test func daylightSavingGapAndRepeat() throws {
        // EPT wall clock around the 2018 changes: 02:00 is missing on 11 March, 01:00 repeats on 4 November.
        let path = files.write("dst.csv", """
            Date,p
            2018-03-11 00:00:00,10
            2018-03-11 01:00:00,11
            2018-03-11 03:00:00,13
            2018-11-04 00:00:00,20
            2018-11-04 01:00:00,21
            2018-11-04 01:00:00,23
            2018-11-04 02:00:00,24
            """)
        #expect(errorMessage { try CSVReader.load(path: path) }
                == "\(path):6: duplicate timestamps: 2018-11-04 01:00 (lines 6, 7); pass duplicates = \"first\", \"last\" or \"mean\" (2018-11-04 01:00 is the US autumn daylight-saving repeat: dst = \"us\" averages it)")
        let ds = try loadBothWays(path, options(dst: true))
        #expect(times(ds) == ["2018-03-11 00:00", "2018-03-11 01:00", "2018-03-11 02:00", "2018-03-11 03:00",
                              "2018-11-04 00:00", "2018-11-04 01:00", "2018-11-04 02:00"])
        #expect(ds.columns[0] == [10, 11, 12, 13, 20, 22, 24])
        #expect(ds.report.notes.contains("dst = \"us\": averaged the two rows of the autumn repeated hour at 2018-11-04 01:00 (lines 6, 7)"))
        #expect(ds.report.notes.contains("dst = \"us\": interpolated the missing spring hour at 2018-03-11 02:00"))
        // the long jump from March to November is an ordinary gap, reported, not filled
        #expect(ds.report.notes.contains { $0.hasPrefix("1 gap, 5708 missing 1 h steps, not filled") && $0.hasSuffix(": 2018-03-11 04:00 (5708 steps)") })
        let plain = try loadBothWays(path, options(duplicates: .first))
        #expect(plain.report.notes.contains { $0.contains("2018-03-11 02:00 (1 step, US spring daylight-saving hour)") })
    }

    @Test func usDaylightSavingRule() {
        #expect(USDaylightSaving.missingHour(year: 2013).map(TimeStamp.format) == "2013-03-10 02:00")
        #expect(USDaylightSaving.repeatedHour(year: 2013).map(TimeStamp.format) == "2013-11-03 01:00")
        #expect(USDaylightSaving.missingHour(year: 2018).map(TimeStamp.format) == "2018-03-11 02:00")
        #expect(USDaylightSaving.repeatedHour(year: 2018).map(TimeStamp.format) == "2018-11-04 01:00")
        #expect(USDaylightSaving.missingHour(year: 2006).map(TimeStamp.format) == "2006-04-02 02:00")
        #expect(USDaylightSaving.repeatedHour(year: 2006).map(TimeStamp.format) == "2006-10-29 01:00")
    }
}
