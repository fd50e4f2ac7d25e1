/* compare.c — saved runs side by side, folded into seed groups (see compare.h): mean
 * curves with ± std bands, the groups' table (mean ± std, sortable), the bootstrap's
 * verdict lines, the parameters that differ (full values, scrollable), export. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/tui/app.h"
#include "app/tui/curves.h"
#include "app/tui/plot.h"
#include "clickseq/runfind.h"

static tui_compare_state state = {.band = 1};

tui_compare_state *tui_compare(void) { return &state; }

static const wchar_t markers_u[8] = {L'●', L'▲', L'■', L'◆', L'★', L'✚', L'▼', L'◉'};
static const wchar_t markers_a[8] = {L'o', L'^', L'#', L'+', L'*', L'x', L'v', L'@'};
static const char *const metric_names[TUI_CMP_NMETRICS] = {
    "validation loss", "train loss", "F1 (validation)", "precision (validation)",
    "recall (validation)", "PR-AUC (validation)", "ROC-AUC (validation)"};

const char *tui_compare_metric_name(int m)
{
    return m >= 0 && m < TUI_CMP_NMETRICS ? metric_names[m] : "?";
}

static double metric_of(const cs_epoch *e, int m)
{
    switch (m) {
    case 0: return e->valid_loss;
    case 1: return e->train_loss;
    case 2: return e->valid.f1;
    case 3: return e->valid.precision;
    case 4: return e->valid.recall;
    case 5: return e->valid.pr_auc;
    default: return e->valid.roc_auc;
    }
}

static wchar_t marker(const tui_canvas *cv, size_t g)
{
    return cv->unicode ? markers_u[g % 8] : markers_a[g % 8];
}
static int colour(size_t g) { return TC_S1 + (int)(g % 4); }

/* x of epoch index i of a run in the current x mode */
static double run_x(const cs_run *r, size_t i, int xmode)
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

int tui_compare_group_point(const tui_compare_state *s, size_t g, size_t i, double *x, double *mean,
                            double *std)
{
    const cs_run_group *G = &s->rep.groups[g];
    double sx = 0, sy = 0, ss = 0;
    int k = 0;
    for (size_t j = 0; j < G->n; j++) {
        const cs_run *r = &s->runs[G->run[j]];
        if (i >= r->n_hist) continue;
        double v = metric_of(&r->hist[i], s->metric);
        if (isnan(v)) continue;
        sx += run_x(r, i, s->xmode);
        sy += v;
        k++;
    }
    *x = k ? sx / k : NAN;
    *mean = k ? sy / k : NAN;
    for (size_t j = 0; k > 1 && j < G->n; j++) {
        const cs_run *r = &s->runs[G->run[j]];
        if (i >= r->n_hist) continue;
        double v = metric_of(&r->hist[i], s->metric);
        if (!isnan(v)) ss += (v - *mean) * (v - *mean);
    }
    *std = k > 1 ? sqrt(ss / (k - 1)) : 0;
    return k;
}

/* ======================= drawing ======================= */

static void draw_legend(tui_canvas *cv, int y, int w)
{
    /* pages of groups that fit one line; l turns the page */
    int x = 1, page = 0;
    size_t ng = state.rep.ng;
    size_t first = 0;
    for (size_t g = 0; g < ng; g++) {   /* find the page's first group */
        int len = (int)strlen(state.rep.groups[g].name) + 10;
        if (x + len > w - 12 && x > 1) { page++; x = 1; if (page == state.legend_page) first = g; }
        x += len;
    }
    int pages = page + 1;
    if (state.legend_page >= pages) state.legend_page = 0, first = 0;
    x = 1;
    for (size_t g = first; g < ng; g++) {
        int len = (int)strlen(state.rep.groups[g].name) + 10;
        if (x + len > w - 12 && x > 1) break;
        tui_putc(cv, x, y, marker(cv, g), colour(g), TA_BOLD);
        x += 2;
        x += tui_printf(cv, x, y, w - x, colour(g), TA_BOLD, "%s", state.rep.groups[g].name);
        x += tui_printf(cv, x, y, w - x, TC_DIM, 0, " (%zu)   ", state.rep.groups[g].n);
    }
    if (pages > 1) tui_printf(cv, w - 11, y, 11, TC_DIM, 0, "l: %d/%d", state.legend_page + 1, pages);
}

