/* test_tui_draw.c — the workbench's pure parts: canvas, plots, confusion matrix, bars,
 * layout and the command-line parser, all without a terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "app/tui/canvas.h"
#include "app/tui/cmdline.h"
#include "app/tui/layout.h"
#include "app/tui/plot.h"

static char row[4096];

/* Column (0-based) of the topmost non-blank plot cell in column x, rows y0..y1. */
static int top_dot_row(tui_canvas *cv, int x, int y0, int y1)
{
    for (int y = y0; y <= y1; y++) {
        wchar_t c = tui_canvas_at(cv, x, y)->ch;
        if (c >= 0x2801 && c <= 0x28FF) return y;
    }
    return -1;
}

static void test_canvas_puts_clips_and_reads_back(void **st)
{
    (void)st;
    tui_canvas cv;
    assert_int_equal(tui_canvas_init(&cv, 10, 2, 1), 0);
    assert_int_equal(tui_puts(&cv, 7, 0, -1, "abcdef", TC_NORMAL, 0), 3);   /* clipped at the edge */
    assert_string_equal(tui_canvas_row(&cv, 0, row, sizeof row), "       abc");
    tui_puts(&cv, 0, 1, 4, "épée—x", TC_NORMAL, 0);                        /* UTF-8, 4 columns */
    assert_string_equal(tui_canvas_row(&cv, 1, row, sizeof row), "épée      ");
    tui_puts(&cv, -2, 0, -1, "xyz", TC_NORMAL, 0);                         /* left clip */
    assert_int_equal(tui_canvas_at(&cv, 0, 0)->ch, L'z');
    assert_null(tui_canvas_at(&cv, 10, 0));
    assert_int_equal(tui_strwidth("a—é"), 3);
    tui_canvas_free(&cv);
}

static void test_box_title_and_ascii_fallback(void **st)
{
    (void)st;
    tui_canvas cv;
    tui_canvas_init(&cv, 12, 3, 1);
    tui_rect r = {0, 0, 12, 3};
    tui_box(&cv, r, "Loss curves", TC_BORDER);
    assert_string_equal(tui_canvas_row(&cv, 0, row, sizeof row), "┌ Loss cur ┐");
    assert_string_equal(tui_canvas_row(&cv, 2, row, sizeof row), "└──────────┘");
    tui_canvas_free(&cv);
    tui_canvas_init(&cv, 6, 3, 0);
    r.w = 6;
    tui_box(&cv, r, NULL, TC_BORDER);
    assert_string_equal(tui_canvas_row(&cv, 0, row, sizeof row), "+----+");
    assert_string_equal(tui_canvas_row(&cv, 1, row, sizeof row), "|    |");
    tui_canvas_free(&cv);
}

static void test_plot_falling_curve_goes_down(void **st)
{
    (void)st;
    tui_canvas cv;
    tui_canvas_init(&cv, 40, 10, 1);
    double y[10];
    for (int i = 0; i < 10; i++) y[i] = 1.0 / (1 + i);      /* falling */
    tui_series s = {y, NULL, 10, TC_S1, 0, "train"};
    tui_plot_opts o;
    tui_plot_opts_init(&o);
    o.xlabel = "epoch";
    tui_rect r = {0, 0, 40, 10};
    assert_int_equal(tui_plot(&cv, r, &s, 1, &o), 10);
    /* the curve starts near the top on the left and ends near the bottom on the right */
    int left = top_dot_row(&cv, 6, 0, 8), right = top_dot_row(&cv, 39, 0, 8);
    assert_true(left >= 0 && right >= 0);
    assert_true(left < right);
    assert_int_equal(left, 0);
    assert_int_equal(right, 8);
    /* axes: y labels from the data, x axis with the label and the last epoch */
    assert_true(tui_canvas_find(&cv, "└"));
    assert_true(tui_canvas_find(&cv, "epoch 10"));
    assert_true(tui_canvas_find(&cv, "train"));
    /* y labels bracket the data with a little headroom */
    double top = NAN, bottom = NAN;
    assert_int_equal(sscanf(tui_canvas_row(&cv, 0, row, sizeof row), "%lf", &top), 1);
    assert_int_equal(sscanf(tui_canvas_row(&cv, 8, row, sizeof row), "%lf", &bottom), 1);
    assert_true(top >= 1.0 && top <= 1.1);
    assert_true(bottom >= 0.0 && bottom <= 0.1);
    tui_canvas_free(&cv);
}

