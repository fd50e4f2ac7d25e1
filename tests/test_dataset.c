/* test_dataset.c — sessionising: grouping, time order, labels, the honest cut before the
 * first purchase, length policies, the seed-compatible method, derived features, tables,
 * and the ledger identity.  All expected values are worked out by hand from the fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <unistd.h>

#include "clickseq/dataset.h"
#include "clickseq/pipeline.h"
#include "test_dataset_fixtures.h"

#define T0 1570000000LL /* 2019-10-02 07:06:40 UTC, a Wednesday */

/* Sessions interleaved and out of order in the "file"; "b" has a time tie. */
static const fx_event grouping_events[] = {
    {"a", T0 + 30, "view", "i3", "c1", "x", 3.0f, "u1"},
    {"b", T0 + 5, "view", "j1", "c2", "y", 1.0f, "u2"},
    {"a", T0 + 10, "view", "i1", "c1", "x", 1.0f, "u1"},
    {"b", T0 + 5, "cart", "j2", "c2", "y", 2.0f, "u2"}, /* same time as j1: stays after it */
    {"a", T0 + 20, "cart", "i2", "c1", "x", 2.0f, "u1"},
    {"b", T0 + 1, "view", "j0", "c2", "y", NAN, "u2"},
};

static void test_grouping_and_stable_time_order(void **state)
{
    (void)state;
    cs_events ev;
    cs_dataset_opts o;
    fx_begin(&ev, grouping_events, 6, &o);
    cs_ledger led;
        cs_dataset ds;
    fx_dataset(&ds, &ev, &o, &led);
    assert_int_equal(ds.n, 2);
    assert_int_equal(ds.n_steps, 6);
    long a = fx_find(&ds, "a"), b = fx_find(&ds, "b");
    assert_true(a >= 0 && b >= 0);
    const char *want_a[] = {"i1", "i2", "i3"}, *want_b[] = {"j0", "j1", "j2"};
    for (size_t k = 0; k < 3; k++) {
        assert_int_equal(ds.item[ds.off[a] + k], cs_hash_str(want_a[k]));
        assert_int_equal(ds.item[ds.off[b] + k], cs_hash_str(want_b[k]));
    }
    assert_int_equal(ds.start_ms[a], (T0 + 10) * 1000);
    assert_int_equal(ds.start_ms[b], (T0 + 1) * 1000);
    /* dwell: 0 first, then log1p(10 s), log1p(10 s); b: log1p(4), log1p(0) */
    assert_float_equal(ds.log_dwell[ds.off[a]], 0.0f, 1e-6);
    assert_float_equal(ds.log_dwell[ds.off[a] + 1], logf(11.0f), 1e-5);
    assert_float_equal(ds.log_dwell[ds.off[b] + 1], logf(5.0f), 1e-5);
    assert_float_equal(ds.log_dwell[ds.off[b] + 2], 0.0f, 1e-6);
    /* price: missing -> 0, else log1p */
    assert_float_equal(ds.log_price[ds.off[b]], 0.0f, 1e-6);
    assert_float_equal(ds.log_price[ds.off[b] + 2], logf(3.0f), 1e-5);
    assert_string_equal(ds.type_names[ds.type[ds.off[a] + 1]], "cart");
    assert_int_equal(ds.label[a], 0);
    assert_int_equal(led.sessions_seen, 2);
    assert_int_equal(led.sessions_kept, 2);
    cs_dataset_free(&ds);
    cs_events_free(&ev);
}

/* Honest cut: "p" buys after 2 events (then browses on), "q" only buys, "r" never buys,
 * "s" has a view at the same second as its purchase, listed before it (excluded all the
 * same: not strictly before in time). */
static const fx_event honest_events[] = {
    {"p", T0 + 0, "view", "i1", "c1", "x", 5.0f, "u1"},
    {"p", T0 + 60, "cart", "i1", "c1", "x", 5.0f, "u1"},
    {"p", T0 + 120, "purchase", "i1", "c1", "x", 5.0f, "u1"},
    {"p", T0 + 180, "view", "i2", "c1", "x", 7.0f, "u1"},
    {"p", T0 + 200, "purchase", "i2", "c1", "x", 7.0f, "u1"},
    {"q", T0 + 10, "purchase", "i3", "c2", "y", 9.0f, "u2"},
    {"r", T0 + 20, "view", "i4", "c2", "y", 1.0f, "u3"},
    {"r", T0 + 25, "view", "i5", "c2", "y", 2.0f, "u3"},
    {"r", T0 + 30, "view", "i6", "c2", "y", 3.0f, "u3"},
    {"s", T0 + 40, "view", "i7", "c3", "z", 1.0f, "u4"},
    {"s", T0 + 50, "view", "i8", "c3", "z", 1.0f, "u4"}, /* listed before the purchase */
    {"s", T0 + 50, "purchase", "i7", "c3", "z", 1.0f, "u4"},
};

