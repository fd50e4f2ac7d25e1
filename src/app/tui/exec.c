/* exec.c — what commands do (every key runs one of these through tui_exec_line), the
 * queue of runs, the runs list, and collecting finished runs and loads. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <errno.h>
#include <sys/stat.h>
#include <time.h>

#include "app/tui/app.h"
#include "app/tui/settings.h"
#include "clickseq/pipeline.h"

void tui_app_message(tui_app *a, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->msg, sizeof a->msg, fmt, ap);
    va_end(ap);
    a->msg_err = err;
}

void tui_screen_push(tui_app *a, tui_screen_id id)
{
    if (a->screen == id) return;
    if (a->nback == (int)(sizeof a->back / sizeof a->back[0])) {   /* full: forget the oldest */
        memmove(a->back, a->back + 1, sizeof a->back - sizeof a->back[0]);
        a->nback--;
    }
    a->back[a->nback++] = a->screen;
    a->screen = id;
}

int tui_screen_back(tui_app *a)
{
    tui_screen_id to = a->nback ? a->back[--a->nback] : SCR_MAIN;
    if (to == a->screen) return R_NONE;
    a->screen = to;
    return R_REDRAW;
}

/* ======================= runs ======================= */
void tui_app_refresh_runs(tui_app *a)
{
    static char names[TUI_MAX_RUNS][64];
    tui_run_row old[TUI_MAX_RUNS];
    int nold = a->nruns;
    memcpy(old, a->runs, sizeof old);
    size_t bad = 0;
    int n = tui_runs_list(a->runs_dir, names, TUI_MAX_RUNS, &bad);
    if (bad && bad != a->runs_bad)   /* said once, not at every refresh */
        tui_app_message(a, 1, "runs: %zu damaged run%s in %s skipped (the library, L, names the first)", bad,
                        bad == 1 ? "" : "s", a->runs_dir);
    a->runs_bad = bad;
    a->nruns = 0;
    for (int i = 0; i < n; i++) {
        tui_run_row *rr = &a->runs[a->nruns];
        memset(rr, 0, sizeof *rr);
        snprintf(rr->name, sizeof rr->name, "%.63s", names[i]);
        for (int k = 0; k < nold; k++)
            if (!strcmp(old[k].name, rr->name)) { *rr = old[k]; break; }
        if (!rr->cell[0]) {
            tui_run r;
            if (tui_runs_load(a->runs_dir, names[i], &r, NULL) != CS_OK) continue;
            rr->f1 = r.test.f1;
            rr->pr_auc = r.test.pr_auc;
            rr->seconds = r.seconds;
            rr->epochs = (int)r.n_hist;
            snprintf(rr->cell, sizeof rr->cell, "%s", cs_cell_name(r.cfg.model.cell));
            tui_run_free(&r);
        }
        a->nruns++;
    }
    if (a->runs_sel >= a->nruns) a->runs_sel = a->nruns ? a->nruns - 1 : 0;
}

const char *tui_app_selected_run(tui_app *a)
{
    if (a->runs_sel < 0 || a->runs_sel >= a->nruns) return NULL;
    return a->runs[a->nruns - 1 - a->runs_sel].name;
}

int tui_app_load_run(tui_app *a, const char *name, tui_run *r)
{
    cs_error err;
    if (tui_runs_load(a->runs_dir, name, r, &err) != CS_OK) {
        tui_app_message(a, 1, "%s", err.msg);
        return -1;
    }
    if (r->n_hist == 0) {
        tui_app_message(a, 1, "run %s has no epochs", name);
        tui_run_free(r);
        return -1;
    }
    return 0;
}

void tui_app_add_path(tui_app *a, const char *path)
{
    if (strlen(path) >= sizeof a->paths[0]) return;
    for (int i = 0; i < a->npaths; i++)
        if (!strcmp(a->paths[i], path)) return;
    if (a->npaths == TUI_MAX_PATHS) {
        memmove(a->paths, a->paths + 1, sizeof a->paths - sizeof a->paths[0]);
        a->npaths--;
    }
    snprintf(a->paths[a->npaths++], sizeof a->paths[0], "%s", path);
}

/* ======================= commands ======================= */
/* The options that belong to the file read (a new file starts from their defaults unless
 * the :load line names them) and the view, which follows the data. */
