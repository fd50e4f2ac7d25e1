/* trainer.h — training a run (train layer): cs_train and cs_predict.
 *
 * Contract (src/engine/train/train.c):
 *  - Loss: binary cross-entropy on logits with a positive-class weight (auto = neg/pos).
 *  - Adam or SGD with momentum, gradient-norm clipping, weight decay (not on biases).
 *  - Each epoch: train on shuffled mini-batches (bucketed by length), evaluate on the
 *    validation set, choose the F1-optimal threshold there, early-stop on validation
 *    PR-AUC keeping the best weights; at the end evaluate the test set at that threshold.
 *  - A NaN/Inf loss stops the run with CS_ERUNTIME and keeps the last good weights and
 *    every finished epoch in the result (status CS_STATUS_DIVERGED), so it can be saved.
 *  - The trainer never blocks on the UI: it publishes snapshots into a cs_monitor under
 *    a short lock; pause/resume/stop are requests the trainer polls between batches.
 */
#ifndef CLICKSEQ_TRAINER_H
#define CLICKSEQ_TRAINER_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/comm.h"
#include "clickseq/dataset.h"
#include "clickseq/error.h"
#include "clickseq/metrics.h"
#include "clickseq/model.h"
#include "clickseq/monitor.h"
#include "clickseq/runconfig.h"

/* How a run ended (summary.txt "status = done|stopped|diverged|interrupted").  The trainer
 * sets DONE, STOPPED (a stop request), INTERRUPTED (cs_monitor_interrupt: a signal or a
 * closed terminal) or DIVERGED. */
typedef enum cs_run_status { CS_STATUS_DONE = 0, CS_STATUS_STOPPED, CS_STATUS_DIVERGED,
                             CS_STATUS_INTERRUPTED } cs_run_status;
const char *cs_run_status_name(cs_run_status s);
/* Name -> status; -1 for an unknown name. */
int cs_run_status_parse(const char *name, cs_run_status *out);

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
    cs_run_status status;      /* how it ended */
    int fail_epoch;            /* DIVERGED: the epoch (1-based) and batch (1-based) */
    long fail_batch;
} cs_train_result;
void cs_train_result_free(cs_train_result *r);

/* Train cfg's model on ds with split sp.  mon may be NULL (headless).  The dataset must
 * already be built with cfg->ds.  Returns CS_OK also when stopped on request (res->stopped;
 * the best weights so far are kept and the test set is still evaluated).  On failure
 * (e.g. divergence: CS_ERUNTIME) res still holds the history so far and the model with
 * the last good weights; free it with cs_train_result_free in every case.  On divergence
 * res->status is CS_STATUS_DIVERGED (fail_epoch, fail_batch say where), err names the
 * epoch and batch, and the test split is evaluated with the kept weights when at least one
 * epoch finished: the result can be saved like any other (cs_run_save).
 * cs_train does not change the kernels' thread count: the program sets it once
 * (cs_set_threads(cs_threads_resolve(cfg->threads))) and cfg->threads records it.  A
 * monitor's pause/stop requests made before the call (while the data loaded) apply to
 * this run. */
cs_status cs_train(const cs_run_config *cfg, const cs_dataset *ds, const cs_split *sp,
                   cs_monitor *mon, cs_train_result *res, cs_error *err);

/* cs_train, data-parallel over the ranks of comm (comm.h; NULL or one rank: cs_train).
 * Every rank calls it with the same cfg, data and split and holds the whole model.  Each
 * step, each rank runs its share of the global batch (--batch) with the loss divided by
 * the global batch size, the gradients are summed over the ranks in ONE sum_f32 over the
 * gradient arena (its tail carries the loss, the packed events and the ranks' stop
 * requests: a stop on any rank stops every rank after the same batch), and every rank
 * clips and steps identically.  So N ranks with batch B give the weights of one process
 * with batch B up to float round-off (the sums run in another order), except with dropout
 * (each rank draws its own masks).  Validation and test: each rank scores its share of the
 * sessions, the logits are gathered (gather_f32) and every rank computes the exact
 * metrics (PR-AUC over every score).  res is complete on every rank. */
cs_status cs_train_comm(const cs_run_config *cfg, const cs_dataset *ds, const cs_split *sp,
                        cs_monitor *mon, const cs_comm *comm, cs_train_result *res, cs_error *err);

/* FNV-1a 64 over sessions idx[0..n-1]'s names (row numbers "#i" when the dataset has
 * none) and labels, in that order: cs_train_result.test_key of a test split. */
uint64_t cs_sessions_key(const cs_dataset *ds, const size_t *idx, size_t n);

/* Probabilities for sessions idx[0..n-1] (in that order) with a trained model. */
cs_status cs_predict(cs_model *m, const cs_dataset *ds, const size_t *idx, size_t n, int batch,
                     float *prob, cs_error *err);

#endif
