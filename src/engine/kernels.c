/* kernels.c — blocked, vectorised float32 matrix products and a small thread pool.
 *
 * One micro-kernel serves both products.  It computes R output rows of C (+)= Σ_p a(r,p)·B[p,:]
 * where a(r,p) = A[r*ars + p*aks]:
 *   cs_mm_nn: rows of C are rows of A (ars = lda, aks = 1), p runs over K;
 *   cs_mm_tn: rows of C are columns of A (ars = 1, aks = lda), p runs over N.
 * Blocking: p in panels of P_BLOCK (so the panel of B being reused stays in L1/L2), then
 * 4 output rows x 32 (AVX-512) / 16 (AVX2) columns held in registers.  The reduction
 * order of every output element is fixed (p ascending, panel by panel), independent of
 * how rows are split among threads: results are bit-identical for any thread count.
 */
#include <immintrin.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "clickseq/kernels.h"
#include "clickseq/model.h"

#define P_BLOCK 256

enum { PATH_SCALAR = 0, PATH_AVX2 = 1, PATH_AVX512 = 2 };
static int g_path = -1;      /* resolved lazily */
static int g_path_max = -1;

static int detect_path(void)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return PATH_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return PATH_AVX2;
    return PATH_SCALAR;
}

static int path(void)
{
    if (g_path < 0) {
        g_path_max = detect_path();
        g_path = g_path_max;
    }
    return g_path;
}

const char *cs_kernels_path(void)
{
    static const char *names[] = { "scalar", "avx2", "avx512" };
    return names[path()];
}

void cs_kernels_force(const char *p)
{
    path();
    int want = g_path_max;
    if (p && strcmp(p, "scalar") == 0)
        want = PATH_SCALAR;
    else if (p && strcmp(p, "avx2") == 0)
        want = PATH_AVX2;
    else if (p && strcmp(p, "avx512") == 0)
        want = PATH_AVX512;
    g_path = want <= g_path_max ? want : g_path_max;
}

/* ------------------------------------------------------------------ micro-kernels */

/* Scalar: one row at a time; the inner loop over columns is simple enough for the
 * compiler's baseline (SSE2) vectoriser. */
static void rows_scalar(int R, int P, int M, const float *A, long ars, long aks,
                        const float *B, int ldb, float *C, int ldc)
{
    for (int r = 0; r < R; r++) {
        float *c = C + (long)r * ldc;
        for (int p = 0; p < P; p++) {
            float a = A[r * ars + p * aks];
            const float *b = B + (long)p * ldb;
            for (int j = 0; j < M; j++)
                c[j] += a * b[j];
        }
    }
}

__attribute__((target("avx2,fma")))
static void rows_avx2(int R, int P, int M, const float *A, long ars, long aks,
                      const float *B, int ldb, float *C, int ldc)
{
    int r = 0;
    for (; r + 4 <= R; r += 4) {
        const float *a0 = A + r * ars, *a1 = a0 + ars, *a2 = a1 + ars, *a3 = a2 + ars;
        float *c0 = C + (long)r * ldc, *c1 = c0 + ldc, *c2 = c1 + ldc, *c3 = c2 + ldc;
        int j = 0;
        for (; j + 16 <= M; j += 16) {
            __m256 x00 = _mm256_loadu_ps(c0 + j), x01 = _mm256_loadu_ps(c0 + j + 8);
            __m256 x10 = _mm256_loadu_ps(c1 + j), x11 = _mm256_loadu_ps(c1 + j + 8);
            __m256 x20 = _mm256_loadu_ps(c2 + j), x21 = _mm256_loadu_ps(c2 + j + 8);
            __m256 x30 = _mm256_loadu_ps(c3 + j), x31 = _mm256_loadu_ps(c3 + j + 8);
            for (int p = 0; p < P; p++) {
                const float *b = B + (long)p * ldb + j;
                __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
                __m256 v = _mm256_broadcast_ss(a0 + p * aks);
                x00 = _mm256_fmadd_ps(v, b0, x00); x01 = _mm256_fmadd_ps(v, b1, x01);
                v = _mm256_broadcast_ss(a1 + p * aks);
                x10 = _mm256_fmadd_ps(v, b0, x10); x11 = _mm256_fmadd_ps(v, b1, x11);
                v = _mm256_broadcast_ss(a2 + p * aks);
                x20 = _mm256_fmadd_ps(v, b0, x20); x21 = _mm256_fmadd_ps(v, b1, x21);
                v = _mm256_broadcast_ss(a3 + p * aks);
                x30 = _mm256_fmadd_ps(v, b0, x30); x31 = _mm256_fmadd_ps(v, b1, x31);
            }
            _mm256_storeu_ps(c0 + j, x00); _mm256_storeu_ps(c0 + j + 8, x01);
            _mm256_storeu_ps(c1 + j, x10); _mm256_storeu_ps(c1 + j + 8, x11);
            _mm256_storeu_ps(c2 + j, x20); _mm256_storeu_ps(c2 + j + 8, x21);
            _mm256_storeu_ps(c3 + j, x30); _mm256_storeu_ps(c3 + j + 8, x31);
        }
        if (j < M)   /* column tail: same order of p per element, so same results */
            rows_scalar(4, P, M - j, A + r * ars, ars, aks, B + j, ldb, C + (long)r * ldc + j, ldc);
    }
    for (; r < R; r++) {
        const float *a = A + r * ars;
        float *c = C + (long)r * ldc;
        int j = 0;
        for (; j + 8 <= M; j += 8) {
            __m256 x = _mm256_loadu_ps(c + j);
            for (int p = 0; p < P; p++)
                x = _mm256_fmadd_ps(_mm256_broadcast_ss(a + p * aks),
                                    _mm256_loadu_ps(B + (long)p * ldb + j), x);
            _mm256_storeu_ps(c + j, x);
        }
        if (j < M)
            rows_scalar(1, P, M - j, a, ars, aks, B + j, ldb, c + j, ldc);
    }
}

