import Testing
@testable import RallyEngine

/// gridstatus LMP exports in both header styles, written here: hourly over the 25-hour
/// 2016-11-06 and 5-minute rows over the 23-hour 2016-03-13, two locations.
@Suite struct GridstatusTests {
    let files = TestFiles()
    static let frameHeader = "Time,Interval Start,Interval End,Market,Location Id,Location Name,Location Short Name,Location Type,LMP,Energy,Congestion,Loss"
    static let apiHeader = "interval_start_utc,interval_end_utc,interval_start_local,interval_end_local,market,location,location_id,location_short_name,location_type,lmp,energy,congestion,loss"
    static let places = [("51288", "WESTERN HUB", "WEST", "HUB"), ("33092371", "COMED", "COMED", "ZONE")]

    /// UTC instants from `start`, `count` intervals of `step` seconds.
    static func instants(from start: Int64, count: Int, step: Int64) -> [Int64] { (0..<count).map { start + Int64($0) * step } }

    /// The price of location `k` at interval `i`: energy 20 + i, congestion k, loss 0.5.
    static func components(_ i: Int, _ k: Int) -> (lmp: Double, energy: Double, congestion: Double, loss: Double) {
        (Double(20 + i) + Double(k) + 0.5, Double(20 + i), Double(k), 0.5)
    }

    /// A frame export: Eastern times with offsets, one row per location and interval.
    func frame(_ name: String, instants: [Int64], step: Int64, market: String = "REAL_TIME_HOURLY") -> String {
        let zone = try! MarketZone.named("America/New_York")
        var lines = [Self.frameHeader]
        for (i, t) in instants.enumerated() {
            let start = TimeStamp.format(t, offset: zone.offset(at: t)), end = TimeStamp.format(t + step, offset: zone.offset(at: t + step))
            for (k, p) in Self.places.enumerated() {
                let c = Self.components(i, k)
                lines.append("\(start),\(start),\(end),\(market),\(p.0),\(p.1),\(p.2),\(p.3),\(c.lmp),\(c.energy),\(c.congestion),\(c.loss)")
            }
        }
        return files.write(name, lines.joined(separator: "\n") + "\n")
    }

    /// 2016-11-06 00:00 EDT = 04:00 UTC: 25 hours to the next midnight.
    let fallDay = TimeStamp.make(year: 2016, month: 11, day: 6, hour: 4)

