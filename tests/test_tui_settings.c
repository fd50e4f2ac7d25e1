/* test_tui_settings.c — the honest form (settings.c, cmdline.c): what else a `:set`
 * changed, combinations refused with the reason, the form cycling only through cells of
 * the current view, threads bounded by the cores, path parameters that must exist, "did
 * you mean", quoted values, path completion; and the settings file (path, write, read
 * back, bad lines reported with FILE:LINE and ignored).  Never the real home: the file's
 * tests set XDG_CONFIG_HOME to a scratch directory. */
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

#include "config.h"
#include "app/tui/cmdline.h"
#include "app/tui/settings.h"
#include "clickseq/files.h"

static char msg[1200];

static void get(const cs_run_config *c, const char *name, char *v) { cs_param_get(c, name, v, 128); }

static void test_side_effects_are_said(void **st)
{
    (void)st;
    cs_run_config c;
    cs_run_config_init(&c);
    char v[128];
    assert_int_equal(tui_set(&c, "hidden", "40,80", msg, sizeof msg), 0);
    assert_string_equal(msg, "hidden = 40,80 (layers 2)");
    assert_int_equal(c.model.layers, 2);
    assert_int_equal(tui_set(&c, "layers", "1", msg, sizeof msg), 0);
    assert_string_equal(msg, "layers = 1 (hidden 40,80 -> 40)");
    get(&c, "hidden", v);
    assert_string_equal(v, "40");
    assert_int_equal(tui_set(&c, "epochs", "7", msg, sizeof msg), 0);
    assert_string_equal(msg, "epochs = 7");   /* nothing else changed: nothing else said */
    /* three layers with a two-element list: refused, nothing changed */
    assert_int_equal(tui_set(&c, "hidden", "40,80", msg, sizeof msg), 0);
    assert_int_equal(tui_set(&c, "layers", "3", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "refused: hidden: layer 3 has no size"));
    assert_int_equal(c.model.layers, 2);
}

static void test_combinations_refused_with_the_reason(void **st)
{
    (void)st;
    cs_run_config c;
    cs_run_config_init(&c);
    assert_int_equal(tui_set(&c, "cell", "mlp", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "cell mlp works only in the features view"));
    assert_non_null(strstr(msg, "set view features first"));
    assert_int_equal(c.model.cell, CS_CELL_GRU);
    assert_int_equal(tui_set(&c, "view", "features", msg, sizeof msg), 0);
    assert_int_equal(tui_set(&c, "cell", "logreg", msg, sizeof msg), 0);
    assert_int_equal(c.model.cell, CS_CELL_LOGREG);
    /* logreg gets the schedule it converges with, as `train --cell logreg`, and says so */
    assert_true(c.lr == 1e-2 && c.epochs == 50 && c.patience == 10);
    assert_non_null(strstr(msg, "lr 0.01"));
    assert_non_null(strstr(msg, "epochs 50"));
    assert_int_equal(tui_set(&c, "view", "sequence", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "cell logreg needs the features view (set cell gru first)"));
    assert_int_equal(c.ds.view, CS_VIEW_FEATURES);
    /* other checks of the configuration, at :set time */
    cs_run_config_init(&c);
    assert_int_equal(tui_set(&c, "train-frac", "0.9", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "train-frac + valid-frac must be below 1"));
    assert_int_equal(tui_set(&c, "max-len", "20", msg, sizeof msg), 0);
    assert_int_equal(tui_set(&c, "min-len", "30", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "min-len: 30 is above max-len 20"));
    /* a configuration already broken the same way (the command line) blocks nothing else */
    c.model.cell = CS_CELL_MLP;
    assert_int_equal(tui_set(&c, "epochs", "3", msg, sizeof msg), 0);
}

/* the parts of the schedule the user changed stay (the form's lr, a set optimiser) */
static void test_logreg_keeps_the_users_schedule(void **st)
{
    (void)st;
    cs_run_config c;
    cs_run_config_init(&c);
    assert_int_equal(tui_set(&c, "view", "features", msg, sizeof msg), 0);
    assert_int_equal(tui_set(&c, "lr", "0.003", msg, sizeof msg), 0);
    assert_int_equal(tui_set(&c, "optim", "sgd", msg, sizeof msg), 0);
    assert_int_equal(tui_set(&c, "cell", "logreg", msg, sizeof msg), 0);
    assert_true(c.lr == 0.003 && c.optim == CS_OPT_SGD && c.epochs == 50);
    /* leaving logreg: what is still logreg's schedule returns to the networks' */
    assert_int_equal(tui_set(&c, "cell", "mlp", msg, sizeof msg), 0);
    assert_true(c.lr == 0.003 && c.epochs == 20 && c.patience == 5);
    /* a network keeps the networks' schedule */
    cs_run_config_init(&c);
    assert_int_equal(tui_set(&c, "view", "features", msg, sizeof msg), 0);
    assert_int_equal(tui_set(&c, "cell", "mlp", msg, sizeof msg), 0);
    assert_true(c.lr == 1e-3 && c.epochs == 20);
}

