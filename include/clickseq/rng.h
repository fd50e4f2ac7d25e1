/* rng.h — the one seeded random generator every part of clickseq uses (xoshiro256**,
 * seeded through splitmix64).  Runs store their seed, so a replay or a re-run with the
 * same seed and thread count gives the same numbers. */
#ifndef CLICKSEQ_RNG_H
#define CLICKSEQ_RNG_H

#include <stdint.h>

typedef struct cs_rng {
    uint64_t s[4];
} cs_rng;

void cs_rng_seed(cs_rng *r, uint64_t seed);
uint64_t cs_rng_u64(cs_rng *r);
/* Uniform in [0, 1). */
double cs_rng_uniform(cs_rng *r);
/* Uniform integer in [0, n); n > 0. Unbiased (rejection). */
uint64_t cs_rng_below(cs_rng *r, uint64_t n);
/* Standard normal (Box–Muller, no cached second value so state stays simple). */
double cs_rng_normal(cs_rng *r);
/* Fisher–Yates shuffle of n indices. */
void cs_rng_shuffle_sz(cs_rng *r, size_t *a, size_t n);
/* An independent stream derived from this one (for per-thread or per-purpose use). */
cs_rng cs_rng_split(cs_rng *r);

#endif
