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
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clickseq/kernels.h"

#define P_BLOCK 256

enum { PATH_SCALAR = 0, PATH_AVX2 = 1, PATH_AVX512 = 2 };
/* The best path the CPU supports, detected once (pthread_once), and the path in use: the
 * best one unless cs_kernels_force chose a lower one (tests and benches).  g_path is
 * atomic so a force while another thread runs kernels is not a data race. */
static int g_path_max = PATH_SCALAR;
static _Atomic int g_path = PATH_SCALAR;
static pthread_once_t g_path_once = PTHREAD_ONCE_INIT;

static void detect_path(void)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        g_path_max = PATH_AVX512;
    else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        g_path_max = PATH_AVX2;
    else
        g_path_max = PATH_SCALAR;
    atomic_store_explicit(&g_path, g_path_max, memory_order_relaxed);
}

static int path(void)
{
    pthread_once(&g_path_once, detect_path);
    return atomic_load_explicit(&g_path, memory_order_relaxed);
}

const char *cs_kernels_path(void)
{
    static const char *const names[] = { "scalar", "avx2", "avx512" };
    return names[path()];
}

void cs_kernels_force(const char *p)
{
    pthread_once(&g_path_once, detect_path);
    int want = g_path_max;
    if (p && strcmp(p, "scalar") == 0)
        want = PATH_SCALAR;
    else if (p && strcmp(p, "avx2") == 0)
        want = PATH_AVX2;
    else if (p && strcmp(p, "avx512") == 0)
        want = PATH_AVX512;
    atomic_store_explicit(&g_path, want <= g_path_max ? want : g_path_max, memory_order_relaxed);
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

/* AVX-512: column panels of 32 (two zmm) outside, rows inside, so the panel of B
 * (P_BLOCK x 32 floats = 32 KB) stays in L1 while every row block streams past it;
 * 12 rows x 32 columns = 24 accumulators per block (+ 2 B vectors + 1 broadcast: 27 of the
 * 32 zmm), 8-, 4- and 1-3-row tails. */
/* One block: R rows x 16·W columns (W = 2: a full panel of two zmm per row; W = 1: a last
 * panel of at most 16 columns) in R·W zmm accumulators.  R and W are constants at every
 * call and the function is inlined, so the loops (unrolled: the pragmas) leave the
 * accumulators in registers. */
__attribute__((target("avx512f"), always_inline))
static inline void blk512(const int R, const int W, int P, const float *a, long ars, long aks,
                          const float *B, int ldb, float *C, int ldc, const float *Ci, long ldci,
                          __mmask16 m0, __mmask16 m1)
{
    __m512 x[12][2];
    #pragma GCC unroll 12
    for (int r = 0; r < R; r++)
        #pragma GCC unroll 8
        for (int w = 0; w < W; w++)
            x[r][w] = _mm512_maskz_loadu_ps(w ? m1 : m0, Ci + (long)r * ldci + 16 * w);
    for (int p = 0; p < P; p++) {
        const float *b = B + (long)p * ldb, *ap = a + p * aks;
        __m512 bw[2];
        #pragma GCC unroll 8
        for (int w = 0; w < W; w++)
            bw[w] = _mm512_maskz_loadu_ps(w ? m1 : m0, b + 16 * w);
        #pragma GCC unroll 12
        for (int r = 0; r < R; r++) {
            __m512 v = _mm512_set1_ps(ap[r * ars]);
            #pragma GCC unroll 8
            for (int w = 0; w < W; w++)
                x[r][w] = _mm512_fmadd_ps(v, bw[w], x[r][w]);
        }
    }
    #pragma GCC unroll 12
    for (int r = 0; r < R; r++)
        #pragma GCC unroll 8
        for (int w = 0; w < W; w++)
            _mm512_mask_storeu_ps(C + (long)r * ldc + 16 * w, w ? m1 : m0, x[r][w]);
}

/* The R rows of one panel: blocks of 12 rows, then 8, then 4, then the last 1-3 rows as one block
 * (a 1-row block has only 2 accumulator chains and runs at a third of the FMA rate; the
 * recurrence's late steps have a few rows).  Every element sums its products in p order
 * in any block, so the split changes no bit. */
__attribute__((target("avx512f"), always_inline))
static inline void panel512(const int W, int R, int P, const float *A, long ars, long aks,
                            const float *B, int ldb, float *C, int ldc, const float *Ci, long ldci,
                            __mmask16 m0, __mmask16 m1)
{
    int r = 0;
    for (; r + 12 <= R; r += 12)
        blk512(12, W, P, A + r * ars, ars, aks, B, ldb, C + (long)r * ldc, ldc, Ci + r * ldci, ldci, m0, m1);
    for (; r + 8 <= R; r += 8)
        blk512(8, W, P, A + r * ars, ars, aks, B, ldb, C + (long)r * ldc, ldc, Ci + r * ldci, ldci, m0, m1);
    for (; r + 4 <= R; r += 4)
        blk512(4, W, P, A + r * ars, ars, aks, B, ldb, C + (long)r * ldc, ldc, Ci + r * ldci, ldci, m0, m1);
    if (R - r == 3)
        blk512(3, W, P, A + r * ars, ars, aks, B, ldb, C + (long)r * ldc, ldc, Ci + r * ldci, ldci, m0, m1);
    else if (R - r == 2)
        blk512(2, W, P, A + r * ars, ars, aks, B, ldb, C + (long)r * ldc, ldc, Ci + r * ldci, ldci, m0, m1);
    else if (R - r == 1)
        blk512(1, W, P, A + r * ars, ars, aks, B, ldb, C + (long)r * ldc, ldc, Ci + r * ldci, ldci, m0, m1);
}

__attribute__((target("avx512f")))
static void rows_avx512(int R, int P, int M, const float *A, long ars, long aks,
                        const float *B, int ldb, float *C, int ldc, const float *Ci, long ldci)
{
    for (int j = 0; j < M; j += 32) {
        int n0 = M - j >= 16 ? 16 : M - j, n1 = M - j >= 32 ? 16 : (M - j > 16 ? M - j - 16 : 0);
        __mmask16 m0 = (__mmask16)((1u << n0) - 1), m1 = (__mmask16)((1u << n1) - 1);
        if (n1)
            panel512(2, R, P, A, ars, aks, B + j, ldb, C + j, ldc, Ci + j, ldci, m0, m1);
        else   /* a narrow last panel: skip the empty second half */
            panel512(1, R, P, A, ars, aks, B + j, ldb, C + j, ldc, Ci + j, ldci, m0, m1);
    }
}


/* ------------------------------------------------------------- activations
 * exp(x) = 2^k · e^r with k = round(x·log2 e), r = x - k·ln 2 (ln 2 split in two parts
 * for accuracy), e^r by Cephes' degree-5 polynomial; inputs clamped to ±87. */

#define EXP_C1 0.693359375f
#define EXP_C2 -2.12194440e-4f
/* the polynomial's coefficients, highest degree first (Horner) */
static const float exp_poly[6] = {1.9875691500E-4f, 1.3981999507E-3f, 8.3334519073E-3f,
                                  4.1665795894E-2f, 1.6666665459E-1f, 5.0000001201E-1f};

__attribute__((target("avx512f")))
static inline __m512 exp512(__m512 x)
{
    x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-87.0f)), _mm512_set1_ps(87.0f));
    __m512 k = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(k, _mm512_set1_ps(EXP_C1), x);
    r = _mm512_fnmadd_ps(k, _mm512_set1_ps(EXP_C2), r);
    __m512 p = _mm512_set1_ps(exp_poly[0]);
    #pragma GCC unroll 8
    for (int i = 1; i < 6; i++)
        p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(exp_poly[i]));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    return _mm512_scalef_ps(p, k);
}

