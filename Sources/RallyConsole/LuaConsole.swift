import CLua
import LuaBridge
import RallyEngine

/// What an interactive front end (the rally shell) needs from Lua, kept here so the shell
/// stays a thin terminal program: compiling a typed line the way lua.c does, running it with a
/// traceback, rendering results, and completing names.
///
/// These run outside any Lua call, so they deal with the pending error themselves (see
/// ``LuaState``): ``run(_:)`` reports one left by earlier top-level work instead of running,
/// ``render(_:_:)`` and ``candidates(_:_:)`` clear what they cause.
public enum LuaConsole {
    /// The outcome of compiling interactive input.
    public enum Compiled: Equatable {
        /// The chunk is on the stack, ready to run.
        case ready
        /// The input ends in the middle of a statement: read another line and try again.
        case incomplete
        /// A syntax error (the message).
        case failed(String)
    }

    /// Compiles `input` as lua.c does: first as `return <input>` (so `1+1` prints 2), then as
    /// statements. Top-level `local` declarations are made global first (see
    /// ``rewriteTopLevelLocals(_:)``) so that they stay visible on later lines.
    public static func compile(_ L: LuaState, _ input: String, chunkName: String = "=stdin") -> Compiled {
        var text = input
        if text.hasPrefix("=") { text = "return " + text.dropFirst() } // Lua 5.1 habit
        if load(L, "return " + text, chunkName) == LUA_OK { return .ready }
        L.pop()
        let status = load(L, rewriteTopLevelLocals(text), chunkName)
        if status == LUA_OK { return .ready }
        let message = L.string(-1) ?? "syntax error"
        L.pop()
        if status == LUA_ERRSYNTAX && message.hasSuffix("<eof>") { return .incomplete }
        return .failed(message)
    }

