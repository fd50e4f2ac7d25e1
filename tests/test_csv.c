/* test_csv.c — the events loader (csvload.c, csvread.c) on tiny hand-made fixtures in
 * tests/fixtures/csv (regenerate with make_fixtures.py there), and on the real data in
 * ../shared/data when it is present. */
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

#include "clickseq/events.h"
#include "test_load_util.h"

#define FIX CS_SRCDIR "/tests/fixtures/csv/"
#define SHARED CS_SRCDIR "/../shared/data/"

static int csv_force_libcsv; /* load_ex: route every block through libcsv (the load option) */

typedef struct loaded {
    cs_events ev;
    cs_ledger led;
    cs_error err;
    cs_status st;
} loaded;

static cs_status load_ex(loaded *L, const char *path, cs_format fmt, const char *outcomes,
                         const char *map, int header, int skip, size_t maxlen)
{
    memset(L, 0, sizeof *L);
    assert_int_equal(cs_events_init(&L->ev), CS_OK);
    cs_load_opts o = tu_load_opts(path, fmt, outcomes, map, header, skip);
    if (maxlen)
        o.max_field_len = maxlen;
    o.force_libcsv = csv_force_libcsv;
    L->st = cs_events_load(&L->ev, &o, &L->led, &L->err);
    return L->st;
}

static cs_status load(loaded *L, const char *path, cs_format fmt)
{
    return load_ex(L, path, fmt, NULL, NULL, -1, 0, 0);
}

static const char *str(const cs_intern *t, uint32_t id) { return cs_intern_str(t, id); }

/* The message must end with the given text after the fixture path. */
static void assert_msg(const loaded *L, cs_status want, const char *fixture, const char *tail)
{
    assert_int_equal(L->st, want);
    char expect[1200];
    snprintf(expect, sizeof expect, "%s%s%s", FIX, fixture, tail);
    assert_string_equal(L->err.msg, expect);
}

static void check_rees46_small(const loaded *L)
{
    const cs_events *ev = &L->ev;
    assert_int_equal(L->st, CS_OK);
    assert_int_equal(ev->n, 6);
    assert_int_equal(cs_intern_count(ev->sessions), 3);
    assert_int_equal(cs_intern_count(ev->users), 2);
    assert_int_equal(L->led.rows_read, 6);
    assert_int_equal(L->led.rows_used, 6);
    assert_true(cs_ledger_balanced(&L->led));
    /* 2019-10-01 00:00:00 UTC = 1569888000 s */
    assert_true(ev->time_ms[0] == 1569888000000LL);
    assert_true(ev->time_ms[3] == 1569888070000LL);
    assert_string_equal(str(ev->types, ev->type[3]), "purchase");
    assert_int_equal(ev->purchase_type, ev->type[3]);
    assert_int_equal(ev->cart_type, ev->type[1]);
    assert_int_equal(ev->remove_type, ev->type[4]);
    assert_int_equal(ev->view_type, ev->type[0]);
    assert_int_equal(ev->session[0], ev->session[1]);
    assert_int_equal(ev->session[0], ev->session[3]);
    assert_int_not_equal(ev->session[0], ev->session[2]);
    assert_string_equal(str(ev->sessions, ev->session[5]), "s3");
    assert_string_equal(str(ev->items, ev->item[2]), "5844397");
    assert_string_equal(str(ev->categories, ev->category[0]), "1487580009286598681");
    assert_string_equal(str(ev->brands, ev->brand[0]), "grattol");
    assert_int_equal(ev->brand[2], 0); /* empty brand = missing */
    assert_string_equal(str(ev->users, ev->user[2]), "553329724");
    assert_true(ev->price[0] == 3.97f);
    assert_true(ev->price[5] == 0.40f);
}

static void test_rees46_header(void **state)
{
    (void)state;
    loaded L;
    load(&L, FIX "rees46_small.csv", CS_FMT_REES46);
    check_rees46_small(&L);
    assert_non_null(strstr(L.ev.source, "rees46_small.csv"));
    uint64_t fp = L.ev.fingerprint;
    assert_true(fp != 0);
    cs_events_free(&L.ev);
    /* same bytes, same fingerprint; other bytes, another */
    load(&L, FIX "rees46_small.csv", CS_FMT_AUTO);
    check_rees46_small(&L);
    assert_true(L.ev.fingerprint == fp);
    cs_events_free(&L.ev);
    load(&L, FIX "rees46_noheader.csv", CS_FMT_REES46);
    check_rees46_small(&L);
    assert_true(L.ev.fingerprint != fp);
    cs_events_free(&L.ev);
}

/* The file (header rule: -1 guess, 0 none) loads as the rees46_small events. */
static void expect_rees46_small(const char *path, cs_format fmt, int header)
{
    loaded L;
    load_ex(&L, path, fmt, NULL, NULL, header, 0, 0);
    check_rees46_small(&L);
    cs_events_free(&L.ev);
}

static void test_rees46_noheader_auto_and_explicit(void **state)
{
    (void)state;
    expect_rees46_small(FIX "rees46_noheader.csv", CS_FMT_AUTO, -1);
    expect_rees46_small(FIX "rees46_noheader.csv", CS_FMT_REES46, 0);
    loaded L;
    /* header=0 on a file that has one: the header row is a bad row (its time) */
    load_ex(&L, FIX "rees46_small.csv", CS_FMT_REES46, NULL, NULL, 0, 0, 0);
    assert_msg(&L, CS_EINPUT, "rees46_small.csv",
               ":1:1: field 1 (event_time) is not a valid timestamp: 'event_time'");
    cs_events_free(&L.ev);
}