__attribute__((target("avx2,fma")))
static inline __m256 exp256(__m256 x)
{
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.0f)), _mm256_set1_ps(87.0f));
    __m256 k = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(k, _mm256_set1_ps(EXP_C1), x);
    r = _mm256_fnmadd_ps(k, _mm256_set1_ps(EXP_C2), r);
    __m256 p = _mm256_set1_ps(exp_poly[0]);
    #pragma GCC unroll 8
    for (int i = 1; i < 6; i++)
        p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(exp_poly[i]));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(k), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(e));
}

/* sigmoid(a·x)·b + c over n floats: (1, 1, 0) is sigmoid, (2, 2, -1) is tanh */
__attribute__((target("avx512f")))
static void act_avx512(float *x, int n, float a, float b, float c)
{
    __m512 va = _mm512_set1_ps(-a), vb = _mm512_set1_ps(b), vc = _mm512_set1_ps(c), one = _mm512_set1_ps(1.0f);
    for (int i = 0; i < n; i += 16) {
        __mmask16 m = (__mmask16)(n - i >= 16 ? 0xffff : (1u << (n - i)) - 1);
        __m512 v = _mm512_maskz_loadu_ps(m, x + i);
        __m512 s = _mm512_div_ps(vb, _mm512_add_ps(one, exp512(_mm512_mul_ps(va, v))));
        _mm512_mask_storeu_ps(x + i, m, _mm512_add_ps(s, vc));
    }
}

