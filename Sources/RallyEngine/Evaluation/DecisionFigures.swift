import Dispatch

/// Each model's episode figures (``EpisodeFigure``) on one time-ordered sample, with moving-block
/// bootstrap intervals: `res:events()`, the `episodes` section of metrics.json and the report's
/// episode table. It holds figures, not the episodes (``RallyEpisodes`` finds those).
public struct EpisodeTable: Sendable {
    /// The rule, gap and lead.
    public var settings: EpisodeSettings
    /// The models, in order.
    public var models: [String]
    /// `values[model][figure]`, in ``EpisodeFigure/allCases`` order.
    public var values: [[Double]]
    /// The 95% interval of each value (NaN bounds without resamples).
    public var intervals: [[Interval]]
    /// Resamples drawn.
    public var resamples: Int
    /// The label horizon (steps) the alarms look ahead, for the text (0: unknown).
    public var horizon: Int

    /// The figures of every model's `probabilities` against the episodes of `labels` at `times`.
    public static func compute(times: [Int64], labels: [Double], models: [(name: String, probabilities: [Double])],
                               settings: EpisodeSettings, bootstrap: BlockBootstrap, horizon: Int = 0, threads: Int = 2) throws -> EpisodeTable {
        try compute(times: times, labels: labels, models: models, settings: settings, bootstrap: bootstrap, horizon: horizon,
                    threads: threads, batched: true)
    }

    /// ``compute(times:labels:models:settings:bootstrap:horizon:threads:)``, each resample
    /// from its weights when `batched` is false (the reference the batched path is tested
    /// against; also taken when counts would not fit a ``ResampleBatch``).
    static func compute(times: [Int64], labels: [Double], models: [(name: String, probabilities: [Double])],
                        settings: EpisodeSettings, bootstrap: BlockBootstrap, horizon: Int, threads: Int, batched: Bool) throws -> EpisodeTable {
        let episodes = try RallyEpisodes(times: times, labels: labels, settings: settings)
        let outcomes = try concurrentMap(models.count, threads: threads) { try episodes.outcome(models[$0].probabilities) }
        let n = times.count, figures = EpisodeFigure.allCases.count
        let resamples = bootstrap.resamples
        if resamples > 0 { try bootstrap.validate(rows: n) }
        // replicates[model][figure][resample], each resample owned by one worker
        let slots = ResampleSlots(count: models.count * figures * resamples)
        if batched && resamples > 0 && ResampleBatch.fits(bootstrap, rows: n) {
            let layouts = outcomes.map(EpisodeOutcome.BatchLayout.init)
            ResampleBatch.forEach(bootstrap, rows: n, threads: threads) { batch in
                let hours = batch.drawn()
                for (m, layout) in layouts.enumerated() {
                    layout.figures(batch, hours: hours) { lane, values in
                        for (f, value) in values.enumerated() { slots[(m * figures + f) * resamples + batch.first + lane] = value }
                    }
                }
            }
        } else {
            bootstrap.forEachResample(rows: n, threads: threads) { r, weights in
                for (m, outcome) in outcomes.enumerated() {
                    for (f, value) in outcome.figures(weights: weights).enumerated() { slots[(m * figures + f) * resamples + r] = value }
                }
            }
        }
        try Cancellation.check()
        let all = slots.intervals(series: models.count * figures, resamples: resamples, threads: threads)
        let intervals = models.indices.map { m in (0..<figures).map { f in all[m * figures + f] } }
        return EpisodeTable(settings: settings, models: models.map(\.name), values: outcomes.map { $0.figures() },
                            intervals: intervals, resamples: resamples, horizon: horizon)
    }

    /// The table as metrics.json's `episodes` section.
    public var json: JSONValue {
        let rule: [(String, JSONValue)] = switch settings.rule {
        case .threshold(let t): [("threshold", .finite(t))]
        case .top(let share): [("top", .finite(share))]
        }
        let figures: [(String, JSONValue)] = models.indices.map { m in
            (models[m], .object(EpisodeFigure.allCases.enumerated().map { f, figure in
                (figure.rawValue, .object([("value", .finite(values[m][f])),
                                           ("ci95", .array([.finite(intervals[m][f].lower), .finite(intervals[m][f].upper)]))]))
            }))
        }
        return .object([("rule", .object(rule)), ("gap_hours", .integer(settings.gapHours)), ("lead_hours", .integer(settings.leadHours)),
                        ("resamples", .integer(resamples)), ("models", .object(figures))])
    }

    /// ``json`` with the ``text`` (what `res:events()` returns).
    public var jsonWithText: JSONValue {
        guard case .object(let fields) = json else { return json }
        return .object(fields + [("text", .string(text))])
    }

    /// The point figures of one model's `probabilities` against `labels`, rows taken as
    /// consecutive hours (what `rally.metrics` adds): `{episodes =, caught =, ...}`.
    public static func hourly(labels: [Double], probabilities: [Double], settings: EpisodeSettings) throws -> JSONValue {
        let table = try compute(times: labels.indices.map { Int64($0) * 3600 }, labels: labels, models: [("p", probabilities)],
                                settings: settings, bootstrap: BlockBootstrap(resamples: 0))
        return .object(EpisodeFigure.allCases.enumerated().map { ($1.rawValue, .finite(table.values[0][$0])) })
    }

