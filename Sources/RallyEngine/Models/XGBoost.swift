import CXGBoost
import Foundation

/// Calls into the XGBoost C API, turning every failure into a ``RallyError`` that carries
/// XGBoost's own message (`XGBGetLastError`, which is thread-local, so concurrent boosters on
/// other threads cannot garble it).
///
/// The calls go through CXGBoost's wrappers (`rally_xgb_...`), which load libxgboost.so.0 at
/// the first one; when it cannot be loaded each returns -1 and the message says what was
/// missing, so that failure is reported like any other.
enum XGBoost {
    /// The library version, e.g. "1.7.4", or "unavailable (why)" when it cannot be loaded.
    static var version: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        guard rally_xgb_Version(&major, &minor, &patch) == 0 else { return "unavailable (\(lastError))" }
        return "\(major).\(minor).\(patch)"
    }

    /// XGBoost's message for this thread's last failure, or the loader's.
    static var lastError: String { String(cString: rally_xgb_GetLastError()) }

    /// Throws unless `code` (an XGBoost return code) is 0.
    static func check(_ code: Int32, _ action: String) throws {
        guard code != 0 else { return }
        throw error(action, message: lastError)
    }

    /// The error for XGBoost's failure to do `action`, with its `message`.
    static func error(_ action: String, message: String) -> RallyError {
        // XGBoost's message: "[time] file:line: what\nStack trace: ..." -> "what", bounded
        let what = message.components(separatedBy: "\nStack trace")[0].components(separatedBy: ": ").dropFirst(message.hasPrefix("[") ? 1 : 0).joined(separator: ": ")
        return RallyError(MessageText.bounded("gbdt: XGBoost failed to \(action): \(what)"))
    }

    /// What loading `library` as XGBoost says, in a loader state of its own (not the one the
    /// calls use): nil when it and every function rally calls loaded. For tests.
    static func loadFailure(library: String) -> String? {
        var text = [CChar](repeating: 0, count: 1024)
        let status = rally_xgb_test_load(library, &text, text.count)
        return status == 0 ? nil : text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Calls `body` with the strings as a C array of `const char *`.
    static func withCStrings<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafePointer<CChar>?>) throws -> R) rethrows -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        var pointers = copies.map { UnsafePointer($0) }
        return try pointers.withUnsafeMutableBufferPointer { try body($0.baseAddress!) }
    }
}

/// An XGBoost `DMatrix` that this object owns and frees: rows of `Float` features with NaN as
/// missing, optional labels and weights.
final class XGMatrix {
    let handle: DMatrixHandle

    /// Copies `rows` of `X` into a row-major `Float` matrix and hands it to XGBoost, which
    /// reads it with `threads` threads.
    init(_ X: DesignMatrix, rows: Range<Int>, threads: Int) throws {
        let p = X.width, m = rows.count
        var values = [Float](repeating: .nan, count: m * p)
        for j in 0..<p {
            let col = X.columns[j]
            for (k, i) in rows.enumerated() { values[k * p + j] = Float(col[i]) }
        }
        var out: DMatrixHandle?
        try XGBoost.check(rally_xgb_DMatrixCreateFromMat_omp(values, bst_ulong(m), bst_ulong(p), .nan, &out, Int32(threads)), "create a DMatrix")
        guard let out else { throw RallyError("gbdt: XGBoost returned no DMatrix") }
        handle = out
        try XGBoost.withCStrings(X.names) { names in
            try XGBoost.check(rally_xgb_DMatrixSetStrFeatureInfo(handle, "feature_name", names, bst_ulong(p)), "set feature names")
        }
    }

    deinit { rally_xgb_DMatrixFree(handle) }

    /// Sets a float field (`label`, `weight`) from `values`.
    func set(_ field: String, _ values: ArraySlice<Double>) throws {
        let floats = values.map { Float($0) }
        try XGBoost.check(rally_xgb_DMatrixSetFloatInfo(handle, field, floats, bst_ulong(floats.count)), "set the \(field)s")
    }
}

/// An XGBoost booster that this object owns and frees. Not to be shared between threads.
final class XGBooster {
    private(set) var handle: BoosterHandle

    /// A booster that will train on `matrices` (the training matrix first).
    init(training matrices: [XGMatrix]) throws {
        var handles: [DMatrixHandle?] = matrices.map { $0.handle }
        var out: BoosterHandle?
        try XGBoost.check(rally_xgb_BoosterCreate(&handles, bst_ulong(handles.count), &out), "create a booster")
        guard let out else { throw RallyError("gbdt: XGBoost returned no booster") }
        handle = out
    }

    /// A booster read from an XGBoost model in memory (JSON or binary).
    init(model data: Data) throws {
        var out: BoosterHandle?
        try XGBoost.check(rally_xgb_BoosterCreate(nil, 0, &out), "create a booster")
        guard let out else { throw RallyError("gbdt: XGBoost returned no booster") }
        handle = out
        try data.withUnsafeBytes { buf in
            try XGBoost.check(rally_xgb_BoosterLoadModelFromBuffer(handle, buf.baseAddress, bst_ulong(buf.count)), "load the model")
        }
    }