__attribute__((target("avx2,fma")))
static void act_avx2(float *x, int n, float a, float b, float c)
{
    __m256 va = _mm256_set1_ps(-a), vb = _mm256_set1_ps(b), vc = _mm256_set1_ps(c), one = _mm256_set1_ps(1.0f);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        __m256 s = _mm256_div_ps(vb, _mm256_add_ps(one, exp256(_mm256_mul_ps(va, v))));
        _mm256_storeu_ps(x + i, _mm256_add_ps(s, vc));
    }
    for (; i < n; i++)
        x[i] = b / (1.0f + expf(-a * x[i])) + c;
}

static void act(float *x, int n, float a, float b, float c)
{
    switch (path()) {
    case PATH_AVX512: act_avx512(x, n, a, b, c); break;
    case PATH_AVX2: act_avx2(x, n, a, b, c); break;
    default:
        for (int i = 0; i < n; i++)
            x[i] = c == 0.0f ? 1.0f / (1.0f + expf(-x[i])) : tanhf(x[i]);
    }
}

void cs_vsigmoid(float *x, int n) { act(x, n, 1.0f, 1.0f, 0.0f); }
void cs_vtanh(float *x, int n) { act(x, n, 2.0f, 2.0f, -1.0f); }

/* --------------------------------------------------------------- the products */

/* How the output starts: INIT_ACC from C itself (C +=), INIT_ROW from the row vector Ci
 * (the same for every row: a bias), INIT_ZERO from zero. */
enum { INIT_ACC = 0, INIT_ROW = 1, INIT_ZERO = 2 };
#define ZERO_ROW 4096
static const float zero_row[ZERO_ROW];

typedef struct mm_job {
    int P, M;
    const float *A; long ars, aks;
    const float *B; int ldb;
    float *C; int ldc;
    int path;
    int init;
    const float *Ci;   /* INIT_ROW: the row [M] */
} mm_job;

