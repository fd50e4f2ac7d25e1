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
    o->ymin = o->ymax = o->xmin = o->xmax = NAN;
    o->braille = 1;
    o->xlabel = NULL;
    o->legend = 1;
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

static void dot_line(dots *d, int x0, int y0, int x1, int y1, int color)
{
    int dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
    int dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
    int e = dx + dy;
    for (;;) {
        dot_set(d, x0, y0, color);
        if (x0 == x1 && y0 == y1)
            break;
        int e2 = 2 * e;
        if (e2 >= dy) { e += dy; x0 += sx; }
        if (e2 <= dx) { e += dx; y0 += sy; }
    }
}

static void data_range(const tui_series *s, int ns, const tui_plot_opts *o, double *xmin,
                       double *xmax, double *ymin, double *ymax)
{
    double lx = INFINITY, hx = -INFINITY, ly = INFINITY, hy = -INFINITY;
    for (int k = 0; k < ns; k++)
        for (size_t i = 0; i < s[k].n; i++) {
            double x = s[k].x ? s[k].x[i] : (double)(i + 1), y = s[k].y[i];
            if (!isfinite(y) || !isfinite(x))
                continue;
            lx = fmin(lx, x); hx = fmax(hx, x);
            ly = fmin(ly, y); hy = fmax(hy, y);
        }
    if (!isfinite(lx)) { lx = 1; hx = 2; ly = 0; hy = 1; }
    if (!isnan(o->xmin)) lx = o->xmin;
    if (!isnan(o->xmax)) hx = o->xmax;
    if (hx < lx + 1) hx = lx + 1;
    if (isnan(o->ymin) || isnan(o->ymax)) {
        double pad = (hy - ly) * 0.05;
        if (pad == 0) pad = fabs(hy) * 0.1 + 0.05;
        if (isnan(o->ymin)) ly -= pad;
        if (isnan(o->ymax)) hy += pad;
    }
    if (!isnan(o->ymin)) ly = o->ymin;
    if (!isnan(o->ymax)) hy = o->ymax;
    if (hy <= ly) hy = ly + 1;
    *xmin = lx; *xmax = hx; *ymin = ly; *ymax = hy;
}

static void draw_axes(tui_canvas *cv, tui_rect r, int lw, double xmin, double xmax, double ymin,
                      double ymax, const char *xlabel)
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
        tui_fmt_num(v, b, sizeof b);
        int n = tui_strwidth(b);
        tui_puts(cv, r.x + (lw - n > 0 ? lw - n : 0), r.y + rows[i], lw, b, TC_DIM, 0);
        tui_putc(cv, r.x + lw, r.y + rows[i], u ? L'┤' : L'+', TC_DIM, 0);
    }
    int ay = r.y + ph;
    tui_putc(cv, r.x + lw, ay, u ? L'└' : L'+', TC_DIM, 0);
    for (int x = r.x + lw + 1; x < r.x + r.w; x++)
        tui_putc(cv, x, ay, u ? L'─' : L'-', TC_DIM, 0);
    snprintf(b, sizeof b, "%g", xmin);
    tui_puts(cv, r.x + lw + 1, ay, 8, b, TC_DIM, 0);
    char right[64];
    snprintf(right, sizeof right, "%s %g", xlabel ? xlabel : "", xmax);
    int rw = tui_strwidth(right);
    if (r.w - lw - 2 > rw + 6)
        tui_puts(cv, r.x + r.w - rw, ay, rw, right, TC_DIM, 0);
}

int tui_plot(tui_canvas *cv, tui_rect r, const tui_series *s, int ns, const tui_plot_opts *o)
{
    if (r.w < 12 || r.h < 4)
        return 0;
    double xmin, xmax, ymin, ymax;
    data_range(s, ns, o, &xmin, &xmax, &ymin, &ymax);
    int lw = 5;   /* label column */
    int braille = o->braille && cv->unicode;
    dots d = {r.w - lw - 1, r.h - 1, braille ? 2 : 1, braille ? 4 : 2, NULL, NULL};
    d.bits = calloc((size_t)d.cw * (size_t)d.ch, 1);
    d.color = calloc((size_t)d.cw * (size_t)d.ch, 1);
    if (!d.bits || !d.color) {
        free(d.bits); free(d.color);
        return 0;
    }
    draw_axes(cv, r, lw, xmin, xmax, ymin, ymax, o->xlabel);
    int W = d.cw * d.sx, H = d.ch * d.sy, drawn = 0;
    for (int k = 0; k < ns; k++) {
        int have = 0, px0 = 0, py0 = 0;
        for (size_t i = 0; i < s[k].n; i++) {
            double x = s[k].x ? s[k].x[i] : (double)(i + 1), y = s[k].y[i];
            if (!isfinite(y)) { have = 0; continue; }
            int px = (int)lround((x - xmin) / (xmax - xmin) * (W - 1));
            int py = (int)lround((ymax - y) / (ymax - ymin) * (H - 1));
            if (py < 0) py = 0;
            if (py > H - 1) py = H - 1;
            if (have) dot_line(&d, px0, py0, px, py, s[k].color);
            else dot_set(&d, px, py, s[k].color);
            have = 1; px0 = px; py0 = py;
            drawn++;
        }
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
    /* markers at the points when there is room between them: they tell overlaid
     * series apart without colour */
    for (int k = 0; k < ns; k++) {
        if (!s[k].marker || s[k].n == 0 || (double)d.cw / (double)s[k].n < 2.0)
            continue;
        for (size_t i = 0; i < s[k].n; i++) {
            double x = s[k].x ? s[k].x[i] : (double)(i + 1), y = s[k].y[i];
            if (!isfinite(y)) continue;
            int cx = (int)lround((x - xmin) / (xmax - xmin) * (W - 1)) / d.sx;
            int cy = (int)lround((ymax - y) / (ymax - ymin) * (H - 1)) / d.sy;
            if (cy < 0) cy = 0;
            if (cy > d.ch - 1) cy = d.ch - 1;
            tui_putc(cv, ox + cx, r.y + cy, s[k].marker, s[k].color, TA_BOLD);
        }
    }
    if (o->legend) {
        int x = r.x + r.w;
        for (int k = ns - 1; k >= 0; k--) {
            if (!s[k].label) continue;
            int w = tui_strwidth(s[k].label) + (s[k].marker ? 2 : 0);
            x -= w + 1;
            if (x <= ox) break;
            if (s[k].marker) {
                tui_putc(cv, x, r.y, s[k].marker, s[k].color, TA_BOLD);
                tui_puts(cv, x + 2, r.y, -1, s[k].label, s[k].color, 0);
            } else {
                tui_puts(cv, x, r.y, -1, s[k].label, s[k].color, 0);
            }
        }
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

void tui_smooth(const double *in, double *out, size_t n, double alpha)
{
    double acc = NAN;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(in[i]))
            acc = isnan(acc) ? in[i] : alpha * in[i] + (1 - alpha) * acc;
        out[i] = acc;
    }
}