__attribute__((target("avx512f")))
static void rows_avx512(int R, int P, int M, const float *A, long ars, long aks,
                        const float *B, int ldb, float *C, int ldc)
{
    int r = 0;
    for (; r + 4 <= R; r += 4) {
        const float *a0 = A + r * ars, *a1 = a0 + ars, *a2 = a1 + ars, *a3 = a2 + ars;
        float *c0 = C + (long)r * ldc, *c1 = c0 + ldc, *c2 = c1 + ldc, *c3 = c2 + ldc;
        for (int j = 0; j < M; j += 32) {
            int n0 = M - j >= 16 ? 16 : M - j, n1 = M - j >= 32 ? 16 : (M - j > 16 ? M - j - 16 : 0);
            __mmask16 m0 = (__mmask16)((1u << n0) - 1), m1 = (__mmask16)((1u << n1) - 1);
            __m512 x00 = _mm512_maskz_loadu_ps(m0, c0 + j), x01 = _mm512_maskz_loadu_ps(m1, c0 + j + 16);
            __m512 x10 = _mm512_maskz_loadu_ps(m0, c1 + j), x11 = _mm512_maskz_loadu_ps(m1, c1 + j + 16);
            __m512 x20 = _mm512_maskz_loadu_ps(m0, c2 + j), x21 = _mm512_maskz_loadu_ps(m1, c2 + j + 16);
            __m512 x30 = _mm512_maskz_loadu_ps(m0, c3 + j), x31 = _mm512_maskz_loadu_ps(m1, c3 + j + 16);
            for (int p = 0; p < P; p++) {
                const float *b = B + (long)p * ldb + j;
                __m512 b0 = _mm512_maskz_loadu_ps(m0, b), b1 = _mm512_maskz_loadu_ps(m1, b + 16);
                __m512 v = _mm512_set1_ps(a0[p * aks]);
                x00 = _mm512_fmadd_ps(v, b0, x00); x01 = _mm512_fmadd_ps(v, b1, x01);
                v = _mm512_set1_ps(a1[p * aks]);
                x10 = _mm512_fmadd_ps(v, b0, x10); x11 = _mm512_fmadd_ps(v, b1, x11);
                v = _mm512_set1_ps(a2[p * aks]);
                x20 = _mm512_fmadd_ps(v, b0, x20); x21 = _mm512_fmadd_ps(v, b1, x21);
                v = _mm512_set1_ps(a3[p * aks]);
                x30 = _mm512_fmadd_ps(v, b0, x30); x31 = _mm512_fmadd_ps(v, b1, x31);
            }
            _mm512_mask_storeu_ps(c0 + j, m0, x00); _mm512_mask_storeu_ps(c0 + j + 16, m1, x01);
            _mm512_mask_storeu_ps(c1 + j, m0, x10); _mm512_mask_storeu_ps(c1 + j + 16, m1, x11);
            _mm512_mask_storeu_ps(c2 + j, m0, x20); _mm512_mask_storeu_ps(c2 + j + 16, m1, x21);
            _mm512_mask_storeu_ps(c3 + j, m0, x30); _mm512_mask_storeu_ps(c3 + j + 16, m1, x31);
        }
    }
    for (; r < R; r++) {
        const float *a = A + r * ars;
        float *c = C + (long)r * ldc;
        for (int j = 0; j < M; j += 16) {
            __mmask16 m = (__mmask16)(M - j >= 16 ? 0xffff : (1u << (M - j)) - 1);
            __m512 x = _mm512_maskz_loadu_ps(m, c + j);
            for (int p = 0; p < P; p++)
                x = _mm512_fmadd_ps(_mm512_set1_ps(a[p * aks]),
                                    _mm512_maskz_loadu_ps(m, B + (long)p * ldb + j), x);
            _mm512_mask_storeu_ps(c + j, m, x);
        }
    }
}

