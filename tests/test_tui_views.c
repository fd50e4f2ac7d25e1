/* test_tui_views.c — the workbench's screens drawn from state into a canvas, without a
 * terminal: compare (markers, metrics table, differing parameters), replay (the epoch
 * shown follows the position), the main screen (live snapshot) at 80x24 and 160x48. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <stdatomic.h>
#include <cmocka.h>
#include <ncurses.h>

#include "app/tui/app.h"
#include "clickseq/clock.h"
#include "test_run_util.h"

static tui_app app;
static char row[8192];

/* A fresh workbench: the shared state zeroed and every screen's own state reset. */
static void reset_app(void)
{
    memset(&app, 0, sizeof app);
    tui_screens_reset();
}

/* A fresh workbench drawing its curves in braille. */
static void reset_braille_app(void)
{
    reset_app();
    app.braille = 1;
}

/* The workbench's snapshot of run r training: its first `epoch` epochs done of `epochs`,
 * batch `batch` of 4, 412k events/s, eta_s seconds left. */
static void live_snap(tui_run *r, int epoch, int epochs, int batch, double eta_s)
{
    app.snap.hist = r->hist;
    app.snap.n_hist = (size_t)epoch;
    app.snap.epoch = epoch; app.snap.epochs = epochs; app.snap.batch = batch; app.snap.batches = 4;
    app.snap.state = CS_RUN_RUNNING;
    app.snap.events_per_s = 412000;
    app.snap.eta_s = eta_s;
    app.have_snap = 1;
}

/* The sizes the layout tests draw at. */
static const int SIZES[3][2] = {{80, 24}, {120, 36}, {160, 48}};

/* The narrowest and a wide size, for the views drawn at both. */
static const int NARROW_WIDE[2][2] = {{80, 24}, {160, 48}};

/* A fresh workbench with the default settings and data loaded. */
static void reset_app_with_data(void)
{
    reset_app();
    cs_run_config_init(&app.cfg);
    app.data_ok = 1;
}

/* A run whose epoch e has tp = 10 * e + base (so each epoch is recognisable). */
static void fake_run(tui_run *r, const char *name, const char *cell, const char *hidden, int n,
                     int base, double f1)
{
    memset(r, 0, sizeof *r);
    snprintf(r->name, sizeof r->name, "%s", name);
    cs_run_config_init(&r->cfg);
    assert_int_equal(cs_param_set(&r->cfg, "cell", cell, NULL), CS_OK);
    assert_int_equal(cs_param_set(&r->cfg, "hidden", hidden, NULL), CS_OK);
    r->hist = calloc((size_t)n, sizeof *r->hist);
    r->n_hist = (size_t)n;
    r->batch_loss = calloc((size_t)n * 4, sizeof(float));
    r->n_batch_loss = (size_t)n * 4;
    for (int e = 0; e < n; e++) {
        cs_epoch *h = &r->hist[e];
        h->epoch = e + 1;
        h->train_loss = 1.0 / (e + 1);
        h->valid_loss = 1.1 / (e + 1);
        h->valid.cm.tp = 10 * (e + 1) + base;
        h->valid.cm.fn = 5; h->valid.cm.fp = 7; h->valid.cm.tn = 900;
        h->valid.f1 = f1 * (e + 1) / n;
        h->valid.pr_auc = f1 * 0.9 * (e + 1) / n;
        h->valid.roc_auc = 0.8;
        h->valid.threshold = 0.5;
        for (int b = 0; b < 4; b++) r->batch_loss[e * 4 + b] = (float)(1.2 / (e + 1));
    }
    r->test = r->hist[n - 1].valid;
    r->best_epoch = n;
    r->nparams = 1000;
}

static int row_from(tui_canvas *cv, const char *text, int y0)
{
    for (int y = y0; y < cv->h; y++)
        if (strstr(tui_canvas_row(cv, y, row, sizeof row), text)) return y;
    return -1;
}

static int row_with(tui_canvas *cv, const char *text)
{
    for (int y = 0; y < cv->h; y++)
        if (strstr(tui_canvas_row(cv, y, row, sizeof row), text)) return y;
    return -1;
}

/* A saved run of cell with seed: n epochs, and test scores on 60 sessions where a higher
 * quality q ranks more buyers first. */
