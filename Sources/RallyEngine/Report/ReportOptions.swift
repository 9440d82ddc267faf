/// A period to show in close-up: price, the models' probabilities and realized rallies.
public struct ReportWindow: Sendable, Equatable {
    /// What the period was (`January 2018 cold snap`).
    public var title: String
    /// First hour shown (a market-time reading: the wall clock, or a zoned run's local time).
    public var from: Int64
    /// Last hour shown (a market-time reading).
    public var to: Int64

    /// Creates a window; `from` must precede `to`.
    public init(title: String, from: Int64, to: Int64) throws {
        guard from < to else {
            throw RallyError("report window '\(title)': from \(TimeStamp.format(from)) must come before to \(TimeStamp.format(to))")
        }
        self.init(checked: title, from: from, to: to)
    }

    private init(checked title: String, from: Int64, to: Int64) {
        self.title = title
        self.from = from
        self.to = to
    }

    /// Whether market-time reading `t` lies in the window (`from ≤ t ≤ to`).
    public func holds(_ t: Int64) -> Bool { t >= from && t <= to }

    /// The default close-ups on the shared PJM data: the late-December 2017 / early-January
    /// 2018 cold snap and a summer 2018 heat spell.
    public static let defaults: [ReportWindow] = [
        ReportWindow(checked: "January 2018 cold snap", from: TimeStamp.make(year: 2017, month: 12, day: 26),
                     to: TimeStamp.make(year: 2018, month: 1, day: 10, hour: 23)),
        ReportWindow(checked: "Summer 2018 heat spell", from: TimeStamp.make(year: 2018, month: 6, day: 25),
                     to: TimeStamp.make(year: 2018, month: 7, day: 10, hour: 23)),
    ]
}

extension ReportWindow {
    /// The `windows` option of `rally.report`: a non-empty list of `{from = time, to = time,
    /// title = text}` tables (`to` as a date alone covers that day; the title defaults to the dates).
    public static func list(_ tree: OptionTree) throws -> [ReportWindow] {
        let shape = "{from = ..., to = ..., title = ...}"
        guard case .table(let list, let fields, let other) = tree, fields.isEmpty, other.isEmpty else {
            throw RallyError("a list of \(shape) tables expected, got \(tree.typeName)")
        }
        guard !list.isEmpty else { throw RallyError("at least one window expected, got an empty table") }
        return try list.enumerated().map { i, item in
            do { return try window(item, shape: shape) } catch let e as RallyError where e != .interrupted {
                throw RallyError("window \(i + 1): \(e.message)")
            }
        }
    }

    private static func window(_ tree: OptionTree, shape: String) throws -> ReportWindow {
        let w = try OptionReader(tree, expected: "a table \(shape)")
        func time(_ key: String, _ dateOnly: DateOnly) throws -> Int64 {
            guard let value = w.field(key) else { throw RallyError("field '\(key)': time string expected (\"YYYY-MM-DD HH:MM\"), got nil") }
            // close-ups are drawn in market time: a time with an offset is read as written
            do { return try SplitTime.option(value, dateOnly: dateOnly).reading } catch let e as RallyError { throw RallyError("field '\(key)': \(e.message)") }
        }
        let from = try time("from", .startOfDay), to = try time("to", .endOfDay)
        let title: String?
        do { title = try w.string("title") } catch let e as RallyError { throw RallyError("field 'title': \(e.message)") }
        try w.finish(noun: "field")
        return try ReportWindow(title: title ?? "\(TimeStamp.format(from).prefix(10)) to \(TimeStamp.format(to).prefix(10))", from: from, to: to)
    }
}

/// How `rally.report` renders: where it reads and writes, and the knobs of the computed parts.
public struct ReportOptions: Sendable {
    /// The artifacts directory (metrics.json, predictions.csv, ...).
    public var artifacts = "artifacts"
    /// The output directory.
    public var out = "reports"
    /// File name stem of the report (`<name>.md`, `<name>.html`, `<name>_<figure>.svg`).
    public var name = "pjm_rally_demo"
    /// Close-up windows; nil uses ``ReportWindow/defaults`` and falls back to the test period's
    /// first two weeks when none of them has data.
    public var windows: [ReportWindow]?
    /// Cost of a missed rally in units of a false alarm, for the decision tables.
    public var costRatio = 10.0
    /// Moving-block bootstrap for reliability bands and the paired comparison.
    public var bootstrap = BlockBootstrap(block: 168, resamples: 500, seed: 7)
    /// Equal-count bins of the reliability diagrams.
    public var reliabilityBins = 10
    /// The alarm share used for agreement between models (0.05: top 5% of hours).
    public var topShare = 0.05

    /// The defaults.
    public init() {}
}
