/// The options of every entry point, declared once (type, range, default, one-line doc): the
/// Lua layer decodes option tables from these schemas, help shows them, and every number a
/// user gives is bounded here, before any arithmetic or allocation sees it.
///
/// An option that two entry points share (the bootstrap's, the metrics') is declared once, in
/// a group, and added to each schema, so it has the same limits everywhere.
public enum EntryPointOptions {
    // MARK: bounds

    /// The most bootstrap resamples: 100 times the usual 1000 (every resample keeps its
    /// figures per model in memory, so a slip such as 1e7 would exhaust it).
    public static let maximumResamples = 100_000
    /// The most steps a horizon, window, lag or embargo may span: about 114 years of hours.
    public static let maximumSteps = 1_000_000
    /// The largest seed: 2^53 - 1, so a seed survives JSON (a double) exactly.
    public static let maximumSeed = 9_007_199_254_740_991
    /// The most threads a call may ask for.
    public static let maximumThreads = 1024

    // MARK: shared groups

    /// The moving-block bootstrap's options (evaluate, sweep).
    public static let bootstrap: [OptionDeclaration] = [
        OptionDeclaration("bootstrap", .integer(0...maximumResamples), default: .number(1000),
                          doc: "moving-block bootstrap resamples of the test rows (0: no intervals)"),
        block,
        seed,
    ]

    static let block = OptionDeclaration("block", .integer(1...maximumSteps), default: .number(168),
                                         doc: "rows per bootstrap block (168: one week of hours)")
    static let seed = OptionDeclaration("seed", .integer(0...maximumSeed), default: .number(7),
                                        doc: "seed of the bootstrap's random draws (same seed, same intervals)")
    static let top = OptionDeclaration("top", .number(.fraction), default: .number(0.05),
                                       doc: "share of rows flagged for precision_at_top and lift_at_top (0.05: the top 5%)")
    static let bins = OptionDeclaration("bins", .integer(1...1000), default: .number(10),
                                        doc: "probability bins of the calibration metrics and reliability curves")

    /// The scoring options of evaluate and sweep besides the bootstrap.
    public static let scoring: [OptionDeclaration] = [
        top,
        bins,
        OptionDeclaration("baseline", .nonEmptyText, doc: "the model the others are compared with (default: the first model)"),
        OptionDeclaration("dm_lag", .integer(0...maximumSteps),
                          doc: "lag of the Diebold-Mariano HAC variance (default: the label horizon, or more for long test sets)"),
        OptionDeclaration("min_positives", .integer(0...maximumSteps), default: .number(30),
                          doc: "folds or test rows with fewer rallies than this are flagged (0: no such warnings)"),
        OptionDeclaration("quiet", .flag, default: .bool(false), doc: "no progress lines on stderr"),
    ]

    /// What is evaluated: the inputs of evaluate and sweep.
    static let inputs: [OptionDeclaration] = [
        OptionDeclaration("data", kind: .object("Dataset"), required: true, doc: "the dataset, e.g. rally.load(path)"),
        OptionDeclaration("features", kind: .object("FeatureSpec"), required: true, doc: "the features the models see, e.g. rally.features.protocol_v1()"),
        OptionDeclaration("labeler", kind: .object("Labeler"), required: true, doc: "the rally labeler, e.g. rally.labeler.quantile{...}"),
        OptionDeclaration("split", kind: .object("Split"), doc: "one train/test split (or walkforward)"),
        OptionDeclaration("walkforward", kind: .objects("Split"), doc: "walk-forward folds, as rally.walkforward makes (or split)"),
        OptionDeclaration("models", kind: .objects("Model"), required: true, doc: "the models to compare, e.g. {rally.model.naive(), rally.model.logreg{}}"),
    ]

    /// The locations of a panel (evaluate, sweep).
    static let locations = OptionDeclaration("locations", kind: .texts,
                                             doc: "a multi-location dataset's locations (names or ids, or \"all\"): each evaluated on its own, plus a panel row pooled over them")

