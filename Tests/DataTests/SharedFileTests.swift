import Foundation
import Testing
@testable import RallyEngine

/// The shared PJM COMED file, read from `../shared/data/` next to the package root.
enum SharedData {
    static let path: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.deletingLastPathComponent().appendingPathComponent("shared/data/pjm_comed_2013_2018.csv").path
    }()
    static var isPresent: Bool { FileManager.default.fileExists(atPath: path) }
}

@Suite struct SharedFileTests {
    @Test(.enabled(if: SharedData.isPresent, "the shared file ../shared/data/pjm_comed_2013_2018.csv is absent: skipped"))
    func loadsTheBenchmarkFile() throws {
        let ds = try CSVReader.load(path: SharedData.path)
        #expect(ds.count == 52_416)
        #expect(ds.names == ["price", "sys_load_fc", "zonal_load_fc"])
        #expect(TimeStamp.format(ds.timestamps.first!) == "2013-01-01 00:00")
        #expect(TimeStamp.format(ds.timestamps.last!) == "2018-12-24 23:00")
        #expect(ds.columns[0].first == 25.464211)
        #expect(ds.columns[1].first == 85049.0)
        #expect(ds.columns[2].first == 11509.0)
        #expect(ds.columns[0].last == 23.980222)
        #expect(ds.columns[1].last == 88037.0)
        #expect(ds.columns[2].last == 10419.0)
        #expect(ds.timeIndex.gaps.isEmpty)
        #expect(ds.timeIndex.stepSeconds == 3600)
        #expect(ds.summary == "<Dataset 52416 rows x 3 cols  2013-01-01 00:00 .. 2018-12-24 23:00  hourly, no gaps>")
        #expect(ds.report.notes.contains { $0.contains("recognised the shared PJM COMED benchmark header") })
    }
}
