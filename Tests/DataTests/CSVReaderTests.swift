import Testing
@testable import RallyEngine

@Suite struct CSVReaderTests {
    let files = TestFiles()

    @Test func bomSemicolonsCRLFQuotedCommasBlankLinesAndTrailingDelimiter() throws {
        let text = "\u{FEFF} time ; \"price, USD\" ;load;\r\n2020-01-01 00:00;\"1,5\";10;\r\n\r\n2020-01-01 01:00;2,5;\"11\";\r\n"
        let path = files.write("messy.csv", text)
        var options = CSVOptions()
        options.decimal = 44
        let ds = try loadBothWays(path, options)
        #expect(ds.names == ["price, USD", "load"])
        #expect(times(ds) == ["2020-01-01 00:00", "2020-01-01 01:00"])
        #expect(ds.columns[0] == [1.5, 2.5])
        #expect(ds.columns[1] == [10, 11])
        let notes = ds.report.notes
        #expect(notes.contains("skipped a UTF-8 byte-order mark"))
        #expect(notes.contains("delimiter: ';'"))
        #expect(notes.contains("line endings: CRLF"))
        #expect(notes.contains("the header ends with a delimiter: its empty last field is ignored"))
        #expect(notes.contains("skipped 1 blank line"))
    }

    @Test func carriageReturnOnlyEndingsAndTabs() throws {
        let path = files.write("cr.tsv", "date\tvalue\r2021-03-01T00:00\t1\r2021-03-01T01:00\t2\r2021-03-01T02:00\t3")
        let ds = try loadBothWays(path)
        #expect(ds.count == 3)
        #expect(ds.columns[0] == [1, 2, 3])
        #expect(ds.report.notes.contains("line endings: CR"))
        #expect(ds.report.notes.contains("delimiter: tab"))
        #expect(ds.report.notes.contains("time column: 'date' (%Y-%m-%dT%H:%M)"))
    }

    @Test func quotedFieldsWithEscapesAndLineBreaksKeepLineNumbers() throws {
        let path = files.write("quoted.csv", "time,\"the \"\"price\"\"\",note\n2020-01-01 00:00,1,\"a\nb\"\n2020-01-01 01:00,x,\"c\"\n")
        var options = CSVOptions()
        options.columns = [ColumnSelection(name: "price", header: "the \"price\"")]
        let message = errorMessage { try CSVReader.load(path: path, options: options) }
        #expect(message == "\(path):4:2: expected a number in column 'the \"price\"', found \"x\"")
    }

    @Test func emptyCellsAreMissingAndCounted() throws {
        let path = files.write("empty.csv", "Date,a,b\n2020-01-01 00:00:00,,1\n2020-01-01 01:00:00,2,\n2020-01-01 02:00:00, ,3\n")
        let ds = try loadBothWays(path)
        #expect(ds.columns[0][0].isNaN && ds.columns[0][2].isNaN && ds.columns[0][1] == 2)
        #expect(ds.columns[1][1].isNaN)
        #expect(ds.report.notes.contains("empty cells, kept as missing values: a 2 (lines 2, 4); b 1 (line 3)"))
    }

