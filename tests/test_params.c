/* test_params.c — the parameter table, defaults, presets, config text, and the CLI
 * parser built on it (src/app/cli.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "clickseq/train.h"
#include "app/cli.h"

static void test_table_covers_config(void **state)
{
    (void)state;
    /* every name the task lists exists, once */
    static const char *const names[] = {
        "data", "outcomes", "format", "map", "purchase-event", "header", "delim", "session-gap",
        "skip-bad-rows", "label", "drop", "time-col", "view", "method", "max-len", "policy", "split",
        "train-frac", "valid-frac", "cell", "layers", "hidden", "bidir", "dropout", "emb-type",
        "emb-category", "emb-brand", "emb-item", "hash-buckets", "dwell", "price", "head", "optim",
        "lr", "momentum", "weight-decay", "clip", "epochs", "batch", "pos-weight", "patience",
        "tune-threshold", "threshold", "seed", "threads", "name", NULL};
    for (int i = 0; names[i]; i++) {
        const cs_param *p = cs_param_find(names[i]);
        if (!p)
            fail_msg("parameter %s missing", names[i]);
        assert_non_null(p->help);
        int seen = 0;
        for (size_t k = 0; k < cs_param_count(); k++)
            seen += !strcmp(cs_param_at(k)->name, names[i]);
        assert_int_equal(seen, 1);
    }
    assert_null(cs_param_find("nonsense"));
    assert_ptr_equal(cs_param_find("max_len"), cs_param_find("max-len"));
}

/* Every default reads back through its own setter; config text round-trips exactly. */
static void test_defaults_roundtrip(void **state)
{
    (void)state;
    cs_run_config c, d;
    cs_error e;
    cs_run_config_init(&c);
    assert_int_equal(cs_run_config_check(&c, &e), CS_OK);
    assert_int_equal(c.model.cell, CS_CELL_GRU);
    assert_int_equal(c.model.hidden[0], 64);
    assert_true(c.pos_weight < 0);        /* auto */
    assert_int_equal(c.tune_threshold, 1);
    assert_int_equal(c.split, CS_SPLIT_TIME);
    /* the rest of the defaults list (params.c), each set through the table */
    assert_int_equal(c.header, -1);
    assert_string_equal(c.purchase_event, "purchase");
    assert_string_equal(c.label, "Revenue");
    assert_true(c.session_gap_min == 30);
    assert_int_equal(c.ds.max_len, 300);
    assert_int_equal(c.ds.min_len, 1);
    assert_true(c.train_frac == 0.70 && c.valid_frac == 0.15);
    assert_true(c.lr == 1e-3 && c.momentum == 0.9 && c.clip == 5);
    assert_int_equal(c.epochs, 20);
    assert_int_equal(c.batch, 256);
    assert_int_equal(c.patience, 5);
    assert_true(c.threshold == 0.5);
    assert_int_equal(c.seed, 1);
    for (size_t i = 0; i < cs_param_count(); i++) {
        char v[600];
        cs_param_get(&c, cs_param_at(i)->name, v, sizeof v);
        d = c;
        if (cs_param_set(&d, cs_param_at(i)->name, v, &e) != CS_OK)
            fail_msg("%s: default '%s' rejected: %s", cs_param_at(i)->name, v, e.msg);
        assert_memory_equal(&c, &d, sizeof c);
    }
    /* change many fields, format, parse into fresh defaults: identical */
    assert_int_equal(cs_param_set(&c, "lr", "0.0003", &e), CS_OK);
    assert_int_equal(cs_param_set(&c, "dropout", "0.1", &e), CS_OK);
    assert_int_equal(cs_param_set(&c, "hidden", "40,80", &e), CS_OK);
    assert_int_equal(cs_param_set(&c, "data", "/tmp/some file.csv", &e), CS_OK);
    assert_int_equal(cs_param_set(&c, "delim", "tab", &e), CS_OK);
    assert_int_equal(cs_param_set(&c, "header", "no", &e), CS_OK);
    assert_int_equal(cs_param_set(&c, "pos-weight", "13.25", &e), CS_OK);
    assert_int_equal(cs_param_set(&c, "seed", "18446744073709551615", &e), CS_OK);
    assert_int_equal(cs_param_set(&c, "train-frac", "0.1", &e), CS_OK);
    char *txt = cs_run_config_format(&c);
    assert_non_null(txt);
    assert_non_null(strstr(txt, "hidden = 40,80\n"));
    assert_non_null(strstr(txt, "lr = 0.0003\n"));
    cs_run_config_init(&d);
    assert_int_equal(cs_run_config_parse(&d, txt, "config.txt", 0, &e), CS_OK);
    free(txt);
    assert_memory_equal(&c, &d, sizeof c);
    assert_int_equal(d.model.layers, 2);
    assert_int_equal(d.delim, '\t');
    assert_int_equal(d.header, 0);
    assert_int_equal(d.seed, UINT64_MAX);
}

