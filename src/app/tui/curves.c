/* curves.c — the loss and metrics plots of a run (see curves.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/tui/curves.h"
#include "app/tui/plot.h"

static const char *const xnames[TUI_X_COUNT] = {"epoch", "step", "time"};

const char *tui_xmode_name(int m) { return m >= 0 && m < TUI_X_COUNT ? xnames[m] : "?"; }

int tui_xmode_parse(const char *s)
{
    for (int i = 0; i < TUI_X_COUNT; i++)
        if (!strcmp(s, xnames[i])) return i;
    if (!strcmp(s, "epochs")) return TUI_X_EPOCH;
    if (!strcmp(s, "steps")) return TUI_X_STEP;
    if (!strcmp(s, "wall") || !strcmp(s, "wall-time")) return TUI_X_TIME;
    return -1;
}

double tui_smooth_parse(const char *s)
{
    char *e = NULL;
    double x = s ? strtod(s, &e) : NAN;
    return s && e != s && !*e && x >= 0 && x <= 0.99 ? x : NAN;
}

unsigned tui_series_bit(const char *n)
{
    static const struct { const char *name; unsigned bit; } t[] = {
        {"batch", TUI_S_BATCH}, {"train", TUI_S_TRAIN}, {"valid", TUI_S_VALID},
        {"f1", TUI_S_F1}, {"F1", TUI_S_F1}, {"pr-auc", TUI_S_PRAUC}, {"PR-AUC", TUI_S_PRAUC}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (!strcmp(n, t[i].name)) return t[i].bit;
    return 0;
}

void tui_curve_view_init(tui_curve_view *v)
{
    memset(v, 0, sizeof *v);
    v->xmode = TUI_X_EPOCH;
    v->smooth = 0.95;
    v->cursor_x = NAN;
}

/* wall time at the end of epoch e (0 = start): the sum of the epochs' seconds */
static double t_epoch(const tui_curve_data *d, size_t e)
{
    double t = 0;
    for (size_t i = 0; i < e && i < d->n_hist; i++) t += d->hist[i].seconds;
    return t;
}

/* x of batch i (0-based over the run) and of the end of epoch e (1-based) */
static double x_batch(const tui_curve_data *d, int mode, size_t i, const double *tcum)
{
    long bpe = d->batches_per_epoch;
    if (mode == TUI_X_STEP || bpe <= 0) return (double)(i + 1);
    if (mode == TUI_X_EPOCH) return (double)(i + 1) / (double)bpe;
    size_t ep = i / (size_t)bpe, b = i % (size_t)bpe;
    double t0 = tcum[ep < d->n_hist ? ep : d->n_hist];
    if (ep < d->n_hist) return t0 + (double)(b + 1) / (double)bpe * d->hist[ep].seconds;
    /* the epoch running now: its batches spread evenly up to the elapsed time */
    size_t done = d->n_batch - ep * (size_t)bpe;
    double span = d->elapsed_s > t0 ? d->elapsed_s - t0 : 0;
    return t0 + (double)(b + 1) / (double)(done ? done : 1) * span;
}

static double x_epoch(const tui_curve_data *d, int mode, size_t e, const double *tcum)
{
    if (mode == TUI_X_EPOCH) return (double)e;
    if (mode == TUI_X_STEP) return (double)e * (double)(d->batches_per_epoch > 0 ? d->batches_per_epoch : 1);
    return tcum[e <= d->n_hist ? e : d->n_hist];
}

/* the smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 x 10^k at or above v (so the data fills >= 2/3) */
static double nice_ceil(double v)
{
    if (!(v > 0)) return 1;
    double p = pow(10, floor(log10(v)));
    static const double m[] = {1, 1.5, 2, 3, 4, 5, 6, 8, 10};
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (m[i] * p >= v * (1 - 1e-9)) return m[i] * p;
    return 10 * p;
}

