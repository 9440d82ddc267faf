import Testing
@testable import RallyEngine

@Test func formatIsStable_ModelTests() {
    #expect(Format.number(2) == "2")
}
