/* queue.c — the workbench's training queue and its jobs.
 *
 * The queue holds jobs, not runs: one run (`t`), a grid of cells (`T`, `train CELL..`,
 * `queue CELL..`) or a `:sweep`.  The worker runs one job at a time on its thread: a run
 * through cs_run_train, a grid through cs_sweep_run (its hooks give every run the
 * worker's monitor and note each ended run for this thread), both with the worker's data
 * cache, so the data file is read once for as long as its options stay the same (the
 * start-up load and `:load` fill the same cache).  On the UI thread, tui_app_poll_jobs
 * collects what ended: runs are saved (one run: here, under a free name; a grid's: by
 * cs_sweep_run under --runs), reported, and a sweep's results table (baselines included,
 * as `clickseq sweep` makes it) is written to RUNS/sweep-YYYYmmdd-HHMMSS/.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "app/cmd/sweep_cli.h"
#include "app/tui/app.h"

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ======================= the queue ======================= */
int tui_app_waiting(tui_app *a)
{
    size_t n = 0;
    for (int i = 0; i < a->nqueue; i++) n += a->queue[i].runs;
    size_t i = 0, runs = 0;
    if (a->worker.job.active) {
        char name[64];
        tui_worker_current(&a->worker, name, sizeof name, &i, &runs);   /* under its lock */
        if (runs > i + 1) n += runs - i - 1;
    }
    return (int)n;
}

static int push(tui_app *a, const tui_queued *q)
{
    if (tui_app_waiting(a) + (int)q->runs > TUI_MAX_QUEUE || a->nqueue >= TUI_MAX_QUEUE) {
        tui_app_message(a, 1, "the queue is full (%d runs)", TUI_MAX_QUEUE);
        return -1;
    }
    a->queue[a->nqueue++] = *q;
    return 0;
}

static void queued_free(tui_queued *q)
{
    if (q->kind != TUI_Q_RUN) cs_sweep_grid_free(&q->grid);
    memset(q, 0, sizeof *q);
}

void tui_app_clear_queue(tui_app *a)
{
    for (int i = 0; i < a->nqueue; i++) {
        if (a->queue[i].kind == TUI_Q_SWEEP) a->sweep.active = 0;   /* never started */
        queued_free(&a->queue[i]);
    }
    a->nqueue = 0;
}

int tui_queue_run(tui_app *a, const cs_run_config *c)
{
    tui_queued q;
    memset(&q, 0, sizeof q);
    q.kind = TUI_Q_RUN;
    q.cfg = *c;
    q.runs = 1;
    return push(a, &q);
}

/* A grid of cells on the current settings: the cell axis and the hidden size (so the runs
 * are named CELL-hHIDDEN-s1), no baselines, no table. */
int tui_queue_cells(tui_app *a, const char *const *cells, int n, int seeds)
{
    tui_queued q;
    memset(&q, 0, sizeof q);
    q.kind = TUI_Q_CELLS;
    q.cfg = a->cfg;
    q.cfg.name[0] = '\0';
    cs_sweep_grid_init(&q.grid);
    char list[256] = "", hidden[128];
    size_t len = 0;
    for (int i = 0; i < n && len < sizeof list; i++)
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s", i ? "," : "", cells[i]);
    cs_param_get(&a->cfg, "hidden", hidden, sizeof hidden);
    for (char *p = hidden; *p; p++) if (*p == ',') *p = ':';   /* a per-layer list in a grid */
    cs_error err;
    cs_status st = cs_sweep_grid_add(&q.grid, "cell", list, &err);
    if (!st) st = cs_sweep_grid_add(&q.grid, "hidden", hidden, &err);
    q.grid.seeds = seeds > 0 ? seeds : 1;
    if (!st) st = cs_sweep_grid_check(&q.grid, &q.cfg, &err);
    q.runs = st ? 0 : cs_sweep_grid_runs(&q.grid);
    if (st || push(a, &q)) {
        if (st) tui_app_message(a, 1, "%s", err.msg);
        cs_sweep_grid_free(&q.grid);
        return -1;
    }
    return 0;
}

int tui_queue_sweep(tui_app *a, cs_sweep_grid *g, const char *cmd)
{
    tui_queued q;
    memset(&q, 0, sizeof q);
    q.kind = TUI_Q_SWEEP;
    q.cfg = a->cfg;
    q.grid = *g;
    q.runs = cs_sweep_grid_runs(g);
    if (push(a, &q)) return -1;
    cs_sweep_grid_init(g);   /* taken */
    tui_sweep *s = &a->sweep;
    memset(s, 0, sizeof *s);
    s->active = 1;
    s->runs = q.runs;
    snprintf(s->cmd, sizeof s->cmd, "%s", cmd);
    time_t now = time(NULL);
    struct tm tm;
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
    snprintf(s->dir, sizeof s->dir, "%.500s/sweep-%s", a->runs_dir, stamp);
    return 0;
}