static void test_honest_cut_labels_and_ledger(void **state)
{
    (void)state;
    cs_events ev;
    cs_dataset_opts o;
    fx_begin(&ev, honest_events, 12, &o);
    cs_ledger led;
        cs_dataset ds;
    fx_dataset(&ds, &ev, &o, &led);
    assert_int_equal(ds.n, 3);
    long p = fx_find(&ds, "p"), q = fx_find(&ds, "q"), r = fx_find(&ds, "r"), s = fx_find(&ds, "s");
    assert_true(p >= 0 && r >= 0 && s >= 0);
    assert_int_equal(q, -1);
    assert_int_equal(cs_dataset_len(&ds, (size_t)p), 2);
    assert_int_equal(cs_dataset_len(&ds, (size_t)r), 3);
    assert_int_equal(cs_dataset_len(&ds, (size_t)s), 1);
    assert_int_equal(ds.label[p], 1);
    assert_int_equal(ds.label[r], 0);
    assert_int_equal(ds.label[s], 1);
    /* no purchase ever reaches the inputs */
    for (size_t k = 0; k < ds.n_steps; k++)
        assert_int_not_equal(ds.type[k], ev.purchase_type);
    assert_int_equal(led.sessions_seen, 4);
    assert_int_equal(led.sessions_kept, 3);
    assert_int_equal(led.sessions_dropped[CS_DROP_EMPTY_BEFORE_PURCHASE], 1);
    assert_int_equal(led.purchase_events, 4);
    /* p: 3 at/after the purchase; q: 1; s: 2 (purchase + the tied view) */
    assert_int_equal(led.events_after_purchase, 6);
    assert_int_equal(ds.seen_positive, 3);
    led.rows_read = led.rows_used = 12;
    assert_true(cs_ledger_balanced(&led));
    assert_float_equal(cs_dataset_positive_rate(&ds), 2.0 / 3.0, 1e-9);
    cs_dataset_free(&ds);
    cs_events_free(&ev);
}

static void test_truncate_keeps_last_and_filter_drops(void **state)
{
    (void)state;
    cs_events ev;
    cs_dataset_opts o;
    fx_begin(&ev, honest_events, 12, &o);
    o.max_len = 2;
    o.policy = CS_LEN_TRUNCATE;
    cs_ledger led;
        cs_dataset ds;
    fx_dataset(&ds, &ev, &o, &led);
    long r = fx_find(&ds, "r");
    assert_int_equal(cs_dataset_len(&ds, (size_t)r), 2);
    /* the LAST two: i5, i6; the first kept step keeps its real dwell (5 s) */
    assert_int_equal(ds.item[ds.off[r]], cs_hash_str("i5"));
    assert_int_equal(ds.item[ds.off[r] + 1], cs_hash_str("i6"));
    assert_float_equal(ds.log_dwell[ds.off[r]], logf(6.0f), 1e-5);
    assert_int_equal(led.events_truncated, 1);
    assert_int_equal(ds.n, 3);
    cs_dataset_free(&ds);

    o.policy = CS_LEN_FILTER;
    fx_dataset(&ds, &ev, &o, &led);
    assert_int_equal(fx_find(&ds, "r"), -1);
    assert_int_equal(ds.n, 2);
    assert_int_equal(led.sessions_dropped[CS_DROP_TOO_LONG], 1);
    assert_int_equal(led.events_truncated, 0);
    assert_int_equal(led.sessions_seen, led.sessions_kept + led.sessions_dropped[0] +
                                            led.sessions_dropped[1] + led.sessions_dropped[2]);
    cs_dataset_free(&ds);

    o.policy = CS_LEN_TRUNCATE;
    o.max_len = 0;
    o.min_len = 2;
    fx_dataset(&ds, &ev, &o, &led);
    assert_int_equal(ds.n, 2); /* s (1 input) now too short */
    assert_int_equal(led.sessions_dropped[CS_DROP_TOO_SHORT], 1);
    cs_dataset_free(&ds);
    cs_events_free(&ev);
}

/* The study's order of operations, with max_len 4.  "zoom" is an unknown type (code 5). */
static const fx_event compat_events[] = {
    {"s1", T0 + 0, "view", "i1", "", "", 1.0f, "u1"},
    {"s1", T0 + 1, "cart", "i1", "", "", 1.0f, "u1"},
    {"s1", T0 + 2, "purchase", "i1", "", "", 1.0f, "u1"},
    {"s2", T0 + 3, "purchase", "i2", "", "", 1.0f, "u2"}, /* only purchases: the flaw */
    {"s2", T0 + 4, "purchase", "i3", "", "", 1.0f, "u2"},
    {"s3", T0 + 5, "view", "i1", "", "", 1.0f, "u3"},     /* length 1: dropped */
    {"s4", T0 + 6, "view", "i1", "", "", 1.0f, "u4"},     /* length 5: dropped */
    {"s4", T0 + 7, "view", "i1", "", "", 1.0f, "u4"},
    {"s4", T0 + 8, "view", "i1", "", "", 1.0f, "u4"},
    {"s4", T0 + 9, "view", "i1", "", "", 1.0f, "u4"},
    {"s4", T0 + 10, "view", "i1", "", "", 1.0f, "u4"},
    {"s5", T0 + 11, "purchase", "i1", "", "", 1.0f, "u5"}, /* length 1: dropped */
    {"s6", T0 + 12, "view", "i1", "", "", 1.0f, "u6"},
    {"s6", T0 + 13, "remove_from_cart", "i1", "", "", 1.0f, "u6"},
    {"s6", T0 + 14, "cart", "i1", "", "", 1.0f, "u6"},
    {"s6", T0 + 15, "zoom", "i1", "", "", 1.0f, "u6"},
    {"s7", T0 + 16, "view", "i1", "", "", 1.0f, "u7"},     /* 5 events with the purchase: */
    {"s7", T0 + 17, "view", "i1", "", "", 1.0f, "u7"},     /* filtered BEFORE it is removed */
    {"s7", T0 + 18, "view", "i1", "", "", 1.0f, "u7"},
    {"s7", T0 + 19, "view", "i1", "", "", 1.0f, "u7"},
    {"s7", T0 + 20, "purchase", "i1", "", "", 1.0f, "u7"},
};

