import Dispatch
import Foundation

/// The one path every evaluation takes. `rally.evaluate` is a pipeline of one configuration
/// (the plan's labeler); a sweep is a pipeline of every configuration of its grid. For each
/// configuration: prepare (labels, features, folds) → fit each model on each fold → score
/// (pooled figures, paired bootstrap, Diebold-Mariano tests, fold figures) → warnings, all in
/// ``ConfigurationWork``, scheduled on one ``WorkBoard``.
///
/// Threads: preparation, scoring and built-in models (factories with a
/// ``ModelFactory/sendableSpec``) run on ``EvaluationPlan/threads`` worker threads; models
/// written in Lua run on the calling thread, which also hears the board's news. Results do
/// not depend on the thread count or on the order in which work finishes.
///
/// It is not a result: what the configurations produced reaches the caller through
/// ``Listener/scored`` as each is scored, in whatever order they finish.
struct EvaluationPipeline: Sendable {
    /// The settings every configuration shares (its labeler is the base one; each
    /// configuration brings its own).
    let plan: EvaluationPlan
    /// The configurations, in their list order.
    let configurations: [SweepConfiguration]
    /// `evaluate` or `sweep`, for messages.
    let command: String

    /// What the caller hears, on the calling thread.
    struct Listener {
        /// A configuration is prepared.
        var prepared: (PreparedConfiguration) -> Void = { _ in }
        /// Every fold of model `m` on configuration `c` is fitted.
        var runFinished: (_ c: Int, _ model: Int) -> Void = { _, _ in }
        /// A configuration is scored; throwing stops the pipeline with that error.
        var scored: (ScoredConfiguration) throws -> Void = { _ in }
        /// Called after each piece of news and every `tick` seconds in between.
        var tick: () -> Void = {}
    }

    /// The checks made before any work, the same for every command: distinct model names and
    /// the baseline among them, metric settings, threads, a non-empty feature spec, and each
    /// configuration's labelled column in the data. Returns the baseline's index.
    func check(dataset: Dataset, names: [String]) throws -> Int {
        let baseline = try ModelLineup.baseline(among: names, wanted: plan.baseline, command: command)
        try plan.metrics.validate()
        guard plan.threads >= 1 else { throw RallyError("\(command): threads must be at least 1, got \(plan.threads)") }
        try PlanChecks.requireColumns(plan.features, command: command)
        let places = configurations.flatMap { c in c.stacked.map { $0.map { Optional($0) } } ?? [c.location] }
        for location in Set(places).sorted(by: { ($0 ?? "") < ($1 ?? "") }) {
            let data = try location.map { try dataset.location($0) } ?? dataset
            let at = location.map { " of location \($0)" } ?? ""
            let users = configurations.filter { $0.location == location || ($0.stacked ?? []).contains { $0 == location } }
            for column in Set(users.map(\.labeler.column)).sorted() where data.column(named: column) == nil {
                throw RallyError("\(command): the labeler's column '\(column)' is not in the dataset\(at) (columns: \(data.names.joined(separator: ", ")))")
            }
        }
        return baseline
    }

    /// Runs the configurations at positions `todo` (default: all) with every model on
    /// `dataset`. Returns the seconds each model spent fitting in this run, summed over fits.
    /// Ctrl-C stops the work (configurations not scored by then are not reported); a failure
    /// is thrown once the workers have stopped.
    @discardableResult
    func run(on dataset: Dataset, models: [any ModelFactory], baseline: Int, todo: [Int]? = nil, tick: Double = 0.25,
             listener: Listener) throws -> [Double] {
        let todo = todo ?? Array(configurations.indices)
        let names = models.map(\.name)
        let folds = try plan.schedule.folds().count
        let workers = min(plan.threads, Self.maximumWorkers)
        let board = WorkBoard(configurations: todo, models: models.count, folds: folds,
                              onCaller: models.map { $0.sendableSpec == nil }, costs: models.map { $0.sendableSpec?.fitCost ?? 0 },
                              workers: workers)
        let group = DispatchGroup()
        if !todo.isEmpty {
            let specs = models.map(\.sendableSpec)
            let described = models.map(ModelDescription.init)
            // dedicated threads, not the global dispatch pool: workers wait on the board while the
            // calling thread runs a model written in Lua, and when that model runs an evaluation
            // of its own, pool threads held by waiting workers starved the inner one's workers
            // (threads = 1024, or 30 nested evaluations, never returned)
            for _ in 0..<workers {
                group.enter()
                let worker = Thread { [self] in
                    work(board, dataset: dataset, models: described, specs: specs, baseline: baseline)
                    group.leave()
                }
                worker.start()
            }
        }
        func absorb() {
            for item in board.takeNews() {
                switch item {
                case .prepared(_, let data): listener.prepared(data)
                case .runFinished(let c, let m): listener.runFinished(c, m)
                case .scored(_, let result):
                    do { try listener.scored(result) } catch { board.stop(error) }
                }
            }
        }
        listener.tick()
        while true {
            let task = board.nextCallerTask(timeout: tick)
            absorb()
            if case .fit(let c, let m, let f)? = task {
                do {
                    guard let data = board.data(c) else { throw RallyError("\(command): configuration \(c + 1) lost its data") }
                    let outcome = try ConfigurationWork.fit(models[m].make(), name: names[m], fold: data.folds[f],
                                                            at: ConfigurationWork.at(configurations[c], command: command),
                                                            keepTraining: plan.keepsTrainingPredictions)
                    board.fitted(outcome, at: c, model: m, fold: f, byWorker: false)
                } catch {
                    board.stop(error)
                }
            } else if board.isOver {
                break
            }
            listener.tick()
        }
        group.wait()
        absorb()
        listener.tick()
        if let failure = board.failure { throw failure }
        return board.secondsPerModel
    }

    /// The most worker threads one evaluation starts, whatever `threads` says: each is a thread
    /// of its own, and an evaluation run by a model written in Lua inside another one starts its
    /// own on top.
    static let maximumWorkers = 64

    /// An engine worker: takes tasks from the board until the work is over or stopped.
    private func work(_ board: WorkBoard, dataset: Dataset, models: [ModelDescription], specs: [ModelSpec?], baseline: Int) {
        while let task = board.nextEngineTask() {
            do {
                switch task {
                case .prepare(let c):
                    board.prepared(try ConfigurationWork.prepare(configurations[c], plan: plan, dataset: dataset, command: command),
                                   at: c, byWorker: true)
                case .fit(let c, let m, let f):
                    guard let data = board.data(c), let spec = specs[m] else { throw RallyError("\(command): configuration \(c + 1) lost its data") }
                    try Cancellation.check()
                    let outcome = try ConfigurationWork.fit(spec.make(), name: models[m].name, fold: data.folds[f],
                                                            at: ConfigurationWork.at(configurations[c], command: command),
                                                            keepTraining: plan.keepsTrainingPredictions)
                    board.fitted(outcome, at: c, model: m, fold: f, byWorker: true)
                case .score(let c, let threads):
                    guard let data = board.data(c) else { throw RallyError("\(command): configuration \(c + 1) lost its data") }
                    let result = try ConfigurationWork.score(data, outcomes: board.outcomes(c), models: models, baseline: baseline,
                                                             plan: plan, threads: threads, modelSeconds: board.modelSeconds(c))
                    board.scored(result, at: c)
                }
            } catch {
                board.abandoned()
                board.stop(error)
            }
        }
    }
}
