import Foundation

/// How many threads an XGBoost fit should run on right now: at most the number asked for
/// (`nthread`), and no more than the CPUs that are free. It is a scheduling choice, not a model
/// parameter: XGBoost's trees do not depend on their thread count (a test switches it every few
/// rounds and gets the same predictions).
///
/// Why: XGBoost's OpenMP threads meet at a barrier dozens of times per boosting round. When one
/// of them waits for a CPU behind another busy process, the others wait for it, so beside one
/// CPU-bound process on 2 cores a 2-thread fit took 2.8 times its quiet time while a 1-thread
/// fit took 1.1 times its own (README, "Speed"). Free CPUs = the CPUs this process may run on
/// (its affinity mask, so `taskset` and CPU sets count) minus the threads of other work that
/// are runnable now (the kernel's count in `/proc/loadavg`, less this process's own running
/// threads beyond the ones the fit itself uses). Where those files are missing (not Linux) the
/// number asked for is used.
enum FitThreads {
    /// Threads for a fit asking for `requested` threads that currently runs `inUse` (its own
    /// thread and its OpenMP workers; pass 1 before the fit starts).
    static func choose(requested: Int, inUse: Int = 1) -> Int {
        guard requested > 1 else { return 1 }
        guard let runnable = runnableThreads(), let own = ownRunningThreads() else { return requested }
        let others = max(0, runnable - own) + max(0, own - max(inUse, 1))
        return min(requested, max(1, allowedCPUs() - others))
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

    /// Runnable threads on the machine now (the 4th field of `/proc/loadavg`, "running/total").
    static func runnableThreads() -> Int? {
        guard let text = read("/proc/loadavg") else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count >= 4, let slash = fields[3].firstIndex(of: "/") else { return nil }
        return Int(fields[3][..<slash])
    }

    /// This process's threads that are running or runnable (state `R` in `/proc/self/task/*/stat`).
    static func ownRunningThreads() -> Int? {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return nil }
        var running = 0
        for task in tasks {
            // "tid (name) S ...": the state follows the last ')' (a name may hold parentheses)
            guard let stat = read("/proc/self/task/\(task)/stat"), let close = stat.lastIndex(of: ")") else { continue }
            if stat[close...].dropFirst().drop(while: { $0 == " " }).first == "R" { running += 1 }
        }
        return max(running, 1)
    }

    /// A small file's text, or nil.
    private static func read(_ path: String, limit: Int = 4096) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: limit) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
