/* numparse.c — strict number parsing for CSV fields (see events.h).
 *
 * The whole field must be a number: no spaces, no trailing junk, no "nan"/"inf", no hex.
 * Integers check overflow exactly.  Doubles take a fast path for plain decimals with at
 * most 15 significant digits and a small exponent (exact: both the mantissa and the power
 * of ten are exact doubles, so one division or multiplication rounds correctly), and fall
 * back to strtod on a bounded copy otherwise. */
#include "clickseq/events.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int cs_parse_i64(const char *s, size_t len, long long *out)
{
    size_t i = 0;
    int neg = 0;
    if (len == 0)
        return -1;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i = 1;
    }
    if (i == len)
        return -1;
    unsigned long long v = 0;
    /* the magnitude limit: 2^63 - 1, or 2^63 for negatives */
    unsigned long long lim = neg ? (unsigned long long)INT64_MAX + 1 : (unsigned long long)INT64_MAX;
    for (; i < len; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9)
            return -1;
        if (v > (lim - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = neg ? (long long)(0 - v) : (long long)v;
    return 0;
}

static const double pow10_tab[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Plain decimal "[-+]digits[.digits]" with <= 15 significant digits: exact result.
 * Returns 1 on success, 0 if the slow path must decide. */
static int fast_decimal(const char *s, size_t len, double *out)
{
    size_t i = 0;
    int neg = 0;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i = 1;
    }
    uint64_t m = 0;
    int digits = 0, frac = 0, seen_dot = 0, any = 0;
    for (; i < len; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d <= 9) {
            any = 1;
            if (m == 0 && d == 0 && !seen_dot)
                continue; /* leading zeros are not significant */
            if (++digits > 15)
                return 0;
            m = m * 10 + d;
            frac += seen_dot;
        } else if (s[i] == '.' && !seen_dot) {
            seen_dot = 1;
        } else {
            return 0;
        }
    }
    if (!any)
        return 0;
    double v = (double)m;
    if (frac)
        v /= pow10_tab[frac];
    *out = neg ? -v : v;
    return 1;
}

int cs_parse_double(const char *s, size_t len, double *out)
{
    if (len == 0)
        return -1;
    if (fast_decimal(s, len, out))
        return 0;
    /* Slow path: only digits, sign, '.', 'e'/'E' may appear (this rules out nan, inf,
     * hex floats and spaces, which strtod would accept). */
    char buf[128];
    if (len >= sizeof buf)
        return -1;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E'))
            return -1;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (end != buf + len)
        return -1;
    if (errno == ERANGE && fabs(v) > 1.0)
        return -1; /* overflow; underflow to a tiny or zero value is accepted */
    if (!isfinite(v))
        return -1;
    *out = v;
    return 0;
}
