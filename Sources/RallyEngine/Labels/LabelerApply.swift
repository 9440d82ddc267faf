extension Labeler {
    /// Labels every row of `dataset` (NaN where undefined) and returns the threshold series used.
    ///
    /// Throws when the column is missing, the time index is not regular (offsets count rows),
    /// or the window or horizon leaves no row that can be labelled.
    public func apply(to dataset: Dataset) throws -> LabelSeries {
        let user = "\(kind) labeler"
        let x = try TimeGrid.column(column, in: dataset, for: user)
        let step = try TimeGrid.step(dataset.timestamps, for: user)
        func steps(_ count: StepCount, _ option: String) throws -> Int { try self.steps(count, option, every: step) }
        switch self {
        case .quantile(_, let q, let window, let horizon):
            let (window, horizon) = (try steps(window, "window"), try steps(horizon, "horizon"))
            try Self.checkReach(window: window, horizon: horizon, rows: x.count, user: user)
            let thresholds = try RollingStatistic.quantile(q).apply(x, window: window)
            return LabelSeries(labels: try Self.exceedances(x, thresholds, horizon: horizon), thresholds: thresholds, horizon: horizon)
        case .threshold(_, let level, let horizon):
            let horizon = try steps(horizon, "horizon")
            try Self.checkReach(window: 1, horizon: horizon, rows: x.count, user: user)
            let thresholds = [Double](repeating: level, count: x.count)
            return LabelSeries(labels: try Self.exceedances(x, thresholds, horizon: horizon), thresholds: thresholds, horizon: horizon)
        case .jump(_, let rise, let horizon):
            let horizon = try steps(horizon, "horizon")
            try Self.checkReach(window: 1, horizon: horizon, rows: x.count, user: user)
            let thresholds = x.map { $0 + rise * abs($0) }
            return LabelSeries(labels: try Self.exceedances(x, thresholds, horizon: horizon), thresholds: thresholds, horizon: horizon)
        case .dailyAny(_, let rule):
            let thresholds: [Double]
            switch rule {
            case .quantile(let q, let window):
                let window = try steps(window, "window")
                try Self.checkReach(window: window, horizon: 1, rows: x.count, user: user)
                thresholds = try RollingStatistic.quantile(q).apply(x, window: window)
            case .level(let level):
                thresholds = [Double](repeating: level, count: x.count)
            }
            return try NextDayExceedance(timestamps: dataset.timestamps, values: x, step: step, user: user).labels(thresholds)
        }
    }

    private static func checkReach(window: Int, horizon: Int, rows: Int, user: String) throws {
        if horizon >= rows {
            throw RallyError("\(user): horizon \(horizon) is longer than the data (\(rows) rows): no label can be defined")
        }
        if window > rows {
            throw RallyError("\(user): window \(window) is longer than the data (\(rows) rows)")
        }
        if window - 1 + horizon >= rows {
            throw RallyError("\(user): window \(window) and horizon \(horizon) leave no row to label in \(rows) rows")
        }
    }

    /// label(t) = 1 when x[t + horizon] > threshold[t], 0 when not, NaN when either is unknown.
    private static func exceedances(_ x: [Double], _ thresholds: [Double], horizon: Int) throws -> [Double] {
        let n = x.count
        var labels = [Double](repeating: .nan, count: n)
        for t in 0..<max(0, n - horizon) {
            if t % 16384 == 0 { try Cancellation.check() }
            let future = x[t + horizon], level = thresholds[t]
            if !future.isNaN && !level.isNaN { labels[t] = future > level ? 1 : 0 }
        }
        return labels
    }
}

/// The `daily_any` rule: for each t, whether any step of the calendar day after t's date
/// exceeds the threshold known at t.
private struct NextDayExceedance {
    /// Per calendar day (from the first row's day): the largest value, whether one is missing,
    /// how many rows fall on it, and the index of its last row.
    private var largest: [Double] = []
    private var missing: [Bool] = []
    private var rows: [Int] = []
    private var last: [Int] = []
    private let day: [Int]
    private let stepsPerDay: Int
    private let user: String

    init(timestamps: [Int64], values: [Double], step: Int64, user: String) throws {
        guard TimeStamp.day % step == 0 else {
            throw RallyError("\(user): the time step (\(TimeStamp.duration(step))) does not divide a day")
        }
        self.user = user
        stepsPerDay = Int(TimeStamp.day / step)
        let first = Self.dayNumber(timestamps.first ?? 0)
        day = timestamps.map { Int(Self.dayNumber($0) - first) }
        let days = (day.last ?? -1) + 1
        largest = [Double](repeating: -.infinity, count: days)
        missing = [Bool](repeating: false, count: days)
        rows = [Int](repeating: 0, count: days)
        last = [Int](repeating: 0, count: days)
        for (i, v) in values.enumerated() {
            let d = day[i]
            rows[d] += 1
            last[d] = i
            if v.isNaN { missing[d] = true } else if v > largest[d] { largest[d] = v }
        }
    }

    private static func dayNumber(_ t: Int64) -> Int64 {
        let q = t / TimeStamp.day
        return (t % TimeStamp.day != 0 && t < 0) ? q - 1 : q
    }

    func labels(_ thresholds: [Double]) throws -> LabelSeries {
        let n = day.count
        var labels = [Double](repeating: .nan, count: n)
        var reach = 0
        for t in 0..<n {
            if t % 16384 == 0 { try Cancellation.check() }
            let next = day[t] + 1
            let level = thresholds[t]
            guard next < rows.count, rows[next] == stepsPerDay, !level.isNaN else { continue }
            if largest[next] > level {
                labels[t] = 1
            } else if !missing[next] {
                labels[t] = 0
            }
            reach = max(reach, last[next] - t)
        }
        guard reach > 0 else {
            throw RallyError("\(user): the data (\(n) rows) hold no complete next day after a known threshold: no label can be defined")
        }
        return LabelSeries(labels: labels, thresholds: thresholds, horizon: reach)
    }
}
