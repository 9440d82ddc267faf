import Foundation
import Testing

@Suite struct BatchModeTests {
    @Test func openMPThreadsSpinBrieflyUnlessTheUserChose() throws {
        let chunk = "print(os.getenv('GOMP_SPINCOUNT'), os.getenv('OMP_WAIT_POLICY'), arg[0], #arg, ...)"
        let r = try ShellHarness.run(["-e", chunk, "-", "a", "b"], input: "", unset: ["OMP_WAIT_POLICY", "GOMP_SPINCOUNT"])
        #expect(r.status == 0)
        #expect(r.stdout == "10000\tnil\t-\t2\n", "\(r.stdout)")
        let policy = "print(os.getenv('GOMP_SPINCOUNT'), os.getenv('OMP_WAIT_POLICY'))"
        let kept = try ShellHarness.run(["-e", policy], environment: ["OMP_WAIT_POLICY": "active"], unset: ["GOMP_SPINCOUNT"])
        #expect(kept.stdout == "nil\tactive\n")
        let spin = try ShellHarness.run(["-e", policy], environment: ["GOMP_SPINCOUNT": "500"], unset: ["OMP_WAIT_POLICY"])
        #expect(spin.stdout == "500\tnil\n")
    }

    @Test func libgompStartsWithTheShellsSpinCount() throws {
        // libgomp prints the settings it read when OMP_DISPLAY_ENV is set; rally.versions() loads
        // XGBoost, and libgomp with it, after the shell set the count
        let r = try ShellHarness.run(["-e", "print(rally.versions().xgboost)"], environment: ["OMP_DISPLAY_ENV": "verbose"],
                                     unset: ["OMP_WAIT_POLICY", "GOMP_SPINCOUNT"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("GOMP_SPINCOUNT = '10000'"), "stderr: \(r.stderr)")
    }

    @Test func scriptGetsArgTableAndVarargs() throws {
        let dir = try ShellHarness.temporaryDirectory()
        let script = dir.appendingPathComponent("args.lua")
        try "print(arg[0], arg[1], arg[2], #arg, select('#', ...), ...)".write(to: script, atomically: true, encoding: .utf8)
        let r = try ShellHarness.run([script.path, "one", "two"])
        #expect(r.status == 0)
        #expect(r.stdout == "\(script.path)\tone\ttwo\t2\t2\tone\ttwo\n")
    }

    @Test func errorsExitOneWithMessageAndTraceback() throws {
        let dir = try ShellHarness.temporaryDirectory()
        let script = dir.appendingPathComponent("bad.lua")
        try "local x = 1\nerror('broken recipe')".write(to: script, atomically: true, encoding: .utf8)
        let r = try ShellHarness.run([script.path])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("rally-shell: "))
        #expect(r.stderr.contains("bad.lua:2: broken recipe"))
        #expect(r.stderr.contains("stack traceback:"))
    }

    @Test func aScriptStoppedByCtrlCExits130() throws {
        let process = Process()
        process.executableURL = ShellHarness.shell
        process.arguments = ["-e", "io.stderr:write('ready\\n') while true do end"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = Pipe()
        try process.run()
        // interrupt only once the loop runs (the SIGINT handler is installed by then)
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("ready") {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        Thread.sleep(forTimeInterval: 0.1)
        process.interrupt()
        seen.append(err.fileHandleForReading.readDataToEndOfFile())
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        #expect(String(decoding: seen, as: UTF8.self).contains("interrupted!"))
    }

    @Test func syntaxErrorsAndMissingFilesExitOne() throws {
        let r = try ShellHarness.run(["/nonexistent/recipe.lua"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("cannot open /nonexistent/recipe.lua"))
        let s = try ShellHarness.run(["-e", "x = = 1"])
        #expect(s.status == 1)
        #expect(s.stderr.contains("unexpected symbol"))
    }

    @Test func dashEChunksRunBeforeTheScriptInOrder() throws {
        let dir = try ShellHarness.temporaryDirectory()
        let script = dir.appendingPathComponent("s.lua")
        try "print(a + b)".write(to: script, atomically: true, encoding: .utf8)
        let r = try ShellHarness.run(["-e", "a = 1", "-e", "b = 41", script.path])
        #expect(r.status == 0)
        #expect(r.stdout == "42\n")
    }

    @Test func dashReadsTheScriptFromStdin() throws {
        let r = try ShellHarness.run(["-", "x"], input: "print('from stdin', ...)")
        #expect(r.status == 0)
        #expect(r.stdout == "from stdin\tx\n")
    }

    @Test func pipedStdinWithoutScriptRunsAsAScript() throws {
        let r = try ShellHarness.run([], input: "print(rally.version)\nprint(1 + 2)\n")
        #expect(r.status == 0)
        #expect(r.stdout.hasSuffix("3\n"))
        #expect(!r.stdout.contains("rally>"))
    }

    @Test func versionHelpAndBadOptions() throws {
        let v = try ShellHarness.run(["--version"])
        #expect(v.status == 0)
        #expect(v.stdout.contains("Lua 5.4"))
        #expect(v.stdout.contains("XGBoost"))
        let h = try ShellHarness.run(["--help"])
        #expect(h.stdout.contains("usage: rally-shell"))
        let b = try ShellHarness.run(["--bogus"])
        #expect(b.status == 1)
        #expect(b.stderr.contains("unrecognized option '--bogus'"))
    }

    @Test func recipesCanRequireHelpersFromScripts() throws {
        let dir = try ShellHarness.temporaryDirectory()
        try "return {answer = 42}".write(to: dir.appendingPathComponent("helper.lua"), atomically: true, encoding: .utf8)
        let script = dir.appendingPathComponent("main.lua")
        try "print(require('helper').answer)".write(to: script, atomically: true, encoding: .utf8)
        let r = try ShellHarness.run([script.path])
        #expect(r.stdout == "42\n")
    }

    @Test func stockLuaRequiresTheSharedLibrary() throws {
        let lib = ShellHarness.buildDirectory.appendingPathComponent("libRallyEngineShared.so")
        guard FileManager.default.fileExists(atPath: lib.path),
              FileManager.default.fileExists(atPath: "/usr/bin/lua5.4") else {
            Issue.record("needs /usr/bin/lua5.4 and \(lib.path) (run `swift build` first)")
            return
        }
        let dir = try ShellHarness.temporaryDirectory()
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("rally.so"), withDestinationURL: lib)
        let chunk = "package.cpath = '\(dir.path)/?.so;' .. package.cpath; local rally = require 'rally'; print(rally.version, type(rally.help))"
        let r = try ShellHarness.run(["-e", chunk], executable: URL(fileURLWithPath: "/usr/bin/lua5.4"))
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "0.1.0\tfunction\n")
    }
}
