/* test_tui_exec.c — the workbench's command executor (exec.c, queue.c) without a terminal:
 * what each command changes and says, refusals, and the jobs it starts: `t` through
 * cs_run_train, `T` and `:sweep` through cs_sweep_run, with the data loaded once.
 *
 * The data is a copy of the demo shop in a scratch directory, loaded into the worker's
 * cache as the workbench does at start-up -- and then deleted: every run after that must
 * reuse the loaded data (a run that read the file again would fail), which is how the
 * "a 6-run :sweep reads the data file once" claim is checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "app/tui/app.h"

static tui_app app;
static char dir[128], runs[160], data[160];

/* RUNS/name[/file] exists. */
static int exists_in(const char *name, const char *file)
{
    char p[1400];
    struct stat sb;
    snprintf(p, sizeof p, "%s/%s%s%s", runs, name, file ? "/" : "", file ? file : "");
    return stat(p, &sb) == 0;
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[65536];
    size_t n;
    int ok = in && out;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0) ok = fwrite(buf, 1, n, out) == n;
    if (in) fclose(in);
    if (out && fclose(out)) ok = 0;
    return ok ? 0 : -1;
}

/* Poll the jobs as the loop does until nothing runs or is queued (at most 120 s). */
static void run_jobs(tui_app *a)
{
    for (int i = 0; i < 120 * 200 && (tui_worker_active(&a->worker) || a->nqueue); i++) {
        struct timespec ts = {0, 5 * 1000000L};
        nanosleep(&ts, NULL);
        tui_app_poll_jobs(a);
    }
    assert_false(tui_worker_active(&a->worker));
    assert_int_equal(a->nqueue, 0);
}

