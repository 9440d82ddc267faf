import Foundation
import Testing

/// Runs the built `rally-shell` binary, the way a person or a CI job does.
enum ShellHarness {
    /// The package root (two levels above this file's folder).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The folder holding the test binary, which is the build folder with rally-shell in it.
    static let buildDirectory: URL = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("rally-shell").path) { return url }
        }
        return packageRoot.appendingPathComponent(".build/debug")
    }()

    /// The rally-shell executable.
    static var shell: URL { buildDirectory.appendingPathComponent("rally-shell") }

    /// The outcome of one run.
    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs `executable` with `arguments`, feeding `input` on stdin, in `directory`, with this
    /// process's environment plus `environment` and without the variables in `unset`.
    static func run(_ arguments: [String], input: String? = nil, executable: URL? = nil,
                    directory: URL? = nil, environment: [String: String] = [:], unset: [String] = []) throws -> Run {
        let process = Process()
        process.executableURL = executable ?? shell
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        for k in unset { env[k] = nil }
        process.environment = env
        let out = Pipe(), err = Pipe(), inp = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inp
        try process.run()
        if let input { inp.fileHandleForWriting.write(Data(input.utf8)) }
        try inp.fileHandleForWriting.close()
        // read both pipes fully before waiting, so a chatty child never blocks
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   stdout: String(decoding: outData, as: UTF8.self),
                   stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rally-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
