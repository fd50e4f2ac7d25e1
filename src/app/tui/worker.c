/* worker.c — jobs on threads (see worker.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/tui/worker.h"
#include "clickseq/clock.h"
#include "clickseq/kernels.h"

/* ======================= one job ======================= */
static void *job_main(void *arg)
{
    tui_job *j = arg;
    cs_error_clear(&j->err);
    j->status = j->fn(j->arg, &j->err);
    atomic_store(&j->finished, 1);
    return NULL;
}

int tui_job_start(tui_job *j, tui_job_fn fn, void *arg)
{
    if (j->active)
        return -1;
    j->fn = fn;
    j->arg = arg;
    j->status = CS_OK;
    atomic_store(&j->finished, 0);
    if (pthread_create(&j->th, NULL, job_main, j) != 0)
        return -1;
    j->active = 1;
    return 0;
}

int tui_job_collect(tui_job *j)
{
    if (!j->active || !atomic_load(&j->finished))
        return 0;
    pthread_join(j->th, NULL);
    j->active = 0;
    return 1;
}

void tui_job_wait(tui_job *j)
{
    if (j->active) {
        pthread_join(j->th, NULL);
        j->active = 0;
    }
}

/* ======================= training ======================= */
int tui_worker_init(tui_worker *w)
{
    memset(w, 0, sizeof *w);
    w->mon = cs_monitor_new();
    w->cache = cs_data_cache_new();
    w->mu_ok = pthread_mutex_init(&w->mu, NULL) == 0;
    return w->mon && w->cache && w->mu_ok ? 0 : -1;
}

void tui_worker_shutdown(tui_worker *w)
{
    if (w->job.active) {
        tui_worker_resume(w);
        tui_worker_stop(w);
        tui_job_wait(&w->job);
    }
    if (w->grid_job) cs_sweep_grid_free(&w->grid);
    cs_results_free(&w->res);
    cs_trained_free(&w->trained);
    cs_monitor_free(w->mon);
    cs_data_cache_free(w->cache);
    if (w->mu_ok) pthread_mutex_destroy(&w->mu);
    memset(w, 0, sizeof *w);
}

static void set_current(tui_worker *w, const cs_run_config *cfg, size_t i, size_t n)
{
    pthread_mutex_lock(&w->mu);
    w->cur = *cfg;
    w->cur_i = i;
    w->n_runs = n;
    pthread_mutex_unlock(&w->mu);
}

/* One run: cs_run_train with the cache; the UI thread saves it (under a free name). */
static cs_status train_one(void *arg, cs_error *err)
{
    tui_worker *w = arg;
    cs_run_opts ro = {w->cache, w->mon, NULL, NULL, NULL, NULL, NULL, NULL};
    cs_set_threads(cs_threads_resolve(w->cfg.threads));   /* the engine leaves it to us */
    return cs_run_train(&w->cfg, &ro, &w->trained, err);
}

/* The sweep's hooks: every run on the worker's monitor; each ended run noted for the UI. */
static cs_monitor *on_begin(void *ud, size_t i, size_t n, const cs_run_config *cfg)
{
    tui_worker *w = ud;
    set_current(w, cfg, i, n);
    return w->mon;
}

static void on_end(void *ud, size_t i, size_t n, const cs_run_config *cfg,
                   const cs_train_result *res, cs_status st, const cs_error *err)
{
    (void)n;
    tui_worker *w = ud;
    tui_run_done d;
    memset(&d, 0, sizeof d);
    d.i = i;
    snprintf(d.name, sizeof d.name, "%s", cfg->name);
    d.status = st;
    if (st || !res) {
        snprintf(d.msg, sizeof d.msg, "%.255s", err ? err->msg : "failed");
        /* a diverged run is saved all the same: its row (this run's, if the data loaded)
         * says where */
        const char *run = w->res.n ? w->res.rows[w->res.n - 1].run : "";
        const char *base = strrchr(run, '/');
        if (run[0] && base && !strncmp(base + 1, cfg->name, strlen(cfg->name)) &&
            !strcmp(w->res.rows[w->res.n - 1].status, "diverged"))
            snprintf(d.dir, sizeof d.dir, "%s", run);
    } else {
        d.test = res->test;
        d.best_epoch = res->best_epoch;
        d.stopped = res->stopped;
        d.nparams = res->model ? cs_model_nparams(res->model) : 0;
        d.seconds = res->seconds;
        /* the row cs_sweep_run has just added (on this thread) says where the run went */
        if (w->res.n) snprintf(d.dir, sizeof d.dir, "%s", w->res.rows[w->res.n - 1].run);
    }
    pthread_mutex_lock(&w->mu);
    if (w->n_done < TUI_DONE_MAX) w->done[w->n_done++] = d;
    else w->lost_done++;
    pthread_mutex_unlock(&w->mu);
}

