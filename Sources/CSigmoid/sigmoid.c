// XGBoost's sigmoid, four margins at a time, bit for bit what one `expf` call per margin gives.
//
// Rally's trainer grows XGBoost's trees and must compute XGBoost's gradients exactly: XGBoost
// calls `expf` once per row per round, so rally did too, and those calls were a tenth of a fit.
// glibc (2.28 and later) computes expf(x) for |x| < 88 with a 32-entry table of 2^(i/32) and a
// cubic in double precision, rounded to float at the end (Szabolcs Nagy's algorithm, also in
// ARM's optimized-routines). Where the CPU has FMA and AVX2, glibc's ifunc picks the build of it
// whose multiply-adds are fused; the function below does the same operations, fused at the same
// places (read from that build's machine code), on four doubles at once.
//
// Trusting that is not enough: at the first call the vector path is compared with the C
// library's own `expf` on probes spread over the whole fast range, and used only if every one
// agrees (a libm whose expf differs leaves rally on `expf`). The same operations unfused, as
// glibc's build for CPUs without FMA does them, give the same sigmoid bits for every margin too:
// both were compared with `expf` on every float of magnitude below 88. Margins outside the fast
// range (|x| >= 88, infinities, NaN) always go through `expf`.
#include "CSigmoid.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#pragma STDC FP_CONTRACT OFF

// 1 / (expf(min(-m, 88.7)) + 1 + 1e-16) for one margin (XGBoost's `common::Sigmoid`; Swift's
// min(a, b) is `b < a ? b : a`, which keeps a NaN).
static inline float rally_sigmoid_one(float margin) {
    float x = -margin;
    float clamped = 88.7f < x ? 88.7f : x;
    return 1.0f / (expf(clamped) + 1.0f + 1e-16f);
}

void rally_xgboost_sigmoid_scalar(const float *margins, float *probabilities, size_t count) {
    for (size_t i = 0; i < count; i++) probabilities[i] = rally_sigmoid_one(margins[i]);
}

#if defined(__x86_64__)

#include <immintrin.h>
#include <stdatomic.h>

#define RALLY_VECTOR_TARGET __attribute__((target("avx2,fma")))

// glibc's __exp2f_data for N = 32: 2^(i/32) with its top bits adjusted (tab), 32/ln 2, the
// rounding shift 1.5 * 2^52 and the cubic's coefficients scaled for N (poly_scaled).
static const uint64_t rally_exp2f_table[32] = {
    0x3ff0000000000000, 0x3fefd9b0d3158574, 0x3fefb5586cf9890f, 0x3fef9301d0125b51,
    0x3fef72b83c7d517b, 0x3fef54873168b9aa, 0x3fef387a6e756238, 0x3fef1e9df51fdee1,
    0x3fef06fe0a31b715, 0x3feef1a7373aa9cb, 0x3feedea64c123422, 0x3feece086061892d,
    0x3feebfdad5362a27, 0x3feeb42b569d4f82, 0x3feeab07dd485429, 0x3feea47eb03a5585,
    0x3feea09e667f3bcd, 0x3fee9f75e8ec5f74, 0x3feea11473eb0187, 0x3feea589994cce13,
    0x3feeace5422aa0db, 0x3feeb737b0cdc5e5, 0x3feec49182a3f090, 0x3feed503b23e255d,
    0x3feee89f995ad3ad, 0x3feeff76f2fb5e47, 0x3fef199bdd85529c, 0x3fef3720dcef9069,
    0x3fef5818dcfba487, 0x3fef7c97337b9b5f, 0x3fefa4afa2a490da, 0x3fefd0765b6e4540,
};
static const double rally_inv_ln2_n = 0x1.71547652b82fep+5;
static const double rally_shift = 0x1.8p+52;
static const double rally_c0 = 0x1.c6af84b912394p-20, rally_c1 = 0x1.ebfce50fac4f3p-13, rally_c2 = 0x1.62e42ff0c52d6p-6;

