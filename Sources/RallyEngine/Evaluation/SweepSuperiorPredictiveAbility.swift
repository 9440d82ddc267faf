import Foundation

/// What a sweep's `spa = {...}` asks for: the loss the runs are compared on and the number of
/// moving-block resamples (block and seed are the sweep's own bootstrap settings).
public struct SweepSPAPlan: Sendable, Equatable {
    /// The per-row loss the differentials are taken on.
    public enum Loss: String, Sendable, CaseIterable {
        /// (p − y)².
        case brier
        /// The clipped log loss.
        case logLoss = "log_loss"
    }

    /// The loss.
    public var loss: Loss
    /// Moving-block resamples of the test rows.
    public var resamples: Int

    /// A plan; `resamples` is bounded by ``EntryPointOptions/spa``'s rule.
    public init(loss: Loss = .brier, resamples: Int = 1000) {
        self.loss = loss
        self.resamples = resamples
    }

    /// The plan of `spa = true` or `spa = {...}`, or nil for `spa = false`.
    public static func requested(_ tree: OptionTree) throws -> SweepSPAPlan? {
        if case .bool(false) = tree { return nil }
        return try SweepSPAPlan(options: tree)
    }

    /// The plan of `spa = true` or `spa = {loss = "brier", resamples = 1000}`, each field
    /// checked by the rules of ``EntryPointOptions/spa``.
    public init(options tree: OptionTree) throws {
        if case .bool(true) = tree { self.init(); return }
        let o = try OptionReader(tree, path: "spa", expected: "true or table {loss = \"brier\" | \"log_loss\", resamples = n}")
        var given: [String: ParameterValue] = [:]
        for declaration in EntryPointOptions.spa.options {
            guard let field = o.field(declaration.name) else { continue }
            let value: ParameterValue
            switch field {
            case .number(let x, _): value = .number(x)
            case .string(let s): value = .string(s)
            case .bool(let b): value = .bool(b)
            default: throw o.error(declaration.name, "\(declaration.kind.summary) expected, got \(field.typeName) (\(declaration.doc))")
            }
            if case .scalar(let rule) = declaration.kind, let problem = rule.problem(value) {
                throw o.error(declaration.name, "\(problem) (\(declaration.doc))")
            }
            given[declaration.name] = value
        }
        try o.finish()
        let values = try OptionValues(EntryPointOptions.spa, given: given)
        self.init(loss: Loss(rawValue: values.string("loss")!)!, resamples: values.integer("resamples")!)
    }
}

/// The SPA test of a finished sweep: every run that is not a baseline against the baseline of its
/// own configuration, on the hourly losses of the test rows every configuration shares, with the
/// sweep's moving-block bootstrap. Hansen's studentized SPA is the headline; White's reality check
/// (unstudentized, upper p-value) is given beside it. Not a ranking of the runs.
public struct SweepSPA: Sendable {
    /// The plan.
    public let plan: SweepSPAPlan
    /// The runs tested (`gbdt q=0.95 window=672`), in grid then model order.
    public let runs: [String]
    /// The baseline model.
    public let baseline: String
    /// Test rows shared by every configuration, and rows of some configurations left out.
    public let rows: Int, rowsLeftOut: Int
    /// The resampling scheme (the sweep's block and seed, the plan's resamples).
    public let scheme: BlockBootstrap
    /// Mean loss gain over the baseline (baseline loss − run loss) per run.
    public let meanGains: [Double]
    /// Hansen's SPA (studentized) and the unstudentized test whose upper p-value is White's reality check.
    public let hansen: SuperiorPredictiveAbility, unstudentized: SuperiorPredictiveAbility
    /// Wall seconds of the resampling and the test.
    public let seconds: Double

    /// White's reality check p-value.
    public var realityCheck: Double { unstudentized.pValues.upper }

    /// Three lines under the sweep table.
    public var text: String {
        let best = hansen.best
        let p = hansen.pValues
        // a bootstrap p-value of 0 says no resample went beyond: p < 1/B
        let floor = "< " + Format.number(1 / Double(scheme.resamples))
        func shown(_ x: Double) -> String { x == 0 ? floor : ComparisonTable.pValue(x) }
        return """
        SPA: does the best of \(runs.count) runs beat its configuration's '\(baseline)' on \(plan.loss == .brier ? "Brier" : "log") loss, allowing for the search? \
        \(rows) test rows\(rowsLeftOut > 0 ? " shared by every configuration (\(rowsLeftOut) rows of some left out)" : ""), \
        \(scheme.resamples) moving-block resamples (block \(scheme.block), seed \(scheme.seed))
          Hansen SPA p = \(shown(p.consistent)) (consistent; lower \(shown(p.lower)), upper \(shown(p.upper))), \
        statistic \(Format.fixed(hansen.statistic, digits: 2)); White's reality check p = \(shown(realityCheck))
          largest studentized gain: \(runs[best]), mean loss gain \(Self.signed(meanGains[best])) per hour
        """
    }

    private static func signed(_ x: Double) -> String { (x >= 0 ? "+" : "") + String(format: "%.3e", x) }

