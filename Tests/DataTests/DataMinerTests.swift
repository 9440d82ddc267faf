import Testing
@testable import RallyEngine

@Suite struct DataMinerTests {
    let files = TestFiles()

    static let header = "datetime_beginning_utc,datetime_beginning_ept,pnode_id,pnode_name,voltage,equipment,type,zone,system_energy_price_da,total_lmp_da,congestion_price_da,marginal_loss_price_da,row_is_current,version_nbr"

    /// Three pnodes over the 2024 autumn DST change (EPT 01:00 twice; UTC regular): a stale row,
    /// a superseded version, a row whose components miss the total by 10 cents, an absent hour.
    static let long = [
        header,
        "11/3/2024 5:00:00 AM,11/3/2024 1:00:00 AM,33092371,COMED,,,ZONE,COMED,20.00,21.50,1.00,0.50,TRUE,1",
        "11/3/2024 5:00:00 AM,11/3/2024 1:00:00 AM,51291,AECO,,,ZONE,AECO,20.00,19.80,-0.30,0.10,TRUE,1",
        "11/3/2024 5:00:00 AM,11/3/2024 1:00:00 AM,1,PJM-RTO,,,ZONE,,20.00,20.00,0.00,0.00,TRUE,1",
        "11/3/2024 6:00:00 AM,11/3/2024 1:00:00 AM,33092371,COMED,,,ZONE,COMED,21.00,22.00,0.70,0.30,FALSE,1",
        "11/3/2024 6:00:00 AM,11/3/2024 1:00:00 AM,33092371,COMED,,,ZONE,COMED,21.00,23.00,1.50,0.50,TRUE,2",
        "11/3/2024 6:00:00 AM,11/3/2024 1:00:00 AM,51291,AECO,,,ZONE,AECO,21.00,21.60,0.20,0.40,TRUE,1",
        "11/3/2024 6:00:00 AM,11/3/2024 1:00:00 AM,51291,AECO,,,ZONE,AECO,21.00,21.90,0.50,0.40,TRUE,2",
        "11/3/2024 6:00:00 AM,11/3/2024 1:00:00 AM,1,PJM-RTO,,,ZONE,,21.00,21.00,0.00,0.00,TRUE,1",
        "11/3/2024 7:00:00 AM,11/3/2024 2:00:00 AM,33092371,COMED,,,ZONE,COMED,22.00,23.60,1.00,0.50,TRUE,1",
        "11/3/2024 7:00:00 AM,11/3/2024 2:00:00 AM,1,PJM-RTO,,,ZONE,,22.00,22.00,0.00,0.00,TRUE,1",
    ].joined(separator: "\r\n") + "\r\n"

    func nanAsMinusOne(_ c: [Double]) -> [Double] { c.map { $0.isNaN ? -1 : $0 } }

    @Test func pivotsCurrentLatestRowsOnUTC() throws {
        let path = files.write("da_hrl_lmps.csv", Self.long)
        let ds = try loadBothWays(path)
        #expect(ds.names == ["COMED", "AECO", "PJM-RTO"])
        #expect(times(ds) == ["2024-11-03 05:00", "2024-11-03 06:00", "2024-11-03 07:00"])
        #expect(ds.columns[0] == [21.5, 23.0, 23.6])
        #expect(nanAsMinusOne(ds.columns[1]) == [19.8, 21.9, -1])
        #expect(ds.columns[2] == [20, 21, 22])
        let notes = ds.report.notes
        #expect(notes.contains("recognised a PJM Data Miner 2 hourly LMP export (long format: one row per pnode and hour)"))
        #expect(notes.contains("time column: 'datetime_beginning_utc' (%m/%d/%Y %I:%M:%S %p); the dataset's clock is UTC"))
        #expect(notes.contains("read 10 long rows for 3 pnodes: COMED (33092371), AECO (51291), PJM-RTO (1)"))
        #expect(notes.contains("dropped 1 row with row_is_current = FALSE"))
        #expect(notes.contains("kept the highest version_nbr where a pnode and hour had several current rows: 1 older row dropped (line 7)"))
        #expect(notes.contains("energy + congestion + loss differs from the total LMP by a cent or more in 1 of 8 rows (kept as read): line 10 (COMED 2024-11-03 07:00): 22.00 + 1.00 + 0.50 = 23.50 vs total 23.60"))
        #expect(notes.contains("pivoted the total price (total_lmp_da) to one column per pnode: COMED, AECO, PJM-RTO"))
        #expect(notes.contains("pnode AECO has no value for 1 of 3 hours (missing values; first 2024-11-03 07:00)"))
    }

