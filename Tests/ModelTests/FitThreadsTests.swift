import Foundation
import Synchronization
import Testing
@testable import RallyEngine

/// A gbdt fit chooses its thread count from the free CPUs (FitThreads) and may change it every
/// few rounds: its trees must not depend on that.
@Suite struct FitThreadsTests {
    @Test func gbdtPredictionsDoNotDependOnThreadsOrTheirChanges() throws {
        let (X, y) = RandomProblem.make(n: 4_000, seed: 21)
        func predictions(_ choice: @escaping @Sendable (Int, Int) -> Int) throws -> [Double] {
            let m = try gbdt(["rounds": .number(45), "max_depth": .number(4), "subsample": .number(0.8), "seed": .number(2),
                              "nthread": .number(3)])
            m.threadChoice = choice
            try m.fit(X, labels: y, weights: nil)
            return try m.predict(X)
        }
        let calls = Mutex(0)
        let one = try predictions { _, _ in 1 }
        let switching = try predictions { requested, _ in
            calls.withLock { n in
                n += 1
                return [1, requested, 2][n % 3]
            }
        }
        #expect(calls.withLock { $0 } >= 4)   // the first choice, a look every 10 rounds, the prediction
        #expect(switching == one)
        #expect(try predictions { requested, _ in requested } == one)
    }

    @Test func aFitIsGivenAtMostWhatItAskedAndAtLeastOne() {
        #expect(FitThreads.choose(requested: 1) == 1)
        let chosen = FitThreads.choose(requested: 64)
        #expect(chosen >= 1 && chosen <= min(64, FitThreads.allowedCPUs()))
        #expect(FitThreads.allowedCPUs() >= 1)
        #if os(Linux)
        #expect(FitThreads.runnableThreads() != nil)
        #expect((FitThreads.ownRunningThreads() ?? 0) >= 1)
        #endif
    }

    @Test func anotherBusyThreadTakesACPU() throws {
        #if os(Linux)
        let stop = Atomic<Bool>(false)
        let spinner = Thread { while !stop.load(ordering: .relaxed) {} }
        spinner.start()
        defer { stop.store(true, ordering: .relaxed) }
        Thread.sleep(forTimeInterval: 0.05)
        // the spinning thread is runnable and not the fit's: at most every CPU but one is free
        let allowed = FitThreads.allowedCPUs()
        if allowed >= 2 { #expect(FitThreads.choose(requested: allowed) <= allowed - 1) }
        #endif
    }
}
