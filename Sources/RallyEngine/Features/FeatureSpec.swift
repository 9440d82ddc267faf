/// A declarative list of features and the horizon of their target step: what
/// `rally.features{...}` builds and ``build(on:labels:)`` computes.
///
/// Features are computed in order; a ratio or difference names features listed before it.
public struct FeatureSpec: Sendable, Equatable, CustomStringConvertible {
    /// Steps (or a duration) from t to the target step whose calendar and known-ahead columns are used.
    public var horizon: StepCount
    /// The features, in column order.
    public var features: [Feature]

    /// Creates a spec.
    public init(horizon: StepCount = 24, features: [Feature] = []) {
        self.horizon = horizon
        self.features = features
    }

    /// The column names, in order.
    public var names: [String] { features.map(\.name) }

    /// Whether a feature needs the labeler's threshold series.
    public var needsThreshold: Bool {
        features.contains { if case .gapToThreshold = $0.source { true } else { false } }
    }

    /// `FeatureSpec (horizon 24): lag0, lag1, ...`.
    public var description: String {
        "FeatureSpec (horizon \(horizon)): " + names.joined(separator: ", ")
    }

    /// `<FeatureSpec 19 columns, horizon 24: lag0, lag1, ...>`: one line, as every class prints in Lua.
    public var summary: String {
        "<FeatureSpec \(features.count) columns, horizon \(horizon): \(names.joined(separator: ", "))>"
    }

    /// Protocol v1 (BENCHMARK.md): 19 features of `price`, horizon 24. `gap_to_thr` divides by the
    /// threshold of the labeler passed to ``build(on:labels:)`` (the protocol's is
    /// ``Labeler/protocolV1``: quantile 0.95 over 672 steps).
    public static func protocolV1() -> FeatureSpec {
        let p = "price"
        var f: [Feature.Source] = [0, 1, 2, 23, 144].map { .lag(column: p, steps: $0) }
        f += [(RollingStatistic.mean, 24), (.std, 24), (.mean, 168), (.std, 168), (.max, 24)]
            .map { .rolling(column: p, statistic: $0.0, window: $0.1) }
        f.append(.gapToThreshold(column: p))
        f += [CalendarField.hour, .dow, .month, .weekend].map { .calendar($0) }
        for c in ["sys_load_fc", "zonal_load_fc"] {
            f += [.knownAhead(column: c), .knownAheadRelative(column: c, window: 168)]
        }
        return FeatureSpec(horizon: 24, features: f.map { Feature($0) })
    }

    /// The spec with every lag, window and the horizon in steps of `stepSeconds` (durations
    /// divided by it; names stay as given). Throws, naming the feature and the option, for a
    /// duration that is not a whole number of steps or a count outside its bounds.
    public func resolved(every stepSeconds: Int64) throws -> FeatureSpec {
        func fix(_ count: StepCount, _ minimum: Int, _ option: String, _ feature: String?) throws -> StepCount {
            do { return .steps(try count.resolved(every: stepSeconds, minimum: minimum, option: option)) } catch let e as RallyError {
                throw RallyError("features: " + (feature.map { "feature '\($0)': " } ?? "") + e.message)
            }
        }
        var out = FeatureSpec(horizon: try fix(horizon, 0, "horizon", nil), features: [])
        for f in features {
            var source = f.source
            switch f.source {
            case .lag(let c, let k): source = .lag(column: c, steps: try fix(k, 0, "lag", f.name))
            case .rolling(let c, let s, let w): source = .rolling(column: c, statistic: s, window: try fix(w, 1, "window", f.name))
            case .relativeToMean(let c, let w): source = .relativeToMean(column: c, window: try fix(w, 1, "window", f.name))
            case .knownAheadRelative(let c, let w): source = .knownAheadRelative(column: c, window: try fix(w, 1, "rel", f.name))
            case .gapToThreshold, .calendar, .knownAhead, .ratio, .difference: break
            }
            out.features.append(Feature(name: f.name, source: source))
        }
        return out
    }

    /// Checks the spec on its own (at least one feature, names unique, windows and lags valid,
    /// references defined earlier). Throws a ``RallyError`` naming the feature. Durations are
    /// checked when the spec is built on data (``resolved(every:)``).
    public func validate() throws {
        if let h = horizon.stepsGiven, h < 0 { throw RallyError("features: horizon must be >= 0 steps, got \(h)") }
        guard !features.isEmpty else {
            throw RallyError("features: the spec builds no columns; give at least one of lags, rolling, relative, gap_to_thr, calendar, exogenous")
        }
        var seen = Set<String>()
        for f in features {
            let problem: String?
            switch f.source {
            case .lag(_, let k): problem = (k.stepsGiven ?? 0) < 0 ? "lag must be >= 0 steps, got \(k)" : nil
            case .rolling(_, let s, let w): problem = w.stepsGiven.flatMap { s.problem(window: $0) }
            case .relativeToMean(_, let w), .knownAheadRelative(_, let w): problem = w.stepsGiven.flatMap { RollingStatistic.mean.problem(window: $0) }
            case .ratio(let a, let b), .difference(let a, let b):
                problem = [a, b].first { !seen.contains($0) }.map { "'\($0)' is not a feature defined before it" }
            case .gapToThreshold, .calendar, .knownAhead: problem = nil
            }
            if let problem { throw RallyError("features: feature '\(f.name)': \(problem)") }
            guard seen.insert(f.name).inserted else { throw RallyError("features: two features are named '\(f.name)'") }
        }
    }
}