/* The metrics pane's y-range: the shown series' values (F1 and PR-AUC live in 0..1) with
 * a margin, on a 0.05 grid, at least 0.2 tall, within 0..1 -- so that a run at F1 0.27 and
 * PR-AUC 0.17 is not two flat lines at the bottom of a 0..1 axis.  No values: 0..1. */
static void metric_yrange(const double *f1, const double *pr, size_t n, unsigned hide, double *lo, double *hi)
{
    double a = INFINITY, b = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!(hide & TUI_S_F1) && isfinite(f1[i])) { a = fmin(a, f1[i]); b = fmax(b, f1[i]); }
        if (!(hide & TUI_S_PRAUC) && isfinite(pr[i])) { a = fmin(a, pr[i]); b = fmax(b, pr[i]); }
    }
    if (!(a <= b)) { *lo = 0; *hi = 1; return; }
    double pad = fmax(0.1 * (b - a), 0.02);
    a = floor((a - pad) * 20) / 20;
    b = ceil((b + pad) * 20) / 20;
    if (b - a < 0.2) { double mid = 0.5 * (a + b); a = floor((mid - 0.1) * 20) / 20; b = a + 0.2; }
    if (a < 0) { b -= a; a = 0; }
    if (b > 1) { a -= b - 1; b = 1; }
    *lo = a < 0 ? 0 : a;
    *hi = b;
}

static double *cum_times(const tui_curve_data *d)
{
    double *t = malloc((d->n_hist + 1) * sizeof *t);
    if (!t) return NULL;
    t[0] = 0;
    for (size_t i = 0; i < d->n_hist; i++) t[i + 1] = t[i] + d->hist[i].seconds;
    return t;
}

void tui_curves_xrange(const tui_curve_data *d, const tui_curve_view *v, double *xmin, double *xmax)
{
    int mode = v->xmode;
    long bpe = d->batches_per_epoch > 0 ? d->batches_per_epoch : 1;
    double seen = 0, planned = 0;
    double tlast = t_epoch(d, d->n_hist);
    if (mode == TUI_X_EPOCH) {
        seen = fmax((double)d->n_hist, (double)d->n_batch / (double)bpe);
        planned = d->epochs;
    } else if (mode == TUI_X_STEP) {
        seen = fmax((double)d->n_hist * (double)bpe, (double)d->n_batch);
        planned = (double)d->epochs * (double)bpe;
    } else {
        seen = d->elapsed_s > tlast ? d->elapsed_s : tlast;
        planned = d->eta_s > 0 ? seen + d->eta_s : 0;
    }
    double hi;
    if (mode == TUI_X_EPOCH) hi = seen > 0 ? ceil(seen - 1e-9) : 1;
    else hi = nice_ceil(seen > 0 ? seen : (mode == TUI_X_STEP ? (double)bpe : 10));
    if (planned > 0 && hi > planned) hi = planned;
    if (!(hi > 0)) hi = 1;
    *xmin = 0;
    *xmax = hi;
}

double tui_curves_xstep(const tui_curve_data *d, const tui_curve_view *v, int w)
{
    double lo, hi;
    tui_curves_xrange(d, v, &lo, &hi);
    int cols = w - 8;   /* the plot's label column, axis and box */
    return (hi - lo) / (cols > 1 ? cols - 1 : 1);
}

