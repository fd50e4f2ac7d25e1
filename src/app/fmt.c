/* fmt.c — shared text formats (see fmt.h). */
#include "config.h"

#include <stdio.h>

#include "app/fmt.h"

char *app_fmt_dur(double s, char *buf, size_t n)
{
    if (!(s >= 0) || s > 1e7) {
        snprintf(buf, n, "--:--");
        return buf;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(buf, n, "%ld:%02ld", t / 60, t % 60);
    return buf;
}

char *app_fmt_bytes(double b, char *buf, size_t n)
{
    if (b < 1e3)
        snprintf(buf, n, "%.0f B", b);
    else if (b < 1e6)
        snprintf(buf, n, "%.1f kB", b / 1e3);
    else if (b < 1e9)
        snprintf(buf, n, "%.1f MB", b / 1e6);
    else
        snprintf(buf, n, "%.2f GB", b / 1e9);
    return buf;
}

static char *fmt_rate(double v, char *buf, size_t n)
{
    if (v >= 1e6)
        snprintf(buf, n, "%.1fM", v / 1e6);
    else if (v >= 1e4)
        snprintf(buf, n, "%.0fk", v / 1e3);
    else
        snprintf(buf, n, "%.0f", v);
    return buf;
}

char *app_fmt_load(size_t done, size_t total, double rows_per_s, double eta_s, int parsed,
                   int variant, char *buf, size_t n)
{
    char d[32], t[32], r[32], e[32];
    app_fmt_bytes((double)done, d, sizeof d);
    app_fmt_bytes((double)total, t, sizeof t);
    fmt_rate(rows_per_s, r, sizeof r);
    if (eta_s >= 0) app_fmt_dur(eta_s, e, sizeof e);
    else snprintf(e, sizeof e, "-");
    double pct = total ? 100.0 * (double)done / (double)total : 0;
    if (parsed) {
        switch (variant) {
        case 0: snprintf(buf, n, "%s read (100%%), building the sessions ...", t); break;
        case 1: snprintf(buf, n, "%s read (100%%), building sessions", t); break;
        case 2: snprintf(buf, n, "100%% of %s, sessions ...", t); break;
        default: snprintf(buf, n, "100%% %s", t); break;
        }
        return buf;
    }
    switch (variant) {
    case 0: snprintf(buf, n, "%s / %s  %.0f%%  %s rows/s  ETA %s", d, t, pct, r, e); break;
    case 1: snprintf(buf, n, "%s / %s %.0f%% %s rows/s ETA %s", d, t, pct, r, e); break;
    case 2: snprintf(buf, n, "%s/%s %.0f%% ETA %s", d, t, pct, e); break;
    default: snprintf(buf, n, "%.0f%% of %s", pct, t); break;
    }
    return buf;
}
