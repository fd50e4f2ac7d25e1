/* compare.c — saved runs side by side, folded into seed groups (see compare.h): mean
 * curves with ± std bands, the groups' table (mean ± std, sortable), the bootstrap's
 * verdict lines, the parameters that differ (full values, scrollable), export. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ncurses.h>

#include "app/tui/app.h"
#include "app/tui/curves.h"
#include "app/tui/plot.h"
#include "app/tui/watch.h"
#include "clickseq/runfind.h"

static tui_compare_state state = {.band = 1, .cursor_x = NAN};

tui_compare_state *tui_compare(void) { return &state; }

static const wchar_t markers_u[8] = {L'●', L'▲', L'■', L'◆', L'★', L'✚', L'▼', L'◉'};
static const wchar_t markers_a[8] = {L'o', L'^', L'#', L'+', L'*', L'x', L'v', L'@'};
static const char *const metric_names[TUI_CMP_NMETRICS] = {
    "loss (train solid, validation dotted)", "validation loss", "train loss", "F1 (validation)",
    "precision (validation)", "recall (validation)", "PR-AUC (validation)", "ROC-AUC (validation)"};

const char *tui_compare_metric_name(int m)
{
    return m >= 0 && m < TUI_CMP_NMETRICS ? metric_names[m] : "?";
}

double tui_compare_value(const cs_run *r, size_t i, int m)
{
    if (i >= r->n_hist) return NAN;
    const cs_epoch *e = &r->hist[i];
    switch (m) {
    case TUI_CMP_LOSS: case TUI_CMP_VLOSS: return e->valid_loss;
    case TUI_CMP_TLOSS: return e->train_loss;
    case TUI_CMP_F1: return e->valid.f1;
    case TUI_CMP_P: return e->valid.precision;
    case TUI_CMP_R: return e->valid.recall;
    case TUI_CMP_PRAUC: return e->valid.pr_auc;
    default: return e->valid.roc_auc;
    }
}

wchar_t tui_compare_marker(const tui_canvas *cv, size_t g)
{
    return cv->unicode ? markers_u[g % 8] : markers_a[g % 8];
}
int tui_compare_colour(size_t g) { return TC_S1 + (int)(g % 4); }

double tui_compare_run_x(const cs_run *r, size_t i, int xmode)
{
    if (xmode == TUI_X_TIME) {
        double s = 0;
        for (size_t k = 0; k <= i && k < r->n_hist; k++) s += r->hist[k].seconds;
        return s;
    }
    if (xmode == TUI_X_STEP) {
        size_t b = 0;
        while (b < r->n_batch && r->batch_epoch[b] <= r->hist[i].epoch) b++;
        return (double)b;
    }
    return (double)r->hist[i].epoch;
}

double tui_compare_curve_stat(const cs_run *r, int m, int stat)
{
    if (stat == TUI_CMP_ST_BESTEP) return r->best_epoch >= 1 ? r->best_epoch : NAN;
    if (stat == TUI_CMP_ST_ATBEST)
        return r->best_epoch >= 1 ? tui_compare_value(r, (size_t)r->best_epoch - 1, m) : NAN;
    if (stat == TUI_CMP_ST_LAST) return r->n_hist ? tui_compare_value(r, r->n_hist - 1, m) : NAN;
    double v = NAN;
    for (size_t i = 0; i < r->n_hist; i++) {
        double x = tui_compare_value(r, i, m);
        if (isnan(x)) continue;
        if (isnan(v) || (stat == TUI_CMP_ST_MIN ? x < v : x > v)) v = x;
    }
    return v;
}

int tui_compare_group_point(const tui_compare_state *s, size_t g, size_t i, double *x, double *mean,
                            double *std)
{
    return tui_compare_group_point_m(s, g, i, s->metric, x, mean, std);
}

int tui_compare_group_point_m(const tui_compare_state *s, size_t g, size_t i, int m, double *x, double *mean,
                              double *std)
{
    const cs_run_group *G = &s->rep.groups[g];
    double sx = 0, sy = 0, ss = 0;
    int k = 0;
    for (size_t j = 0; j < G->n; j++) {
        const cs_run *r = &s->runs[G->run[j]];
        if (i >= r->n_hist) continue;
        double v = tui_compare_value(r, i, m);
        if (isnan(v)) continue;
        sx += tui_compare_run_x(r, i, s->xmode);
        sy += v;
        k++;
    }
    *x = k ? sx / k : NAN;
    *mean = k ? sy / k : NAN;
    for (size_t j = 0; k > 1 && j < G->n; j++) {
        const cs_run *r = &s->runs[G->run[j]];
        if (i >= r->n_hist) continue;
        double v = tui_compare_value(r, i, m);
        if (!isnan(v)) ss += (v - *mean) * (v - *mean);
    }
    *std = k > 1 ? sqrt(ss / (k - 1)) : 0;
    return k;
}

/* ======================= the table's columns ======================= */
/* kind 0: a summary row of report_rows (ri); kind 1: a curve statistic (ri = TUI_CMP_ST_MIN..)
 * of the plotted metric per run */
