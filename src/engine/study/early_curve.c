/* early_curve.c — the early-prediction curve: a trained model on session prefixes
 * (see early.h).  Apart from early.c because it needs the trainer's cs_predict. */
#include "clickseq/early.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clickseq/train.h"

static void nan_metrics(cs_metrics *m, double threshold)
{
    memset(m, 0, sizeof *m);
    m->threshold = threshold;
    m->accuracy = m->precision = m->recall = m->f1 = NAN;
    m->roc_auc = m->pr_auc = m->loss = NAN;
}

cs_status cs_early_curve(cs_model *m, const cs_dataset *ds, const size_t *idx, size_t n,
                         int k_min, int k_max, double threshold, int batch,
                         cs_early_point *out, cs_error *err)
{
    if (k_min < 1 || k_max < k_min)
        return cs_error_fmt(err, CS_EINPUT, "early prediction: bad k range %d..%d", k_min, k_max);
    for (int k = k_min; k <= k_max; k++) {
        cs_early_point *p = &out[k - k_min];
        memset(p, 0, sizeof *p);
        p->k = k;
        cs_dataset pre;
        cs_status st = cs_early_prefix(ds, idx, n, k, &pre, NULL, err);
        if (st)
            return st;
        p->sessions = (long)pre.n;
        for (size_t i = 0; i < pre.n; i++)
            p->positives += pre.label[i] != 0;
        if (pre.n == 0) {
            nan_metrics(&p->m, threshold);
            cs_early_prefix_free(&pre);
            continue;
        }
        size_t *all = malloc(pre.n * sizeof *all);
        float *prob = malloc(pre.n * sizeof *prob);
        if (!all || !prob) {
            free(all);
            free(prob);
            cs_early_prefix_free(&pre);
            return cs_error_fmt(err, CS_ENOMEM, "out of memory for early prediction");
        }
        for (size_t i = 0; i < pre.n; i++)
            all[i] = i;
        st = cs_predict(m, &pre, all, pre.n, batch, prob, err);
        if (!st)
            cs_metrics_compute(prob, pre.label, pre.n, threshold, &p->m);
        free(all);
        free(prob);
        cs_early_prefix_free(&pre);
        if (st)
            return st;
    }
    return CS_OK;
}
