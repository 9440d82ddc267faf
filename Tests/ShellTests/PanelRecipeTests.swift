import Foundation
import Testing

/// scripts/panel.lua through the real rally-shell on a small synthetic panel: the table shows
/// each location and the panel rows, the artifacts land in --out with a location column, and a
/// second run writes the same bytes.
@Suite struct PanelRecipeTests {
    static let small = ["--count", "2", "--years", "3", "--train-end", "2014-12-31", "--test-start", "2015-01-01",
                        "--bootstrap", "20", "--quiet"]

    @Test func recipeOnASmallSyntheticPanel() throws {
        let out = try ShellHarness.temporaryDirectory(), again = try ShellHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out); try? FileManager.default.removeItem(at: again) }
        let r = try ShellHarness.run(["scripts/panel.lua", "--out", out.path] + Self.small)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("data: SYNTHETIC panel (rally.dataset.synthetic{locations = 2, years = 3, seed = 1})") == true)
        #expect(lines.dropFirst().first?.hasPrefix("panel of 2 locations (WESTERN HUB, COMED): test 2015-01-01 00:00") == true)
        for model in ["naive", "logreg", "gbdt"] {
            #expect(lines.contains { $0.hasPrefix("WESTERN HUB: \(model) ") } && lines.contains { $0.hasPrefix("panel: \(model) ") })
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
            == ["benchmark_table.csv", "importance.csv", "metrics.json", "predictions.csv", "run.json"])
        let predictions = try String(contentsOf: out.appendingPathComponent("predictions.csv"), encoding: .utf8)
        #expect(predictions.hasPrefix("location,ts,y,price,threshold,p_naive,p_logreg,p_gbdt\nWESTERN HUB,2015-01-01 00:00,"))
        let table = try String(contentsOf: out.appendingPathComponent("benchmark_table.csv"), encoding: .utf8)
        #expect(table.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) }
            == ["WESTERN HUB", "WESTERN HUB", "WESTERN HUB", "COMED", "COMED", "COMED", "panel", "panel", "panel"])
        let second = try ShellHarness.run(["scripts/panel.lua", "--out", again.path] + Self.small)
        #expect(second.status == 0 && second.stdout == r.stdout)
        for file in ["metrics.json", "predictions.csv", "benchmark_table.csv", "importance.csv"] {
            #expect(try Data(contentsOf: out.appendingPathComponent(file)) == Data(contentsOf: again.appendingPathComponent(file)), "\(file)")
        }
        let bad = try ShellHarness.run(["scripts/panel.lua", "--count", "0"])
        #expect(bad.status == 2 && bad.stderr.contains("--count needs a whole number of locations, got '0'"))
        let both = try ShellHarness.run(["scripts/panel.lua", "--out", again.path, "--training", "both"] + Self.small)
        #expect(both.status == 0 && both.stdout.contains("\npanel: gbdt_global ") && both.stdout.contains("\nCOMED: logreg_global "), "\(both.stderr)")
        let unknown = try ShellHarness.run(["scripts/panel.lua", "--locations", "NORTH", "--count", "2", "--years", "1", "--quiet"])
        #expect(unknown.status != 0 && unknown.stderr.contains("no location 'NORTH'"))
    }
}
