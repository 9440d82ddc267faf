import LuaBridge
#if canImport(Glibc)
import Glibc
#endif

/// XGBoost runs on OpenMP threads, and how they wait for work between the dozens of parallel
/// steps of each boosting round decides its speed: sleeping at once (`OMP_WAIT_POLICY=passive`)
/// made the benchmark's gbdt fit 1.8 times slower than spinning on a quiet machine, and
/// spinning without end (`active`) beside busy processes took ten times longer or worse. A
/// bounded spin takes the quiet machine's speed without the busy machine's cost: a thread spins
/// ``spinCount`` rounds (tens of microseconds, enough to cover the gap between two steps of a
/// round), then sleeps. The engine also gives a fit fewer threads when other work holds the
/// CPUs (`FitThreads`), so threads rarely wait behind another process at all. Figures in
/// README.md ("Speed").
///
/// libgomp reads its settings once, as the process loads, so when neither `OMP_WAIT_POLICY` nor
/// `GOMP_SPINCOUNT` is set the shell sets `GOMP_SPINCOUNT` and executes itself again before
/// doing anything else. A value the user set is kept.
enum ThreadWaitPolicy {
    /// Spin rounds of an idle OpenMP thread before it sleeps.
    static let spinCount = "10000"

    /// Re-executes the shell with `GOMP_SPINCOUNT` = ``spinCount`` unless the user set a wait
    /// policy or a spin count; returns (and the shell runs on with libgomp's default, a spin of
    /// about 300,000 rounds) only if that fails.
    static func preferBoundedSpin() {
        guard getenv("OMP_WAIT_POLICY") == nil, getenv("GOMP_SPINCOUNT") == nil else { return }
        setenv("GOMP_SPINCOUNT", spinCount, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }
}
