/* test_sweep.c — sweep grids (expansion, names) and results tables (mean ± std, CSV,
 * Markdown).  Text level only: no training here. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "clickseq/sweep.h"

static void test_grid_expands_nested_last_fastest(void **state)
{
    (void)state;
    cs_sweep_grid g;
    cs_sweep_grid_init(&g);
    cs_error err;
    assert_int_equal(cs_sweep_grid_add(&g, "cell", "rnn,gru,lstm", &err), CS_OK);
    assert_int_equal(cs_sweep_grid_add(&g, "hidden", "32, 64", &err), CS_OK);
    g.seeds = 2;
    assert_int_equal(cs_sweep_grid_size(&g), 6);
    assert_int_equal(cs_sweep_grid_runs(&g), 12);
    /* every (cell, hidden, seed) appears exactly once */
    int seen[3][2][2] = {{{0}}};
    const char *cells[] = {"rnn", "gru", "lstm"}, *hid[] = {"32", "64"};
    for (size_t i = 0; i < 12; i++) {
        const char *v[CS_SWEEP_MAX_AXES];
        int s = -1;
        size_t combo = cs_sweep_grid_values(&g, i, v, &s);
        assert_int_equal(combo, i / 2);
        int c = -1, h = -1;
        for (int k = 0; k < 3; k++)
            if (!strcmp(v[0], cells[k]))
                c = k;
        for (int k = 0; k < 2; k++)
            if (!strcmp(v[1], hid[k]))
                h = k;
        assert_true(c >= 0 && h >= 0 && s >= 0 && s < 2);
        seen[c][h][s]++;
    }
    for (int c = 0; c < 3; c++)
        for (int h = 0; h < 2; h++)
            for (int s = 0; s < 2; s++)
                assert_int_equal(seen[c][h][s], 1);
    /* order: seeds innermost, then the last axis */
    const char *v[CS_SWEEP_MAX_AXES];
    int s;
    cs_sweep_grid_values(&g, 0, v, &s);
    assert_string_equal(v[0], "rnn");
    assert_string_equal(v[1], "32");
    assert_int_equal(s, 0);
    cs_sweep_grid_values(&g, 1, v, &s);
    assert_string_equal(v[1], "32");
    assert_int_equal(s, 1);
    cs_sweep_grid_values(&g, 2, v, &s);
    assert_string_equal(v[0], "rnn");
    assert_string_equal(v[1], "64");
    cs_sweep_grid_values(&g, 11, v, &s);
    assert_string_equal(v[0], "lstm");
    assert_string_equal(v[1], "64");
    assert_int_equal(s, 1);
    cs_sweep_grid_free(&g);
}

static void test_grid_rejects_and_replaces(void **state)
{
    (void)state;
    cs_sweep_grid g;
    cs_sweep_grid_init(&g);
    cs_error err;
    assert_int_equal(cs_sweep_grid_add(&g, "hidden", "32,,64", &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "hidden"));
    assert_int_equal(cs_sweep_grid_add(&g, "lr", "1e-3,1e-3", &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "twice"));
    assert_int_equal(g.n_axes, 0);
    assert_int_equal(cs_sweep_grid_size(&g), 1);       /* no axis: one configuration */
    assert_int_equal(cs_sweep_grid_add(&g, "lr", "1e-3", &err), CS_OK);
    assert_int_equal(cs_sweep_grid_add(&g, "lr", "1e-3,3e-3,1e-2", &err), CS_OK);
    assert_int_equal(g.n_axes, 1);
    assert_int_equal(cs_sweep_grid_size(&g), 3);
    /* ':' inside a value is a per-layer list */
    assert_int_equal(cs_sweep_grid_add(&g, "hidden", "40:80,64", &err), CS_OK);
    assert_string_equal(g.axes[1].values[0], "40,80");
    assert_int_equal(cs_sweep_grid_size(&g), 6);
    cs_sweep_grid_free(&g);
}

static void test_run_names(void **state)
{
    (void)state;
    cs_sweep_grid g;
    cs_sweep_grid_init(&g);
    cs_error err;
    cs_sweep_grid_add(&g, "cell", "gru", &err);
    cs_sweep_grid_add(&g, "hidden", "40:80", &err);
    cs_sweep_grid_add(&g, "lr", "0.001", &err);
    cs_sweep_grid_add(&g, "clip", "5", &err);
    cs_sweep_grid_add(&g, "map", "a/b c", &err);
    char name[128];
    cs_sweep_run_name(&g, 0, 7, name, sizeof name);
    assert_string_equal(name, "gru-h40-80-lr0.001-clip5-mapa_b_c-s7");
    /* too long for 32 bytes: cut, then the configuration index keeps names unique */
    cs_sweep_grid_add(&g, "dropout", "0.25,0.5", &err);
    char a[32], b[32];
    cs_sweep_run_name(&g, 0, 7, a, sizeof a);
    cs_sweep_run_name(&g, 1, 7, b, sizeof b);
    assert_true(strlen(a) <= 31);
    assert_string_equal(a + strlen(a) - 6, "-c0-s7");
    assert_string_equal(b + strlen(b) - 6, "-c1-s7");
    assert_string_not_equal(a, b);
    cs_sweep_grid_free(&g);
}

