import Foundation
import Testing
@testable import RallyEngine

/// rally.forecast with a load forecast joined from its vintages (issue 15 item 6): no forecast
/// row uses a vintage published after its issue time.
@Suite struct ForecastVintageTests {
    /// One synthetic year and vintages of its system load forecast: for every hour, a vintage
    /// published every 5 hours from three days before it up to it, each off the final value by
    /// an error that shrinks as the hour nears.
    static func inputs() throws -> (Dataset, Vintages) {
        let ds = try SyntheticPJM.generate(years: 1, seed: 3)
        let load = ds.column(named: "sys_load_fc")!
        var targets: [Int64] = [], published: [Int64] = [], values: [Double] = []
        for (i, t) in ds.timestamps.enumerated() {
            var p = t - 72 * 3600 + Int64(i % 5) * 900
            while p <= t {
                targets.append(t); published.append(p)
                let lead = Double(t - p) / 3600
                values.append(load[i] * (1 + 0.002 * lead * sin(Double(i) + lead)))
                p += 5 * 3600
            }
        }
        return (ds, try Vintages(targets: targets, published: published, names: ["load"], columns: [values]))
    }

    static let join = AsOfJoin(decision: .clock(minute: 600, daysBefore: 1), columns: [(name: "load_vintage", source: "load")])
    static let features = FeatureSpec(horizon: 24, features: [
        Feature(.lag(column: "price", steps: 0)), Feature(.lag(column: "price", steps: 23)),
        Feature(.rolling(column: "price", statistic: .mean, window: 24)), Feature(.calendar(.hour)),
        Feature(.knownAhead(column: "load_vintage")), Feature(.knownAheadRelative(column: "load_vintage", window: 168)),
    ])
    static let model = try! ModelSpec(kind: "gbdt", parameters: ["rounds": .number(25), "max_depth": .number(3), "eta": .number(0.3), "nthread": .number(1)])

    /// The vintages with every record published after `cut` (or at or before it) changed.
    static func changed(_ v: Vintages, after cut: Int64, late: Bool = true) throws -> Vintages {
        let values = v.columns[0].indices.map { i in (v.published[i] > cut) == late ? v.columns[0][i] * 1.5 + 5000 : v.columns[0][i] }
        return try Vintages(targets: v.targets, published: v.published, names: v.names, columns: [values])
    }

    @Test func noForecastUsesAVintagePublishedAfterItsIssueTime() throws {
        let (ds, v) = try Self.inputs()
        let joined = try Self.join.apply(v, to: ds).dataset
        let plan = ForecastPlan(features: Self.features, labeler: .protocolV1, at: ds.timestamps[6_010], costRatio: 10, top: 3)
        let base = try Forecaster.run(plan, on: joined, factory: Self.model)
        // by 10:00 the day before, the vintage a row issued early in the day would read may not be out yet:
        // such rows are not scored; every scored row's vintage was published by its issue time
        let published = try #require(joined.published["load_vintage"])
        #expect(base.rows.allSatisfy { published[ds.firstRow(atOrAfter: $0.target)] <= $0.issuedAt })
        #expect(base.rows.count < 24 && base.notes.contains { $0.contains("cannot be scored") })
        var moved = 0
        for (k, row) in base.rows.enumerated() {
            let later = try Self.join.apply(try Self.changed(v, after: row.issuedAt), to: ds).dataset
            let again = try Forecaster.run(plan, on: later, factory: Self.model)
            let same = try #require(again.rows.first { $0.issuedAt == row.issuedAt })
            #expect(same == row, "row issued at \(TimeStamp.format(row.issuedAt)): a vintage published after it changed it")
            guard k % 6 == 0 else { continue }
            // the test can fail: the vintages published by then do change it
            let earlier = try Self.join.apply(try Self.changed(v, after: row.issuedAt, late: false), to: ds).dataset
            let other = try Forecaster.run(plan, on: earlier, factory: Self.model)
            if other.rows.first(where: { $0.issuedAt == row.issuedAt })?.probability != row.probability { moved += 1 }
        }
        #expect(moved > 0)
    }
}
