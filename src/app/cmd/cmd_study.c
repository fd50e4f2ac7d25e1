/* cmd_study.c — `clickseq study`: the study's three tables (sessions of at most 10 events,
 * at most 300 events, the session-feature table) with its exact method (seed-compatible)
 * and with clickseq's honest method side by side, plus the baselines; and the all-padding
 * rows that explain the study's precision-1.0 / low-recall pattern.
 *
 * Method per column (DESIGN.md §1):
 *  compat: presets study-rnn/gru/lstm as they are — padded raw codes fed as one time step
 *          (length tables) or the leaky whole-session + per-user table (feature table),
 *          random 70/30, softmax2, argmax at 0.5, no class weight, Adam 3e-4, 20 epochs,
 *          batch 1000, layers 40/80 (LSTM bidirectional).
 *  honest: the same cell, layer sizes, optimizer, learning rate, epochs and batch, but
 *          inputs only before the first purchase, one event per step (event-type embedding
 *          16, log dwell, log price) or the features derived from those events, a time
 *          split 70/15/15, a sigmoid head with the positive class weighted neg/pos, the
 *          threshold chosen on validation, early stopping on validation PR-AUC (patience 5).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <errno.h>

#include "app/cli.h"
#include "app/progress.h"
#include "app/commands.h"
#include "app/stopsig.h"
#include "app/cmd/sweep_cli.h"
#include "clickseq/baseline.h"
#include "clickseq/clock.h"
#include "clickseq/rundir.h"
#include "clickseq/xgb.h"
#include "clickseq/sweep.h"

typedef struct study_table {
    const char *key;          /* "len10" */
    const char *title;
    int max_len;              /* 0: the feature table */
} study_table;

typedef struct study_opts {
    study_table tables[3];
    int n_tables;
    int cells[3], n_cells;
    int seeds;
    cs_len_policy honest_policy;
    const cli_args *args;     /* the user's parameters, applied on top of both methods */
} study_opts;

/* Parameters the study sets itself: giving them would change what is being reproduced. */
static const char *const controlled[] = {"view", "method", "max-len", "policy", "cell",
                                         "layers", "hidden", "bidir", "head", "split",
                                         "train-frac", "valid-frac", "pos-weight",
                                         "tune-threshold", "threshold", "preset"};

static int is_controlled(const char *name)
{
    for (size_t i = 0; i < sizeof controlled / sizeof *controlled; i++)
        if (!strcmp(name, controlled[i]))
            return 1;
    return 0;
}

/* The configuration of one cell of a table under one method. */
static cs_status study_config(const cs_run_config *base, const study_opts *so,
                              const study_table *t, int cell, int honest, cs_run_config *c,
                              cs_error *err)
{
    static const char *const presets[] = {"study-rnn", "study-gru", "study-lstm"};
    *c = *base;
    cs_status st = cs_run_config_preset(c, presets[cell == CS_CELL_RNN ? 0 : cell == CS_CELL_GRU ? 1 : 2], err);
    if (st)
        return st;
    c->ds.view = t->max_len ? CS_VIEW_SEQUENCE : CS_VIEW_FEATURES;
    c->ds.max_len = t->max_len;
    if (honest) {
        c->ds.method = CS_METHOD_HONEST;
        c->ds.policy = so->honest_policy;
        c->split = CS_SPLIT_TIME;
        c->train_frac = 0.70;
        c->valid_frac = 0.15;
        c->model.head = CS_HEAD_SIGMOID;
        c->model.init = CS_INIT_TORCH;   /* clickseq's own start; keras is the study's */
        c->model.emb_type = 16;
        c->model.use_dwell = c->model.use_price = 1;
        c->pos_weight = -1;
        c->tune_threshold = 1;
        c->patience = 5;
        c->clip = 5.0;
    }
    for (int k = 0; k < so->args->n_set; k++)
        if ((st = cs_param_set(c, so->args->set_name[k], so->args->set_value[k], err)) != CS_OK)
            return st;
    return cs_run_config_check(c, err);
}

/* ---- the study's flaw made visible: all-padding rows ---- */
typedef struct pad_row {
    char table[16], cell[8];
    unsigned long long seed;
    long rows, positive, flagged, test_pos;
} pad_row;

/* Test rows of the compat code view that are all zero (sessions made only of purchases):
 * how many, how many positive, how many the model flags. */
