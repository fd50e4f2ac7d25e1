/* compare_draw.c — the compare screen drawn from its state (compare.h): the paged legend
 * (or, with the cursor on, every group's value at the cursor), the plot (mean curves, the
 * ± std band, seeds faintly, smoothing with the raw mean faint behind, train and
 * validation loss together, best-epoch markers), the groups' table, the verdict lines and
 * the parameters that differ.  Pure apart from noting the plot's x range for the cursor. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/tui/app.h"
#include "app/tui/curves.h"
#include "app/tui/plot.h"

#define S (*tui_compare())

/* ======================= the legend / the cursor readout ======================= */

/* One legend item per group: "name (n)", or at the cursor "name 0.512" (loss: valid/train). */
typedef struct legend_item { char text[200]; } legend_item;

static void draw_legend(tui_canvas *cv, int y, int w, const legend_item *it, const char *lead)
{
    size_t ng = S.rep.ng;
    int x0 = 1 + (lead ? tui_strwidth(lead) + 1 : 0), room = w - 12;
    /* pages of groups that fit one line; l turns the page */
    int page = 0, x = x0;
    size_t first = 0;
    for (size_t g = 0; g < ng; g++) {
        int len = tui_strwidth(it[g].text) + 5;
        if (x + len > room && x > x0) {
            page++;
            x = x0;
            if (page == S.legend_page) first = g;
        }
        x += len;
    }
    int pages = page + 1;
    if (S.legend_page >= pages) S.legend_page = 0, first = 0;
    if (lead) tui_puts(cv, 1, y, w - 1, lead, TC_WARN, TA_BOLD);
    x = x0;
    for (size_t g = first; g < ng; g++) {
        int len = tui_strwidth(it[g].text) + 5;
        if (x + len > room && x > x0) break;
        tui_putc(cv, x, y, tui_compare_marker(cv, g), tui_compare_colour(g), TA_BOLD);
        x += 2;
        x += tui_puts(cv, x, y, w - x, it[g].text, tui_compare_colour(g), TA_BOLD) + 3;
    }
    if (pages > 1) tui_printf(cv, w - 11, y, 11, TC_DIM, 0, "l: %d/%d", S.legend_page + 1, pages);
}

/* index of the point of x[0..n-1] nearest to cx whose y is finite; -1 when none */
static long nearest(const double *x, const double *y, size_t n, double cx)
{
    long best = -1;
    double bd = INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) continue;
        double d = fabs(x[i] - cx);
        if (d < bd) { bd = d; best = (long)i; }
    }
    return best;
}

/* ======================= the plot ======================= */

/* One group's curves of one metric over epoch indices 0..maxe-1: x, mean, mean ± std. */
typedef struct gcurve { double *x, *m, *lo, *hi, *raw; size_t n; } gcurve;

static void group_curve(size_t g, int metric, size_t maxe, gcurve *c)
{
    c->n = 0;
    for (size_t i = 0; i < maxe; i++) {
        double sd;
        if (!tui_compare_group_point_m(&S, g, i, metric, &c->x[i], &c->m[i], &sd)) {
            c->x[i] = c->m[i] = c->lo[i] = c->hi[i] = NAN;
            continue;
        }
        c->lo[i] = c->m[i] - sd;
        c->hi[i] = c->m[i] + sd;
        c->n = i + 1;
    }
    memcpy(c->raw, c->m, maxe * sizeof *c->m);
    if (S.smooth > 0) {   /* the drawn curves smoothed; raw keeps the mean as it is */
        double *t = malloc(maxe * sizeof *t);
        if (!t) return;
        double *v[3] = {c->m, c->lo, c->hi};
        for (int k = 0; k < 3; k++) {
            tui_smooth_debiased(v[k], t, c->n, S.smooth);
            for (size_t i = 0; i < c->n; i++)
                if (!isnan(v[k][i])) v[k][i] = t[i];
        }
        free(t);
    }
}

static void fmt_val(double v, char *b, size_t n)
{
    if (isnan(v)) snprintf(b, n, "-");
    else tui_fmt_num(v, b, n);
}