static void test_compat_reproduces_the_study(void **state)
{
    (void)state;
    cs_events ev;
    cs_dataset_opts o;
    fx_begin(&ev, compat_events, 21, &o);
    o.method = CS_METHOD_COMPAT;
    o.max_len = 4;
    o.policy = CS_LEN_TRUNCATE; /* ignored: the study filtered */
    cs_ledger led;
        cs_dataset ds;
    fx_dataset(&ds, &ev, &o, &led);
    assert_int_equal(ds.view, CS_VIEW_FEATURES);
    assert_int_equal(ds.n_feat, 4);
    assert_int_equal(ds.n, 3);
    struct { const char *name; float row[4]; int label; } want[] = {
        {"s1", {0, 0, 3, 2}, 1},
        {"s2", {0, 0, 0, 0}, 1},
        {"s6", {3, 4, 2, 5}, 0},
    };
    for (int k = 0; k < 3; k++) {
        long i = fx_find(&ds, want[k].name);
        assert_true(i >= 0);
        for (int j = 0; j < 4; j++)
            assert_float_equal(ds.feat[(size_t)i * 4 + (size_t)j], want[k].row[j], 0);
        assert_int_equal(ds.label[i], want[k].label);
    }
    assert_string_equal(ds.feat_names[0], "code_1");
    assert_string_equal(ds.type_names[1], "purchase");
    assert_string_equal(ds.type_names[5], "zoom");
    assert_int_equal(led.sessions_seen, 7);
    assert_int_equal(led.sessions_dropped[CS_DROP_TOO_SHORT], 2);
    assert_int_equal(led.sessions_dropped[CS_DROP_TOO_LONG], 2);
    assert_int_equal(led.sessions_kept, 3);
    cs_dataset_free(&ds);

    /* no max length: pad to the longest remaining row (4, from s6 and s7) */
    o.max_len = 0;
    fx_dataset(&ds, &ev, &o, &led);
    assert_int_equal(ds.n, 5);
    assert_int_equal(ds.n_feat, 5); /* s4: five views */
    long s7 = fx_find(&ds, "s7");
    assert_float_equal(ds.feat[(size_t)s7 * 5], 0, 0);
    assert_float_equal(ds.feat[(size_t)s7 * 5 + 4], 3, 0);
    cs_dataset_free(&ds);
    cs_events_free(&ev);
}

static long feat_col(const cs_dataset *ds, const char *name)
{
    for (size_t j = 0; j < ds->n_feat; j++)
        if (!strcmp(ds->feat_names[j], name))
            return (long)j;
    fail_msg("no feature %s", name);
    return -1;
}

static void test_derived_features(void **state)
{
    (void)state;
    cs_events ev;
    cs_dataset_opts o;
    fx_begin(&ev, honest_events, 12, &o);
    o.view = CS_VIEW_FEATURES;
    cs_dataset ds;
    fx_dataset(&ds, &ev, &o, NULL);
    assert_int_equal(ds.n, 3);
    long p = fx_find(&ds, "p"), r = fx_find(&ds, "r");
    const float *fp = ds.feat + (size_t)p * ds.n_feat, *fr = ds.feat + (size_t)r * ds.n_feat;
    /* p's inputs: view i1 at +0, cart i1 at +60 (price 5 both) */
    assert_float_equal(fp[feat_col(&ds, "length")], 2, 0);
    assert_float_equal(fp[feat_col(&ds, "n_view")], 1, 0);
    assert_float_equal(fp[feat_col(&ds, "n_cart")], 1, 0);
    assert_float_equal(fp[feat_col(&ds, "duration_s")], 60, 1e-4);
    assert_float_equal(fp[feat_col(&ds, "dwell_mean_s")], 60, 1e-4);
    assert_float_equal(fp[feat_col(&ds, "distinct_items")], 1, 0);
    assert_float_equal(fp[feat_col(&ds, "price_mean")], 5, 1e-6);
    /* r: views at +20, +25, +30 of i4..i6, prices 1, 2, 3 */
    assert_float_equal(fr[feat_col(&ds, "n_view")], 3, 0);
    assert_float_equal(fr[feat_col(&ds, "duration_s")], 10, 1e-4);
    assert_float_equal(fr[feat_col(&ds, "dwell_mean_s")], 5, 1e-4);
    assert_float_equal(fr[feat_col(&ds, "dwell_max_s")], 5, 1e-4);
    assert_float_equal(fr[feat_col(&ds, "distinct_items")], 3, 0);
    assert_float_equal(fr[feat_col(&ds, "distinct_categories")], 1, 0);
    assert_float_equal(fr[feat_col(&ds, "price_min")], 1, 1e-6);
    assert_float_equal(fr[feat_col(&ds, "price_max")], 3, 1e-6);
    assert_float_equal(fr[feat_col(&ds, "price_mean")], 2, 1e-6);
    /* T0 + 20 s = 2019-10-02 07:07:00 UTC, a Wednesday (2 with Monday 0) */
    assert_float_equal(fr[feat_col(&ds, "start_hour")], 7, 0);
    assert_float_equal(fr[feat_col(&ds, "start_weekday")], 2, 0);
    for (size_t j = 0; j < ds.n_feat; j++) /* the purchase type has no honest column */
        assert_null(strstr(ds.feat_names[j], "purchase"));
    cs_dataset_free(&ds);
    cs_events_free(&ev);
}

