/* livewrite.c — the live record writer of the headless commands (see livewrite.h).
 *
 * One thread per command wakes every 100 ms, reads the monitor (a copy only when it
 * changed) and rewrites the record when a new epoch finished (at most every 0.5 s) or the
 * heartbeat is due.
 * The mutex makes a write and app_live_done exclusive, so a record removed after the
 * run was saved is never written again. */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/livewrite.h"
#include "clickseq/clock.h"
#include "clickseq/live.h"
#include "clickseq/params.h"

#define LIVE_MIN_GAP_S 0.5

struct app_live {
    cs_monitor *mon;
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int quit;
    char target[1024];      /* "" when none */
    char desc[256];
    uint64_t base_run_id;   /* the monitor's run before the target's began */
    double started, last_write;
    size_t hist_written;
    cs_snapshot snap;
};

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* under w->mu: write the record when due */
static void tick(app_live *w)
{
    if (!w->target[0])
        return;
    cs_monitor_read(w->mon, &w->snap);   /* a copy only when it changed */
    int ours = w->snap.run_id != w->base_run_id;   /* the targeted run has begun */
    double t = cs_now_s();
    /* a new epoch at once, but at most one write per LIVE_MIN_GAP_S: runs of many short
     * epochs do not fsync ten times a second */
    int due = t - w->last_write >= CS_LIVE_HEARTBEAT_S || w->last_write == 0 ||
              (ours && w->snap.n_hist != w->hist_written && t - w->last_write >= LIVE_MIN_GAP_S);
    if (!due)
        return;
    cs_live_meta meta = {w->started, w->desc, CS_RUN_LOADING};
    cs_error err;
    cs_live_write(w->target, &meta, ours ? &w->snap : NULL, &err);   /* best effort */
    w->last_write = t;
    w->hist_written = ours ? w->snap.n_hist : 0;
}

static void *main_loop(void *arg)
{
    app_live *w = arg;
    pthread_mutex_lock(&w->mu);
    while (!w->quit) {
        tick(w);
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100 * 1000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&w->cv, &w->mu, &ts);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

app_live *app_live_start(cs_monitor *mon)
{
    if (!mon)
        return NULL;
    app_live *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->mon = mon;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, NULL);
    if (pthread_create(&w->th, NULL, main_loop, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        free(w);
        return NULL;
    }
    return w;
}

static void describe(const cs_run_config *c, char *out, size_t n)
{
    char hidden[64], lr[32];
    cs_param_get(c, "hidden", hidden, sizeof hidden);
    cs_param_get(c, "lr", lr, sizeof lr);
    const char *data = strrchr(c->data, '/');
    snprintf(out, n, "%s h%.30s lr %.20s batch %d seed %llu data %.80s", cs_cell_name(c->model.cell), hidden, lr,
             c->batch, (unsigned long long)c->seed, data ? data + 1 : c->data);
}

void app_live_target(app_live *w, const char *run_dir, const cs_run_config *cfg)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    if (w->target[0] && strcmp(w->target, run_dir))
        cs_live_remove(w->target);
    snprintf(w->target, sizeof w->target, "%s", run_dir);
    w->desc[0] = '\0';
    if (cfg)
        describe(cfg, w->desc, sizeof w->desc);
    w->base_run_id = cs_monitor_run_id(w->mon);
    w->started = wall_s();
    w->last_write = 0;
    w->hist_written = 0;
    tick(w);   /* the record exists from now on: a watcher sees the run while it loads */
    pthread_mutex_unlock(&w->mu);
}

void app_live_done(app_live *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->mu);
    if (w->target[0])
        cs_live_remove(w->target);
    w->target[0] = '\0';
    pthread_mutex_unlock(&w->mu);
}

void app_live_stop(app_live *w)
{
    if (!w)
        return;
    app_live_done(w);
    pthread_mutex_lock(&w->mu);
    w->quit = 1;
    pthread_cond_broadcast(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    cs_snapshot_free(&w->snap);
    free(w);
}