static void test_the_form_offers_only_cells_of_the_view(void **st)
{
    (void)st;
    cs_run_config c;
    cs_run_config_init(&c);
    int seen[8] = {0};
    for (int i = 0; i < 12; i++) {
        assert_int_equal(tui_step(&c, "cell", i < 6 ? 1 : -1, msg, sizeof msg), 0);
        seen[c.model.cell]++;
    }
    assert_true(seen[CS_CELL_RNN] && seen[CS_CELL_GRU] && seen[CS_CELL_LSTM]);
    assert_int_equal(seen[CS_CELL_MLP] + seen[CS_CELL_LOGREG] + seen[CS_CELL_XGBOOST], 0);
    assert_int_equal(tui_set(&c, "view", "features", msg, sizeof msg), 0);
    for (int i = 0; i < 6; i++) {
        assert_int_equal(tui_step(&c, "cell", 1, msg, sizeof msg), 0);
        seen[c.model.cell]++;
    }
    assert_true(seen[CS_CELL_MLP] && seen[CS_CELL_LOGREG]);   /* all of them in the features view */
#ifdef HAVE_XGBOOST
    assert_true(seen[CS_CELL_XGBOOST]);   /* gradient boosting too, where the build has it */
#else
    assert_int_equal(seen[CS_CELL_XGBOOST], 0);
    assert_int_equal(tui_set(&c, "cell", "xgboost", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "built without XGBoost"));
#endif
    /* a number steps through tui_set: threads never above the cores */
    int cores = tui_cores();
    for (int i = 0; i < cores + 3; i++) tui_step(&c, "threads", 1, msg, sizeof msg);
    assert_int_equal(c.threads, cores);
}

static void test_threads_bounded_by_the_cores(void **st)
{
    (void)st;
    cs_run_config c;
    cs_run_config_init(&c);
    int cores = tui_cores();
    char want[160];
    assert_int_equal(tui_set(&c, "threads", "300", msg, sizeof msg), -1);   /* out of range */
    assert_int_equal(tui_set(&c, "threads", "99", msg, sizeof msg), 0);
    if (cores < 99) {
        snprintf(want, sizeof want, "threads = %d (99 asked: this machine has %d core%s)", cores, cores,
                 cores == 1 ? "" : "s");
        assert_string_equal(msg, want);
        assert_int_equal(c.threads, cores);
    }
    assert_int_equal(tui_set(&c, "threads", "0", msg, sizeof msg), 0);
    assert_string_equal(msg, "threads = 0");
}

static void test_paths_must_exist(void **st)
{
    (void)st;
    cs_run_config c;
    cs_run_config_init(&c);
    char dir[] = "/tmp/clickseq-settings-XXXXXX", file[200];
    assert_non_null(mkdtemp(dir));
    snprintf(file, sizeof file, "%s/buys.csv", dir);
    assert_int_equal(tui_set(&c, "outcomes", file, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "refused: outcomes: no file"));
    assert_string_equal(c.outcomes, "");
    assert_int_equal(tui_set(&c, "data", dir, msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "a directory, not a file"));
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fputs("1,2014-04-01T10:00:00.000Z,1,1,1\n", f);
    fclose(f);
    assert_int_equal(tui_set(&c, "outcomes", file, msg, sizeof msg), 0);
    assert_string_equal(c.outcomes, file);
    assert_int_equal(tui_set(&c, "outcomes", "", msg, sizeof msg), 0);   /* empty: none */
    assert_true(tui_param_is_path("data") && tui_param_is_path("outcomes") && !tui_param_is_path("map"));
    unlink(file);
    rmdir(dir);
}

