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
}
