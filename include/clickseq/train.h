/* train.h — training runs: configuration, the parameter table, the trainer, and the
 * monitor through which another thread (the workbench) watches and steers a run.
 *
 * Contract (owned by src/engine/train.c, params.c, monitor.c, optim.c):
 *  - Loss: binary cross-entropy on logits with a positive-class weight (auto = neg/pos).
 *  - Adam or SGD with momentum, gradient-norm clipping, weight decay (not on biases).
 *  - Each epoch: train on shuffled mini-batches (bucketed by length), evaluate on the
 *    validation set, choose the F1-optimal threshold there, early-stop on validation
 *    PR-AUC keeping the best weights; at the end evaluate the test set at that threshold.
 *  - A NaN/Inf loss stops the run with CS_ERUNTIME and keeps the last good weights.
 *  - The trainer never blocks on the UI: it publishes snapshots into a cs_monitor under
 *    a short lock; pause/resume/stop are requests the trainer polls between batches.
 */
#ifndef CLICKSEQ_TRAIN_H
#define CLICKSEQ_TRAIN_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "clickseq/dataset.h"
#include "clickseq/error.h"
#include "clickseq/metrics.h"
#include "clickseq/model.h"

typedef enum cs_optim_kind { CS_OPT_ADAM = 0, CS_OPT_SGD = 1 } cs_optim_kind;

/* Everything that defines a run: the data options, the model and the training.  One
 * parameter table (below) maps names <-> fields for the CLI (--name value), the
 * workbench form and `:set name value`, the run's config file and sweeps. */
typedef struct cs_run_config {
    /* data */
    char data[512];           /* events file or features table */
    char outcomes[512];       /* yoochoose buys / outcomes file, "" if none */
    cs_format format;
    char map[256];            /* generic mapping */
    char purchase_event[64];  /* generic: the event value meaning purchase */
    int header;               /* -1 auto, 0 none, 1 header row */
    char delim;               /* 0 = by extension */
    double session_gap_min;   /* cut sessions per user after this gap (no session column) */
    char label[64];           /* features: label column */
    char time_col[64];        /* features: column ordering rows in time (e.g. Month) */
    char drop[256];           /* features: columns to exclude */
    int skip_bad_rows;
    cs_dataset_opts ds;       /* view, method, max_len, policy */
    cs_split_kind split;
    double train_frac, valid_frac;
    /* model */
    cs_model_config model;
    /* training */
    cs_optim_kind optim;
    double lr, momentum, weight_decay, clip;   /* clip 0 = off */
    int epochs, batch;
    double pos_weight;        /* < 0: auto = negatives / positives; 1 = no weighting */
    int patience;             /* early stopping on validation PR-AUC; 0 = off */
    int tune_threshold;       /* 1: F1-optimal on validation (honest); 0: fixed */
    double threshold;         /* used when tune_threshold == 0 (study: 0.5) */
    uint64_t seed;
    int threads;
    char name[64];            /* run name, e.g. "gru-h64"; "" = derived */
} cs_run_config;

/* Honest defaults (GRU h64, Adam 1e-3, batch 256, 20 epochs, time split 70/15/15...). */
void cs_run_config_init(cs_run_config *c);
/* The study's setup for a view (DESIGN.md §1): preset "study-rnn", "study-gru",
 * "study-lstm" (seed-compatible method, softmax2 head, 40/80 units, Adam 3e-4, 20 epochs,
 * batch 1000, random 70/30, threshold 0.5, no class weight). */
cs_status cs_run_config_preset(cs_run_config *c, const char *preset, cs_error *err);

/* Checks that span parameters (train-frac + valid-frac < 1, hidden sizes for every layer,
 * cells that need the features view...); a message naming the parameter. */
cs_status cs_run_config_check(const cs_run_config *c, cs_error *err);
/* Make data and outcomes absolute paths, so a saved run finds its data again from any
 * directory.  A path that does not resolve, or would not fit, is left as it is. */
void cs_run_config_absolute_paths(cs_run_config *c);
/* The whole configuration as "key = value\n" lines in table order (malloc'd; NULL on
 * allocation failure).  cs_run_config_parse reads it back exactly (doubles round-trip). */
char *cs_run_config_format(const cs_run_config *c);
/* Apply "key = value" lines (blank lines and '#' comments skipped) on top of c.  Unknown
 * keys are an error naming fname:line unless allow_unknown (run files carry extra keys). */
cs_status cs_run_config_parse(cs_run_config *c, const char *text, const char *fname,
                              int allow_unknown, cs_error *err);