static void draw_plot(tui_app *a, tui_canvas *cv, tui_rect r, int legend_y)
{
    int both = S.metric == TUI_CMP_LOSS;   /* train (solid) and validation (dotted) loss */
    int mv = both ? TUI_CMP_VLOSS : S.metric;
    char title[200];
    snprintf(title, sizeof title, "%s by %s%s%s%s  %s best epoch", tui_compare_metric_name(S.metric),
             tui_xmode_name(S.xmode), S.logy ? ", log y" : "", S.smooth > 0 ? ", smoothed " : "",
             S.smooth > 0 ? (S.smooth < 0.7 ? "0.6" : S.smooth < 0.85 ? "0.8" : "0.9") : "",
             cv->unicode ? "◎" : "B");
    if (S.smooth > 0 && S.smooth != 0.6 && S.smooth != 0.8 && S.smooth != 0.9) {
        char sm[16];
        snprintf(sm, sizeof sm, "%.2f", S.smooth);
        snprintf(title, sizeof title, "%s by %s%s, smoothed %s  %s best epoch", tui_compare_metric_name(S.metric),
                 tui_xmode_name(S.xmode), S.logy ? ", log y" : "", sm, cv->unicode ? "◎" : "B");
    }
    tui_box(cv, r, title, TC_BORDER);
    size_t ng = S.rep.ng, maxe = 1;
    for (size_t j = 0; j < S.n; j++)
        if (S.runs[j].n_hist > maxe) maxe = S.runs[j].n_hist;
    int ncurves = both ? 2 : 1;
    /* per group and curve: band lo, hi, raw (faint), mean; seeds: one each */
    size_t ns_max = ng * (size_t)ncurves * 4 + (S.seeds ? S.n : 0);
    tui_series *s = calloc(ns_max, sizeof *s);
    tui_style *st = calloc(ns_max, sizeof *st);
    gcurve *gc = calloc(ng * (size_t)ncurves + 1, sizeof *gc);
    double *buf = calloc((ng * (size_t)ncurves * 5 + 2 * S.n + 1) * maxe, sizeof *buf);
    legend_item *it = calloc(ng + 1, sizeof *it);
    if (!s || !st || !gc || !buf || !it) {
        free(s); free(st); free(gc); free(buf); free(it);
        return;
    }
    int ns = 0;
    double *p = buf;
    /* faint first: seeds, then bands and raw means; the means on top */
    for (size_t j = 0; S.seeds && j < S.n; j++) {
        const cs_run *run = &S.runs[j];
        double *x = p, *y = p + maxe;
        p += 2 * maxe;
        for (size_t i = 0; i < run->n_hist; i++) {
            x[i] = tui_compare_run_x(run, i, S.xmode);
            y[i] = tui_compare_value(run, i, mv);
        }
        st[ns].faint = 1;
        s[ns++] = (tui_series){y, x, run->n_hist, tui_compare_colour(report_group_of(&S.rep, j)), 0, NULL};
    }
    for (size_t g = 0; g < ng; g++)
        for (int k = 0; k < ncurves; k++) {
            gcurve *c = &gc[g * (size_t)ncurves + (size_t)k];
            c->x = p; c->m = p + maxe; c->lo = p + 2 * maxe; c->hi = p + 3 * maxe; c->raw = p + 4 * maxe;
            p += 5 * maxe;
            group_curve(g, k ? TUI_CMP_TLOSS : mv, maxe, c);
            int col = tui_compare_colour(g);
            if (S.band && S.rep.groups[g].n > 1) {
                st[ns].faint = st[ns].dotted = 1;
                s[ns++] = (tui_series){c->lo, c->x, c->n, col, 0, NULL};
                st[ns].faint = st[ns].dotted = 1;
                s[ns++] = (tui_series){c->hi, c->x, c->n, col, 0, NULL};
            }
            if (S.smooth > 0) {
                st[ns].faint = 1;
                s[ns++] = (tui_series){c->raw, c->x, c->n, col, 0, NULL};
            }
        }
    for (size_t g = 0; g < ng; g++)   /* train (solid) under validation (dotted, with the marker) */
        for (int k = ncurves - 1; k >= 0; k--) {
            gcurve *c = &gc[g * (size_t)ncurves + (size_t)k];
            st[ns].dotted = both && k == 0;
            s[ns++] = (tui_series){c->m, c->x, c->n, tui_compare_colour(g), k ? 0 : tui_compare_marker(cv, g), NULL};
        }
    tui_plot_opts o;
    tui_plot_opts_init(&o);
    tui_plot_info info;
    memset(&info, 0, sizeof info);
    o.braille = a->braille;
    o.xlabel = tui_xmode_name(S.xmode);
    o.xtime = S.xmode == TUI_X_TIME;
    o.logy = S.logy;
    o.style = st;
    o.marker_gap = 6;
    o.legend = 0;   /* the paged legend above the plot names the groups */
    o.info = &info;
    if (S.xmode == TUI_X_EPOCH) {
        o.xmin = 1;
        o.xmax = (double)maxe;
    }
    if (S.cursor && !isnan(S.cursor_x)) o.cursor_x = S.cursor_x;
    tui_rect pr = {r.x + 1, r.y + 1, r.w - 2, r.h - 2};
    tui_plot(cv, pr, s, ns, &o);
    S.plot_xmin = info.xmin;
    S.plot_xmax = info.xmax;
    S.plot_w = info.plot_w;
    /* best-epoch markers: each run's best epoch on its group's (validation) mean curve */
    if (pr.w >= 12 && pr.h >= 4)
        for (size_t j = 0; j < S.n; j++) {
            const cs_run *run = &S.runs[j];
            size_t g = report_group_of(&S.rep, j);
            const gcurve *c = &gc[g * (size_t)ncurves];
            if (run->best_epoch < 1 || (size_t)run->best_epoch > c->n) continue;
            size_t i = (size_t)run->best_epoch - 1;
            int cx, cy;
            if (tui_plot_cell(&info, c->x[i], c->m[i], &cx, &cy) == 0)
                tui_putc(cv, cx, cy, cv->unicode ? L'◎' : L'B', tui_compare_colour(g), TA_BOLD);
        }
    /* the legend, or the readout at the cursor */
    char lead[80];
    const char *lp = NULL;
    if (S.cursor && !isnan(S.cursor_x)) {
        char xb[32];
        if (S.xmode == TUI_X_TIME) tui_fmt_dur(S.cursor_x, xb, sizeof xb);
        else snprintf(xb, sizeof xb, "%.0f", S.cursor_x);
        snprintf(lead, sizeof lead, "@ %s %s%s", tui_xmode_name(S.xmode), xb, both ? " (valid/train):" : ":");
        lp = lead;
    }
    for (size_t g = 0; g < ng; g++) {
        if (!lp) {
            snprintf(it[g].text, sizeof it[g].text, "%s (%zu)", S.rep.groups[g].name, S.rep.groups[g].n);
            continue;
        }
        char v[2][32], raw[48] = "";
        for (int k = 0; k < ncurves; k++) {
            const gcurve *c = &gc[g * (size_t)ncurves + (size_t)k];
            long i = nearest(c->x, c->m, c->n, S.cursor_x);
            fmt_val(i < 0 ? NAN : c->m[i], v[k], sizeof v[k]);
            if (k == 0 && S.smooth > 0 && i >= 0) {   /* smoothed, and the value itself */
                char rv[32];
                fmt_val(c->raw[i], rv, sizeof rv);
                snprintf(raw, sizeof raw, " (raw %s)", rv);
            }
        }
        if (both) snprintf(it[g].text, sizeof it[g].text, "%s %s/%s%s", S.rep.groups[g].name, v[0], v[1], raw);
        else snprintf(it[g].text, sizeof it[g].text, "%s %s%s", S.rep.groups[g].name, v[0], raw);
    }
    draw_legend(cv, legend_y, cv->w, it, lp);
    free(s);
    free(st);
    free(gc);
    free(buf);
    free(it);
}

