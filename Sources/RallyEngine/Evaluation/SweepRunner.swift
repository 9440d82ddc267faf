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
}

/// Runs a ``SweepPlan``: every configuration of the grid with every model.
///
/// For each configuration the labels, features and folds are computed once and shared by all
/// models; each model is fitted on each fold; the pooled test predictions are then scored as
/// ``Evaluator`` scores them (so each row equals what `rally.evaluate` gives with that
/// configuration's labeler). Built-in models and all preparation and scoring run on
/// ``SweepPlan/threads`` worker threads; models written in Lua (factories without a
/// ``ModelFactory/sendableSpec``) run on the calling thread, which also reports progress.
/// The table does not depend on the number of threads or on the order in which work finishes.
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
    /// Seconds between progress reports while nothing finishes (for a live clock).
    public let tick: Double
    /// Called on the calling thread after each finished run and at every tick.
    public let progress: (SweepProgress) -> Void

    /// Creates a runner.
    public init(plan: SweepPlan, resumePath: String? = nil, tick: Double = 0.25,
                progress: @escaping (SweepProgress) -> Void = { _ in }) {
        self.plan = plan
        self.resumePath = resumePath
        self.tick = tick
        self.progress = progress
    }

    /// Runs every configuration with every model on `dataset`.
    public func run(on dataset: Dataset, models: [any ModelFactory]) throws -> SweepOutcome {
        let started = DispatchTime.now()
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9 }

        let names = models.map(\.name)
        let baseline = try ModelLineup.baseline(among: names, wanted: plan.baseline, command: "sweep")
        try plan.metrics.validate()
        guard plan.threads >= 1 else { throw RallyError("sweep: threads must be at least 1, got \(plan.threads)") }
        try PlanChecks.requireColumns(plan.features, command: "sweep")
        let configurations = try plan.configurations()
        let folds = try plan.schedule.folds().count
        let keyColumns = Self.keyColumns(configurations, grid: plan.grid)
        let figureColumns = SweepColumns.figures(headline: plan.metric)

        var checkpoint = try resumePath.map {
            try SweepCheckpoint.open($0, identity: identity(dataset: dataset, models: models), configurations: configurations,
                                     models: models.count, figures: figureColumns.count)
        }
        var scored = checkpoint?.scored ?? [:]
        let resumed = scored.count * models.count
        let todo = configurations.indices.filter { scored[$0] == nil }
        let board = SweepBoard(configurations: todo, models: models.count, folds: folds,
                               onCaller: models.map { $0.sendableSpec == nil }, workers: plan.threads)

        let group = DispatchGroup()
        if !todo.isEmpty {
            let specs = models.map(\.sendableSpec)
            for _ in 0..<plan.threads {
                DispatchQueue.global(qos: .userInitiated).async(group: group) { [plan] in
                    Self.work(board, dataset: dataset, plan: plan, configurations: configurations, specs: specs,
                              names: names, baseline: baseline)
                }
            }
        }

        var runsDone = resumed
        var leader = Self.leader(of: Array(scored.values), names: names, plan: plan)
        var fresh: [String] = []
        func report() {
            progress(SweepProgress(metric: plan.metric, runsTotal: configurations.count * models.count, runsDone: runsDone,
                                   runsResumed: resumed, elapsed: elapsed(), leader: leader, scored: fresh))
            fresh = []
        }
        func absorb(_ news: [SweepNews]) {
            for item in news {
                switch item {
                case .runFinished: runsDone += 1
                case .scored(let c, let result):
                    scored[c] = result
                    fresh.append(Self.summary(result, names: names, metric: plan.metric))
                    leader = Self.leader(of: Array(scored.values), names: names, plan: plan)
                    do { try checkpoint?.record(result) } catch { board.stop(error) }
                }
            }
        }
        report()
        while true {
            let task = board.nextCallerTask(timeout: tick)
            absorb(board.takeNews())
            if case .fit(let c, let m, let f)? = task {
                do {
                    guard let data = board.data(c) else { throw RallyError("sweep: configuration \(c + 1) lost its data") }
                    let outcome = try Self.fit(models[m].make(), name: names[m], fold: data.folds[f], at: configurations[c])
                    board.fitted(outcome, at: c, model: m, fold: f, byWorker: false)
                } catch {
                    board.stop(error)
                }
            } else if board.isOver {
                break
            }
            report()
        }
        group.wait()
        absorb(board.takeNews())
        report()
        if let failure = board.failure { throw failure }

        let rows = configurations.indices.compactMap { scored[$0] }.flatMap { result in
            names.indices.map { m -> [SweepValue] in
                keyColumns.map { Self.value(result.configuration.labeler.parameters[$0]) } + [.text(names[m])]
                    + result.figures[m].map { .number($0) }
            }
        }
        let table = SweepTable(columns: keyColumns + ["model"] + figureColumns, keys: keyColumns.count + 1,
                               rows: rows, metric: plan.metric)
        let perModel = board.secondsPerModel
        return SweepOutcome(table: table, interrupted: scored.count < configurations.count,
                            runsTotal: configurations.count * models.count, runsResumed: resumed,
                            warnings: configurations.indices.compactMap { scored[$0] }.flatMap(\.warnings),
                            seconds: elapsed(), fitSeconds: names.indices.map { (names[$0], perModel[$0]) })
    }

    /// An engine worker: takes tasks from the board until the sweep is over or stopped.
    private static func work(_ board: SweepBoard, dataset: Dataset, plan: SweepPlan, configurations: [SweepConfiguration],
                             specs: [ModelSpec?], names: [String], baseline: Int) {
        while let task = board.nextEngineTask() {
            do {
                switch task {
                case .prepare(let c):
                    board.prepared(try SweepWork.prepare(configurations[c], plan: plan, dataset: dataset), at: c, byWorker: true)
                case .fit(let c, let m, let f):
                    guard let data = board.data(c), let spec = specs[m] else { throw RallyError("sweep: configuration \(c + 1) lost its data") }
                    try Cancellation.check()
                    let outcome = try fit(spec.make(), name: names[m], fold: data.folds[f], at: configurations[c])
                    board.fitted(outcome, at: c, model: m, fold: f, byWorker: true)
                case .score(let c, let threads):
                    guard let data = board.data(c) else { throw RallyError("sweep: configuration \(c + 1) lost its data") }
                    let result = try SweepWork.score(data, outcomes: board.outcomes(c), names: names, baseline: baseline,
                                                     plan: plan, threads: threads)
                    board.scored(result, at: c)
                }
            } catch {
                board.abandoned()
                board.stop(error)
            }
        }
    }

    /// ``Evaluator/fitAndPredict(_:name:fold:)`` with the configuration named in its errors.
    private static func fit(_ model: @autoclosure () throws -> any RallyModel, name: String, fold: EvaluationFold,
                            at configuration: SweepConfiguration) throws -> Evaluator.FitOutcome {
        do {
            return try Evaluator.fitAndPredict(model(), name: name, fold: fold)
        } catch let error as RallyError where error != .interrupted {
            throw RallyError("sweep: \(configuration.label): \(error.message)")
        }
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

    private static func value(_ parameter: ParameterValue?) -> SweepValue {
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
                let at = result.configuration.values.isEmpty ? "" : " " + result.configuration.label
                best = (result.configuration.index, m, x, names[m] + at)
            }
        }
        return best.map { SweepProgress.Leader(run: $0.run, value: $0.value) }
    }

    /// What identifies this sweep in its resume file: data, features, labeler, grid, models,
    /// schedule and every setting that changes a figure (not the thread count).
    func identity(dataset: Dataset, models: [any ModelFactory]) -> [(String, String)] {
        var hash = SHA256()
        hash.update(Data(dataset.names.joined(separator: "\u{1}").utf8))
        dataset.timestamps.withUnsafeBytes { hash.update(Data($0)) }
        for column in dataset.columns { column.withUnsafeBytes { hash.update(Data($0)) } }
        let m = plan.metrics
        return [
            ("data", "\(dataset.count) rows x \(dataset.names.count) columns, sha256 \(hash.hexDigest()) (of the values)"),
            ("features", "horizon \(plan.features.horizon): " + plan.features.features.map(\.description).joined(separator: "; ")),
            ("labeler", plan.labeler.description),
            ("grid", plan.grid.summary),
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
