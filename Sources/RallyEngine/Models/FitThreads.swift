import Foundation
import RallyCore

/// How many threads one XGBoost fit runs on, decided again every few boosting rounds from what
/// the CPUs actually give: at most `nthread` and the CPUs this process may run on (its affinity
/// mask), one thread fewer when the fit's threads keep waiting for a CPU, one more when a CPU
/// stays idle. It is a scheduling choice, not a model parameter: XGBoost's trees do not depend
/// on the thread count (a test switches it every few rounds and gets the same predictions).
///
/// Why: XGBoost's OpenMP threads meet at a barrier dozens of times per boosting round. When one
/// of them waits for a CPU behind another busy process, all wait for it: beside one CPU-bound
/// process on 2 cores a 2-thread fit took 2.8 times its quiet time, a 1-thread fit 1.1 times
/// its own (README, "Speed").
///
/// What it reads (Linux; elsewhere the count stays at the start value): the time the fit's
/// threads spent runnable but waiting for a CPU (schedstat's second field: rally's trainer
/// names its own thread and helpers, ``watch(_:)``; for XGBoost's OpenMP threads, which rally
/// cannot name, every thread of this process, `/proc/self/task/*/schedstat`), and the machine's
/// idle time (`/proc/stat`). Waiting is measured on this process's own threads, so it reflects
/// the CPU share the scheduler actually grants (a busy process of lower priority does not
/// count), not a count of other processes.
struct FitThreads {
    /// The most threads the fit may use (`nthread`, capped by the allowed CPUs).
    let limit: Int
    /// Threads to use now.
    private(set) var current: Int
    private var last: Sample
    private var lastIdle: (wall: Double, idle: Double)?
    /// Looks since the thread count last changed, and after how many a thread is tried back
    /// (doubled each time the try ends in waiting: a busy neighbour pays few tries).
    private var looksSinceChange = 0, looksBeforeTry = 4
    /// Whether the last thread taken back was a try that has not yet held for a look.
    private var trying = false
    /// Whether the last look saw the fit's threads waiting. A thread is given up at the second
    /// look in a row that sees it (a thread just taken back as a try, at the first): the first
    /// look's window also spans the fit's set-up, and a short step of this process's own beside
    /// the fit, such as the logistic fit of the same evaluation, is over by the next look.
    /// Giving a thread up at once for it had left the fit on one thread for 40 rounds after it
    /// ended; waiting 50 ms instead cost two gbdt fits side by side (README, "Speed").
    private var sawWaiting = false
    /// The waiting seconds looked at: every thread of this process unless ``watch(_:)`` named the fit's.
    private var waiting: () -> Double?

    /// Average threads of this process waiting for a CPU above which the fit gives one up.
    static let waitingToShrink = 0.25
    /// Idle CPUs (averaged over at least ``idleWindow`` seconds) above which the fit takes one more thread.
    static let idleToGrow = 0.75
    /// Seconds of machine idle time needed to judge (`/proc/stat` counts in 10 ms ticks).
    static let idleWindow = 0.1

    /// A fit asking for `requested` threads starts on all of them, up to the allowed CPUs.
    init(requested: Int) {
        limit = max(1, min(requested, Self.allowedCPUs()))
        current = limit
        let process = ProcessWaiting()
        waiting = process.seconds
        last = Sample(wall: ProcessInfo.processInfo.systemUptime, waiting: process.seconds())
        lastIdle = Self.machineIdleSeconds().map { (last.wall, $0) }
    }

    /// Looks at the last rounds and returns the threads for the next ones. A thread taken back
    /// either because a CPU stayed idle, or as a try after some looks (where lower-priority work
    /// keeps every CPU busy, idle time never shows although the fit would get the CPU).
    mutating func update() -> Int {
        guard limit > 1 else { return current }
        return update(now: Sample(wall: ProcessInfo.processInfo.systemUptime, waiting: waiting()))
    }

    /// From now on, judges waiting by `source`: the seconds the fit's own threads have waited
    /// (a few reads of open files, where listing every thread of the process took over 100 µs,
    /// between two steps of a tree while its helpers wait).
    mutating func watch(_ source: @escaping () -> Double?) {
        waiting = source
        last = Sample(wall: ProcessInfo.processInfo.systemUptime, waiting: source())
    }

