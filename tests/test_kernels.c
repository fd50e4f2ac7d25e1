/* test_kernels.c — the fast matrix products against their naive twins, on every vector
 * path the CPU has, odd shapes (tails of rows and columns), strided operands, and with 1
 * and 2 threads (results must be bit-identical whatever the thread count). */
#include <math.h>
#include <stdatomic.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "clickseq/kernels.h"
#include "clickseq/model.h"
#include "clickseq/rng.h"

static void fill(cs_rng *r, float *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (float)(2.0 * cs_rng_uniform(r) - 1.0);
}

/* Largest |fast - naive| relative to the sum of |terms| bound sqrt(K)*|a||b|. */
static double max_err(const float *a, const float *b, int N, int M, int ld, int K)
{
    double e = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < M; j++) {
            double d = fabs((double)a[(size_t)i * ld + j] - b[(size_t)i * ld + j]) / (K + 1);
            if (d > e)
                e = d;
        }
    return e;
}

static const int shapes[][3] = {
    { 1, 1, 1 }, { 3, 5, 7 }, { 4, 8, 16 }, { 5, 17, 33 }, { 17, 64, 192 }, { 64, 33, 31 },
    { 7, 300, 48 }, { 130, 70, 129 }, { 256, 64, 256 }, { 9, 3, 4100 }, { 35, 34, 192 },
};

static void check_path(const char *path)
{
    cs_kernels_force(path);
    cs_rng r;
    cs_rng_seed(&r, 7);
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int N = shapes[s][0], K = shapes[s][1], M = shapes[s][2];
        int lda = K + 3, ldb = M + 1, ldc = M + 2;
        float *A = malloc(sizeof(float) * N * lda), *B = malloc(sizeof(float) * K * ldb);
        float *C1 = malloc(sizeof(float) * N * ldc), *C2 = malloc(sizeof(float) * N * ldc);
        fill(&r, A, (size_t)N * lda);
        fill(&r, B, (size_t)K * ldb);
        for (int acc = 0; acc < 2; acc++) {
            fill(&r, C1, (size_t)N * ldc);
            memcpy(C2, C1, sizeof(float) * N * ldc);
            cs_mm_nn(N, K, M, A, lda, B, ldb, C1, ldc, acc);
            cs_mm_nn_naive(N, K, M, A, lda, B, ldb, C2, ldc, acc);
            double e = max_err(C1, C2, N, M, ldc, K);
            if (e > 1e-6)
                fail_msg("nn %s %dx%dx%d acc %d: error %g", path, N, K, M, acc, e);
            /* the padding columns between M and ldc are untouched */
            for (int i = 0; i < N; i++)
                assert_memory_equal(C1 + (size_t)i * ldc + M, C2 + (size_t)i * ldc + M, 2 * sizeof(float));
        }
        /* bias: every row starts from bias[M], the padding stays */
        float *bias = malloc(sizeof(float) * M);
        fill(&r, bias, (size_t)M);
        fill(&r, C1, (size_t)N * ldc);
        memcpy(C2, C1, sizeof(float) * N * ldc);
        cs_mm_nn_bias(N, K, M, A, lda, B, ldb, bias, C1, ldc);
        for (int i = 0; i < N; i++)
            memcpy(C2 + (size_t)i * ldc, bias, sizeof(float) * M);
        cs_mm_nn_naive(N, K, M, A, lda, B, ldb, C2, ldc, 1);
        double eb = max_err(C1, C2, N, M, ldc, K);
        if (eb > 1e-6)
            fail_msg("nn+bias %s %dx%dx%d: error %g", path, N, K, M, eb);
        for (int i = 0; i < N; i++)
            assert_memory_equal(C1 + (size_t)i * ldc + M, C2 + (size_t)i * ldc + M, 2 * sizeof(float));
        /* column sums of A[N, K] added to out[K] */
        float *o1 = malloc(sizeof(float) * K);
        double *o2 = malloc(sizeof(double) * K);
        fill(&r, o1, (size_t)K);
        for (int k = 0; k < K; k++) {
            o2[k] = o1[k];
            for (int i = 0; i < N; i++)
                o2[k] += A[(size_t)i * lda + k];
        }
        cs_colsum_add(N, K, A, lda, o1);
        for (int k = 0; k < K; k++)
            if (fabs(o1[k] - o2[k]) > 1e-6 * (N + 1))
                fail_msg("colsum %s %dx%d col %d: %g vs %g", path, N, K, k, o1[k], o2[k]);
        free(bias); free(o1); free(o2);
        /* tn: C[K, M] += A[N, K]ᵀ · B'[N, M] (B' reuses the B buffer as N x M) */
        float *Bn = malloc(sizeof(float) * N * ldb);
        float *D1 = malloc(sizeof(float) * K * ldc), *D2 = malloc(sizeof(float) * K * ldc);
        fill(&r, Bn, (size_t)N * ldb);
        fill(&r, D1, (size_t)K * ldc);
        memcpy(D2, D1, sizeof(float) * K * ldc);
        cs_mm_tn(N, K, M, A, lda, Bn, ldb, D1, ldc);
        cs_mm_tn_naive(N, K, M, A, lda, Bn, ldb, D2, ldc);
        double e = max_err(D1, D2, K, M, ldc, N);
        if (e > 1e-6)
            fail_msg("tn %s %dx%dx%d: error %g", path, N, K, M, e);
        free(A); free(B); free(C1); free(C2); free(Bn); free(D1); free(D2);
    }
    cs_kernels_force(NULL);
}

