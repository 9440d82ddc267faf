/// A dataset as CSV text that `rally.load` reads back to the same values: a `time` column
/// (`YYYY-MM-DD HH:MM`, the dataset's naive clock), then one column per series, numbers in
/// their shortest round-trip form, missing values as empty fields.
public enum DatasetCSV {
    /// The CSV text of `dataset`.
    public static func text(_ dataset: Dataset) -> String {
        var table = CSVTable(header: ["time"] + dataset.names, expectedRows: dataset.count)
        for row in 0..<dataset.count {
            table.field(TimeStamp.format(dataset.timestamps[row]))
            for column in dataset.columns { table.field(number(column[row])) }
            table.endRow()
        }
        return table.text()
    }

    /// A value as ``CSVTable/number(_:)`` writes it, except that −0 keeps its sign (the file
    /// must read back bit for bit).
    static func number(_ x: Double) -> String {
        x == 0 && x.sign == .minus ? "-0" : CSVTable.number(x)
    }

    /// Writes `dataset` to `path` atomically (creating missing folders).
    public static func write(_ dataset: Dataset, to path: String) throws {
        guard !dataset.names.contains("time") else {
            throw RallyError("cannot write a dataset with a column named 'time' (the time column's name); rename it first")
        }
        try AtomicFile.write(text(dataset), to: path)
    }
}