    /// ``update()`` at `now` (tests give their own samples).
    mutating func update(now: Sample) -> Int {
        defer { last = now }
        let window = now.wall - last.wall
        guard window > 0, let waitNow = now.waiting, let waitBefore = last.waiting else { return current }
        let waiting = max(0, waitNow - waitBefore) / window
        looksSinceChange += 1
        if current > 1 && waiting > Self.waitingToShrink {
            guard trying || sawWaiting else {
                sawWaiting = true
                return current
            }
            current -= 1
            if trying { looksBeforeTry = min(2 * looksBeforeTry, 64) }
            trying = false
            looksSinceChange = 0
            sawWaiting = false
            lastIdle = Self.machineIdleSeconds().map { (now.wall, $0) }
            return current
        }
        sawWaiting = false
        if current < limit {
            var grow = looksSinceChange >= looksBeforeTry
            if let before = lastIdle, now.wall - before.wall >= Self.idleWindow, let idle = Self.machineIdleSeconds() {
                if (idle - before.idle) / (now.wall - before.wall) > Self.idleToGrow { grow = true }
                lastIdle = (now.wall, idle)
            }
            if grow {
                current += 1
                trying = true
                looksSinceChange = 0
            }
        } else if trying {
            trying = false
            looksBeforeTry = 4
        }
        return current
    }

    /// Wall clock and this process's threads' total seconds waiting for a CPU.
    struct Sample {
        var wall: Double
        var waiting: Double?
    }

    /// CPUs in this process's affinity mask (the `Cpus_allowed` mask of `/proc/self/status`,
    /// what `sched_getaffinity` reports), at least 1.
    static func allowedCPUs() -> Int {
        if let status = read("/proc/self/status", limit: 16_384),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) {
            let mask = line.dropFirst("Cpus_allowed:".count).filter { $0 != "," && $0 != " " && $0 != "\t" }
            let count = mask.reduce(0) { $0 + (Int(String($1), radix: 16)?.nonzeroBitCount ?? 0) }
            if count > 0 { return count }
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Seconds this process's threads have spent runnable but not running (the second field of
    /// each `/proc/self/task/<tid>/schedstat`, in nanoseconds), or nil. Plain system calls: a fit
    /// looks every few rounds, between two of its steps, while its helpers wait.
    ///
    /// A sum over the live threads would fall when a thread ends (its waiting leaves the sum), and
    /// a look would see no waiting at all beside the busiest neighbour. So the total grows by what
    /// each thread waited since the last read (all of it for a thread new since then) and never falls.
    final class ProcessWaiting {
        /// Each live thread's waiting, in nanoseconds, at the last read.
        private var byThread: [Int: UInt64] = [:]
        private var total: UInt64 = 0

        /// The total so far, or nil where no thread's schedstat can be read.
        func seconds() -> Double? {
            guard let tasks = opendir("/proc/self/task") else { return nil }
            defer { closedir(tasks) }
            let directory = dirfd(tasks)
            var now: [Int: UInt64] = [:]
            while let entry = readdir(tasks) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                guard let tid = Int(name), let text = read(name + "/schedstat", in: directory),
                      let wait = Array(text.utf8).withUnsafeBufferPointer(ThreadWaitClock.secondField) else { continue }
                now[tid] = wait
                let before = byThread[tid] ?? 0
                total &+= wait >= before ? wait - before : wait  // a smaller value: the tid was reused
            }
            guard !now.isEmpty else { return nil }
            byThread = now
            return Double(total) / 1e9
        }
    }

    /// The machine's idle seconds summed over CPUs (idle and iowait of `/proc/stat`'s `cpu`
    /// line, in 1/100 s ticks), or nil.
    static func machineIdleSeconds() -> Double? {
        guard let text = read("/proc/stat", limit: 512), let line = text.split(separator: "\n").first,
              line.hasPrefix("cpu ") else { return nil }
        let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard fields.count >= 5 else { return nil }
        return (fields[3] + fields[4]) / 100
    }

    /// A small file's text (its first `limit` bytes), or nil; `path` relative to the directory
    /// `directory` when given.
    private static func read(_ path: String, in directory: Int32 = AT_FDCWD, limit: Int = 4096) -> String? {
        let fd = openat(directory, path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: limit) { buffer -> String? in
            var used = 0
            while used < limit {
                let got = Glibc.read(fd, buffer.baseAddress! + used, limit - used)
                if got < 0 && errno == EINTR { continue }
                guard got >= 0 else { return nil }
                if got == 0 { break }
                used += got
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<used]), as: UTF8.self)
        }
    }
}