typedef struct col { int kind, ri; const char *head; int w, narrow; } col;
static const col test_cols[] = {
    {0, 3, "test PR-AUC", 14, 1}, {0, 4, "test ROC-AUC", 14, 1}, {0, 0, "test F1", 14, 1},
    {0, 7, "valid PR-AUC", 14, 0}, {0, 11, "best ep", 8, 1}, {0, 14, "params", 8, 0}, {0, 13, "time s", 9, 0},
};
static const col curve_cols[] = {
    {1, TUI_CMP_ST_MIN, "min", 14, 1}, {1, TUI_CMP_ST_MAX, "max", 14, 1}, {1, TUI_CMP_ST_ATBEST, "at best ep", 14, 1},
    {1, TUI_CMP_ST_LAST, "last", 14, 0}, {1, TUI_CMP_ST_BESTEP, "best ep", 8, 1},
};
#define N_TEST (int)(sizeof test_cols / sizeof test_cols[0])
#define N_CURVE (int)(sizeof curve_cols / sizeof curve_cols[0])

static const col *col_at(const tui_compare_state *s, int c)
{
    return s->table == TUI_CMP_TAB_CURVE ? &curve_cols[c] : &test_cols[c];
}
int tui_compare_ncols(const tui_compare_state *s) { return s->table == TUI_CMP_TAB_CURVE ? N_CURVE : N_TEST; }
int tui_compare_col_width(const tui_compare_state *s, int c) { return col_at(s, c)->w; }
int tui_compare_col_narrow(const tui_compare_state *s, int c) { return col_at(s, c)->narrow; }
int tui_compare_col_integer(const tui_compare_state *s, int c)
{
    const col *k = col_at(s, c);
    return k->kind ? k->ri == TUI_CMP_ST_BESTEP : k->ri == 11 || k->ri == 14;
}
const char *tui_compare_col_head(const tui_compare_state *s, int c, char *buf, size_t n)
{
    snprintf(buf, n, "%s", col_at(s, c)->head);
    return buf;
}

void tui_compare_col_stat(const tui_compare_state *s, int c, size_t g, double *mean, double *std)
{
    const col *k = col_at(s, c);
    if (!k->kind) {
        report_group_stat(&s->rep, g, (size_t)k->ri, mean, std);
        return;
    }
    const cs_run_group *G = &s->rep.groups[g];
    double sum = 0, ss = 0;
    int n = 0;
    int m = s->metric == TUI_CMP_LOSS ? TUI_CMP_VLOSS : s->metric;
    for (size_t j = 0; j < G->n; j++) {
        double v = tui_compare_curve_stat(&s->runs[G->run[j]], m, k->ri);
        if (!isnan(v)) { sum += v; n++; }
    }
    *mean = n ? sum / n : NAN;
    for (size_t j = 0; n > 1 && j < G->n; j++) {
        double v = tui_compare_curve_stat(&s->runs[G->run[j]], m, k->ri);
        if (!isnan(v)) ss += (v - *mean) * (v - *mean);
    }
    *std = n > 1 ? sqrt(ss / (n - 1)) : 0;
}

size_t *tui_compare_sorted_groups(const tui_compare_state *s)
{
    size_t ng = s->rep.ng;
    size_t *ord = malloc((ng ? ng : 1) * sizeof *ord);
    if (!ord) return NULL;
    for (size_t g = 0; g < ng; g++) ord[g] = g;
    if (s->sort <= 0 || s->sort > tui_compare_ncols(s)) return ord;
    for (size_t i = 1; i < ng; i++)   /* insertion sort: stable, a handful of groups; missing last */
        for (size_t j = i; j > 0; j--) {
            double ma, mb, sd;
            tui_compare_col_stat(s, s->sort - 1, ord[j - 1], &ma, &sd);
            tui_compare_col_stat(s, s->sort - 1, ord[j], &mb, &sd);
            int swap = isnan(ma) ? !isnan(mb) : !isnan(mb) && (s->sort_desc ? mb > ma : mb < ma);
            if (!swap) break;
            size_t t = ord[j]; ord[j] = ord[j - 1]; ord[j - 1] = t;
        }
    return ord;
}

