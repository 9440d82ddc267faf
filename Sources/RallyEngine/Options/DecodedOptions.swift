/// Engine settings built from decoded options (``OptionValues`` checked against the schemas of
/// ``EntryPointOptions``). The values are already within their declared bounds, so these only
/// assemble; a value a schema does not declare is a programming error, not a user's.

extension BlockBootstrap {
    /// The bootstrap of `values` (`bootstrap` or `resamples`, `block`, `seed`).
    public init(_ values: OptionValues) {
        self.init(block: values.integer("block")!,
                  resamples: values.integer("bootstrap") ?? values.integer("resamples")!,
                  seed: UInt64(values.integer("seed")!))
    }
}

extension MetricSettings {
    /// The metric settings of `values` (`top`, `bins`).
    public init(_ values: OptionValues) {
        self.init(top: values.number("top")!, calibrationBins: values.integer("bins")!)
    }
}

extension EvaluationPlan {
    /// The plan of `rally.evaluate` or `rally.sweep` options: the bootstrap, metric settings,
    /// baseline, Diebold-Mariano lag, minimum rallies and threads (default: `defaultThreads`).
    public init(_ values: OptionValues, features: FeatureSpec, labeler: Labeler, schedule: EvaluationSchedule, defaultThreads: Int) {
        self.init(features: features, labeler: labeler, schedule: schedule,
                  bootstrap: BlockBootstrap(values), metrics: MetricSettings(values),
                  baseline: values.string("baseline"), dieboldMarianoLag: values.integer("dm_lag"),
                  minimumPositives: values.integer("min_positives")!,
                  threads: values.integer("threads") ?? max(1, min(defaultThreads, EntryPointOptions.maximumThreads)))
    }
}

extension ReportOptions {
    /// The report options of `values` (the windows are decoded by the caller).
    public init(_ values: OptionValues) throws {
        self.init()
        artifacts = values.string("artifacts")!
        out = values.string("out")!
        name = values.string("name")!
        guard !name.contains("/") else { throw RallyError("option 'name': a file stem without '/' expected, got \"\(name)\"") }
        costRatio = values.number("cost_ratio")!
        bootstrap = BlockBootstrap(values)
        reliabilityBins = values.integer("bins")!
        topShare = values.number("top")!
    }
}

extension WalkForward.Step {
    /// A span such as `"year"`, `"month"`, `"2 years"`, `"3 months"`: at least one month, at
    /// most 1,000 years. Nil for any other text.
    public static func parse(_ text: String) -> WalkForward.Step? {
        let parts = text.split(separator: " ")
        let count: Int
        let unit: Substring
        switch parts.count {
        case 1: count = 1; unit = parts[0]
        case 2: guard let n = Int(parts[0]) else { return nil }; count = n; unit = parts[1]
        default: return nil
        }
        switch unit {
        case "year", "years": return (1...1000).contains(count) ? .years(count) : nil
        case "month", "months": return (1...12_000).contains(count) ? .months(count) : nil
        default: return nil
        }
    }

    /// What ``parse(_:)`` accepts, for messages.
    public static let expected = "\"year\", \"month\", \"N years\" (N up to 1000) or \"N months\" (N up to 12000)"
}
