/* fma_chains.h — the FMA peak's loop, for bench_train.c and peak.c: 12 independent AVX-512
 * FMA chains in named registers (an array would be spilled to the stack and measure store
 * forwarding instead), enough to cover the 4-cycle latency on two FMA ports.  iters
 * iterations are FMA_FLOPS(iters) floating-point operations; the sum of the chains is
 * returned so the compiler must compute them. */
#ifndef FMA_CHAINS_H
#define FMA_CHAINS_H

#include <immintrin.h>

#define FMA_FLOPS(iters) ((double)(iters) * 12 * 16 * 2)

__attribute__((target("avx512f")))
static inline float fma_chains(long iters)
{
    __m512 m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
    __m512 x0 = _mm512_set1_ps(0), x1 = _mm512_set1_ps(1), x2 = _mm512_set1_ps(2), x3 = _mm512_set1_ps(3);
    __m512 x4 = _mm512_set1_ps(4), x5 = _mm512_set1_ps(5), x6 = _mm512_set1_ps(6), x7 = _mm512_set1_ps(7);
    __m512 x8 = _mm512_set1_ps(8), x9 = _mm512_set1_ps(9), xa = _mm512_set1_ps(10), xb = _mm512_set1_ps(11);
    for (long k = 0; k < iters; k++) {
        x0 = _mm512_fmadd_ps(x0, m, c); x1 = _mm512_fmadd_ps(x1, m, c); x2 = _mm512_fmadd_ps(x2, m, c);
        x3 = _mm512_fmadd_ps(x3, m, c); x4 = _mm512_fmadd_ps(x4, m, c); x5 = _mm512_fmadd_ps(x5, m, c);
        x6 = _mm512_fmadd_ps(x6, m, c); x7 = _mm512_fmadd_ps(x7, m, c); x8 = _mm512_fmadd_ps(x8, m, c);
        x9 = _mm512_fmadd_ps(x9, m, c); xa = _mm512_fmadd_ps(xa, m, c); xb = _mm512_fmadd_ps(xb, m, c);
    }
    __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(x0, x1), _mm512_add_ps(x2, x3)),
                             _mm512_add_ps(_mm512_add_ps(x4, x5), _mm512_add_ps(x6, x7)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(x8, x9), _mm512_add_ps(xa, xb)));
    return _mm512_reduce_add_ps(s);
}

#endif