    @Test func componentPnodesRenameAndOffset() throws {
        let path = files.write("lmp.csv", Self.long)
        var options = CSVOptions()
        options.component = .congestion
        options.pnodes = ["COMED", "1"]
        options.utcOffsetHours = -5
        let ds = try loadBothWays(path, options)
        #expect(ds.names == ["COMED", "PJM-RTO"])
        #expect(ds.columns == [[1.0, 1.5, 1.0], [0, 0, 0]])
        #expect(times(ds) == ["2024-11-03 00:00", "2024-11-03 01:00", "2024-11-03 02:00"])
        options = CSVOptions()
        options.columns = [ColumnSelection(name: "comed", header: "33092371")]
        let renamed = try loadBothWays(path, options)
        #expect(renamed.names == ["comed"])
        #expect(renamed.columns == [[21.5, 23.0, 23.6]])
    }

    @Test func errors() {
        let path = files.write("lmp.csv", Self.long)
        var options = CSVOptions()
        options.pnodes = ["WEST"]
        #expect(errorMessage { try CSVReader.load(path: path, options: options) }
                == "\(path):1: no pnode 'WEST' in the file; pnodes: COMED (33092371), AECO (51291), PJM-RTO (1)")
        options.pnodes = []
        #expect(errorMessage { try CSVReader.load(path: path, options: options) }
                == "\(path):1: pnodes is an empty list; name at least one pnode, or leave pnodes out to keep them all")
        let twice = files.write("twice.csv", [Self.header,
            "1/1/2025 5:00:00 AM,1/1/2025 12:00:00 AM,1,PJM-RTO,,,ZONE,,20.00,20.00,0.00,0.00,TRUE,1",
            "1/1/2025 5:00:00 AM,1/1/2025 12:00:00 AM,1,PJM-RTO,,,ZONE,,20.00,20.00,0.00,0.00,TRUE,1"].joined(separator: "\n"))
        #expect(errorMessage { try CSVReader.load(path: twice) }
                == "\(twice):2: two current rows for pnode PJM-RTO at 2025-01-01 05:00 UTC with the same version_nbr 1 (lines 2 and 3)")
        let flag = files.write("flag.csv", [Self.header, "1/1/2025 5:00:00 AM,1/1/2025 12:00:00 AM,1,PJM-RTO,,,ZONE,,20.00,20.00,0.00,0.00,yes,1"].joined(separator: "\n"))
        #expect(errorMessage { try CSVReader.load(path: flag) }
                == "\(flag):2:13: expected TRUE or FALSE in column 'row_is_current', found \"yes\"")
        let price = files.write("price.csv", [Self.header, "1/1/2025 5:00:00 AM,1/1/2025 12:00:00 AM,1,PJM-RTO,,,ZONE,,20.00,2O.00,0.00,0.00,TRUE,1"].joined(separator: "\n"))
        #expect(errorMessage { try CSVReader.load(path: price) }
                == "\(price):2:10: expected a number in column 'total_lmp_da', found \"2O.00\"")
    }

    @Test func aZoneShowsTheUTCInstantsInLocalTime() throws {
        let path = files.write("zoned.csv", Self.long)
        var options = CSVOptions()
        options.zone = "America/New_York"
        let ds = try loadBothWays(path, options)
        #expect(ds.zone.name == "America/New_York")
        #expect(ds.timestamps.first == TimeStamp.make(year: 2024, month: 11, day: 3, hour: 5))
        #expect(DatasetText.head(ds, 2).contains("2024-11-03 01:00-05:00"))
        #expect(ds.locations.map(\.name) == ["COMED", "AECO", "PJM-RTO"])
        options.utcOffsetHours = -5
        #expect(errorMessage { try CSVReader.load(path: path, options: options) }.hasSuffix("give zone = \"...\" (UTC instants shown in the zone's local time) or utc_offset (a shifted naive clock), not both"))
    }
}
