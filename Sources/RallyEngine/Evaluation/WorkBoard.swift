import Foundation

/// A unit of evaluation work (one configuration of a sweep, or `rally.evaluate`'s only one).
enum WorkTask: Sendable {
    /// Labels, features and folds of configuration `c` (position in the pipeline's list).
    case prepare(Int)
    /// Fit `model` on `fold` of configuration `c` and predict its test rows.
    case fit(Int, model: Int, fold: Int)
    /// Score configuration `c` once every fit is in, with the bootstrap on `threads` threads.
    case score(Int, threads: Int)
}

/// What the calling thread learns from the board.
enum WorkNews: Sendable {
    /// Configuration `c` is prepared: its rows are known and its fits are queued.
    case prepared(Int, PreparedConfiguration)
    /// Every fold of `model` on configuration `c` is fitted.
    case runFinished(Int, model: Int)
    /// Configuration `c` is scored.
    case scored(Int, ScoredConfiguration)
}

/// The one scheduler of evaluations and sweeps (``EvaluationPipeline``): the shared state of a running pipeline: which configurations are prepared, which fits are
/// queued, running or done, what the calling thread must hear. Engine workers and the calling
/// thread (which runs the fits of models written in Lua) take tasks from it and report back.
///
/// Order of work, for an even load on the cores: scoring first (it frees a configuration's
/// matrices), then preparing the next configuration while fewer fits are queued than there
/// are workers, then fits, slowest model first (by the fit seconds measured so far; before a
/// model's first fit ends, by its kind's relative cost, so a gbdt fit starts before a naive one
/// of the first configuration). At most
/// `workers + 1` configurations are prepared and not yet scored, which bounds memory.
///
/// All state is guarded by one `NSCondition`; `@unchecked Sendable` rests on that.
final class WorkBoard: @unchecked Sendable {
    private let condition = NSCondition()
    private let models: Int
    private let folds: Int
    private let onCaller: [Bool]
    private let costs: [Double]
    private let workers: Int
    private let maxInFlight: Int

    private var pending: [Int]
    private var prepared: [Int: PreparedConfiguration] = [:]
    private var outcomes: [Int: [[FitOutcome?]]] = [:]
    private var fitsLeft: [Int: Int] = [:]
    private var preparedAt: [Int: Date] = [:]
    private var modelSeconds: [Int: Double] = [:]
    private var foldsLeft: [Int: [Int]] = [:]
    private var inFlight = 0
    private var remaining: Int
    private var engineQueue: [WorkTask] = []
    private var scoreQueue: [Int] = []
    private var callerQueue: [WorkTask] = []
    private var busyWorkers = 0
    private var news: [WorkNews] = []
    private var fitSeconds: [Double]
    private var fitCounts: [Int]
    private var stopped = false
    private(set) var failure: (any Error)?

    /// A board for `configurations` (positions in the pipeline's list) of `models` models, each
    /// fitted on `folds` folds; `onCaller[m]` says model m runs on the calling thread, `costs[m]`
    /// ranks its fits before any is timed (``ModelSpec/fitCost``; default: all alike).
    init(configurations: [Int], models: Int, folds: Int, onCaller: [Bool], costs: [Double]? = nil, workers: Int) {
        self.models = models
        self.folds = folds
        self.onCaller = onCaller
        self.costs = costs ?? [Double](repeating: 0, count: models)
        self.workers = workers
        self.maxInFlight = workers + 1
        pending = configurations
        remaining = configurations.count
        fitSeconds = [Double](repeating: 0, count: models)
        fitCounts = [Int](repeating: 0, count: models)
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }

    /// Whether every configuration is scored, or the pipeline stopped (failure or Ctrl-C).
    var isOver: Bool { locked { stopped || remaining == 0 } }

    /// Fit seconds summed over every finished fit of each model.
    var secondsPerModel: [Double] { locked { fitSeconds } }

    /// Stops handing out work (after a failure or a Ctrl-C); the first failure is kept. An
    /// error once Ctrl-C was pressed is the interruption showing through a task (e.g. a fit
    /// reporting "interrupted!" in its own words), not a failure.
    func stop(_ error: (any Error)? = nil) {
        locked {
            stopped = true
            let interruption = Cancellation.isRequested || (error as? RallyError) == .interrupted
            if failure == nil, let error, !interruption { failure = error }
            condition.broadcast()
        }
    }

    /// The next task for an engine worker; blocks until there is one. Nil when the pipeline is
    /// over or stopped.
    func nextEngineTask() -> WorkTask? {
        locked {
            while true {
                if Cancellation.isRequested { stopped = true; condition.broadcast() }
                if stopped || remaining == 0 { return nil }
                if let task = takeEngineTask() {
                    busyWorkers += 1
                    return task
                }
                condition.wait()
            }
        }
    }

