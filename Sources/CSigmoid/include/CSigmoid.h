#ifndef RALLY_CSIGMOID_H
#define RALLY_CSIGMOID_H

#include <stddef.h>

/// XGBoost's sigmoid of `count` margins into `probabilities`: for each margin m,
/// 1 / (expf(min(-m, 88.7)) + 1 + 1e-16) in single precision, exactly as XGBoost 1.7's
/// `common::Sigmoid` computes it with this machine's libm. Four margins at a time where the
/// CPU and the C library allow it (see sigmoid.c), one at a time through `expf` otherwise:
/// the results are the same bits either way.
void rally_xgboost_sigmoid(const float *margins, float *probabilities, size_t count);

/// Whether ``rally_xgboost_sigmoid`` computes four margins at a time on this machine: the CPU
/// has AVX2 and FMA, and the C library's `expf` agreed with the vector computation on every
/// probe. Decided once, at the first call of either function.
int rally_xgboost_sigmoid_vectorised(void);

/// ``rally_xgboost_sigmoid`` one margin at a time through `expf` (the reference the vector path
/// is tested against).
void rally_xgboost_sigmoid_scalar(const float *margins, float *probabilities, size_t count);

#endif
