import Testing
@testable import RallyEngine

@Test func formatIsStable_DataTests() {
    #expect(Format.number(2) == "2")
}