/* History inputs, worked out by hand.  Session h (listed out of time order): items A B A C A
 * at +0 +10 +30 +60 +100 s, categories X X X Y (none), then the purchase at +160 and a view
 * after it; session k: item A twice, 5 s apart (counts never cross sessions). */
static const fx_event history_events[] = {
    {"h", T0 + 10, "view", "B", "X", "", NAN, "u1"},
    {"h", T0 + 0, "view", "A", "X", "", NAN, "u1"},
    {"k", T0 + 500, "view", "A", "X", "", NAN, "u2"},
    {"h", T0 + 30, "cart", "A", "X", "", NAN, "u1"},
    {"h", T0 + 60, "view", "C", "Y", "", NAN, "u1"},
    {"h", T0 + 100, "view", "A", "", "", NAN, "u1"},
    {"h", T0 + 160, "purchase", "A", "X", "", NAN, "u1"},
    {"h", T0 + 200, "view", "B", "X", "", NAN, "u1"},
    {"k", T0 + 505, "view", "A", "X", "", NAN, "u2"},
};
#define L1P(x) ((float)log1p((double)(x)))
/* [item seen before, category seen before, seconds since the start, position] per input */
static const float hist_h[5][CS_HIST_INPUTS] = {
    {0, 0, 0, 0},
    {0, L1P(1), L1P(10), L1P(1)},
    {L1P(1), L1P(2), L1P(30), L1P(2)},
    {0, 0, L1P(60), L1P(3)},
    {L1P(2), 0, L1P(100), L1P(4)},
};
static const float hist_k[2][CS_HIST_INPUTS] = {{0, 0, 0, 0}, {L1P(1), L1P(1), L1P(5), L1P(1)}};

static void history_dataset(cs_dataset *ds, const fx_event *e, size_t n, cs_view view, int max_len)
{
    cs_events ev;
    cs_dataset_opts o;
    fx_begin(&ev, e, n, &o);
    o.view = view;
    o.history = 1;
    o.max_len = max_len;
    fx_dataset(ds, &ev, &o, NULL);
    cs_events_free(&ev);
}

/* The history of session `name`'s first n steps equals want[from..from+n-1]. */
static void assert_history(const cs_dataset *ds, const char *name, const float (*want)[CS_HIST_INPUTS],
                           size_t from, size_t n)
{
    long i = fx_find(ds, name);
    assert_true(i >= 0);
    assert_true(cs_dataset_len(ds, (size_t)i) >= n);
    const float *h = ds->hist + ds->off[i] * CS_HIST_INPUTS;
    for (size_t t = 0; t < n; t++)
        for (int c = 0; c < CS_HIST_INPUTS; c++)
            if (fabsf(h[t * CS_HIST_INPUTS + c] - want[from + t][c]) > 1e-6f)
                fail_msg("%s step %zu input %d: %g, want %g", name, from + t, c,
                         (double)h[t * CS_HIST_INPUTS + c], (double)want[from + t][c]);
}

