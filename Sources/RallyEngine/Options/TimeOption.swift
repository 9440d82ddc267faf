/// How a time a script gives (`train_end = "2017-12-31"`, `ds:slice(from, to)`) is read when
/// it is only a date. Not a time zone rule: a date is a market-time reading (see ``SplitTime``).
public enum DateOnly: Sendable {
    /// The start of that day (00:00).
    case startOfDay
    /// The last second of that day: an inclusive upper bound covering the whole day.
    case endOfDay
}

extension SplitTime {
    /// Option `name` of `values` (kind `.time`) as a time, or nil when absent; errors name the option.
    public static func option(_ values: OptionValues, _ name: String, dateOnly: DateOnly) throws -> SplitTime? {
        guard let text = values.string(name) else { return nil }
        do { return try parse(text, dateOnly: dateOnly) } catch let e as RallyError where e != .interrupted {
            throw RallyError(e.message, option: name)
        }
    }

    /// `tree` (a string) as a time, read as ``parse(_:dateOnly:)`` does.
    public static func option(_ tree: OptionTree, dateOnly: DateOnly) throws -> SplitTime {
        guard case .string(let text) = tree else { throw RallyError("time string expected (\"YYYY-MM-DD HH:MM\"), got \(tree.typeName)") }
        return try parse(text, dateOnly: dateOnly)
    }
}
