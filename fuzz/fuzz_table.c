/* fuzz_table.c — libFuzzer harness for cs_table_load (see fuzz/run.sh).  First byte:
 * options (skip mode, time column, drop list, delimiter); the rest is the file (memfd).
 * Loaded with the fast path and with libcsv only; both must agree. */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_input.h"

#include "clickseq/table.h"


static void run(const char *path, uint8_t mode, int force, cs_status *st, char *msg, double *sum)
{
    cs_table_opts o;
    cs_table_opts_init(&o);
    o.path = path;
    o.force_libcsv = force;
    o.skip_bad_rows = mode & 1;
    o.time_col = (mode & 2) ? "Month" : NULL;
    o.drop = (mode & 4) ? "PageValues,b" : NULL;
    o.label = (mode & 8) ? "a" : "Revenue";
    o.delim = (mode & 16) ? '\t' : 0;
    cs_table t;
    cs_ledger led = {0};
    cs_error err = {0};
    *st = cs_table_load(&t, &o, &led, &err);
    snprintf(msg, 1024, "%s", *st == CS_OK ? "" : err.msg);
    *sum = 0;
    if (*st == CS_OK) {
        if (!cs_ledger_balanced(&led) || led.rows_used != (long)t.n_rows)
            abort();
        for (size_t i = 0; i < t.n_rows * t.n_cols; i++)
            *sum += isfinite(t.x[i]) ? t.x[i] * (double)(i % 7 + 1) : 1e9;
        for (size_t i = 0; i < t.n_cols; i++)
            *sum += (double)strlen(t.col_names[i]);
        for (size_t i = 0; i < t.n_rows; i++)
            *sum += t.y[i] + t.time_key[i] * 1e-3;
        cs_table_free(&t);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char path[64], ma[1024], mb[1024];
    fuzz_input_file(data, size, path, sizeof path);
    cs_status sa, sb;
    double ua, ub;
    run(path, data[0], 0, &sa, ma, &ua);
    run(path, data[0], 1, &sb, mb, &ub);
    if (sa != sb || strcmp(ma, mb) || !(ua == ub || (isnan(ua) && isnan(ub)))) {
        fprintf(stderr, "fast path and libcsv disagree: %d '%s' / %d '%s'\n", sa, ma, sb, mb);
        abort();
    }
    return 0;
}
