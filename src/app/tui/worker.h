/* worker.h — one training run on a pthread.  The UI thread starts it, reads snapshots
 * through the monitor (never blocking on the trainer), and collects the finished run.
 * Only the UI thread calls these functions; the thread itself calls only the engine. */
#ifndef CLICKSEQ_TUI_WORKER_H
#define CLICKSEQ_TUI_WORKER_H

#include <pthread.h>
#include <stdatomic.h>

#include "app/tui/engine.h"

typedef struct tui_worker {
    pthread_t th;
    int active;              /* a thread was started and not yet joined */
    atomic_int finished;     /* set by the thread as its last action */
    tui_mon *mon;
    cs_run_config cfg;
    tui_run run;             /* the result, valid after tui_worker_collect */
    cs_status status;
    cs_error err;
} tui_worker;

/* Start training cfg.  Returns 0, or -1 when a run is active or out of memory. */
int tui_worker_start(tui_worker *w, const cs_run_config *cfg);
/* Copy the latest snapshot (1 if it changed). */
int tui_worker_poll(tui_worker *w, cs_snapshot *snap);
void tui_worker_pause(tui_worker *w);
void tui_worker_resume(tui_worker *w);
void tui_worker_stop(tui_worker *w);
/* If the thread has finished, join it and return 1 (w->run, w->status, w->err hold
 * the outcome; the caller takes w->run).  Never blocks otherwise. */
int tui_worker_collect(tui_worker *w);
/* Stop and join (at exit). */
void tui_worker_shutdown(tui_worker *w);

/* Loading a data file for its summary (`:load`), on its own thread so the screen stays
 * live while a large file is read. */
typedef struct tui_loader {
    pthread_t th;
    int active;
    atomic_int finished;
    cs_run_config cfg;       /* data, format, view to load */
    tui_data_info info;      /* the result */
    cs_status status;
    cs_error err;
} tui_loader;
int tui_loader_start(tui_loader *l, const cs_run_config *cfg);
/* Join and return 1 once the load has finished (outcome in l); never blocks otherwise. */
int tui_loader_collect(tui_loader *l);
/* Wait for a load in progress (at exit). */
void tui_loader_shutdown(tui_loader *l);

/* Early prediction (`:early`) for a saved run, on its own short-lived thread: it loads the
 * data again and evaluates every prefix, which takes seconds on a large file.  The engine
 * lets it run beside a training run (one of them uses the kernels' pool). */
#define TUI_EARLY_MAXK 100
typedef struct tui_early_job {
    pthread_t th;
    int active;
    atomic_int finished;
    char dir[512], name[64];           /* the run: dir/name */
    int k_max;
    cs_early_point pts[TUI_EARLY_MAXK];   /* the result: k = 1..k_max */
    cs_status status;
    cs_error err;
} tui_early_job;
int tui_early_start(tui_early_job *j, const char *dir, const char *name, int k_max);
int tui_early_collect(tui_early_job *j);
void tui_early_shutdown(tui_early_job *j);

#endif