static void test_plot_connects_steep_drops(void **st)
{
    (void)st;
    /* two points, from top to bottom: every plot row in between has a dot */
    tui_canvas cv;
    tui_canvas_init(&cv, 20, 8, 1);
    double y[2] = {1, 0};
    tui_series s = {y, NULL, 2, TC_S1, 0, NULL};
    tui_plot_opts o;
    tui_plot_opts_init(&o);
    o.ymin = 0; o.ymax = 1;
    tui_rect r = {0, 0, 20, 8};
    tui_plot(&cv, r, &s, 1, &o);
    for (int yy = 0; yy < 7; yy++) {
        int any = 0;
        for (int x = 6; x < 20; x++) {
            wchar_t c = tui_canvas_at(&cv, x, yy)->ch;
            any |= c > 0x2800 && c <= 0x28FF;
        }
        assert_true(any);
    }
    tui_canvas_free(&cv);
}

/* A robust range trims only the per-batch series: at 30 epochs (more points than the old
 * "dense" count of 20) the epoch curve above the batches' 95th percentile stays inside. */
static void test_plot_robust_keeps_epoch_curves(void **st)
{
    (void)st;
    double b[600], e[30], xe[30], xb[600];
    for (int i = 0; i < 600; i++) { b[i] = 1.0 + 0.01 * (i % 10); xb[i] = i / 20.0; }
    b[0] = 9;   /* the first-batch spike */
    for (int i = 0; i < 30; i++) { e[i] = 1.5 - 0.001 * i; xe[i] = i + 1; }
    tui_style sty[2] = {{0}, {0}};
    sty[0].dense = 1;
    tui_series s[2] = {{b, xb, 600, TC_S3, L'+', "batch"}, {e, xe, 30, TC_S1, L'●', "train"}};
    tui_canvas cv;
    tui_canvas_init(&cv, 60, 16, 1);
    tui_plot_opts o;
    tui_plot_opts_init(&o);
    o.robust = 1;
    o.style = sty;
    tui_plot_info in;
    o.info = &in;
    tui_plot(&cv, (tui_rect){0, 0, 60, 16}, s, 2, &o);
    assert_true(in.ymax >= 1.5);    /* the whole epoch curve */
    assert_true(in.ymax < 9);       /* not the spike */
    assert_true(in.clipped >= 1);   /* which is marked as clipped */
    tui_canvas_free(&cv);
}

static void test_plot_block_fallback_and_markers(void **st)
{
    (void)st;
    tui_canvas cv;
    tui_canvas_init(&cv, 40, 8, 1);
    double a[4] = {0.1, 0.2, 0.3, 0.4}, b[4] = {0.4, 0.3, 0.2, 0.1};
    tui_series s[2] = {{a, NULL, 4, TC_S1, L'●', "gru"}, {b, NULL, 4, TC_S2, L'▲', "lstm"}};
    tui_plot_opts o;
    tui_plot_opts_init(&o);
    o.braille = 0;
    tui_rect r = {0, 0, 40, 8};
    tui_plot(&cv, r, s, 2, &o);
    int blocks = 0, m1 = 0, m2 = 0, braille = 0;
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 40; x++) {
            tui_cell *c = tui_canvas_at(&cv, x, y);
            blocks += c->ch == L'▀' || c->ch == L'▄' || c->ch == L'█';
            braille += c->ch >= 0x2800 && c->ch <= 0x28FF;
            if (c->ch == L'●') { m1++; assert_int_equal(c->color, TC_S1); }
            if (c->ch == L'▲') { m2++; assert_int_equal(c->color, TC_S2); }
        }
    assert_int_equal(braille, 0);
    assert_true(blocks > 4);
    assert_int_equal(m1, 4 + 1);   /* four points and the legend */
    assert_int_equal(m2, 4 + 1);
    tui_canvas_free(&cv);
}

static void test_plot_too_small_draws_nothing(void **st)
{
    (void)st;
    tui_canvas cv;
    tui_canvas_init(&cv, 20, 3, 1);
    double y[3] = {1, 2, 3};
    tui_series s = {y, NULL, 3, TC_S1, 0, NULL};
    tui_plot_opts o;
    tui_plot_opts_init(&o);
    tui_rect r = {0, 0, 20, 3};
    assert_int_equal(tui_plot(&cv, r, &s, 1, &o), 0);
    assert_false(tui_canvas_find(&cv, "│"));
    tui_canvas_free(&cv);
}