static void fake_cs_run(cs_run *r, const char *name, const char *cell, uint64_t seed, int n, double q)
{
    tu_fake_run(r, name, cell, seed, n);
    for (int e = 0; e < n; e++) {
        r->hist[e].seconds = 1;
        r->hist[e].valid.f1 = q * (e + 1) / n + 0.01 * (double)seed;
        r->hist[e].valid.pr_auc = q * (e + 1) / n;
    }
    size_t ns = 60;
    cs_scores *sc = &r->scores;
    sc->n = ns;
    sc->index = calloc(ns, sizeof *sc->index);
    sc->label = calloc(ns, 1);
    sc->prob = calloc(ns, sizeof *sc->prob);
    for (size_t i = 0; i < ns; i++) {
        sc->index[i] = i;
        sc->label[i] = i % 3 == 0;
        /* buyers score q (+ noise by seed), others spread below 0.9 */
        sc->prob[i] = sc->label[i] ? (float)(q - 0.002 * (double)((i * 7 + seed) % 10)) : (float)(0.9 * (double)((i * 13) % 60) / 60.0);
    }
    sc->key = 42;
    r->has_scores = r->has_test = 1;
    r->threshold = 0.5;
    r->test.pr_auc = cs_cmp_run_metric(r, CS_CMP_PR_AUC);
    r->test.roc_auc = cs_cmp_run_metric(r, CS_CMP_ROC_AUC);
    r->test.f1 = cs_cmp_run_metric(r, CS_CMP_F1);
    r->test.n = (long)ns;
    r->nparams = 1000;
}

static void test_compare_groups_bands_verdicts(void **st)
{
    (void)st;
    for (int s = 0; s < 2; s++) {
        reset_braille_app();
        cs_run *runs = calloc(4, sizeof *runs);
        fake_cs_run(&runs[0], "gru-s1", "gru", 1, 6, 0.95);
        fake_cs_run(&runs[1], "gru-s2", "gru", 2, 6, 0.96);
        fake_cs_run(&runs[2], "lstm-s1", "lstm", 1, 6, 0.50);
        fake_cs_run(&runs[3], "lstm-s2", "lstm", 2, 6, 0.52);
        assert_int_equal(tui_compare_show(&app, runs, 4), R_REDRAW);
        tui_compare_state *cs = tui_compare();
        cs->metric = TUI_CMP_PRAUC;
        tui_canvas cv;
        tui_canvas_init(&cv, NARROW_WIDE[s][0], NARROW_WIDE[s][1], 1);
        tui_draw(&app, &cv);
        assert_true(row_with(&cv, "compare: 2 groups, 4 runs") == 0);
        /* the group's mean ± std in the table, the verdict line of the bootstrap */
        int yt = row_with(&cv, "Groups: test metrics");
        assert_true(yt > 0);
        int yg = row_from(&cv, "gru ", yt + 1);
        assert_true(yg > yt);
        assert_non_null(strstr(tui_canvas_row(&cv, yg, row, sizeof row), "±"));
        int yv = row_with(&cv, "gru − lstm PR-AUC +");
        assert_true(yv > yg);
        assert_non_null(strstr(row, ": gru higher"));
        /* the band: faint (dim) cells of the group's colour besides its mean curve */
        int mean_cells = 0, faint_cells = 0;
        for (int y = 2; y < yt; y++)
            for (int x = 0; x < cv.w; x++) {
                tui_cell *c = tui_canvas_at(&cv, x, y);
                if (c->color == TC_S1 && c->ch >= 0x2800 && c->ch <= 0x28ff) mean_cells++;
                if (c->color == TC_DIM && c->ch >= 0x2800 && c->ch <= 0x28ff) faint_cells++;
            }
        assert_true(mean_cells > 3);
        (void)faint_cells;
        tui_canvas_free(&cv);
        tui_screens_reset();
    }
}

/* braille cells of colour c in rows y0..y1-1 */
static int braille_cells(tui_canvas *cv, int y0, int y1, int c)
{
    int n = 0;
    for (int y = y0; y < y1; y++)
        for (int x = 0; x < cv->w; x++) {
            tui_cell *k = tui_canvas_at(cv, x, y);
            if (k->color == c && k->ch > 0x2800 && k->ch <= 0x28ff) n++;
        }
    return n;
}

/* "mean±std" of two values as the table prints it */
static void mean_sd(double a, double b, char *out, size_t n)
{
    double m = (a + b) / 2;
    snprintf(out, n, "%.3f±%.3f", m, sqrt((a - m) * (a - m) + (b - m) * (b - m)));
}

static void draw_fresh(tui_canvas *cv, int w, int h)
{
    tui_canvas_free(cv);
    tui_canvas_init(cv, w, h, 1);
    tui_draw(&app, cv);
}

/* The compare plot reads: the cursor (Left/Right/Home) writes every group's value at its
 * epoch above the plot; each run's best epoch is marked on its group's curve; loss draws
 * train and validation together; smoothing keeps the raw mean faint behind; the table's
 * curve view has min / max / at-best per run (mean ± std) and sorts by them. */
