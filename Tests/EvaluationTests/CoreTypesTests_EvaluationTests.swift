import Testing
@testable import RallyEngine

@Test func formatIsStable_EvaluationTests() {
    #expect(Format.number(2) == "2")
}
