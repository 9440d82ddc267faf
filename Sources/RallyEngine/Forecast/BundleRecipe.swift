/// The feature spec and the labeler as a bundle writes them (JSON) and reads them back, every
/// value checked as `rally.features{...}` and `rally.labeler.<kind>{...}` check theirs. A
/// translation of recipes, not a file format of its own (that is ``ModelBundle``).
enum BundleRecipe {
    // MARK: writing

    /// `{"horizon": 24, "features": [{"name": "lag0", "source": "lag", "column": "price", "steps": 0}, ...]}`.
    static func json(_ spec: FeatureSpec) -> JSONValue {
        .object([("horizon", spec.horizon.json), ("features", .array(spec.features.map(json)))])
    }

    private static func json(_ f: Feature) -> JSONValue {
        var fields: [(String, JSONValue)] = [("name", .string(f.name))]
        switch f.source {
        case .lag(let c, let k): fields += [("source", .string("lag")), ("column", .string(c)), ("steps", k.json)]
        case .rolling(let c, let s, let w):
            fields += [("source", .string("rolling")), ("column", .string(c)), ("stat", .string(s.name)), ("window", w.json)]
            if case .quantile(let q) = s { fields.append(("q", .number(q))) }
        case .relativeToMean(let c, let w): fields += [("source", .string("relative")), ("column", .string(c)), ("window", w.json)]
        case .gapToThreshold(let c): fields += [("source", .string("gap_to_thr")), ("column", .string(c))]
        case .calendar(let field): fields += [("source", .string("calendar")), ("field", .string(field.rawValue))]
        case .knownAhead(let c): fields += [("source", .string("known_ahead")), ("column", .string(c))]
        case .knownAheadRelative(let c, let w): fields += [("source", .string("known_ahead_relative")), ("column", .string(c)), ("window", w.json)]
        case .ratio(let a, let b): fields += [("source", .string("ratio")), ("a", .string(a)), ("b", .string(b))]
        case .difference(let a, let b): fields += [("source", .string("difference")), ("a", .string(a)), ("b", .string(b))]
        }
        return .object(fields)
    }

    /// `{"kind": "quantile", "col": "price", "q": 0.95, "window": 672, "horizon": 24}`.
    static func json(_ labeler: Labeler) -> JSONValue {
        .object([("kind", .string(labeler.kind))] + labeler.parameters.map { p in
            switch p.value {
            case .number(let x): (p.name, .number(x))
            case .string(let s): (p.name, .string(s))
            case .bool(let b): (p.name, .bool(b))
            }
        })
    }

    // MARK: reading

    /// The feature spec in `value` (field `features` of a bundle), checked by ``FeatureSpec/validate()``.
    static func spec(_ value: BoundedJSON?, _ r: BundleReader) throws -> FeatureSpec {
        let o = try r.object(value, "features")
        let horizon = try steps(o["horizon"], "features.horizon", lowest: 0, r)
        let list = try r.array(o["features"], "features.features")
        guard list.count <= 10_000 else { throw r.fail("features.features has \(list.count) entries, more than 10000") }
        let features = try list.enumerated().map { k, entry in try feature(entry, "features.features[\(k)]", r) }
        let spec = FeatureSpec(horizon: horizon, features: features)
        do { try spec.validate() } catch let e as RallyError { throw r.fail(e.message) }
        return spec
    }

    /// A step count as a bundle writes it: whole steps, or a duration such as "24h".
    private static func steps(_ value: BoundedJSON?, _ path: String, lowest: Int, _ r: BundleReader) throws -> StepCount {
        guard case .string(let text)? = value else { return .steps(try r.integer(value, path, lowest...EntryPointOptions.maximumSteps)) }
        guard let span = TimeSpan.parse(text) else { throw r.fail("\(path) = \"\(MessageText.quote(text, limit: 20))\": \(TimeSpan.expected) expected") }
        return .span(span)
    }