static void test_compare_cursor_best_smooth_table(void **st)
{
    (void)st;
    reset_braille_app();
    cs_run *runs = calloc(4, sizeof *runs);
    fake_cs_run(&runs[0], "gru-s1", "gru", 1, 6, 0.95);
    fake_cs_run(&runs[1], "gru-s2", "gru", 2, 6, 0.96);
    fake_cs_run(&runs[2], "lstm-s1", "lstm", 1, 6, 0.50);
    fake_cs_run(&runs[3], "lstm-s2", "lstm", 2, 6, 0.52);
    runs[0].best_epoch = 3;   /* gru-s1 was best at epoch 3 */
    for (int j = 0; j < 4; j++)   /* lstm's losses twice gru's: the curves do not overlap */
        for (size_t e = 0; e < runs[j].n_hist; e++) {
            runs[j].hist[e].train_loss = (j < 2 ? 0.5 : 1.5) / (double)(e + 1);
            runs[j].hist[e].valid_loss *= j < 2 ? 1 : 2;
        }
    assert_int_equal(tui_compare_show(&app, runs, 4), R_REDRAW);
    tui_compare_state *cs = tui_compare();
    cs->metric = TUI_CMP_PRAUC;
    tui_canvas cv;
    tui_canvas_init(&cv, 120, 40, 1);
    tui_draw(&app, &cv);
    assert_true(row_with(&cv, "● gru (2)") == 1);   /* the legend, no cursor yet */

    /* the cursor: Left shows it at the right end (epoch 6), Left again moves to epoch 5 */
    assert_int_equal(tui_handle_key(&app, KEY_LEFT, 1), R_REDRAW);
    assert_true(cs->cursor && cs->cursor_x == 6);
    assert_int_equal(tui_handle_key(&app, KEY_LEFT, 1), R_REDRAW);
    draw_fresh(&cv, 120, 40);
    char want[64], v[32];
    assert_true(row_with(&cv, "@ epoch 5:") == 1);
    snprintf(want, sizeof want, "gru %s", tui_fmt_num((0.95 + 0.96) / 2 * 5 / 6, v, sizeof v));   /* pr_auc = q * e / n */
    assert_non_null(strstr(tui_canvas_row(&cv, 1, row, sizeof row), want));
    snprintf(want, sizeof want, "lstm %s", tui_fmt_num((0.50 + 0.52) / 2 * 5 / 6, v, sizeof v));
    assert_non_null(strstr(row, want));
    /* Home goes to epoch 1; Home again changes nothing */
    assert_int_equal(tui_handle_key(&app, KEY_HOME, 1), R_REDRAW);
    assert_int_equal(tui_handle_key(&app, KEY_HOME, 1), R_NONE);
    assert_true(cs->cursor_x == 1);

    /* best epochs: a ◎ in the column of epoch 3 (gru-s1) and of epoch 6 (the others) */
    assert_int_equal(tui_handle_key(&app, KEY_RIGHT, 1), R_REDRAW);
    assert_int_equal(tui_handle_key(&app, KEY_RIGHT, 1), R_REDRAW);
    draw_fresh(&cv, 120, 40);
    int yt = row_with(&cv, "Groups: test metrics, mean ± std");
    assert_true(yt > 3);
    int axis = -1, col3 = -1;   /* the cursor's column: its mark on the x axis */
    for (int y = 3; y < yt && col3 < 0; y++)
        for (int x = 0; x < cv.w; x++)
            if (tui_canvas_at(&cv, x, y)->ch == L'┴') { axis = y; col3 = x; break; }
    assert_true(col3 > 0);
    assert_int_equal(tui_canvas_at(&cv, col3, axis - 3)->ch == L'┊' || tui_canvas_at(&cv, col3, axis - 2)->ch == L'┊', 1);
    int best3 = 0, best_all = 0;
    for (int y = 3; y < axis; y++)
        for (int x = 0; x < cv.w; x++)
            if (tui_canvas_at(&cv, x, y)->ch == L'◎') {
                best_all++;
                if (x == col3) {
                    best3++;
                    assert_int_equal(tui_canvas_at(&cv, x, y)->color, TC_S1);   /* gru's colour */
                }
            }
    assert_int_equal(best3, 1);
    assert_true(best_all >= 2 && best_all <= 4);

    /* loss: train (solid) and validation (dotted) together: more of the group's cells than
     * the validation loss alone */
    cs->cursor = 0;
    cs->band = 0;
    cs->metric = TUI_CMP_VLOSS;
    draw_fresh(&cv, 120, 40);
    int one = braille_cells(&cv, 2, yt, TC_S1);
    cs->metric = TUI_CMP_LOSS;
    draw_fresh(&cv, 120, 40);
    assert_true(row_with(&cv, "loss (train solid, validation dotted)") == 2);
    int two = braille_cells(&cv, 2, yt, TC_S1);
    assert_true(two > one + 10);

    /* smoothing: the raw means faint behind (no band, no seeds: nothing else is faint) */
    cs->metric = TUI_CMP_PRAUC;
    draw_fresh(&cv, 120, 40);
    assert_int_equal(braille_cells(&cv, 2, yt, TC_DIM), 0);
    assert_int_equal(tui_handle_key(&app, 's', 0), R_REDRAW);
    draw_fresh(&cv, 120, 40);
    assert_true(row_with(&cv, "smoothed 0.6") == 2);
    assert_true(braille_cells(&cv, 2, yt, TC_DIM) > 5);
    /* the readout gives the smoothed and the raw value */
    cs->cursor = 1;
    cs->cursor_x = 6;
    draw_fresh(&cv, 120, 40);
    snprintf(want, sizeof want, "(raw %s)", tui_fmt_num(0.955, v, sizeof v));
    assert_non_null(strstr(tui_canvas_row(&cv, 1, row, sizeof row), want));
    cs->smooth = 0;
    cs->cursor = 0;

    /* the table's curve view: min / max / at best epoch of the plotted metric per run */
    assert_int_equal(tui_handle_key(&app, 't', 0), R_REDRAW);
    draw_fresh(&cv, 120, 40);
    yt = row_with(&cv, "Groups: PR-AUC (validation) per run, mean ± std");
    assert_true(yt > 0);
    int yg = row_from(&cv, "gru ", yt + 1), yl = row_from(&cv, "lstm ", yt + 1);
    assert_true(yg > yt && yl > yt && yg < yl);
    char mn[32], mx[32], ab[32];
    mean_sd(0.95 / 6, 0.96 / 6, mn, sizeof mn);   /* gru-s1, gru-s2 */
    mean_sd(0.95, 0.96, mx, sizeof mx);
    mean_sd(0.95 * 3 / 6, 0.96, ab, sizeof ab);     /* at their best epochs 3 and 6 */
    tui_canvas_row(&cv, yg, row, sizeof row);
    assert_non_null(strstr(row, mn));
    assert_non_null(strstr(row, mx));
    assert_non_null(strstr(row, ab));
    /* o sorts by min (ascending): lstm's 0.085 before gru's 0.158 */
    assert_int_equal(tui_handle_key(&app, 'o', 0), R_REDRAW);
    draw_fresh(&cv, 120, 40);
    assert_true(row_with(&cv, "o sort: min ↑") == yt);
    yg = row_from(&cv, "gru ", yt + 1);
    yl = row_from(&cv, "lstm ", yt + 1);
    assert_true(yl > yt && yl < yg);
    tui_canvas_free(&cv);
    tui_screens_reset();
}

