#ifndef RALLY_CSTARTUP_H
#define RALLY_CSTARTUP_H

/// The spin rounds of an idle OpenMP thread before it sleeps, which rally sets as
/// `GOMP_SPINCOUNT` before libgomp starts (see startup.c).
#define RALLY_SPIN_COUNT "10000"

/// Sets `GOMP_SPINCOUNT` to RALLY_SPIN_COUNT unless `OMP_WAIT_POLICY` or `GOMP_SPINCOUNT` is
/// set. It changes the environment (setenv), so call it while no other thread reads it, and
/// before XGBoost is first used: libgomp reads the variable only as it is loaded.
void rally_prefer_bounded_spin(void);

#endif