/* ======================= opening ======================= */
static void free_state_runs(void)
{
    if (state.have_rep) report_free(&state.rep);
    state.have_rep = 0;
    for (size_t j = 0; j < state.n; j++) cs_run_free(&state.runs[j]);
    free(state.runs);
    free(state.live);
    state.runs = NULL;
    state.live = NULL;
    state.n = 0;
}

/* the watch's run at path (running, stale or saved since), or NULL */
static const tui_watch_run *watched(const char *path)
{
    const tui_watch_state *w = tui_watch();
    for (size_t k = 0; k < w->n; k++)
        if (!strcmp(w->runs[k].run, path)) return &w->runs[k];
    return NULL;
}

/* Groups and differences of state.runs again (the histories changed); the old report goes.
 * 0, or -1 (the old one kept, a message). */
static int rebuild(tui_app *a)
{
    report rep;
    cs_cmp_opts o = state.rep.opts;
    cs_error err;
    if (report_build(&rep, state.runs, state.n, &o, 0, &err) != CS_OK) {
        tui_app_message(a, 1, "compare: %s", err.msg);
        return -1;
    }
    report_free(&state.rep);
    state.rep = rep;
    state.rep.runs = state.runs;
    return 0;
}

/* Runs another process is training (taken from their live record by the library) follow
 * their record: a new epoch adds to their curves, and once saved the run itself (its test
 * scores and batch losses) replaces it.  Redraws only when a run moved. */
static int compare_tick(tui_app *a, double dt)
{
    size_t nlive = 0;
    for (size_t j = 0; state.live && j < state.n; j++) nlive += state.live[j];
    if (!nlive || !tui_watch_tick(a, dt)) return 0;
    int moved = 0;
    for (size_t j = 0; j < state.n; j++) {
        if (!state.live[j]) continue;
        const tui_watch_run *w = watched(state.runs[j].path);
        if (!w) continue;
        if (w->kind == TUI_W_SAVED) {
            cs_run r;
            cs_error err;
            if (cs_run_load(state.runs[j].path, CS_RUN_HISTORY | CS_RUN_BATCHES | CS_RUN_SCORES, &r, &err) != CS_OK)
                continue;   /* not readable yet: the next poll tries again */
            if (r.n_hist == 0) {
                cs_run_free(&r);
                continue;
            }
            cs_run_free(&state.runs[j]);
            state.runs[j] = r;
            state.live[j] = 0;
            moved = 1;
        } else if (w->have_live && w->live.n_hist > state.runs[j].n_hist) {
            cs_epoch *h = malloc(w->live.n_hist * sizeof *h);
            if (!h) continue;
            memcpy(h, w->live.hist, w->live.n_hist * sizeof *h);
            free(state.runs[j].hist);
            state.runs[j].hist = h;
            state.runs[j].n_hist = w->live.n_hist;
            state.runs[j].best_epoch = state.runs[j].epochs_run = (int)w->live.n_hist;
            state.runs[j].seconds = w->live.elapsed_s;
            moved = 1;
        }
    }
    if (moved && rebuild(a) == 0) return R_REDRAW;
    return 0;
}

int tui_compare_show(tui_app *a, cs_run *runs, size_t n)
{
    report rep;
    cs_cmp_opts o;
    cs_cmp_opts_init(&o);
    o.n_boot = 1000;   /* interactive: half the headless default (the interval moves < 0.002) */
    cs_error err;
    if (report_build(&rep, runs, n, &o, 0, &err) != CS_OK) {
        tui_app_message(a, 1, "compare: %s", err.msg);
        for (size_t j = 0; j < n; j++) cs_run_free(&runs[j]);
        free(runs);
        return R_REDRAW;
    }
    free_state_runs();
    state.runs = runs;
    state.n = n;
    state.live = calloc(n ? n : 1, 1);   /* which of them another process is still training */
    for (size_t j = 0; state.live && j < n; j++) {
        const tui_watch_run *w = watched(runs[j].path);
        state.live[j] = w && w->kind == TUI_W_RUNNING;
    }
    state.rep = rep;
    state.rep.runs = state.runs;
    state.have_rep = 1;
    state.legend_page = state.param_scroll = state.verdict_scroll = 0;
    state.cursor = 0;
    state.cursor_x = NAN;
    tui_screen_push(a, SCR_COMPARE);
    size_t refused = 0;
    for (size_t k = 0; k < rep.np; k++) refused += !rep.pairs[k].ok;
    if (refused)
        tui_app_message(a, 1, "compare: %zu pair%s without an interval (see the verdicts)", refused,
                        refused == 1 ? "" : "s");
    else
        a->msg[0] = '\0';
    return R_REDRAW;
}