    // MARK: entry points

    /// How many rows `ds:head(n)` and `ds:tail(n)` show.
    public static let rowCount = OptionDeclaration("n", .integer(0...1_000_000_000), default: .number(5), doc: "rows to show")

    /// `rally.evaluate{...}`.
    public static let evaluate = OptionSchema("evaluate", summary: """
        rally.evaluate{data = ds, features = fx, labeler = lab, split = sp | walkforward = folds, models = {m1, m2, ...} [, options]}
        -- fits each model on every fold, scores the pooled test predictions and returns a Result: res:table(), res:metrics(),
        res:predictions(), res:folds(), res:best(), res:write(dir). Baseline: the FIRST model in `models` unless baseline = "<model name>";
        every other model is compared with it by paired differences and Diebold-Mariano tests (DM: undefined, shown as "—", when the
        test set has fewer than 10 x (lag + 1) rows). Intervals: paired moving-block bootstrap of the test rows. A labeler horizon
        other than the feature spec's is a warning (res.warnings). Progress goes to stderr unless quiet = true.
        Panels: on a multi-location Dataset, locations = {"COMED", "AEP"} or "all" evaluates each location on its own and pools
        them in a panel row whose bootstrap resamples the same time blocks for every location; res:table() shows both, res:locations()
        lists them, res:location(name) is one location's Result, and the artifacts gain a location column. training = "global" fits
        one model per fold on every location's stacked rows (location_feature = true adds a 0/1 column per location); "both" puts
        each model per location and globally (<name>_global) in one table, with paired differences on the same rows.
        """, inputs + bootstrap + scoring + [
        OptionDeclaration("threads", .integer(1...maximumThreads), default: .number(2),
                          doc: "threads fitting built-in models and running the bootstrap"),
        locations,
        OptionDeclaration("training", .choice(PanelTraining.allCases.map(\.rawValue)), default: .string(PanelTraining.perLocation.rawValue),
                          doc: "a panel's models: one per location, one global model on every location's stacked rows, or both (<name>_global)"),
        OptionDeclaration("location_feature", .flag, default: .bool(false),
                          doc: "a global model also sees one 0/1 feature per location (location=<name>)"),
    ])

    /// `rally.sweep{...}`: evaluate's options plus the grid.
    public static let sweep = OptionSchema("sweep", summary: """
        rally.sweep{data = ds, features = fx, labeler = lab, grid = {q = {0.9, 0.95}, window = {168, 672}, ...}, models = {...},
                    split = sp | walkforward = folds [, options]} -- evaluates every model on every combination of the grid (labeler
        parameters, applied with lab:with) and returns a SweepTable, one row per configuration x model: the labeler parameters, model,
        every metric, the interval of `metric` (<metric>_lo/_hi), its difference from the baseline with its paired interval
        (<metric>_diff, _diff_lo, _diff_hi), Diebold-Mariano p-values and statistics, test rows and rallies. Each row equals what
        rally.evaluate gives with that labeler (the same pipeline); labels, features and folds are computed once per configuration.
        Built-in models run on `threads` worker threads; models written in Lua run here, meanwhile. A model's own threads come on top:
        give gbdt nthread = 1 in a sweep. The feature spec is used as given (a horizon axis moves the label, not the features' target
        step; t.warnings says so). Progress on stderr: a bar on a terminal, plain lines otherwise. Ctrl-C stops the sweep and returns
        the finished configurations (t.interrupted is true); with resume = path a rerun skips them and ends with the same table.
        Panels: on a multi-location Dataset, grid = {location = {"COMED", "AEP"} | "all", q = ...} (or locations = ...) runs every
        labeler configuration on every location (location is the outermost axis and the first column), e.g. for
        t:pivot("location", "q", "pr_auc"); the pooled panel row is rally.evaluate's (locations = ...).
        """, inputs + bootstrap + scoring + [
        OptionDeclaration("grid", kind: .table("{parameter = value or list of values, ...}"),
                          doc: "labeler parameters to vary (every combination is run); location = {names} or \"all\" runs each on those locations"),
        locations,
        OptionDeclaration("metric", .choice(Metric.allCases.map(\.rawValue)), default: .string(Metric.prAUC.rawValue),
                          doc: "the headline metric (intervals and differences are given for it)"),
        OptionDeclaration("threads", .integer(1...maximumThreads),
                          doc: "engine worker threads (default: every core)"),
        OptionDeclaration("resume", .nonEmptyText, doc: "file that keeps finished configurations; a rerun skips them"),
        OptionDeclaration("shard", kind: .table("{index = i, count = n}"),
                          doc: "run only the i-th of n disjoint parts of the grid (configurations c with c % n == i - 1); needs resume"),
    ])

