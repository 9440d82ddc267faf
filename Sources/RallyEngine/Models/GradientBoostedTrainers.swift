import Foundation
import RallyCore
import RallyTrees

/// gbdt's two trainers (``GradientBoostedModel/fit(_:labels:weights:)`` picks one by `trainer`):
/// rally's grower of XGBoost's hist trees and XGBoost's own boosting rounds. Each returns what
/// the fit leaves (``GradientBoostedModel/Fitted``); the model keeps it.
extension GradientBoostedModel {
    /// What a fit leaves: XGBoost's booster (XGBoost's trainer) or the trees rally grew with their
    /// model and the forest's check (rally's), the rounds kept, the threads it last ran on, the
    /// training rows' probabilities when the model keeps them (``keepsTrainingPredictions``,
    /// without early stopping), and with early stopping the best round and its validation log-loss.
    typealias Fitted = (booster: XGBooster?, grown: Grown?, rounds: Int, threads: Int, training: [Double]?, stop: (round: Int, loss: Double)?)
    typealias Grown = (trees: [BoostedTree], model: Data, check: (rows: DesignMatrix, probabilities: [Double])?)

    /// Picks the best round of early stopping from each round's validation log-loss, as rounds
    /// go; says when to stop.
    fileprivate struct EarlyStopping {
        let patience: Int
        var best = (round: -1, loss: Double.infinity)

        /// Records `loss` after `round`; true when the fit should stop.
        mutating func record(_ loss: Double, round: Int) -> Bool {
            if loss < best.loss { best = (round, loss) }
            return round - best.round >= patience
        }

        func checkedBest() throws -> (round: Int, loss: Double) {
            guard best.round >= 0 else { throw RallyError("gbdt: the validation log-loss was never a number; cannot pick a best round") }
            return best
        }
    }

    /// Fits with rally's grower of XGBoost's hist trees (``HistogramTrees``); the booster is made
    /// from their model when first needed.
    func fitHistogramTrees(_ X: DesignMatrix, labels: [Double], weights: [Double]?,
                                   rows: (train: Range<Int>, valid: Range<Int>?)) throws -> Fitted {
        let rounds = try parameters.integer("rounds"), requested = try parameters.integer("nthread")
        var governor = FitThreads(requested: requested)
        var threads = threadSchedule?(0, requested) ?? governor.current
        let trainer = try HistogramTrees(columns: X.columns, names: X.names, rows: rows.train, labels: labels[rows.train], weights: weights?[rows.train],
                                         maxBin: try parameters.integer("max_bin"), settings: try histogramSettings(), threads: threads)
        // the governor judges by the fit's own threads: this one and the trainer's helpers
        let ownClock = ThreadWaitClock()
        governor.watch {
            guard let own = ownClock.waitingSeconds, let helpers = trainer.helpersWaitingSeconds else { return nil }
            return own + helpers
        }
        var validation = rows.valid.map { ValidationMargins(columns: X.columns, rows: $0, labels: labels, weights: weights) }
        var stopping = EarlyStopping(patience: try parameters.integer("early_stopping_rounds"))
        var trees: [BoostedTree] = []
        for round in 0..<rounds {
            try Cancellation.check()
            if requested > 1 && round > 0 && round % Self.roundsBetweenThreadChecks == 0 {
                threads = threadSchedule?(round, requested) ?? governor.update()
            }
            trees.append(trainer.boost(threads: threads))
            if let loss = validation?.add(trees[trees.count - 1]), stopping.record(loss, round: round) { break }
        }
        var stop: (round: Int, loss: Double)?
        if validation != nil {
            stop = try stopping.checkedBest()
            trees = Array(trees.prefix(stop!.round + 1))
        }
        let model = BoostedTree.xgboostModel(trees, features: X.width, scalePositiveWeight: try parameters.number("scale_pos_weight"))
        let margins = trainer.margins
        let training = keepsTrainingPredictions && rows.valid == nil ? margins.map { Double(HistogramTrees.probability($0)) } : nil
        var check: (rows: DesignMatrix, probabilities: [Double])?
        if rows.valid == nil {
            let (picked, sample) = Self.checkSample(X, rows: rows.train)
            check = (sample, picked.map { TreeForest.probability(margin: margins[$0 - rows.train.lowerBound]) })
        }
        return (nil, (trees, model, check), trees.count, threads, training, stop)
    }

    /// The grower's settings from the model's parameters.
    private func histogramSettings() throws -> HistogramTrees.Settings {
        HistogramTrees.Settings(
            eta: Float(try parameters.number("eta")), maxDepth: try parameters.integer("max_depth"),
            lossGuide: try parameters.string("grow_policy") == "lossguide", maxLeaves: try parameters.integer("max_leaves"),
            minChildWeight: Float(try parameters.number("min_child_weight")),
            lambda: Float(try parameters.number("lambda")), alpha: Float(try parameters.number("alpha")),
            subsample: Float(try parameters.number("subsample")), columnSample: Float(try parameters.number("colsample_bytree")),
            scalePositiveWeight: Float(try parameters.number("scale_pos_weight")), seed: UInt64(try parameters.integer("seed")))
    }

    /// Fits with XGBoost's own boosting rounds (`trainer = "xgboost"`).
    func fitXGBoost(_ X: DesignMatrix, labels: [Double], weights: [Double]?,
                            rows: (train: Range<Int>, valid: Range<Int>?)) throws -> Fitted {
        let rounds = try parameters.integer("rounds"), requested = try parameters.integer("nthread")
        var governor = FitThreads(requested: requested)
        var threads = threadSchedule?(0, requested) ?? governor.current
        let train = try XGMatrix(X, rows: rows.train, threads: threads)
        try train.set("label", labels[rows.train])
        if let weights { try train.set("weight", weights[rows.train]) }
        var valid: XGMatrix?
        if let validRows = rows.valid {
            let v = try XGMatrix(X, rows: validRows, threads: threads)
            try v.set("label", labels[validRows])
            if let weights { try v.set("weight", weights[validRows]) }
            valid = v
        }
        let b = try XGBooster(training: [train] + (valid.map { [$0] } ?? []))
        for (name, value) in try boosterParameters() { try b.set(name, value) }
        try b.set("nthread", String(threads))
        var stopping = EarlyStopping(patience: try parameters.integer("early_stopping_rounds"))
        for round in 0..<rounds {
            try Cancellation.check()
            if requested > 1 && round > 0 && round % Self.roundsBetweenThreadChecks == 0 {
                let now = threadSchedule?(round, requested) ?? governor.update()
                if now != threads {
                    try b.set("nthread", String(now))
                    threads = now
                }
            }
            try b.update(round: round, on: train)
            guard let valid else { continue }
            if stopping.record(try b.evaluate(round: round, on: valid, name: "valid"), round: round) { break }
        }
        var stop: (round: Int, loss: Double)?
        if valid != nil {
            stop = try stopping.checkedBest()
            try b.keepFirst(stop!.round + 1)
        }
        let training = keepsTrainingPredictions && valid == nil ? try b.predict(train, rows: rows.train.count) : nil
        return (b, nil, try b.rounds(), threads, training, stop)
    }
}