static void test_did_you_mean(void **st)
{
    (void)st;
    cs_run_config c;
    cs_run_config_init(&c);
    assert_int_equal(tui_set(&c, "hiden", "3", msg, sizeof msg), -1);
    assert_string_equal(msg, "unknown parameter 'hiden' (did you mean hidden?)");
    assert_int_equal(tui_set(&c, "epoch", "3", msg, sizeof msg), -1);
    assert_string_equal(msg, "unknown parameter 'epoch' (did you mean epochs?)");
    assert_int_equal(tui_set(&c, "outcome", "x", msg, sizeof msg), -1);
    assert_non_null(strstr(msg, "did you mean outcomes?"));
    assert_int_equal(tui_set(&c, "zzzzzzzz", "1", msg, sizeof msg), -1);
    assert_string_equal(msg, "unknown parameter 'zzzzzzzz' (:set Tab lists them)");
    assert_int_equal(tui_set(&c, "max_len", "9", msg, sizeof msg), 0);   /* the table's alias */
    assert_string_equal(msg, "max-len = 9");
}

static void test_quoted_values_and_completion(void **st)
{
    (void)st;
    tui_cmd cmd;
    char m[512], param[64];
    assert_int_equal(tui_cmd_parse("set name \"my run\"", &cmd, m, sizeof m), 0);
    assert_int_equal(cmd.kind, CMD_SET);
    assert_string_equal(cmd.argv[1], "my run");
    assert_int_equal(tui_cmd_parse("set name my run", &cmd, m, sizeof m), -1);
    assert_string_equal(m, "set: one value per parameter; quote a value with blanks: set name \"my run\"");
    cs_run_config c;
    cs_run_config_init(&c);
    assert_int_equal(tui_set(&c, "name", "my run", m, sizeof m), -1);   /* the run-name rule says why */
    assert_non_null(strstr(m, "refused: name:"));
    assert_int_equal(tui_set(&c, "map", "session=a, time=b", m, sizeof m), 0);
    assert_string_equal(c.map, "session=a, time=b");
    assert_int_equal(tui_complete_kind("set outcomes ", param, sizeof param), COMPL_FILE);
    assert_int_equal(tui_complete_kind("set data ", param, sizeof param), COMPL_FILE);
    assert_int_equal(tui_complete_kind("set cell ", param, sizeof param), COMPL_VALUE);
    assert_int_equal(tui_complete_kind("load ", param, sizeof param), COMPL_FILE);
    assert_int_equal(tui_complete_kind("export ", param, sizeof param), COMPL_FILE);
    assert_int_equal(tui_complete_kind("sweeps ", param, sizeof param), COMPL_FILE);
    assert_int_equal(tui_cmd_parse("save-settings", &cmd, m, sizeof m), 0);
    assert_int_equal(cmd.kind, CMD_SAVE_SETTINGS);
    assert_int_equal(tui_cmd_parse("save x", &cmd, m, sizeof m), 0);
    assert_int_equal(cmd.kind, CMD_SAVE);   /* the exact word, not ambiguous */
}

static char xdg[64];

static void test_settings_path(void **st)
{
    (void)st;
    char p[1100];
    setenv("HOME", "/home/someone", 1);
    setenv("XDG_CONFIG_HOME", "/x/conf", 1);
    assert_int_equal(tui_settings_path(p, sizeof p), 0);
    assert_string_equal(p, "/x/conf/clickseq/config");
    setenv("XDG_CONFIG_HOME", "relative", 1);   /* the XDG rule: only an absolute path counts */
    assert_int_equal(tui_settings_path(p, sizeof p), 0);
    assert_string_equal(p, "/home/someone/.config/clickseq/config");
    unsetenv("XDG_CONFIG_HOME");
    unsetenv("HOME");
    assert_int_equal(tui_settings_path(p, sizeof p), -1);
    setenv("XDG_CONFIG_HOME", xdg, 1);
}

