import Testing
@testable import RallyEngine

@Test func formatIsStable_FeatureTests() {
    #expect(Format.number(2) == "2")
}
