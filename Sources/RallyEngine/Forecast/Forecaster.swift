/// What `rally.forecast{...}` computes, apart from the data and the model: the features, the
/// labeler, the issue time and how alarms and reasons are made. A plan, not a result (that is
/// ``Forecast``) and not a schedule of evaluation folds.
public struct ForecastPlan: Sendable {
    /// The features the model sees.
    public var features: FeatureSpec
    /// The labeler: its labels train the model, its threshold at t is the level to beat.
    public var labeler: Labeler
    /// The issue time as a timestamp of the data; nil for "latest" (the first row after the
    /// last labelled one, so the forecast covers every open target hour).
    public var at: Int64?
    /// The issue time as the user gave it (`rally.forecast{at = ...}`): a market-time reading or
    /// an instant, resolved against the dataset's zone when the plan runs (it then sets ``at``).
    public var issueTime: SplitTime?
    /// Cost of a missed rally over the cost of a false alarm: alarm when p >= 1 / (1 + R).
    public var costRatio: Double
    /// How many top contributing features each row names.
    public var top: Int

    /// Creates a plan.
    public init(features: FeatureSpec, labeler: Labeler, at: Int64? = nil, costRatio: Double = 9, top: Int = 3) {
        self.features = features
        self.labeler = labeler
        self.at = at
        self.costRatio = costRatio
        self.top = top
    }

    /// A plan from `rally.forecast`'s decoded options (``EntryPointOptions/forecast``); `at` is
    /// "latest" or a time. Throws (about option `at`) for any other text.
    public init(_ values: OptionValues, features: FeatureSpec, labeler: Labeler) throws {
        let text = values.string("at")!
        self.init(features: features, labeler: labeler, at: nil, costRatio: values.number("cost_ratio")!, top: values.integer("top")!)
        do { issueTime = text == "latest" ? nil : try SplitTime.parse(text) } catch let e as RallyError {
            throw RallyError("\"latest\" or \(e.message)", option: "at")
        }
    }

    /// The plan with ``issueTime`` resolved in `dataset`'s zone (a repeated fall-back reading:
    /// its first instant; a skipped one: the instant of the change).
    func resolved(for dataset: Dataset) throws -> ForecastPlan {
        guard let issueTime else { return self }
        var out = self
        do { out.at = try issueTime.resolved(in: dataset.zone, latest: false, what: "at") } catch let e as RallyError {
            throw RallyError(e.message, option: "at")
        }
        return out
    }

    /// Where `rally.forecast`'s model comes from: a saved bundle, or a model fitted here on the
    /// given features and labeler.
    public enum Source {
        /// A bundle: its model as saved, its features and labeler.
        case bundle(ModelBundle)
        /// A model to fit, with the features it sees and the labeler that trains it.
        case recipe(any ModelFactory, FeatureSpec, Labeler)
    }

    /// The model source of `rally.forecast`'s decoded options: `bundle` (a Bundle, or a path
    /// read with ``ModelBundle/load(from:)``), or `model`, `features` and `labeler`.
    public static func source(_ values: OptionValues) throws -> Source {
        try checkSources(["bundle", "model", "features", "labeler"].filter { values.tree($0) != nil })
        let bundle = try values.decoded("bundle") { tree -> ModelBundle in
            switch tree {
            case .string(let path): return try ModelBundle.load(from: path)
            case .object(let o) where o.className == "Bundle": return o.value as! ModelBundle
            default: throw RallyError("a Bundle or a path expected, got \(tree.typeName)")
            }
        }
        if let bundle { return .bundle(bundle) }
        return .recipe(values.object("model", as: (any ModelFactory).self)!, values.object("features", as: FeatureSpec.self)!,
                       values.object("labeler", as: Labeler.self)!)
    }

    /// Throws unless the options name exactly one source of the model: `bundle`, or `model`
    /// with `features` and `labeler` (`given`: the option names present).
    public static func checkSources(_ given: [String]) throws {
        let recipe = ["model", "features", "labeler"]
        if given.contains("bundle") {
            if let clash = recipe.first(where: given.contains) {
                throw RallyError("give either bundle (it carries its model, features and labeler) or model, features and labeler; got bundle and \(clash)", option: clash)
            }
        } else if let missing = recipe.first(where: { !given.contains($0) }) {
            throw RallyError("\(missing == "model" ? "Model" : missing == "features" ? "FeatureSpec" : "Labeler") expected, got nil (or give bundle = path)", option: missing)
        }
    }

    /// The alarm threshold on the probability: 1 / (1 + cost ratio).
    public var alarmLevel: Double { 1 / (1 + costRatio) }
}