    /// `rally.metrics(y, p, opts)`.
    public static let metrics = OptionSchema("metrics", summary: """
        rally.metrics(y, p [, options]) -- every metric of probabilities p against 0/1 outcomes y (Vectors or tables): roc_auc,
        pr_auc, brier, log_loss, precision_at_top, lift_at_top, brier_skill, ece, brier_reliability, brier_resolution,
        brier_uncertainty, precision/recall/f1 at `threshold`, and curve = the reliability bins {lower, upper, count, mean_p, observed}.
        """, [
        top,
        bins,
        OptionDeclaration("threshold", .number(NumberInterval(lower: 0, lowerOpen: false, upper: 1, upperOpen: false)), default: .number(0.5),
                          doc: "precision, recall and f1 call a rally when p >= threshold"),
        OptionDeclaration("climatology", .number(NumberInterval(lower: 0, lowerOpen: false, upper: 1, upperOpen: false)),
                          doc: "the reference forecast of brier_skill (default: the base rate of y)"),
    ])

    /// `rally.report{...}`.
    public static let report = OptionSchema("report", summary: """
        rally.report{[options]} -- renders the colleague-ready report from benchmark artifacts. Reads metrics.json and predictions.csv
        (required), run.json, importance.csv and sweep_thresholds.csv (when present) from `artifacts`; writes <name>.md with its SVG
        figures (<name>_<figure>.svg) and a self-contained <name>.html into `out`. Same artifacts, same bytes. windows: close-ups,
        e.g. {{from = "2017-12-26", to = "2018-01-10", title = "January 2018 cold snap"}} (default: the January 2018 cold snap and a
        summer 2018 heat spell, or the test period's first two weeks when those have no data).
        Returns {markdown = path, html = path, figures = {paths...}, notes = {...}}.
        """, [
        OptionDeclaration("artifacts", .nonEmptyText, default: .string("artifacts"), doc: "directory holding metrics.json and predictions.csv"),
        OptionDeclaration("out", .nonEmptyText, default: .string("reports"), doc: "directory the report is written to"),
        OptionDeclaration("name", .nonEmptyText, default: .string("pjm_rally_demo"), doc: "file stem of the report (no '/')"),
        OptionDeclaration("windows", kind: .table("{{from = time, to = time, title = text}, ...}"), doc: "close-up windows"),
        costRatio,
        OptionDeclaration("resamples", .integer(0...maximumResamples), default: .number(500),
                          doc: "bootstrap resamples of the reliability bands and the head-to-head comparison"),
        block,
        seed,
        bins,
        top,
    ])

    /// `rally.split{...}`.
    public static let split = OptionSchema("split", summary: """
        rally.split{train_end =, test_start =, embargo = hours [, options]} -- a train/test split in time. embargo drops the last
        training rows so no label reads past train_end: it must be at least the label horizon, checked now when `horizon` is given
        and again at evaluation.
        """, [
        OptionDeclaration("train_end", kind: .time, required: true, doc: "last time a training label may read (a date alone: the end of that day)"),
        OptionDeclaration("test_start", kind: .time, required: true, doc: "first test time"),
        OptionDeclaration("test_end", kind: .time, doc: "end of the test period (exclusive)"),
        OptionDeclaration("train_start", kind: .time, doc: "first training time"),
        embargo,
        horizon,
    ])

