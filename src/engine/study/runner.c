/* runner.c — a run configuration -> a trained and saved run (see runner.h). */
#include "clickseq/runner.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clickseq/pipeline.h"
#include "clickseq/runstore.h"
#include "clickseq/xgb.h"

void cs_trained_free(cs_trained *t)
{
    if (!t)
        return;
    cs_train_result_free(&t->res);
    cs_xgb_free(t->xgb);
    t->xgb = NULL;
    for (int i = 0; i < t->n_types; i++)
        free(t->type_names[i]);
    free(t->type_names);
    t->type_names = NULL;
    t->n_types = 0;
    for (int i = 0; i < t->n_feat; i++)
        free(t->feat_names[i]);
    free(t->feat_names);
    t->feat_names = NULL;
    t->n_feat = 0;
}

/* A copy of n strings (NULL entries as ""), counted into *got as they are made. */
static cs_status copy_names(char ***dst, int *got, char *const *src, int n, cs_error *err)
{
    *dst = calloc((size_t)n, sizeof **dst);
    if (!*dst)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory");
    for (int i = 0; i < n; i++) {
        if (!((*dst)[i] = strdup(src[i] ? src[i] : "")))
            return cs_error_fmt(err, CS_ENOMEM, "out of memory");
        *got = i + 1;
    }
    return CS_OK;
}

/* The data facts a run keeps (and saves) from its dataset. */
static cs_status take_facts(cs_trained *t, const cs_dataset *ds, const cs_split *sp,
                            cs_error *err)
{
    t->n_sessions = ds->n;
    t->n_train = sp->n_train;
    t->n_valid = sp->n_valid;
    t->n_test = sp->n_test;
    t->positive_rate = cs_dataset_positive_rate(ds);
    t->pos_train = t->pos_valid = t->pos_test = 0;
    for (size_t i = 0; i < sp->n_train; i++)
        t->pos_train += ds->label[sp->train[i]] != 0;
    for (size_t i = 0; i < sp->n_valid; i++)
        t->pos_valid += ds->label[sp->valid[i]] != 0;
    for (size_t i = 0; i < sp->n_test; i++)
        t->pos_test += ds->label[sp->test[i]] != 0;
    t->fingerprint = ds->fingerprint;
    cs_status st = CS_OK;
    if (ds->type_names && ds->n_types > 0)   /* ids 1..n */
        st = copy_names(&t->type_names, &t->n_types, ds->type_names + 1, ds->n_types, err);
    if (!st && CS_VIEW_HAS_FEAT(ds->view) && ds->feat_names && ds->n_feat > 0)
        st = copy_names(&t->feat_names, &t->n_feat, ds->feat_names, (int)ds->n_feat, err);
    return st;
}

/* Save t as o->out_dir (t->dir, t->saved).  st is how training ended: CS_OK, or CS_ERUNTIME
 * for a divergence (err holds its message, kept and returned when the save works). */
static cs_status save_trained(cs_trained *t, const cs_run_opts *o, cs_status st, cs_error *err)
{
    cs_error e;
    struct stat sb;
    int existed = stat(o->out_dir, &sb) == 0;
    cs_status s = cs_trained_save_as(t, o->out_dir, 0, t->dir, sizeof t->dir, &e);
    if (s && !existed && stat(o->out_dir, &sb) == 0)   /* taken meanwhile: the next free name */
        s = cs_trained_save_as(t, o->out_dir, 1, t->dir, sizeof t->dir, &e);
    t->saved = s == CS_OK;
    if (s == CS_OK)
        return st;
    if (st && err) {   /* diverged, and not saved either: say both */
        char m[sizeof err->msg];
        snprintf(m, sizeof m, "%.480s; the run could not be saved: %.480s", err->msg, e.msg);
        snprintf(err->msg, sizeof err->msg, "%s", m);
        err->code = s;
    } else if (err)
        *err = e;
    return s;
}

