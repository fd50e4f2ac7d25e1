/* engine.c — what the workbench adds on top of the engine (see engine.h): the data
 * summary, the form's parameter count, runs as the screens hold them, the run store. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/tui/engine.h"
#include "clickseq/runstore.h"

/* ======================= the form's parameter count ======================= */
/* What the data fixes in a model (view, event types, features), from the last load. */
static cs_model_config data_shape;
static int have_shape;

/* The parameter count of the configured model, counted from the layout without building
 * it (16M hash buckets x a 1024 embedding would otherwise allocate 128 GB at a keypress);
 * cached per distinct configuration (the form asks at every redraw). */
size_t tui_eng_nparams(const cs_run_config *c)
{
    static cs_model_config last;
    static size_t last_n;
    static int valid;
    cs_model_config m = c->model;
    if (have_shape) {
        m.view = data_shape.view;
        m.n_types = data_shape.n_types;
        m.n_feat = data_shape.n_feat;
    }
    if (valid && !memcmp(&m, &last, sizeof m))
        return last_n;
    cs_error e;
    if (cs_model_config_nparams(&m, &last_n, &e) != CS_OK)
        last_n = 0;
    last = m;
    valid = 1;
    return last_n;
}

/* ======================= data ======================= */
static void summarise(const cs_dataset *ds, const cs_ledger *led, tui_data_info *info)
{
    info->sessions = (long)ds->n;
    info->positives = 0;
    for (size_t i = 0; i < ds->n; i++) info->positives += ds->label[i];
    info->rows_read = led->rows_read;
    info->rows_used = led->rows_used;
    info->rows_skipped = led->rows_skipped;
    info->dropped = 0;
    for (int i = 0; i < CS_DROP_NREASONS; i++) info->dropped += led->sessions_dropped[i];
    info->dropped_events = led->events_after_purchase + led->events_truncated;
    cs_length_summary ls;
    if (cs_dataset_length_summary(ds, &ls) == 1) {
        for (int i = 0; i < TUI_LEN_BINS && i < CS_LEN_BINS; i++) info->len_hist[i] = ls.hist[i];
        info->mean_len = ls.mean;
        info->p50 = ls.p50;
        info->p90 = ls.p90;
        info->max_len = ls.max;
    }
}

cs_status tui_eng_data_load(cs_data_cache *cache, const cs_run_config *cfg, tui_data_info *info,
                            cs_error *err)
{
    const cs_dataset *ds;
    cs_ledger led;
    cs_status st = cs_data_cache_get(cache, cfg, &ds, &led, err);
    if (st != CS_OK)
        return st;
    memset(info, 0, sizeof *info);
    const char *slash = strrchr(cfg->data, '/');
    snprintf(info->name, sizeof info->name, "%.127s", slash ? slash + 1 : cfg->data);
    char *dot = strrchr(info->name, '.');
    if (dot && (!strcmp(dot, ".csv") || !strcmp(dot, ".tsv"))) *dot = '\0';
    summarise(ds, &led, info);
    info->clicks_only = ds->view == CS_VIEW_SEQUENCE && ds->n_types >= 1 && ds->type_names &&
                        !strcmp(ds->type_names[1], "click");
    cs_model_config shape;
    cs_model_config_init(&shape);
    cs_model_config_from_data(&shape, ds);
    info->shape_view = (int)shape.view;
    info->shape_n_types = shape.n_types;
    info->shape_n_feat = shape.n_feat;
    return CS_OK;
}

void tui_eng_use_data(const tui_data_info *info)
{
    cs_model_config_init(&data_shape);
    data_shape.view = (cs_view)info->shape_view;
    data_shape.n_types = info->shape_n_types;
    data_shape.n_feat = info->shape_n_feat;
    have_shape = 1;
}

/* ======================= runs ======================= */
void tui_run_free(tui_run *r)
{
    free(r->hist);
    free(r->batch_loss);
    if (r->trained) {
        cs_trained_free(r->trained);
        free(r->trained);
    }
    r->hist = NULL; r->batch_loss = NULL; r->trained = NULL;
    r->n_hist = r->n_batch_loss = 0;
}

static int copy_history(tui_run *run, const cs_epoch *h, size_t nh, const float *bl, size_t nb)
{
    run->hist = nh ? malloc(nh * sizeof *h) : NULL;
    run->batch_loss = nb ? malloc(nb * sizeof *bl) : NULL;
    if ((nh && !run->hist) || (nb && !run->batch_loss)) return -1;
    if (nh) memcpy(run->hist, h, nh * sizeof *h);
    if (nb) memcpy(run->batch_loss, bl, nb * sizeof *bl);
    run->n_hist = nh;
    run->n_batch_loss = nb;
    return 0;
}

int tui_run_of_trained(tui_run *run, cs_trained *t)
{
    memset(run, 0, sizeof *run);
    const cs_run_config *cfg = &t->cfg;
    run->cfg = *cfg;
    if (cfg->name[0]) snprintf(run->name, sizeof run->name, "%s", cfg->name);
    else snprintf(run->name, sizeof run->name, "%s-h%d", cs_cell_name(cfg->model.cell), cfg->model.hidden[0]);
    const cs_train_result *r = &t->res;
    run->nparams = r->model ? cs_model_nparams(r->model) : 0;
    run->test = r->test;
    run->best_epoch = r->best_epoch;
    run->stopped = r->stopped;
    run->seconds = r->seconds;
    run->threshold = r->threshold;
    run->trained = malloc(sizeof *run->trained);
    if (!run->trained || copy_history(run, r->hist, r->n_hist, r->batch_loss, r->n_batch_loss)) {
        cs_trained_free(t);
        tui_run_free(run);
        return -1;
    }
    *run->trained = *t;
    memset(t, 0, sizeof *t);
    return 0;
}

