/* test_tui_watch.c — the watch view (watch.c) from records on disk, without a terminal:
 * a run written by a live process is listed as running and its curves take the record's
 * history and accumulate its recent batch losses (NaN where the watcher saw nothing); a
 * record whose writer is gone is stale at once; a saved run replaces its record (one row,
 * never two, also while the record is still there); a damaged record says why; d forgets
 * a stale record only; the library's header counts the runs training, and lists them as
 * rows (test_library_rows); drawn at 80x24 and 160x48. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <ncurses.h>

#include "app/tui/app.h"
#include "app/tui/watch.h"

#define SCRATCH_TEMPLATE "/tmp/cs-tui-watch-XXXXXX"
#include "test_scratch.h"

static tui_app app;

static void snap_of(cs_snapshot *s, int epochs_done, size_t nb)
{
    memset(s, 0, sizeof *s);
    s->state = CS_RUN_RUNNING;
    s->epoch = epochs_done + 1;
    s->epochs = 20;
    s->batches = 100;
    s->batch = 5;
    s->elapsed_s = 10;
    s->eta_s = 50;
    s->n_hist = (size_t)epochs_done;
    s->hist = calloc((size_t)epochs_done + 1, sizeof *s->hist);
    for (int i = 0; i < epochs_done; i++) {
        s->hist[i].epoch = i + 1;
        s->hist[i].train_loss = 0.9 - 0.05 * i;
        s->hist[i].valid_loss = 0.95 - 0.04 * i;
        s->hist[i].valid.pr_auc = 0.2 + 0.05 * i;
        s->hist[i].valid.f1 = 0.2 + 0.04 * i;
        s->hist[i].seconds = 2;
    }
    s->n_batch_loss = nb;
    s->batch_loss = malloc((nb ? nb : 1) * sizeof(float));
    for (size_t i = 0; i < nb; i++) s->batch_loss[i] = (float)(1.0 - 0.0002 * (double)i);
}

static void write_rec(const char *rel, int epochs_done, size_t nb)
{
    char run[600];
    snprintf(run, sizeof run, "%s/%s", root, rel);
    cs_snapshot s;
    snap_of(&s, epochs_done, nb);
    cs_live_meta meta = {1000, "gru h8", CS_RUN_LOADING};
    cs_error err;
    assert_int_equal(cs_live_write(run, &meta, &s, &err), CS_OK);
    cs_snapshot_free(&s);
}

static tui_watch_run *row_of(const char *rel, int *count)
{
    tui_watch_state *w = tui_watch();
    tui_watch_run *r = NULL;
    *count = 0;
    for (size_t i = 0; i < w->n; i++)
        if (!strcmp(w->runs[i].rel, rel)) r = &w->runs[i], (*count)++;
    return r;
}

static int drawn_has(int wd, int ht, const char *text)
{
    tui_canvas cv;
    assert_int_equal(tui_canvas_init(&cv, wd, ht, 1), 0);
    tui_screen_cur(&app)->draw(&app, &cv, NULL);
    int hit = tui_canvas_find(&cv, text);
    tui_canvas_free(&cv);
    return hit;
}

static void test_watch(void **st)
{
    (void)st;
    memset(&app, 0, sizeof app);
    tui_screens_reset();
    app.unicode = app.braille = 1;
    snprintf(app.runs_dir, sizeof app.runs_dir, "%s", root);
    char sw[600];
    snprintf(sw, sizeof sw, "%s/sw", root);
    mkdir(sw, 0755);
    write_rec("sw/gru-a", 3, 100);
    tui_library_open(&app);   /* the library scans (and its tick polls) before the view was ever opened */
    assert_int_not_equal(tui_screen_cur(&app)->tick(&app, 10.0), 0);
    assert_int_equal(tui_watch()->n, 1);
    assert_int_equal(tui_watch_open(&app), R_REDRAW);
    assert_true(tui_watch()->view.smooth > 0.9);
    assert_int_equal(app.screen, SCR_WATCH);
    int c;
    tui_watch_run *r = row_of("sw/gru-a", &c);
    assert_int_equal(c, 1);
    assert_int_equal(r->kind, TUI_W_RUNNING);
    assert_int_equal(r->n_bl, 100);
    assert_int_equal(r->live.n_hist, 3);
    assert_true(drawn_has(80, 24, "sw/gru-a"));
    assert_true(drawn_has(80, 24, "running"));
    assert_true(drawn_has(160, 48, "ep 3/20"));
    assert_true(drawn_has(160, 48, "loss: sw/gru-a (running)"));
    /* it goes on: 5 epochs, 3000 batches: the record holds the last 2048 */
    write_rec("sw/gru-a", 5, 3000);
    tui_watch_scan(&app);
    r = row_of("sw/gru-a", &c);
    assert_int_equal(c, 1);
    assert_int_equal(r->live.n_hist, 5);
    assert_int_equal(r->n_bl, 3000);
    assert_true(isfinite(r->bl[50]));            /* seen at the first scan */
    assert_true(isnan(r->bl[500]));              /* never seen */
    assert_true(isfinite(r->bl[2999]) && fabsf(r->bl[2999] - (float)(1.0 - 0.0002 * 2999)) < 1e-6);
    assert_true(drawn_has(160, 48, "ep 5/20"));
    /* a writer that died: stale at once */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char run[600];
        snprintf(run, sizeof run, "%s/dead", root);
        cs_error err;
        cs_live_meta meta = {0, "x", CS_RUN_LOADING};
        _exit(cs_live_write(run, &meta, NULL, &err) == CS_OK ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    tui_watch_scan(&app);
    r = row_of("dead", &c);
    assert_int_equal(c, 1);
    assert_int_equal(r->kind, TUI_W_STALE);
    assert_non_null(strstr(r->why, "writer gone"));
    assert_true(drawn_has(160, 48, "stale"));
    assert_true(drawn_has(160, 48, "1 running, 1 stale, 0 saved"));
    /* the library's header carries the live marker; W there opens the watch view */
    tui_library_open(&app);
    assert_int_equal(app.screen, SCR_LIBRARY);
    assert_true(drawn_has(160, 48, "● 1 training, 1 stale (W watches)"));
    assert_int_equal(tui_handle_key(&app, 'W', 0) & R_REDRAW, R_REDRAW);
    assert_int_equal(app.screen, SCR_WATCH);
    assert_true(tui_watch()->view.smooth > 0.9);   /* the view's defaults (EMA 0.95) */
    /* a damaged record: stale, saying why */
    char p[700];
    snprintf(p, sizeof p, "%s/.junk.live", root);
    FILE *f = fopen(p, "w");
    fputs("not a record\n", f);
    fclose(f);
    tui_watch_scan(&app);
    r = row_of("junk", &c);
    assert_int_equal(c, 1);
    assert_int_equal(r->kind, TUI_W_STALE);
    assert_non_null(strstr(r->why, ".junk.live:1:1"));
    unlink(p);
    tui_watch_scan(&app);
    row_of("junk", &c);
    assert_int_equal(c, 0);   /* gone without a run: dropped */
    /* the run is saved while its record is still there: one row, saved */
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "cp -r '%s/tests/fixtures/runs/seq' '%s/gru-a'", CS_SRCDIR, sw);
    assert_int_equal(system(cmd), 0);
    tui_watch_scan(&app);
    r = row_of("sw/gru-a", &c);
    assert_int_equal(c, 1);
    assert_int_equal(r->kind, TUI_W_SAVED);
    assert_true(r->have_saved && r->saved.n_hist > 0);
    assert_true(drawn_has(160, 48, "saved"));
    char run[700];
    snprintf(run, sizeof run, "%s/gru-a", sw);
    cs_live_remove(run);
    tui_watch_scan(&app);
    row_of("sw/gru-a", &c);
    assert_int_equal(c, 1);
    /* d: a saved run is not a stale record; the dead one is forgotten (its file removed) */
    tui_watch_state *w = tui_watch();
    for (w->sel = 0; w->sel < w->n && strcmp(w->runs[w->sel].rel, "sw/gru-a"); w->sel++) {}
    assert_int_equal(tui_handle_key(&app, 'd', 0), R_REDRAW);
    assert_non_null(strstr(app.msg, "only a stale record"));
    for (w->sel = 0; w->sel < w->n && strcmp(w->runs[w->sel].rel, "dead"); w->sel++) {}
    assert_true(w->sel < w->n);
    assert_int_equal(tui_handle_key(&app, 'd', 0), R_REDRAW);
    snprintf(p, sizeof p, "%s/.dead.live", root);
    struct stat sb;
    assert_int_not_equal(lstat(p, &sb), 0);
    row_of("dead", &c);
    assert_int_equal(c, 0);
    /* keys: x cycles the x axis, y log, q back */
    assert_int_equal(tui_handle_key(&app, 'x', 0), R_REDRAW);
    assert_int_equal(w->view.xmode, TUI_X_STEP);
    assert_int_equal(tui_handle_key(&app, 'q', 0) & R_REDRAW, R_REDRAW);
    assert_int_equal(app.screen, SCR_LIBRARY);   /* back where W was pressed */
    tui_screens_reset();
}