static void test_scalar(void **st) { (void)st; check_path("scalar"); }
static void test_avx2(void **st) { (void)st; check_path("avx2"); }
static void test_avx512(void **st) { (void)st; check_path("avx512"); }

/* A deliberately wrong result must be caught by the comparison used above. */
static void test_check_can_fail(void **st)
{
    (void)st;
    float A[6] = { 1, 2, 3, 4, 5, 6 }, B[6] = { 1, 0, 0, 1, 1, 1 }, C1[4], C2[4];
    cs_mm_nn(2, 3, 2, A, 3, B, 2, C1, 2, 0);
    cs_mm_nn_naive(2, 3, 2, A, 3, B, 2, C2, 2, 0);
    /* by hand: row 0 = [1+3, 2+3] */
    assert_true(C2[0] == 4.0f && C2[1] == 5.0f && C2[2] == 10.0f && C2[3] == 11.0f);
    assert_true(max_err(C1, C2, 2, 2, 2, 3) == 0.0);
    C1[3] += 0.01f;
    assert_true(max_err(C1, C2, 2, 2, 2, 3) > 1e-6);
}

static void test_threads_bit_identical(void **st)
{
    (void)st;
    int N = 1000, K = 96, M = 192;
    cs_rng r;
    cs_rng_seed(&r, 3);
    float *A = malloc(sizeof(float) * N * K), *B = malloc(sizeof(float) * K * M);
    float *Bn = malloc(sizeof(float) * N * M);
    float *C1 = calloc((size_t)N * M, sizeof(float)), *C2 = calloc((size_t)N * M, sizeof(float));
    float *D1 = calloc((size_t)K * M, sizeof(float)), *D2 = calloc((size_t)K * M, sizeof(float));
    fill(&r, A, (size_t)N * K);
    fill(&r, B, (size_t)K * M);
    fill(&r, Bn, (size_t)N * M);
    float *E1 = calloc((size_t)N * M, sizeof(float)), *E2 = calloc((size_t)N * M, sizeof(float));
    float s1[192] = { 0 }, s2[192] = { 0 };
    int old = cs_get_threads();
    cs_set_threads(1);
    cs_mm_nn(N, K, M, A, K, B, M, C1, M, 0);
    cs_mm_tn(N, K, M, A, K, Bn, M, D1, M);
    cs_mm_nn_bias(N, K, M, A, K, B, M, Bn + 5, E1, M);
    cs_colsum_add(N, M, Bn, M, s1);
    cs_set_threads(2);
    assert_int_equal(cs_get_threads(), 2);
    for (int rep = 0; rep < 3; rep++) {
        cs_mm_nn(N, K, M, A, K, B, M, C2, M, 0);
        memset(D2, 0, sizeof(float) * K * M);
        cs_mm_tn(N, K, M, A, K, Bn, M, D2, M);
        cs_mm_nn_bias(N, K, M, A, K, B, M, Bn + 5, E2, M);
        memset(s2, 0, sizeof s2);
        cs_colsum_add(N, M, Bn, M, s2);
        assert_memory_equal(C1, C2, sizeof(float) * N * M);
        assert_memory_equal(D1, D2, sizeof(float) * K * M);
        assert_memory_equal(E1, E2, sizeof(float) * N * M);
        assert_memory_equal(s1, s2, sizeof s1);
    }
    free(E1); free(E2);
    cs_set_threads(old);
    free(A); free(B); free(Bn); free(C1); free(C2); free(D1); free(D2);
}

/* Vector sigmoid / tanh against libm on every path, over the whole useful range, the
 * clamp region and the odd-length tails. */