/* ======================= the table ======================= */

static int cell_w(int c, int narrow)
{
    int w = tui_compare_col_width(&S, c);
    return narrow && w > 12 ? 12 : w;
}

/* rows: the group rows the box has room for; the rest is named, never dropped silently */
static void draw_table(tui_canvas *cv, tui_rect r, int narrow)
{
    char title[200], hb[40];
    int nc = tui_compare_ncols(&S);
    const char *what = S.table == TUI_CMP_TAB_CURVE ? tui_compare_metric_name(S.metric == TUI_CMP_LOSS ? TUI_CMP_VLOSS : S.metric)
                                                     : "test metrics";
    snprintf(title, sizeof title, "Groups: %s%s, mean ± std (o sort: %s%s; t table)", what,
             S.table == TUI_CMP_TAB_CURVE ? " per run" : "",
             S.sort ? tui_compare_col_head(&S, S.sort - 1, hb, sizeof hb) : "none",
             S.sort && S.sort_desc ? " ↓" : S.sort ? " ↑" : "");
    tui_box(cv, r, title, TC_BORDER);
    int x = r.x + 1, y = r.y + 1, w = r.w - 2, nw = narrow ? 12 : 16;
    int cx = x + 2 + nw + 4;
    tui_printf(cv, x + 2, y, nw, TC_HEAD, TA_BOLD, "%s", "group");
    tui_printf(cv, x + 2 + nw, y, 4, TC_HEAD, TA_BOLD, "%3s", "n");
    for (int c = 0, xx = cx; c < nc; c++) {
        if (narrow && !tui_compare_col_narrow(&S, c)) continue;
        int cw = cell_w(c, narrow);
        if (xx + cw > x + w) break;
        tui_printf(cv, xx, y, cw, TC_HEAD, TA_BOLD | (S.sort == c + 1 ? TA_UNDERLINE : 0), "%*s", cw - 1,
                   tui_compare_col_head(&S, c, hb, sizeof hb));
        xx += cw;
    }
    y++;
    size_t *ord = tui_compare_sorted_groups(&S);
    int last = r.y + r.h - 2;
    for (size_t k = 0; ord && k < S.rep.ng && y <= last; k++, y++) {
        if (y == last && k + 1 < S.rep.ng) {
            tui_printf(cv, x + 2, y, w - 2, TC_DIM, 0, "… %zu more group%s (o sorts; :export F.md writes all)",
                       S.rep.ng - k, S.rep.ng - k == 1 ? "" : "s");
            break;
        }
        size_t g = ord[k];
        tui_putc(cv, x, y, tui_compare_marker(cv, g), tui_compare_colour(g), TA_BOLD);
        tui_puts_cut(cv, x + 2, y, nw - 1, S.rep.groups[g].name, tui_compare_colour(g), TA_BOLD);   /* "gru-h…", never "gru-h6" */
        tui_printf(cv, x + 2 + nw, y, 4, TC_NORMAL, 0, "%3zu", S.rep.groups[g].n);
        for (int c = 0, xx = cx; c < nc; c++) {
            if (narrow && !tui_compare_col_narrow(&S, c)) continue;
            int cw = cell_w(c, narrow);
            if (xx + cw > x + w) break;
            double m, sd;
            tui_compare_col_stat(&S, c, g, &m, &sd);
            char v[48];
            if (isnan(m)) snprintf(v, sizeof v, "-");
            else if (tui_compare_col_integer(&S, c)) snprintf(v, sizeof v, "%.0f", m);
            else if (S.table == TUI_CMP_TAB_TEST && c == 6) snprintf(v, sizeof v, "%.1f", m);
            else if (S.rep.groups[g].n > 1) snprintf(v, sizeof v, "%.3f±%.3f", m, sd);
            else snprintf(v, sizeof v, "%.3f", m);
            tui_printf(cv, xx, y, cw, TC_NORMAL, 0, "%*s", cw - 1, v);
            xx += cw;
        }
    }
    free(ord);
}

