import Foundation
import Testing
@testable import RallyEngine

/// Pathological files (issue 12): each gives a clear, bounded error quickly, naming file and line;
/// options that bear on an error are named in it; infinite values and runaway fills are refused.
@Suite struct CSVLimitsTests {
    let files = TestFiles()

    /// The error of loading `path`, and how long it took.
    func timedError(_ path: String, _ options: CSVOptions = CSVOptions()) -> (message: String, seconds: Double) {
        let start = Date()
        let message = errorMessage { try CSVReader.load(path: path, options: options) }
        return (message, Date().timeIntervalSince(start))
    }

    @Test func aMillionEmptyHeaderFieldsIsRefusedQuickly() {
        let path = files.write("commas.csv", "Date,price" + String(repeating: ",", count: 1_000_000) + "\n2013-01-01 00:00,1\n")
        let (message, seconds) = timedError(path)
        #expect(message == "\(path):1: the header has more than 10000 fields; rally reads at most 10000 columns")
        #expect(seconds < 5)
    }

    @Test func aMillionColumnsOnADataLineIsRefused() {
        let path = files.write("wide.csv", "time,price\n2013-01-01 00:00" + String(repeating: ",1", count: 1_000_000) + "\n")
        let (message, seconds) = timedError(path)
        #expect(message == "\(path):2: more than 10000 fields; rally reads at most 10000 columns")
        #expect(seconds < 5)
    }

    @Test func oneHugeLineIsAnErrorNamingIt() {
        let path = files.write("line.csv", "time,price\n2013-01-01 00:00," + String(repeating: "9", count: 20_000_000) + "x\n")
        let (message, seconds) = timedError(path)
        #expect(message.hasPrefix("\(path):2:2: expected a number in column 'price', found \"99999"))
        #expect(message.hasSuffix(" ... (20000001 bytes)\""))
        #expect(seconds < 10)
    }

    @Test func deeplyNestedQuotesAreAnErrorNamingTheLine() {
        let path = files.write("quotes.csv", "time,price\n" + String(repeating: "\"", count: 1_000_001) + "\n")
        #expect(timedError(path).message == "\(path):2:1: a quoted field never closes")
    }

    @Test func infiniteValuesAreRefusedAtTheirCell() throws {
        let path = files.write("inf.csv", "time,price\n2013-01-01 00:00,1\n2013-01-01 01:00,-1e309\n")
        #expect(timedError(path).message
                == "\(path):3:2: the number \"-1e309\" in column 'price' is beyond the range of a double (±1.8e308); rally refuses infinite values")
        // the largest finite double is read, and written back exactly
        let big = files.write("big.csv", "time,price\n2013-01-01 00:00,1.7976931348623157e308\n")
        #expect(try CSVReader.load(path: big).columns[0] == [.greatestFiniteMagnitude])
    }

    @Test func fillIsBoundedAndTheBoundIsAnOption() throws {
        let far = files.write("far.csv", "time,price\n2013-01-01 00:00,1\n2013-01-01 01:00,2\n9999-12-31 23:00,3\n")
        var options = CSVOptions()
        options.contracts.fill = .ffill
        let message = timedError(far, options).message
        #expect(message.hasPrefix("\(far):4: fill would add 70"))
        #expect(message.contains("more than fill_limit = 10000; the widest gap is 70"))
        #expect(message.hasSuffix("from 2013-01-01 01:00 to 9999-12-31 23:00 (a wrong timestamp?); no fill_limit allows that many (at most 50000000)"))
        let gap = files.write("gap.csv", "time,price\n2013-01-01 00:00,1\n2013-01-01 01:00,1\n2013-01-05 06:00,2\n")
        options.contracts.fillLimit = 99
        #expect(timedError(gap, options).message == """
            \(gap):4: fill would add 100 rows, more than fill_limit = 99; the widest gap is 100 missing 1 h steps, from 2013-01-01 01:00 to \
            2013-01-05 06:00 (a wrong timestamp?); raise fill_limit (at most 50000000) to fill it
            """)
        options.contracts.fillLimit = 100
        #expect(try CSVReader.load(path: gap, options: options).count == 103)
        options.contracts.fillLimit = -1
        #expect(timedError(gap, options).message == "fill_limit must be between 0 and 50000000 rows, got -1")
    }

    @Test func messagesAreBoundedAndEscaped() {
        // 5,000 duplicated timestamps: the first few and a count
        let rows = (0..<5_000).map { _ in "2013-01-01 00:00,1" }.joined(separator: "\n")
        let dup = files.write("dup.csv", "time,price\n" + rows + "\n")
        let message = timedError(dup).message
        #expect(message.hasPrefix("\(dup):2: duplicate timestamps: 2013-01-01 00:00 (lines 2, 3, 4, 5, 6, ... (5000 rows))"))
        #expect(message.utf8.count <= MessageText.maxMessageBytes)
        // control and invalid bytes are escaped
        let bad = files.write("bytes.csv", bytes: Array("time,price\n2013-01-01 00:00,1\u{1}\r".utf8) + [0xFF, 0xFE] + Array(",\n".utf8))
        let shown = timedError(bad).message
        #expect(shown.hasPrefix("\(bad):2:2: expected a number in column 'price', found \"1\\u{01}\""))
        let invalid = files.write("invalid.csv", bytes: Array("time,price\n2013-01-01 00:00,".utf8) + [0xFF, 0x31] + Array("\n".utf8))
        #expect(timedError(invalid).message == "\(invalid):2:2: expected a number in column 'price', found \"\\xFF1\"")
    }

    @Test func givenOptionsAreNamedWhenTheyBearOnTheError() {
        let path = files.write("dot.csv", "time;price\n2013-01-01 00:00;34.3456\n")
        var options = CSVOptions()
        options.decimal = 44
        #expect(timedError(path, options).message
                == "\(path):2:2: expected a number in column 'price', found \"34.3456\" (decimal = \",\" was given: this is a number with a decimal point)")
        options = CSVOptions()
        options.delimiter = 44
        #expect(timedError(path, options).message.hasSuffix("delimiter = ',' split the header into 1 field"))
        options = CSVOptions()
        options.format = "%d/%m/%Y %H:%M"
        #expect(timedError(path, options).message.hasSuffix("no column fits format = \"%d/%m/%Y %H:%M\""))
        options = CSVOptions()
        options.delimiter = 44
        let short = files.write("short.csv", "time,price\n2013-01-01 00:00,1\n2013-01-01 01:00\n")
        #expect(timedError(short, options).message == "\(short):3: expected 2 fields as in the header, found 1 (delimiter = \",\" was given)")
    }

    @Test func headerProblemsNameLineOneOrTheHeaderLine() {
        let dup = files.write("names.csv", "\n\ntime,a,a\n2013-01-01 00:00,1,2\n")
        #expect(timedError(dup).message == "\(dup):3: two columns are named 'a' (fields 2 and 3); rename them with columns = {...}")
        let empty = files.write("empty.csv", "")
        #expect(timedError(empty).message == "\(empty): the file is empty (no header line)")
    }

    @Test func extremeUTCOffsetsAreRefusedByTheEngine() {
        let path = files.write("lmp.csv", DataMinerTests.long)
        for offset in [Int.min, -15, 15, Int.max] {
            var options = CSVOptions()
            options.utcOffsetHours = offset
            #expect(timedError(path, options).message == "\(path):1: utc_offset must be between -14 and 14 hours, got \(offset)")
        }
    }
}
