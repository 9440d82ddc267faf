import Foundation
import Testing
@testable import RallyEngine

/// A base model that records the rows (by time) it was fitted on and asked about, predicting
/// a fixed function of feature `x`: to see which rows the calibrated wrapper hands it.
private final class RecordingModel: RallyModel {
    let kind = "naive"
    let parameters: ModelParameters = [:]
    var isFitted = false
    var fitReport = ModelParameters()
    var fitted: [Int64] = []
    var fittedLabels: [Double] = []
    var asked: [[Int64]] = []

    func fit(_ X: DesignMatrix, labels: [Double], weights: [Double]?) throws {
        fitted = X.times ?? []
        fittedLabels = labels
        isFitted = true
    }

    func predict(_ X: DesignMatrix) throws -> [Double] {
        asked.append(X.times ?? [])
        let mean = fittedLabels.reduce(0, +) / Double(max(1, fittedLabels.count))
        return X.columns[0].map { min(0.99, max(0.01, mean + 0.1 * sin($0))) }
    }

    func describe() -> String { "recording" }
    func save(to path: String) throws { throw RallyError("not saved") }
}

@Suite struct CalibratedModelTests {
    /// Hourly rows from 2017-01-01, feature x = row number, a rally every 9th row and some noise.
    static func rows(_ n: Int) -> (X: DesignMatrix, y: [Double]) {
        let start = try! TimeStamp.parse("2017-01-01")
        let x = (0..<n).map(Double.init)
        let X = DesignMatrix(names: ["x"], columns: [x], times: (0..<n).map { start + Int64($0) * 3600 })
        return (X, (0..<n).map { $0 % 9 == 0 || $0 % 31 == 0 ? 1 : 0 })
    }

    static func calibrated(_ base: any RallyModel, _ given: ModelParameters) throws -> CalibratedModel {
        try CalibratedModel(parameters: try CalibratedModel.kind.resolve(given), base: base)
    }

    // MARK: pool-adjacent-violators and Platt

    @Test func poolAdjacentViolatorsByHand() {
        // 1 3 2 4 3 5: the violators (3, 2) and (4, 3) pool to their means
        let a = Calibrator.poolAdjacentViolators(scores: [1, 2, 3, 4, 5, 6], targets: [1, 3, 2, 4, 3, 5])
        #expect(a.x == [1, 2, 3, 4, 5, 6] && a.y == [1, 2.5, 2.5, 3.5, 3.5, 5])
        // 0 1 0 0 1: (1, 0) pools to 1/2, then 0 < 1/2 pools all three to 1/3
        let b = Calibrator.poolAdjacentViolators(scores: [0.5, 0.1, 0.3, 0.2, 0.4], targets: [1, 0, 0, 1, 0])
        #expect(b.x == [0.1, 0.2, 0.3, 0.4, 0.5] && b.y == [0, 1.0 / 3, 1.0 / 3, 1.0 / 3, 1])
        // equal scores pool first: (0.2: 1, 0) is one point of value 1/2, weight 2
        let c = Calibrator.poolAdjacentViolators(scores: [0.1, 0.2, 0.2, 0.3], targets: [1, 1, 0, 0])
        #expect(c.x == [0.1, 0.2, 0.3] && c.y == [0.5, 0.5, 0.5])
        // weights: a heavy 0 drags its pool down
        let d = Calibrator.poolAdjacentViolators(scores: [1, 2], targets: [1, 0], weights: [1, 3])
        #expect(d.y == [0.25, 0.25])
    }

    @Test func isotonicInterpolatesBetweenItsPointsAndClipsOutside() throws {
        let c = try Calibrator.fit(method: "isotonic", probabilities: [0.1, 0.2, 0.3, 0.4, 0.5], labels: [0, 1, 0, 0, 1])
        // the flat run's interior point (0.3) is dropped: it interpolates the same
        #expect(c == .isotonic(x: [0.1, 0.2, 0.4, 0.5], y: [0, 1.0 / 3, 1.0 / 3, 1]))
        let expected: [Double] = [0, 1.0 / 6, 1.0 / 3, 2.0 / 3, 1]
        let got = c.apply([0.0, 0.15, 0.3, 0.45, 0.9])
        #expect(zip(got, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(got)")
    }