void tui_app_start_next(tui_app *a)
{
    if (a->worker.job.active || a->nqueue == 0) return;
    tui_queued q = a->queue[0];
    memmove(a->queue, a->queue + 1, (size_t)(a->nqueue - 1) * sizeof a->queue[0]);
    a->nqueue--;
    if (a->pending_cache) {   /* a `:load` finished while the worker was busy: its data now */
        cs_data_cache_free(a->worker.cache);
        a->worker.cache = a->pending_cache;
        a->pending_cache = NULL;
    }
    cs_snapshot_free(&a->snap);
    a->have_snap = 0;
    a->job_kind = q.kind;
    int rc;
    if (q.kind == TUI_Q_RUN) {
        rc = tui_worker_train(&a->worker, &q.cfg);
    } else {
        if (q.kind == TUI_Q_SWEEP) a->sweep.t0 = wall_s();
        rc = tui_worker_sweep(&a->worker, &q.cfg, &q.grid, a->runs_dir, q.kind == TUI_Q_SWEEP);
        if (rc) cs_sweep_grid_free(&q.grid);
    }
    if (rc != 0) {
        tui_app_message(a, 1, "cannot start the training thread");
        if (q.kind == TUI_Q_SWEEP) a->sweep.active = 0;
    }
}

/* ======================= what ended ======================= */
static void keep_last(tui_app *a, tui_run *run)
{
    if (a->have_last) tui_run_free(&a->last);
    a->last = *run;
    a->have_last = 1;
    memset(run, 0, sizeof *run);
}

static void report_saved(tui_app *a, const char *name, int stopped, const cs_metrics *m, int best)
{
    tui_app_message(a, 0, "%s %s: saved %s/%s  (F1 %.3f, PR-AUC %.3f at epoch %d)", name,
                    stopped ? "stopped" : "done", a->runs_dir, name, m->f1, m->pr_auc, best);
}

/* One run (cs_run_train) ended: save it under a free name, report it, keep it as the last
 * run (with its model, for `:save NAME`). */
static void finish_one(tui_app *a)
{
    tui_worker *w = &a->worker;
    /* a diverged run keeps its finished epochs and last good weights: saved like any other */
    int diverged = w->job.status == CS_ERUNTIME && w->trained.trained &&
                   w->trained.res.status == CS_STATUS_DIVERGED;
    if (w->job.status != CS_OK && !diverged) {
        tui_app_message(a, 1, "run failed: %s", w->job.err.msg);
        cs_trained_free(&w->trained);
        return;
    }
    if (a->quit_discard) {   /* quit without saving (the quit prompt's d) */
        tui_app_message(a, 0, "the run in progress was not saved");
        cs_trained_free(&w->trained);
        return;
    }
    int fail_epoch = w->trained.res.fail_epoch;
    long fail_batch = w->trained.res.fail_batch;
    int interrupted = w->trained.res.status == CS_STATUS_INTERRUPTED;
    tui_run run;
    if (tui_run_of_trained(&run, &w->trained)) {
        tui_app_message(a, 1, "run failed: out of memory");
        return;
    }
    if (run.n_hist == 0) {
        if (diverged)
            tui_app_message(a, 1, "%s diverged at epoch 1, batch %ld, before any epoch finished: "
                            "nothing to keep (try a lower lr or clip)", run.name, fail_batch);
        else
            tui_app_message(a, 0, "%s stopped before the first epoch: not saved", run.name);
        tui_run_free(&run);
        return;
    }
    cs_error err;
    if (tui_runs_save(a->runs_dir, &run, &err) != CS_OK)
        tui_app_message(a, 1, "cannot save the run: %s", err.msg);
    else if (diverged)
        tui_app_message(a, 1, "%s diverged at epoch %d, batch %ld: saved %s/%s with its %zu finished "
                        "epochs and the last good weights (status diverged); try a lower lr or clip",
                        run.name, fail_epoch, fail_batch, a->runs_dir, run.name, run.n_hist);
    else if (interrupted)
        tui_app_message(a, 0, "%s interrupted: saved %s/%s (%zu epochs)", run.name, a->runs_dir,
                        run.name, run.n_hist);
    else
        report_saved(a, run.name, run.stopped, &run.test, run.best_epoch);
    keep_last(a, &run);
    tui_app_refresh_runs(a);
}

