/* report.h — a comparison of saved runs as the headless `compare` and the workbench's
 * compare screen (and its :export) both show it: the runs' summary rows, their seed
 * groups with mean ± std, the paired-bootstrap differences between every two groups
 * (compare.h), and the writers for JSON, long-format CSV histories and a Markdown table. */
#ifndef CLICKSEQ_APP_REPORT_H
#define CLICKSEQ_APP_REPORT_H

#include <stdio.h>

#include "clickseq/compare.h"
#include "clickseq/runstore.h"

/* The summary rows (test_* from summary.txt, valid_* at the best epoch, ...). */
typedef struct report_row {
    const char *key;
    double (*get)(const cs_run *r);
    int decimals;
} report_row;
extern const report_row report_rows[];
extern const size_t report_n_rows;

/* One pair of groups: the differences, or why there are none. */
typedef struct report_pair {
    size_t a, b;                   /* group indices */
    int ok;
    cs_cmp_diff d[CS_CMP_N];
    char why[1100];                /* when !ok */
} report_pair;

typedef struct report {
    const cs_run *runs;            /* borrowed */
    size_t n;
    cs_run_group *groups;
    size_t ng;
    report_pair *pairs;
    size_t np;
    cs_cmp_opts opts;
    unsigned metrics;              /* bit m: cs_cmp_metric m is reported */
} report;

/* Groups, then every pair's bootstrap (runs need CS_RUN_SCORES for intervals).
 * metrics: bit mask of cs_cmp_metric (0 = all). */
cs_status report_build(report *r, const cs_run *runs, size_t n, const cs_cmp_opts *o,
                       unsigned metrics, cs_error *err);
void report_free(report *r);

/* A summary value of a group: mean and sample std (n - 1; 0 for one run) of row ri. */
void report_group_stat(const report *r, size_t g, size_t ri, double *mean, double *std);
/* The group a run belongs to. */
size_t report_group_of(const report *r, size_t run);

/* Parameters whose values differ between the runs (all of them, table order); returns the
 * count, names in *names (malloc'd array of pointers into the table, free it). */
size_t report_differing(const cs_run *runs, size_t n, const char ***names);

/* Writers (stdio errors are the caller's to check with ferror). */
void report_json(FILE *f, const report *r);
/* run,group,epoch,step,seconds,metric,value: step = batches up to the end of the epoch
 * (runs loaded with CS_RUN_BATCHES; else empty), seconds = wall time to its end. */
void report_csv(FILE *f, const report *r);
void report_markdown(FILE *f, const report *r);
/* Every pair's verdict lines ("a − b PR-AUC ..."), or the reason it was refused. */
void report_verdicts(FILE *f, const report *r, int utf8);

#endif