static void test_bom_crlf(void **state)
{
    (void)state;
    expect_rees46_small(FIX "bom_crlf.csv", CS_FMT_AUTO, -1);
    loaded L;
    /* CRLF line counting: the bad row is on line 4 */
    load(&L, FIX "bom_crlf_bad.csv", CS_FMT_REES46);
    assert_msg(&L, CS_EINPUT, "bom_crlf_bad.csv",
               ":4:1: field 1 (event_time) is not a valid timestamp: '2019-10-32 00:00:07 UTC'");
    cs_events_free(&L.ev);
}

static void check_yoochoose(const loaded *L, int with_buys)
{
    const cs_events *ev = &L->ev;
    assert_int_equal(L->st, CS_OK);
    assert_int_equal(ev->n, with_buys ? 7 : 5);
    assert_int_equal(L->led.rows_read, with_buys ? 7 : 5);
    assert_true(cs_ledger_balanced(&L->led));
    assert_int_equal(cs_intern_count(ev->sessions), 3);
    assert_true(ev->time_ms[0] == 1396867869277LL); /* 2014-04-07T10:51:09.277Z */
    assert_string_equal(str(ev->types, ev->type[0]), "click");
    assert_int_equal(ev->view_type, ev->type[0]);
    assert_string_equal(str(ev->categories, ev->category[2]), "S");
    assert_true(isnan(ev->price[0]));
    if (with_buys) {
        assert_string_equal(str(ev->types, ev->type[5]), "buy");
        assert_int_equal(ev->purchase_type, ev->type[5]);
        assert_string_equal(str(ev->sessions, ev->session[5]), "2");
        assert_true(ev->price[5] == 1046.0f);
        assert_true(ev->time_ms[6] == 1396879140000LL); /* 2014-04-07T13:59:00Z */
    } else {
        assert_int_equal(ev->purchase_type, 0);
    }
}

static void test_yoochoose(void **state)
{
    (void)state;
    loaded L;
    load_ex(&L, FIX "yoo_clicks.dat", CS_FMT_YOOCHOOSE, FIX "yoo_buys.dat", NULL, -1, 0, 0);
    check_yoochoose(&L, 1);
    cs_events_free(&L.ev);
    load_ex(&L, FIX "yoo_clicks.csv", CS_FMT_YOOCHOOSE, FIX "yoo_buys.csv", NULL, -1, 0, 0);
    check_yoochoose(&L, 1);
    cs_events_free(&L.ev);
    load_ex(&L, FIX "yoo_clicks.csv", CS_FMT_AUTO, FIX "yoo_buys.dat", NULL, -1, 0, 0);
    check_yoochoose(&L, 1);
    cs_events_free(&L.ev);
    load(&L, FIX "yoo_clicks.dat", CS_FMT_AUTO);
    check_yoochoose(&L, 0);
    cs_events_free(&L.ev);
}

static void test_generic_by_name(void **state)
{
    (void)state;
    loaded L;
    cs_load_opts o;
    cs_load_opts_init(&o);
    memset(&L, 0, sizeof L);
    cs_events_init(&L.ev);
    o.path = FIX "generic_named.csv";
    o.format = CS_FMT_GENERIC;
    o.map = "session=visit,time=when,event=what,item=sku,user=visitor,price=cost";
    o.purchase_event = "order";
    assert_int_equal(cs_events_load(&L.ev, &o, &L.led, &L.err), CS_OK);
    cs_events *ev = &L.ev;
    assert_int_equal(ev->n, 3);
    assert_string_equal(str(ev->types, ev->purchase_type), "order");
    assert_string_equal(str(ev->sessions, ev->session[2]), "v2");
    assert_string_equal(str(ev->items, ev->item[1]), "A2");
    assert_true(ev->time_ms[2] == ev->time_ms[0]); /* 11:00+01:00 == 10:00Z */
    assert_true(ev->price[1] == 2.5f);
    assert_true(isnan(ev->price[2]));
    cs_events_free(ev);
    /* a name not in the header */
    load_ex(&L, FIX "generic_named.csv", CS_FMT_GENERIC, NULL, "session=visit,time=stamp", -1, 0, 0);
    assert_msg(&L, CS_EINPUT, "generic_named.csv", ":1: mapping time=stamp: no column 'stamp' in the header");
    cs_events_free(&L.ev);
    /* a bad mapping */
    load_ex(&L, FIX "generic_named.csv", CS_FMT_GENERIC, NULL, "sesion=visit,time=when", -1, 0, 0);
    assert_int_equal(L.st, CS_EINPUT);
    assert_non_null(strstr(L.err.msg, "unknown field 'sesion'"));
    cs_events_free(&L.ev);
    /* names need a header */
    load_ex(&L, FIX "generic_named.csv", CS_FMT_GENERIC, NULL, "session=visit,time=when", 0, 0, 0);
    assert_int_equal(L.st, CS_EINPUT);
    assert_non_null(strstr(L.err.msg, "no header"));
    cs_events_free(&L.ev);
}

static void test_generic_by_position_tsv(void **state)
{
    (void)state;
    loaded L;
    load_ex(&L, FIX "generic_pos.tsv", CS_FMT_GENERIC, NULL, "session=1,time=2,event=3,item=4", 0, 0, 0);
    assert_int_equal(L.st, CS_OK);
    cs_events *ev = &L.ev;
    assert_int_equal(ev->n, 3);
    assert_true(ev->time_ms[0] == 1577872800000LL);  /* epoch seconds */
    assert_true(ev->time_ms[1] == 1577872860000LL);  /* epoch milliseconds */
    assert_true(ev->time_ms[2] == 1577876400500LL);  /* seconds with a fraction */
    assert_string_equal(str(ev->items, ev->item[2]), "A3");
    assert_int_equal(ev->purchase_type, 0);          /* "purchase" never occurs */
    cs_events_free(ev);
    /* header detection without header=0: the first row's time parses, so it is data */
    load_ex(&L, FIX "generic_pos.tsv", CS_FMT_GENERIC, NULL, "session=1,time=2,event=3", -1, 0, 0);
    assert_int_equal(L.st, CS_OK);
    assert_int_equal(L.ev.n, 3);
    cs_events_free(&L.ev);
    /* a position past the end */
    load_ex(&L, FIX "generic_pos.tsv", CS_FMT_GENERIC, NULL, "session=1,time=2,event=9", 0, 0, 0);
    assert_msg(&L, CS_EINPUT, "generic_pos.tsv", ":1: mapping event=9: the file has only 4 columns");
    cs_events_free(&L.ev);
}

