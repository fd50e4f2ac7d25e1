/* xgb.h — gradient boosting (XGBoost's C API) on a features view: the strongest feature
 * model, the bar a network must clear.
 *
 * Contract (src/engine/study/xgb.c):
 *  - Optional at build time: without XGBoost (configure --without-xgboost, or the library
 *    absent) every call but cs_xgb_available() and cs_xgb_params_init() returns CS_EINPUT
 *    with a message saying how to get it.
 *  - Input: a features view (ds->view == CS_VIEW_FEATURES; ds->feat row-major, n_feat
 *    columns).  Trees need no standardisation; missing values are NaN.
 *  - Training: binary:logistic on the split's training sessions, evaluated on its
 *    validation sessions each round (aucpr, the networks' early-stopping metric), stopped
 *    after `early_stop` rounds without improvement; the model keeps the best round only.
 *    Deterministic for a given seed and thread count (exact tree method).
 *  - Files: "CSXGB001" + u32 payload CRC-32 + u64 payload length + XGBoost's own JSON
 *    model (XGBoosterSaveModelToBuffer); written atomically; a damaged or foreign file is a
 *    clear error, and the number of features must match.
 */
#ifndef CLICKSEQ_XGB_H
#define CLICKSEQ_XGB_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/dataset.h"
#include "clickseq/error.h"
#include "clickseq/metrics.h"
#include "clickseq/monitor.h"
#include "clickseq/rundir.h"
#include "clickseq/runconfig.h"
#include "clickseq/trainer.h"

/* What cs_xgb_fit reports after each boosting round (cs_xgb_params.on_round). */
typedef struct cs_xgb_round {
    int round;                          /* 0-based */
    const float *train_prob; size_t n_train;   /* the training split's probabilities */
    const float *valid_prob; size_t n_valid;   /* the validation split's; NULL when empty */
    int best_round;                     /* the best so far by validation PR-AUC */
} cs_xgb_round;

typedef struct cs_xgb_params {
    int max_depth;            /* 6 */
    double eta;               /* 0.1 */
    int rounds;               /* at most 1000 */
    int early_stop;           /* 30 rounds without a better validation PR-AUC */
    double subsample;         /* 0.8 */
    double colsample;         /* 0.8 (per tree) */
    double min_child_weight;  /* 1 */
    double lambda;            /* 1 (L2 on leaf weights) */
    double pos_weight;        /* < 0: auto = negatives / positives of the training split */
    uint64_t seed;
    int threads;              /* 0: XGBoost's default (all cores) */
    /* Called after every round when set (the training probabilities are then computed
     * each round too); nonzero ends boosting, keeping the best round so far. */
    int (*on_round)(void *ud, const cs_xgb_round *r);
    void *ud;
} cs_xgb_params;
void cs_xgb_params_init(cs_xgb_params *p);

/* 1 when this build has XGBoost. */
int cs_xgb_available(void);

typedef struct cs_xgb cs_xgb;

cs_status cs_xgb_fit(const cs_dataset *ds, const cs_split *sp, const cs_xgb_params *p,
                     cs_xgb **out, cs_error *err);
/* Probabilities of sessions idx[0..n-1] of ds (whose columns are the model's). */
cs_status cs_xgb_predict(const cs_xgb *m, const cs_dataset *ds, const size_t *idx, size_t n,
                         float *prob, cs_error *err);
int cs_xgb_rounds(const cs_xgb *m);        /* rounds kept (the best round + 1) */
/* Threads cs_xgb_predict uses (n >= 1; a loaded model starts with XGBoost's default, all
 * cores).  The probabilities do not depend on it. */
cs_status cs_xgb_set_threads(cs_xgb *m, int n, cs_error *err);
size_t cs_xgb_n_feat(const cs_xgb *m);
/* Gain importance of feature j (0 when never used); imp has n_feat entries. */
cs_status cs_xgb_importance(const cs_xgb *m, double *imp, cs_error *err);
cs_status cs_xgb_save(const cs_xgb *m, const char *path, cs_error *err);
/* model.xgb is read only from a regular file of at most this size. */
#define CS_XGB_MAX_BYTES ((size_t)1 << 30)
cs_status cs_xgb_load(const char *path, size_t n_feat, cs_xgb **out, cs_error *err);
/* The file's bytes (malloc'd *image of *size bytes), and a model from them (path names
 * them in messages). */
cs_status cs_xgb_to_buffer(const cs_xgb *m, unsigned char **image, size_t *size, cs_error *err);
cs_status cs_xgb_from_buffer(const unsigned char *image, size_t size, const char *path,
                             size_t n_feat, cs_xgb **out, cs_error *err);
void cs_xgb_free(cs_xgb *m);

/* Fit on sp's training split, threshold maximising F1 on the validation split, then
 * validation and test metrics at that threshold (either output may be NULL). */
cs_status cs_xgb_eval(const cs_dataset *ds, const cs_split *sp, const cs_xgb_params *p,
                      cs_metrics *valid, cs_metrics *test, cs_xgb **keep, cs_error *err);

/* ---- XGBoost as a cell (cell xgboost: train / eval / predict, xgb_run.c) ----
 * A run whose cell is CS_CELL_XGBOOST is trained by cs_xgb_train instead of the network
 * trainer, on the same features view and split: the fixed parameters above
 * (cs_xgb_params_init) with the run's seed, threads (cs_threads_resolve) and positive-class
 * weight (pos-weight; auto = negatives / positives); the networks' schedule (lr, epochs,
 * batch, patience, optimiser, hidden sizes) does not apply.  One history row per boosting
 * round (train loss = the weighted BCE the networks report, validation metrics at that
 * round's F1-optimal threshold); the kept model is the best validation round; the threshold
 * is tuned on validation with the kept model (or cfg->threshold without tune-threshold),
 * exactly as cs_xgb_eval, so the run's test metrics equal the sweep's "xgboost (baseline)"
 * row for the same seed.  The monitor sees one epoch per round; a stop request ends
 * boosting after the round (status stopped/interrupted, the best round so far kept).
 * res->model stays NULL: the booster is *out.  The run saves it as CS_XGB_FILE. */
#define CS_XGB_FILE "model.xgb"
/* The parameters a run configuration gives (the cell's and the sweep baseline's). */
void cs_xgb_params_of(const cs_run_config *cfg, cs_xgb_params *p);
cs_status cs_xgb_train(const cs_run_config *cfg, const cs_dataset *ds, const cs_split *sp,
                       cs_monitor *mon, cs_train_result *res, cs_xgb **out, cs_error *err);
/* A saved xgboost run's booster (run loaded with CS_RUN_WEIGHTS or not): RUN/model.xgb,
 * checked (magic, length, CRC-32, number of features = the run's n_feat). */
cs_status cs_xgb_run_load(const cs_run *run, cs_xgb **out, cs_error *err);

#endif
