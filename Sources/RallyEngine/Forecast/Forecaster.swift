/// What `rally.forecast{...}` computes, apart from the data and the model: the features, the
/// labeler, the issue time and how alarms and reasons are made. A plan, not a result (that is
/// ``Forecast``) and not a schedule of evaluation folds.
public struct ForecastPlan: Sendable {
    /// The features the model sees.
    public var features: FeatureSpec
    /// The labeler: its labels train the model, its threshold at t is the level to beat.
    public var labeler: Labeler
    /// The issue time; nil for "latest" (the first row after the last labelled one, so the
    /// forecast covers every open target hour).
    public var at: Int64?
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
        let at: Int64?
        do { at = text == "latest" ? nil : try TimeStamp.parse(text) } catch let e as RallyError {
            throw RallyError("\"latest\" or \(e.message)", option: "at")
        }
        self.init(features: features, labeler: labeler, at: at, costRatio: values.number("cost_ratio")!, top: values.integer("top")!)
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
    /// Runs `plan` on `dataset` with a fresh model from `factory`. Throws when the issue time
    /// is outside the data, no row can be trained on, or no row issued at `at` or within the
    /// next horizon can be scored (naming the undefined features).
    public static func run(_ plan: ForecastPlan, on dataset: Dataset, factory: any ModelFactory) throws -> Forecast {
        let labels = try plan.labeler.apply(to: dataset)
        let matrix = try plan.features.build(on: dataset, labels: labels)
        let step = try TimeGrid.step(dataset.timestamps, for: "forecast")
        let features = try plan.features.resolved(every: step)
        let times = dataset.timestamps
        let horizon = labels.horizon
        guard horizon >= 1 else { throw RallyError("forecast: the labeler's horizon is 0 steps: every label is known at its issue time") }

        // the issue time and the first row issued at or after it
        let first: Int, issued: Int64
        if let at = plan.at {
            guard let start = times.first, let end = times.last, at >= start, at <= end else {
                throw RallyError("\(TimeStamp.format(at)) is outside the data (\(times.first.map(TimeStamp.format) ?? "?") .. \(times.last.map(TimeStamp.format) ?? "?"))", option: "at")
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

        let training = matrix.rows(labeledBy: labels, knownAt: issued, step: step)
        guard !training.isEmpty else {
            throw RallyError("forecast: no row's label is known at \(TimeStamp.format(issued)) (a label at t is known at t + \(horizon) steps): nothing to train on")
        }
        let window = first..<min(times.count, first + horizon)
        let scored = window.filter { matrix.usable[$0] }
        guard !scored.isEmpty else { throw unscorable(matrix, row: first, spec: features, step: step) }

        let model = try factory.make()
        try model.fit(matrix.design(rows: training), labels: training.map { labels.labels[$0] }, weights: nil)
        let X = matrix.design(rows: scored)
        let p = try model.predict(X)
        let reasons: Explanation? = model.canExplain ? try model.explanation(X) : nil

        let rows = scored.enumerated().map { k, t in
            Forecast.Row(issuedAt: times[t], target: target(of: times[t], plan.labeler, horizon: horizon, step: step), threshold: labels.thresholds[t],
                         probability: p[k], alarm: p[k] >= plan.alarmLevel,
                         reasons: reasons?.topDrivers(row: k, count: plan.top).map { Forecast.Reason(feature: $0.feature, contribution: $0.contribution) } ?? [],
                         outcome: labels.labels[t].isNaN ? nil : labels.labels[t])
        }
        var notes: [String] = []
        if scored.count < window.count {
            let skipped = window.filter { !matrix.usable[$0] }
            notes.append("\(skipped.count) of \(window.count) rows issued from \(TimeStamp.format(issued)) cannot be scored (a feature undefined), first \(TimeStamp.format(times[skipped[0]]))")
        }
        if features.horizon != .steps(horizon) {
            notes.append("the labeler's horizon (\(horizon) steps) is not the features' (\(features.horizon)): calendar and known-ahead features describe another hour than the target")
        }
        if reasons == nil { notes.append("model \(factory.name) cannot explain its predictions: no reasons") }
        return Forecast(issuedAt: issued, horizon: horizon, step: step, costRatio: plan.costRatio, model: factory.name,
                        trainingRows: training.count, trainingWindow: (times[training[0]], times[training[training.count - 1]]),
                        rows: rows, notes: notes, fitted: model)
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