static const char *const reading_params[] = {"format", "outcomes", "map", "purchase-event", "header", "delim",
                                             "session-gap", "label", "drop", "time-col", "view"};
#define N_READING (sizeof reading_params / sizeof reading_params[0])

static void add_adopt(tui_loader *l, const char *name)
{
    for (int i = 0; i < l->n_adopt; i++)
        if (!strcmp(l->adopt[i], name)) return;
    if (l->n_adopt < (int)(sizeof l->adopt / sizeof l->adopt[0]))
        snprintf(l->adopt[l->n_adopt++], sizeof l->adopt[0], "%s", name);
}

/* load FILE [FORMAT] [OUTCOMES] [NAME=VALUE...]: the reading options and the view start
 * from their defaults (the previous file's do not carry over), then what the line names
 * (through tui_set: a missing outcomes file is refused); the view is what the data
 * supports (features for a features table), a features-only cell goes back to the default
 * with another view.  What changed without being named is said when it has loaded. */
static int do_load(tui_app *a, const tui_cmd *c)
{
    if (a->loader.job.active) {
        tui_app_message(a, 1, "still loading %s (Esc cancels)", a->loader.cfg.data);
        return R_REDRAW;
    }
    cs_run_config nc = a->cfg, def;
    cs_run_config_init(&def);
    char msg[600];
    const char *pos[3] = {NULL, NULL, NULL};
    int npos = 0, named[N_READING + 1] = {0};
    for (int i = 0; i < c->argc; i++) {
        if (strchr(c->argv[i], '=')) continue;
        if (npos == 3) {
            tui_app_message(a, 1, "load: '%s': give FILE [FORMAT] [OUTCOMES] and then NAME=VALUE", c->argv[i]);
            return R_REDRAW;
        }
        pos[npos++] = c->argv[i];
    }
    if (!pos[0]) {
        tui_app_message(a, 1, "usage: load FILE [FORMAT] [OUTCOMES] [NAME=VALUE...]");
        return R_REDRAW;
    }
    for (size_t k = 0; k < N_READING; k++) {
        char v[2048];
        cs_param_get(&def, reading_params[k], v, sizeof v);
        cs_param_set(&nc, reading_params[k], v, NULL);
    }
    /* the names and values the line gives, in its order: FILE, FORMAT, OUTCOMES, NAME=VALUE */
    const char *names[TUI_CMD_MAXARGS + 3], *vals[TUI_CMD_MAXARGS + 3];
    char kv[TUI_CMD_MAXARGS][TUI_CMD_ARGLEN];
    int ns = 0;
    names[ns] = "data", vals[ns++] = pos[0];
    if (pos[1]) names[ns] = "format", vals[ns++] = pos[1];
    if (pos[2]) names[ns] = "outcomes", vals[ns++] = pos[2];
    for (int i = 0; i < c->argc; i++) {
        char *eq;
        if (!(eq = strchr(c->argv[i], '='))) continue;
        snprintf(kv[i], sizeof kv[i], "%s", c->argv[i]);
        eq = kv[i] + (eq - c->argv[i]);
        *eq = '\0';
        names[ns] = kv[i], vals[ns++] = eq + 1;
    }
    tui_loader *l = &a->loader;
    l->n_adopt = 0;
    add_adopt(l, "data");
    for (size_t k = 0; k < N_READING; k++) add_adopt(l, reading_params[k]);
    int view_named = 0, cell_named = 0;
    for (int i = 0; i < ns; i++) {
        if (tui_set(&nc, names[i], vals[i], msg, sizeof msg) != 0) {
            tui_app_message(a, 1, "load: %s", msg);
            return R_REDRAW;
        }
        const cs_param *p = cs_param_find(names[i]);
        add_adopt(l, p->name);
        for (size_t k = 0; k < N_READING; k++)
            if (!strcmp(p->name, reading_params[k])) named[k] = 1;
        if (!strcmp(p->name, "view")) view_named = 1;
        if (!strcmp(p->name, "cell")) cell_named = 1;
    }
    /* the view the data supports: a features table (named, or found by its label column)
     * is read as the features view */
    cs_pipeline_guess g;
    if (!view_named && cs_pipeline_resolve(&nc, &g, NULL) == CS_OK && g.format == CS_FMT_FEATURES)
        cs_param_set(&nc, "view", "features", NULL);
    if (!cell_named && nc.ds.view != CS_VIEW_FEATURES &&
        (nc.model.cell == CS_CELL_MLP || nc.model.cell == CS_CELL_LOGREG)) {
        char v[64];
        cs_param_get(&def, "cell", v, sizeof v);
        cs_param_set(&nc, "cell", v, NULL);
    }
    add_adopt(l, "cell");
    /* what changed that the line did not name: said when it has loaded */
    size_t at = 0;
    l->note[0] = '\0';
    for (size_t k = 0; k <= N_READING; k++) {
        const char *nm = k < N_READING ? reading_params[k] : "cell";
        if (k < N_READING && named[k]) continue;
        if (k == N_READING && cell_named) continue;
        char was[256], now[256];
        cs_param_get(&a->cfg, nm, was, sizeof was);
        cs_param_get(&nc, nm, now, sizeof now);
        if (strcmp(was, now) && at < sizeof l->note - 1)
            at += (size_t)snprintf(l->note + at, sizeof l->note - at, "%s%s %s", at ? ", " : "", nm,
                                   now[0] ? now : "none");
    }
    l->first = 0;
    if (tui_loader_start(l, &nc) != 0) {
        tui_app_message(a, 1, "cannot start the loading thread");
        return R_REDRAW;
    }
    tui_app_message(a, 0, "loading %s ...  (Esc cancels)", nc.data);
    return R_REDRAW;
}

