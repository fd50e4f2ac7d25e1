/* history.c — per-event history inputs (dataset.h, CS_HIST_INPUTS): for every kept step,
 * how often its item and its category were seen EARLIER in the session, the seconds since
 * the session's first event and the step's position, all log1p-scaled.
 *
 * Only earlier events are read: a step's values are counted over the session's events
 * before it in the stable time order (group order), from the session's first event on
 * (events cut by truncation still count: they happened before), so changing or adding a
 * later event never changes an earlier step's inputs (tests/test_dataset.c checks it).
 * The counts use one open-addressing table per session, keyed by the interned id. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/sessions/sessions.h"

typedef struct counter {
    uint32_t *key;    /* 0 = empty slot (id 0 = missing is never counted) */
    uint32_t *count;
    size_t cap;       /* power of two */
} counter;

static int counter_reset(counter *c, size_t n)
{
    size_t cap = 16;
    while (cap < 2 * n)
        cap <<= 1;
    if (cap > c->cap) {
        uint32_t *k = realloc(c->key, cap * sizeof *k), *v;
        if (!k)
            return -1;
        c->key = k;
        if (!(v = realloc(c->count, cap * sizeof *v)))
            return -1;
        c->count = v;
        c->cap = cap;
    }
    memset(c->key, 0, c->cap * sizeof *c->key);
    return 0;
}

/* The count of id so far, then one more (the table never fills: cap >= 2 * events). */
static uint32_t counter_bump(counter *c, uint32_t id)
{
    size_t mask = c->cap - 1, h = (size_t)(id * 0x9E3779B1u) & mask;
    while (c->key[h] && c->key[h] != id)
        h = (h + 1) & mask;
    if (!c->key[h]) {
        c->key[h] = id;
        c->count[h] = 0;
    }
    return c->count[h]++;
}

static float lg(double x) { return x > 0 ? (float)log1p(x) : 0.0f; }

cs_status cs_history_inputs(cs_dataset *ds, const cs_events *ev, const cs_groups *g,
                            const cs_pick *pk, size_t n)
{
    ds->hist = calloc(ds->n_steps * CS_HIST_INPUTS + 1, sizeof *ds->hist);
    counter ci = {0}, cc = {0};
    cs_status st = ds->hist ? CS_OK : CS_ENOMEM;
    const uint32_t *p = g->perm;
    for (size_t i = 0; i < n && st == CS_OK; i++) {
        size_t first = g->start[pk[i].group];
        if (counter_reset(&ci, pk[i].b - first) || counter_reset(&cc, pk[i].b - first)) {
            st = CS_ENOMEM;
            break;
        }
        float *h = ds->hist + ds->off[i] * CS_HIST_INPUTS;
        int64_t t0 = ev->time_ms[p[first]];
        for (size_t q = first; q < pk[i].b; q++) {
            size_t e = p[q];
            uint32_t ni = ev->item[e] ? counter_bump(&ci, ev->item[e]) : 0;
            uint32_t nc = ev->category[e] ? counter_bump(&cc, ev->category[e]) : 0;
            if (q < pk[i].a)
                continue;   /* cut by truncation: counted, not a step */
            h[0] = lg((double)ni);
            h[1] = lg((double)nc);
            h[2] = lg((double)(ev->time_ms[e] - t0) / 1000.0);
            h[3] = lg((double)(q - first));
            h += CS_HIST_INPUTS;
        }
    }
    free(ci.key);
    free(ci.count);
    free(cc.key);
    free(cc.count);
    return st;
}
