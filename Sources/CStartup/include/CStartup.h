#ifndef RALLY_CSTARTUP_H
#define RALLY_CSTARTUP_H

/// The spin rounds of an idle OpenMP thread before it sleeps, which rally sets as
/// `GOMP_SPINCOUNT` before libgomp starts (see startup.c).
#define RALLY_SPIN_COUNT "10000"

/// Sets `GOMP_SPINCOUNT` to RALLY_SPIN_COUNT unless `OMP_WAIT_POLICY` or `GOMP_SPINCOUNT` is
/// set. It changes the environment (setenv), so call it while no other thread reads it, and
/// before XGBoost is first used: libgomp reads the variable only as it is loaded.
void rally_prefer_bounded_spin(void);

/// The instruction-set level this build's Swift code was compiled for: "x86-64-v3" (AVX2 and FMA,
/// a release build on a machine that has them), "x86-64" (baseline), or the architecture's name.
/// Recorded in run.json; the numbers do not depend on it (see cpu_level.c).
const char *rally_target_cpu(void);

#endif
