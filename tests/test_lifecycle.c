/* test_lifecycle.c — no run is ever lost (issue 9, items 3, 8, 11): how a run ended is
 * stored and read back (status), any number of processes saving under one automatic name
 * keep every run (the name is claimed atomically), a diverged training keeps its finished
 * epochs and weights and can be saved, and a sweep whose save fails for one run goes on
 * and marks it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "clickseq/pipeline.h"
#include "clickseq/runstore.h"
#include "clickseq/simulate.h"
#include "clickseq/sweep.h"

#define SCRATCH_TEMPLATE "/tmp/cs-lifecycle-XXXXXX"
#include "test_config_util.h"
#include "test_scratch.h"

typedef struct fake {
    cs_run_config cfg;
    cs_train_result res;
    cs_epoch hist[2];
} fake;

/* A small result with two epochs and no weights (the run store saves it without model.bin). */
static void make_fake(fake *f)
{
    memset(f, 0, sizeof *f);
    cs_run_config_init(&f->cfg);
    for (int e = 0; e < 2; e++) {
        f->hist[e].epoch = e + 1;
        f->hist[e].train_loss = 0.5;
        f->hist[e].valid_loss = 0.6;
        f->hist[e].valid.cm = (cs_confusion){1, 2, 3, 4};
    }
    f->res.hist = f->hist;
    f->res.n_hist = 2;
    f->res.best_epoch = 1;
    f->res.threshold = 0.5;
}

static cs_status save_as(const char *name, fake *f, int unique, char *saved, size_t n, cs_error *e)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    cs_run_save_info info = {1, NULL, 0, NULL, 0, NULL, 0, NULL, NULL, 0};
    return unique ? cs_run_save_unique(dir, &f->cfg, &f->res, &info, saved, n, e)
                  : cs_run_save(dir, &f->cfg, &f->res, &info, e);
}

static cs_run_status load_status(const char *name, int *stopped)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    cs_run r;
    cs_error e;
    if (cs_run_load(dir, CS_RUN_HISTORY, &r, &e) != CS_OK)
        fail_msg("%s", e.msg);
    cs_run_status s = r.status;
    if (stopped)
        *stopped = r.stopped;
    assert_int_equal(r.n_hist, 2);   /* every finished epoch */
    cs_run_free(&r);
    return s;
}

/* Remove summary.txt's status line (a run saved before the status existed). */
static void drop_status_line(const char *name)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "sed -i '/^status = /d' '%s/%s/summary.txt'", root, name);
    assert_int_equal(system(cmd), 0);
}

static void test_status_roundtrip(void **state)
{
    (void)state;
    fake f;
    cs_error e;
    static const cs_run_status all[] = {CS_STATUS_DONE, CS_STATUS_STOPPED, CS_STATUS_DIVERGED,
                                        CS_STATUS_INTERRUPTED};
    for (int i = 0; i < 4; i++) {
        char name[32];
        snprintf(name, sizeof name, "st%d", i);
        make_fake(&f);
        f.res.status = all[i];
        f.res.stopped = all[i] == CS_STATUS_STOPPED || all[i] == CS_STATUS_INTERRUPTED;
        assert_int_equal(save_as(name, &f, 0, NULL, 0, &e), CS_OK);
        assert_int_equal(load_status(name, NULL), all[i]);
        cs_run_status back;
        assert_int_equal(cs_run_status_parse(cs_run_status_name(all[i]), &back), 0);
        assert_int_equal(back, all[i]);
    }
    assert_string_equal(cs_run_status_name(CS_STATUS_DIVERGED), "diverged");
    assert_string_equal(cs_run_status_name(CS_STATUS_INTERRUPTED), "interrupted");
    /* older runs have no status line: done, or stopped when they say so */
    drop_status_line("st0");
    drop_status_line("st1");
    int stopped;
    assert_int_equal(load_status("st0", &stopped), CS_STATUS_DONE);
    assert_int_equal(stopped, 0);
    assert_int_equal(load_status("st1", &stopped), CS_STATUS_STOPPED);
    assert_int_equal(stopped, 1);
    /* a status nobody writes is a damaged file */
    char cmd[700];
    snprintf(cmd, sizeof cmd, "sed -i 's/^status = .*/status = exploded/' '%s/st2/summary.txt'", root);
    assert_int_equal(system(cmd), 0);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/st2", root);
    cs_run r;
    assert_int_equal(cs_run_load(dir, 0, &r, &e), CS_EINPUT);
    assert_non_null(strstr(e.msg, "status"));
}

