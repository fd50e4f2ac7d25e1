/* test_time.c — cs_parse_time, cs_parse_double, cs_parse_i64: valid forms, invalid forms,
 * ranges and edge cases.  Expected values are computed by hand (or with `date -u -d`). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "clickseq/events.h"

static int64_t T(const char *s)
{
    int64_t v = -42;
    assert_int_equal(cs_parse_time(s, strlen(s), &v), 0);
    return v;
}

static int bad_time(const char *s)
{
    int64_t v;
    return cs_parse_time(s, strlen(s), &v) == -1;
}

static void test_iso_forms(void **state)
{
    (void)state;
    const int64_t base = 1569888000000LL; /* 2019-10-01T00:00:00Z */
    assert_true(T("2019-10-01 00:00:00 UTC") == base);
    assert_true(T("2019-10-01T00:00:00Z") == base);
    assert_true(T("2019-10-01T00:00:00") == base);
    assert_true(T("2019-10-01 00:00") == base);
    assert_true(T("2019-10-01") == base);
    assert_true(T("2019-10-01T02:00:00+02:00") == base);
    assert_true(T("2019-09-30T22:30:00-01:30") == base);
    assert_true(T("2019-10-01T02:00:00+0200") == base);
    assert_true(T("2019-10-01T02:00:00+02") == base);
    assert_true(T("2019-10-01T00:00:00.5Z") == base + 500);
    assert_true(T("2019-10-01T00:00:00.123Z") == base + 123);
    assert_true(T("2019-10-01T00:00:00.123987654Z") == base + 123); /* any digits, ms kept */
    assert_true(T("2019-10-01 13:14:15.016 UTC") == base + ((13 * 60 + 14) * 60 + 15) * 1000LL + 16);
    assert_true(T("1970-01-01T00:00:00Z") == 0);
    assert_true(T("1969-12-31T23:59:59Z") == -1000);
    assert_true(T("2000-02-29T00:00:00Z") == 951782400000LL);  /* leap day (400 rule) */
    assert_true(T("2016-02-29") == 1456704000000LL);
    assert_true(T("2014-04-07T10:51:09.277Z") == 1396867869277LL);
    assert_true(T("2019-12-31T23:59:59Z") == 1577836799000LL);
}

static void test_epoch_forms(void **state)
{
    (void)state;
    assert_true(T("0") == 0);
    assert_true(T("1569888000") == 1569888000000LL);    /* seconds */
    assert_true(T("1569888000123") == 1569888000123LL); /* milliseconds (13 digits) */
    assert_true(T("156988800012") == 156988800012LL);   /* 12 digits: milliseconds */
    assert_true(T("1569888000.25") == 1569888000250LL);
    assert_true(bad_time("15698880001234"));  /* 14 digits: neither */
    assert_true(bad_time("99999999999999999999999999")); /* found by fuzz_events: overflowed */
    assert_true(bad_time("1569888000123.5")); /* a fraction of milliseconds */
    assert_true(bad_time("1569888000."));
    assert_true(bad_time("-5"));
    assert_true(bad_time("12ab"));
}

static void test_invalid_times(void **state)
{
    (void)state;
    assert_true(bad_time(""));
    assert_true(bad_time("2019-13-01 00:00:00"));  /* month 13 */
    assert_true(bad_time("2019-00-01 00:00:00"));
    assert_true(bad_time("2019-10-32 00:00:00"));  /* day 32 */
    assert_true(bad_time("2019-04-31"));           /* April has 30 */
    assert_true(bad_time("2019-02-29"));           /* not a leap year */
    assert_true(bad_time("1900-02-29"));           /* century rule */
    assert_true(bad_time("2019-10-01 25:00:00"));  /* hour 25 */
    assert_true(bad_time("2019-10-01 24:00:00"));
    assert_true(bad_time("2019-10-01 23:60:00"));
    assert_true(bad_time("2019-10-01 23:59:60"));
    assert_true(bad_time("2019-10-01X00:00:00"));
    assert_true(bad_time("2019-10-01 00:00:00 GMT"));
    assert_true(bad_time("2019-10-01 00:00:00UTC"));
    assert_true(bad_time("2019-10-01 00:00:00Z "));
    assert_true(bad_time("2019-10-01 00:00:00+25:00"));
    assert_true(bad_time("2019-10-01 00:00:00+02:60"));
    assert_true(bad_time("2019-10-01 00:00:00."));
    assert_true(bad_time("2019-1-01 00:00:00"));
    assert_true(bad_time("2019-10-01 0:00:00"));
    assert_true(bad_time("19-10-01"));
    assert_true(bad_time("event_time"));
    assert_true(bad_time(" 2019-10-01"));
    /* length is honoured: a valid prefix of a longer buffer */
    int64_t v;
    assert_int_equal(cs_parse_time("2019-10-01 00:00:00 UTCjunk", 23, &v), 0);
    assert_true(v == 1569888000000LL);
}

