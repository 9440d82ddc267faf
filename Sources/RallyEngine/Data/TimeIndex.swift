/// What a sorted, duplicate-free time index looks like: its regular step, and where it breaks.
public struct TimeIndex: Sendable, Equatable {
    /// A stretch of missing steps between two consecutive rows.
    public struct Gap: Sendable, Equatable {
        /// Time of the row before the gap.
        public var after: Int64
        /// Time of the row after the gap.
        public var before: Int64
        /// Whole steps missing in between.
        public var missingSteps: Int
    }

    /// The most common spacing between consecutive rows (nil with fewer than two rows).
    public let stepSeconds: Int64?
    /// Every place the spacing is a multiple (> 1) of the step, in time order.
    public let gaps: [Gap]
    /// Number of spacings that are not a whole multiple of the step.
    public let irregularSpacings: Int

    /// Analyses `timestamps`, which must be strictly increasing.
    public init(_ timestamps: [Int64]) {
        guard timestamps.count >= 2 else {
            stepSeconds = nil
            gaps = []
            irregularSpacings = 0
            return
        }
        let step = Self.commonStep(timestamps)
        var gaps: [Gap] = []
        var irregular = 0
        for i in 1..<timestamps.count {
            let d = timestamps[i] - timestamps[i - 1]
            if d == step { continue }
            if d % step == 0 {
                gaps.append(Gap(after: timestamps[i - 1], before: timestamps[i], missingSteps: Int(d / step) - 1))
            } else {
                irregular += 1
            }
        }
        self.stepSeconds = step
        self.gaps = gaps
        self.irregularSpacings = irregular
    }

    /// Total number of missing steps in all gaps.
    public var missingSteps: Int { gaps.reduce(0) { $0 + $1.missingSteps } }

    /// `hourly`, `daily`, `every 15 min`, ... (`irregular` without a step).
    public var frequencyName: String {
        guard let step = stepSeconds else { return "single row" }
        switch step {
        case 3600: return "hourly"
        case 86_400: return "daily"
        case 1800: return "half-hourly"
        default: return "every \(TimeStamp.duration(step))"
        }
    }

    /// `no gaps`, or `2 gaps (3 missing steps)`, plus any irregular spacings.
    public var gapSummary: String {
        var parts: [String] = []
        if gaps.isEmpty {
            parts.append("no gaps")
        } else {
            parts.append("\(gaps.count) gap\(gaps.count == 1 ? "" : "s") (\(missingSteps) missing step\(missingSteps == 1 ? "" : "s"))")
        }
        if irregularSpacings > 0 { parts.append("\(irregularSpacings) irregular spacing\(irregularSpacings == 1 ? "" : "s")") }
        return parts.joined(separator: ", ")
    }

    /// The most frequent positive difference between consecutive timestamps.
    static func commonStep(_ t: [Int64]) -> Int64 {
        let first = t[1] - t[0]
        var same = 0
        for i in 1..<t.count where t[i] - t[i - 1] == first { same += 1 }
        if same * 2 > t.count - 1 { return first }
        var counts: [Int64: Int] = [:]
        for i in 1..<t.count { counts[t[i] - t[i - 1], default: 0] += 1 }
        return counts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }!.key
    }
}