static void mm_rows(void *arg, int lo, int hi)
{
    const mm_job *j = arg;
    float *C = j->C + (long)lo * j->ldc;
    int R = hi - lo;
    /* the first panel starts from Ci (stride 0: a row) or C; AVX-512 reads it in the kernel,
     * the other paths get C filled first */
    const float *Ci = C;
    long ldci = j->ldc;
    if (j->init != INIT_ACC) {
        const float *row = j->init == INIT_ROW ? j->Ci : zero_row;
        if (j->path == PATH_AVX512 && (j->init == INIT_ROW || j->M <= ZERO_ROW)) {
            Ci = row;
            ldci = 0;
        } else {
            for (int r = 0; r < R; r++) {
                if (j->init == INIT_ROW)
                    memcpy(C + (long)r * j->ldc, row, sizeof(float) * j->M);
                else
                    memset(C + (long)r * j->ldc, 0, sizeof(float) * j->M);
            }
        }
    }
    for (int p0 = 0; p0 < j->P; p0 += P_BLOCK) {
        int np = j->P - p0 < P_BLOCK ? j->P - p0 : P_BLOCK;
        const float *A = j->A + lo * j->ars + p0 * j->aks;
        const float *B = j->B + (long)p0 * j->ldb;
        switch (j->path) {
        case PATH_AVX512: rows_avx512(R, np, j->M, A, j->ars, j->aks, B, j->ldb, C, j->ldc, Ci, ldci); break;
        case PATH_AVX2:   rows_avx2(R, np, j->M, A, j->ars, j->aks, B, j->ldb, C, j->ldc); break;
        default:          rows_scalar(R, np, j->M, A, j->ars, j->aks, B, j->ldb, C, j->ldc); break;
        }
        Ci = C;
        ldci = j->ldc;
    }
}

static void parallel_for_aligned(int n, int min_chunk, int align, void (*fn)(void *, int, int), void *arg);

/* Rows per thread chunk: enough work (~64 k multiply-adds) that waking a thread pays. */
static int min_rows(int P, int M)
{
    long per_row = (long)P * M;
    long r = per_row > 0 ? 65536 / per_row : 1;
    r = (r + 3) & ~3L;
    return r < 4 ? 4 : (int)r;
}

static void mm_nn_init(int N, int K, int M, const float *A, int lda, const float *B, int ldb,
                       float *C, int ldc, int init, const float *Ci)
{
    if (N <= 0 || M <= 0)
        return;
    if (K <= 0) {   /* nothing to accumulate: just the start values */
        for (int i = 0; i < N && init != INIT_ACC; i++) {
            if (init == INIT_ROW)
                memcpy(C + (long)i * ldc, Ci, sizeof(float) * M);
            else
                memset(C + (long)i * ldc, 0, sizeof(float) * M);
        }
        return;
    }
    mm_job j = { K, M, A, lda, 1, B, ldb, C, ldc, path(), init, Ci };
    parallel_for_aligned(N, min_rows(K, M), 4, mm_rows, &j);
}

void cs_mm_nn(int N, int K, int M, const float *A, int lda, const float *B, int ldb,
              float *C, int ldc, int acc)
{
    mm_nn_init(N, K, M, A, lda, B, ldb, C, ldc, acc ? INIT_ACC : INIT_ZERO, NULL);
}

void cs_mm_nn_bias(int N, int K, int M, const float *A, int lda, const float *B, int ldb,
                   const float *bias, float *C, int ldc)
{
    mm_nn_init(N, K, M, A, lda, B, ldb, C, ldc, INIT_ROW, bias);
}