    @Test func aFrameExportLoadsWithNoOptionsOverA25HourDay() throws {
        let path = frame("frame.csv", instants: Self.instants(from: fallDay, count: 25, step: 3600), step: 3600)
        let ds = try loadBothWays(path)
        #expect(ds.count == 25 && ds.timeIndex.stepSeconds == 3600 && ds.timeIndex.gaps.isEmpty)
        #expect(ds.zone.name == "America/New_York")
        #expect(ds.names == ["WESTERN HUB", "WESTERN HUB_energy", "WESTERN HUB_congestion", "WESTERN HUB_loss",
                             "COMED", "COMED_energy", "COMED_congestion", "COMED_loss"])
        #expect(ds.locations.map(\.id) == ["51288", "33092371"])
        #expect(ds.columns[4][2] == 23.5)
        let notes = ds.report.notes
        #expect(notes.contains("recognised a gridstatus LMP export (gridstatus frame; long format: one row per location and interval)"))
        #expect(notes.contains("market: REAL_TIME_HOURLY"))
        #expect(notes.contains("checked energy + congestion + loss = total LMP to the cent: all 50 rows agree"))
        #expect(notes.contains { $0.hasPrefix("zone: America/New_York (PJM's, for a gridstatus export)") })
        #expect(notes.contains("time column: 'Interval Start' (%Y-%m-%d %H:%M%z), the interval start"))
        let hub = try ds.location("51288")
        #expect(hub.names == ["price", "energy", "congestion", "loss"])
        #expect(hub.zone.name == "America/New_York")
        #expect(DatasetText.head(hub, 3).contains("2016-11-06 01:00-05:00"))
        // calendar hours in local time repeat 1 on the fall-back day
        let hours = try FeatureSpec(horizon: 0, features: [Feature(.calendar(.hour))]).build(on: hub).columns[0]
        #expect(Array(hours.prefix(4)) == [0, 1, 1, 2])
    }

    @Test func theHostedAPIsSnakeCaseOverA23HourDayOfFiveMinuteRows() throws {
        let start = TimeStamp.make(year: 2016, month: 3, day: 13, hour: 5)  // 00:00 EST
        let instants = Self.instants(from: start, count: 23 * 12, step: 300)
        let zone = try MarketZone.named("America/New_York")
        var lines = [Self.apiHeader]
        for (i, t) in instants.enumerated() {
            for (k, p) in Self.places.enumerated() {
                let c = Self.components(i, k)
                lines.append("\(TimeStamp.format(t, offset: 0)),\(TimeStamp.format(t + 300, offset: 0)),\(zone.format(t)),\(zone.format(t + 300)),REAL_TIME_5_MIN,\(p.1),\(p.0),\(p.2),\(p.3),\(c.lmp),\(c.energy),\(c.congestion),\(c.loss)")
            }
        }
        let path = files.write("api.csv", lines.joined(separator: "\n") + "\n")
        var options = CSVOptions()
        options.locations = ["COMED"]
        options.component = .congestion
        let ds = try loadBothWays(path, options)
        #expect(ds.count == 276 && ds.timeIndex.stepSeconds == 300 && ds.timeIndex.gaps.isEmpty)
        #expect(ds.names == ["COMED", "COMED_lmp", "COMED_energy", "COMED_loss"])
        #expect(ds.columns[0].allSatisfy { $0 == 1 })
        #expect(ds.report.notes.contains("recognised a gridstatus LMP export (gridstatus API, snake_case; long format: one row per location and interval)"))
        #expect(ds.report.notes.contains { $0.hasPrefix("pivoted per location on the UTC interval start: price = congestion ('congestion'), then lmp, energy, loss") })
        // the 24th hour of 5-minute rows starts at 03:00 EDT: local hour 3 follows 1
        let hours = try FeatureSpec(horizon: 0, features: [Feature(.calendar(.hour))]).build(on: ds).columns[0]
        #expect(hours[23] == 1 && hours[24] == 3)
    }

    @Test func mixedMarketsAreRefusedNamingThem() {
        let a = frame("a.csv", instants: Self.instants(from: fallDay, count: 2, step: 3600), step: 3600)
        let text = (try? String(contentsOfFile: a, encoding: .utf8)) ?? ""
        let mixed = files.write("mixed.csv", text.replacingOccurrences(of: "REAL_TIME_HOURLY,51288", with: "DAY_AHEAD_HOURLY,51288"))
        let message = errorMessage { try CSVReader.load(path: mixed) }
        #expect(message == "\(mixed):3: the file mixes markets in column 'Market': DAY_AHEAD_HOURLY (first at line 2), REAL_TIME_HOURLY (first at line 3); a dataset holds one market: export or filter one (DAY_AHEAD_HOURLY, REAL_TIME_HOURLY, REAL_TIME_5_MIN)")
    }

    @Test func componentsThatDoNotAddUpAreReportedAndDuplicatesRefused() throws {
        let path = frame("sum.csv", instants: Self.instants(from: fallDay, count: 2, step: 3600), step: 3600)
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let off = files.write("off.csv", text.replacingOccurrences(of: ",20.5,20.0,0.0,0.5", with: ",21.5,20.0,0.0,0.5"))
        let ds = try CSVReader.load(path: off)
        #expect(ds.report.notes.contains { $0.hasPrefix("energy + congestion + loss differs from the total LMP by a cent or more in 1 of 4 rows (kept as read): line 2 (WESTERN HUB 2016-11-06 00:00-04:00)") })
        let lines = text.split(separator: "\n")
        let twice = files.write("twice.csv", (lines + [lines[1]]).joined(separator: "\n") + "\n")
        #expect(errorMessage { try CSVReader.load(path: twice) }
                == "\(twice):6: a second row for location WESTERN HUB at 2016-11-06 00:00-04:00 (the first is line 2); a long export has one row per location and interval")
        var options = CSVOptions()
        options.locations = ["NOWHERE"]
        #expect(errorMessage { try CSVReader.load(path: path, options: options) }
                == "\(path):1: no location 'NOWHERE' in the file; locations: WESTERN HUB (51288), COMED (33092371)")
    }
}
