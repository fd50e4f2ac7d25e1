/* peak.c — the machine's single-precision FMA peak: 12 independent AVX-512 FMA chains
 * (enough to cover the 4-cycle latency on two FMA ports) per thread, on 1 and on N
 * threads at once (plain pthreads, not clickseq's pool), best of REPS (300) short runs: on a
 * shared machine the best run is the least disturbed one.
 *
 * usage: peak [threads] [reps]      prints "peak <threads> <GFLOP/s>" for 1 and threads */
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ITERS 1000000L   /* ~2.5 ms at peak: short enough to fit between preemptions */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

volatile float sink[64];   /* read by nobody, but the compiler must compute it */

__attribute__((target("avx512f")))
static void *chains(void *arg)
{
    long id = (long)arg;
    __m512 m = _mm512_set1_ps(0.999999f), c = _mm512_set1_ps(1e-7f);
    __m512 x0 = _mm512_set1_ps(0), x1 = _mm512_set1_ps(1), x2 = _mm512_set1_ps(2), x3 = _mm512_set1_ps(3);
    __m512 x4 = _mm512_set1_ps(4), x5 = _mm512_set1_ps(5), x6 = _mm512_set1_ps(6), x7 = _mm512_set1_ps(7);
    __m512 x8 = _mm512_set1_ps(8), x9 = _mm512_set1_ps(9), xa = _mm512_set1_ps(10), xb = _mm512_set1_ps(11);
    for (long k = 0; k < ITERS; k++) {
        x0 = _mm512_fmadd_ps(x0, m, c); x1 = _mm512_fmadd_ps(x1, m, c); x2 = _mm512_fmadd_ps(x2, m, c);
        x3 = _mm512_fmadd_ps(x3, m, c); x4 = _mm512_fmadd_ps(x4, m, c); x5 = _mm512_fmadd_ps(x5, m, c);
        x6 = _mm512_fmadd_ps(x6, m, c); x7 = _mm512_fmadd_ps(x7, m, c); x8 = _mm512_fmadd_ps(x8, m, c);
        x9 = _mm512_fmadd_ps(x9, m, c); xa = _mm512_fmadd_ps(xa, m, c); xb = _mm512_fmadd_ps(xb, m, c);
    }
    __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(x0, x1), _mm512_add_ps(x2, x3)),
                             _mm512_add_ps(_mm512_add_ps(x4, x5), _mm512_add_ps(x6, x7)));
    s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(x8, x9), _mm512_add_ps(xa, xb)));
    sink[id] = _mm512_reduce_add_ps(s);
    return NULL;
}

static double run(int threads)
{
    pthread_t th[64];
    double t0 = now();
    for (long i = 1; i < threads; i++)
        pthread_create(&th[i], NULL, chains, (void *)i);
    chains((void *)0);
    for (int i = 1; i < threads; i++)
        pthread_join(th[i], NULL);
    return (double)threads * ITERS * 12 * 16 * 2 / (now() - t0) / 1e9;
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : 2, reps = argc > 2 ? atoi(argv[2]) : 300;
    if (threads < 1 || threads > 64)
        threads = 2;
    if (!__builtin_cpu_supports("avx512f")) {
        printf("peak no-avx512 0\n");
        return 0;
    }
    int ts[2] = { 1, threads };
    for (int k = 0; k < (threads > 1 ? 2 : 1); k++) {
        double best = 0;
        for (int r = 0; r < reps; r++) {
            double g = run(ts[k]);
            best = g > best ? g : best;
        }
        printf("peak %d %.1f\n", ts[k], best);
    }
    return 0;
}