static cs_status padding_stats(cs_data_cache *dc, const cs_run_config *cfg,
                               cs_train_result *tr, pad_row *pr, cs_error *err)
{
    const cs_dataset *ds;
    cs_split sp;
    cs_status st = cs_data_cache_split(dc, cfg, &ds, &sp, err);
    if (st)
        return st;
    size_t *idx = malloc((sp.n_test ? sp.n_test : 1) * sizeof *idx), n = 0;
    float *prob = malloc((sp.n_test ? sp.n_test : 1) * sizeof *prob);
    if (!idx || !prob)
        st = cs_error_fmt(err, CS_ENOMEM, "out of memory");
    for (size_t i = 0; !st && i < sp.n_test; i++) {
        size_t s = sp.test[i];
        int zero = 1;
        for (size_t j = 0; j < ds->n_feat && zero; j++)
            zero = ds->feat[s * ds->n_feat + j] == 0.0f;
        pr->test_pos += ds->label[s] != 0;
        if (zero)
            idx[n++] = s;
    }
    if (!st && n)
        st = cs_predict(tr->model, ds, idx, n, cfg->batch, prob, err);
    for (size_t i = 0; !st && i < n; i++) {
        pr->rows++;
        pr->positive += ds->label[idx[i]] != 0;
        pr->flagged += prob[i] >= tr->threshold;
    }
    free(idx);
    free(prob);
    cs_split_free(&sp);
    return st;
}

static const char *method_name(int honest)
{
    return honest ? "honest" : "compat";
}

typedef struct study_state {
    cs_data_cache *dc;
    cs_results res;
    pad_row *pads;
    size_t n_pads, cap_pads;
    const char *runs_dir;
    size_t done, total;
    cs_monitor *mon;    /* every run's, interrupted by the signal watcher */
    app_loadbar lb;     /* the loads' progress line (a terminal, not --quiet) */
    int quiet;          /* no line per run either */
} study_state;

static cs_status run_net(study_state *S, const cs_run_config *cfg, const study_table *t,
                         int honest, cs_error *err)
{
    const char *keys[3] = {t->key, cs_cell_name(cfg->model.cell), method_name(honest)};
    char run[1200];
    snprintf(run, sizeof run, "%s/%s", S->runs_dir, cfg->name);
    cs_train_result tr;
    memset(&tr, 0, sizeof tr);
    cs_status st = cs_sweep_train_one(S->dc, cfg, keys, run, S->mon, &tr, &S->res, err);
    S->done++;
    app_loadbar_done(&S->lb);
    if (st)
        return st;
    const cs_result *row = &S->res.rows[S->res.n - 1];
    if (!S->quiet)
        fprintf(stderr, "[%zu/%zu] %s: test F1 %.3f P %.3f R %.3f PR-AUC %.3f (%.1f s)\n", S->done,
            S->total, cfg->name, row->test.f1, row->test.precision, row->test.recall,
            row->test.pr_auc, row->seconds);
    if (!honest && t->max_len && cfg->model.cell != CS_CELL_LOGREG) {
        if (S->n_pads == S->cap_pads) {
            size_t cap = S->cap_pads ? 2 * S->cap_pads : 16;
            pad_row *p = realloc(S->pads, cap * sizeof *p);
            if (!p) {
                cs_train_result_free(&tr);
                return cs_error_fmt(err, CS_ENOMEM, "out of memory");
            }
            S->pads = p;
            S->cap_pads = cap;
        }
        pad_row *pr = &S->pads[S->n_pads++];
        memset(pr, 0, sizeof *pr);
        snprintf(pr->table, sizeof pr->table, "%s", t->key);
        snprintf(pr->cell, sizeof pr->cell, "%s", cs_cell_name(cfg->model.cell));
        pr->seed = (unsigned long long)cfg->seed;
        st = padding_stats(S->dc, cfg, &tr, pr, err);
    }
    cs_train_result_free(&tr);
    return st;
}

/* Baselines of one table under one method, for one seed. */
static cs_status run_baselines(study_state *S, const cs_run_config *netcfg, const study_table *t,
                               int honest, cs_error *err)
{
    cs_run_config lr;
    cs_baseline_logreg_config(netcfg, &lr);
    snprintf(lr.name, sizeof lr.name, "%s-logreg-%s-s%llu", t->key, method_name(honest),
             (unsigned long long)lr.seed);
    cs_status st = run_net(S, &lr, t, honest, err);
    const cs_dataset *ds;
    if (!st)
        st = cs_data_cache_get(S->dc, netcfg, &ds, NULL, err);
    for (int k = CS_BASE_MAJORITY; !st && k <= CS_BASE_CART; k++) {
        if (k == CS_BASE_CART && !cs_baseline_has_cart(ds))
            continue;
        const char *keys[3] = {t->key, cs_baseline_name((cs_baseline_kind)k), method_name(honest)};
        st = cs_sweep_rule_one(S->dc, netcfg, k, keys, &S->res, err);
    }
    if (!st && cs_xgb_available()) {
        const char *keys[3] = {t->key, "xgboost", method_name(honest)};
        st = cs_sweep_xgb_one(S->dc, netcfg, keys, &S->res, err);
    }
    return st;
}

