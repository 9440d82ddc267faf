/// What a panel evaluation adds to the artifacts (the single-location files are unchanged):
/// `metrics.json` opens with `locations` (their names) and `by_location` (each location's own
/// metrics.json document), while its other fields are the panel row's; `benchmark_table.csv`
/// and `predictions.csv` start with a `location` column (`panel` on the panel rows).
extension EvaluationArtifacts {
    /// The fields a panel adds in front of `metrics.json` (none for one location).
    func panelJSON() -> [(String, JSONValue)] {
        guard let panel = result.panel else { return [] }
        return [
            ("locations", .array(panel.locations.map(JSONValue.string))),
            ("by_location", .object(zip(panel.locations, panel.results).map { ($0, EvaluationArtifacts($1).metricsJSON()) })),
        ]
    }

    /// The settings a panel adds to run.json's parameters: its locations, training and
    /// location feature (none for one location).
    func panelParameters() -> [(String, JSONValue)] {
        guard let panel = result.panel else { return [] }
        let p = result.plan
        return [("locations", .array(panel.locations.map(JSONValue.string))), ("training", .string(p.training.rawValue)),
                ("location_feature", .bool(p.locationFeature))]
    }

    /// The rows of `benchmark_table.csv`: the models (no location), or for a panel each
    /// location's models and then the panel row's (location `panel`).
    var tableRows: [(location: String?, model: ModelEvaluation)] {
        guard let panel = result.panel else { return result.models.map { (nil, $0) } }
        return zip(panel.locations, panel.results).flatMap { name, r in r.models.map { (name, $0) } }
            + result.models.map { ("panel", $0) }
    }
}
