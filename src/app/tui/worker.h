/* worker.h — the workbench's long operations as jobs on threads.
 *
 * One job type (tui_job: a function run on a pthread, joined by the UI thread once it has
 * finished, never waited for otherwise) serves every long operation: training (one run,
 * or a grid of runs through cs_sweep_run), reading a data file (`:load`) and an
 * early-prediction curve (`:early`).  Only the UI thread calls these functions; a job's
 * thread calls only the engine and the hooks below.
 */
#ifndef CLICKSEQ_TUI_WORKER_H
#define CLICKSEQ_TUI_WORKER_H

#include <pthread.h>
#include <stdatomic.h>

#include "app/tui/engine.h"
#include "clickseq/sweep.h"

/* ---- one job ---- */
typedef cs_status (*tui_job_fn)(void *arg, cs_error *err);
typedef struct tui_job {
    pthread_t th;
    int active;               /* started and not yet joined */
    atomic_int finished;      /* set by the thread as its last action */
    tui_job_fn fn;
    void *arg;
    cs_status status;         /* fn's, valid after tui_job_collect */
    cs_error err;
} tui_job;
/* Run fn(arg) on a thread.  Returns 0, or -1 when the job is active or no thread starts. */
int tui_job_start(tui_job *j, tui_job_fn fn, void *arg);
/* If the job has finished, join it and return 1 (outcome in status/err); never blocks. */
int tui_job_collect(tui_job *j);
/* Join the job if active (at exit). */
void tui_job_wait(tui_job *j);

/* ---- training: one run, or a grid ---- */
/* A run of a grid that ended (written by the sweep's end hook, read by the UI). */
typedef struct tui_run_done {
    size_t i;                 /* its index in the grid (after the grid: the baselines) */
    char name[64];
    char dir[600];            /* where it was saved, "" when not */
    cs_status status;
    char msg[256];            /* the error when status != CS_OK */
    cs_metrics test;
    int best_epoch, stopped;
    size_t nparams;
    double seconds;
} tui_run_done;

#define TUI_DONE_MAX 32
typedef struct tui_worker {
    tui_job job;
    cs_monitor *mon;          /* one for the worker: each run clears it as it begins */
    cs_data_cache *cache;     /* the loaded data, reused while its options stay the same;
                                 used by the job's thread while a job runs, by the UI
                                 thread only between jobs */
    /* the work, set by tui_worker_train / tui_worker_sweep */
    cs_run_config cfg;        /* the run, or a grid's base */
    int grid_job;             /* 1: the grid below through cs_sweep_run */
    cs_sweep_grid grid;       /* owned while grid_job */
    cs_sweep_opts opts;
    char out_dir[512];
    /* outcomes */
    cs_trained trained;       /* one run (the caller takes it after collecting) */
    cs_results res;           /* a grid's results table (the caller frees it) */
    atomic_int cancel;        /* stop a grid after the current run */
    /* written by the job's hooks, read by the UI thread: under mu */
    pthread_mutex_t mu;
    int mu_ok;
    cs_run_config cur;        /* the run training now */
    size_t cur_i, n_runs;     /* its index in the grid, runs of the grid (1 for one run) */
    tui_run_done done[TUI_DONE_MAX];
    size_t n_done, lost_done; /* ended runs not collected yet; notices dropped (full) */
} tui_worker;

/* Create the worker's monitor and data cache.  Returns 0, or -1 when out of memory. */
int tui_worker_init(tui_worker *w);
/* Stop and join a job in progress, free everything (at exit). */
void tui_worker_shutdown(tui_worker *w);
/* Start training cfg (cs_run_train with the worker's cache; not saved: the UI saves it). */
int tui_worker_train(tui_worker *w, const cs_run_config *cfg);
/* Start the grid g (taken: the worker frees it) on base through cs_sweep_run, runs saved
 * under out_dir, with the baselines when baselines is set.  Returns 0, or -1. */
int tui_worker_sweep(tui_worker *w, const cs_run_config *base, cs_sweep_grid *g,
                     const char *out_dir, int baselines);
int tui_worker_active(const tui_worker *w);
/* Copy the latest snapshot (1 if it changed). */
int tui_worker_poll(tui_worker *w, cs_snapshot *snap);
void tui_worker_pause(tui_worker *w);
void tui_worker_resume(tui_worker *w);
/* Stop the run in progress (saved as stopped) and, for a grid, the runs after it. */
void tui_worker_stop(tui_worker *w);
/* The same because of a signal or a closed terminal: the run is saved as interrupted. */
void tui_worker_interrupt(tui_worker *w);
/* The name of the run training now ("" when none); its index and the grid's runs. */
void tui_worker_current(tui_worker *w, char *name, size_t n, size_t *i, size_t *runs);
/* Move the grid's ended runs to out (at most max); returns how many. */
size_t tui_worker_take_done(tui_worker *w, tui_run_done *out, size_t max);
/* 1 once the job has finished and was joined (w->job.status, w->trained or w->res hold
 * the outcome); never blocks. */
int tui_worker_collect(tui_worker *w);

/* ---- reading a data file (the start-up load and `:load`) ---- */
/* The load reports its progress through the engine's callback (cs_load_opts.progress, on
 * the job's thread) into the atomics below, which the UI thread reads to draw bytes read /
 * total, percent, rows/s and ETA; tui_loader_cancel makes the next callback stop the load
 * (CS_ECANCEL).  The callback covers reading the file; grouping the sessions afterwards
 * (parsed == 1, not cancellable) is reported as such. */
typedef struct tui_loader {
    tui_job job;
    cs_run_config cfg;        /* data, format, view to load */
    cs_data_cache *cache;     /* the loaded data (the caller takes it) */
    tui_data_info info;       /* its summary */
    int first;                /* the start-up load: the settings stay as they are */
    /* `:load`: the parameters taken from cfg into the workbench's settings when it has
     * loaded (the reading options, the view, the cell), and what that reset */
    char adopt[24][24];
    int n_adopt;
    char note[400];
    double t0;                /* when it started (cs_now_s, UI thread) */
    atomic_size_t bytes_done, bytes_total;
    atomic_long rows;
    atomic_int parsed;        /* the file is read: sessions are being built */
    atomic_int cancel;
} tui_loader;
/* A snapshot of a load in progress (UI thread). */
typedef struct tui_load_progress {
    size_t bytes_done, bytes_total;
    long rows;
    int parsed;
    double elapsed_s, rows_per_s, eta_s;   /* eta_s < 0: not known yet */
} tui_load_progress;
int tui_loader_start(tui_loader *l, const cs_run_config *cfg);
void tui_loader_progress(const tui_loader *l, double now, tui_load_progress *p);
/* Ask the load in progress to stop (it ends with CS_ECANCEL). */
void tui_loader_cancel(tui_loader *l);

/* ---- early prediction (`:early`) ---- */
/* It loads the data again and evaluates every prefix, which takes seconds on a large file;
 * the engine lets it run beside a training run (one of them uses the kernels' pool). */
#define TUI_EARLY_MAXK 100
typedef struct tui_early_job {
    tui_job job;
    char dir[512], name[TUI_RUN_REF];  /* the run: dir/name, or the path name (tui_run_path) */
    int k_max;
    cs_early_point pts[TUI_EARLY_MAXK];   /* the result: k = 1..k_max */
} tui_early_job;
int tui_early_start(tui_early_job *j, const char *dir, const char *name, int k_max);

#endif
