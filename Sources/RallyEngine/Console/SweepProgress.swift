import Foundation

/// Where a running sweep stands, reported on the calling thread after each finished run and
/// every fraction of a second in between; rendered as a terminal bar or as plain lines.
public struct SweepProgress: Sendable {
    /// The best run so far on the sweep's metric.
    public struct Leader: Sendable {
        /// `gbdt q=0.95 window=672`.
        public let run: String
        /// Its value of the metric.
        public let value: Double
    }

    /// The metric the sweep ranks by.
    public let metric: Metric
    /// Runs (configuration × model) in the sweep.
    public let runsTotal: Int
    /// Runs finished, including those read from a resume file.
    public let runsDone: Int
    /// Runs read from a resume file.
    public let runsResumed: Int
    /// Seconds since the sweep started.
    public let elapsed: Double
    /// The best run so far (scored configurations only).
    public let leader: Leader?
    /// One line per configuration scored since the previous report: `q=0.95 window=672: naive 0.3201, ...`.
    public let scored: [String]

    /// Estimated seconds left: the pace of the runs finished in this session applied to the
    /// runs still to do; nil before the first one finishes.
    public var secondsLeft: Double? {
        let fresh = runsDone - runsResumed
        guard fresh > 0 else { return nil }
        return elapsed / Double(fresh) * Double(runsTotal - runsDone)
    }

    /// `0:07`, `12:30`, `1:02:03`.
    public static func clock(_ seconds: Double) -> String {
        let s = Int(max(0, seconds).rounded())
        let h = s / 3600, m = (s / 60) % 60, r = s % 60
        let mm = h > 0 && m < 10 ? "0\(m)" : "\(m)", ss = r < 10 ? "0\(r)" : "\(r)"
        return h > 0 ? "\(h):\(mm):\(ss)" : "\(mm):\(ss)"
    }

    private var counts: String {
        "\(runsDone)/\(runsTotal) runs" + (runsResumed > 0 ? " (\(runsResumed) resumed)" : "")
    }

    private var timing: String {
        "\(Self.clock(elapsed)) elapsed" + (secondsLeft.map { ", ~\(Self.clock($0)) left" } ?? "")
    }

    private var leaderText: String {
        leader.map { "best \(metric.rawValue) \(Format.fixed($0.value, digits: 4)) (\($0.run))" } ?? ""
    }

    /// A one-line bar for a terminal, at most `width` characters:
    /// `sweep [#######.......] 12/45 runs  0:08 elapsed, ~0:22 left  best pr_auc 0.6754 (gbdt q=0.95 window=672)`.
    public func bar(width: Int) -> String {
        let cells = 20
        let filled = runsTotal > 0 ? min(cells, runsDone * cells / runsTotal) : cells
        let line = "sweep [" + String(repeating: "#", count: filled) + String(repeating: ".", count: cells - filled) + "] "
            + counts + "  " + timing + (leader == nil ? "" : "  " + leaderText)
        return line.count <= width ? line : String(line.prefix(max(0, width - 1))) + "…"
    }

    /// Plain progress lines (for a log): one per configuration scored since the last report.
    public var lines: [String] {
        scored.map { "sweep: \(counts), \(timing): \($0)" }
    }
}