/* --------------------------------------------------------------- the products */

typedef struct mm_job {
    int P, M;
    const float *A; long ars, aks;
    const float *B; int ldb;
    float *C; int ldc;
    int path;
} mm_job;

static void mm_rows(void *arg, int lo, int hi)
{
    const mm_job *j = arg;
    for (int p0 = 0; p0 < j->P; p0 += P_BLOCK) {
        int np = j->P - p0 < P_BLOCK ? j->P - p0 : P_BLOCK;
        const float *A = j->A + lo * j->ars + p0 * j->aks;
        const float *B = j->B + (long)p0 * j->ldb;
        float *C = j->C + (long)lo * j->ldc;
        switch (j->path) {
        case PATH_AVX512: rows_avx512(hi - lo, np, j->M, A, j->ars, j->aks, B, j->ldb, C, j->ldc); break;
        case PATH_AVX2:   rows_avx2(hi - lo, np, j->M, A, j->ars, j->aks, B, j->ldb, C, j->ldc); break;
        default:          rows_scalar(hi - lo, np, j->M, A, j->ars, j->aks, B, j->ldb, C, j->ldc); break;
        }
    }
}

/* Rows per thread chunk: enough work (~64 k multiply-adds) that waking a thread pays. */
static int min_rows(int P, int M)
{
    long per_row = (long)P * M;
    long r = per_row > 0 ? 65536 / per_row : 1;
    r = (r + 3) & ~3L;
    return r < 4 ? 4 : (int)r;
}

void cs_mm_nn(int N, int K, int M, const float *A, int lda, const float *B, int ldb,
              float *C, int ldc, int acc)
{
    if (!acc)
        for (int i = 0; i < N; i++)
            memset(C + (long)i * ldc, 0, sizeof(float) * M);
    if (N <= 0 || K <= 0 || M <= 0)
        return;
    mm_job j = { K, M, A, lda, 1, B, ldb, C, ldc, path() };
    cs_parallel_for(N, min_rows(K, M), mm_rows, &j);
}

void cs_mm_tn(int N, int K, int M, const float *A, int lda, const float *B, int ldb,
              float *C, int ldc)
{
    if (N <= 0 || K <= 0 || M <= 0)
        return;
    mm_job j = { N, M, A, 1, lda, B, ldb, C, ldc, path() };
    cs_parallel_for(K, min_rows(N, M), mm_rows, &j);
}

void cs_mm_nn_naive(int N, int K, int M, const float *A, int lda, const float *B, int ldb,
                    float *C, int ldc, int acc)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) {
            double s = acc ? C[(long)i * ldc + j] : 0.0;
            for (int k = 0; k < K; k++)
                s += (double)A[(long)i * lda + k] * B[(long)k * ldb + j];
            C[(long)i * ldc + j] = (float)s;
        }
}

void cs_mm_tn_naive(int N, int K, int M, const float *A, int lda, const float *B, int ldb,
                    float *C, int ldc)
{
    for (int k = 0; k < K; k++)
        for (int j = 0; j < M; j++) {
            double s = C[(long)k * ldc + j];
            for (int n = 0; n < N; n++)
                s += (double)A[(long)n * lda + k] * B[(long)n * ldb + j];
            C[(long)k * ldc + j] = (float)s;
        }
}

