import Testing
@testable import RallyEngine

@Test func formatIsStable_ShellTests() {
    #expect(Format.number(2) == "2")
}
