import Foundation
import Testing

/// scripts/forecast.lua through the real rally-shell: the synthetic default says so, the risk
/// table has one line per open hour, and the two files land in --out (nowhere else).
@Suite struct ForecastRecipeTests {
    @Test func recipeOnTheSyntheticDefault() throws {
        let out = try ShellHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let r = try ShellHarness.run(["scripts/forecast.lua", "--out", out.path, "--cost-ratio", "20", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("data: SYNTHETIC default") == true)
        #expect(r.stdout.contains("protocol_v1 WITHOUT its 4 load features"))
        #expect(r.stdout.contains("Forecast issued 2018-12-31 00:00 by gbdt") && r.stdout.contains("alarm when p >= 0.0476 (cost ratio 20)"))
        #expect(lines.filter { $0.hasPrefix("2018-12-31 ") }.count == 24)
        let csv = try String(contentsOf: out.appendingPathComponent("forecast.csv"), encoding: .utf8).split(separator: "\n")
        #expect(csv.count == 25 && csv[0] == "issued_at,target,threshold,probability,alarm,reasons")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("forecast.json").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["forecast.csv", "forecast.json"])
        let bad = try ShellHarness.run(["scripts/forecast.lua", "--cost-ratio", "-1"])
        #expect(bad.status == 2 && bad.stderr.contains("--cost-ratio needs a number in (0, 1e9], got '-1'"))
    }

    @Test func recipeSavesABundleAndForecastsWithItAsSaved() throws {
        let out = try ShellHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let bundle = out.appendingPathComponent("gbdt.bundle.json").path
        let fitted = try ShellHarness.run(["scripts/forecast.lua", "--out", out.appendingPathComponent("fitted").path, "--save-bundle", bundle, "--quiet"])
        #expect(fitted.status == 0, "\(fitted.stderr)")
        #expect(fitted.stdout.contains("bundle: wrote \(bundle)"))
        let again = try ShellHarness.run(["scripts/forecast.lua", "--out", out.appendingPathComponent("again").path, "--bundle", bundle, "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("model: bundle \(bundle) (gbdt), trained on "))
        let a = try String(contentsOf: out.appendingPathComponent("fitted/forecast.csv"), encoding: .utf8)
        let b = try String(contentsOf: out.appendingPathComponent("again/forecast.csv"), encoding: .utf8)
        #expect(a == b, "the bundle's forecast differs from the fitted model's")
        let both = try ShellHarness.run(["scripts/forecast.lua", "--bundle", bundle, "--save-bundle", bundle])
        #expect(both.status == 2 && both.stderr.contains("not both"))
    }
}