static void test_replay_shows_the_epoch_at_the_position(void **st)
{
    (void)st;
    reset_braille_app();
    tui_replay_state *rs = tui_replay();
    fake_run(&rs->run, "rnn-h8", "rnn", "8", 10, 0, 0.4);
    rs->have = 1;
    app.screen = SCR_REPLAY;
    rs->speed = 2;
    tui_canvas cv;
    tui_canvas_init(&cv, 80, 24, 1);
    rs->pos = 3.5;
    tui_draw(&app, &cv);
    assert_true(row_with(&cv, "epoch 3/10") > 0);
    assert_true(row_with(&cv, "Epoch 3 @ thr 0.50") > 0);
    int y = row_with(&cv, "actual +");
    assert_true(y > 0 && strstr(row, " 30 ") != NULL);      /* tp of epoch 3 */
    assert_true(row_with(&cv, "playing") > 0);
    rs->pos = 10;
    rs->paused = 0;
    tui_draw(&app, &cv);
    assert_true(row_with(&cv, "epoch 10/10") > 0);
    y = row_with(&cv, "actual +");
    assert_true(strstr(row, " 100 ") != NULL);
    assert_true(row_with(&cv, "end") > 0);
    rs->pos = 0;
    tui_draw(&app, &cv);
    assert_true(row_with(&cv, "actual +") < 0);             /* nothing before epoch 1 */
    tui_canvas_free(&cv);
    tui_screens_reset();
}

static void test_main_screen_from_a_snapshot(void **st)
{
    (void)st;
    for (int s = 0; s < 3; s++) {
        reset_braille_app();
        cs_run_config_init(&app.cfg);
        app.data_ok = 1;
        tui_form_select("cell");
        snprintf(app.data.name, sizeof app.data.name, "shop");
        app.data.sessions = 1000;
        app.data.positives = 70;
        tui_run r;
        fake_run(&r, "x", "gru", "16", 5, 1, 0.5);
        live_snap(&r, 5, 10, 2, 9);
        app.snap.batch_loss = r.batch_loss;
        app.snap.n_batch_loss = 20;
        tui_canvas cv;
        tui_canvas_init(&cv, SIZES[s][0], SIZES[s][1], 1);
        tui_draw(&app, &cv);
        assert_true(row_with(&cv, "shop") == 0);
        assert_true(row_with(&cv, "7.0% buy") == 0);
        assert_true(row_with(&cv, "epoch 5/10") > 0);
        /* events/s and the whole ETA fit at every size (the state word gives way first) */
        int yp = row_with(&cv, "412k ev/s");
        assert_true(yp > 0 && strstr(row, "ETA 0:09") != NULL);
        int y = row_with(&cv, "actual +");
        assert_true(y > 0 && strstr(row, " 51 ") != NULL);     /* the last epoch's tp */
        assert_true(row_with(&cv, "cell") > 0);
        assert_true(row_with(&cv, "[gru]") > 0);
        /* narrow forms show short labels (every parameter: test_form_labels) */
        if (SIZES[s][0] == 80)
            assert_true(row_with(&cv, "emb-cat ") > 0);
        if (SIZES[s][0] >= 120) assert_true(row_with(&cv, "F1 / PR-AUC (validation)") > 0);
        tui_canvas_free(&cv);
        tui_run_free(&r);
    }
}

