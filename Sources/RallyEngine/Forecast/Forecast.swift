import Foundation

/// The result of ``Forecaster/run(_:on:factory:)``: per scored row, when it was issued, the
/// hour it is about, the level to beat, the probability, the alarm and its reasons; plus what
/// the model was fitted on. A record of one forecast, not a backtest (no scores against
/// outcomes) and not a saved model bundle. It keeps the fitted model (not `Sendable`: a model
/// written in Lua stays on its thread).
public struct Forecast {
    /// A feature that raised a row's log-odds, by how much (``Explanation``).
    public struct Reason: Sendable, Equatable {
        /// The feature name.
        public var feature: String
        /// Its contribution to the row's log-odds (positive).
        public var contribution: Double
    }

    /// One scored row.
    public struct Row: Sendable, Equatable {
        /// When the row's features are all known (its time in the data).
        public var issuedAt: Int64
        /// The hour the label is about: issue time + horizon steps (for `daily_any`, whose
        /// label covers the whole next calendar day, that day's first hour).
        public var target: Int64
        /// The labeler's threshold at the issue time (known then): the level to beat.
        public var threshold: Double
        /// The model's probability of a rally.
        public var probability: Double
        /// Whether the probability reaches the alarm level 1 / (1 + cost ratio).
        public var alarm: Bool
        /// The features that raised the log-odds most, largest first (empty when the model
        /// cannot explain itself).
        public var reasons: [Reason]
        /// The label, when the data already hold it (an issue time in the past); nil for an open hour.
        public var outcome: Double?
    }

    /// The issue time: the model learnt only labels known by then.
    public let issuedAt: Int64
    /// The labeler's horizon in steps.
    public let horizon: Int
    /// The time step in seconds.
    public let step: Int64
    /// The cost ratio R; alarms at p >= 1 / (1 + R).
    public let costRatio: Double
    /// The model's name.
    public let model: String
    /// How many rows the model was fitted on.
    public let trainingRows: Int
    /// The first and last issue times of those rows (the last is at most the issue time minus the horizon).
    public let trainingWindow: (first: Int64, last: Int64)
    /// The scored rows, in time order.
    public let rows: [Row]
    /// What the reader should know (rows that could not be scored, no reasons).
    public let notes: [String]
    /// The fitted model.
    public let fitted: any RallyModel
    /// The features, labeler, issue time and alarm settings it ran with (a bundle's features and labeler when from one).
    public let plan: ForecastPlan
    /// The data it ran on.
    public let dataset: Dataset
    /// The bundle whose model it used as saved, or nil when it fitted its own.
    public let bundle: ModelBundle?

    /// The alarm level on the probability.
    public var alarmLevel: Double { 1 / (1 + costRatio) }

    /// `"gap_to_thr +0.84; lag0 +0.31"`: a row's reasons as one field.
    public static func reasonText(_ reasons: [Reason]) -> String {
        reasons.map { "\($0.feature) \($0.contribution >= 0 ? "+" : "")\(Format.fixed($0.contribution, digits: 3))" }.joined(separator: "; ")
    }

    /// One line: `<Forecast 24 hours issued 2018-12-24 00:00 by gbdt, 3 alarms>`.
    public var summary: String {
        let alarms = rows.filter(\.alarm).count
        return "<Forecast \(rows.count) hour\(rows.count == 1 ? "" : "s") issued \(dataset.zone.format(issuedAt)) by \(model), \(alarms) alarm\(alarms == 1 ? "" : "s")>"
    }

    /// The risk table for people: a header line, then one line per row.
    public var table: String {
        var lines = ["Forecast issued \(dataset.zone.format(issuedAt)) by \(model): fitted on \(trainingRows) rows "
                     + "(\(dataset.zone.format(trainingWindow.first)) .. \(dataset.zone.format(trainingWindow.last))); "
                     + "alarm when p >= \(Format.fixed(alarmLevel, digits: 4)) (cost ratio \(Format.number(costRatio)))"]
        // times in market time: 16 characters on the wall clock, 22 with a zone's offset
        let width = dataset.zone.format(issuedAt).count
        func padded(_ text: String) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        lines.append(padded("issued at") + "  " + padded("target") + "  threshold        p  alarm  reasons")
        for r in rows {
            let threshold = Format.fixed(r.threshold, digits: 2), p = Format.fixed(r.probability, digits: 4)
            lines.append(padded(dataset.zone.format(r.issuedAt)) + "  " + padded(dataset.zone.format(r.target)) + "  "
                         + String(repeating: " ", count: max(0, 9 - threshold.count)) + threshold + "  "
                         + String(repeating: " ", count: max(0, 7 - p.count)) + p + "  "
                         + (r.alarm ? "ALARM" : "     ") + "  " + Self.reasonText(r.reasons))
        }
        return (lines + notes.map { "note: \($0)" }).joined(separator: "\n")
    }

    /// `forecast.csv`: `issued_at, target, threshold, probability, alarm, reasons`, one row per scored hour.
    public func csv() -> String {
        var table = CSVTable(header: ["issued_at", "target", "threshold", "probability", "alarm", "reasons"], expectedRows: rows.count)
        for r in rows {
            table.field(dataset.zone.format(r.issuedAt))
            table.field(dataset.zone.format(r.target))
            table.number(r.threshold)
            table.number(r.probability)
            table.number(r.alarm ? 1 : 0)
            table.field(Self.reasonText(r.reasons))
            table.endRow()
        }
        return table.text()
    }

    /// `forecast.json`: the settings, the training window, the notes and every row with its reasons.
    public func json() -> JSONValue {
        .object([
            ("issued_at", .string(dataset.zone.format(issuedAt))),
            ("model", .string(model)),
            ("horizon", .integer(horizon)),
            ("cost_ratio", .finite(costRatio)),
            ("alarm_level", .finite(alarmLevel)),
            ("training", .object([("rows", .integer(trainingRows)), ("first", .string(dataset.zone.format(trainingWindow.first))),
                                  ("last", .string(dataset.zone.format(trainingWindow.last)))])),
            ("notes", .array(notes.map { .string($0) })),
            ("rows", .array(rows.map { r in
                .object([
                    ("issued_at", .string(dataset.zone.format(r.issuedAt))), ("target", .string(dataset.zone.format(r.target))),
                    ("threshold", .finite(r.threshold)), ("probability", .finite(r.probability)), ("alarm", .bool(r.alarm)),
                    ("reasons", .array(r.reasons.map { .object([("feature", .string($0.feature)), ("contribution", .finite($0.contribution))]) })),
                    ("outcome", r.outcome.map { .integer(Int($0)) } ?? .null),
                ])
            })),
        ])
    }

    /// Writes `forecast.csv` and `forecast.json` into `directory` (created when missing), each
    /// atomically; returns their paths.
    @discardableResult
    public func write(to directory: String) throws -> [String] {
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        let csvPath = base + "/forecast.csv", jsonPath = base + "/forecast.json"
        try AtomicFile.write(csv(), to: csvPath)
        try AtomicFile.write(json().text(), to: jsonPath)
        return [csvPath, jsonPath]
    }
}