static void check_quoted(int force)
{
    csv_force_libcsv = force;
    loaded L;
    load(&L, FIX "quoted.csv", CS_FMT_REES46);
    /* the 4th row (line 6: a quoted field spans lines 3-4) has a bad price */
    assert_msg(&L, CS_EINPUT, "quoted.csv", ":6:7: field 7 (price) is not a number: 'x'");
    cs_events_free(&L.ev);
    load_ex(&L, FIX "quoted.csv", CS_FMT_REES46, NULL, NULL, -1, 1, 0);
    assert_int_equal(L.st, CS_OK);
    assert_int_equal(L.ev.n, 3);
    assert_int_equal(L.led.skipped[CS_SKIP_NUMBER], 1);
    /* category_code is not stored; the brand is */
    assert_string_equal(str(L.ev.brands, L.ev.brand[2]), "br,and");
    assert_string_equal(str(L.ev.brands, L.ev.brand[0]), "brand");
    cs_events_free(&L.ev);
    csv_force_libcsv = 0;
}

static void test_quoting(void **state)
{
    (void)state;
    check_quoted(0);
    check_quoted(1);
}

static void test_gap_sessions(void **state)
{
    (void)state;
    loaded L;
    load_ex(&L, FIX "gap.csv", CS_FMT_GENERIC, NULL, "user=uid,time=ts,event=ev", -1, 0, 0);
    assert_int_equal(L.st, CS_OK);
    cs_events *ev = &L.ev;
    assert_int_equal(ev->n, 7);
    assert_int_equal(cs_intern_count(ev->sessions), 4);
    /* rows: 0 a 10:00, 1 b 10:05, 2 a 10:10, 3 a 11:00, 4 a 10:20, 5 b 10:35, 6 b 11:05:01 */
    static const char *const want[7] = {"a#1", "b#1", "a#1", "a#2", "a#1", "b#1", "b#2"};
    for (int i = 0; i < 7; i++)
        assert_string_equal(str(ev->sessions, ev->session[i]), want[i]);
    cs_events_free(ev);
    /* with a 40-minute gap, a (40 min apart exactly) and b (30 min 1 s) stay whole */
    cs_load_opts o;
    cs_load_opts_init(&o);
    o.path = FIX "gap.csv";
    o.format = CS_FMT_GENERIC;
    o.map = "user=1,time=2,event=3";
    o.session_gap_ms = 40LL * 60 * 1000;
    cs_events_init(&L.ev);
    memset(&L.led, 0, sizeof L.led);
    assert_int_equal(cs_events_load(&L.ev, &o, &L.led, &L.err), CS_OK);
    assert_int_equal(cs_intern_count(L.ev.sessions), 2);
    cs_events_free(&L.ev);
}

static void test_outcomes_file(void **state)
{
    (void)state;
    loaded L;
    load_ex(&L, FIX "gen_events.csv", CS_FMT_AUTO, FIX "outcomes.csv", NULL, -1, 0, 0);
    assert_int_equal(L.st, CS_OK);
    cs_events *ev = &L.ev;
    assert_int_equal(ev->n, 7);
    assert_int_equal(L.led.rows_read, 7);
    assert_string_equal(str(ev->types, ev->purchase_type), "purchase");
    for (int i = 4; i < 7; i++)
        assert_int_equal(ev->type[i], ev->purchase_type);
    int64_t t10 = 1577872800000LL; /* 2020-01-01 10:00:00 UTC */
    assert_string_equal(str(ev->sessions, ev->session[4]), "s1");
    assert_true(ev->time_ms[4] == t10 + 3 * 60000);   /* given time */
    assert_string_equal(str(ev->sessions, ev->session[5]), "s2");
    assert_true(ev->time_ms[5] == t10 + 1);           /* no time: after the last event */
    assert_string_equal(str(ev->sessions, ev->session[6]), "s9");
    assert_true(ev->time_ms[6] == t10 + 5 * 60000 + 1); /* unknown session: after all */
    cs_events_free(ev);
}

static void test_bad_rows_exact_messages(void **state)
{
    (void)state;
    static const struct {
        const char *file, *tail;
        size_t maxlen;
    } cases[] = {
        {"bad_columns.csv", ":3:9: expected 9 fields, found 8: '2019-10-01 00:00:01 UTC,view,1,2,,brand,1.0,u1'", 0},
        {"bad_time.csv", ":3:1: field 1 (event_time) is not a valid timestamp: '2019-13-01 00:00:01 UTC'", 0},
        {"bad_number.csv", ":3:7: field 7 (price) is not a number: '1.2.3'", 0},
        {"bad_missing.csv", ":3:9: field 9 (user_session) is required but empty: ''", 0},
        {"bad_nul.csv", ":3:6: field 6 (brand) contains a NUL byte: 'br\\x00and'", 0},
        {"bad_long.csv", ":3:6: field 6 (brand) is longer than 64 bytes: "
                         "'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb...'", 64},
        {"bad_quote.csv", ":3:5: bad quoting in field 5 (category_code): 'ab\"c'", 0},
        {"bad_unterminated.csv", ":3:5: bad quoting in field 5 (category_code): 'abc,brand,1.0,u1,s1\\n'", 0},
    };
    for (int force = 0; force < 2; force++) {
        csv_force_libcsv = force;
        for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
            loaded L;
            char path[600];
            snprintf(path, sizeof path, FIX "%s", cases[i].file);
            load_ex(&L, path, CS_FMT_REES46, NULL, NULL, -1, 0, cases[i].maxlen);
            assert_msg(&L, CS_EINPUT, cases[i].file, cases[i].tail);
            assert_int_equal(cs_status_exit_code(L.st), 2);
            cs_events_free(&L.ev);
        }
    }
    csv_force_libcsv = 0;
}

