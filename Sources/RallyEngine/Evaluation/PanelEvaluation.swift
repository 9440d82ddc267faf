/// What a panel evaluation adds to its result: the locations evaluated and each one's own
/// result (its figures equal those of `rally.evaluate` on `ds:location(name)`).
///
/// The ``EvaluationResult`` holding it is the panel row: every location's test rows stacked,
/// location after location (``rowLocations`` says whose each row is), scored together with the
/// bootstrap of ``PanelScores``. It is not a sweep over locations (that is a `location` axis).
public struct PanelEvaluation: Sendable {
    /// The locations, in the order evaluated.
    public var locations: [String]
    /// Each location's own result, in ``locations`` order.
    public var results: [EvaluationResult]
    /// The index into ``locations`` of each stacked test row of the panel row.
    public var rowLocations: [Int]

    /// The location of stacked test row `i`.
    public func location(ofRow i: Int) -> String { locations[rowLocations[i]] }

    /// The result of the location named `name`; throws naming the locations there are.
    public func result(_ name: String) throws -> EvaluationResult {
        guard let k = locations.firstIndex(of: name) else {
            throw RallyError("no location '\(MessageText.quote(name, limit: 60))' in this panel; locations: \(locations.joined(separator: ", "))", argument: 1)
        }
        return results[k]
    }
}

extension Dataset {
    /// The locations a panel runs on: `["all"]` means every location of the dataset, in its
    /// order; otherwise each key is a location's name or id (given as its name). Throws for a
    /// dataset without locations, an unknown key, a location named twice or no keys at all.
    public func panelLocations(_ keys: [String], option: String = "locations") throws -> [String] {
        guard !locations.isEmpty else {
            throw RallyError("this dataset holds one series, not several locations; leave \(option) out", option: option)
        }
        if keys == ["all"] { return locations.map(\.name) }
        guard !keys.isEmpty else { throw RallyError("no locations given; name some, or give \"all\"", option: option) }
        var names: [String] = []
        for key in keys {
            do {
                _ = try location(key)
            } catch let error as RallyError {
                throw RallyError(error.message, option: option)
            }
            let name = findLocation(key)!.name
            guard !names.contains(name) else { throw RallyError("location '\(name)' is named twice", option: option) }
            names.append(name)
        }
        return names
    }
}

extension SweepPlan {
    /// The name of the grid axis that runs a sweep over a panel's locations.
    public static let locationAxisName = "location"

    /// Takes the `location` axis out of the axes a user gave (it varies the data, not the
    /// labeler) and returns its values as location keys (a pnode id given as a number reads as
    /// its digits); nil when there is none.
    public static func takeLocationAxis(_ axes: inout [SweepAxis]) -> [String]? {
        guard let k = axes.firstIndex(where: { $0.name == locationAxisName }) else { return nil }
        return axes.remove(at: k).values.map(\.description)
    }

    /// The locations a sweep runs on: the `location` axis's or the `locations` option's keys
    /// (not both), checked against the dataset (``Dataset/panelLocations(_:option:)``); none
    /// when neither is given.
    public static func panelLocations(axis: [String]?, option: [String]?, dataset: Dataset) throws -> [String] {
        switch (axis, option) {
        case (nil, nil): return []
        case (let keys?, nil): return try dataset.panelLocations(keys, option: "grid")
        case (nil, let keys?): return try dataset.panelLocations(keys)
        case (.some, .some):
            throw RallyError("give the locations once: a location axis in grid or locations = ..., not both", option: "locations")
        }
    }
}
