/* test_table.c — the features table loader (table.c): kinds, one-hot, booleans, label,
 * drop, time key, bad rows; and the UCI table in ../shared/data when present. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "clickseq/table.h"

#define FIX CS_SRCDIR "/tests/fixtures/csv/"
#define SHARED CS_SRCDIR "/../shared/data/"

static cs_status tload(cs_table *t, cs_ledger *led, cs_error *err, const char *path,
                       const char *drop, const char *time_col, int skip)
{
    cs_table_opts o;
    cs_table_opts_init(&o);
    o.path = path;
    o.drop = drop;
    o.time_col = time_col;
    o.skip_bad_rows = skip;
    memset(led, 0, sizeof *led);
    return cs_table_load(t, &o, led, err);
}

static int col(const cs_table *t, const char *name)
{
    for (size_t i = 0; i < t->n_cols; i++)
        if (!strcmp(t->col_names[i], name))
            return (int)i;
    return -1;
}

static void test_small_table(void **state)
{
    (void)state;
    cs_table t;
    cs_ledger led;
    cs_error err;
    assert_int_equal(tload(&t, &led, &err, FIX "table_small.csv", NULL, "Month", 0), CS_OK);
    assert_int_equal(t.n_rows, 4);
    /* Administrative, PageValues, Month=Feb, Month=June, Month=Mar, VisitorType=New_Visitor,
     * VisitorType=Other, VisitorType=Returning_Visitor, Weekend */
    static const char *const names[9] = {"Administrative", "PageValues", "Month=Feb", "Month=June",
                                         "Month=Mar", "VisitorType=New_Visitor", "VisitorType=Other",
                                         "VisitorType=Returning_Visitor", "Weekend"};
    assert_int_equal(t.n_cols, 9);
    for (int i = 0; i < 9; i++)
        assert_string_equal(t.col_names[i], names[i]);
    static const float x[4][9] = {{0, 0, 1, 0, 0, 0, 0, 1, 0},
                                  {2, 10.5f, 0, 0, 1, 1, 0, 0, 1},
                                  {1, 0, 0, 1, 0, 0, 0, 1, 0},
                                  {3, 100, 1, 0, 0, 0, 1, 0, 1}};
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 9; c++)
            assert_true(t.x[r * 9 + c] == x[r][c]);
    static const uint8_t y[4] = {0, 1, 0, 1};
    static const int32_t tk[4] = {2, 3, 6, 2};
    for (int r = 0; r < 4; r++) {
        assert_int_equal(t.y[r], y[r]);
        assert_int_equal(t.time_key[r], tk[r]);
    }
    assert_int_equal(led.rows_read, 4);
    assert_int_equal(led.sessions_kept, 4);
    assert_true(cs_ledger_balanced(&led));
    cs_table_free(&t);

    /* drop a column; no time column: row index */
    assert_int_equal(tload(&t, &led, &err, FIX "table_small.csv", "PageValues,Weekend", NULL, 0), CS_OK);
    assert_int_equal(t.n_cols, 7);
    assert_int_equal(col(&t, "PageValues"), -1);
    assert_int_equal(col(&t, "Weekend"), -1);
    assert_int_equal(col(&t, "Month=Mar"), 3);
    assert_int_equal(t.time_key[3], 3);
    cs_table_free(&t);

    assert_int_equal(tload(&t, &led, &err, FIX "table_small.csv", "Pagevalues", NULL, 0), CS_EINPUT);
    assert_non_null(strstr(err.msg, "cannot drop 'Pagevalues'"));
    cs_table_opts o;
    cs_table_opts_init(&o);
    o.path = FIX "table_small.csv";
    o.label = "Bought";
    assert_int_equal(cs_table_load(&t, &o, &led, &err), CS_EINPUT);
    assert_string_equal(err.msg, FIX "table_small.csv:1: no label column 'Bought' in the header");
}

