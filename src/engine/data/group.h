/* group.h (internal) — events grouped by a key id, each group in time order: the one
 * grouping behind sessionising (sessions/dataset.c: by session) and the per-user session
 * cut (gapsess.c: by user).
 *
 * A counting sort by key (O(n), stable), then a stable merge sort by time inside each
 * group that is not already in order (real logs almost always are): ties keep file order.
 * With threads > 1 the counting, the scattering (each thread a contiguous stretch of the
 * events, placed after the earlier stretches' events of the same key, so the result is the
 * same) and the group sorts (groups split by event count) run in parallel. */
#ifndef CS_GROUP_H
#define CS_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/error.h"

/* Event indices are 32-bit (4 bytes an event instead of 8: the grouping of 20 M events
 * needs 80 MB less), so a grouping covers at most CS_GROUP_MAX_EVENTS events. */
#define CS_GROUP_MAX_EVENTS ((size_t)UINT32_MAX - 1)

/* Events n0 .. n0+n-1 with key[i] < nkeys: on success *start (nkeys + 1 entries) and *perm
 * (n entries, absolute event indices) describe group k as perm[start[k] .. start[k+1]-1],
 * ordered by time[].  Both are malloc'ed (the caller frees).  threads as cs_fanout_threads.
 * CS_EINPUT when n0 + n or nkeys exceeds CS_GROUP_MAX_EVENTS, CS_ENOMEM. */
cs_status cs_group_by_key(const uint32_t *key, const int64_t *time, size_t n0, size_t n, size_t nkeys,
                          int threads, uint32_t **start, uint32_t **perm);

#endif
