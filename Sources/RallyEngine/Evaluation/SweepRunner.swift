import Dispatch
import Foundation

/// What a sweep produced: its table, whether it was interrupted, and how long it took.
public struct SweepOutcome: Sendable {
    /// One row per finished run (configuration × model), in grid order then model order.
    public let table: SweepTable
    /// Whether Ctrl-C stopped the sweep before every configuration was scored.
    public let interrupted: Bool
    /// Runs in the whole sweep.
    public let runsTotal: Int
    /// Runs in the table that were read from the resume file.
    public let runsResumed: Int
    /// Warnings of the scored configurations (few rallies, skipped resamples), in grid order.
    public let warnings: [String]
    /// Wall seconds of the sweep.
    public let seconds: Double
    /// Wall seconds spent fitting each model in this session, summed over its fits.
    public let fitSeconds: [(model: String, seconds: Double)]
    /// The SPA test over the runs, when the plan asks for it and the sweep finished.
    public var spa: SweepSPA? = nil
}

/// Runs a ``SweepPlan``: every configuration of the grid with every model.
///
/// Every configuration takes ``EvaluationPipeline``, the path `rally.evaluate` takes, so each
/// row equals what `rally.evaluate` gives with that configuration's labeler; labels, features
/// and folds are computed once per configuration and shared by its models. The table does not
/// depend on the number of threads or on the order in which work finishes.
///
/// Ctrl-C (``Cancellation``) stops the sweep: work in progress is abandoned, and the outcome
/// holds every configuration scored before, marked interrupted. With a resume path, each
/// scored configuration is saved at once; a later run with the same path skips those and
/// ends with the same table as an uninterrupted sweep.
public struct SweepRunner {
    /// The plan.
    public let plan: SweepPlan
    /// The resume file (nil: none).
    public let resumePath: String?
    /// The part of the grid this run does (nil: all of it).
    public let shard: SweepShard?
    /// Seconds between progress reports while nothing finishes (for a live clock).
    public let tick: Double
    /// Called on the calling thread after each finished run and at every tick.
    public let progress: (SweepProgress) -> Void

    /// Creates a runner. Throws when `shard` comes without `resumePath`: a shard's rows reach
    /// the final table only through its resume file (``SweepMerge``).
    public init(plan: SweepPlan, resumePath: String? = nil, shard: SweepShard? = nil, tick: Double = 0.25,
                progress: @escaping (SweepProgress) -> Void = { _ in }) throws {
        if shard != nil && resumePath == nil {
            throw RallyError("a shard's configurations are merged from its resume file: give resume = path too", option: "shard")
        }
        self.plan = plan
        self.resumePath = resumePath
        self.shard = shard
        self.tick = tick
        self.progress = progress
    }

    /// Runs every configuration with every model on `dataset`.
    public func run(on dataset: Dataset, models: [any ModelFactory]) throws -> SweepOutcome {
        let started = DispatchTime.now()
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9 }

        let names = models.map(\.name)
        let configurations = try plan.configurations()
        let pipeline = EvaluationPipeline(plan: plan.evaluation, configurations: configurations, command: "sweep")
        let baseline = try pipeline.check(dataset: dataset, names: names)
        let keyColumns = (plan.locations.isEmpty ? [] : ["location"]) + Self.keyColumns(configurations, grid: plan.grid)
        let figureColumns = SweepColumns.figures(headline: plan.metric) + (plan.episodes == nil ? [] : SweepColumns.episodeFigures)

        let mine = configurations.indices.filter { shard?.contains($0) ?? true }
        func keys(_ c: SweepConfiguration) -> [SweepValue] {
            keyColumns.map { name in name == "location" && c.location != nil ? .text(c.location!) : Self.value(c.labeler.parameters[name]) }
        }
        let layout = SweepLayout(keys: keyColumns, models: names, figures: figureColumns, metric: plan.metric.rawValue,
                                 configurations: configurations.count)
        var checkpoint = try resumePath.map {
            try SweepCheckpoint.open($0, identity: identity(dataset: dataset, models: models), layout: layout, shard: shard,
                                     configurations: configurations, keyValues: keys)
        }
        var scored = checkpoint?.scored ?? [:]
        let resumed = scored.count * models.count
        let todo = mine.filter { scored[$0] == nil }
        let runsTotal = mine.count * models.count

        var runsDone = resumed
        var leader = Self.leader(of: Array(scored.values), names: names, plan: plan)
        var fresh: [String] = []
        var spaRuns = try plan.spa.map { spa -> SweepSPACollector in
            guard resumePath == nil && shard == nil else {
                throw RallyError("sweep: spa needs every configuration's hourly losses from this run; it cannot be combined with resume or shard", option: "spa")
            }
            guard names.count > 1 else { throw RallyError("sweep: spa compares runs with their baseline: give at least two models", option: "spa") }
            return SweepSPACollector(plan: spa, settings: plan.metrics)
        }
        var listener = EvaluationPipeline.Listener()
        listener.runFinished = { _, _ in runsDone += 1 }
        listener.scored = { [plan] result in
            try spaRuns?.add(result)
            let row = try SweepColumns.row(result, metric: plan.metric, episodes: plan.episodes, times: dataset.timestamps, bootstrap: plan.bootstrap)
            scored[result.configuration.index] = row
            fresh.append(Self.summary(row, names: names, metric: plan.metric))
            leader = Self.leader(of: Array(scored.values), names: names, plan: plan)
            try checkpoint?.record(row, keys: keys(result.configuration))
        }
        listener.tick = { [progress, plan] in
            progress(SweepProgress(metric: plan.metric, runsTotal: runsTotal, runsDone: runsDone,
                                   runsResumed: resumed, elapsed: elapsed(), leader: leader, scored: fresh))
            fresh = []
        }
        let perModel = try pipeline.run(on: dataset, models: models, baseline: baseline, todo: todo, tick: tick, listener: listener)