    private static func feature(_ value: BoundedJSON, _ path: String, _ r: BundleReader) throws -> Feature {
        let o = try r.object(value, path)
        let name = try r.text(o["name"], "\(path).name")
        let kind = try r.text(o["source"], "\(path).source")
        func column() throws -> String { try r.text(o["column"], "\(path).column") }
        func count(_ key: String, _ lowest: Int) throws -> StepCount { try steps(o[key], "\(path).\(key)", lowest: lowest, r) }
        let source: Feature.Source
        switch kind {
        case "lag": source = .lag(column: try column(), steps: try count("steps", 0))
        case "rolling":
            let stat = try r.text(o["stat"], "\(path).stat")
            let statistic: RollingStatistic
            if let plain = RollingStatistic(plainName: stat) {
                statistic = plain
            } else if stat == "quantile" {
                let q = try r.number(o["q"], "\(path).q")
                guard q > 0 && q < 1 else { throw r.fail("\(path).q = \(Format.number(q)) must be in (0, 1)") }
                statistic = .quantile(q)
            } else {
                throw r.fail("\(path).stat = \"\(MessageText.quote(stat, limit: 20))\": expected mean, std, min, max or quantile")
            }
            source = .rolling(column: try column(), statistic: statistic, window: try count("window", 1))
        case "relative": source = .relativeToMean(column: try column(), window: try count("window", 1))
        case "gap_to_thr": source = .gapToThreshold(column: try column())
        case "calendar":
            let field = try r.text(o["field"], "\(path).field")
            guard let value = CalendarField(rawValue: field) else { throw r.fail("\(path).field = \"\(MessageText.quote(field, limit: 20))\" is not a calendar field") }
            source = .calendar(value)
        case "known_ahead": source = .knownAhead(column: try column())
        case "known_ahead_relative": source = .knownAheadRelative(column: try column(), window: try count("window", 1))
        case "ratio": source = .ratio(numerator: try r.text(o["a"], "\(path).a"), denominator: try r.text(o["b"], "\(path).b"))
        case "difference": source = .difference(minuend: try r.text(o["a"], "\(path).a"), subtrahend: try r.text(o["b"], "\(path).b"))
        default: throw r.fail("\(path).source = \"\(MessageText.quote(kind, limit: 30))\" is not a kind of feature")
        }
        return Feature(name: name, source: source)
    }

    /// The labeler in `value` (field `labeler` of a bundle), checked by ``Labeler/make(kind:parameters:)``.
    static func labeler(_ value: BoundedJSON?, _ r: BundleReader) throws -> Labeler {
        let o = try r.object(value, "labeler")
        let kind = try r.text(o["kind"], "labeler.kind")
        var parameters = ModelParameters()
        for (key, v) in o.sorted(by: { $0.key < $1.key }) where key != "kind" {
            switch v {
            case .number(let x, _, _): parameters[key] = .number(x)
            case .string(let s): parameters[key] = .string(s)
            case .bool(let b): parameters[key] = .bool(b)
            default: throw r.fail("labeler.\(MessageText.quote(key, limit: 30)) must be a number, string or boolean")
            }
        }
        do { return try Labeler.make(kind: kind, parameters: parameters) } catch let e as Labeler.InvalidParameter {
            throw r.fail("labeler: \(e.description)")
        }
    }
}

/// Reads the fields of a bundle parsed by ``BoundedJSON``, failing with the field's path and
/// what was expected. Strings are at most ``maxText`` bytes unless said otherwise.
struct BundleReader {
    /// The longest string field (a name, a column, a time) besides the embedded model.
    static let maxText = 1_000

    func fail(_ what: String) -> RallyError { RallyError(what) }

    func object(_ v: BoundedJSON?, _ name: String) throws -> [String: BoundedJSON] {
        guard case .object(let o)? = v else { throw fail("\(name) must be an object") }
        return o
    }

    func array(_ v: BoundedJSON?, _ name: String) throws -> [BoundedJSON] {
        guard case .array(let a)? = v else { throw fail("\(name) must be an array") }
        return a
    }

    func text(_ v: BoundedJSON?, _ name: String, limit: Int = maxText) throws -> String {
        guard case .string(let s)? = v else { throw fail("\(name) must be a string") }
        guard !s.isEmpty, s.utf8.count <= limit else { throw fail("\(name) must be a string of 1 to \(limit) bytes") }
        return s
    }

    func number(_ v: BoundedJSON?, _ name: String) throws -> Double {
        guard case .number(let x, _, _)? = v else { throw fail("\(name) must be a number") }
        return x
    }

    func integer(_ v: BoundedJSON?, _ name: String, _ range: ClosedRange<Int>) throws -> Int {
        guard case .number(_, let n?, false)? = v else { throw fail("\(name) must be a whole number") }
        guard n >= Int64(range.lowerBound), n <= Int64(range.upperBound) else {
            throw fail("\(name) = \(n) must be in [\(range.lowerBound), \(range.upperBound)]")
        }
        return Int(n)
    }

    func time(_ v: BoundedJSON?, _ name: String) throws -> Int64 {
        let s = try text(v, name, limit: 40)
        do { return try TimeStamp.parse(s) } catch { throw fail("\(name) = \"\(MessageText.quote(s, limit: 40))\" is not a time YYYY-MM-DD HH:MM[:SS]") }
    }

    func strings(_ v: BoundedJSON?, _ name: String, most: Int) throws -> [String] {
        let a = try array(v, name)
        guard a.count <= most else { throw fail("\(name) has \(a.count) entries, more than \(most)") }
        return try a.enumerated().map { k, e in try text(e, "\(name)[\(k)]") }
    }
}