    /// The table as text for the terminal.
    public var text: String {
        let header = ["model", "episodes", "caught [95% CI]", "in time", "late", "lead h median [q1, q3]", "false alarms/30d [95% CI]", "alarm h/30d"]
        func f(_ x: Double, _ d: Int) -> String { x.isNaN ? "—" : Format.fixed(x, digits: d) }
        func ci(_ i: Interval, _ d: Int) -> String { i.lower.isNaN ? "" : " [\(f(i.lower, d)), \(f(i.upper, d))]" }
        var rows = [header]
        for m in models.indices {
            let v = values[m], i = intervals[m]
            rows.append([models[m], f(v[0], 0), f(v[1], 3) + ci(i[1], 3), f(v[2], 3), f(v[3], 3),
                         f(v[4], 1) + (v[5].isNaN ? "" : " [\(f(v[5], 1)), \(f(v[6], 1))]"), f(v[7], 2) + ci(i[7], 2), f(v[8], 1)])
        }
        let widths = header.indices.map { j in rows.map { $0[j].count }.max()! }
        let notice = horizon > 0 ? "; an alarm at t is about t + \(horizon) h, so it warns lead + \(horizon) h before the rally hour" : ""
        var lines = ["alarms: \(settings.rule.summary); episodes: rally hours at most \(settings.gapHours) calm h apart; "
            + "caught: an alarm from \(settings.leadHours) h before the first rally hour to the last\(notice); intervals: \(resamples) resamples"]
        for row in rows {
            lines.append(row.enumerated().map { j, cell in j == row.count - 1 ? cell : cell.padding(toLength: widths[j], withPad: " ", startingAt: 0) }
                .joined(separator: "  "))
        }
        return lines.joined(separator: "\n")
    }
}

extension ValueCurves {
    /// The curves as metrics.json's `economic_value` section.
    public var json: JSONValue {
        func numbers(_ xs: [Double]) -> JSONValue { .array(xs.map(JSONValue.finite)) }
        let curves: [(String, JSONValue)] = models.map { m in
            var fields: [(String, JSONValue)] = [("calibrated", numbers(m.calibrated)),
                                                 ("calibrated_lo", numbers(m.calibratedBand.map(\.lower))),
                                                 ("calibrated_hi", numbers(m.calibratedBand.map(\.upper)))]
            if let trained = m.trained, let band = m.trainedBand {
                fields += [("trained", numbers(trained)), ("trained_lo", numbers(band.map(\.lower))), ("trained_hi", numbers(band.map(\.upper)))]
            }
            if let thresholds = m.thresholds { fields.append(("thresholds", .array(thresholds.map(numbers)))) }
            return (m.name, .object(fields))
        }
        return .object([("alpha", numbers(alphas)), ("resamples", .integer(resamples)), ("models", .object(curves))])
    }
}

extension EvaluationResult {
    /// The episode figures of every model on the pooled test rows, with intervals from the
    /// evaluation's own bootstrap scheme (same block, seed and resamples).
    public func episodes(_ settings: EpisodeSettings = EpisodeSettings()) throws -> EpisodeTable {
        try EpisodeTable.compute(times: testTimes, labels: testLabels, models: models.map { ($0.name, $0.predictions) },
                                 settings: settings, bootstrap: plan.bootstrap, horizon: plan.labeler.horizon.stepsGiven ?? 0, threads: plan.threads)
    }

    /// The value curves of every model at `alphas`, with bands from the evaluation's bootstrap
    /// scheme; the trained curve needs the training predictions the plan kept.
    public func valueCurves(alphas: [Double] = EconomicValue.defaultAlphas) throws -> ValueCurves {
        try ValueCurves.compute(labels: testLabels, foldSizes: folds.map(\.testRows),
                                models: models.map { ($0.name, $0.predictions, $0.training) },
                                alphas: alphas, bootstrap: plan.bootstrap, threads: plan.threads)
    }

    /// ``valueCurves(alphas:)`` at the `alpha` of decoded ``EntryPointOptions/value`` options
    /// (default ``EconomicValue/defaultAlphas``).
    public func valueCurves(_ values: OptionValues) throws -> ValueCurves {
        try valueCurves(alphas: values.numbers("alpha") ?? EconomicValue.defaultAlphas)
    }

    /// metrics.json's `episodes` (default settings) and `economic_value` (default ratios)
    /// sections; a section that cannot be computed says why instead.
    func decisionSections() -> [(String, JSONValue)] {
        func section(_ body: () throws -> JSONValue) -> JSONValue {
            do { return try body() } catch { return .object([("unavailable", .string((error as? RallyError)?.message ?? "\(error)"))]) }
        }
        return [("episodes", section { try episodes().json }), ("economic_value", section { try valueCurves().json })]
    }
}

/// Doubles written by concurrent workers at disjoint indices, read after they have all finished.
final class ResampleSlots: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Double>

    init(count: Int) {
        base = .allocate(capacity: max(count, 1))
        base.initialize(repeating: .nan, count: max(count, 1))
    }

    deinit { base.deallocate() }

    subscript(i: Int) -> Double {
        get { base[i] }
        set { base[i] = newValue }
    }

    /// The 95% percentile interval of each of `series` runs of `resamples` consecutive slots
    /// (series j: slots `j * resamples ..< (j + 1) * resamples`), NaN values left out (NaN bounds
    /// for a series of none), on up to `threads` workers.
    func intervals(series: Int, resamples: Int, threads: Int) -> [Interval] {
        let bounds = ResampleSlots(count: 2 * series)
        let workers = max(1, min(threads, series))
        let next = WorkCounter()
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while case let j = next.take(), j < series {
                let values = (0..<resamples).map { self[j * resamples + $0] }.filter { !$0.isNaN }
                let interval = values.isEmpty ? Interval(lower: .nan, upper: .nan) : PairedBootstrapResult.interval(values, level: 0.95)
                bounds[2 * j] = interval.lower
                bounds[2 * j + 1] = interval.upper
            }
        }
        return (0..<series).map { Interval(lower: bounds[2 * $0], upper: bounds[2 * $0 + 1]) }
    }
}
