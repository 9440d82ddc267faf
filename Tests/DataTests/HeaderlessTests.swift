import Testing
@testable import RallyEngine

/// Files without a header line, and pandas' unnamed index column.
@Suite struct HeaderlessTests {
    let files = TestFiles()

    /// Two days of `date,hour ending,price,load,wind` rows, as Nord Pool data is often shared.
    func nordPool() -> String {
        var rows: [String] = []
        for day in ["20130101", "20130102"] {
            for he in 1...24 { rows.append("\(day),\(he),\(30 + Double(he) / 4),\(42_000 + he),\(2_700 + he)") }
        }
        return rows.joined(separator: "\n") + "\n"
    }

    @Test func aHeaderlessDateAndHourEndingFileIsDetected() throws {
        let path = files.write("nordpool.csv", nordPool())
        let ds = try loadBothWays(path)
        #expect(ds.count == 48 && ds.timeIndex.gaps.isEmpty)
        #expect(ds.names == ["column3", "column4", "column5"])
        #expect(times(ds).first == "2013-01-01 00:00" && times(ds).last == "2013-01-02 23:00")
        #expect(ds.columns[0][0] == 30.25)
        let notes = ds.report.notes
        #expect(notes.contains("the first line holds only numbers and dates: read it as data, not a header (header = true reads it as one); columns named column1..column5 by position"))
        #expect(notes.contains("time: date column 'column1' (%Y%m%d) + hour column 'column2' (hour ending 1-24: HE 1 is 00:00-01:00; from its values, which reach 24)"))
        #expect(notes.contains("took column2 for the hour of column1's dates: whole numbers 0-24 covering a day, next to a date column without a header"))
        #expect(notes.contains("read 48 rows x 3 columns"))
    }

    @Test func headerFalseAndColumnsByPosition() throws {
        let path = files.write("plain.csv", "2020-01-01 00:00,1,2\n2020-01-01 01:00,3,4\n")
        var options = CSVOptions()
        options.header = false
        options.columns = [ColumnSelection(name: "price", header: "column3")]
        let ds = try loadBothWays(path, options)
        #expect(ds.names == ["price"] && ds.columns[0] == [2, 4])
        #expect(ds.report.notes.contains("header = false: the first line is data; columns named column1..column3 by position"))
        // header = true reads a first line of numbers as names
        options = CSVOptions()
        options.header = true
        let named = try CSVReader.load(path: files.write("numbers.csv", "2020-01-01 00:00,10,20\n2020-01-01 01:00,3,4\n2020-01-01 02:00,5,6\n"), options: options)
        #expect(named.names == ["10", "20"] && named.count == 2)
    }

    @Test func aPandasIndexColumnIsIgnoredWithAReportLine() throws {
        let path = files.write("pandas.csv", ",time,price\n0,2020-01-01 00:00,1\n1,2020-01-01 01:00,2\n2,2020-01-01 02:00,3\n")
        let ds = try loadBothWays(path)
        #expect(ds.names == ["price"] && ds.columns[0] == [1, 2, 3])
        #expect(ds.report.notes.contains("ignored column 1: no header and values 0, 1, 2, ... (a row index as pandas writes it)"))
        // an unnamed first column that is not 0, 1, 2, ... stays a column
        let other = try loadBothWays(files.write("unnamed.csv", ",time,price\n5,2020-01-01 00:00,1\n7,2020-01-01 01:00,2\n"))
        #expect(other.names == ["column1", "price"])
    }
}
