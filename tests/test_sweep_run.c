/* test_sweep_run.c — cs_sweep_run as the workbench calls it: a monitor per run from the
 * begin hook, an end hook per finished run, cancellation between runs, the results rows and
 * the saved runs; and cs_run_train, the one call that runs a configuration; on a small
 * simulated shop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "clickseq/runner.h"
#include "clickseq/runstore.h"
#include "clickseq/simulate.h"
#include "clickseq/sweep.h"
#include "clickseq/xgb.h"

typedef struct watch {
    int begun, ended, failed, cancel_after;
    cs_monitor *mon[8];
    char names[8][64];
} watch;

static cs_monitor *on_begin(void *ud, size_t i, size_t n, const cs_run_config *cfg)
{
    watch *w = ud;
    assert_true(i < n);
    assert_int_equal(i, (size_t)w->begun);      /* in order, one at a time */
    w->mon[w->begun] = cs_monitor_new();
    snprintf(w->names[w->begun], sizeof w->names[0], "%s", cfg->name);
    return w->mon[w->begun++];
}

static void on_end(void *ud, size_t i, size_t n, const cs_run_config *cfg,
                   const cs_train_result *res, cs_status st, const cs_error *err)
{
    watch *w = ud;
    (void)n;
    (void)err;
    assert_int_equal(i, (size_t)w->ended);
    assert_string_equal(cfg->name, w->names[i]);
    if (st == CS_OK) {
        assert_non_null(res);
        assert_non_null(res->model);
        /* the run's monitor saw it to the end */
        cs_snapshot snap;
        memset(&snap, 0, sizeof snap);
        cs_monitor_read(w->mon[i], &snap);
        assert_int_equal(snap.state, CS_RUN_DONE);
        assert_true(snap.n_hist >= 1);
        cs_snapshot_free(&snap);
    } else {
        w->failed++;
    }
    w->ended++;
}

static int on_cancelled(void *ud)
{
    watch *w = ud;
    return w->cancel_after > 0 && w->ended >= w->cancel_after;
}

static char dir[64];
static char shop[128];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/cs-test-sweeprun.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(shop, sizeof shop, "%s/shop.csv", dir);
    cs_sim_opts o;
    cs_sim_opts_init(&o);
    o.sessions = 400;
    o.seed = 3;
    return cs_simulate_write(&o, shop, NULL, NULL) == CS_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void base_config(cs_run_config *c)
{
    cs_run_config_init(c);
    snprintf(c->data, sizeof c->data, "%s", shop);
    c->epochs = 2;
    c->batch = 64;
    c->threads = 1;
    c->model.hidden[0] = 8;
}

/* A sweep of base_config over one grid axis, watched by the hooks. */
typedef struct sweep_case {
    cs_run_config base;
    cs_sweep_grid g;
    cs_error err;
    watch w;
    cs_results res;
} sweep_case;

static void sweep_begin(sweep_case *s, const char *axis, const char *values)
{
    memset(s, 0, sizeof *s);
    base_config(&s->base);
    cs_sweep_grid_init(&s->g);
    assert_int_equal(cs_sweep_grid_add(&s->g, axis, values, &s->err), CS_OK);
}

static void sweep_end(sweep_case *s)
{
    for (int i = 0; i < s->w.begun; i++)
        cs_monitor_free(s->w.mon[i]);
    cs_results_free(&s->res);
    cs_sweep_grid_free(&s->g);
}

