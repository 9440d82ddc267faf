import Testing
@testable import RallyEngine

/// Every kind of feature, on every column, so the leakage tests cover all of them.
private func richSpec() -> FeatureSpec {
    var f: [Feature.Source] = [.lag(column: "price", steps: 0), .lag(column: "price", steps: 5), .lag(column: "sys_load_fc", steps: 1)]
    f += [RollingStatistic.mean, .std, .min, .max, .quantile(0.8)].map { .rolling(column: "price", statistic: $0, window: 48) }
    f += [.rolling(column: "zonal_load_fc", statistic: .max, window: 24), .relativeToMean(column: "price", window: 168),
          .gapToThreshold(column: "price")]
    f += CalendarField.allCases.map { .calendar($0) }
    f += [.knownAhead(column: "sys_load_fc"), .knownAheadRelative(column: "zonal_load_fc", window: 72),
          .ratio(numerator: "lag0", denominator: "mean48"), .difference(minuend: "lag0", subtrahend: "lag5")]
    return FeatureSpec(horizon: 24, features: f.map { Feature($0) })
}

private let labelers: [Labeler] = [
    .protocolV1, .threshold(column: "price", level: 45, horizon: 12), .jump(column: "price", rise: 0.3, horizon: 6),
    .dailyAny(column: "price", threshold: .quantile(q: 0.9, window: 200)),
]

private let knownAhead: Set<String> = ["sys_load_fc", "zonal_load_fc"]

/// A copy of `data` with every value of the columns in `which` changed from row `from` on.
private func perturbed(_ data: Dataset, from: Int, columns which: [String], rng: inout TestRandom) -> Dataset {
    var copy = data
    for (j, name) in data.names.enumerated() where which.contains(name) && from < data.count {
        for i in from..<data.count { copy.columns[j][i] = data.columns[j][i] * (0.5 + 2 * rng.uniform()) + 7 }
    }
    return copy
}

private func row(_ m: FeatureMatrix, _ t: Int) -> [Double] { m.columns.map { $0[t] } }

private func same(_ a: [Double], _ b: [Double]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.isNaN ? $1.isNaN : $0 == $1 }
}

@Test(arguments: [0, 1])
func featuresAtTReadNothingAfterT(specIndex: Int) throws {
    let spec = specIndex == 0 ? FeatureSpec.protocolV1() : richSpec()
    let data = TestData.dataset(rows: 2400, seed: 11)
    var rng = TestRandom(seed: 12)
    let horizon = try #require(spec.horizon.stepsGiven)
    for labeler in labelers {
        let base = try spec.build(on: data, labels: try labeler.apply(to: data))
        for _ in 0..<6 {
            let t = 700 + rng.below(1600)
            // Inputs not known at t: prices after t, known-ahead forecasts after t + H.
            var future = perturbed(data, from: t + 1, columns: ["price"], rng: &rng)
            future = perturbed(future, from: t + horizon + 1, columns: Array(knownAhead), rng: &rng)
            let after = try spec.build(on: future, labels: try labeler.apply(to: future))
            #expect(same(row(base, t), row(after, t)), "\(labeler) t=\(t): a feature at t changed with data after t")
            // The test can fail: a change at t (price) or at t + H (forecasts) shows up at t.
            for (column, from) in [("price", t), ("sys_load_fc", t + horizon)] {
                let now = perturbed(data, from: from, columns: [column], rng: &rng)
                let changed = try spec.build(on: now, labels: try labeler.apply(to: now))
                #expect(!same(row(base, t), row(changed, t)), "\(labeler) t=\(t): changing \(column) from row \(from) changed nothing")
            }
        }
    }
}

@Test(arguments: labelers)
func labelsAtTReadNothingAfterTheHorizon(labeler: Labeler) throws {
    let data = TestData.dataset(rows: 2400, seed: 21)
    let base = try labeler.apply(to: data)
    var rng = TestRandom(seed: 22)
    var flips = 0
    for _ in 0..<30 {
        let t = 700 + rng.below(1600)
        let reach: Int
        if case .dailyAny = labeler {
            reach = 2 * 24 - 1 - TimeStamp.hour(data.timestamps[t])   // the last hour of the next day
        } else {
            reach = try #require(labeler.horizon.stepsGiven)
        }
        guard t + reach < data.count, !base.labels[t].isNaN else { continue }
        let later = try labeler.apply(to: perturbed(data, from: t + reach + 1, columns: data.names, rng: &rng))
        #expect(later.labels[t] == base.labels[t], "t=\(t): the label changed with data after t + \(reach)")
        let afterT = try labeler.apply(to: perturbed(data, from: t + 1, columns: data.names, rng: &rng))
        #expect(afterT.thresholds[t] == base.thresholds[t], "t=\(t): the threshold changed with data after t")
        // The test can fail: pushing the price at t + reach far above (or below) every threshold flips the label.
        var edge = data
        edge.columns[0][t + reach] = base.labels[t] == 1 ? -1e6 : 1e6
        if case .dailyAny = labeler, base.labels[t] == 1 {
            let day = (t + reach - 23)...(t + reach)
            for i in day { edge.columns[0][i] = -1e6 }
        }
        let flipped = try labeler.apply(to: edge)
        #expect(flipped.labels[t] == 1 - base.labels[t], "t=\(t): changing the price at t + \(reach) did not change the label")
        flips += 1
    }
    #expect(flips >= 10)
}
