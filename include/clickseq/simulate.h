/* simulate.h — a synthetic shop in REES46 format whose purchases depend on the ORDER of
 * events (DESIGN.md §9), for the bundled demo, tests and benchmarks.
 *
 * Contract (owned by src/engine/simulate.c):
 *  - Deterministic: the same options and seed give the same bytes (each session draws from
 *    its own generator derived from the seed and its index).
 *  - Each session has a hidden intent (browse / compare / ready) and an entry source
 *    (search / campaign / direct).  The source shows only in the first three events,
 *    through dwell and price (search: quick views in one category, 6-14 s; campaign: the
 *    promoted brand at a 40 % discount, clicked through in 1-3 s; direct: 45-75 s reads).
 *  - A session is PLANNED before its outcome is drawn: its length, whether it carts
 *    (by intent; more often in long sessions), the views after its last cart (the tail,
 *    drawn the same way for every intent and length), a few more carts, and for hesitant
 *    shoppers one extra cart plus one remove, placed before the last cart (a swap) or
 *    after it (taking things out at the end).  So buyers and non-buyers have the same
 *    numbers of carts, removes and (nearly) events; the ORDER decides:
 *      each view after the last cart lowers the chance (a cart at the end of the browsing
 *      often buys, one followed by long browsing away rarely does);
 *      a remove after the last cart almost never buys, one before it does not matter;
 *      a pause > 10 minutes just before the last cart lowers it;
 *      the entry source shifts it in sessions of more than 8 events, fully from 40 on
 *      (campaign up, direct down): a long-range signal a simple RNN tends to forget.
 *    About 60-70 % of carting sessions do not buy (cart abandonment); without a cart a
 *    session buys with probability 0.003.  A buyer purchases its net cart.
 *  - About 1 % of sessions hold only purchases (a checkout finished in a new session, as
 *    in real logs), which the study's method turns into all-padding positive rows.
 *  - Users have several sessions and a per-user propensity (so the study's per-user totals
 *    leak).  Lengths 1 .. 500 with a long tail; positive rate about 9 %.
 */
#ifndef CLICKSEQ_SIMULATE_H
#define CLICKSEQ_SIMULATE_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/error.h"
#include "clickseq/events.h"

typedef struct cs_sim_opts {
    long sessions;      /* number of sessions (>= 1) */
    uint64_t seed;
    long users;         /* 0: sessions / 3 (at least 1) */
    int products;       /* 0: 2000 */
    int categories;     /* 0: 40 */
    int brands;         /* 0: 60 */
    int64_t start_ms;   /* first day, UTC; 0: 2019-10-01 */
    int days;           /* sessions start within this many days; 0: 61 */
} cs_sim_opts;
void cs_sim_opts_init(cs_sim_opts *o);

typedef enum cs_sim_intent { CS_SIM_BROWSE = 0, CS_SIM_COMPARE, CS_SIM_READY } cs_sim_intent;
typedef enum cs_sim_source { CS_SIM_SEARCH = 0, CS_SIM_CAMPAIGN, CS_SIM_DIRECT } cs_sim_source;

/* The hidden truth of one session (for tests and for explaining the demo). */
typedef struct cs_sim_truth {
    uint8_t intent, source;
    uint8_t purchased;        /* the session holds a purchase */
    uint8_t buy_only;         /* made only of purchase events */
    uint8_t carted;           /* the session has a cart event */
    uint8_t cart_removed;     /* the session holds a remove (of a carted product) */
    uint8_t compared;         /* the last cart followed viewing >= 3 products of its
                                 category (recorded; no longer changes the outcome) */
    uint8_t long_gap;         /* > 10 min before the last cart */
    uint32_t events;          /* events in the session, purchases included */
    uint8_t removed_after;    /* the remove came after the last cart (taken out at the end) */
    uint16_t tail_views;      /* views after the last cart (0 when no cart) */
} cs_sim_truth;

typedef struct cs_sim_summary {
    long sessions, events, positives, purchase_events, users;
} cs_sim_summary;

/* Append the simulated events to ev (initialised by the caller); truth (may be NULL)
 * receives o->sessions entries, owned by the caller (free()).  Session names are
 * the same UUID-like strings the CSV writer uses. */
cs_status cs_simulate_events(const cs_sim_opts *o, cs_events *ev, cs_sim_truth **truth,
                             cs_sim_summary *sum, cs_error *err);
/* Write a REES46 CSV (header + rows sorted by event time, ties in generation order)
 * atomically: PATH.tmp-PID, fsync, rename.  sum may be NULL. */
cs_status cs_simulate_write(const cs_sim_opts *o, const char *path, cs_sim_summary *sum,
                            cs_error *err);

#endif