    @Test func plattMatchesScikitLearnsSigmoidCalibration() throws {
        // scikit-learn 1.9.1: sklearn.calibration._sigmoid_calibration(F, y) on these margins gave
        // a = -1.0275121706158585, b = 0.8990724949563311 for p = 1 / (1 + exp(a F + b));
        // scipy BFGS to gtol 1e-12 on the same objective: 1.027512175683988, -0.899072505311233
        let F = (0..<40).map { -2 + 0.1 * Double($0) }
        let y: [Double] = (0..<40).map { ($0 % 3 == 0 && $0 > 10) || $0 > 34 ? 1 : 0 }
        guard case .platt(let slope, let intercept) = try Calibrator.platt(margins: F, labels: y) else {
            Issue.record("not a Platt calibrator")
            return
        }
        #expect(abs(slope - 1.027512175683988) < 1e-7 && abs(intercept + 0.899072505311233) < 1e-7)
        #expect(abs(slope - 1.0275121706158585) < 1e-6 && abs(intercept + 0.8990724949563311) < 1e-6)
    }

    @Test func oneClassHoldoutIsRefused() {
        #expect(throws: RallyError.self) { try Calibrator.fit(method: "platt", probabilities: [0.1, 0.2], labels: [0, 0]) }
    }

    // MARK: time order, no leakage

