/* test_tui_curves.c — plots that follow a run (curves.c over plot.c): the x axis grows with
 * the data seen, the y range ignores the first-batch spike and keeps the epoch curves off
 * the bottom row (with a mark when points are clipped), smoothing with the raw curve faint
 * behind, log y, series on and off, the cursor readout, and series told apart without
 * colour (markers in the plot and the legend, dotted vs solid). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "app/tui/canvas.h"
#include "app/tui/curves.h"
#include "app/tui/plot.h"

static char row[4096];

/* A run at the start of epoch 4 of 30: 100 batches an epoch; the first batches are a
 * spike (2.7 down to 0.9), then the loss settles around 0.5 with noise. */
typedef struct fake_run {
    cs_epoch hist[30];
    float bl[3100];
    tui_curve_data d;
} fake_run;

static void fake_init(fake_run *f, size_t epochs_done, size_t batches)
{
    memset(f, 0, sizeof *f);
    for (size_t i = 0; i < batches; i++) {
        double spike = i < 8 ? 2.7 - 0.25 * (double)i : 0;
        double noise = 0.04 * sin((double)i * 1.7);
        f->bl[i] = (float)(spike > 0.5 ? spike : 0.5 - 0.00005 * (double)i + noise);
    }
    for (size_t e = 0; e < epochs_done; e++) {
        f->hist[e].epoch = (int)e + 1;
        f->hist[e].train_loss = 0.62 - 0.03 * (double)e;
        f->hist[e].valid_loss = 0.58 - 0.02 * (double)e;
        f->hist[e].valid.f1 = 0.2 + 0.02 * (double)e;
        f->hist[e].valid.pr_auc = 0.55 + 0.01 * (double)e;
        f->hist[e].seconds = 10;
    }
    f->d = (tui_curve_data){f->hist, epochs_done, f->bl, batches, 100, 30, 10.0 * (double)epochs_done + 1, 270, NULL};
}

/* plot rows are 1..h-3 inside the box (row h-2 is the x axis); columns from px */
static int count_in_plot(const tui_canvas *cv, wchar_t ch, int y0, int y1, int x0)
{
    int n = 0;
    for (int y = y0; y <= y1; y++)
        for (int x = x0; x < cv->w - 1; x++)
            n += cv->c[y * cv->w + x].ch == ch;
    return n;
}

static void dump(const tui_canvas *cv)
{
    if (!getenv("DUMP")) return;
    for (int y = 0; y < cv->h; y++) fprintf(stderr, "%s\n", tui_canvas_row(cv, y, row, sizeof row));
}

static int is_curve(wchar_t c) { return (c >= 0x2801 && c <= 0x28FF) || c == L'●' || c == L'▲' || c == L'+'; }

static void test_x_axis_grows_with_the_data(void **st)
{
    (void)st;
    fake_run *f = malloc(sizeof *f);
    tui_curve_view v;
    tui_curve_view_init(&v);
    double lo, hi;
    fake_init(f, 0, 30);                       /* a third into the first epoch */
    tui_curves_xrange(&f->d, &v, &lo, &hi);
    assert_true(lo == 0 && hi == 1);
    fake_init(f, 3, 310);                      /* epoch 4 of 30 just begun */
    tui_curves_xrange(&f->d, &v, &lo, &hi);
    assert_true(hi == 4);
    v.xmode = TUI_X_STEP;
    tui_curves_xrange(&f->d, &v, &lo, &hi);
    assert_true(hi == 400);                    /* 310 steps -> 400 (the data fills >= 2/3) */
    v.xmode = TUI_X_TIME;
    tui_curves_xrange(&f->d, &v, &lo, &hi);
    assert_true(hi == 40);                     /* 31 s -> 40 s */
    fake_init(f, 30, 3000);                    /* the whole run: the planned length */
    v.xmode = TUI_X_EPOCH;
    tui_curves_xrange(&f->d, &v, &lo, &hi);
    assert_true(hi == 30);
    assert_int_equal(tui_xmode_parse("step"), TUI_X_STEP);
    assert_int_equal(tui_xmode_parse("wall"), TUI_X_TIME);
    assert_int_equal(tui_xmode_parse("hours"), -1);
    free(f);
}

/* A plot of the run at the start of epoch 4 of 30 (fake_init(3, 310)) on a w x h canvas. */
typedef struct plot {
    fake_run *f;
    tui_curve_view v;
    tui_canvas cv;
} plot;

static void plot_open(plot *p, int w, int h, int unicode)
{
    p->f = malloc(sizeof *p->f);
    assert_non_null(p->f);
    fake_init(p->f, 3, 310);
    tui_curve_view_init(&p->v);
    tui_canvas_init(&p->cv, w, h, unicode);
}

