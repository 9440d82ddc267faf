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
        #expect(errorMessage { try CSVReader.load(path: headerOnly) }.hasPrefix("\(headerOnly):1: no time column found"))
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

    /// `header` over `dates` x `hours`: `date,<hour header>,price` with the price equal to the hour value.
    func hourFile(_ name: String, hourHeader: String, dates: [String], hours: ClosedRange<Int>) -> String {
        let rows = dates.flatMap { d in hours.map { "\(d),\($0),\($0)" } }
        return files.write(name, "date,\(hourHeader),price\n" + rows.joined(separator: "\n") + "\n")
    }

    /// Every hour from 00:00 to 23:00 of each of `dates`.
    func wholeDays(_ dates: [String]) -> [String] {
        dates.flatMap { d in (0..<24).map { d + " " + ($0 < 10 ? "0" : "") + "\($0):00" } }
    }

    @Test func hourEndingColumnIsDetectedFromItsHeader() throws {
        let days = ["2020-03-01", "2020-03-02"]
        let ds = try loadBothWays(hourFile("he.csv", hourHeader: "HE", dates: days, hours: 1...24))
        #expect(times(ds) == wholeDays(days))
        #expect(ds.names == ["price"])
        #expect(ds.columns[0] == (0..<48).map { Double($0 % 24 + 1) })
        #expect(ds.report.notes.contains("time: date column 'date' (%Y-%m-%d) + hour column 'HE' (hour ending 1-24: HE 1 is 00:00-01:00; from its header)"))
        #expect(ds.summary.hasSuffix("2020-03-01 00:00 .. 2020-03-02 23:00  hourly, no gaps>"))
        let spelled = try loadBothWays(files.write("spelled.csv", "Date;Hour Ending EPT;price\n2020-03-01;1;5\n2020-03-01;2;6\n"))
        #expect(times(spelled) == ["2020-03-01 00:00", "2020-03-01 01:00"])
        let far = try loadBothWays(files.write("far.csv", "HE,price,day\n1,5,2020-03-01\n2,6,2020-03-01\n"), {
            var o = CSVOptions()
            o.time = ["day", "HE"]
            return o
        }())
        #expect(times(far) == ["2020-03-01 00:00", "2020-03-01 01:00"])
        #expect(far.report.notes.contains("time: date column 'day' (%Y-%m-%d) + hour column 'HE' (hour ending 1-24: HE 1 is 00:00-01:00; from its header)"))
    }

    @Test func hourColumnReaching24IsHourEnding() throws {
        let days = ["2020-03-01", "2020-03-02"]
        let ds = try loadBothWays(hourFile("h24.csv", hourHeader: "hour", dates: days, hours: 1...24))
        #expect(times(ds) == wholeDays(days))
        #expect(ds.report.notes.contains("time: date column 'date' (%Y-%m-%d) + hour column 'hour' (hour ending 1-24: HE 1 is 00:00-01:00; from its values, which reach 24)"))
        let beginning = try loadBothWays(hourFile("h23.csv", hourHeader: "hour", dates: days, hours: 0...23))
        #expect(times(beginning) == wholeDays(days))
        #expect(beginning.report.notes.contains("time: date column 'date' (%Y-%m-%d) + hour column 'hour' (hour beginning 0-23: hour 0 is 00:00-01:00; from its values, all 0-23)"))
    }

    @Test func explicitHoursWinOverDetection() throws {
        let path = hourFile("part.csv", hourHeader: "hour", dates: ["2020-03-01"], hours: 1...5)
        #expect(times(try loadBothWays(path)) == ["2020-03-01 01:00", "2020-03-01 02:00", "2020-03-01 03:00", "2020-03-01 04:00", "2020-03-01 05:00"])
        var options = CSVOptions()
        options.hourConvention = .ending
        let ds = try loadBothWays(path, options)
        #expect(times(ds) == ["2020-03-01 00:00", "2020-03-01 01:00", "2020-03-01 02:00", "2020-03-01 03:00", "2020-03-01 04:00"])
        #expect(ds.report.notes.contains("time: date column 'date' (%Y-%m-%d) + hour column 'hour' (hour ending 1-24: HE 1 is 00:00-01:00; as given: hours = \"ending\")"))
        options.time = ["date", "hour"]
        #expect(times(try loadBothWays(path, options)) == times(ds))
        let zero = hourFile("zero.csv", hourHeader: "hour", dates: ["2020-03-01"], hours: 0...3)
        #expect(errorMessage { try CSVReader.load(path: zero, options: options) }
                == "\(zero):2:2: expected an hour 1-24 (hour ending) in column 'hour', found \"0\"")
    }

    @Test func hourValuesOutsideTheConventionAreErrors() throws {
        let day = hourFile("day.csv", hourHeader: "hour", dates: ["2020-03-01"], hours: 1...24)
        var options = CSVOptions()
        options.hourConvention = .beginning
        #expect(errorMessage { try CSVReader.load(path: day, options: options) }
                == "\(day):25:2: expected an hour 0-23 (hour beginning) in column 'hour', found \"24\"")
        let both = hourFile("both.csv", hourHeader: "hour", dates: ["2020-03-01"], hours: 0...24)
        #expect(errorMessage { try CSVReader.load(path: both) }
                == "\(both):1: hour column 'hour' holds both 0 and 24, so it is neither hour beginning (0-23) nor hour ending (1-24); pass hours = \"beginning\" or hours = \"ending\"")
        let he = hourFile("he0.csv", hourHeader: "HE", dates: ["2020-03-01"], hours: 0...23)
        #expect(errorMessage { try CSVReader.load(path: he) }
                == "\(he):2:2: expected an hour 1-24 (hour ending) in column 'HE', found \"0\" (read as hour ending 1-24 from its header; hours = \"beginning\" reads hour beginning 0-23 columns)")
        // 2000 sampled rows never reach 24, so the column is read as hour beginning until row 2001.
        let dates = (0..<100).map { TimeStamp.format(TimeStamp.day * Int64($0)).prefix(10) }.map(String.init)
        let late = files.write("late.csv", "date,hour,price\n"
            + dates.flatMap { d in (1...20).map { "\(d),\($0),1" } }.joined(separator: "\n") + "\n1970-04-11,24,1\n")
        #expect(errorMessage { try CSVReader.load(path: late) }
                == "\(late):2002:2: expected an hour 0-23 (hour beginning) in column 'hour', found \"24\" (read as hour beginning 0-23 from the first rows; hours = \"ending\" reads hour ending 1-24 columns)")
        let noHour = files.write("nohour.csv", "Date,price\n2020-01-01 00:00,1\n")
        #expect(errorMessage { try CSVReader.load(path: noHour, options: options) }
                == "\(noHour):1: hours = \"beginning\" is for a date column plus an hour column, but the time is read from column 'Date' alone (%Y-%m-%d %H:%M); name both with time = {\"<date>\", \"<hour>\"}")
    }

    @Test func ambiguousDatesNeedAFormat() throws {
        let path = files.write("amb.csv", "Date,price\n01/02/2020 00:00,1\n01/02/2020 01:00,2\n")
        #expect(errorMessage { try CSVReader.load(path: path) }
                == "\(path):1: the times in column 'Date' are ambiguous (\"01/02/2020 00:00\" fits \"%m/%d/%Y %H:%M\" and \"%d/%m/%Y %H:%M\"); give format = \"...\"")
        var options = CSVOptions()
        options.format = "%d/%m/%Y %H:%M"
        #expect(times(try loadBothWays(path, options)) == ["2020-02-01 00:00", "2020-02-01 01:00"])
        let typo = files.write("typo.csv", "Date,price\n01/02/2020 00:00,1\n01/02/2020 1:00 AM,2\n")
        #expect(errorMessage { try CSVReader.load(path: typo, options: options) }
                == "\(typo):3:1: expected a time like %d/%m/%Y %H:%M (format = \"%d/%m/%Y %H:%M\") in column 'Date', found \"01/02/2020 1:00 AM\"")
        let clear = try loadBothWays(files.write("clear.csv", "Date,price\n13/02/2020 00:00,1\n"))
        #expect(times(clear) == ["2020-02-13 00:00"])
    }

    @Test func dashedDatesAreReadMonthFirstOrDayFirstOnlyWhenUnambiguous() throws {
        let path = files.write("amb-dash.csv", "time,price\n01-02-2020 00:00,1\n01-02-2020 01:00,2\n")
        #expect(errorMessage { try CSVReader.load(path: path) }
                == "\(path):1: the times in column 'time' are ambiguous (\"01-02-2020 00:00\" fits \"%m-%d-%Y %H:%M\" and \"%d-%m-%Y %H:%M\"); give format = \"...\"")
        var options = CSVOptions()
        options.format = "%d-%m-%Y %H:%M"
        #expect(times(try loadBothWays(path, options)) == ["2020-02-01 00:00", "2020-02-01 01:00"])
        let us = try loadBothWays(files.write("us-dash.csv", "time,price\n01-13-2020 00:00,1\n01-13-2020 01:00,2\n"))
        #expect(times(us) == ["2020-01-13 00:00", "2020-01-13 01:00"])
        #expect(us.report.notes.contains("time column: 'time' (%m-%d-%Y %H:%M)"))
        let european = try loadBothWays(files.write("eu-dash.csv", "time,price\n13-01-2020,1\n14-01-2020,2\n"))
        #expect(times(european) == ["2020-01-13 00:00", "2020-01-14 00:00"])
        // A later row settles the layout: day 13 fits only day-first.
        let settled = try loadBothWays(files.write("settled.csv", "time,price\n"
            + (1...13).map { "\($0 < 10 ? "0" : "")\($0)-01-2020 00:00,1" }.joined(separator: "\n") + "\n"))
        #expect(times(settled).last == "2020-01-13 00:00")
    }

    @Test func dataMinerOptionsAreRefusedForOtherFiles() {
        let path = files.write("plain.csv", "time,price\n2020-01-01 00:00,1\n")
        for (option, set) in [("utc_offset", { (o: inout CSVOptions) in o.utcOffsetHours = -5 }),
                              ("pnodes", { (o: inout CSVOptions) in o.pnodes = ["X"] }),
                              ("component", { (o: inout CSVOptions) in o.component = .energy })] {
            var options = CSVOptions()
            set(&options)
            #expect(errorMessage { try CSVReader.load(path: path, options: options) }
                    == "\(path):1: \(option) applies only to long LMP exports (PJM Data Miner, gridstatus), and this file is not one (header: time, price)")
        }
    }

    @Test func binaryFilesAreNotShownAsText() {
        let binary = files.write("a.out", "\u{7F}ELF\u{2}\u{1}\u{1}\u{0}\u{0}\u{0}\nmore\n")
        #expect(errorMessage { try CSVReader.load(path: binary) }
                == "\(binary):1: does not look like a text CSV file (a NUL byte near its start: binary data, or UTF-16 text, which rally does not read)")
        let control = files.write("ctl.csv", "a,b\n\u{1}x,\u{7}" + String(repeating: "y", count: 200) + "\n")
        let message = errorMessage { try CSVReader.load(path: control) }
        #expect(message.hasPrefix("\(control):1: no time column found (first row: \\u{01}x,\\u{07}yyy"))
        #expect(message.contains("yyyy ... (204 characters)): name it with time = "))
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
                == "\(path):1: no column 'Zonal Price' (asked for as 'price'); headers: Date, Zonal price, Other, System load")
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
