import Foundation
import Testing
@testable import RallyEngine

/// Market time from Lua, through the built rally-shell: split, walk-forward and slice times with
/// and without UTC offsets on a zoned dataset, and a round trip of as-of publish times.
@Suite struct ZonedTimeLuaTests {
    @Test func splitsWalkForwardSlicesAndWritesInMarketTime() throws {
        let zone = try MarketZone.named("America/New_York")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rally-lua-zoned-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // 2016-10-01 00:00-04:00 .. 2016-12-31 23:00-05:00: 92 days, the fall-back one of 25 hours
        let t0 = TimeStamp.make(year: 2016, month: 10, day: 1, hour: 4), end = TimeStamp.make(year: 2017, month: 1, day: 1, hour: 5)
        let times = Array(stride(from: t0, to: end, by: 3600))
        #expect(times.count == 92 * 24 + 1)
        let prices = ["time,price"] + times.enumerated().map { "\(zone.format($1)),\(30 + $0 % 24)" }
        func iso(_ t: Int64) -> String { TimeStamp.format(t, offset: 0) }
        let vintages = ["interval_start_utc,interval_end_utc,publish_time_utc,load_forecast"]
            + times.enumerated().map { "\(iso($1)),\(iso($1 + 3600)),\(iso($1 - 30 * 3600 - 17)),\(1000 + $0)" }
        let files = (prices: dir.appendingPathComponent("prices.csv").path, vintages: dir.appendingPathComponent("vintages.csv").path,
                     wall: dir.appendingPathComponent("wall.csv").path, out: dir.appendingPathComponent("joined.csv").path,
                     again: dir.appendingPathComponent("again.csv").path)
        try (prices.joined(separator: "\n") + "\n").write(toFile: files.prices, atomically: true, encoding: .utf8)
        try (vintages.joined(separator: "\n") + "\n").write(toFile: files.vintages, atomically: true, encoding: .utf8)
        try "time,price\n2016-01-01 00:00,1\n2016-01-01 01:00,2\n".write(toFile: files.wall, atomically: true, encoding: .utf8)
        let script = dir.appendingPathComponent("zoned.lua")
        try """
            local prices, vintages, wall, out, again = ...
            local ds = rally.load(prices)
            print("zone", ds:zone())
            -- the second 01:00 of the fall-back day, given with its offset, and the first, given as a reading
            local s = rally.split{train_end = "2016-11-05 23:00", test_start = "2016-11-06 01:00-05:00", embargo = 1}
            local _, test = s:rows(ds, 1)
            print("instant", s.test_start, test[1])
            local n = rally.split{train_end = "2016-11-05 23:00", test_start = "2016-11-06 01:00", embargo = 1}
            _, test = n:rows(ds, 1)
            print("reading", n.test_start, test[1])
            local z = rally.split{train_end = "2016-11-06T03:59:59Z", test_start = "2016-11-06T04:00:00Z", embargo = 1}
            _, test = z:rows(ds, 1)
            print("utc", z.test_start, test[1])
            print("wall", select(2, pcall(function() return s:rows(rally.load(wall), 1) end)))
            local wf = rally.walkforward{data = ds, first_test = "2016-11-01", step = "month", embargo = 24}
            print("folds", #wf, wf[1].test_start, wf[#wf].test_end)
            local one = ds:slice("2016-11-06 01:00-05:00", "2016-11-06 01:00-05:00")
            local day = ds:slice("2016-11-06", "2016-11-06")
            print("slice", #one.price, #day.price)
            local j = rally.asof(ds, rally.load_vintages(vintages), {lead = "24h", columns = {load_fc = "load_forecast"}})
            j:write(out)
            local k = rally.load(out)
            k:write(again)
            print("published", table.concat(k:columns(), ","), (k:report():match("publish times of [^\\n]*")))
            """.write(to: script, atomically: true, encoding: .utf8)
        let shell = SweepShell.binary
        try #require(FileManager.default.fileExists(atPath: shell.path), "rally-shell not built at \(shell.path)")
        let run = try SweepShell.run(shell, [script.path, files.prices, files.vintages, files.wall, files.out, files.again])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let row = { (utc: Int64) in (utc - t0) / 3600 + 1 }   // Lua's 1-based row of an instant (printed as a number: "867.0")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines == [
            "zone\tAmerica/New_York",
            "instant\t2016-11-06 01:00-05:00\t\(row(TimeStamp.make(year: 2016, month: 11, day: 6, hour: 6))).0",
            "reading\t2016-11-06 01:00\t\(row(TimeStamp.make(year: 2016, month: 11, day: 6, hour: 5))).0",
            "utc\t2016-11-06 04:00+00:00\t\(row(TimeStamp.make(year: 2016, month: 11, day: 6, hour: 4))).0",
            "wall\t" + (lines.count > 4 && lines[4].hasPrefix("wall\t") ? String(lines[4].dropFirst(5).prefix { $0 != " " }) : "?")
                + " split: test_start 2016-11-06 01:00-05:00 is an instant (it has a UTC offset), but the dataset is on the wall clock (naive times, no zone): give it without an offset, or load the data with zone = \"...\"",
            "folds\t2\t2016-11-01 00:00\t2017-01-01 00:00",
            "slice\t1\t25",
            "published\tprice,load_fc\tpublish times of load_fc read from load_fc_published (as rally.asof joined them: features read each value only once published)",
        ], "stderr: \(run.stderr)")
        let written = try String(contentsOfFile: files.out, encoding: .utf8)
        #expect(written == (try String(contentsOfFile: files.again, encoding: .utf8)))
        #expect(written.hasPrefix("time,price,load_fc,load_fc_published\n2016-10-01 00:00-04:00,30,1000,2016-09-29 17:59:43-04:00\n"))
        let i = Int(row(TimeStamp.make(year: 2016, month: 11, day: 6, hour: 6))) - 1
        #expect(written.contains("\n2016-11-06 01:00-05:00,\(30 + i % 24),\(1000 + i),2016-11-04 19:59:43-04:00\n"))
    }
}
