/* batch.c — gather sessions into a packed, time-major batch sorted by length.
 *
 * Layout (see model.h): sessions sorted by length, descending (stable, so equal lengths
 * keep the caller's order); at step t the first bt[t] sessions are active and their
 * inputs sit at packed rows step_off[t] .. step_off[t] + bt[t] - 1, session j at row
 * step_off[t] + j.  The features view is a one-step batch (T = 1, bt[0] = B).
 */
#include <stdlib.h>
#include <string.h>

#include "clickseq/model.h"

static int grow(void **p, size_t n, size_t sz)
{
    void *q = realloc(*p, n * sz + 1);
    if (!q)
        return -1;
    *p = q;
    return 0;
}

/* Ensure capacity for B sessions, T steps and S packed steps (n_feat floats per session). */
static int reserve(cs_batch *b, size_t B, size_t T, size_t S, size_t n_feat)
{
    size_t need = B > T ? B : T;
    if (need > b->cap_B || n_feat) {
        size_t cb = need > b->cap_B ? need : b->cap_B;
        if (grow((void **)&b->len, cb, sizeof(int)) || grow((void **)&b->bt, cb, sizeof(int)) ||
            grow((void **)&b->step_off, cb + 1, sizeof(int)) ||
            grow((void **)&b->y, cb, sizeof(float)) || grow((void **)&b->idx, cb, sizeof(size_t)) ||
            grow((void **)&b->feat, n_feat ? cb * n_feat : 1, sizeof(float)))
            return -1;
        b->cap_B = cb;
    }
    if (S > b->cap_steps) {
        if (grow((void **)&b->type, S, sizeof(uint16_t)) ||
            grow((void **)&b->category, S, sizeof(uint32_t)) ||
            grow((void **)&b->brand, S, sizeof(uint32_t)) || grow((void **)&b->item, S, sizeof(uint32_t)) ||
            grow((void **)&b->log_dwell, S, sizeof(float)) || grow((void **)&b->log_price, S, sizeof(float)) ||
            grow((void **)&b->hist, S * CS_HIST_INPUTS, sizeof(float)))
            return -1;
        b->cap_steps = S;
    }
    return 0;
}

typedef struct { size_t len, pos, idx; } order_t;

static int by_len_desc(const void *pa, const void *pb)
{
    const order_t *a = pa, *b = pb;
    if (a->len != b->len)
        return a->len < b->len ? 1 : -1;
    return a->pos < b->pos ? -1 : a->pos > b->pos;
}

cs_status cs_batch_build(cs_batch *b, const cs_dataset *ds, const size_t *idx, size_t n,
                         cs_error *err)
{
    if (n == 0 || n > (size_t)1 << 30)
        return cs_error_fmt(err, CS_EINPUT, "batch: %zu sessions (need 1 .. 2^30)", n);
    order_t *o = malloc(n * sizeof *o);
    if (!o)
        return cs_error_fmt(err, CS_ENOMEM, "batch: out of memory");
    size_t S = 0;
    for (size_t i = 0; i < n; i++) {
        if (idx[i] >= ds->n) {
            free(o);
            return cs_error_fmt(err, CS_EINPUT, "batch: session index %zu out of range (%zu sessions)",
                                idx[i], ds->n);
        }
        o[i].len = cs_dataset_len(ds, idx[i]);
        o[i].pos = i;
        o[i].idx = idx[i];
        if (o[i].len == 0) {
            free(o);
            return cs_error_fmt(err, CS_EINPUT, "batch: session %zu is empty", idx[i]);
        }
        S += o[i].len;
    }
    qsort(o, n, sizeof *o, by_len_desc);
    size_t T = o[0].len;
    size_t nf = CS_VIEW_HAS_FEAT(ds->view) ? ds->n_feat : 0;
    if (T > (size_t)1 << 30 || S >= (size_t)1 << 31 || reserve(b, n, T, S, nf)) {
        free(o);
        return cs_error_fmt(err, CS_ENOMEM, "batch: out of memory (%zu steps)", S);
    }
    b->B = (int)n;
    b->T = (int)T;
    b->n_packed = S;
    for (size_t j = 0; j < n; j++) {
        b->len[j] = (int)o[j].len;
        b->idx[j] = o[j].idx;
        b->y[j] = ds->label ? (float)ds->label[o[j].idx] : 0.0f;
    }
    /* bt[t] = number of sessions with len > t; lengths are descending */
    size_t active = n;
    b->step_off[0] = 0;
    for (size_t t = 0; t < T; t++) {
        while (active > 0 && o[active - 1].len <= t)
            active--;
        b->bt[t] = (int)active;
        b->step_off[t + 1] = b->step_off[t] + (int)active;
    }
    for (size_t j = 0; nf && j < n; j++)   /* features and hybrid views: the session's row */
        memcpy(b->feat + j * nf, ds->feat + o[j].idx * nf, nf * sizeof(float));
    b->n_hist = ds->hist && CS_VIEW_HAS_STEPS(ds->view) ? CS_HIST_INPUTS : 0;
    if (ds->view == CS_VIEW_FEATURES) {
        memset(b->type, 0, S * sizeof *b->type);
        memset(b->category, 0, S * sizeof *b->category);
        memset(b->brand, 0, S * sizeof *b->brand);
        memset(b->item, 0, S * sizeof *b->item);
        memset(b->log_dwell, 0, S * sizeof *b->log_dwell);
        memset(b->log_price, 0, S * sizeof *b->log_price);
    } else {
        for (size_t j = 0; j < n; j++) {
            size_t base = ds->off[o[j].idx];
            for (size_t t = 0; t < o[j].len; t++) {
                size_t r = (size_t)b->step_off[t] + j, s = base + t;
                b->type[r] = ds->type ? ds->type[s] : 1;
                b->category[r] = ds->category ? ds->category[s] : 0;
                b->brand[r] = ds->brand ? ds->brand[s] : 0;
                b->item[r] = ds->item ? ds->item[s] : 0;
                b->log_dwell[r] = ds->log_dwell ? ds->log_dwell[s] : 0.0f;
                b->log_price[r] = ds->log_price ? ds->log_price[s] : 0.0f;
                if (b->n_hist)
                    memcpy(b->hist + r * CS_HIST_INPUTS, ds->hist + s * CS_HIST_INPUTS,
                           CS_HIST_INPUTS * sizeof(float));
            }
        }
    }
    free(o);
    return CS_OK;
}

void cs_batch_free(cs_batch *b)
{
    if (!b)
        return;
    free(b->len); free(b->bt); free(b->step_off); free(b->type); free(b->category);
    free(b->brand); free(b->item); free(b->log_dwell); free(b->log_price); free(b->hist); free(b->feat);
    free(b->y); free(b->idx);
    memset(b, 0, sizeof *b);
}
