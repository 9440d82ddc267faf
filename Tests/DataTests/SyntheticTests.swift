import Testing
@testable import RallyEngine

/// The benchmark label of protocol v1 (q = 0.95 over 672 h, 24 h ahead), computed plainly, for
/// checking that the synthetic series makes a non-trivial benchmark.
struct ProtocolLabel {
    let rows: [Int]
    let labels: [Bool]
    let thresholds: [Double]

    init(_ price: [Double]) {
        let window = 672, horizon = 24
        var rows: [Int] = [], labels: [Bool] = [], thresholds: [Double] = []
        var sorted = Array(price[0..<(window - 1)]).sorted()
        func position(_ x: Double) -> Int {
            var lo = 0, hi = sorted.count
            while lo < hi { let mid = (lo + hi) / 2; if sorted[mid] < x { lo = mid + 1 } else { hi = mid } }
            return lo
        }
        for t in (window - 1)..<(price.count - horizon) {
            sorted.insert(price[t], at: position(price[t]))
            let h = Double(window - 1) * 0.95, lo = Int(h)
            let threshold = sorted[lo] + (h - Double(lo)) * (sorted[lo + 1] - sorted[lo])
            rows.append(t)
            labels.append(price[t + horizon] > threshold)
            thresholds.append(threshold)
            sorted.remove(at: position(price[t - window + 1]))
        }
        self.rows = rows
        self.labels = labels
        self.thresholds = thresholds
    }

    var rate: Double { Double(labels.filter { $0 }.count) / Double(labels.count) }

    /// The rally rate among rows where `feature(row)` is in its top decile.
    func rateInTopDecile(_ feature: (Int) -> Double) -> Double {
        let values = rows.map(feature)
        let cut = values.sorted()[values.count * 9 / 10]
        let top = labels.indices.filter { values[$0] >= cut }
        return Double(top.filter { labels[$0] }.count) / Double(top.count)
    }
}

@Suite struct SyntheticTests {
    @Test func deterministicForASeedAndDifferentAcrossSeeds() throws {
        let a = try SyntheticPJM.generate(years: 1, seed: 7)
        let b = try SyntheticPJM.generate(years: 1, seed: 7)
        let c = try SyntheticPJM.generate(years: 1, seed: 8)
        #expect(a.columns.map { $0.map(\.bitPattern) } == b.columns.map { $0.map(\.bitPattern) })
        #expect(a.columns[0] != c.columns[0])
        #expect(a.names == ["price", "sys_load_fc", "zonal_load_fc"])
        #expect(a.count == 8760)
        #expect(a.summary == "<Dataset 8760 rows x 3 cols  2013-01-01 00:00 .. 2013-12-31 23:00  hourly, no gaps>")
        #expect(a.report.source == "synthetic PJM-like series (seed 7, 1 year from 2013-01-01 00:00)")
    }

    @Test func startAndLength() throws {
        let ds = try SyntheticPJM.generate(years: 2, seed: 1, start: TimeStamp.parse("2016-03-01"))
        #expect(TimeStamp.format(ds.timestamps.first!) == "2016-03-01 00:00")
        #expect(TimeStamp.format(ds.timestamps.last!) == "2018-02-28 23:00")
        #expect(errorMessage { try SyntheticPJM.generate(years: 0) } == "synthetic: years must be between 1 and 200, got 0")
    }

    @Test func plausibleLevels() throws {
        let ds = try SyntheticPJM.generate(years: 3, seed: 1)
        let price = ColumnStatistics(name: "price", values: ds.columns[0])
        let system = ColumnStatistics(name: "sys", values: ds.columns[1])
        let zonal = ColumnStatistics(name: "zonal", values: ds.columns[2])
        #expect(price.median > 20 && price.median < 45)
        #expect(price.max > 3 * price.q75, "occasional spikes")
        #expect(price.min > 0 && price.max <= 1000)
        #expect(system.mean > 75_000 && system.mean < 100_000)
        #expect(zonal.mean > 9_000 && zonal.mean < 13_000)
        // a daily shape: 17:00 loads above 03:00 loads
        let at = { (h: Int) in ds.timestamps.indices.filter { TimeStamp.hour(ds.timestamps[$0]) == h }.map { ds.columns[2][$0] }.reduce(0, +) }
        #expect(at(17) > 1.2 * at(3))
    }

    @Test func aNonTrivialBenchmark() throws {
        let ds = try SyntheticPJM.generate(years: 6, seed: 1)
        let price = ds.columns[0]
        let label = ProtocolLabel(price)
        #expect(label.rate > 0.04 && label.rate < 0.08, "base rally rate \(label.rate)")
        // informative features: the target hour's system load forecast, and price over threshold
        let byLoad = label.rateInTopDecile { ds.columns[1][$0 + 24] }
        let byGap = { () -> Double in
            let ratio = Dictionary(uniqueKeysWithValues: zip(label.rows, zip(label.rows, label.thresholds).map { price[$0.0] / $0.1 }))
            return label.rateInTopDecile { ratio[$0]! }
        }()
        #expect(byLoad > 2.5 * label.rate, "top-decile system load rate \(byLoad) vs \(label.rate)")
        #expect(byGap > 2.5 * label.rate, "top-decile price/threshold rate \(byGap) vs \(label.rate)")
    }
}
