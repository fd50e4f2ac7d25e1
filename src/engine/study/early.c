/* early.c — prefixes of sessions and the early-prediction curve (see early.h). */
#include "clickseq/early.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A prefix is a dataset that owns all it holds (and no features). */
void cs_early_prefix_free(cs_dataset *d)
{
    cs_dataset_free(d);
}

/* Allocate a copy of count elements of size sz from src (NULL stays NULL). */
#define ALLOC_LIKE(dst, src, count) \
    ((dst) = (src) ? malloc(((count) ? (count) : 1) * sizeof *(dst)) : NULL, !(src) || (dst))

static char *dup_str(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static int copy_names(cs_dataset *out, const cs_dataset *ds)
{
    if (!ds->type_names)
        return 1;
    out->type_names = calloc((size_t)ds->n_types + 1, sizeof *out->type_names);
    if (!out->type_names)
        return 0;
    for (int t = 0; t <= ds->n_types; t++)
        if (ds->type_names[t] && !(out->type_names[t] = dup_str(ds->type_names[t])))
            return 0;
    return 1;
}

static int alloc_prefix(cs_dataset *out, const cs_dataset *ds, size_t m, size_t steps)
{
    int ok = 1;
    ok &= (out->off = malloc((m + 1) * sizeof *out->off)) != NULL;
    ok &= ALLOC_LIKE(out->type, ds->type, steps);
    ok &= ALLOC_LIKE(out->item, ds->item, steps);
    ok &= ALLOC_LIKE(out->category, ds->category, steps);
    ok &= ALLOC_LIKE(out->brand, ds->brand, steps);
    ok &= ALLOC_LIKE(out->log_dwell, ds->log_dwell, steps);
    ok &= ALLOC_LIKE(out->log_price, ds->log_price, steps);
    size_t hsteps = steps * CS_HIST_INPUTS;
    ok &= ALLOC_LIKE(out->hist, ds->hist, hsteps);
    ok &= ALLOC_LIKE(out->label, ds->label, m);
    ok &= ALLOC_LIKE(out->start_ms, ds->start_ms, m);
    ok &= ALLOC_LIKE(out->session_id, ds->session_id, m);
    ok &= ALLOC_LIKE(out->user_id, ds->user_id, m);
    if (ds->session_names)
        ok &= (out->session_names = calloc(m ? m : 1, sizeof *out->session_names)) != NULL;
    return ok && copy_names(out, ds);
}

#define COPY_STEPS(f) \
    if (ds->f) memcpy(out->f + dst, ds->f + from, (size_t)k * sizeof *out->f)
#define COPY_ONE(f) \
    if (ds->f) out->f[j] = ds->f[s]

cs_status cs_early_prefix(const cs_dataset *ds, const size_t *idx, size_t n, int k,
                          cs_dataset *out, size_t **src, cs_error *err)
{
    memset(out, 0, sizeof *out);
    if (src)
        *src = NULL;
    if (ds->view != CS_VIEW_SEQUENCE)
        return cs_error_fmt(err, CS_EINPUT, "early prediction needs the sequence view");
    if (k < 1)
        return cs_error_fmt(err, CS_EINPUT, "early prediction: k must be >= 1 (got %d)", k);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        m += cs_dataset_len(ds, idx[i]) > (size_t)k;
    size_t steps = m * (size_t)k;
    out->view = CS_VIEW_SEQUENCE;
    out->method = ds->method;
    out->n_types = ds->n_types;
    out->fingerprint = ds->fingerprint;
    size_t *map = src ? malloc((m ? m : 1) * sizeof *map) : NULL;
    if (!alloc_prefix(out, ds, m, steps) || (src && !map)) {
        free(map);
        cs_early_prefix_free(out);
        return cs_error_fmt(err, CS_ENOMEM, "out of memory for %zu session prefixes", m);
    }
    size_t j = 0, dst = 0;
    for (size_t i = 0; i < n; i++) {
        size_t s = idx[i];
        if (cs_dataset_len(ds, s) <= (size_t)k)
            continue;
        size_t from = ds->off[s];
        out->off[j] = dst;
        COPY_STEPS(type);
        COPY_STEPS(item);
        COPY_STEPS(category);
        COPY_STEPS(brand);
        COPY_STEPS(log_dwell);
        COPY_STEPS(log_price);
        if (ds->hist)   /* a step's history reads only earlier events: a prefix keeps it */
            memcpy(out->hist + dst * CS_HIST_INPUTS, ds->hist + from * CS_HIST_INPUTS,
                   (size_t)k * CS_HIST_INPUTS * sizeof *out->hist);
        COPY_ONE(label);
        COPY_ONE(start_ms);
        COPY_ONE(session_id);
        COPY_ONE(user_id);
        if (ds->session_names && ds->session_names[s] &&
            !(out->session_names[j] = dup_str(ds->session_names[s]))) {
            out->n = j + 1;
            free(map);
            cs_early_prefix_free(out);
            return cs_error_fmt(err, CS_ENOMEM, "out of memory for session names");
        }
        if (map)
            map[j] = s;
        j++;
        dst += (size_t)k;
    }
    out->off[m] = dst;
    out->n = m;
    out->n_steps = steps;
    if (src)
        *src = map;
    return CS_OK;
}

char *cs_early_csv(const cs_early_point *p, size_t n)
{
    size_t cap = 256 + n * 256, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    len += (size_t)snprintf(buf, cap, "k,sessions,positives,positive_rate,f1,precision,recall,"
                                      "pr_auc,roc_auc,threshold,tp,fp,tn,fn\n");
    for (size_t i = 0; i < n && len < cap; i++) {
        const cs_metrics *m = &p[i].m;
        double rate = p[i].sessions ? (double)p[i].positives / (double)p[i].sessions : NAN;
        len += (size_t)snprintf(buf + len, cap - len,
                                "%d,%ld,%ld,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%ld,%ld,%ld,%ld\n",
                                p[i].k, p[i].sessions, p[i].positives, rate, m->f1, m->precision,
                                m->recall, m->pr_auc, m->roc_auc, m->threshold, m->cm.tp,
                                m->cm.fp, m->cm.tn, m->cm.fn);
    }
    return buf;
}