static void draw_plot(tui_app *a, tui_canvas *cv, tui_rect r)
{
    char title[160];
    snprintf(title, sizeof title, "%s by %s%s  (m metric, x axis, i seeds, b band)",
             metric_names[state.metric], tui_xmode_name(state.xmode), state.logy ? ", log y" : "");
    tui_box(cv, r, title, TC_BORDER);
    size_t ng = state.rep.ng, maxe = 1;
    for (size_t j = 0; j < state.n; j++)
        if (state.runs[j].n_hist > maxe) maxe = state.runs[j].n_hist;
    size_t ns_max = ng * 3 + (state.seeds ? state.n : 0);
    tui_series *s = calloc(ns_max, sizeof *s);
    tui_style *st = calloc(ns_max, sizeof *st);
    double *buf = calloc((ns_max * 2 + 1) * maxe, sizeof *buf);
    if (!s || !st || !buf) {
        free(s); free(st); free(buf);
        return;
    }
    int ns = 0;
    double *p = buf;
    /* faint first: seeds, then bands; the means on top */
    for (size_t j = 0; state.seeds && j < state.n; j++) {
        const cs_run *run = &state.runs[j];
        double *x = p, *y = p + maxe;
        p += 2 * maxe;
        for (size_t i = 0; i < run->n_hist; i++) {
            x[i] = run_x(run, i, state.xmode);
            y[i] = metric_of(&run->hist[i], state.metric);
        }
        st[ns].faint = 1;
        s[ns++] = (tui_series){y, x, run->n_hist, colour(report_group_of(&state.rep, j)), 0, NULL};
    }
    for (size_t g = 0; g < ng; g++) {
        double *x = p, *m = p + maxe;
        p += 2 * maxe;
        double *lo = p, *hi = p + maxe;
        p += 2 * maxe;
        size_t n = 0;
        for (size_t i = 0; i < maxe; i++) {
            double sd;
            if (!tui_compare_group_point(&state, g, i, &x[i], &m[i], &sd)) {
                x[i] = m[i] = lo[i] = hi[i] = NAN;
                continue;
            }
            lo[i] = m[i] - sd;
            hi[i] = m[i] + sd;
            n = i + 1;
        }
        if (state.band && state.rep.groups[g].n > 1) {
            st[ns].faint = 1;
            st[ns].dotted = 1;
            s[ns++] = (tui_series){lo, x, n, colour(g), 0, NULL};
            st[ns].faint = 1;
            st[ns].dotted = 1;
            s[ns++] = (tui_series){hi, x, n, colour(g), 0, NULL};
        }
        s[ns++] = (tui_series){m, x, n, colour(g), marker(cv, g), state.rep.groups[g].name};
    }
    tui_plot_opts o;
    tui_plot_opts_init(&o);
    o.braille = a->braille;
    o.xlabel = tui_xmode_name(state.xmode);
    o.xtime = state.xmode == TUI_X_TIME;
    o.logy = state.logy;
    o.style = st;
    o.marker_gap = 6;
    o.legend = 0;   /* the paged legend above the plot names the groups */
    if (state.xmode == TUI_X_EPOCH) {
        o.xmin = 1;
        o.xmax = (double)maxe;
    }
    tui_plot(cv, (tui_rect){r.x + 1, r.y + 1, r.w - 2, r.h - 2}, s, ns, &o);
    free(s);
    free(st);
    free(buf);
}