void cs_mm_tn(int N, int K, int M, const float *A, int lda, const float *B, int ldb,
              float *C, int ldc)
{
    if (N <= 0 || K <= 0 || M <= 0)
        return;
    mm_job j = { N, M, A, 1, lda, B, ldb, C, ldc, path(), INIT_ACC, NULL };
    parallel_for_aligned(K, min_rows(N, M), 4, mm_rows, &j);
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

typedef struct tr_job {
    int R, Cn;
    const float *S;
    int lds;
    float *T;
} tr_job;

/* Source rows [lo, hi): T's columns lo..hi-1, in blocks of 16 columns of S so the rows of
 * T being written stay in cache. */
static void tr_rows(void *arg, int lo, int hi)
{
    const tr_job *j = arg;
    for (int c0 = 0; c0 < j->Cn; c0 += 16) {
        int c1 = c0 + 16 < j->Cn ? c0 + 16 : j->Cn;
        for (int r = lo; r < hi; r++) {
            const float *s = j->S + (long)r * j->lds;
            for (int c = c0; c < c1; c++)
                j->T[(long)c * j->R + r] = s[c];
        }
    }
}

void cs_transpose(int R, int Cn, const float *S, int lds, float *T)
{
    if (R <= 0 || Cn <= 0)
        return;
    tr_job j = { R, Cn, S, lds, T };
    /* a part of >= 16384 elements pays for the wake-up */
    int min = (int)(16384 / Cn) + 1;
    cs_parallel_for(R, min, tr_rows, &j);
}

/* As a product ones[1, N]·A[N, M] through the row kernel, N in slices of 256; threads take
 * ranges of columns (every column sums its rows in the same order whatever the split). */
typedef struct colsum_job {
    int N, M;
    const float *A;
    int lda;
    float *out;
} colsum_job;

static void colsum_cols(void *arg, int lo, int hi)
{
    const colsum_job *c = arg;
    float ones[P_BLOCK];
    for (int i = 0; i < P_BLOCK; i++)
        ones[i] = 1.0f;
    for (int i0 = 0; i0 < c->N; i0 += P_BLOCK) {
        int n = c->N - i0 < P_BLOCK ? c->N - i0 : P_BLOCK;
        mm_job j = { n, hi - lo, ones, 0, 1, c->A + (long)i0 * c->lda + lo, c->lda, c->out + lo, c->M,
                     path(), INIT_ACC, NULL };
        mm_rows(&j, 0, 1);
    }
}

void cs_colsum_add(int N, int M, const float *A, int lda, float *out)
{
    if (N <= 0 || M <= 0)
        return;
    colsum_job c = { N, M, A, lda, out };
    /* parts of >= 32 columns, and only when there are rows enough to pay for a wake-up */
    parallel_for_aligned(M, (long)N * M >= 32768 ? 32 : M, 16, colsum_cols, &c);
}

/* ------------------------------------------------------------------ thread pool
 * A job is published with a generation number.  Workers first spin on it (a few tens of
 * microseconds: a training step publishes a job every few hundred microseconds, and a
 * condition-variable wake-up costs about as much as the work), then sleep on a condition
 * variable; the caller likewise spins, then sleeps, until every worker has reported.
 * Thread k of n always gets the k-th contiguous range, so the split is deterministic.
 *
 * Memory order: the job fields are written before gen is bumped and read after it is
 * seen; every started worker (also one without a part) decrements pending once it no
 * longer reads them, and the caller writes the next job only after pending reached 0.
 * sleepers / caller_sleeps with seq_cst make the sleep/wake hand-offs lose no wake-up. */

#define MAX_THREADS 64
#define SPIN_ROUNDS 4000   /* pause instructions before sleeping (~30-100 us) */
static struct {
    pthread_mutex_t mu, dispatch;
    pthread_cond_t go, done;
    pthread_t th[MAX_THREADS];
    int started;                /* threads running, the caller included (dispatch held) */
    _Atomic unsigned gen;
    _Atomic int pending;        /* workers that have not finished the current job */
    _Atomic int sleepers;       /* workers asleep (or going to sleep) on go */
    _Atomic int caller_sleeps;  /* the caller is asleep (or going to sleep) on done */
    void (*fn)(void *, int, int);
    void *arg;
    int parts;
    int bounds[MAX_THREADS + 1];
    unsigned start_gen;         /* gen when the workers were created: they wait for the next */
} pool = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER,
           PTHREAD_COND_INITIALIZER, { 0 }, 0, 0, 0, 0, 0, NULL, NULL, 0, { 0 }, 0 };
/* Threads including the caller; written under pool.dispatch, read by any thread. */
static _Atomic int g_nthreads = 1;
/* Set while a thread runs a part: nested parallel calls then run inline. */
static _Thread_local int in_parallel;

