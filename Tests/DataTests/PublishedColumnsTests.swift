import Foundation
import Testing
@testable import RallyEngine

/// `ds:write` keeps the publish times of as-of columns (`<name>_published`), and `rally.load`
/// reads them back bit for bit.
@Suite struct PublishedColumnsTests {
    /// Hourly rows from `start`, a load forecast joined by a 12-hour lead from vintages published
    /// 36 h (from hour 3 on) and 12 h 0 min 17 s (from hour 12 on) before each hour: rows 0-2
    /// get none, rows 3-11 the first, the others the second.
    func joined(start: Int64, hours: Int, zone: MarketZone) throws -> Dataset {
        let times = (0..<hours).map { start + Int64($0) * 3600 }
        let data = Dataset(timestamps: times, names: ["price"], columns: [times.indices.map { 30 + Double($0 % 24) / 3 }], zone: zone)
        var targets: [Int64] = [], published: [Int64] = [], load: [Double] = []
        for (h, t) in times.enumerated() {
            for (lead, base) in [(Int64(36 * 3600), 1000.0), (12 * 3600 + 17, 2000.0)] where h >= (lead < 86_400 ? 12 : 3) {
                targets.append(t); published.append(t - lead); load.append(base + Double(h) + 0.1)
            }
        }
        let v = try Vintages(targets: targets, published: published, names: ["load"], columns: [load], zone: zone)
        let join = AsOfJoin(decision: .lead(seconds: 12 * 3600), columns: [(name: "load_fc", source: "load")])
        return try join.apply(v, to: data).dataset
    }

    func roundTrip(_ ds: Dataset) throws -> (text: String, back: Dataset) {
        let files = TestFiles()
        let path = files.directory.appendingPathComponent("joined.csv").path
        try DatasetCSV.write(ds, to: path)
        return (try String(contentsOfFile: path, encoding: .utf8), try loadBothWays(path))
    }

    func expectSame(_ a: Dataset, _ b: Dataset) {
        #expect(a.timestamps == b.timestamps)
        #expect(a.names == b.names)
        #expect(a.columns.map { $0.map(\.bitPattern) } == b.columns.map { $0.map(\.bitPattern) })
        #expect(a.published == b.published)
        #expect(a.zone == b.zone)
    }

    @Test func zonedPublishTimesRoundTripWithTheirOffsets() throws {
        let zone = try MarketZone.named("America/New_York")
        // across the 2016 fall-back day, so publish times carry both offsets
        let ds = try joined(start: TimeStamp.make(year: 2016, month: 11, day: 5, hour: 4), hours: 72, zone: zone)
        let published = try #require(ds.published["load_fc"])
        #expect(published.contains(Int64.min) && published.contains { $0 != Int64.min && $0 % 60 == 43 })
        let (text, back) = try roundTrip(ds)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0] == "time,price,load_fc,load_fc_published")
        #expect(lines[1] == "2016-11-05 00:00-04:00,30,,")
        #expect(lines[4] == "2016-11-05 03:00-04:00,31,1003.1,2016-11-03 15:00-04:00")
        #expect(lines[13].hasSuffix(",2016-11-04 23:59:43-04:00"))   // 12 h 0 min 17 s before 2016-11-05 12:00
        #expect(text.contains(":43-05:00\n"))
        expectSame(ds, back)
        #expect(back.report.notes.last == "publish times of load_fc read from load_fc_published (as rally.asof joined them: features read each value only once published)")
        // and again: a second write is the same text
        #expect(DatasetCSV.text(back) == text)
    }

    @Test func wallClockPublishTimesRoundTripAsReadings() throws {
        let ds = try joined(start: TimeStamp.make(year: 2016, month: 1, day: 1), hours: 48, zone: .wallClock)
        let (text, back) = try roundTrip(ds)
        #expect(text.hasPrefix("time,price,load_fc,load_fc_published\n2016-01-01 00:00,30,,\n"))
        expectSame(ds, back)
        // features read the same (publish times keep later vintages out)
        let spec = FeatureSpec(horizon: 24, features: [Feature(.knownAhead(column: "load_fc"))])
        #expect(try spec.build(on: back).columns.map { $0.map(\.bitPattern) } == spec.build(on: ds).columns.map { $0.map(\.bitPattern) })
    }

    @Test func publishTimesOnTheOtherClockOrUnderRepairsAreRefused() throws {
        let files = TestFiles()
        let mixed = files.write("mixed.csv", "time,x,x_published\n2016-01-01 00:00,1,2015-12-31 10:00-05:00\n2016-01-01 01:00,2,\n")
        #expect(errorMessage { try CSVReader.load(path: mixed) }.hasPrefix(
            "\(mixed):2:3: column 'x_published' holds a time with a UTC offset (2015-12-31 10:00-05:00) but the dataset's times are naive (wall clock)"))
        let bad = files.write("bad.csv", "time,x,x_published\n2016-01-01 00:00,1,\n2016-01-01 01:00,2,yesterday\n")
        #expect(errorMessage { try CSVReader.load(path: bad) }.hasPrefix("\(bad):3:3: column 'x_published' holds publish times: bad time \"yesterday\""))
        let unsorted = files.write("unsorted.csv", "time,x,x_published\n2016-01-01 01:00,1,\n2016-01-01 00:00,2,2015-12-31 10:00\n")
        var options = CSVOptions()
        options.contracts.sort = true
        #expect(errorMessage { try CSVReader.load(path: unsorted, options: options) }.contains("columns x_published hold publish times, which rally keeps only for the rows as read"))
        // a column of numbers keeps its name and values
        let numbers = try CSVReader.load(path: files.write("numbers.csv", "time,x,x_published\n2016-01-01 00:00,1,5\n2016-01-01 01:00,2,\n"))
        #expect(numbers.names == ["x", "x_published"] && numbers.published.isEmpty)
        // writing refuses a plain column that would read back as publish times
        let plain = Dataset(timestamps: [0, 3600], names: ["x", "x_published"], columns: [[1, 2], [.nan, .nan]])
        #expect(errorMessage { try DatasetCSV.write(plain, to: "/tmp/never-written.csv") }.contains("column 'x_published' is named as the publish times of column 'x' would be"))
    }
}
