/* test_model_util.h — small hand-built datasets for the nn tests (the dataset contract is
 * include/clickseq/dataset.h; the tests do not need the sessions area's loaders). */
#ifndef TEST_MODEL_UTIL_H
#define TEST_MODEL_UTIL_H

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clickseq/dataset.h"
#include "clickseq/model.h"
#include "clickseq/rng.h"

/* An empty dataset of n sessions of this view with zero labels, and r seeded. */
static inline void tu_dataset_begin(cs_dataset *ds, cs_view view, size_t n, cs_rng *r, uint64_t seed)
{
    cs_rng_seed(r, seed);
    memset(ds, 0, sizeof *ds);
    ds->view = view;
    ds->n = n;
    ds->label = calloc(n, 1);
}

/* n sessions with lengths len[i] (or random 1..maxlen when len is NULL), types 1..n_types,
 * ids 0..9 for item/category/brand (0 = missing), random dwell and price. */
static inline void tu_seq_dataset(cs_dataset *ds, size_t n, const int *len, int maxlen, int n_types,
                                  uint64_t seed)
{
    cs_rng r;
    tu_dataset_begin(ds, CS_VIEW_SEQUENCE, n, &r, seed);
    ds->n_types = n_types;
    ds->off = calloc(n + 1, sizeof(size_t));
    for (size_t i = 0; i < n; i++) {
        size_t l = len ? (size_t)len[i] : 1 + cs_rng_below(&r, (uint64_t)maxlen);
        ds->off[i + 1] = ds->off[i] + l;
        ds->label[i] = (uint8_t)cs_rng_below(&r, 2);
    }
    size_t S = ds->n_steps = ds->off[n];
    ds->type = malloc(S * sizeof *ds->type);
    ds->item = malloc(S * sizeof *ds->item);
    ds->category = malloc(S * sizeof *ds->category);
    ds->brand = malloc(S * sizeof *ds->brand);
    ds->log_dwell = malloc(S * sizeof(float));
    ds->log_price = malloc(S * sizeof(float));
    for (size_t s = 0; s < S; s++) {
        ds->type[s] = (uint16_t)(1 + cs_rng_below(&r, (uint64_t)n_types));
        ds->item[s] = (uint32_t)cs_rng_below(&r, 10);
        ds->category[s] = (uint32_t)cs_rng_below(&r, 10);
        ds->brand[s] = (uint32_t)cs_rng_below(&r, 10);
        ds->log_dwell[s] = (float)(3.0 * cs_rng_uniform(&r));
        ds->log_price[s] = (float)(1.0 + 2.0 * cs_rng_uniform(&r));
    }
}

static inline void tu_feat_dataset(cs_dataset *ds, size_t n, size_t n_feat, uint64_t seed)
{
    cs_rng r;
    tu_dataset_begin(ds, CS_VIEW_FEATURES, n, &r, seed);
    ds->n_feat = n_feat;
    ds->feat = malloc(n * n_feat * sizeof(float));
    for (size_t i = 0; i < n * n_feat; i++)
        ds->feat[i] = (float)(4.0 * cs_rng_uniform(&r) + (double)(i % n_feat));
    for (size_t i = 0; i < n; i++)
        ds->label[i] = (uint8_t)cs_rng_below(&r, 2);
}

/* A hybrid dataset: tu_seq_dataset's sessions plus n_feat features per session (values
 * around their column index, like tu_feat_dataset's). */
static inline void tu_hybrid_dataset(cs_dataset *ds, size_t n, const int *len, int maxlen,
                                     int n_types, size_t n_feat, uint64_t seed)
{
    tu_seq_dataset(ds, n, len, maxlen, n_types, seed);
    ds->view = CS_VIEW_HYBRID;
    cs_rng r;
    cs_rng_seed(&r, seed + 100);
    ds->n_feat = n_feat;
    ds->feat = malloc(n * n_feat * sizeof(float));
    for (size_t i = 0; i < n * n_feat; i++)
        ds->feat[i] = (float)(4.0 * cs_rng_uniform(&r) + (double)(i % n_feat));
}

/* Random history inputs (CS_HIST_INPUTS per step, 0..3) on a sequence or hybrid dataset. */
static inline void tu_add_history(cs_dataset *ds, uint64_t seed)
{
    cs_rng r;
    cs_rng_seed(&r, seed);
    ds->hist = malloc(ds->n_steps * CS_HIST_INPUTS * sizeof(float) + 1);
    for (size_t i = 0; i < ds->n_steps * CS_HIST_INPUTS; i++)
        ds->hist[i] = (float)(3.0 * cs_rng_uniform(&r));
}

/* The datasets own what they hold, like a loaded one. */
static inline void tu_dataset_free(cs_dataset *ds)
{
    cs_dataset_free(ds);
}

/* The default model configuration with this cell and `layers` stacked layers (h0 units in
 * the first, h1 in the second). */
static inline void tu_model_config(cs_model_config *c, cs_cell_kind cell, int layers, int h0,
                                   int h1, int bidir)
{
    cs_model_config_init(c);
    c->cell = cell;
    c->layers = layers;
    c->hidden[0] = h0;
    c->hidden[1] = h1;
    c->bidir = bidir;
}

/* A batch of all n sessions in dataset order. */
static inline cs_status tu_batch_all(cs_batch *b, const cs_dataset *ds)
{
    size_t *idx = malloc(ds->n * sizeof *idx);
    for (size_t i = 0; i < ds->n; i++)
        idx[i] = i;
    cs_status st = cs_batch_build(b, ds, idx, ds->n, NULL);
    free(idx);
    return st;
}

#endif
