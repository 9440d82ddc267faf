import Foundation

/// What `rally.tune` runs: one model kind, a grid of its parameters, an outer schedule
/// (walk-forward folds) and how inner folds are cut from each outer fold's training rows.
/// It is not a sweep of labelers: the grid holds model parameters, and the choice among them is
/// made per outer fold from inner folds only.
public struct TunePlan: Sendable {
    /// Features, labeler, the outer schedule, the bootstrap of the outer figures, metric settings, threads.
    public var evaluation: EvaluationPlan
    /// The model kind (a built-in).
    public var kind: String
    /// Parameters every candidate shares.
    public var shared: ModelParameters
    /// The model parameters to choose among (every combination is a candidate).
    public var grid: SweepGrid
    /// The figure that chooses (the highest wins; the lowest for a loss).
    public var metric: Metric
    /// Inner folds per outer fold.
    public var innerFolds: Int
    /// Each inner test period.
    public var innerStep: WalkForward.Step

    /// Creates a plan.
    public init(evaluation: EvaluationPlan, kind: String, shared: ModelParameters = [:], grid: SweepGrid, metric: Metric = .prAUC,
                innerFolds: Int = 1, innerStep: WalkForward.Step = .years(1)) {
        self.evaluation = evaluation
        self.kind = kind
        self.shared = shared
        self.grid = grid
        self.metric = metric
        self.innerFolds = innerFolds
        self.innerStep = innerStep
    }

    /// The candidates in grid order, each named by its grid values (`max_depth=3 eta=0.05`).
    /// A gbdt candidate gets one XGBoost thread unless `shared` says otherwise (two fit at once).
    public func candidates() throws -> [ModelSpec] {
        guard grid.count <= EntryPointOptions.maximumTuneGrid else {
            throw RallyError("tune: the grid has \(grid.count) points; at most \(EntryPointOptions.maximumTuneGrid)", option: "grid")
        }
        return try grid.combinations().map { values in
            var parameters = shared
            if kind == "gbdt" && parameters["nthread"] == nil { parameters["nthread"] = .number(1) }
            for v in values { parameters[v.name] = v.value }
            let name = values.isEmpty ? kind : values.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
            do {
                return try ModelSpec(kind: kind, parameters: parameters, name: name)
            } catch let error as RallyError {
                throw RallyError("tune: \(name): \(error.message)", option: "grid")
            }
        }
    }
}

/// One outer fold of a tuning run: its split, the inner splits cut from its training rows, the
/// candidate they chose and the inner figures the choice rested on (for diagnosis; they score
/// the candidates on rows the outer model trains on, so they are not results).
public struct TuneFold: Sendable {
    /// The outer split.
    public var split: TimeSplit
    /// The inner splits, in time order.
    public var inner: [TimeSplit]
    /// Index of the chosen candidate.
    public var chosen: Int
    /// Each candidate's inner figure (the plan's metric on the pooled inner test rows).
    public var innerScores: [Double]
}

/// What a nested walk-forward produced: the tuned model's figures on the pooled outer test rows
/// (each outer fold scored by the candidate its inner folds chose), each fixed candidate's
/// figures on the same rows, and the candidate a choice on those test rows would have made.
public struct TuneResult: Sendable {
    /// The plan.
    public var plan: TunePlan
    /// The candidates, in grid order.
    public var candidates: [ModelSpec]
    /// The outer folds.
    public var folds: [TuneFold]
    /// The tuned model's figures on the pooled outer test rows.
    public var tuned: MetricValues
    /// Their 95% intervals.
    public var tunedIntervals: [Interval]
    /// Each candidate's figures on the same rows, and their intervals.
    public var fixed: [MetricValues], fixedIntervals: [[Interval]]
    /// The candidate with the best outer figure: chosen on the rows it is scored on (flattered).
    public var selectedOnTest: Int
    /// The selected candidate's figure minus the tuned model's, with its paired interval: what selection on the test rows adds.
    public var flattery: (value: Double, interval: Interval)
    /// Outer test rows and rallies among them.
    public var testRows: Int, testPositives: Int
    /// The outer evaluation's warnings (folds or figures resting on few rallies).
    public var warnings: [String]
    /// Wall seconds.
    public var seconds: Double
}