/* table columns: key row of report_rows, header, width */
typedef struct col { int row; const char *head; int narrow; } col;
static const col cols[] = {
    {3, "test PR-AUC", 1}, {4, "test ROC-AUC", 1}, {0, "test F1", 1}, {7, "valid PR-AUC", 0},
    {11, "best ep", 1}, {14, "params", 0}, {13, "time s", 0},
};
#define NCOLS (int)(sizeof cols / sizeof cols[0])

static size_t *sorted_groups(void)
{
    size_t ng = state.rep.ng;
    size_t *ord = malloc((ng ? ng : 1) * sizeof *ord);
    if (!ord) return NULL;
    for (size_t g = 0; g < ng; g++) ord[g] = g;
    if (state.sort > 0 && state.sort <= NCOLS) {
        int ri = cols[state.sort - 1].row;
        for (size_t i = 1; i < ng; i++)   /* insertion sort: a handful of groups */
            for (size_t j = i; j > 0; j--) {
                double ma, mb, sd;
                report_group_stat(&state.rep, ord[j - 1], (size_t)ri, &ma, &sd);
                report_group_stat(&state.rep, ord[j], (size_t)ri, &mb, &sd);
                int swap = state.sort_desc ? mb > ma : mb < ma;
                if (!swap) break;
                size_t t = ord[j]; ord[j] = ord[j - 1]; ord[j - 1] = t;
            }
    }
    return ord;
}

static void draw_table(tui_canvas *cv, tui_rect r, int narrow)
{
    char title[120];
    snprintf(title, sizeof title, "Groups: test metrics, mean ± std over seeds (o sort: %s%s)",
             state.sort ? cols[state.sort - 1].head : "none", state.sort && state.sort_desc ? " ↓" : state.sort ? " ↑" : "");
    tui_box(cv, r, title, TC_BORDER);
    int x = r.x + 1, y = r.y + 1, w = r.w - 2, nw = narrow ? 12 : 16;
    int cx = x + 2 + nw + 4;
    tui_printf(cv, x + 2, y, nw, TC_HEAD, TA_BOLD, "%s", "group");
    tui_printf(cv, x + 2 + nw, y, 4, TC_HEAD, TA_BOLD, "%3s", "n");
    for (int c = 0, xx = cx; c < NCOLS; c++) {
        if (narrow && !cols[c].narrow) continue;
        int cw = cols[c].row == 11 ? 8 : cols[c].row == 14 ? 8 : cols[c].row == 13 ? 9 : 14;
        if (xx + cw > x + w) break;
        tui_printf(cv, xx, y, cw, TC_HEAD, TA_BOLD | (state.sort == c + 1 ? TA_UNDERLINE : 0), "%*s", cw - 1,
                   cols[c].head);
        xx += cw;
    }
    y++;
    size_t *ord = sorted_groups();
    for (size_t k = 0; ord && k < state.rep.ng && y < r.y + r.h - 1; k++, y++) {
        size_t g = ord[k];
        tui_putc(cv, x, y, marker(cv, g), colour(g), TA_BOLD);
        tui_printf(cv, x + 2, y, nw - 1, colour(g), TA_BOLD, "%s", state.rep.groups[g].name);
        tui_printf(cv, x + 2 + nw, y, 4, TC_NORMAL, 0, "%3zu", state.rep.groups[g].n);
        for (int c = 0, xx = cx; c < NCOLS; c++) {
            if (narrow && !cols[c].narrow) continue;
            int ri = cols[c].row;
            int cw = ri == 11 ? 8 : ri == 14 ? 8 : ri == 13 ? 9 : 14;
            if (xx + cw > x + w) break;
            double m, sd;
            report_group_stat(&state.rep, g, (size_t)ri, &m, &sd);
            char v[48];
            if (isnan(m)) snprintf(v, sizeof v, "-");
            else if (ri == 11 || ri == 14) snprintf(v, sizeof v, "%.0f", m);
            else if (ri == 13) snprintf(v, sizeof v, "%.1f", m);
            else if (state.rep.groups[g].n > 1) snprintf(v, sizeof v, "%.3f±%.3f", m, sd);
            else snprintf(v, sizeof v, "%.3f", m);
            tui_printf(cv, xx, y, cw, TC_NORMAL, 0, "%*s", cw - 1, v);
            xx += cw;
        }
    }
    free(ord);
}