/* A run that early stopping ended (patience 5: 9 of 30 epochs) says so on the progress
 * line, at every size, instead of "100% done" (seen: "epoch 9/30 ... 100% done"). */
static void test_progress_says_stopped_early(void **st)
{
    (void)st;
    for (int s = 0; s < 3; s++) {
        reset_app_with_data();
        tui_run r;
        fake_run(&r, "x", "gru", "16", 9, 1, 0.5);
        app.snap.hist = r.hist;
        app.snap.n_hist = 9;
        app.snap.epoch = 9; app.snap.epochs = 30; app.snap.batch = 4; app.snap.batches = 4;
        app.snap.state = CS_RUN_DONE;
        snprintf(app.snap.message, sizeof app.snap.message, "stopped early at epoch 9 (best epoch 4): "
                 "no better validation PR-AUC for 5 epochs");
        app.have_snap = 1;
        tui_canvas cv;
        tui_canvas_init(&cv, SIZES[s][0], SIZES[s][1], 1);
        tui_draw(&app, &cv);
        int y = row_with(&cv, "epoch 9/30");
        assert_true(y > 0);
        assert_null(strstr(row, "done"));
        assert_null(strstr(row, "100%"));
        assert_true(strstr(row, "stopped early at epoch 9 (best epoch 4)") != NULL ||
                    strstr(row, "early stop: epoch 9, best 4") != NULL);
        if (SIZES[s][0] >= 160) assert_non_null(strstr(row, "stopped early at epoch 9 (best epoch 4)"));
        /* a run that ran its planned epochs is done */
        app.snap.message[0] = '\0';
        app.snap.epoch = 30; app.snap.epochs = 30;
        tui_draw(&app, &cv);
        assert_true(row_with(&cv, "epoch 30/30") > 0);
        assert_non_null(strstr(row, "done"));
        tui_canvas_free(&cv);
        tui_run_free(&r);
    }
}

/* A load in progress: the progress line shows bytes read / total and the percent, and the
 * header what loads (the start-up load, no data yet). */
static void test_load_progress_line(void **st)
{
    (void)st;
    reset_app();
    cs_run_config_init(&app.cfg);
    snprintf(app.loader.cfg.data, sizeof app.loader.cfg.data, "/data/big.csv");
    app.loader.job.active = 1;
    app.loader.t0 = cs_now_s() - 2.0;
    atomic_store(&app.loader.bytes_total, (size_t)1047043518);
    atomic_store(&app.loader.bytes_done, (size_t)314113055);
    atomic_store(&app.loader.rows, 3000000L);
    for (int s = 0; s < 2; s++) {
        tui_canvas cv;
        tui_canvas_init(&cv, NARROW_WIDE[s][0], NARROW_WIDE[s][1], 1);
        tui_draw(&app, &cv);
        assert_true(row_with(&cv, "loading /data/big.csv") == 0);
        assert_true(row_with(&cv, "314.1 MB") > 0);
        assert_non_null(strstr(row, "1.05 GB"));
        assert_non_null(strstr(row, "30%"));
        if (NARROW_WIDE[s][0] >= 160) assert_non_null(strstr(row, "rows/s"));
        tui_canvas_free(&cv);
    }
    /* the file read: the sessions are being built */
    atomic_store(&app.loader.bytes_done, (size_t)1047043518);
    atomic_store(&app.loader.parsed, 1);
    tui_canvas cv;
    tui_canvas_init(&cv, 160, 48, 1);
    tui_draw(&app, &cv);
    assert_true(row_with(&cv, "building the sessions") > 0);
    tui_canvas_free(&cv);
    app.loader.job.active = 0;
}

/* YooChoose's sample as the data pane sees it (tui_data_info after the load). */
static void yoochoose_info(tui_data_info *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->name, sizeof d->name, "sample_clicks");
    d->rows_read = d->rows_used = 286000;
    d->sessions = 77171;
    d->positives = 4354;
    d->dropped_events = 9046;
    long h[TUI_LEN_BINS] = {21000, 20000, 15000, 11000, 6000, 3000, 1000, 171, 0, 0, 0};
    memcpy(d->len_hist, h, sizeof h);
    d->mean_len = 3.5;
    d->p50 = 2;
    d->p90 = 19;
    d->max_len = 20;
}