    /// The sweep CSV's metadata (`<file>.csv-metadata.json`, beside the CSV).
    public var json: JSONValue {
        let best = hansen.best
        return .object([("superior_predictive_ability", .object([
            ("question", .string("does the best run beat the baseline of its own configuration, allowing for the search over every run?")),
            ("loss", .string(plan.loss.rawValue)),
            ("differential", .string("baseline loss - run loss per test row (positive: the run is better)")),
            ("baseline", .string(baseline)), ("runs", .integer(runs.count)),
            ("rows", .integer(rows)), ("rows_left_out", .integer(rowsLeftOut)),
            ("bootstrap", .object([("kind", .string("moving block")), ("resamples", .integer(scheme.resamples)),
                                   ("block", .integer(scheme.block)), ("seed", EvaluationArtifacts.seed(scheme.seed))])),
            ("hansen_spa", .object([
                ("statistic", .finite(hansen.statistic)), ("p_consistent", .finite(hansen.pValues.consistent)),
                ("p_lower", .finite(hansen.pValues.lower)), ("p_upper", .finite(hansen.pValues.upper)),
            ])),
            ("reality_check", .object([("statistic", .finite(unstudentized.statistic)), ("p", .finite(realityCheck))])),
            ("best_run", .object([("run", .string(runs[best])), ("mean_loss_gain", .finite(meanGains[best]))])),
        ]))])
    }
}

/// Collects, during a sweep, each run's hourly loss differential against its configuration's
/// baseline, and runs the SPA test on them at the end. Used on the sweep's calling thread.
struct SweepSPACollector {
    let plan: SweepSPAPlan
    let settings: MetricSettings
    private var runs: [(configuration: Int, model: Int, name: String, rows: [Int], gains: [Double])] = []
    private(set) var baseline = ""

    init(plan: SweepSPAPlan, settings: MetricSettings) {
        self.plan = plan
        self.settings = settings
    }

    /// Adds the runs of one scored configuration.
    mutating func add(_ result: ScoredConfiguration) throws {
        let labels = result.testRows.map { result.labels.labels[$0] }
        let losses = try result.models.map { model -> [Double] in
            let scorer = try ForecastScorer(labels: labels, probabilities: model.predictions, settings: settings, model: model.name)
            return plan.loss == .brier ? scorer.squaredErrors : scorer.logLosses
        }
        baseline = result.models[result.baseline].name
        let at = result.configuration.values.isEmpty ? "" : " " + result.configuration.label
        for (m, model) in result.models.enumerated() where m != result.baseline {
            runs.append((result.configuration.index, m, model.name + at, result.testRows,
                         zip(losses[result.baseline], losses[m]).map { $0 - $1 }))
        }
    }

    /// The test on every collected run (nil without one), with `bootstrap`'s block and seed.
    func test(bootstrap: BlockBootstrap, threads: Int) throws -> SweepSPA? {
        guard !runs.isEmpty else { return nil }
        let started = Date()
        let ordered = runs.sorted { ($0.configuration, $0.model) < ($1.configuration, $1.model) }
        var common = Set(ordered[0].rows)
        for run in ordered.dropFirst() { common.formIntersection(run.rows) }
        let differentials = ordered.map { run in run.rows.indices.filter { common.contains(run.rows[$0]) }.map { run.gains[$0] } }
        let rows = differentials[0].count
        let most = ordered.map(\.rows.count).max() ?? 0
        guard rows > bootstrap.block else {
            throw RallyError("sweep: spa: the configurations share \(rows) test rows; a block of \(bootstrap.block) rows needs more")
        }
        let scheme = BlockBootstrap(block: bootstrap.block, resamples: plan.resamples, seed: bootstrap.seed)
        let resampled = try SuperiorPredictiveAbility.resampleMeans(differentials, scheme: scheme, threads: threads)
        let means = differentials.map { $0.reduce(0, +) / Double(rows) }
        let variances = SuperiorPredictiveAbility.bootstrapVariances(means: means, resampleMeans: resampled, rows: rows)
        let hansen = try SuperiorPredictiveAbility.test(means: means, resampleMeans: resampled, variances: variances, rows: rows, studentize: true)
        let plain = try SuperiorPredictiveAbility.test(means: means, resampleMeans: resampled, variances: variances, rows: rows, studentize: false)
        return SweepSPA(plan: plan, runs: ordered.map(\.name), baseline: baseline, rows: rows, rowsLeftOut: most - rows, scheme: scheme,
                        meanGains: means, hansen: hansen, unstudentized: plain, seconds: Date().timeIntervalSince(started))
    }
}

extension SweepResult {
    /// The metadata file beside a CSV at `path` (the W3C "CSV on the Web" convention:
    /// `sweep.csv` → `sweep.csv-metadata.json`).
    public static func metadataPath(csv path: String) -> String { path + "-metadata.json" }

    /// Writes the table's CSV to `path` (atomically; the same bytes with or without an SPA
    /// test) and, when the sweep ran the SPA test, its result beside it
    /// (``metadataPath(csv:)``); returns the paths written.
    public func writeCSV(to path: String) throws -> [String] {
        try AtomicFile.write(table.csv(), to: path)
        guard let spa else { return [path] }
        let metadata = Self.metadataPath(csv: path)
        try AtomicFile.write(spa.json.text(), to: metadata)
        return [path, metadata]
    }
}