cs_status cs_run_train(const cs_run_config *cfg, const cs_run_opts *opts, cs_trained *t,
                       cs_error *err)
{
    static const cs_run_opts none;
    const cs_run_opts *o = opts ? opts : &none;
    memset(t, 0, sizeof *t);
    t->cfg = *cfg;
    if (o->mon) {
        cs_monitor_begin(o->mon, CS_RUN_LOADING, cfg->epochs, 0, 1);
        cs_monitor_message(o->mon, "loading the data");
    }
    cs_dataset own;
    const cs_dataset *ds = NULL;
    int owned = 0;
    cs_split sp;
    memset(&sp, 0, sizeof sp);
    cs_status st = cs_run_config_check(&t->cfg, err);
    if (!st && o->cache) {
        st = cs_data_cache_get(o->cache, &t->cfg, &ds, &t->led, err);
    } else if (!st) {
        st = cs_pipeline_load_progress(&t->cfg, &own, &t->led, NULL, o->load_progress,
                                       o->load_progress_ctx, err);
        owned = !st;
        ds = &own;
    }
    if (!st)
        st = cs_split_make(&sp, ds, t->cfg.split, t->cfg.train_frac, t->cfg.valid_frac,
                           t->cfg.seed, err);
    if (!st)
        st = take_facts(t, ds, &sp, err);
    if (st) {
        if (o->mon)
            cs_monitor_finish(o->mon, CS_RUN_FAILED, NULL, err ? err->msg : NULL);
    } else {
        cs_model_config_from_data(&t->cfg.model, ds);
        cs_run_config_absolute_paths(&t->cfg);
        t->loaded = 1;
        if (o->ready)
            o->ready(o->ud, t);
        if (t->cfg.model.cell != CS_CELL_XGBOOST)
            st = cs_train_comm(&t->cfg, ds, &sp, o->mon, o->comm, &t->res, err);
        else if (cs_comm_many(o->comm)) {
            st = cs_error_fmt(err, CS_EINPUT, "cell xgboost trains in one process (not under "
                              "mpirun with several ranks)");
            if (o->mon)
                cs_monitor_finish(o->mon, CS_RUN_FAILED, NULL, err ? err->msg : NULL);
        } else
            st = cs_xgb_train(&t->cfg, ds, &sp, o->mon, &t->res, &t->xgb, err);
        /* a diverged run keeps its finished epochs and last good weights: saved too */
        t->trained = (t->res.model || t->xgb) &&
                     (!st || (st == CS_ERUNTIME && t->res.status == CS_STATUS_DIVERGED));
        if (t->trained && o->out_dir)
            st = save_trained(t, o, st, err);
    }
    cs_split_free(&sp);
    if (owned)
        cs_dataset_free(&own);
    return st;
}

cs_status cs_trained_save(const cs_trained *t, const char *dir, cs_error *err)
{
    return cs_trained_save_as(t, dir, 0, NULL, 0, err);
}

cs_status cs_trained_save_as(const cs_trained *t, const char *dir, int unique, char *saved,
                             size_t n, cs_error *err)
{
    if (!t->res.model && !t->xgb)
        return cs_error_fmt(err, CS_EINPUT, "%s: the run has no model to save", dir);
    cs_weights w;
    cs_run_save_info info;
    memset(&info, 0, sizeof info);
    unsigned char *image = NULL;
    if (t->xgb) {   /* gradient boosting: model.xgb instead of model.bin */
        cs_status st = cs_xgb_to_buffer(t->xgb, &image, &info.model_size, err);
        if (st)
            return st;
        info.model_file = CS_XGB_FILE;
        info.model_bytes = image;
    } else {
        cs_weights_of_model(t->res.model, &w);
        info.weights = &w;
        info.nparams = w.nparams;
    }
    info.fingerprint = t->fingerprint;
    info.type_names = (const char *const *)t->type_names;
    info.n_type_names = t->n_types;
    info.feat_names = (const char *const *)t->feat_names;
    info.n_feat_names = t->n_feat;
    cs_status st = unique ? cs_run_save_unique(dir, &t->cfg, &t->res, &info, saved, n, err)
                          : cs_run_save(dir, &t->cfg, &t->res, &info, err);
    if (!st && saved && !unique)
        snprintf(saved, n, "%s", dir);
    free(image);
    return st;
}