/* A workbench on the demo data, loaded into the worker's cache; the file then deleted. */
static int setup(void **st)
{
    (void)st;
    snprintf(dir, sizeof dir, "/tmp/clickseq-exec-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    snprintf(runs, sizeof runs, "%s/runs", dir);
    snprintf(data, sizeof data, "%s/shop.csv", dir);
    if (copy_file(CS_SRCDIR "/data/demo-shop.csv", data)) return -1;
    memset(&app, 0, sizeof app);
    tui_screens_reset();
    if (tui_worker_init(&app.worker)) return -1;
    cs_run_config_init(&app.cfg);
    snprintf(app.runs_dir, sizeof app.runs_dir, "%s", runs);
    snprintf(app.cfg.data, sizeof app.cfg.data, "%s", data);
    const char *small[][2] = {{"hidden", "8"}, {"epochs", "2"}, {"threads", "1"}, {"batch", "64"},
                              {"patience", "0"}};
    for (size_t i = 0; i < sizeof small / sizeof small[0]; i++)
        if (cs_param_set(&app.cfg, small[i][0], small[i][1], NULL) != CS_OK) return -1;
    cs_error err;
    if (tui_eng_data_load(app.worker.cache, &app.cfg, &app.data, &err) != CS_OK) return -1;
    app.data_ok = 1;
    tui_eng_use_data(&app.data);
    tui_form_select("cell");
    return unlink(data);   /* from here on the data exists only in the cache */
}

static int teardown(void **st)
{
    (void)st;
    tui_app_stop_jobs(&app);
    tui_worker_shutdown(&app.worker);
    cs_data_cache_free(app.loader.cache);
    cs_data_cache_free(app.pending_cache);
    cs_snapshot_free(&app.snap);
    if (app.have_last) tui_run_free(&app.last);
    tui_screens_reset();
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_set_and_refusals(void **st)
{
    (void)st;
    assert_int_equal(tui_exec_line(&app, "set hidden 48"), R_REDRAW);
    assert_int_equal(app.cfg.model.hidden[0], 48);
    assert_string_equal(app.msg, "hidden = 48");
    assert_string_equal(cs_param_at((size_t)tui_main()->form.sel)->name, "hidden");   /* the form follows */
    assert_int_equal(tui_exec_line(&app, "set dropout 2"), R_REDRAW);
    assert_true(app.msg_err);
    assert_non_null(strstr(app.msg, "dropout: 2 is out of range"));
    assert_int_equal(tui_exec_line(&app, "set nosuch 1"), R_REDRAW);
    assert_true(app.msg_err);
    tui_exec_line(&app, "bogus");
    assert_true(app.msg_err);
    assert_int_equal(tui_exec_line(&app, ""), R_NONE);
    tui_exec_line(&app, "pause");
    assert_string_equal(app.msg, "nothing is training");
    tui_exec_line(&app, "stop");
    assert_string_equal(app.msg, "nothing is training");
    tui_exec_line(&app, "step 1");
    assert_non_null(strstr(app.msg, "only while replaying"));
    tui_exec_line(&app, "compare");
    assert_non_null(strstr(app.msg, "compare needs 2 or more runs"));
    tui_exec_line(&app, "replay");
    assert_non_null(strstr(app.msg, "no run to replay"));
    tui_exec_line(&app, "save");
    assert_non_null(strstr(app.msg, "no finished run to save yet"));
    tui_exec_line(&app, "mark");
    assert_true(app.msg_err);
    /* :preset best: the form's settings become the preset's, the data stays, and the
     * message says what changed */
    cs_run_config before = app.cfg;   /* the later tests train with the settings of setup */
    assert_int_equal(tui_exec_line(&app, "preset best"), R_REDRAW);
    assert_false(app.msg_err);
    assert_non_null(strstr(app.msg, "preset best: "));
    assert_non_null(strstr(app.msg, "view hybrid"));
    assert_int_equal(app.cfg.ds.view, CS_VIEW_HYBRID);
    assert_int_equal(app.cfg.ds.history, 1);
    assert_string_equal(app.cfg.data, before.data);
    tui_exec_line(&app, "preset nosuch");
    assert_true(app.msg_err);
    assert_non_null(strstr(app.msg, "unknown preset 'nosuch'"));
    assert_int_equal(app.cfg.ds.view, CS_VIEW_HYBRID);   /* a refused preset changes nothing */
    app.cfg = before;
    assert_int_equal(tui_exec_line(&app, "help"), R_REDRAW);
    assert_true(app.help);
    assert_int_equal(tui_exec_line(&app, "quit"), R_QUIT);
    assert_false(tui_worker_active(&app.worker));   /* nothing was started */
}

static void test_sweep_refusals(void **st)
{
    (void)st;
    tui_exec_line(&app, "sweep nosuch=1,2");
    assert_non_null(strstr(app.msg, "unknown parameter 'nosuch'"));
    tui_exec_line(&app, "sweep hidden=8,0");
    assert_true(app.msg_err);
    assert_non_null(strstr(app.msg, "hidden"));
    tui_exec_line(&app, "sweep cell=rnn seeds=0");
    assert_non_null(strstr(app.msg, "seeds=0: a number of seeds in 1..64"));
    tui_exec_line(&app, "sweep hidden=1,2,3,4,5,6,7,8,9 epochs=1,2,3,4,5,6,7,8");
    assert_non_null(strstr(app.msg, "72 runs do not fit in the queue (64 free)"));
    assert_false(app.sweep.active);
    assert_false(tui_worker_active(&app.worker));
    app.data_ok = 0;
    tui_exec_line(&app, "sweep cell=rnn,gru");
    assert_string_equal(app.msg, "no data: :load FILE first");
    tui_exec_line(&app, "train");
    assert_string_equal(app.msg, "no data: :load FILE first");
    app.data_ok = 1;
}

/* `t`: one run through cs_run_train on the cached data, saved under its name, then under
 * NAME-2 when trained again; `:save NAME` renames the last run; mark and compare. */
static void test_train_saves_and_reuses_the_data(void **st)
{
    (void)st;
    assert_int_equal(tui_exec_line(&app, "train"), R_REDRAW);
    assert_true(tui_worker_active(&app.worker));
    assert_string_equal(app.msg, "training");
    run_jobs(&app);
    assert_false(app.msg_err);
    assert_non_null(strstr(app.msg, "gru-h8 done: saved"));
    assert_true(exists_in("gru-h8", "history.csv"));
    tui_exec_line(&app, "train");
    run_jobs(&app);
    assert_non_null(strstr(app.msg, "gru-h8-2 done: saved"));
    assert_true(exists_in("gru-h8-2", "model.bin"));
    assert_int_equal(app.nruns, 2);
    tui_exec_line(&app, "save best");   /* renames the session's last run: no copy */
    assert_non_null(strstr(app.msg, "/best (renamed from gru-h8-2, no copy)"));
    assert_true(exists_in("best", "model.bin"));
    assert_false(exists_in("gru-h8-2", "model.bin"));
    assert_int_equal(app.nruns, 2);
    tui_exec_line(&app, "save ../x");
    assert_non_null(strstr(app.msg, "save: name: '../x' may hold only"));   /* the --name rule */
    /* mark two runs and compare them */
    tui_exec_line(&app, "mark gru-h8");
    tui_exec_line(&app, "mark best");
    assert_string_equal(app.msg, "2 run(s) marked: c compares them");
    assert_int_equal(tui_exec_line(&app, "compare"), R_REDRAW);
    assert_int_equal(app.screen, SCR_COMPARE);
    assert_int_equal(tui_compare()->n, 2);
    /* r on the compare screen replays the first compared run */
    tui_exec_line(&app, "replay");
    assert_int_equal(app.screen, SCR_REPLAY);
    assert_string_equal(tui_replay()->run.name, tui_compare()->runs[0].name);
}

/* The proof of "reads once": the data file is gone, yet a 6-run :sweep trains and saves
 * every run and its table holds the baselines as `clickseq sweep` writes them. */
static void test_sweep_of_six_runs_on_the_loaded_data(void **st)
{
    (void)st;
    tui_exec_line(&app, "sweep cell=rnn,gru,lstm epochs=1,2");
    assert_string_equal(app.msg, "sweep: 6 runs queued (6 configurations x 1 seed)");
    assert_true(app.sweep.active);
    assert_int_equal(tui_app_waiting(&app), 5);   /* the first one runs */
    tui_exec_line(&app, "sweep cell=rnn");
    assert_non_null(strstr(app.msg, "a sweep is running"));
    run_jobs(&app);
    assert_false(app.msg_err);
    assert_non_null(strstr(app.msg, "sweep done (6/6 runs): table sweep-"));
    const char *names[] = {"rnn-e1-s1", "rnn-e2-s1", "gru-e1-s1", "gru-e2-s1", "lstm-e1-s1",
                           "lstm-e2-s1", "logreg-d0-s1"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!exists_in(names[i], "model.bin")) fail_msg("no run %s", names[i]);
    char md[1300];
    snprintf(md, sizeof md, "%s/results.md", app.sweep.dir);
    FILE *f = fopen(md, "r");
    assert_non_null(f);
    char line[512];
    int configs = 0, majority = 0, cart = 0, logreg = 0;
    while (fgets(line, sizeof line, f)) {
        configs += !strncmp(line, "| rnn | ", 8) || !strncmp(line, "| gru | ", 8) || !strncmp(line, "| lstm | ", 9);
        majority += !strncmp(line, "| majority | - |", 16);
        cart += !strncmp(line, "| has-cart | - |", 16);
        logreg += !strncmp(line, "| logreg (baseline) | - |", 25);
    }
    fclose(f);
    assert_int_equal(configs, 6);
    assert_int_equal(majority, 1);
    assert_int_equal(cart, 1);
    assert_int_equal(logreg, 1);
    /* the same sweep again: the names are taken, the runs get -2 (none replaced) */
    tui_exec_line(&app, "sweep cell=rnn,gru,lstm epochs=1,2");
    run_jobs(&app);
    assert_non_null(strstr(app.msg, "sweep done (6/6 runs)"));
    assert_true(exists_in("lstm-e2-s1-2", "model.bin"));
    assert_true(exists_in("rnn-e1-s1", "model.bin"));
}

/* T (train rnn gru lstm): one grid job of the three cells, no table; names CELL-hH-s1. */
static void test_three_cells(void **st)
{
    (void)st;
    tui_exec_line(&app, "train rnn gru lstm");
    assert_string_equal(app.msg, "training (the rest queued)");
    tui_exec_line(&app, "train");
    assert_string_equal(app.msg, "queued: 3 runs waiting");
    run_jobs(&app);
    assert_true(exists_in("rnn-h8-s1", "model.bin"));
    assert_true(exists_in("gru-h8-s1", "model.bin"));
    assert_true(exists_in("lstm-h8-s1", "model.bin"));
    assert_true(exists_in("gru-h8", "model.bin"));   /* the queued `t` after it */
    assert_false(app.sweep.active);
    tui_exec_line(&app, "train rnn nosuch");
    assert_true(app.msg_err);
    assert_false(tui_worker_active(&app.worker));
}

/* stop during a sweep: the run in progress is saved as stopped, the rest are not run, the
 * table holds the finished runs. */
static void test_stop_a_sweep(void **st)
{
    (void)st;
    cs_param_set(&app.cfg, "epochs", "200", NULL);
    tui_exec_line(&app, "sweep cell=rnn,gru,lstm");
    for (int i = 0; i < 2000 && !(app.have_snap && app.snap.n_hist >= 1); i++) {
        struct timespec ts = {0, 5 * 1000000L};
        nanosleep(&ts, NULL);
        tui_app_poll_jobs(&app);
    }
    assert_true(app.have_snap && app.snap.n_hist >= 1);
    tui_exec_line(&app, "stop");
    assert_string_equal(app.msg, "stopping (queue cleared)");
    run_jobs(&app);
    assert_non_null(strstr(app.msg, "sweep stopped (1/3 runs): table"));
    assert_true(exists_in("rnn-s1", "model.bin"));
    assert_false(exists_in("gru-s1", NULL));
    assert_false(app.sweep.active);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_set_and_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sweep_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_train_saves_and_reuses_the_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sweep_of_six_runs_on_the_loaded_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_three_cells, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_a_sweep, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