/* CELL... [seeds=N]: one grid job of these cells on the current settings (checked first),
 * N seeds each (seed, seed+1, ...: the runs of a cell form a seed group in compare). */
static int cells_to_queue(tui_app *a, const tui_cmd *c)
{
    const char *cells[TUI_CMD_MAXARGS];
    cs_error err;
    int seeds = 1, ncells = 0;
    for (int i = 0; i < c->argc; i++) {
        if (!strncmp(c->argv[i], "seeds=", 6)) {
            char *end;
            long v = strtol(c->argv[i] + 6, &end, 10);
            if (*end || v < 1 || v > 100) {
                tui_app_message(a, 1, "%s: a number of seeds in 1..100", c->argv[i]);
                return -1;
            }
            seeds = (int)v;
            continue;
        }
        cs_run_config tmp = a->cfg;
        if (cs_param_set(&tmp, "cell", c->argv[i], &err) != CS_OK) {
            tui_app_message(a, 1, "%s", err.msg);
            return -1;
        }
        cells[ncells++] = c->argv[i];
    }
    if (ncells == 0) cells[ncells++] = cs_cell_name(a->cfg.model.cell);
    if (ncells == 1 && seeds == 1) {   /* one cell: one run, named as `t` names it */
        cs_run_config one = a->cfg;
        one.name[0] = '\0';
        cs_param_set(&one, "cell", cells[0], NULL);
        return tui_queue_run(a, &one);
    }
    return tui_queue_cells(a, cells, ncells, seeds);
}

/* Data with no positive (or no negative) session trains a model whose AUCs are n/a: say
 * so before the first training on that data; the same command again trains anyway.
 * Returns 1 when it warned (nothing started). */
static int one_class_warning(tui_app *a)
{
    static char warned[200];
    long pos = a->data.positives, n = a->data.sessions;
    if (n <= 0 || (pos > 0 && pos < n)) return 0;
    char key[200];
    snprintf(key, sizeof key, "%.150s|%ld|%ld", a->data.name, n, pos);
    if (!strcmp(key, warned)) return 0;
    snprintf(warned, sizeof warned, "%s", key);
    tui_app_message(a, 1, "warning: %s has no %s sessions (%ld of %ld are positive): F1, PR-AUC "
                    "and ROC-AUC will be n/a.  Press t again to train anyway",
                    a->data.name, pos ? "negative" : "positive", pos, n);
    return 1;
}

