/* sessions.h — internal to the sessions area (dataset.c, features.c): the grouping of an
 * event store into time-ordered sessions, and the per-session selection the builders share.
 * Not a public contract. */
#ifndef CLICKSEQ_ENGINE_SESSIONS_H
#define CLICKSEQ_ENGINE_SESSIONS_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/dataset.h"

/* Events grouped by session: group g holds perm[start[g] .. start[g+1]-1], event indices in
 * time order (stable: ties keep file order).  Groups follow the session ids (order of first
 * appearance); ids without events give empty groups. */
typedef struct cs_groups {
    size_t ns;
    uint32_t *start; /* ns + 1 */
    uint32_t *perm;  /* ev->n (32-bit event indices: group.h) */
    uint32_t *base;  /* the allocation start points into */
} cs_groups;

/* threads: as cs_dataset_opts.threads (the groups are the same for any count). */
cs_status cs_groups_build(cs_groups *g, const cs_events *ev, int threads);
void cs_groups_free(cs_groups *g);

/* One kept session: its group and its input range inside perm (a .. b-1). */
typedef struct cs_pick {
    uint32_t group, a, b;
    uint8_t label;
} cs_pick;

/* Features views (features.c).  Both fill ds->n_feat, ds->feat, ds->feat_names. */
cs_status cs_features_honest(cs_dataset *ds, const cs_events *ev, const cs_groups *g,
                             const cs_pick *pk, size_t n);
cs_status cs_features_leaky(cs_dataset *ds, const cs_events *ev, const cs_groups *g,
                            const cs_pick *pk, size_t n);

/* History inputs (history.c): ds->hist for the steps of the sequence (ds->off and n_steps
 * set), from each session's earlier events only. */
cs_status cs_history_inputs(cs_dataset *ds, const cs_events *ev, const cs_groups *g,
                            const cs_pick *pk, size_t n);

/* Hour (0..23) and weekday (Monday 0 .. Sunday 6) of a UTC time in milliseconds. */
void cs_time_hour_wday(int64_t ms, int *hour, int *wday, int *month);

#endif
