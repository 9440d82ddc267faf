/// Features computed over a dataset's full time index.
///
/// `columns[j][i]` is feature `names[j]` known at `timestamps[i]` (NaN where undefined,
/// e.g. before a window fills). `usable[i]` is true when every feature is defined at row i.
///
/// Two row sets, kept apart: a row can be *scored* (a model can give it a probability) when
/// every feature is defined — ``usable``, ``scorableRows`` — whatever its label; a row can be
/// *trained on* when, in addition, its label is defined — ``rows(labeledBy:)``, or
/// ``rows(labeledBy:knownAt:)`` for the labels known at an issue time. The newest rows of a
/// dataset are scorable (when the known-ahead columns reach their target hours) but never
/// trainable: their outcome is still open (``openRows(labeledBy:)``).
public struct FeatureMatrix: Sendable {
    /// Feature names, in order.
    public var names: [String]
    /// The dataset's time index.
    public var timestamps: [Int64]
    /// Feature values, one array per feature, aligned to `timestamps`.
    public var columns: [[Double]]
    /// Rows at which every feature is defined: the rows that can be scored, labelled or not.
    public var usable: [Bool]

    /// Creates a matrix and derives `usable` from the NaNs in `columns`.
    public init(names: [String], timestamps: [Int64], columns: [[Double]]) {
        self.names = names
        self.timestamps = timestamps
        self.columns = columns
        var ok = [Bool](repeating: true, count: timestamps.count)
        ok.withUnsafeMutableBufferPointer { ok in
            for c in columns {
                c.withUnsafeBufferPointer { c in
                    for i in c.indices { ok[i] = ok[i] && !c[i].isNaN }
                }
            }
        }
        self.usable = ok
    }

    /// The rows `rows` of every feature, as a design matrix for a model (with their times).
    public func design(rows: [Int]) -> DesignMatrix {
        DesignMatrix(names: names, columns: columns.map { c in rows.map { c[$0] } }, times: rows.map { timestamps[$0] })
    }
}

extension FeatureMatrix {
    /// Number of rows (the dataset's length).
    public var count: Int { timestamps.count }

    /// The feature called `name`, or `nil`.
    public func column(named name: String) -> [Double]? {
        names.firstIndex(of: name).map { columns[$0] }
    }

    /// The feature called `name`; throws, naming the features there are, when there is none.
    public func requiredColumn(named name: String) throws -> [Double] {
        guard let values = column(named: name) else {
            throw RallyError("no feature '\(name)'; features: \(names.joined(separator: ", "))", argument: 1)
        }
        return values
    }

    /// Number of rows at which every feature is defined.
    public var usableCount: Int { usable.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// Share of rows (0...1) at which feature `j` is defined.
    public func coverage(of j: Int) -> Double {
        guard count > 0 else { return 0 }
        return Double(columns[j].reduce(0) { $0 + ($1.isNaN ? 0 : 1) }) / Double(count)
    }

    /// The rows a model can use with `labels`: every feature and the label defined, in time order.
    public func rows(labeledBy labels: LabelSeries) -> [Int] {
        precondition(labels.labels.count == count, "labels over the same time index")
        return usable.indices.filter { usable[$0] && !labels.labels[$0].isNaN }
    }

    /// The rows that can be scored: every feature defined, whether or not the label is, in time order.
    public var scorableRows: [Int] { usable.indices.filter { usable[$0] } }

    /// The rows a model can be trained on at issue time `issued`: every feature and the label
    /// defined, and the label known by then — a label at t reads up to `horizon` steps after t,
    /// so it is known at `issued` only when `timestamps[t] + horizon * step <= issued`.
    /// (``rows(labeledBy:)`` is the same with every defined label known.)
    public func rows(labeledBy labels: LabelSeries, knownAt issued: Int64, step: Int64) -> [Int] {
        let reach = Int64(labels.horizon) * step
        return rows(labeledBy: labels).filter { timestamps[$0] + reach <= issued }
    }

    /// The rows that can be scored but not trained on: every feature defined, the label not
    /// (its outcome is past the data, or unknown), in time order.
    public func openRows(labeledBy labels: LabelSeries) -> [Int] {
        precondition(labels.labels.count == count, "labels over the same time index")
        return usable.indices.filter { usable[$0] && labels.labels[$0].isNaN }
    }

    /// `<FeatureMatrix 52416 rows x 19 features, 51745 usable (98.72%)>`: one line, as every
    /// class prints in Lua.
    public var summary: String {
        let share = count > 0 ? Double(usableCount) / Double(count) * 100 : 0
        return "<FeatureMatrix \(count) rows x \(names.count) features, \(usableCount) usable (\(Format.fixed(share, digits: 2))%)>"
    }

    /// One line per feature: its name and the share of rows where it is defined (`lag144  99.73%`).
    public var coverageText: String {
        let width = names.map(\.count).max() ?? 0
        return names.enumerated().map { j, name in
            name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + Format.fixed(coverage(of: j) * 100, digits: 2) + "%"
        }.joined(separator: "\n")
    }
}