    @Test func nonNumericTextNamesFileLineColumnAndText() {
        let path = files.write("text.csv", "Date,price,load\n2020-01-01 00:00:00,1,2\n2020-01-01 01:00:00,1,n/a\n")
        #expect(errorMessage { try CSVReader.load(path: path) } == "\(path):3:3: expected a number in column 'load', found \"n/a\"")
        let comma = files.write("comma.csv", "Date;price\n2020-01-01 00:00:00;1,5\n")
        #expect(errorMessage { try CSVReader.load(path: comma) }
                == "\(comma):2:2: expected a number in column 'price', found \"1,5\" (a decimal comma? pass decimal = \",\")")
    }

    @Test func badTimesAndFieldCountsAreErrors() {
        let badTime = files.write("badtime.csv", "Date,price\n2020-01-01 00:00:00,1\n2020-13-01 00:00:00,2\n")
        #expect(errorMessage { try CSVReader.load(path: badTime) }
                == "\(badTime):3:1: expected a time like %Y-%m-%d %H:%M:%S in column 'Date', found \"2020-13-01 00:00:00\"")
        let short = files.write("short.csv", "Date,a,b\n2020-01-01 00:00:00,1,2\n2020-01-01 01:00:00,1\n")
        #expect(errorMessage { try CSVReader.load(path: short) } == "\(short):3: expected 3 fields as in the header, found 2")
        let open = files.write("open.csv", "Date,a\n2020-01-01 00:00:00,\"1\n")
        #expect(errorMessage { try CSVReader.load(path: open) } == "\(open):2:2: a quoted field never closes")
        #expect(errorMessage { try CSVReader.load(path: files.directory.path + "/nope.csv") }
                == "cannot open '\(files.directory.path)/nope.csv': No such file or directory")
        let empty = files.write("empty.csv", "\n\n")
        #expect(errorMessage { try CSVReader.load(path: empty) } == "\(empty): the file is empty (no header line)")
        let headerOnly = files.write("header.csv", "Date,a\n")
        #expect(errorMessage { try CSVReader.load(path: headerOnly) }.hasPrefix("\(headerOnly): no time column found"))
    }

    @Test func timeLayouts() throws {
        let dateHour = try loadBothWays(files.write("dh.csv", "date;hour;price\n20110102;0;1\n20110102;1;2\n20110102;23;3\n"))
        #expect(times(dateHour) == ["2011-01-02 00:00", "2011-01-02 01:00", "2011-01-02 23:00"])
        #expect(dateHour.names == ["price"])
        let european = try loadBothWays(files.write("eu.csv", "when,price\n31-12-2019 22:00,1\n31-12-2019 23:00,2\n"))
        #expect(times(european) == ["2019-12-31 22:00", "2019-12-31 23:00"])
        let us = try loadBothWays(files.write("us.csv", "Datetime,price\n1/1/2025 11:00:00 PM,1\n1/2/2025 12:00:00 AM,2\n1/2/2025 12:00:00 PM,3\n"))
        #expect(times(us) == ["2025-01-01 23:00", "2025-01-02 00:00", "2025-01-02 12:00"])
        let iso = try loadBothWays(files.write("iso.csv", "price,timestamp\n1,2013-01-01T00:00:00\n2,2013-01-01T01:00:00\n"))
        #expect(times(iso) == ["2013-01-01 00:00", "2013-01-01 01:00"])
        #expect(iso.names == ["price"])
    }

    @Test func ambiguousDatesNeedAFormat() throws {
        let path = files.write("amb.csv", "Date,price\n01/02/2020 00:00,1\n01/02/2020 01:00,2\n")
        #expect(errorMessage { try CSVReader.load(path: path) }
                == "\(path): the times in column 'Date' are ambiguous (\"01/02/2020 00:00\" fits \"%m/%d/%Y %H:%M\" and \"%d/%m/%Y %H:%M\"); give format = \"...\"")
        var options = CSVOptions()
        options.format = "%d/%m/%Y %H:%M"
        #expect(times(try loadBothWays(path, options)) == ["2020-02-01 00:00", "2020-02-01 01:00"])
        let typo = files.write("typo.csv", "Date,price\n01/02/2020 00:00,1\n01/02/2020 1:00 AM,2\n")
        #expect(errorMessage { try CSVReader.load(path: typo, options: options) }
                == "\(typo):3:1: expected a time like %d/%m/%Y %H:%M in column 'Date', found \"01/02/2020 1:00 AM\"")
        let clear = try loadBothWays(files.write("clear.csv", "Date,price\n13/02/2020 00:00,1\n"))
        #expect(times(clear) == ["2020-02-13 00:00"])
    }

    @Test func columnsSelectAndRename() throws {
        let path = files.write("sel.csv", "Date,Zonal price,Other,System load\n2020-01-01 00:00:00,1,text,3\n")
        var options = CSVOptions()
        options.columns = [ColumnSelection(name: "sys", header: "System load"), ColumnSelection(name: "price", header: "Zonal price")]
        let ds = try loadBothWays(path, options)
        #expect(ds.names == ["price", "sys"])
        #expect(ds.columns == [[1], [3]])
        options.columns = [ColumnSelection(name: "price", header: "Zonal Price")]
        #expect(errorMessage { try CSVReader.load(path: path, options: options) }
                == "\(path): no column 'Zonal Price' (asked for as 'price'); headers: Date, Zonal price, Other, System load")
    }

    @Test func theSharedHeaderIsRecognisedOnlyWhenExact() throws {
        let exact = try loadBothWays(files.write("pjm.csv", "Date, Zonal COMED price, System load forecast, Zonal COMED load foecast\n2013-01-01 00:00:00,25.464211,85049.0,11509.0\n"))
        #expect(exact.names == ["price", "sys_load_fc", "zonal_load_fc"])
        #expect(exact.columns[0] == [25.464211])
        let other = try loadBothWays(files.write("other.csv", "Date, Zonal COMED price, System load forecast\n2013-01-01 00:00:00,25.464211,85049.0\n"))
        #expect(other.names == ["Zonal COMED price", "System load forecast"])
    }

    @Test func numbersParseExactly() throws {
        let values = ["0.1", "-2.5e-3", "1e22", "123456789012345678901234", "4.9406564584124654e-324", "nan", "+7", ".5", "12345678901234567"]
        let path = files.write("num.csv", "Date,v\n" + values.enumerated().map { "2020-01-01 \(10 + $0.offset):00,\($0.element)" }.joined(separator: "\n"))
        let ds = try loadBothWays(path)
        let expected = values.map { $0 == "nan" ? Double.nan : Double($0)! }
        #expect(ds.columns[0].map(\.bitPattern) == expected.map(\.bitPattern))
    }
}
