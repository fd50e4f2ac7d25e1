/* gapsess.c — sessions cut per user by an inactivity gap, for event files without a
 * session column (see csvload.c and events_int.h).  Each user's events are ordered by
 * time (stable for ties) and cut where the gap to the previous event exceeds the limit;
 * the synthetic session keys are "<user>#<k>", k = 1, 2, ... in time order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/data/events_int.h"

/* Stable merge sort of idx[0..n) by time (tmp has room for n). */
static void sort_by_time(uint32_t *idx, uint32_t *tmp, size_t n, const int64_t *t)
{
    if (n < 2)
        return;
    if (n <= 16) {
        for (size_t i = 1; i < n; i++) {
            uint32_t v = idx[i];
            size_t j = i;
            for (; j > 0 && t[idx[j - 1]] > t[v]; j--)
                idx[j] = idx[j - 1];
            idx[j] = v;
        }
        return;
    }
    size_t h = n / 2;
    sort_by_time(idx, tmp, h, t);
    sort_by_time(idx + h, tmp, n - h, t);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = t[idx[j]] < t[idx[i]] ? idx[j++] : idx[i++];
    while (i < h)
        tmp[k++] = idx[i++];
    while (j < n)
        tmp[k++] = idx[j++];
    memcpy(idx, tmp, n * sizeof *idx);
}

/* Events [n0, n) have users but no sessions: order each user's events by time and cut
 * where the gap exceeds gap_ms.  A counting sort groups the users in O(n). */
cs_status cs_events_cut_sessions(cs_events *ev, size_t n0, long long gap_ms)
{
    size_t n = ev->n - n0, nu = (size_t)cs_intern_count(ev->users) + 2;
    if (n == 0)
        return CS_OK;
    if (n > UINT32_MAX)
        return CS_ENOMEM;
    size_t *start = calloc(nu, sizeof *start);
    uint32_t *idx = malloc(n * sizeof *idx), *tmp = malloc(n * sizeof *tmp);
    cs_status s = CS_ENOMEM;
    if (!start || !idx || !tmp)
        goto out;
    for (size_t i = 0; i < n; i++)
        start[ev->user[n0 + i] + 1]++;
    for (size_t u = 1; u < nu; u++)
        start[u] += start[u - 1];
    for (size_t i = 0; i < n; i++)
        idx[start[ev->user[n0 + i]]++] = (uint32_t)(n0 + i);
    /* start[u] is now the end of user u's group; its beginning is start[u - 1] (0 for u 0) */
    char key[600];
    for (size_t u = 0, b = 0; u + 1 < nu; b = start[u], u++) {
        size_t e = start[u];
        sort_by_time(idx + b, tmp, e - b, ev->time_ms);
        unsigned k = 0;
        uint32_t sid = 0;
        for (size_t i = b; i < e; i++) {
            size_t j = idx[i];
            if (i == b || ev->time_ms[j] - ev->time_ms[idx[i - 1]] > gap_ms) {
                int kl = snprintf(key, sizeof key, "%.500s#%u", cs_intern_str(ev->users, (uint32_t)u), ++k);
                sid = cs_intern_id(ev->sessions, key, (size_t)kl);
                if (sid == UINT32_MAX)
                    goto out;
            }
            ev->session[j] = sid;
        }
    }
    s = CS_OK;
out:
    free(start);
    free(idx);
    free(tmp);
    return s;
}

