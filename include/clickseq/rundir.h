/* rundir.h — runs on disk (runs layer) (DESIGN.md §5).  A run is a directory:
 *   config.txt   "key = value": clickseq version, data fingerprint, parameter count,
 *                model shape taken from the data (event type names, feature names), then
 *                every parameter (seed included)
 *   history.csv  epoch,train_loss,valid_loss,accuracy,precision,recall,f1,roc_auc,pr_auc,
 *                threshold,tp,fp,tn,fn,seconds,events_per_s
 *   batches.csv  epoch,batch,loss
 *   model.bin    weights: magic "CSQMODEL", format version, model-config hash, nparams,
 *                normaliser, float32 weights, CRC-32 of all that (little-endian)
 *   summary.txt  "key = value": threshold, best epoch, how the run ended (status = done,
 *                stopped, diverged or interrupted), test metrics
 *   scores.csv   the test set's scores (scores.h); absent in runs saved before it existed
 *   model.xgb    instead of model.bin for cell xgboost (xgb.h: the booster in XGBoost's own
 *                JSON format behind a magic, length and CRC-32 header)
 * Every file is written atomically (temporary file, fsync, rename, fsync of the
 * directory), and the directory is built under a hidden temporary name
 * (.NAME.tmp-PID-XXXXXX) in the same parent and renamed into place: a kill leaves a run
 * complete or absent (at worst a hidden temporary directory, which listings ignore and
 * the next save into that parent removes once its process is gone).
 * Damaged, truncated or foreign files are CS_EINPUT errors naming the file.
 * Every file is read with cs_slurp (files.h): a regular file only (a FIFO, a device, a
 * symbolic link to /dev/zero is a damaged run, and never blocks the reader) of at most
 * these sizes; model.bin at most CS_MODEL_MAX_BYTES (weights.h), scores.csv
 * CS_SCORES_MAX_BYTES (scores.h). */
#ifndef CLICKSEQ_RUNDIR_H
#define CLICKSEQ_RUNDIR_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/error.h"
#include "clickseq/metrics.h"
#include "clickseq/scores.h"
#include "clickseq/train.h"
#include "clickseq/weights.h"

#define CS_RUN_CONFIG_MAX     ((size_t)64 << 20)   /* config.txt (type_names can be long) */
#define CS_RUN_SUMMARY_MAX    ((size_t)64 << 10)   /* summary.txt: ~20 short lines */
#define CS_RUN_HISTORY_ROW_MAX 512                 /* history.csv: header + epochs_run rows */
#define CS_RUN_BATCHES_MAX    ((size_t)2 << 30)    /* batches.csv */

/* One history.csv row's 16 numbers (the header's order) as an epoch: validation metrics,
 * confusion counts, seconds, events/s (live records keep the same row). */
void cs_epoch_from_row(const double *v, cs_epoch *e);

/* Everything a run directory holds (model weights as raw cs_weights). */
typedef struct cs_run {
    char path[1024];
    char name[64];            /* the directory's base name */
    cs_run_config cfg;        /* model.n_types / n_feat / view restored too */
    uint64_t fingerprint;     /* of the training data */
    char version[32];         /* clickseq version that wrote it */
    size_t nparams;
    char created[32];         /* UTC, ISO 8601 */
    char **type_names; int n_type_names;   /* event types by id 1..n (id order of training) */
    char **feat_names; int n_feat_names;   /* features view: the model's inputs in order
                                              (table columns, "Month=Feb" one-hot levels,
                                              derived features); 0 in runs saved before
                                              config.txt had feat_names (matched by position) */
    cs_epoch *hist; size_t n_hist;
    float *batch_loss; int *batch_epoch; size_t n_batch;
    /* summary */
    double threshold;
    int best_epoch, epochs_run, stopped, has_test;
    cs_run_status status;     /* from summary.txt; older runs: stopped ? STOPPED : DONE */
    int has_status;           /* summary.txt had a status line */
    double seconds;
    cs_metrics test;
    cs_weights weights;       /* loaded only with CS_RUN_WEIGHTS */
    cs_scores scores;         /* loaded only with CS_RUN_SCORES; has_scores = 0 when the run */
    int has_scores;           /* has no scores.csv (saved before it existed, or no test set) */
} cs_run;

/* What cs_run_load reads (config and summary always). */
#define CS_RUN_HISTORY 1u
#define CS_RUN_BATCHES 2u
#define CS_RUN_WEIGHTS 4u
#define CS_RUN_SCORES  8u
#define CS_RUN_ALL     15u

/* What to save: the config, the trainer's result and the data's description. */
typedef struct cs_run_save_info {
    uint64_t fingerprint;
    const char *const *type_names; int n_type_names;   /* may be NULL/0 */
    const cs_weights *weights;   /* may be NULL: no model.bin (then nparams below) */
    size_t nparams;
    const char *const *feat_names; int n_feat_names;   /* features view's inputs; may be NULL/0 */
    /* A model that is not a network (cell xgboost): its file, written as is (the writer
     * made it self-checking: xgb.h's CSXGB001 header with a CRC-32) under this name,
     * before summary.txt.  NULL: none. */
    const char *model_file; const void *model_bytes; size_t model_size;
} cs_run_save_info;

