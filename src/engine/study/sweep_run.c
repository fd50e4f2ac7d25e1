/* sweep_run.c — running a sweep: apply each run's grid values to the base configuration,
 * load the data once per data configuration, train, save, tabulate; then the baselines
 * for each data configuration (see sweep.h). */
#include "clickseq/sweep.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "clickseq/baseline.h"
#include "clickseq/clock.h"
#include "clickseq/comm.h"
#include "clickseq/runner.h"
#include "clickseq/xgb.h"

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

static int dir_empty(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return 0;
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n == 0;
}

static cs_status make_dir(const char *path, cs_error *err)
{
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        return cs_error_set(err, CS_EIO, path, 0, 0, "cannot create directory: %s",
                            strerror(errno));
    return CS_OK;
}

/* A results row for a run that did not finish normally: its metrics when it has them
 * (diverged: the kept weights on the test split; unsaved: a finished run), else NaN. */
static cs_status add_marked(cs_results *res, const char *const *keys, const cs_run_config *cfg,
                            const cs_trained *t, const char *run, const char *status,
                            const char *note, cs_error *err)
{
    cs_metrics none;
    memset(&none, 0, sizeof none);
    none.accuracy = none.precision = none.recall = none.f1 = NAN;
    none.roc_auc = none.pr_auc = none.loss = none.threshold = NAN;
    const cs_train_result *tr = &t->res;
    cs_status st = cs_results_add(res, keys, cfg->seed, t->trained && tr->has_test ? &tr->test : &none,
                                  tr->model ? cs_model_nparams(tr->model) : 0, tr->seconds, run, err);
    if (!st)
        cs_results_mark(res, status, note);
    return st;
}

/* One run: its row is added whenever the data loaded, marked when the run did not finish
 * normally (diverged: saved with its finished epochs; failed: training failed; unsaved:
 * trained, but the run could not be written), so that a sweep can go on without it. */