    /// Loads `text` as a chunk (pushes the function or the error message); returns the status.
    @discardableResult
    public static func load(_ L: LuaState, _ text: String, _ chunkName: String) -> Int32 {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) { chars in
                rally_loadbuffer(L.raw, chars.baseAddress, chars.count, chunkName)
            }
        }
    }

    /// Loads a script file (nil: standard input) as `luaL_loadfilex` does, in protected mode
    /// (it allocates the chunk name first); pushes the chunk or the error message, returns the status.
    public static func loadFile(_ L: LuaState, _ path: String?) -> Int32 {
        guard let path else { return rally_p_loadfile(L.raw, nil) }
        return rally_p_loadfile(L.raw, path)
    }

    /// Makes the chunk's top-level `local` declarations (outside any function or block, anywhere
    /// on a line) global, so pasted script blocks keep working line after line: `local x = 1`
    /// becomes `x = 1`, `local function f` becomes `function f`, `local x` becomes `x = nil`.
    /// Declarations with attributes (`<close>`, `<const>`) and those inside blocks stay local.
    public static func rewriteTopLevelLocals(_ text: String) -> String {
        TopLevelLocals(text).rewritten()
    }

    /// Runs the function on top of the stack with a traceback handler. On success returns the
    /// number of results left on the stack; on failure returns the error text (with traceback).
    public static func run(_ L: LuaState) -> Result<Int32, RallyError> {
        let base = L.top - 1
        if let pending = L.takePendingError() {
            L.setTop(base)
            return .failure(pending)
        }
        do {
            try L.protectedCall(arguments: 0, results: LUA_MULTRET)
            return .success(L.top - base)
        } catch let error as RallyError {
            return .failure(error)
        } catch {
            return .failure(RallyError("\(error)"))
        }
    }

    private static let prettyKey = "rally.pretty"

    /// The pretty printer, written in Lua: nested tables with sorted keys, cycle-safe, depth
    /// and length limits with a count of what was left out.
    static let prettySource = """
    local maxItems, maxDepth = 30, 4
    local function isident(k) return type(k) == "string" and k:match("^[%a_][%w_]*$") ~= nil end
    local function keyorder(a, b)
      local ta, tb = type(a), type(b)
      if ta ~= tb then return ta < tb end
      if ta == "number" or ta == "string" then return a < b end
      return tostring(a) < tostring(b)
    end
    local pretty
    local function scalar(v)
      if type(v) == "string" then return string.format("%q", v) end
      return tostring(v)
    end
    pretty = function(v, depth, seen, indent)
      if type(v) ~= "table" or getmetatable(v) and rawget(getmetatable(v), "__tostring") then return scalar(v) end
      if seen[v] then return "<cycle: " .. tostring(v) .. ">" end
      if depth >= maxDepth then return "{...}" end
      seen[v] = true
      local n = rawlen(v)
      local keys = {}
      for k in next, v do
        if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
      end
      table.sort(keys, keyorder)
      local parts, shown, total = {}, 0, n + #keys
      local inner = indent .. "  "
      for i = 1, n do
        if shown >= maxItems then break end
        parts[#parts + 1] = pretty(rawget(v, i), depth + 1, seen, inner); shown = shown + 1
      end
      for _, k in ipairs(keys) do
        if shown >= maxItems then break end
        local ks = isident(k) and k or ("[" .. scalar(k) .. "]")
        parts[#parts + 1] = ks .. " = " .. pretty(rawget(v, k), depth + 1, seen, inner); shown = shown + 1
      end
      seen[v] = nil
      if total > shown then parts[#parts + 1] = "... (" .. (total - shown) .. " more)" end
      if #parts == 0 then return "{}" end
      local flat = "{ " .. table.concat(parts, ", ") .. " }"
      if #flat <= 78 and not flat:find("\\n") then return flat end
      return "{\\n" .. inner .. table.concat(parts, ",\\n" .. inner) .. "\\n" .. indent .. "}"
    end
    return function(v)
      if type(v) == "string" then return v end
      return pretty(v, 0, {}, "")
    end
    """

    /// Renders the value at `index` for display: strings as they are, tables pretty-printed,
    /// anything else through `tostring` (so userdata show their `__tostring`).
    public static func render(_ L: LuaState, _ index: Int32) -> String {
        let i = L.absolute(index)
        let base = L.top
        defer {
            L.setTop(base)
            _ = L.takePendingError() // out of memory while rendering: the text says so or is "?"
        }
        L.pushRegistry()
        if L.rawGet(-1, prettyKey) != LUA_TFUNCTION {
            L.pop()
            guard load(L, prettySource, "=pretty") == LUA_OK, (try? L.protectedCall(arguments: 0, results: 1)) != nil else {
                return "?"
            }
            L.pushValue(-1)
            L.rawSet(-3, prettyKey)
        }
        L.pushValue(i)
        do {
            try L.protectedCall(arguments: 1, results: 1)
            return L.string(-1) ?? "?"
        } catch {
            return "<error rendering value: \(error)>"
        }
    }

    /// Completions for `text`, the word before the cursor (`rally.mo`, `ds:sl`, `pri`): globals,
    /// table fields (including a metatable's `__index` table) and userdata methods. Only raw
    /// gets are used: completion never calls a metamethod or Swift getter.
    public static func candidates(_ L: LuaState, _ text: String) -> [String] {
        let separatorIndex = text.lastIndex { $0 == "." || $0 == ":" }
        let path = separatorIndex.map { String(text[..<$0]) } ?? ""
        let separator = separatorIndex.map { String(text[$0]) } ?? ""
        let partial = separatorIndex.map { String(text[text.index(after: $0)...]) } ?? text
        let base = L.top
        defer { L.setTop(base); _ = L.takePendingError() }

        L.pushGlobals()
        if !path.isEmpty {
            for component in path.split(separator: ".", omittingEmptySubsequences: false) {
                guard component.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !component.isEmpty else { return [] }
                guard L.type(-1) == LUA_TTABLE else { return [] }
                L.rawGet(-1, String(component))
            }
        }
        var names = Set<String>()
        var onlyFunctions = separator == ":"
        collect(L, -1, into: &names, functionsOnly: &onlyFunctions, depth: 0)
        let prefix = path + separator
        return names.filter { $0.hasPrefix(partial) }.sorted().map { prefix + $0 }
    }

    private static func collect(_ L: LuaState, _ index: Int32, into names: inout Set<String>, functionsOnly: inout Bool, depth: Int) {
        guard depth < 4 else { return }
        let i = L.absolute(index)
        let type = L.type(i)
        if type == LUA_TTABLE {
            L.forEach(i) {
                guard let key = L.string(-2), !key.isEmpty else { return }
                guard key.first!.isLetter || key.first == "_", key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return }
                if functionsOnly && L.type(-1) != LUA_TFUNCTION { return }
                names.insert(key)
            }
        }
        guard type == LUA_TTABLE || type == LUA_TUSERDATA, lua_getmetatable(L.raw, i) != 0 else { return }
        let meta = L.top
        if L.rawGet(meta, "methods") == LUA_TTABLE {
            collect(L, -1, into: &names, functionsOnly: &functionsOnly, depth: depth + 1)
        }
        L.pop()
        if L.rawGet(meta, "__index") == LUA_TTABLE {
            collect(L, -1, into: &names, functionsOnly: &functionsOnly, depth: depth + 1)
        }
        L.pop(2)
    }
}

private extension Substring {
    func trimmingTrailingSpace() -> String {
        var s = self
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
