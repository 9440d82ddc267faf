import Foundation
import Testing
@testable import RallyEngine

/// Writing a dataset as CSV, and reading it back to the same values.
@Suite struct DatasetCSVTests {
    @Test func writtenDatasetsLoadBackBitForBit() throws {
        let files = TestFiles()
        let start: Int64 = 1_356_998_400 // 2013-01-01 00:00
        let values: [Double] = [25.464211, .nan, 0.1 + 0.2, -1e-12, 1e300, 42, .leastNonzeroMagnitude, -0.0]
        let dataset = Dataset(timestamps: values.indices.map { start + Int64($0) * 3600 },
                              names: ["price", "load, MW \"zonal\""],
                              columns: [values, values.reversed()])
        let path = files.directory.appendingPathComponent("nested/folder/ds.csv").path
        try DatasetCSV.write(dataset, to: path)
        let back = try loadBothWays(path)
        #expect(back.timestamps == dataset.timestamps)
        #expect(back.names == dataset.names)
        #expect(back.columns.map { $0.map(\.bitPattern) } == dataset.columns.map { $0.map(\.bitPattern) })
        #expect(DatasetCSV.text(dataset).hasPrefix("time,price,\"load, MW \"\"zonal\"\"\"\n2013-01-01 00:00,25.464211,"))
    }

    @Test func aColumnNamedTimeIsRefused() {
        let dataset = Dataset(timestamps: [0], names: ["time"], columns: [[1]])
        let message = errorMessage { try DatasetCSV.write(dataset, to: "/tmp/never-written.csv") }
        #expect(message.contains("a column named 'time'"))
    }

    @Test func namesWithSemicolonsTabsAndQuotesAndTimesWithSecondsRoundTrip() throws {
        let files = TestFiles()
        let start: Int64 = 1_356_998_400
        let dataset = Dataset(timestamps: [start, start + 30, start + 3600], names: ["a;b", "c\td", "e \"f\"", "Date"],
                              columns: [[1, 2, 3], [4, 5, 6], [7, 8, 9], [0.5, -0.0, .nan]])
        let path = files.directory.appendingPathComponent("names.csv").path
        try DatasetCSV.write(dataset, to: path)
        let back = try loadBothWays(path)
        #expect(back.names == dataset.names)
        #expect(back.timestamps == dataset.timestamps)
        #expect(back.columns.map { $0.map(\.bitPattern) } == dataset.columns.map { $0.map(\.bitPattern) })
        #expect(DatasetCSV.text(dataset).contains("\n2013-01-01 00:00:00,1,4,7,0.5\n2013-01-01 00:00:30,2,5,8,-0\n"))
    }

    @Test func whatWouldNotReadBackIsRefusedBeforeWriting() {
        let files = TestFiles()
        let path = files.directory.appendingPathComponent("refused.csv").path
        let t: [Int64] = [0, 3600]
        let cases: [(Dataset, String)] = [
            (Dataset(timestamps: t, names: ["a\u{1}b"], columns: [[1, 2]]), "column 'a\\u{01}b' has a control character in its name; rename it first"),
            (Dataset(timestamps: t, names: [""], columns: [[1, 2]]), "a column has an empty name (rally.load would call it columnN); rename it first"),
            (Dataset(timestamps: t, names: [" a"], columns: [[1, 2]]), "column ' a' has blanks around its name (rally.load trims them); rename it first"),
            (Dataset(timestamps: t, names: ["a", "a"], columns: [[1, 2], [3, 4]]), "two columns are named 'a'; rename one first"),
            (Dataset(timestamps: t, names: [String(repeating: "\"", count: 501)], columns: [[1, 2]]),
             "column '\(String(repeating: "\"", count: 40)) ... (501 characters)' has a name of 1002 bytes as written; rally.load reads names of at most 1000"),
            (Dataset(timestamps: t, names: ["a"], columns: [[1, -.infinity]]), "column 'a' holds -inf at 1970-01-01 01:00 (rally.load refuses infinite values)"),
            (Dataset(timestamps: [], names: ["a"], columns: [[]]), "the dataset has no rows (rally.load refuses a file without data rows)"),
            (Dataset(timestamps: [3600, 0], names: ["a"], columns: [[1, 2]]),
             "row 2 (1970-01-01 00:00) does not come after row 1 (rally.load refuses times out of order or repeated)"),
            (Dataset(timestamps: [TimeStamp.make(year: 9999, month: 12, day: 31, hour: 23) + 3600], names: ["a"], columns: [[1]]),
             "row 1 has a time outside the years 0000-9999 (253402300800 s since 1970)"),
        ]
        for (dataset, why) in cases {
            #expect(errorMessage { try DatasetCSV.write(dataset, to: path) } == "cannot write '\(path)' so that rally.load reads it back: \(why)")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
        let miner = Dataset(timestamps: t, names: ["datetime_beginning_utc", "pnode_id", "pnode_name", "row_is_current", "version_nbr", "total_lmp_da"],
                            columns: Array(repeating: [1, 2], count: 6))
        #expect(errorMessage { try DatasetCSV.write(miner, to: path) }.hasSuffix("its column names are those of a PJM Data Miner export, which rally.load would pivot; rename them first"))
    }
}