static void test_skip_mode_ledger(void **state)
{
    (void)state;
    for (int force = 0; force < 2; force++) {
        csv_force_libcsv = force;
        loaded L;
        load_ex(&L, FIX "skip_mix.csv", CS_FMT_REES46, NULL, NULL, -1, 1, 64);
        assert_int_equal(L.st, CS_OK);
        assert_int_equal(L.ev.n, 2);
        assert_int_equal(L.led.rows_read, 9);
        assert_int_equal(L.led.rows_used, 2);
        assert_int_equal(L.led.rows_skipped, 7);
        static const int reasons[] = {CS_SKIP_COLUMNS, CS_SKIP_TIME, CS_SKIP_NUMBER, CS_SKIP_MISSING,
                                      CS_SKIP_NUL, CS_SKIP_LONG_FIELD, CS_SKIP_QUOTING};
        for (size_t i = 0; i < sizeof reasons / sizeof *reasons; i++)
            assert_int_equal(L.led.skipped[reasons[i]], 1);
        assert_true(cs_ledger_balanced(&L.led));
        /* skipped rows leave nothing behind: only s1 and s3 were interned */
        assert_int_equal(cs_intern_count(L.ev.sessions), 2);
        assert_string_equal(str(L.ev.sessions, L.ev.session[1]), "s3");
        cs_events_free(&L.ev);
        /* every bad file loads its good rows in skip mode; after bad quoting the reader
         * resynchronises on the next line */
        load_ex(&L, FIX "bad_quote.csv", CS_FMT_REES46, NULL, NULL, -1, 1, 0);
        assert_int_equal(L.st, CS_OK);
        assert_int_equal(L.ev.n, 2);
        assert_string_equal(str(L.ev.sessions, L.ev.session[1]), "s2");
        assert_int_equal(L.led.skipped[CS_SKIP_QUOTING], 1);
        cs_events_free(&L.ev);
    }
    csv_force_libcsv = 0;
}

static void test_files_that_are_not_data(void **state)
{
    (void)state;
    loaded L;
    load(&L, FIX "no_such_file.csv", CS_FMT_REES46);
    /* a named file that is not there is the user's input error: exit 2 */
    assert_int_equal(L.st, CS_EINPUT);
    assert_string_equal(L.err.msg, FIX "no_such_file.csv: cannot open: No such file or directory");
    assert_int_equal(cs_status_exit_code(L.st), 2);
    cs_events_free(&L.ev);
    /* each an input error; exact: the whole message is FIX file tail, else tail is in it */
    static const struct { const char *file; cs_format fmt; int exact; const char *tail; } bad[] = {
        {"", CS_FMT_REES46, 0, "is a directory"},
        {"empty.csv", CS_FMT_AUTO, 1, ": empty file: no header and no rows"},
        {"header_only.csv", CS_FMT_REES46, 1, ": no data rows, only a header"},
        {"table_small.csv", CS_FMT_AUTO, 0, "cannot guess the format"},
        /* a header without the preset's columns */
        {"yoo_clicks.csv", CS_FMT_REES46, 1, ":1: no time column (rees46 format)"},
        {"rees46_small.csv", CS_FMT_FEATURES, 0, ""},
    };
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        char path[600];
        snprintf(path, sizeof path, "%s%s", FIX, bad[k].file);
        load(&L, path, bad[k].fmt);
        if (bad[k].exact)
            assert_msg(&L, CS_EINPUT, bad[k].file, bad[k].tail);
        else {
            assert_int_equal(L.st, CS_EINPUT);
            assert_non_null(strstr(L.err.msg, bad[k].tail));
        }
        cs_events_free(&L.ev);
    }
}

#define REES46_HEADER \
    "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session"

/* A new temporary file (its name written into path, "/tmp/cs-test-...-XXXXXX") open for
 * writing. */
static FILE *temp_csv(char *path)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    return f;
}

/* A file with a quote only in its last lines: fast path and libcsv meet mid-file; the
 * line numbers must still be right.  Written to a temporary file: 5000 good rows. */
static void test_fast_and_slow_paths_agree(void **state)
{
    (void)state;
    char path[] = "/tmp/cs-test-csv-XXXXXX";
    FILE *f = temp_csv(path);
    fputs(REES46_HEADER "\n", f);
    for (int i = 0; i < 30000; i++)
        fprintf(f, "2019-10-01 00:%02d:%02d UTC,view,%d,7,, b%d ,%d.5,u%d,s%d\r\n", i / 60 % 60, i % 60,
                i, i % 7, i % 100, i % 50, i % 999);
    fputs("2019-10-01 00:00:00 UTC,view,1,7,\"q,\"\"x\"\"\",b,1,u,s\n", f);
    fputs("2019-10-01 00:00:00 UTC,view,1,7,,b,bad,u,s\n", f);
    fclose(f);
    uint64_t fp[2];
    for (int force = 0; force < 2; force++) {
        csv_force_libcsv = force;
        loaded L;
        load(&L, path, CS_FMT_REES46);
        assert_int_equal(L.st, CS_EINPUT);
        char want[200];
        snprintf(want, sizeof want, "%s:30003:7: field 7 (price) is not a number: 'bad'", path);
        assert_string_equal(L.err.msg, want);
        cs_events_free(&L.ev);
        load_ex(&L, path, CS_FMT_REES46, NULL, NULL, -1, 1, 0);
        assert_int_equal(L.ev.n, 30001);
        assert_string_equal(str(L.ev.brands, L.ev.brand[3]), "b3"); /* spaces trimmed */
        assert_true(L.ev.price[3] == 3.5f);
        assert_int_equal(cs_intern_count(L.ev.sessions), 1000);
        fp[force] = L.ev.fingerprint;
        cs_events_free(&L.ev);
    }
    assert_true(fp[0] == fp[1]);
    csv_force_libcsv = 0;
    unlink(path);
}