static void expect_error(cs_run_config *c, const char *name, const char *value, const char *frag)
{
    cs_error e;
    cs_run_config before = *c;
    assert_int_equal(cs_param_set(c, name, value, &e), CS_EINPUT);
    if (!strstr(e.msg, frag))
        fail_msg("%s=%s: message '%s' lacks '%s'", name, value, e.msg, frag);
    assert_memory_equal(&before, c, sizeof before);   /* untouched on error */
}

static void test_range_checks(void **state)
{
    (void)state;
    cs_run_config c;
    cs_run_config_init(&c);
    expect_error(&c, "lr", "0", "lr: 0 is out of range");
    expect_error(&c, "lr", "abc", "lr: 'abc' is not a number");
    expect_error(&c, "lr", "1e-3x", "not a number");
    expect_error(&c, "lr", "nan", "not a number");
    expect_error(&c, "layers", "5", "layers: 5 is out of range 1..4");
    expect_error(&c, "layers", "2.5", "not an integer");
    expect_error(&c, "hidden", "40,80,20,10,5", "hidden:");
    expect_error(&c, "hidden", "40,,80", "hidden:");
    expect_error(&c, "hidden", "0", "hidden: 0 is out of range");
    expect_error(&c, "cell", "transformer", "cell: 'transformer' is not one of rnn, gru, lstm");
    expect_error(&c, "bidir", "maybe", "bidir: 'maybe' is not yes or no");
    expect_error(&c, "threshold", "1.5", "threshold");
    expect_error(&c, "pos-weight", "-2", "pos-weight");
    expect_error(&c, "seed", "-1", "seed");
    expect_error(&c, "name", "../x", "name:");
    expect_error(&c, "delim", "xx", "delim:");
    expect_error(&c, "epochs", "99999999999999999999", "epochs");
    cs_error e;
    assert_int_equal(cs_param_set(&c, "nope", "1", &e), CS_EINPUT);
    assert_non_null(strstr(e.msg, "unknown parameter 'nope'"));
    /* cross-parameter checks */
    assert_int_equal(cs_param_set(&c, "train-frac", "0.9", &e), CS_OK);
    assert_int_equal(cs_param_set(&c, "valid-frac", "0.1", &e), CS_OK);
    assert_int_equal(cs_run_config_check(&c, &e), CS_EINPUT);
    assert_non_null(strstr(e.msg, "train-frac + valid-frac"));
    cs_run_config_init(&c);
    assert_int_equal(cs_param_set(&c, "hidden", "40,80", &e), CS_OK);
    assert_int_equal(cs_param_set(&c, "layers", "3", &e), CS_OK);
    assert_int_equal(cs_run_config_check(&c, &e), CS_EINPUT);
    assert_non_null(strstr(e.msg, "hidden: layer 3"));
    cs_run_config_init(&c);
    assert_int_equal(cs_param_set(&c, "cell", "mlp", &e), CS_OK);
    assert_int_equal(cs_run_config_check(&c, &e), CS_EINPUT);
    assert_int_equal(cs_param_set(&c, "view", "features", &e), CS_OK);
    assert_int_equal(cs_run_config_check(&c, &e), CS_OK);
}

