#ifndef RALLY_CSHA256_H
#define RALLY_CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU runs SHA-256 in hardware: the x86 SHA extensions (SHA-NI) plus the SSSE3 and
/// SSE4.1 instructions the block function uses beside them. Asked of the CPU once; always 0 on
/// other architectures.
int rally_sha256_accelerated(void);

/// SHA-256's 64 round constants K (FIPS 180-4, 4.2.2), in order: the one table of them, which
/// the engine's own compression reads too.
const uint32_t *rally_sha256_round_constants(void);

/// SHA-256's compression (FIPS 180-4, 6.2.2) of `blocks` whole 64-byte blocks at `data` into
/// `state` (H0..H7), with the SHA extensions. Padding and the length are the caller's. Call it
/// only when `rally_sha256_accelerated()` is nonzero.
void rally_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
