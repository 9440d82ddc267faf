// rally-shell's bounded OpenMP spin, set before any library starts.
//
// XGBoost runs on OpenMP threads, and how they wait for work between the dozens of parallel
// steps of each boosting round decides its speed: sleeping at once (`OMP_WAIT_POLICY=passive`)
// made the benchmark's gbdt fit 1.8 times slower than spinning on a quiet machine, and
// spinning without end (`active`) beside busy processes took ten times longer or worse. A
// bounded spin takes the quiet machine's speed without the busy machine's cost: a thread spins
// RALLY_SPIN_COUNT rounds (tens of microseconds, enough to cover the gap between two steps of a
// round), then sleeps. The engine also gives a fit fewer threads when other work holds the
// CPUs (`FitThreads`), so threads rarely wait behind another process at all. Figures in
// README.md ("Speed").
//
// libgomp reads its settings once, in its constructor, so when neither `OMP_WAIT_POLICY` nor
// `GOMP_SPINCOUNT` is set the shell executes itself again with `GOMP_SPINCOUNT` added. It does
// so from the executable's pre-initialisation array, which the loader runs after loading the
// libraries and before any of their constructors: the first process costs the loading alone,
// not also the libraries' start-up, the Swift runtime's and the shell's own (about half of the
// 6-8 ms that executing itself from `main` cost). A value the user set is kept; if the exec
// fails the shell runs on with libgomp's default (a spin of about 300,000 rounds).
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "CStartup.h"

static int rally_sets_wait(const char *entry) {
    return strncmp(entry, "OMP_WAIT_POLICY=", 16) == 0 || strncmp(entry, "GOMP_SPINCOUNT=", 15) == 0;
}

// Runs before the C library's own start-up has set `environ`: it reads and passes `envp` only.
static void rally_prefer_bounded_spin(int argc, char **argv, char **envp) {
    (void)argc;
    size_t count = 0;
    for (; envp[count] != NULL; count++) {
        if (rally_sets_wait(envp[count])) return;
    }
    char *environment[count + 2];
    memcpy(environment, envp, count * sizeof *environment);
    environment[count] = (char *)"GOMP_SPINCOUNT=" RALLY_SPIN_COUNT;
    environment[count + 1] = NULL;
    execve("/proc/self/exe", argv, environment);
}

__attribute__((section(".preinit_array"), used))
static void (*const rally_preinit)(int, char **, char **) = rally_prefer_bounded_spin;
