/// One place of a multi-location dataset (a hub, zone, aggregate or pnode, as a long export such
/// as Data Miner or gridstatus names it): its name and id, and which of the dataset's columns hold
/// its series under which plain names (`price`, `energy`, ...).
///
/// Readers of long exports fill ``Dataset/locations``. A `Location` is not a dataset and holds no values: ``Dataset/location(_:)`` makes the
/// one-location ``Dataset`` that every single-series recipe runs on.
public struct Location: Sendable, Equatable {
    /// One column of a location: its plain name in the one-location dataset and its index in the
    /// multi-location dataset's columns.
    public struct Member: Sendable, Equatable {
        /// The plain name, e.g. `price`.
        public var name: String
        /// Index into ``Dataset/columns``.
        public var column: Int

        /// Creates a member.
        public init(name: String, column: Int) {
            self.name = name
            self.column = column
        }
    }

    /// The name as the export writes it, e.g. `WESTERN HUB`.
    public var name: String
    /// The id as the export writes it (a pnode id such as `51288`); the name when the file has none.
    public var id: String
    /// The location's columns, in order.
    public var members: [Member]

    /// Creates a location.
    public init(name: String, id: String, members: [Member]) {
        self.name = name
        self.id = id
        self.members = members
    }
}

extension Dataset {
    /// The location whose name or id is `key`, or nil.
    public func findLocation(_ key: String) -> Location? {
        locations.first { $0.name == key } ?? locations.first { $0.id == key }
    }

    /// The one-location dataset of the location named (or with id) `key`: its own columns under
    /// their plain names, then the columns that belong to no location (shared ones such as a system
    /// load forecast), on the same time index. Throws naming the locations there are.
    public func location(_ key: String) throws -> Dataset {
        guard !locations.isEmpty else {
            throw RallyError("this dataset holds one series, not several locations; use it as it is", argument: 1)
        }
        guard let location = findLocation(key) else {
            let shown = locations.prefix(20).map { $0.id == $0.name ? $0.name : "\($0.name) (\($0.id))" }
            throw RallyError("no location '\(MessageText.quote(key, limit: 60))'; locations: \(shown.joined(separator: ", "))" + (locations.count > 20 ? ", ... (\(locations.count) in all)" : ""), argument: 1)
        }
        let owned = Set(locations.flatMap { $0.members.map(\.column) })
        let shared = names.indices.filter { !owned.contains($0) }
        var picked = location.members.map { (name: $0.name, column: $0.column) } + shared.map { (name: names[$0], column: $0) }
        let plain = Set(location.members.map(\.name))
        picked.removeAll { entry in shared.contains(entry.column) && plain.contains(entry.name) }
        var report = self.report
        report.notes.append("location \(location.name)" + (location.id == location.name ? "" : " (id \(location.id))") + " of \(locations.count)")
        return Dataset(timestamps: timestamps, names: picked.map(\.name), columns: picked.map { columns[$0.column] }, report: report, zone: zone)
    }
}
