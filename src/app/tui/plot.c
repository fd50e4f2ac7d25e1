/* plot.c — curves in braille (or half blocks), the confusion matrix, bars.
 *
 * A plot maps data to a grid of "dots": braille gives 2x4 dots per cell, the fallback
 * 1x2 (upper/lower half block).  Lines between consecutive points are rasterised in dot
 * space so steep drops stay connected; each cell remembers the colour of the last series
 * that touched it (series are drawn in order, so the last one is on top).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/tui/plot.h"

void tui_plot_opts_init(tui_plot_opts *o)
{
    memset(o, 0, sizeof *o);
    o->ymin = o->ymax = o->xmin = o->xmax = NAN;
    o->braille = 1;
    o->xlabel = NULL;
    o->legend = 1;
    o->xspan_min = NAN;
    o->cursor_x = NAN;
}

wchar_t tui_marker_glyph(const tui_canvas *cv, wchar_t m)
{
    if (cv->unicode || m < 128)
        return m;
    switch (m) {
    case L'●': case L'○': return L'o';
    case L'▲': case L'△': return L'^';
    case L'■': case L'□': return L'#';
    case L'◆': case L'◇': return L'*';
    case L'✚': case L'×': return L'x';
    case L'▼': return L'v';
    default: return L'+';
    }
}

typedef struct dots {
    int cw, ch;          /* cells */
    int sx, sy;          /* dots per cell */
    uint8_t *bits;       /* cw * ch dot masks */
    uint8_t *color;      /* cw * ch */
} dots;

static void dot_set(dots *d, int px, int py, int color)
{
    if (px < 0 || py < 0 || px >= d->cw * d->sx || py >= d->ch * d->sy)
        return;
    int cx = px / d->sx, cy = py / d->sy, bx = px % d->sx, by = py % d->sy;
    /* braille dot numbering: left column bits 0,1,2,6; right column 3,4,5,7 */
    static const uint8_t bmap[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};
    uint8_t bit = d->sx == 2 ? bmap[bx][by] : (uint8_t)(1u << by);
    d->bits[cy * d->cw + cx] |= bit;
    d->color[cy * d->cw + cx] = (uint8_t)color;
}

/* A line in dot space; dotted lines set every other dot (*phase carries the count over
 * segments, so a dotted curve stays dotted through many short segments). */
static void dot_line(dots *d, int x0, int y0, int x1, int y1, int color, int dotted, unsigned *phase)
{
    int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
    int dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
    int e = dx + dy, first = 1;
    for (;;) {
        if (!first || !dotted) {
            if (!dotted || ((*phase)++ % 3) == 0)
                dot_set(d, x0, y0, color);
        }
        first = 0;
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * e;
        if (e2 >= dy) { e += dy; x0 += sx; }
        if (e2 <= dx) { e += dx; y0 += sy; }
    }
}

static double xat(const tui_series *s, size_t i) { return s->x ? s->x[i] : (double)(i + 1); }