/// Nested walk-forward tuning on the one evaluation path: every inner and outer evaluation is an
/// ``Evaluator`` run (``EvaluationPipeline``) of the grid's candidates. For outer fold k the
/// candidates are evaluated on inner folds cut from k's training period (rows whose labels are
/// known before k's test period, less the embargo); the best inner figure chooses; the tuned
/// model's prediction for a test row of fold k is the chosen candidate's. The outer rows of fold k
/// are never read by its choice: perturbing them leaves the choice as it was (TuningTests).
public enum Tuning {
    /// Runs `plan` on `dataset`; `progress` hears one line per stage.
    public static func run(_ plan: TunePlan, on dataset: Dataset, progress: @escaping (String) -> Void = { _ in }) throws -> TuneResult {
        let started = Date()
        let candidates = try plan.candidates()
        let outerSplits = try plan.evaluation.schedule.folds()
        guard let step = TimeIndex(dataset.timestamps).stepSeconds, let first = dataset.timestamps.first else {
            throw RallyError("tune: the dataset's time index is not regular; a split needs a fixed step between rows")
        }
        var folds: [TuneFold] = []
        for (k, outer) in outerSplits.enumerated() {
            // inner folds are cut in market time (readings), as the outer ones are given
            let inner = try innerSplits(of: try outer.readings(in: dataset.zone), count: plan.innerFolds, step: plan.innerStep,
                                        stepSeconds: step, dataStart: dataset.zone.local(first))
            guard !inner.isEmpty else {
                throw RallyError("tune: outer fold \(k + 1) (test \(outer.testPeriod)) has no room for an inner fold of one inner_step inside its "
                                 + "training period; start the walk-forward later or give a shorter inner_step", option: "inner_step")
            }
            var innerPlan = plan.evaluation
            innerPlan.schedule = .folds(inner)
            innerPlan.bootstrap.resamples = 0
            innerPlan.keepsTrainingPredictions = false
            let scores: [Double]
            do {
                scores = try Evaluator(plan: innerPlan).run(on: dataset, models: candidates).models.map { $0.metrics[plan.metric] }
            } catch let error as RallyError where error != .interrupted {
                throw RallyError("tune: outer fold \(k + 1), inner folds: \(error.message)")
            }
            let chosen = best(scores, metric: plan.metric)
            progress("tune: fold \(k + 1) (test \(outer.testPeriod)): \(candidates[chosen].name) chosen on \(inner.count) inner fold\(inner.count == 1 ? "" : "s")")
            folds.append(TuneFold(split: outer, inner: inner, chosen: chosen, innerScores: scores))
        }
        var outerPlan = plan.evaluation
        outerPlan.bootstrap.resamples = 0
        outerPlan.keepsTrainingPredictions = false
        progress("tune: scoring \(candidates.count) candidates on \(outerSplits.count) outer fold\(outerSplits.count == 1 ? "" : "s")")
        let outer = try Evaluator(plan: outerPlan).run(on: dataset, models: candidates)
        return try score(outer, folds: folds, candidates: candidates, plan: plan, seconds: Date().timeIntervalSince(started))
    }

    /// The index of the best of `scores` for `metric` (NaN never wins; ties: the first).
    static func best(_ scores: [Double], metric: Metric) -> Int {
        var chosen = 0
        for (i, s) in scores.enumerated() where !s.isNaN {
            let current = scores[chosen]
            if current.isNaN || (metric.higherIsBetter ? s > current : s < current) { chosen = i }
        }
        return chosen
    }

    /// Inner splits of `outer`: the last `count` periods of `step` before its test start, cut so
    /// that every inner test row trains in `outer` (at or before its train end less the embargo),
    /// each trained on what precedes it within `outer`'s training window. Periods with no room
    /// before them (the data's or the window's start) are left out.
    static func innerSplits(of outer: TimeSplit, count: Int, step: WalkForward.Step, stepSeconds: Int64, dataStart: Int64) throws -> [TimeSplit] {
        let lastRow = outer.trainEnd - Int64(outer.embargoHours) * 3600
        let floor = max(dataStart, outer.trainStart ?? dataStart)
        var out: [TimeSplit] = []
        for j in stride(from: count, through: 1, by: -1) {
            let start = step.advance(outer.testStart, times: -j)
            let end = min(step.advance(outer.testStart, times: -(j - 1)), lastRow + stepSeconds)
            guard end > start, start > floor else { continue }
            out.append(try TimeSplit(trainStart: outer.trainStart, trainEnd: start - stepSeconds, testStart: start, testEnd: end,
                                     embargoHours: outer.embargoHours))
        }
        return out
    }

    /// The tuned model's pooled predictions (fold k from its chosen candidate), scored with every
    /// candidate on the same paired bootstrap.
    private static func score(_ outer: EvaluationResult, folds: [TuneFold], candidates: [ModelSpec], plan: TunePlan, seconds: Double) throws -> TuneResult {
        var tuned: [Double] = [], climatology: [Double] = []
        var start = 0
        for (k, fold) in outer.folds.enumerated() {
            let rows = start..<(start + fold.testRows)
            tuned += outer.models[folds[k].chosen].predictions[rows]
            climatology += [Double](repeating: fold.trainBaseRate, count: fold.testRows)
            start += fold.testRows
        }
        let settings = plan.evaluation.metrics
        let scorers = try [ForecastScorer(labels: outer.testLabels, probabilities: tuned, climatology: climatology, settings: settings, model: "tuned")]
            + outer.models.map { try ForecastScorer(labels: outer.testLabels, probabilities: $0.predictions, climatology: climatology, settings: settings, model: $0.name) }
        let points = scorers.map { $0.score() }
        let selected = best(points.dropFirst().map { $0[plan.metric] }, metric: plan.metric)
        let nan = Interval(lower: .nan, upper: .nan)
        var intervals = [[Interval]](repeating: Metric.allCases.map { _ in nan }, count: scorers.count)
        var flatteryInterval = nan
        if plan.evaluation.bootstrap.resamples > 0 {
            let boot = try PairedBootstrap.run(scorers: scorers, models: ["tuned"] + candidates.map(\.name), baseline: 0,
                                               scheme: plan.evaluation.bootstrap, threads: plan.evaluation.threads)
            intervals = scorers.indices.map { m in Metric.allCases.map { boot.interval(model: m, metric: $0) } }
            flatteryInterval = boot.differenceInterval(model: selected + 1, metric: plan.metric)
        }
        return TuneResult(plan: plan, candidates: candidates, folds: folds, tuned: points[0], tunedIntervals: intervals[0],
                          fixed: Array(points.dropFirst()), fixedIntervals: Array(intervals.dropFirst()), selectedOnTest: selected,
                          flattery: (points[selected + 1][plan.metric] - points[0][plan.metric], flatteryInterval),
                          testRows: outer.testLabels.count, testPositives: outer.testPositives, warnings: outer.warnings, seconds: seconds)
    }
}

