/// One fold's rows, shared read-only by every model's fit. Its design matrices are built when a
/// fit asks for them and dropped with it, so memory follows the fits running at once, not the
/// sum of every fold's training rows (an expanding walk-forward over many years would otherwise
/// hold them all).
struct EvaluationFold: Sendable {
    let index: Int
    let split: TimeSplit
    let train: [Int]
    let test: [Int]
    let trainY: [Double]
    /// The features the design matrices are drawn from (its columns are shared, not copied).
    let features: FeatureMatrix

    /// The training rows' design matrix (built on each call).
    func trainX() -> DesignMatrix { features.design(rows: train) }

    /// The test rows' design matrix (built on each call).
    func testX() -> DesignMatrix { features.design(rows: test) }

    /// The folds of `schedule` over the `kept` rows (features and label defined): each fold's
    /// training rows (the split's embargo keeps labels out of the test period) and test rows.
    /// Throws when the time index is irregular, a fold has no training or test
    /// rows, test periods overlap, or a fold's training labels hold a single class.
    static func folds(of schedule: EvaluationSchedule, dataset: Dataset, features: FeatureMatrix,
                      labels: LabelSeries, kept: [Int]) throws -> [EvaluationFold] {
        guard let step = TimeIndex(dataset.timestamps).stepSeconds else {
            throw RallyError("the dataset's time index is not regular; a split needs a fixed step between rows")
        }
        var folds: [EvaluationFold] = []
        var lastTest: Int?
        for (index, split) in try schedule.folds().enumerated() {
            try Cancellation.check()
            let bounds = try split.resolved(in: dataset.zone)
            let train = try bounds.trainRows(timestamps: dataset.timestamps, candidates: kept, horizonSteps: labels.horizon, stepSeconds: step)
            let test = bounds.testRows(timestamps: dataset.timestamps, candidates: kept)
            let name = "fold \(index + 1) (test \(split.text(.testStart)!) ..)"
            guard !train.isEmpty else { throw RallyError("\(name) has no training rows (\(split.summary))") }
            guard !test.isEmpty else { throw RallyError("\(name) has no test rows with features and label defined (\(split.summary))") }
            if let lastTest, test[0] <= lastTest {
                throw RallyError("\(name) tests rows an earlier fold already tests; test periods must not overlap")
            }
            lastTest = test.last
            let trainY = train.map { labels.labels[$0] }
            let positives = trainY.reduce(0, +)
            guard positives > 0 && positives < Double(trainY.count) else {
                throw RallyError("\(name) has \(Int(positives)) rallies in \(trainY.count) training rows; a model needs both classes to fit")
            }
            folds.append(EvaluationFold(index: index, split: split, train: train, test: test, trainY: trainY, features: features))
        }
        return folds
    }
}

/// The models of one evaluation or sweep, by name.
enum ModelLineup {
    /// Checks that no two models share a name and finds the baseline: the model named `wanted`,
    /// or the first. Errors start with `command` ("evaluate", "sweep").
    static func baseline(among names: [String], wanted: String?, command: String) throws -> Int {
        guard !names.isEmpty else { throw RallyError("\(command): no models given") }
        for (i, name) in names.enumerated() where names[..<i].contains(name) {
            throw RallyError("\(command): two models are named '\(name)'; give one a name (name = \"...\")")
        }
        guard let wanted else { return 0 }
        guard let b = names.firstIndex(of: wanted) else {
            throw RallyError("\(command): baseline '\(wanted)' is not one of the models (\(names.joined(separator: ", ")))")
        }
        return b
    }
}
