import Foundation

/// Which field(s) hold the time, and how to read them.
struct TimeColumns {
    /// The time field.
    var index: Int
    /// Its layout.
    var format: TimeFormat
    /// An hour field added to a date-only time field, if any.
    var hour: HourColumn?

    /// The fields used for time.
    var indices: [Int] { [index] + (hour.map { [$0.index] } ?? []) }

    /// A line for the report.
    func description(_ header: [String]) -> String {
        if let hour { return "time: date column '\(header[index])' (\(format)) + hour column '\(header[hour.index])' (\(hour.explanation))" }
        return "time column: '\(header[index])' (\(format))"
    }

    private static let timeWords = ["date", "time", "timestamp", "datetime", "day", "period", "utc", "ept"]
    private static let hourWords = ["hour", "hr", "h"]
    private static let endingWords = ["he", "hour_ending", "hourending", "hour ending"]
    private static let beginningWords = ["hb", "hour_beginning", "hourbeginning", "hour beginning"]

    /// Resolves the time column(s) from `options.time` / `options.format` or from the samples.
    static func resolve(path: String, header: [String], samples: [[String]], options: CSVOptions, headerLine: Int, headerless: Bool = false) throws -> TimeColumns {
        let resolved = try resolveColumns(path: path, header: header, samples: samples, options: options, headerless: headerless)
        if let given = options.hourConvention, resolved.hour == nil {
            throw RallyError("\(path): hours = \"\(given.rawValue)\" is for a date column plus an hour column, but the time is read from column '\(header[resolved.index])' alone (\(resolved.format)); name both with time = {\"<date>\", \"<hour>\"}")
        }
        return resolved
    }

    private static func resolveColumns(path: String, header: [String], samples: [[String]], options: CSVOptions, headerless: Bool) throws -> TimeColumns {
        let given = try options.format.map { try TimeFormat($0) }
        let values = { (k: Int) in samples.compactMap { k < $0.count && !$0[k].isEmpty ? $0[k] : nil } }
        func column(_ name: String) throws -> Int {
            guard let k = header.firstIndex(of: name) else {
                throw RallyError("\(path): no time column '\(MessageText.quote(name))'; headers: \(MessageText.headers(header))\(CSVReader.delimiterNote(options))")
            }
            return k
        }
        if let names = options.time {
            guard names.count == 1 || names.count == 2 else {
                throw RallyError("\(path): time = {...} names one column, or a date column and an hour column; got \(names.count)")
            }
            let k = try column(names[0])
            let format = try given ?? detect(path: path, name: header[k], values: values(k))
            guard names.count == 2 else { return TimeColumns(index: k, format: format) }
            let h = try column(names[1])
            if format.hasTimeOfDay {
                throw RallyError("\(path): time column '\(names[0])' already has a time of day (\(format)); an hour column makes no sense with it")
            }
            let hour = try HourColumn.resolve(path: path, index: h, name: header[h], values: values(h), given: options.hourConvention)
            return TimeColumns(index: k, format: format, hour: hour)
        }
        let named = header.indices.filter { k in
            let h = header[k].lowercased()
            return timeWords.contains { h.contains($0) }
        }
        for k in named + header.indices.filter({ !named.contains($0) }) {
            let vs = values(k)
            guard !vs.isEmpty else { continue }
            let format: TimeFormat
            if let given {
                guard given.parse(vs[0]) != nil else { continue }
                format = given
            } else {
                guard let f = try detectIfAny(path: path, name: header[k], values: vs) else { continue }
                format = f
            }
            var hour: HourColumn?
            if !format.hasTimeOfDay, k + 1 < header.count, isHourHeader(header[k + 1]) || headerless {
                let hv = values(k + 1)
                let hours = hv.compactMap { Int($0) }
                if !hv.isEmpty && hours.count == hv.count && hours.allSatisfy({ (0...24).contains($0) }) && (!headerless || Set(hours).count >= 23) {
                    hour = try HourColumn.resolve(path: path, index: k + 1, name: header[k + 1], values: hv, given: options.hourConvention)
                }
            }
            return TimeColumns(index: k, format: format, hour: hour)
        }
        let first = samples.first.map { "first row: " + MessageText.quote($0.prefix(8).joined(separator: String(UnicodeScalar(options.delimiter ?? 44))), limit: 60) } ?? "no data rows"
        let givenOptions = [options.format.map { "no column fits format = \"\(MessageText.quote($0, limit: 40))\"" },
                     options.delimiter.map { "delimiter = \(CSVReader.delimiterName($0)) split the header into \(header.count) field\(header.count == 1 ? "" : "s")" }]
            .compactMap { $0 }
        let hint = givenOptions.isEmpty ? "name it with time = \"...\" and give its layout with format = \"%Y-%m-%d %H:%M\"" : givenOptions.joined(separator: "; ")
        throw RallyError("\(path): no time column found (\(first)): \(hint)")
    }

    /// Whether `header` names an hour column (`hour`, `HE`, `Hour Ending`, `hb`, ...).
    private static func isHourHeader(_ header: String) -> Bool {
        let h = header.lowercased()
        return hourWords.contains(h) || h.contains("hour") || conventionNamed(by: header) != nil
    }