static cs_metrics metrics(double f1, double p, double r, double prauc, double roc)
{
    cs_metrics m;
    memset(&m, 0, sizeof m);
    m.f1 = f1;
    m.precision = p;
    m.recall = r;
    m.pr_auc = prauc;
    m.roc_auc = roc;
    m.threshold = 0.5;
    return m;
}

static void test_stat_mean_and_sample_std(void **state)
{
    (void)state;
    double x[] = {0.5, 0.6, 0.7};
    cs_stat s = cs_stat_of(x, 3);
    assert_float_equal(s.mean, 0.6, 1e-12);
    assert_float_equal(s.std, 0.1, 1e-12);         /* sqrt((0.01 + 0 + 0.01) / 2) */
    s = cs_stat_of(x, 1);
    assert_float_equal(s.mean, 0.5, 0);
    assert_float_equal(s.std, 0.0, 0);
    double y[] = {2, 4, 4, 4, 5, 5, 7, 9};          /* population sd 2, sample sd sqrt(32/7) */
    s = cs_stat_of(y, 8);
    assert_float_equal(s.mean, 5.0, 1e-12);
    assert_float_equal(s.std, sqrt(32.0 / 7.0), 1e-12);
    double z[] = {0.5, NAN};
    s = cs_stat_of(z, 2);
    assert_true(isnan(s.mean));
    s = cs_stat_of(x, 0);
    assert_true(isnan(s.mean));
}

/* Two groups whose seeds are interleaved; group means by hand. */
static void fill(cs_results *r)
{
    const char *names[] = {"cell", "hidden"};
    assert_int_equal(cs_results_init(r, 2, names, NULL), CS_OK);
    const char *a[] = {"gru", "32"}, *b[] = {"lstm", "32"};
    cs_metrics m;
    m = metrics(0.5, 0.4, 0.6, 0.30, 0.80);
    cs_results_add(r, a, 1, &m, 1000, 2.0, "out/gru-h32-s1", NULL);
    m = metrics(0.2, 0.1, 0.3, 0.10, NAN);
    cs_results_add(r, b, 1, &m, 3000, 5.0, "out/lstm-h32-s1", NULL);
    m = metrics(0.7, 0.6, 0.8, 0.50, 0.90);
    cs_results_add(r, a, 2, &m, 1000, 4.0, "out/gru-h32-s2", NULL);
}

static void test_results_group(void **state)
{
    (void)state;
    cs_results r;
    fill(&r);
    cs_result_group *g;
    size_t ng;
    assert_int_equal(cs_results_group(&r, &g, &ng, NULL), CS_OK);
    assert_int_equal(ng, 2);
    assert_string_equal(r.rows[g[0].first].key[0], "gru");
    assert_int_equal(g[0].runs, 2);
    assert_float_equal(g[0].stat[CS_RM_F1].mean, 0.6, 1e-12);
    assert_float_equal(g[0].stat[CS_RM_F1].std, sqrt(0.02), 1e-12);
    assert_float_equal(g[0].stat[CS_RM_PR_AUC].mean, 0.4, 1e-12);
    assert_float_equal(g[0].stat[CS_RM_SECONDS].mean, 3.0, 1e-12);
    assert_int_equal(g[0].nparams, 1000);
    assert_string_equal(r.rows[g[1].first].key[0], "lstm");
    assert_int_equal(g[1].runs, 1);
    assert_true(isnan(g[1].stat[CS_RM_ROC_AUC].mean));
    free(g);
    cs_results_free(&r);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void test_results_csv_and_markdown(void **state)
{
    (void)state;
    cs_results r;
    fill(&r);
    char dir[] = "/tmp/cs-test-sweep.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/results.csv", dir);
    assert_int_equal(cs_results_write_csv(&r, path, NULL), CS_OK);
    char *csv = slurp(path);
    assert_non_null(strstr(csv, "cell,hidden,runs,f1_mean,f1_std,precision_mean"));
    assert_non_null(strstr(csv, "\ngru,32,2,0.6,0.141421,0.5,0.141421,"));
    /* lstm: one run, NaN ROC-AUC left empty */
    assert_non_null(strstr(csv, "\nlstm,32,1,0.2,0,0.1,0,0.3,0,0.1,0,,,5,0,3000\n"));
    unlink(path);
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    assert_int_equal(cs_results_write_runs_csv(&r, path, NULL), CS_OK);
    csv = slurp(path);
    assert_non_null(strstr(csv, "\ngru,32,2,0.7,0.6,0.8,0.5,0.9,"));
    assert_non_null(strstr(csv, ",out/gru-h32-s2,done,\n"));   /* status, no note */
    unlink(path);
    rmdir(dir);

    char *md = cs_results_markdown(&r, -1);
    assert_non_null(md);
    assert_non_null(strstr(md, "| cell | hidden | runs | F1 |"));
    assert_non_null(strstr(md, "| gru | 32 | 2 | 0.600 ± 0.141 | 0.500 ± 0.141 |"));
    assert_non_null(strstr(md, "| lstm | 32 | 1 | 0.200 | 0.100 | 0.300 | 0.100 | n/a | 3000 |"));
    free(md);
    /* pivot on cell: one row (hidden 32), gru and lstm side by side */
    md = cs_results_markdown(&r, 0);
    assert_non_null(md);
    assert_non_null(strstr(md, "| hidden | gru F1 |"));
    assert_non_null(strstr(md, "| lstm F1 |"));
    assert_non_null(strstr(md, "| 32 | 0.600 ± 0.141 |"));
    assert_null(strstr(strstr(md, "| 32 |") + 1, "| 32 |"));   /* a single row */
    free(md);
    cs_results_free(&r);
}