static int do_train(tui_app *a, const tui_cmd *c)
{
    if (a->loader.job.active && c->argc == 0) {   /* t while it loads: once it has loaded */
        a->train_after_load = 1;
        tui_app_message(a, 0, "training starts once %s has loaded (Esc cancels the load)", a->loader.cfg.data);
        return R_REDRAW;
    }
    if (a->loader.job.active) {
        tui_app_message(a, 1, "still loading %s: train when it is loaded (Esc cancels the load)", a->loader.cfg.data);
        return R_REDRAW;
    }
    if (!a->data_ok) {
        tui_app_message(a, 1, "no data: :load FILE first");
        return R_REDRAW;
    }
    if (one_class_warning(a)) return R_REDRAW;
    int busy = a->worker.job.active;
    if (c->argc == 0) {
        if (tui_queue_run(a, &a->cfg)) return R_REDRAW;
    } else if (cells_to_queue(a, c)) {
        return R_REDRAW;
    }
    int n = tui_app_waiting(a);
    if (busy)
        tui_app_message(a, 0, "queued: %d run%s waiting", n, n == 1 ? "" : "s");
    else
        tui_app_message(a, 0, "training%s", n > 1 ? " (the rest queued)" : "");
    tui_app_start_next(a);
    return R_REDRAW;
}

/* ======================= sweeps ======================= */
/* sweep NAME=V1,V2 ... [seeds=N]: the grid of sweep.h (axes in the order given, the last
 * varying fastest, N seeds each) as one job through cs_sweep_run, the baselines after it;
 * its results table is written into RUNS/sweep-<time>/ when it ends. */
static int do_sweep(tui_app *a, const tui_cmd *c)
{
    if (a->sweep.active) {
        tui_app_message(a, 1, "sweep: a sweep is running (%zu of %zu runs done); s stops it",
                        a->sweep.finished, a->sweep.runs);
        return R_REDRAW;
    }
    if (!a->data_ok) {
        tui_app_message(a, 1, "no data: :load FILE first");
        return R_REDRAW;
    }
    cs_sweep_grid g;
    cs_sweep_grid_init(&g);
    cs_error err;
    cs_status st = CS_OK;
    int seeds = 1;
    char cmd[700];
    size_t len = (size_t)snprintf(cmd, sizeof cmd, "workbench on %.400s (each run's settings in its "
                                  "config.txt): :sweep", a->cfg.data);
    for (int i = 0; i < c->argc && st == CS_OK; i++) {
        const char *eq = strchr(c->argv[i], '=');
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(eq - c->argv[i]), c->argv[i]);
        if (len < sizeof cmd)
            len += (size_t)snprintf(cmd + len, sizeof cmd - len, " %s", c->argv[i]);
        if (!strcmp(name, "seeds")) {
            char *end;
            long v = strtol(eq + 1, &end, 10);
            if (*end || v < 1 || v > TUI_MAX_QUEUE)
                st = cs_error_fmt(&err, CS_EINPUT, "seeds=%s: a number of seeds in 1..%d", eq + 1, TUI_MAX_QUEUE);
            seeds = (int)v;
            continue;
        }
        if (!cs_param_find(name))
            st = cs_error_fmt(&err, CS_EINPUT, "unknown parameter '%s'", name);
        else
            st = cs_sweep_grid_add(&g, name, eq + 1, &err);
    }
    g.seeds = seeds;
    if (st == CS_OK) st = cs_sweep_grid_check(&g, &a->cfg, &err);
    size_t runs = st == CS_OK ? cs_sweep_grid_runs(&g) : 0;
    int room = TUI_MAX_QUEUE - tui_app_waiting(a);
    if (st == CS_OK && runs > (size_t)room)
        st = cs_error_fmt(&err, CS_EINPUT, "%zu runs do not fit in the queue (%d free)", runs, room);
    if (st != CS_OK) {
        tui_app_message(a, 1, "sweep: %s", err.msg);
        cs_sweep_grid_free(&g);
        return R_REDRAW;
    }
    size_t configs = cs_sweep_grid_size(&g);
    if (tui_queue_sweep(a, &g, cmd)) {
        cs_sweep_grid_free(&g);
        return R_REDRAW;
    }
    tui_app_message(a, 0, "sweep: %zu runs queued (%zu configurations x %d seed%s)", runs,
                    configs, seeds, seeds == 1 ? "" : "s");
    tui_app_start_next(a);
    return R_REDRAW;
}