/* Skip mode after a stray opening quote (issue 9 item 5): the quoted field swallows the
 * lines that follow (up to the field limit, a later bad quote or the end of the file);
 * the row is skipped and reading resumes at the line after its first, so that every
 * physical line is either used or counted as skipped.  `bad` holds the data lines (1-based)
 * that get a stray quote, `cr` selects lone-CR line ends, `pad` makes the rows long enough
 * for a stray quote near the 1 MiB read block to run across it. */
static void check_resync(int nrows, const int *bad, int nbad, int cr, int pad, const char *tail,
                         long want_skipped)
{
    char path[] = "/tmp/cs-test-csv-XXXXXX";
    FILE *f = temp_csv(path);
    const char *nl = cr ? "\r" : "\n";
    fprintf(f, REES46_HEADER "%s", nl);
    for (int i = 1; i <= nrows; i++) {
        int stray = 0;
        for (int j = 0; j < nbad; j++)
            stray |= bad[j] == i;
        fprintf(f, "2019-10-01 00:%02d:%02d UTC,%sview,%d,7,%.*s,b,1.5,u1,s%d%s", i / 60 % 60, i % 60,
                stray ? "\"" : "", i, pad, "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
                "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc", i, nl);
    }
    if (tail)
        fputs(tail, f);
    fclose(f);
    long lines = nrows + (tail ? 1 : 0);
    for (int force = 0; force < 2; force++) {
        csv_force_libcsv = force;
        loaded L;
        load_ex(&L, path, CS_FMT_REES46, NULL, NULL, -1, 1, 0);
        assert_int_equal(L.st, CS_OK);
        assert_int_equal(L.led.rows_read, lines);
        assert_int_equal(L.led.rows_skipped, want_skipped);
        assert_int_equal(L.led.rows_used, lines - want_skipped);
        assert_true(cs_ledger_balanced(&L.led));
        /* the line after each stray quote is a row of its own */
        for (int j = 0; j < nbad; j++) {
            char want[32];
            snprintf(want, sizeof want, "s%d", bad[j] + 1);
            int found = 0, next_bad = bad[j] == nrows;
            for (int m = 0; m < nbad; m++)
                next_bad |= bad[m] == bad[j] + 1;
            for (size_t k = 0; k < L.ev.n && !found; k++)
                found = !strcmp(str(L.ev.sessions, L.ev.session[k]), want);
            assert_true(found || next_bad);
        }
        cs_events_free(&L.ev);
    }
    csv_force_libcsv = 0;
    unlink(path);
}

static void test_skip_mode_resyncs_after_a_stray_quote(void **state)
{
    (void)state;
    /* the repro: the field runs on to the 4096-byte limit */
    static const int one[] = {100};
    check_resync(300, one, 1, 0, 0, NULL, 1);
    /* several, one of them on the last line (the quote stays open to the end of the file) */
    static const int many[] = {5, 6, 40, 120, 300};
    check_resync(300, many, 5, 0, 0, NULL, 5);
    /* open to the end of the file, 20 lines before it */
    static const int late[] = {281};
    check_resync(300, late, 1, 0, 0, NULL, 1);
    /* the quote closes on a later line, followed by junk: that line is bad too */
    check_resync(300, late, 1, 0, 0, "2019-10-01 00:00:00 UTC,view\"x,1,7,,b,1.5,u1,s0\n", 2);
    /* lone-CR line ends */
    check_resync(300, one, 1, 1, 0, NULL, 1);
    /* a quote near the end of the first 1 MiB block: its field runs into the second */
    static const int edge[] = {6100};
    check_resync(9000, edge, 1, 0, 120, NULL, 1);
}

/* ---- the real data (skipped when ../shared/data is absent) ---- */

static void test_real_yoochoose(void **state)
{
    (void)state;
    const char *clicks = SHARED "yoochoose_rsc15_sample1pct/sample_clicks.csv";
    if (access(clicks, R_OK) != 0)
        skip();
    loaded L;
    load_ex(&L, clicks, CS_FMT_YOOCHOOSE, SHARED "yoochoose_rsc15_sample1pct/sample_buys.csv", NULL, -1, 0, 0);
    assert_int_equal(L.st, CS_OK);
    const cs_events *ev = &L.ev;
    assert_int_equal(L.led.rows_read, 276390 + 9610);
    assert_int_equal(L.led.rows_skipped, 0);
    /* count independently of the loader's interning: mark sessions seen in clicks / buys */
    uint32_t ns = cs_intern_count(ev->sessions);
    uint8_t *seen = calloc(ns + 1, 1);
    size_t clicks_n = 0, buys_n = 0, in_clicks = 0, with_buy = 0;
    for (size_t i = 0; i < ev->n; i++) {
        if (ev->type[i] == ev->purchase_type) {
            buys_n++;
            seen[ev->session[i]] |= 2;
        } else {
            clicks_n++;
            seen[ev->session[i]] |= 1;
        }
    }
    for (uint32_t s = 1; s <= ns; s++) {
        in_clicks += seen[s] & 1;
        with_buy += (seen[s] & 3) == 3;
    }
    free(seen);
    assert_int_equal(clicks_n, 276390);
    assert_int_equal(buys_n, 9610);
    assert_int_equal(in_clicks, 77171);
    assert_int_equal(with_buy, 4354);
    cs_events_free(&L.ev);
}

/* ---- progress (cs_load_opts.progress) ---- */

typedef struct seen {
    int calls, stop_at;
    size_t first_done, last_done, last_total;
    long last_rows;
    int backwards;
} seen;

