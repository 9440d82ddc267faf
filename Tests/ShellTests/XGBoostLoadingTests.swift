import Foundation
import Testing

/// Stock `lua5.4` with rally.so (the shared engine library, `require "rally"`).
enum StockLua {
    static let lua = URL(fileURLWithPath: "/usr/bin/lua5.4")
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: lua.path) }
    static let skipMessage: Comment = "stock Lua is not installed (/usr/bin/lua5.4; scripts/setup.sh installs it): skipped"

    /// Runs `chunk` in stock Lua after pointing `package.cpath` at a folder holding rally.so.
    static func run(_ chunk: String, environment: [String: String] = [:], unset: [String] = []) throws -> ShellHarness.Run {
        let lib = ShellHarness.buildDirectory.appendingPathComponent("libRallyEngineShared.so")
        guard FileManager.default.fileExists(atPath: lib.path) else {
            Issue.record("needs \(lib.path) (run `swift build` first)")
            return ShellHarness.Run(status: -1, stdout: "", stderr: "")
        }
        let dir = try ShellHarness.temporaryDirectory()
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("rally.so"), withDestinationURL: lib)
        return try ShellHarness.run(["-e", "package.cpath = '\(dir.path)/?.so;' .. package.cpath; " + chunk],
                                    executable: lua, environment: environment, unset: unset)
    }
}

/// XGBoost's OpenMP threads spin briefly (`GOMP_SPINCOUNT=10000`) in stock Lua too: `require
/// "rally"` sets the count before XGBoost, and libgomp with it, is loaded (rally-shell's own
/// case: `BatchModeTests`).
@Suite(.enabled(if: StockLua.isInstalled, StockLua.skipMessage))
struct StockLuaSpinTests {
    static let chunk = "local before = os.getenv('GOMP_SPINCOUNT'); local rally = require 'rally'; "
        + "print(before, os.getenv('GOMP_SPINCOUNT'), os.getenv('OMP_WAIT_POLICY'))"

    @Test func requireSetsTheSpinCountWhenUnset() throws {
        let r = try StockLua.run(Self.chunk, unset: ["GOMP_SPINCOUNT", "OMP_WAIT_POLICY"])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "nil\t10000\tnil\n")
    }

    @Test func requireKeepsTheUsersCountOrPolicy() throws {
        let count = try StockLua.run(Self.chunk, environment: ["GOMP_SPINCOUNT": "500"], unset: ["OMP_WAIT_POLICY"])
        #expect(count.stdout == "500\t500\tnil\n", "stderr: \(count.stderr)")
        let policy = try StockLua.run(Self.chunk, environment: ["OMP_WAIT_POLICY": "active"], unset: ["GOMP_SPINCOUNT"])
        #expect(policy.stdout == "nil\tnil\tactive\n", "stderr: \(policy.stderr)")
    }

    @Test func libgompStartsWithTheCount() throws {
        // libgomp prints the settings it read when OMP_DISPLAY_ENV is set; rally.versions() loads XGBoost
        let chunk = "local rally = require 'rally'; print(rally.versions().xgboost)"
        let r = try StockLua.run(chunk, environment: ["OMP_DISPLAY_ENV": "verbose"], unset: ["GOMP_SPINCOUNT", "OMP_WAIT_POLICY"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("GOMP_SPINCOUNT = '10000'"), "stderr: \(r.stderr)")
    }
}

/// Without a usable libxgboost.so.0, what needs XGBoost fails with an error that says so, and
/// the rest of rally works (gbdt fits and predictions by rally's trainer among it): XGBoost is
/// loaded at its first use. A folder on `LD_LIBRARY_PATH`
/// holding an empty libxgboost.so.0 stands in for a broken installation.
@Suite struct MissingXGBoostTests {
    static func runWithoutXGBoost(_ chunk: String) throws -> ShellHarness.Run {
        let dir = try ShellHarness.temporaryDirectory()
        try Data().write(to: dir.appendingPathComponent("libxgboost.so.0"))
        let path = [dir.path] + (ProcessInfo.processInfo.environment["LD_LIBRARY_PATH"].map { [$0] } ?? [])
        return try ShellHarness.run(["-e", chunk], environment: ["LD_LIBRARY_PATH": path.joined(separator: ":")])
    }

    @Test func xgboostsTrainerFailsWithTheLoadersMessage() throws {
        let r = try Self.runWithoutXGBoost("rally.model.gbdt{rounds = 2, nthread = 1, trainer = 'xgboost'}:fit({a = {0.5, 2, 3, 1}}, {0, 1, 1, 0})")
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("rally-shell: (command line):1: gbdt: XGBoost failed to create a DMatrix: cannot load libxgboost.so.0: "), "\(r.stderr)")
        #expect(r.stderr.contains("libxgboost.so.0: file too short"), "\(r.stderr)")
    }

    /// rally's trainer fits, predicts and ranks features without XGBoost; saving the model
    /// (an XGBoost JSON model) is what needs it.
    @Test func rallysTrainerNeedsXGBoostOnlyToSave() throws {
        let fit = "local m = rally.model.gbdt{rounds = 2, nthread = 1}:fit({a = {0.5, 2, 3, 1}}, {0, 1, 1, 0}); "
            + "print(#m:predict({a = {2, 0.5}}), m:importance()[1].feature); "
        let r = try Self.runWithoutXGBoost(fit)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "2\ta\n")
        let path = try ShellHarness.temporaryDirectory().appendingPathComponent("m.json").path
        let save = try Self.runWithoutXGBoost(fit + "m:save('\(path)')")
        #expect(save.status == 1)
        #expect(save.stderr.contains("gbdt: XGBoost failed to create a booster: cannot load libxgboost.so.0: "), "\(save.stderr)")
    }

    @Test func theRestOfRallyRunsAndTheVersionSaysWhy() throws {
        let chunk = "print(rally.model.logreg():fit({a = {0.5, 2, 3, 1}}, {0, 1, 1, 0}):predict({a = {2}})[1] > 0.5, rally.versions().xgboost)"
        let r = try Self.runWithoutXGBoost(chunk)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout.hasPrefix("true\tunavailable (cannot load libxgboost.so.0: "), "\(r.stdout)")
    }
}
