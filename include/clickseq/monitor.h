/* monitor.h — a run's progress, shared between the thread that trains and the threads that
 * watch (train layer): per-epoch history, run states, snapshots, and the monitor through
 * which another thread (the workbench, a progress line) watches and steers a run.
 *
 * The trainer never blocks on the UI: it publishes snapshots into a cs_monitor under a
 * short lock; pause/resume/stop are requests the trainer polls between batches. */
#ifndef CLICKSEQ_MONITOR_H
#define CLICKSEQ_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/metrics.h"

typedef struct cs_epoch {
    int epoch;                /* 1-based */
    double train_loss, valid_loss;
    cs_metrics valid;         /* at the threshold chosen on validation for this epoch */
    double seconds;           /* wall time of the epoch */
    double events_per_s;
} cs_epoch;

typedef enum cs_run_state { CS_RUN_IDLE = 0, CS_RUN_LOADING, CS_RUN_RUNNING, CS_RUN_PAUSED,
                            CS_RUN_DONE, CS_RUN_STOPPED, CS_RUN_FAILED } cs_run_state;
const char *cs_run_state_name(cs_run_state s);

/* A copy of a run's progress.  The arrays are owned by the snapshot and grown by
 * cs_monitor_read; free with cs_snapshot_free. */
typedef struct cs_snapshot {
    uint64_t version;          /* increases at every publish: redraw only on change */
    cs_run_state state;
    int epoch, epochs;         /* current (1-based, 0 before the first) and total */
    long batch, batches;       /* within the epoch */
    double elapsed_s, eta_s, events_per_s;
    size_t nparams;
    cs_epoch *hist; size_t n_hist, cap_hist;
    float *batch_loss; size_t n_batch_loss, cap_batch_loss; /* every batch so far */
    cs_metrics test;           /* valid when state == DONE and has_test */
    int has_test;
    char message[256];         /* last status or error message; a run that early stopping
                                  ended (DONE before its planned epochs) has "stopped early
                                  at epoch N (best epoch M): ..." */
    uint64_t run_id;           /* changes when a new run begins on the monitor */
} cs_snapshot;
void cs_snapshot_free(cs_snapshot *s);

typedef struct cs_monitor cs_monitor;
cs_monitor *cs_monitor_new(void);
void cs_monitor_free(cs_monitor *m);
/* UI side: copy the latest state into out if it changed since out->version; returns 1
 * if out was updated.  Takes the lock only for the copy. */
int cs_monitor_read(cs_monitor *m, cs_snapshot *out);
/* The id of the run the monitor shows now (cs_snapshot.run_id; 0 before the first): a
 * watcher that starts following the next run notes it, and waits for it to change. */
uint64_t cs_monitor_run_id(cs_monitor *m);
void cs_monitor_pause(cs_monitor *m);
void cs_monitor_resume(cs_monitor *m);
void cs_monitor_stop(cs_monitor *m);
/* A stop because of a signal or a closed terminal: the same, but the run ends with status
 * CS_STATUS_INTERRUPTED instead of STOPPED (not async-signal-safe: call it from a thread
 * that saw the signal handler's flag, never from the handler). */
void cs_monitor_interrupt(cs_monitor *m);

/* Trainer side (train.c; also usable by anything that drives a run, e.g. a sweep).
 * Each call takes the lock briefly and bumps the version. */
/* A new run: clears history, state LOADING or RUNNING, clears pause/stop requests
 * unless keep_requests (a stop asked for before the run started still applies). */
void cs_monitor_begin(cs_monitor *m, cs_run_state state, int epochs, size_t nparams,
                      int keep_requests);
void cs_monitor_batch(cs_monitor *m, int epoch, long batch, long batches, float loss,
                      double elapsed_s, double eta_s, double events_per_s);
void cs_monitor_epoch(cs_monitor *m, const cs_epoch *e);
/* Final state (DONE, STOPPED, FAILED); test may be NULL; msg may be NULL.  Clears the
 * pause/stop requests, so they never leak into the next run. */
void cs_monitor_finish(cs_monitor *m, cs_run_state state, const cs_metrics *test, const char *msg);
void cs_monitor_message(cs_monitor *m, const char *msg);
/* Between batches: returns at once when running; while a pause is requested it waits
 * (state PAUSED) on a condition variable until resume or stop.  Returns 1 when a stop
 * was requested, 2 when it was an interrupt (cs_monitor_interrupt).  *paused_s (may be NULL) receives the time spent waiting. */
int cs_monitor_poll(cs_monitor *m, double *paused_s);

#endif