/* N processes released together, each saving under the same automatic name. */
#define NPROC 16
static void test_concurrent_unique_names(void **state)
{
    (void)state;
    char runs[300];
    snprintf(runs, sizeof runs, "%s/runs", root);
    assert_int_equal(mkdir(runs, 0755), 0);
    int gate[2];
    assert_int_equal(pipe(gate), 0);
    pid_t pid[NPROC];
    for (int i = 0; i < NPROC; i++) {
        pid[i] = fork();
        assert_true(pid[i] >= 0);
        if (pid[i] == 0) {
            close(gate[1]);
            char c;
            if (read(gate[0], &c, 1) < 0)   /* EOF when the parent opens the gate */
                _exit(3);
            fake f;
            make_fake(&f);
            f.cfg.seed = (uint64_t)i;   /* tell the runs apart */
            cs_error e;
            char saved[1100];
            _exit(save_as("runs/same", &f, 1, saved, sizeof saved, &e) == CS_OK ? 0 : 1);
        }
    }
    close(gate[0]);
    close(gate[1]);
    int ok = 0;
    for (int i = 0; i < NPROC; i++) {
        int st;
        assert_int_equal(waitpid(pid[i], &st, 0), pid[i]);
        ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    assert_int_equal(ok, NPROC);
    cs_run *list;
    size_t n, nbad;
    cs_error e;
    assert_int_equal(cs_run_list(runs, 0, &list, &n, &nbad, &e), CS_OK);
    assert_int_equal(n, NPROC);   /* none lost, none replaced */
    assert_int_equal(nbad, 0);
    int seen[NPROC] = {0};
    for (size_t i = 0; i < n; i++) {
        assert_true(!strcmp(list[i].name, "same") || !strncmp(list[i].name, "same-", 5));
        assert_true(list[i].cfg.seed < NPROC);
        seen[list[i].cfg.seed]++;
    }
    for (int i = 0; i < NPROC; i++)
        assert_int_equal(seen[i], 1);
    cs_run_list_free(list, n);
}

/* With an exact name (--out), racing savers never replace each other: one wins. */
static void test_concurrent_exact_name(void **state)
{
    (void)state;
    int gate[2];
    assert_int_equal(pipe(gate), 0);
    pid_t pid[8];
    for (int i = 0; i < 8; i++) {
        pid[i] = fork();
        assert_true(pid[i] >= 0);
        if (pid[i] == 0) {
            close(gate[1]);
            char c;
            if (read(gate[0], &c, 1) < 0)
                _exit(3);
            fake f;
            make_fake(&f);
            f.cfg.seed = (uint64_t)i;
            cs_error e;
            _exit(save_as("exact", &f, 0, NULL, 0, &e) == CS_OK ? 0 : 1);
        }
    }
    close(gate[0]);
    close(gate[1]);
    int ok = 0;
    for (int i = 0; i < 8; i++) {
        int st;
        waitpid(pid[i], &st, 0);
        ok += WIFEXITED(st) && WEXITSTATUS(st) == 0;
    }
    assert_int_equal(ok, 1);
    assert_int_equal(load_status("exact", NULL), CS_STATUS_DONE);
}

static void test_unique_suffix_fits(void **state)
{
    (void)state;
    char name[64];
    memset(name, 'n', 63);
    name[63] = '\0';
    fake f;
    make_fake(&f);
    cs_error e;
    char saved[1100];
    assert_int_equal(save_as(name, &f, 1, saved, sizeof saved, &e), CS_OK);
    assert_int_equal(save_as(name, &f, 1, saved, sizeof saved, &e), CS_OK);
    const char *base = strrchr(saved, '/') + 1;
    assert_int_equal(strlen(base), 63);            /* cut to make room for the suffix */
    assert_string_equal(base + 61, "-2");
    /* an empty directory named by the caller is used, as before */
    char dir[512];
    snprintf(dir, sizeof dir, "%s/empty", root);
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(save_as("empty", &f, 0, NULL, 0, &e), CS_OK);
    assert_int_equal(load_status("empty", NULL), CS_STATUS_DONE);
}

/* ---- training: a divergence keeps what finished ---- */
static char shop[300];

static void diverging_config(cs_run_config *c)
{
    TU_CONFIG(c, {"view", "features"}, {"cell", "mlp"}, {"optim", "sgd"}, {"lr", "10"},
              {"momentum", "0.9999"}, {"clip", "0"}, {"epochs", "30"}, {"patience", "0"},
              {"threads", "1"});
    snprintf(c->data, sizeof c->data, "%s", shop);
}

static void make_shop(void)
{
    if (shop[0])
        return;
    snprintf(shop, sizeof shop, "%s/shop.csv", root);
    cs_sim_opts o;
    cs_sim_opts_init(&o);
    o.sessions = 600;
    o.seed = 3;
    assert_int_equal(cs_simulate_write(&o, shop, NULL, NULL), CS_OK);
}

static void test_divergence_is_kept(void **state)
{
    (void)state;
    make_shop();
    cs_run_config c;
    diverging_config(&c);
    cs_dataset ds;
    cs_ledger led;
    cs_split sp;
    cs_error e;
    assert_int_equal(cs_pipeline_load(&c, &ds, &led, NULL, &e), CS_OK);
    assert_int_equal(cs_split_make(&sp, &ds, c.split, c.train_frac, c.valid_frac, c.seed, &e), CS_OK);
    cs_model_config_from_data(&c.model, &ds);
    cs_train_result r;
    assert_int_equal(cs_train(&c, &ds, &sp, NULL, &r, &e), CS_ERUNTIME);
    assert_int_equal(r.status, CS_STATUS_DIVERGED);
    assert_true(r.n_hist >= 1);                          /* epochs finished before it */
    assert_int_equal(r.fail_epoch, (int)r.n_hist + 1);   /* it diverged in the next one */
    assert_true(r.fail_batch >= 1);
    char want[64];
    snprintf(want, sizeof want, "epoch %d, batch %ld", r.fail_epoch, r.fail_batch);
    assert_non_null(strstr(e.msg, want));
    assert_non_null(r.model);
    assert_true(r.has_test);                             /* evaluated with the kept weights */
    const float *w = cs_model_params(r.model);
    for (size_t i = 0; i < cs_model_nparams(r.model); i++)
        assert_true(isfinite(w[i]));
    /* and it saves and loads like any run */
    cs_weights wt;
    cs_weights_of_model(r.model, &wt);
    cs_run_save_info info = {ds.fingerprint, NULL, 0, &wt, cs_model_nparams(r.model), NULL, 0, NULL, NULL, 0};
    char dir[512];
    snprintf(dir, sizeof dir, "%s/diverged", root);
    assert_int_equal(cs_run_save(dir, &c, &r, &info, &e), CS_OK);
    cs_run run;
    if (cs_run_load(dir, CS_RUN_ALL, &run, &e) != CS_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(run.status, CS_STATUS_DIVERGED);
    assert_int_equal(run.n_hist, r.n_hist);
    cs_run_free(&run);
    cs_train_result_free(&r);
    cs_split_free(&sp);
    cs_dataset_free(&ds);
}

/* ---- sweeps: one run's save fails, one diverges; the sweep goes on ---- */
static char blocker[600];

/* Before the first run trains (after the sweep checked its names are free): a file where
 * that run's directory goes, so its save fails. */
static cs_monitor *block_first(void *ud, size_t i, size_t n, const cs_run_config *cfg)
{
    (void)ud;
    (void)n;
    (void)cfg;
    if (i == 0) {
        FILE *fb = fopen(blocker, "w");
        assert_non_null(fb);
        fclose(fb);
    }
    return NULL;
}

static void test_sweep_goes_on(void **state)
{
    (void)state;
    make_shop();
    cs_run_config base;
    cs_run_config_init(&base);
    snprintf(base.data, sizeof base.data, "%s", shop);
    base.epochs = 1;
    base.batch = 64;
    base.threads = 1;
    base.model.hidden[0] = 4;
    cs_sweep_grid g;
    cs_sweep_grid_init(&g);
    cs_error e;
    assert_int_equal(cs_sweep_grid_add(&g, "cell", "rnn,gru", &e), CS_OK);
    char out[400];
    snprintf(out, sizeof out, "%s/sweep", root);
    assert_int_equal(mkdir(out, 0755), 0);
    cs_run_config first;
    assert_int_equal(cs_sweep_grid_config(&g, &base, 0, &first, NULL, &e), CS_OK);
    snprintf(blocker, sizeof blocker, "%s/%s", out, first.name);
    cs_sweep_opts so = {out, 0, 0, NULL, 0, NULL};
    cs_sweep_hooks hooks = {NULL, block_first, NULL, NULL};
    cs_results res;
    if (cs_sweep_run(&base, &g, &so, &hooks, &res, &e) != CS_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(res.n, 2);
    assert_string_equal(res.rows[0].status, "unsaved");
    assert_non_null(strstr(res.rows[0].note, "not saved"));
    assert_string_equal(res.rows[0].run, "");
    assert_string_equal(res.rows[1].status, "done");
    assert_true(cs_result_counts(&res.rows[1]) && !cs_result_counts(&res.rows[0]));
    cs_result_group *gr;
    size_t ng;
    assert_int_equal(cs_results_group(&res, &gr, &ng, &e), CS_OK);
    assert_int_equal(ng, 2);
    assert_int_equal(gr[0].runs, 0);   /* not in the means */
    assert_int_equal(gr[1].runs, 1);
    free(gr);
    char *md = cs_results_markdown(&res, -1);
    assert_non_null(md);
    assert_non_null(strstr(md, "**unsaved**"));
    free(md);
    char p[700];
    snprintf(p, sizeof p, "%s/runs.csv", out);
    assert_int_equal(cs_results_write_runs_csv(&res, p, &e), CS_OK);
    cs_results_free(&res);
    /* a sweep into a directory whose run names are taken refuses before training */
    assert_int_equal(cs_sweep_run(&base, &g, &so, NULL, &res, &e), CS_EINPUT);
    assert_non_null(strstr(e.msg, "already exists"));
    cs_results_free(&res);
    /* with stop_on_error the same save failure ends the sweep */
    so.stop_on_error = 1;
    snprintf(out, sizeof out, "%s/sweep-stop", root);
    snprintf(blocker, sizeof blocker, "%s/%s", out, first.name);
    assert_int_not_equal(cs_sweep_run(&base, &g, &so, &hooks, &res, &e), CS_OK);
    assert_int_equal(res.n, 1);
    cs_results_free(&res);
    cs_sweep_grid_free(&g);

    /* a diverging run is saved, marked, and the sweep goes on */
    cs_run_config dv;
    diverging_config(&dv);
    cs_sweep_grid_init(&g);
    assert_int_equal(cs_sweep_grid_add(&g, "lr", "10,1e-3", &e), CS_OK);
    snprintf(out, sizeof out, "%s/sweep-div", root);
    so.out_dir = out;
    so.stop_on_error = 0;
    if (cs_sweep_run(&dv, &g, &so, NULL, &res, &e) != CS_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(res.n, 2);
    assert_string_equal(res.rows[0].status, "diverged");
    assert_non_null(strstr(res.rows[0].note, "diverged at epoch"));
    cs_run run;
    if (cs_run_load(res.rows[0].run, CS_RUN_ALL, &run, &e) != CS_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(run.status, CS_STATUS_DIVERGED);
    cs_run_free(&run);
    assert_string_equal(res.rows[1].status, "done");
    cs_results_free(&res);
    cs_sweep_grid_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status_roundtrip),
        cmocka_unit_test(test_concurrent_unique_names),
        cmocka_unit_test(test_concurrent_exact_name),
        cmocka_unit_test(test_unique_suffix_fits),
        cmocka_unit_test(test_divergence_is_kept),
        cmocka_unit_test(test_sweep_goes_on),
    };
    return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
