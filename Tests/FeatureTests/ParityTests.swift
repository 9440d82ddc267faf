import Foundation
import Testing
@testable import RallyEngine

/// protocol_v1 on the shared PJM data against the Python peer's fixture
/// (../shared/peer/protocol_v1_rows.csv: every 50th kept row, label, threshold, 19 features).
@Test func protocolV1MatchesPeerFixture() throws {
    guard let data = try TestData.pjm(), let fixture = TestData.shared("peer/protocol_v1_rows.csv") else {
        print("SKIPPED protocolV1MatchesPeerFixture: ../shared/data/pjm_comed_2013_2018.csv or ../shared/peer/protocol_v1_rows.csv is absent")
        return
    }
    let labels = try Labeler.protocolV1.apply(to: data)
    let spec = FeatureSpec.protocolV1()
    let matrix = try spec.build(on: data, labels: labels)
    let kept = matrix.rows(labeledBy: labels)
    #expect(kept.count == 51_721)

    let lines = try String(contentsOf: fixture, encoding: .utf8).split(separator: "\n")
    let header = lines[0].split(separator: ",").map(String.init)
    #expect(header == ["ts", "label", "threshold"] + spec.names)
    let rowOf = Dictionary(uniqueKeysWithValues: data.timestamps.enumerated().map { ($1, $0) })
    var checked = 0, worst = 0.0
    for (k, line) in lines.dropFirst().enumerated() {
        let fields = line.split(separator: ",").map(String.init)
        let t = try TimeStamp.parse(fields[0])
        guard let i = rowOf[t] else { Issue.record("fixture time \(fields[0]) not in the data"); continue }
        #expect(i == kept[50 * k], "fixture row \(k) is every 50th kept row")
        let ours = [labels.labels[i], labels.thresholds[i]] + matrix.columns.map { $0[i] }
        for (j, text) in fields.dropFirst().enumerated() {
            let theirs = Double(text)!
            let scale = max(abs(theirs), abs(ours[j]))
            let error = scale == 0 ? 0 : abs(ours[j] - theirs) / scale
            worst = max(worst, error)
            #expect(error <= 1e-9, "\(header[j + 1]) at \(fields[0]): ours \(ours[j]), peer \(theirs)")
            checked += 1
        }
    }
    #expect(checked == (lines.count - 1) * 21)
    print("protocol_v1 parity: \(checked) values, worst relative difference \(worst)")
}