/* ======================= run store ======================= */
cs_status tui_runs_save(const char *dir, tui_run *run, cs_error *err)
{
    if (!run->trained || (!run->trained->res.model && !run->trained->xgb))
        return cs_error_fmt(err, CS_EINPUT, "run %s has no model in memory: only a run trained in "
                            "this session can be saved", run->name);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return cs_error_set(err, CS_EIO, dir, 0, 0, "cannot create: %s", strerror(errno));
    /* the name is claimed atomically (NAME, NAME-2, ...): two workbenches sharing a runs
     * directory keep both runs */
    char path[1024], saved[1024] = "";
    snprintf(path, sizeof path, "%.900s/%.63s", dir, run->name);
    cs_status st = cs_trained_save_as(run->trained, path, 1, saved, sizeof saved, err);
    const char *base = strrchr(saved, '/');
    if (st == CS_OK) snprintf(run->name, sizeof run->name, "%.63s", base ? base + 1 : saved);
    return st;
}

int tui_run_is_path(const char *ref)
{
    return ref[0] == '/' || !strncmp(ref, "./", 2) || !strncmp(ref, "../", 3) || !strcmp(ref, ".") ||
           !strcmp(ref, "..");
}

int tui_run_path(const char *dir, const char *ref, char *out, size_t n)
{
    int k = tui_run_is_path(ref) ? snprintf(out, n, "%s", ref) : snprintf(out, n, "%s/%s", dir, ref);
    return k < 0 || (size_t)k >= n ? -1 : 0;
}

cs_status tui_runs_load(const char *dir, const char *name, tui_run *run, cs_error *err)
{
    char path[1200];
    cs_run r;
    memset(run, 0, sizeof *run);
    if (strlen(name) >= sizeof run->name || tui_run_path(dir, name, path, sizeof path))
        return cs_error_fmt(err, CS_EINPUT, "%.80s...: the run's path is too long", name);
    cs_status st = cs_run_load(path, CS_RUN_HISTORY | CS_RUN_BATCHES, &r, err);
    if (st != CS_OK) return st;
    snprintf(run->name, sizeof run->name, "%s", name);
    run->cfg = r.cfg;
    run->test = r.test;
    run->best_epoch = r.best_epoch;
    run->stopped = r.stopped;
    run->nparams = r.nparams;
    run->seconds = r.seconds;
    run->threshold = r.threshold;
    if (copy_history(run, r.hist, r.n_hist, r.batch_loss, r.n_batch)) {
        tui_run_free(run);
        st = cs_error_fmt(err, CS_ENOMEM, "out of memory");
    }
    cs_run_free(&r);
    return st;
}

/* Runs in the order they were saved: `created` has whole seconds, so runs of one second
 * (a sweep's baselines) are ordered by their config.txt's modification time (ns), and only
 * then by name. */
typedef struct named { char name[64]; char created[32]; struct timespec saved; } named;
static int by_created(const void *a, const void *b)
{
    const named *x = a, *y = b;
    int c = strcmp(x->created, y->created);
    if (c)
        return c;
    if (x->saved.tv_sec != y->saved.tv_sec)
        return x->saved.tv_sec < y->saved.tv_sec ? -1 : 1;
    if (x->saved.tv_nsec != y->saved.tv_nsec)
        return x->saved.tv_nsec < y->saved.tv_nsec ? -1 : 1;
    return strcmp(x->name, y->name);
}

int tui_runs_list(const char *dir, char (*names)[64], int max, size_t *n_bad)
{
    cs_run *runs = NULL;
    size_t n = 0, bad = 0;
    struct stat st;
    if (n_bad) *n_bad = 0;
    if (stat(dir, &st) != 0 || cs_run_list(dir, 0, &runs, &n, &bad, NULL) != CS_OK)
        return 0;
    if (n_bad) *n_bad = bad;
    named *v = calloc(n ? n : 1, sizeof *v);
    int k = 0;
    for (size_t i = 0; v && i < n; i++) {
        snprintf(v[k].name, sizeof v[k].name, "%s", runs[i].name);
        snprintf(v[k].created, sizeof v[k].created, "%s", runs[i].created);
        char cfg[sizeof runs[i].path + 16];
        struct stat cs;
        snprintf(cfg, sizeof cfg, "%s/config.txt", runs[i].path);
        if (stat(cfg, &cs) == 0)
            v[k].saved = cs.st_mtim;
        k++;
    }
    if (v) qsort(v, (size_t)k, sizeof *v, by_created);
    int out = 0;
    for (int i = k > max ? k - max : 0; i < k; i++) memcpy(names[out++], v[i].name, 64);
    free(v);
    cs_run_list_free(runs, n);
    return out;
}

/* ======================= early prediction ======================= */
cs_status tui_eng_early(const char *dir, const char *name, int k_max, cs_early_point *out,
                        cs_error *err)
{
    char path[1200];
    cs_run r;
    if (tui_run_path(dir, name, path, sizeof path))
        return cs_error_fmt(err, CS_EINPUT, "%.80s...: the run's path is too long", name);
    cs_status st = cs_run_load(path, CS_RUN_WEIGHTS, &r, err);
    if (st != CS_OK) return st;
    cs_early_opts o;
    cs_early_opts_init(&o);
    o.k_max = k_max;
    st = cs_early_from_run(&r, &r.cfg, &o, out, err);
    cs_run_free(&r);
    return st;
}
