import Foundation
import Testing
@testable import RallyEngine

/// rally.load_vintages and rally.asof from Lua.
@Suite struct VintageLuaTests {
    let lua = LuaHarness()
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rally-lua-vintages-\(UUID().uuidString)")
    let hours = 72
    let start: Int64 = 1_451_606_400   // 2016-01-01 00:00 UTC

    init() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func iso(_ t: Int64) -> String { TimeStamp.format(t) + ":00Z" }
        let prices = ["Interval Start,price"] + (0..<hours).map { "\(iso(start + Int64($0) * 3600)),\(30 + $0 % 24)" }
        // every hour has two vintages: published 36 and 12 hours before it
        var vintages = ["interval_start_utc,interval_end_utc,publish_time_utc,load_forecast"]
        for h in 0..<hours {
            let t = start + Int64(h) * 3600
            vintages.append("\(iso(t)),\(iso(t + 3600)),\(iso(t - 36 * 3600)),\(1000 + h)")
            vintages.append("\(iso(t)),\(iso(t + 3600)),\(iso(t - 12 * 3600)),\(2000 + h)")
        }
        try (prices.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("prices.csv"), atomically: true, encoding: .utf8)
        try (vintages.joined(separator: "\n") + "\n").write(to: directory.appendingPathComponent("vintages.csv"), atomically: true, encoding: .utf8)
        try lua.run("ds = rally.load('\(directory.path)/prices.csv'); v = rally.load_vintages('\(directory.path)/vintages.csv')")
    }

    func luaError(_ chunk: String) -> String { lua.errorMessage(chunk) }

    @Test func loadAndJoinVintages() throws {
        #expect(try lua.run("return tostring(v), #v, v:columns()[1]") == [
            "<Vintages 144 records, 72 targets 2016-01-01 00:00+00:00 .. 2016-01-03 23:00+00:00, published 2015-12-30 12:00+00:00 .. 2016-01-03 11:00+00:00, columns: load_forecast>",
            "144", "load_forecast",
        ])
        #expect(try lua.run("return (v:report():match('recognised forecast vintages[^\\n]*'))")
                == ["recognised forecast vintages: target 'interval_start_utc', published 'publish_time_utc', values 'load_forecast'"])
        try lua.run("j, missing = rally.asof(ds, v, {at = '10:00', days_before = 1, columns = {load_fc = 'load_forecast'}})")
        // by 10:00 the day before, the 12-hour vintage is out for hours from 22:00 on, the 36-hour one for every hour
        var expected: [String] = []
        for h in 0..<hours {
            let t = start + Int64(h) * 3600
            let decision = (t / 86_400 - 1) * 86_400 + 36_000
            expected.append(t - 12 * 3600 <= decision ? "\(2000 + h)" : t - 36 * 3600 <= decision ? "\(1000 + h)" : "nil")
        }
        #expect(try lua.run("local out = {} for i = 1, #j do out[i] = tostring(j.load_fc[i] and math.tointeger(j.load_fc[i]) or nil) end return table.unpack(out)")
                == expected)
        #expect(try lua.run("return missing, table.concat(j:columns(), ',')") == ["\(expected.filter { $0 == "nil" }.count)", "price,load_fc"])
        #expect(try lua.run("return (j:report():match('asof: [^\\n]*'))")[0].hasPrefix("asof: joined load_fc from forecast vintages published by 10:00, 1 day before"))
        try lua.run("k = rally.asof(ds, v, {lead = '12h'})")
        #expect(try lua.run("return k.load_forecast[1], k.load_forecast[72]") == ["2000.0", "2071.0"])
    }

    @Test func errorsNameTheArgumentAndOption() throws {
        #expect(luaError("rally.asof(ds, v, {})")
                == "bad argument #3 to 'asof' (field 'at': give the decision time: at = \"HH:MM\" (with days_before) or lead = \"24h\")")
        #expect(luaError("rally.asof(ds, v, {at = '25:00'})") == "bad argument #3 to 'asof' (field 'at': a clock time \"HH:MM\" expected, got \"25:00\")")
        #expect(luaError("rally.asof(ds, v, {at = '10:00', columns = {price = 'load_forecast'}})")
                == "bad argument #3 to 'asof' (field 'columns': the dataset already has a column 'price'; name the joined one differently, columns = {new_name = \"load_forecast\"})")
        #expect(luaError("rally.asof(ds, ds, {at = '10:00'})") == "bad argument #2 to 'asof' (Vintages expected, got Dataset)")
        #expect(luaError("rally.asof(ds, v, {lead = '1 day'})").hasPrefix("bad argument #3 to 'asof' (field 'lead': integer steps in [0, 1000000] or a duration such as \"24h\" expected, got \"1 day\""))
        #expect(luaError("rally.load('\(directory.path)/vintages.csv')").hasSuffix("read them with rally.load_vintages(path)"))
        #expect(try lua.run("return rally.help(rally.asof)")[0].contains("\n  lead (integer steps in [0, 1000000] or a duration such as \"24h\"): "))
        #expect(try lua.run("return rally.help(rally.load_vintages)")[0].hasPrefix("rally.load_vintages(path) -- reads a CSV file of forecast vintages"))
    }
}
