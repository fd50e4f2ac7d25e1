/* curves.h — the loss and metrics plots of a run (live or saved), as a person watches
 * them: an x axis that covers the data seen so far (epochs, optimiser steps or wall
 * time), a robust y range, smoothing with the raw curve faint behind, log y, series on and
 * off, a cursor that reads out every series.  Pure: draws into a canvas from the data and
 * the view settings (unit-tested in tests/test_tui_draw.c). */
#ifndef CLICKSEQ_TUI_CURVES_H
#define CLICKSEQ_TUI_CURVES_H

#include "app/tui/canvas.h"
#include "clickseq/train.h"

enum tui_xmode { TUI_X_EPOCH = 0, TUI_X_STEP, TUI_X_TIME, TUI_X_COUNT };
const char *tui_xmode_name(int m);          /* "epoch", "step", "time" */
int tui_xmode_parse(const char *s);         /* -1 when unknown */
/* A smoothing weight as `:plot smooth W` takes it (0 raw .. 0.99); NAN when s is not one. */
double tui_smooth_parse(const char *s);

/* Series bits for tui_curve_view.hide: loss plot and metrics plot. */
enum { TUI_S_BATCH = 1, TUI_S_TRAIN = 2, TUI_S_VALID = 4, TUI_S_F1 = 8, TUI_S_PRAUC = 16 };
/* "batch" "train" "valid" "f1" "pr-auc" -> bit; 0 when unknown */
unsigned tui_series_bit(const char *name);

typedef struct tui_curve_view {
    int xmode;          /* TUI_X_* */
    double smooth;      /* weight of the past in the EMA of the batch loss, 0..0.99
                           (TensorBoard's slider, debiased; default 0.95);
                           0 = the raw curve only */
    int logy;           /* log y on the loss plot */
    unsigned hide;      /* TUI_S_* bits of the series switched off */
    int cursor;         /* 1: the cursor is shown at cursor_x */
    double cursor_x;    /* in the units of xmode */
} tui_curve_view;
void tui_curve_view_init(tui_curve_view *v);

/* What a run has to show: its history and batches (a snapshot, or a saved run). */
typedef struct tui_curve_data {
    const cs_epoch *hist; size_t n_hist;
    const float *batch_loss; size_t n_batch;
    long batches_per_epoch;   /* 0 when unknown */
    int epochs;               /* planned */
    double elapsed_s, eta_s;  /* wall time so far and to go (time axis) */
    const char *empty;        /* shown when there is nothing yet (NULL: "no run yet: t trains...") */
} tui_curve_data;

/* The x range the plots use now: [0, seen so far rounded up], at most the planned length. */
void tui_curves_xrange(const tui_curve_data *d, const tui_curve_view *v, double *xmin, double *xmax);
/* One cursor step (a plot column's worth of x) for a plot of width w columns. */
double tui_curves_xstep(const tui_curve_data *d, const tui_curve_view *v, int w);

/* A boxed plot in r: the loss (metrics = 0: batch, train, valid) or the validation
 * metrics (metrics = 1: F1, PR-AUC).  Returns the number of points drawn. */
int tui_curves_draw(tui_canvas *cv, tui_rect r, const char *title, const tui_curve_data *d,
                    const tui_curve_view *v, int metrics, int braille);

#endif
