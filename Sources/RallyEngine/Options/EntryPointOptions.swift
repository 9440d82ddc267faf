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
        OptionDeclaration("split", kind: .object("Split"), doc: "one train/test split, as rally.split makes (a list of Splits, as rally.walkforward makes, goes in walkforward = ...)"),
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
        Every pair of models is also tested on daily loss vectors (the complete calendar days of 24 test hours; a day's mean Brier
        and log loss), as the EPF literature does (epftoolbox conventions): Giacomini-White (conditional predictive ability; d_t =
        loss(i) - loss(j) on day t, instruments 1 and d_t-1, statistic T R^2 of 1 regressed on (d_t, d_t-1 d_t) signed by mean(d),
        chi-square with 2 degrees of freedom) and multivariate Diebold-Mariano (mean(d) / sqrt(var(d) / N), standard normal), both
        one-sided: p[i][j] small says model j forecasts better than model i; undefined below 11 days. In res:table() under the
        table, in metrics.json as giacomini_white and multivariate_dm, and as p-value chessboards in the report.
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
        """ + "\n" + spa.summary + "\nspa options:\n" + spa.optionLines, inputs + bootstrap + scoring + [
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
        OptionDeclaration("events", kind: .table("{alarm =, top =, threshold =, gap =, lead =} (the options of res:events)"),
                          doc: "add rally-episode columns: episodes_caught (_lo, _hi), episodes_lead_median, episodes_false_alarms_per_30d (_lo, _hi), episodes_alarm_hours_per_30d"),
        OptionDeclaration("spa", kind: .table("true or {loss = \"brier\" | \"log_loss\", resamples = n}"),
                          doc: "Hansen's SPA test and White's reality check: does the best run beat its configuration's baseline, "
                            + "allowing for the search? (spa options below; not with resume or shard)"),
    ])

    /// The fields of `rally.sweep{spa = {...}}`: Hansen's (2005) test of superior predictive ability
    /// and White's (2000) reality check over every run that is not a baseline, each against the
    /// baseline of its own configuration, on the paired moving-block resamples of the sweep's
    /// `block` and `seed`.
    public static let spa = OptionSchema("spa", summary: """
        spa = {loss = "brier", resamples = 1000} (or spa = true) -- d(k, t) = baseline loss - loss of run k at test hour t (positive:
        run k is better); H0: no run beats its baseline in expectation. Hansen's SPA statistic max(0, max_k sqrt(n) mean(d_k) / w_k),
        w_k^2 = n x the bootstrap variance of mean(d_k); p-values: the share of moving-block resamples whose recentred statistic is
        larger: consistent (the headline; runs far worse than the baseline are left out of the null), lower and upper bounds. White's
        reality check: the unstudentized max_k mean(d_k), recentred at every run's mean (the upper p-value). Shown under t:print()
        and written beside the CSV by t:write_csv(path) as <path>-metadata.json.
        """, [
        OptionDeclaration("loss", .choice(SweepSPAPlan.Loss.allCases.map(\.rawValue)), default: .string("brier"),
                          doc: "the hourly loss the runs are compared on"),
        OptionDeclaration("resamples", .integer(1...maximumResamples), default: .number(1000),
                          doc: "moving-block resamples of the test rows (block and seed: the sweep's)"),
    ])

    /// `rally.metrics(y, p, opts)`.
    public static let metrics = OptionSchema("metrics", summary: """
        rally.metrics(y, p [, options]) -- every metric of probabilities p against 0/1 outcomes y (Vectors or tables): roc_auc,
        pr_auc, brier, log_loss, precision_at_top, lift_at_top, brier_skill, ece, brier_reliability, brier_resolution,
        brier_uncertainty, precision/recall/f1 at `threshold`, and curve = the reliability bins {lower, upper, count, mean_p, observed}.
        episodes = the rally-episode figures of res:events() (rows taken as consecutive hours; no intervals here).
        """, [
        top,
        bins,
        OptionDeclaration("threshold", .number(NumberInterval(lower: 0, lowerOpen: false, upper: 1, upperOpen: false)), default: .number(0.5),
                          doc: "precision, recall and f1 call a rally when p >= threshold"),
        OptionDeclaration("climatology", .number(NumberInterval(lower: 0, lowerOpen: false, upper: 1, upperOpen: false)),
                          doc: "the reference forecast of brier_skill (default: the base rate of y)"),
    ] + episodeRules)

    // MARK: decisions: rally episodes, economic value, tuning

    /// How alarms meet rally episodes (res:events, rally.metrics).
    static let episodeRules: [OptionDeclaration] = [
        OptionDeclaration("alarm", .choice(["top", "threshold"]), default: .string("top"),
                          doc: "episodes: alarm on the `top` share of hours, or when p >= `threshold`"),
        OptionDeclaration("gap", .integer(0...maximumSteps), default: .number(0),
                          doc: "episodes: calm hours allowed inside one rally episode (and one alarm run)"),
        OptionDeclaration("lead", .integer(0...maximumSteps), default: .number(24),
                          doc: "episodes: an alarm at most this many hours before an episode's first rally hour catches it"),
    ]

    /// `res:events{...}`.
    public static let events = OptionSchema("events", summary: """
        res:events([options]) -- rally episodes, not hours: consecutive rally hours (up to `gap` calm hours apart) form an episode. Per
        model, at an alarm rule (the top share of hours, or p >= threshold): episodes, caught (share with an alarm from `lead` h before
        the first rally hour to the last), caught_early (first alarm at or before the first rally hour) and caught_late (only during
        it), lead_median / lead_q1 / lead_q3 (hours from the first alarm to the first rally hour; negative: late), false_alarms_per_30d
        (alarm runs touching no episode's window) and alarm_hours_per_30d, each {value =, ci95 = {lo, hi}} from the evaluation's block
        bootstrap: an episode or alarm run is kept whole and counted as often as its first hour is drawn. Returns {rule =, models = {...},
        text = <the table>}. The alarm at t is about t + horizon, so it warns lead + horizon hours before the rally hour.
        """, episodeRules + [
        OptionDeclaration("threshold", .number(NumberInterval(lower: 0, lowerOpen: false, upper: 1, upperOpen: false)), default: .number(0.5),
                          doc: "alarm = \"threshold\": alarm when p >= threshold"),
        top,
    ])

    /// `res:value{...}`.
    public static let value = OptionSchema("value", summary: """
        res:value([options]) -- relative economic value of the cost-loss model per model against the cost/loss ratio alpha = C/L (a
        missed rally costs 1/alpha - 1 false alarms): V = (E_climatology - E_model) / (E_climatology - E_perfect), 1 = perfect knowledge,
        0 = climatology (always or never act, whichever is cheaper), negative = worse. `calibrated`: acting when p >= alpha; `trained`:
        acting at the threshold that was cheapest on each fold's training rows (never the test rows). Bands: the evaluation's block
        bootstrap. Returns {alpha = {...}, models = {name = {calibrated =, calibrated_lo =, calibrated_hi =, trained =, trained_lo =,
        trained_hi =, thresholds = {fold = {...}}}}}.
        """, [
        OptionDeclaration("alpha", kind: .numbers(.number(NumberInterval(lower: 0, lowerOpen: true, upper: 1, upperOpen: true))),
                          doc: "cost/loss ratios, each in (0, 1), at most 1000 (default 0.01, 0.02, ..., 0.99)"),
    ])

    /// The most grid points `rally.tune` fits (each is a model fitted on every inner and outer fold).
    public static let maximumTuneGrid = 64

    /// `rally.tune{...}`.
    public static let tune = OptionSchema("tune", summary: """
        rally.tune{data = ds, features = fx, labeler = lab, walkforward = folds | split = sp, model = "gbdt", grid = {max_depth = {3, 6}, eta = {0.05, 0.1}}
        [, metric = "pr_auc", inner = 1, inner_step = "year"]} -- nested walk-forward. For each outer fold the grid's models are
        evaluated on `inner` inner folds cut from that fold's training rows only (the last inner_step periods before its test start,
        each trained on what precedes it); the best inner `metric` picks the parameters; the outer fold then scores the model with those
        parameters. Returns {folds = {{test_start =, test_end =, chosen = {param = value}}, ...}, metrics = {metric = {value =,
        ci95 =}} (the tuned model on the pooled outer test rows, bootstrap intervals), grid = {{params =, <metric> =}} (each fixed grid
        point on the same outer rows), selected_on_test = the best fixed point by `metric` on the outer rows (flattered: chosen on the
        rows it is scored on), warnings, text}. Inner scores choose; they are never reported as results.
        """, inputs.filter { $0.name != "models" } + bootstrap + [
        OptionDeclaration("model", .choice(["naive", "climatology", "logreg", "gbdt"]), default: .string("gbdt"), doc: "the model kind to tune"),
        OptionDeclaration("params", kind: .table("{parameter = value, ...}"), doc: "parameters every grid point shares (e.g. rounds = 300)"),
        OptionDeclaration("grid", kind: .table("{parameter = {values}, ...}"), required: true,
                          doc: "model parameters to choose among: every combination is a candidate (at most \(maximumTuneGrid))"),
        OptionDeclaration("metric", .choice(Metric.allCases.map(\.rawValue)), default: .string(Metric.prAUC.rawValue),
                          doc: "the figure that chooses (highest wins; lowest for losses)"),
        OptionDeclaration("inner", .integer(1...10), default: .number(1), doc: "inner folds per outer fold"),
        OptionDeclaration("inner_step", .nonEmptyText, default: .string("year"), doc: "each inner test period: \"year\", \"N months\", ..."),
        top,
        bins,
        OptionDeclaration("threads", .integer(1...maximumThreads), default: .number(2), doc: "threads fitting models"),
        OptionDeclaration("quiet", .flag, default: .bool(false), doc: "no progress lines on stderr"),
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
        rally.split{train_end =, test_start =, embargo = hours or "1d" [, options]} -- a train/test split in time. embargo drops the last
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
        rally.forecast{data = ds, features = fx, labeler = lab, model = m | data = ds, bundle = path [, at = "latest" | time, cost_ratio = R,
        top = 3]} -- fits a fresh copy of m on every row whose label is known at `at` (a label at t reads t + horizon: known when
        t + horizon <= at), or uses a bundle's model as saved with its features and labeler (m:save_bundle, rally.bundle.load), then
        scores the rows issued at `at` and after, at most one horizon of them, and returns a Forecast: per row the issue time, the
        target hour, the threshold to beat (known at issue), the probability, the alarm (p >= 1 / (1 + R)) and the features that raised
        the log-odds most (m:explain). "latest": the first row after the last labelled one, so every open target hour is covered.
        f:table(), f:rows(), f:write(dir) (forecast.csv, forecast.json), f:model() (the fitted model; m:save_bundle(path) saves it with its recipe).
        """, [
        OptionDeclaration("data", kind: .object("Dataset"), required: true,
                          doc: "the dataset; known-ahead columns (load forecasts) must reach the target hours (rows past the last price)"),
        OptionDeclaration("features", kind: .object("FeatureSpec"), doc: "the features the model sees, e.g. rally.features.protocol_v1() (not with bundle)"),
        OptionDeclaration("labeler", kind: .object("Labeler"), doc: "the rally labeler (its threshold at t is the level to beat; not with bundle)"),
        OptionDeclaration("model", kind: .object("Model"), doc: "the model to fit (a fresh copy is fitted; m itself is unchanged; not with bundle)"),
        OptionDeclaration("bundle", kind: .table("a Bundle or a path"),
                          doc: "a saved bundle (a path or rally.bundle.load(path)): its model as saved, its features and labeler"),
        OptionDeclaration("at", .nonEmptyText, default: .string("latest"), doc: "the issue time: \"latest\" or a time \"YYYY-MM-DD[ HH:MM]\" (market time, or with a UTC offset)"),
        costRatio,
        OptionDeclaration("top", .integer(0...100), default: .number(3), doc: "contributing features named per row (0: none)"),
    ])

    /// The embargo of a split (hours, or a duration of whole hours).
    public static let embargo = OptionDeclaration("embargo", .hours(0...maximumSteps), required: true,
                                           doc: "time before train_end in which no row trains: at least the label horizon, e.g. embargo = 24 or \"1d\"")
    /// A label horizon in steps (or a duration).
    public static let horizon = OptionDeclaration("horizon", .steps(0...maximumSteps),
                                           doc: "the label horizon (steps, or a duration such as \"24h\"), to check the embargo now")

    /// A label horizon in steps only (`split:rows(ds, horizon)`, on a dataset's rows).
    public static let horizonSteps = OptionDeclaration("horizon", .integer(0...maximumSteps),
                                                       doc: "the label horizon in steps, to check the embargo now")

    /// `rally.walkforward{...}`.
    public static let walkforward = OptionSchema("walkforward", summary: """
        rally.walkforward{first_test =, step = "year", embargo = hours or "1d", data = ds | stop = time [, options]} -- walk-forward folds as
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
        delimiter, a BOM, line endings, a header (or none), the time column and its layout (ISO 8601 offsets included); every other
        cell must be a number (empty = missing). Times with offsets, or naive times with zone = "America/New_York", give UTC instants
        shown in the zone's local time; naive times without a zone stay the file's wall clock. Long LMP exports (PJM Data Miner 2,
        gridstatus) are pivoted per location (ds:locations(), ds:location(name)).
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
        OptionDeclaration("dst", .choice(["us"]), doc: "naive US Eastern wall-clock files: interpolate the missing spring hour, average the repeated autumn hour"),
        OptionDeclaration("zone", .nonEmptyText, doc: "the market zone, an IANA name such as \"America/New_York\" or \"UTC\": naive times are local readings in it; calendar features use its local time"),
        OptionDeclaration("header", .flag, doc: "whether the first line is a header (detected otherwise: a line of numbers and dates is data, columns column1..n)"),
        OptionDeclaration("pnodes", kind: .table("{name or id, ...}"), doc: "Data Miner exports: the pnodes to keep (names or ids)"),
        OptionDeclaration("locations", kind: .table("{name or id, ...}"), doc: "long LMP exports (gridstatus, Data Miner): the locations to keep (names or ids)"),
        OptionDeclaration("component", .choice(LMPComponent.allCases.map(\.rawValue) + ["lmp"]), doc: "long LMP exports: the price component pivoted as price (lmp = total)"),
        OptionDeclaration("utc_offset", .integer(-14...14), doc: "Data Miner exports: hours to add to the UTC clock"),
    ])
}
