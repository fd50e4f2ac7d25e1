/* results.h — results tables (study layer): one row per run (key columns + seed + test
 * metrics + parameter count + training seconds); grouping rows with equal keys gives mean ±
 * sample standard deviation (n - 1 in the denominator; 0 for one run) over seeds.  NaN
 * metrics (e.g. ROC-AUC with one class) make the group's value NaN, printed "n/a".
 * Writers: resultswrite.h. */
#ifndef CLICKSEQ_RESULTS_H
#define CLICKSEQ_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/error.h"
#include "clickseq/metrics.h"

#define CS_RESULTS_MAX_KEYS 17   /* "model" + up to 16 sweep axes */
#define CS_RESULTS_KEY_LEN 48

typedef struct cs_result {
    char key[CS_RESULTS_MAX_KEYS][CS_RESULTS_KEY_LEN]; /* values of the key columns */
    uint64_t seed;
    cs_metrics test;          /* test metrics at the run's threshold */
    size_t nparams;           /* trainable parameters (0 for rules) */
    double seconds;           /* training wall time */
    char run[256];            /* run directory, "" when not saved */
    char status[16];          /* "done", "stopped" (by request), "diverged" (saved with its
                               * finished epochs), "failed" (training failed), "unsaved"
                               * (trained, but the run could not be written) */
    char note[160];           /* why, for diverged / failed / unsaved rows */
} cs_result;

typedef struct cs_results {
    size_t n_keys;
    char key_names[CS_RESULTS_MAX_KEYS][32];
    cs_result *rows;
    size_t n, cap;
} cs_results;

/* names: n_keys column names (n_keys <= CS_RESULTS_MAX_KEYS). */
cs_status cs_results_init(cs_results *r, size_t n_keys, const char *const *names, cs_error *err);
void cs_results_free(cs_results *r);
/* Append a row (status "done"); keys: n_keys values (truncated to CS_RESULTS_KEY_LEN - 1). */
cs_status cs_results_add(cs_results *r, const char *const *keys, uint64_t seed,
                         const cs_metrics *test, size_t nparams, double seconds,
                         const char *run, cs_error *err);
/* Set the status (and why; may be NULL) of the last row.  Only "done" and "stopped" rows
 * enter the means of cs_results_group (and the tables built from it); every row stays in
 * runs.csv with its status, and results.md lists the others under the table: a run that
 * diverges, fails or cannot be saved does not end a sweep. */
void cs_results_mark(cs_results *r, const char *status, const char *note);
/* 1 when a row counts in the means (status done or stopped). */
int cs_result_counts(const cs_result *row);

typedef struct cs_stat {
    double mean, std;         /* std: sample standard deviation, 0 for n == 1 */
    int n;
} cs_stat;
/* Mean and sample std of x[0..n-1]; NaN if any value is NaN or n == 0. */
cs_stat cs_stat_of(const double *x, size_t n);

typedef enum cs_result_metric {
    CS_RM_F1 = 0, CS_RM_PRECISION, CS_RM_RECALL, CS_RM_PR_AUC, CS_RM_ROC_AUC,
    CS_RM_SECONDS, CS_RM_N
} cs_result_metric;
const char *cs_result_metric_name(cs_result_metric m);   /* "f1", "precision", ... */

typedef struct cs_result_group {
    size_t first;             /* index of the group's first row (its key values) */
    int runs;
    cs_stat stat[CS_RM_N];
    size_t nparams;           /* of the first row (equal within a group for a grid) */
} cs_result_group;
/* Groups of rows with equal keys, in order of first appearance.  *out is allocated
 * (free()); *n_out groups. */
cs_status cs_results_group(const cs_results *r, cs_result_group **out, size_t *n_out,
                           cs_error *err);

#endif
