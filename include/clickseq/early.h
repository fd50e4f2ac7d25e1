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
#include "clickseq/metrics.h"
#include "clickseq/model.h"

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

#endif
