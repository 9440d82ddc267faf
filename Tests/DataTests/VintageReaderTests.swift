import Foundation
import Testing
@testable import RallyEngine

/// Load forecasts as gridstatus gives them (`Time, Interval Start, Interval End, Publish Time,
/// Load Forecast, <areas>`, US/Eastern offsets): a forecast published every `every` hours from
/// two days before `start`, each covering the next 48 hours of [start, start + hours h). Rows
/// in publish order, as gridstatus writes them. The load says which vintage it is:
/// 9000 + target hour index + publish index / 10.
func gridstatusLoadForecast(start: Int64, hours: Int, every: Int = 6) throws -> String {
    let eastern = try MarketZone.named("America/New_York")
    func text(_ t: Int64) -> String {
        let off = eastern.offset(at: t)
        return TimeStamp.format(t + Int64(off)) + ":00" + TimeStamp.offsetText(off)
    }
    var lines = ["Time,Interval Start,Interval End,Publish Time,Load Forecast,AE/MIDATL,RTO_COMBINED"]
    var publish = start - 48 * 3600, k = 0
    while publish < start + Int64(hours) * 3600 {
        for h in 0..<hours {
            let target = start + Int64(h) * 3600
            guard target > publish, target <= publish + 48 * 3600 else { continue }
            let load = 9000 + Double(h) + Double(k) / 10
            lines.append("\(text(target)),\(text(target)),\(text(target + 3600)),\(text(publish)),\(Format.number(load)),\(h % 7 == 0 ? "" : "1200.5"),\(Format.number(load * 10))")
        }
        publish += Int64(every) * 3600
        k += 1
    }
    return lines.joined(separator: "\n") + "\n"
}

@Suite struct VintageReaderTests {
    let files = TestFiles()

    @Test func gridstatusLoadForecastsLoadWithNoOptions() throws {
        // over the fall-back day of 2016 (25 hours) and into the next
        let start = try TimeStamp.parseInstant("2016-11-05 00:00:00-04:00").utc
        let path = files.write("load_forecast.csv", try gridstatusLoadForecast(start: start, hours: 72))
        let v = try Vintages.load(path: path)
        #expect(v.zone.name == "America/New_York")
        #expect(v.names == ["Load Forecast", "AE/MIDATL", "RTO_COMBINED"])
        #expect(v.targetCount == 72, "the 25-hour day's two 01:00 hours are two targets")
        #expect(v.count == 72 * 8, "each target has the 8 vintages published in the 48 hours before it")
        #expect(zip(v.targets, v.targets.dropFirst()).allSatisfy { $0 <= $1 }, "sorted by target")
        #expect(v.columns[1].contains { $0.isNaN }, "empty cells are missing")
        #expect(v.report.notes.contains("recognised forecast vintages: target 'Interval Start', published 'Publish Time', values 'Load Forecast', 'AE/MIDATL', 'RTO_COMBINED'"))
        #expect(v.summary.hasPrefix("<Vintages \(v.count) records, 72 targets 2016-11-05 00:00-04:00 .. 2016-11-07 22:00-05:00, published "))
        // the latest vintage of a target published by 10:00 the day before, by looking at every record
        let second = try TimeStamp.parseInstant("2016-11-06 01:00:00-05:00").utc
        let records = v.targets.indices.filter { v.targets[$0] == second }
        #expect(records.count == 8)
        #expect(records.map { v.published[$0] } == records.map { v.published[$0] }.sorted())
    }

    @Test func snakeCaseAndNaiveFilesAndErrors() throws {
        let api = files.write("api.csv", """
            interval_start_utc,interval_end_utc,publish_time_utc,load_forecast
            2016-01-01T05:00:00Z,2016-01-01T06:00:00Z,2015-12-31T15:00:00Z,9000
            2016-01-01T05:00:00Z,2016-01-01T06:00:00Z,2015-12-31T21:00:00Z,9100
            2016-01-01T06:00:00Z,2016-01-01T07:00:00Z,2015-12-31T15:00:00Z,8800

            """)
        let v = try Vintages.load(path: api)
        #expect(v.count == 3 && v.targetCount == 2 && v.names == ["load_forecast"] && v.zone.name == "UTC")
        let naive = files.write("naive.csv", "Interval Start,Publish Time,load\n2016-01-01 00:00,2015-12-31 10:00,1\n2016-01-01 00:00,2015-12-31 16:00,2\n")
        let w = try Vintages.load(path: naive)
        #expect(try w.zone.isWallClock && w.published == [TimeStamp.parse("2015-12-31 10:00"), TimeStamp.parse("2015-12-31 16:00")])

        let bad = files.write("bad.csv", "Interval Start,Publish Time,load\n2016-01-01 00:00,2015-12-31 10:00,1\n2016-01-01 01:00,2015-12-31 10:00,lots\n")
        #expect(errorMessage { try Vintages.load(path: bad) } == "\(bad):3:3: expected a number in column 'load', found \"lots\"")
        let mixed = files.write("mixed.csv", "Interval Start,Publish Time,load\n2016-01-01 00:00,2015-12-31 10:00,1\n2016-01-01 01:00:00-05:00,2015-12-31 10:00,1\n")
        #expect(errorMessage { try Vintages.load(path: mixed) }.hasPrefix("\(mixed):3:1: column 'Interval Start': bad time \"2016-01-01 01:00:00-05:00\""))
        let plain = files.write("plain.csv", "Date,price\n2016-01-01 00:00,1\n")
        #expect(errorMessage { try Vintages.load(path: plain) } == "\(plain):1: not a file of forecast vintages: expected a target column (Interval Start or interval_start_utc) and a publish time column (Publish Time or publish_time_utc) (header: Date, price)")
        #expect(errorMessage { try CSVReader.load(path: api) }
                == "\(api):1: forecast vintages (several forecasts per interval, with their publish times): read them with rally.load_vintages(path)")
    }
}