    /// The cost ratio R of alarms (report, forecast): act when p >= 1 / (1 + R).
    static let costRatio = OptionDeclaration("cost_ratio", .number(NumberInterval(lower: 0, lowerOpen: true, upper: 1e9, upperOpen: false)),
                                             default: .number(10), doc: "a missed rally costs this many false alarms")

    /// `rally.forecast{...}`.
    public static let forecast = OptionSchema("forecast", summary: """
        rally.forecast{data = ds, features = fx, labeler = lab, model = m [, at = "latest" | time, cost_ratio = R, top = 3]} -- fits a
        fresh copy of m on every row whose label is known at `at` (a label at t reads t + horizon: known when t + horizon <= at), then
        scores the rows issued at `at` and after, at most one horizon of them, and returns a Forecast: per row the issue time, the
        target hour, the threshold to beat (known at issue), the probability, the alarm (p >= 1 / (1 + R)) and the features that raised
        the log-odds most (m:explain). "latest": the first row after the last labelled one, so every open target hour is covered.
        f:table(), f:rows(), f:write(dir) (forecast.csv, forecast.json), f:model() (the fitted model).
        """, [
        OptionDeclaration("data", kind: .object("Dataset"), required: true,
                          doc: "the dataset; known-ahead columns (load forecasts) must reach the target hours (rows past the last price)"),
        OptionDeclaration("features", kind: .object("FeatureSpec"), required: true, doc: "the features the model sees, e.g. rally.features.protocol_v1()"),
        OptionDeclaration("labeler", kind: .object("Labeler"), required: true, doc: "the rally labeler (its threshold at t is the level to beat)"),
        OptionDeclaration("model", kind: .object("Model"), required: true, doc: "the model to fit (a fresh copy is fitted; m itself is unchanged)"),
        OptionDeclaration("at", .nonEmptyText, default: .string("latest"), doc: "the issue time: \"latest\" or a time \"YYYY-MM-DD[ HH:MM]\""),
        costRatio,
        OptionDeclaration("top", .integer(0...100), default: .number(3), doc: "contributing features named per row (0: none)"),
    ])

    /// The embargo of a split (hours).
    public static let embargo = OptionDeclaration("embargo", .integer(0...maximumSteps), required: true,
                                           doc: "hours before train_end in which no row trains: at least the label horizon, e.g. embargo = 24")
    /// A label horizon in steps.
    public static let horizon = OptionDeclaration("horizon", .integer(0...maximumSteps),
                                           doc: "the label horizon in steps, to check the embargo now")

    /// `rally.walkforward{...}`.
    public static let walkforward = OptionSchema("walkforward", summary: """
        rally.walkforward{first_test =, step = "year", embargo = hours, data = ds | stop = time [, options]} -- walk-forward folds as
        a list of Splits: fold k tests [first_test + k*step, first_test + (k+1)*step), cut at the end of the data (data = ds: one step
        after its last row; or stop, exclusive), and trains on everything before (expanding) or on the last `train` span (rolling).
        """, [
        OptionDeclaration("first_test", kind: .time, required: true, doc: "start of the first test period"),
        OptionDeclaration("step", .nonEmptyText, required: true, doc: "each test period: \"year\", \"month\", \"N years\" or \"N months\""),
        embargo,
        OptionDeclaration("data", kind: .object("Dataset"), doc: "the folds end one step after its last row (or stop)"),
        OptionDeclaration("stop", kind: .time, doc: "where the folds end (exclusive; or data)"),
        OptionDeclaration("window", .choice(["expanding", "rolling"]), default: .string("expanding"),
                          doc: "train on all history before each fold, or on the last `train` span"),
        OptionDeclaration("train", .nonEmptyText, doc: "a rolling window's span: \"N years\" or \"N months\""),
        horizon,
    ])