static void test_history_inputs(void **state)
{
    (void)state;
    size_t ne = sizeof history_events / sizeof *history_events;
    cs_dataset ds;
    history_dataset(&ds, history_events, ne, CS_VIEW_SEQUENCE, 0);
    assert_non_null(ds.hist);
    assert_int_equal(cs_dataset_len(&ds, (size_t)fx_find(&ds, "h")), 5);   /* not the purchase, */
    assert_history(&ds, "h", hist_h, 0, 5);                                /* nor the view after */
    assert_history(&ds, "k", hist_k, 0, 2);
    uint64_t fp = ds.fingerprint;
    cs_dataset_free(&ds);
    /* truncated to the last 2 inputs: the cut events still count as earlier */
    history_dataset(&ds, history_events, ne, CS_VIEW_SEQUENCE, 2);
    assert_int_equal(cs_dataset_len(&ds, (size_t)fx_find(&ds, "h")), 2);
    assert_history(&ds, "h", hist_h, 3, 2);
    cs_dataset_free(&ds);
    /* the hybrid view has them too, with the features of the same inputs */
    history_dataset(&ds, history_events, ne, CS_VIEW_HYBRID, 0);
    assert_history(&ds, "h", hist_h, 0, 5);
    assert_int_equal(ds.view, CS_VIEW_HYBRID);
    long h = fx_find(&ds, "h");
    assert_float_equal(ds.feat[(size_t)h * ds.n_feat + (size_t)feat_col(&ds, "length")], 5, 0);
    assert_float_equal(ds.feat[(size_t)h * ds.n_feat + (size_t)feat_col(&ds, "distinct_items")], 3, 0);
    cs_dataset_free(&ds);
    /* the hybrid features are the features view's, over the same (truncated) inputs */
    for (int ml = 0; ml <= 2; ml += 2) {
        cs_dataset f;
        cs_events e2;
        cs_dataset_opts o2;
        fx_begin(&e2, history_events, ne, &o2);
        o2.max_len = ml;
        o2.view = CS_VIEW_FEATURES;
        fx_dataset(&f, &e2, &o2, NULL);
        o2.view = CS_VIEW_HYBRID;
        fx_dataset(&ds, &e2, &o2, NULL);
        assert_int_equal(ds.n_feat, f.n_feat);
        assert_int_equal(ds.n, f.n);
        for (size_t j = 0; j < f.n_feat; j++)
            assert_string_equal(ds.feat_names[j], f.feat_names[j]);
        assert_memory_equal(ds.feat, f.feat, f.n * f.n_feat * sizeof(float));
        assert_null(ds.hist);
        cs_dataset_free(&ds);
        cs_dataset_free(&f);
        cs_events_free(&e2);
    }
    /* off by default, and then the fingerprint is the old one */
    cs_events ev;
    cs_dataset_opts o;
    fx_begin(&ev, history_events, ne, &o);
    fx_dataset(&ds, &ev, &o, NULL);
    assert_null(ds.hist);
    assert_true(ds.fingerprint != fp);
    cs_dataset_free(&ds);
    cs_events_free(&ev);
}

/* No future leaks in: change a later event (C -> A at +60 s) or add one (item B at +40 s,
 * last in the file); every earlier step's inputs stay exactly as they were. */
static void test_history_no_future_leak(void **state)
{
    (void)state;
    size_t ne = sizeof history_events / sizeof *history_events;
    fx_event changed[sizeof history_events / sizeof *history_events + 1];
    memcpy(changed, history_events, sizeof history_events);
    changed[4].item = "A";
    cs_dataset ds;
    history_dataset(&ds, changed, ne, CS_VIEW_SEQUENCE, 0);
    assert_history(&ds, "h", hist_h, 0, 3);   /* steps before the change: unchanged */
    long h = fx_find(&ds, "h");
    const float *x = ds.hist + ds.off[h] * CS_HIST_INPUTS;
    assert_float_equal(x[3 * CS_HIST_INPUTS + 0], L1P(2), 1e-6);   /* the changed step: A twice before */
    assert_float_equal(x[4 * CS_HIST_INPUTS + 0], L1P(3), 1e-6);   /* later: A three times */
    cs_dataset_free(&ds);
    memcpy(changed, history_events, sizeof history_events);
    changed[ne] = (fx_event){"h", T0 + 40, "view", "B", "Z", "", NAN, "u1"};
    history_dataset(&ds, changed, ne + 1, CS_VIEW_SEQUENCE, 0);
    h = fx_find(&ds, "h");
    assert_int_equal(cs_dataset_len(&ds, (size_t)h), 6);
    x = ds.hist + ds.off[h] * CS_HIST_INPUTS;
    for (size_t t = 0; t < 3; t++)
        for (int c = 0; c < CS_HIST_INPUTS; c++)
            assert_float_equal(x[t * CS_HIST_INPUTS + c], hist_h[t][c], 1e-6);
    /* the new step at +40: B seen once before, no Z before, position 3 */
    const float want[CS_HIST_INPUTS] = {L1P(1), 0, L1P(40), L1P(3)};
    for (int c = 0; c < CS_HIST_INPUTS; c++)
        assert_float_equal(x[3 * CS_HIST_INPUTS + c], want[c], 1e-6);
    cs_dataset_free(&ds);
}