static double D(const char *s)
{
    double v = -42;
    assert_int_equal(cs_parse_double(s, strlen(s), &v), 0);
    return v;
}

static int bad_double(const char *s)
{
    double v;
    return cs_parse_double(s, strlen(s), &v) == -1;
}

static void test_doubles(void **state)
{
    (void)state;
    assert_true(D("0") == 0.0);
    assert_true(D("3.97") == 3.97);
    assert_true(D("-2.5") == -2.5);
    assert_true(D("+2.5") == 2.5);
    assert_true(D(".5") == 0.5);
    assert_true(D("5.") == 5.0);
    assert_true(D("007") == 7.0);
    assert_true(D("1e2") == 100.0);
    assert_true(D("1.5E-3") == 1.5e-3);
    assert_true(D("0.1") == 0.1);                       /* correctly rounded */
    assert_true(D("123456789012345") == 123456789012345.0);
    assert_true(D("1234567890123456789") == 1234567890123456789.0); /* slow path */
    assert_true(D("0.000000000000000000001") == 1e-21);
    assert_true(D("1e-400") == 0.0);                   /* underflow is a number */
    assert_true(bad_double(""));
    assert_true(bad_double("-"));
    assert_true(bad_double("."));
    assert_true(bad_double("e5"));
    assert_true(bad_double("1.2.3"));
    assert_true(bad_double("1e400"));                  /* overflow */
    assert_true(bad_double("-1e400"));
    assert_true(bad_double("nan"));
    assert_true(bad_double("NaN"));
    assert_true(bad_double("inf"));
    assert_true(bad_double("-Infinity"));
    assert_true(bad_double("0x10"));
    assert_true(bad_double(" 1"));
    assert_true(bad_double("1 "));
    assert_true(bad_double("1,5"));
    assert_true(bad_double("12abc"));
    double v;
    assert_int_equal(cs_parse_double("2.5xyz", 3, &v), 0); /* only len bytes count */
    assert_true(v == 2.5);
}

static long long I(const char *s)
{
    long long v = -42;
    assert_int_equal(cs_parse_i64(s, strlen(s), &v), 0);
    return v;
}

static int bad_i64(const char *s)
{
    long long v;
    return cs_parse_i64(s, strlen(s), &v) == -1;
}

static void test_integers(void **state)
{
    (void)state;
    assert_true(I("0") == 0);
    assert_true(I("-0") == 0);
    assert_true(I("42") == 42);
    assert_true(I("+42") == 42);
    assert_true(I("-42") == -42);
    assert_true(I("0042") == 42);
    assert_true(I("9223372036854775807") == INT64_MAX);
    assert_true(I("-9223372036854775808") == INT64_MIN);
    assert_true(bad_i64("9223372036854775808"));
    assert_true(bad_i64("-9223372036854775809"));
    assert_true(bad_i64("99999999999999999999"));
    assert_true(bad_i64(""));
    assert_true(bad_i64("-"));
    assert_true(bad_i64("+"));
    assert_true(bad_i64("1.0"));
    assert_true(bad_i64("1e3"));
    assert_true(bad_i64(" 1"));
    assert_true(bad_i64("1 "));
    assert_true(bad_i64("0x1f"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iso_forms),  cmocka_unit_test(test_epoch_forms),
        cmocka_unit_test(test_invalid_times), cmocka_unit_test(test_doubles),
        cmocka_unit_test(test_integers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