/* Between runs: a signal (stopsig.h) ends the study; its run in progress was saved as
 * interrupted. */
static cs_status stopped(const study_state *S, cs_error *err)
{
    return stopsig_caught() ? cs_error_fmt(err, CS_ECANCEL, "study stopped after %zu of %zu runs",
                                           S->done, S->total)
                            : CS_OK;
}

static cs_status run_study(const cs_run_config *base, const study_opts *so, study_state *S,
                           cs_error *err)
{
    cs_status st = CS_OK;
    for (int ti = 0; ti < so->n_tables && !st; ti++) {
        const study_table *t = &so->tables[ti];
        for (int honest = 0; honest <= 1 && !st; honest++) {
            for (int ci = 0; ci < so->n_cells && !st; ci++)
                for (int s = 0; s < so->seeds && !st; s++) {
                    cs_run_config c;
                    st = study_config(base, so, t, so->cells[ci], honest, &c, err);
                    c.seed = base->seed + (uint64_t)s;
                    snprintf(c.name, sizeof c.name, "%s-%s-%s-s%llu", t->key,
                             cs_cell_name(c.model.cell), method_name(honest),
                             (unsigned long long)c.seed);
                    if (!st)
                        st = stopped(S, err);
                    if (!st)
                        st = run_net(S, &c, t, honest, err);
                }
            for (int s = 0; s < so->seeds && !st; s++) {
                cs_run_config c;
                st = study_config(base, so, t, CS_CELL_GRU, honest, &c, err);
                c.seed = base->seed + (uint64_t)s;
                if (!st)
                    st = stopped(S, err);
                if (!st)
                    st = run_baselines(S, &c, t, honest, err);
            }
        }
    }
    return st;
}

/* ---- output ---- */

/* The rows of one table, keyed (model, method), for a side-by-side Markdown table. */
static char *table_markdown(const cs_results *r, const char *table)
{
    cs_results sub;
    const char *names[2] = {"model", "method"};
    if (cs_results_init(&sub, 2, names, NULL))
        return NULL;
    for (size_t i = 0; i < r->n; i++) {
        const cs_result *row = &r->rows[i];
        if (strcmp(row->key[0], table))
            continue;
        const char *keys[2] = {row->key[1], row->key[2]};
        if (cs_results_add(&sub, keys, row->seed, &row->test, row->nparams, row->seconds,
                           row->run, NULL)) {
            cs_results_free(&sub);
            return NULL;
        }
    }
    char *md = cs_results_markdown(&sub, 1);
    cs_results_free(&sub);
    return md;
}

static void pad_markdown(FILE *f, const study_state *S)
{
    fprintf(f, "| table | cell | seed | all-padding test rows | of them positive | flagged positive "
               "| test positives | share of test positives |\n"
               "|---|---|---:|---:|---:|---:|---:|---:|\n");
    for (size_t i = 0; i < S->n_pads; i++) {
        const pad_row *p = &S->pads[i];
        fprintf(f, "| %s | %s | %llu | %ld | %ld | %ld | %ld | %.3f |\n", p->table, p->cell,
                p->seed, p->rows, p->positive, p->flagged, p->test_pos,
                p->test_pos ? (double)p->positive / (double)p->test_pos : NAN);
    }
}

static cs_status write_study(const study_opts *so, const study_state *S, const char *out,
                             const char *cmdline, double wall, int json, cs_error *err)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/results.csv", out);
    cs_status st = cs_results_write_csv(&S->res, path, err);
    snprintf(path, sizeof path, "%s/runs.csv", out);
    if (!st)
        st = cs_results_write_runs_csv(&S->res, path, err);
    if (st)
        return st;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory");
    fprintf(f, "# The study's tables: seed-compatible (compat) and honest, side by side\n\n"
               "Command: `%s`\n\nTest-set metrics, mean ± sample std over %d seed(s).  "
               "compat = the study's method; honest = clickseq's (see `clickseq study --help`).\n",
            cmdline, so->seeds);
    for (int ti = 0; ti < so->n_tables; ti++) {
        char *md = table_markdown(&S->res, so->tables[ti].key);
        fprintf(f, "\n## %s\n\n%s", so->tables[ti].title, md ? md : "(out of memory)\n");
        free(md);
    }
    if (S->n_pads) {
        fprintf(f, "\n## All-padding rows (compat: sessions made only of purchases)\n\n");
        pad_markdown(f, S);
    }
    fprintf(f, "\nWall time: %.1f s.\n", wall);
    if (fclose(f) != 0 || !text) {
        free(text);
        return cs_error_fmt(err, CS_ENOMEM, "out of memory");
    }
    st = json ? sweep_print_json(stdout, &S->res, wall, err) : CS_OK;
    if (!json)
        fputs(text, stdout);
    snprintf(path, sizeof path, "%s/study.md", out);
    if (!st)
        st = cs_write_file_atomic(path, text, err);
    free(text);
    return st;
}

