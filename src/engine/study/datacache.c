/* datacache.c — the data cache (see datacache.h): events kept while the load options stay
 * the same, the dataset rebuilt only when the view options change. */
#include "clickseq/datacache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clickseq/pipeline.h"

static const char *const load_params[] = {
    "data", "outcomes", "format", "map", "purchase-event", "header", "delim",
    "session-gap", "skip-bad-rows", "label", "drop", "time-col",
};
static const char *const view_params[] = {"view", "method", "max-len", "min-len", "policy",
                                          "history-inputs"};

struct cs_data_cache {
    char load_key[4096], view_key[256];
    cs_events ev;
    int have_ev, have_ds;
    int from_events;          /* ev holds the events (a features table leaves it empty) */
    cs_dataset ds;
    cs_ledger led;
    cs_load_progress_fn progress;   /* for the next load (may be NULL) */
    void *progress_ctx;
};

void cs_data_cache_set_progress(cs_data_cache *dc, cs_load_progress_fn fn, void *ctx)
{
    dc->progress = fn;
    dc->progress_ctx = ctx;
}

static void key_of(const cs_run_config *c, const char *const *names, size_t n, char *buf,
                   size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < cap; i++) {
        char v[600];
        cs_param_get(c, names[i], v, sizeof v);
        int w = snprintf(buf + len, cap - len, "%s=%s\n", names[i], v);
        if (w > 0)
            len += (size_t)w;
    }
}

static void cache_clear(cs_data_cache *dc)
{
    if (dc->have_ds)
        cs_dataset_free(&dc->ds);
    if (dc->have_ev)
        cs_events_free(&dc->ev);
    dc->have_ds = dc->have_ev = 0;
    dc->load_key[0] = dc->view_key[0] = '\0';
}

cs_data_cache *cs_data_cache_new(void)
{
    return calloc(1, sizeof(cs_data_cache));
}

void cs_data_cache_free(cs_data_cache *dc)
{
    if (dc) {
        cache_clear(dc);
        free(dc);
    }
}

cs_status cs_data_cache_get(cs_data_cache *dc, const cs_run_config *cfg, const cs_dataset **ds,
                            cs_ledger *led, cs_error *err)
{
    char lk[sizeof dc->load_key], vk[sizeof dc->view_key];
    key_of(cfg, load_params, sizeof load_params / sizeof *load_params, lk, sizeof lk);
    key_of(cfg, view_params, sizeof view_params / sizeof *view_params, vk, sizeof vk);
    cs_status st = CS_OK;
    if (!dc->have_ds || strcmp(lk, dc->load_key) || strcmp(vk, dc->view_key)) {
        if (dc->have_ds) {
            cs_dataset_free(&dc->ds);
            dc->have_ds = 0;
        }
        if (dc->have_ev && dc->from_events && !strcmp(lk, dc->load_key)) {
            cs_ledger l = dc->led;
            cs_dataset_opts dso = cfg->ds;
            dso.threads = cfg->threads;
            st = cs_dataset_from_events(&dc->ds, &dc->ev, &dso, &l, err);
        } else {
            cache_clear(dc);
            memset(&dc->led, 0, sizeof dc->led);
            /* the pipeline initialises ev itself and fills it only on success */
            st = cs_pipeline_load_progress(cfg, &dc->ds, &dc->led, &dc->ev, dc->progress,
                                           dc->progress_ctx, err);
            if (!st) {
                cs_pipeline_guess g;
                dc->have_ev = 1;
                dc->from_events = cs_pipeline_resolve(cfg, &g, NULL) == CS_OK
                                      ? g.format != CS_FMT_FEATURES : cfg->format != CS_FMT_FEATURES;
                snprintf(dc->load_key, sizeof dc->load_key, "%s", lk);
            }
        }
        if (st)
            return st;
        dc->have_ds = 1;
        snprintf(dc->view_key, sizeof dc->view_key, "%s", vk);
    }
    if (ds)
        *ds = &dc->ds;
    if (led)
        *led = dc->led;
    return CS_OK;
}

cs_status cs_data_cache_split(cs_data_cache *dc, const cs_run_config *cfg, const cs_dataset **ds,
                              cs_split *sp, cs_error *err)
{
    memset(sp, 0, sizeof *sp);
    cs_status st = cs_data_cache_get(dc, cfg, ds, NULL, err);
    if (!st)
        st = cs_split_make(sp, *ds, cfg->split, cfg->train_frac, cfg->valid_frac, cfg->seed, err);
    return st;
}

