/* table.h — session-feature tables (the `features` preset): one row per session.
 * Numeric columns are read as numbers; categorical columns (any non-numeric value) are
 * one-hot encoded; booleans TRUE/FALSE/true/false/1/0 become 0/1.  The label column is
 * chosen by name (default "Revenue").  Columns can be excluded by name. */
#ifndef CLICKSEQ_TABLE_H
#define CLICKSEQ_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/error.h"
#include "clickseq/events.h"

typedef struct cs_table_opts {
    const char *path;
    const char *label;      /* label column name, default "Revenue" */
    const char *drop;       /* comma-separated column names to exclude, may be NULL */
    const char *time_col;   /* column used to order rows in time (e.g. "Month"), may be NULL */
    char delim;             /* 0: by extension */
    int skip_bad_rows;
    int force_libcsv;       /* tests and fuzzers: every block through libcsv (no fast path) */
} cs_table_opts;
void cs_table_opts_init(cs_table_opts *o);

typedef struct cs_table {
    size_t n_rows, n_cols;  /* n_cols after one-hot expansion */
    float *x;               /* n_rows * n_cols, row-major */
    uint8_t *y;             /* n_rows labels 0/1 */
    int32_t *time_key;      /* n_rows ordering key from time_col (month 1..12), or row index */
    char **col_names;       /* n_cols names, "Month=Feb" for one-hot columns */
    uint64_t fingerprint;
    char source[512];
} cs_table;

cs_status cs_table_load(cs_table *t, const cs_table_opts *o, cs_ledger *led, cs_error *err);
void cs_table_free(cs_table *t);

#endif
