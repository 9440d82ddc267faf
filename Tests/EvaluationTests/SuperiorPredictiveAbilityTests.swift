import Foundation
import Testing
@testable import RallyEngine

/// python3 with numpy and arch, for the cross-check (scripts/setup.sh installs arch).
enum PythonArch {
    static let script: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent("scripts/crosscheck/spa_arch.py").path
    }()

    /// Runs python3 with `arguments`; (exit status, stdout, stderr), or nil when python3 cannot start.
    static func run(_ arguments: [String]) -> (status: Int32, out: String, err: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { return nil }
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    static let isAvailable: Bool = run(["-c", "import numpy, arch.bootstrap"])?.status == 0
    static let skipMessage: Comment = "python3 with numpy and arch is not installed (pip install arch; scripts/setup.sh does): skipped"
}

@Suite struct SuperiorPredictiveAbilityTests {
    /// By hand: two alternatives, n = 16 rows (log log 16 = 1.0197), four resamples.
    /// Means d̄ = (0.1, −0.5); variances ω² = (0.16, 0.04): thresholds −√(ω²/16 · 2 · 1.0197) =
    /// (−0.1428, −0.0714), so alternative 2 (−0.5) is left out of the consistent null (centre 0).
    /// Studentized scale √n/ω = (10, 20); statistic max(0, 1.0, −10) = 1.
    /// Resample means (0.2, −0.4), (0.05, −0.45), (0.25, −0.5), (0.1, −0.3):
    /// upper (centres d̄):  (1.0, 2.0), (−0.5, 1.0), (1.5, 0), (0, 4.0) → maxima 2, 1, 1.5, 4 → 3 of 4 above 1 → 0.75
    /// (1 is not strictly above 1); consistent (centres 0.1, 0): (1, −8), (−0.5, −9), (1.5, −10), (0, −6) → max with 0:
    /// 1, 0, 1.5, 0 → 1 of 4 → 0.25; lower (centres 0.1, 0): the same → 0.25.
    /// Unstudentized: statistic max d̄ = 0.1; upper maxima 0.1, 0.05, 0.15, 0.2 → above 0.1: 0.15, 0.2 → 0.5 (0.1 is not;
    /// −0.4 + 0.5 rounds to 0.09999999999999998).
    @Test func byHand() throws {
        let means = [0.1, -0.5], variances = [0.16, 0.04]
        let resamples = [[0.2, -0.4], [0.05, -0.45], [0.25, -0.5], [0.1, -0.3]]
        let s = try SuperiorPredictiveAbility.test(means: means, resampleMeans: resamples, variances: variances, rows: 16, studentize: true)
        #expect(abs(s.statistic - 1) < 1e-12 && s.best == 0)
        #expect(s.pValues == .init(lower: 0.25, consistent: 0.25, upper: 0.75))
        let u = try SuperiorPredictiveAbility.test(means: means, resampleMeans: resamples, variances: variances, rows: 16, studentize: false)
        #expect(u.statistic == 0.1)
        #expect(u.pValues.upper == 0.5)
        #expect(throws: RallyError.self) { try SuperiorPredictiveAbility.test(means: [], resampleMeans: [[]], variances: [], rows: 16, studentize: true) }
    }

    /// The resample means are the bootstrap's own resamples: Σ wᵢ dᵢ / n with the weights of
    /// BlockBootstrap, whatever the thread count; the bootstrap variance is n · mean (d̄* − d̄)².
    @Test func resampleMeansFollowTheBlockBootstrap() throws {
        let first: [Double] = (0..<50).map { (t: Int) -> Double in Double(t % 7) - 3 }
        let second: [Double] = (0..<50).map { (t: Int) -> Double in Double((t * 3) % 11) / 10 }
        let d = [first, second]
        let scheme = BlockBootstrap(block: 5, resamples: 40, seed: 3)
        let one = try SuperiorPredictiveAbility.resampleMeans(d, scheme: scheme, threads: 1)
        #expect(try SuperiorPredictiveAbility.resampleMeans(d, scheme: scheme, threads: 3) == one)
        var w: [Double] = []
        scheme.weights(resample: 17, rows: 50, into: &w)
        var weighted = 0.0
        for i in 0..<50 { weighted += w[i] * second[i] }
        #expect(abs(one[17][1] - weighted / 50) < 1e-15)
        let means: [Double] = d.map { $0.reduce(0, +) / 50 }
        let v = SuperiorPredictiveAbility.bootstrapVariances(means: means, resampleMeans: one, rows: 50)
        var squares = 0.0
        for row in one { squares += (row[0] - means[0]) * (row[0] - means[0]) }
        #expect(abs(v[0] - 50 * squares / 40) < 1e-12)
    }

