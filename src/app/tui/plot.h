/* plot.h — curves, the confusion matrix, progress bars and histograms, drawn into a
 * canvas.  Pure: no ncurses, no engine state; unit-tested in tests/test_tui_draw.c. */
#ifndef CLICKSEQ_TUI_PLOT_H
#define CLICKSEQ_TUI_PLOT_H

#include "app/tui/canvas.h"
#include "clickseq/metrics.h"

typedef struct tui_series {
    const double *y;    /* n values; NaN = gap */
    const double *x;    /* n x positions, or NULL for 1..n */
    size_t n;
    int color;          /* TC_S1.. */
    wchar_t marker;     /* drawn at each point when the points are sparse; 0 = none */
    const char *label;  /* legend text, may be NULL */
} tui_series;

/* How a series is drawn, beyond its colour and marker (tui_plot_opts.style[k]). */
typedef struct tui_style {
    int dotted;         /* every other dot: tells a curve apart without colour */
    int faint;          /* drawn first, dim, behind the others; no marker, no legend; it
                           neither sets the y range nor counts as clipped (a raw curve) */
    int hidden;         /* not drawn; the legend shows it dim (switched off) */
    int dense;          /* a per-batch series: with robust, only its warm-up and tails may
                           be clipped; every other series always lies inside the range */
} tui_style;

typedef struct tui_plot_info {  /* what tui_plot decided (out) */
    double xmin, xmax, ymin, ymax;   /* ymin/ymax in data units even with logy */
    int clipped;        /* points outside the y range (drawn on the edge row) */
    int plot_x, plot_w; /* the columns of the curve area */
    int plot_y, plot_h; /* its rows */
    int sx, sy;         /* dots per cell (braille 2x4, half blocks 1x2) */
    int logy;
} tui_plot_info;

/* The cell (*cx, *cy) where the point (x, y) of a plot described by in was drawn: 0, or
 * -1 when it is outside the plot's ranges (or y <= 0 on a log axis). */
int tui_plot_cell(const tui_plot_info *in, double x, double y, int *cx, int *cy);

typedef struct tui_plot_opts {
    double ymin, ymax;  /* NaN: from the data (with a little headroom) */
    double xmin, xmax;  /* NaN: from the data; xmax at least xmin + 1 */
    int braille;        /* 1: Unicode braille (2x4 dots a cell); 0: half blocks / ASCII */
    const char *xlabel; /* e.g. "epoch", drawn at the right of the x axis */
    int legend;         /* draw labels of the series at the top right */
    /* optional (tui_plot_opts_init sets them off) */
    const tui_style *style;  /* ns entries, or NULL: all solid */
    int robust;         /* y range without each dense series' (style.dense) warm-up (its first 5 %) and
                           above its 95th (below its 2nd) percentile; the range keeps one row free below
                           the lowest point; points outside are clipped, with a mark */
    int logy;           /* log10 y axis (values <= 0 are gaps) */
    int xtime;          /* x values are seconds: axis labels as M:SS */
    double xspan_min;   /* NaN or the smallest x span (xmax >= xmin + this; default 1) */
    int marker_gap;     /* > 0: dense series get their marker every marker_gap columns
                           (offset per series), so every series shows its glyph */
    double cursor_x;    /* NaN or an x: a vertical cursor, and the value of every series
                           at the nearest point written on the x axis row */
    tui_plot_info *info;     /* NULL or filled */
} tui_plot_opts;
void tui_plot_opts_init(tui_plot_opts *o);

/* Curves of ns series inside r (axes and labels included).  Needs r.w >= 12, r.h >= 4;
 * smaller rectangles draw nothing.  Returns the number of points drawn. */
int tui_plot(tui_canvas *cv, tui_rect r, const tui_series *s, int ns, const tui_plot_opts *o);

/* The marker glyph as the canvas can show it (ASCII twin without Unicode). */
wchar_t tui_marker_glyph(const tui_canvas *cv, wchar_t m);

/* The confusion matrix and the metrics at its threshold inside r (needs 26x6). */
void tui_confusion(tui_canvas *cv, tui_rect r, const cs_metrics *m);

/* A bar of width w filled to frac (0..1) with eighth blocks (ASCII: '#' and '.'). */
void tui_progress(tui_canvas *cv, int x, int y, int w, double frac, int color);

/* Vertical bars of counts[n] inside r, one column per bin (scaled to fit), with eighth
 * blocks for the top of each bar. */
void tui_histogram(tui_canvas *cv, tui_rect r, const long *counts, int n, int color);

/* TensorBoard's smoothing: an EMA with weight w (0..1) on the past, debiased so the first
 * points are pulled neither towards zero nor towards the first value; NaN inputs keep the
 * last value (NaN before the first finite one). */
void tui_smooth_debiased(const double *in, double *out, size_t n, double w);

/* Exponential moving average of in[n] into out[n] (alpha in (0,1]). */
void tui_smooth(const double *in, double *out, size_t n, double alpha);

#endif