/* The data pane at 80x24 (v: data), 120x40, 160x48 and 200x60: every number whole (the
 * lines drop words instead: "rows 286000 = 286000 used +" and "p90 1" were seen), the
 * axis label whole ("lengt" was), and wider on a wider terminal; a features table shows
 * its columns and positive rate instead of lengths and an empty histogram. */
static void test_data_pane_keeps_every_number(void **st)
{
    (void)st;
    int sizes[4][2] = {{80, 24}, {120, 40}, {160, 48}, {200, 60}}, last_w = 0;
    for (int s = 0; s < 4; s++) {
        reset_app_with_data();
        yoochoose_info(&app.data);
        tui_main()->plot_view = 2;   /* the narrow layout: the data in the plot pane */
        tui_layout L;
        assert_int_equal(tui_layout_compute(sizes[s][0], sizes[s][1], &L), 0);
        tui_rect r = L.data.w ? L.data : L.loss;
        tui_canvas cv;
        tui_canvas_init(&cv, sizes[s][0], sizes[s][1], 1);
        tui_draw(&app, &cv);
        char pane[8][512];
        for (int i = 0; i < 8; i++) {
            tui_canvas_row(&cv, r.y + 1 + i, row, sizeof row);
            /* the pane's own columns (UTF-8 box drawing: read through the canvas cells) */
            int k = 0;
            for (int x = r.x + 1; x < r.x + r.w - 1 && k < 500; x++) {
                wchar_t c = tui_canvas_at(&cv, x, r.y + 1 + i)->ch;
                pane[i][k++] = c < 128 && c ? (char)c : '#';
            }
            pane[i][k] = '\0';
        }
        assert_non_null(strstr(pane[0], "77171"));
        assert_non_null(strstr(pane[0], "5.6%"));
        assert_non_null(strstr(pane[1], "rows 286000"));
        assert_true(strstr(pane[1], "used") == NULL || strstr(pane[1], "used + 0 skipped") != NULL);
        assert_non_null(strstr(pane[3], "p50 2 p90 19"));
        for (int i = 0; i < 8; i++) {
            assert_true(strstr(pane[i], "lengt") == NULL || strstr(pane[i], "length") != NULL);
            assert_null(strstr(pane[i], "\xe2\x80\xa6"));   /* nothing cut */
        }
        if (L.data.w) {
            assert_true(L.data.w >= last_w);   /* widens with the terminal */
            last_w = L.data.w;
        }
        if (sizes[s][0] >= 200) {
            assert_non_null(strstr(pane[1], "rows 286000 = 286000 used + 0 skipped"));
            assert_non_null(strstr(pane[3], "length mean 3.5 p50 2 p90 19 max 20"));
        }
        /* a features table: its own summary */
        memset(app.data.len_hist, 0, sizeof app.data.len_hist);
        app.data.sessions = 12330;
        app.data.positives = 1908;
        app.data.shape_n_feat = 28;
        tui_draw(&app, &cv);
            int yf = row_from(&cv, "features 28", r.y);
        assert_true(yf > r.y && yf < r.y + r.h);
        int yp = row_from(&cv, "1908", yf + 1);   /* "positive rate 15.5%: 1908 of 12330", or shorter */
        assert_true(yp > yf && yp < r.y + r.h && strstr(row, "15.5%") != NULL && strstr(row, "12330"));
        assert_true(row_with(&cv, "length mean") < 0);
        tui_canvas_free(&cv);
    }
}

/* Cut words the issue lists: "+2 qu" (queued), "F1 0.67 2/1" (2/12), "ETA 0:00 running"
 * before the first batch; at 80x24, where space is shortest. */
