/* kernels.h — float32 matrix multiplies and element-wise helpers used by the cells.
 *
 * All matrices are row-major with explicit leading dimensions (row strides, in floats).
 * Two shapes cover every product the cells need:
 *   cs_mm_nn:  C[N,M]  (=|+=) A[N,K] · B[K,M]      (X·Wᵀ with a pre-transposed W, dY·W)
 *   cs_mm_tn:  C[K,M]  +=     A[N,K]ᵀ · B[N,M]     (dW += dYᵀ·X)
 * The fast versions are cache-blocked, vectorised for AVX-512 or AVX2+FMA (chosen once at
 * run time with __builtin_cpu_supports) with a scalar fallback, and split their OUTPUT
 * rows over the thread pool.  Every output element is reduced in the same order whatever
 * the split, so results do not even depend on the thread count.  The *_naive twins are
 * the plain triple loops the tests and benchmarks check the fast ones against.
 */
#ifndef CLICKSEQ_KERNELS_H
#define CLICKSEQ_KERNELS_H

#include <stddef.h>

/* C[N,M] = (acc ? C : 0) + A[N,K]·B[K,M] */
void cs_mm_nn(int N, int K, int M, const float *A, int lda, const float *B, int ldb,
              float *C, int ldc, int acc);
/* C[N,M] = bias[M] (every row) + A[N,K]·B[K,M] (the bias is the accumulators' start:
 * no separate pass over C) */
void cs_mm_nn_bias(int N, int K, int M, const float *A, int lda, const float *B, int ldb,
                   const float *bias, float *C, int ldc);
/* C[K,M] += A[N,K]ᵀ·B[N,M] */
void cs_mm_tn(int N, int K, int M, const float *A, int lda, const float *B, int ldb,
              float *C, int ldc);
void cs_mm_nn_naive(int N, int K, int M, const float *A, int lda, const float *B, int ldb,
                    float *C, int ldc, int acc);
void cs_mm_tn_naive(int N, int K, int M, const float *A, int lda, const float *B, int ldb,
                    float *C, int ldc);
/* T[C,R] = S[R,C]ᵀ (S has leading dimension lds, T is contiguous). */
void cs_transpose(int R, int Cn, const float *S, int lds, float *T);
/* out[M] += column sums of A[N,M] (row order, deterministic). */
void cs_colsum_add(int N, int M, const float *A, int lda, float *out);

/* Which vector path the fast kernels use: "avx512", "avx2" or "scalar".  cs_kernels_force
 * restricts it (for tests and benchmarks); a path the CPU lacks is ignored. */
const char *cs_kernels_path(void);
void cs_kernels_force(const char *path);

/* In place over n contiguous floats: x = sigmoid(x), x = tanh(x).  Vectorised with a
 * Cephes-style exp (about 2 ulp); tanh(x) = 2·sigmoid(2x) - 1, absolute error ~1e-7. */
void cs_vsigmoid(float *x, int n);
void cs_vtanh(float *x, int n);

static inline float cs_sigmoidf(float x) { return 1.0f / (1.0f + __builtin_expf(-x)); }

/* Run fn(arg, lo, hi) over [0, n) split into contiguous ranges, one per thread (the
 * caller's thread takes the first); returns when all are done.  Runs inline when the pool
 * has one thread or n is small (min_chunk). */
void cs_parallel_for(int n, int min_chunk, void (*fn)(void *arg, int lo, int hi), void *arg);
/* The same with explicit ranges: part k is [bounds[k], bounds[k+1]).  Nested calls (from
 * inside a part) and calls while another thread uses the pool run inline. */
void cs_parallel_ranges(int parts, const int *bounds, void (*fn)(void *arg, int lo, int hi), void *arg);
/* Parts a parallel call made now would use (1 inside a part). */
int cs_parallel_parts(void);

/* Threads used by the kernels (1..; default 1).  Results are bit-identical for any thread
 * count (work is split by output rows / sessions, never reduced across threads).  When
 * several threads run models at once, one uses the pool and the others run inline. */
void cs_set_threads(int n);
int cs_get_threads(void);
/* A configured thread count as a real one: n > 0 is n (at most 64), 0 all online CPUs.
 * The engine never sets the count itself: the program does, once (cs_set_threads). */
int cs_threads_resolve(int requested);

/* For benchmarks on a shared machine: between start and stop (on the thread that runs
 * the model), span_s = that thread's CPU time outside parallel regions (serial_s) + the
 * longest part of every region (each part's thread CPU time) — the wall time the work
 * would take on otherwise idle cores, however busy they are.  Costs ~1 us a region. */
typedef struct cs_parallel_stats {
    double span_s, serial_s;
    long regions;
} cs_parallel_stats;
void cs_parallel_stats_start(void);
void cs_parallel_stats_stop(cs_parallel_stats *out);

#endif
