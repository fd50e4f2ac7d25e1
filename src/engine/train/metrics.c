/* metrics.c — confusion matrix, precision/recall/F1, ROC-AUC, PR-AUC, best-F1 threshold.
 *
 * All the ranking metrics walk the scores once in descending order, grouping equal
 * scores: a group of tied scores moves the operating point in one step, which is what
 * makes the results exact with ties:
 *  - ROC-AUC is the Mann–Whitney statistic (a tied positive/negative pair counts 1/2),
 *    i.e. the trapezoidal area over the grouped ROC points.
 *  - PR-AUC is average precision as scikit-learn defines it:
 *    AP = sum over groups of (R_k - R_{k-1}) * P_k, the step-wise area, no interpolation.
 *  - The best threshold is a score value t; predictions are positive when prob >= t.
 * Conventions for empty denominators follow scikit-learn's zero_division=0: precision,
 * recall and F1 are 0; ROC-AUC is NaN with one class only, PR-AUC NaN with no positive. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "clickseq/metrics.h"

typedef struct scored {
    float p;
    uint8_t y;
} scored;

/* Descending by score; NaN sorts last so it never becomes a threshold. */
static int cmp_desc(const void *a, const void *b)
{
    float x = ((const scored *)a)->p, y = ((const scored *)b)->p;
    int nx = isnan(x), ny = isnan(y);
    if (nx || ny)
        return nx - ny;
    return (x < y) - (x > y);
}

static scored *sorted_scores(const float *prob, const uint8_t *y, size_t n)
{
    scored *s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        s[i].p = prob[i];
        s[i].y = y[i] ? 1 : 0;
    }
    qsort(s, n, sizeof *s, cmp_desc);
    return s;
}

/* End of the group of scores equal to s[i].p (NaNs form one group). */
static size_t group_end(const scored *s, size_t n, size_t i)
{
    size_t j = i + 1;
    if (isnan(s[i].p))
        return n;
    while (j < n && s[j].p == s[i].p)
        j++;
    return j;
}

static double f1_of(long tp, long fp, long fn)
{
    double d = 2.0 * tp + fp + fn;
    return tp > 0 ? 2.0 * tp / d : 0.0;
}

/* ROC-AUC and PR-AUC in one pass over the sorted scores. */
static void rank_metrics(const scored *s, size_t n, double *roc, double *ap)
{
    long P = 0, N = 0;
    for (size_t i = 0; i < n; i++)
        s[i].y ? P++ : N++;
    double area = 0, sum_ap = 0;
    long tp = 0, fp = 0;
    for (size_t i = 0; i < n;) {
        size_t j = group_end(s, n, i);
        long gp = 0, gn = 0;
        for (size_t k = i; k < j; k++)
            s[k].y ? gp++ : gn++;
        area += (double)gn * ((double)tp + 0.5 * (double)gp);
        tp += gp;
        fp += gn;
        if (gp > 0)   /* recall moved by gp / P at precision tp / (tp + fp) */
            sum_ap += (double)gp * ((double)tp / (double)(tp + fp));
        i = j;
    }
    if (roc)
        *roc = (P > 0 && N > 0) ? area / ((double)P * (double)N) : NAN;
    if (ap)
        *ap = P > 0 ? sum_ap / (double)P : NAN;
}

double cs_roc_auc(const float *prob, const uint8_t *y, size_t n)
{
    scored *s = sorted_scores(prob, y, n);
    if (!s)
        return NAN;
    double roc;
    rank_metrics(s, n, &roc, NULL);
    free(s);
    return roc;
}

double cs_pr_auc(const float *prob, const uint8_t *y, size_t n)
{
    scored *s = sorted_scores(prob, y, n);
    if (!s)
        return NAN;
    double ap;
    rank_metrics(s, n, NULL, &ap);
    free(s);
    return ap;
}

double cs_metrics_best_threshold(const float *prob, const uint8_t *y, size_t n, double *best_f1)
{
    scored *s = sorted_scores(prob, y, n);
    double best_t = 0.5, best = 0.0;
    if (s) {
        long P = 0;
        for (size_t i = 0; i < n; i++)
            P += s[i].y;
        long tp = 0, fp = 0;
        for (size_t i = 0; i < n && !isnan(s[i].p);) {
            size_t j = group_end(s, n, i);
            for (size_t k = i; k < j; k++)
                s[k].y ? tp++ : fp++;
            double f = f1_of(tp, fp, P - tp);
            if (f > best) {   /* strict: on ties the earlier = higher threshold wins */
                best = f;
                best_t = s[i].p;
            }
            i = j;
        }
        free(s);
    }
    if (best_f1)
        *best_f1 = best;
    return best_t;
}

void cs_metrics_compute(const float *prob, const uint8_t *y, size_t n, double threshold,
                        cs_metrics *m)
{
    cs_confusion c = {0, 0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        int pred = prob[i] >= threshold;   /* NaN never predicts positive */
        if (y[i])
            pred ? c.tp++ : c.fn++;
        else
            pred ? c.fp++ : c.tn++;
    }
    m->cm = c;
    m->threshold = threshold;
    m->n = (long)n;
    m->positives = c.tp + c.fn;
    m->accuracy = n ? (double)(c.tp + c.tn) / (double)n : NAN;
    m->precision = c.tp + c.fp ? (double)c.tp / (double)(c.tp + c.fp) : 0.0;
    m->recall = c.tp + c.fn ? (double)c.tp / (double)(c.tp + c.fn) : 0.0;
    m->f1 = f1_of(c.tp, c.fp, c.fn);
    m->loss = NAN;
    scored *s = sorted_scores(prob, y, n);
    if (s) {
        rank_metrics(s, n, &m->roc_auc, &m->pr_auc);
        free(s);
    } else
        m->roc_auc = m->pr_auc = NAN;
}
