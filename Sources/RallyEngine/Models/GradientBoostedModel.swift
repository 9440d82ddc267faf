import Foundation
import RallyCore
import RallyTrees

/// Gradient-boosted trees for binary log-loss: XGBoost's `hist` trees, grown by rally's
/// ``HistogramTrees`` (`trainer = "rally"`, the default: the trees XGBoost grows on one thread)
/// or by XGBoost's own rounds through its C API (`trainer = "xgboost"`), then held by an XGBoost
/// booster either way (for trees rally grew, made when first needed: predictions and gain
/// importance need none). NaN in X is treated as missing.
///
/// With `early_stopping_rounds > 0`, the last `validation_fraction` of the training rows (in
/// the order given, i.e. time order) is held out: boosting trains on the rest and stops when the
/// validation log-loss has not improved for that many rounds; the model keeps the rounds up to
/// the best one. Same data, parameters and `seed` give identical predictions.
///
/// Saved models are XGBoost JSON models (readable by any XGBoost); rally's parameters, feature
/// names and fit report travel as booster attributes (`rally_parameters`, `rally_features`,
/// `rally_report`).
public final class GradientBoostedModel: FeatureImportanceModel, TrainingRowPredictions {
    /// The kind declaration.
    public static let kind = ModelKind(
        name: "gbdt",
        summary: "gradient-boosted trees (XGBoost's hist method), binary log-loss; NaN is missing",
        parameters: [
            ParameterDefinition("rounds", .number(300), .integer(1...100_000), doc: "boosting rounds (trees)"),
            ParameterDefinition("eta", .number(0.05), .number(.fraction), doc: "learning rate"),
            ParameterDefinition("max_depth", .number(6), .integer(0...64), aliases: ["depth"], doc: "maximum tree depth"),
            ParameterDefinition("grow_policy", .string("depthwise"), .choice(["depthwise", "lossguide"]),
                                doc: "\"depthwise\" splits level by level; \"lossguide\" splits the best leaf first (as LightGBM)"),
            ParameterDefinition("max_leaves", .number(0), .integer(0...1_000_000), doc: "most leaves per tree (0: no limit)"),
            ParameterDefinition("min_child_weight", .number(1), .number(.nonNegative), doc: "minimum hessian sum in a leaf"),
            ParameterDefinition("subsample", .number(1), .number(.fraction), doc: "share of rows sampled for each tree"),
            ParameterDefinition("colsample_bytree", .number(1), .number(.fraction), doc: "share of features sampled for each tree"),
            ParameterDefinition("lambda", .number(1), .number(.nonNegative), doc: "L2 penalty on leaf weights"),
            ParameterDefinition("alpha", .number(0), .number(.nonNegative), doc: "L1 penalty on leaf weights"),
            ParameterDefinition("scale_pos_weight", .number(1), .number(.positive), doc: "weight multiplier of positive rows"),
            ParameterDefinition("max_bin", .number(128), .integer(2...65_535),
                                doc: "histogram bins per feature (128: ~30% faster than XGBoost's 256, same accuracy on the protocol)"),
            ParameterDefinition("seed", .number(0), .integer(0...Int(Int32.max)), doc: "random seed (row and column sampling)"),
            ParameterDefinition("nthread", .number(2), .integer(1...256), doc: "threads a fit and a prediction use"),
            ParameterDefinition("trainer", .string("rally"), .choice(["rally", "xgboost"]),
                                doc: "\"rally\" grows XGBoost's hist trees in rally (the trees XGBoost grows on one thread, faster); \"xgboost\" runs XGBoost's own rounds"),
            ParameterDefinition("early_stopping_rounds", .number(0), .integer(0...100_000),
                                doc: "stop when validation log-loss has not improved for this many rounds (0: off)"),
            ParameterDefinition("validation_fraction", .number(0.2), .number(.openFraction), needs: "early_stopping_rounds",
                                doc: "with early stopping: the last share of training rows used for validation"),
        ],
        headline: ["rounds", "max_depth", "eta"],
        // about a logistic fit's cost per 10 rounds (300 rounds: 30 logistic fits, as measured)
        cost: { Double((try? $0.integer("rounds")) ?? 300) / 10 },
        build: { try GradientBoostedModel(parameters: $0) })

    /// The importance measures ``importance(type:)`` knows (XGBoost's names).
    public static let importanceTypes = ["gain", "total_gain", "weight", "cover", "total_cover"]

