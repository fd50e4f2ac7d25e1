/* features.c — session feature vectors derived from events (dataset.h).
 *
 * Honest features see only a session's inputs (the events before its first purchase):
 *   length, n_<type> per event type (the purchase type left out), duration_s,
 *   dwell_mean_s, dwell_max_s (gaps between consecutive inputs), distinct_items,
 *   distinct_categories, distinct_brands, price_min, price_max, price_mean (over events
 *   with a price; 0 when none), start_hour (0..23 UTC), start_weekday (Monday 0).
 * Raw units: standardising is the model's business.
 *
 * The LEAKY table (seed-compatible features view) rebuilds the study's mistake on purpose:
 * whole-session counts including purchases, and per-user totals over all the user's
 * sessions (including later ones), plus weekday / month / time-of-day one-hots. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/sessions/sessions.h"

/* Days since 1970-01-01 -> month 1..12 (Howard Hinnant's civil_from_days). */
static int month_of_days(int64_t z)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    return (int)(mp < 10 ? mp + 3 : mp - 9);
}

void cs_time_hour_wday(int64_t ms, int *hour, int *wday, int *month)
{
    int64_t day = ms / 86400000, rem = ms % 86400000;
    if (rem < 0) {
        rem += 86400000;
        day--;
    }
    if (hour)
        *hour = (int)(rem / 3600000);
    if (wday)
        *wday = (int)(((day % 7) + 7 + 3) % 7); /* 1970-01-01 was a Thursday (3) */
    if (month)
        *month = month_of_days(day);
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Distinct non-zero values of col over perm[a..b); scratch holds b - a. */
static size_t distinct(const uint32_t *col, const uint32_t *perm, size_t a, size_t b, uint32_t *scratch)
{
    size_t n = 0;
    for (size_t q = a; q < b; q++)
        if (col[perm[q]])
            scratch[n++] = col[perm[q]];
    qsort(scratch, n, sizeof *scratch, cmp_u32);
    size_t d = 0;
    for (size_t i = 0; i < n; i++)
        d += i == 0 || scratch[i] != scratch[i - 1];
    return d;
}

static char *dup_name(const char *prefix, const char *s)
{
    size_t n = strlen(prefix) + strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        snprintf(d, n, "%s%s", prefix, s);
    return d;
}

/* Allocate the features block and name it from a NULL-free list of (prefix, name). */
static cs_status feat_alloc(cs_dataset *ds, size_t n_feat)
{
    ds->n_feat = n_feat;
    ds->feat = calloc(ds->n * n_feat + 1, sizeof *ds->feat);
    ds->feat_names = calloc(n_feat + 1, sizeof *ds->feat_names);
    return ds->feat && ds->feat_names ? CS_OK : CS_ENOMEM;
}

static size_t max_group(const cs_groups *g)
{
    size_t m = 1;
    for (size_t s = 0; s < g->ns; s++)
        if (g->start[s + 1] - g->start[s] > m)
            m = g->start[s + 1] - g->start[s];
    return m;
}

/* Price statistics over perm[a..b): out[0..2] = min, max, mean; 0 when no price. */
static void price_stats(const cs_events *ev, const uint32_t *perm, size_t a, size_t b, float *out)
{
    double mn = INFINITY, mx = -INFINITY, sum = 0;
    size_t n = 0;
    for (size_t q = a; q < b; q++) {
        float p = ev->price[perm[q]];
        if (!isfinite(p))
            continue;
        mn = p < mn ? p : mn;
        mx = p > mx ? p : mx;
        sum += p;
        n++;
    }
    out[0] = n ? (float)mn : 0;
    out[1] = n ? (float)mx : 0;
    out[2] = n ? (float)(sum / (double)n) : 0;
}

static const char *const honest_tail[] = {"duration_s", "dwell_mean_s", "dwell_max_s",
                                          "distinct_items", "distinct_categories", "distinct_brands",
                                          "price_min", "price_max", "price_mean", "start_hour",
                                          "start_weekday"};
#define N_TAIL (sizeof honest_tail / sizeof *honest_tail)

cs_status cs_features_honest(cs_dataset *ds, const cs_events *ev, const cs_groups *g,
                             const cs_pick *pk, size_t n)
{
    uint32_t nt = cs_intern_count(ev->types);
    size_t n_typecols = nt - (ev->purchase_type ? 1 : 0);
    if (feat_alloc(ds, 1 + n_typecols + N_TAIL) != CS_OK)
        return CS_ENOMEM;
    size_t j = 0;
    ds->feat_names[j++] = dup_name("", "length");
    for (uint32_t t = 1; t <= nt; t++)
        if (t != ev->purchase_type)
            ds->feat_names[j++] = dup_name("n_", cs_intern_str(ev->types, t));
    for (size_t k = 0; k < N_TAIL; k++)
        ds->feat_names[j++] = dup_name("", honest_tail[k]);
    for (size_t k = 0; k < ds->n_feat; k++)
        if (!ds->feat_names[k])
            return CS_ENOMEM;
    uint32_t *scratch = malloc(max_group(g) * sizeof *scratch);
    if (!scratch)
        return CS_ENOMEM;
    const uint32_t *p = g->perm;
    for (size_t i = 0; i < n; i++) {
        float *row = ds->feat + i * ds->n_feat;
        size_t a = pk[i].a, b = pk[i].b;
        row[0] = (float)(b - a);
        for (size_t q = a; q < b; q++) {
            uint32_t t = ev->type[p[q]];
            size_t col = t - (ev->purchase_type && t > ev->purchase_type ? 1 : 0);
            row[col] += 1; /* col 1.. for types (length is col 0) */
        }
        float *tail = row + 1 + n_typecols;
        double dur = (double)(ev->time_ms[p[b - 1]] - ev->time_ms[p[a]]) / 1000.0, dmax = 0;
        for (size_t q = a + 1; q < b; q++) {
            double d = (double)(ev->time_ms[p[q]] - ev->time_ms[p[q - 1]]) / 1000.0;
            dmax = d > dmax ? d : dmax;
        }
        tail[0] = (float)dur;
        tail[1] = b - a > 1 ? (float)(dur / (double)(b - a - 1)) : 0;
        tail[2] = (float)dmax;
        tail[3] = (float)distinct(ev->item, p, a, b, scratch);
        tail[4] = (float)distinct(ev->category, p, a, b, scratch);
        tail[5] = (float)distinct(ev->brand, p, a, b, scratch);
        price_stats(ev, p, a, b, tail + 6);
        int hour, wday;
        cs_time_hour_wday(ev->time_ms[p[a]], &hour, &wday, NULL);
        tail[9] = (float)hour;
        tail[10] = (float)wday;
    }
    free(scratch);
    return CS_OK;
}

/* ---- the study's leaky table ---- */

static const char *const wday_names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const tod_names[4] = {"night", "morning", "afternoon", "evening"};

/* Per-user totals over every event and session of the store (the leak). */
static cs_status user_totals(const cs_events *ev, const cs_groups *g, float **out)
{
    uint32_t nu = cs_intern_count(ev->users);
    float *u = calloc(((size_t)nu + 1) * 3, sizeof *u); /* sessions, events, purchases */
    if (!u)
        return CS_ENOMEM;
    for (size_t i = 0; i < ev->n; i++) {
        u[ev->user[i] * 3 + 1] += 1;
        u[ev->user[i] * 3 + 2] += ev->purchase_type && ev->type[i] == ev->purchase_type;
    }
    for (size_t s = 0; s < g->ns; s++)
        if (g->start[s + 1] > g->start[s])
            u[ev->user[g->perm[g->start[s]]] * 3] += 1;
    u[0] = u[1] = u[2] = 0; /* no user id: no totals */
    *out = u;
    return CS_OK;
}

cs_status cs_features_leaky(cs_dataset *ds, const cs_events *ev, const cs_groups *g,
                            const cs_pick *pk, size_t n)
{
    static const char *const mid[] = {"price_sum", "price_mean", "price_max", "distinct_brands",
                                      "distinct_categories", "leaky_user_sessions",
                                      "leaky_user_events", "leaky_user_purchases"};
    uint32_t nt = cs_intern_count(ev->types);
    size_t n_mid = sizeof mid / sizeof *mid;
    if (feat_alloc(ds, 1 + nt + n_mid + 7 + 12 + 4) != CS_OK)
        return CS_ENOMEM;
    size_t j = 0;
    ds->feat_names[j++] = dup_name("leaky_", "n_events");
    for (uint32_t t = 1; t <= nt; t++)
        ds->feat_names[j++] = dup_name(t == ev->purchase_type ? "leaky_n_" : "n_", cs_intern_str(ev->types, t));
    for (size_t k = 0; k < n_mid; k++)
        ds->feat_names[j++] = dup_name("", mid[k]);
    for (int k = 0; k < 7; k++)
        ds->feat_names[j++] = dup_name("wday_", wday_names[k]);
    for (int k = 0; k < 12; k++) {
        char m[16];
        snprintf(m, sizeof m, "%d", k + 1);
        ds->feat_names[j++] = dup_name("month_", m);
    }
    for (int k = 0; k < 4; k++)
        ds->feat_names[j++] = dup_name("tod_", tod_names[k]);
    for (size_t k = 0; k < ds->n_feat; k++)
        if (!ds->feat_names[k])
            return CS_ENOMEM;
    float *ut = NULL;
    uint32_t *scratch = malloc(max_group(g) * sizeof *scratch);
    if (!scratch || user_totals(ev, g, &ut) != CS_OK) {
        free(scratch);
        return CS_ENOMEM;
    }
    const uint32_t *p = g->perm;
    for (size_t i = 0; i < n; i++) {
        float *row = ds->feat + i * ds->n_feat;
        size_t a = g->start[pk[i].group], b = g->start[pk[i].group + 1]; /* whole session */
        row[0] = (float)(b - a);
        double psum = 0, pmax = 0;
        size_t pn = 0;
        for (size_t q = a; q < b; q++) {
            row[ev->type[p[q]]] += 1;
            float pr = ev->price[p[q]];
            if (isfinite(pr)) {
                psum += pr;
                pmax = pr > pmax ? pr : pmax;
                pn++;
            }
        }
        float *m = row + 1 + nt;
        m[0] = (float)psum;
        m[1] = pn ? (float)(psum / (double)pn) : 0;
        m[2] = (float)pmax;
        m[3] = (float)distinct(ev->brand, p, a, b, scratch);
        m[4] = (float)distinct(ev->category, p, a, b, scratch);
        uint32_t u = ev->user[p[a]];
        for (int k = 0; k < 3; k++)
            m[5 + k] = ut[u * 3 + (uint32_t)k];
        int hour, wday, month;
        cs_time_hour_wday(ev->time_ms[p[a]], &hour, &wday, &month);
        float *oh = m + n_mid;
        oh[wday] = 1;
        oh[7 + month - 1] = 1;
        oh[7 + 12 + hour / 6] = 1;
    }
    free(ut);
    free(scratch);
    return CS_OK;
}
