import LuaBridge
/// Makes the top-level `local` declarations of a chunk global, for the interactive console: each
/// line typed is its own chunk, so a `local` would vanish before the next line. A small Lua
/// lexer (strings, long brackets, comments, numbers, names) tracks block depth, so every
/// `local` outside any function or block is rewritten, wherever it stands on its line
/// (`local a = 1; local b = 2`), and none inside a block is. Declarations with attributes
/// (`<const>`, `<close>`) stay local: their meaning depends on the scope.
struct TopLevelLocals {
    private let bytes: [UInt8]

    init(_ text: String) { bytes = Array(text.utf8) }

    /// The rewritten text: `local function f` becomes `function f`, `local a, b = ...` becomes
    /// `a, b = ...`, and `local a, b` becomes `a, b = nil`.
    func rewritten() -> String {
        let tokens = lex()
        var deletions: [Range<Int>] = []
        var insertions: [Int] = []
        var depth = 0
        var loopHeaders = 0
        for (k, token) in tokens.enumerated() {
            guard token.isName else { continue }
            switch name(token) {
            case "function", "if", "repeat": depth += 1
            case "while", "for": depth += 1; loopHeaders += 1
            case "do": if loopHeaders > 0 { loopHeaders -= 1 } else { depth += 1 }
            case "end", "until": depth = max(0, depth - 1)
            case "local" where depth == 0:
                guard let plan = declaration(after: k, in: tokens) else { continue }
                deletions.append(token.range.lowerBound..<tokens[k + 1].range.lowerBound)
                if let end = plan { insertions.append(end) }
            default: break
            }
        }
        guard !deletions.isEmpty else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8 * insertions.count)
        var d = 0, n = 0
        for i in 0...bytes.count {
            if n < insertions.count && insertions[n] == i { out += Array(" = nil".utf8); n += 1 }
            if d < deletions.count && deletions[d].contains(i) {
                if i + 1 == deletions[d].upperBound { d += 1 }
                continue
            }
            if i < bytes.count { out.append(bytes[i]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// For the `local` at `k`: nil when it stays local; `.some(nil)` when removing `local` is
    /// enough (`local function`, `local a = ...`); `.some(offset)` when ` = nil` goes at offset.
    private func declaration(after k: Int, in tokens: [Token]) -> Int?? {
        guard k + 1 < tokens.count, tokens[k + 1].isName else { return nil }
        if name(tokens[k + 1]) == "function" { return .some(nil) }
        var j = k + 1
        while true {
            guard j < tokens.count, tokens[j].isName, !Self.keywords.contains(name(tokens[j])) else { return nil }
            let last = tokens[j]
            j += 1
            if j < tokens.count && symbol(tokens[j]) == "," { j += 1; continue }
            if j < tokens.count && symbol(tokens[j]) == "<" { return nil }
            if j < tokens.count && symbol(tokens[j]) == "=" { return .some(nil) }
            return .some(last.range.upperBound)
        }
    }

    private static let keywords: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]

    private struct Token {
        let range: Range<Int>
        let isName: Bool
    }

    private func name(_ t: Token) -> String { String(decoding: bytes[t.range], as: UTF8.self) }

    private func symbol(_ t: Token) -> String { t.isName ? "" : String(decoding: bytes[t.range], as: UTF8.self) }

    /// Names and symbols (`==` is one token, so `=` means assignment); strings, comments and
    /// numbers are skipped.
    private func lex() -> [Token] {
        var tokens: [Token] = []
        var i = 0
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            if c == 32 || c == 9 || c == 10 || c == 13 { i += 1; continue }
            if c == 45 && i + 1 < n && bytes[i + 1] == 45 { // --
                i += 2
                if let end = longBracketEnd(from: i) { i = end; continue }
                while i < n && bytes[i] != 10 { i += 1 }
                continue
            }
            if c == 34 || c == 39 { i = quotedStringEnd(from: i); continue }
            if c == 91, let end = longBracketEnd(from: i) { i = end; continue } // [[ or [=[
            if Self.isNameStart(c) {
                let start = i
                while i < n && (Self.isNameStart(bytes[i]) || Self.isDigit(bytes[i])) { i += 1 }
                tokens.append(Token(range: start..<i, isName: true))
                continue
            }
            if Self.isDigit(c) || (c == 46 && i + 1 < n && Self.isDigit(bytes[i + 1])) {
                i = numberEnd(from: i)
                continue
            }
            let width = (c == 61 || c == 60 || c == 62 || c == 126) && i + 1 < n && bytes[i + 1] == 61 ? 2 : 1
            tokens.append(Token(range: i..<(i + width), isName: false))
            i += width
        }
        return tokens
    }

    /// If a long bracket (`[[`, `[==[`) opens at `i`, the offset after its closing bracket
    /// (or the end of the text); otherwise nil.
    private func longBracketEnd(from i: Int) -> Int? {
        guard i < bytes.count, bytes[i] == 91 else { return nil }
        var j = i + 1
        var level = 0
        while j < bytes.count && bytes[j] == 61 { level += 1; j += 1 }
        guard j < bytes.count, bytes[j] == 91 else { return nil }
        j += 1
        while j < bytes.count {
            if bytes[j] == 93 {
                var k = j + 1
                var closing = 0
                while k < bytes.count && bytes[k] == 61 { closing += 1; k += 1 }
                if closing == level && k < bytes.count && bytes[k] == 93 { return k + 1 }
            }
            j += 1
        }
        return bytes.count
    }

    private func quotedStringEnd(from i: Int) -> Int {
        let quote = bytes[i]
        var j = i + 1
        while j < bytes.count {
            if bytes[j] == 92 { j += 2; continue }
            if bytes[j] == quote || bytes[j] == 10 { return j + 1 }
            j += 1
        }
        return bytes.count
    }

    private func numberEnd(from i: Int) -> Int {
        var j = i
        while j < bytes.count {
            let c = bytes[j]
            if Self.isNameStart(c) || Self.isDigit(c) || c == 46 {
                j += 1
            } else if (c == 43 || c == 45), j > i, [69, 101, 80, 112].contains(bytes[j - 1]) { // exponent sign
                j += 1
            } else {
                break
            }
        }
        return j
    }

    private static func isNameStart(_ c: UInt8) -> Bool { (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 }
    private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
}