int tui_curves_draw(tui_canvas *cv, tui_rect r, const char *title, const tui_curve_data *d,
                    const tui_curve_view *v, int metrics, int braille)
{
    char t[128];
    snprintf(t, sizeof t, "%s%s", title, !metrics && v->logy ? " · log y" : "");
    if (!cv->unicode && !metrics && v->logy) snprintf(t, sizeof t, "%s, log y", title);
    tui_box(cv, r, t, TC_BORDER);
    tui_rect in = {r.x + 1, r.y + 1, r.w - 2, r.h - 2};
    size_t n = d->n_hist, nbl = metrics ? 0 : d->n_batch;
    if (n == 0 && nbl == 0) {
        const char *m = d->empty ? d->empty : metrics ? "F1 and PR-AUC after the first epoch"
                                : "no run yet: t trains with these settings";
        tui_puts(cv, in.x + 2, in.y + in.h / 2, in.w - 4, m, TC_DIM, 0);
        return 0;
    }
    int drawn = 0;
    size_t cap = (n > nbl ? n : nbl) + 1;
    double *ya = calloc(cap, sizeof *ya), *yb = calloc(cap, sizeof *yb), *xe = calloc(cap, sizeof *xe);
    double *xs = calloc(cap, sizeof *xs), *raw = calloc(cap, sizeof *raw), *sm = calloc(cap, sizeof *sm);
    double *tcum = cum_times(d);
    if (!ya || !yb || !xe || !xs || !raw || !sm || !tcum) goto out;
    tui_plot_opts o;
    tui_plot_opts_init(&o);
    o.braille = braille;
    o.xlabel = tui_xmode_name(v->xmode);
    o.xtime = v->xmode == TUI_X_TIME;
    tui_curves_xrange(d, v, &o.xmin, &o.xmax);
    o.xspan_min = 0;
    o.marker_gap = 10;
    if (v->cursor) o.cursor_x = isnan(v->cursor_x) ? o.xmax : v->cursor_x;
    for (size_t i = 0; i < n; i++) {
        ya[i] = metrics ? d->hist[i].valid.f1 : d->hist[i].train_loss;
        yb[i] = metrics ? d->hist[i].valid.pr_auc : d->hist[i].valid_loss;
        xe[i] = x_epoch(d, v->xmode, i + 1, tcum);
    }
    /* Without colour the series differ by marker and stroke: ● solid, ▲ dotted, + for the
     * batches (whose raw curve is the faint one behind). */
    tui_series s[4];
    tui_style st[4];
    memset(st, 0, sizeof st);
    int ns = 0;
    if (metrics) {
        metric_yrange(ya, yb, n, v->hide, &o.ymin, &o.ymax);
        st[ns].hidden = !!(v->hide & TUI_S_F1);
        s[ns++] = (tui_series){ya, xe, n, TC_S1, L'●', "F1"};
        st[ns].hidden = !!(v->hide & TUI_S_PRAUC); st[ns].dotted = 1;
        s[ns++] = (tui_series){yb, xe, n, TC_S2, L'▲', "PR-AUC"};
    } else {
        o.robust = 1;
        o.logy = v->logy;
        if (nbl) {
            for (size_t i = 0; i < nbl; i++) { raw[i] = d->batch_loss[i]; xs[i] = x_batch(d, v->xmode, i, tcum); }
            double w = v->smooth < 0 ? 0 : v->smooth > 0.999 ? 0.999 : v->smooth;
            int hidden = !!(v->hide & TUI_S_BATCH);
            if (w > 0) {
                tui_smooth_debiased(raw, sm, nbl, w);
                st[ns].faint = 1; st[ns].hidden = hidden;
                s[ns++] = (tui_series){raw, xs, nbl, TC_S3, 0, NULL};
            }
            st[ns].hidden = hidden; st[ns].dense = 1;
            s[ns++] = (tui_series){w > 0 ? sm : raw, xs, nbl, TC_S3, L'+', "batch"};
        }
        st[ns].hidden = !!(v->hide & TUI_S_TRAIN);
        s[ns++] = (tui_series){ya, xe, n, TC_S1, L'●', "train"};
        st[ns].hidden = !!(v->hide & TUI_S_VALID); st[ns].dotted = 1;
        s[ns++] = (tui_series){yb, xe, n, TC_S2, L'▲', "valid"};
    }
    o.style = st;
    drawn = tui_plot(cv, in, s, ns, &o);
out:
    free(ya); free(yb); free(xe); free(xs); free(raw); free(sm); free(tcum);
    return drawn;
}
