import Foundation
import Testing
@testable import RallyEngine

/// A temporary directory for the CSV files these tests write; removed on deinit.
private final class DataLuaFiles {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rally-lua-data-\(UUID().uuidString)")

    init() { try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Writes `text` to `name`; returns the path.
    func write(_ name: String, _ text: String) -> String {
        let path = directory.appendingPathComponent(name).path
        let written = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        precondition(written, "could not write the test file \(path)")
        return path
    }
}

/// Eight hours of a small, clean file.
private let hours = "Date,price,load\n" + (0..<8).map { "2020-01-01 0\($0):00:00,\(10 + $0),\(100 + $0)" }.joined(separator: "\n") + "\n"

@Suite struct DataLuaTests {
    private let files = DataLuaFiles()
    let lua = LuaHarness()

    /// The error `chunk` raises, without its position and traceback.
    func luaError(_ chunk: String) -> String { lua.errorMessage(chunk) }

    @Test func aSingleSeriesHasNoLocations() throws {
        let path = files.write("one.csv", hours)
        try lua.run("ds = rally.load('\(path)')")
        #expect(try lua.run("return #ds:locations()") == ["0"])
        #expect(luaError("ds:location('WESTERN HUB')") == "bad argument #1 to 'location' (this dataset holds one series, not several locations; use it as it is)")
    }