/* The metric the verdict lines are about: the plotted one when it is a test metric of
 * the bootstrap (F1, PR-AUC, ROC-AUC), else PR-AUC. */
static cs_cmp_metric verdict_metric(void)
{
    return state.metric == 2 ? CS_CMP_F1 : state.metric == 6 ? CS_CMP_ROC_AUC : CS_CMP_PR_AUC;
}

static void draw_verdicts(tui_canvas *cv, tui_rect r)
{
    cs_cmp_metric m = verdict_metric();
    char title[140];
    snprintf(title, sizeof title, "Is the difference real? test %s, 95 %% paired bootstrap (%d replicates)",
             cs_cmp_metric_label(m), state.rep.opts.n_boot);
    tui_box(cv, r, title, TC_BORDER);
    int y = r.y + 1;
    if (state.rep.np == 0 && y < r.y + r.h - 1)
        tui_puts(cv, r.x + 2, y, r.w - 4, "one group: nothing to compare (runs that differ only by seed form a group)",
                 TC_DIM, 0);
    for (size_t k = 0; k < state.rep.np && y < r.y + r.h - 1; k++, y++) {
        const report_pair *p = &state.rep.pairs[k];
        const char *an = state.rep.groups[p->a].name, *bn = state.rep.groups[p->b].name;
        char v[1400];
        int c = TC_NORMAL, attr = 0;
        if (!p->ok) {
            snprintf(v, sizeof v, "%s vs %s: %s", an, bn, p->why);
            c = TC_WARN;
        } else {
            (cv->unicode ? cs_cmp_verdict : cs_cmp_verdict_ascii)(an, bn, &p->d[m], v, sizeof v);
            if (p->d[m].lo > 0 || p->d[m].hi < 0) { c = TC_GOOD; attr = TA_BOLD; }
        }
        tui_puts(cv, r.x + 2, y, r.w - 4, v, c, attr);
    }
}

/* s elided in the middle to at most w columns ("abc…xyz"), never cut silently */
static void elide(const char *s, int w, int unicode, char *out, size_t n)
{
    int len = (int)strlen(s);
    if (len <= w || w < 5) {
        snprintf(out, n, "%s", s);
        return;
    }
    int head = (w - 1) / 2, tail = w - 1 - head;
    snprintf(out, n, "%.*s%s%s", head, s, unicode ? "…" : "~", s + len - tail);
}

static int skip_param(const char *p)
{
    return !strcmp(p, "seed") || !strcmp(p, "name") || !strcmp(p, "threads");
}