        let finished = mine.compactMap { scored[$0] }
        let table = layout.table(finished.map { (keys($0.configuration), $0.figures) })
        let interrupted = finished.count < mine.count
        var outcome = SweepOutcome(table: table, interrupted: interrupted,
                                   runsTotal: runsTotal, runsResumed: resumed,
                                   warnings: finished.flatMap(\.warnings),
                                   seconds: elapsed(), fitSeconds: names.indices.map { (names[$0], perModel[$0]) })
        if !interrupted { outcome.spa = try spaRuns?.test(bootstrap: plan.bootstrap, threads: plan.threads) }
        return outcome
    }

    /// The labeler parameters that identify a row: all of them but the column (unless the grid
    /// varies it), in order of first appearance.
    static func keyColumns(_ configurations: [SweepConfiguration], grid: SweepGrid) -> [String] {
        var out: [String] = []
        for c in configurations {
            for name in c.labeler.parameters.names where !out.contains(name) {
                if name == "col" && !grid.axes.contains(where: { $0.name == "col" }) { continue }
                out.append(name)
            }
        }
        return out
    }

    static func value(_ parameter: ParameterValue?) -> SweepValue {
        switch parameter {
        case .number(let x)?: .number(x)
        case .string(let s)?: .text(s)
        case .bool(let b)?: .text(b ? "true" : "false")
        case nil: .number(.nan)
        }
    }

    /// `q=0.95 window=672: naive 0.3201, logreg 0.6291, gbdt 0.6754 (pr_auc)`.
    static func summary(_ result: SweepScoredConfiguration, names: [String], metric: Metric) -> String {
        let values = names.indices.map { "\(names[$0]) \(Format.fixed(result.figures[$0][metric.index], digits: 4))" }
        return "\(result.configuration.label): \(values.joined(separator: ", ")) (\(metric.rawValue))"
    }

    /// The best run among `scored` on the plan's metric (first in grid order on a tie).
    static func leader(of scored: [SweepScoredConfiguration], names: [String], plan: SweepPlan) -> SweepProgress.Leader? {
        var best: (index: Int, model: Int, value: Double, run: String)?
        for result in scored {
            for (m, figures) in result.figures.enumerated() {
                let x = figures[plan.metric.index]
                if x.isNaN { continue }
                if let b = best {
                    let better = plan.metric.higherIsBetter ? x > b.value : x < b.value
                    let tie = x == b.value && (result.configuration.index, m) < (b.index, b.model)
                    if !better && !tie { continue }
                }
                let at = result.configuration.values.isEmpty && result.configuration.location == nil ? "" : " " + result.configuration.label
                best = (result.configuration.index, m, x, names[m] + at)
            }
        }
        return best.map { SweepProgress.Leader(run: $0.run, value: $0.value) }
    }

    /// What identifies this sweep in its resume file: data, features, labeler, grid, models,
    /// schedule and every setting that changes a figure (not the thread count).
    func identity(dataset: Dataset, models: [any ModelFactory]) -> [(String, String)] {
        let m = plan.metrics
        let panel: [(String, String)] = plan.locations.isEmpty ? [] : [("locations", plan.locations.joined(separator: "; "))]
        let head: [(String, String)] = [
            ("data", "\(dataset.count) rows x \(dataset.names.count) columns, sha256 \(dataset.valuesSHA256) (of the values)"),
            ("features", "horizon \(plan.features.horizon): " + plan.features.features.map(\.description).joined(separator: "; ")),
            ("labeler", plan.labeler.description),
            ("grid", plan.grid.summary),
        ]
        return head + panel + [
            ("models", models.map { "\($0.name) = \($0.kind) \($0.parameters.summary)" }.joined(separator: "; ")),
            ("schedule", (try? plan.schedule.folds().map(\.summary).joined(separator: "; ")) ?? "invalid"),
            ("bootstrap", "\(plan.bootstrap.resamples) resamples, block \(plan.bootstrap.block), seed \(plan.bootstrap.seed)"),
            ("metrics", "top \(m.top), \(m.calibrationBins) bins, log-loss clip \(m.logLossClip)"),
            ("metric", plan.metric.rawValue),
            ("baseline", plan.baseline ?? models[0].name),
            ("dm_lag", plan.dieboldMarianoLag.map(String.init) ?? "default"),
            ("min_positives", String(plan.minimumPositives)),
        ]
    }
}
