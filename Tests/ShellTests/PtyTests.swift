import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// rally-shell on a pseudo-terminal, so that it runs GNU readline as a person would see it.
/// util-linux `script` owns the terminal: what we write is typed (so "\u{3}" is a real Ctrl-C
/// through the terminal's line discipline), and what the shell prints comes back to us.
final class PtySession {
    let process = Process()
    private let input = Pipe()
    private let outputPipe = Pipe()
    private(set) var output = ""

    init(environment: [String: String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        // script(1) runs its command through $SHELL -c; `exec` leaves rally-shell alone on the
        // terminal. Without it, dash (CI's /bin/sh) stays as the parent, catches the Ctrl-C too,
        // and kills itself with SIGINT once rally-shell exits: exit status 130 for a clean exit.
        let quoted = "'" + ShellHarness.shell.path.replacingOccurrences(of: "'", with: "'\\''") + "'"
        process.arguments = ["-qfec", "exec \(quoted)", "/dev/null"]
        var env = ProcessInfo.processInfo.environment
        env["TERM"] = "dumb"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardInput = input
        process.standardOutput = outputPipe
        process.standardError = outputPipe
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    /// Types `text` (use "\r" for Enter, "\t" for Tab, "\u{3}" for Ctrl-C, "\u{4}" for Ctrl-D).
    func send(_ text: String) {
        input.fileHandleForWriting.write(Data(text.utf8))
    }

    /// Waits until the output (since `from`) contains `text`; returns false after `timeout` seconds.
    @discardableResult
    func expect(_ text: String, after from: String.Index? = nil, timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let scope = from.map { String(output[$0...]) } ?? output
            if scope.contains(text) { return true }
            let fd = outputPipe.fileHandleForReading.fileDescriptor
            var fds = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&fds, 1, 100) > 0 {
                var buf = [UInt8](repeating: 0, count: 4096)
                let n = read(fd, &buf, buf.count)
                if n > 0 { output += String(decoding: buf[..<n], as: UTF8.self) }
                else if n < 0 { return false }
            }
        }
        return false
    }

    /// Waits up to `timeout` seconds for the shell to exit (killing it after that); returns
    /// its exit status, or nil when it had to be killed.
    func waitForExit(timeout: Double = 10) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        guard !process.isRunning else { process.terminate(); return nil }
        return process.terminationStatus
    }

    /// Waits for `text` and then for the next prompt after it, so the next keys reach readline.
    @discardableResult
    func expectThenPrompt(_ text: String, after from: String.Index) -> Bool {
        guard expect(text, after: from), let found = output[from...].range(of: text) else { return false }
        let ok = expect("rally> ", after: found.upperBound)
        Thread.sleep(forTimeInterval: 0.2)
        return ok
    }

    /// The current end of the output, to expect only what comes after it.
    var mark: String.Index { output.endIndex }
}

@Suite(.serialized) struct PtyREPLTests {
    @Test func readlineSessionPrintsCompletesAndKeepsHistory() throws {
        let dir = try ShellHarness.temporaryDirectory()
        let history = dir.appendingPathComponent("history").path
        let s = try PtySession(environment: ["RALLY_HISTORY": history])
        #expect(s.expect("rally> "))
        s.send("1 + 41\r")
        #expect(s.expect("42"))
        var m = s.mark
        s.send("rally.tim\t")
        #expect(s.expect("rally.timing", after: m))
        s.send("(false)\r")
        m = s.mark
        s.send("for i = 1, 2 do\r")
        #expect(s.expect(">> ", after: m))
        s.send("print('loop', i)\rend\r")
        #expect(s.expectThenPrompt("loop\t2", after: m))
        s.send("\u{4}")
        #expect(s.waitForExit() == 0)
        let saved = try String(contentsOfFile: history, encoding: .utf8)
        #expect(saved.contains("1 + 41"))
        #expect(saved.contains("for i = 1, 2 do\nprint('loop', i)\nend"))
    }

    @Test func ctrlCInterruptsARunningChunkAndClearsPendingInput() throws {
        let dir = try ShellHarness.temporaryDirectory()
        let s = try PtySession(environment: ["RALLY_HISTORY": dir.appendingPathComponent("h").path])
        #expect(s.expect("rally> "))
        var m = s.mark
        // a 30-second busy loop: long enough to interrupt, bounded so a failed test leaves no runaway process
        s.send("local t0 = os.clock() while os.clock() - t0 < 30 do end\r")
        #expect(s.expect("os.clock() - t0 < 30 do end", after: m), "\(s.output)")
        // a Ctrl-C typed before the line reached the shell only clears the prompt: retry until one
        // lands on the running loop (the retries that land at the prompt are harmless)
        var interrupted = false
        for _ in 0..<20 where !interrupted {
            Thread.sleep(forTimeInterval: 0.5)
            s.send("\u{3}")
            interrupted = s.expect("interrupted!", after: m, timeout: 1.5)
        }
        #expect(interrupted, "\(s.output)")
        #expect(s.expect("rally> ", after: m))
        Thread.sleep(forTimeInterval: 0.3)
        // the output, not the echo of the typed line, must show up: the line ran whole
        m = s.mark
        s.send("print('al' .. 'ive')\r")
        #expect(s.expectThenPrompt("alive\r\n", after: m), "\(s.output)")
        // Ctrl-C on a half-typed line discards it
        m = s.mark
        s.send("unfinished(")
        #expect(s.expect("unfinished(", after: m))
        s.send("\u{3}")
        #expect(s.expect("rally> ", after: m), "\(s.output)")
        Thread.sleep(forTimeInterval: 0.2)
        m = s.mark
        s.send("2 * 21\r")
        #expect(s.expectThenPrompt("42", after: m), "\(s.output)")
        // Ctrl-C at a continuation prompt drops the pending lines
        m = s.mark
        s.send("function pending()\r")
        #expect(s.expect(">> ", after: m))
        s.send("\u{3}")
        #expect(s.expect("rally> ", after: m), "\(s.output)")
        Thread.sleep(forTimeInterval: 0.2)
        m = s.mark
        s.send("return pending == nil\r")
        #expect(s.expectThenPrompt("true", after: m), "\(s.output)")
        s.send("os.exit(0)\r")
        let status = s.waitForExit()
        #expect(status == 0, "\(s.output)")
    }
}