    /// The model kind.
    public let kind = "gbdt"
    /// Every parameter with its effective value, in declaration order.
    public let parameters: ModelParameters
    /// Facts about the last fit, in name order (empty before fitting).
    public private(set) var fitReport = ModelParameters()
    /// Whether the model has been fitted (or loaded fitted).
    public var isFitted: Bool { loaded != nil || grownModel != nil }

    /// The booster holding the fitted trees; nil before fitting.
    private var loaded: XGBooster?
    /// Whether the booster has been made (tests: a fit and its predictions need none).
    var boosterIsLoaded: Bool { loaded != nil }
    /// The XGBoost booster of the fitted trees (nil before fitting). For trees rally's trainer
    /// grew it is made from their model at the first call (saving, explaining, importance other
    /// than gain, or a prediction the forest cannot make): a fit and its predictions need none.
    var booster: XGBooster? {
        get throws {
            if loaded == nil, let grownModel {
                let made = try XGBooster(model: grownModel)
                for (name, value) in try boosterParameters() { try made.set(name, value) }
                try made.set("nthread", String(boosterThreads))
                loaded = made
            }
            return loaded
        }
    }
    private(set) var features: [String] = []
    /// The thread count the booster was last given.
    private var boosterThreads = 0
    /// When set, the threads of the rounds from `round` on (given `nthread`), in place of
    /// ``FitThreads`` (tests switch threads mid-fit with it).
    var threadSchedule: (@Sendable (_ round: Int, _ requested: Int) -> Int)?
    /// Boosting rounds between two looks at the CPUs (``FitThreads/update()``).
    static let roundsBetweenThreadChecks = 10
    /// Whether a fit keeps its training rows' probabilities (``TrainingRowPredictions``).
    var keepsTrainingPredictions = false
    /// The last fit's training probabilities: XGBoost's prediction cache of the training
    /// matrix, which its rounds kept up to date (the same sums, tree by tree, as predicting
    /// those rows afresh). Nil with early stopping (the fit trained on part of the rows).
    private(set) var trainingPredictions: [Double]?
    /// The fitted trees laid out for prediction (``TreeForest``), made at the first prediction;
    /// `.some(nil)` when the model cannot be laid out or its first prediction failed its check.
    private var forest: TreeForest??
    /// The UBJSON model of the trees rally's trainer grew, which the forest is laid out from and
    /// the booster made from (nil when XGBoost grew or loaded the trees: the forest asks the
    /// booster for its model).
    private var grownModel: Data?
    /// The trees rally's trainer grew (nil when XGBoost grew or loaded them).
    private var grownTrees: [BoostedTree]?
    /// Training rows spread over the fit and the probabilities the trainer's own margins give
    /// them (nil with early stopping, whose margins include rounds the model drops): what the
    /// forest's first prediction is checked against when rally grew the trees. XGBoost predicts
    /// those same probabilities (the trainer's margins are its prediction cache, tests check), so
    /// the check needs no booster.
    private var grownCheck: (rows: DesignMatrix, probabilities: [Double])?
    /// Whether the forest's first prediction was checked.
    private var forestChecked = false
    /// Rows the forest's first prediction is checked on.
    static let forestCheckRows = 64

    /// A gbdt model from resolved parameters.
    init(parameters: ModelParameters) throws {
        self.parameters = parameters
    }

    /// XGBoost's training parameters (rally's names mapped to XGBoost's).
    func boosterParameters() throws -> [(String, String)] {
        var out: [(String, String)] = [
            ("objective", "binary:logistic"), ("eval_metric", "logloss"), ("tree_method", "hist"), ("verbosity", "0"),
        ]
        // nthread is set apart, from FitThreads (the trees do not depend on it)
        let direct = ["eta", "max_depth", "grow_policy", "max_leaves", "min_child_weight", "subsample", "colsample_bytree", "lambda", "alpha",
                      "scale_pos_weight", "max_bin", "seed"]
        for name in direct {
            guard let value = parameters[name] else { throw RallyError("gbdt: parameter '\(name)' missing") }
            out.append((name, value.description))
        }
        return out
    }