void cs_transpose(int R, int Cn, const float *S, int lds, float *T)
{
    for (int r = 0; r < R; r++)
        for (int c = 0; c < Cn; c++)
            T[(long)c * R + r] = S[(long)r * lds + c];
}

void cs_colsum_add(int N, int M, const float *A, int lda, float *out)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++)
            out[j] += A[(long)i * lda + j];
}

/* ------------------------------------------------------------------ thread pool
 * Workers sleep on a condition variable; a job is published with a generation number.
 * Thread k of n always gets the k-th contiguous range, so the split is deterministic. */

#define MAX_THREADS 64
static struct {
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    pthread_t th[MAX_THREADS];
    int nthreads;           /* including the caller */
    int started;            /* workers running */
    unsigned gen;
    int pending;
    void (*fn)(void *, int, int);
    void *arg;
    int n, chunk, parts;
} pool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
           { 0 }, 1, 0, 0, 0, NULL, NULL, 0, 0, 0 };

static void part_range(int k, int *lo, int *hi)
{
    *lo = k * pool.chunk;
    *hi = *lo + pool.chunk < pool.n ? *lo + pool.chunk : pool.n;
}

static void *worker(void *p)
{
    int id = (int)(long)p;
    unsigned seen = 0;
    pthread_mutex_lock(&pool.mu);
    for (;;) {
        while (pool.gen == seen)
            pthread_cond_wait(&pool.go, &pool.mu);
        seen = pool.gen;
        if (pool.fn == NULL)
            break;   /* shutdown */
        if (id < pool.parts) {
            int lo, hi;
            part_range(id, &lo, &hi);
            pthread_mutex_unlock(&pool.mu);
            if (lo < hi)
                pool.fn(pool.arg, lo, hi);
            pthread_mutex_lock(&pool.mu);
            if (--pool.pending == 0)
                pthread_cond_signal(&pool.done);
        }
    }
    pthread_mutex_unlock(&pool.mu);
    return NULL;
}

static void pool_stop(void)
{
    if (!pool.started)
        return;
    pthread_mutex_lock(&pool.mu);
    pool.fn = NULL;
    pool.gen++;
    pthread_cond_broadcast(&pool.go);
    pthread_mutex_unlock(&pool.mu);
    for (int i = 1; i < pool.started; i++)
        pthread_join(pool.th[i], NULL);
    pool.started = 0;
}

void cs_set_threads(int n)
{
    if (n < 1)
        n = 1;
    if (n > MAX_THREADS)
        n = MAX_THREADS;
    pool_stop();
    pool.nthreads = n;
}

int cs_get_threads(void) { return pool.nthreads; }

static int pool_start(void)
{
    static int registered;
    if (!registered) {
        atexit(pool_stop);
        registered = 1;
    }
    pool.started = 1;
    for (int i = 1; i < pool.nthreads; i++) {
        if (pthread_create(&pool.th[i], NULL, worker, (void *)(long)i) != 0)
            break;
        pool.started = i + 1;
    }
    return pool.started;
}

void cs_parallel_for(int n, int min_chunk, void (*fn)(void *arg, int lo, int hi), void *arg)
{
    int t = pool.nthreads;
    if (min_chunk < 1)
        min_chunk = 1;
    if (t > 1 && !pool.started)
        t = pool_start();
    else if (t > 1)
        t = pool.started;
    int parts = n / min_chunk;
    if (parts > t)
        parts = t;
    if (parts <= 1) {
        fn(arg, 0, n);
        return;
    }
    /* chunks in multiples of 4 rows so register blocks do not straddle threads */
    int chunk = ((n + parts - 1) / parts + 3) & ~3;
    pthread_mutex_lock(&pool.mu);
    pool.fn = fn;
    pool.arg = arg;
    pool.n = n;
    pool.chunk = chunk;
    pool.parts = parts;
    pool.pending = parts - 1;
    pool.gen++;
    pthread_cond_broadcast(&pool.go);
    pthread_mutex_unlock(&pool.mu);
    fn(arg, 0, chunk < n ? chunk : n);
    pthread_mutex_lock(&pool.mu);
    while (pool.pending > 0)
        pthread_cond_wait(&pool.done, &pool.mu);
    pthread_mutex_unlock(&pool.mu);
}