static void test_activations(void **st)
{
    (void)st;
    const char *paths[] = { "scalar", "avx2", "avx512" };
    int n = 2003;
    float *x = malloc(sizeof(float) * n), *s = malloc(sizeof(float) * n), *t = malloc(sizeof(float) * n);
    for (int p = 0; p < 3; p++) {
        cs_kernels_force(paths[p]);
        for (int i = 0; i < n; i++)
            x[i] = -100.0f + 200.0f * (float)i / (float)(n - 1) * (i % 3 ? 0.1f : 1.0f);
        memcpy(s, x, sizeof(float) * n);
        memcpy(t, x, sizeof(float) * n);
        cs_vsigmoid(s, n);
        cs_vtanh(t, n);
        for (int i = 0; i < n; i++) {
            double es = 1.0 / (1.0 + exp(-(double)x[i])), et = tanh((double)x[i]);
            if (fabs(s[i] - es) > 2e-7 + 4e-7 * es || fabs(t[i] - et) > 3e-7)
                fail_msg("%s x=%g: sigmoid %g (%g) tanh %g (%g)", paths[p], (double)x[i], (double)s[i],
                         es, (double)t[i], et);
        }
    }
    cs_kernels_force(NULL);
    free(x); free(s); free(t);
}

/* cs_parallel_for: every index exactly once, in ranges no smaller than asked, whatever n. */
typedef struct cover { _Atomic int hits[1000]; _Atomic int small; int min; } cover;

static void cover_part(void *arg, int lo, int hi)
{
    cover *c = arg;
    if (hi - lo < c->min && hi - lo > 0)
        atomic_fetch_add(&c->small, 1);
    for (int i = lo; i < hi; i++)
        atomic_fetch_add(&c->hits[i], 1);
}

static void test_parallel_for_cover(void **st)
{
    (void)st;
    int old = cs_get_threads();
    static cover c;
    for (int t = 1; t <= 3; t++) {
        cs_set_threads(t);
        for (int n = 0; n <= 1000; n += n < 20 ? 1 : 97)
            for (int mc = 1; mc <= 64; mc *= 4) {
                memset(&c, 0, sizeof c);
                c.min = mc;
                cs_parallel_for(n, mc, cover_part, &c);
                for (int i = 0; i < n; i++)
                    if (atomic_load(&c.hits[i]) != 1)
                        fail_msg("threads %d n %d min %d: index %d ran %d times", t, n, mc, i,
                                 atomic_load(&c.hits[i]));
                /* only a lone range (n < min) may be shorter than min */
                if (n >= mc && atomic_load(&c.small))
                    fail_msg("threads %d n %d min %d: a range below the minimum", t, n, mc);
            }
    }
    cs_set_threads(old);
}

/* cs_transpose against the definition, odd shapes and a stride, 1 and 2 threads. */
static void test_transpose(void **st)
{
    (void)st;
    static const int rc[][2] = { { 1, 1 }, { 3, 17 }, { 192, 34 }, { 192, 64 }, { 1000, 33 }, { 33, 1000 } };
    cs_rng r;
    cs_rng_seed(&r, 11);
    int old = cs_get_threads();
    for (size_t k = 0; k < sizeof rc / sizeof rc[0]; k++) {
        int R = rc[k][0], Cn = rc[k][1], lds = Cn + 3;
        float *S = malloc(sizeof(float) * R * lds), *T = malloc(sizeof(float) * R * Cn);
        fill(&r, S, (size_t)R * lds);
        for (int t = 1; t <= 2; t++) {
            cs_set_threads(t);
            memset(T, 0, sizeof(float) * R * Cn);
            cs_transpose(R, Cn, S, lds, T);
            for (int i = 0; i < R; i++)
                for (int c = 0; c < Cn; c++)
                    if (T[(size_t)c * R + i] != S[(size_t)i * lds + c])
                        fail_msg("transpose %dx%d threads %d: (%d,%d) wrong", R, Cn, t, i, c);
        }
        free(S); free(T);
    }
    cs_set_threads(old);
}

static void test_path_names(void **st)
{
    (void)st;
    const char *p = cs_kernels_path();
    assert_true(strcmp(p, "scalar") == 0 || strcmp(p, "avx2") == 0 || strcmp(p, "avx512") == 0);
    cs_kernels_force("scalar");
    assert_string_equal(cs_kernels_path(), "scalar");
    cs_kernels_force(NULL);
    assert_string_equal(cs_kernels_path(), p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scalar),
        cmocka_unit_test(test_avx2),
        cmocka_unit_test(test_avx512),
        cmocka_unit_test(test_check_can_fail),
        cmocka_unit_test(test_threads_bit_identical),
        cmocka_unit_test(test_activations),
        cmocka_unit_test(test_path_names),
        cmocka_unit_test(test_parallel_for_cover),
        cmocka_unit_test(test_transpose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