    /// `rally.dataset.synthetic{...}`.
    public static let synthetic = OptionSchema("synthetic", summary: """
        rally.dataset.synthetic{[options]} -- a PJM-like hourly Dataset with the shared file's columns (price, sys_load_fc,
        zonal_load_fc): weather-driven load forecasts, a convex supply curve, scarcity spikes. Same seed, same data. With
        locations = n: a panel of n hubs and zones (WESTERN HUB, COMED, AEP, ...) sharing that system (sys_load_fc and the system
        price, so their rallies co-occur), each with its own zone load, basis, noise, congestion and spikes: columns <name>.price and
        <name>.zonal_load_fc; ds:locations() lists them, ds:location(name) is one of them with plain column names.
        """, [
        OptionDeclaration("years", .integer(1...200), default: .number(6), doc: "years of hourly data"),
        OptionDeclaration("seed", .integer(0...maximumSeed), default: .number(1), doc: "same seed, same data"),
        OptionDeclaration("start", kind: .time, doc: "first hour (default 2013-01-01 00:00)"),
        OptionDeclaration("locations", .integer(1...SyntheticPanel.maximumLocations),
                          doc: "a panel of this many locations sharing one system (default: one series, no locations)"),
    ])

    /// `rally.load(path, opts)`.
    public static let load = OptionSchema("load", summary: """
        rally.load(path [, options]) -- reads a CSV file into a Dataset; ds:report() tells what it found and did. Detects the
        delimiter, a BOM, line endings, the time column and its layout; every other cell must be a number (empty = missing).
        PJM Data Miner 2 LMP exports (long format) are pivoted per pnode (the clock is UTC unless utc_offset is given).
        """, [
        OptionDeclaration("delimiter", .choice([",", ";", "\t"]), doc: "the field separator (detected otherwise)"),
        OptionDeclaration("decimal", .choice([".", ","]), default: .string("."), doc: "the decimal mark of numbers"),
        OptionDeclaration("time", kind: .texts, doc: "the time column, or {date column, hour column} (detected otherwise)"),
        OptionDeclaration("hours", .choice(HourConvention.allCases.map(\.rawValue)),
                          doc: "an hour column's convention: beginning (0-23) or ending (1-24, PJM's HE) (detected otherwise)"),
        OptionDeclaration("format", .nonEmptyText, doc: "the time layout, e.g. \"%d/%m/%Y %H:%M\" (detected otherwise)"),
        OptionDeclaration("columns", kind: .table("{name = header, ...}"), doc: "select and rename columns"),
        OptionDeclaration("sort", .flag, default: .bool(false), doc: "sort rows by time (otherwise out-of-order times are an error)"),
        OptionDeclaration("duplicates", .choice(DuplicatePolicy.allCases.map(\.rawValue)),
                          doc: "what to do with repeated times (otherwise an error)"),
        OptionDeclaration("fill", .choice(FillPolicy.allCases.map(\.rawValue)), doc: "fill missing hours (otherwise gaps are reported)"),
        OptionDeclaration("fill_limit", .integer(0...TimeContracts.maxFillLimit), default: .number(Double(TimeContracts.defaultFillLimit)),
                          doc: "the most rows fill (and dst) may add; a bigger fill is an error naming the widest gap"),
        OptionDeclaration("dst", .choice(["us"]), doc: "US daylight saving: interpolate the missing spring hour, average the repeated autumn hour"),
        OptionDeclaration("pnodes", kind: .table("{name or id, ...}"), doc: "Data Miner exports: the pnodes to keep (names or ids)"),
        OptionDeclaration("component", .choice(LMPComponent.allCases.map(\.rawValue)), doc: "Data Miner exports: the LMP component"),
        OptionDeclaration("utc_offset", .integer(-14...14), doc: "Data Miner exports: hours to add to the UTC clock"),
    ])
}
