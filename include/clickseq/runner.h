/* runner.h — one call from a run configuration to a trained and saved run (study layer).
 *
 *   cs_run_train(cfg, opts, &t, err):
 *     load the data (or reuse it from opts->cache while the data options are unchanged)
 *     -> split it by cfg (split, fractions, seed)
 *     -> shape the model from the data (view, event types, features: t.cfg.model)
 *     -> make data/outcomes absolute paths (a saved run finds its data from anywhere)
 *     -> opts->ready(opts->ud, &t): the data facts, just before training
 *     -> train (cs_train, watched through opts->mon; cell xgboost: cs_xgb_train, xgb.h)
 *     -> save as opts->out_dir when it is set (cs_run_save, atomic).
 *
 * `clickseq train`, the sweeps (cs_sweep_run, the study) and the workbench all run a
 * configuration through here, so a run means the same everywhere.
 *
 * From a worker thread (the workbench): the call blocks; everything it touches is passed
 * in (cfg is copied; no process state is changed: the thread count is the caller's,
 * cs_set_threads once, e.g. at start-up).  Watch and steer it from another thread through
 * opts->mon: the monitor is put in state LOADING ("loading the data") at once, RUNNING when
 * training starts, DONE/STOPPED/FAILED at the end (a load or split failure finishes it
 * FAILED with the message).  cs_monitor_stop() is the stop flag: honoured between batches
 * (the best weights so far are kept, the test set evaluated, the run saved as stopped); a
 * stop asked for while the data loads applies as soon as training starts.  Give the same
 * opts->cache to successive calls on the same thread to reuse the loaded dataset while the
 * data options stay the same (a cache must not be used by two threads at once).
 */
#ifndef CLICKSEQ_RUNNER_H
#define CLICKSEQ_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/comm.h"
#include "clickseq/datacache.h"
#include "clickseq/dataset.h"
#include "clickseq/error.h"
#include "clickseq/events.h"
#include "clickseq/monitor.h"
#include "clickseq/runconfig.h"
#include "clickseq/trainer.h"

/* A trained run in memory: what cs_run_train produced and what saving it needs. */
typedef struct cs_trained {
    cs_run_config cfg;        /* as trained: model shaped by the data, absolute paths */
    cs_train_result res;      /* history, best weights (res.model), test metrics */
    struct cs_xgb *xgb;       /* cell xgboost: the booster (res.model is NULL); owned */
    cs_ledger led;            /* of the load (the cached load's when reused) */
    size_t n_sessions, n_train, n_valid, n_test;
    size_t pos_train, pos_valid, pos_test;   /* positive sessions in each part */
    double positive_rate;     /* of all sessions */
    uint64_t fingerprint;     /* of the dataset */
    char **type_names;        /* event types by id 1..n (type_names[0] is id 1); owned */
    int n_types;
    char **feat_names;        /* features view: the model's inputs by name, in order; owned */
    int n_feat;
    /* how far it got: the data loaded and split; training finished, was stopped or diverged
     * (res.model holds weights worth saving, res.status says how it ended); saved as dir */
    int loaded, trained, saved;
    char dir[1024];
} cs_trained;
void cs_trained_free(cs_trained *t);

typedef struct cs_run_opts {
    cs_data_cache *cache;     /* NULL: load for this call only (nothing kept) */
    cs_monitor *mon;          /* NULL: headless */
    const char *out_dir;      /* save the run as this directory (must not exist, or be
                                 empty; if another process takes it while this run trains,
                                 the run is saved as out_dir-2, -3 ... instead of being
                                 lost: t->dir says where); NULL: not saved (cs_trained_save
                                 or cs_trained_save_as later) */
    /* Called (on the calling thread) after the data is loaded, split and the model shaped,
     * before training; t holds cfg and the data facts (res is still empty).  May be NULL. */
    void (*ready)(void *ud, const cs_trained *t);
    void *ud;
    /* Several ranks: data-parallel training (cs_train_comm); every rank calls cs_run_train
     * with the same cfg, and only one of them (rank 0) should set out_dir.  NULL: one
     * process. */
    const cs_comm *comm;
    /* The load's progress when there is no cache (cs_load_opts.progress; a cache has its
     * own, cs_data_cache_set_progress).  May be NULL. */
    cs_load_progress_fn load_progress;
    void *load_progress_ctx;
} cs_run_opts;

/* Run cfg (checked with cs_run_config_check first) as described above.  t is always
 * initialised; free it with cs_trained_free in every case.  Returns CS_OK also when the run
 * was stopped on request (t->res.stopped; status STOPPED, or INTERRUPTED when the stop came
 * through cs_monitor_interrupt).  A diverged run (CS_ERUNTIME, t->res.status DIVERGED, err
 * naming the epoch and batch) keeps its finished epochs and last good weights and is saved
 * like any other (t->saved); if that save fails, err says both and the save's status is
 * returned.  Other training failures save nothing (t->res holds the history so far). */
cs_status cs_run_train(const cs_run_config *cfg, const cs_run_opts *opts, cs_trained *t,
                       cs_error *err);

/* Save a trained run (its weights, history, config and data facts) as dir, atomically
 * (cs_run_save: dir must not exist, or be empty). */
cs_status cs_trained_save(const cs_trained *t, const char *dir, cs_error *err);
/* The same with an automatic name when unique (dir, dir-2, dir-3 ...: cs_run_save_unique);
 * saved (n bytes, may be NULL) receives the directory used. */
cs_status cs_trained_save_as(const cs_trained *t, const char *dir, int unique, char *saved,
                             size_t n, cs_error *err);

#endif
