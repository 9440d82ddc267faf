import Dispatch
import Foundation
import Synchronization
import Testing
@testable import RallyEngine

/// The pieces that share a step's items among workers: `WorkCounter` hands each item out once,
/// `concurrentMap` returns in index order and rethrows the error a serial map would throw.
struct ConcurrentWorkTests {
    @Test func everyItemIsTakenOnceWhateverTheWorkers() {
        for workers in [1, 2, 3, 8] {
            let items = 1_000, next = WorkCounter()
            let taken = WorkerSlots<Int>(count: items, initial: 0)
            let counts = Mutex([Int](repeating: 0, count: workers))
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                while case let i = next.take(), i < items {
                    taken.set(i, taken.get(i) + 1)
                    counts.withLock { $0[w] += 1 }
                }
            }
            #expect((0..<items).allSatisfy { taken.get($0) == 1 }, "workers \(workers)")
            #expect(counts.withLock { $0.reduce(0, +) } == items)
        }
    }

    @Test func concurrentMapKeepsTheIndexOrder() {
        for threads in [1, 2, 4] {
            let out = concurrentMap(50, threads: threads) { i in i * i }
            #expect(out == (0..<50).map { $0 * $0 })
        }
        #expect(concurrentMap(0, threads: 2) { $0 }.isEmpty)
    }

    @Test func concurrentMapRethrowsTheLowestIndexError() {
        for threads in [1, 2, 4] {
            #expect(throws: RallyError("item 3")) {
                _ = try concurrentMap(40, threads: threads) { i -> Int in
                    if i == 3 || i == 17 || i == 39 { throw RallyError("item \(i)") }
                    return i
                }
            }
        }
    }

    @Test func forecastLossesAreTheScorersAndCheckTheSameInput() throws {
        let y: [Double] = [0, 1, 1, 0, 1, 0, 0]
        let p: [Double] = [0.1, 0.8, 0.0, 1.0, 0.35, 0.35, 0.6]
        let settings = MetricSettings(logLossClip: 1e-6)
        let losses = try ForecastLosses(labels: y, probabilities: p, settings: settings, model: "m")
        let scorer = try ForecastScorer(labels: y, probabilities: p, settings: settings, model: "m")
        #expect(losses.squaredErrors == scorer.squaredErrors)
        #expect(losses.logLosses == scorer.logLosses)
        #expect(losses.logLosses[2] == -log(1e-6))
        #expect(throws: RallyError("metrics for 'm': probability at row 2 is 1.5, expected a number in [0, 1]")) {
            try ForecastLosses(labels: [0, 1], probabilities: [0.5, 1.5], settings: settings, model: "m")
        }
    }
}