static void test_settings_round_trip(void **st)
{
    (void)st;
    char path[1100], data[200];
    assert_int_equal(tui_settings_path(path, sizeof path), 0);
    assert_int_equal(strncmp(path, xdg, strlen(xdg)), 0);   /* never the real home */
    snprintf(data, sizeof data, "%s/events.csv", xdg);
    FILE *f = fopen(data, "w");
    assert_non_null(f);
    fputs("x\n", f);
    fclose(f);
    cs_run_config c, back, def;
    cs_run_config_init(&c);
    cs_run_config_init(&def);
    const char *set[][2] = {{"data", data}, {"hidden", "40,80"}, {"batch", "64"}, {"threads", "1"},
                            {"purchase-event", " buy "}, {"name", "one-run"}, {"view", "features"},
                            {"cell", "mlp"}};
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        assert_int_equal(tui_set(&c, set[i][0], set[i][1], msg, sizeof msg), 0);
    assert_int_equal(tui_settings_write(path, &c, NULL, msg, sizeof msg), 0);   /* the directory is made */
    assert_non_null(strstr(msg, "settings saved to "));
    cs_run_config_init(&back);
    unsigned long long named = 0;
    assert_int_equal(tui_settings_read(path, &back, &named, msg, sizeof msg), 0);
    for (size_t i = 0; i < cs_param_count(); i++) {
        char a[1100], b[1100];
        const char *nm = cs_param_at(i)->name;
        cs_param_get(&c, nm, a, sizeof a);
        cs_param_get(!strcmp(nm, "name") ? &def : &back, nm, b, sizeof b);   /* the name is not kept */
        if (!strcmp(nm, "name")) cs_param_get(&back, nm, a, sizeof a);
        assert_string_equal(a, b);
    }
    assert_true(named != 0);
    /* the demo is not remembered as the last data file */
    assert_int_equal(tui_settings_write(path, &c, data, msg, sizeof msg), 0);
    char *text = NULL;
    size_t n;
    cs_error err;
    assert_int_equal(cs_slurp(path, 1 << 20, &text, &n, &err), CS_OK);
    assert_null(strstr(text, "data ="));
    assert_non_null(strstr(text, "batch = 64\n"));
    assert_null(strstr(text, "epochs ="));   /* defaults are not written */
    free(text);
    unlink(data);
}

static void test_bad_lines_are_reported_and_ignored(void **st)
{
    (void)st;
    char path[1100];
    assert_int_equal(tui_settings_path(path, sizeof path), 0);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("# a comment\n\nbatch = 32\nnosuch = 1\nhidden = lots\njust words\nepochs = 9\n"
          "outcomes = /no/such/buys.csv\npurchase-event = \"open\n", f);
    fclose(f);
    cs_run_config c;
    cs_run_config_init(&c);
    assert_int_equal(tui_settings_read(path, &c, NULL, msg, sizeof msg), 5);
    char want[1300];
    snprintf(want, sizeof want, "%s:4: unknown parameter 'nosuch' (", path);
    assert_int_equal(strncmp(msg, want, strlen(want)), 0);
    assert_non_null(strstr(msg, "(ignored); 4 more bad lines"));
    assert_int_equal(c.batch, 32);   /* the good lines, before and after the bad ones */
    assert_int_equal(c.epochs, 9);
    assert_string_equal(c.outcomes, "");
    unlink(path);
    assert_int_equal(tui_settings_read(path, &c, NULL, msg, sizeof msg), 0);   /* no file: nothing */
    assert_string_equal(msg, "");
}

/* A FIFO (or a device) where the settings file should be is refused, not read: the
 * workbench's start cannot hang on it. */
static void test_settings_not_a_regular_file(void **st)
{
    (void)st;
    char path[1100];
    assert_int_equal(tui_settings_path(path, sizeof path), 0);
    unlink(path);
    assert_int_equal(mkfifo(path, 0600), 0);
    cs_run_config c;
    cs_run_config_init(&c);
    assert_int_equal(tui_settings_read(path, &c, NULL, msg, sizeof msg), 1);
    assert_non_null(strstr(msg, "not a regular file"));
    assert_non_null(strstr(msg, "(settings ignored)"));
    unlink(path);
}

int main(void)
{
    snprintf(xdg, sizeof xdg, "/tmp/clickseq-xdg-XXXXXX");
    if (!mkdtemp(xdg)) return 1;
    setenv("XDG_CONFIG_HOME", xdg, 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_side_effects_are_said),
        cmocka_unit_test(test_combinations_refused_with_the_reason),
        cmocka_unit_test(test_the_form_offers_only_cells_of_the_view),
        cmocka_unit_test(test_logreg_keeps_the_users_schedule),
        cmocka_unit_test(test_threads_bounded_by_the_cores),
        cmocka_unit_test(test_paths_must_exist),
        cmocka_unit_test(test_did_you_mean),
        cmocka_unit_test(test_quoted_values_and_completion),
        cmocka_unit_test(test_settings_path),
        cmocka_unit_test(test_settings_round_trip),
        cmocka_unit_test(test_bad_lines_are_reported_and_ignored),
        cmocka_unit_test(test_settings_not_a_regular_file),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", xdg);
    if (system(cmd) != 0) rc = 1;
    return rc;
}
