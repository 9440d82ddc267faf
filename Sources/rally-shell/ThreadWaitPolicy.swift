#if canImport(Glibc)
import Glibc
#endif

/// XGBoost runs on OpenMP threads, which by default spin while they wait for work (libgomp's
/// active wait policy). Next to other busy processes that spinning takes the time slices the
/// fit needs: a gbdt fit on the benchmark took 4.1 s instead of 2.0 s beside two busy loops on
/// two cores, and the same 1.0 s on a quiet machine. libgomp reads `OMP_WAIT_POLICY` once, as
/// the process loads, so when it is unset the shell sets it to `passive` and executes itself
/// again before doing anything else. A value the user set is kept.
enum ThreadWaitPolicy {
    /// Re-executes the shell with `OMP_WAIT_POLICY=passive` unless the variable is set; returns
    /// (and the shell runs on with libgomp's default) only if that fails.
    static func preferPassive() {
        guard getenv("OMP_WAIT_POLICY") == nil else { return }
        setenv("OMP_WAIT_POLICY", "passive", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
    }
}
