/* test_core.c — errors, the random generator, stored/shown strings and the run name rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clickseq/clock.h"
#include "clickseq/csvfield.h"
#include "clickseq/error.h"
#include "clickseq/files.h"
#include "clickseq/hash.h"
#include "clickseq/quote.h"
#include "clickseq/rng.h"
#include "clickseq/runname.h"

static void test_error_location(void **state)
{
    (void)state;
    cs_error e;
    cs_status s = cs_error_set(&e, CS_EINPUT, "s.csv", 212, 4, "timestamp '%s' is bad", "x");
    assert_int_equal(s, CS_EINPUT);
    assert_string_equal(e.msg, "s.csv:212:4: timestamp 'x' is bad");
    cs_error_set(&e, CS_EIO, "s.csv", 0, 0, "cannot open");
    assert_string_equal(e.msg, "s.csv: cannot open");
    cs_error_fmt(&e, CS_ERUNTIME, "loss is %s", "NaN");
    assert_string_equal(e.msg, "loss is NaN");
    assert_int_equal(cs_status_exit_code(CS_EINPUT), 2);
    assert_int_equal(cs_status_exit_code(CS_EIO), 1);
    assert_int_equal(cs_status_exit_code(CS_OK), 0);
}

static void test_rng_deterministic_and_uniform(void **state)
{
    (void)state;
    cs_rng a, b;
    cs_rng_seed(&a, 42);
    cs_rng_seed(&b, 42);
    for (int i = 0; i < 100; i++)
        assert_int_equal(cs_rng_u64(&a), cs_rng_u64(&b));
    cs_rng_seed(&b, 43);
    assert_int_not_equal(cs_rng_u64(&a), cs_rng_u64(&b));
    /* mean of uniforms near 0.5, normals near 0 with variance near 1 */
    double su = 0, sn = 0, sn2 = 0;
    int n = 200000;
    for (int i = 0; i < n; i++) {
        double u = cs_rng_uniform(&a);
        assert_true(u >= 0.0 && u < 1.0);
        su += u;
        double z = cs_rng_normal(&a);
        sn += z;
        sn2 += z * z;
    }
    assert_true(su / n > 0.495 && su / n < 0.505);
    assert_true(sn / n > -0.01 && sn / n < 0.01);
    assert_true(sn2 / n > 0.98 && sn2 / n < 1.02);
    long counts[7] = {0};
    for (int i = 0; i < 70000; i++)
        counts[cs_rng_below(&a, 7)]++;
    for (int i = 0; i < 7; i++)
        assert_true(counts[i] > 9500 && counts[i] < 10500);
}

static void test_shuffle_is_permutation(void **state)
{
    (void)state;
    cs_rng r;
    cs_rng_seed(&r, 7);
    size_t a[50], seen[50] = {0};
    for (size_t i = 0; i < 50; i++)
        a[i] = i;
    cs_rng_shuffle_sz(&r, a, 50);
    int moved = 0;
    for (size_t i = 0; i < 50; i++) {
        seen[a[i]]++;
        moved += a[i] != i;
    }
    for (size_t i = 0; i < 50; i++)
        assert_int_equal(seen[i], 1);
    assert_true(moved > 40);
}

/* The hashes stored values depend on: published FNV-1a test vectors, the word variant
 * against its definition, the CRC-32 check value; the clock only moves forward. */
static void test_hashes_and_clock(void **state)
{
    (void)state;
    assert_int_equal(cs_fnv64_str(CS_FNV64_INIT, ""), 0xcbf29ce484222325ULL);
    assert_int_equal(cs_fnv64_str(CS_FNV64_INIT, "a"), 0xaf63dc4c8601ec8cULL);
    assert_int_equal(cs_fnv64_str(CS_FNV64_INIT, "foobar"), 0x85944171f73967e8ULL);
    assert_int_equal(cs_fnv32_str("a"), 0xe40c292cu);
    assert_int_equal(cs_fnv32_str("foobar"), 0xbf9cf968u);
    uint64_t v = 0x0807060504030201ULL, h = CS_FNV64_INIT;
    for (unsigned b = 1; b <= 8; b++)
        h = cs_fnv64_byte(h, (unsigned char)b);
    assert_int_equal(cs_fnv64_u64(CS_FNV64_INIT, v), h);   /* least significant byte first */
    const char text[] = "0123456789abcdefXYZ";             /* 2 words + 3 bytes */
    uint64_t w0, w1, ref = CS_FNV64_INIT;
    memcpy(&w0, text, 8);
    memcpy(&w1, text + 8, 8);
    ref = (ref ^ w0) * CS_FNV64_PRIME;
    ref = (ref ^ w1) * CS_FNV64_PRIME;
    for (int i = 16; i < 19; i++)
        ref = (ref ^ (unsigned char)text[i]) * CS_FNV64_PRIME;
    assert_int_equal(cs_fnv64_words(CS_FNV64_INIT, text, 19), ref);
    assert_int_equal(cs_crc32("123456789", 9), 0xcbf43926u);
    double t0 = cs_now_s(), t1 = cs_now_s();
    assert_true(t0 > 0 && t1 >= t0);
}

static void put_buf(void *ud, const char *p, size_t n)
{
    strncat(ud, p, n);
}

/* RFC 4180 fields: plain text as it is; a comma, quote, CR or LF quotes the field and
 * doubles inner quotes. */
