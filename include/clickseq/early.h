/* early.h — early prediction: how well does a trained sequence model do when it has seen
 * only the first k events of a session?
 *
 * Contract (owned by src/engine/early.c):
 *  - Definition.  At k, a session is included when it has MORE than k input events (in the
 *    honest method: events strictly before its first purchase), i.e. after its k-th event
 *    the session is still going and, if it buys, has not bought yet and will see at least
 *    one more event first.  The model sees exactly the first k events (time order) of each
 *    included session; nothing after them.  Sessions with <= k inputs are left out at k
 *    (their whole input is then known: that is not an early prediction).
 *  - The decision threshold is the run's stored one (chosen on validation at full length).
 *  - The dataset must be a sequence view built without a length limit (max_len 0): the
 *    truncate policy keeps the LAST events, which would not be the first k.  The early
 *    command builds it so; a dataset cannot tell how it was built.
 */
#ifndef CLICKSEQ_EARLY_H
#define CLICKSEQ_EARLY_H

#include <stddef.h>

#include "clickseq/dataset.h"
#include "clickseq/error.h"
#include "clickseq/events.h"
#include "clickseq/metrics.h"
#include "clickseq/model.h"
#include "clickseq/train.h"

/* A sequence dataset holding the first k steps of the sessions idx[0..n-1] that have more
 * than k steps, in idx order; src[j] (allocated, may be NULL) gets the index in ds of
 * out's session j.  Everything in out is its own copy: free with cs_early_prefix_free. */
cs_status cs_early_prefix(const cs_dataset *ds, const size_t *idx, size_t n, int k,
                          cs_dataset *out, size_t **src, cs_error *err);
void cs_early_prefix_free(cs_dataset *d);

typedef struct cs_early_point {
    int k;
    long sessions, positives;   /* included at k */
    cs_metrics m;               /* at the given threshold; zero sessions: all NaN */
} cs_early_point;

/* Metrics for k = k_min..k_max (out has k_max - k_min + 1 points). */
cs_status cs_early_curve(cs_model *m, const cs_dataset *ds, const size_t *idx, size_t n,
                         int k_min, int k_max, double threshold, int batch,
                         cs_early_point *out, cs_error *err);

/* The curve as CSV text (k,sessions,positives,positive_rate,f1,precision,recall,pr_auc,
 * roc_auc,threshold,tp,fp,tn,fn), malloc'd. */
char *cs_early_csv(const cs_early_point *p, size_t n);

/* ---- from a saved run (runstore.h), for `clickseq early` and the workbench ---- */
struct cs_run;
typedef struct cs_early_opts {
    int k_min, k_max;         /* 1..20 by default */
    int all_sessions;         /* 0: the run's own test sessions (default); 1: every session */
    int (*cancelled)(void *ud);   /* may be NULL; polled before each k: nonzero stops the
                                     curve (CS_ECANCEL) */
    void *ud;
    cs_load_progress_fn progress;   /* the data load's progress (cs_load_opts.progress); may be NULL */
    void *progress_ctx;
} cs_early_opts;
void cs_early_opts_init(cs_early_opts *o);
/* Load the data of cfg (the run's configuration, possibly with other data options) with
 * no length limit, pick the run's test sessions (the split of the run's own dataset — the
 * same sessions, identified by session id, whatever its length policy cut) or all
 * sessions, map event types by name to the run's type ids, rebuild the model from the
 * run's weights and compute the curve at the run's threshold.  out has k_max - k_min + 1
 * points.  The run must be loaded with its weights (CS_RUN_WEIGHTS) and be a sequence
 * model trained with the honest method. */
cs_status cs_early_from_run(const struct cs_run *run, const cs_run_config *cfg,
                            const cs_early_opts *o, cs_early_point *out, cs_error *err);

#endif