static int on_cancelled(void *ud)
{
    tui_worker *w = ud;
    return atomic_load(&w->cancel);
}

static cs_status train_grid(void *arg, cs_error *err)
{
    tui_worker *w = arg;
    cs_sweep_hooks h = {w, on_begin, on_end, on_cancelled};
    cs_set_threads(cs_threads_resolve(w->cfg.threads));   /* once for the grid */
    return cs_sweep_run(&w->cfg, &w->grid, &w->opts, &h, &w->res, err);
}

static int start(tui_worker *w, tui_job_fn fn, size_t runs)
{
    atomic_store(&w->cancel, 0);
    cs_trained_free(&w->trained);
    cs_results_free(&w->res);
    memset(&w->res, 0, sizeof w->res);
    w->n_done = w->lost_done = 0;
    set_current(w, &w->cfg, 0, runs);
    return tui_job_start(&w->job, fn, w);
}

int tui_worker_train(tui_worker *w, const cs_run_config *cfg)
{
    if (w->job.active) return -1;
    w->cfg = *cfg;
    w->grid_job = 0;
    return start(w, train_one, 1);
}

int tui_worker_sweep(tui_worker *w, const cs_run_config *base, cs_sweep_grid *g,
                     const char *out_dir, int baselines)
{
    if (w->job.active) return -1;
    if (w->grid_job) cs_sweep_grid_free(&w->grid);
    w->cfg = *base;
    w->grid = *g;                 /* taken */
    cs_sweep_grid_init(g);
    w->grid_job = 1;
    snprintf(w->out_dir, sizeof w->out_dir, "%s", out_dir);
    memset(&w->opts, 0, sizeof w->opts);
    w->opts.out_dir = w->out_dir;
    w->opts.baselines = baselines;
    w->opts.cache = w->cache;        /* the data loaded already: not read again */
    w->opts.unique_names = 1;        /* a name taken in the runs directory: NAME-2 ... */
    return start(w, train_grid, cs_sweep_grid_runs(&w->grid));
}

int tui_worker_active(const tui_worker *w) { return w->job.active; }

int tui_worker_poll(tui_worker *w, cs_snapshot *snap)
{
    return w->mon ? cs_monitor_read(w->mon, snap) : 0;
}

void tui_worker_pause(tui_worker *w) { if (w->job.active) cs_monitor_pause(w->mon); }
void tui_worker_resume(tui_worker *w) { if (w->job.active) cs_monitor_resume(w->mon); }
void tui_worker_interrupt(tui_worker *w)
{
    if (!w->job.active) return;
    atomic_store(&w->cancel, 1);
    cs_monitor_interrupt(w->mon);
}

void tui_worker_stop(tui_worker *w)
{
    if (!w->job.active) return;
    atomic_store(&w->cancel, 1);
    cs_monitor_stop(w->mon);
}

void tui_worker_current(tui_worker *w, char *name, size_t n, size_t *i, size_t *runs)
{
    if (!w->mu_ok) { if (n) name[0] = '\0'; return; }
    pthread_mutex_lock(&w->mu);
    if (w->cur.name[0]) snprintf(name, n, "%s", w->cur.name);
    else snprintf(name, n, "%s-h%d", cs_cell_name(w->cur.model.cell), w->cur.model.hidden[0]);
    if (i) *i = w->cur_i;
    if (runs) *runs = w->n_runs;
    pthread_mutex_unlock(&w->mu);
}

