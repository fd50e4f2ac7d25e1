/* test_sniff.c — format hints (issue 14 item 8): the delimiter sniffed from the header line
 * when it is auto (`,` `;` tab `|`, quotes respected), `auto` recognising a features table
 * by its label column (the UCI table without --format), a mapping implying the generic
 * format, and "cannot guess" errors that name the options that would work.
 * Fixtures: tests/fixtures/csv/semicolon_rees46.csv (the demo's first 40 rows with ';'),
 * uci_head.csv (the UCI table's header, 40 rows and 10 buyers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "clickseq/params.h"
#include "clickseq/pipeline.h"
#include "clickseq/sniff.h"

#define FIX CS_SRCDIR "/tests/fixtures/csv/"

static void test_delim_of_a_line(void **st)
{
    (void)st;
    int found = 0;
    assert_int_equal(cs_sniff_delim("a;b;c", 5, ',', &found), ';');
    assert_int_equal(found, 1);
    assert_int_equal(cs_sniff_delim("a,b", 3, ',', NULL), ',');
    assert_int_equal(cs_sniff_delim("a\tb\tc", 5, ',', NULL), '\t');
    assert_int_equal(cs_sniff_delim("a|b|c,d", 7, ',', NULL), '|');
    assert_int_equal(cs_sniff_delim("\"x;y;z\",w", 9, ',', NULL), ',');   /* inside quotes: not counted */
    assert_int_equal(cs_sniff_delim("a;b,c", 5, ',', NULL), ',');          /* a tie: the default */
    assert_int_equal(cs_sniff_delim("abc", 3, '\t', &found), '\t');
    assert_int_equal(found, 0);
    assert_string_equal(cs_delim_name(';'), "';'");
    assert_string_equal(cs_delim_name('\t'), "tab");
}

static void test_sniff_files(void **st)
{
    (void)st;
    cs_sniff s;
    cs_error err;
    assert_int_equal(cs_sniff_file(FIX "semicolon_rees46.csv", "Revenue", &s, &err), CS_OK);
    assert_int_equal(s.delim, ';');
    assert_int_equal(s.sniffed, 1);
    assert_int_equal(s.ncols, 9);
    assert_int_equal(s.label_col, -1);
    assert_int_equal(cs_sniff_file(FIX "uci_head.csv", "Revenue", &s, &err), CS_OK);
    assert_int_equal(s.delim, ',');
    assert_int_equal(s.ncols, 18);
    assert_int_equal(s.label_col, 17);
    assert_int_equal(cs_sniff_file(FIX "generic_pos.tsv", NULL, &s, &err), CS_OK);
    assert_int_equal(s.delim, '\t');
    assert_int_equal(cs_sniff_file(FIX "no-such-file.csv", NULL, &s, &err), CS_EIO);
    assert_non_null(strstr(err.msg, "no-such-file.csv"));
}

static cs_status load(const char *path, const char *format, const char *map, const char *header,
                      cs_dataset *ds, cs_ledger *led, cs_error *err)
{
    cs_run_config c;
    cs_run_config_init(&c);
    assert_int_equal(cs_param_set(&c, "data", path, err), CS_OK);
    if (format) assert_int_equal(cs_param_set(&c, "format", format, err), CS_OK);
    if (map) assert_int_equal(cs_param_set(&c, "map", map, err), CS_OK);
    if (header) assert_int_equal(cs_param_set(&c, "header", header, err), CS_OK);
    if (format && !strcmp(format, "features")) cs_param_set(&c, "view", "features", err);
    return cs_pipeline_load(&c, ds, led, NULL, err);
}

static void test_semicolon_file_loads_without_delim(void **st)
{
    (void)st;
    cs_dataset ds;
    cs_ledger led;
    cs_error err;
    cs_status s = load(FIX "semicolon_rees46.csv", NULL, NULL, NULL, &ds, &led, &err);
    if (s != CS_OK) fprintf(stderr, "%s\n", err.msg);
    assert_int_equal(s, CS_OK);
    assert_int_equal(led.rows_read, 40);
    assert_int_equal(led.rows_used, 40);
    cs_dataset_free(&ds);
    /* what the pipeline reports it will use */
    cs_run_config c;
    cs_run_config_init(&c);
    cs_param_set(&c, "data", FIX "semicolon_rees46.csv", &err);
    cs_pipeline_guess g;
    assert_int_equal(cs_pipeline_resolve(&c, &g, &err), CS_OK);
    assert_int_equal(g.delim, ';');
    assert_int_equal(g.delim_sniffed, 1);
    assert_int_equal(g.format, CS_FMT_AUTO);
}

static void test_uci_table_without_format(void **st)
{
    (void)st;
    cs_run_config c;
    cs_run_config_init(&c);
    cs_error err;
    cs_param_set(&c, "data", FIX "uci_head.csv", &err);
    cs_pipeline_guess g;
    assert_int_equal(cs_pipeline_resolve(&c, &g, &err), CS_OK);
    assert_int_equal(g.format, CS_FMT_FEATURES);
    assert_int_equal(g.features_by_label, 1);
    cs_dataset ds;
    cs_ledger led;
    cs_param_set(&c, "view", "features", &err);
    cs_status s = cs_pipeline_load(&c, &ds, &led, NULL, &err);
    if (s != CS_OK) fprintf(stderr, "%s\n", err.msg);
    assert_int_equal(s, CS_OK);
    assert_int_equal(ds.n, 50);
    size_t pos = 0;
    for (size_t i = 0; i < ds.n; i++) pos += ds.label[i];
    assert_int_equal(pos, 10);
    cs_dataset_free(&ds);
}

static void test_map_implies_generic(void **st)
{
    (void)st;
    cs_dataset ds;
    cs_ledger led;
    cs_error err;
    /* the case: no header, a positional mapping, no --format */
    cs_status s = load(FIX "generic_pos.tsv", NULL, "session=1,time=2,event=3,item=4", "no", &ds, &led, &err);
    if (s != CS_OK) fprintf(stderr, "%s\n", err.msg);
    assert_int_equal(s, CS_OK);
    assert_int_equal(led.rows_read, 3);
    cs_dataset_free(&ds);
}

static void test_cannot_guess_names_what_works(void **st)
{
    (void)st;
    cs_dataset ds;
    cs_ledger led;
    cs_error err;
    /* a ';' file read with ',' (one field): the delimiter that would work is named */
    cs_run_config c;
    cs_run_config_init(&c);
    cs_param_set(&c, "data", FIX "semicolon_rees46.csv", &err);
    assert_int_equal(cs_param_set(&c, "delim", ",", &err), CS_OK);
    assert_int_equal(cs_pipeline_load(&c, &ds, &led, NULL, &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "cannot guess the format"));
    assert_non_null(strstr(err.msg, "--delim ';'"));
    /* a table without the label column: every option that could read it */
    cs_run_config_init(&c);
    cs_param_set(&c, "data", FIX "table_small.csv", &err);
    cs_param_set(&c, "label", "NoSuchLabel", &err);
    assert_int_equal(cs_pipeline_load(&c, &ds, &led, NULL, &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "--format rees46 or yoochoose"));
    assert_non_null(strstr(err.msg, "--format features --label COLUMN"));
    assert_non_null(strstr(err.msg, "--map session=COL,time=COL"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_delim_of_a_line),
        cmocka_unit_test(test_sniff_files),
        cmocka_unit_test(test_semicolon_file_loads_without_delim),
        cmocka_unit_test(test_uci_table_without_format),
        cmocka_unit_test(test_map_implies_generic),
        cmocka_unit_test(test_cannot_guess_names_what_works),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
