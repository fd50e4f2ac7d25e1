/* test_run_util.h — a saved run built by hand for the workbench's tests (no files: its
 * path does not exist). */
#ifndef TEST_RUN_UTIL_H
#define TEST_RUN_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clickseq/params.h"
#include "clickseq/runstore.h"

/* A run of cell with seed and n finished epochs (epoch numbers, valid loss 1/epoch): the
 * caller fills the metrics it needs. */
static inline void tu_fake_run(cs_run *r, const char *name, const char *cell, uint64_t seed, int n)
{
    memset(r, 0, sizeof *r);
    cs_run_config_init(&r->cfg);
    assert_int_equal(cs_param_set(&r->cfg, "cell", cell, NULL), CS_OK);
    r->cfg.seed = seed;
    snprintf(r->name, sizeof r->name, "%s", name);
    snprintf(r->path, sizeof r->path, "/nonexistent/%s", name);
    r->hist = calloc((size_t)n, sizeof *r->hist);
    assert_non_null(r->hist);
    r->n_hist = (size_t)n;
    r->epochs_run = r->best_epoch = n;
    for (int e = 0; e < n; e++) {
        r->hist[e].epoch = e + 1;
        r->hist[e].valid_loss = 1.0 / (e + 1);
    }
}

#endif