/* Benchmark accounting (cs_parallel_stats_*): the CPU time of each worker's part, written
 * before it reports; the caller's sums, touched only with pool.dispatch held. */
static _Atomic int g_stats_on;
static double g_part_s[MAX_THREADS];
static struct { double t0, in_regions, longest; long regions; } g_stats;

static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static unsigned wait_gen(unsigned seen)
{
    unsigned g;
    for (int spin = 0; (g = atomic_load_explicit(&pool.gen, memory_order_acquire)) == seen;) {
        if (++spin < SPIN_ROUNDS) {
            _mm_pause();
            continue;
        }
        pthread_mutex_lock(&pool.mu);
        atomic_fetch_add(&pool.sleepers, 1);
        while (atomic_load(&pool.gen) == seen)
            pthread_cond_wait(&pool.go, &pool.mu);
        atomic_fetch_sub(&pool.sleepers, 1);
        pthread_mutex_unlock(&pool.mu);
        spin = 0;
    }
    return g;
}

static void *worker(void *p)
{
    int id = (int)(long)p;
    in_parallel = 1;
    unsigned seen = pool.start_gen;   /* written before pthread_create */
    for (;;) {
        seen = wait_gen(seen);
        void (*fn)(void *, int, int) = pool.fn;
        if (fn == NULL)
            break;   /* shutdown */
        if (id < pool.parts) {
            int lo = pool.bounds[id], hi = pool.bounds[id + 1];
            int stats = atomic_load_explicit(&g_stats_on, memory_order_relaxed);
            double t0 = stats ? thread_cpu_s() : 0;
            if (lo < hi)
                fn(pool.arg, lo, hi);
            if (stats)
                g_part_s[id] = thread_cpu_s() - t0;
        }
        if (atomic_fetch_sub_explicit(&pool.pending, 1, memory_order_acq_rel) == 1 &&
            atomic_load(&pool.caller_sleeps)) {
            pthread_mutex_lock(&pool.mu);
            pthread_cond_signal(&pool.done);
            pthread_mutex_unlock(&pool.mu);
        }
    }
    return NULL;
}

/* Bump the generation (the job or the shutdown is written) and wake sleeping workers. */
static void publish(void)
{
    atomic_fetch_add(&pool.gen, 1);
    if (atomic_load(&pool.sleepers) > 0) {
        pthread_mutex_lock(&pool.mu);
        pthread_cond_broadcast(&pool.go);
        pthread_mutex_unlock(&pool.mu);
    }
}

static void wait_done(void)
{
    for (int spin = 0; atomic_load_explicit(&pool.pending, memory_order_acquire) > 0;) {
        if (++spin < SPIN_ROUNDS) {
            _mm_pause();
            continue;
        }
        pthread_mutex_lock(&pool.mu);
        atomic_store(&pool.caller_sleeps, 1);
        while (atomic_load(&pool.pending) > 0)
            pthread_cond_wait(&pool.done, &pool.mu);
        atomic_store(&pool.caller_sleeps, 0);
        pthread_mutex_unlock(&pool.mu);
    }
}

static void pool_stop(void)
{
    if (pool.started <= 1)
        return;
    pool.fn = NULL;
    publish();
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
    pthread_mutex_lock(&pool.dispatch);
    pool_stop();
    atomic_store(&g_nthreads, n);
    pthread_mutex_unlock(&pool.dispatch);
}

int cs_get_threads(void) { return atomic_load(&g_nthreads); }