/* Draw the loss plot (metrics 0) or the metrics plot on a cleared canvas. */
static void plot_draw(plot *p, const char *title, int metrics)
{
    tui_canvas_clear(&p->cv);
    tui_curves_draw(&p->cv, (tui_rect){0, 0, p->cv.w, p->cv.h}, title, &p->f->d, &p->v, metrics, 1);
}

/* A w x h plot of the fake run at epoch 3, drawn once (DUMP=1 prints it): its canvas. */
static tui_canvas *plot_shown(plot *p, int w, int h, const char *title, int metrics)
{
    plot_open(p, w, h, 1);
    plot_draw(p, title, metrics);
    dump(&p->cv);
    return &p->cv;
}

static void plot_close(plot *p)
{
    tui_canvas_free(&p->cv);
    free(p->f);
}

/* Braille cells drawn dim (the raw curve behind a smoothed one). */
static int dim_cells(const tui_canvas *cv)
{
    int dim = 0;
    for (int i = 0; i < cv->w * cv->h; i++)
        dim += cv->c[i].ch > 0x2800 && cv->c[i].ch <= 0x28FF && cv->c[i].color == TC_DIM;
    return dim;
}

static void test_loss_plot_at_epoch_3_spans_and_sits_off_the_bottom(void **st)
{
    (void)st;
    plot p;
    tui_canvas *cv = plot_shown(&p, 56, 12, "Loss", 0);
    int px = 7, y0 = 1, y1 = 12 - 3;   /* box + label column; rows above the x axis */
    /* the curves span most of the width (x covers 0..4 epochs, not 0..30) */
    int minx = 1000, maxx = -1;
    for (int y = y0; y <= y1; y++)
        for (int x = px; x < 55; x++)
            if (is_curve(cv->c[y * cv->w + x].ch)) { if (x < minx) minx = x; if (x > maxx) maxx = x; }
    assert_true(maxx - minx + 1 >= (55 - px) * 3 / 4);
    /* the spike does not set the range: the top label is well below 2.7 */
    double top = NAN;
    assert_int_equal(sscanf(tui_canvas_row(cv, 1, row, sizeof row), "│%lf", &top), 1);
    assert_true(top < 1.0);
    /* ... and the clipped points are marked */
    assert_true(tui_canvas_find(cv, "clipped"));
    /* the epoch markers are off the bottom plot row, and there are three of each */
    assert_int_equal(count_in_plot(cv, L'●', y1, y1, px), 0);
    assert_int_equal(count_in_plot(cv, L'▲', y1, y1, px), 0);
    assert_int_equal(count_in_plot(cv, L'●', y0 + 1, y1, px), 3);
    assert_int_equal(count_in_plot(cv, L'▲', y0 + 1, y1, px), 3);
    /* the batch curve shows its marker too, and the legend shows every marker */
    assert_true(count_in_plot(cv, L'+', y0 + 1, y1, px) >= 2);
    assert_true(tui_canvas_find(cv, "+ batch ● train ▲ valid"));
    assert_true(tui_canvas_find(cv, "epoch 4"));
    plot_close(&p);
}

/* The metrics plot's y-range follows the values (F1 0.20-0.24, PR-AUC 0.55-0.57 in the
 * fake run): not 0..1, where such curves are flat lines; within 0..1, on a 0.05 grid; the
 * epoch markers sit inside the plot, off its top and bottom rows. */
static void test_metrics_y_range_follows_the_values(void **st)
{
    (void)st;
    plot p;
    tui_canvas *cv = plot_shown(&p, 56, 14, "F1 / PR-AUC", 1);
    int px = 7, y0 = 1, y1 = 14 - 3;
    double top = NAN, bottom = NAN;
    assert_int_equal(sscanf(tui_canvas_row(cv, y0, row, sizeof row), "│%lf", &top), 1);
    assert_int_equal(sscanf(tui_canvas_row(cv, y1, row, sizeof row), "│%lf", &bottom), 1);
    assert_true(top < 1.0 && top >= 0.57);
    assert_true(bottom > 0.0 && bottom <= 0.2);
    assert_true(fabs(top * 20 - round(top * 20)) < 1e-9);
    assert_int_equal(count_in_plot(cv, L'●', y0 + 1, y1 - 1, px), 3);
    assert_int_equal(count_in_plot(cv, L'▲', y0 + 1, y1 - 1, px), 3);
    /* with PR-AUC switched off, the range closes in on F1 alone */
    p.v.hide |= TUI_S_PRAUC;
    plot_draw(&p, "F1 / PR-AUC", 1);
    double top2 = NAN;
    assert_int_equal(sscanf(tui_canvas_row(cv, y0, row, sizeof row), "│%lf", &top2), 1);
    assert_true(top2 < 0.5);
    plot_close(&p);
}