/* the library's row of rel (its index in runs) and how many rows have it */
static size_t lib_row(const char *rel, int *count)
{
    tui_library_state *L = tui_library();
    size_t at = L->n;
    *count = 0;
    for (size_t i = 0; i < L->n; i++)
        if (!strcmp(L->rel[i], rel)) at = i, (*count)++;
    return at;
}

static void lib_select(const char *rel)
{
    tui_library_state *L = tui_library();
    for (L->sel = 0; L->sel < L->n_shown && strcmp(L->rel[L->shown[L->sel]], rel); L->sel++) {}
    assert_true(L->sel < L->n_shown);
}

/* Runs other processes train are rows of the library: marked ● running (✗ stale), status
 * running / stale, the latest epoch's metrics, filtered and sorted as the others; Enter
 * watches one, d / r refuse it, compare takes its history; once saved, one row, saved. */
static void test_library_rows(void **st)
{
    (void)st;
    memset(&app, 0, sizeof app);
    tui_screens_reset();
    char cmd[1400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'/* '%s'/.[!.]*; mkdir '%s/lib'", root, root, root);
    assert_int_equal(system(cmd), 0);
    app.unicode = app.braille = 1;
    snprintf(app.runs_dir, sizeof app.runs_dir, "%s/lib", root);
    snprintf(cmd, sizeof cmd, "cp -r '%s/tests/fixtures/runs/seq' '%s/lib/old'", CS_SRCDIR, root);
    assert_int_equal(system(cmd), 0);
    char run[700];
    snprintf(run, sizeof run, "%s/lib/gru-a", root);
    cs_snapshot s;
    snap_of(&s, 3, 100);
    cs_live_meta meta = {1000, "lstm h24 lr 0.01 batch 64 seed 7 data shop.csv", CS_RUN_LOADING};
    cs_error err;
    assert_int_equal(cs_live_write(run, &meta, &s, &err), CS_OK);
    cs_snapshot_free(&s);
    tui_library_open(&app);
    tui_library_state *L = tui_library();
    int c;
    size_t i = lib_row("gru-a", &c);
    assert_int_equal(c, 1);
    assert_int_equal(L->n, 2);
    assert_int_equal(L->live[i], TUI_LIB_RUNNING);
    assert_int_equal(L->runs[i].cfg.model.cell, CS_CELL_LSTM);   /* from the record's desc */
    assert_int_equal(L->runs[i].cfg.model.hidden[0], 24);
    assert_int_equal(L->runs[i].cfg.batch, 64);
    assert_int_equal(L->runs[i].n_hist, 3);
    assert_int_equal(L->live[lib_row("old", &c)], TUI_LIB_SAVED);
    assert_true(drawn_has(160, 48, "●gru-a"));
    assert_true(drawn_has(160, 48, "running"));
    assert_true(drawn_has(160, 48, "0.300"));   /* epoch 3's validation PR-AUC (0.2 + 2 x 0.05) */
    assert_true(drawn_has(80, 24, "●gru-a"));
    /* it goes on: the tick's poll updates its row in place */
    snap_of(&s, 5, 100);
    assert_int_equal(cs_live_write(run, &meta, &s, &err), CS_OK);
    cs_snapshot_free(&s);
    assert_int_not_equal(tui_library_tick(&app, 10.0), 0);
    i = lib_row("gru-a", &c);
    assert_int_equal(c, 1);
    assert_int_equal(L->runs[i].n_hist, 5);
    assert_true(drawn_has(160, 48, "0.400"));
    /* filtered and sorted like any row */
    snprintf(L->filter, sizeof L->filter, "running");
    tui_library_apply();
    assert_int_equal(L->n_shown, 1);
    assert_string_equal(L->rel[L->shown[0]], "gru-a");
    snprintf(L->filter, sizeof L->filter, "lstm");
    tui_library_apply();
    assert_int_equal(L->n_shown, 1);
    L->filter[0] = '\0';
    L->sort = 5;   /* status: "done" < "running" */
    tui_library_apply();
    assert_int_equal(L->n_shown, 2);
    assert_string_equal(L->rel[L->shown[1]], "gru-a");
    L->sort_desc = 1;
    tui_library_apply();
    assert_string_equal(L->rel[L->shown[0]], "gru-a");
    L->sort = 0;
    L->sort_desc = 0;
    tui_library_apply();
    /* d and r refuse it; Enter opens it in the watch view, selected */
    lib_select("gru-a");
    assert_int_equal(tui_handle_key(&app, 'd', 0), R_REDRAW);
    assert_false(L->confirm_delete);
    assert_non_null(strstr(app.msg, "still training in another process"));
    assert_int_equal(tui_handle_key(&app, 'r', 0), R_REDRAW);
    assert_int_equal(app.screen, SCR_LIBRARY);
    assert_int_equal(tui_handle_key(&app, '\r', 0) & R_REDRAW, R_REDRAW);
    assert_int_equal(app.screen, SCR_WATCH);
    tui_watch_state *w = tui_watch();
    assert_true(w->sel < w->n);
    assert_string_equal(w->runs[w->sel].rel, "gru-a");
    assert_int_equal(tui_handle_key(&app, 'q', 0) & R_REDRAW, R_REDRAW);
    assert_int_equal(app.screen, SCR_LIBRARY);
    /* marked with a saved run: compared, with its history so far */
    for (size_t k = 0; k < L->n; k++) L->marked[k] = 1;
    assert_int_equal(tui_handle_key(&app, 'c', 0) & R_REDRAW, R_REDRAW);
    assert_int_equal(app.screen, SCR_COMPARE);
    /* the compare follows the run while it trains: a new epoch in its record adds to its
     * curves at the next poll (and redraws); no new epoch, no redraw */
    tui_compare_state *C = tui_compare();
    size_t cj = C->n;
    for (size_t k = 0; k < C->n; k++)
        if (strstr(C->runs[k].path, "/gru-a")) cj = k;
    assert_true(cj < C->n);
    assert_int_equal(C->runs[cj].n_hist, 5);
    const tui_screen *cmp = tui_screen_of(SCR_COMPARE);
    assert_int_equal(cmp->tick(&app, 10.0), 0);
    snap_of(&s, 7, 100);
    assert_int_equal(cs_live_write(run, &meta, &s, &err), CS_OK);
    cs_snapshot_free(&s);
    assert_int_equal(cmp->tick(&app, 10.0) & R_REDRAW, R_REDRAW);
    assert_int_equal(C->runs[cj].n_hist, 7);
    /* the groups rebuilt over the grown run: its group has a point at epoch 7 now */
    size_t g = report_group_of(&C->rep, cj);
    double x, mean, sd;
    assert_true(tui_compare_group_point(C, g, 6, &x, &mean, &sd) > 0);
    assert_true(tui_compare_group_point(C, g, 7, &x, &mean, &sd) == 0);
    assert_int_equal(tui_handle_key(&app, 'q', 0) & R_REDRAW, R_REDRAW);
    assert_int_equal(app.screen, SCR_LIBRARY);
    for (size_t k = 0; k < L->n; k++) L->marked[k] = 0;
    /* a writer that died: stale at the next poll, its own marker */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char r2[700];
        snprintf(r2, sizeof r2, "%s/lib/dead", root);
        cs_live_meta m2 = {0, "rnn h8", CS_RUN_LOADING};
        _exit(cs_live_write(r2, &m2, NULL, &err) == CS_OK ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_not_equal(tui_library_tick(&app, 10.0), 0);
    i = lib_row("dead", &c);
    assert_int_equal(c, 1);
    assert_int_equal(L->live[i], TUI_LIB_STALE);
    assert_true(drawn_has(160, 48, "✗dead"));
    assert_true(drawn_has(160, 48, "stale"));
    assert_true(drawn_has(160, 48, "● 1 training, 1 stale (W watches)"));
    /* the main screen's runs pane marks them too: ● with the epoch (7, written above), ✗ stale */
    tui_canvas cv;
    assert_int_equal(tui_canvas_init(&cv, 40, 12, 1), 0);
    tui_draw_runs_pane(&app, &cv, (tui_rect){0, 0, 40, 12});
    assert_true(tui_canvas_find(&cv, "● gru-a"));
    assert_true(tui_canvas_find(&cv, "ep 7/20"));
    assert_true(tui_canvas_find(&cv, "✗ dead"));
    tui_canvas_free(&cv);
    /* saved while its record is still there (and while compared): the compare takes the
     * saved run at its next poll, with its test scores; the library, one row, the saved run */
    lib_select("gru-a");
    for (size_t k = 0; k < L->n; k++) L->marked[k] = !strcmp(L->rel[k], "gru-a") || !strcmp(L->rel[k], "old");
    assert_int_equal(tui_handle_key(&app, 'c', 0) & R_REDRAW, R_REDRAW);
    assert_int_equal(app.screen, SCR_COMPARE);
    cj = C->n;
    for (size_t k = 0; k < C->n; k++)
        if (strstr(C->runs[k].path, "/gru-a")) cj = k;
    assert_true(cj < C->n);
    assert_true(C->live[cj]);
    assert_false(C->runs[cj].has_test);
    snprintf(cmd, sizeof cmd, "cp -r '%s/tests/fixtures/runs/seq' '%s'", CS_SRCDIR, run);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(cmp->tick(&app, 10.0) & R_REDRAW, R_REDRAW);
    assert_false(C->live[cj]);
    assert_true(C->runs[cj].has_test);
    assert_int_equal(cmp->tick(&app, 10.0), 0);   /* nothing live any more: no poll, no redraw */
    assert_int_equal(tui_handle_key(&app, 'q', 0) & R_REDRAW, R_REDRAW);
    assert_int_equal(app.screen, SCR_LIBRARY);
    for (size_t k = 0; k < L->n; k++) L->marked[k] = 0;
    assert_int_not_equal(tui_library_tick(&app, 10.0), 0);
    i = lib_row("gru-a", &c);
    assert_int_equal(c, 1);
    assert_int_equal(L->live[i], TUI_LIB_SAVED);
    assert_true(L->runs[i].has_test);
    assert_false(drawn_has(160, 48, "●gru-a"));
    cs_live_remove(run);
    assert_int_not_equal(tui_library_tick(&app, 10.0), 0);
    lib_row("gru-a", &c);
    assert_int_equal(c, 1);
    assert_int_equal(L->n, 3);   /* old, gru-a, dead */
    /* in a folder (a sweep's --out): the folded folder's row carries the marker, unfolded
     * the run's own row */
    char sw[700];
    snprintf(sw, sizeof sw, "%s/lib/sw", root);
    mkdir(sw, 0755);
    snprintf(run, sizeof run, "%s/lib/sw/gru-s1", root);
    snap_of(&s, 2, 10);
    assert_int_equal(cs_live_write(run, &meta, &s, &err), CS_OK);
    cs_snapshot_free(&s);
    assert_int_not_equal(tui_library_tick(&app, 10.0), 0);
    i = lib_row("sw/gru-s1", &c);
    assert_int_equal(c, 1);
    assert_int_equal(L->live[i], TUI_LIB_RUNNING);
    size_t fr = L->n_rows;
    for (size_t k = 0; k < L->n_rows; k++)
        if (L->rows[k].kind == TUI_LIB_FOLDER) fr = k;
    assert_true(fr < L->n_rows);
    assert_true(drawn_has(160, 48, "●▸ sw/ (1 run)"));
    assert_false(drawn_has(160, 48, "gru-s1"));
    L->sel = fr;
    assert_int_equal(tui_handle_key(&app, '\r', 0) & R_REDRAW, R_REDRAW);   /* unfolds it */
    assert_int_equal(app.screen, SCR_LIBRARY);
    assert_true(drawn_has(160, 48, "●▾ sw/ (1 run)"));
    assert_true(drawn_has(160, 48, "●  gru-s1"));
    tui_screens_reset();
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_watch),
        cmocka_unit_test(test_library_rows),
    };
    return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
