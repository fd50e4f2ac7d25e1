/* engine.h — everything the workbench asks of the engine, in one place.
 *
 * The workbench is written against the engine contracts (train.h types: cs_run_config,
 * cs_param, cs_snapshot, cs_epoch, cs_metrics).  The functions below are the seam,
 * implemented by engine.c over cs_param_*, cs_pipeline_load, cs_split_make, cs_train +
 * cs_monitor and runstore.h (the same calls `clickseq train` makes), so the screens never
 * include more than this header.  (Before the engine landed, a simulated stand-in
 * implemented it; see the git history of src/app/tui/devengine.c.)
 */
#ifndef CLICKSEQ_TUI_ENGINE_H
#define CLICKSEQ_TUI_ENGINE_H

#include <stddef.h>

#include "clickseq/early.h"
#include "clickseq/error.h"
#include "clickseq/train.h"

/* ---- parameters (mirror cs_param_*) ---- */
void tui_eng_config_init(cs_run_config *c);
size_t tui_eng_param_count(void);
const cs_param *tui_eng_param_at(size_t i);
const cs_param *tui_eng_param_find(const char *name);
cs_status tui_eng_param_set(cs_run_config *c, const char *name, const char *value, cs_error *err);
void tui_eng_param_get(const cs_run_config *c, const char *name, char *buf, size_t n);
cs_status tui_eng_param_cycle(cs_run_config *c, const char *name, int dir, cs_error *err);
/* Trainable parameters of the configured model (shown in the form). */
size_t tui_eng_nparams(const cs_run_config *c);

const char *tui_eng_split_name(cs_split_kind k);
const char *tui_eng_state_name(cs_run_state s);
const char *tui_eng_cell_name(int cell);

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
} tui_data_info;
/* Read the data cfg points at (cfg->data, cfg->format) and summarise it.  Touches no
 * shared state: may run on a loader thread. */
cs_status tui_eng_data_load(const cs_run_config *cfg, tui_data_info *info, cs_error *err);
/* Use info's model shape for tui_eng_nparams (UI thread). */
void tui_eng_use_data(const tui_data_info *info);

/* ---- a training run, watched through a monitor (mirror cs_monitor) ---- */
typedef struct tui_mon tui_mon;
tui_mon *tui_mon_new(void);
void tui_mon_free(tui_mon *m);
int tui_mon_read(tui_mon *m, cs_snapshot *out);   /* 1 if out changed */
void tui_mon_pause(tui_mon *m);
void tui_mon_resume(tui_mon *m);
void tui_mon_stop(tui_mon *m);
void tui_snapshot_free(cs_snapshot *s);

/* A finished run as stored on disk. */
typedef struct tui_run {
    char name[64];
    cs_run_config cfg;
    cs_epoch *hist; size_t n_hist;
    float *batch_loss; size_t n_batch_loss;
    cs_metrics test;
    int best_epoch, stopped;
    size_t nparams;
    double seconds, threshold;
    void *priv;               /* engine state needed to save it (model, data facts); owned */
} tui_run;
void tui_run_free(tui_run *r);

/* Load the data and train cfg (blocking: called on the worker thread), publishing into
 * mon; fills run (name derived from the config when cfg->name is empty). */
cs_status tui_eng_train(const cs_run_config *cfg, tui_mon *mon, tui_run *run, cs_error *err);

/* Early prediction for the saved run dir/name (cs_early_from_run on the run's own test
 * sessions, k = 1..k_max): out gets k_max points.  Blocking: called on a thread. */
cs_status tui_eng_early(const char *dir, const char *name, int k_max, cs_early_point *out,
                        cs_error *err);

/* ---- the run store ---- */
/* Save a trained run (one from tui_eng_train: it carries the model) as dir/NAME with
 * cs_run_save (atomic); if NAME exists, -2, -3... is appended and run->name updated. */
cs_status tui_runs_save(const char *dir, tui_run *run, cs_error *err);
cs_status tui_runs_load(const char *dir, const char *name, tui_run *run, cs_error *err);
/* Names of saved runs, oldest first (by creation time); returns the count (<= max). */
int tui_runs_list(const char *dir, char (*names)[64], int max);

#endif
