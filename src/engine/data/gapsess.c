/* gapsess.c — sessions cut per user by an inactivity gap, for event files without a
 * session column (see csvload.c and events_int.h).  Each user's events are ordered by
 * time (stable for ties) and cut where the gap to the previous event exceeds the limit;
 * the synthetic session keys are "<user>#<k>", k = 1, 2, ... in time order.  The grouping
 * is group.c's, the same as sessionising uses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/data/events_int.h"
#include "engine/data/group.h"

/* Events [n0, n) have users but no sessions: order each user's events by time and cut
 * where the gap exceeds gap_ms.  A counting sort groups the users in O(n). */
cs_status cs_events_cut_sessions(cs_events *ev, size_t n0, long long gap_ms, int threads)
{
    size_t n = ev->n - n0, nu = (size_t)cs_intern_count(ev->users) + 1;
    if (n == 0)
        return CS_OK;
    uint32_t *start, *idx;
    cs_status s = cs_group_by_key(ev->user, ev->time_ms, n0, n, nu, threads, &start, &idx);
    if (s != CS_OK)
        return s;
    /* user u's events, in time order: idx[start[u] .. start[u+1]-1] */
    char key[600];
    s = CS_ENOMEM;
    for (size_t u = 0; u < nu; u++) {
        size_t b = start[u], e = start[u + 1];
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
    return s;
}
