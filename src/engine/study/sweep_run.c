/* sweep_run.c — running a sweep: apply each run's grid values to the base configuration,
 * load the data once per data configuration, train, save, tabulate; then the baselines
 * for each data configuration (see sweep.h). */
#include "clickseq/sweep.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "clickseq/baseline.h"
#include "clickseq/pipeline.h"
#include "clickseq/runstore.h"

/* ---- the data cache: events kept while the load options stay the same, the dataset
 * rebuilt only when the view options change ---- */
static const char *const load_params[] = {
    "data", "outcomes", "format", "map", "purchase-event", "header", "delim",
    "session-gap", "skip-bad-rows", "label", "drop", "time-col",
};
static const char *const view_params[] = {"view", "method", "max-len", "min-len", "policy"};

struct cs_data_cache {
    char load_key[4096], view_key[256];
    cs_events ev;
    int have_ev, have_ds;
    int from_events;          /* ev holds the events (a features table leaves it empty) */
    cs_dataset ds;
    cs_ledger led;
};
typedef cs_data_cache data_cache;

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

static void cache_clear(data_cache *dc)
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
            st = cs_dataset_from_events(&dc->ds, &dc->ev, &cfg->ds, &l, err);
        } else {
            cache_clear(dc);
            memset(&dc->led, 0, sizeof dc->led);
            /* the pipeline initialises ev itself and fills it only on success */
            st = cs_pipeline_load(cfg, &dc->ds, &dc->led, &dc->ev, err);
            if (!st) {
                dc->have_ev = 1;
                dc->from_events = cfg->format != CS_FMT_FEATURES;
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

/* Keys of a results row: "model", then every axis except cell. */
static size_t row_keys(const cs_sweep_grid *g, const char **vals, const char *model,
                       int data_only, const char **keys)
{
    size_t n = 0;
    keys[n++] = model;
    for (size_t k = 0; k < g->n_axes; k++) {
        if (!strcmp(g->axes[k].name, "cell"))
            continue;
        const cs_param *p = cs_param_find(g->axes[k].name);
        keys[n++] = !data_only || (p && p->group == 0) ? vals[k] : "-";
    }
    return n;
}

static cs_status make_dir(const char *path, cs_error *err)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return cs_error_set(err, CS_EIO, path, 0, 0, "cannot create directory: %s",
                            strerror(errno));
    return CS_OK;
}

/* Save a trained run: the configuration with the model shape taken from the data, the
 * weights (and the features normaliser), the event-type names in id order. */
static cs_status save_run(const char *dir, const cs_run_config *cfg, const cs_dataset *ds,
                          const cs_train_result *tr, cs_error *err)
{
    cs_run_config c = *cfg;
    const cs_model_config *mc = cs_model_config_of(tr->model);
    c.model.view = mc->view;          /* the shape taken from the data; the rest as configured */
    c.model.n_types = mc->n_types;
    c.model.n_feat = mc->n_feat;
    cs_weights w;
    memset(&w, 0, sizeof w);
    w.config_hash = cs_model_config_hash(&c.model);   /* what config.txt will say */
    w.nparams = cs_model_nparams(tr->model);
    w.w = cs_model_params(tr->model);
    if (c.model.view == CS_VIEW_FEATURES && c.model.n_feat > 0) {
        w.n_norm = (size_t)c.model.n_feat;
        w.norm_mean = cs_model_norm_mean(tr->model);
        w.norm_std = cs_model_norm_std(tr->model);
    }
    cs_run_save_info info;
    memset(&info, 0, sizeof info);
    info.fingerprint = ds->fingerprint;
    if (ds->type_names && ds->n_types > 0) {
        info.type_names = (const char *const *)ds->type_names + 1;   /* ids 1..n */
        info.n_type_names = ds->n_types;
    }
    info.weights = &w;
    info.nparams = w.nparams;
    return cs_run_save(dir, &c, tr, &info, err);
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

cs_status cs_sweep_train_one(cs_data_cache *dc, const cs_run_config *cfg,
                             const char *const *keys, const char *run_dir, cs_monitor *mon,
                             cs_train_result *keep, cs_results *res, cs_error *err)
{
    const cs_dataset *ds;
    cs_split sp;
    cs_status st = cs_data_cache_split(dc, cfg, &ds, &sp, err);
    if (st)
        return st;
    cs_train_result tr;
    memset(&tr, 0, sizeof tr);
    st = cs_train(cfg, ds, &sp, mon, &tr, err);
    if (!st && run_dir)
        st = save_run(run_dir, cfg, ds, &tr, err);
    if (!st)
        st = cs_results_add(res, keys, cfg->seed, &tr.test, cs_model_nparams(tr.model),
                            tr.seconds, run_dir, err);
    if (!st && keep)
        *keep = tr;
    else
        cs_train_result_free(&tr);
    cs_split_free(&sp);
    return st;
}

cs_status cs_sweep_rule_one(cs_data_cache *dc, const cs_run_config *cfg, int rule,
                            const char *const *keys, cs_results *res, cs_error *err)
{
    const cs_dataset *ds;
    cs_split sp;
    cs_status st = cs_data_cache_split(dc, cfg, &ds, &sp, err);
    cs_metrics m;
    if (!st)
        st = cs_baseline_eval((cs_baseline_kind)rule, ds, &sp, &m, err);
    if (!st)
        st = cs_results_add(res, keys, cfg->seed, &m, 0, 0.0, "", err);
    cs_split_free(&sp);
    return st;
}

/* Train run i of the sweep with the hooks around it. */
static cs_status hooked_run(data_cache *dc, const cs_run_config *cfg, const char *const *keys,
                            const cs_sweep_opts *o, const cs_sweep_hooks *h, size_t i, size_t n,
                            cs_results *res, cs_error *err)
{
    char run[1024];
    if (o && o->out_dir)
        snprintf(run, sizeof run, "%s/%s", o->out_dir, cfg->name);
    cs_monitor *mon = h && h->begin ? h->begin(h->ud, i, n, cfg) : NULL;
    cs_train_result tr;
    memset(&tr, 0, sizeof tr);
    cs_status st = cs_sweep_train_one(dc, cfg, keys, o && o->out_dir ? run : NULL, mon,
                                      h && h->end ? &tr : NULL, res, err);
    if (h && h->end)
        h->end(h->ud, i, n, cfg, st ? NULL : &tr, st, err);
    if (!st && h && h->end)
        cs_train_result_free(&tr);
    return st;
}

/* Majority and has-cart rules on the data of cfg with its split. */
static cs_status rules_one(data_cache *dc, const cs_run_config *cfg, const cs_sweep_grid *g,
                           const char **vals, cs_results *res, cs_error *err)
{
    const cs_dataset *ds;
    cs_status st = cs_data_cache_get(dc, cfg, &ds, NULL, err);
    for (int k = CS_BASE_MAJORITY; !st && k <= CS_BASE_CART; k++) {
        if (k == CS_BASE_CART && !cs_baseline_has_cart(ds))
            continue;
        const char *keys[CS_RESULTS_MAX_KEYS];
        row_keys(g, vals, cs_baseline_name((cs_baseline_kind)k), 1, keys);
        st = cs_sweep_rule_one(dc, cfg, k, keys, res, err);
    }
    return st;
}

/* The distinct data configurations of the grid: a run index for each. */
static size_t data_combos(const cs_sweep_grid *g, const cs_run_config *base, size_t *first)
{
    size_t seeds = (size_t)(g->seeds > 0 ? g->seeds : 1), runs = cs_sweep_grid_runs(g), nf = 0;
    char (*keys)[512] = malloc(runs * sizeof *keys);
    if (!keys)
        return 0;
    for (size_t i = 0; i < runs; i += seeds) {
        const char *vals[CS_SWEEP_MAX_AXES];
        cs_sweep_grid_values(g, i, vals, NULL);
        char k[512] = "";
        size_t len = 0;
        for (size_t a = 0; a < g->n_axes; a++) {
            const cs_param *p = cs_param_find(g->axes[a].name);
            if (p && p->group == 0 && len < sizeof k)
                len += (size_t)snprintf(k + len, sizeof k - len, "%s\n", vals[a]);
        }
        size_t j = 0;
        while (j < nf && strcmp(keys[j], k))
            j++;
        if (j == nf) {
            memcpy(keys[nf], k, sizeof k);
            first[nf++] = i;
        }
    }
    free(keys);
    (void)base;
    return nf;
}

static cs_status baselines(data_cache *dc, const cs_run_config *base, const cs_sweep_grid *g,
                           const cs_sweep_opts *o, const cs_sweep_hooks *h, cs_results *res,
                           cs_error *err)
{
    size_t runs = cs_sweep_grid_runs(g), seeds = (size_t)(g->seeds > 0 ? g->seeds : 1);
    size_t *first = malloc(runs * sizeof *first);
    if (!first)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory for baselines");
    size_t nf = data_combos(g, base, first);
    cs_status st = CS_OK;
    for (size_t f = 0; f < nf && !st; f++) {
        for (size_t s = 0; s < seeds && !st; s++) {
            if (h && h->cancelled && h->cancelled(h->ud)) {
                st = cs_error_fmt(err, CS_ECANCEL, "sweep stopped");
                break;
            }
            cs_run_config cfg, lr;
            const char *vals[CS_SWEEP_MAX_AXES], *keys[CS_RESULTS_MAX_KEYS];
            st = cs_sweep_grid_config(g, base, first[f] + s, &cfg, NULL, err);
            cs_sweep_grid_values(g, first[f] + s, vals, NULL);
            if (!st)
                st = rules_one(dc, &cfg, g, vals, res, err);
            if (st)
                break;
            cs_baseline_logreg_config(&cfg, &lr);
            snprintf(lr.name, sizeof lr.name, "logreg-d%zu-s%llu", f, (unsigned long long)lr.seed);
            row_keys(g, vals, "logreg (baseline)", 1, keys);   /* not merged with a logreg cell */
            st = hooked_run(dc, &lr, keys, o, h, runs + f * seeds + s, runs + nf * seeds, res, err);
        }
    }
    free(first);
    return st;
}

cs_status cs_sweep_run(const cs_run_config *base, const cs_sweep_grid *g,
                       const cs_sweep_opts *o, const cs_sweep_hooks *h, cs_results *res,
                       cs_error *err)
{
    const char *names[CS_RESULTS_MAX_KEYS];
    size_t nk = 0;
    names[nk++] = "model";
    for (size_t k = 0; k < g->n_axes; k++)
        if (strcmp(g->axes[k].name, "cell"))
            names[nk++] = g->axes[k].name;
    cs_status st = cs_results_init(res, nk, names, err);
    if (!st)
        st = cs_sweep_grid_check(g, base, err);
    if (!st && o && o->out_dir)
        st = make_dir(o->out_dir, err);
    if (st)
        return st;
    data_cache *dc = cs_data_cache_new();
    if (!dc)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory for the sweep");
    size_t runs = cs_sweep_grid_runs(g);
    for (size_t i = 0; i < runs && !st; i++) {
        if (h && h->cancelled && h->cancelled(h->ud)) {
            st = cs_error_fmt(err, CS_ECANCEL, "sweep stopped after %zu of %zu runs", i, runs);
            break;
        }
        cs_run_config cfg;
        const char *vals[CS_SWEEP_MAX_AXES], *keys[CS_RESULTS_MAX_KEYS];
        st = cs_sweep_grid_config(g, base, i, &cfg, NULL, err);
        if (st)
            break;
        cs_sweep_grid_values(g, i, vals, NULL);
        row_keys(g, vals, cs_cell_name(cfg.model.cell), 0, keys);
        st = hooked_run(dc, &cfg, keys, o, h, i, runs, res, err);
        if (st == CS_ERUNTIME && (!o || !o->stop_on_error))
            st = CS_OK;       /* reported by the end hook; the sweep goes on */
    }
    if (!st && o && o->baselines)
        st = baselines(dc, base, g, o, h, res, err);
    cs_data_cache_free(dc);
    return st;
}
