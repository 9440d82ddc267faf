/// A sweep's table with how the sweep that made it ended: what `rally.sweep` returns, and what
/// sorting, filtering and cutting it keep. A pivot is a plain table (no runs). It is not the
/// running sweep (``SweepRunner``) nor its resume file.
public struct SweepResult: Sendable {
    /// The table.
    public let table: SweepTable
    /// Whether the sweep that made the table was interrupted.
    public let interrupted: Bool
    /// Runs of the whole sweep (nil for a pivot).
    public let runsTotal: Int?
    /// The sweep's warnings.
    public let warnings: [String]
    /// The SPA test over the whole sweep's runs, when it was asked for (kept by sorted, filtered and cut copies).
    public let spa: SweepSPA?

    /// Wraps `table`.
    public init(_ table: SweepTable, interrupted: Bool = false, runsTotal: Int? = nil, warnings: [String] = [], spa: SweepSPA? = nil) {
        self.table = table
        self.interrupted = interrupted
        self.runsTotal = runsTotal
        self.warnings = warnings
        self.spa = spa
    }

    /// What a finished sweep returns.
    public init(_ outcome: SweepOutcome) {
        self.init(outcome.table, interrupted: outcome.interrupted, runsTotal: outcome.runsTotal, warnings: outcome.warnings, spa: outcome.spa)
    }

    /// A copy holding `table` (sorted, filtered, cut), keeping how the sweep ended.
    public func derived(_ table: SweepTable) -> SweepResult {
        SweepResult(table, interrupted: interrupted, runsTotal: runsTotal, warnings: warnings, spa: spa)
    }

    /// Columns `print` shows by default: the keys, the metric with its intervals and its
    /// difference from the baseline, a few other figures, the rallies; columns with no value are left out.
    public static func displayColumns(_ t: SweepTable) -> [String] {
        let k = t.metric.rawValue
        guard t.columns.contains("\(k)_diff") else { return t.columns }
        let wanted = [k, "\(k)_lo", "\(k)_hi", "\(k)_diff", "\(k)_diff_lo", "\(k)_diff_hi"]
            + ["roc_auc", "pr_auc", "brier", "log_loss", "lift_at_top"].filter { $0 != k } + ["positives"]
        let figures = wanted.filter { name in
            guard let j = t.columns.firstIndex(of: name) else { return false }
            return t.rows.contains { !($0[j].number?.isNaN ?? false) }
        }
        return Array(t.columns.prefix(t.keys)) + figures
    }

    /// `SweepTable 45 rows: 15 rally definitions x 3 models` above the table, or with a single
    /// rally definition `SweepTable 3 rows; best pr_auc 0.6754: q=0.95 window=672 horizon=24 gbdt`
    /// (a pivot: the table alone).
    public var text: String {
        let t = table
        let body = (try? t.text(columns: Self.displayColumns(t))) ?? ""
        guard runsTotal != nil else { return body }
        var head = "SweepTable \(t.count) row\(t.count == 1 ? "" : "s")"
        if let total = runsTotal, t.count != total || interrupted {
            head += " of \(total) runs" + (interrupted ? " (interrupted)" : "")
        }
        return head + Self.bestOrShape(t, lead: ": ", best: { "; best \(t.metric.rawValue) \($0): \($1)" }) + "\n" + body
            + (spa.map { "\n" + $0.text } ?? "")
    }

    /// With one rally definition, the best run (`best(value, run)`); with several, `lead` and
    /// their count and the models': the metrics of different definitions rest on different base
    /// rates (a commoner rally scores a higher PR-AUC), so no run across them is "best".
    private static func bestOrShape(_ t: SweepTable, lead: String, best: (String, String) -> String) -> String {
        let definitions = Set(t.rows.map { $0.prefix(max(t.keys - 1, 0)).map(\.description) }).count
        if definitions > 1 {
            let models = Set(t.rows.map { $0[t.keys - 1].description }).count
            return lead + "\(definitions) rally definitions x \(models) model\(models == 1 ? "" : "s")"
        }
        guard let b = try? t.best(), let j = try? t.column(t.metric.rawValue), let value = t.rows[b][j].number else { return "" }
        let run = t.rows[b].prefix(t.keys).enumerated().map { j, v in j == t.keys - 1 ? "\(v)" : "\(t.columns[j])=\(v)" }
        return best(Format.fixed(value, digits: 4), run.joined(separator: " "))
    }

    /// What `tostring` gives, one line: `<SweepTable 45 rows: q x window x horizon x model, metric pr_auc;
    /// best 0.6754 (q=0.95 window=672 horizon=24 gbdt)>`, `<SweepTable 6 of 45 runs (interrupted): ...>`,
    /// or for a pivot `<SweepTable pivot 5 rows: q by naive, logreg, gbdt>`. t:print() shows the rows.
    public var summary: String {
        let t = table
        let rows = "\(t.count) row\(t.count == 1 ? "" : "s")"
        guard let total = runsTotal else {
            return "<SweepTable pivot \(rows): \(t.columns.prefix(t.keys).joined(separator: ", ")) by \(t.columns.dropFirst(t.keys).joined(separator: ", "))>"
        }
        var line = "<SweepTable "
        if interrupted {
            line += "\(t.count) of \(total) runs (interrupted)"
        } else {
            line += rows
        }
        line += ": \(t.columns.prefix(t.keys).joined(separator: " x ")), metric \(t.metric.rawValue)"
        return line + Self.bestOrShape(t, lead: "; ", best: { "; best \($0) (\($1))" }) + ">"
    }
}

extension SweepOutcome {
    /// The lines a sweep ends with on stderr: interruption (and how to continue), warnings, timing.
    public func closingLines(resume: String?) -> [String] {
        var lines: [String] = []
        let finished = table.count
        if interrupted {
            let hint = resume.map { "; run it again with resume = \"\($0)\" to continue" } ?? "; give resume = path to be able to continue"
            lines.append("sweep: interrupted: the table holds the \(finished) finished of \(runsTotal) runs\(hint)")
        }
        lines += warnings.map { "sweep: warning: " + $0 }
        let fits = fitSeconds.map { "\($0.model) \(Format.fixed($0.seconds, digits: 1)) s" }.joined(separator: ", ")
        let resumed = runsResumed > 0 ? " (\(runsResumed) read from \(resume ?? "the resume file"))" : ""
        lines.append("sweep: \(finished) runs\(resumed) in \(Format.fixed(seconds, digits: 1)) s; fitting: \(fits)")
        return lines
    }
}