/* ======================= the verdicts ======================= */

/* The metric the verdict lines are about: the plotted one when it is a test metric of
 * the bootstrap (F1, PR-AUC, ROC-AUC), else PR-AUC. */
static cs_cmp_metric verdict_metric(void)
{
    return S.metric == TUI_CMP_F1 ? CS_CMP_F1 : S.metric == TUI_CMP_ROCAUC ? CS_CMP_ROC_AUC : CS_CMP_PR_AUC;
}

static void draw_verdicts(tui_canvas *cv, tui_rect r)
{
    cs_cmp_metric m = verdict_metric();
    char title[140];
    snprintf(title, sizeof title, "Is the difference real? test %s, 95 %% paired bootstrap (%d replicates)",
             cs_cmp_metric_label(m), S.rep.opts.n_boot);
    tui_box(cv, r, title, TC_BORDER);
    int y = r.y + 1, last = r.y + r.h - 2;
    if (S.rep.np == 0 && y <= last)
        tui_puts(cv, r.x + 2, y, r.w - 4, "one group: nothing to compare (runs that differ only by seed form a group)",
                 TC_DIM, 0);
    if ((size_t)S.verdict_scroll >= S.rep.np) S.verdict_scroll = S.rep.np ? (int)S.rep.np - 1 : 0;
    for (size_t k = (size_t)S.verdict_scroll; k < S.rep.np && y <= last; k++, y++) {
        if (y == last && k + 1 < S.rep.np) {
            tui_printf(cv, r.x + 2, y, r.w - 4, TC_DIM, 0, "… %zu more pair%s: } scrolls (:export F.md writes all)",
                       S.rep.np - k, S.rep.np - k == 1 ? "" : "s");
            break;
        }
        const report_pair *p = &S.rep.pairs[k];
        const char *an = S.rep.groups[p->a].name, *bn = S.rep.groups[p->b].name;
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
    if (S.verdict_scroll > 0)
        tui_printf(cv, r.x + r.w - 14, r.y + r.h - 1, 12, TC_DIM, 0, " { back ");
}

/* ======================= the parameters ======================= */

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

static int data_differs(void)
{
    for (size_t j = 1; j < S.n; j++)
        if (S.runs[j].fingerprint != S.runs[0].fingerprint) return 1;
    return 0;
}

/* a group's value of parameter p; "data" (not a parameter): file name and fingerprint */
static void param_value(size_t g, const char *p, char *v, size_t n)
{
    const cs_run *r = &S.runs[S.rep.groups[g].run[0]];
    if (strcmp(p, "data")) {
        cs_param_get(&r->cfg, p, v, n);
        return;
    }
    const char *b = strrchr(r->cfg.data, '/');
    snprintf(v, n, "%s %.6llx", b ? b + 1 : r->cfg.data, (unsigned long long)(r->fingerprint >> 40));
}

/* lines the panel needs for w columns (the box included) */
static int params_lines(int w)
{
    const char **diff = NULL;
    size_t nd = report_differing(S.runs, S.n, &diff), nshow = 0;
    for (size_t i = 0; i < nd; i++) nshow += !skip_param(diff[i]);
    free(diff);
    int colw = S.rep.ng ? (w - 4 - 14) / (int)S.rep.ng : w;
    int per = colw >= 10 ? 1 : (int)S.rep.ng;
    return 2 + data_differs() * (1 + per) + (nshow ? (int)nshow * per : 1);
}

static void draw_params(tui_canvas *cv, tui_rect r)
{
    const char **diff = NULL;
    size_t nd = report_differing(S.runs, S.n, &diff);
    const char **rows = malloc((nd + 1) * sizeof *rows);
    size_t nshow = 0;
    int fp = data_differs();
    if (rows && fp) rows[nshow++] = "data";
    for (size_t i = 0; rows && i < nd; i++)
        if (!skip_param(diff[i]) && strcmp(diff[i], "data")) rows[nshow++] = diff[i];
    char title[140];
    snprintf(title, sizeof title, "Parameters that differ between groups: %zu ([ ] scroll)", nshow);
    tui_box(cv, r, title, TC_BORDER);
    int x = r.x + 2, y = r.y + 1, w = r.w - 4, last = r.y + r.h - 2;
    if (fp && y <= last)
        tui_puts(cv, x, y++, w, "warning: the runs were trained on different data (fingerprints differ)", TC_BAD,
                 TA_BOLD);
    if (S.param_scroll > (int)nshow - 1) S.param_scroll = nshow ? (int)nshow - 1 : 0;
    if (S.param_scroll < 0) S.param_scroll = 0;
    int nw = 14, colw = S.rep.ng ? (w - nw) / (int)S.rep.ng : w;
    int one_line = colw >= 10;
    size_t k;
    for (k = (size_t)S.param_scroll; rows && k < nshow && y <= last; k++) {
        if (!one_line && y + (int)S.rep.ng - 1 > last) break;   /* a parameter's lines together */
        tui_printf(cv, x, y, nw, TC_WARN, TA_BOLD, "%s", rows[k]);
        for (size_t g = 0; g < S.rep.ng; g++) {
            char v[1024], e[1100];
            param_value(g, rows[k], v, sizeof v);
            if (one_line) {
                elide(v, colw - 1, cv->unicode, e, sizeof e);
                tui_puts(cv, x + nw + (int)g * colw, y, colw - 1, e, tui_compare_colour(g), 0);
            } else {   /* one line per group */
                if (g) y++;
                elide(v, w - nw - 2, cv->unicode, e, sizeof e);
                tui_putc(cv, x + nw - 2, y, tui_compare_marker(cv, g), tui_compare_colour(g), 0);
                tui_puts(cv, x + nw, y, w - nw, e, tui_compare_colour(g), 0);
            }
        }
        y++;
    }
    if (nshow == 0 && y <= last)
        tui_puts(cv, x, y, w, "(the groups differ in no parameter but the seed)", TC_DIM, 0);
    else if (k < nshow)
        tui_printf(cv, r.x + r.w - 24, r.y + r.h - 1, 22, TC_DIM, 0, " %zu more: ] ", nshow - k);
    free(rows);
    free(diff);
}

/* ======================= the screen ======================= */

void tui_compare_draw(tui_app *a, tui_canvas *cv, const tui_layout *L)
{
    (void)L;
    int w = cv->w, h = cv->h;
    tui_canvas_fill(cv, (tui_rect){0, 0, w, 1}, L' ', TC_SEL, 0);
    int hx = tui_printf(cv, 0, 0, w, TC_SEL, TA_BOLD, " clickseq  compare: %zu group%s, %zu run%s", S.rep.ng,
                        S.rep.ng == 1 ? "" : "s", S.n, S.n == 1 ? "" : "s");
    if (data_differs())
        tui_puts(cv, hx + 2, 0, w - hx - 2, w - hx >= 50 ? "warning: different data (fingerprints differ)"
                                                            : "warning: different data", TC_BAD, TA_BOLD);
    size_t ng = S.rep.ng;
    int body = h - 4;   /* header, legend; message, footer */
    int wide = w >= 140;
    int pw = wide ? w - 56 : w;
    int tab_h = (int)ng + 3, ver_h = (int)S.rep.np + 2;
    if (ver_h < 3) ver_h = 3;
    int pmin = body >= 30 ? 14 : 9;   /* the plot first: then the table, then the verdicts */
    if (body - tab_h - ver_h < pmin) ver_h = body - tab_h - pmin < 3 ? 3 : body - tab_h - pmin;
    if (body - tab_h - ver_h < pmin) tab_h = body - ver_h - pmin < 4 ? 4 : body - ver_h - pmin;
    int ph = body - tab_h - ver_h;
    int par_h = 0;
    if (!wide) {   /* the parameters below when there is room, else instead of the verdicts (p) */
        int need = params_lines(w);
        if (ph - pmin >= 4) {
            par_h = need < ph - pmin ? need : ph - pmin;
            ph -= par_h;
        } else if (S.lower) {
            par_h = ver_h;
            ver_h = 0;
        }
    }
    if (ph < 4) ph = 4;
    draw_plot(a, cv, (tui_rect){0, 2, pw, ph}, 1);
    draw_table(cv, (tui_rect){0, 2 + ph, pw, tab_h}, !wide);
    if (wide) {
        draw_verdicts(cv, (tui_rect){0, 2 + ph + tab_h, pw, body - ph - tab_h});
        draw_params(cv, (tui_rect){pw, 2, w - pw, body});
    } else {
        if (ver_h) draw_verdicts(cv, (tui_rect){0, 2 + ph + tab_h, w, ver_h});
        if (par_h >= 3) draw_params(cv, (tui_rect){0, 2 + ph + tab_h + ver_h, w, par_h});
    }
    if (a->msg[0])
        tui_puts(cv, 1, h - 2, w - 1, a->msg, a->msg_err ? TC_BAD : TC_NORMAL, 0);
    const char *keys = w >= 140 ? " m metric  x axis  s smooth  ←/→ cursor  i seeds  b band  y log  t table  "
                                  "o/O sort  [ ] params  { } verdicts  r replay  ? keys  Esc back"
                                : w >= 100 ? " m metric  x axis  s smooth  ←/→ cursor  t table  o/O sort  p params  "
                                             "r replay  ? keys  Esc back"
                                           : " m metric  s smooth  ←/→ cursor  t table  o sort  p params  ? keys  Esc";
    if (!cv->unicode) keys = w >= 100 ? " m metric  x axis  s smooth  </> cursor  t table  o/O sort  p params  "
                                        "r replay  ? keys  Esc back"
                                      : " m metric  s smooth  </> cursor  t table  o sort  p params  ? keys  Esc";
    tui_puts(cv, 0, h - 1, w, keys, TC_DIM, 0);
}
