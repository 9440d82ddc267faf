import Foundation
import Testing
@testable import RallyEngine

/// A temporary directory for the messy inputs a test writes itself; removed on deinit.
final class TestFiles {
    let directory: URL

    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rally-data-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Writes `bytes` to `name` and returns the path.
    func write(_ name: String, bytes: [UInt8]) -> String {
        let url = directory.appendingPathComponent(name)
        let written = FileManager.default.createFile(atPath: url.path, contents: Data(bytes))
        precondition(written, "could not write the test file \(url.path)")
        return url.path
    }

    /// Writes `text` (UTF-8) to `name` and returns the path.
    func write(_ name: String, _ text: String) -> String { write(name, bytes: Array(text.utf8)) }
}

/// Loads `path` twice, with the normal chunk size and with 5-byte reads (every record straddles
/// reads), checks both give the same dataset, and returns it.
func loadBothWays(_ path: String, _ options: CSVOptions = CSVOptions()) throws -> Dataset {
    let normal = try CSVReader.load(path: path, options: options)
    let tiny = try CSVReader.load(path: path, options: options, chunkSize: 5)
    #expect(normal.timestamps == tiny.timestamps)
    #expect(normal.names == tiny.names)
    #expect(normal.columns.map { $0.map(\.bitPattern) } == tiny.columns.map { $0.map(\.bitPattern) })
    #expect(normal.report == tiny.report)
    return normal
}

/// The message of the error `body` throws (records an issue when it throws none).
func errorMessage(_ body: () throws -> Any) -> String {
    do {
        _ = try body()
        Issue.record("expected an error")
        return ""
    } catch {
        return (error as? RallyError)?.message ?? "\(error)"
    }
}

/// `"YYYY-MM-DD HH:MM"` of every timestamp.
func times(_ ds: Dataset) -> [String] { ds.timestamps.map(TimeStamp.format) }