/* The leaky table sees the purchase and the user's other sessions. */
static void test_compat_leaky_table(void **state)
{
    (void)state;
    static const fx_event e[] = {
        {"a", T0, "view", "i1", "", "", 1.0f, "u1"},
        {"a", T0 + 1, "purchase", "i1", "", "", 1.0f, "u1"},
        {"b", T0 + 99, "view", "i1", "", "", 1.0f, "u1"},
        {"b", T0 + 100, "view", "i2", "", "", 1.0f, "u1"},
        {"b", T0 + 101, "purchase", "i2", "", "", 1.0f, "u1"},
    };
    cs_events ev;
    cs_dataset_opts o;
    fx_begin(&ev, e, 5, &o);
    o.method = CS_METHOD_COMPAT;
    o.view = CS_VIEW_FEATURES;
    cs_dataset ds;
    fx_dataset(&ds, &ev, &o, NULL);
    assert_int_equal(ds.n, 2);
    long a = fx_find(&ds, "a");
    const float *f = ds.feat + (size_t)a * ds.n_feat;
    assert_float_equal(f[feat_col(&ds, "leaky_n_purchase")], 1, 0);
    assert_float_equal(f[feat_col(&ds, "leaky_user_sessions")], 2, 0);
    assert_float_equal(f[feat_col(&ds, "leaky_user_purchases")], 2, 0);
    assert_float_equal(f[feat_col(&ds, "leaky_user_events")], 5, 0);
    assert_float_equal(f[feat_col(&ds, "wday_Wed")], 1, 0);
    assert_float_equal(f[feat_col(&ds, "month_10")], 1, 0);
    assert_float_equal(f[feat_col(&ds, "tod_morning")], 1, 0);
    cs_dataset_free(&ds);
    cs_events_free(&ev);
}

static void test_from_table(void **state)
{
    (void)state;
    float x[6] = {1, 2, 3, 4, 5, 6};
    uint8_t y[3] = {0, 1, 1};
    int32_t tk[3] = {2, 1, 3};
    char n0[] = "a", n1[] = "Month=Feb";
    char *names[2] = {n0, n1};
    cs_table t = {.n_rows = 3, .n_cols = 2, .x = x, .y = y, .time_key = tk, .col_names = names};
    cs_dataset ds;
    assert_int_equal(cs_dataset_from_table(&ds, &t, NULL), CS_OK);
    assert_int_equal(ds.view, CS_VIEW_FEATURES);
    assert_int_equal(ds.n, 3);
    assert_int_equal(cs_dataset_len(&ds, 1), 1);
    assert_float_equal(ds.feat[5], 6, 0);
    assert_string_equal(ds.feat_names[1], "Month=Feb");
    assert_int_equal(ds.start_ms[0], 2);
    assert_int_equal(ds.seen_positive, 2);
    x[5] = 99; /* the dataset owns a copy */
    assert_float_equal(ds.feat[5], 6, 0);
    cs_dataset_free(&ds);
}

static void test_empty_and_bad_options(void **state)
{
    (void)state;
    cs_events ev;
    assert_int_equal(cs_events_init(&ev), CS_OK);
    cs_dataset ds;
    cs_ledger led;
    fx_dataset(&ds, &ev, NULL, &led);
    assert_int_equal(ds.n, 0);
    assert_int_equal(led.sessions_seen, 0);
    cs_dataset_free(&ds);
    cs_dataset_opts o;
    cs_dataset_opts_init(&o);
    o.max_len = -1;
    cs_error err;
    assert_int_equal(cs_dataset_from_events(&ds, &ev, &o, NULL, &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "negative"));
    cs_events_free(&ev);
}

static void test_length_summary(void **state)
{
    (void)state;
    cs_events ev;
    fx_load(&ev, honest_events, 12);
    cs_dataset ds;
    fx_dataset(&ds, &ev, NULL, NULL);
    cs_length_summary s;
    assert_int_equal(cs_dataset_length_summary(&ds, &s), 1);
    /* lengths 2 (p), 3 (r), 1 (s); nearest rank */
    assert_int_equal(s.n, 3);
    assert_float_equal(s.mean, 2.0, 1e-12);
    assert_int_equal(s.min, 1);
    assert_int_equal(s.p25, 1);
    assert_int_equal(s.p50, 2);
    assert_int_equal(s.p75, 3);
    assert_int_equal(s.max, 3);
    assert_int_equal(s.hist[0], 1);
    assert_int_equal(s.hist[1], 1);
    assert_int_equal(s.hist[2], 1);
    cs_dataset_free(&ds);
    /* the derived-features view reports the same lengths through its "length" column */
    cs_dataset_opts o;
    cs_dataset_opts_init(&o);
    o.view = CS_VIEW_FEATURES;
    fx_dataset(&ds, &ev, &o, NULL);
    assert_int_equal(cs_dataset_length_summary(&ds, &s), 1);
    assert_int_equal(s.p50, 2);
    cs_dataset_free(&ds);
    cs_events_free(&ev);
    char b[16];
    assert_string_equal(cs_length_bin_label(0, b, sizeof b), "1");
    assert_string_equal(cs_length_bin_label(2, b, sizeof b), "3-4");
    assert_string_equal(cs_length_bin_label(3, b, sizeof b), "5-8");
    assert_string_equal(cs_length_bin_label(CS_LEN_BINS - 1, b, sizeof b), "513+");
    /* a table has no lengths */
    float x[1] = {0};
    uint8_t y[1] = {0};
    cs_table t = {.n_rows = 1, .n_cols = 1, .x = x, .y = y};
    assert_int_equal(cs_dataset_from_table(&ds, &t, NULL), CS_OK);
    assert_int_equal(cs_dataset_length_summary(&ds, &s), 0);
    cs_dataset_free(&ds);
}

/* ---- the pipeline on the real data in ../shared/data (skipped when absent) ---- */

