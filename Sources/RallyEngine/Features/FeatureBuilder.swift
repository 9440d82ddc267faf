import Dispatch
import RallyCore

extension FeatureSpec {
    /// ``build(on:labels:)`` with `labeler`'s threshold series, as `fx:build(ds, labeler)` asks:
    /// the labeler is applied to `dataset` only when a feature reads its threshold (`gap_to_thr`).
    /// Errors about the labeler (a failed labelling, or none given where one is needed) are
    /// about argument 2; the others about argument 1, the dataset.
    public func build(on dataset: Dataset, labeler: Labeler?) throws -> FeatureMatrix {
        var labels: LabelSeries?
        if needsThreshold {
            guard let labeler else { throw FeatureBuilder.missingThreshold.about(argument: 2) }
            do { labels = try labeler.apply(to: dataset) } catch let e as RallyError { throw e.about(argument: 2) }
        }
        do { return try build(on: dataset, labels: labels) } catch let e as RallyError { throw e.about(argument: 1) }
    }

    /// Computes every feature over `dataset`'s full time index (durations become steps of its step).
    ///
    /// `labels` supplies the threshold series for `gap_to_thr` (required when the spec has one;
    /// every labeler's threshold at t is known at t). Throws when the spec is invalid, a column
    /// is missing, the time index is not regular, or a window, lag or the horizon is longer
    /// than the data.
    ///
    /// The features read from the data are computed on two workers, in groups that share a
    /// rolling window's pass (a group's features on one worker); ratios and differences of other
    /// features follow, in order. Each feature is computed as on one thread, and the first
    /// failing feature in spec order is the error thrown.
    public func build(on dataset: Dataset, labels: LabelSeries? = nil) throws -> FeatureMatrix {
        let step = try TimeGrid.step(dataset.timestamps, for: "features")
        let spec = try resolved(every: step)
        try spec.validate()
        let start = try FeatureBuilder(spec: spec, dataset: dataset, labels: labels, step: step)
        var builder = start
        let features = spec.features
        let shares = Self.shares(of: features, workers: 2)
        let computed = WorkerSlots<Result<[Double], any Error>?>(count: features.count, initial: nil)
        DispatchQueue.concurrentPerform(iterations: shares.count) { w in
            var own = start
            for j in shares[w] {
                computed.set(j, Result { try Cancellation.check(); return try own.compute(features[j], built: []) })
            }
        }
        var columns: [[Double]] = []
        columns.reserveCapacity(features.count)
        for (j, f) in features.enumerated() {
            try Cancellation.check()
            columns.append(try computed.get(j)?.get() ?? builder.compute(f, built: columns))
        }
        return FeatureMatrix(names: names, timestamps: dataset.timestamps, columns: columns)
    }

    /// The features read from the data (not ratios or differences) split among `workers`: those
    /// of one column and window together (they share rolling sums), groups handed to the
    /// least-loaded worker, costliest first (a rolling pass 3, a calendar field 2, a shift 1).
    private static func shares(of features: [Feature], workers: Int) -> [[Int]] {
        var groups: [(key: String, cost: Int, members: [Int])] = []
        for (j, f) in features.enumerated() {
            let key: String, cost: Int
            switch f.source {
            case .rolling(let c, _, let w), .relativeToMean(let c, let w), .knownAheadRelative(let c, let w): (key, cost) = ("\(c)\u{1}\(w)", 3)
            case .calendar: (key, cost) = ("\u{2}\(j)", 2)
            case .lag, .gapToThreshold, .knownAhead: (key, cost) = ("\u{2}\(j)", 1)
            case .ratio, .difference: continue
            }
            if let g = groups.firstIndex(where: { $0.key == key }) {
                groups[g].members.append(j)
            } else {
                groups.append((key, cost, [j]))
            }
        }
        var shares = [[Int]](repeating: [], count: max(1, min(workers, groups.count))), loads = [Int](repeating: 0, count: shares.count)
        for group in groups.enumerated().sorted(by: { ($0.element.cost, -$0.offset) > ($1.element.cost, -$1.offset) }).map(\.element) {
            let w = loads.indices.min { loads[$0] < loads[$1] }!
            shares[w] += group.members
            loads[w] += group.cost
        }
        return shares
    }
}

/// Computes the features of one spec over one dataset, sharing rolling results between features.
/// The spec is resolved (``FeatureSpec/resolved(every:)``): its every count is in steps.
private struct FeatureBuilder {
    let spec: FeatureSpec
    let horizon: Int
    let dataset: Dataset
    let thresholds: [Double]?
    let step: Int64
    var rolling: [String: [Double]] = [:]
    var n: Int { dataset.count }

    /// What a build of a spec with `gap_to_thr` and no labels throws.
    static let missingThreshold = RallyError("features: gap_to_thr needs the labeler's threshold series: build with a labeler")

    init(spec: FeatureSpec, dataset: Dataset, labels: LabelSeries?, step: Int64) throws {
        self.spec = spec
        self.dataset = dataset
        self.step = step
        horizon = Self.steps(spec.horizon)
        if spec.needsThreshold {
            guard let labels else { throw Self.missingThreshold }
            guard labels.thresholds.count == dataset.count else {
                throw RallyError("features: the labels have \(labels.thresholds.count) rows, the dataset \(dataset.count)")
            }
        }
        thresholds = labels?.thresholds
        let readsAhead = spec.features.contains {
            switch $0.source { case .knownAhead, .knownAheadRelative: true; default: false }
        }
        if readsAhead && horizon >= dataset.count {
            throw RallyError("features: horizon \(horizon) is longer than the data (\(dataset.count) rows)")
        }
        for f in spec.features {
            for c in f.columns { _ = try TimeGrid.column(c, in: dataset, for: "features: feature '\(f.name)'") }
            let reach: Int
            switch f.source {
            case .lag(_, let k): reach = Self.steps(k) + 1
            case .rolling(_, _, let w), .relativeToMean(_, let w), .knownAheadRelative(_, let w): reach = Self.steps(w)
            default: reach = 0
            }
            if reach > dataset.count {
                throw RallyError("features: feature '\(f.name)' reaches \(reach) rows back, longer than the data (\(dataset.count) rows)")
            }
        }
    }

