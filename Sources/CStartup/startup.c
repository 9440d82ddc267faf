// rally's bounded OpenMP spin, set before XGBoost (and with it libgomp) is loaded.
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
// libgomp reads its settings once, in its constructor, as it is loaded. rally loads XGBoost,
// and so libgomp, only at its first XGBoost call (Sources/CXGBoost/xgboost_loader.c), so an
// environment variable set before then still counts: rally-shell calls
// rally_prefer_bounded_spin first thing in main, before any thread starts, and `luaopen_rally`
// calls it as stock Lua opens rally.so. A value the user set is kept. (A process that loaded
// libgomp before, say a host program that uses OpenMP itself, keeps the spin it started with.)
#include <stdlib.h>

#include "CStartup.h"

void rally_prefer_bounded_spin(void) {
    if (getenv("OMP_WAIT_POLICY") != NULL || getenv("GOMP_SPINCOUNT") != NULL) return;
    setenv("GOMP_SPINCOUNT", RALLY_SPIN_COUNT, 0);
}