/* A name in the runs directory, a path (absolute or relative), or a folder of runs. */
static int load_named(tui_app *a, const char *name, cs_run **runs, size_t *n)
{
    char path[1200];
    cs_error err;
    if (tui_run_path(a->runs_dir, name, path, sizeof path)) {
        tui_app_message(a, 1, "%.80s...: the path is too long", name);
        return -1;
    }
    size_t bad = 0, before = *n;
    cs_error bad_msg;
    if (cs_run_find(path, CS_RUN_HISTORY | CS_RUN_BATCHES | CS_RUN_SCORES, CS_RUN_FIND_DEPTH, runs, n, &bad,
                    &bad_msg, &err) != CS_OK) {
        tui_app_message(a, 1, "%s", err.msg);
        return -1;
    }
    if (bad) {
        tui_app_message(a, 1, "%s", bad_msg.msg);
        return -1;
    }
    if (*n == before) {
        tui_app_message(a, 1, "%s: not a run, and no runs below it", path);
        return -1;
    }
    if (tui_run_is_path(name)) tui_app_add_path(a, name);   /* the library lists them too */
    return 0;
}

int tui_compare_open(tui_app *a, const char *const *names, int n)
{
    cs_run *runs = NULL;
    size_t nr = 0;
    for (int i = 0; i < n; i++)
        if (load_named(a, names[i], &runs, &nr)) {
            for (size_t j = 0; j < nr; j++) cs_run_free(&runs[j]);
            free(runs);
            return R_REDRAW;
        }
    for (size_t j = 0; j < nr; j++)
        if (runs[j].n_hist == 0) {
            tui_app_message(a, 1, "run %s has no epochs", runs[j].name);
            for (size_t k = 0; k < nr; k++) cs_run_free(&runs[k]);
            free(runs);
            return R_REDRAW;
        }
    return tui_compare_show(a, runs, nr);
}

/* ======================= keys and commands ======================= */
static int export_to(tui_app *a, const char *file)
{
    const char *dot = strrchr(file, '.');
    int kind = !dot ? -1 : !strcmp(dot, ".csv") ? 0 : !strcmp(dot, ".md") ? 1 : !strcmp(dot, ".json") ? 2 : -1;
    if (kind < 0) {
        tui_app_message(a, 1, "export: name a FILE.csv (histories), FILE.md (table) or FILE.json");
        return R_REDRAW;
    }
    cs_atomic_file af;
    cs_error err;
    if (cs_atomic_open(&af, file, &err) != CS_OK) {
        tui_app_message(a, 1, "export: %s", err.msg);
        return R_REDRAW;
    }
    if (kind == 0) report_csv(af.f, &state.rep);
    else if (kind == 1) report_markdown(af.f, &state.rep);
    else report_json(af.f, &state.rep);
    if (ferror(af.f)) {
        cs_atomic_abort(&af);
        tui_app_message(a, 1, "export: cannot write %s", file);
    } else if (cs_atomic_commit(&af, &err) != CS_OK)
        tui_app_message(a, 1, "export: %s", err.msg);
    else
        tui_app_message(a, 0, "exported %zu runs (%zu groups) to %s", state.n, state.rep.ng, file);
    return R_REDRAW;
}

static int cursor_set(double x);

static int on_off(const char *w, int cur)
{
    if (!w) return !cur;
    if (!strcmp(w, "on") || !strcmp(w, "yes") || !strcmp(w, "1")) return 1;
    if (!strcmp(w, "off") || !strcmp(w, "no") || !strcmp(w, "0")) return 0;
    return -1;
}

