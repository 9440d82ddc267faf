/// When a model raises an alarm: at a probability threshold, or on the top share of hours.
public enum AlarmRule: Sendable, Equatable {
    /// Alarm when p >= the threshold.
    case threshold(Double)
    /// Alarm on the round(share · n) hours with the highest probabilities (ties broken by time
    /// order, as precision_at_top breaks them).
    case top(Double)

    /// Which rows of `p` are in alarm.
    public func alarms(_ p: [Double]) -> [Bool] {
        switch self {
        case .threshold(let t):
            return p.map { $0 >= t }
        case .top(let share):
            let k = min(p.count, max(1, Int((share * Double(p.count)).rounded(.toNearestOrEven))))
            var out = [Bool](repeating: false, count: p.count)
            for i in ScoreOrder.descending(p).prefix(k) { out[i] = true }
            return out
        }
    }

    /// `p >= 0.2` or `top 5%`.
    public var summary: String {
        switch self {
        case .threshold(let t): "p >= \(Format.number(t))"
        case .top(let share): "top \(Format.number(share * 100))%"
        }
    }
}

/// How rally hours group into episodes and alarms catch them.
public struct EpisodeSettings: Sendable, Equatable {
    /// The alarm rule.
    public var rule: AlarmRule
    /// Calm hours allowed inside one episode (and inside one alarm run): two rally hours at most
    /// `gap` hours of calm apart are one episode. 0: only consecutive hours.
    public var gapHours: Int
    /// An alarm at most this many hours before an episode's first rally hour still catches it.
    public var leadHours: Int

    /// Creates settings; the defaults alarm on the top 5% of hours, episodes of consecutive hours, lead 24 h.
    public init(rule: AlarmRule = .top(0.05), gapHours: Int = 0, leadHours: Int = 24) {
        self.rule = rule
        self.gapHours = gapHours
        self.leadHours = leadHours
    }
}

/// The figures of alarms against rally episodes, in this order in every table and file.
public enum EpisodeFigure: String, CaseIterable, Sendable {
    /// Episodes in the sample (a resample: episodes counted by the multiplicity of their first hour).
    case episodes
    /// Share of episodes caught: an alarm in [first hour − lead, last hour].
    case caught
    /// Share of episodes whose first alarm came at or before their first rally hour.
    case caughtEarly = "caught_early"
    /// Share of episodes whose first alarm came only after their first rally hour (during it).
    case caughtLate = "caught_late"
    /// Median lead of the first alarm, in hours before the first rally hour (negative: during it), over caught episodes.
    case leadMedian = "lead_median"
    /// First quartile of the lead.
    case leadQ1 = "lead_q1"
    /// Third quartile of the lead.
    case leadQ3 = "lead_q3"
    /// Alarm runs touching no episode's catch window, per 30 days of test hours.
    case falseAlarms = "false_alarms_per_30d"
    /// Hours in alarm per 30 days of test hours.
    case alarmHours = "alarm_hours_per_30d"
}

/// Rally episodes (runs of rally hours) and alarm runs (runs of alarm hours) on a time-ordered
/// sample, and what one model's alarms did about the episodes: caught or not, how early, how
/// many alarm runs were false, how long the alarms lasted. It is not a per-hour metric: an
/// episode of 30 rally hours counts once.
///
/// All times are the rows' own (forecast issue times): a label at t is about the target hour
/// t + H, and so is the alarm at t, so leads on this axis are leads on the target axis; the
/// warning an operator gets before the rally hour is the lead plus the horizon H.
///
/// Resampling: a moving block of rows would cut an episode at its edges and invent episodes
/// that never happened. Instead each episode and each alarm run is kept whole and counted as
/// many times as its first row is drawn by the resample (``BlockBootstrap/weights(resample:rows:into:)``,
/// the same resamples as every other interval); the test hours behind the per-30-day rates are
/// the resample's row count. Blocks (a week) longer than most episodes keep their clustering in
/// time. The alarms themselves are fixed on the sample (a top-share rule is not re-ranked per resample).
public struct RallyEpisodes: Sendable {
    /// Each episode's first and last row (inclusive), in time order.
    public let episodes: [(first: Int, last: Int)]
    /// The row times (seconds).
    public let times: [Int64]
    /// The settings.
    public let settings: EpisodeSettings
    /// Hours one row stands for (the sample's step).
    public let stepHours: Double

    /// Finds the episodes of `labels` (0/1, time order) at `times` (ascending seconds). The
    /// step is the smallest spacing of the times (an hour for one row).
    public init(times: [Int64], labels: [Double], settings: EpisodeSettings) throws {
        guard times.count == labels.count else { throw RallyError("episodes: \(times.count) times but \(labels.count) labels") }
        guard !times.isEmpty else { throw RallyError("episodes: no rows") }
        var step: Int64 = 3600
        if times.count > 1 {
            var smallest = Int64.max
            for i in 1..<times.count {
                guard times[i] > times[i - 1] else { throw RallyError("episodes: times must increase (row \(i + 1))") }
                smallest = min(smallest, times[i] - times[i - 1])
            }
            step = smallest
        }
        self.times = times
        self.settings = settings
        stepHours = Double(step) / 3600
        episodes = Self.runs(times, where: labels.map { $0 == 1 }, step: step, gapHours: settings.gapHours)
    }