/* ---- the command ---- */

static cs_status parse_study_opts(study_opts *so, const char *lens, const char *cells,
                                  const char *seeds, const char *policy, int no_features,
                                  cs_error *err)
{
    static char titles[2][64];
    so->n_tables = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", lens ? lens : "10,300");
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        int n;
        if (so->n_tables >= 2 || sweep_parse_count(tok, &n) || n < 1)
            return cs_error_fmt(err, CS_EINPUT, "study: --lens: give one or two lengths >= 1, e.g. 10,300");
        study_table *t = &so->tables[so->n_tables];
        static char keys[2][16];
        snprintf(keys[so->n_tables], sizeof keys[0], "len%d", n);
        snprintf(titles[so->n_tables], sizeof titles[0], "Sessions of at most %d events", n);
        t->key = keys[so->n_tables];
        t->title = titles[so->n_tables];
        t->max_len = n;
        so->n_tables++;
    }
    if (!no_features)
        so->tables[so->n_tables++] = (study_table){"features", "Session-feature table", 0};
    so->n_cells = 0;
    snprintf(buf, sizeof buf, "%s", cells ? cells : "rnn,gru,lstm");
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        int c = cs_cell_parse(tok);
        if (so->n_cells >= 3 || (c != CS_CELL_RNN && c != CS_CELL_GRU && c != CS_CELL_LSTM))
            return cs_error_fmt(err, CS_EINPUT, "study: --cells: a list of rnn, gru, lstm (got '%s')", tok);
        so->cells[so->n_cells++] = c;
    }
    so->seeds = 3;
    if (seeds && (sweep_parse_count(seeds, &so->seeds) || so->seeds < 1 || so->seeds > 100))
        return cs_error_fmt(err, CS_EINPUT, "study: --seeds: '%s' is not a count 1..100", seeds);
    so->honest_policy = CS_LEN_FILTER;
    if (policy && !strcmp(policy, "truncate"))
        so->honest_policy = CS_LEN_TRUNCATE;
    else if (policy && strcmp(policy, "filter"))
        return cs_error_fmt(err, CS_EINPUT, "study: --honest-policy: filter or truncate");
    return CS_OK;
}

static const char study_summary[] =
    "Reproduce the study's three tables (sessions of at most 10 and 300 events, the "
    "session-feature table) with its exact method (compat: presets study-rnn/gru/lstm) and "
    "with clickseq's honest method (same cells, sizes, optimizer and epochs; pre-purchase "
    "inputs one event per step, time split 70/15/15, class weight, threshold tuned on "
    "validation), side by side, with the baselines (logistic regression, majority, "
    "has-cart).  Runs go to DIR/runs/, tables to DIR/study.md, DIR/results.csv and "
    "DIR/runs.csv.  Training options (--epochs, --batch, --lr, --seed, --threads...) apply to "
    "both methods; the study's own settings (cell, sizes, view, method, split, head...) "
    "cannot be changed here: use sweep.";

