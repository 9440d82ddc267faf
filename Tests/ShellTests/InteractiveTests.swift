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

    @Test func bufferedOutputKeepsItsOrderWhenPiped() throws {
        let r = try ShellHarness.run(["-i"], input: "io.write('first\\n')\n1 + 1\nio.write('third\\n')\n4 + 4\n")
        let order = ["first", "2", "third", "8"].map { r.stdout.range(of: "\($0)\n")?.lowerBound }
        #expect(order.allSatisfy { $0 != nil }, "\(r.stdout)")
        #expect(order.compactMap { $0 } == order.compactMap { $0 }.sorted(), "\(r.stdout)")
    }

    @Test func everyTopLevelLocalOfALineStaysVisible() throws {
        let r = try ShellHarness.run(["-i"], input: "local d = 4; local e = 5\nd + e\n")
        #expect(r.stdout.contains("rally> 9\n"), "\(r.stdout)")
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
