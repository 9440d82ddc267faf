import Foundation

/// What a report render wrote.
public struct ReportOutput: Sendable {
    /// The Markdown file.
    public var markdown: String
    /// The self-contained HTML file.
    public var html: String
    /// The SVG figures, in report order.
    public var figures: [String]
    /// Remarks about the render (windows replaced, optional artifacts missing).
    public var notes: [String]
}

extension ReportOutput {
    /// What `rally.report` returns: `{markdown =, html =, figures = {...}, notes = {...}}`.
    public var json: JSONValue {
        .object([("markdown", .string(markdown)), ("html", .string(html)),
                 ("figures", .array(figures.map(JSONValue.string))), ("notes", .array(notes.map(JSONValue.string)))])
    }
}

/// Renders the colleague-ready report from an artifacts directory: figures as SVG files, a
/// Markdown file linking them, and one HTML page with them inlined. The same artifacts and
/// options always give byte-identical files.
public enum ReportBuilder {
    /// Reads `options.artifacts`, computes, and writes into `options.out`.
    public static func render(_ options: ReportOptions) throws -> ReportOutput {
        if let panel = try PanelReport.load(directory: options.artifacts) { return try panel.render(options) }
        let artifacts = try ReportArtifacts.load(directory: options.artifacts)
        return try render(artifacts, options)
    }

    /// Renders already loaded `artifacts`.
    public static func render(_ artifacts: ReportArtifacts, _ options: ReportOptions) throws -> ReportOutput {
        let analysis = try ReportAnalysis(artifacts: artifacts, options: options)
        let figures = try makeFigures(artifacts, analysis, options)
        let document = ReportNarrative(artifacts: artifacts, analysis: analysis, options: options, figures: figures).document()
        let base = URL(fileURLWithPath: options.out)
        func path(_ name: String) -> String { base.appendingPathComponent(name).path }
        var written: [String] = []
        for figure in figures {
            let file = path("\(options.name)_\(figure.stem).svg")
            try AtomicFile.write(figure.svg, to: file)
            written.append(file)
        }
        let markdown = path("\(options.name).md"), html = path("\(options.name).html")
        try AtomicFile.write(document.markdown(), to: markdown)
        try AtomicFile.write(document.html(), to: html)
        var notes: [String] = []
        for stale in try removeStaleFigures(in: options.out, name: options.name, keeping: written) {
            notes.append("removed \(stale), a figure of an earlier render that this one does not draw")
        }
        if let note = analysis.windowNote { notes.append(note) }
        if artifacts.run == nil { notes.append("no run.json: the rally definition and provenance are not described, and probabilities are drawn at forecast time") }
        if artifacts.importance.isEmpty { notes.append("no importance rows (importance.csv absent or header-only): no feature importance figure") }
        if analysis.decisionViews == nil { notes.append("metrics.json has no economic_value section (written by an older rally): no value figure or episode table") }
        if artifacts.sweep == nil {
            notes.append("no sweep_thresholds.csv: no threshold sweep figure")
        } else if analysis.sweep == nil {
            notes.append("sweep_thresholds.csv has no rows or no parameter that varies: no threshold sweep figure")
        }
        return ReportOutput(markdown: markdown, html: html, figures: written, notes: notes)
    }

    /// Deletes the figure files of report `name` in `directory` (`<name>_<figure stem>.svg`,
    /// nothing else) that are not among `written`, so the folder holds only this render's
    /// figures; returns the file names removed, sorted.
    static func removeStaleFigures(in directory: String, name: String, keeping written: [String]) throws -> [String] {
        let base = URL(fileURLWithPath: directory)
        let kept = Set(written.map { URL(fileURLWithPath: $0).lastPathComponent })
        let prefix = name + "_", suffix = ".svg"
        let stale = try FileManager.default.contentsOfDirectory(atPath: directory).filter { file in
            guard file.hasPrefix(prefix), file.hasSuffix(suffix), !kept.contains(file), file.count > prefix.count + suffix.count else { return false }
            return ReportFigures.isFigureStem(String(file.dropFirst(prefix.count).dropLast(suffix.count)))
        }.sorted()
        for file in stale {
            let path = base.appendingPathComponent(file).path
            guard unlink(path) == 0 else {
                throw RallyError("report: cannot remove the stale figure '\(path)': \(String(cString: strerror(errno)))")
            }
        }
        return stale
    }

    static func makeFigures(_ artifacts: ReportArtifacts, _ analysis: ReportAnalysis, _ options: ReportOptions) throws -> [ReportFigure] {
        let maker = ReportFigures(artifacts: artifacts, horizon: analysis.horizon)
        var figures = analysis.windows.enumerated().map { maker.window($1, index: $0) }
        try Cancellation.check()
        figures.append(maker.reliability(analysis.reliability, bins: options.reliabilityBins, bootstrap: options.bootstrap))
        figures.append(maker.precisionRecall(analysis.precisionRecall))
        figures.append(maker.lift(analysis.lift))
        figures.append(maker.calendar(analysis.calendar))
        if let importance = maker.importance() { figures.append(importance) }
        if let tests = try maker.predictiveAbility() { figures.append(tests) }
        if let slice = analysis.sweep { figures.append(try maker.withSweepSPA(maker.sweep(slice))) }
        if let views = analysis.decisionViews {
            figures.append(views.figure(color: { ChartStyle.model($0, index: artifacts.models.firstIndex(of: $0) ?? 0) }, costRatio: options.costRatio))
        }
        return figures
    }
}