    @Test func theBaseFitsOnEarlierRowsAndTheCalibratorOnTheLatestHoldout() throws {
        let (X, y) = Self.rows(2_000)
        let base = RecordingModel()
        let m = try Self.calibrated(base, ["method": .string("isotonic"), "holdout": .string("10d"), "embargo": .string("1d")])
        try m.fit(X, labels: y, weights: nil)
        let times = X.times!
        // the holdout: every row within 10 days of the last one; the base: rows whose label
        // horizon (1 day) ends before the holdout starts
        let holdoutStart = times[1999] - 10 * 86_400 + 3600
        #expect(base.asked == [Array(times.filter { $0 >= holdoutStart })])
        #expect(base.fitted == times.filter { $0 + 86_400 < holdoutStart })
        #expect(base.fitted.max()! < base.asked[0].min()!)
        #expect(m.fitReport["holdout_rows"] == .number(240) && m.fitReport["embargo_rows"] == .number(24)
                && m.fitReport["base_rows"] == .number(1_736))
        // rows given as counts work on X without times
        let plain = DesignMatrix(names: X.names, columns: X.columns)
        let counted = try Self.calibrated(RecordingModel(), ["holdout": .number(240), "embargo": .number(24)])
        try counted.fit(plain, labels: y, weights: nil)
        #expect(counted.fitReport == m.fitReport)
        // a duration needs times
        #expect(throws: RallyError.self) { try Self.calibrated(RecordingModel(), [:]).fit(plain, labels: y, weights: nil) }
    }

    @Test func embargoedRowsChangeNothingAndHoldoutLabelsOnlyTheCalibrator() throws {
        let (X, y) = Self.rows(3_000)
        func fitted(_ labels: [Double]) throws -> (CalibratedModel, [Double]) {
            let m = try Self.calibrated(try ModelSpec(kind: "logreg").make(), ["holdout": .number(500), "embargo": .number(50)])
            try m.fit(X, labels: labels, weights: nil)
            return (m, try m.predict(X))
        }
        let (reference, p) = try fitted(y)
        // flipping labels in the embargo (rows 2450 ..< 2500) changes no prediction
        var embargoed = y
        for i in 2_450..<2_500 { embargoed[i] = 1 - embargoed[i] }
        #expect(try fitted(embargoed).1 == p)
        // flipping holdout labels changes the calibrator, never the base
        var late = y
        for i in 2_500..<3_000 where i % 5 == 0 { late[i] = 1 - late[i] }
        let (other, q) = try fitted(late)
        #expect(q != p)
        #expect(try other.base.predict(X) == (try reference.base.predict(X)))
        // flipping a base row's label does change the base: the test can fail
        var early = y
        for i in 0..<300 { early[i] = 1 - early[i] }
        #expect(try fitted(early).0.base.predict(X) != (try reference.base.predict(X)))
    }

    // MARK: save, load, explain, specs

    @Test func saveAndLoadGiveTheSamePredictions() throws {
        let (X, y) = Self.rows(3_000)
        for method in ["platt", "isotonic"] {
            for spec in [try ModelSpec(kind: "logreg"), try ModelSpec(kind: "gbdt", parameters: ["rounds": .number(10), "nthread": .number(1)])] {
                let m = try ModelSpec(calibrating: spec, parameters: ["method": .string(method), "holdout": .number(600), "embargo": .number(24)]).make()
                try m.fit(X, labels: y, weights: nil)
                let path = scratchPath("calibrated-\(method)-\(spec.kind).json")
                try m.save(to: path)
                let back = try ModelFile.load(from: path)
                #expect(back is CalibratedModel && back.fitReport == m.fitReport)
                #expect(try back.predict(X) == (try m.predict(X)), "\(method) on \(spec.kind)")
                #expect(try ModelSpec(describing: back) == ModelSpec(calibrating: spec, parameters: ["method": .string(method), "holdout": .number(600), "embargo": .number(24)]))
            }
        }
    }

    @Test func aSavedFileWithABrokenCalibratorIsRefused() throws {
        let (X, y) = Self.rows(2_000)
        let ok = try ModelSpec(calibrating: try ModelSpec(kind: "logreg"), parameters: ["method": .string("isotonic"), "holdout": .number(500), "embargo": .number(1)]).make()
        try ok.fit(X, labels: y, weights: nil)
        let path = scratchPath("calibrated-broken.json")
        try ok.save(to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for (broken, expected) in [(text.replacingOccurrences(of: "\"y\":[", with: "\"y\":[7,"), "'x' and 'y' must hold the same number"),
                                   (text.replacingOccurrences(of: "\"base\":\"", with: "\"base\":\"x"), "its base model"),
                                   (text.replacingOccurrences(of: "\"holdout\":500", with: "\"holdout\":\"-3d\""), "parameter 'holdout'")] {
            try Data(broken.utf8).write(to: URL(fileURLWithPath: path))
            #expect {
                try ModelFile.load(from: path)
            } throws: { error in
                ((error as? RallyError)?.message ?? "").contains(expected)
            }
        }
    }

    @Test func explanationsAddUpToTheCalibratedLogOdds() throws {
        let (X, y) = Self.rows(3_000)
        for method in ["platt", "isotonic"] {
            let m = try ModelSpec(calibrating: try ModelSpec(kind: "logreg"), parameters: ["method": .string(method), "holdout": .number(800), "embargo": .number(24)]).make()
            try m.fit(X, labels: y, weights: nil)
            let e = try m.explanation(X)
            let p = try m.predict(X)
            for i in stride(from: 0, to: 3_000, by: 97) where p[i] > 0 && p[i] < 1 {
                #expect(abs(e.margins[i] - Explanation.logit(p[i])) < 1e-9 * max(1, abs(e.margins[i])), "\(method) row \(i)")
            }
        }
    }

    @Test func specsNameDeclareAndRefuse() throws {
        let spec = try ModelSpec(calibrating: try ModelSpec(kind: "gbdt"), parameters: ["method": .string("isotonic")])
        #expect(spec.name == "gbdt_isotonic")
        #expect(spec.summary == "calibrated method=isotonic holdout=90d of gbdt rounds=300 eta=0.05 max_depth=6")
        #expect(spec.parameters["base"] == .string("gbdt") && spec.parameters["base.rounds"] == .number(300))
        #expect(spec.sendableSpec == spec)
        #expect(throws: RallyError.self) { try ModelSpec(calibrating: spec) }
        #expect(throws: RallyError.self) { try ModelSpec(calibrating: try ModelSpec(kind: "gbdt"), parameters: ["method": .string("beta")]) }
        #expect(throws: RallyError.self) { try ModelSpec(calibrating: try ModelSpec(kind: "gbdt"), parameters: ["holdout": .string("90 days")]) }
    }

    @Test func spansAreRowCountsOrWholeDaysAndHours() {
        #expect(RowSpan.parse(.string("90d")) == .duration(seconds: 90 * 86_400))
        #expect(RowSpan.parse(.string("36h")) == .duration(seconds: 36 * 3600))
        #expect(RowSpan.parse(.number(2_160)) == .rows(2_160))
        #expect(RowSpan.parse(.string("0d")) == .duration(seconds: 0) && RowSpan.parse(.number(0)) == .rows(0))
        for bad: ParameterValue in [.string("1.5d"), .string("-3h"), .string("d"), .string("90"), .string("9999999999d"),
                                    .string("50000000h"), .number(1.5), .number(-1), .number(1e12), .number(.nan), .bool(true)] {
            #expect(RowSpan.parse(bad) == nil, "\(bad)")
        }
        #expect(ParameterRule.span.problem(.string("2 weeks"))?.contains("a duration \"Nd\" or \"Nh\"") == true)
    }
}
