import Foundation
import Testing

/// The REPL driven through a pipe (`-i`): prompts, continuation, auto-print, errors.
@Suite struct PipedREPLTests {
    @Test func expressionsPrintAndErrorsDoNotEndTheSession() throws {
        let input = """
        1 + 1
        x = {1, 2, name = "k"}
        x
        error("boom")
        print("still here")
        function f(a)
          return a * 3
        end
        f(4)
        local y = 7
        y * 2
        """
        let r = try ShellHarness.run(["-i"], input: input + "\n")
        #expect(r.status == 0)
        #expect(r.stdout.contains("rally> 2\n"))
        #expect(r.stdout.contains("{ 1, 2, name = \"k\" }"))
        #expect(r.stdout.contains("still here"))
        #expect(r.stdout.contains(">> >> rally> 12"))
        #expect(r.stdout.contains("14"))
        #expect(r.stderr.contains("stdin:1: boom"))
        #expect(r.stderr.contains("stack traceback"))
    }

    @Test func timingPrintsWallTime() throws {
        let r = try ShellHarness.run(["-i"], input: "rally.timing(true)\nlocal s = 0 for i = 1, 10 do s = s + i end\n")
        #expect(r.stdout.contains(" ms)"))
    }

    @Test func osExitLeavesWithItsCode() throws {
        let r = try ShellHarness.run(["-i"], input: "os.exit(3)\nprint('not reached')\n")
        #expect(r.status == 3)
        #expect(!r.stdout.contains("not reached"))
    }
}