static void test_monochrome_ascii_markers_and_strokes(void **st)
{
    (void)st;
    plot p;
    plot_open(&p, 56, 12, 0);              /* no Unicode: ASCII glyphs */
    plot_draw(&p, "Loss", 0);
    dump(&p.cv);
    assert_true(tui_canvas_find(&p.cv, "+ batch o train ^ valid"));
    assert_int_equal(count_in_plot(&p.cv, L'o', 2, 9, 7), 3);
    assert_int_equal(count_in_plot(&p.cv, L'^', 2, 9, 7), 3);
    plot_close(&p);
    /* metrics: F1 and PR-AUC differ by marker too */
    plot_open(&p, 56, 12, 1);
    plot_draw(&p, "F1 / PR-AUC", 1);
    assert_true(tui_canvas_find(&p.cv, "● F1 ▲ PR-AUC"));
    assert_int_equal(count_in_plot(&p.cv, L'●', 2, 9, 7), 3);
    plot_close(&p);
    tui_canvas cv;
    /* a dotted stroke sets fewer dots than a solid one along the same line */
    double y[2] = {1, 0};
    tui_series s = {y, NULL, 2, TC_S1, 0, NULL};
    int dots[2];
    for (int dotted = 0; dotted < 2; dotted++) {
        tui_style sty = {dotted, 0, 0, 0};
        tui_plot_opts o;
        tui_plot_opts_init(&o);
        o.style = &sty;
        o.legend = 0;
        tui_canvas_init(&cv, 30, 10, 1);
        tui_plot(&cv, (tui_rect){0, 0, 30, 10}, &s, 1, &o);
        dots[dotted] = 0;
        for (int i = 0; i < 300; i++)
            if (cv.c[i].ch > 0x2800 && cv.c[i].ch <= 0x28FF)
                for (unsigned b = cv.c[i].ch - 0x2800; b; b &= b - 1) dots[dotted]++;
        tui_canvas_free(&cv);
    }
    assert_true(dots[1] > 0 && dots[1] * 2 < dots[0]);
}

static void test_smoothing_raw_faint_hide_logy(void **st)
{
    (void)st;
    plot p;
    plot_open(&p, 56, 12, 1);
    tui_canvas *cv = &p.cv;
    /* smoothing on: some curve cells are dim (the raw curve behind) */
    plot_draw(&p, "Loss", 0);
    assert_true(dim_cells(cv) > 0);
    /* smoothing off: no faint curve */
    p.v.smooth = 0;
    plot_draw(&p, "Loss", 0);
    assert_int_equal(dim_cells(cv), 0);
    /* the batch series off: no '+' in the plot, its legend entry stays (dim) */
    p.v.smooth = 0.9;
    p.v.hide = TUI_S_BATCH;
    plot_draw(&p, "Loss", 0);
    assert_int_equal(count_in_plot(cv, L'+', 2, 9, 7), 0);
    assert_true(tui_canvas_find(cv, "+ batch"));
    assert_int_equal(count_in_plot(cv, L'●', 1, 9, 7), 3 + 1);   /* and the legend */
    /* log y: the title says so and the labels are still the data's values */
    p.v.hide = 0;
    p.v.logy = 1;
    plot_draw(&p, "Loss", 0);
    assert_true(tui_canvas_find(cv, "Loss · log y"));
    double top = NAN, bottom = NAN;
    sscanf(tui_canvas_row(cv, 1, row, sizeof row), "│%lf", &top);
    sscanf(tui_canvas_row(cv, 9, row, sizeof row), "│%lf", &bottom);
    assert_true(top > 0.5 && top < 1.0);
    assert_true(bottom > 0.2 && bottom < 0.5);
    plot_close(&p);
}

static void test_cursor_reads_out_every_series(void **st)
{
    (void)st;
    plot p;
    plot_open(&p, 70, 12, 1);
    p.v.cursor = 1;
    p.v.cursor_x = 2;
    plot_draw(&p, "Loss", 0);
    tui_canvas_row(&p.cv, 10, row, sizeof row);   /* the x axis row holds the readout */
    assert_non_null(strstr(row, "@2"));
    assert_non_null(strstr(row, "●train 0.59"));
    assert_non_null(strstr(row, "▲valid 0.56"));
    assert_non_null(strstr(row, "+batch 0."));
    assert_true(tui_canvas_find(&p.cv, "┊"));
    /* one step is a column's worth of x */
    double step = tui_curves_xstep(&p.f->d, &p.v, 70);
    assert_true(fabs(step - 4.0 / 61) < 1e-9);
    plot_close(&p);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_x_axis_grows_with_the_data),
        cmocka_unit_test(test_loss_plot_at_epoch_3_spans_and_sits_off_the_bottom),
        cmocka_unit_test(test_metrics_y_range_follows_the_values),
        cmocka_unit_test(test_monochrome_ascii_markers_and_strokes),
        cmocka_unit_test(test_smoothing_raw_faint_hide_logy),
        cmocka_unit_test(test_cursor_reads_out_every_series),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
