/* bench_util.h — what bench_train.c and bench_infer.c share: the process's CPU clock and
 * the weight dump for their PyTorch twins. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "clickseq/model.h"

/* model_run.c's bucket(): the embedding row of an item id (the benchmarks write the rows
 * into their data files for the PyTorch twins). */
static uint32_t bucket(uint32_t id, int buckets)
{
    uint32_t x = id * 0x9E3779B1u;
    x ^= x >> 15;
    x *= 0x85EBCA77u;
    x ^= x >> 13;
    return x % (uint32_t)buckets;
}

/* CPU seconds of the whole process (every thread). */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Every tensor of m as one line "name count v1 v2 ...", %.9g (a float's round trip):
 * bench_train.c's initial weights, bench_infer.c's trained ones. */
static void bench_dump_weights(const char *path, cs_model *m)
{
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(1); }
    const float *p = cs_model_params(m);
    for (size_t t = 0; t < cs_model_ntensors(m); t++) {
        size_t off, cnt;
        const char *nm = cs_model_tensor(m, t, &off, &cnt);
        fprintf(f, "%s %zu", nm, cnt);
        for (size_t i = 0; i < cnt; i++)
            fprintf(f, " %.9g", p[off + i]);
        fputc('\n', f);
    }
    fclose(f);
}

#endif