/* :plot x MODE | smooth W | log [on|off] | cursor [on|off] on the compare screen */
static int plot_command(tui_app *a, const tui_cmd *c)
{
    const char *w = c->argc ? c->argv[0] : "", *arg = c->argc > 1 ? c->argv[1] : NULL;
    int on;
    if (!strcmp(w, "x")) {
        int m = arg ? tui_xmode_parse(arg) : (state.xmode + 1) % TUI_X_COUNT;
        if (m < 0) { tui_app_message(a, 1, "plot x: '%s' is not epoch, step or time", arg); return R_REDRAW; }
        if (m != state.xmode) state.cursor_x = NAN;
        state.xmode = m;
    } else if (!strcmp(w, "smooth")) {
        double x = tui_smooth_parse(arg);
        if (isnan(x)) {
            tui_app_message(a, 1, "plot smooth: give a weight from 0 (raw) to 0.99 (smoothest), not '%s'", arg ? arg : "");
            return R_REDRAW;
        }
        state.smooth = x;
    } else if (!strcmp(w, "log") && (on = on_off(arg, state.logy)) >= 0) {
        state.logy = on;
    } else if (!strcmp(w, "cursor") && (on = on_off(arg, state.cursor)) >= 0) {
        if (on) return cursor_set(isnan(state.cursor_x) ? state.plot_xmax : state.cursor_x) | R_REDRAW;
        state.cursor = 0;
    } else {
        tui_app_message(a, 1, "plot (compare): x epoch|step|time, smooth W, log [on|off], cursor [on|off]");
        return R_REDRAW;
    }
    tui_app_message(a, 0, "plot: x %s, smooth %.2f, log y %s, cursor %s", tui_xmode_name(state.xmode), state.smooth,
                    state.logy ? "on" : "off", state.cursor ? "on" : "off");
    return R_REDRAW;
}

static int command(tui_app *a, const tui_cmd *c)
{
    if (c->kind == CMD_EXPORT) return export_to(a, c->argv[0]);
    if (c->kind == CMD_PLOT) return plot_command(a, c);
    if (c->kind != CMD_VIEW) return -1;
    int old = state.metric;
    if (c->argc && !strcmp(c->argv[0], "loss")) state.metric = TUI_CMP_LOSS;
    else if (c->argc && !strcmp(c->argv[0], "metrics")) state.metric = TUI_CMP_F1;
    else state.metric = (state.metric + 1) % TUI_CMP_NMETRICS;
    return state.metric != old ? R_REDRAW : R_NONE;
}

static char subject_buf[1200];
static const char *subject(tui_app *a)
{
    if (!state.n) return NULL;
    const char *p = state.runs[0].path;
    size_t L = strlen(a->runs_dir);
    if (!strncmp(p, a->runs_dir, L) && p[L] == '/') p += L + 1;   /* relative to the runs directory */
    snprintf(subject_buf, sizeof subject_buf, "%s", p);
    return subject_buf;
}

static void reset(void)
{
    free_state_runs();
    memset(&state, 0, sizeof state);
    state.band = 1;
    state.cursor_x = NAN;
}

static int a_metric(tui_app *a) { (void)a; state.metric = (state.metric + 1) % TUI_CMP_NMETRICS; return R_REDRAW; }
static int a_metric_prev(tui_app *a)
{
    (void)a;
    state.metric = (state.metric + TUI_CMP_NMETRICS - 1) % TUI_CMP_NMETRICS;
    return R_REDRAW;
}
static int a_xmode(tui_app *a)
{
    (void)a;
    state.xmode = (state.xmode + 1) % TUI_X_COUNT;
    state.cursor_x = NAN;   /* other units: the cursor starts again at the right end */
    return R_REDRAW;
}
static int a_seeds(tui_app *a) { (void)a; state.seeds = !state.seeds; return R_REDRAW; }
static int a_band(tui_app *a) { (void)a; state.band = !state.band; return R_REDRAW; }
static int a_logy(tui_app *a) { (void)a; state.logy = !state.logy; return R_REDRAW; }
/* s: smoothing off -> 0.6 -> 0.8 -> 0.9 -> off (epoch curves are short: TensorBoard's 0.95
 * would flatten them) */
static int a_smooth(tui_app *a)
{
    state.smooth = state.smooth < 0.5 ? 0.6 : state.smooth < 0.7 ? 0.8 : state.smooth < 0.85 ? 0.9 : 0;
    if (state.smooth > 0) tui_app_message(a, 0, "smoothing %.1f (the raw mean faint behind; s: more, off)", state.smooth);
    else tui_app_message(a, 0, "smoothing off (raw means)");
    return R_REDRAW;
}
static int a_table(tui_app *a)
{
    (void)a;
    state.table = (state.table + 1) % TUI_CMP_TAB_COUNT;
    state.sort = 0;
    state.sort_desc = 0;
    return R_REDRAW;
}
static int a_sort(tui_app *a)
{
    (void)a;
    state.sort = (state.sort + 1) % (tui_compare_ncols(&state) + 1);
    return R_REDRAW;
}
static int a_sort_rev(tui_app *a)
{
    (void)a;
    if (!state.sort) return R_NONE;
    state.sort_desc = !state.sort_desc;
    return R_REDRAW;
}

