/* resultswrite.h — a results table (results.h) as files and text (study layer): the
 * aggregated CSV, one CSV line per run, a Markdown table.  Files are written atomically. */
#ifndef CLICKSEQ_RESULTSWRITE_H
#define CLICKSEQ_RESULTSWRITE_H

#include "clickseq/error.h"
#include "clickseq/results.h"

/* Aggregated CSV: key columns, runs, <metric>_mean, <metric>_std ..., nparams. */
cs_status cs_results_write_csv(const cs_results *r, const char *path, cs_error *err);
/* One line per run: key columns, seed, metrics, confusion counts, nparams, seconds, run. */
cs_status cs_results_write_runs_csv(const cs_results *r, const char *path, cs_error *err);
/* A Markdown table as a malloc'd string.  pivot < 0: one row per group with the key
 * columns, then F1, precision, recall, PR-AUC, ROC-AUC ("mean ± std"), parameters and
 * training seconds.  pivot = a key column index: that column's values become column groups
 * (side by side), the other keys the rows (used by the study: compat | honest). */
char *cs_results_markdown(const cs_results *r, int pivot);

#endif