    @Test func datasetFace() throws {
        let path = files.write("h.csv", hours)
        try lua.run("ds = rally.load('\(path)')")
        #expect(try lua.run("return tostring(ds)") == ["<Dataset 8 rows x 2 cols  2020-01-01 00:00 .. 2020-01-01 07:00  hourly, no gaps>"])
        #expect(try lua.run("return #ds, table.concat(ds:columns(), ',')") == ["8", "price,load"])
        #expect(try lua.run("local v = ds:col('price') return #v, v[1], v[8], v[9], #v:totable()") == ["8", "10.0", "17.0", "nil", "8"])
        #expect(try lua.run("return ds.load[2], ds.nothing") == ["101.0", "nil"])
        #expect(try lua.run("return ds:head(2)") == ["""
            time              price  load
            2020-01-01 00:00     10   100
            2020-01-01 01:00     11   101
            """])
        #expect(try lua.run("return ds:tail(1)") == ["time              price  load\n2020-01-01 07:00     17   107"])
        #expect(try lua.run("return tostring(ds:slice('2020-01-01 02:00', '2020-01-01 04:00'))")
                == ["<Dataset 3 rows x 2 cols  2020-01-01 02:00 .. 2020-01-01 04:00  hourly, no gaps>"])
        #expect(try lua.run("return #ds:slice('2020-01-01 05:00'), #ds:slice(nil, '2020-01-01'), #ds:slice('2021-01-01')") == ["3", "8", "0"])
        #expect(try lua.run("return ds:timestamps()[1]") == ["1577836800.0"])
        let describe = try lua.run("return ds:describe()")[0]
        #expect(describe.hasPrefix("           price     load\ncount          8        8\nmissing        0        0\nmean        13.5    103.5\nstd      2.44949  2.44949"))
        let report = try lua.run("return ds:report()")[0]
        #expect(report.hasPrefix("source: \(path)\n- delimiter: ','\n- line endings: LF\n- time column: 'Date' (%Y-%m-%d %H:%M:%S)"))
        #expect(try lua.run("return rally.help(rally.load):sub(1, 19)") == ["rally.load(path [, "])
    }

    @Test func writtenDatasetsLoadBack() throws {
        let path = files.write("hours.csv", hours.replacingOccurrences(of: "2020-01-01 03:00:00,13,", with: "2020-01-01 03:00:00,,"))
        let out = files.directory.appendingPathComponent("out/saved.csv").path
        let result = try lua.run("""
            local ds = rally.load("\(path)")
            local written = ds:write("\(out)")
            local back = rally.load(written)
            local same = #back == #ds and back:columns()[1] == "price"
            for _, name in ipairs(ds:columns()) do
              local a, b = ds[name]:totable(), back[name]:totable()
              for i = 1, a.n do if a[i] ~= b[i] then same = false end end
            end
            return same, back.price:missing(), written
            """)
        #expect(result == ["true", "1", out])
        #expect(luaError("rally.load('\(path)'):write()").contains("bad argument #1 to 'write' (string expected, got no value)"))
    }

    @Test func loadOptionsFromLua() throws {
        let path = files.write("semi.csv", "\u{FEFF}when;Zonal price;x\r2020-01-01 00:00;1,5;a\r2020-01-01 02:00;2,5;b\r2020-01-01 01:00;3,5;c\r")
        try lua.run("ds = rally.load('\(path)', {decimal = ',', columns = {price = 'Zonal price'}, sort = true, fill = 'interpolate'})")
        #expect(try lua.run("return tostring(ds), ds.price[2], ds.price[3]")
                == ["<Dataset 3 rows x 1 col  2020-01-01 00:00 .. 2020-01-01 02:00  hourly, no gaps>", "3.5", "2.5"])
        #expect(try lua.run("return (ds:report():find('sorted the rows into time order', 1, true)) ~= nil") == ["true"])
    }

    @Test func badArgumentsToLoad() {
        let path = files.write("h.csv", hours)
        #expect(luaError("rally.load()") == "bad argument #1 to 'load' (string expected, got no value)")
        #expect(luaError("rally.load('\(path)', {sort = 1})") == "bad argument #2 to 'load' (field 'sort': boolean expected, got number (sort rows by time (otherwise out-of-order times are an error)))")
        #expect(luaError("rally.load('\(path)', {sortt = true})")
                == "bad argument #2 to 'load' (unknown option 'sortt'; valid options: columns, component, decimal, delimiter, dst, duplicates, fill, fill_limit, format, header, hours, locations, pnodes, sort, time, utc_offset, zone)")
        #expect(luaError("rally.load('\(path)', {duplicates = 'avg'})")
                == "bad argument #2 to 'load' (field 'duplicates': one of \"first\", \"last\", \"mean\" expected, got \"avg\" (what to do with repeated times (otherwise an error)))")
        #expect(luaError("rally.load('\(path)', {delimiter = '|'})")
                == "bad argument #2 to 'load' (field 'delimiter': one of \",\", \";\", \"\\t\" expected, got \"|\" (the field separator (detected otherwise)))")
        #expect(luaError("rally.load('\(path)', {format = '%Y-%q'})")
                == "bad argument #2 to 'load' (field 'format': bad time format \"%Y-%q\": directives are %Y %m %d %H %I %M %S %p %z %%)")
        #expect(luaError("rally.load('\(path)', {columns = {price = 'Price'}})")
                == "\(path):1: no column 'Price' (asked for as 'price'); headers: Date, price, load")
        #expect(luaError("rally.load('\(path)'):col('nope')") == "bad argument #1 to 'col' (no column 'nope'; columns: price, load)")
        #expect(luaError("rally.load('\(path)'):slice('2020-13-01')")
                == "bad argument #1 to 'slice' (bad time \"2020-13-01\": expected YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS (market time), or with a UTC offset (2016-11-06 01:00-05:00, 2016-11-06T06:00:00Z))")
        #expect(luaError("rally.load('\(path)'):slice('2020-01-02', '2020-01-01 05:00')")
                == "bad argument #2 to 'slice' ('to' (2020-01-01 05:00) is before 'from' (2020-01-02 00:00))")
    }

    @Test func hourEndingFromLua() throws {
        let path = files.write("he.csv", "date,hour,price\n2020-03-01,1,10\n2020-03-01,2,11\n2020-03-01,3,12\n")
        #expect(try lua.run("return tostring(rally.load('\(path)'))")
                == ["<Dataset 3 rows x 1 col  2020-03-01 01:00 .. 2020-03-01 03:00  hourly, no gaps>"])
        try lua.run("ds = rally.load('\(path)', {hours = 'ending'})")
        #expect(try lua.run("return tostring(ds), ds.price[1]")
                == ["<Dataset 3 rows x 1 col  2020-03-01 00:00 .. 2020-03-01 02:00  hourly, no gaps>", "10.0"])
        #expect(try lua.run("return (ds:report():find(\"hour column 'hour' (hour ending 1-24: HE 1 is 00:00-01:00; as given: hours = \\\"ending\\\")\", 1, true)) ~= nil") == ["true"])
        #expect(luaError("rally.load('\(path)', {hours = 'end'})")
                == "bad argument #2 to 'load' (field 'hours': one of \"beginning\", \"ending\" expected, got \"end\" (an hour column's convention: beginning (0-23) or ending (1-24, PJM's HE) (detected otherwise)))")
        #expect((try lua.run("return rally.help(rally.load)")[0]).contains("hours (one of \"beginning\", \"ending\"): an hour column's convention: beginning (0-23) or ending (1-24, PJM's HE)"))
    }

    @Test func badFiles() {
        let missing = files.directory.appendingPathComponent("missing.csv").path
        #expect(luaError("rally.load('\(missing)')") == "cannot open '\(missing)': No such file or directory")
        let text = files.write("text.csv", "Date,price\n2020-01-01 00:00:00,1\n2020-01-01 01:00:00,high\n")
        #expect(luaError("rally.load('\(text)')") == "\(text):3:2: expected a number in column 'price', found \"high\"")
        let dup = files.write("dup.csv", "Date,price\n2020-01-01 00:00:00,1\n2020-01-01 00:00:00,2\n")
        #expect(luaError("rally.load('\(dup)')")
                == "\(dup):2: duplicate timestamps: 2020-01-01 00:00 (lines 2, 3); pass duplicates = \"first\", \"last\" or \"mean\"")
        #expect(throws: Never.self) { try lua.run("rally.load('\(dup)', {duplicates = 'mean'})") }
        let unsorted = files.write("unsorted.csv", "Date,price\n2020-01-01 01:00:00,1\n2020-01-01 00:00:00,2\n")
        #expect(luaError("rally.load('\(unsorted)')")
                == "\(unsorted):3: rows are not in time order: 2020-01-01 00:00 comes after 2020-01-01 01:00 (\(unsorted):2); pass sort = true to sort them")
    }

    @Test func splitsFromLua() throws {
        try lua.run("s = rally.split{train_end = '2016-12-31 23:00', test_start = '2017-01-01', embargo = 24, horizon = 24}")
        #expect(try lua.run("return tostring(s)") == ["<Split train .. 2016-12-31 23:00 | test 2017-01-01 00:00 .. | embargo 24 h>"])
        #expect(try lua.run("return s.train_end, s.test_start, s.test_end, s.embargo") == ["2016-12-31 23:00", "2017-01-01 00:00", "nil", "24"])
        #expect(luaError("rally.split{train_end = '2016-12-31 23:00', test_start = '2017-01-01'}")
                == "bad argument #1 to 'split' (field 'embargo': integer hours in [0, 1000000] or a duration such as \"1d\" expected, got nil (time before train_end in which no row trains: at least the label horizon, e.g. embargo = 24 or \"1d\"))")
        #expect(luaError("rally.split{train_end = '2016-12-31 23:00', test_start = '2017-01-01', embargo = 6, horizon = 24}")
                == "split: embargo 6 h is shorter than the label horizon 24 h: training rows 2016-12-31 00:00 .. 2016-12-31 17:00 would have labels reading past train_end 2016-12-31 23:00 (up to 2017-01-01 17:00); use embargo >= 24")
        #expect(luaError("rally.split{train_end = '2017-06-01', test_start = '2017-01-01', embargo = 24}")
                == "split: train period (.. 2017-06-01 23:59:59) overlaps the test period (2017-01-01 00:00 ..): train_end must be before test_start")
        #expect(luaError("rally.split{train_end = 'soon', test_start = '2017-01-01', embargo = 24}")
                == "bad argument #1 to 'split' (field 'train_end': bad time \"soon\": expected YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS (market time), or with a UTC offset (2016-11-06 01:00-05:00, 2016-11-06T06:00:00Z))")
    }

    @Test func splitRowsAndWalkForwardFromLua() throws {
        try lua.run("ds = rally.dataset.synthetic{years = 3, seed = 2}")
        try lua.run("s = rally.split{train_end = '2014-12-31 23:00', test_start = '2015-01-01', embargo = 24}")
        #expect(try lua.run("local tr, te = s:rows(ds, 24) return #tr, #te, tr[#tr], te[1]") == ["17496", "8760", "17496.0", "17521.0"])
        #expect(luaError("s:rows(ds, 48)").hasPrefix("split: embargo 24 h is shorter than the label horizon 48 h"))
        try lua.run("folds = rally.walkforward{data = ds, first_test = '2014-01-01', step = 'year', embargo = 24}")
        #expect(try lua.run("return #folds, folds[1].test_end, folds[2].test_start, folds[2].test_end")
                == ["2", "2015-01-01 00:00", "2015-01-01 00:00", "2016-01-01 00:00"])
        try lua.run("rolling = rally.walkforward{stop = '2015-07-01', first_test = '2015-01-01', step = '3 months', window = 'rolling', train = '1 year', embargo = 24}")
        #expect(try lua.run("return #rolling, rolling[2].train_start, rolling[2].test_start") == ["2", "2014-04-01 00:00", "2015-04-01 00:00"])
        #expect(luaError("rally.walkforward{data = ds, first_test = '2014-01-01', step = 'week', embargo = 24}")
                == "bad argument #1 to 'walkforward' (field 'step': expected \"year\", \"month\", \"N years\" (N up to 1000) or \"N months\" (N up to 12000), got \"week\")")
        #expect(luaError("rally.walkforward{data = ds, first_test = '2014-01-01', step = 'year', window = 'rolling', embargo = 24}")
                == "bad argument #1 to 'walkforward' (field 'train': a rolling window needs its span, e.g. train = \"2 years\")")
        #expect(luaError("rally.walkforward{first_test = '2014-01-01', step = 'year', embargo = 24}")
                == "bad argument #1 to 'walkforward' (field 'stop': give data = ds or stop = \"YYYY-MM-DD\" to say where the folds end)")
    }

    @Test func timeArgumentsMustBeStrings() throws {
        try lua.run("ds = rally.dataset.synthetic{years = 2, seed = 1}")
        let expected = "time string expected (\"YYYY-MM-DD HH:MM\"), got number"
        #expect(luaError("rally.split{train_end = 5, test_start = '2015-01-01', embargo = 24}")
                == "bad argument #1 to 'split' (field 'train_end': \(expected))")
        #expect(luaError("ds:slice(1, 2)") == "bad argument #1 to 'slice' (\(expected))")
        #expect(luaError("ds:slice('2013-01-01', 2)") == "bad argument #2 to 'slice' (\(expected))")
        #expect(luaError("rally.walkforward{first_test = 1e9, step = 'year', embargo = 24, data = ds}")
                == "bad argument #1 to 'walkforward' (field 'first_test': \(expected))")
        #expect(luaError("rally.walkforward{first_test = '2014-01-01', step = 'year', embargo = 24, stop = 0}")
                == "bad argument #1 to 'walkforward' (field 'stop': \(expected))")
        #expect(luaError("rally.dataset.synthetic{start = 0}") == "bad argument #1 to 'synthetic' (field 'start': \(expected))")
    }

    @Test func countsHorizonsAndFirstTestAreChecked() throws {
        try lua.run("ds = rally.dataset.synthetic{years = 2, seed = 1}")
        #expect(luaError("rally.split{train_end = '2013-12-31', test_start = '2014-01-01', embargo = 24, horizon = -1}")
                == "bad argument #1 to 'split' (field 'horizon': integer steps in [0, 1000000] or a duration such as \"24h\" expected, got -1 (the label horizon (steps, or a duration such as \"24h\"), to check the embargo now))")
        #expect(luaError("rally.walkforward{first_test = '2014-01-01', step = 'month', embargo = 24, data = ds, horizon = -1}")
                == "bad argument #1 to 'walkforward' (field 'horizon': integer steps in [0, 1000000] or a duration such as \"24h\" expected, got -1 (the label horizon (steps, or a duration such as \"24h\"), to check the embargo now))")
        #expect(luaError("rally.walkforward{first_test = '2000-01-01', step = 'year', embargo = 24, data = ds}")
                == "bad argument #1 to 'walkforward' (field 'first_test': 2000-01-01 00:00 leaves fold 1 no training rows: the data starts at 2013-01-01 00:00, after the fold's last training time 1999-12-30 23:00 (first_test - one row - embargo 24 h))")
        #expect(luaError("rally.walkforward{first_test = '2013-01-01 12:00', step = 'month', embargo = 24, data = ds}")
                .contains("field 'first_test': 2013-01-01 12:00 leaves fold 1 no training rows"))
        #expect(try lua.run("return #rally.walkforward{first_test = '2013-01-03', step = 'year', embargo = 24, data = ds}") == ["2"])
        #expect(luaError("ds:head(-1)") == "bad argument #1 to 'head' (an integer in [0, 1000000000] expected, got -1 (rows to show))")
        #expect(luaError("ds:tail(-3)") == "bad argument #1 to 'tail' (an integer in [0, 1000000000] expected, got -3 (rows to show))")
        #expect(try lua.run("return ds:head(0)") == ["time  price  sys_load_fc  zonal_load_fc"])
    }

    @Test func dataMinerOptionsOnOrdinaryFiles() throws {
        let path = files.write("h.csv", hours)
        for (option, value) in [("utc_offset", "-5"), ("pnodes", "{'X'}"), ("component", "'energy'")] {
            #expect(luaError("rally.load('\(path)', {\(option) = \(value)})")
                    == "\(path):1: \(option) applies only to long LMP exports (PJM Data Miner, gridstatus), and this file is not one (header: Date, price, load)")
        }
        #expect(luaError("rally.load('\(path)', {pnodes = {a = 'COMED'}})")
                == "bad argument #2 to 'load' (field 'pnodes': a list of names or ids expected, found key 'a')")
    }

    @Test func syntheticFromLua() throws {
        #expect(try lua.run("return tostring(rally.dataset.synthetic{years = 1, seed = 3, start = '2020-01-01'})")
                == ["<Dataset 8784 rows x 3 cols  2020-01-01 00:00 .. 2020-12-31 23:00  hourly, no gaps>"])
        #expect(try lua.run("return rally.dataset.synthetic{years = 1, seed = 3}.price[100] == rally.dataset.synthetic{years = 1, seed = 3}.price[100]") == ["true"])
        #expect(luaError("rally.dataset.synthetic{seed = -1}") == "bad argument #1 to 'synthetic' (field 'seed': an integer in [0, 9007199254740991] expected, got -1 (same seed, same data))")
        #expect(luaError("rally.dataset.synthetic{years = 0}") == "bad argument #1 to 'synthetic' (field 'years': an integer in [1, 200] expected, got 0 (years of hourly data))")
        #expect(luaError("rally.dataset.synthetic{year = 2}") == "bad argument #1 to 'synthetic' (unknown option 'year'; valid options: locations, seed, start, years)")
    }

    @Test func dataMinerFromLua() throws {
        let header = "datetime_beginning_utc,datetime_beginning_ept,pnode_id,pnode_name,voltage,equipment,type,zone,system_energy_price_da,total_lmp_da,congestion_price_da,marginal_loss_price_da,row_is_current,version_nbr"
        let rows = [(5, 1, 33092371, "COMED"), (5, 1, 51291, "AECO"), (5, 1, 1, "PJM-RTO"), (6, 2, 33092371, "COMED"), (6, 2, 51291, "AECO"), (6, 2, 1, "PJM-RTO")]
            .map { "1/1/2025 \($0.0):00:00 AM,1/1/2025 \($0.1):00:00 AM,\($0.2),\($0.3),,,ZONE,,20.00,21.00,0.60,0.40,TRUE,1" }
        let path = files.write("lmp.csv", ([header] + rows).joined(separator: "\n"))
        try lua.run("lmp = rally.load('\(path)', {pnodes = {33092371, 'AECO'}, component = 'energy'})")
        #expect(try lua.run("return tostring(lmp), lmp.COMED[1], lmp.AECO[2]")
                == ["<Dataset 2 rows x 2 cols, 2 locations  2025-01-01 05:00 .. 2025-01-01 06:00  hourly, no gaps>", "20.0", "20.0"])
        #expect(luaError("rally.load('\(path)', {pnodes = {true}})")
                == "bad argument #2 to 'load' (field 'pnodes': name or id expected at index 1, got boolean)")
        #expect(luaError("rally.load('\(path)', {pnodes = {}})")
                == "\(path):1: pnodes is an empty list; name at least one pnode, or leave pnodes out to keep them all")
        #expect(luaError("rally.load('\(path)', {component = 'price'})")
                == "bad argument #2 to 'load' (field 'component': one of \"total\", \"energy\", \"congestion\", \"loss\", \"lmp\" expected, got \"price\" (long LMP exports: the price component pivoted as price (lmp = total)))")
    }

    @Test func zonesGridstatusAndHeaderlessFilesFromLua() throws {
        let local = files.write("fall.csv", "time,price\n" + ["00", "01", "01", "02"].enumerated().map { "2016-11-06 \($0.element):00,\($0.offset)" }.joined(separator: "\n") + "\n")
        try lua.run("z = rally.load('\(local)', {zone = 'America/New_York'})")
        #expect(try lua.run("return tostring(z), z:zone()")
                == ["<Dataset 4 rows x 1 col  2016-11-06 00:00-04:00 .. 2016-11-06 02:00-05:00  hourly, no gaps  America/New_York>", "America/New_York"])
        #expect(try lua.run("return #z:slice('2016-11-06 01:00', '2016-11-06 01:00')") == ["2"])
        #expect(luaError("rally.load('\(local)', {zone = 'Nowhere/City'})").hasPrefix("bad argument #2 to 'load' (field 'zone': zone \"Nowhere/City\": no such zone in the tz database"))
        #expect(try lua.run("return rally.load('\(local)', {duplicates = 'first'}):zone()") == ["wall clock"])
        let header = "Time,Interval Start,Interval End,Market,Location Id,Location Name,Location Short Name,Location Type,LMP,Energy,Congestion,Loss"
        let rows = ["2016-07-01 00:00:00-04:00", "2016-07-01 01:00:00-04:00"].flatMap { t in
            [("51288", "WESTERN HUB"), ("1", "PJM-RTO")].map { "\(t),\(t),\(t),DAY_AHEAD_HOURLY,\($0.0),\($0.1),X,HUB,30.5,30,0.25,0.25" }
        }
        let lmp = files.write("gs.csv", ([header] + rows).joined(separator: "\n") + "\n")
        try lua.run("g = rally.load('\(lmp)', {locations = {'WESTERN HUB', 1}, component = 'energy'})")
        #expect(try lua.run("return table.concat(g:locations(), '|'), table.concat(g:location('51288'):columns(), '|'), g:location('PJM-RTO').price[2]")
                == ["WESTERN HUB|PJM-RTO", "price|lmp|congestion|loss", "30.0"])
        let bare = files.write("bare.csv", "2020-01-01 00:00,1\n2020-01-01 01:00,2\n")
        #expect(try lua.run("return table.concat(rally.load('\(bare)'):columns(), '|'), #rally.load('\(bare)', {header = true})") == ["column2", "1"])
    }
}
