/* early_run.c — early prediction from a saved run: rebuild its model, find its test
 * sessions, evaluate their prefixes (see early.h). */
#include "clickseq/early.h"

#include <stdlib.h>
#include <string.h>

#include "clickseq/pipeline.h"
#include "clickseq/runstore.h"
#include "clickseq/train.h"

void cs_early_opts_init(cs_early_opts *o)
{
    memset(o, 0, sizeof *o);
    o->k_min = 1;
    o->k_max = 20;
}

/* Indices in full of the sessions in the run's test split (its own dataset). */
static cs_status test_sessions(const cs_run_config *cfg, const cs_dataset *own,
                               const cs_dataset *full, size_t **idx, size_t *n, cs_error *err)
{
    cs_split sp;
    cs_status st = cs_split_make(&sp, own, cfg->split, cfg->train_frac, cfg->valid_frac,
                                 cfg->seed, err);
    if (st)
        return st;
    uint32_t maxid = 0;
    for (size_t i = 0; i < full->n; i++)
        maxid = full->session_id[i] > maxid ? full->session_id[i] : maxid;
    for (size_t i = 0; i < own->n; i++)
        maxid = own->session_id[i] > maxid ? own->session_id[i] : maxid;
    uint8_t *in_test = calloc((size_t)maxid + 1, 1);
    *idx = malloc((full->n ? full->n : 1) * sizeof **idx);
    if (!in_test || !*idx) {
        free(in_test);
        cs_split_free(&sp);
        return cs_error_fmt(err, CS_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < sp.n_test; i++)
        in_test[own->session_id[sp.test[i]]] = 1;
    *n = 0;
    for (size_t i = 0; i < full->n; i++)
        if (in_test[full->session_id[i]])
            (*idx)[(*n)++] = i;
    free(in_test);
    cs_split_free(&sp);
    return CS_OK;
}

cs_status cs_early_from_run(const cs_run *run, const cs_run_config *cfg,
                            const cs_early_opts *o, cs_early_point *out, cs_error *err)
{
    if (cfg->ds.view != CS_VIEW_SEQUENCE || cfg->ds.method != CS_METHOD_HONEST ||
        run->cfg.model.view != CS_VIEW_SEQUENCE)
        return cs_error_set(err, CS_EINPUT, run->path, 0, 0,
                            "early prediction needs a sequence model trained with the honest method");
    if (cfg->format == CS_FMT_FEATURES)
        return cs_error_fmt(err, CS_EINPUT, "early prediction needs events, not a features table");
    cs_events ev;
    cs_dataset own, full;
    memset(&own, 0, sizeof own);
    memset(&full, 0, sizeof full);
    size_t *idx = NULL, n = 0;
    cs_model *m = NULL;
    cs_ledger led;
    memset(&led, 0, sizeof led);
    /* the pipeline initialises ev and fills it only on success */
    cs_status st = cs_pipeline_load_progress(cfg, &own, &led, &ev, o->progress, o->progress_ctx, err);
    if (st)
        return st;
    cs_dataset_opts fo = cfg->ds;
    fo.max_len = 0;                 /* the first k events must all be there */
    fo.threads = cfg->threads;
    st = cs_dataset_from_events(&full, &ev, &fo, NULL, err);
    if (!st)
        st = cs_run_remap_types(run, &full, err);
    if (!st && o->all_sessions) {
        idx = malloc((full.n ? full.n : 1) * sizeof *idx);
        if (!idx)
            st = cs_error_fmt(err, CS_ENOMEM, "out of memory");
        for (size_t i = 0; !st && i < full.n; i++)
            idx[n++] = i;
    } else if (!st) {
        st = test_sessions(cfg, &own, &full, &idx, &n, err);
    }
    if (!st)
        st = cs_run_model_new(run, &m, err);
    for (int k = o->k_min; !st && k <= o->k_max; k++) {   /* one k at a time: cancellable */
        if (o->cancelled && o->cancelled(o->ud))
            st = cs_error_fmt(err, CS_ECANCEL, "early prediction stopped at k = %d", k);
        else
            st = cs_early_curve(m, &full, idx, n, k, k, run->threshold, cfg->batch,
                                &out[k - o->k_min], err);
    }
    cs_model_free(m);
    free(idx);
    cs_dataset_free(&own);
    cs_dataset_free(&full);
    cs_events_free(&ev);
    return st;
}