    /// The same losses and the same resamples through arch.bootstrap.SPA (8.0): arch's statistic
    /// (the largest mean differential) and its lower, consistent and upper p-values equal rally's
    /// unstudentized test given arch's variances for the consistent threshold; and arch's
    /// `studentize` flag changes none of its p-values (so Hansen's studentized statistic, rally's
    /// headline, has no counterpart there).
    @Test(.enabled(if: PythonArch.isAvailable, PythonArch.skipMessage))
    func matchesArch() throws {
        let n = 400, k = 4, scheme = BlockBootstrap(block: 20, resamples: 300, seed: 11)
        let shift = [0.003, -0.01, -0.004, -0.25]   // a little better, worse, about equal, far worse (left out by the consistent p)
        let benchmark: [Double] = (0..<n).map { (t: Int) -> Double in Double((t * 37) % 101) / 101 }
        func noise(_ t: Int, _ j: Int) -> Double { Double(((t / 7) * 13 + j * 29) % 17) / 17 * 0.2 - 0.1 }
        let models: [[Double]] = (0..<k).map { j in (0..<n).map { t in benchmark[t] - shift[j] + noise(t, j) } }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rally-spa-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let lines = (0..<n).map { t in ([benchmark[t]] + models.map { $0[t] }).map { "\($0)" }.joined(separator: ",") }
        try (lines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("losses.csv"), atomically: true, encoding: .utf8)
        var weightLines: [String] = []
        var w: [Double] = []
        for r in 0..<scheme.resamples {
            scheme.weights(resample: r, rows: n, into: &w)
            weightLines.append(w.map { String(Int($0)) }.joined(separator: ","))
        }
        try (weightLines.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("weights.csv"), atomically: true, encoding: .utf8)

        let run = try #require(PythonArch.run([PythonArch.script, folder.path, String(scheme.block)]))
        try #require(run.status == 0, Comment(rawValue: run.err))
        let arch = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
        let archVariances = try #require(arch["variances"] as? [Double])

        let differentials: [[Double]] = models.map { m in zip(benchmark, m).map { $0 - $1 } }
        let means: [Double] = differentials.map { $0.reduce(0, +) / Double(n) }
        let resampled = try SuperiorPredictiveAbility.resampleMeans(differentials, scheme: scheme)
        let ours = try SuperiorPredictiveAbility.test(means: means, resampleMeans: resampled, variances: archVariances, rows: n, studentize: false)
        #expect(abs(ours.statistic - (arch["statistic"] as? Double ?? .nan)) < 1e-12)
        #expect(ours.pValues.lower == arch["lower"] as? Double)
        #expect(ours.pValues.consistent == arch["consistent"] as? Double)
        #expect(ours.pValues.upper == arch["upper"] as? Double)
        #expect(arch["studentize_changes_nothing"] as? Bool == true)
        // the case is not degenerate: the p-values differ from one another and from 0 and 1
        #expect(ours.pValues.lower < ours.pValues.upper && ours.pValues.upper < 1 && ours.pValues.lower > 0, "\(ours.pValues) \(means)")
    }
}

