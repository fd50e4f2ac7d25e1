/* fanout.c — see fanout.h. */
#include "engine/core/fanout.h"

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