cs_status cs_sweep_train_one(cs_data_cache *dc, const cs_run_config *cfg,
                             const char *const *keys, const char *run_dir, cs_monitor *mon,
                             cs_train_result *keep, cs_results *res, cs_error *err)
{
    cs_run_opts ro = {dc, mon, run_dir, NULL, NULL, NULL, NULL, NULL};
    cs_trained t;
    cs_error e;   /* a local error: err may be NULL, and the row needs the message */
    cs_error_clear(&e);
    cs_status st = cs_run_train(cfg, &ro, &t, &e);
    cs_status rs = CS_OK;
    if (!st) {
        rs = cs_results_add(res, keys, cfg->seed, &t.res.test,
                            t.res.model ? cs_model_nparams(t.res.model) : 0,
                            t.res.seconds, t.saved ? t.dir : run_dir, &e);   /* where it went */
        if (!rs)
            cs_results_mark(res, cs_run_status_name(t.res.status), NULL);   /* done, stopped... */
        st = rs;
    } else if (t.loaded) {
        int diverged = t.trained && t.res.status == CS_STATUS_DIVERGED;
        char note[sizeof e.msg];
        if (diverged && (t.saved || !run_dir))
            snprintf(note, sizeof note, "diverged at epoch %d, batch %ld", t.res.fail_epoch,
                     t.res.fail_batch);
        else
            snprintf(note, sizeof note, "%s", e.msg);
        const char *status = !t.trained ? "failed" : t.saved || !run_dir ? "diverged" : "unsaved";
        if (!strcmp(status, "unsaved")) {   /* the hook's message says so too */
            snprintf(note, sizeof note, "not saved: %.1000s", e.msg);
            snprintf(e.msg, sizeof e.msg, "%s", note);
        }
        rs = add_marked(res, keys, cfg, &t, t.saved ? t.dir : "", status, note, &e);
        if (rs)
            st = rs;
    }
    if (st && err)
        *err = e;
    if (!st && keep) {
        *keep = t.res;                      /* moved to the caller */
        memset(&t.res, 0, sizeof t.res);
    }
    cs_trained_free(&t);
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

cs_status cs_sweep_xgb_one(cs_data_cache *dc, const cs_run_config *cfg, const char *const *keys,
                           cs_results *res, cs_error *err)
{
    cs_run_config lr;
    cs_baseline_logreg_config(cfg, &lr);   /* the same session features as logreg */
    const cs_dataset *ds;
    cs_split sp;
    cs_status st = cs_data_cache_split(dc, &lr, &ds, &sp, err);
    if (st)
        return st;
    cs_xgb_params p;
    cs_xgb_params_of(&lr, &p);   /* as a run of cell xgboost gets them */
    cs_metrics m;
    double t0 = cs_now_s();
    st = cs_xgb_eval(ds, &sp, &p, NULL, &m, NULL, err);
    double secs = cs_now_s() - t0;
    if (!st)
        st = cs_results_add(res, keys, lr.seed, &m, 0, secs, "", err);
    cs_split_free(&sp);
    return st;
}

/* Where run name goes: out_dir/name, or with unique_names the first of name, name-2,
 * name-3 ... not taken yet. */
static void run_dir_of(const cs_sweep_opts *o, const char *name, char *run, size_t n)
{
    struct stat sb;
    snprintf(run, n, "%s/%s", o->out_dir, name);
    for (int k = 2; o->unique_names && stat(run, &sb) == 0 && k < 10000; k++)
        snprintf(run, n, "%s/%.50s-%d", o->out_dir, name, k);
}

/* Train run i of the sweep with the hooks around it. */
static cs_status hooked_run(cs_data_cache *dc, const cs_run_config *cfg, const char *const *keys,
                            const cs_sweep_opts *o, const cs_sweep_hooks *h, size_t i, size_t n,
                            cs_results *res, cs_error *err)
{
    char run[1024];
    if (o && o->out_dir)
        run_dir_of(o, cfg->name, run, sizeof run);
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

/* After a run: a run that failed (diverged, a training error, the disk full when saving
 * it) has its row, marked, and was reported by the end hook, so the sweep goes on (unless
 * stop_on_error); running out of memory, a cancel or a data error (no row) end it. */
static cs_status goes_on(cs_status st, size_t rows_before, const cs_results *res,
                         const cs_sweep_opts *o)
{
    if (st && st != CS_ENOMEM && st != CS_ECANCEL && (res->n > rows_before || st == CS_ERUNTIME) &&
        (!o || !o->stop_on_error))
        return CS_OK;
    return st;
}

/* Majority and has-cart rules on the data of cfg with its split. */
static cs_status rules_one(cs_data_cache *dc, const cs_run_config *cfg, const cs_sweep_grid *g,
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

/* Baseline job (f, s) of a sweep: the rules, the logistic-regression run (hook index
 * runs + f * seeds + s of runs + nf * seeds) and XGBoost, for data configuration f (its
 * first run index first_f) and seed s. */
static cs_status baseline_job(cs_data_cache *dc, const cs_run_config *base, const cs_sweep_grid *g,
                              const cs_sweep_opts *o, const cs_sweep_hooks *h, size_t first_f,
                              size_t f, size_t s, size_t nf, cs_results *res, cs_error *err)
{
    size_t runs = cs_sweep_grid_runs(g), seeds = (size_t)(g->seeds > 0 ? g->seeds : 1);
    cs_run_config cfg, lr;
    const char *vals[CS_SWEEP_MAX_AXES], *keys[CS_RESULTS_MAX_KEYS];
    cs_status st = cs_sweep_grid_config(g, base, first_f + s, &cfg, NULL, err);
    cs_sweep_grid_values(g, first_f + s, vals, NULL);
    if (!st)
        st = rules_one(dc, &cfg, g, vals, res, err);
    if (st)
        return st;
    cs_baseline_logreg_config(&cfg, &lr);
    snprintf(lr.name, sizeof lr.name, "logreg-d%zu-s%llu", f, (unsigned long long)lr.seed);
    row_keys(g, vals, "logreg (baseline)", 1, keys);   /* not merged with a logreg cell */
    size_t rows = res->n;
    st = goes_on(hooked_run(dc, &lr, keys, o, h, runs + f * seeds + s, runs + nf * seeds, res, err),
                 rows, res, o);
    if (!st && cs_xgb_available()) {
        row_keys(g, vals, "xgboost (baseline)", 1, keys);
        st = cs_sweep_xgb_one(dc, &cfg, keys, res, err);
    }
    return st;
}

/* Grid run i: train, save, its row. */
static cs_status grid_job(cs_data_cache *dc, const cs_run_config *base, const cs_sweep_grid *g,
                          const cs_sweep_opts *o, const cs_sweep_hooks *h, size_t i,
                          cs_results *res, cs_error *err)
{
    cs_run_config cfg;
    const char *vals[CS_SWEEP_MAX_AXES], *keys[CS_RESULTS_MAX_KEYS];
    cs_status st = cs_sweep_grid_config(g, base, i, &cfg, NULL, err);
    if (st)
        return st;
    cs_sweep_grid_values(g, i, vals, NULL);
    row_keys(g, vals, cs_cell_name(cfg.model.cell), 0, keys);
    size_t rows = res->n;
    return goes_on(hooked_run(dc, &cfg, keys, o, h, i, cs_sweep_grid_runs(g), res, err), rows,
                   res, o);
}

/* The baseline jobs: nf data configurations (first run index of each in *first, malloc'd). */
static cs_status baseline_plan(const cs_sweep_grid *g, const cs_run_config *base, size_t **first,
                               size_t *nf, cs_error *err)
{
    *first = malloc(cs_sweep_grid_runs(g) * sizeof **first);
    if (!*first)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory for baselines");
    *nf = data_combos(g, base, *first);
    return CS_OK;
}

static cs_status baselines(cs_data_cache *dc, const cs_run_config *base, const cs_sweep_grid *g,
                           const cs_sweep_opts *o, const cs_sweep_hooks *h, cs_results *res,
                           cs_error *err)
{
    size_t seeds = (size_t)(g->seeds > 0 ? g->seeds : 1), *first = NULL, nf = 0;
    cs_status st = baseline_plan(g, base, &first, &nf, err);
    for (size_t f = 0; f < nf && !st; f++) {
        for (size_t s = 0; s < seeds && !st; s++) {
            if (h && h->cancelled && h->cancelled(h->ud)) {
                st = cs_error_fmt(err, CS_ECANCEL, "sweep stopped");
                break;
            }
            st = baseline_job(dc, base, g, o, h, first[f], f, s, nf, res, err);
        }
    }
    free(first);
    return st;
}

/* ---- distributed: the jobs (grid runs, then baseline jobs) over the ranks of o->comm ---- */
typedef struct job_row {
    long job, seq;            /* seq: the row's place in its rank's rows (set by rank 0) */
    cs_result row;
} job_row;

typedef struct rank_head {
    cs_status st;
    cs_error err;
    size_t n_rows;
} rank_head;

/* Job j of the plan: grid run j, or baseline job j - runs. */
static cs_status any_job(cs_data_cache *dc, const cs_run_config *base, const cs_sweep_grid *g,
                         const cs_sweep_opts *o, const cs_sweep_hooks *h, const size_t *first,
                         size_t nf, size_t j, cs_results *res, cs_error *err)
{
    size_t runs = cs_sweep_grid_runs(g), seeds = (size_t)(g->seeds > 0 ? g->seeds : 1);
    if (j < runs)
        return grid_job(dc, base, g, o, h, j, res, err);
    size_t b = j - runs;
    return baseline_job(dc, base, g, o, h, first[b / seeds], b / seeds, b % seeds, nf, res, err);
}

static int by_job(const void *a, const void *b)
{
    const job_row *x = a, *y = b;
    if (x->job != y->job)
        return x->job < y->job ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;   /* a job's rows: in their order */
}

/* Rank 0: every rank's rows into res in job order (= a one-process sweep's order), and the
 * sweep's status: the first rank's failure that is not a cancel, else a cancel. */
static cs_status merge_ranks(const cs_comm *c, const char *all, const size_t *counts, size_t runs,
                             cs_results *res, cs_error *err)
{
    size_t total = 0, off = 0;
    for (int r = 0; r < c->size; r++) {
        rank_head hd;
        memcpy(&hd, all + off, sizeof hd);
        total += hd.n_rows;
        off += counts[r];
    }
    job_row *rows = malloc((total ? total : 1) * sizeof *rows);
    cs_result *out = malloc((total ? total : 1) * sizeof *out);
    if (!rows || !out) {
        free(rows);
        free(out);
        return cs_error_fmt(err, CS_ENOMEM, "out of memory for the sweep's results");
    }
    cs_status st = CS_OK;
    int cancelled = 0;
    size_t k = 0;
    off = 0;
    for (int r = 0; r < c->size; r++) {
        rank_head hd;
        memcpy(&hd, all + off, sizeof hd);
        memcpy(rows + k, all + off + sizeof hd, hd.n_rows * sizeof *rows);
        for (size_t i = 0; i < hd.n_rows; i++)
            rows[k + i].seq = (long)(k + i);
        k += hd.n_rows;
        off += counts[r];
        cancelled |= hd.st == CS_ECANCEL;
        if (hd.st && hd.st != CS_ECANCEL && !st) {
            st = hd.st;
            if (err)
                *err = hd.err;
        }
    }
    qsort(rows, total, sizeof *rows, by_job);
    size_t grid_done = 0;
    for (size_t i = 0; i < total; i++) {
        out[i] = rows[i].row;
        grid_done += (size_t)rows[i].job < runs && (i == 0 || rows[i - 1].job != rows[i].job);
    }
    free(rows);
    free(res->rows);
    res->rows = out;
    res->n = res->cap = total;
    if (!st && cancelled)
        st = cs_error_fmt(err, CS_ECANCEL, "sweep stopped after %zu of %zu runs", grid_done, runs);
    return st;
}

/* The jobs are handed out by o->comm's work counter, one at a time, as the ranks finish
 * theirs; a rank that fails fatally or is cancelled stops the handing out (the others
 * finish the job they hold).  Every rank's rows and status go to rank 0. */
static cs_status dist_sweep(cs_data_cache *dc, const cs_run_config *base, const cs_sweep_grid *g,
                            const cs_sweep_opts *o, const cs_sweep_hooks *h, cs_results *res,
                            cs_error *err)
{
    const cs_comm *c = o->comm;
    size_t runs = cs_sweep_grid_runs(g), seeds = (size_t)(g->seeds > 0 ? g->seeds : 1), *first = NULL,
           nf = 0;
    cs_status st = o->baselines ? baseline_plan(g, base, &first, &nf, err) : CS_OK;
    if (st)
        return st;   /* out of memory: every rank alike, before any collective */
    size_t n_jobs = runs + (o->baselines ? nf * seeds : 0);
    cs_error e;
    cs_error_clear(&e);
    long *tag = NULL;   /* the job of each of this rank's rows */
    size_t tag_cap = 0;
    st = c->work_begin(c->ctx, (long)n_jobs, err);
    if (st) {
        free(first);
        return st;
    }
    cs_status mine = CS_OK;   /* this rank's fatal failure or cancel */
    for (;;) {
        int stop = mine || (h && h->cancelled && h->cancelled(h->ud));
        if (stop && !mine)
            mine = cs_error_fmt(&e, CS_ECANCEL, "sweep stopped");
        long j;
        st = c->work_next(c->ctx, stop, &j, err);
        if (st || j < 0)
            break;
        size_t before = res->n;
        mine = any_job(dc, base, g, o, h, first, nf, (size_t)j, res, &e);
        if (res->n > tag_cap) {
            size_t cap = res->cap > res->n ? res->cap : res->n;
            long *nt = realloc(tag, cap * sizeof *nt);
            if (!nt) {
                mine = mine ? mine : cs_error_fmt(&e, CS_ENOMEM, "out of memory for the sweep");
                res->n = before;
                continue;
            }
            tag = nt;
            tag_cap = cap;
        }
        for (size_t r = before; r < res->n; r++)
            tag[r] = j;
    }
    free(first);
    if (st) {
        free(tag);
        return st;   /* MPI failed: the job ends */
    }
    st = c->work_end(c->ctx, err);
    size_t bytes = sizeof(rank_head) + res->n * sizeof(job_row);
    char *pack = st ? NULL : malloc(bytes);
    if (!st && !pack)
        st = cs_error_fmt(err, CS_ENOMEM, "out of memory for the sweep's results");
    if (st) {
        free(tag);
        return st;
    }
    rank_head hd = {mine, e, res->n};
    memcpy(pack, &hd, sizeof hd);
    for (size_t r = 0; r < res->n; r++) {
        job_row jr = {tag[r], 0, res->rows[r]};
        memcpy(pack + sizeof hd + r * sizeof jr, &jr, sizeof jr);
    }
    free(tag);
    void *all = NULL;
    size_t *counts = calloc((size_t)c->size, sizeof *counts);
    st = counts ? c->gather_bytes(c->ctx, pack, bytes, &all, counts, err)
                : cs_error_fmt(err, CS_ENOMEM, "out of memory for the sweep's results");
    free(pack);
    if (!st && c->rank == 0)
        st = merge_ranks(c, all, counts, runs, res, err);
    else if (!st)
        res->n = 0;   /* rank 0 has them */
    free(all);
    free(counts);
    return st;
}

/* Several ranks agree: every rank's st summed; a rank that is fine but sees another's
 * failure stops too (the failing rank says why). */
static cs_status agree(const cs_comm *c, cs_status st, cs_error *err)
{
    float bad = st != CS_OK;
    cs_error e;
    if (c->sum_f32(c->ctx, &bad, 1, &e) != CS_OK) {
        if (err)
            *err = e;
        return e.code;
    }
    if (!st && bad > 0)
        st = cs_error_fmt(err, CS_EINPUT, "sweep: another MPI rank could not start the sweep "
                                          "(its message says why)");
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
    int many = o && cs_comm_many(o->comm);
    if (many && (!o->comm->work_begin || !o->comm->gather_bytes))
        st = st ? st : cs_error_fmt(err, CS_EINPUT, "sweep: this communicator cannot share work");
    if (st && !many)
        return st;
    size_t runs = cs_sweep_grid_runs(g);
    /* a sweep never replaces a run: a name already taken is an input error before any
     * training (later, a failed save only marks that run); with unique_names a taken name
     * is given the next free suffix instead */
    for (size_t i = 0; o && o->out_dir && !o->unique_names && i < runs && !st; i++) {
        cs_run_config cfg;
        st = cs_sweep_grid_config(g, base, i, &cfg, NULL, err);
        char run[1200];
        struct stat sb;
        snprintf(run, sizeof run, "%s/%s", o->out_dir, cfg.name);
        if (!st && stat(run, &sb) == 0 && (!S_ISDIR(sb.st_mode) || !dir_empty(run)))
            st = cs_error_set(err, CS_EINPUT, run, 0, 0,
                              "run directory already exists and is not empty (a sweep never "
                              "replaces a run: choose another --out)");
    }
    if (many)   /* every rank checked before any rank saves a run */
        st = agree(o->comm, st, err);
    if (st)
        return st;
    cs_data_cache *dc = o && o->cache ? o->cache : cs_data_cache_new();
    if (!dc)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory for the sweep");
    if (many)
        st = dist_sweep(dc, base, g, o, h, res, err);
    for (size_t i = 0; !many && i < runs && !st; i++) {
        if (h && h->cancelled && h->cancelled(h->ud)) {
            st = cs_error_fmt(err, CS_ECANCEL, "sweep stopped after %zu of %zu runs", i, runs);
            break;
        }
        st = grid_job(dc, base, g, o, h, i, res, err);
    }
    if (!many && !st && o && o->baselines)
        st = baselines(dc, base, g, o, h, res, err);
    if (!o || dc != o->cache)
        cs_data_cache_free(dc);
    return st;
}