static int on_progress(void *ctx, const cs_load_progress *p)
{
    seen *s = ctx;
    if (s->calls == 0)
        s->first_done = p->bytes_done;
    else if (p->bytes_done < s->last_done || p->rows < s->last_rows)
        s->backwards = 1;
    s->last_done = p->bytes_done;
    s->last_total = p->bytes_total;
    s->last_rows = p->rows;
    return ++s->calls == s->stop_at;
}

static void test_load_progress(void **state)
{
    (void)state;
    const char *path = FIX "rees46_small.csv";
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    size_t size = (size_t)ftell(f);
    fclose(f);
    seen s = {0};
    cs_load_opts o;
    cs_load_opts_init(&o);
    o.path = path;
    o.progress = on_progress;
    o.progress_ctx = &s;
    loaded L;
    memset(&L, 0, sizeof L);
    cs_events_init(&L.ev);
    assert_int_equal(cs_events_load(&L.ev, &o, &L.led, &L.err), CS_OK);
    /* a call at the start and one at the end, counting the whole file and every row */
    assert_true(s.calls >= 2);
    assert_int_equal(s.first_done, 0);
    assert_int_equal(s.last_done, size);
    assert_int_equal(s.last_total, size);
    assert_int_equal(s.last_rows, L.led.rows_read);
    assert_false(s.backwards);
    cs_events_free(&L.ev);
    /* a non-zero return stops the load */
    for (int at = 1; at <= 2; at++) {
        s = (seen){.stop_at = at};
        cs_events_init(&L.ev);
        memset(&L.led, 0, sizeof L.led);
        assert_int_equal(cs_events_load(&L.ev, &o, &L.led, &L.err), CS_ECANCEL);
        assert_int_equal(s.calls, at);
        cs_events_free(&L.ev);
    }
}

/* ---- the parallel loader: any thread count and part size, the same load ---- */

typedef struct par_case {
    const char *file, *outcomes, *map;
    cs_format fmt;
    int skip;
    size_t maxlen;
} par_case;

static void load_with(loaded *L, const par_case *c, int threads, size_t part, int force)
{
    memset(L, 0, sizeof *L);
    assert_int_equal(cs_events_init(&L->ev), CS_OK);
    cs_load_opts o;
    cs_load_opts_init(&o);
    o.path = c->file;
    o.format = c->fmt;
    o.outcomes_path = c->outcomes;
    o.map = c->map;
    o.skip_bad_rows = c->skip;
    if (c->maxlen)
        o.max_field_len = c->maxlen;
    o.threads = threads;
    o.part_bytes = part;
    o.force_libcsv = force;
    L->st = cs_events_load(&L->ev, &o, &L->led, &L->err);
}

static void assert_same_table(const cs_intern *a, const cs_intern *b)
{
    assert_int_equal(cs_intern_count(a), cs_intern_count(b));
    for (uint32_t id = 1; id <= cs_intern_count(a); id++)
        assert_string_equal(cs_intern_str(a, id), cs_intern_str(b, id));
}

/* Everything a load gives: status, message, every column, every table in id order,
 * ledger, fingerprint, the well-known types. */
static void assert_same_load(const loaded *a, const loaded *b)
{
    assert_int_equal(a->st, b->st);
    if (a->st != CS_OK) {
        assert_string_equal(a->err.msg, b->err.msg);
        return;
    }
    assert_memory_equal(&a->led, &b->led, sizeof a->led);
    const cs_events *x = &a->ev, *y = &b->ev;
    assert_int_equal(x->n, y->n);
    assert_true(x->fingerprint == y->fingerprint);
    for (size_t i = 0; i < x->n; i++) {
        assert_int_equal(x->session[i], y->session[i]);
        assert_true(x->time_ms[i] == y->time_ms[i]);
        assert_int_equal(x->type[i], y->type[i]);
        assert_int_equal(x->item[i], y->item[i]);
        assert_int_equal(x->category[i], y->category[i]);
        assert_int_equal(x->brand[i], y->brand[i]);
        assert_int_equal(x->user[i], y->user[i]);
        assert_true(memcmp(&x->price[i], &y->price[i], sizeof x->price[i]) == 0);
    }
    assert_same_table(x->sessions, y->sessions);
    assert_same_table(x->types, y->types);
    assert_same_table(x->items, y->items);
    assert_same_table(x->categories, y->categories);
    assert_same_table(x->brands, y->brands);
    assert_same_table(x->users, y->users);
    assert_int_equal(x->purchase_type, y->purchase_type);
    assert_int_equal(x->cart_type, y->cart_type);
    assert_int_equal(x->view_type, y->view_type);
    assert_int_equal(x->remove_type, y->remove_type);
    assert_string_equal(x->source, y->source);
}

/* One thread against 2 and 3 threads with parts of a few bytes to a few rows, for both
 * paths of the reader; returns how many loads were compared. */
static int check_parallel(const par_case *c)
{
    static const size_t parts[] = {1, 7, 40, 97, 300, 1000};
    int n = 0;
    for (int force = 0; force < 2; force++) {
        loaded one;
        load_with(&one, c, 1, 0, force);
        for (size_t p = 0; p < sizeof parts / sizeof *parts; p++)
            for (int t = 2; t <= 3; t++) {
                loaded many;
                load_with(&many, c, t, parts[p], force);
                assert_same_load(&one, &many);
                cs_events_free(&many.ev);
                n++;
            }
        cs_events_free(&one.ev);
    }
    return n;
}

