/* compare.h — is a difference between runs real?  Seed groups (runs that differ only by
 * seed) and a paired bootstrap over the test sessions of the difference in test PR-AUC,
 * ROC-AUC and F1 between two groups, from the scores stored with each run (scores.h).
 *
 * The bootstrap (cs_cmp_bootstrap), exactly: a group's value of a metric is the mean
 * over its runs of the metric on the test set (F1 at each run's own threshold).  Each of
 * opts.n_boot replicates draws, from one splitmix64 stream seeded with opts.seed and
 * restarted for every pair,
 *   1. n test sessions with replacement (index = next() % n; the same sessions for every
 *      run: the pairing), giving a weight (multiplicity) per session,
 *   2. |A| runs of group A with replacement (next() % |A|), then |B| runs of B,
 * and computes delta* = mean over the drawn A runs of the metric on the weighted
 * sessions - the same for B.  So both sources of noise are in the interval: which test
 * sessions happened to be drawn, and which seeds (a group of one run has no seed spread;
 * then this is the plain paired bootstrap).  Replicates where a drawn metric is undefined
 * (no positive session drawn) are dropped and counted.  The interval is the
 * (1-level)/2 and (1+level)/2 percentiles of the delta*s with linear interpolation
 * (numpy's default).  scripts/bootstrap_ref.py repeats all of this with numpy + sklearn
 * (sample weights = the multiplicities) and tests/compare.sh checks it agrees. */
#ifndef CLICKSEQ_COMPARE_H
#define CLICKSEQ_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/error.h"
#include "clickseq/runstore.h"

typedef enum cs_cmp_metric { CS_CMP_PR_AUC = 0, CS_CMP_ROC_AUC, CS_CMP_F1, CS_CMP_N } cs_cmp_metric;
const char *cs_cmp_metric_key(cs_cmp_metric m);     /* "test_pr_auc" */
const char *cs_cmp_metric_label(cs_cmp_metric m);   /* "PR-AUC" */

/* Runs that differ only by seed (threads and name ignored too) and share the data
 * fingerprint.  Names: the runs' common name without a trailing -sN / -N ("gru" for
 * gru-s1..gru-s5), a run's own name for a group of one, made unique with #2, #3... */
typedef struct cs_run_group {
    char name[96];
    size_t *run;     /* indices into the runs array, in the array's order */
    size_t n;
} cs_run_group;
/* Groups in order of their first run. */
cs_status cs_run_groups(const cs_run *runs, size_t n, cs_run_group **groups, size_t *ng,
                        cs_error *err);
void cs_run_groups_free(cs_run_group *g, size_t ng);
/* 1 when a and b differ only by seed / threads / name and share the data fingerprint. */
int cs_run_same_but_seed(const cs_run *a, const cs_run *b);

/* A metric of a run from its stored scores (weights NULL = every session once). */
double cs_cmp_run_metric(const cs_run *r, cs_cmp_metric m);

typedef struct cs_cmp_opts {
    int n_boot;        /* replicates (default 2000) */
    uint64_t seed;     /* of the resampling stream (default 1) */
    double level;      /* of the interval (default 0.95) */
} cs_cmp_opts;
void cs_cmp_opts_init(cs_cmp_opts *o);

typedef struct cs_cmp_diff {
    cs_cmp_metric metric;
    double a_value, b_value;   /* the groups' means on the whole test set */
    double delta;              /* a_value - b_value */
    double lo, hi;             /* the interval (NaN when no replicate was usable) */
    int n_used;                /* replicates used (n_boot minus undefined ones) */
    size_t n_sessions;         /* test sessions */
} cs_cmp_diff;

/* Group a - group b for every metric (out[CS_CMP_N]).  CS_EINPUT (nothing in out) when a
 * run has no stored scores or the runs were not scored on the same test sessions; the
 * message names the runs. */
cs_status cs_cmp_bootstrap(const cs_run *runs, const cs_run_group *a, const cs_run_group *b,
                           const cs_cmp_opts *o, cs_cmp_diff *out, cs_error *err);

/* "gru − lstm PR-AUC +0.004 [−0.011, +0.019]: not distinguishable" (or ": gru higher"),
 * UTF-8 minus signs; decimals 3. */
void cs_cmp_verdict(const char *a, const char *b, const cs_cmp_diff *d, char *buf, size_t n);
/* Same with ASCII '-' (for terminals without UTF-8). */
void cs_cmp_verdict_ascii(const char *a, const char *b, const cs_cmp_diff *d, char *buf, size_t n);

#endif