static void test_confusion_matrix_cells(void **st)
{
    (void)st;
    tui_canvas cv;
    tui_canvas_init(&cv, 30, 7, 1);
    cs_metrics m;
    memset(&m, 0, sizeof m);
    m.cm.tp = 212; m.cm.fn = 98; m.cm.fp = 301; m.cm.tn = 3389;
    m.precision = 212.0 / 513; m.recall = 212.0 / 310; m.f1 = 2 * 212.0 / (2 * 212 + 98 + 301);
    m.pr_auc = 0.47; m.roc_auc = NAN; m.n = 4000; m.positives = 310;
    tui_rect r = {0, 0, 30, 7};
    tui_confusion(&cv, r, &m);
    tui_canvas_row(&cv, 1, row, sizeof row);
    assert_non_null(strstr(row, "actual +"));
    assert_true(strstr(row, "212") < strstr(row, "98"));
    tui_canvas_row(&cv, 2, row, sizeof row);
    assert_true(strstr(row, "301") && strstr(row, "3389") && strstr(row, "301") < strstr(row, "3389"));
    assert_true(tui_canvas_find(&cv, "P 0.413  R 0.684  F1 0.515"));
    assert_true(tui_canvas_find(&cv, "PR-AUC 0.470  ROC-AUC   -"));
    tui_canvas_free(&cv);
}

static void test_progress_and_histogram(void **st)
{
    (void)st;
    tui_canvas cv;
    tui_canvas_init(&cv, 10, 4, 1);
    tui_progress(&cv, 0, 0, 10, 0.35, TC_GOOD);
    assert_string_equal(tui_canvas_row(&cv, 0, row, sizeof row), "███▌░░░░░░");
    tui_progress(&cv, 0, 0, 10, 7.0, TC_GOOD);   /* clamped */
    assert_string_equal(tui_canvas_row(&cv, 0, row, sizeof row), "██████████");
    long h[4] = {0, 10, 5, 1};
    tui_rect r = {0, 1, 4, 3};
    tui_histogram(&cv, r, h, 4, TC_S1);
    /* 3 rows = 24 eighths for the largest bin: 5/10 fills 1.5 rows, 1/10 two eighths */
    assert_string_equal(tui_canvas_row(&cv, 3, row, sizeof row), " ██▂      ");  /* bottom row */
    assert_string_equal(tui_canvas_row(&cv, 2, row, sizeof row), " █▄       ");
    assert_string_equal(tui_canvas_row(&cv, 1, row, sizeof row), " █        ");  /* tallest only */
    tui_canvas_free(&cv);
    tui_canvas_init(&cv, 10, 1, 0);
    tui_progress(&cv, 0, 0, 10, 0.5, TC_GOOD);
    assert_string_equal(tui_canvas_row(&cv, 0, row, sizeof row), "#####.....");
    tui_canvas_free(&cv);
}

static void test_smooth_and_formatting(void **st)
{
    (void)st;
    double in[4] = {1, NAN, 3, 3}, out[4];
    tui_smooth(in, out, 4, 0.5);
    assert_true(out[0] == 1 && out[1] == 1 && out[2] == 2 && out[3] == 2.5);
    char b[32];
    assert_string_equal(tui_fmt_num(0.512, b, sizeof b), "0.512");
    assert_string_equal(tui_fmt_num(412000, b, sizeof b), "412k");
    assert_string_equal(tui_fmt_num(0.001, b, sizeof b), "1e-03");
    assert_string_equal(tui_fmt_dur(9, b, sizeof b), "0:09");
    assert_string_equal(tui_fmt_dur(3723, b, sizeof b), "1:02:03");
    assert_string_equal(tui_fmt_dur(NAN, b, sizeof b), "--:--");
}

