// The x86-64 level a build of rally targets, and the check, before main, that this CPU has it.
//
// scripts/setup.sh builds release binaries for the build machine: when its CPU has AVX2, FMA
// and the rest of x86-64-v3, the Swift code is compiled for `haswell` (that level) and the C
// code with RALLY_TARGET_CPU_HASWELL defined; RALLY_PORTABLE=1, another architecture, or an
// older CPU give a baseline build. The bootstrap's eight-lane sums and the trees' split search
// then take one instruction where baseline x86-64 takes two or four (README.md, "Speed").
//
// The numbers do not depend on it. Swift never fuses a multiply and an add unless asked, and
// vector code adds the same lanes in the same order on either level, so both builds write the
// same artifacts to the last byte: scripts/check_artifacts.sh, part of the test suite,
// regenerates the committed artifacts with the release build and compares them.
//
// A binary built for the level and run on a CPU without it would die on its first AVX2
// instruction (SIGILL), anywhere. This file is compiled for baseline x86-64 (C targets get no
// -target-cpu), and its constructor runs before main and before any Swift code: on such a CPU
// it says what happened and what to do, and exits with status 1.
#include <unistd.h>

#include "CStartup.h"

const char *rally_target_cpu(void) {
#if defined(__x86_64__) && defined(RALLY_TARGET_CPU_HASWELL)
    return "x86-64-v3";
#elif defined(__x86_64__)
    return "x86-64";
#elif defined(__aarch64__)
    return "aarch64";
#else
    return "baseline";
#endif
}

#if defined(__x86_64__) && defined(RALLY_TARGET_CPU_HASWELL)
// Whether this CPU runs what a `haswell` build may emit: AVX, AVX2, FMA, BMI1, BMI2, POPCNT,
// SSE4.2 (LZCNT, MOVBE and F16C come with all of these CPUs).
static int rally_cpu_has_target_level(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
           __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("popcnt") &&
           __builtin_cpu_supports("sse4.2");
}

__attribute__((constructor(101))) static void rally_require_target_level(void) {
    if (rally_cpu_has_target_level()) return;
    static const char message[] =
        "rally: this binary was built for x86-64-v3 CPUs (AVX2, FMA: the build machine's), and this CPU lacks them.\n"
        "rally: build it on this machine (scripts/setup.sh release), or build a portable one:"
        " RALLY_PORTABLE=1 scripts/setup.sh release\n";
    ssize_t ignored = write(STDERR_FILENO, message, sizeof message - 1);
    (void)ignored;
    _exit(1);
}
#endif