    /// Fits on the rows of `X` with 0/1 `labels` and optional `weights` (see ``RallyModel``).
    public func fit(_ X: DesignMatrix, labels: [Double], weights: [Double]?) throws {
        let w = try TrainingData.checkedWeights(model: kind, X, labels: labels, weights: weights)
        trainingPredictions = nil
        let patience = try parameters.integer("early_stopping_rounds")
        var trainRows = 0..<X.rows
        var validRows: Range<Int>?
        if patience > 0 {
            let held = Int((Double(X.rows) * (try parameters.number("validation_fraction"))).rounded())
            guard held >= 1 && held < X.rows else {
                throw RallyError("gbdt: validation_fraction leaves \(held) of \(X.rows) rows for validation; need at least 1 on each side")
            }
            trainRows = 0..<(X.rows - held)
            validRows = (X.rows - held)..<X.rows
        }
        let rows = (train: trainRows, valid: validRows)
        let fitted = try parameters.string("trainer") == "xgboost"
            ? try fitXGBoost(X, labels: labels, weights: weights == nil ? nil : w, rows: rows)
            : try fitHistogramTrees(X, labels: labels, weights: weights == nil ? nil : w, rows: rows)
        var report: ModelParameters = ["train_rows": .number(Double(trainRows.count))]
        if let validRows, let stop = fitted.stop {
            report["validation_rows"] = .number(Double(validRows.count))
            report["best_iteration"] = .number(Double(stop.round + 1))
            report["best_validation_logloss"] = .number(stop.loss)
        }
        report["rounds"] = .number(Double(fitted.rounds))
        loaded = fitted.booster
        trainingPredictions = fitted.training
        grownModel = fitted.grown?.model
        grownTrees = fitted.grown?.trees
        grownCheck = fitted.grown?.check
        forest = nil
        forestChecked = false
        boosterThreads = fitted.threads
        features = X.names
        fitReport = report.sortedByName
    }

    /// The probability of a rally for each row of `X`.
    public func predict(_ X: DesignMatrix) throws -> [Double] {
        guard isFitted else { try TrainingData.requireFitted(model: kind, false); return [] }
        try TrainingData.checkSameFeatures(model: kind, fitted: features, X)
        guard X.rows > 0 else { return [] }
        let requested = try parameters.integer("nthread")
        let threads = threadSchedule?(-1, requested) ?? min(requested, FitThreads.allowedCPUs())
        if threads != boosterThreads {
            try loaded?.set("nthread", String(threads))
            boosterThreads = threads
        }
        if let p = try forestPrediction(X, threads: threads) { return p }
        guard let booster = try booster else { return [] }
        return try booster.predict(XGMatrix(X, rows: 0..<X.rows, threads: threads), rows: X.rows)
    }

    /// The forest's prediction of `X`, or nil (predict with XGBoost). The first one is checked,
    /// and the forest dropped if any row differs: for trees rally grew, on training rows against
    /// the trainer's own margins (``grownCheck``); otherwise against XGBoost's prediction of
    /// rows spread over `X`.
    private func forestPrediction(_ X: DesignMatrix, threads: Int) throws -> [Double]? {
        if forest == nil {
            guard let model = try grownModel ?? booster?.ubjModel() else { return nil }
            forest = .some(TreeForest(ubj: model, features: features.count))
        }
        guard let laidOut = forest ?? nil, let p = laidOut.predict(X, threads: threads) else { return nil }
        if !forestChecked {
            guard try forestAgrees(laidOut, p, X, threads: threads) else {
                forest = .some(nil)
                return nil
            }
            forestChecked = true
        }
        return p
    }

    /// Whether the forest's prediction `p` of `X` is the reference's, bit for bit, on the rows
    /// checked (see ``forestPrediction(_:threads:)``).
    private func forestAgrees(_ laidOut: TreeForest, _ p: [Double], _ X: DesignMatrix, threads: Int) throws -> Bool {
        if let grownCheck {
            guard let q = laidOut.predict(grownCheck.rows, threads: 1) else { return false }
            return zip(q, grownCheck.probabilities).allSatisfy { $0.bitPattern == $1.bitPattern }
        }
        guard let booster = try booster else { return false }
        let (rows, sample) = Self.checkSample(X, rows: 0..<X.rows)
        let reference = try booster.predict(XGMatrix(sample, rows: 0..<rows.count, threads: threads), rows: rows.count)
        return zip(rows, reference).allSatisfy { p[$0].bitPattern == $1.bitPattern }
    }

    /// At most ``forestCheckRows`` of `rows` of `X`, spread evenly from the first, and those rows
    /// as a matrix: where the forest's first prediction is checked.
    static func checkSample(_ X: DesignMatrix, rows: Range<Int>) -> (rows: [Int], sample: DesignMatrix) {
        let step = max(1, rows.count / forestCheckRows)
        let picked = Array(stride(from: rows.lowerBound, to: rows.upperBound, by: step).prefix(forestCheckRows))
        return (picked, DesignMatrix(names: X.names, columns: X.columns.map { col in picked.map { col[$0] } }))
    }

