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

#include "fma_chains.h"

#define ITERS 1000000L   /* ~2.5 ms at peak: short enough to fit between preemptions */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

volatile float sink[64];   /* read by nobody, but the compiler must compute it */

static void *chains(void *arg)
{
    sink[(long)arg] = fma_chains(ITERS);
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
    return (double)threads * FMA_FLOPS(ITERS) / (now() - t0) / 1e9;
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
