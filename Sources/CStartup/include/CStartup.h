#ifndef RALLY_CSTARTUP_H
#define RALLY_CSTARTUP_H

/// The spin rounds of an idle OpenMP thread before it sleeps, which rally-shell sets as
/// `GOMP_SPINCOUNT` before libgomp starts (see startup.c).
#define RALLY_SPIN_COUNT "10000"

#endif