static void test_no_cut_words(void **st)
{
    (void)st;
    reset_app();
    cs_run_config_init(&app.cfg);
    app.data_ok = 1;
    yoochoose_info(&app.data);
    assert_int_equal(pthread_mutex_init(&app.worker.mu, NULL), 0);
    app.worker.mu_ok = 1;
    app.worker.job.active = 1;
    snprintf(app.worker.cur.name, sizeof app.worker.cur.name, "gru-h64-seed3-longer");
    app.worker.cur_i = 0;
    app.worker.n_runs = 3;   /* two more runs of the grid waiting */
    tui_run r;
    fake_run(&r, "x", "gru", "16", 2, 1, 0.67);
    live_snap(&r, 2, 12, 1, 61);
    tui_canvas cv;
    tui_canvas_init(&cv, 80, 24, 1);
    tui_draw(&app, &cv);
    assert_true(row_with(&cv, "+2") > 0);
    assert_true(strstr(row, "+2 qu") == NULL || strstr(row, "+2 queued") != NULL);
    assert_true(row_with(&cv, "val 0.67 2/12") > 0);   /* the numbers whole, the name cut */
    assert_non_null(strstr(row, "gru-h"));
    assert_non_null(strstr(row, "\xe2\x80\xa6"));
    /* before the first batch: no ETA, and the state says starting */
    app.snap.n_hist = 0; app.snap.epoch = 1; app.snap.batch = 0; app.snap.eta_s = 0;
    tui_draw(&app, &cv);
    assert_true(row_with(&cv, "ETA") > 0);
    assert_null(strstr(row, "ETA 0:00"));
    assert_non_null(strstr(row, "ETA -"));
    /* a path too long for the form: its end (the file name), after a "…" */
    snprintf(app.cfg.data, sizeof app.cfg.data, "/work/wt/shared/data/yoochoose_rsc15_sample1pct/sample_clicks.csv");
    tui_form_select("data");
    tui_draw(&app, &cv);
    assert_true(row_with(&cv, "icks.csv") > 0);   /* the end of the path: "…icks.csv" in 9 columns */
    assert_non_null(strstr(row, "\xe2\x80\xa6" "icks.csv"));
    assert_null(strstr(row, "/work"));
    tui_canvas_free(&cv);
    tui_canvas_init(&cv, 160, 48, 1);
    tui_draw(&app, &cv);
    assert_true(row_with(&cv, "ETA -  starting") > 0);
    assert_true(row_with(&cv, "+2 queued") > 0);
    /* the saved runs' F1 is the test split's, the run in training's the validation split's */
    assert_true(row_with(&cv, "Runs (test F1)") > 0);
    app.snap.n_hist = 2; app.snap.epoch = 2;
    tui_draw(&app, &cv);
    assert_true(row_with(&cv, "valid F1 0.67 2/12") > 0);
    tui_canvas_free(&cv);
    tui_run_free(&r);
    app.worker.job.active = 0;
    pthread_mutex_destroy(&app.worker.mu);
}

/* Every parameter of the table, selected in the form at 80x24, 120x36 and 160x48: its
 * label (the name, or the table's short name where the name is too long) fits the label
 * column whole -- never a cut name -- and is on the highlighted row of the form. */
static void test_form_labels(void **st)
{
    (void)st;
    for (int s = 0; s < 3; s++) {
        reset_app_with_data();
        tui_layout L;
        assert_int_equal(tui_layout_compute(SIZES[s][0], SIZES[s][1], &L), 0);
        int nw = L.form.w >= 30 ? 14 : CS_PARAM_SHORT_LEN;
        tui_canvas cv;
        tui_canvas_init(&cv, SIZES[s][0], SIZES[s][1], 1);
        for (size_t i = 0; i < cs_param_count(); i++) {
            const cs_param *p = cs_param_at(i);
            const char *label = cs_param_label(p, nw);
            if ((int)strlen(label) > nw)
                fail_msg("%s: no label fits %d columns at %dx%d", p->name, nw, cv.w, cv.h);
            assert_true(!p->short_name || (int)strlen(p->short_name) <= CS_PARAM_SHORT_LEN);
            tui_form_select(p->name);
            tui_draw(&app, &cv);
            char want[64];
            snprintf(want, sizeof want, " %s ", label);
            int found = 0;
            for (int y = L.form.y + 1; y < L.form.y + L.form.h - 1 && !found; y++) {
                tui_canvas_row(&cv, y, row, sizeof row);
                const tui_cell *c = tui_canvas_at(&cv, L.form.x + 2, y);
                found = strstr(row, want) != NULL && c->color == TC_SEL;
            }
            if (!found) fail_msg("%s: label '%s' not on the selected row at %dx%d", p->name, label, cv.w, cv.h);
        }
        tui_canvas_free(&cv);
    }
}

/* The early-prediction view: F1 rising with k (0.04 k), PR-AUC flat at 0.5, the sessions
 * shrinking (1000 - 40 k) and none left at k = 20 (its metrics NaN). */