    /// Importance by `type`: `gain` (average gain of the feature's splits, the default measure),
    /// `total_gain`, `weight` (number of splits), `cover` or `total_cover`.
    /// For trees rally grew, computed from them as XGBoost 1.7 computes it (``BoostedTree/featureScores(_:type:features:)``).
    public func importance(type: String = "gain") throws -> [(feature: String, score: Double)] {
        guard isFitted else { try TrainingData.requireFitted(model: kind, false); return [] }
        guard Self.importanceTypes.contains(type) else {
            throw RallyError("gbdt: unknown importance type '\(type)'; valid types: \(Self.importanceTypes.joined(separator: ", "))")
        }
        if let grownTrees {
            let scores = BoostedTree.featureScores(grownTrees, type: type, features: features.count)
            return zip(features, scores).map { ($0, Double($1 ?? 0)) }
        }
        guard let booster = try booster else { return [] }
        let scores = try booster.featureScores(type: type, names: features)
        return features.map { ($0, scores[$0] ?? 0) }
    }

    /// A few lines on the model and what its fit learnt.
    public func describe() -> String {
        let grower = parameters["trainer"] == .string("xgboost") ? "grown by XGBoost" : "grown by rally"
        var lines = ["gbdt: XGBoost \(XGBoost.version) hist trees \(grower), \(Self.kind.summary(of: parameters))"]
        guard isFitted else { return (lines + ["  not fitted"]).joined(separator: "\n") }
        lines.append("  fitted: \(fitReport.summary)")
        if let top = try? importance().sorted(by: { $0.score > $1.score }).prefix(5) {
            lines.append("  top features by gain: " + top.map { "\($0.feature) \(Format.number($0.score))" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    /// Writes the fitted model to `path` (``ModelFile/load(from:)`` reads it back).
    public func save(to path: String) throws {
        guard let booster = try booster else { return try TrainingData.requireFitted(model: kind, false) }
        try booster.setAttribute("rally_parameters", parameters.json)
        try booster.setAttribute("rally_features", "[" + features.map(JSONText.string).joined(separator: ", ") + "]")
        try booster.setAttribute("rally_report", fitReport.json)
        let data = try booster.jsonModel()
        try ModelFile.write(data, to: path, kind: kind)
    }

    /// Whether `data` is an XGBoost JSON model (its first key is `learner`).
    static func isXGBoostModel(_ data: Data) -> Bool {
        let head = String(decoding: data.prefix(64), as: UTF8.self).filter { !$0.isWhitespace }
        return head.hasPrefix("{\"learner\"")
    }

    /// Restores a model saved by ``save(to:)``.
    convenience init(model data: Data, path: String) throws {
        try GradientBoostedFileCheck.check(data, path: path)
        let booster = try XGBooster(model: data)
        func decoded<T: Decodable>(_ key: String, as type: T.Type) throws -> T {
            guard let text = try booster.attribute(key) else {
                throw RallyError("'\(path)': XGBoost model lacks rally's attribute '\(key)' (was it saved by rally?)")
            }
            do { return try JSONDecoder().decode(T.self, from: Data(text.utf8)) } catch {
                throw RallyError("'\(path)': cannot read attribute '\(key)' (\(ModelFile.decodingProblem(error, data: Data(text.utf8))))")
            }
        }
        let saved = try decoded("rally_parameters", as: [String: ParameterValue].self)
        let report = try decoded("rally_report", as: [String: ParameterValue].self)
        var given = ModelParameters()
        for p in Self.kind.parameters { if let v = saved[p.name] { given[p.name] = v } }
        for (k, v) in saved.sorted(by: { $0.key < $1.key }) where given[k] == nil { given[k] = v }
        let resolved: ModelParameters
        do { resolved = try Self.kind.resolve(given) } catch let e as RallyError { throw RallyError(MessageText.bounded("'\(path)': \(e.message)")) }
        try self.init(parameters: resolved)
        try booster.set("nthread", String(try resolved.integer("nthread")))
        self.boosterThreads = try resolved.integer("nthread")
        self.features = try decoded("rally_features", as: [String].self)
        self.loaded = booster
        self.fitReport = ModelParameters(report.map { ($0.key, $0.value) }).sortedByName
    }
}