/// Fits a model on every row whose label is known at the issue time and scores the rows
/// issued at that time and after (at most one horizon of them), with reasons.
///
/// Leak-proof by construction: the model reads only labels known at the issue time `at`
/// (t + H <= at) and features at t <= at; a row issued at s >= at reads features up to s (and
/// the known-ahead columns at its target hour, forecasts published before s). So no forecast
/// depends on a value of the labelled series after its issue time. Not an evaluation: it
/// scores nothing against outcomes (``Forecast/Row/outcome`` only reports one the data holds).
public enum Forecaster {
    /// `rally.forecast{...}` from its decoded options (``EntryPointOptions/forecast``): with a
    /// saved bundle's model as it is, or a fresh fit of the recipe's model. The forecast, and
    /// the factory of its model (the bundle's described, or the recipe's).
    public static func run(_ values: OptionValues) throws -> (forecast: Forecast, factory: any ModelFactory) {
        let data = values.object("data", as: Dataset.self)!   // required by the schema
        switch try ForecastPlan.source(values) {
        case .bundle(let bundle):
            let plan = try ForecastPlan(values, features: bundle.features, labeler: bundle.labeler)
            return (try run(plan, on: data, bundle: bundle), try ModelSpec(describing: bundle.model))
        case .recipe(let model, let features, let labeler):
            let plan = try ForecastPlan(values, features: features, labeler: labeler)
            return (try run(plan, on: data, factory: model), model)
        }
    }

    /// Runs `plan` on `dataset` with a fresh model from `factory`. Throws when the issue time
    /// is outside the data, no row can be trained on, or no row issued at `at` or within the
    /// next horizon can be scored (naming the undefined features).
    public static func run(_ plan: ForecastPlan, on dataset: Dataset, factory: any ModelFactory) throws -> Forecast {
        let plan = try plan.resolved(for: dataset)
        let s = try Setting(plan, dataset)
        let training = s.matrix.rows(labeledBy: s.labels, knownAt: s.issued, step: s.step)
        guard !training.isEmpty else {
            throw RallyError("forecast: no row's label is known at \(TimeStamp.format(s.issued)) (a label at t is known at t + \(s.labels.horizon) steps): nothing to train on")
        }
        let scored = try s.scoredRows(plan)
        let model = try factory.make()
        try model.fit(s.matrix.design(rows: training), labels: training.map { s.labels.labels[$0] }, weights: nil)
        return try score(s, plan, scored, model: model, name: factory.name, trainingRows: training.count,
                         window: (dataset.timestamps[training[0]], dataset.timestamps[training[training.count - 1]]), bundle: nil)
    }

    /// Runs `plan` on `dataset` with the bundle's model as saved (no refit), its features and
    /// labeler replacing the plan's. Throws as ``ModelBundle/check(_:issued:)`` does when the
    /// data do not fit the bundle, and as ``run(_:on:factory:)`` when nothing can be scored.
    public static func run(_ plan: ForecastPlan, on dataset: Dataset, bundle: ModelBundle) throws -> Forecast {
        var plan = try plan.resolved(for: dataset)
        try bundle.check(dataset, issued: plan.at)
        plan.features = bundle.features
        plan.labeler = bundle.labeler
        let s = try Setting(plan, dataset)
        try bundle.check(dataset, issued: s.issued)
        let scored = try s.scoredRows(plan)
        return try score(s, plan, scored, model: bundle.model, name: bundle.name, trainingRows: bundle.training.rows,
                         window: (bundle.training.first, bundle.training.last), bundle: bundle)
    }

    /// Labels, features, step and issue row of a plan on a dataset: what both ways of running share.
    private struct Setting {
        let dataset: Dataset
        let labels: LabelSeries
        let matrix: FeatureMatrix
        let step: Int64
        /// The plan's feature spec with its durations resolved to steps of the data.
        let features: FeatureSpec
        /// The first row issued at or after the issue time, and the issue time.
        let first: Int
        let issued: Int64

        init(_ plan: ForecastPlan, _ dataset: Dataset) throws {
            self.dataset = dataset
            labels = try plan.labeler.apply(to: dataset)
            matrix = try plan.features.build(on: dataset, labels: labels)
            step = try TimeGrid.step(dataset.timestamps, for: "forecast")
            features = try plan.features.resolved(every: step)
            let times = dataset.timestamps
            guard labels.horizon >= 1 else { throw RallyError("forecast: the labeler's horizon is 0 steps: every label is known at its issue time") }
            if let at = plan.at {
                guard let start = times.first, let end = times.last, at >= start, at <= end else {
                    let z = dataset.zone
                    throw RallyError("\(z.format(at)) is outside the data (\(times.first.map(z.format) ?? "?") .. \(times.last.map(z.format) ?? "?"))", option: "at")
                }
                first = dataset.firstRow(atOrAfter: at)
                issued = at
            } else {
                guard let last = labels.labels.lastIndex(where: { !$0.isNaN }) else {
                    throw RallyError("forecast: the labeler defines no label on these data: nothing to train on")
                }
                guard last + 1 < times.count else { throw RallyError("forecast: every row's label is known: no open target hour to forecast") }
                first = last + 1
                issued = times[first]
            }
        }

