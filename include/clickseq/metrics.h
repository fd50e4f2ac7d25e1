/* metrics.h — confusion matrix, precision/recall/F1, ROC-AUC and PR-AUC (exact, ties
 * handled), and the threshold that maximises F1. */
#ifndef CLICKSEQ_METRICS_H
#define CLICKSEQ_METRICS_H

#include <stddef.h>
#include <stdint.h>

typedef struct cs_confusion {
    long tp, fp, tn, fn;
} cs_confusion;

typedef struct cs_metrics {
    cs_confusion cm;
    double threshold;   /* predicted positive when prob >= threshold */
    double accuracy, precision, recall, f1;
    double roc_auc;     /* NaN when only one class is present */
    double pr_auc;      /* average precision (step-wise, ties grouped); NaN with no positive */
    double loss;        /* mean loss if the caller set it, else NaN */
    long n, positives;
} cs_metrics;

/* All metrics of probabilities prob[n] against labels y[n] at threshold. */
void cs_metrics_compute(const float *prob, const uint8_t *y, size_t n, double threshold,
                        cs_metrics *m);
/* Threshold maximising F1 (ties: the higher threshold); writes the best F1. */
double cs_metrics_best_threshold(const float *prob, const uint8_t *y, size_t n, double *best_f1);
double cs_roc_auc(const float *prob, const uint8_t *y, size_t n);
double cs_pr_auc(const float *prob, const uint8_t *y, size_t n);

#endif
