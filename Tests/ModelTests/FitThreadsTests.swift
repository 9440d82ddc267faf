import Foundation
import Synchronization
import Testing
@testable import RallyEngine
import RallyCore

/// A gbdt fit chooses its thread count from the free CPUs (FitThreads) and may change it every
/// few rounds: its trees must not depend on that.
@Suite struct FitThreadsTests {
    @Test func gbdtPredictionsDoNotDependOnThreadsOrTheirChanges() throws {
        let (X, y) = RandomProblem.make(n: 4_000, seed: 21)
        func predictions(_ schedule: (@Sendable (Int, Int) -> Int)?) throws -> [Double] {
            let m = try gbdt(["rounds": .number(45), "max_depth": .number(4), "subsample": .number(0.8), "seed": .number(2),
                              "nthread": .number(3)])
            m.threadSchedule = schedule
            try m.fit(X, labels: y, weights: nil)
            return try m.predict(X)
        }
        let rounds = Mutex<[Int]>([])
        let one = try predictions { _, _ in 1 }
        let switching = try predictions { round, requested in
            rounds.withLock { $0.append(round) }
            return [1, requested, 2][(round / 10) % 3]
        }
        // the first rounds, a look every 10 rounds, the prediction
        #expect(rounds.withLock { $0 } == [0, 10, 20, 30, 40, -1])
        #expect(switching == one)
        #expect(try predictions { _, requested in requested } == one)
        #expect(try predictions(nil) == one)
    }

    @Test func aFitStartsOnWhatItAskedUpToTheAllowedCPUs() {
        let allowed = FitThreads.allowedCPUs()
        #expect(allowed >= 1)
        #expect(FitThreads(requested: 1).current == 1)
        var many = FitThreads(requested: 256)
        #expect(many.current == min(256, allowed))
        for _ in 0..<3 {
            let now = many.update()
            #expect(now >= 1 && now <= min(256, allowed))
        }
        #if os(Linux)
        #expect(FitThreads.ProcessWaiting().seconds() != nil)
        #expect(FitThreads.machineIdleSeconds() != nil)
        #endif
    }

    @Test func oneLookSeeingWaitDoesNotCostAThreadTwoInARowDo() {
        guard FitThreads.allowedCPUs() >= 2 else { return }
        var threads = FitThreads(requested: 2)
        let start = FitThreads.Sample(wall: ProcessInfo.processInfo.systemUptime, waiting: FitThreads.ProcessWaiting().seconds())
        let waited = start.waiting ?? 0
        func at(_ seconds: Double, waiting: Double) -> FitThreads.Sample {
            FitThreads.Sample(wall: start.wall + seconds, waiting: waited + waiting)
        }
        // both threads waiting for 40 ms (another model's fit beside this one), then a quiet look
        #expect(threads.update(now: at(0.04, waiting: 0.08)) == 2)
        #expect(threads.update(now: at(0.06, waiting: 0.08)) == 2)
        // waiting seen by two looks in a row: a thread is given up at the second
        #expect(threads.update(now: at(0.08, waiting: 0.12)) == 2)
        #expect(threads.update(now: at(0.10, waiting: 0.16)) == 1)
    }

    @Test func threadsWaitingForACPUCostTheFitAThread() throws {
        #if os(Linux)
        // more spinning threads than CPUs: some of them always wait for a CPU
        let allowed = FitThreads.allowedCPUs()
        guard allowed >= 2 else { return }
        var threads = FitThreads(requested: allowed)
        let stop = Atomic<Bool>(false)
        for _ in 0..<(2 * allowed) {
            Thread { while !stop.load(ordering: .relaxed) {} }.start()
        }
        defer { stop.store(true, ordering: .relaxed) }
        Thread.sleep(forTimeInterval: 0.2)
        #expect(threads.update() == allowed)  // the first look in a row that sees the waiting
        Thread.sleep(forTimeInterval: 0.1)
        #expect(threads.update() == allowed - 1)
        #endif
    }

    /// Threads that waited for a CPU and then ended: the process's waiting keeps what they
    /// waited (a sum over the live threads fell when they ended, and a fit beside them saw no waiting).
    @Test func theProcessWaitingKeepsWhatEndedThreadsWaited() throws {
        #if os(Linux)
        let allowed = FitThreads.allowedCPUs()
        let stop = Atomic<Bool>(false)
        let threadIDs = Mutex<[String]>([])
        for _ in 0..<(2 * allowed + 1) {
            Thread {
                threadIDs.withLock { $0.append(Self.threadID()) }
                while !stop.load(ordering: .relaxed) {}
            }.start()
        }
        while threadIDs.withLock({ $0.count }) < 2 * allowed + 1 { Thread.sleep(forTimeInterval: 0.01) }
        let waiting = FitThreads.ProcessWaiting()
        let start = try #require(waiting.seconds())
        Thread.sleep(forTimeInterval: 0.2)
        let spun = try #require(waiting.seconds())
        #expect(spun > start)
        stop.store(true, ordering: .relaxed)
        for tid in threadIDs.withLock({ $0 }) {
            while access("/proc/self/task/\(tid)", F_OK) == 0 { Thread.sleep(forTimeInterval: 0.005) }
        }
        #expect(try #require(waiting.seconds()) >= spun)
        #endif
    }

    /// The calling thread's id, from the link `/proc/thread-self` (`<pid>/task/<tid>`).
    static func threadID() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self"))?.components(separatedBy: "/").last ?? ""
    }

    /// The fit's own clocks: a thread among more spinning threads than CPUs is seen waiting by
    /// the clock it made, and the governor watching that clock gives a thread up.
    @Test func aWatchedThreadWaitingForACPUCostsTheFitAThread() throws {
        #if os(Linux)
        let allowed = FitThreads.allowedCPUs()
        guard allowed >= 2 else { return }
        let stop = Atomic<Bool>(false)
        let clocks = Mutex<[ThreadWaitClock]>([])
        for _ in 0..<(2 * allowed) {
            Thread {
                let clock = ThreadWaitClock()
                clocks.withLock { $0.append(clock) }
                while !stop.load(ordering: .relaxed) {}
            }.start()
        }
        defer { stop.store(true, ordering: .relaxed) }
        while clocks.withLock({ $0.count }) < 2 * allowed { Thread.sleep(forTimeInterval: 0.01) }
        let watched = clocks.withLock { $0 }
        func waited() -> Double? { watched.reduce(0.0) { sum, clock in clock.waitingSeconds.flatMap { w in sum.map { $0 + w } } } }
        var threads = FitThreads(requested: allowed)
        threads.watch(waited)
        let before = try #require(waited())
        Thread.sleep(forTimeInterval: 0.2)
        #expect(try #require(waited()) > before)
        #expect(threads.update() == allowed)  // the first look in a row that sees the waiting
        Thread.sleep(forTimeInterval: 0.1)
        #expect(threads.update() == allowed - 1)
        #endif
    }

    /// schedstat's second field, and nothing where the text is not what Linux writes.
    @Test func aWaitClockReadsTheSecondFieldOfSchedstat() {
        func field(_ text: String) -> UInt64? {
            Array(text.utf8).withUnsafeBufferPointer { ThreadWaitClock.secondField($0) }
        }
        #expect(field("4512 87000 31\n") == 87000)
        #expect(field("1 0 0\n") == 0)
        #expect(field("4512\n") == nil)
        #expect(field("4512 x7 3\n") == nil)
        #expect(field("1 99999999999999999999999 2") == nil)
        #if os(Linux)
        #expect(ThreadWaitClock().waitingSeconds != nil)
        #endif
    }
}