static int do_compare(tui_app *a, const tui_cmd *c)
{
    const char *names[TUI_CMP_MAX];
    int n = 0;
    if (c->argc) {
        for (int i = 0; i < c->argc; i++) names[n++] = c->argv[i];
        if (n == 1) return tui_compare_open(a, names, n);   /* a folder of runs (a sweep's) */
    } else {
        for (int i = a->nruns - 1; i >= 0 && n < TUI_CMP_MAX; i--)
            if (a->runs[i].marked) names[n++] = a->runs[i].name;
        if (n < 2 && a->nruns >= 2) {   /* nothing marked: the two newest runs */
            n = 0;
            names[n++] = a->runs[a->nruns - 1].name;
            names[n++] = a->runs[a->nruns - 2].name;
        }
    }
    if (n < 2) {
        tui_app_message(a, 1, "compare needs 2 or more runs: mark them with space in the runs list");
        return R_REDRAW;
    }
    return tui_compare_open(a, names, n);
}

/* The run a command without a RUN argument is about: the current screen's subject (the
 * first compared run, the run replayed, the early curve's run; on the main screen the
 * selected run when the runs pane has the focus, else the last trained). */
static const char *subject(tui_app *a)
{
    const tui_screen *s = tui_screen_cur(a);
    const char *name = s->subject ? s->subject(a) : NULL;
    return name ? name : tui_main_screen.subject(a);
}

static int do_replay(tui_app *a, const tui_cmd *c)
{
    const char *name = c->argc ? c->argv[0] : subject(a);
    if (!name) {
        tui_app_message(a, 1, "no run to replay: train one, or select one in the runs list");
        return R_REDRAW;
    }
    return tui_replay_open(a, name, c->speed);
}

/* ======================= early prediction ======================= */
/* early [RUN] [K]: F1 and PR-AUC of a saved sequence run on the first k = 1..K events of
 * its test sessions, computed on a short-lived thread (it reads the data again), shown
 * by the early screen (early.c) when it is done. */
static int do_early(tui_app *a, const tui_cmd *c)
{
    const char *name = c->argc ? c->argv[0] : subject(a);
    if (!name) {
        tui_app_message(a, 1, "no run for early prediction: train one, or select one in the runs list");
        return R_REDRAW;
    }
    char nm[TUI_RUN_REF];
    if (strlen(name) >= sizeof nm) {
        tui_app_message(a, 1, "early: %.80s...: the run's path is too long", name);
        return R_REDRAW;
    }
    snprintf(nm, sizeof nm, "%s", name);
    tui_run r;
    cs_error err;
    if (tui_runs_load(a->runs_dir, nm, &r, &err) != CS_OK) {
        tui_app_message(a, 1, "%s", err.msg);
        return R_REDRAW;
    }
    int features = r.cfg.ds.view == CS_VIEW_FEATURES || r.cfg.model.view == CS_VIEW_FEATURES;
    int hybrid = r.cfg.ds.view == CS_VIEW_HYBRID || r.cfg.model.view == CS_VIEW_HYBRID;
    int compat = r.cfg.ds.method == CS_METHOD_COMPAT;
    tui_run_free(&r);
    if (features || hybrid) {
        tui_app_message(a, 1, "early: %s is a %s-view run (%s); early prediction needs a sequence "
                        "run: set view sequence, train, then :early", nm, features ? "features" : "hybrid",
                        features ? "one row of totals per session"
                                 : "its session features would need recomputing per prefix");
        return R_REDRAW;
    }
    if (compat) {
        tui_app_message(a, 1, "early: %s uses the study's compat method (one time step); "
                        "early prediction needs a run with method honest", nm);
        return R_REDRAW;
    }
    return tui_early_open(a, nm, c->k ? c->k : 20);
}

