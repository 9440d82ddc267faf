/// A dataset as CSV text that `rally.load` reads back to the same values: a `time` column
/// (`YYYY-MM-DD HH:MM`, the dataset's naive clock; `YYYY-MM-DD HH:MM:SS` on every row when any
/// time has seconds; a dataset with a zone writes its local times with their UTC offsets,
/// `2016-11-06 01:00-05:00`, which read back to the same instants), then one column per series, numbers in their shortest round-trip form,
/// missing values as empty fields. A name holding a comma, semicolon, tab, quote or line break
/// is quoted (so delimiter detection reads the header as written). A column joined from
/// forecast vintages (``Dataset/published``) is followed by `<name>_published`, its publish
/// times (see ``PublishedColumns``), which `rally.load` reads back as publish times.
///
/// ``write(_:to:)`` refuses, before writing anything, a dataset the file could not bring back
/// exactly (see ``problem(_:)``).
public enum DatasetCSV {
    /// The CSV text of `dataset`.
    public static func text(_ dataset: Dataset) -> String {
        let seconds = dataset.timestamps.contains { $0 % 60 != 0 }
        var out = ""
        out.reserveCapacity((dataset.count + 1) * (dataset.names.count + 1) * 12)
        let published = dataset.names.map { dataset.published[$0] }
        let header = zip(dataset.names, published).flatMap { name, times in times == nil ? [name] : [name, PublishedColumns.name(of: name)] }
        out += (["time"] + header).map(field).joined(separator: ",")
        out += "\n"
        for row in 0..<dataset.count {
            out += time(dataset.timestamps[row], seconds: seconds, zone: dataset.zone)
            for (column, times) in zip(dataset.columns, published) {
                out += ","
                out += number(column[row])
                if let times {
                    out += ","
                    if times[row] != Int64.min { out += time(times[row], seconds: times[row] % 60 != 0, zone: dataset.zone) }
                }
            }
            out += "\n"
        }
        return out
    }

    /// A value as ``CSVTable/number(_:)`` writes it, except that −0 keeps its sign (the file
    /// must read back bit for bit).
    static func number(_ x: Double) -> String {
        x == 0 && x.sign == .minus ? "-0" : CSVTable.number(x)
    }

    /// `t` as `YYYY-MM-DD HH:MM`, with `:SS` when `seconds`, in `zone`'s local time with its
    /// offset unless `zone` is the wall clock.
    private static func time(_ t: Int64, seconds: Bool, zone: MarketZone) -> String {
        let offset = zone.offset(at: t)
        let text = TimeStamp.format(t + Int64(offset))
        let local = seconds && text.utf8.count == 16 ? text + ":00" : text
        return zone.isWallClock ? local : local + TimeStamp.offsetText(offset)
    }

    /// A header field: quoted (quotes doubled) when it holds a delimiter rally detects, a quote
    /// or a line break.
    private static func field(_ name: String) -> String {
        guard name.utf8.contains(where: { [44, 59, 9, 34, 10, 13].contains($0) }) else { return name }
        return "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Why `dataset` cannot be written as a file `rally.load` reads back identically, or nil.
    /// Refused: no rows; a column named `time`, empty, longer than ``CSVReader/maxNameBytes``
    /// (quotes doubled), with leading or trailing blanks, with
    /// control characters other than tab, or named twice; a column `<name>_published` that would
    /// read back as publish times (see ``PublishedColumns``); names that make the header look like a Data Miner
    /// export; infinite values; times out of order, or outside years 0000-9999.
    public static func problem(_ dataset: Dataset) -> String? {
        guard dataset.count > 0 else { return "the dataset has no rows (rally.load refuses a file without data rows)" }
        guard dataset.names.count <= CSVReader.maxColumns else { return "it has \(dataset.names.count) columns; rally.load reads at most \(CSVReader.maxColumns)" }
        var seen = Set<String>()
        for name in dataset.names {
            let shown = MessageText.quote(name, limit: 40)
            if name == "time" { return "it has a column named 'time' (the time column's name); rename it first" }
            if name.isEmpty { return "a column has an empty name (rally.load would call it columnN); rename it first" }
            if name.unicodeScalars.contains(where: { ($0.value < 32 && $0 != "\t") || $0.value == 127 }) {
                return "column '\(shown)' has a control character in its name; rename it first"
            }
            if let f = name.unicodeScalars.first, let l = name.unicodeScalars.last, [" ", "\t"].contains(f) || [" ", "\t"].contains(l) {
                return "column '\(shown)' has blanks around its name (rally.load trims them); rename it first"
            }
            if !seen.insert(name).inserted { return "two columns are named '\(shown)'; rename one first" }
            let written = name.utf8.count + name.utf8.filter { $0 == 34 }.count
            if written > CSVReader.maxNameBytes {
                return "column '\(shown)' has a name of \(written) bytes as written; rally.load reads names of at most \(CSVReader.maxNameBytes)"
            }
        }
        for (name, column) in zip(dataset.names, dataset.columns) where name.hasSuffix(PublishedColumns.suffix) {
            let owner = String(name.dropLast(PublishedColumns.suffix.count))
            // taken for publish times on reading when its first cells hold no number
            if dataset.published[owner] != nil || (dataset.names.contains(owner) && column.prefix(2000).allSatisfy(\.isNaN)) {
                return "column '\(MessageText.quote(name, limit: 40))' is named as the publish times of column '\(MessageText.quote(owner, limit: 40))' would be (rally.load would read it as those); rename it first"
            }
        }
        if DataMinerReader.recognizes(["time"] + dataset.names) {
            return "its column names are those of a PJM Data Miner export, which rally.load would pivot; rename them first"
        }
        for (name, column) in zip(dataset.names, dataset.columns) {
            if let i = column.firstIndex(where: { $0.isInfinite }) {
                return "column '\(MessageText.quote(name, limit: 40))' holds \(column[i] > 0 ? "+" : "-")inf at \(TimeStamp.format(dataset.timestamps[i])) (rally.load refuses infinite values)"
            }
        }
        let first = TimeStamp.make(year: 0, month: 1, day: 1), last = TimeStamp.make(year: 9999, month: 12, day: 31, hour: 23, minute: 59, second: 59)
        for (i, t) in dataset.timestamps.enumerated() {
            guard t >= first && t <= last else { return "row \(i + 1) has a time outside the years 0000-9999 (\(t) s since 1970)" }
            if i > 0 && t <= dataset.timestamps[i - 1] {
                return "row \(i + 1) (\(TimeStamp.format(t))) does not come after row \(i) (rally.load refuses times out of order or repeated)"
            }
        }
        return nil
    }

    /// Writes `dataset` to `path` atomically (creating missing folders); refuses, writing
    /// nothing, a dataset that would not read back identically (see ``problem(_:)``).
    public static func write(_ dataset: Dataset, to path: String) throws {
        if let problem = problem(dataset) {
            throw RallyError(MessageText.bounded("cannot write '\(path)' so that rally.load reads it back: \(problem)"))
        }
        try AtomicFile.write(text(dataset), to: path)
    }
}