    private func column(_ name: String) -> [Double] { dataset.column(named: name)! }

    /// A count of the resolved spec.
    private static func steps(_ count: StepCount) -> Int {
        guard let n = count.stepsGiven else { preconditionFailure("the spec is resolved before it is built") }
        return n
    }

    private mutating func trailing(_ c: String, _ statistic: RollingStatistic, _ count: StepCount) throws -> [Double] {
        let window = Self.steps(count)
        func key(_ s: RollingStatistic) -> String { "\(c)\u{1}\(s)\u{1}\(window)" }
        if let cached = rolling[key(statistic)] { return cached }
        let bothMoments = spec.features.contains { $0.source == .rolling(column: c, statistic: .std, window: count) }
        if statistic == .mean || statistic == .std, bothMoments {
            // One pass gives both; protocol v1 asks for both over the same windows.
            let moments = try RollingMoments.compute(column(c), window: window)
            rolling[key(.mean)] = moments.mean
            rolling[key(.std)] = moments.std
            return statistic == .mean ? moments.mean : moments.std
        }
        let values = try statistic.apply(column(c), window: window)
        rolling[key(statistic)] = values
        return values
    }

    private func built(_ name: String, _ columns: [[Double]]) -> [Double] {
        columns[spec.features.firstIndex { $0.name == name }!]
    }

    /// `a[i] / b[i]`, NaN where b is 0 (an undefined ratio is missing, never infinite).
    private static func divide(_ a: [Double], _ b: [Double]) -> [Double] {
        [Double](unsafeUninitializedCapacity: a.count) { out, initialized in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    for i in 0..<a.count { out[i] = b[i] == 0 ? .nan : a[i] / b[i] }
                }
            }
            initialized = a.count
        }
    }

    /// `x[t - k]` (k > 0: a lag, NaN before the start) or `x[t + |k|]` (k < 0: ahead, NaN past the end).
    private func shifted(_ x: [Double], by k: Int) -> [Double] {
        let gap = [Double](repeating: .nan, count: min(abs(k), n))
        if k >= 0 { return gap + x[0..<(n - gap.count)] }
        return Array(x[gap.count..<n]) + gap
    }

    /// `x[t + horizon]` of column `c`, NaN where that value is a forecast vintage published
    /// after t (``Dataset/published``): known ahead only once it is known.
    private func ahead(_ c: String) -> [Double] {
        var x = shifted(column(c), by: -horizon)
        guard let published = dataset.published[c] else { return x }
        let times = dataset.timestamps
        for t in 0..<max(0, n - horizon) where published[t + horizon] > times[t] { x[t] = .nan }
        return x
    }

    mutating func compute(_ f: Feature, built columns: [[Double]]) throws -> [Double] {
        switch f.source {
        case .lag(let c, let k):
            return shifted(column(c), by: Self.steps(k))
        case .rolling(let c, let s, let w):
            return try trailing(c, s, w)
        case .relativeToMean(let c, let w):
            return Self.divide(column(c), try trailing(c, .mean, w))
        case .gapToThreshold(let c):
            return Self.divide(column(c), thresholds!)
        case .calendar(let field):
            return calendar(field)
        case .knownAhead(let c):
            return ahead(c)
        case .knownAheadRelative(let c, let w):
            return Self.divide(ahead(c), try trailing(c, .mean, w))
        case .ratio(let a, let b):
            return Self.divide(built(a, columns), built(b, columns))
        case .difference(let a, let b):
            let (x, y) = (built(a, columns), built(b, columns))
            return (0..<n).map { x[$0] - y[$0] }
        }
    }

    /// A calendar field of the target time `time[t] + horizon * step` (computed from t's own
    /// timestamp, so it is defined even where t + horizon is past the data), in the dataset
    /// zone's local time. Day-level fields are worked out once per day.
    private func calendar(_ field: CalendarField) -> [Double] {
        let offset = Int64(horizon) * step
        var out = [Double](repeating: 0, count: n)
        var currentDay = Int64.min, dayValue = 0.0
        var holidayYear = Int.min, holidays: [Int64] = []
        let hourly = field == .hour
        let zone = dataset.zone
        for (i, t) in dataset.timestamps.enumerated() {
            let target = zone.local(t + offset)
            var day = target / TimeStamp.day
            if target % TimeStamp.day != 0 && target < 0 { day -= 1 }
            if hourly {
                out[i] = Double((target - day * TimeStamp.day) / 3600)
                continue
            }
            if day != currentDay {
                currentDay = day
                switch field {
                case .hour: break
                case .dow: dayValue = Double(TimeStamp.weekday(days: day))
                case .weekend: dayValue = TimeStamp.weekday(days: day) >= 5 ? 1 : 0
                case .month: dayValue = Double(TimeStamp.civil(days: day).month)
                case .doy:
                    let year = TimeStamp.civil(days: day).year
                    dayValue = Double(day - TimeStamp.days(year: year, month: 1, day: 1) + 1)
                case .holiday:
                    let year = TimeStamp.civil(days: day).year
                    if year != holidayYear { holidayYear = year; holidays = NERCHolidays.days(in: year) }
                    dayValue = holidays.contains(day) ? 1 : 0
                }
            }
            out[i] = dayValue
        }
        return out
    }
}