static void test_hooks_rows_and_saved_runs(void **state)
{
    (void)state;
    sweep_case sc;
    sweep_begin(&sc, "cell", "rnn,gru");
    sc.g.seeds = 2;
    char out[128];
    snprintf(out, sizeof out, "%s/sw", dir);
    cs_sweep_opts so = {out, 0, 1, NULL, 0, NULL};
    cs_sweep_hooks h = {&sc.w, on_begin, on_end, on_cancelled};
    assert_int_equal(cs_sweep_run(&sc.base, &sc.g, &so, &h, &sc.res, &sc.err), CS_OK);
    /* 4 grid runs + 2 logreg baselines through the hooks; + 2 x (majority, has-cart) rows,
     * + 2 xgboost rows in a build with XGBoost */
    assert_int_equal(sc.w.begun, 6);
    assert_int_equal(sc.w.ended, 6);
    assert_int_equal(sc.w.failed, 0);
    assert_int_equal(sc.res.n, 10 + 2 * cs_xgb_available());
    if (cs_xgb_available()) {
        size_t nx = 0;
        for (size_t i = 0; i < sc.res.n; i++)
            if (!strcmp(sc.res.rows[i].key[0], "xgboost (baseline)")) {
                nx++;
                assert_true(sc.res.rows[i].test.pr_auc > 0.0 && sc.res.rows[i].test.pr_auc <= 1.0);
            }
        assert_int_equal(nx, 2);
    }
    assert_string_equal(sc.res.key_names[0], "model");
    assert_int_equal(sc.res.n_keys, 1);                 /* the cell axis is the model column */
    assert_string_equal(sc.res.rows[0].key[0], "rnn");
    assert_int_equal(sc.res.rows[0].seed, 1);
    assert_int_equal(sc.res.rows[1].seed, 2);
    assert_string_equal(sc.res.rows[2].key[0], "gru");
    assert_true(sc.res.rows[2].nparams > sc.res.rows[0].nparams);   /* a GRU has 3 gates */
    /* every trained row points at a run the run store can load, with its weights */
    for (size_t i = 0; i < sc.res.n; i++) {
        if (!sc.res.rows[i].run[0])
            continue;
        cs_run run;
        memset(&run, 0, sizeof run);
        assert_int_equal(cs_run_load(sc.res.rows[i].run, CS_RUN_WEIGHTS, &run, &sc.err), CS_OK);
        assert_int_equal(run.nparams, sc.res.rows[i].nparams);
        assert_int_equal(run.cfg.seed, sc.res.rows[i].seed);
        cs_run_free(&run);
    }
    sweep_end(&sc);
}

static void test_cancel_between_runs(void **state)
{
    (void)state;
    sweep_case sc;
    sweep_begin(&sc, "hidden", "4,8,12");
    sc.w.cancel_after = 1;
    cs_sweep_opts so = {NULL, 0, 1, NULL, 0, NULL};                /* not saved */
    cs_sweep_hooks h = {&sc.w, on_begin, on_end, on_cancelled};
    assert_int_equal(cs_sweep_run(&sc.base, &sc.g, &so, &h, &sc.res, &sc.err), CS_ECANCEL);
    assert_int_equal(sc.w.ended, 1);
    assert_int_equal(sc.res.n, 1);                      /* the rows so far are kept */
    assert_string_equal(sc.res.rows[0].key[1], "4");
    assert_string_equal(sc.res.rows[0].run, "");
    sweep_end(&sc);
}

static void test_bad_grid_value_is_an_input_error(void **state)
{
    (void)state;
    sweep_case sc;
    sweep_begin(&sc, "lr", "1e-3,-5");   /* the text is fine */
    assert_int_equal(cs_sweep_run(&sc.base, &sc.g, NULL, NULL, &sc.res, &sc.err), CS_EINPUT);
    assert_non_null(strstr(sc.err.msg, "lr"));
    sweep_end(&sc);
}

static void copy_file(const char *from, const char *to)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
    assert_int_equal(system(cmd), 0);
}

/* One call: load (relative path) -> split -> shape -> absolute paths -> train -> save; a
 * cache reuses the loaded data while the data options are unchanged (the file is gone for
 * the second run), and a changed data option loads again (and fails, through the monitor). */