static void test_enums_and_cycle(void **state)
{
    (void)state;
    cs_run_config c;
    cs_error e;
    char v[64];
    cs_run_config_init(&c);
    assert_int_equal(cs_param_set(&c, "cell", "LSTM", &e), CS_OK);
    assert_int_equal(c.model.cell, CS_CELL_LSTM);
    assert_int_equal(cs_param_cycle(&c, "cell", 1, &e), CS_OK);
    cs_param_get(&c, "cell", v, sizeof v);
    assert_string_equal(v, "mlp");
    assert_int_equal(cs_param_cycle(&c, "cell", 1, &e), CS_OK);
    assert_int_equal(cs_param_cycle(&c, "cell", 1, &e), CS_OK);
    assert_int_equal(c.model.cell, CS_CELL_XGBOOST);
    assert_int_equal(cs_param_cycle(&c, "cell", 1, &e), CS_OK);   /* wraps */
    assert_int_equal(c.model.cell, CS_CELL_RNN);
    assert_int_equal(cs_param_cycle(&c, "cell", -1, &e), CS_OK);
    assert_int_equal(c.model.cell, CS_CELL_XGBOOST);
    assert_int_equal(cs_param_cycle(&c, "bidir", 1, &e), CS_OK);
    assert_int_equal(c.model.bidir, 1);
    assert_int_equal(cs_param_cycle(&c, "lr", 1, &e), CS_EINPUT);
    /* header: auto/no/yes stored as -1/0/1 */
    assert_int_equal(cs_param_set(&c, "header", "yes", &e), CS_OK);
    assert_int_equal(c.header, 1);
    assert_int_equal(cs_param_cycle(&c, "header", 1, &e), CS_OK);
    assert_int_equal(c.header, -1);
    assert_int_equal(cs_param_set(&c, "method", "seed-compatible", &e), CS_OK);
    assert_int_equal(c.ds.method, CS_METHOD_COMPAT);
    assert_int_equal(cs_param_set(&c, "hidden", "32", &e), CS_OK);
    assert_int_equal(c.model.hidden[3], 32);
    assert_int_equal(cs_param_set(&c, "pos-weight", "auto", &e), CS_OK);
    assert_true(c.pos_weight < 0);
}

static void test_presets(void **state)
{
    (void)state;
    cs_run_config c;
    cs_error e;
    cs_run_config_init(&c);
    assert_int_equal(cs_run_config_preset(&c, "study-lstm", &e), CS_OK);
    assert_int_equal(c.model.cell, CS_CELL_LSTM);
    assert_int_equal(c.model.bidir, 1);
    assert_int_equal(c.model.layers, 2);
    assert_int_equal(c.model.hidden[0], 40);
    assert_int_equal(c.model.hidden[1], 80);
    assert_int_equal(c.model.head, CS_HEAD_SOFTMAX2);
    assert_int_equal(c.ds.method, CS_METHOD_COMPAT);
    assert_int_equal(c.batch, 1000);
    assert_true(c.lr == 3e-4);
    assert_int_equal(c.tune_threshold, 0);
    assert_true(c.threshold == 0.5);
    assert_true(c.pos_weight == 1);
    assert_int_equal(c.split, CS_SPLIT_RANDOM);
    assert_true(c.valid_frac == 0);
    assert_int_equal(c.ds.max_len, 10);
    assert_int_equal(c.ds.policy, CS_LEN_FILTER);
    assert_int_equal(c.model.init, CS_INIT_KERAS);
    assert_true(c.model.forget_bias == 1.0f);
    assert_int_equal(c.model.use_dwell + c.model.use_price + c.model.emb_type, 0);
    assert_string_equal(c.name, "study-lstm");
    assert_int_equal(cs_run_config_check(&c, &e), CS_OK);
    assert_int_equal(cs_run_config_preset(&c, "study-rnn", &e), CS_OK);
    assert_int_equal(c.model.bidir, 0);
    assert_int_equal(cs_run_config_preset(&c, "bogus", &e), CS_EINPUT);
    assert_non_null(strstr(e.msg, "bogus"));
    /* best: the hybrid view with history inputs over the honest defaults; how the file is
     * read stays (data, outcomes, format, map...), everything else is the preset's */
    cs_run_config_init(&c);
    assert_int_equal(cs_param_set(&c, "data", "x/clicks.csv", &e), CS_OK);
    assert_int_equal(cs_param_set(&c, "outcomes", "x/buys.csv", &e), CS_OK);
    assert_int_equal(cs_param_set(&c, "format", "yoochoose", &e), CS_OK);
    assert_int_equal(cs_param_set(&c, "session-gap", "12", &e), CS_OK);
    assert_int_equal(cs_param_set(&c, "epochs", "3", &e), CS_OK);
    assert_int_equal(cs_param_set(&c, "method", "compat", &e), CS_OK);
    assert_int_equal(cs_run_config_preset(&c, "best", &e), CS_OK);
    assert_string_equal(c.data, "x/clicks.csv");
    assert_string_equal(c.outcomes, "x/buys.csv");
    assert_int_equal(c.format, CS_FMT_YOOCHOOSE);
    assert_true(c.session_gap_min == 12);
    assert_int_equal(c.ds.view, CS_VIEW_HYBRID);
    assert_int_equal(c.ds.history, 1);
    assert_int_equal(c.ds.method, CS_METHOD_HONEST);
    assert_int_equal(c.split, CS_SPLIT_TIME);
    assert_int_equal(c.tune_threshold, 1);
    cs_run_config d;
    cs_run_config_init(&d);
    assert_int_equal(c.epochs, d.epochs);   /* not the 3 set before */
    assert_string_equal(c.name, "best");
    assert_int_equal(cs_run_config_check(&c, &e), CS_OK);
}