int cmd_study(int argc, char **argv)
{
    const char *out = NULL, *lens = NULL, *cells = NULL, *seeds = NULL, *policy = NULL;
    int no_features = 0, json = 0, quiet = 0;
    cli_opt opts[] = {
        {"out", "DIR", "directory for the runs and the tables (created)", &out, NULL},
        {"json", NULL, "print every run and the mean ± std per table, method and model as JSON "
                       "on stdout (study.md is still written)", NULL, &json},
        {"lens", "N[,M]", "maximum session lengths of the length tables (default 10,300)", &lens, NULL},
        {"cells", "LIST", "cells to train (default rnn,gru,lstm)", &cells, NULL},
        {"seeds", "N", "seeds per cell, --seed .. --seed+N-1 (default 3)", &seeds, NULL},
        {"honest-policy", "P", "honest length policy: filter (default, the study's population) "
                               "or truncate", &policy, NULL},
        {"no-features", NULL, "skip the session-feature table", NULL, &no_features},
        {"quiet", NULL, "no progress on stderr: neither the load's line (drawn only on a terminal) "
         "nor a line per run", NULL, &quiet},
    };
    cli_spec sp = {"study", "--data FILE --out DIR [options]", study_summary, opts,
                   sizeof opts / sizeof opts[0], CLI_ALL, 0};
    cs_run_config base;
    cs_error err;
    cli_args a;
    int rc = cli_start(&sp, argc, argv, &base, &err, &a);
    if (rc >= 0)
        return rc;
    study_opts so;
    memset(&so, 0, sizeof so);
    so.args = &a;
    cs_status st = parse_study_opts(&so, lens, cells, seeds, policy, no_features, &err);
    for (int k = 0; !st && k < a.n_set; k++)
        if (is_controlled(a.set_name[k]))
            st = cs_error_fmt(&err, CS_EINPUT, "study: --%s is set by the study itself (use sweep "
                              "to vary it)", a.set_name[k]);
    if (!st && a.preset)
        st = cs_error_fmt(&err, CS_EINPUT, "study: --preset: the study uses its own presets");
    if (!st)
        st = cli_apply(&a, &base, &err);
    if (!st && !out)
        st = cs_error_fmt(&err, CS_EINPUT, "study: --out DIR is required");
    if (!st && !base.data[0])
        st = cs_error_fmt(&err, CS_EINPUT, "study: --data FILE is required");
    if (!st)   /* before anything trains: runs are saved as DIR/runs/NAME */
        st = cs_run_dir_check(out, 0, 70, &err);
    if (!st && base.format == CS_FMT_FEATURES)
        st = cs_error_fmt(&err, CS_EINPUT, "study: needs an events file (the study's tables "
                          "are built from events); for a features table use sweep");
    if (st)
        return cli_report(&err);

    study_state S;
    memset(&S, 0, sizeof S);
    char runs_dir[1100];
    snprintf(runs_dir, sizeof runs_dir, "%s/runs", out);
    S.runs_dir = runs_dir;
    S.total = (size_t)so.n_tables * 2 * (size_t)(so.n_cells + 1) * (size_t)so.seeds;
    const char *names[3] = {"table", "model", "method"};
    st = cs_results_init(&S.res, 3, names, &err);
    if (!st && ((mkdir(out, 0755) && errno != EEXIST) || (mkdir(runs_dir, 0755) && errno != EEXIST)))
        st = cs_error_set(&err, CS_EIO, out, 0, 0, "cannot create directory: %s", strerror(errno));
    S.dc = st ? NULL : cs_data_cache_new();
    if (!st && !S.dc)
        st = cs_error_fmt(&err, CS_ENOMEM, "out of memory");
    S.quiet = quiet;
    app_loadbar_init(&S.lb, quiet, base.data);
    if (S.dc)
        cs_data_cache_set_progress(S.dc, app_loadbar_cb, &S.lb);
    double t0 = cs_now_s();
    stopsig_watch watch;
    memset(&watch, 0, sizeof watch);
    if (!st && (!(S.mon = cs_monitor_new()) || stopsig_watch_start(&watch, S.mon) != 0))
        st = cs_error_fmt(&err, CS_ENOMEM, "out of memory");
    if (!st) {
        cs_set_threads(cs_threads_resolve(base.threads));   /* once, for every run */
        stopsig_catch();   /* SIGINT/TERM/HUP: the run in progress saved as interrupted */
        st = run_study(&base, &so, &S, &err);
        stopsig_restore();
    }
    app_loadbar_done(&S.lb);
    stopsig_watch_stop(&watch);
    cs_monitor_free(S.mon);
    int sig = stopsig_caught();
    if (sig && (st == CS_ECANCEL || st == CS_OK)) {   /* the tables of the runs so far */
        fprintf(stderr, "clickseq: study interrupted by %s after %zu of %zu runs (the run in "
                        "progress is saved as interrupted); the tables of the runs so far are in %s\n",
                stopsig_name(sig), S.done, S.total, out);
        st = CS_OK;
    }
    if (!st) {
        char cmd[4096];
        size_t len = (size_t)snprintf(cmd, sizeof cmd, "clickseq");
        for (int i = 0; i < argc && len < sizeof cmd; i++)
            len += (size_t)snprintf(cmd + len, sizeof cmd - len, " %s", argv[i]);
        st = write_study(&so, &S, out, cmd, cs_now_s() - t0, json, &err);
    }
    cs_data_cache_free(S.dc);
    cs_results_free(&S.res);
    free(S.pads);
    rc = st ? cli_report(&err) : 0;
    return sig ? 128 + sig : rc;
}