/* Create the run directory `dir` (which must not exist, or be empty) atomically.  The name
 * is claimed atomically when the finished run is moved into place (rename that fails on an
 * existing target), so a run saved concurrently under the same name is never replaced:
 * one of the two savers gets an error. */
cs_status cs_run_save(const char *dir, const cs_run_config *cfg, const cs_train_result *res,
                      const cs_run_save_info *info, cs_error *err);
/* The same, for automatic names: saved as `dir`, or if that name is taken as dir-2, dir-3 ...
 * (the base name cut so the name stays within 63 bytes): the first name free when it is
 * claimed, so any number of processes saving into one runs directory lose no run.  saved
 * (n bytes; may be NULL) receives the path used. */
cs_status cs_run_save_unique(const char *dir, const cs_run_config *cfg, const cs_train_result *res,
                             const cs_run_save_info *info, char *saved, size_t n, cs_error *err);
/* Before anything trains: can `dir` be created (need_empty: as a run, so it must be
 * absent or an empty directory; 0: a folder of runs, which may exist), with reserve more
 * bytes appended to it (a sweep's "/NAME")?  Says exactly what is wrong (CS_EINPUT, the
 * path first): the path or a component too long (the last one leaves room for the hidden
 * name the run is built under), a parent that is a file, a directory that cannot be
 * written, dir not a directory, already holding a run or not empty.  Missing parents are
 * fine (the caller creates them). */
cs_status cs_run_dir_check(const char *dir, int need_empty, size_t reserve, cs_error *err);
/* Every key and parameter of config.txt is range-checked (a message naming file:line and
 * the key); with CS_RUN_WEIGHTS the model config.txt describes must also be one clickseq
 * can build, of exactly `nparams` parameters (counted, not allocated).  A run of cell
 * xgboost has no model.bin: CS_RUN_WEIGHTS checks only that it is a features-view run of
 * nparams 0 (its booster is read by cs_xgb_run_load, study layer). */
cs_status cs_run_load(const char *dir, unsigned what, cs_run *run, cs_error *err);
void cs_run_free(cs_run *run);

/* The complete runs directly under dir (config.txt + summary.txt present), sorted by
 * name, loaded with `what`.  Hidden entries (temporaries) are skipped; a damaged run is
 * skipped too and counted in *n_bad (may be NULL).  *runs is an array of *n. */
cs_status cs_run_list(const char *dir, unsigned what, cs_run **runs, size_t *n, size_t *n_bad,
                      cs_error *err);
void cs_run_list_free(cs_run *runs, size_t n);

/* A model with a run's weights (loaded with CS_RUN_WEIGHTS).  The layout's parameter
 * count (cs_model_config_nparams) is compared with the weights BEFORE the model is
 * allocated: a config that does not fit its model.bin is CS_EINPUT, never a huge model. */
cs_status cs_run_model_new(const cs_run *run, cs_model **out, cs_error *err);
/* Before a run's model sees other data (eval, predict, early prediction): rewrite the
 * dataset's event-type ids to the run's, by name (ids follow a file's order of first
 * appearance, names do not).  A sequence view needs the run's type names, and an event
 * type the run never saw is an error naming it (CS_EINPUT, the run's directory first);
 * the features view has no type ids and is left as it is. */
cs_status cs_run_remap_types(const cs_run *run, cs_dataset *ds, cs_error *err);
/* How new data's features were matched to a features-view run (cs_run_match_features). */
typedef struct cs_feat_match {
    int positional;      /* the run stores no feature names (saved before feat_names):
                            the data's columns were taken by position */
    int reordered;       /* the data's columns were moved, dropped or filled in */
    size_t n_extra;      /* data features the run does not use: dropped */
    size_t n_zero;       /* the run's one-hot levels ("Month=Feb") and event-type counts
                            ("n_cart") that the data never shows: read as 0 */
    char extra[512], zero[512];   /* their names: "'a', 'b', ..." (cut when long) */
} cs_feat_match;
/* Before a features-view run's model sees other data (eval, predict): rebuild the
 * dataset's feature vectors in the run's input order, by NAME (a table's columns, and so
 * its one-hot levels, come in the file's order).  A run input the data lacks is CS_EINPUT
 * naming them (the run's directory first) unless it is a one-hot level of a categorical
 * column the data has ("B=L" with some "B=..." in the data) or an event-type count of a
 * view derived from events: those are 0.  Data features the run does not use are dropped
 * and listed in m.  A run without feature names (older runs) takes the columns by position
 * (m->positional; the counts must agree).  Other views are left as they are. */
cs_status cs_run_match_features(const cs_run *run, cs_dataset *ds, cs_feat_match *m,
                                cs_error *err);
#endif