static void test_atomic_write_reports_errors(void **state)
{
    (void)state;
    cs_error err;
    assert_int_equal(cs_write_file_atomic("/nonexistent-dir/x.csv", "a\n", &err), CS_EIO);
    assert_non_null(strstr(err.msg, "/nonexistent-dir/x.csv"));
}

/* A grid with convex on (clickseq sweep): a logreg run gets the baseline's schedule, the
 * networks keep theirs; an axis or a part the user set (convex_keep) wins. */
static void test_grid_convex_schedule(void **state)
{
    (void)state;
    cs_sweep_grid g;
    cs_sweep_grid_init(&g);
    cs_error err;
    cs_run_config base, c;
    cs_run_config_init(&base);
    base.ds.view = CS_VIEW_FEATURES;
    assert_int_equal(cs_sweep_grid_add(&g, "cell", "mlp,logreg", &err), CS_OK);
    assert_int_equal(cs_sweep_grid_config(&g, &base, 1, &c, NULL, &err), CS_OK);
    assert_int_equal(c.model.cell, CS_CELL_LOGREG);
    assert_true(c.lr == 1e-3 && c.epochs == 20);   /* off by default (the workbench's grids) */
    g.convex = 1;
    assert_int_equal(cs_sweep_grid_config(&g, &base, 0, &c, NULL, &err), CS_OK);
    assert_int_equal(c.model.cell, CS_CELL_MLP);   /* a network keeps the networks' schedule */
    assert_true(c.lr == 1e-3 && c.epochs == 20 && c.patience == 5);
    assert_int_equal(cs_sweep_grid_config(&g, &base, 1, &c, NULL, &err), CS_OK);
    assert_true(c.lr == 1e-2 && c.epochs == 50 && c.patience == 10 && c.optim == CS_OPT_ADAM);
    /* what the user set stays: epochs given on the command line, sgd as the optimiser */
    base.epochs = 7;
    base.optim = CS_OPT_SGD;
    g.convex_keep = CS_KEEP_EPOCHS | CS_KEEP_OPTIM;
    assert_int_equal(cs_sweep_grid_config(&g, &base, 1, &c, NULL, &err), CS_OK);
    assert_true(c.lr == 1e-2 && c.epochs == 7 && c.patience == 10 && c.optim == CS_OPT_SGD);
    /* not kept: the schedule's Adam */
    g.convex_keep = CS_KEEP_EPOCHS;
    assert_int_equal(cs_sweep_grid_config(&g, &base, 1, &c, NULL, &err), CS_OK);
    assert_int_equal(c.optim, CS_OPT_ADAM);
    /* an axis wins */
    assert_int_equal(cs_sweep_grid_add(&g, "lr", "0.3,0.03", &err), CS_OK);
    assert_int_equal(cs_sweep_grid_config(&g, &base, 2, &c, NULL, &err), CS_OK);
    assert_int_equal(c.model.cell, CS_CELL_LOGREG);
    assert_true(c.lr == 0.3);
    cs_sweep_grid_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_expands_nested_last_fastest),
        cmocka_unit_test(test_grid_rejects_and_replaces),
        cmocka_unit_test(test_grid_convex_schedule),
        cmocka_unit_test(test_run_names),
        cmocka_unit_test(test_stat_mean_and_sample_std),
        cmocka_unit_test(test_results_group),
        cmocka_unit_test(test_results_csv_and_markdown),
        cmocka_unit_test(test_atomic_write_reports_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