static void draw_params(tui_canvas *cv, tui_rect r)
{
    const char **diff = NULL;
    size_t nd = report_differing(state.runs, state.n, &diff);
    size_t nshow = 0;
    for (size_t i = 0; i < nd; i++) nshow += !skip_param(diff[i]);
    char title[140];
    snprintf(title, sizeof title, "Parameters that differ between groups: %zu ([ ] scroll)", nshow);
    tui_box(cv, r, title, TC_BORDER);
    int x = r.x + 2, y = r.y + 1, w = r.w - 4, last = r.y + r.h - 2;
    int fp_differ = 0;
    for (size_t j = 1; j < state.n; j++) fp_differ |= state.runs[j].fingerprint != state.runs[0].fingerprint;
    if (fp_differ && y <= last)
        tui_puts(cv, x, y++, w, "warning: the runs were trained on different data (fingerprints differ)", TC_BAD,
                 TA_BOLD);
    if (state.param_scroll > (int)nshow - 1) state.param_scroll = nshow ? (int)nshow - 1 : 0;
    if (state.param_scroll < 0) state.param_scroll = 0;
    int nw = 14, colw = state.rep.ng ? (w - nw) / (int)state.rep.ng : w;
    int one_line = colw >= 10;
    size_t k = 0;
    for (size_t i = 0; i < nd && y <= last; i++) {
        if (skip_param(diff[i])) continue;
        if ((int)k++ < state.param_scroll) continue;
        tui_printf(cv, x, y, nw, TC_WARN, TA_BOLD, "%s", diff[i]);
        for (size_t g = 0; g < state.rep.ng && y <= last; g++) {
            char v[1024], e[1100];
            cs_param_get(&state.runs[state.rep.groups[g].run[0]].cfg, diff[i], v, sizeof v);
            if (one_line) {
                elide(v, colw - 1, cv->unicode, e, sizeof e);
                tui_puts(cv, x + nw + (int)g * colw, y, colw - 1, e, colour(g), 0);
            } else {   /* one line per group */
                if (g) y++;
                if (y > last) break;
                elide(v, w - nw - 2, cv->unicode, e, sizeof e);
                tui_putc(cv, x + nw - 2, y, marker(cv, g), colour(g), 0);
                tui_puts(cv, x + nw, y, w - nw, e, colour(g), 0);
            }
        }
        y++;
    }
    if (nshow == 0 && y <= last)
        tui_puts(cv, x, y, w, "(the groups differ in no parameter but the seed)", TC_DIM, 0);
    else if ((size_t)state.param_scroll + (size_t)(last - r.y) < nshow && y > last)
        tui_printf(cv, r.x + r.w - 14, r.y + r.h - 1, 12, TC_DIM, 0, " more: ] ");
    free(diff);
}

static void draw_compare(tui_app *a, tui_canvas *cv, const tui_layout *L)
{
    (void)L;
    int w = cv->w, h = cv->h;
    tui_canvas_fill(cv, (tui_rect){0, 0, w, 1}, L' ', TC_SEL, 0);
    tui_printf(cv, 0, 0, w, TC_SEL, TA_BOLD, " clickseq  compare: %zu group%s, %zu run%s", state.rep.ng,
               state.rep.ng == 1 ? "" : "s", state.n, state.n == 1 ? "" : "s");
    draw_legend(cv, 1, w);
    size_t ng = state.rep.ng;
    int tab_h = (int)ng + 3, ver_h = (int)state.rep.np + 2;
    if (ver_h < 3) ver_h = 3;
    int body = h - 4;   /* header, legend; message, footer */
    if (w >= 140) {
        int pw = w - 56;
        int ph = body - tab_h - ver_h;
        if (ph < 8) ph = 8;
        draw_plot(a, cv, (tui_rect){0, 2, pw, ph});
        draw_table(cv, (tui_rect){0, 2 + ph, pw, tab_h}, 0);
        draw_verdicts(cv, (tui_rect){0, 2 + ph + tab_h, pw, body - ph - tab_h});
        draw_params(cv, (tui_rect){pw, 2, w - pw, body});
    } else {
        int rest = body - tab_h - ver_h;
        int ph = rest - 3;
        if (ph < 7) ph = 7;
        draw_plot(a, cv, (tui_rect){0, 2, w, ph});
        draw_table(cv, (tui_rect){0, 2 + ph, w, tab_h}, 1);
        draw_verdicts(cv, (tui_rect){0, 2 + ph + tab_h, w, ver_h});
        int py = 2 + ph + tab_h + ver_h;
        if (h - 2 - py >= 3) draw_params(cv, (tui_rect){0, py, w, h - 2 - py});
    }
    if (a->msg[0])
        tui_puts(cv, 1, h - 2, w - 1, a->msg, a->msg_err ? TC_BAD : TC_NORMAL, 0);
    tui_puts(cv, 0, h - 1, w,
             " m metric  x axis  i seeds  b band  o/O sort  [ ] params  r replay  :export F.csv|md|json  Esc back",
             TC_DIM, 0);
}