/* Runs of a grid that ended (saved by cs_sweep_run): report them, the last one becomes the
 * last run (by name: its model is not kept). */
static int drain_done(tui_app *a)
{
    tui_run_done d[TUI_DONE_MAX];
    size_t n = tui_worker_take_done(&a->worker, d, TUI_DONE_MAX);
    for (size_t k = 0; k < n; k++) {
        if (d[k].status != CS_OK) {
            tui_app_message(a, 1, "run failed: %s%s%s", d[k].msg, d[k].dir[0] ? "; saved as " : "",
                            d[k].dir);
            if (d[k].dir[0]) tui_app_refresh_runs(a);   /* a diverged run is kept */
            continue;
        }
        const char *base = strrchr(d[k].dir, '/');
        tui_run run;
        memset(&run, 0, sizeof run);
        snprintf(run.name, sizeof run.name, "%.63s", d[k].dir[0] ? (base ? base + 1 : d[k].dir) : d[k].name);
        run.test = d[k].test;
        run.best_epoch = d[k].best_epoch;
        run.stopped = d[k].stopped;
        run.nparams = d[k].nparams;
        run.seconds = d[k].seconds;
        if (d[k].dir[0]) report_saved(a, run.name, run.stopped, &run.test, run.best_epoch);
        if (a->job_kind == TUI_Q_SWEEP && d[k].i < a->sweep.runs) a->sweep.finished++;
        keep_last(a, &run);
    }
    if (n) tui_app_refresh_runs(a);
    return n > 0;
}

/* The :sweep's job ended (done, stopped or failed): its table, from the rows it has. */
static void finish_sweep(tui_app *a)
{
    tui_sweep *s = &a->sweep;
    tui_worker *w = &a->worker;
    cs_error err;
    if (w->job.status != CS_OK && w->job.status != CS_ECANCEL)
        tui_app_message(a, 1, "sweep: %s", w->job.err.msg);
    else if (s->finished == 0)
        tui_app_message(a, 1, "sweep: no run finished, no results table");
    else if (mkdir(a->runs_dir, 0777) != 0 && errno != EEXIST)
        tui_app_message(a, 1, "sweep: cannot create %s: %s", a->runs_dir, strerror(errno));
    else if (mkdir(s->dir, 0777) != 0 && errno != EEXIST)
        tui_app_message(a, 1, "sweep: cannot create %s: %s", s->dir, strerror(errno));
    else if (sweep_write_tables(&w->res, s->dir, "Sweep results (workbench)", s->cmd,
                                wall_s() - s->t0, -1, &err) != CS_OK)
        tui_app_message(a, 1, "sweep: %s", err.msg);
    else {
        const char *base = strrchr(s->dir, '/');
        tui_app_message(a, 0, "sweep %s (%zu/%zu runs): table %s/results.md (.csv) in %s",
                        s->finished < s->runs ? "stopped" : "done", s->finished, s->runs,
                        base ? base + 1 : s->dir, a->runs_dir);
    }
    cs_results_free(&w->res);
    s->active = 0;
}

static void finish_job(tui_app *a)
{
    drain_done(a);
    if (a->job_kind == TUI_Q_RUN) finish_one(a);
    else if (a->job_kind == TUI_Q_SWEEP) finish_sweep(a);
    else {
        if (a->worker.job.status != CS_OK && a->worker.job.status != CS_ECANCEL)
            tui_app_message(a, 1, "run failed: %s", a->worker.job.err.msg);
        cs_results_free(&a->worker.res);
    }
}

int tui_app_poll_jobs(tui_app *a)
{
    int r = 0;
    if (tui_worker_poll(&a->worker, &a->snap)) { a->have_snap = 1; r |= TUI_JOB_LIVE; }
    if (drain_done(a)) r |= TUI_JOB_CHANGED;
    if (a->loader.job.active) r |= TUI_JOB_LIVE;   /* its progress: redrawn every 100 ms */
    if (tui_job_collect(&a->loader.job)) { tui_app_finish_load(a); r |= TUI_JOB_CHANGED; }
    if (tui_early_collect_job(a)) r |= TUI_JOB_CHANGED;
    if (tui_worker_collect(&a->worker)) {
        if (tui_worker_poll(&a->worker, &a->snap)) a->have_snap = 1;
        finish_job(a);
        tui_app_start_next(a);
        r |= TUI_JOB_CHANGED | TUI_JOB_ENDED;
    }
    return r;
}

