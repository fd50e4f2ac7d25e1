/* dataset.h — sessions, labels, views and splits: what the models consume.
 *
 * Contract (owned by src/engine/dataset.c, split.c, features.c):
 *  Sessionising groups events by session (or cuts sessions per user by an inactivity gap
 *  when the load had no session column — done at load time), orders each by time (stable
 *  for ties), labels it positive if it has a purchase, and keeps as inputs only the events
 *  strictly before the first purchase (honest mode).  Sessions left empty are dropped and
 *  counted.  The seed-compatible mode reproduces the study (DESIGN.md §1) exactly.
 *
 *  A dataset holds either a SEQUENCE view (steps per session) or a FEATURES view (a vector
 *  per session).  The features view runs through the models as a one-step sequence.
 *
 *  Honest method (CS_METHOD_HONEST, default):
 *   - inputs = the events whose time is strictly before the session's first purchase
 *     (ties with the purchase time are excluded); the rest is counted in
 *     led->events_after_purchase.  Sessions with fewer than min_len inputs are dropped
 *     (0 inputs: CS_DROP_EMPTY_BEFORE_PURCHASE, else CS_DROP_TOO_SHORT).
 *   - max_len: truncate keeps the LAST max_len inputs (led->events_truncated), filter
 *     drops the session (CS_DROP_TOO_LONG).
 *   - step dwell = seconds since the previous event of the session (even when that event
 *     was cut by truncation), 0 at the session's first event.
 *   - SEQUENCE: type ids are the events' interned type ids (type_names from the events).
 *     FEATURES: derived from the inputs, raw units (see cs_dataset_from_events).
 *  Seed-compatible method (CS_METHOD_COMPAT, the study, DESIGN.md §1):
 *   - codes purchase 1, cart 2, view (or click) 3, remove_from_cart 4, other types 5, 6, ...
 *     in order of first appearance in the data; label = has a purchase;
 *   - drop sessions of length <= 1 (CS_DROP_TOO_SHORT), then drop sessions longer than
 *     max_len (CS_DROP_TOO_LONG; always a filter, whatever the policy), both BEFORE the
 *     purchase events are removed; then remove purchases and pre-pad with 0 (Keras
 *     pad_sequences) to max_len (0: to the longest row) -> FEATURES view of max_len raw
 *     codes named "code_1".."code_N" (the study fed it as ONE time step).  Sessions made
 *     only of purchases become all-zero rows that are always positive: the flaw.
 *   - view FEATURES with COMPAT = the study's LEAKY table: whole-session counts
 *     (purchases included) plus per-user totals across all of the user's sessions and
 *     weekday / month / time-of-day one-hots (names prefixed "leaky_" where they see the
 *     outcome).
 */
#ifndef CLICKSEQ_DATASET_H
#define CLICKSEQ_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/error.h"
#include "clickseq/events.h"
#include "clickseq/table.h"

/* HYBRID (honest events only): the sequence view AND the honest derived features of the
 * same inputs (the events the sequence holds, after truncation), one row per session:
 * the hybrid model reads the sequence with its cell and joins the standardised features
 * to the last hidden state before the head. */
typedef enum cs_view { CS_VIEW_SEQUENCE = 0, CS_VIEW_FEATURES = 1, CS_VIEW_HYBRID = 2 } cs_view;
/* "sequence", "features", "hybrid". */
static inline const char *cs_view_name(cs_view v)
{
    return v == CS_VIEW_SEQUENCE ? "sequence" : v == CS_VIEW_FEATURES ? "features" : v == CS_VIEW_HYBRID ? "hybrid" : "?";
}
/* A view that has per-step sequence columns (sequence, hybrid). */
#define CS_VIEW_HAS_STEPS(v) ((v) == CS_VIEW_SEQUENCE || (v) == CS_VIEW_HYBRID)
/* A view that has a feature row per session (features, hybrid). */
#define CS_VIEW_HAS_FEAT(v) ((v) == CS_VIEW_FEATURES || (v) == CS_VIEW_HYBRID)

/* Per-event history inputs (opts.history): CS_HIST_INPUTS floats per step, computed from
 * the session's EARLIER events only (all of them, also those cut by truncation; ties in
 * time count in the session's stable time order):
 *   [0] log1p(times this item was seen earlier in the session)      (0 without an item)
 *   [1] log1p(times this category was seen earlier in the session)  (0 without a category)
 *   [2] log1p(seconds since the session's first event)
 *   [3] log1p(position: the number of earlier events in the session) */
#define CS_HIST_INPUTS 4
typedef enum cs_len_policy { CS_LEN_TRUNCATE = 0, CS_LEN_FILTER = 1 } cs_len_policy;
typedef enum cs_method { CS_METHOD_HONEST = 0, CS_METHOD_COMPAT = 1 } cs_method;

typedef struct cs_dataset_opts {
    cs_view view;
    cs_method method;       /* honest (default) or seed-compatible (the study) */
    int max_len;            /* 0 = no limit */
    cs_len_policy policy;   /* truncate keeps the LAST max_len events; filter drops longer */
    int min_len;            /* honest: minimum inputs kept (default 1) */
    int threads;            /* threads for grouping and filling: 0 = one per online CPU
                               (default); the dataset is the same for every count */
    int history;            /* 1: per-step history inputs (ds->hist; sequence and hybrid views) */
} cs_dataset_opts;
void cs_dataset_opts_init(cs_dataset_opts *o);