    private func takeEngineTask() -> WorkTask? {
        if !scoreQueue.isEmpty {
            let c = scoreQueue.removeFirst()
            return .score(c, threads: max(1, workers - busyWorkers))
        }
        let canPrepare = !pending.isEmpty && inFlight < maxInFlight
        if canPrepare && engineQueue.count < workers { return takePrepare() }
        if !engineQueue.isEmpty { return engineQueue.removeFirst() }
        return canPrepare ? takePrepare() : nil
    }

    private func takePrepare() -> WorkTask {
        inFlight += 1
        return .prepare(pending.removeFirst())
    }

    /// The next fit for the calling thread, waiting at most `timeout` seconds; nil when there
    /// is none yet (or the pipeline is over: check ``isOver``).
    func nextCallerTask(timeout: Double) -> WorkTask? {
        locked {
            if Cancellation.isRequested { stopped = true; condition.broadcast() }
            if callerQueue.isEmpty && news.isEmpty && !stopped && remaining > 0 {
                _ = condition.wait(until: Date(timeIntervalSinceNow: timeout))
            }
            if stopped || callerQueue.isEmpty { return nil }
            return callerQueue.removeFirst()
        }
    }

    /// What happened since the last call, in order.
    func takeNews() -> [WorkNews] {
        locked {
            defer { news.removeAll() }
            return news
        }
    }

    /// Records configuration `c`'s data and queues its fits.
    func prepared(_ data: PreparedConfiguration, at c: Int, byWorker: Bool) {
        locked {
            if byWorker { busyWorkers -= 1 }
            prepared[c] = data
            preparedAt[c] = Date()
            news.append(.prepared(c, data))
            outcomes[c] = Array(repeating: Array(repeating: nil, count: folds), count: models)
            fitsLeft[c] = models * folds
            foldsLeft[c] = Array(repeating: folds, count: models)
            // slowest first: models not yet timed (the costlier kind first), then by mean fit seconds
            let order = (0..<models).sorted { a, b in
                let ta = fitCounts[a] == 0 ? Double.infinity : fitSeconds[a] / Double(fitCounts[a])
                let tb = fitCounts[b] == 0 ? Double.infinity : fitSeconds[b] / Double(fitCounts[b])
                if ta != tb { return ta > tb }
                if ta == .infinity && costs[a] != costs[b] { return costs[a] > costs[b] }
                return a < b
            }
            for m in order {
                for f in 0..<folds {
                    if onCaller[m] { callerQueue.append(.fit(c, model: m, fold: f)) } else { engineQueue.append(.fit(c, model: m, fold: f)) }
                }
            }
            condition.broadcast()
        }
    }

    /// Configuration `c`'s prepared data (nil once it is scored).
    func data(_ c: Int) -> PreparedConfiguration? { locked { prepared[c] } }

    /// Records a fit's outcome; queues the scoring when it was the configuration's last fit.
    func fitted(_ outcome: FitOutcome, at c: Int, model m: Int, fold f: Int, byWorker: Bool) {
        locked {
            if byWorker { busyWorkers -= 1 }
            outcomes[c]![m][f] = outcome
            fitSeconds[m] += outcome.fitSeconds
            fitCounts[m] += 1
            foldsLeft[c]![m] -= 1
            if foldsLeft[c]![m] == 0 { news.append(.runFinished(c, model: m)) }
            fitsLeft[c]! -= 1
            if fitsLeft[c]! == 0 {
                modelSeconds[c] = Date().timeIntervalSince(preparedAt[c] ?? Date())
                scoreQueue.append(c)
            }
            condition.broadcast()
        }
    }

    /// Wall seconds from configuration `c`'s preparation to its last fit (call when all are in).
    func modelSeconds(_ c: Int) -> Double { locked { modelSeconds[c] ?? 0 } }

    /// Configuration `c`'s fit outcomes, `[model][fold]` (call when all are in).
    func outcomes(_ c: Int) -> [[FitOutcome]] { locked { outcomes[c]!.map { $0.map { $0! } } } }

    /// Records a scored configuration and releases its data.
    func scored(_ result: ScoredConfiguration, at c: Int) {
        locked {
            busyWorkers -= 1
            prepared[c] = nil
            outcomes[c] = nil
            preparedAt[c] = nil
            modelSeconds[c] = nil
            inFlight -= 1
            remaining -= 1
            news.append(.scored(c, result))
            condition.broadcast()
        }
    }

    /// Marks a worker's task as ended without a result (it failed; ``stop(_:)`` was called).
    func abandoned() {
        locked {
            busyWorkers -= 1
            condition.broadcast()
        }
    }
}