static int do_save(tui_app *a, const tui_cmd *c)
{
    if (!a->have_last) {
        tui_app_message(a, 1, "no finished run to save yet (finished runs are saved automatically)");
        return R_REDRAW;
    }
    tui_run copy = a->last;
    if (c->argc) {   /* the rule of --name (the parameter table's), never cut */
        cs_run_config check = a->last.cfg;
        cs_error e;
        if (cs_param_set(&check, "name", c->argv[0], &e) != CS_OK || !c->argv[0][0]) {
            tui_app_message(a, 1, "save: %s", c->argv[0][0] ? e.msg : "the name is empty");
            return R_REDRAW;
        }
        snprintf(copy.name, sizeof copy.name, "%s", check.name);
    }
    /* the run was saved when it finished: NAME renames it (no copy), none says where it is */
    char dir[1200];
    snprintf(dir, sizeof dir, "%.600s/%.63s", a->runs_dir, a->last.name);
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (!c->argc || !strcmp(copy.name, a->last.name)) {
            tui_app_message(a, 0, "%s is saved in %s (:save NAME renames it)", a->last.name, a->runs_dir);
            return R_REDRAW;
        }
        char np[1300];
        if (tui_library_rename(a, dir, copy.name, np, sizeof np) == 0) {
            tui_app_message(a, 0, "saved %s (renamed from %s, no copy)", np, a->last.name);
            snprintf(a->last.name, sizeof a->last.name, "%.63s", copy.name);
            snprintf(a->last.cfg.name, sizeof a->last.cfg.name, "%.63s", copy.name);
        }
        tui_app_refresh_runs(a);
        return R_REDRAW;
    }
    cs_error err;
    if (tui_runs_save(a->runs_dir, &copy, &err) != CS_OK)
        tui_app_message(a, 1, "%s", err.msg);
    else
        tui_app_message(a, 0, "saved %s/%s", a->runs_dir, copy.name);
    tui_app_refresh_runs(a);
    return R_REDRAW;
}

static int do_mark(tui_app *a, const tui_cmd *c)
{
    tui_run_row *rr = NULL;
    if (c->argc) {
        for (int i = 0; i < a->nruns; i++)
            if (!strcmp(a->runs[i].name, c->argv[0])) rr = &a->runs[i];
    } else if (a->runs_sel < a->nruns) {
        rr = &a->runs[a->nruns - 1 - a->runs_sel];
    }
    if (!rr) {
        tui_app_message(a, 1, c->argc ? "no run named '%s'" : "no run selected%s", c->argc ? c->argv[0] : "");
        return R_REDRAW;
    }
    int marked = 0;
    for (int i = 0; i < a->nruns; i++) marked += a->runs[i].marked;
    if (!rr->marked && marked >= TUI_CMP_MAX) {
        tui_app_message(a, 1, "at most %d runs can be compared", TUI_CMP_MAX);
        return R_REDRAW;
    }
    rr->marked = !rr->marked;
    tui_app_message(a, 0, "%d run(s) marked: c compares them", marked + (rr->marked ? 1 : -1));
    return R_REDRAW;
}

/* :preset NAME: the preset over the current settings (the data options stay: the preset
 * functions keep them), checked as every change is; the message names what it set. */
static int do_preset(tui_app *a, const char *name)
{
    cs_run_config c = a->cfg;
    cs_error err;
    if (cs_run_config_preset(&c, name, &err) != CS_OK ||
        cs_run_config_check(&c, &err) != CS_OK) {
        tui_app_message(a, 1, "preset: %s", err.msg);
        return R_REDRAW;
    }
    char what[400] = "";
    size_t len = 0;
    int n = 0;
    for (size_t i = 0; i < cs_param_count() && len + 40 < sizeof what; i++) {
        const cs_param *p = cs_param_at(i);
        char v0[128], v1[128];
        cs_param_get(&a->cfg, p->name, v0, sizeof v0);
        cs_param_get(&c, p->name, v1, sizeof v1);
        if (strcmp(v0, v1) && !(p->group == 0 && strcmp(p->name, "view") && strcmp(p->name, "history-inputs")))
            len += (size_t)snprintf(what + len, sizeof what - len, "%s%s %s", n++ ? ", " : "", p->name, v1);
    }
    a->cfg = c;
    tui_app_message(a, 0, "preset %s: %s", name, n ? what : "nothing changed");
    return R_REDRAW;
}

/* :save-settings: the current settings into the settings file (settings.h). */
static int do_save_settings(tui_app *a)
{
    char path[1024], msg[1200];
    if (a->settings_path[0]) snprintf(path, sizeof path, "%s", a->settings_path);
    else if (tui_settings_path(path, sizeof path) != 0) {
        tui_app_message(a, 1, "save-settings: neither XDG_CONFIG_HOME nor HOME is set");
        return R_REDRAW;
    }
    int rc = tui_settings_write(path, &a->cfg, a->demo_data, msg, sizeof msg);
    tui_app_message(a, rc != 0, "%s%s", rc ? "save-settings: " : "", msg);
    return R_REDRAW;
}