        /// The rows issued from the issue time on, at most one horizon of them.
        var window: Range<Int> { first..<min(dataset.count, first + labels.horizon) }

        /// The rows of ``window`` that can be scored; throws when none can.
        func scoredRows(_ plan: ForecastPlan) throws -> [Int] {
            let scored = window.filter { matrix.usable[$0] }
            guard !scored.isEmpty else { throw unscorable(matrix, row: first, spec: features, step: step) }
            return scored
        }
    }

    /// Scores `scored` with the fitted `model` and makes the forecast.
    private static func score(_ s: Setting, _ plan: ForecastPlan, _ scored: [Int], model: any RallyModel, name: String,
                              trainingRows: Int, window trainingWindow: (Int64, Int64), bundle: ModelBundle?) throws -> Forecast {
        let times = s.dataset.timestamps, horizon = s.labels.horizon
        let X = s.matrix.design(rows: scored)
        let p = try model.predict(X)
        let reasons: Explanation? = model.canExplain ? try model.explanation(X) : nil
        let rows = scored.enumerated().map { k, t in
            Forecast.Row(issuedAt: times[t], target: target(of: times[t], plan.labeler, horizon: horizon, step: s.step), threshold: s.labels.thresholds[t],
                         probability: p[k], alarm: p[k] >= plan.alarmLevel,
                         reasons: reasons?.topDrivers(row: k, count: plan.top).map { Forecast.Reason(feature: $0.feature, contribution: $0.contribution) } ?? [],
                         outcome: s.labels.labels[t].isNaN ? nil : s.labels.labels[t])
        }
        var notes: [String] = []
        let window = s.window
        if scored.count < window.count {
            let skipped = window.filter { !s.matrix.usable[$0] }
            notes.append("\(skipped.count) of \(window.count) rows issued from \(TimeStamp.format(s.issued)) cannot be scored (a feature undefined), first \(TimeStamp.format(times[skipped[0]]))")
        }
        if s.features.horizon != .steps(horizon) {
            notes.append("the labeler's horizon (\(horizon) steps) is not the features' (\(s.features.horizon)): calendar and known-ahead features describe another hour than the target")
        }
        if reasons == nil { notes.append("model \(name) cannot explain its predictions: no reasons") }
        if let bundle { notes.append("model from a bundle, as saved (trained by rally \(bundle.versions.rally), XGBoost \(bundle.versions.xgboost), on data sha256 \(bundle.data.sha256.prefix(12))...)") }
        return Forecast(issuedAt: s.issued, horizon: horizon, step: s.step, costRatio: plan.costRatio, model: name,
                        trainingRows: trainingRows, trainingWindow: trainingWindow,
                        rows: rows, notes: notes, fitted: model, plan: plan, dataset: s.dataset, bundle: bundle)
    }

    /// The hour a label issued at `t` is about: t + horizon steps; for `daily_any`, whose label
    /// covers the whole next calendar day, that day's first hour.
    static func target(of t: Int64, _ labeler: Labeler, horizon: Int, step: Int64) -> Int64 {
        guard case .dailyAny = labeler else { return t + Int64(horizon) * step }
        var day = t / TimeStamp.day
        if t % TimeStamp.day != 0 && t < 0 { day -= 1 }
        return (day + 1) * TimeStamp.day
    }

    /// The error for a window with no scorable row: which features are undefined at `row`, and
    /// for known-ahead columns what the data must hold.
    private static func unscorable(_ matrix: FeatureMatrix, row: Int, spec: FeatureSpec, step: Int64) -> RallyError {
        let missing = matrix.names.indices.filter { matrix.columns[$0][row].isNaN }
        let ahead = spec.features.filter {
            switch $0.source { case .knownAhead, .knownAheadRelative: missing.contains(matrix.names.firstIndex(of: $0.name)!); default: false }
        }
        var message = "forecast: no row issued from \(TimeStamp.format(matrix.timestamps[row])) on can be scored: "
            + "\(missing.map { matrix.names[$0] }.joined(separator: ", ")) undefined"
        if !ahead.isEmpty {
            let through = matrix.timestamps[matrix.count - 1] + Int64(spec.horizon.stepsGiven ?? 0) * step
            message += "; known-ahead features read their column at the target hour, so the data must carry "
                + "\(Set(ahead.flatMap(\.columns)).sorted().joined(separator: ", ")) through \(TimeStamp.format(through)) "
                + "(rows after the last price, other cells empty)"
        }
        return RallyError(message)
    }
}