static void cfg_init(cs_run_config *c, const char *data, const char *outcomes, cs_format f)
{
    memset(c, 0, sizeof *c);
    snprintf(c->data, sizeof c->data, "%s", data);
    snprintf(c->outcomes, sizeof c->outcomes, "%s", outcomes ? outcomes : "");
    c->format = f;
    c->header = -1;
    cs_dataset_opts_init(&c->ds);
}

static void test_pipeline_needs_data(void **state)
{
    (void)state;
    cs_run_config c;
    cfg_init(&c, "", NULL, CS_FMT_AUTO);
    cs_dataset ds;
    cs_ledger led;
    cs_error err;
    assert_int_equal(cs_pipeline_load(&c, &ds, &led, NULL, &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "--data"));
}

static void test_real_yoochoose(void **state)
{
    (void)state;
    const char *clicks = CS_SRCDIR "/../shared/data/yoochoose_rsc15_sample1pct/sample_clicks.csv";
    const char *buys = CS_SRCDIR "/../shared/data/yoochoose_rsc15_sample1pct/sample_buys.csv";
    if (access(clicks, R_OK) || access(buys, R_OK))
        skip();
    cs_run_config c;
    cfg_init(&c, clicks, buys, CS_FMT_YOOCHOOSE);
    cs_dataset ds;
    cs_ledger led;
    cs_error err;
    cs_status st = cs_pipeline_load(&c, &ds, &led, NULL, &err);
    assert_int_equal(st, CS_OK);
    assert_int_equal(led.rows_read, 276390 + 9610);
    assert_int_equal(led.sessions_seen, 77171);
    assert_int_equal(ds.seen_positive, 4354);
    assert_true(cs_ledger_balanced(&led));
    /* every kept positive is cut before its first buy: no buy type among the inputs */
    for (size_t k = 0; k < ds.n_steps; k++)
        assert_string_not_equal(ds.type_names[ds.type[k]], "buy");
    cs_dataset_free(&ds);
}

static void test_real_uci_table(void **state)
{
    (void)state;
    const char *path = CS_SRCDIR "/../shared/data/online_shoppers_intention/online_shoppers_intention.csv";
    if (access(path, R_OK))
        skip();
    cs_run_config c;
    cfg_init(&c, path, NULL, CS_FMT_FEATURES);
    cs_dataset ds;
    cs_ledger led;
    cs_error err;
    cs_status st = cs_pipeline_load(&c, &ds, &led, NULL, &err);
    assert_int_equal(st, CS_OK);
    assert_int_equal(ds.n, 9864);
    assert_int_equal(ds.view, CS_VIEW_FEATURES);
    assert_int_equal((long)(cs_dataset_positive_rate(&ds) * 10000 + 0.5), 1547);
    cs_dataset_free(&ds);
}

/* Grouping and filling on several threads give the same dataset as one thread: 300,000
 * events of 20,000 sessions, interleaved, half of the sessions out of time order, with
 * time ties and purchases; every view and method. */
static void assert_same_dataset(const cs_dataset *a, const cs_dataset *b)
{
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->view, b->view);
    assert_int_equal(a->n_steps, b->n_steps);
    assert_int_equal(a->n_feat, b->n_feat);
    assert_true(a->fingerprint == b->fingerprint);
    assert_int_equal(a->seen_positive, b->seen_positive);
    assert_memory_equal(a->label, b->label, a->n);
    assert_memory_equal(a->start_ms, b->start_ms, a->n * sizeof *a->start_ms);
    assert_memory_equal(a->session_id, b->session_id, a->n * sizeof *a->session_id);
    assert_memory_equal(a->user_id, b->user_id, a->n * sizeof *a->user_id);
    assert_int_equal(!a->session_names, !b->session_names);
    for (size_t i = 0; a->session_names && i < a->n; i++)
        assert_string_equal(a->session_names[i], b->session_names[i]);
    assert_int_equal(a->n_types, b->n_types);
    for (int t = 0; a->type_names && t <= a->n_types; t++)
        assert_string_equal(a->type_names[t], b->type_names[t]);
    for (size_t j = 0; a->feat_names && j < a->n_feat; j++)
        assert_string_equal(a->feat_names[j], b->feat_names[j]);
    if (a->view == CS_VIEW_SEQUENCE) {
        assert_memory_equal(a->off, b->off, (a->n + 1) * sizeof *a->off);
        assert_memory_equal(a->type, b->type, a->n_steps * sizeof *a->type);
        assert_memory_equal(a->item, b->item, a->n_steps * sizeof *a->item);
        assert_memory_equal(a->category, b->category, a->n_steps * sizeof *a->category);
        assert_memory_equal(a->brand, b->brand, a->n_steps * sizeof *a->brand);
        assert_memory_equal(a->log_dwell, b->log_dwell, a->n_steps * sizeof *a->log_dwell);
        assert_memory_equal(a->log_price, b->log_price, a->n_steps * sizeof *a->log_price);
    } else {
        assert_memory_equal(a->feat, b->feat, a->n * a->n_feat * sizeof *a->feat);
    }
}

