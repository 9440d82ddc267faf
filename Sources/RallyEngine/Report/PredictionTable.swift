/// `predictions.csv`: one row per test hour, in time order, with the label, the price and
/// threshold at that hour, and each model's rally probability.
public struct PredictionTable: Sendable {
    /// Forecast times, strictly increasing: naive wall-clock seconds, or UTC instants of a zoned
    /// evaluation (see ``clock``).
    public var times: [Int64]
    /// The clock of ``times``: how the report reads and prints them in market time.
    public var clock: ReportClock = .wallClock
    /// Labels (0 or 1).
    public var labels: [Double]
    /// The labelled price series at t (USD/MWh).
    public var price: [Double]
    /// The labeler's threshold at t (NaN where it has none).
    public var threshold: [Double]
    /// Model names, from the `p_<model>` columns in file order.
    public var models: [String]
    /// `probabilities[k]` is model `models[k]`'s column.
    public var probabilities: [[Double]]

    /// Number of rows.
    public var count: Int { times.count }

    /// The probability column of `model`, or nil.
    public func probabilities(of model: String) -> [Double]? {
        models.firstIndex(of: model).map { probabilities[$0] }
    }

    /// Reads and checks `path`: `ts,y,price,threshold,p_<model>...`; times strictly increase,
    /// labels are 0 or 1, probabilities lie in [0, 1]. Any violation names the line.
    public static func load(path: String) throws -> PredictionTable {
        let csv = try ArtifactCSV(path: path)
        let (times, clock) = try csv.clockTimes(csv.column("ts"))
        let yColumn = try csv.column("y")
        let labels = try csv.numbers(yColumn)
        let price = try csv.numbers(csv.column("price"))
        let threshold = try csv.numbers(csv.column("threshold"))
        var models: [String] = [], probabilities: [[Double]] = []
        for (k, name) in csv.header.enumerated() where name.hasPrefix("p_") && name.count > 2 {
            models.append(String(name.dropFirst(2)))
            probabilities.append(try csv.numbers(k))
        }
        guard !models.isEmpty else { throw RallyError("\(path): no probability columns (p_<model>) in the header \(csv.header.joined(separator: ","))") }
        guard !times.isEmpty else { throw RallyError("\(path): no rows") }
        for i in times.indices {
            try Cancellation.check()
            if i > 0 && times[i] <= times[i - 1] {
                throw RallyError("\(path):\(csv.lines[i]): time \(clock.format(times[i])) does not follow \(clock.format(times[i - 1])) (rows must be in increasing time order)")
            }
            guard labels[i] == 0 || labels[i] == 1 else {
                throw RallyError("\(path):\(csv.lines[i]): column 'y': expected 0 or 1, got \(csv.rows[i][yColumn].isEmpty ? "an empty field" : csv.rows[i][yColumn])")
            }
            for (k, column) in probabilities.enumerated() where !(column[i] >= 0 && column[i] <= 1) {
                throw RallyError("\(path):\(csv.lines[i]): column 'p_\(models[k])': expected a probability in [0, 1], got \(Format.number(column[i]))")
            }
        }
        return PredictionTable(times: times, clock: clock, labels: labels, price: price, threshold: threshold, models: models, probabilities: probabilities)
    }
}
