/* engine.h — what the workbench adds on top of the engine's own calls.
 *
 * The screens call the engine directly for parameters (cs_param_*, params.h), names
 * (cs_cell_name, cs_run_state_name, cs_split_kind_name), monitors (cs_monitor_*) and runs
 * (cs_run_train, cs_sweep_run: worker.c).  What is here is the workbench's own: the data
 * summary the header and the data pane show, the parameter count of the form's model, a
 * run as the screens hold it (tui_run: from disk for compare / replay, or trained in this
 * session, then with its model so `:save NAME` can save it again), and the run store
 * under --runs DIR.
 */
#ifndef CLICKSEQ_TUI_ENGINE_H
#define CLICKSEQ_TUI_ENGINE_H

#include <stddef.h>

#include "clickseq/datacache.h"
#include "clickseq/early.h"
#include "clickseq/error.h"
#include "clickseq/model.h"
#include "clickseq/runner.h"
#include "clickseq/train.h"

/* ---- data ---- */
#define TUI_LEN_BINS 11       /* as CS_LEN_BINS: 1, 2, 3-4, 5-8, ..., 513+ */
typedef struct tui_data_info {
    char name[128];               /* file name shown in the header */
    long rows_read, rows_used, rows_skipped;
    long sessions, positives, dropped;
    long len_hist[TUI_LEN_BINS];  /* sessions by length */
    double mean_len;
    long p50, p90, max_len;
    long dropped_events;          /* events at/after the purchase, truncated */
    int shape_view, shape_n_types, shape_n_feat;   /* what the data fixes in a model */
    int clicks_only;              /* the first event type is "click": yoochoose clicks (the
                                     no-purchase warning names the buys file) */
} tui_data_info;
/* Load the data cfg points at (cfg->data, cfg->format, the view options) into cache (or
 * reuse what it holds for these options) and summarise it.  Touches nothing but cache
 * and info: may run on a job thread that owns the cache. */
cs_status tui_eng_data_load(cs_data_cache *cache, const cs_run_config *cfg, tui_data_info *info,
                            cs_error *err);
/* Use info's model shape for tui_eng_nparams (UI thread). */
void tui_eng_use_data(const tui_data_info *info);
/* Trainable parameters of the configured model with the data's shape (shown in the form). */
size_t tui_eng_nparams(const cs_run_config *c);

/* ---- runs ---- */
/* A run's reference: its name in the runs directory ("gru-h32", "sweepA/gru-s1"), or a path
 * to a run anywhere (absolute, or starting with ./ or ../: given on the command line or to
 * :compare); never cut (longer references are refused). */
#define TUI_RUN_REF 600
/* dir/ref, or ref itself when it is a path: 0, or -1 when it does not fit in n. */
int tui_run_path(const char *dir, const char *ref, char *out, size_t n);
int tui_run_is_path(const char *ref);

/* A run as the screens hold it. */
typedef struct tui_run {
    char name[TUI_RUN_REF];   /* as saved (CELL-hHIDDEN), or the reference it was loaded by */
    cs_run_config cfg;
    cs_epoch *hist; size_t n_hist;
    float *batch_loss; size_t n_batch_loss;
    cs_metrics test;
    int best_epoch, stopped;
    size_t nparams;
    double seconds, threshold;
    cs_trained *trained;      /* trained in this session: the model and data facts (owned) */
} tui_run;
void tui_run_free(tui_run *r);
/* A run trained in this session: takes t's contents (t is zeroed); name as given, else
 * derived from the config (CELL-hHIDDEN).  Returns 0, or -1 when out of memory (t freed). */
int tui_run_of_trained(tui_run *run, cs_trained *t);
/* Save a run trained in this session as dir/NAME (atomic); if NAME is taken, -2, -3... is
 * appended (the name claimed atomically) and run->name updated. */
cs_status tui_runs_save(const char *dir, tui_run *run, cs_error *err);
/* The run ref (tui_run_path: below dir, or a path) with its history and batches. */
cs_status tui_runs_load(const char *dir, const char *ref, tui_run *run, cs_error *err);
/* Names of saved runs, oldest first (by creation time); returns the count (<= max).
 * *n_bad (may be NULL) receives the number of damaged runs skipped. */
int tui_runs_list(const char *dir, char (*names)[64], int max, size_t *n_bad);

/* Early prediction for the saved run dir/name (or the path name) (cs_early_from_run on the run's own test
 * sessions, k = 1..k_max): out gets k_max points.  Blocking: called on a job thread. */
cs_status tui_eng_early(const char *dir, const char *name, int k_max, cs_early_point *out,
                        cs_error *err);

#endif