extension TuneResult {
    /// `{param = value}` of candidate `c`'s grid values.
    private func parameters(_ c: Int) -> JSONValue {
        EvaluationArtifacts.json(ModelParameters(plan.grid.combinations()[c].map { ($0.name, $0.value) }))
    }

    private static func figure(_ value: Double, _ interval: Interval) -> JSONValue {
        .object([("value", .finite(value)), ("ci95", .array([.finite(interval.lower), .finite(interval.upper)]))])
    }

    /// Everything `rally.tune` returns, as JSON (Lua gets it as tables), with the text.
    public var json: JSONValue {
        let metrics = JSONValue.object(Metric.allCases.map { ($0.rawValue, Self.figure(tuned[$0], tunedIntervals[$0.index])) })
        let grid = JSONValue.array(candidates.indices.map { c in
            .object([("name", .string(candidates[c].name)), ("params", parameters(c)),
                     ("metrics", .object(Metric.allCases.map { ($0.rawValue, Self.figure(fixed[c][$0], fixedIntervals[c][$0.index])) }))])
        })
        let folds = JSONValue.array(self.folds.map { fold in
            .object([("test_start", .string(fold.split.text(.testStart)!)),
                     ("test_end", fold.split.text(.testEnd).map { .string($0) } ?? .null),
                     ("chosen", parameters(fold.chosen)), ("chosen_name", .string(candidates[fold.chosen].name)),
                     ("inner", .array(fold.inner.map { .string($0.testPeriod) })),
                     ("inner_scores", .object(candidates.indices.map { (candidates[$0].name, .finite(fold.innerScores[$0])) }))])
        })
        let m = plan.metric
        let selected = JSONValue.object([
            ("name", .string(candidates[selectedOnTest].name)), ("params", parameters(selectedOnTest)),
            (m.rawValue, Self.figure(fixed[selectedOnTest][m], fixedIntervals[selectedOnTest][m.index])),
            ("flattery", Self.figure(flattery.value, flattery.interval)),
        ])
        return .object([("model", .string(plan.kind)), ("metric", .string(m.rawValue)), ("metrics", metrics), ("folds", folds),
                        ("grid", grid), ("selected_on_test", selected),
                        ("test", .object([("rows", .integer(testRows)), ("positives", .integer(testPositives))])),
                        ("warnings", .array(warnings.map(JSONValue.string))), ("seconds", .finite(seconds)), ("text", .string(text))])
    }

    /// The result as text for the terminal.
    public var text: String {
        let m = plan.metric, key = m.rawValue
        func f(_ x: Double) -> String { x.isNaN ? "—" : Format.fixed(x, digits: 3) }
        func ci(_ i: Interval) -> String { i.lower.isNaN ? "" : " [\(f(i.lower)), \(f(i.upper))]" }
        var lines = ["tune \(plan.kind): \(candidates.count) candidates (\(plan.grid.summary)), chosen by inner \(key) on "
            + "\(plan.innerFolds) inner fold\(plan.innerFolds == 1 ? "" : "s") per outer fold; \(testRows) outer test rows, \(testPositives) rallies"]
        for (k, fold) in folds.enumerated() {
            lines.append("  fold \(k + 1)  test \(fold.split.testPeriod)  chosen: \(candidates[fold.chosen].name)")
        }
        lines.append("tuned (nested, outer rows): \(key) \(f(tuned[m]))\(ci(tunedIntervals[m.index]))")
        lines.append("selected on the outer test rows (flattered): \(candidates[selectedOnTest].name) \(key) "
            + "\(f(fixed[selectedOnTest][m]))\(ci(fixedIntervals[selectedOnTest][m.index])), \(flattery.value >= 0 ? "+" : "")\(f(flattery.value))\(ci(flattery.interval)) over tuned")
        return (lines + warnings.map { "warning: " + $0 }).joined(separator: "\n")
    }
}