/* y as plotted: log10 on a log axis (non-positive values are gaps) */
static double ty(const tui_plot_opts *o, double y)
{
    if (!o->logy) return y;
    return y > 0 ? log10(y) : NAN;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static const tui_style *style_of(const tui_plot_opts *o, int k)
{
    static const tui_style plain = {0, 0, 0, 0};
    return o->style ? &o->style[k] : &plain;
}

/* y range of the series that count (not faint, not hidden), in plotted units */
static void y_range(const tui_series *s, int ns, const tui_plot_opts *o, double *lo, double *hi)
{
    double ly = INFINITY, hy = -INFINITY;
    for (int k = 0; k < ns; k++) {
        const tui_style *st = style_of(o, k);
        if (st->faint || st->hidden) continue;
        int trim = o->robust && st->dense && s[k].n >= 20;
        size_t skip = trim ? s[k].n / 20 : 0;
        double *v = trim ? malloc(s[k].n * sizeof *v) : NULL;
        size_t nv = 0;
        for (size_t i = skip; i < s[k].n; i++) {
            double y = ty(o, s[k].y[i]);
            if (!isfinite(y) || !isfinite(xat(&s[k], i))) continue;
            if (!isnan(o->xmin) && xat(&s[k], i) < o->xmin) continue;
            if (!isnan(o->xmax) && xat(&s[k], i) > o->xmax) continue;
            if (v) v[nv++] = y;
            ly = fmin(ly, y); hy = fmax(hy, y);
        }
        if (v && nv >= 20) {   /* a dense series: its top 5 % and bottom 2 % do not stretch the range */
            qsort(v, nv, sizeof *v, cmp_d);
            double p95 = v[(size_t)((double)(nv - 1) * 0.95)], p2 = v[(size_t)((double)(nv - 1) * 0.02)];
            double mx = -INFINITY, mn = INFINITY;
            for (int j = 0; j < ns; j++)   /* ... unless a series that is not trimmed goes beyond */
                if (!style_of(o, j)->faint && !style_of(o, j)->hidden && !style_of(o, j)->dense)
                    for (size_t i = 0; i < s[j].n; i++) {
                        double y = ty(o, s[j].y[i]);
                        if (isfinite(y)) { mx = fmax(mx, y); mn = fmin(mn, y); }
                    }
            if (p95 < hy) hy = fmax(p95, mx);
            if (p2 > ly) ly = fmin(p2, mn);
        }
        free(v);
    }
    *lo = ly; *hi = hy;
}

static void data_range(const tui_series *s, int ns, const tui_plot_opts *o, int rows,
                       double *xmin, double *xmax, double *ymin, double *ymax)
{
    double lx = INFINITY, hx = -INFINITY, ly, hy;
    for (int k = 0; k < ns; k++) {
        if (style_of(o, k)->hidden) continue;
        for (size_t i = 0; i < s[k].n; i++) {
            double x = xat(&s[k], i);
            if (!isfinite(ty(o, s[k].y[i])) || !isfinite(x)) continue;
            lx = fmin(lx, x); hx = fmax(hx, x);
        }
    }
    y_range(s, ns, o, &ly, &hy);
    if (!isfinite(lx)) { lx = 1; hx = 2; }
    if (!isfinite(ly)) { ly = 0; hy = 1; }
    if (!isnan(o->xmin)) lx = o->xmin;
    if (!isnan(o->xmax)) hx = o->xmax;
    double span = isnan(o->xspan_min) ? 1 : o->xspan_min;
    if (hx < lx + span) hx = lx + span;
    double oymin = ty(o, o->ymin), oymax = ty(o, o->ymax);
    if (isnan(oymin) || isnan(oymax)) {
        double pad = (hy - ly) * 0.05;
        if (pad == 0) pad = fabs(hy) * 0.1 + 0.05;
        double padlo = pad;
        /* robust: the lowest point sits at least one text row above the bottom one */
        if (o->robust && rows > 3) padlo = fmax(pad, (hy - ly) / (rows - 2));
        if (isnan(oymin)) ly -= padlo;
        if (isnan(oymax)) hy += pad;
    }
    if (!isnan(oymin)) ly = oymin;
    if (!isnan(oymax)) hy = oymax;
    if (hy <= ly) hy = ly + 1;
    *xmin = lx; *xmax = hx; *ymin = ly; *ymax = hy;
}

static void fmt_x(const tui_plot_opts *o, double v, char *b, size_t n)
{
    if (o->xtime) tui_fmt_dur(v, b, n);
    else if (fabs(v - round(v)) < 1e-9 || fabs(v) >= 100) snprintf(b, n, "%.0f", v);
    else tui_fmt_num(v, b, n);
}

static void draw_axes(tui_canvas *cv, tui_rect r, int lw, double xmin, double xmax, double ymin,
                      double ymax, const tui_plot_opts *o)
{
    int u = cv->unicode, ph = r.h - 1;
    char b[32];
    for (int y = r.y; y < r.y + ph; y++)
        tui_putc(cv, r.x + lw, y, u ? L'│' : L'|', TC_DIM, 0);
    /* labels at top, middle and bottom of the plot area, with a tick */
    int rows[3] = {0, (ph - 1) / 2, ph - 1};
    for (int i = 0; i < 3; i++) {
        if (i == 1 && (rows[1] == rows[0] || rows[1] == rows[2]))
            continue;
        double v = ymax - (ymax - ymin) * rows[i] / (double)(ph > 1 ? ph - 1 : 1);
        tui_fmt_num(o->logy ? pow(10, v) : v, b, sizeof b);
        int n = tui_strwidth(b);
        tui_puts(cv, r.x + (lw - n > 0 ? lw - n : 0), r.y + rows[i], lw, b, TC_DIM, 0);
        tui_putc(cv, r.x + lw, r.y + rows[i], u ? L'┤' : L'+', TC_DIM, 0);
    }
    int ay = r.y + ph;
    tui_putc(cv, r.x + lw, ay, u ? L'└' : L'+', TC_DIM, 0);
    for (int x = r.x + lw + 1; x < r.x + r.w; x++)
        tui_putc(cv, x, ay, u ? L'─' : L'-', TC_DIM, 0);
    fmt_x(o, xmin, b, sizeof b);
    tui_puts(cv, r.x + lw + 1, ay, 8, b, TC_DIM, 0);
    char right[64], xb[32];
    fmt_x(o, xmax, xb, sizeof xb);
    snprintf(right, sizeof right, "%s %s", o->xlabel ? o->xlabel : "", xb);
    int rw = tui_strwidth(right);
    if (r.w - lw - 2 > rw + 6)
        tui_puts(cv, r.x + r.w - rw, ay, rw, right, TC_DIM, 0);
}

/* the point of series s nearest to x (by x), or -1 */
static long nearest(const tui_series *s, const tui_plot_opts *o, double x)
{
    long best = -1;
    double bd = INFINITY;
    for (size_t i = 0; i < s->n; i++) {
        if (!isfinite(ty(o, s->y[i]))) continue;
        double d = fabs(xat(s, i) - x);
        if (d < bd) { bd = d; best = (long)i; }
    }
    return best;
}

static void draw_cursor(tui_canvas *cv, tui_rect r, int ox, int cw, int ay, const tui_series *s, int ns,
                        const tui_plot_opts *o, double xmin, double xmax)
{
    double x = o->cursor_x;
    if (x < xmin) x = xmin;
    if (x > xmax) x = xmax;
    int col = ox + (int)lround((x - xmin) / (xmax - xmin) * (cw - 1));
    for (int y = r.y; y < ay; y++) {
        tui_cell *c = tui_canvas_at(cv, col, y);
        if (c && c->ch == L' ') tui_putc(cv, col, y, cv->unicode ? L'┊' : L':', TC_WARN, 0);
    }
    /* the readout replaces the axis labels: "@2.40 ●train 0.512 ▲valid 0.530" */
    char line[256], xb[32];
    fmt_x(o, x, xb, sizeof xb);
    int n = snprintf(line, sizeof line, "@%s", xb);
    tui_rect ar = {ox, ay, r.x + r.w - ox, 1};
    tui_canvas_fill(cv, ar, cv->unicode ? L'─' : L'-', TC_DIM, 0);
    tui_putc(cv, col, ay, cv->unicode ? L'┴' : L'+', TC_WARN, TA_BOLD);   /* under the readout when they meet */
    int px = ox + tui_puts(cv, ox, ay, ar.w, line, TC_WARN, TA_BOLD);
    for (int k = 0; k < ns && n > 0; k++) {
        const tui_style *st = style_of(o, k);
        if (st->faint || st->hidden || !s[k].label) continue;
        long i = nearest(&s[k], o, x);
        char v[32];
        if (i < 0) snprintf(v, sizeof v, "-");
        else tui_fmt_num(s[k].y[i], v, sizeof v);
        if (px + 1 >= r.x + r.w) break;
        tui_putc(cv, px++, ay, L' ', TC_NORMAL, 0);
        if (s[k].marker) {
            tui_putc(cv, px++, ay, tui_marker_glyph(cv, s[k].marker), s[k].color, TA_BOLD);
        }
        char item[96];
        snprintf(item, sizeof item, "%s %s", s[k].label, v);
        px += tui_puts(cv, px, ay, r.x + r.w - px, item, s[k].color, 0);
    }
}

/* A curve being drawn: the next point is joined to the last one; points outside the range
 * are drawn on the edge row and counted. */
typedef struct stroke {
    dots *d;
    int col, dotted, have, px0, py0;
    unsigned phase;
    int H;
    int *clipped;
} stroke;

static void stroke_to(stroke *k, int px, double fy)
{
    int py = (int)lround(fy);
    if (py < 0 || py > k->H - 1) {
        (*k->clipped)++;
        py = py < 0 ? 0 : k->H - 1;
    }
    if (k->have) dot_line(k->d, k->px0, k->py0, px, py, k->col, k->dotted, &k->phase);
    else dot_set(k->d, px, py, k->col);
    k->have = 1; k->px0 = px; k->py0 = py;
}

int tui_plot(tui_canvas *cv, tui_rect r, const tui_series *s, int ns, const tui_plot_opts *o)
{
    if (r.w < 12 || r.h < 4)
        return 0;
    double xmin, xmax, ymin, ymax;
    data_range(s, ns, o, r.h - 1, &xmin, &xmax, &ymin, &ymax);
    int lw = 5;   /* label column */
    int braille = o->braille && cv->unicode;
    dots d = {r.w - lw - 1, r.h - 1, braille ? 2 : 1, braille ? 4 : 2, NULL, NULL};
    d.bits = calloc((size_t)d.cw * (size_t)d.ch, 1);
    d.color = calloc((size_t)d.cw * (size_t)d.ch, 1);
    if (!d.bits || !d.color) {
        free(d.bits); free(d.color);
        return 0;
    }
    draw_axes(cv, r, lw, xmin, xmax, ymin, ymax, o);
    int W = d.cw * d.sx, H = d.ch * d.sy, drawn = 0, clipped = 0;
    /* faint series first (behind), then the others in order (the last one on top) */
    for (int pass = 0; pass < 2; pass++)
        for (int k = 0; k < ns; k++) {
            const tui_style *st = style_of(o, k);
            if (st->hidden || (pass == 0) != (st->faint != 0)) continue;
            stroke sk = {&d, st->faint ? TC_DIM : s[k].color, st->dotted, 0, 0, 0, 0, H, &clipped};
            /* a dense series (more points than dot columns) is drawn through the mean of
             * its points in each dot column: a clean line at the pane's resolution */
            int dense = s[k].n > (size_t)W, lastpx = -1, apx = -1, an = 0;
            double asum = 0;
            for (size_t i = 0; i < s[k].n; i++) {
                double x = xat(&s[k], i), y = ty(o, s[k].y[i]);
                int gap = !isfinite(y) || !isfinite(x) || x < xmin || x > xmax;
                int px = gap ? -1 : (int)lround((x - xmin) / (xmax - xmin) * (W - 1));
                double fy = gap ? 0 : (ymax - y) / (ymax - ymin) * (H - 1);
                if (st->faint) {
                    /* a faint curve is a light scatter: one point per dot column, none
                     * outside the range, no lines (a noisy raw curve would fill the pane) */
                    int py = (int)lround(fy);
                    if (!gap && px != lastpx && py >= 0 && py <= H - 1) { dot_set(&d, px, py, sk.col); drawn++; }
                    lastpx = gap ? -1 : px;
                    continue;
                }
                if (dense && an && (gap || px != apx)) { stroke_to(&sk, apx, asum / an); an = 0; drawn++; }
                if (gap) { sk.have = 0; continue; }
                if (dense) { if (!an) { apx = px; asum = 0; } asum += fy; an++; continue; }
                stroke_to(&sk, px, fy);
                drawn++;
            }
            if (dense && an) { stroke_to(&sk, apx, asum / an); drawn++; }
        }
    int ox = r.x + lw + 1;
    for (int cy = 0; cy < d.ch; cy++)
        for (int cx = 0; cx < d.cw; cx++) {
            uint8_t b = d.bits[cy * d.cw + cx];
            if (!b) continue;
            wchar_t ch;
            if (braille) ch = (wchar_t)(0x2800 + b);
            else if (!cv->unicode) ch = L'*';
            else ch = b == 3 ? L'█' : b == 1 ? L'▀' : L'▄';
            tui_putc(cv, ox + cx, r.y + cy, ch, d.color[cy * d.cw + cx], 0);
        }
    /* markers at the points when there is room between them, or every marker_gap columns
     * on a dense series: they tell overlaid series apart without colour */
    for (int k = 0; k < ns; k++) {
        const tui_style *st = style_of(o, k);
        if (!s[k].marker || s[k].n == 0 || st->hidden || st->faint)
            continue;
        int sparse = (double)d.cw / (double)s[k].n >= 2.0;
        if (!sparse && o->marker_gap <= 0)
            continue;
        /* dense: the first point at or after columns off, off + gap, ... (x ascending) */
        int next = o->marker_gap > 0 ? 1 + (k * o->marker_gap) / (ns > 0 ? ns : 1) : 0;
        for (size_t i = 0; i < s[k].n; i++) {
            double x = xat(&s[k], i), y = ty(o, s[k].y[i]);
            if (!isfinite(y) || x < xmin || x > xmax) continue;
            int cx = (int)lround((x - xmin) / (xmax - xmin) * (W - 1)) / d.sx;
            if (!sparse) {
                if (cx < next) continue;
                next = cx + o->marker_gap;
            }
            int cy = (int)lround((ymax - y) / (ymax - ymin) * (H - 1)) / d.sy;
            if (cy < 0) cy = 0;
            if (cy > d.ch - 1) cy = d.ch - 1;
            tui_putc(cv, ox + cx, r.y + cy, tui_marker_glyph(cv, s[k].marker), s[k].color, TA_BOLD);
        }
    }
    if (o->legend) {
        int x = r.x + r.w;
        for (int k = ns - 1; k >= 0; k--) {
            const tui_style *st = style_of(o, k);
            if (!s[k].label || st->faint) continue;
            int w = tui_strwidth(s[k].label) + (s[k].marker ? 2 : 0);
            x -= w + 1;
            if (x <= ox) break;
            int col = st->hidden ? TC_DIM : s[k].color;
            tui_canvas_fill(cv, (tui_rect){x - 1, r.y, w + 1, 1}, L' ', TC_NORMAL, 0);   /* on a clear ground */
            if (s[k].marker) {
                tui_putc(cv, x, r.y, tui_marker_glyph(cv, s[k].marker), col, st->hidden ? 0 : TA_BOLD);
                tui_puts(cv, x + 2, r.y, -1, s[k].label, col, 0);
            } else {
                tui_puts(cv, x, r.y, -1, s[k].label, col, 0);
            }
        }
    }
    if (clipped) {   /* points above or below the range are drawn on the edge row */
        char b[32];
        snprintf(b, sizeof b, "%s%d clipped ", cv->unicode ? "↕" : "!", clipped);
        tui_puts(cv, ox, r.y, d.cw / 2, b, TC_WARN, 0);
    }
    if (!isnan(o->cursor_x))
        draw_cursor(cv, r, ox, d.cw, r.y + r.h - 1, s, ns, o, xmin, xmax);
    if (o->info) {
        o->info->xmin = xmin; o->info->xmax = xmax;
        o->info->ymin = o->logy ? pow(10, ymin) : ymin;
        o->info->ymax = o->logy ? pow(10, ymax) : ymax;
        o->info->clipped = clipped;
        o->info->plot_x = ox; o->info->plot_w = d.cw;
        o->info->plot_y = r.y; o->info->plot_h = d.ch;
        o->info->sx = d.sx; o->info->sy = d.sy;
        o->info->logy = o->logy;
    }
    free(d.bits);
    free(d.color);
    return drawn;
}

static void fmt_metric(char *b, size_t n, double v)
{
    if (isnan(v)) snprintf(b, n, "  -  ");
    else snprintf(b, n, "%.3f", v);
}

void tui_confusion(tui_canvas *cv, tui_rect r, const cs_metrics *m)
{
    if (r.w < 26 || r.h < 6)
        return;
    int x = r.x, y = r.y, cw = (r.w - 10) / 2;
    if (cw > 12) cw = 12;
    tui_printf(cv, x, y, -1, TC_HEAD, TA_BOLD, "%10s%*s%*s", "", cw, "pred +", cw, "pred -");
    tui_printf(cv, x, y + 1, 10, TC_HEAD, TA_BOLD, "actual +");
    tui_printf(cv, x + 10, y + 1, cw, TC_GOOD, TA_BOLD, "%*ld", cw, m->cm.tp);
    tui_printf(cv, x + 10 + cw, y + 1, cw, TC_BAD, 0, "%*ld", cw, m->cm.fn);
    tui_printf(cv, x, y + 2, 10, TC_HEAD, TA_BOLD, "actual -");
    tui_printf(cv, x + 10, y + 2, cw, TC_BAD, 0, "%*ld", cw, m->cm.fp);
    tui_printf(cv, x + 10 + cw, y + 2, cw, TC_GOOD, 0, "%*ld", cw, m->cm.tn);
    char p[16], rc[16], f[16], pr[16], roc[16], acc[16];
    fmt_metric(p, sizeof p, m->precision); fmt_metric(rc, sizeof rc, m->recall);
    fmt_metric(f, sizeof f, m->f1); fmt_metric(pr, sizeof pr, m->pr_auc);
    fmt_metric(roc, sizeof roc, m->roc_auc); fmt_metric(acc, sizeof acc, m->accuracy);
    tui_printf(cv, x, y + 3, r.w, TC_NORMAL, 0, "P %s  R %s  F1 %s", p, rc, f);
    tui_printf(cv, x, y + 4, r.w, TC_NORMAL, 0, "PR-AUC %s  ROC-AUC %s", pr, roc);
    if (r.h > 6)
        tui_printf(cv, x, y + 5, r.w, TC_DIM, 0, "acc %s  n %ld  pos %ld", acc, m->n, m->positives);
}

void tui_progress(tui_canvas *cv, int x, int y, int w, double frac, int color)
{
    if (w <= 0) return;
    if (!(frac >= 0)) frac = 0;
    if (frac > 1) frac = 1;
    int eighths = (int)(frac * w * 8 + 0.5);
    static const wchar_t part[8] = {L' ', L'▏', L'▎', L'▍', L'▌', L'▋', L'▊', L'▉'};
    for (int i = 0; i < w; i++) {
        int e = eighths - i * 8;
        wchar_t ch;
        if (!cv->unicode) ch = e >= 4 ? L'#' : L'.';
        else if (e >= 8) ch = L'█';
        else if (e > 0) ch = part[e];
        else ch = L'░';
        tui_putc(cv, x + i, y, ch, e > 0 ? color : TC_DIM, 0);
    }
}

void tui_histogram(tui_canvas *cv, tui_rect r, const long *counts, int n, int color)
{
    if (r.w <= 0 || r.h <= 0 || n <= 0) return;
    long mx = 0;
    for (int i = 0; i < n; i++) if (counts[i] > mx) mx = counts[i];
    if (mx == 0) return;
    int cols = n < r.w ? n : r.w;
    static const wchar_t part[9] = {L' ', L'▁', L'▂', L'▃', L'▄', L'▅', L'▆', L'▇', L'█'};
    for (int c = 0; c < cols; c++) {
        /* bins folded into columns when there are more bins than columns */
        long v = 0;
        for (int i = c * n / cols; i < (c + 1) * n / cols; i++) v += counts[i];
        long vmax = mx * ((n + cols - 1) / cols);
        int e = (int)((double)v / (double)vmax * r.h * 8 + 0.5);
        if (v > 0 && e == 0) e = 1;
        for (int row = 0; row < r.h; row++) {
            int k = e - row * 8;
            wchar_t ch = k >= 8 ? L'█' : k > 0 ? part[k] : L' ';
            if (!cv->unicode && k > 0) ch = L'#';
            if (k > 0) tui_putc(cv, r.x + c, r.y + r.h - 1 - row, ch, color, 0);
        }
    }
}

int tui_plot_cell(const tui_plot_info *in, double x, double y, int *cx, int *cy)
{
    double y0 = in->ymin, y1 = in->ymax;
    if (in->logy) {
        if (!(y > 0) || !(y0 > 0) || !(y1 > 0)) return -1;
        y = log10(y); y0 = log10(y0); y1 = log10(y1);
    }
    if (!isfinite(x) || !isfinite(y) || x < in->xmin || x > in->xmax || y < y0 || y > y1 ||
        in->xmax <= in->xmin || y1 <= y0 || in->plot_w < 1 || in->plot_h < 1)
        return -1;
    int W = in->plot_w * in->sx, H = in->plot_h * in->sy;
    *cx = in->plot_x + (int)lround((x - in->xmin) / (in->xmax - in->xmin) * (W - 1)) / in->sx;
    *cy = in->plot_y + (int)lround((y1 - y) / (y1 - y0) * (H - 1)) / in->sy;
    return 0;
}

void tui_smooth_debiased(const double *in, double *out, size_t n, double w)
{
    double acc = 0, wt = 1;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(in[i])) {
            acc = w * acc + (1 - w) * in[i];
            wt *= w;
        }
        out[i] = wt < 1 ? acc / (1 - wt) : NAN;
    }
}

void tui_smooth(const double *in, double *out, size_t n, double alpha)
{
    double acc = NAN;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(in[i]))
            acc = isnan(acc) ? in[i] : alpha * in[i] + (1 - alpha) * acc;
        out[i] = acc;
    }
}
