/* fanout.c — see fanout.h. */
#include "engine/core/fanout.h"

#include <stdint.h>

#include <pthread.h>
#include <unistd.h>

typedef struct job {
    cs_fanout_fn fn;
    void *ctx;
    int t, nt;
} job;

static void *run(void *arg)
{
    job *j = arg;
    j->fn(j->ctx, j->t, j->nt);
    return 0;
}

int cs_fanout_threads(int requested)
{
    long n = requested > 0 ? requested : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

void cs_fanout(int nt, cs_fanout_fn fn, void *ctx)
{
    if (nt > 64)
        nt = 64;
    pthread_t tid[64];
    job jobs[64];
    int started[64] = {0};
    for (int t = 1; t < nt; t++) {
        jobs[t] = (job){fn, ctx, t, nt};
        started[t] = pthread_create(&tid[t], 0, run, &jobs[t]) == 0;
    }
    fn(ctx, 0, nt < 1 ? 1 : nt);
    for (int t = 1; t < nt; t++) {
        if (started[t])
            pthread_join(tid[t], 0);
        else
            fn(ctx, t, nt);
    }
}

/* The first group that starts at or after item `want`. */
#define GROUP_AT(name, T)                                                                 \
static size_t name(const T *start, size_t n, size_t want)                                \
{                                                                                         \
    size_t lo = 0, hi = n;                                                                \
    while (lo < hi) {                                                                     \
        size_t mid = lo + (hi - lo) / 2;                                                  \
        if (start[mid] < want)                                                            \
            lo = mid + 1;                                                                 \
        else                                                                              \
            hi = mid;                                                                     \
    }                                                                                     \
    return lo;                                                                            \
}
GROUP_AT(group_at32, uint32_t)

GROUP_AT(group_at, size_t)

void cs_fanout_groups32(const uint32_t *start, size_t n, size_t total, int t, int nt, size_t *g0,
                        size_t *g1)
{
    *g0 = t == 0 ? 0 : group_at32(start, n, total * (size_t)t / (size_t)nt);
    *g1 = t + 1 == nt ? n : group_at32(start, n, total * (size_t)(t + 1) / (size_t)nt);
}

void cs_fanout_groups(const size_t *start, size_t n, size_t total, int t, int nt, size_t *g0,
                      size_t *g1)
{
    *g0 = t == 0 ? 0 : group_at(start, n, total * (size_t)t / (size_t)nt);
    *g1 = t + 1 == nt ? n : group_at(start, n, total * (size_t)(t + 1) / (size_t)nt);
}
