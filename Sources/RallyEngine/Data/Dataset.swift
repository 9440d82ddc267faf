/// An hourly (or other regular) time series table: one time index, named `Double` columns.
///
/// Timestamps are seconds since 1970-01-01 00:00: UTC instants when the dataset has a zone
/// (``MarketZone``: `America/New_York`, `UTC`), naive readings of the file's clock when its zone
/// is the wall clock. Calendar features and printed times use the zone's local time. Columns
/// are contiguous arrays; a missing value is `Double.nan`.
public struct Dataset: Sendable {
    /// Seconds since the epoch, strictly increasing.
    public var timestamps: [Int64]
    /// Column names, in order.
    public var names: [String]
    /// Column values, `columns[j][i]` is column `names[j]` at `timestamps[i]`.
    public var columns: [[Double]]
    /// What the load found and did.
    public var report: LoadReport
    /// The clock of `timestamps`: the wall clock (naive times), or a zone whose local time
    /// calendar features and printed times use.
    public var zone: MarketZone
    /// The locations whose series the columns hold, when the data came from a long export of
    /// several places (see ``Location``); empty for a single series.
    public var locations: [Location]
    /// For columns joined from forecast vintages (``AsOfJoin``): per row, when the value was
    /// published (`Int64.min` where none was); features never read such a value before it was
    /// published. Absent for every other column.
    public var published: [String: [Int64]] = [:]

    /// Creates a dataset; columns must have as many values as there are timestamps.
    public init(timestamps: [Int64], names: [String], columns: [[Double]], report: LoadReport = LoadReport(),
                zone: MarketZone = .wallClock, locations: [Location] = []) {
        precondition(names.count == columns.count, "one name per column")
        precondition(columns.allSatisfy { $0.count == timestamps.count }, "columns match the time index")
        precondition(locations.allSatisfy { $0.members.allSatisfy { columns.indices.contains($0.column) } }, "location members index columns")
        self.timestamps = timestamps
        self.names = names
        self.columns = columns
        self.report = report
        self.zone = zone
        self.locations = locations
    }

    /// Number of rows (time steps).
    public var count: Int { timestamps.count }

    /// The column called `name`, or `nil`.
    public func column(named name: String) -> [Double]? {
        names.firstIndex(of: name).map { columns[$0] }
    }

    /// The column called `name`; throws, naming the columns there are, when there is none.
    public func requiredColumn(named name: String) throws -> [Double] {
        guard let values = column(named: name) else {
            throw RallyError("no column '\(name)'; columns: \(names.joined(separator: ", "))", argument: 1)
        }
        return values
    }
}

/// What a load found in the input and what it did about it: every repair is listed.
public struct LoadReport: Sendable, Equatable {
    /// Where the data came from (a path, or a description such as "synthetic, seed 7").
    public var source: String
    /// One line per finding or repair, in the order they happened.
    public var notes: [String]

    /// Creates a report.
    public init(source: String = "", notes: [String] = []) {
        self.source = source
        self.notes = notes
    }
}

extension Dataset {
    /// The regular step of the time index and its gaps.
    public var timeIndex: TimeIndex { TimeIndex(timestamps) }

    /// The rows with `from ≤ t ≤ through` (either bound may be nil: open), found by binary search.
    public func rowRange(from: Int64?, through: Int64?) -> Range<Int> {
        let lo = from.map { firstRow(atOrAfter: $0) } ?? 0
        let hi = through.map { firstRow(atOrAfter: $0 == Int64.max ? $0 : $0 + 1) } ?? count
        return lo..<max(lo, hi)
    }

    /// Index of the first row with time `≥ t` (`count` when none).
    public func firstRow(atOrAfter t: Int64) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if timestamps[mid] < t { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The rows `rows`, as a new dataset whose report adds a note saying so.
    public func slice(rows: Range<Int>) -> Dataset {
        var report = self.report
        report.notes.append(rows.isEmpty
            ? "sliced to no rows"
            : "sliced to rows \(rows.lowerBound + 1)...\(rows.upperBound) (\(zone.format(timestamps[rows.lowerBound])) .. \(zone.format(timestamps[rows.upperBound - 1])))")
        var out = Dataset(timestamps: Array(timestamps[rows]), names: names, columns: columns.map { Array($0[rows]) }, report: report, zone: zone, locations: locations)
        out.published = published.mapValues { Array($0[rows]) }
        return out
    }

    /// The rows with `from ≤ t ≤ through` (nil bounds are open).
    public func slice(from: Int64?, through: Int64?) -> Dataset {
        slice(rows: rowRange(from: from, through: through))
    }

    /// The rows in `from ... through` given as the user wrote them (nil bounds are open): readings
    /// in ``zone``'s local time (a repeated fall-back reading: from its first instant through its
    /// last), or instants (an error on the wall clock). Errors name the argument (1 or 2).
    public func slice(from: SplitTime?, through: SplitTime?) throws -> Dataset {
        func resolve(_ t: SplitTime?, _ argument: Int, latest: Bool) throws -> Int64? {
            do { return try t?.resolved(in: zone, latest: latest, what: argument == 1 ? "'from'" : "'to'") } catch let e as RallyError {
                throw RallyError(e.message, argument: argument)
            }
        }
        let lo = try resolve(from, 1, latest: false), hi = try resolve(through, 2, latest: true)
        if let lo, let hi, hi < lo, let from, let through {
            throw RallyError("'to' (\(through.text)) is before 'from' (\(from.text))", argument: 2)
        }
        return slice(from: lo, through: hi)
    }

    /// One line: `<Dataset 52416 rows x 3 cols  2013-01-01 00:00 .. 2018-12-24 23:00  hourly, no gaps>`.
    public var summary: String {
        let shape = "\(count) rows x \(names.count) col\(names.count == 1 ? "" : "s")"
        guard let first = timestamps.first, let last = timestamps.last else { return "<Dataset \(shape)>" }
        let index = timeIndex
        let places = locations.isEmpty ? "" : ", \(locations.count) location\(locations.count == 1 ? "" : "s")"
        let clock = zone.isWallClock ? "" : "  \(zone.name)"
        return "<Dataset \(shape)\(places)  \(zone.format(first)) .. \(zone.format(last))  \(index.frequencyName), \(index.gapSummary)\(clock)>"
    }
}

extension LoadReport {
    /// The report as text: the source, then one `- ` line per note.
    public var text: String {
        ([("source: " + (source.isEmpty ? "(unknown)" : source))] + notes.map { "- " + $0 }).joined(separator: "\n")
    }
}