static void test_parallel_fixtures(void **state)
{
    (void)state;
    static const par_case cases[] = {
        {FIX "rees46_small.csv", NULL, NULL, CS_FMT_REES46, 0, 0},
        {FIX "rees46_noheader.csv", NULL, NULL, CS_FMT_AUTO, 0, 0},
        {FIX "bom_crlf.csv", NULL, NULL, CS_FMT_AUTO, 0, 0},
        {FIX "bom_crlf_bad.csv", NULL, NULL, CS_FMT_AUTO, 1, 0},
        {FIX "quoted.csv", NULL, NULL, CS_FMT_REES46, 0, 0},
        {FIX "quoted.csv", NULL, NULL, CS_FMT_REES46, 1, 0},
        {FIX "skip_mix.csv", NULL, NULL, CS_FMT_REES46, 1, 64},
        {FIX "skip_mix.csv", NULL, NULL, CS_FMT_REES46, 0, 64},
        {FIX "bad_quote.csv", NULL, NULL, CS_FMT_REES46, 1, 0},
        {FIX "bad_unterminated.csv", NULL, NULL, CS_FMT_REES46, 1, 0},
        {FIX "bad_unterminated.csv", NULL, NULL, CS_FMT_REES46, 0, 0},
        {FIX "bad_nul.csv", NULL, NULL, CS_FMT_REES46, 1, 0},
        {FIX "yoo_clicks.csv", FIX "yoo_buys.csv", NULL, CS_FMT_YOOCHOOSE, 0, 0},
        {FIX "gap.csv", NULL, "user=uid,time=ts,event=ev", CS_FMT_GENERIC, 0, 0},
        {FIX "gen_events.csv", FIX "outcomes.csv", NULL, CS_FMT_AUTO, 0, 0},
        {FIX "generic_pos.tsv", NULL, "session=1,time=2,event=3", CS_FMT_GENERIC, 0, 0},
        {FIX "header_only.csv", NULL, NULL, CS_FMT_REES46, 0, 0},
        {FIX "empty.csv", NULL, NULL, CS_FMT_AUTO, 0, 0},
    };
    int n = 0;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        n += check_parallel(&cases[i]);
    for (const char *const *f = (const char *const[]){"bad_columns.csv", "bad_time.csv", "bad_number.csv",
                                                        "bad_missing.csv", "bad_long.csv", NULL};
         *f; f++) {
        char path[600];
        snprintf(path, sizeof path, FIX "%s", *f);
        for (int skip = 0; skip < 2; skip++) {
            par_case c = {path, NULL, NULL, CS_FMT_REES46, skip, 64};
            n += check_parallel(&c);
        }
    }
    assert_true(n > 500);
}

/* Shards (cs_events_load_shard, the distributed loader's part) of 2..5: when every shard
 * could be sharded, the shards' ledgers add up to the whole load's field by field and their
 * events, laid end to end (events-file parts in shard order, then the buys parts), are the
 * whole load's in order (session name, time, type name).  Returns 1 when it was sharded. */
static int shards_add_up(const char *path, const char *outcomes, const char *map, cs_format fmt,
                         int skip, int n)
{
    cs_load_opts o = tu_load_opts(path, fmt, outcomes, map, -1, skip);
    o.threads = 1;
    cs_events whole;
    cs_ledger wl = {0};
    cs_error err;
    assert_int_equal(cs_events_init(&whole), CS_OK);
    if (cs_events_load(&whole, &o, &wl, &err) != CS_OK)
        fail_msg("%s", err.msg);
    cs_events part[5];
    cs_ledger pl[5];
    cs_shard_info si[5];
    int sharded = 1;
    for (int r = 0; r < n; r++) {
        memset(&pl[r], 0, sizeof pl[r]);
        assert_int_equal(cs_events_init(&part[r]), CS_OK);
        cs_status st = cs_events_load_shard(&part[r], &o, r, n, &pl[r], &si[r], &err);
        sharded &= st == CS_OK && !si[r].whole;
    }
    if (sharded) {
        cs_ledger sum = {0};
        for (int r = 0; r < n; r++) {
            sum.rows_read += pl[r].rows_read;
            sum.rows_used += pl[r].rows_used;
            sum.rows_skipped += pl[r].rows_skipped;
            for (int k = 0; k < CS_SKIP_NREASONS; k++)
                sum.skipped[k] += pl[r].skipped[k];
        }
        assert_int_equal(sum.rows_read, wl.rows_read);
        assert_int_equal(sum.rows_used, wl.rows_used);
        assert_int_equal(sum.rows_skipped, wl.rows_skipped);
        for (int k = 0; k < CS_SKIP_NREASONS; k++)
            assert_int_equal(sum.skipped[k], wl.skipped[k]);
        size_t w = 0;
        for (int sec = 0; sec < 2; sec++)
            for (int r = 0; r < n; r++) {
                size_t a = sec ? si[r].n_events_file : 0, b = sec ? part[r].n : si[r].n_events_file;
                for (size_t i = a; i < b; i++, w++) {
                    assert_true(w < whole.n);
                    assert_string_equal(cs_intern_str(part[r].sessions, part[r].session[i]),
                                        cs_intern_str(whole.sessions, whole.session[w]));
                    assert_true(part[r].time_ms[i] == whole.time_ms[w]);
                    assert_string_equal(cs_intern_str(part[r].types, part[r].type[i]),
                                        cs_intern_str(whole.types, whole.type[w]));
                }
            }
        assert_int_equal(w, whole.n);
    }
    for (int r = 0; r < n; r++)
        cs_events_free(&part[r]);
    cs_events_free(&whole);
    return sharded;
}