static int overlaps(tui_rect a, tui_rect b)
{
    if (!a.w || !b.w) return 0;
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static void check_layout(int w, int h)
{
    tui_layout L;
    assert_int_equal(tui_layout_compute(w, h, &L), 0);
    tui_rect rs[] = {L.header, L.form, L.data, L.loss, L.metrics, L.confusion, L.runs,
                     L.progress, L.status, L.keys};
    int n = sizeof rs / sizeof rs[0];
    for (int i = 0; i < n; i++) {
        if (!rs[i].w) continue;
        assert_true(rs[i].x >= 0 && rs[i].y >= 0);
        assert_true(rs[i].x + rs[i].w <= w && rs[i].y + rs[i].h <= h);
        for (int j = i + 1; j < n; j++)
            assert_false(overlaps(rs[i], rs[j]));
    }
    assert_true(L.form.h >= 14);       /* room for the model settings */
    assert_true(L.confusion.w >= 28 && L.confusion.h >= 8);
    assert_true(L.loss.w >= 50 && L.loss.h >= 10);
    assert_true(L.runs.h >= 6);
}

static void test_layout_sizes(void **st)
{
    (void)st;
    check_layout(80, 24);
    check_layout(100, 30);
    check_layout(120, 36);
    check_layout(160, 48);
    check_layout(300, 100);
    tui_layout L;
    tui_layout_compute(80, 24, &L);
    assert_true(L.cycled);
    assert_int_equal(L.metrics.w, 0);
    tui_layout_compute(160, 48, &L);
    assert_true(L.wide && L.metrics.w > 0 && L.data.w > 0);
    assert_int_equal(tui_layout_compute(79, 24, &L), -1);
    assert_int_equal(tui_layout_compute(80, 23, &L), -1);
}

static void test_cmd_parse(void **st)
{
    (void)st;
    tui_cmd c;
    char msg[256];
    assert_int_equal(tui_cmd_parse("set hidden 128", &c, msg, sizeof msg), 0);
    assert_int_equal(c.kind, CMD_SET);
    assert_int_equal(c.argc, 2);
    assert_string_equal(c.argv[0], "hidden");
    assert_string_equal(c.argv[1], "128");
    assert_int_equal(tui_cmd_parse("  load \"my data/x.csv\" rees46 ", &c, msg, sizeof msg), 0);
    assert_int_equal(c.kind, CMD_LOAD);
    assert_string_equal(c.argv[0], "my data/x.csv");
    assert_string_equal(c.argv[1], "rees46");
    assert_int_equal(tui_cmd_parse("load a\\ b", &c, msg, sizeof msg), 0);
    assert_string_equal(c.argv[0], "a b");
    assert_int_equal(tui_cmd_parse("tr rnn gru lstm", &c, msg, sizeof msg), 0);  /* prefix */
    assert_int_equal(c.kind, CMD_TRAIN);
    assert_int_equal(c.argc, 3);
    assert_int_equal(tui_cmd_parse("replay gru-h64 4.5", &c, msg, sizeof msg), 0);
    assert_true(c.speed == 4.5);
    assert_int_equal(tui_cmd_parse("", &c, msg, sizeof msg), 0);
    assert_int_equal(c.kind, CMD_NONE);
    assert_int_equal(tui_cmd_parse("q", &c, msg, sizeof msg), 0);
    assert_int_equal(c.kind, CMD_QUIT);
    assert_int_equal(tui_cmd_parse("sweep cell=rnn,gru hidden=32,64", &c, msg, sizeof msg), 0);
    assert_int_equal(c.argc, 2);
    assert_int_equal(tui_cmd_parse("step -3", &c, msg, sizeof msg), 0);
    assert_int_equal(c.kind, CMD_STEP);
    assert_int_equal(c.step, -3);
    assert_int_equal(tui_cmd_parse("speed 0.25", &c, msg, sizeof msg), 0);
    assert_true(c.kind == CMD_SPEED && c.speed == 0.25);
    assert_int_equal(tui_cmd_parse("mark gru-h64", &c, msg, sizeof msg), 0);
    assert_int_equal(c.kind, CMD_MARK);
    /* early [RUN] [K]: K defaults to 20; a lone number is K, not a run */
    assert_int_equal(tui_cmd_parse("early", &c, msg, sizeof msg), 0);
    assert_true(c.kind == CMD_EARLY && c.argc == 0 && c.k == 20);
    assert_int_equal(tui_cmd_parse("early gru-s1 8", &c, msg, sizeof msg), 0);
    assert_true(c.argc == 1 && !strcmp(c.argv[0], "gru-s1") && c.k == 8);
    assert_int_equal(tui_cmd_parse("early 12", &c, msg, sizeof msg), 0);
    assert_true(c.argc == 0 && c.k == 12);
    assert_int_equal(tui_cmd_parse("e lstm-h24", &c, msg, sizeof msg), 0);
    assert_true(c.kind == CMD_EARLY && c.argc == 1 && c.k == 20);
    assert_int_equal(tui_cmd_parse("sweep cell=rnn,gru seeds=3", &c, msg, sizeof msg), 0);
    assert_int_equal(c.argc, 2);
}

static void test_cmd_parse_errors(void **st)
{
    (void)st;
    tui_cmd c;
    char msg[256];
    assert_int_equal(tui_cmd_parse("frob", &c, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "unknown command 'frob'"));
    assert_int_equal(tui_cmd_parse("s x y", &c, msg, sizeof msg), -1);   /* set/save/stop/sweep */
    assert_non_null(strstr(msg, "ambiguous"));
    assert_int_equal(tui_cmd_parse("set hidden", &c, msg, sizeof msg), -1);
    assert_string_equal(msg, "usage: set NAME VALUE");
    assert_int_equal(tui_cmd_parse("load \"unterminated", &c, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "unbalanced"));
    assert_int_equal(tui_cmd_parse("replay r 0", &c, msg, sizeof msg), -1);
    assert_int_equal(tui_cmd_parse("replay r 2x", &c, msg, sizeof msg), -1);
    /* compare: one argument is a folder of runs, any number of runs up to the word limit */
    assert_int_equal(tui_cmd_parse("compare onlyone", &c, msg, sizeof msg), 0);
    assert_int_equal(tui_cmd_parse("compare a b c d e", &c, msg, sizeof msg), 0);
    assert_int_equal(c.argc, 5);
    assert_int_equal(tui_cmd_parse("export", &c, msg, sizeof msg), -1);   /* needs FILE */
    assert_int_equal(tui_cmd_parse("l data.csv", &c, msg, sizeof msg), 0);
    assert_int_equal(c.kind, CMD_LOAD);
    assert_int_equal(tui_cmd_parse("sweep hidden", &c, msg, sizeof msg), -1);
    assert_int_equal(tui_cmd_parse("sweep =1", &c, msg, sizeof msg), -1);
    assert_int_equal(tui_cmd_parse("sweep lr=,", &c, msg, sizeof msg), -1);   /* no value */
    assert_int_equal(tui_cmd_parse("sweep lr=,,1e-3", &c, msg, sizeof msg), 0);
    assert_int_equal(tui_cmd_parse("view sideways", &c, msg, sizeof msg), -1);
    assert_int_equal(tui_cmd_parse("quit now", &c, msg, sizeof msg), -1);
    assert_int_equal(tui_cmd_parse("step 1.5", &c, msg, sizeof msg), -1);
    assert_int_equal(tui_cmd_parse("step", &c, msg, sizeof msg), -1);
    assert_int_equal(tui_cmd_parse("speed -1", &c, msg, sizeof msg), -1);
    assert_int_equal(tui_cmd_parse("speed fast", &c, msg, sizeof msg), -1);
    assert_int_equal(tui_cmd_parse("early r 0", &c, msg, sizeof msg), -1);
    assert_int_equal(tui_cmd_parse("early r 101", &c, msg, sizeof msg), -1);
    assert_int_equal(tui_cmd_parse("early r many", &c, msg, sizeof msg), -1);
    assert_int_equal(tui_cmd_parse("early a b c", &c, msg, sizeof msg), -1);
    char longw[700];
    memset(longw, 'a', sizeof longw - 1);
    longw[sizeof longw - 1] = '\0';
    assert_int_equal(tui_cmd_parse(longw, &c, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "too long"));
}

static void test_complete_kind(void **st)
{
    (void)st;
    char p[64] = "";
    assert_int_equal(tui_complete_kind("", p, sizeof p), COMPL_COMMAND);
    assert_int_equal(tui_complete_kind("set ", p, sizeof p), COMPL_PARAM);
    assert_int_equal(tui_complete_kind("set cell ", p, sizeof p), COMPL_VALUE);
    assert_string_equal(p, "cell");
    assert_int_equal(tui_complete_kind("load ", p, sizeof p), COMPL_FILE);
    assert_int_equal(tui_complete_kind("load x.csv ", p, sizeof p), COMPL_FORMAT);
    assert_int_equal(tui_complete_kind("train rnn ", p, sizeof p), COMPL_CELL);
    assert_int_equal(tui_complete_kind("compare a ", p, sizeof p), COMPL_RUN);
    assert_int_equal(tui_complete_kind("replay ", p, sizeof p), COMPL_RUN);
    assert_int_equal(tui_complete_kind("quit ", p, sizeof p), COMPL_NONE);
    assert_int_equal(tui_complete_kind("nonsense ", p, sizeof p), COMPL_NONE);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canvas_puts_clips_and_reads_back),
        cmocka_unit_test(test_box_title_and_ascii_fallback),
        cmocka_unit_test(test_plot_falling_curve_goes_down),
        cmocka_unit_test(test_plot_robust_keeps_epoch_curves),
        cmocka_unit_test(test_plot_connects_steep_drops),
        cmocka_unit_test(test_plot_block_fallback_and_markers),
        cmocka_unit_test(test_plot_too_small_draws_nothing),
        cmocka_unit_test(test_confusion_matrix_cells),
        cmocka_unit_test(test_progress_and_histogram),
        cmocka_unit_test(test_smooth_and_formatting),
        cmocka_unit_test(test_layout_sizes),
        cmocka_unit_test(test_cmd_parse),
        cmocka_unit_test(test_cmd_parse_errors),
        cmocka_unit_test(test_complete_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
