import Foundation
import Testing

/// `-l` and `package.path` reach Lua as values, never as Lua source built from them: names and
/// folders holding `"`, `\`, `]]` and `'` work as they are.
@Suite struct CommandLineValueTests {
    /// A name no quoting scheme of Lua source survives unescaped.
    static let awkward = #"we"ird\dir]]'x"#

    @Test func requireFindsScriptsNextToAScriptInAnAwkwardFolder() throws {
        let dir = try ShellHarness.temporaryDirectory().appendingPathComponent(Self.awkward)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "return {answer = 42}".write(to: dir.appendingPathComponent("helper.lua"), atomically: true, encoding: .utf8)
        let script = dir.appendingPathComponent("main.lua")
        try """
        print(require('helper').answer)
        print(package.path:sub(1, #arg[1]) == arg[1])
        """.write(to: script, atomically: true, encoding: .utf8)
        let prefix = "\(dir.path)/?.lua;./scripts/?.lua;"
        let r = try ShellHarness.run([script.path, prefix])
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == "42\ntrue\n")
    }

    @Test func dashLRequiresAnAwkwardNameIntoTheGlobalOfThatName() throws {
        let dir = try ShellHarness.temporaryDirectory()
        let module = #"he"l\p]]'q"#
        try "return {answer = 7}".write(to: dir.appendingPathComponent(module + ".lua"), atomically: true, encoding: .utf8)
        let chunk = "for k, v in pairs(_G) do if type(v) == 'table' and v.answer == 7 then print(k) end end"
        let r = try ShellHarness.run(["-l", module, "-e", chunk], directory: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == module + "\n")
        // the attached form, as lua(1) takes it
        let attached = try ShellHarness.run(["-l" + module, "-e", chunk], directory: dir)
        #expect(attached.stdout == module + "\n")
    }

    @Test func aMissingDashLModuleFailsAsLuaDoes() throws {
        let r = try ShellHarness.run(["-l", #"no"such\mod"#, "-e", "print('not reached')"])
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        // lua.c: "lua: module 'x' not found:" and the searched places, then the traceback
        #expect(r.stderr.hasPrefix(#"rally-shell: module 'no"such\mod' not found:"#), "\(r.stderr)")
        #expect(r.stderr.contains(#"no field package.preload['no"such\mod']"#))
        #expect(r.stderr.contains("stack traceback:"))
        #expect(r.stderr.contains("in function 'require'"))
    }

    @Test func aDashLModuleThatFailsReportsItsError() throws {
        let dir = try ShellHarness.temporaryDirectory()
        try "error('broken module')".write(to: dir.appendingPathComponent("broken.lua"), atomically: true, encoding: .utf8)
        let r = try ShellHarness.run(["-l", "broken", "-e", "print('not reached')"], directory: dir)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("broken.lua:1: broken module"), "\(r.stderr)")
    }

    @Test func dashEChunksWithQuotesStillRunInOrderWithDashL() throws {
        let dir = try ShellHarness.temporaryDirectory()
        try "return {n = 1}".write(to: dir.appendingPathComponent("m.lua"), atomically: true, encoding: .utf8)
        let r = try ShellHarness.run(["-e", #"s = "a\"b]]'c""#, "-l", "m", "-e", #"print(s, m.n, [[x\y]])"#], directory: dir)
        #expect(r.status == 0, "stderr: \(r.stderr)")
        #expect(r.stdout == #"a"b]]'c"# + "\t1\t" + #"x\y"# + "\n")
    }
}
