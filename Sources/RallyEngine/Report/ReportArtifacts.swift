import Foundation

/// What `run.json` tells the report: the labeler, the data and the run's provenance.
public struct RunSummary: Sendable {
    /// The labeler kind (`quantile`, `threshold`, `jump`, `daily_any`), when recorded.
    public var labelerKind: String?
    /// The labeler's parameters in the labeler's own order, as text.
    public var labelerParameters: [(name: String, value: String)]
    /// The label horizon in steps (hours), when the labeler has one.
    public var horizon: Int?
    /// The data file, or nil for generated data.
    public var dataPath: String?
    /// Whether the data were generated (synthetic).
    public var synthetic: Bool
    /// The data source as the loader described it.
    public var dataSource: String
    /// The recipe that produced the artifacts.
    public var recipe: String?
    /// The commit of the code that produced them.
    public var gitCommit: String?
    /// The share of hours behind precision@top and lift@top (0.05), when recorded.
    public var topShare: Double?
    /// Training rows, when recorded.
    public var trainRows: Int?
    /// Bootstrap resamples behind the benchmark's intervals, when recorded.
    public var bootstrapResamples: Int?
    /// The labeler parameter `name`, if recorded.
    public func parameter(_ name: String) -> String? { labelerParameters.first { $0.name == name }?.value }

    /// Reads `run.json` at `path`.
    public static func load(path: String) throws -> RunSummary {
        let root = try ArtifactJSON.load(path)
        var kind: String?, parameters: [(String, String)] = [], horizon: Int?
        if let labeler = try root.optionalMember("parameters")?.optionalMember("labeler") {
            let k = try labeler.member("kind").string()
            kind = k
            for name in Labeler.options(of: k) + ["horizon"] where labeler.has(name) && !parameters.contains(where: { $0.0 == name }) {
                parameters.append((name, try labeler.member(name).text()))
            }
            if labeler.has("horizon") { horizon = try labeler.member("horizon").integer() }
        }
        let data = try root.optionalMember("data")
        let rows = try root.optionalMember("rows")
        return RunSummary(
            labelerKind: kind, labelerParameters: parameters, horizon: horizon,
            dataPath: try data?.optionalMember("path")?.string(),
            synthetic: (try data?.optionalMember("synthetic")?.text()) == "true",
            dataSource: try data?.optionalMember("source")?.string() ?? "",
            recipe: try root.optionalMember("recipe")?.string(),
            gitCommit: try root.optionalMember("git_commit")?.string(),
            topShare: try root.optionalMember("parameters")?.optionalMember("metrics")?.optionalMember("top")?.number(),
            trainRows: try rows?.optionalMember("train")?.integer(),
            bootstrapResamples: try root.optionalMember("parameters")?.optionalMember("bootstrap")?.optionalMember("resamples")?.integer())
    }
}

/// One row of `importance.csv`.
public struct FeatureImportance: Sendable, Equatable {
    /// The model.
    public var model: String
    /// The feature.
    public var feature: String
    /// Its gain.
    public var gain: Double
}

/// Everything the report reads from an artifacts directory. `metrics.json` and
/// `predictions.csv` are required; `run.json`, `importance.csv` and `sweep_thresholds.csv`
/// are used when present.
public struct ReportArtifacts: Sendable {
    /// The directory read.
    public var directory: String
    /// `metrics.json`.
    public var metrics: BenchmarkMetrics
    /// `predictions.csv`.
    public var predictions: PredictionTable
    /// `run.json`, when present.
    public var run: RunSummary?
    /// `importance.csv` rows (empty when absent or header-only).
    public var importance: [FeatureImportance]
    /// `sweep_thresholds.csv`, when present.
    public var sweep: ArtifactCSV?

    /// Reads `directory`. Checks that every model of `metrics.json` has a probability column
    /// and that the test rows agree in number.
    public static func load(directory: String) throws -> ReportArtifacts {
        let base = URL(fileURLWithPath: directory)
        func path(_ name: String) -> String { base.appendingPathComponent(name).path }
        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }
        for required in ["metrics.json", "predictions.csv"] where !exists(required) {
            throw RallyError("report: no \(required) in '\(directory)' (run scripts/benchmark.lua first, or pass artifacts = DIR)")
        }
        let metrics = try BenchmarkMetrics.load(path: path("metrics.json"))
        let predictions = try PredictionTable.load(path: path("predictions.csv"))
        for model in metrics.models where predictions.probabilities(of: model) == nil {
            throw RallyError("\(path("predictions.csv")): no column p_\(model) for model '\(model)' of metrics.json (columns: \(predictions.models.map { "p_" + $0 }.joined(separator: ", ")))")
        }
        guard metrics.testRows == predictions.count else {
            throw RallyError("\(directory): metrics.json counts \(metrics.testRows) test rows but predictions.csv has \(predictions.count)")
        }
        var importance: [FeatureImportance] = []
        if exists("importance.csv") {
            let csv = try ArtifactCSV(path: path("importance.csv"))
            let model = try csv.column("model"), feature = try csv.column("feature")
            let gains = try csv.numbers(csv.column("gain"))
            importance = csv.rows.indices.map { FeatureImportance(model: csv.rows[$0][model], feature: csv.rows[$0][feature], gain: gains[$0]) }
        }
        return ReportArtifacts(
            directory: directory, metrics: metrics, predictions: predictions,
            run: exists("run.json") ? try RunSummary.load(path: path("run.json")) : nil,
            importance: importance,
            sweep: exists("sweep_thresholds.csv") ? try ArtifactCSV(path: path("sweep_thresholds.csv")) : nil)
    }

    /// The models in report order: the metrics file's order.
    public var models: [String] { metrics.models }

    /// The probability column of `model` (checked to exist by ``load(directory:)``).
    public func probabilities(_ model: String) -> [Double] { predictions.probabilities(of: model) ?? [] }
}