size_t tui_worker_take_done(tui_worker *w, tui_run_done *out, size_t max)
{
    if (!w->mu_ok) return 0;
    pthread_mutex_lock(&w->mu);
    size_t k = w->n_done < max ? w->n_done : max;
    memcpy(out, w->done, k * sizeof *out);
    memmove(w->done, w->done + k, (w->n_done - k) * sizeof *out);
    w->n_done -= k;
    pthread_mutex_unlock(&w->mu);
    return k;
}

int tui_worker_collect(tui_worker *w)
{
    if (!tui_job_collect(&w->job)) return 0;
    if (w->grid_job) {
        cs_sweep_grid_free(&w->grid);
        w->grid_job = 0;
    }
    return 1;
}

/* ======================= loading a data file ======================= */
/* cs_load_opts.progress, on the job's thread: publish, and stop when asked to. */
static int on_load_progress(void *ctx, const cs_load_progress *p)
{
    tui_loader *l = ctx;
    atomic_store(&l->bytes_total, p->bytes_total);
    atomic_store(&l->bytes_done, p->bytes_done);
    atomic_store(&l->rows, p->rows);
    if (p->bytes_total && p->bytes_done >= p->bytes_total) atomic_store(&l->parsed, 1);
    return atomic_load(&l->cancel);
}

static cs_status load_main(void *arg, cs_error *err)
{
    tui_loader *l = arg;
    cs_data_cache_set_progress(l->cache, on_load_progress, l);
    cs_status st = tui_eng_data_load(l->cache, &l->cfg, &l->info, err);
    cs_data_cache_set_progress(l->cache, NULL, NULL);   /* later loads by the worker: none */
    if (st == CS_ECANCEL)
        cs_error_fmt(err, CS_ECANCEL, "load cancelled: %s", l->cfg.data);
    return st;
}

int tui_loader_start(tui_loader *l, const cs_run_config *cfg)
{
    if (l->job.active)
        return -1;
    l->cfg = *cfg;
    cs_data_cache_free(l->cache);
    if (!(l->cache = cs_data_cache_new()))
        return -1;
    l->t0 = cs_now_s();
    atomic_store(&l->bytes_done, 0);
    atomic_store(&l->bytes_total, 0);
    atomic_store(&l->rows, 0);
    atomic_store(&l->parsed, 0);
    atomic_store(&l->cancel, 0);
    return tui_job_start(&l->job, load_main, l);
}

void tui_loader_progress(const tui_loader *l, double now, tui_load_progress *p)
{
    memset(p, 0, sizeof *p);
    p->bytes_done = atomic_load(&l->bytes_done);
    p->bytes_total = atomic_load(&l->bytes_total);
    p->rows = atomic_load(&l->rows);
    p->parsed = atomic_load(&l->parsed);
    p->elapsed_s = now - l->t0 > 0 ? now - l->t0 : 0;
    p->rows_per_s = p->elapsed_s > 0.05 ? (double)p->rows / p->elapsed_s : 0;
    p->eta_s = -1;
    /* after a tenth of a second and 1 % of the file the rate says something */
    if (p->bytes_total && p->bytes_done * 100 >= p->bytes_total && p->elapsed_s > 0.1)
        p->eta_s = p->elapsed_s * (double)(p->bytes_total - p->bytes_done) / (double)p->bytes_done;
}

void tui_loader_cancel(tui_loader *l)
{
    if (l->job.active) atomic_store(&l->cancel, 1);
}

/* ======================= :early ======================= */
static cs_status early_main(void *arg, cs_error *err)
{
    tui_early_job *j = arg;
    return tui_eng_early(j->dir, j->name, j->k_max, j->pts, err);
}

int tui_early_start(tui_early_job *j, const char *dir, const char *name, int k_max)
{
    if (j->job.active || k_max < 1 || k_max > TUI_EARLY_MAXK)
        return -1;
    snprintf(j->dir, sizeof j->dir, "%s", dir);
    snprintf(j->name, sizeof j->name, "%s", name);
    j->k_max = k_max;
    return tui_job_start(&j->job, early_main, j);
}
