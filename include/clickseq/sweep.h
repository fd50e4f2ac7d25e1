/* sweep.h — grids of runs and their results tables.
 *
 * Contract (owned by src/engine/sweep.c, results.c):
 *  - A grid is a list of axes, each a parameter of the table in train.h and a list of
 *    values given as text ("gru,lstm", "32,64", "1e-3,3e-3").  Values are checked against
 *    the parameter table when they are added.  In a grid a comma always separates grid
 *    values; a per-layer list (hidden "40,80") is written with ':' ("40:80").
 *  - Expansion is the nested loops of the axes in the order they were added (the last axis
 *    varies fastest), each configuration run with seeds base, base+1, ... base+seeds-1.
 *  - cs_sweep_run trains every run in order (reusing the loaded events/dataset while the
 *    data parameters do not change), saves each under out_dir/<name> when out_dir is set,
 *    and appends one row per run to a results table.  The caller watches and steers it
 *    through hooks: a monitor per run (the workbench's live panes) and a cancel flag.
 *  - A results table holds one row per run (key columns + seed + test metrics + parameter
 *    count + training seconds).  Grouping rows with equal keys gives mean ± sample standard
 *    deviation (n - 1 in the denominator; 0 for one run) over seeds.  NaN metrics (e.g.
 *    ROC-AUC with one class) make the group's value NaN, printed "n/a".
 */
#ifndef CLICKSEQ_SWEEP_H
#define CLICKSEQ_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/datacache.h"
#include "clickseq/error.h"
#include "clickseq/metrics.h"
#include "clickseq/train.h"

/* ---- results tables ---- */
#define CS_RESULTS_MAX_KEYS 17   /* "model" + up to 16 sweep axes */
#define CS_RESULTS_KEY_LEN 48

typedef struct cs_result {
    char key[CS_RESULTS_MAX_KEYS][CS_RESULTS_KEY_LEN]; /* values of the key columns */
    uint64_t seed;
    cs_metrics test;          /* test metrics at the run's threshold */
    size_t nparams;           /* trainable parameters (0 for rules) */
    double seconds;           /* training wall time */
    char run[256];            /* run directory, "" when not saved */
} cs_result;

typedef struct cs_results {
    size_t n_keys;
    char key_names[CS_RESULTS_MAX_KEYS][32];
    cs_result *rows;
    size_t n, cap;
} cs_results;

/* names: n_keys column names (n_keys <= CS_RESULTS_MAX_KEYS). */
cs_status cs_results_init(cs_results *r, size_t n_keys, const char *const *names, cs_error *err);
void cs_results_free(cs_results *r);
/* Append a row; keys: n_keys values (truncated to CS_RESULTS_KEY_LEN - 1). */
cs_status cs_results_add(cs_results *r, const char *const *keys, uint64_t seed,
                         const cs_metrics *test, size_t nparams, double seconds,
                         const char *run, cs_error *err);

typedef struct cs_stat {
    double mean, std;         /* std: sample standard deviation, 0 for n == 1 */
    int n;
} cs_stat;
/* Mean and sample std of x[0..n-1]; NaN if any value is NaN or n == 0. */
cs_stat cs_stat_of(const double *x, size_t n);

typedef enum cs_result_metric {
    CS_RM_F1 = 0, CS_RM_PRECISION, CS_RM_RECALL, CS_RM_PR_AUC, CS_RM_ROC_AUC,
    CS_RM_SECONDS, CS_RM_N
} cs_result_metric;
const char *cs_result_metric_name(cs_result_metric m);   /* "f1", "precision", ... */

typedef struct cs_result_group {
    size_t first;             /* index of the group's first row (its key values) */
    int runs;
    cs_stat stat[CS_RM_N];
    size_t nparams;           /* of the first row (equal within a group for a grid) */
} cs_result_group;
/* Groups of rows with equal keys, in order of first appearance.  *out is allocated
 * (free()); *n_out groups. */
cs_status cs_results_group(const cs_results *r, cs_result_group **out, size_t *n_out,
                           cs_error *err);