static void test_csv_field(void **state)
{
    (void)state;
    const char *in[] = {"plain", "", "a,b", "say \"hi\"", "two\nlines", "\"", "cr\r"};
    const char *want[] = {"plain", "", "\"a,b\"", "\"say \"\"hi\"\"\"", "\"two\nlines\"", "\"\"\"\"",
                          "\"cr\r\""};
    for (int i = 0; i < 7; i++) {
        char out[64] = "";
        cs_csv_field(in[i], put_buf, out);
        assert_string_equal(out, want[i]);
    }
}

/* Stored values read back exactly; raw when that is enough (old files stay readable). */
static void test_quote_roundtrip(void **state)
{
    (void)state;
    static const char *const vals[] = {"view", "", "a,b", "x\ny", " lead", "trail\t", "\"q", "b\\s",
                                       "mid\"dle", "\x01\x7f\r", "caf\xc3\xa9"};
    static const char *const raw_ok[] = {"view", "", NULL, "", "", "", "", "b\\s", "mid\"dle", "", "caf\xc3\xa9"};
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
        char *q = cs_quote_value(vals[i], ",");
        assert_non_null(q);
        if (raw_ok[i] && *raw_ok[i]) {
            assert_string_equal(q, vals[i]);   /* nothing to quote */
        } else if (*vals[i]) {
            assert_true(q[0] == '"');
            assert_null(strchr(q, '\n'));
            char *back;
            const char *end;
            assert_int_equal(cs_unquote_value(q, &back, &end), 0);
            assert_string_equal(back, vals[i]);
            assert_true(*end == '\0');
            free(back);
        }
        free(q);
    }
    char *out;
    const char *end;
    assert_int_equal(cs_unquote_value("\"open", &out, &end), -1);
    assert_int_equal(cs_unquote_value("\"bad\\q\"", &out, &end), -1);
    assert_int_equal(cs_unquote_value("\"nul\\x00\"", &out, &end), -1);
    assert_int_equal(cs_unquote_value("\"a\",b", &out, &end), 0);
    assert_string_equal(out, "a");
    assert_string_equal(end, ",b");
    free(out);
    char buf[32];
    assert_string_equal(cs_show_str(buf, sizeof buf, "a\x1b]0;title\x07\n"), "a\\x1b]0;title\\x07\\n");
    assert_string_equal(cs_show_str(buf, 12, "0123456789abcdef"), "01234567...");
}

/* One rule for --name and :save: no globs, options, shell expansions; the limit said. */
/* cs_slurp reads regular files only, up to a cap; a FIFO never blocks it (issue 9, item 6) */
static void test_slurp_regular_capped(void **state)
{
    (void)state;
    char dir[] = "/tmp/clickseq-core-XXXXXX", p[64], q[64];
    assert_non_null(mkdtemp(dir));
    snprintf(p, sizeof p, "%s/f", dir);
    assert_int_equal(cs_write_file_atomic(p, "hello\n", NULL), CS_OK);
    char *t = NULL;
    size_t n = 0;
    cs_error e;
    assert_int_equal(cs_slurp(p, 6, &t, &n, &e), CS_OK);
    assert_int_equal(n, 6);
    assert_string_equal(t, "hello\n");
    free(t);
    assert_int_equal(cs_slurp(p, 5, &t, &n, &e), CS_EINPUT);
    assert_non_null(strstr(e.msg, "too large (6 bytes; at most 5)"));
    assert_null(t);
    snprintf(q, sizeof q, "%s/fifo", dir);
    assert_int_equal(mkfifo(q, 0600), 0);
    assert_int_equal(cs_slurp(q, 1000, &t, &n, &e), CS_EINPUT);   /* returns: no writer needed */
    assert_non_null(strstr(e.msg, "not a regular file (a FIFO)"));
    assert_int_equal(cs_slurp("/dev/zero", 1000, &t, &n, &e), CS_EINPUT);
    assert_non_null(strstr(e.msg, "not a regular file (a character device)"));
    assert_int_equal(cs_slurp(dir, 1000, &t, &n, &e), CS_EINPUT);
    assert_non_null(strstr(e.msg, "not a regular file (a directory)"));
    snprintf(q, sizeof q, "%s/missing", dir);
    assert_int_equal(cs_slurp(q, 1000, &t, &n, &e), CS_EINPUT);
    unlink(p);
    snprintf(q, sizeof q, "%s/fifo", dir);
    unlink(q);
    rmdir(dir);
}

static void test_run_name_rule(void **state)
{
    (void)state;
    cs_error e;
    assert_int_equal(cs_run_name_check("gru-h64_v1.2", &e), CS_OK);
    static const char *const bad[] = {"*", "-rf", "~", "$(rm)", "a/b", ".hidden", "..", "", "sp ace", "t\tab"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(cs_run_name_check(bad[i], &e), CS_EINPUT);
    assert_int_equal(cs_run_name_check("-rf", &e), CS_EINPUT);
    assert_non_null(strstr(e.msg, "must not start with '-'"));
    char longname[80];
    memset(longname, 'a', 64);
    longname[64] = '\0';
    assert_int_equal(cs_run_name_check(longname, &e), CS_EINPUT);
    assert_non_null(strstr(e.msg, "too long (64 bytes, at most 63)"));
    longname[63] = '\0';
    assert_int_equal(cs_run_name_check(longname, &e), CS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_location),
        cmocka_unit_test(test_rng_deterministic_and_uniform),
        cmocka_unit_test(test_shuffle_is_permutation),
        cmocka_unit_test(test_hashes_and_clock),
        cmocka_unit_test(test_csv_field),
        cmocka_unit_test(test_quote_roundtrip),
        cmocka_unit_test(test_run_name_rule),
        cmocka_unit_test(test_slurp_regular_capped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
