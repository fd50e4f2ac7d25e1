/* group.c — grouping events by key, each group in time order (see group.h). */
#include "engine/data/group.h"

#include <stdlib.h>
#include <string.h>

#include "engine/core/fanout.h"

/* Stable merge sort of idx[0..n) by t[idx[i]]; tmp has room for n. */
static void sort_by_time(uint32_t *idx, uint32_t *tmp, size_t n, const int64_t *t)
{
    if (n < 2)
        return;
    if (n <= 16) { /* insertion sort: stable and quick for short groups */
        for (size_t i = 1; i < n; i++) {
            uint32_t v = idx[i];
            size_t j = i;
            while (j > 0 && t[idx[j - 1]] > t[v]) {
                idx[j] = idx[j - 1];
                j--;
            }
            idx[j] = v;
        }
        return;
    }
    size_t h = n / 2;
    sort_by_time(idx, tmp, h, t);
    sort_by_time(idx + h, tmp, n - h, t);
    if (t[idx[h - 1]] <= t[idx[h]])
        return;
    memcpy(tmp, idx, n * sizeof *idx);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        idx[k++] = t[tmp[j]] < t[tmp[i]] ? tmp[j++] : tmp[i++];
    while (i < h)
        idx[k++] = tmp[i++];
    while (j < n)
        idx[k++] = tmp[j++];
}

typedef struct job {
    const uint32_t *key;
    const int64_t *time;
    size_t n0, n, nkeys;
    uint32_t *start, *perm;
    uint32_t **cnt;      /* per thread: count, then the next slot, of each key */
    int phase, failed;
} job;

static void stretch(const job *j, int t, int nt, size_t *a, size_t *b)
{
    *a = j->n0 + j->n * (size_t)t / (size_t)nt;
    *b = j->n0 + j->n * (size_t)(t + 1) / (size_t)nt;
}

static void work(void *ctx, int t, int nt)
{
    job *j = ctx;
    size_t a, b;
    if (j->phase == 0) { /* count */
        stretch(j, t, nt, &a, &b);
        uint32_t *c = j->cnt[t];
        for (size_t i = a; i < b; i++)
            c[j->key[i]]++;
    } else if (j->phase == 1) { /* scatter */
        stretch(j, t, nt, &a, &b);
        uint32_t *c = j->cnt[t];
        for (size_t i = a; i < b; i++)
            j->perm[c[j->key[i]]++] = (uint32_t)i;
    } else { /* sort the groups of this thread's share of the events */
        size_t g0, g1;
        cs_fanout_groups32(j->start, j->nkeys, j->n, t, nt, &g0, &g1);
        size_t maxlen = 0;
        for (size_t g = g0; g < g1; g++)
            if (j->start[g + 1] - j->start[g] > maxlen)
                maxlen = j->start[g + 1] - j->start[g];
        uint32_t *tmp = malloc((maxlen ? maxlen : 1) * sizeof *tmp);
        if (!tmp) {
            __atomic_store_n(&j->failed, 1, __ATOMIC_RELAXED);
            return;
        }
        for (size_t g = g0; g < g1; g++)
            sort_by_time(j->perm + j->start[g], tmp, j->start[g + 1] - j->start[g], j->time);
        free(tmp);
    }
}

cs_status cs_group_by_key(const uint32_t *key, const int64_t *time, size_t n0, size_t n, size_t nkeys,
                          int threads, uint32_t **start_out, uint32_t **perm_out)
{
    *start_out = *perm_out = NULL;
    if (n0 + n > CS_GROUP_MAX_EVENTS || nkeys > CS_GROUP_MAX_EVENTS)
        return CS_EINPUT;
    int nt = cs_fanout_threads(threads);
    if (n < ((size_t)1 << 16))
        nt = 1; /* not worth a thread */
    job j = {.key = key, .time = time, .n0 = n0, .n = n, .nkeys = nkeys};
    j.start = calloc(nkeys + 1, sizeof *j.start);
    j.perm = malloc((n ? n : 1) * sizeof *j.perm);
    uint32_t *cnt[64] = {0};
    j.cnt = cnt;
    cs_status st = CS_ENOMEM;
    if (!j.start || !j.perm)
        goto out;
    for (int t = 0; t < nt; t++)
        if (!(cnt[t] = calloc(nkeys ? nkeys : 1, sizeof *cnt[t])))
            goto out;
    j.phase = 0;
    cs_fanout(nt, work, &j);
    /* offsets: key k's events of thread t follow those of threads < t */
    uint32_t sum = 0;
    for (size_t k = 0; k < nkeys; k++) {
        uint32_t s = sum;
        for (int t = 0; t < nt; t++) {
            uint32_t c = cnt[t][k];
            cnt[t][k] = s;
            s += c;
        }
        j.start[k] = sum;
        sum = s;
    }
    j.start[nkeys] = sum;
    j.phase = 1;
    cs_fanout(nt, work, &j);
    j.phase = 2;
    cs_fanout(nt, work, &j);
    if (!j.failed)
        st = CS_OK;
out:
    for (int t = 0; t < nt; t++)
        free(cnt[t]);
    if (st != CS_OK) {
        free(j.start);
        free(j.perm);
        return st;
    }
    *start_out = j.start;
    *perm_out = j.perm;
    return CS_OK;
}