/* ======================= opening ======================= */
static void free_state_runs(void)
{
    if (state.have_rep) report_free(&state.rep);
    state.have_rep = 0;
    for (size_t j = 0; j < state.n; j++) cs_run_free(&state.runs[j]);
    free(state.runs);
    state.runs = NULL;
    state.n = 0;
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
    state.rep = rep;
    state.rep.runs = state.runs;
    state.have_rep = 1;
    state.legend_page = state.param_scroll = 0;
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
    if (name[0] == '/' || !strncmp(name, "./", 2) || !strncmp(name, "../", 3))
        snprintf(path, sizeof path, "%s", name);
    else
        snprintf(path, sizeof path, "%s/%s", a->runs_dir, name);
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

static int command(tui_app *a, const tui_cmd *c)
{
    if (c->kind == CMD_EXPORT) return export_to(a, c->argv[0]);
    if (c->kind != CMD_VIEW) return -1;
    int old = state.metric;
    if (c->argc) {
        for (int m = 0; m < TUI_CMP_NMETRICS; m++)
            if (!strncmp(metric_names[m], c->argv[0], strlen(c->argv[0]))) { state.metric = m; break; }
        if (!strcmp(c->argv[0], "pr-auc")) state.metric = 5;
        if (!strcmp(c->argv[0], "roc-auc")) state.metric = 6;
        if (!strcmp(c->argv[0], "f1") || !strcmp(c->argv[0], "metrics")) state.metric = 2;
        if (!strcmp(c->argv[0], "loss")) state.metric = 0;
    } else
        state.metric = (state.metric + 1) % TUI_CMP_NMETRICS;
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
}

static int a_xmode(tui_app *a) { (void)a; state.xmode = (state.xmode + 1) % TUI_X_COUNT; return R_REDRAW; }
static int a_seeds(tui_app *a) { (void)a; state.seeds = !state.seeds; return R_REDRAW; }
static int a_band(tui_app *a) { (void)a; state.band = !state.band; return R_REDRAW; }
static int a_logy(tui_app *a) { (void)a; state.logy = !state.logy; return R_REDRAW; }
static int a_sort(tui_app *a) { (void)a; state.sort = (state.sort + 1) % (NCOLS + 1); return R_REDRAW; }
static int a_sort_rev(tui_app *a)
{
    (void)a;
    if (!state.sort) return R_NONE;
    state.sort_desc = !state.sort_desc;
    return R_REDRAW;
}
static int a_legend(tui_app *a) { (void)a; state.legend_page++; return R_REDRAW; }
static int a_pdown(tui_app *a) { (void)a; state.param_scroll++; return R_REDRAW; }
static int a_pup(tui_app *a)
{
    (void)a;
    if (state.param_scroll == 0) return R_NONE;
    state.param_scroll--;
    return R_REDRAW;
}

static const tui_key keys[] = {
    {'m', 0, NULL, "view"}, {'x', 0, a_xmode, NULL}, {'i', 0, a_seeds, NULL}, {'b', 0, a_band, NULL},
    {'y', 0, a_logy, NULL}, {'o', 0, a_sort, NULL}, {'O', 0, a_sort_rev, NULL}, {'l', 0, a_legend, NULL},
    {']', 0, a_pdown, NULL}, {'[', 0, a_pup, NULL},
    {'r', 0, NULL, "replay"}, {'e', 0, NULL, "early"}, {'q', 0, NULL, "back"}, {27, 0, NULL, "back"},
    {0, 0, NULL, NULL},
};

const tui_screen tui_compare_screen = {
    .name = "compare", .draw = draw_compare, .keys = keys, .state = &state,
    .command = command, .subject = subject, .reset = reset,
};
