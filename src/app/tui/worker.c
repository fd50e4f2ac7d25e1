/* worker.c — the training thread (see worker.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/tui/worker.h"

static void *worker_main(void *arg)
{
    tui_worker *w = arg;
    cs_error_clear(&w->err);
    w->status = tui_eng_train(&w->cfg, w->mon, &w->run, &w->err);
    atomic_store(&w->finished, 1);
    return NULL;
}

int tui_worker_start(tui_worker *w, const cs_run_config *cfg)
{
    if (w->active)
        return -1;
    memset(&w->run, 0, sizeof w->run);
    w->cfg = *cfg;
    atomic_store(&w->finished, 0);
    /* a fresh monitor per run, so the snapshot starts empty */
    tui_mon_free(w->mon);
    if (!(w->mon = tui_mon_new()))
        return -1;
    if (pthread_create(&w->th, NULL, worker_main, w) != 0)
        return -1;
    w->active = 1;
    return 0;
}

int tui_worker_poll(tui_worker *w, cs_snapshot *snap)
{
    return w->mon ? tui_mon_read(w->mon, snap) : 0;
}

void tui_worker_pause(tui_worker *w) { if (w->active) tui_mon_pause(w->mon); }
void tui_worker_resume(tui_worker *w) { if (w->active) tui_mon_resume(w->mon); }
void tui_worker_stop(tui_worker *w) { if (w->active) tui_mon_stop(w->mon); }

int tui_worker_collect(tui_worker *w)
{
    if (!w->active || !atomic_load(&w->finished))
        return 0;
    pthread_join(w->th, NULL);
    w->active = 0;
    return 1;
}

void tui_worker_shutdown(tui_worker *w)
{
    if (w->active) {
        tui_mon_resume(w->mon);
        tui_mon_stop(w->mon);
        pthread_join(w->th, NULL);
        w->active = 0;
        tui_run_free(&w->run);
    }
    tui_mon_free(w->mon);
    w->mon = NULL;
}

static void *loader_main(void *arg)
{
    tui_loader *l = arg;
    cs_error_clear(&l->err);
    l->status = tui_eng_data_load(&l->cfg, &l->info, &l->err);
    atomic_store(&l->finished, 1);
    return NULL;
}

int tui_loader_start(tui_loader *l, const cs_run_config *cfg)
{
    if (l->active)
        return -1;
    l->cfg = *cfg;
    atomic_store(&l->finished, 0);
    if (pthread_create(&l->th, NULL, loader_main, l) != 0)
        return -1;
    l->active = 1;
    return 0;
}

int tui_loader_collect(tui_loader *l)
{
    if (!l->active || !atomic_load(&l->finished))
        return 0;
    pthread_join(l->th, NULL);
    l->active = 0;
    return 1;
}

void tui_loader_shutdown(tui_loader *l)
{
    if (l->active) {
        pthread_join(l->th, NULL);
        l->active = 0;
    }
}

static void *early_main(void *arg)
{
    tui_early_job *j = arg;
    cs_error_clear(&j->err);
    j->status = tui_eng_early(j->dir, j->name, j->k_max, j->pts, &j->err);
    atomic_store(&j->finished, 1);
    return NULL;
}

int tui_early_start(tui_early_job *j, const char *dir, const char *name, int k_max)
{
    if (j->active || k_max < 1 || k_max > TUI_EARLY_MAXK)
        return -1;
    snprintf(j->dir, sizeof j->dir, "%s", dir);
    snprintf(j->name, sizeof j->name, "%s", name);
    j->k_max = k_max;
    atomic_store(&j->finished, 0);
    if (pthread_create(&j->th, NULL, early_main, j) != 0)
        return -1;
    j->active = 1;
    return 0;
}

int tui_early_collect(tui_early_job *j)
{
    if (!j->active || !atomic_load(&j->finished))
        return 0;
    pthread_join(j->th, NULL);
    j->active = 0;
    return 1;
}

void tui_early_shutdown(tui_early_job *j)
{
    if (j->active) {   /* no cancel flag in early.h: wait for it */
        pthread_join(j->th, NULL);
        j->active = 0;
    }
}