static void test_table_bad_rows(void **state)
{
    (void)state;
    cs_table t;
    cs_ledger led;
    cs_error err;
    assert_int_equal(tload(&t, &led, &err, FIX "table_bad.csv", NULL, "Month", 0), CS_EINPUT);
    assert_string_equal(err.msg, FIX "table_bad.csv:3:1: field 1 (Administrative) is not a number: 'abc'");
    assert_int_equal(tload(&t, &led, &err, FIX "table_bad.csv", NULL, "Month", 1), CS_OK);
    /* rows: good, bad number, bad label, 5 fields, bad month, empty Weekend, good */
    assert_int_equal(t.n_rows, 2);
    assert_int_equal(led.rows_read, 7);
    assert_int_equal(led.rows_skipped, 5);
    assert_int_equal(led.skipped[CS_SKIP_NUMBER], 2);
    assert_int_equal(led.skipped[CS_SKIP_COLUMNS], 1);
    assert_int_equal(led.skipped[CS_SKIP_TIME], 1);
    assert_int_equal(led.skipped[CS_SKIP_MISSING], 1);
    assert_true(cs_ledger_balanced(&led));
    assert_int_equal(t.time_key[1], 11);
    /* categories of skipped rows do not appear */
    assert_int_equal(col(&t, "Month=Mar"), -1);
    cs_table_free(&t);
    /* a number a float cannot hold is said so, not "not a number" */
    assert_int_equal(tload(&t, &led, &err, FIX "table_range.csv", NULL, NULL, 0), CS_EINPUT);
    assert_string_equal(err.msg, FIX "table_range.csv:3:2: field 2 (PageValues) is out of float range "
                                 "(at most \u00b13.4e38): '-1e308'");
    assert_int_equal(tload(&t, &led, &err, FIX "table_range.csv", NULL, NULL, 1), CS_OK);
    assert_int_equal(t.n_rows, 2);   /* 1e400 is out of range too; 3.4e38 fits */
    assert_int_equal(led.skipped[CS_SKIP_NUMBER], 2);
    cs_table_free(&t);
    assert_int_equal(tload(&t, &led, &err, FIX "empty.csv", NULL, NULL, 0), CS_EINPUT);
    assert_string_equal(err.msg, FIX "empty.csv: empty file: no header and no rows");
    assert_int_equal(tload(&t, &led, &err, FIX "nope.csv", NULL, NULL, 0), CS_EINPUT);
}

static void test_real_uci(void **state)
{
    (void)state;
    const char *path = SHARED "online_shoppers_intention/online_shoppers_intention.csv";
    if (access(path, R_OK) != 0)
        skip();
    cs_table t;
    cs_ledger led;
    cs_error err;
    assert_int_equal(tload(&t, &led, &err, path, NULL, "Month", 0), CS_OK);
    assert_int_equal(t.n_rows, 9864);
    size_t pos = 0;
    for (size_t i = 0; i < t.n_rows; i++)
        pos += t.y[i];
    assert_int_equal(pos, 1526);
    double rate = 100.0 * (double)pos / (double)t.n_rows;
    assert_true(rate > 15.465 && rate < 15.475); /* 15.47 % */
    /* 14 numeric + Month (10 values) + VisitorType (3) + Weekend */
    assert_int_equal(t.n_cols, 14 + 10 + 3 + 1);
    assert_true(col(&t, "Month=June") >= 0);
    assert_true(col(&t, "VisitorType=Returning_Visitor") >= 0);
    for (size_t i = 0; i < t.n_rows; i++)
        assert_true(t.time_key[i] >= 2 && t.time_key[i] <= 12);
    cs_table_free(&t);
    assert_int_equal(tload(&t, &led, &err, path, "PageValues", NULL, 0), CS_OK);
    assert_int_equal(t.n_cols, 27);
    cs_table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_table),
        cmocka_unit_test(test_table_bad_rows),
        cmocka_unit_test(test_real_uci),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