/* Per-step categorical inputs are small dense ids; numeric inputs are floats. */
typedef struct cs_dataset {
    cs_view view;
    cs_method method;
    size_t n;               /* sessions kept */
    /* --- sequence view (view == CS_VIEW_SEQUENCE or HYBRID) --- */
    size_t n_steps;         /* total steps over all sessions */
    size_t *off;            /* n + 1 offsets: session i has steps off[i] .. off[i+1]-1, in time order */
    uint16_t *type;         /* event-type id 1..n_types (0 unused) */
    uint32_t *item, *category, *brand;   /* FNV-1a hashes of the strings (0 = missing), stable
                                            across files; models take them modulo hash_buckets */
    float *log_dwell;       /* log1p(seconds since the previous event), 0 at the first step */
    float *log_price;       /* log1p(price), 0 when missing */
    float *hist;            /* n_steps * CS_HIST_INPUTS history inputs, or NULL (opts.history) */
    int n_types;            /* type ids are < n_types + 1 */
    char **type_names;      /* n_types + 1 entries, [0] = "" (owned) */
    /* --- features view (view == CS_VIEW_FEATURES, or HYBRID: the honest derived features) --- */
    size_t n_feat;
    float *feat;            /* n * n_feat row-major */
    char **feat_names;      /* n_feat names (owned) */
    /* --- per session --- */
    uint8_t *label;         /* 1 if the session has a purchase */
    int64_t *start_ms;      /* time of the session's first event (time splits); table: time key */
    uint32_t *session_id;   /* interned id in the events' sessions table (0 for tables) */
    uint32_t *user_id;
    char **session_names;   /* n names for predict output (owned); may be NULL for tables: use row numbers */
    char *names_blob;       /* when set, session_names[i] point into it (one allocation; owned) */
    uint64_t fingerprint;   /* of the source data and the dataset options */
    size_t seen_positive;   /* sessions seen with a purchase (before any drop); tables: positives */
} cs_dataset;

/* Build a sequence or features view from events (features derived from the pre-purchase
 * events: counts per event type, duration, dwell mean/max, distinct items/categories/brands,
 * price min/max/mean, hour and weekday of the start).  Fills the session part of led. */
cs_status cs_dataset_from_events(cs_dataset *ds, const cs_events *ev, const cs_dataset_opts *o,
                                 cs_ledger *led, cs_error *err);
/* The same, consuming the events (for callers that need only the dataset): the honest
 * sequence view frees each event column and intern table as soon as the build has read it
 * (20 M events: the peak is the events beside the grouping, ~0.5 GB less than the events
 * beside the whole dataset); other views are built as above and then freed.  The dataset
 * is the same as cs_dataset_from_events' in every bit.  Afterwards ev keeps ev->n, the
 * type column and the type names (ev->types, purchase/cart... ids, source, fingerprint):
 * a summary of the event types; every other column and intern table is NULL, so ev may
 * only be read that far, then cs_events_free'd.  On failure ev is left the same way. */
cs_status cs_dataset_from_events_consume(cs_dataset *ds, cs_events *ev, const cs_dataset_opts *o,
                                         cs_ledger *led, cs_error *err);
/* Wrap a features table (features view; start_ms = table time key). */
cs_status cs_dataset_from_table(cs_dataset *ds, const cs_table *t, cs_error *err);
void cs_dataset_free(cs_dataset *ds);

/* Length of session i in steps (1 for the features view). */
static inline size_t cs_dataset_len(const cs_dataset *ds, size_t i)
{
    return CS_VIEW_HAS_STEPS(ds->view) ? ds->off[i + 1] - ds->off[i] : 1;
}
double cs_dataset_positive_rate(const cs_dataset *ds);
/* The hash stored for item/category/brand strings: FNV-1a 32, never 0 except for "". */
uint32_t cs_hash_str(const char *s);

/* Session lengths of a dataset for summaries (inspect, the workbench's data pane): the
 * steps of the sequence view, the non-zero codes of the compat codes view, the "length"
 * column of derived features.  Tables have no length: returns 0 (s->n = 0).
 * Percentiles are nearest-rank; hist bins are 1, 2, 3-4, 5-8, ..., 257-512, 513+. */
#define CS_LEN_BINS 11
typedef struct cs_length_summary {
    size_t n;               /* sessions counted */
    double mean;
    long min, p25, p50, p75, p90, p99, max;
    long hist[CS_LEN_BINS];
} cs_length_summary;
/* Returns 1 when the view has lengths, 0 when not, -1 when out of memory. */
int cs_dataset_length_summary(const cs_dataset *ds, cs_length_summary *s);
/* "1", "2", "3-4", ..., "513+" into buf; returns buf. */
const char *cs_length_bin_label(int bin, char *buf, size_t n);

/* ---- splits ---- */
typedef enum cs_split_kind { CS_SPLIT_TIME = 0, CS_SPLIT_RANDOM = 1, CS_SPLIT_STRATIFIED = 2 } cs_split_kind;
typedef struct cs_split {
    size_t *train, *valid, *test;     /* indices into the dataset (owned) */
    size_t n_train, n_valid, n_test;
} cs_split;
/* fractions: train, valid (test = the rest).  TIME orders by start_ms (ties by index);
 * RANDOM shuffles with the seed; STRATIFIED shuffles within each class.  valid may be 0
 * (the study's 70/30 split). */
cs_status cs_split_make(cs_split *sp, const cs_dataset *ds, cs_split_kind kind, double train,
                        double valid, uint64_t seed, cs_error *err);
void cs_split_free(cs_split *sp);
/* The weight of the positive class: given when >= 0, else (auto) negatives / positives of
 * the training split (1 when it has no positive). */
double cs_split_pos_weight(const cs_dataset *ds, const cs_split *sp, double given);
/* The split kinds' names in enum order, NULL-terminated. */
extern const char *const cs_split_kind_names[];
const char *cs_split_kind_name(cs_split_kind k);

#endif