@Suite struct SweepSPATests {
    /// A sweep with spa: the table and its CSV are the same bytes as without it; the test runs on
    /// the runs' hourly Brier differentials against their own configuration's baseline (equal to
    /// those rebuilt from rally.evaluate's predictions of each configuration), is deterministic,
    /// is printed under the table and written beside the CSV; resume or shard with spa is refused.
    @Test func sweepRunsTheTestOnItsRuns() throws {
        var plan = try SmallSweep.plan(threads: 2, resamples: 0)
        plan.spa = SweepSPAPlan(loss: .brier, resamples: 200)
        let models = [try ModelSpec(kind: "naive"), try ModelSpec(kind: "logreg")]
        let outcome = try SweepRunner(plan: plan).run(on: SmallSweep.data, models: models)
        let spa = try #require(outcome.spa)
        #expect(spa.runs == ["logreg q=0.9 window=168", "logreg q=0.9 window=336", "logreg q=0.95 window=168", "logreg q=0.95 window=336"])
        #expect(spa.scheme == BlockBootstrap(block: 72, resamples: 200, seed: 11))

        var plain = plan
        plain.spa = nil
        let without = try SweepRunner(plan: plain).run(on: SmallSweep.data, models: models)
        #expect(without.spa == nil && without.table.csv() == outcome.table.csv())

        // the differentials, rebuilt from separate evaluations
        var differentials: [[Double]] = []
        for configuration in try plan.configurations() {
            let r = try Evaluator(plan: plan.evaluationPlan(for: configuration)).run(on: SmallSweep.data, models: models)
            differentials.append(zip(r.models[0].predictions, r.models[1].predictions).enumerated().map { i, p in
                (p.0 - r.testLabels[i]) * (p.0 - r.testLabels[i]) - (p.1 - r.testLabels[i]) * (p.1 - r.testLabels[i])
            })
        }
        let means: [Double] = differentials.map { $0.reduce(0, +) / Double($0.count) }
        for (a, b) in zip(means, spa.meanGains) { #expect(abs(a - b) < 1e-15) }
        let resampled = try SuperiorPredictiveAbility.resampleMeans(differentials, scheme: spa.scheme)
        let variances = SuperiorPredictiveAbility.bootstrapVariances(means: means, resampleMeans: resampled, rows: spa.rows)
        let hansen = try SuperiorPredictiveAbility.test(means: means, resampleMeans: resampled, variances: variances, rows: spa.rows, studentize: true)
        #expect(hansen == spa.hansen)

        let again = try #require(try SweepRunner(plan: plan).run(on: SmallSweep.data, models: models).spa)
        #expect(again.hansen == spa.hansen && again.unstudentized == spa.unstudentized)

        let text = SweepResult(outcome).text
        #expect(text.contains("Hansen SPA p = ") && text.contains("White's reality check p = "))
        let path = SmallSweep.temporaryPath("spa.csv")
        defer { try? FileManager.default.removeItem(atPath: path); try? FileManager.default.removeItem(atPath: path + "-metadata.json") }
        #expect(try SweepResult(outcome).writeCSV(to: path) == [path, path + "-metadata.json"])
        #expect(try String(contentsOfFile: path, encoding: .utf8) == without.table.csv())
        let metadata = try String(contentsOfFile: path + "-metadata.json", encoding: .utf8)
        #expect(metadata.contains("\"p_consistent\": \(spa.hansen.pValues.consistent)"))
        #expect(try SweepResult(without).writeCSV(to: path) == [path])

        #expect(throws: RallyError.self) {
            try SweepRunner(plan: plan, resumePath: SmallSweep.temporaryPath("resume.json")).run(on: SmallSweep.data, models: models)
        }
    }

    /// `spa = true` and `spa = {...}` decode with the declared rules and defaults.
    @Test func optionsFollowTheirRules() throws {
        #expect(try SweepSPAPlan(options: .bool(true)) == SweepSPAPlan(loss: .brier, resamples: 1000))
        #expect(try SweepSPAPlan.requested(.bool(false)) == nil)
        let table = OptionTree.table(list: [], fields: [("loss", .string("log_loss")), ("resamples", .number(500, integer: 500))], otherKeys: [])
        #expect(try SweepSPAPlan(options: table) == SweepSPAPlan(loss: .logLoss, resamples: 500))
        for bad: OptionTree in [.table(list: [], fields: [("resamples", .number(0, integer: 0))], otherKeys: []),
                                .table(list: [], fields: [("loss", .string("mae"))], otherKeys: []),
                                .table(list: [], fields: [("seed", .number(1, integer: 1))], otherKeys: []),
                                .number(3, integer: 3)] {
            #expect(throws: RallyError.self) { try SweepSPAPlan(options: bad) }
        }
    }
}
