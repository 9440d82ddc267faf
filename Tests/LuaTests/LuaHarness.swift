import CLua
import LuaBridge
import Testing
@testable import RallyEngine

/// A fresh Lua state with the standard libraries and `rally`, closed on deinit.
final class LuaHarness {
    let L: LuaState

    init() {
        L = LuaState(luaL_newstate()!)
        RallyLua.openAll(L)
    }

    deinit { lua_close(L.raw) }

    /// Runs `chunk` and returns its results converted with `tostring`, or throws the error.
    @discardableResult
    func run(_ chunk: String) throws -> [String] {
        let base = L.top
        var bytes = Array(chunk.utf8)
        let status = bytes.withUnsafeMutableBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                rally_loadbuffer(L.raw, $0, buf.count, "=test")
            }
        }
        if status != LUA_OK {
            defer { L.setTop(base) }
            throw RallyError(L.string(-1) ?? "load error")
        }
        try L.protectedCall(arguments: 0, results: LUA_MULTRET)
        var out: [String] = []
        for i in (base + 1)...max(base + 1, L.top) where i <= L.top {
            out.append(String(cString: luaL_tolstring(L.raw, i, nil)))
            L.pop()
        }
        L.setTop(base)
        return out
    }

    /// The error `chunk` raises without its traceback and its `test:N: ` position; when
    /// `positioned`, the position must be there (every error raised from a chunk line has one).
    func errorMessage(_ chunk: String, positioned: Bool = true) -> String {
        let message = error(chunk)
        let digits = message.dropFirst("test:".count).prefix { $0.isNumber }
        guard message.hasPrefix("test:"), !digits.isEmpty, message.dropFirst("test:".count + digits.count).hasPrefix(": ") else {
            if positioned { Issue.record("no position prefix in \(message)") }
            return message
        }
        return String(message.dropFirst("test:".count + digits.count + 2))
    }

    /// The error message `chunk` raises, without its traceback (fails the test when it raises none).
    func error(_ chunk: String) -> String {
        do {
            try run(chunk)
            Issue.record("expected an error from: \(chunk)")
            return ""
        } catch {
            let message = (error as? RallyError)?.message ?? "\(error)"
            return String(message.split(separator: "\nstack traceback:", maxSplits: 1).first ?? "")
        }
    }
}