static void test_config_parse_errors(void **state)
{
    (void)state;
    cs_run_config c;
    cs_error e;
    cs_run_config_init(&c);
    assert_int_equal(cs_run_config_parse(&c, "# comment\n\nlr = 0.5\r\nbogus = 1\n", "cfg", 0, &e),
                     CS_EINPUT);
    assert_string_equal(e.msg, "cfg:4:1: unknown parameter 'bogus'");
    assert_true(c.lr == 0.5);
    assert_int_equal(cs_run_config_parse(&c, "bogus = 1\nepochs=3", "cfg", 1, &e), CS_OK);
    assert_int_equal(c.epochs, 3);
    assert_int_equal(cs_run_config_parse(&c, "epochs 3\n", "cfg", 1, &e), CS_EINPUT);
    assert_non_null(strstr(e.msg, "cfg:1:1: expected"));
    assert_int_equal(cs_run_config_parse(&c, "epochs = 0\n", "cfg", 1, &e), CS_EINPUT);
    assert_non_null(strstr(e.msg, "cfg:1:1: epochs: 0 is out of range"));
}

/* ---- the CLI layer ---- */
/* clickseq train --cell logreg gets the schedule a convex model converges with, unless the
 * user chose its parts */
static void test_cli_logreg_schedule(void **state)
{
    (void)state;
    cli_spec sp = {"train", "[options]", "train", NULL, 0, CLI_ALL, 0};
    cs_run_config c;
    cli_args a;
    cs_error e;
    char *plain[] = {"train", "--view", "features", "--cell", "logreg", NULL};
    cs_run_config_init(&c);
    assert_int_equal(cli_parse(&sp, 5, plain, &c, &a, &e), CLI_OK);
    assert_true(c.lr == 1e-2);
    assert_int_equal(c.epochs, 50);
    assert_int_equal(c.patience, 10);
    char *mine[] = {"train", "--cell", "logreg", "--lr", "0.003", "--patience", "2", NULL};
    cs_run_config_init(&c);
    assert_int_equal(cli_parse(&sp, 7, mine, &c, &a, &e), CLI_OK);
    assert_true(c.lr == 0.003);
    assert_int_equal(c.epochs, 50);
    assert_int_equal(c.patience, 2);
    /* the user's optimiser and epochs stay; the rest is the convex schedule's */
    char *sgd[] = {"train", "--cell", "logreg", "--optim", "sgd", "--epochs", "7", NULL};
    cs_run_config_init(&c);
    assert_int_equal(cli_parse(&sp, 7, sgd, &c, &a, &e), CLI_OK);
    assert_int_equal(c.optim, CS_OPT_SGD);
    assert_int_equal(c.epochs, 7);
    assert_true(c.lr == 1e-2);
    assert_int_equal(c.patience, 10);
    /* a preset's optimiser is not the user's: the schedule's Adam */
    cs_run_config_init(&c);
    c.optim = CS_OPT_SGD;
    assert_int_equal(cli_parse(&sp, 5, plain, &c, &a, &e), CLI_OK);
    assert_int_equal(c.optim, CS_OPT_ADAM);
    char *net[] = {"train", "--cell", "gru", NULL};   /* networks keep their schedule */
    cs_run_config_init(&c);
    assert_int_equal(cli_parse(&sp, 3, net, &c, &a, &e), CLI_OK);
    assert_true(c.lr == 1e-3);
    assert_int_equal(c.epochs, 20);
    assert_int_equal(c.patience, 5);
}

