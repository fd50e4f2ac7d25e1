/* sweeprun.h — running a sweep (study layer): cs_sweep_run trains every run of a grid in
 * order through cs_run_train (runner.h), reusing the loaded events/dataset while the data
 * parameters do not change, saves each under out_dir/<name> when out_dir is set, and
 * appends one row per run to a results table; then the baselines.  The caller watches and
 * steers it through hooks: a monitor per run (the workbench's live panes) and a cancel
 * flag.  Also the building blocks of the experiment commands (the study, early
 * prediction). */
#ifndef CLICKSEQ_SWEEPRUN_H
#define CLICKSEQ_SWEEPRUN_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/comm.h"
#include "clickseq/datacache.h"
#include "clickseq/error.h"
#include "clickseq/grid.h"
#include "clickseq/monitor.h"
#include "clickseq/results.h"
#include "clickseq/runconfig.h"
#include "clickseq/trainer.h"

typedef struct cs_sweep_hooks {
    void *ud;
    /* Before run i of n: may return a monitor for it (owned by the caller), or NULL. */
    cs_monitor *(*begin)(void *ud, size_t i, size_t n, const cs_run_config *cfg);
    /* After run i: its status; res is valid (and err unused) when st == CS_OK. */
    void (*end)(void *ud, size_t i, size_t n, const cs_run_config *cfg,
                const cs_train_result *res, cs_status st, const cs_error *err);
    /* Polled between runs: nonzero stops the sweep (CS_ECANCEL). */
    int (*cancelled)(void *ud);
} cs_sweep_hooks;

/* A run failing at run time (CS_ERUNTIME, e.g. divergence) is reported by the end hook and
 * skipped unless stop_on_error is set; input, I/O and memory errors end the sweep. */
typedef struct cs_sweep_opts {
    const char *out_dir;      /* save runs under out_dir/<name>; NULL: do not save */
    int stop_on_error;        /* a run failing at run time (divergence) ends the sweep */
    int baselines;            /* after the grid: majority, has-cart (when the data has cart
                                 events) and logistic regression, for each distinct data
                                 configuration of the grid and each seed */
    cs_data_cache *cache;     /* the loaded data to use, and keep for the caller's next runs
                                 (the workbench's); NULL: the sweep loads its own */
    int unique_names;         /* a run whose name is taken under out_dir is saved as NAME-2,
                                 NAME-3 ... (the workbench's runs directory); 0: as NAME */
    const cs_comm *comm;      /* several ranks (mpirun -np N clickseq sweep): the grid runs
                                 and baseline jobs are handed out one at a time, to the rank
                                 that finishes its job first (comm->work_next); every rank
                                 calls cs_sweep_run with the same arguments; rank 0 returns
                                 every row, in a one-process sweep's order, and the sweep's
                                 status (the first rank's failure); the other ranks return
                                 CS_OK with no rows.  NULL or one rank: this process alone */
} cs_sweep_opts;

/* The results table gets the key columns "model" (the cell, or the baseline's name) and
 * the grid's other axes (baseline rows: majority, has-cart, "logreg (baseline)"; the data
 * axes' values, "-" for the others); the
 * seed is a column of its own.  res must be freed by the caller (also on error: it holds
 * the rows so far).  Runs are saved as out_dir/<run name>; logistic-regression baselines as
 * out_dir/logreg-d<data configuration index>-s<seed>. */
cs_status cs_sweep_run(const cs_run_config *base, const cs_sweep_grid *g,
                       const cs_sweep_opts *o, const cs_sweep_hooks *h, cs_results *res,
                       cs_error *err);

/* ---- building blocks for experiment commands (the study, early prediction) ---- */
/* Train cfg on the cached data with its split, save it as run_dir when not NULL, add a
 * results row (keys, cfg->seed, test metrics, nparams, seconds).  mon may be NULL.  keep
 * (may be NULL) receives the training result (the caller frees it). */
cs_status cs_sweep_train_one(cs_data_cache *dc, const cs_run_config *cfg,
                             const char *const *keys, const char *run_dir, cs_monitor *mon,
                             cs_train_result *keep, cs_results *res, cs_error *err);
/* The XGBoost baseline (xgb.h) on the honest session features of cfg's data (the
 * logistic-regression baseline's view), seeded like cfg; one results row (test metrics at
 * the validation-tuned threshold, 0 parameters). */
cs_status cs_sweep_xgb_one(cs_data_cache *dc, const cs_run_config *cfg, const char *const *keys,
                           cs_results *res, cs_error *err);
/* A rule baseline on the cached data of cfg with its split: a results row (keys; nparams
 * and seconds 0). */
cs_status cs_sweep_rule_one(cs_data_cache *dc, const cs_run_config *cfg, int rule,
                            const char *const *keys, cs_results *res, cs_error *err);

#endif