/* Split one line in place into key and value (trimmed).  Blank/comment lines give
 * key = value = NULL.  CS_EINPUT when there is no '='. */
cs_status cs_config_line(char *line, char **key, char **value);

/* ---- the parameter table ---- */
typedef enum cs_param_type { CS_P_INT, CS_P_DOUBLE, CS_P_BOOL, CS_P_ENUM, CS_P_STRING, CS_P_U64,
                             CS_P_INTLIST } cs_param_type;
typedef struct cs_param {
    const char *name;        /* "hidden", "lr", "cell", ... */
    cs_param_type type;
    const char *help;        /* one line */
    const char *const *choices; /* CS_P_ENUM: NULL-terminated names */
    double min, max;         /* numeric range */
    int group;               /* 0 data, 1 model, 2 training (form sections) */
} cs_param;
size_t cs_param_count(void);
const cs_param *cs_param_at(size_t i);
const cs_param *cs_param_find(const char *name);
/* Set a parameter from text, range-checked; a message naming the parameter on error. */
cs_status cs_param_set(cs_run_config *c, const char *name, const char *value, cs_error *err);
/* Current value as text (buf of size n). */
void cs_param_get(const cs_run_config *c, const char *name, char *buf, size_t n);
/* For enum params (cell, optim, ...): step to the next/previous choice. */
cs_status cs_param_cycle(cs_run_config *c, const char *name, int dir, cs_error *err);

/* ---- history and the monitor ---- */
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
    char message[256];         /* last status or error message */
    uint64_t run_id;           /* changes when a new run begins on the monitor */
} cs_snapshot;
void cs_snapshot_free(cs_snapshot *s);

typedef struct cs_monitor cs_monitor;
cs_monitor *cs_monitor_new(void);
void cs_monitor_free(cs_monitor *m);
/* UI side: copy the latest state into out if it changed since out->version; returns 1
 * if out was updated.  Takes the lock only for the copy. */
int cs_monitor_read(cs_monitor *m, cs_snapshot *out);
void cs_monitor_pause(cs_monitor *m);
void cs_monitor_resume(cs_monitor *m);
void cs_monitor_stop(cs_monitor *m);

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
 * was requested.  *paused_s (may be NULL) receives the time spent waiting. */
int cs_monitor_poll(cs_monitor *m, double *paused_s);

/* ---- the trainer ---- */
typedef struct cs_train_result {
    cs_model *model;           /* best weights (owned) */
    double threshold;          /* chosen on validation (or fixed) */
    cs_epoch *hist; size_t n_hist;
    float *batch_loss; size_t n_batch_loss;
    int *batch_epoch;          /* n_batch_loss: the epoch (1-based) of each batch loss */
    cs_metrics test;           /* on the test split at the threshold */
    int best_epoch;
    double seconds;
    int stopped;               /* stopped early by request */
    int has_test;              /* 0 when the test split is empty or training failed */
    uint64_t fingerprint;      /* the dataset's fingerprint (copied for the run store) */
    /* The test set's scores in split order (owned; NULL/0 without a test set), kept so a
     * comparison needs no re-evaluation: dataset index, label and probability of each
     * test session, and test_key, an FNV-1a 64 over the sessions' names (row numbers for
     * tables) and labels in that order, which tells runs scored on the same sessions. */
    size_t n_test;
    size_t *test_index;
    uint8_t *test_label;
    float *test_prob;
    uint64_t test_key;
} cs_train_result;
void cs_train_result_free(cs_train_result *r);

/* Train cfg's model on ds with split sp.  mon may be NULL (headless).  The dataset must
 * already be built with cfg->ds.  Returns CS_OK also when stopped on request (res->stopped;
 * the best weights so far are kept and the test set is still evaluated).  On failure
 * (e.g. divergence: CS_ERUNTIME) res still holds the history so far and the model with
 * the last good weights; free it with cs_train_result_free in every case.
 * cs_train does not change the kernels' thread count: the program sets it once
 * (cs_set_threads(cs_threads_resolve(cfg->threads))) and cfg->threads records it.  A
 * monitor's pause/stop requests made before the call (while the data loaded) apply to
 * this run. */
cs_status cs_train(const cs_run_config *cfg, const cs_dataset *ds, const cs_split *sp,
                   cs_monitor *mon, cs_train_result *res, cs_error *err);

/* Probabilities for sessions idx[0..n-1] (in that order) with a trained model. */
cs_status cs_predict(cs_model *m, const cs_dataset *ds, const size_t *idx, size_t n, int batch,
                     float *prob, cs_error *err);

#endif
