/// Checks that ``Evaluator`` and ``SweepRunner`` make of a plan's features and labeler before
/// any work: an empty feature spec is an error, a label horizon other than the features' is a
/// warning.
enum PlanChecks {
    /// Throws when `features` has no columns: the models would have nothing to learn from, and
    /// the fits would fail later with a message about rows, not features.
    static func requireColumns(_ features: FeatureSpec, command: String) throws {
        guard features.features.isEmpty else { return }
        throw RallyError("\(command): the feature spec has no columns, so the models would see no features; give the spec at least one feature")
    }

    /// A warning when the labeler looks `h` steps ahead but `features` describe another target
    /// step for its calendar and known-ahead columns; nil when they agree or no feature depends
    /// on the target step.
    /// A `daily_any` label covers the next calendar day; only hour t+24 lies in it for every
    /// hour t, so 24 is the feature horizon that matches it.
    /// Both must be resolved (``FeatureSpec/resolved(every:)``, ``Labeler/resolved(every:)``):
    /// counts still given as durations are not compared.
    static func horizonMismatch(features: FeatureSpec, labeler: Labeler) -> String? {
        guard let horizon = features.horizon.stepsGiven, let labelHorizon = labeler.horizon.stepsGiven else { return nil }
        let matching: Int, target: String
        if case .dailyAny = labeler {
            matching = 24
            target = "the next calendar day (which holds hour t+24 for every hour t)"
        } else {
            matching = labelHorizon
            target = "hour t+\(labelHorizon)"
        }
        guard horizon != matching else { return nil }
        let dependent = features.features.filter { feature in
            switch feature.source {
            case .calendar, .knownAhead, .knownAheadRelative: true
            default: false
            }
        }
        guard !dependent.isEmpty else { return nil }
        let names = dependent.map(\.name).joined(separator: ", ")
        return "the labeler's horizon (\(labeler.horizon) h) does not match the feature spec's (\(features.horizon) h): "
            + "the calendar and known-ahead features (\(names)) describe hour t+\(features.horizon), while the label looks at \(target)"
    }
}
