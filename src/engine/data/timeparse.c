/* timeparse.c — timestamps to milliseconds since the Unix epoch, UTC (see events.h).
 *
 * Accepted:
 *   YYYY-MM-DD                              midnight UTC
 *   YYYY-MM-DD[T| ]hh:mm[:ss[.fraction]]    then optionally Z, +hh:mm, -hh:mm, +hhmm, +hh
 *                                           or " UTC"; no suffix means UTC
 *   epoch seconds (1..11 digits, optional fraction) or milliseconds (12..13 digits)
 * Everything is range-checked (month 1..12, day within the month, hour 0..23, minute and
 * second 0..59).  The fraction may have any number of digits; milliseconds are kept
 * (truncated).  This is the loader's hot loop: fixed-position digits, no library calls. */
#include "clickseq/events.h"

#include <string.h>

static inline int dig2(const char *s, int *v)
{
    unsigned a = (unsigned)(unsigned char)s[0] - '0', b = (unsigned)(unsigned char)s[1] - '0';
    if (a > 9 || b > 9)
        return -1;
    *v = (int)(a * 10 + b);
    return 0;
}

static int is_leap(long y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int parse_epoch(const char *s, size_t len, int64_t *out)
{
    size_t i = 0, nd = 0;
    int64_t v = 0;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
        if (nd == 13)
            return -1; /* 14 digits: neither seconds nor milliseconds (and no overflow) */
        v = v * 10 + (s[i] - '0');
    }
    if (nd == 0)
        return -1;
    if (i == len) {
        *out = nd <= 11 ? v * 1000 : v;
        return 0;
    }
    /* seconds with a fraction */
    if (s[i] != '.' || nd > 11 || i + 1 == len)
        return -1;
    int64_t ms = 0;
    int k = 0;
    for (i++; i < len; i++, k++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9)
            return -1;
        if (k < 3)
            ms = ms * 10 + d;
    }
    for (; k < 3; k++)
        ms *= 10;
    *out = v * 1000 + ms;
    return 0;
}

/* The zone suffix after the time: "", "Z", " UTC", +hh:mm, -hh:mm, +hhmm, +hh.
 * Returns the offset in minutes east of UTC, or -100000 if malformed. */
static int parse_zone(const char *s, size_t len)
{
    if (len == 0 || (len == 1 && s[0] == 'Z') || (len == 4 && !memcmp(s, " UTC", 4)))
        return 0;
    if (s[0] != '+' && s[0] != '-')
        return -100000;
    int sign = s[0] == '-' ? -1 : 1, hh, mm = 0;
    if (len < 3 || dig2(s + 1, &hh) < 0 || hh > 23)
        return -100000;
    if (len == 6 && s[3] == ':') {
        if (dig2(s + 4, &mm) < 0)
            return -100000;
    } else if (len == 5) {
        if (dig2(s + 3, &mm) < 0)
            return -100000;
    } else if (len != 3) {
        return -100000;
    }
    if (mm > 59)
        return -100000;
    return sign * (hh * 60 + mm);
}

/* "hh:mm[:ss[.frac]]" then the zone; fills the milliseconds of the day and the zone. */
static int parse_clock(const char *s, size_t len, int64_t *ms_of_day, int *zone)
{
    int hh, mi, ss = 0, ms = 0;
    if (len < 5 || dig2(s, &hh) < 0 || s[2] != ':' || dig2(s + 3, &mi) < 0)
        return -1;
    size_t i = 5;
    if (i < len && s[i] == ':') {
        if (len < 8 || dig2(s + 6, &ss) < 0)
            return -1;
        i = 8;
        if (i < len && (s[i] == '.' || s[i] == ',')) {
            size_t k = 0;
            for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, k++)
                if (k < 3)
                    ms = ms * 10 + (s[i] - '0');
            if (k == 0)
                return -1;
            for (; k < 3; k++)
                ms *= 10;
        }
    }
    if (hh > 23 || mi > 59 || ss > 59)
        return -1;
    *zone = parse_zone(s + i, len - i);
    if (*zone == -100000)
        return -1;
    *ms_of_day = ((int64_t)hh * 3600 + mi * 60 + ss) * 1000 + ms;
    return 0;
}

int cs_parse_time(const char *s, size_t len, int64_t *out_ms)
{
    static const unsigned char mdays[13] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (len < 10 || s[4] != '-')
        return len > 0 ? parse_epoch(s, len, out_ms) : -1;
    int y1, y2, mo, d;
    if (dig2(s, &y1) < 0 || dig2(s + 2, &y2) < 0 || dig2(s + 5, &mo) < 0 || s[7] != '-' ||
        dig2(s + 8, &d) < 0)
        return -1;
    long y = y1 * 100 + y2;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo] + (mo == 2 && is_leap(y)))
        return -1;
    int64_t ms_of_day = 0;
    int zone = 0;
    if (len > 10) {
        if (s[10] != 'T' && s[10] != ' ')
            return -1;
        if (parse_clock(s + 11, len - 11, &ms_of_day, &zone) < 0)
            return -1;
    }
    *out_ms = (int64_t)days_from_civil(y, mo, d) * 86400000 + ms_of_day - (int64_t)zone * 60000;
    return 0;
}