    /// Runs of flagged rows: consecutive flagged rows belong to one run when at most
    /// `gapHours` of time (beyond one step) separate them.
    static func runs(_ times: [Int64], where flagged: [Bool], step: Int64, gapHours: Int) -> [(first: Int, last: Int)] {
        let reach = step + Int64(gapHours) * 3600
        var out: [(first: Int, last: Int)] = []
        for i in flagged.indices where flagged[i] {
            if let last = out.last, times[i] - times[last.last] <= reach {
                out[out.count - 1].last = i
            } else {
                out.append((i, i))
            }
        }
        return out
    }

    /// What one model's probabilities `p` (one per row) did about the episodes.
    public func outcome(_ p: [Double]) throws -> EpisodeOutcome {
        guard p.count == times.count else { throw RallyError("episodes: \(p.count) probabilities for \(times.count) rows") }
        let alarm = settings.rule.alarms(p)
        let alarmRows = alarm.indices.filter { alarm[$0] }
        let lead = Int64(settings.leadHours) * 3600
        // each episode: its first alarm within [first − lead, last]
        var leads: [Double?] = []
        for e in episodes {
            let from = times[e.first] - lead
            var lo = 0, hi = alarmRows.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if times[alarmRows[mid]] < from { lo = mid + 1 } else { hi = mid }
            }
            if lo < alarmRows.count, times[alarmRows[lo]] <= times[e.last] {
                leads.append(Double(times[e.first] - times[alarmRows[lo]]) / 3600)
            } else {
                leads.append(nil)
            }
        }
        // an alarm row is useful when it lies in some episode's window [first − lead, last]
        var useful = [Bool](repeating: false, count: times.count)
        var k = 0
        for i in alarmRows {
            while k < episodes.count && times[episodes[k].last] < times[i] { k += 1 }
            if k < episodes.count && times[episodes[k].first] - lead <= times[i] { useful[i] = true }
        }
        let step = Int64((stepHours * 3600).rounded())
        let alarmRuns = Self.runs(times, where: alarm, step: step, gapHours: settings.gapHours)
        let falseRuns = alarmRuns.filter { run in !(run.first...run.last).contains { useful[$0] } }.map(\.first)
        return EpisodeOutcome(episodes: self, leads: leads, alarm: alarm, falseRunStarts: falseRuns)
    }
}

/// One model's alarms against the episodes of a sample: per episode its lead (nil: missed),
/// the alarm hours and where the false alarm runs start. ``figures(weights:)`` turns it into
/// ``EpisodeFigure`` values, on the sample or on a bootstrap resample.
public struct EpisodeOutcome: Sendable {
    /// The episodes.
    public let episodes: RallyEpisodes
    /// Per episode: hours from its first alarm to its first rally hour (negative: the alarm came
    /// during it), or nil when no alarm caught it.
    public let leads: [Double?]
    /// Whether each row was in alarm.
    public let alarm: [Bool]
    /// The first row of each false alarm run.
    public let falseRunStarts: [Int]

    /// The figures with row i counted `weights[i]` times (nil: every row once); see
    /// ``RallyEpisodes`` for how episodes and runs follow their first row. NaN where a figure
    /// has nothing to stand on (no episode, no caught episode).
    public func figures(weights: [Double]? = nil) -> [Double] {
        func w(_ i: Int) -> Double { weights?[i] ?? 1 }
        var count = 0.0, caught = 0.0, early = 0.0
        var caughtLeads: [Double] = []
        for (e, lead) in zip(episodes.episodes, leads) {
            let m = w(e.first)
            count += m
            guard let lead, m > 0 else { continue }
            caught += m
            if lead >= 0 { early += m }
            caughtLeads += [Double](repeating: lead, count: Int(m))
        }
        var hours = 0.0, alarmHours = 0.0
        for i in alarm.indices {
            hours += w(i)
            if alarm[i] { alarmHours += w(i) }
        }
        caughtLeads.sort()
        return finish(count: count, caught: caught, early: early, sortedLeads: caughtLeads, hours: hours, alarmHours: alarmHours,
                      falseRuns: falseRunStarts.reduce(0) { $0 + w($1) })
    }

    /// The figures from the (weighted) counts: episodes, caught and caught early ones, the caught
    /// episodes' leads sorted ascending, hours, hours in alarm and false alarm runs.
    func finish(count: Double, caught: Double, early: Double, sortedLeads: [Double], hours: Double, alarmHours: Double,
                falseRuns: Double) -> [Double] {
        var out = [Double](repeating: .nan, count: EpisodeFigure.allCases.count)
        let months = hours * episodes.stepHours / (30 * 24)
        out[0] = count
        if count > 0 {
            out[1] = caught / count
            out[2] = early / count
            out[3] = (caught - early) / count
        }
        if !sortedLeads.isEmpty {
            out[4] = Percentile.of(sorted: sortedLeads, 50)
            out[5] = Percentile.of(sorted: sortedLeads, 25)
            out[6] = Percentile.of(sorted: sortedLeads, 75)
        }
        if months > 0 {
            out[7] = falseRuns / months
            out[8] = alarmHours * episodes.stepHours / months
        }
        return out
    }
}