int tui_exec(tui_app *a, const tui_cmd *c)
{
    const tui_screen *s = tui_screen_cur(a);
    int r = s->command ? s->command(a, c) : -1;
    if (r >= 0) return r;
    switch (c->kind) {
    case CMD_NONE: return R_NONE;
    case CMD_LOAD: return do_load(a, c);
    case CMD_SET: {   /* the honest :set (settings.c) */
        char msg[512];
        if (tui_set(&a->cfg, c->argv[0], c->argv[1], msg, sizeof msg) != 0)
            tui_app_message(a, 1, "%s", msg);
        else {
            tui_app_message(a, 0, "%s", msg);
            tui_form_select(cs_param_find(c->argv[0])->name);
        }
        return R_REDRAW;
    }
    case CMD_SAVE_SETTINGS: return do_save_settings(a);
    case CMD_PRESET: return do_preset(a, c->argv[0]);
    case CMD_TRAIN: return do_train(a, c);
    case CMD_QUEUE:
        if (cells_to_queue(a, c) == 0) {
            int n = tui_app_waiting(a);
            tui_app_message(a, 0, "%d run%s queued", n, n == 1 ? "" : "s");
            tui_app_start_next(a);
        }
        return R_REDRAW;
    case CMD_PAUSE:
        if (!a->worker.job.active) tui_app_message(a, 1, "nothing is training");
        else { tui_worker_pause(&a->worker); tui_app_message(a, 0, "paused (p resumes)"); }
        return R_REDRAW;
    case CMD_RESUME:
        if (!a->worker.job.active) tui_app_message(a, 1, "nothing is training");
        else { tui_worker_resume(&a->worker); tui_app_message(a, 0, "resumed"); }
        return R_REDRAW;
    case CMD_STOP:
        if (!a->worker.job.active) { tui_app_message(a, 1, "nothing is training"); return R_REDRAW; }
        tui_worker_resume(&a->worker);
        tui_worker_stop(&a->worker);
        tui_app_message(a, 0, "stopping%s", tui_app_waiting(a) ? " (queue cleared)" : "");
        tui_app_clear_queue(a);
        return R_REDRAW;
    case CMD_SAVE: return do_save(a, c);
    case CMD_COMPARE: return do_compare(a, c);
    case CMD_REPLAY: return do_replay(a, c);
    case CMD_SWEEP: return do_sweep(a, c);
    case CMD_EARLY: return do_early(a, c);
    case CMD_BACK: return tui_screen_back(a);
    case CMD_LIBRARY: return tui_library_open(a);
    case CMD_SWEEPS: return tui_sweepview_open(a, c->argc ? c->argv[0] : NULL);
    case CMD_WATCH: return tui_watch_open(a);
    case CMD_EXPORT:
        tui_app_message(a, 1, "export: open compare first (c, or :compare RUN...)");
        return R_REDRAW;
    case CMD_RENAME: case CMD_DELETE:
        tui_app_message(a, 1, "%s: in the runs library (:library, L)", tui_cmd_name(c->kind));
        return R_REDRAW;
    case CMD_VIEW: case CMD_FOCUS: case CMD_PLOT: return tui_main_command(a, c);
    case CMD_MAIN:
        a->nback = 0;
        if (a->screen == SCR_MAIN) return R_NONE;
        a->screen = SCR_MAIN;
        return R_REDRAW;
    case CMD_HELP: a->help = 1; return R_REDRAW;
    case CMD_QUIT: return tui_quit_ask(a);
    case CMD_MARK: return do_mark(a, c);
    case CMD_STEP: case CMD_SPEED:
        tui_app_message(a, 1, "%s: only while replaying (r, :replay RUN)", tui_cmd_name(c->kind));
        return R_REDRAW;
    }
    return R_NONE;
}

int tui_exec_line(tui_app *a, const char *line)
{
    tui_cmd c;
    char msg[512];
    if (tui_cmd_parse(line, &c, msg, sizeof msg) != 0) {
        tui_app_message(a, 1, "%s", msg);
        return R_REDRAW;
    }
    return tui_exec(a, &c);
}