    deinit { rally_xgb_BoosterFree(handle) }

    /// Sets a training parameter.
    func set(_ name: String, _ value: String) throws {
        try XGBoost.check(rally_xgb_BoosterSetParam(handle, name, value), "set parameter \(name)=\(value)")
    }

    /// Runs boosting round `round` on `matrix`.
    func update(round: Int, on matrix: XGMatrix) throws {
        try XGBoost.check(rally_xgb_BoosterUpdateOneIter(handle, Int32(round), matrix.handle), "run boosting round \(round + 1)")
    }

    /// The first evaluation metric on `matrix` after round `round`.
    func evaluate(round: Int, on matrix: XGMatrix, name: String) throws -> Double {
        var handles: [DMatrixHandle?] = [matrix.handle]
        var result: UnsafePointer<CChar>?
        try XGBoost.withCStrings([name]) { names in
            try XGBoost.check(rally_xgb_BoosterEvalOneIter(handle, Int32(round), &handles, names, 1, &result), "evaluate round \(round + 1)")
        }
        let text = result.map { String(cString: $0) } ?? ""
        guard let colon = text.lastIndex(of: ":"), let value = Double(text[text.index(after: colon)...]
            .trimmingCharacters(in: .whitespaces)) else {
            throw RallyError("gbdt: cannot read XGBoost's evaluation '\(text)'")
        }
        return value
    }

    /// Keeps only the trees of the first `rounds` rounds.
    func keepFirst(_ rounds: Int) throws {
        var out: BoosterHandle?
        try XGBoost.check(rally_xgb_BoosterSlice(handle, 0, Int32(rounds), 1, &out), "keep the first \(rounds) rounds")
        guard let out else { throw RallyError("gbdt: XGBoost returned no sliced booster") }
        rally_xgb_BoosterFree(handle)
        handle = out
    }

    /// The number of boosting rounds in the model.
    func rounds() throws -> Int {
        var n: Int32 = 0
        try XGBoost.check(rally_xgb_BoosterBoostedRounds(handle, &n), "count the boosted rounds")
        return Int(n)
    }

    /// Predicted probabilities for the rows of `matrix`, using every tree.
    func predict(_ matrix: XGMatrix, rows: Int) throws -> [Double] {
        var shape: UnsafePointer<bst_ulong>?
        var dim: bst_ulong = 0
        var result: UnsafePointer<Float>?
        let config = #"{"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, "strict_shape": false}"#
        try XGBoost.check(rally_xgb_BoosterPredictFromDMatrix(handle, matrix.handle, config, &shape, &dim, &result), "predict")
        guard let result else { throw RallyError("gbdt: XGBoost returned no predictions") }
        return (0..<rows).map { Double(result[$0]) }
    }

    /// The score of each feature that appears in a split, by importance `type`.
    func featureScores(type: String, names: [String]) throws -> [String: Double] {
        let config = "{\"importance_type\": \(JSONText.string(type)), \"feature_names\": [\(names.map(JSONText.string).joined(separator: ", "))]}"
        var count: bst_ulong = 0, dim: bst_ulong = 0
        var features: UnsafeMutablePointer<UnsafePointer<CChar>?>?
        var shape: UnsafePointer<bst_ulong>?
        var scores: UnsafePointer<Float>?
        try XGBoost.check(rally_xgb_BoosterFeatureScore(handle, config, &count, &features, &dim, &shape, &scores), "compute feature importance")
        var out: [String: Double] = [:]
        for i in 0..<Int(count) {
            guard let name = features?[i], let scores else { continue }
            out[String(cString: name)] = Double(scores[i])
        }
        return out
    }

    /// Stores a string attribute (kept in the saved model).
    func setAttribute(_ key: String, _ value: String) throws {
        try XGBoost.check(rally_xgb_BoosterSetAttr(handle, key, value), "set attribute \(key)")
    }

    /// A string attribute, nil when absent.
    func attribute(_ key: String) throws -> String? {
        var out: UnsafePointer<CChar>?
        var success: Int32 = 0
        try XGBoost.check(rally_xgb_BoosterGetAttr(handle, key, &out, &success), "read attribute \(key)")
        guard success != 0, let out else { return nil }
        return String(cString: out)
    }

    /// The model in XGBoost's JSON format.
    func jsonModel() throws -> Data { try savedModel(format: "json") }

    /// The model in XGBoost's Universal Binary JSON format (numbers as their exact bits).
    func ubjModel() throws -> Data { try savedModel(format: "ubj") }

    private func savedModel(format: String) throws -> Data {
        var length: bst_ulong = 0
        var bytes: UnsafePointer<CChar>?
        try XGBoost.check(rally_xgb_BoosterSaveModelToBuffer(handle, "{\"format\": \"\(format)\"}", &length, &bytes), "save the model")
        guard let bytes else { throw RallyError("gbdt: XGBoost returned no model bytes") }
        return Data(bytes: bytes, count: Int(length))
    }
}