// expf of four floats whose magnitudes are below 88, as glibc's FMA build computes each.
RALLY_VECTOR_TARGET static inline __m128 rally_expf4(__m128 x) {
    const __m256d inv = _mm256_set1_pd(rally_inv_ln2_n), shift = _mm256_set1_pd(rally_shift);
    __m256d xd = _mm256_cvtps_pd(x);
    __m256d shifted = _mm256_fmadd_pd(inv, xd, shift);         // z + shift, z = x * N / ln 2, fused
    __m256i ki = _mm256_castpd_si256(shifted);
    __m256d kd = _mm256_sub_pd(shifted, shift);                // round(z)
    __m256d r = _mm256_fmsub_pd(inv, xd, kd);                  // z - round(z), fused
    __m256i index = _mm256_and_si256(ki, _mm256_set1_epi64x(31));
    __m256i t = _mm256_i64gather_epi64((const long long *)rally_exp2f_table, index, 8);
    t = _mm256_add_epi64(t, _mm256_slli_epi64(ki, 47));
    __m256d s = _mm256_castsi256_pd(t);                        // 2^(round(z) / N)
    __m256d z = _mm256_fmadd_pd(r, _mm256_set1_pd(rally_c0), _mm256_set1_pd(rally_c1));
    __m256d r2 = _mm256_mul_pd(r, r);
    __m256d y = _mm256_fmadd_pd(r, _mm256_set1_pd(rally_c2), _mm256_set1_pd(1.0));
    y = _mm256_fmadd_pd(z, r2, y);
    y = _mm256_mul_pd(y, s);
    return _mm256_cvtpd_ps(y);
}

// The sigmoid of four margins; 0 when one of them is outside expf's fast range (nothing written).
RALLY_VECTOR_TARGET static inline int rally_sigmoid4(const float *margins, float *out) {
    __m128 x = _mm_sub_ps(_mm_setzero_ps(), _mm_loadu_ps(margins));
    x = _mm_min_ps(_mm_set1_ps(88.7f), x);                     // 88.7 < x ? 88.7 : x, NaN kept
    __m128i magnitude = _mm_and_si128(_mm_castps_si128(x), _mm_set1_epi32(0x7fffffff));
    // glibc's fast path: top 12 bits of |x| below those of 88.0f (NaN and infinities included)
    __m128i slow = _mm_cmpgt_epi32(magnitude, _mm_set1_epi32(0x42afffff));
    if (_mm_movemask_epi8(slow) != 0) return 0;
    __m128 e = rally_expf4(x);
    __m128 denominator = _mm_add_ps(_mm_add_ps(e, _mm_set1_ps(1.0f)), _mm_set1_ps(1e-16f));
    _mm_storeu_ps(out, _mm_div_ps(_mm_set1_ps(1.0f), denominator));
    return 1;
}

RALLY_VECTOR_TARGET static void rally_sigmoid_vector(const float *margins, float *probabilities, size_t count) {
    size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        if (!rally_sigmoid4(margins + i, probabilities + i)) rally_xgboost_sigmoid_scalar(margins + i, probabilities + i, 4);
    }
    rally_xgboost_sigmoid_scalar(margins + i, probabilities + i, count - i);
}

// Whether the vector path gives expf's bits on every probe, positive and negative: the 4,096
// floats just below 88 in magnitude (0x42b00000 is 88.0f) and 12,288 spread evenly (an odd
// stride, so mantissas vary) from 0 to there. A few hundred microseconds, once per process.
static int rally_vector_agrees(void) {
    enum { batch = 1024, dense = 4096, spread = 12288 };
    const uint32_t top = 0x42b00000, stride = top / spread | 1;
    float margins[batch], vector[batch], scalar[batch];
    size_t filled = 0;
    for (uint32_t k = 0; k < dense + spread; k++) {
        uint32_t bits = k < dense ? top - dense + k : (k - dense) * stride;
        for (uint32_t sign = 0; sign < 2; sign++) {
            uint32_t signed_bits = bits | (sign << 31);
            memcpy(&margins[filled++], &signed_bits, sizeof(float));
            if (filled < batch) continue;
            rally_sigmoid_vector(margins, vector, batch);
            rally_xgboost_sigmoid_scalar(margins, scalar, batch);
            if (memcmp(vector, scalar, sizeof vector) != 0) return 0;
            filled = 0;
        }
    }
    return 1;
}

static int rally_cpu_has_avx2_fma(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

int rally_xgboost_sigmoid_vectorised(void) {
    // -1 until decided; threads deciding at once reach the same answer
    static atomic_int cached = -1;
    int known = atomic_load_explicit(&cached, memory_order_acquire);
    if (known < 0) {
        known = rally_cpu_has_avx2_fma() && rally_vector_agrees();
        atomic_store_explicit(&cached, known, memory_order_release);
    }
    return known;
}

void rally_xgboost_sigmoid(const float *margins, float *probabilities, size_t count) {
    if (rally_xgboost_sigmoid_vectorised()) {
        rally_sigmoid_vector(margins, probabilities, count);
    } else {
        rally_xgboost_sigmoid_scalar(margins, probabilities, count);
    }
}

#else

int rally_xgboost_sigmoid_vectorised(void) { return 0; }

void rally_xgboost_sigmoid(const float *margins, float *probabilities, size_t count) {
    rally_xgboost_sigmoid_scalar(margins, probabilities, count);
}

#endif