static void test_early_view(void **st)
{
    (void)st;
    for (int s = 0; s < 2; s++) {
        reset_braille_app();
        app.screen = SCR_EARLY;
        tui_early_state *es = tui_early();
        snprintf(es->name, sizeof es->name, "gru-s1");
        es->n = 20;
        for (int i = 0; i < 20; i++) {
            cs_early_point *p = &es->pts[i];
            p->k = i + 1;
            p->sessions = i < 19 ? 1000 - 40 * (i + 1) : 0;
            p->positives = i < 19 ? 100 - 2 * (i + 1) : 0;
            p->m.f1 = i < 19 ? 0.04 * (i + 1) : NAN;
            p->m.pr_auc = i < 19 ? 0.5 : NAN;
            p->m.threshold = 0.37;
        }
        tui_canvas cv;
        tui_canvas_init(&cv, NARROW_WIDE[s][0], NARROW_WIDE[s][1], 1);
        tui_draw(&app, &cv);
        assert_true(row_with(&cv, "early prediction: gru-s1") == 0);
        assert_true(strstr(row, "threshold 0.37") != NULL);
        assert_true(row_with(&cv, "k (events seen) 20") > 0);    /* the x axis, to k = 20 */
        int yl = row_with(&cv, "● F1 ▲ PR-AUC");                  /* the legend */
        assert_true(yl > 0);
        assert_true(row_with(&cv, "k sessions") > 0);
        assert_true(row_with(&cv, "   1      960 ") > 0);          /* k = 1: 960 sessions */
        int y20 = row_with(&cv, "  20        0 ");                 /* none left: n/a */
        assert_true(y20 > 0 && strstr(row, "n/a") != NULL);
        /* every k at 160x48; every second one (and the last) at 80x24 */
        assert_true((row_with(&cv, "   2      920 ") > 0) == (s == 1));
        assert_true((row_with(&cv, "  19      240 ") > 0) == (s == 1));
        assert_true((row_with(&cv, "every 2 k") > 0) == (s == 0));
        /* the curves: braille dots, F1's markers climbing to the right, PR-AUC's on one row */
        int braille = 0, f1_lo_y = -1, f1_lo_x = -1, f1_hi_y = cv.h, f1_hi_x = -1, tri_y = -1, tri_rows = 0;
        for (int y = yl + 1; y < cv.h - 3; y++)
            for (int x = 0; x < cv.w; x++) {
                tui_cell *c = tui_canvas_at(&cv, x, y);
                if (c->ch >= 0x2801 && c->ch <= 0x28FF) braille++;
                if (c->ch == L'●') {
                    if (y > f1_lo_y) { f1_lo_y = y; f1_lo_x = x; }
                    if (y < f1_hi_y) { f1_hi_y = y; f1_hi_x = x; }
                }
                if (c->ch == L'▲' && y != tri_y) { tri_y = y; tri_rows++; }
            }
        assert_true(braille > 10);
        assert_true(f1_lo_y > f1_hi_y && f1_hi_x > f1_lo_x);
        assert_int_equal(tri_rows, 1);
        tui_canvas_free(&cv);
    }
}

static void test_too_small_says_so(void **st)
{
    (void)st;
    reset_app();
    tui_canvas cv;
    tui_canvas_init(&cv, 60, 20, 1);
    tui_draw(&app, &cv);
    assert_true(row_with(&cv, "needs 80x24; this terminal is 60x20") == 0);
    tui_canvas_free(&cv);
}

/* The help page of screen `scr` at 80x24 holds every one of want[0..n-1] on some row,
 * and its closing line. */
static void help_page_holds(tui_screen_id scr, const char *const *want, size_t n)
{
    tui_canvas cv;
    app.screen = scr;
    tui_canvas_init(&cv, 80, 24, 1);
    tui_draw_help(&app, &cv);
    for (size_t i = 0; i < n; i++)
        if (row_with(&cv, want[i]) <= 0)
            fail_msg("help page of screen %d at 80x24: no row with '%s'", (int)scr, want[i]);
    assert_true(row_with(&cv, "Press any key to close.") > 0);
    tui_canvas_free(&cv);
}

/* The help overlay fits 80x24 whole: the commands at the ends of the lines are visible. */
static void test_help_fits_80x24(void **st)
{
    (void)st;
    reset_app();
    static const char *const main_page[] = {"(set NAME VALUE)", "(compare [RUN..])", "+/- speed", "(focus)"};
    help_page_holds(SCR_MAIN, main_page, 4);
    /* on the compare screen: its own page, whole, with the ends of its longest lines */
    static const char *const compare_page[] = {
        "validation loss, train loss, F1, precision, recall, PR/ROC-AUC", "Home/End  ends  c  on/off",
        "the histories (long CSV), the table, the JSON", "q, Esc     back one screen"};
    help_page_holds(SCR_COMPARE, compare_page, 4);
    /* the library's and the sweep view's pages, whole at 80x24 */
    static const char *const library_page[] = {
        "(below --runs, and the paths given: clickseq RUN|DIR...)",
        "f            seed groups as one row each: their means (± std)",
        "over name, data, cell, parameters; Enter keeps, Esc clears",
        "a run another process is training / one whose process died:",
        "Enter watches it, c compares it so far; d r e refuse it"};
    help_page_holds(SCR_LIBRARY, library_page, 5);
    static const char *const sweeps_page[] = {"configuration a seed group"};
    help_page_holds(SCR_SWEEPS, sweeps_page, 1);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare_groups_bands_verdicts),
        cmocka_unit_test(test_compare_cursor_best_smooth_table),
        cmocka_unit_test(test_replay_shows_the_epoch_at_the_position),
        cmocka_unit_test(test_main_screen_from_a_snapshot),
        cmocka_unit_test(test_form_labels),
        cmocka_unit_test(test_data_pane_keeps_every_number),
        cmocka_unit_test(test_no_cut_words),
        cmocka_unit_test(test_progress_says_stopped_early),
        cmocka_unit_test(test_load_progress_line),
        cmocka_unit_test(test_early_view),
        cmocka_unit_test(test_too_small_says_so),
        cmocka_unit_test(test_help_fits_80x24),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
