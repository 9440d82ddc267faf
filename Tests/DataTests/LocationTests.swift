import Testing
@testable import RallyEngine

/// Two hubs with a price and an energy column each, and a shared load column.
private func twoHubs() -> Dataset {
    Dataset(timestamps: [0, 3600], names: ["WEST price", "shared_load", "WEST energy", "EAST price", "EAST energy"],
            columns: [[1, 2], [100, 200], [0.5, 1.5], [3, 4], [2.5, 3.5]],
            report: LoadReport(source: "two.csv"),
            locations: [Location(name: "WEST", id: "51288", members: [.init(name: "price", column: 0), .init(name: "energy", column: 2)]),
                        Location(name: "EAST", id: "EAST", members: [.init(name: "price", column: 3), .init(name: "energy", column: 4)])])
}

@Suite struct LocationTests {
    @Test func aLocationIsItsColumnsUnderPlainNamesPlusTheSharedOnes() throws {
        let west = try twoHubs().location("WEST")
        #expect(west.names == ["price", "energy", "shared_load"])
        #expect(west.columns == [[1, 2], [0.5, 1.5], [100, 200]])
        #expect(west.locations.isEmpty)
        #expect(west.report.notes.last == "location WEST (id 51288) of 2")
        #expect(try twoHubs().location("51288").names == west.names)
        #expect(try twoHubs().location("EAST").column(named: "price") == [3, 4])
    }

    @Test func unknownLocationsAndSingleSeriesAreErrorsNamingWhatThereIs() {
        #expect(throws: RallyError.self) { try twoHubs().location("NORTH") }
        do { _ = try twoHubs().location("NORTH") } catch let e as RallyError {
            #expect(e.message == "no location 'NORTH'; locations: WEST (51288), EAST")
        } catch { Issue.record("unexpected \(error)") }
        let single = Dataset(timestamps: [0], names: ["price"], columns: [[1]])
        do { _ = try single.location("WEST") } catch let e as RallyError {
            #expect(e.message.contains("holds one series"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func slicingKeepsTheLocationsAndTheSummaryCountsThem() {
        let ds = twoHubs().slice(rows: 1..<2)
        #expect(ds.locations.map(\.name) == ["WEST", "EAST"])
        #expect(ds.summary.hasPrefix("<Dataset 1 rows x 5 cols, 2 locations  "))
    }
}
