// SHA-256's compression with the x86 SHA extensions (Intel's SHA-NI: SHA256RNDS2, SHA256MSG1,
// SHA256MSG2), used by the engine's SHA256 when the CPU has them.
//
// SHA256RNDS2 does two rounds on the eight working variables held in two registers, ABEF and
// CDGH (A in the highest lane), taking W[t] + K[t] for both rounds from the low half of a third.
// After two rounds the old ABEF is the new CDGH, so the two registers swap roles at each call.
// MSG1 and MSG2 compute the message schedule four words at a time: MSG1 adds sigma0 of the next
// word to W[t-16..t-13], the caller adds W[t-7..t-4] (an ALIGNR of two schedule registers), and
// MSG2 adds sigma1 of W[t-2..t+1], the last two from its own first results.
//
// Only the functions here are compiled for those instructions (a target attribute), so the rest
// of the build needs no -m flags; other architectures compile the stubs at the end.
#include "CSHA256.h"

// The round constants K[0..63] (FIPS 180-4, 4.2.2), four per schedule register.
static const uint32_t rally_k[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

const uint32_t *rally_sha256_round_constants(void) { return rally_k; }

#if defined(__x86_64__) || defined(__i386__)

#include <cpuid.h>
#include <immintrin.h>
#include <stdatomic.h>

#define RALLY_SHA_TARGET __attribute__((target("sha,sse4.1,ssse3")))

// Asks the CPU: leaf 7 EBX bit 29 (SHA), leaf 1 ECX bits 9 (SSSE3) and 19 (SSE4.1).
static int rally_cpu_has_sha(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int sse = (c >> 9 & 1) && (c >> 19 & 1);
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return sse && (b >> 29 & 1);
}

int rally_sha256_accelerated(void) {
    // -1 until asked; any thread may ask first, and all get the same answer
    static atomic_int cached = -1;
    int known = atomic_load_explicit(&cached, memory_order_relaxed);
    if (known < 0) {
        known = rally_cpu_has_sha();
        atomic_store_explicit(&cached, known, memory_order_relaxed);
    }
    return known;
}

// Four message words W[t..t+3] read big-endian from `p`, W[t] in the lowest lane.
RALLY_SHA_TARGET static inline __m128i rally_load_words(const uint8_t *p) {
    const __m128i swap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3);
    return _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)p), swap);
}

// W[t..t+3] from the four registers before it: w0 = W[t-16..t-13] ... w3 = W[t-4..t-1].
RALLY_SHA_TARGET static inline __m128i rally_schedule(__m128i w0, __m128i w1, __m128i w2, __m128i w3) {
    __m128i sum = _mm_sha256msg1_epu32(w0, w1);            // W[t-16..] + sigma0(W[t-15..])
    sum = _mm_add_epi32(sum, _mm_alignr_epi8(w3, w2, 4));  // + W[t-7..t-4]
    return _mm_sha256msg2_epu32(sum, w3);                  // + sigma1(W[t-2..t+1])
}

// Rounds t..t+3 with the words `w` = W[t..t+3] and K[t..t+3] at `k`.
RALLY_SHA_TARGET static inline void rally_four_rounds(__m128i *abef, __m128i *cdgh, __m128i w, const uint32_t *k) {
    __m128i wk = _mm_add_epi32(w, _mm_load_si128((const __m128i *)k));
    *cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, wk);                          // rounds t, t+1: cdgh now holds ABEF
    *abef = _mm_sha256rnds2_epu32(*abef, *cdgh, _mm_shuffle_epi32(wk, 0x0E)); // rounds t+2, t+3 (the high half of wk)
    // the roles swapped twice: abef is ABEF again, cdgh CDGH
}

RALLY_SHA_TARGET void rally_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks) {
    // state = a b c d | e f g h (lowest lane first); reversed: d c b a | h g f e
    __m128i dcba = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)state), 0x1B);
    __m128i hgfe = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(state + 4)), 0x1B);
    __m128i abef = _mm_unpackhi_epi64(hgfe, dcba); // f e b a: A in the highest lane
    __m128i cdgh = _mm_unpacklo_epi64(hgfe, dcba); // h g d c
    for (size_t block = 0; block < blocks; block++, data += 64) {
        const __m128i abef_in = abef, cdgh_in = cdgh;
        __m128i w[4]; // the last sixteen schedule words, W[t..t+3] in w[(t / 4) % 4]
        for (int i = 0; i < 4; i++) {
            w[i] = rally_load_words(data + 16 * i);
            rally_four_rounds(&abef, &cdgh, w[i], rally_k + 4 * i);
        }
        for (int i = 4; i < 16; i++) {
            w[i & 3] = rally_schedule(w[i & 3], w[(i + 1) & 3], w[(i + 2) & 3], w[(i + 3) & 3]);
            rally_four_rounds(&abef, &cdgh, w[i & 3], rally_k + 4 * i);
        }
        abef = _mm_add_epi32(abef, abef_in);
        cdgh = _mm_add_epi32(cdgh, cdgh_in);
    }
    // back to a b c d | e f g h
    dcba = _mm_unpackhi_epi64(cdgh, abef);
    hgfe = _mm_unpacklo_epi64(cdgh, abef);
    _mm_storeu_si128((__m128i *)state, _mm_shuffle_epi32(dcba, 0x1B));
    _mm_storeu_si128((__m128i *)(state + 4), _mm_shuffle_epi32(hgfe, 0x1B));
}

#else

int rally_sha256_accelerated(void) { return 0; }

// Never called where the CPU has no SHA extensions; stops the program if it is.
void rally_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks) {
    (void)state; (void)data; (void)blocks;
    __builtin_trap();
}

#endif