void tui_app_stop_jobs(tui_app *a)
{
    tui_app_clear_queue(a);
    if (a->worker.job.active) {
        tui_worker_resume(&a->worker);
        tui_worker_stop(&a->worker);   /* an interrupt asked for before stays one */
        /* collect it as the loop does (joining it here first left nothing to collect: the
         * run was never saved); the stopped run saved, a sweep's table of what finished */
        while (a->worker.job.active) {
            tui_app_poll_jobs(a);
            struct timespec ts = {0, 10 * 1000000L};
            if (a->worker.job.active) nanosleep(&ts, NULL);
        }
    }
    tui_loader_cancel(&a->loader);   /* quitting mid-load: stop reading (at the next block) */
    tui_job_wait(&a->loader.job);
}

/* ======================= loading ======================= */
/* The warning for data whose sessions are all of one class (nothing to tell apart). */
static int one_class_warning(const tui_app *a, char *b, size_t n)
{
    const tui_data_info *d = &a->data;
    const char *slash = strrchr(a->cfg.data, '/');
    const char *file = slash ? slash + 1 : a->cfg.data;
    if (d->sessions == 0)
        return 0;
    if (d->positives == 0 && (d->clicks_only || a->cfg.format == CS_FMT_YOOCHOOSE))
        snprintf(b, n, "no purchases found: yoochoose clicks need their buys file: :load %s yoochoose buys.csv", file);
    else if (d->positives == 0)
        snprintf(b, n, "no purchases found in %s: name the outcomes (:load FILE FORMAT OUTCOMES) or "
                       "purchase-event=VALUE", file);
    else if (d->positives == d->sessions)
        snprintf(b, n, "every session of %s is a purchase: no negatives to tell apart", file);
    else
        return 0;
    return 1;
}

/* A load finished (the start-up load or a `:load`): adopt its data (the worker's cache,
 * now or when the running job ends) and, for a `:load`, the settings it was loaded with
 * (the reading options, the view, the cell: settings changed meanwhile with :set stay);
 * the previous run's curves and confusion matrix go (unless a run still trains). */
void tui_app_finish_load(tui_app *a)
{
    tui_loader *l = &a->loader;
    if (l->job.status != CS_OK) {
        if (l->job.status == CS_ECANCEL)
            tui_app_message(a, 0, "load cancelled: %s%s", l->cfg.data,
                            a->data_ok ? " (the data loaded before stays)" : " (no data: :load FILE)");
        else
            tui_app_message(a, 1, "%s", l->job.err.msg);
        a->train_after_load = 0;
        return;
    }
    for (int i = 0; !l->first && i < l->n_adopt; i++) {
        char v[2048];
        cs_param_get(&l->cfg, l->adopt[i], v, sizeof v);
        cs_param_set(&a->cfg, l->adopt[i], v, NULL);
    }
    /* the start-up load of a features table (found by its label column): the header and
     * the form show the view the data has */
    if (l->first && l->info.shape_view == CS_VIEW_FEATURES && a->cfg.ds.view != CS_VIEW_FEATURES)
        cs_param_set(&a->cfg, "view", "features", NULL);
    a->data = l->info;
    a->data_ok = 1;
    tui_eng_use_data(&a->data);
    cs_data_cache_free(a->pending_cache);
    a->pending_cache = l->cache;
    l->cache = NULL;
    if (!a->worker.job.active) {
        cs_data_cache_free(a->worker.cache);
        a->worker.cache = a->pending_cache;
        a->pending_cache = NULL;
        if (!l->first) {   /* the panes of the previous data's run */
            cs_snapshot_free(&a->snap);
            a->have_snap = 0;
        }
    }
    char warn[400];
    double rate = a->data.sessions ? 100.0 * (double)a->data.positives / (double)a->data.sessions : 0;
    if (one_class_warning(a, warn, sizeof warn))
        tui_app_message(a, 1, "%s", warn);
    else if (l->first) {   /* a message said meanwhile (the settings file, RUN|DIR...) stays */
        if (!a->msg[0])
            tui_app_message(a, 0, "%s: %ld sessions.  t trains, ? shows the keys", a->data.name, a->data.sessions);
    } else
        tui_app_message(a, 0, "loaded %s: %ld sessions, %.1f%% buy%s%s%s", a->data.name, a->data.sessions, rate,
                        l->note[0] ? " (reset for this data: " : "", l->note, l->note[0] ? ")" : "");
    if (a->train_after_load) {
        a->train_after_load = 0;
        tui_exec_line(a, "train");
    }
}