/* Aggregated CSV: key columns, runs, <metric>_mean, <metric>_std ..., nparams. */
cs_status cs_results_write_csv(const cs_results *r, const char *path, cs_error *err);
/* One line per run: key columns, seed, metrics, confusion counts, nparams, seconds, run. */
cs_status cs_results_write_runs_csv(const cs_results *r, const char *path, cs_error *err);
/* A Markdown table as a malloc'd string.  pivot < 0: one row per group with the key
 * columns, then F1, precision, recall, PR-AUC, ROC-AUC ("mean ± std"), parameters and
 * training seconds.  pivot = a key column index: that column's values become column groups
 * (side by side), the other keys the rows (used by the study: compat | honest). */
char *cs_results_markdown(const cs_results *r, int pivot);
/* Write text atomically (temporary file, fsync, rename). */
cs_status cs_write_file_atomic(const char *path, const char *text, cs_error *err);

/* ---- grids ---- */
#define CS_SWEEP_MAX_AXES 16

typedef struct cs_sweep_axis {
    char name[32];            /* parameter name (train.h table) */
    char **values;            /* n values as text, owned */
    size_t n;
} cs_sweep_axis;

typedef struct cs_sweep_grid {
    cs_sweep_axis axes[CS_SWEEP_MAX_AXES];
    size_t n_axes;
    int seeds;                /* runs per configuration (>= 1) */
} cs_sweep_grid;

void cs_sweep_grid_init(cs_sweep_grid *g);
void cs_sweep_grid_free(cs_sweep_grid *g);
/* Add an axis: a parameter name and a comma list of values (':' inside a value becomes
 * ',', for list parameters such as hidden "40:80").  Text only: empty values, duplicate
 * values and too many axes are CS_EINPUT; the values are checked against the parameter
 * table by cs_sweep_grid_check.  Adding an axis twice replaces it. */
cs_status cs_sweep_grid_add(cs_sweep_grid *g, const char *name, const char *list, cs_error *err);
/* Check every axis value by setting it on a copy of base (names the parameter and value). */
cs_status cs_sweep_grid_check(const cs_sweep_grid *g, const cs_run_config *base, cs_error *err);
/* The axis values of run i (vals: n_axes pointers into the grid) and its seed offset
 * (i % seeds); returns the configuration index i / seeds. */
size_t cs_sweep_grid_values(const cs_sweep_grid *g, size_t i, const char **vals,
                            int *seed_index);
/* The run's name from its axis values and seed, e.g. "gru-h32-l1-lr0.001-s1": cell, view,
 * method and policy values as they are, other axes as a short prefix + value ("h" hidden,
 * "l" layers, "lr", "len" max-len, "e" epochs, "b" batch; else the parameter name), unsafe
 * characters replaced by '_'. */
void cs_sweep_run_name(const cs_sweep_grid *g, size_t i, uint64_t seed, char *buf, size_t n);
/* Number of configurations (product of the axis sizes; 1 with no axis). */
size_t cs_sweep_grid_size(const cs_sweep_grid *g);
/* Runs = configurations x seeds. */
size_t cs_sweep_grid_runs(const cs_sweep_grid *g);
/* Run i (0 <= i < runs): out = base with the axis values of configuration i / seeds set,
 * seed = base->seed + i % seeds, and out->name = the run's name (axis values, then
 * "-s<seed>"; the cell first when it is not an axis), e.g. "gru-h32-l1-lr0.001-s1".  combo (may be NULL) receives the index of the
 * configuration. */
cs_status cs_sweep_grid_config(const cs_sweep_grid *g, const cs_run_config *base, size_t i,
                               cs_run_config *out, size_t *combo, cs_error *err);

/* ---- running a sweep ---- */
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
/* A rule baseline on the cached data of cfg with its split: a results row (keys; nparams
 * and seconds 0). */
/* The XGBoost baseline (xgb.h) on the honest session features of cfg's data (the
 * logistic-regression baseline's view), seeded like cfg; one results row (test metrics at
 * the validation-tuned threshold, 0 parameters). */
cs_status cs_sweep_xgb_one(cs_data_cache *dc, const cs_run_config *cfg, const char *const *keys,
                           cs_results *res, cs_error *err);
cs_status cs_sweep_rule_one(cs_data_cache *dc, const cs_run_config *cfg, int rule,
                            const char *const *keys, cs_results *res, cs_error *err);

#endif