static void test_run_train_saves_and_reuses_the_data(void **state)
{
    (void)state;
    char cwd[1024], data[256], out[256];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(chdir(dir), 0);
    snprintf(data, sizeof data, "%s/copy.csv", dir);
    copy_file(shop, data);
    cs_run_config c;
    base_config(&c);
    snprintf(c.data, sizeof c.data, "copy.csv");
    cs_data_cache *dc = cs_data_cache_new();
    cs_monitor *mon = cs_monitor_new();
    assert_non_null(dc);
    assert_non_null(mon);
    snprintf(out, sizeof out, "%s/one", dir);
    cs_run_opts ro = {dc, mon, out, NULL, NULL, NULL, NULL, NULL};
    cs_trained t;
    cs_error err;
    assert_int_equal(cs_run_train(&c, &ro, &t, &err), CS_OK);
    assert_string_equal(t.cfg.data, data);                    /* absolute */
    assert_int_equal(t.cfg.model.view, CS_VIEW_SEQUENCE);     /* shaped by the data */
    assert_true(t.cfg.model.n_types >= 3);
    assert_int_equal(t.n_train + t.n_valid + t.n_test, t.n_sessions);
    assert_true(t.n_sessions > 300);
    cs_run run;
    assert_int_equal(cs_run_load(out, CS_RUN_WEIGHTS, &run, &err), CS_OK);
    assert_string_equal(run.cfg.data, data);
    assert_int_equal(run.fingerprint, t.fingerprint);
    assert_int_equal(run.nparams, cs_model_nparams(t.res.model));
    assert_int_equal(run.n_type_names, t.n_types);
    cs_run_free(&run);
    cs_trained_free(&t);

    assert_int_equal(unlink(data), 0);
    c.model.hidden[0] = 4;                                    /* a model option only */
    ro.out_dir = NULL;
    assert_int_equal(cs_run_train(&c, &ro, &t, &err), CS_OK);
    assert_non_null(t.res.model);
    cs_trained_free(&t);

    c.session_gap_min = 45;                                   /* a data option: load again */
    assert_int_not_equal(cs_run_train(&c, &ro, &t, &err), CS_OK);
    assert_non_null(strstr(err.msg, "copy.csv"));
    cs_snapshot snap;
    memset(&snap, 0, sizeof snap);
    cs_monitor_read(mon, &snap);
    assert_int_equal(snap.state, CS_RUN_FAILED);
    cs_snapshot_free(&snap);
    cs_trained_free(&t);
    cs_monitor_free(mon);
    cs_data_cache_free(dc);
    assert_int_equal(chdir(cwd), 0);
}

/* A stop asked for before the call (while the data loads) stops the run, which is still
 * saved (as stopped), as `clickseq train` does on Ctrl-C. */
static void test_run_train_stop_request_is_saved_as_stopped(void **state)
{
    (void)state;
    cs_run_config c;
    base_config(&c);
    c.epochs = 50;
    cs_monitor *mon = cs_monitor_new();
    cs_monitor_stop(mon);
    char out[256];
    snprintf(out, sizeof out, "%s/stopped", dir);
    cs_run_opts ro = {NULL, mon, out, NULL, NULL, NULL, NULL, NULL};
    cs_trained t;
    cs_error err;
    assert_int_equal(cs_run_train(&c, &ro, &t, &err), CS_OK);
    assert_int_equal(t.res.stopped, 1);
    assert_true(t.res.n_hist < 50);
    cs_run run;
    assert_int_equal(cs_run_load(out, 0, &run, &err), CS_OK);
    assert_int_equal(run.stopped, 1);
    cs_run_free(&run);
    cs_trained_free(&t);
    cs_monitor_free(mon);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hooks_rows_and_saved_runs),
        cmocka_unit_test(test_cancel_between_runs),
        cmocka_unit_test(test_bad_grid_value_is_an_input_error),
        cmocka_unit_test(test_run_train_saves_and_reuses_the_data),
        cmocka_unit_test(test_run_train_stop_request_is_saved_as_stopped),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