/* The cursor: Left/Right move it by an epoch (a plot column's worth of steps or seconds),
 * Home/End to the ends; c shows or hides it.  It starts at the right end. */
static int cursor_set(double x)
{
    double lo = state.plot_xmin, hi = state.plot_xmax;
    if (!(hi > lo)) return R_NONE;
    if (x < lo) x = lo;
    if (x > hi) x = hi;
    if (state.xmode == TUI_X_EPOCH) x = round(x);
    if (state.cursor && x == state.cursor_x) return R_NONE;
    state.cursor = 1;
    state.cursor_x = x;
    return R_REDRAW;
}
static int cursor_move(int dir)
{
    double lo = state.plot_xmin, hi = state.plot_xmax;
    double step = state.xmode == TUI_X_EPOCH ? 1 : (hi - lo) / (state.plot_w > 1 ? state.plot_w - 1 : 1);
    if (!state.cursor || isnan(state.cursor_x)) return cursor_set(hi);
    return cursor_set(state.cursor_x + dir * step);
}
static int a_left(tui_app *a) { (void)a; return cursor_move(-1); }
static int a_right(tui_app *a) { (void)a; return cursor_move(1); }
static int a_home(tui_app *a) { (void)a; return cursor_set(state.plot_xmin); }
static int a_end(tui_app *a) { (void)a; return cursor_set(state.plot_xmax); }
static int a_cursor(tui_app *a)
{
    (void)a;
    if (state.cursor) {
        state.cursor = 0;
        return R_REDRAW;
    }
    return cursor_set(isnan(state.cursor_x) ? state.plot_xmax : state.cursor_x);
}

static int a_legend(tui_app *a) { (void)a; state.legend_page++; return R_REDRAW; }
static int a_lower(tui_app *a) { (void)a; state.lower = !state.lower; return R_REDRAW; }
static int a_pdown(tui_app *a) { (void)a; state.param_scroll++; return R_REDRAW; }
static int a_pup(tui_app *a)
{
    (void)a;
    if (state.param_scroll == 0) return R_NONE;
    state.param_scroll--;
    return R_REDRAW;
}
static int a_vdown(tui_app *a)
{
    (void)a;
    if ((size_t)state.verdict_scroll + 1 >= state.rep.np) return R_NONE;
    state.verdict_scroll++;
    return R_REDRAW;
}
static int a_vup(tui_app *a)
{
    (void)a;
    if (state.verdict_scroll == 0) return R_NONE;
    state.verdict_scroll--;
    return R_REDRAW;
}

static const tui_key keys[] = {
    {'m', 0, a_metric, NULL}, {'M', 0, a_metric_prev, NULL}, {'x', 0, a_xmode, NULL}, {'i', 0, a_seeds, NULL},
    {'b', 0, a_band, NULL}, {'y', 0, a_logy, NULL}, {'s', 0, a_smooth, NULL}, {'t', 0, a_table, NULL},
    {'o', 0, a_sort, NULL}, {'O', 0, a_sort_rev, NULL}, {'l', 0, a_legend, NULL}, {'p', 0, a_lower, NULL},
    {KEY_LEFT, 1, a_left, NULL}, {KEY_RIGHT, 1, a_right, NULL}, {KEY_HOME, 1, a_home, NULL},
    {KEY_END, 1, a_end, NULL}, {'c', 0, a_cursor, NULL},
    {']', 0, a_pdown, NULL}, {'[', 0, a_pup, NULL}, {'}', 0, a_vdown, NULL}, {'{', 0, a_vup, NULL},
    {'r', 0, NULL, "replay"}, {'e', 0, NULL, "early"}, {'q', 0, NULL, "back"}, {27, 0, NULL, "back"},
    {0, 0, NULL, NULL},
};

const tui_screen tui_compare_screen = {
    .name = "compare", .draw = tui_compare_draw, .keys = keys, .state = &state,
    .command = command, .subject = subject, .reset = reset, .tick = compare_tick,
};