/* 300,000 events of 20,000 interleaved sessions (see below). */
static void sim_events(cs_events *ev_out)
{
    cs_events ev;
    assert_int_equal(cs_events_init(&ev), CS_OK);
    uint64_t x = 88172645463325252ULL;
    char sess[32], item[32], user[32];
    for (int i = 0; i < 300000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        int s = (int)(x % 20000);
        int64_t t = (T0 + i / 3 - (s % 2 ? (int64_t)(x >> 20) % 50 : 0)) * 1000;
        snprintf(sess, sizeof sess, "s%d", s);
        snprintf(item, sizeof item, "i%d", (int)(x >> 33) % 5000);
        snprintf(user, sizeof user, "u%d", s / 7);
        const char *type = x % 29 == 0 ? "purchase" : x % 7 == 0 ? "cart" : "view";
        assert_int_equal(cs_events_append(&ev, sess, t, type, item, "c", x % 5 ? "b" : "",
                                          (float)(x % 1000) / 10.0f, user),
                         CS_OK);
    }
    ev.purchase_type = (uint16_t)cs_intern_find(ev.types, "purchase", 8);
    *ev_out = ev;
}

static void test_threads_same_dataset(void **state)
{
    (void)state;
    cs_events ev;
    sim_events(&ev);
    for (int view = 0; view < 2; view++)
        for (int method = 0; method < 2; method++) {
            cs_dataset_opts o;
            cs_dataset_opts_init(&o);
            o.view = (cs_view)view;
            o.method = (cs_method)method;
            o.max_len = 20;
            cs_dataset one, many;
            cs_ledger l1, l2;
            memset(&l1, 0, sizeof l1);
            memset(&l2, 0, sizeof l2);
            o.threads = 1;
            assert_int_equal(cs_dataset_from_events(&one, &ev, &o, &l1, NULL), CS_OK);
            for (int t = 2; t <= 3; t++) {
                o.threads = t;
                memset(&l2, 0, sizeof l2);
                assert_int_equal(cs_dataset_from_events(&many, &ev, &o, &l2, NULL), CS_OK);
                assert_same_dataset(&one, &many);
                assert_memory_equal(&l1, &l2, sizeof l1);
                cs_dataset_free(&many);
            }
            assert_true(one.n > 10000);
            cs_dataset_free(&one);
        }
    cs_events_free(&ev);
}

/* The consuming build (cs_dataset_from_events_consume: the pipeline's, for commands that
 * need no events afterwards) gives the same dataset in every bit as the reading one, for
 * every view and method and thread count, and leaves the events' type column and names
 * (what inspect counts) with every other column and table freed. */
static void test_consume_same_dataset(void **state)
{
    (void)state;
    cs_events ref;
    sim_events(&ref);
    for (int view = 0; view < 2; view++)
        for (int method = 0; method < 2; method++)
            for (int threads = 1; threads <= 2; threads++) {
                cs_dataset_opts o;
                cs_dataset_opts_init(&o);
                o.view = (cs_view)view;
                o.method = (cs_method)method;
                o.max_len = 20;
                o.threads = threads;
                cs_dataset want, got;
                cs_ledger l1, l2;
                memset(&l1, 0, sizeof l1);
                memset(&l2, 0, sizeof l2);
                assert_int_equal(cs_dataset_from_events(&want, &ref, &o, &l1, NULL), CS_OK);
                cs_events ev;
                sim_events(&ev);
                assert_int_equal(cs_dataset_from_events_consume(&got, &ev, &o, &l2, NULL), CS_OK);
                assert_same_dataset(&want, &got);
                assert_memory_equal(&l1, &l2, sizeof l1);
                assert_int_equal(ev.n, ref.n);
                assert_memory_equal(ev.type, ref.type, ref.n * sizeof *ref.type);
                assert_int_equal(cs_intern_count(ev.types), cs_intern_count(ref.types));
                assert_int_equal(ev.purchase_type, ref.purchase_type);
                assert_null(ev.session);
                assert_null(ev.time_ms);
                assert_null(ev.item);
                assert_null(ev.user);
                assert_null(ev.price);
                assert_null(ev.sessions);
                assert_null(ev.users);
                cs_events_free(&ev);
                cs_dataset_free(&want);
                cs_dataset_free(&got);
            }
    cs_events_free(&ref);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grouping_and_stable_time_order),
        cmocka_unit_test(test_threads_same_dataset),
        cmocka_unit_test(test_consume_same_dataset),
        cmocka_unit_test(test_honest_cut_labels_and_ledger),
        cmocka_unit_test(test_truncate_keeps_last_and_filter_drops),
        cmocka_unit_test(test_compat_reproduces_the_study),
        cmocka_unit_test(test_derived_features),
        cmocka_unit_test(test_compat_leaky_table),
        cmocka_unit_test(test_from_table),
        cmocka_unit_test(test_empty_and_bad_options),
        cmocka_unit_test(test_length_summary),
        cmocka_unit_test(test_history_inputs),
        cmocka_unit_test(test_history_no_future_leak),
        cmocka_unit_test(test_pipeline_needs_data),
        cmocka_unit_test(test_real_yoochoose),
        cmocka_unit_test(test_real_uci_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