    /// The convention an hour column's header states (`HE`, `hour_ending`, `Hour Beginning`, ...), if any.
    static func conventionNamed(by header: String) -> HourConvention? {
        let h = header.lowercased()
        if endingWords.contains(h) || h.contains("ending") { return .ending }
        if beginningWords.contains(h) || h.contains("beginning") { return .beginning }
        return nil
    }

    /// The one candidate layout that fits every value, or an error (none, or several that disagree).
    static func detect(path: String, name: String, values: [String]) throws -> TimeFormat {
        guard let f = try detectIfAny(path: path, name: name, values: values) else {
            throw RallyError("\(path): column '\(name)' does not hold times in a known layout (first value \"\(MessageText.quote(values.first ?? "", limit: 40))\"); give format = \"...\" (e.g. \"%d/%m/%Y %H:%M\")")
        }
        return f
    }

    /// Like ``detect(path:name:values:)`` but nil when no layout fits. A layout must fit the first
    /// value; of those, the ones fitting the most values are kept (a bad value further down is
    /// then reported at its own line by the reader), and they must agree on every value they read.
    static func detectIfAny(path: String, name: String, values: [String]) throws -> TimeFormat? {
        guard let firstValue = values.first else { return nil }
        let scored = TimeFormat.candidates.filter { $0.parse(firstValue) != nil }.map { f in
            (format: f, fits: values.filter { f.parse($0) != nil }.count)
        }
        guard let best = scored.map(\.fits).max() else { return nil }
        let fits = scored.filter { $0.fits == best }.map(\.format)
        let first = fits[0]
        let readable = values.filter { v in fits.allSatisfy { $0.parse(v) != nil } }
        let reference = readable.map { first.parse($0)! }
        let disagreeing = fits.dropFirst().filter { f in readable.map { f.parse($0)! } != reference }
        if !disagreeing.isEmpty {
            throw RallyError("\(path): the times in column '\(name)' are ambiguous (\"\(MessageText.quote(firstValue, limit: 40))\" fits \(([first] + disagreeing).map { "\"\($0)\"" }.joined(separator: " and "))); give format = \"...\"")
        }
        return first
    }
}

/// An hour column added to a date-only time column: where it is, how it numbers the hours, and
/// what decided that.
struct HourColumn {
    /// What decided the convention.
    enum Basis {
        /// `hours = "..."`.
        case option
        /// The column's header (`HE`, `hour_ending`, `Hour Beginning`, ...).
        case header
        /// The column's sampled values (a 24 means hour ending, else hour beginning).
        case values
    }

    /// The hour field.
    var index: Int
    /// How it numbers the hours of a day.
    var convention: HourConvention
    /// What decided `convention`.
    var basis: Basis

    /// The convention `given`, else the one the header states, else the one the sampled `values`
    /// show; a column holding both 0 and 24 is refused unless the convention is given.
    static func resolve(path: String, index: Int, name: String, values: [String], given: HourConvention?) throws -> HourColumn {
        if let given { return HourColumn(index: index, convention: given, basis: .option) }
        let hours = Set(values.compactMap { Int($0) })
        if hours.contains(0) && hours.contains(24) {
            throw RallyError("\(path): hour column '\(name)' holds both 0 and 24, so it is neither hour beginning (0-23) nor hour ending (1-24); pass hours = \"beginning\" or hours = \"ending\"")
        }
        if let named = TimeColumns.conventionNamed(by: name) { return HourColumn(index: index, convention: named, basis: .header) }
        return HourColumn(index: index, convention: hours.contains(24) ? .ending : .beginning, basis: .values)
    }

    /// The report's account of the column: `hour ending 1-24: HE 1 is 00:00-01:00; from its header`.
    var explanation: String {
        let first = convention == .ending ? "HE 1" : "hour 0"
        let why: String
        switch basis {
        case .option: why = "as given: hours = \"\(convention.rawValue)\""
        case .header: why = "from its header"
        case .values: why = convention == .ending ? "from its values, which reach 24" : "from its values, all 0-23"
        }
        return "\(convention.label): \(first) is 00:00-01:00; \(why)"
    }

    /// The error for a value outside the convention's hours, found at `line`; when the convention
    /// was detected and the value belongs to the other one, it says how to ask for that one.
    func outOfRange(path: String, line: Int, header: [String], found text: String, value: Int?) -> RallyError {
        var message = "\(path):\(line):\(index + 1): expected an hour \(convention.hours.lowerBound)-\(convention.hours.upperBound) (hour \(convention.rawValue)) in column '\(header[index])', found \"\(MessageText.quote(text, limit: 40))\""
        let other: HourConvention = convention == .ending ? .beginning : .ending
        if basis != .option, let value, other.hours.contains(value) {
            message += " (read as \(convention.label) \(basis == .header ? "from its header" : "from the first rows"); hours = \"\(other.rawValue)\" reads \(other.label) columns)"
        }
        return RallyError(message)
    }
}