static void test_shards_add_up(void **state)
{
    (void)state;
    int sharded = 0, cases = 0;
    for (int n = 2; n <= 5; n++) {
        sharded += shards_add_up(FIX "rees46_small.csv", NULL, NULL, CS_FMT_REES46, 0, n);
        sharded += shards_add_up(FIX "rees46_noheader.csv", NULL, NULL, CS_FMT_AUTO, 0, n);
        sharded += shards_add_up(FIX "bom_crlf.csv", NULL, NULL, CS_FMT_AUTO, 0, n);
        sharded += shards_add_up(FIX "bom_crlf_bad.csv", NULL, NULL, CS_FMT_AUTO, 1, n);
        sharded += shards_add_up(FIX "quoted.csv", NULL, NULL, CS_FMT_REES46, 1, n);
        sharded += shards_add_up(FIX "skip_mix.csv", NULL, NULL, CS_FMT_REES46, 1, n);
        sharded += shards_add_up(FIX "yoo_clicks.csv", FIX "yoo_buys.csv", NULL, CS_FMT_YOOCHOOSE, 0, n);
        sharded += shards_add_up(FIX "generic_pos.tsv", NULL, "session=1,time=2,event=3", CS_FMT_GENERIC, 0, n);
        sharded += shards_add_up(CS_SRCDIR "/data/demo-shop.csv", NULL, NULL, CS_FMT_AUTO, 0, n);
        cases += 9;
        /* never sharded: sessions cut by a gap, a generic outcomes file */
        assert_false(shards_add_up(FIX "gap.csv", NULL, "user=uid,time=ts,event=ev", CS_FMT_GENERIC, 0, n));
        assert_false(shards_add_up(FIX "gen_events.csv", FIX "outcomes.csv", NULL, CS_FMT_AUTO, 0, n));
    }
    assert_true(sharded >= cases * 3 / 4);   /* a few tiny files have a quoted row at a cut */
    cs_error err;
    cs_events ev;
    cs_ledger l = {0};
    cs_shard_info si;
    cs_load_opts o = tu_load_opts(FIX "rees46_small.csv", CS_FMT_REES46, NULL, NULL, -1, 0);
    assert_int_equal(cs_events_init(&ev), CS_OK);
    assert_int_equal(cs_events_load_shard(&ev, &o, 2, 2, &l, &si, &err), CS_EINPUT);
    cs_events_free(&ev);
}

/* c loaded with 2-3 threads in parts of a few sizes, by both reader paths, equals one (a
 * one-thread load of c), which is freed. */
static void same_in_parts(loaded *one, const par_case *c)
{
    static const size_t parts[] = {4096, 10000, 65536, 100003};
    for (int force = 0; force < 2; force++)
        for (size_t p = 0; p < sizeof parts / sizeof *parts; p++) {
            loaded many;
            load_with(&many, c, 2 + (int)p % 2, parts[p], force);
            assert_same_load(one, &many);
            cs_events_free(&many.ev);
        }
    cs_events_free(&one->ev);
}

/* A generated file of many parts: quoted fields with line feeds inside spanning the cuts,
 * bad rows late in the file (their line numbers come from a later part), skip mode. */
static void test_parallel_generated(void **state)
{
    (void)state;
    char path[] = "/tmp/cs-test-par-XXXXXX";
    FILE *f = temp_csv(path);
    fputs(REES46_HEADER "\n", f);
    long line = 2;
    for (int i = 0; i < 20000; i++, line++) {
        if (i % 997 == 500) { /* a quoted category with two line feeds in it */
            fprintf(f, "2019-10-01 01:%02d:%02d UTC,cart,%d,7,\"multi\nline\ncat\",b%d,2.5,u%d,s%d\n",
                    i / 60 % 60, i % 60, i, i % 5, i % 77, i % 1500);
            line += 2;
        } else {
            fprintf(f, "2019-10-01 00:%02d:%02d UTC,%s,%d,7,,b%d,%d.25,u%d,s%d\n", i / 60 % 60, i % 60,
                    i % 11 == 0 ? "purchase" : "view", i % 3000, i % 9, i % 100, i % 77, i % 1500);
        }
    }
    long bad_line = line;
    fputs("2019-10-01 00:00:00 UTC,view,1,7,,b,1.x,u,s\n", f); /* bad price */
    fputs("2019-10-01 00:00:00 UTC,view,1,7,,b,1,u\n", f);     /* too few columns */
    fputs("2019-10-01 00:00:00 UTC,view,1,7,\"open,b,1,u,s\n", f); /* a quote never closed */
    fputs("2019-10-01 00:00:00 UTC,view,2,7,,b,1,u,s\n", f);
    fclose(f);
    loaded one;
    /* no skip: the first bad row, at its physical line, from whichever part holds it */
    par_case c = {path, NULL, NULL, CS_FMT_REES46, 0, 0};
    load_with(&one, &c, 1, 0, 0);
    assert_int_equal(one.st, CS_EINPUT);
    char want[300];
    snprintf(want, sizeof want, "%s:%ld:7: field 7 (price) is not a number: '1.x'", path, bad_line);
    assert_string_equal(one.err.msg, want);
    same_in_parts(&one, &c);
    /* skip mode: every row used or counted, the same ids and ledger */
    c.skip = 1;
    load_with(&one, &c, 1, 0, 0);
    assert_int_equal(one.st, CS_OK);
    assert_int_equal(one.led.rows_used, 20000 + 1);
    assert_true(cs_ledger_balanced(&one.led));
    same_in_parts(&one, &c);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rees46_header),
        cmocka_unit_test(test_rees46_noheader_auto_and_explicit),
        cmocka_unit_test(test_bom_crlf),
        cmocka_unit_test(test_yoochoose),
        cmocka_unit_test(test_generic_by_name),
        cmocka_unit_test(test_generic_by_position_tsv),
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_gap_sessions),
        cmocka_unit_test(test_outcomes_file),
        cmocka_unit_test(test_bad_rows_exact_messages),
        cmocka_unit_test(test_skip_mode_ledger),
        cmocka_unit_test(test_files_that_are_not_data),
        cmocka_unit_test(test_fast_and_slow_paths_agree),
        cmocka_unit_test(test_load_progress),
        cmocka_unit_test(test_parallel_fixtures),
        cmocka_unit_test(test_shards_add_up),
        cmocka_unit_test(test_parallel_generated),
        cmocka_unit_test(test_skip_mode_resyncs_after_a_stray_quote),
        cmocka_unit_test(test_real_yoochoose),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
