import Dispatch
import Foundation
import Synchronization
import RallyCore

/// The threads one fit keeps for its parallel steps: a tree level runs a few short steps
/// (tens to hundreds of microseconds each) with sequential work between them, and a thread
/// woken from sleep for each step arrives too late to help (measured here: two
/// `DispatchQueue.concurrentPerform` workers on 400 µs steps took as long as one thread doing
/// both). So between steps the helpers spin on a counter for a while, as OpenMP's threads do
/// under `GOMP_SPINCOUNT`, and only then sleep; a step hands them its closure through the
/// counter. With one thread, `run` simply calls the step.
///
/// It is not a general thread pool: one caller, one step at a time, each helper takes one
/// share (`worker` index) of the step.
final class WorkerTeam: @unchecked Sendable {
    // @unchecked: `step` and `width` are written by the caller before `epoch` is advanced
    // (sequentially consistent) and read by helpers after they see the new epoch; the caller
    // does not touch them again until every helper has counted itself out of `remaining`.

    /// One helper thread's wake-up handshake.
    private final class Helper: Sendable {
        let sleeping = Atomic<Bool>(false)
        let wake = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        /// The helper thread's wait clock, made when the thread starts.
        let clock = AtomicLazyReference<ThreadWaitClock>()
    }

    /// Spins of a waiting helper before it sleeps (a few hundred microseconds).
    static let spinsBeforeSleep = 200_000
    /// Spins of the caller waiting for the helpers (about a hundred microseconds) before it
    /// yields its CPU at each further spin (a helper that lost its CPU gets it back sooner on a
    /// busy machine). Yielding sooner, after 10,000 spins, cost a quiet 2-thread fit 2-3%: each
    /// yield is a system call, and the helper's end is seen only when it returns.
    static let callerSpins = 100_000

    private let helpers: [Helper]
    private let epoch = Atomic<Int>(0)
    private let remaining = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    nonisolated(unsafe) private var step: (@Sendable (Int) -> Void)?
    nonisolated(unsafe) private var width = 0

    /// A team for steps of up to `threads` workers: the caller and `threads - 1` helpers.
    init(threads: Int) {
        helpers = (1..<max(1, threads)).map { _ in Helper() }
        for (i, helper) in helpers.enumerated() {
            let thread = Thread { [self] in self.serve(worker: i + 1, helper) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Workers a step can have.
    var capacity: Int { helpers.count + 1 }

    /// Seconds the helper threads have spent waiting for a CPU (0 for one not started yet), or
    /// nil when a clock cannot be read.
    func helpersWaitingSeconds() -> Double? {
        var total = 0.0
        for helper in helpers {
            guard let clock = helper.clock.load() else { continue }
            guard let seconds = clock.waitingSeconds else { return nil }
            total += seconds
        }
        return total
    }

    /// Runs `body(worker)` for workers `0 ..< min(workers, capacity)`, the caller being worker
    /// 0, and returns when all are done.
    func run(_ workers: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let n = min(workers, capacity)
        guard n > 1 else {
            body(0)
            return
        }
        step = body
        width = n
        remaining.store(helpers.count, ordering: .sequentiallyConsistent)
        epoch.add(1, ordering: .sequentiallyConsistent)
        for helper in helpers where helper.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
            helper.wake.signal()
        }
        body(0)
        var spins = 0
        while remaining.load(ordering: .acquiring) > 0 {
            spins += 1
            if spins > Self.callerSpins { sched_yield() }
        }
        step = nil
    }

    /// Ends the helper threads (before the team is released).
    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        epoch.add(1, ordering: .sequentiallyConsistent)
        for helper in helpers {
            if helper.sleeping.exchange(false, ordering: .sequentiallyConsistent) { helper.wake.signal() }
        }
        for helper in helpers { helper.finished.wait() }
    }

    /// A helper's life: wait for the next step (spinning, then asleep), run its share, count out.
    private func serve(worker: Int, _ helper: Helper) {
        _ = helper.clock.storeIfNil(ThreadWaitClock())
        var seen = 0
        while true {
            var spins = 0
            while epoch.load(ordering: .acquiring) == seen {
                spins += 1
                guard spins > Self.spinsBeforeSleep else { continue }
                helper.sleeping.store(true, ordering: .sequentiallyConsistent)
                if epoch.load(ordering: .sequentiallyConsistent) == seen {
                    helper.wake.wait()
                } else if !helper.sleeping.exchange(false, ordering: .sequentiallyConsistent) {
                    helper.wake.wait()  // the caller took the flag and signals: take the signal
                }
                spins = 0
            }
            seen = epoch.load(ordering: .acquiring)
            if stopping.load(ordering: .acquiring) { break }
            if worker < width, let step { step(worker) }
            remaining.subtract(1, ordering: .releasing)
        }
        helper.finished.signal()
    }
}
