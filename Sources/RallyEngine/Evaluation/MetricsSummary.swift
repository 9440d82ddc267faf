/// What `rally.metrics(y, p [, options])` gives a script: every metric of probabilities `p`
/// against 0/1 outcomes `y`, precision/recall/f1 at a threshold, the reliability curve and the
/// rally-episode figures, as one JSON value. It checks the two lists (errors name argument 1
/// or 2); it is not an evaluation (no split, no intervals).
public enum MetricsSummary {
    /// The figures of `p` against `y` with `values` (decoded against ``EntryPointOptions/metrics``).
    public static func json(labels y: [Double], probabilities p: [Double], _ values: OptionValues) throws -> JSONValue {
        guard !y.isEmpty else { throw RallyError("outcomes expected, got none", argument: 1) }
        if let i = y.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw RallyError("outcome at index \(i + 1) is \(Format.number(y[i])), expected 0 or 1", argument: 1)
        }
        guard p.count == y.count else { throw RallyError("\(y.count) probabilities expected (one per outcome), got \(p.count)", argument: 2) }
        if let i = p.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw RallyError("probability at index \(i + 1) is \(Format.number(p[i])), expected a number in [0, 1]", argument: 2)
        }
        let settings = MetricSettings(values)
        do {
            let reference = values.number("climatology").map { [Double](repeating: $0, count: y.count) }
            let scores = try ForecastScorer(labels: y, probabilities: p, climatology: reference, settings: settings).score()
            let called = try BinaryMetrics.atThreshold(labels: y, probabilities: p, threshold: values.number("threshold")!)
            let curve = try BinaryMetrics.reliabilityCurve(labels: y, probabilities: p, bins: settings.calibrationBins)
            var fields: [(String, JSONValue)] = Metric.allCases.map { ($0.rawValue, .number(scores[$0])) }
            fields += [("precision", .number(called.precision)), ("recall", .number(called.recall)), ("f1", .number(called.f1))]
            fields.append(("curve", .array(curve.map { bin in
                .object([("lower", .number(bin.lower)), ("upper", .number(bin.upper)), ("count", .integer(bin.count)),
                         ("mean_p", .number(bin.meanProbability)), ("observed", .number(bin.observedRate))])
            })))
            fields.append(("episodes", try EpisodeTable.hourly(labels: y, probabilities: p, settings: EpisodeSettings(values))))
            return .object(fields)
        } catch let error as RallyError where error != .interrupted && error.argument == nil {
            // the lists were checked above; what the scorer still refuses is about y and p together
            throw RallyError(error.message, argument: 1)
        }
    }
}
