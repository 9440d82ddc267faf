import Foundation

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
    /// baseline, Diebold-Mariano lag, minimum rallies and threads (when the schema gives no
    /// default, as the sweep's does not: every core the process may use).
    public init(_ values: OptionValues, features: FeatureSpec, labeler: Labeler, schedule: EvaluationSchedule) {
        self.init(features: features, labeler: labeler, schedule: schedule,
                  bootstrap: BlockBootstrap(values), metrics: MetricSettings(values),
                  baseline: values.string("baseline"), dieboldMarianoLag: values.integer("dm_lag"),
                  minimumPositives: values.integer("min_positives")!,
                  threads: values.integer("threads") ?? max(1, min(ProcessInfo.processInfo.activeProcessorCount, EntryPointOptions.maximumThreads)))
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

extension TimeSplit {
    /// The split of `rally.split`'s decoded options (``EntryPointOptions/split``).
    public init(_ values: OptionValues) throws {
        try self.init(values, trainStart: try SplitTime.option(values, "train_start", dateOnly: .startOfDay),
                      trainEnd: try SplitTime.option(values, "train_end", dateOnly: .endOfDay)!,
                      testStart: try SplitTime.option(values, "test_start", dateOnly: .startOfDay)!,
                      testEnd: try SplitTime.option(values, "test_end", dateOnly: .startOfDay))
    }

    /// The split of `rally.split`'s decoded options with its times given: the
    /// embargo in hours (or a duration of whole hours, `"1d"`), checked now against `horizon`
    /// when given. Errors name the option they concern.
    public init(_ values: OptionValues, trainStart: SplitTime?, trainEnd: SplitTime, testStart: SplitTime, testEnd: SplitTime?) throws {
        let embargo = try values.stepCount("embargo")!.hours(option: "embargo")
        try self.init(trainStart: trainStart, trainEnd: trainEnd, testStart: testStart, testEnd: testEnd, embargoHours: embargo)
        if let horizon = try Self.horizon(values, stepSeconds: nil) {
            try checkEmbargo(horizonSteps: horizon.steps, stepSeconds: horizon.stepSeconds)
        }
    }

    /// The option `horizon` (steps or a duration) as steps of the data's step, for the embargo
    /// check; nil when not given. Without data (`stepSeconds` nil) steps are hours and a
    /// duration is counted in the longest of hours, minutes or seconds that divides it.
    static func horizon(_ values: OptionValues, stepSeconds: Int64?) throws -> (steps: Int, stepSeconds: Int64)? {
        guard let horizon = values.stepCount("horizon") else { return nil }
        let step: Int64
        switch (horizon, stepSeconds) {
        case (_, let known?): step = known
        case (.steps, nil): step = 3600
        case (.span(let span), nil): step = [3600, 60, 1].first { span.seconds % $0 == 0 }!
        }
        do {
            return (try horizon.resolved(every: step, option: "horizon"), step)
        } catch let e as RallyError {
            throw RallyError(e.message, option: "horizon")
        }
    }
}

extension WalkForward {
    /// The folds of `rally.walkforward`'s decoded options (``EntryPointOptions/walkforward``):
    /// they end at `stop`, or one step after the last row of `data`.
    public static func folds(_ values: OptionValues) throws -> [TimeSplit] {
        let data = values.object("data", as: Dataset.self)
        if let data, data.timestamps.isEmpty { throw RallyError("the dataset has no rows", option: "data") }
        let span = data.map { (first: $0.timestamps.first!, last: $0.timestamps.last!, step: $0.timeIndex.stepSeconds, zone: $0.zone) }
        return try folds(values, firstTest: try SplitTime.option(values, "first_test", dateOnly: .startOfDay)!,
                         stop: try SplitTime.option(values, "stop", dateOnly: .startOfDay), data: span)
    }

    /// The folds `rally.walkforward` makes from its decoded options: `first_test`, `step`,
    /// `embargo`, `window` and `train`, and `horizon` when given (the embargo is checked against
    /// it now). The folds end at `stop`, or one step after the last of `data` (its first and
    /// last times, its step and zone). Fold boundaries are market-time readings, resolved in the
    /// zone of the data a fold is applied to: with zoned `data`, its times and an instant given
    /// for `first_test` or `stop` are read in its zone's local time (so folds run from market
    /// midnight to market midnight); with no data, an instant is read as written (its own
    /// offset). Errors name the option they concern (``RallyError/option``).
    public static func folds(_ values: OptionValues, firstTest given: SplitTime, stop givenStop: SplitTime?,
                             data: (first: Int64, last: Int64, step: Int64?, zone: MarketZone)?) throws -> [TimeSplit] {
        let stepText = values.string("step")!
        guard let step = Step.parse(stepText) else {
            throw RallyError("expected \(Step.expected), got \"\(stepText)\"", option: "step")
        }
        let embargo = try values.stepCount("embargo")!.hours(option: "embargo")
        let rowStep = data?.step ?? 3600
        func reading(_ t: SplitTime, _ option: String) throws -> Int64 {
            do { return try t.reading(in: data?.zone, what: option) } catch let e as RallyError { throw RallyError(e.message, option: option) }
        }
        let firstTest = try reading(given, "first_test")
        let stop = try givenStop.map { try reading($0, "stop") }
        let end: Int64
        switch (data, stop) {
        case (_, let stop?): end = stop
        case (let data?, nil):
            let (next, overflow) = data.zone.local(data.last).addingReportingOverflow(rowStep)
            guard !overflow else { throw RallyError("the dataset's last time has no next step", option: "data") }
            end = next
        case (nil, nil): throw RallyError("give data = ds or stop = \"YYYY-MM-DD\" to say where the folds end", option: "stop")
        }
        var window = Window.expanding
        let trainText = values.string("train")
        if values.string("window") == "rolling" {
            guard let trainText else { throw RallyError("a rolling window needs its span, e.g. train = \"2 years\"", option: "train") }
            guard let span = Step.parse(trainText) else { throw RallyError("expected \(Step.expected), got \"\(trainText)\"", option: "train") }
            window = .rolling(span)
        } else if trainText != nil {
            throw RallyError("only a rolling window has a training span (window = \"rolling\")", option: "train")
        }
        let folds = try WalkForward(firstTestStart: firstTest, end: end, step: step, window: window,
                                    embargoHours: embargo, stepSeconds: rowStep).folds()
        if let horizon = try TimeSplit.horizon(values, stepSeconds: data?.step) {
            for f in folds { try f.checkEmbargo(horizonSteps: horizon.steps, stepSeconds: horizon.stepSeconds) }
        }
        if let data, let first = folds.first {
            let lastTrainingTime = first.trainEnd - Int64(embargo) * 3600
            let dataStart = data.zone.local(data.first)
            if dataStart > lastTrainingTime {
                throw RallyError("""
                    \(TimeStamp.format(firstTest)) leaves fold 1 no training rows: the data starts at \(TimeStamp.format(dataStart)), \
                    after the fold's last training time \(TimeStamp.format(lastTrainingTime)) (first_test - one row - embargo \(embargo) h)
                    """, option: "first_test")
            }
        }
        return folds
    }
}

extension CSVOptions {
    /// The load options of `values` (decoded against ``EntryPointOptions/load``).
    public init(_ values: OptionValues) throws {
        self.init()
        if let time = values.strings("time") {
            guard time.count == 1 || time.count == 2 else {
                throw RallyError("a column name, or {date column, hour column}, expected; got \(time.count) names", option: "time")
            }
            self.time = time
        }
        if let columns = try values.decoded("columns", { try $0.stringMap() }) {
            guard !columns.isEmpty else { throw RallyError("at least one column expected", option: "columns") }
            self.columns = columns.map { ColumnSelection(name: $0.0, header: $0.1) }
        }
        pnodes = try values.decoded("pnodes") { try $0.namesOrIds() }
        locations = try values.decoded("locations") { try $0.namesOrIds() }
        delimiter = values.string("delimiter").map { $0.utf8.first! }
        decimal = values.string("decimal")!.utf8.first!
        hourConvention = values.string("hours").flatMap(HourConvention.init)
        if let format = values.string("format") {
            do { _ = try TimeFormat(format) } catch let e as RallyError { throw RallyError(e.message, option: "format") }
            self.format = format
        }
        contracts.sort = values.bool("sort")!
        contracts.duplicates = values.string("duplicates").flatMap(DuplicatePolicy.init)
        contracts.fill = values.string("fill").flatMap(FillPolicy.init)
        contracts.fillLimit = values.integer("fill_limit")!
        contracts.usDaylightSaving = values.string("dst") != nil
        component = values.string("component").flatMap { $0 == "lmp" ? .total : LMPComponent(rawValue: $0) }
        utcOffsetHours = values.integer("utc_offset")
        header = values.bool("header")
        if let zone = values.string("zone") {
            do { _ = try MarketZone.named(zone) } catch let e as RallyError { throw RallyError(e.message, option: "zone") }
            self.zone = zone
        }
    }
}