int cs_threads_resolve(int requested)
{
    if (requested > 0)
        return requested > MAX_THREADS ? MAX_THREADS : requested;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

static void pool_stop_at_exit(void)
{
    pthread_mutex_lock(&pool.dispatch);
    pool_stop();
    pthread_mutex_unlock(&pool.dispatch);
}

/* With pool.dispatch held. */
static int pool_start(void)
{
    static int registered;
    if (!registered) {
        atexit(pool_stop_at_exit);
        registered = 1;
    }
    pool.start_gen = atomic_load(&pool.gen);
    pool.started = 1;
    int n = atomic_load(&g_nthreads);
    for (int i = 1; i < n; i++) {
        if (pthread_create(&pool.th[i], NULL, worker, (void *)(long)i) != 0)
            break;
        pool.started = i + 1;
    }
    return pool.started;
}

int cs_parallel_parts(void)
{
    return in_parallel ? 1 : atomic_load(&g_nthreads);
}

void cs_parallel_ranges(int parts, const int *bounds, void (*fn)(void *arg, int lo, int hi), void *arg)
{
    /* inline when single, nested, or another caller holds the pool */
    if (parts <= 1 || in_parallel || pthread_mutex_trylock(&pool.dispatch) != 0) {
        fn(arg, bounds[0], bounds[parts > 1 ? parts : 1]);
        return;
    }
    int t = pool.started ? pool.started : pool_start();
    if (parts > t) {   /* fewer threads than asked for: the caller does the rest */
        pthread_mutex_unlock(&pool.dispatch);
        fn(arg, bounds[0], bounds[parts]);
        return;
    }
    pool.fn = fn;
    pool.arg = arg;
    pool.parts = parts;
    memcpy(pool.bounds, bounds, sizeof(int) * (parts + 1));
    int stats = atomic_load_explicit(&g_stats_on, memory_order_relaxed);
    for (int k = 1; stats && k < parts; k++)
        g_part_s[k] = 0;
    atomic_store(&pool.pending, t - 1);
    double ta = stats ? thread_cpu_s() : 0;
    publish();
    in_parallel = 1;
    fn(arg, bounds[0], bounds[1]);
    in_parallel = 0;
    double tb = stats ? thread_cpu_s() : 0;
    wait_done();
    if (stats) {
        double longest = tb - ta;
        for (int k = 1; k < parts; k++)
            longest = g_part_s[k] > longest ? g_part_s[k] : longest;
        g_stats.in_regions += thread_cpu_s() - ta;
        g_stats.longest += longest;
        g_stats.regions++;
    }
    pthread_mutex_unlock(&pool.dispatch);
}

void cs_parallel_stats_start(void)
{
    pthread_mutex_lock(&pool.dispatch);
    memset(&g_stats, 0, sizeof g_stats);
    g_stats.t0 = thread_cpu_s();
    atomic_store(&g_stats_on, 1);
    pthread_mutex_unlock(&pool.dispatch);
}

void cs_parallel_stats_stop(cs_parallel_stats *out)
{
    pthread_mutex_lock(&pool.dispatch);
    atomic_store(&g_stats_on, 0);
    double total = thread_cpu_s() - g_stats.t0;
    out->span_s = total - g_stats.in_regions + g_stats.longest;
    out->serial_s = total - g_stats.in_regions;
    out->regions = g_stats.regions;
    pthread_mutex_unlock(&pool.dispatch);
}

/* Ranges of [0, n) for at most the pool's threads, each >= min_chunk and (but the last)
 * a multiple of align, as even as that allows. */
static void parallel_for_aligned(int n, int min_chunk, int align, void (*fn)(void *, int, int), void *arg)
{
    if (min_chunk < 1)
        min_chunk = 1;
    int parts = n / min_chunk, t = cs_parallel_parts();
    if (parts > t)
        parts = t;
    if (parts <= 1) {
        fn(arg, 0, n);
        return;
    }
    int bounds[MAX_THREADS + 1];
    for (int k = 0; k <= parts; k++) {
        long b = (long)n * k / parts;
        b = k == parts ? n : (b + align / 2) / align * align;
        bounds[k] = (int)(b < n ? b : n);
    }
    cs_parallel_ranges(parts, bounds, fn, arg);
}

void cs_parallel_for(int n, int min_chunk, void (*fn)(void *arg, int lo, int hi), void *arg)
{
    parallel_for_aligned(n, min_chunk, 1, fn, arg);
}
