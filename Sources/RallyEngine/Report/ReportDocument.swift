/// A report as a list of blocks, rendered to Markdown (figures linked as files) and to a
/// self-contained HTML page (figures inlined). Inline text may use `**bold**` and `` `code` ``.
public struct ReportDocument: Sendable {
    /// One block of the report.
    public enum Block: Sendable {
        /// A heading of level 1–3.
        case heading(Int, String)
        /// A paragraph.
        case paragraph(String)
        /// A bulleted list.
        case bullets([String])
        /// A table; `numeric[k]` right-aligns column k.
        case table(header: [String], rows: [[String]], numeric: [Bool])
        /// A figure: its file name (next to the Markdown file) and caption.
        case figure(file: String, figure: ReportFigure)
    }

    /// The page title.
    public var title: String
    /// The blocks, in order.
    public var blocks: [Block] = []

    /// Creates an empty document titled `title`.
    public init(title: String) { self.title = title }

    /// Appends a block.
    public mutating func add(_ block: Block) { blocks.append(block) }

    // MARK: Markdown

    /// The Markdown text.
    public func markdown() -> String {
        var out = "# \(title)\n"
        for block in blocks {
            out += "\n"
            switch block {
            case .heading(let level, let text): out += String(repeating: "#", count: min(max(level, 1), 3) + 1) + " " + text + "\n"
            case .paragraph(let text): out += text + "\n"
            case .bullets(let items): out += items.map { "- " + $0 + "\n" }.joined()
            case .table(let header, let rows, let numeric):
                out += "| " + header.map(Self.cell).joined(separator: " | ") + " |\n"
                out += "|" + header.indices.map { numeric[$0] ? "---:|" : "---|" }.joined() + "\n"
                for row in rows { out += "| " + row.map(Self.cell).joined(separator: " | ") + " |\n" }
            case .figure(let file, let figure):
                out += "![\(Self.altText(figure.title))](\(file))\n\n*\(figure.caption)*\n"
            }
        }
        return out
    }

    private static func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|") }

    private static func altText(_ title: String) -> String {
        title.replacingOccurrences(of: "[", with: "(").replacingOccurrences(of: "]", with: ")")
    }

    // MARK: HTML

    static let css = """
    body { margin: 0; background: #f6f6f4; color: #222; font: 16px/1.55 "DejaVu Sans", Helvetica, Arial, sans-serif; }
    main { max-width: 960px; margin: 0 auto; padding: 24px 28px 64px; background: #fff; }
    h1 { font-size: 1.7em; margin: 0.4em 0 0.6em; }
    h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
    h3 { font-size: 1.1em; margin-top: 1.6em; }
    table { border-collapse: collapse; margin: 1em 0; font-size: 0.88em; }
    th, td { border: 1px solid #d5d5d5; padding: 4px 8px; vertical-align: top; }
    th { background: #f0f0ec; text-align: left; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td.num .ci { display: block; font-size: 0.85em; color: #666; }
    .table-wrap { overflow-x: auto; }
    figure { margin: 1.5em 0; }
    figure svg { display: block; max-width: 100%; height: auto; border: 1px solid #eee; }
    figcaption { font-size: 0.9em; color: #444; margin-top: 0.4em; }
    code { background: #f1f1ee; padding: 0 3px; border-radius: 3px; }
    """

    /// The HTML page: one file, figures inlined, no scripts and no external resources.
    public func html() -> String {
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="icon" href="data:,">
        <title>\(Self.escape(title))</title>
        <style>
        \(Self.css)
        </style>
        </head>
        <body>
        <main>
        <h1>\(Self.inline(title))</h1>

        """
        for block in blocks {
            switch block {
            case .heading(let level, let text):
                let tag = "h\(min(max(level, 1), 3) + 1)"
                out += "<\(tag)>\(Self.inline(text))</\(tag)>\n"
            case .paragraph(let text): out += "<p>\(Self.inline(text))</p>\n"
            case .bullets(let items): out += "<ul>\n" + items.map { "<li>\(Self.inline($0))</li>\n" }.joined() + "</ul>\n"
            case .table(let header, let rows, let numeric):
                out += "<div class=\"table-wrap\"><table>\n<thead><tr>" + header.map { "<th>\(Self.inline($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
                for row in rows {
                    out += "<tr>" + row.indices.map { numeric[$0] ? "<td class=\"num\">\(Self.numericCell(row[$0]))</td>" : "<td>\(Self.inline(row[$0]))</td>" }.joined() + "</tr>\n"
                }
                out += "</tbody>\n</table></div>\n"
            case .figure(_, let figure):
                out += "<figure>\n" + Self.inlineSVG(figure.svg) + "<figcaption>\(Self.inline(figure.caption))</figcaption>\n</figure>\n"
            }
        }
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    /// A numeric cell; a trailing interval (`0.959 [0.952, 0.967]`) goes on its own smaller line.
    static func numericCell(_ text: String) -> String {
        guard text.hasSuffix("]"), let open = text.range(of: " [") else { return inline(text) }
        return inline(String(text[..<open.lowerBound])) + "<span class=\"ci\">" + inline(String(text[open.upperBound...].dropLast()).replacingOccurrences(of: ", ", with: " – ")) + "</span>"
    }

    /// An SVG document without its XML declaration, for inlining.
    static func inlineSVG(_ svg: String) -> String {
        guard svg.hasPrefix("<?xml"), let end = svg.firstIndex(of: "\n") else { return svg }
        return String(svg[svg.index(after: end)...])
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Escaped text with `**bold**` → `<strong>` and `` `code` `` → `<code>`.
    static func inline(_ s: String) -> String {
        var out = "", bold = false, code = false
        var chars = Array(s)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "`" {
                out += code ? "</code>" : "<code>"
                code.toggle()
            } else if !code && c == "*" && chars.first == "*" {
                chars = chars.dropFirst()
                out += bold ? "</strong>" : "<strong>"
                bold.toggle()
            } else {
                out += escape(String(c))
            }
        }
        if code { out += "</code>" }
        if bold { out += "</strong>" }
        return out
    }
}
