/// Forecast vintages: forecasts of the same target intervals published again and again (a load
/// forecast republished every hour for the next days). Each record is one target interval,
/// one publish time and its values in named columns; a target has several records.
///
/// Held sorted by target, then publish time, so an as-of join (``AsOfJoin``) walks it once.
/// Times are UTC instants when the source gave offsets (``zone`` is then a market zone), or
/// naive wall-clock readings. Not a ``Dataset``: its rows are not one per time; join it to
/// one with ``AsOfJoin`` to get features.
public struct Vintages: Sendable {
    /// Start of each record's target interval, ascending.
    public let targets: [Int64]
    /// When each record was published; ascending within a target.
    public let published: [Int64]
    /// The value columns, in order.
    public let names: [String]
    /// `columns[j][i]` is column `names[j]` of record `i` (NaN: missing).
    public let columns: [[Double]]
    /// The clock of the times: wall clock for naive times, else the zone they were read in.
    public let zone: MarketZone
    /// What the load found.
    public var report: LoadReport

    /// Records in any order, sorted here once by (target, publish time). Throws when the
    /// columns do not match the records, or two records share a target and a publish time
    /// (which one is the forecast would be a guess).
    public init(targets: [Int64], published: [Int64], names: [String], columns: [[Double]], zone: MarketZone = .wallClock,
                report: LoadReport = LoadReport()) throws {
        guard targets.count == published.count, names.count == columns.count, columns.allSatisfy({ $0.count == targets.count }) else {
            throw RallyError("vintages: every record needs a target, a publish time and one value per column")
        }
        guard Set(names).count == names.count else { throw RallyError("vintages: two value columns share a name") }
        var order = Array(targets.indices)
        let sorted = Self.isSorted(targets, published)
        if !sorted {
            order.sort { (targets[$0], published[$0]) < (targets[$1], published[$1]) }
        }
        self.targets = sorted ? targets : order.map { targets[$0] }
        self.published = sorted ? published : order.map { published[$0] }
        self.columns = sorted ? columns : columns.map { c in order.map { c[$0] } }
        self.names = names
        self.zone = zone
        self.report = report
        for i in self.targets.indices.dropFirst() where self.targets[i] == self.targets[i - 1] && self.published[i] == self.published[i - 1] {
            throw RallyError("vintages: two records for target \(zone.format(self.targets[i])) were published at \(zone.format(self.published[i]))")
        }
    }

    private static func isSorted(_ targets: [Int64], _ published: [Int64]) -> Bool {
        for i in targets.indices.dropFirst() where (targets[i - 1], published[i - 1]) > (targets[i], published[i]) { return false }
        return true
    }

    /// Number of records.
    public var count: Int { targets.count }

    /// How many distinct targets the records cover.
    public var targetCount: Int {
        targets.indices.reduce(0) { n, i in i == 0 || targets[i] != targets[i - 1] ? n + 1 : n }
    }

    /// `<Vintages 1200 records, 48 targets 2016-01-01 00:00-05:00 .. 2016-01-02 23:00-05:00, columns: load_fc, ...>`.
    public var summary: String {
        guard let first = targets.first, let last = targets.last else { return "<Vintages no records>" }
        return "<Vintages \(count) records, \(targetCount) targets \(zone.format(first)) .. \(zone.format(last)), "
            + "published \(zone.format(published.min()!)) .. \(zone.format(published.max()!)), columns: \(names.joined(separator: ", "))>"
    }
}