static void test_cli(void **state)
{
    (void)state;
    const char *out = NULL;
    int json = 0;
    const cli_opt opts[] = {
        {"out", "DIR", "where", &out, NULL},
        {"json", NULL, "json", NULL, &json},
    };
    cli_spec sp = {"train", "[options]", "train", opts, 2, CLI_ALL, 0};
    cs_run_config c;
    cli_args a;
    cs_error e;
    char *argv[] = {"train", "--lr", "0.01", "--cell=lstm", "--bidir", "--no-dwell", "--json",
                    "--out", "runs/x", "--hidden", "40,80", "--preset", "study-gru", "--epochs=3",
                    NULL};
    cs_run_config_init(&c);
    assert_int_equal(cli_parse(&sp, 14, argv, &c, &a, &e), CLI_OK);
    /* preset applied first even though it came late; later options win over it */
    assert_true(c.lr == 0.01);
    assert_int_equal(c.model.cell, CS_CELL_LSTM);
    assert_int_equal(c.model.bidir, 1);
    assert_int_equal(c.model.use_dwell, 0);
    assert_int_equal(c.epochs, 3);
    assert_int_equal(c.batch, 1000);   /* from the preset */
    assert_int_equal(json, 1);
    assert_string_equal(out, "runs/x");
    assert_int_equal(a.n_set, 6);

    char *bad1[] = {"train", "--frobnicate", "1"};
    assert_int_equal(cli_parse(&sp, 3, bad1, &c, &a, &e), CLI_ERROR);
    assert_non_null(strstr(e.msg, "unknown option '--frobnicate'"));
    char *bad2[] = {"train", "--lr"};
    assert_int_equal(cli_parse(&sp, 2, bad2, &c, &a, &e), CLI_ERROR);
    assert_non_null(strstr(e.msg, "'--lr' needs a value"));
    char *bad3[] = {"train", "--layers", "9"};
    assert_int_equal(cli_parse(&sp, 3, bad3, &c, &a, &e), CLI_ERROR);
    assert_non_null(strstr(e.msg, "layers: 9 is out of range"));
    char *bad4[] = {"train", "extra"};
    assert_int_equal(cli_parse(&sp, 2, bad4, &c, &a, &e), CLI_ERROR);
    char *bad5[] = {"train", "--json=1"};
    assert_int_equal(cli_parse(&sp, 2, bad5, &c, &a, &e), CLI_ERROR);
    char *help[] = {"train", "--lr", "1", "--help"};
    assert_int_equal(cli_parse(&sp, 4, help, &c, &a, &e), CLI_HELP);

    /* a command that takes only data parameters refuses model ones; positionals */
    cli_spec sp2 = {"compare", "RUN...", "compare", NULL, 0, CLI_DATA, 4};
    char *argv2[] = {"compare", "a", "--data", "f.csv", "b", "--", "--c"};
    assert_int_equal(cli_parse(&sp2, 7, argv2, &c, &a, &e), CLI_OK);
    assert_int_equal(a.n_pos, 3);
    assert_string_equal(a.pos[2], "--c");
    assert_string_equal(c.data, "f.csv");
    char *argv3[] = {"compare", "--cell", "gru"};
    assert_int_equal(cli_parse(&sp2, 3, argv3, &c, &a, &e), CLI_ERROR);

    /* a yes/no enum (header) is also a flag: alone = yes, --no-NAME = no, or a value */
    char *argv4[] = {"compare", "--header", "--data", "f.csv"};
    assert_int_equal(cli_parse(&sp2, 4, argv4, &c, &a, &e), CLI_OK);
    assert_int_equal(c.header, 1);
    char *argv5[] = {"compare", "--no-header"};
    assert_int_equal(cli_parse(&sp2, 2, argv5, &c, &a, &e), CLI_OK);
    assert_int_equal(c.header, 0);
    char *argv6[] = {"compare", "--header", "auto"};
    assert_int_equal(cli_parse(&sp2, 3, argv6, &c, &a, &e), CLI_OK);
    assert_int_equal(c.header, -1);
    assert_int_equal(a.n_pos, 0);
    char *argv7[] = {"compare", "--header"};
    assert_int_equal(cli_parse(&sp2, 2, argv7, &c, &a, &e), CLI_OK);
    assert_int_equal(c.header, 1);
    char *bad6[] = {"compare", "--no-header=yes"};
    assert_int_equal(cli_parse(&sp2, 2, bad6, &c, &a, &e), CLI_ERROR);

    /* help lists every parameter of the groups with its default */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cs_run_config_init(&c);
    cli_help(&sp, &c, f);
    fclose(f);
    for (size_t i = 0; i < cs_param_count(); i++) {
        char pat[80];
        snprintf(pat, sizeof pat, "%s%s", cs_param_at(i)->type == CS_P_BOOL ? "--[no-]" : "--",
                 cs_param_at(i)->name);
        if (!strstr(buf, pat))
            fail_msg("help lacks %s", pat);
    }
    assert_non_null(strstr(buf, "[gru]"));
    assert_non_null(strstr(buf, "--out DIR"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_covers_config),
        cmocka_unit_test(test_defaults_roundtrip),
        cmocka_unit_test(test_range_checks),
        cmocka_unit_test(test_enums_and_cycle),
        cmocka_unit_test(test_presets),
        cmocka_unit_test(test_config_parse_errors),
        cmocka_unit_test(test_cli),
        cmocka_unit_test(test_cli_logreg_schedule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
