/* test_baseline.c — the rule baselines on every view built from a hand-made shop, and the
 * session prefixes of early prediction. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "clickseq/baseline.h"
#include "clickseq/dataset.h"
#include "clickseq/early.h"
#include "clickseq/model.h"
#include "clickseq/train.h"
#include "test_dataset_fixtures.h"

/* Sessions (label, cart among the inputs):
 *   a: view cart purchase         (1, yes)     d: cart view purchase     (1, yes)
 *   b: view view                  (0, no)      e: view view view         (0, no)
 *   c: view cart remove_from_cart (0, yes)     f: purchase purchase      (1, -: no input;
 *                                                 compat keeps it as an all-padding row) */
static const fx_event shop[] = {
    {"a", 100, "view", "i1", "c1", "b1", 10.0f, "u1"},
    {"a", 110, "cart", "i1", "c1", "b1", 10.0f, "u1"},
    {"a", 130, "purchase", "i1", "c1", "b1", 10.0f, "u1"},
    {"b", 200, "view", "i2", "c1", "b2", 5.0f, "u2"},
    {"b", 260, "view", "i3", "c2", "b2", 7.0f, "u2"},
    {"c", 300, "view", "i1", "c1", "b1", 10.0f, "u3"},
    {"c", 310, "cart", "i1", "c1", "b1", 10.0f, "u3"},
    {"c", 320, "remove_from_cart", "i1", "c1", "b1", 10.0f, "u3"},
    {"d", 400, "cart", "i4", "c2", "b3", 3.0f, "u1"},
    {"d", 405, "view", "i4", "c2", "b3", 3.0f, "u1"},
    {"d", 420, "purchase", "i4", "c2", "b3", 3.0f, "u1"},
    {"e", 500, "view", "i2", "c1", "b2", 5.0f, "u4"},
    {"e", 501, "view", "i2", "c1", "b2", 5.0f, "u4"},
    {"e", 502, "view", "i3", "c2", "b2", 7.0f, "u4"},
    {"f", 600, "purchase", "i5", "c3", "b4", 9.0f, "u5"},
    {"f", 601, "purchase", "i5", "c3", "b4", 9.0f, "u5"},
};
#define NSHOP (sizeof shop / sizeof shop[0])

static void build(cs_dataset *ds, cs_view view, cs_method method)
{
    cs_events ev;
    fx_load(&ev, shop, NSHOP);
    cs_dataset_opts o;
    cs_dataset_opts_init(&o);
    o.view = view;
    o.method = method;
    o.max_len = method == CS_METHOD_COMPAT ? 10 : 0;
    o.policy = CS_LEN_FILTER;
    cs_error err;
    assert_int_equal(cs_dataset_from_events(ds, &ev, &o, NULL, &err), CS_OK);
    cs_events_free(&ev);
}

/* Cart-rule score of the session named name (must be kept). */
static float cart_of(const cs_dataset *ds, const char *name)
{
    long i = fx_find(ds, name);
    assert_true(i >= 0);
    size_t idx = (size_t)i;
    float p = -1;
    double thr;
    assert_int_equal(cs_baseline_scores(CS_BASE_CART, ds, &idx, 1, &idx, 1, &p, &thr, NULL), CS_OK);
    assert_float_equal(thr, 0.5, 0);
    return p;
}

static void check_cart_scores(const cs_dataset *ds)
{
    assert_true(cs_baseline_has_cart(ds));
    assert_float_equal(cart_of(ds, "a"), 1.0f, 0);
    assert_float_equal(cart_of(ds, "b"), 0.0f, 0);
    assert_float_equal(cart_of(ds, "c"), 1.0f, 0);
    assert_float_equal(cart_of(ds, "d"), 1.0f, 0);
    assert_float_equal(cart_of(ds, "e"), 0.0f, 0);
}

static void test_cart_rule_every_view(void **state)
{
    (void)state;
    const cs_view views[] = {CS_VIEW_SEQUENCE, CS_VIEW_FEATURES};
    const cs_method methods[] = {CS_METHOD_HONEST, CS_METHOD_COMPAT};
    for (int v = 0; v < 2; v++)
        for (int m = 0; m < 2; m++) {
            cs_dataset ds;
            build(&ds, views[v], methods[m]);
            check_cart_scores(&ds);
            long f = fx_find(&ds, "f");
            if (methods[m] == CS_METHOD_COMPAT) {
                /* the purchase-only session is kept by the study's method, positive, no cart */
                assert_true(f >= 0);
                assert_int_equal(ds.label[f], 1);
                assert_float_equal(cart_of(&ds, "f"), 0.0f, 0);
            } else {
                assert_int_equal(f, -1);   /* honest: no event before the purchase */
            }
            cs_dataset_free(&ds);
        }
}

static void test_cart_rule_metrics_and_majority(void **state)
{
    (void)state;
    cs_dataset ds;
    build(&ds, CS_VIEW_SEQUENCE, CS_METHOD_HONEST);
    assert_int_equal(ds.n, 5);
    size_t all[5] = {0, 1, 2, 3, 4};
    cs_split sp = {all, NULL, all, 5, 0, 5};
    cs_metrics m;
    assert_int_equal(cs_baseline_eval(CS_BASE_CART, &ds, &sp, &m, NULL), CS_OK);
    /* a, d bought with a cart (tp 2); c carted and removed (fp 1); b, e (tn 2) */
    assert_int_equal(m.cm.tp, 2);
    assert_int_equal(m.cm.fp, 1);
    assert_int_equal(m.cm.tn, 2);
    assert_int_equal(m.cm.fn, 0);
    assert_float_equal(m.precision, 2.0 / 3.0, 1e-9);
    assert_float_equal(m.recall, 1.0, 1e-9);
    assert_float_equal(m.f1, 0.8, 1e-9);

    /* majority: train on b, c, e (all negative) -> score 0, predicts negative */
    size_t tr[3], te[2];
    size_t nt = 0, ne = 0;
    for (size_t i = 0; i < 5; i++) {
        if (ds.label[i])
            te[ne++] = i;
        else
            tr[nt++] = i;
    }
    float p[5];
    double thr;
    assert_int_equal(cs_baseline_scores(CS_BASE_MAJORITY, &ds, tr, nt, all, 5, p, &thr, NULL), CS_OK);
    for (int i = 0; i < 5; i++)
        assert_float_equal(p[i], 0.0f, 0);
    /* on all five: positive rate 2/5 as the constant score, below 0.5: all negative */
    assert_int_equal(cs_baseline_scores(CS_BASE_MAJORITY, &ds, all, 5, all, 5, p, &thr, NULL), CS_OK);
    assert_float_equal(p[3], 0.4f, 1e-7);
    assert_int_equal(cs_baseline_eval(CS_BASE_MAJORITY, &ds, &sp, &m, NULL), CS_OK);
    assert_int_equal(m.cm.tp + m.cm.fp, 0);
    assert_float_equal(m.recall, 0.0, 0);
    assert_float_equal(m.pr_auc, 0.4, 1e-9);       /* constant score: the positive rate */
    assert_float_equal(m.roc_auc, 0.5, 1e-9);
    (void)te;
    cs_dataset_free(&ds);
}

static void test_no_cart_event_is_an_input_error(void **state)
{
    (void)state;
    static const fx_event clicks[] = {
        {"x", 1, "click", "i1", NULL, NULL, NAN, NULL},
        {"x", 2, "click", "i2", NULL, NULL, NAN, NULL},
        {"y", 3, "click", "i1", NULL, NULL, NAN, NULL},
        {"y", 4, "buy", "i1", NULL, NULL, NAN, NULL},
    };
    cs_events ev;
    fx_load(&ev, clicks, 4);
    cs_dataset ds;
    cs_dataset_opts o;
    cs_dataset_opts_init(&o);
    assert_int_equal(cs_dataset_from_events(&ds, &ev, &o, NULL, NULL), CS_OK);
    assert_false(cs_baseline_has_cart(&ds));
    size_t idx = 0;
    float p;
    double thr;
    cs_error err;
    assert_int_equal(cs_baseline_scores(CS_BASE_CART, &ds, &idx, 1, &idx, 1, &p, &thr, &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "no cart"));
    cs_dataset_free(&ds);
    /* the study's code rows have a "cart" code whether or not the shop has carts */
    o.method = CS_METHOD_COMPAT;
    o.max_len = 10;
    assert_int_equal(cs_dataset_from_events(&ds, &ev, &o, NULL, NULL), CS_OK);
    assert_int_equal(ds.view, CS_VIEW_FEATURES);
    assert_false(cs_baseline_has_cart(&ds));
    cs_dataset_free(&ds);
    cs_events_free(&ev);
}

static void test_logreg_config(void **state)
{
    (void)state;
    cs_run_config c, l;
    memset(&c, 0, sizeof c);
    c.ds.view = CS_VIEW_SEQUENCE;
    c.ds.method = CS_METHOD_HONEST;
    c.model.cell = CS_CELL_LSTM;
    c.model.layers = 2;
    c.model.bidir = 1;
    c.model.head = CS_HEAD_SOFTMAX2;
    c.seed = 42;
    c.lr = 3e-4;
    c.epochs = 20;
    c.batch = 1000;
    c.patience = 5;
    cs_baseline_logreg_config(&c, &l);
    assert_int_equal(l.ds.view, CS_VIEW_FEATURES);
    assert_int_equal(l.ds.method, CS_METHOD_HONEST);
    assert_int_equal(l.model.cell, CS_CELL_LOGREG);
    assert_int_equal(l.model.head, CS_HEAD_SIGMOID);
    assert_int_equal(l.model.layers, 1);
    assert_int_equal(l.model.bidir, 0);
    assert_int_equal(l.seed, 42);
    assert_float_equal(l.lr, 1e-2, 0);     /* trained to convergence */
    assert_int_equal(l.epochs, 50);
    assert_int_equal(l.patience, 10);
    assert_int_equal(l.batch, 1000);
    assert_int_equal(c.model.cell, CS_CELL_LSTM);   /* base untouched */
    c.ds.method = CS_METHOD_COMPAT;                 /* the study's inputs stay */
    cs_baseline_logreg_config(&c, &l);
    assert_int_equal(l.ds.view, CS_VIEW_SEQUENCE);
    assert_int_equal(l.model.cell, CS_CELL_LOGREG);
}

/* Early prediction: prefixes hold exactly the first k steps of the longer sessions. */
static void test_early_prefix_first_k(void **state)
{
    (void)state;
    cs_dataset ds;
    build(&ds, CS_VIEW_SEQUENCE, CS_METHOD_HONEST);
    size_t all[5] = {0, 1, 2, 3, 4};
    cs_dataset pre;
    size_t *src = NULL;
    /* inputs: a 2, b 2, c 3, d 2, e 3 -> at k = 2 only c and e (more than 2 inputs) */
    assert_int_equal(cs_early_prefix(&ds, all, 5, 2, &pre, &src, NULL), CS_OK);
    assert_int_equal(pre.n, 2);
    assert_int_equal(pre.n_steps, 4);
    for (size_t j = 0; j < pre.n; j++) {
        size_t s = src[j];
        assert_true(cs_dataset_len(&ds, s) > 2);
        assert_int_equal(cs_dataset_len(&pre, j), 2);
        assert_int_equal(pre.label[j], ds.label[s]);
        assert_string_equal(pre.session_names[j], ds.session_names[s]);
        for (size_t t = 0; t < 2; t++) {
            assert_int_equal(pre.type[pre.off[j] + t], ds.type[ds.off[s] + t]);
            assert_int_equal(pre.item[pre.off[j] + t], ds.item[ds.off[s] + t]);
            assert_float_equal(pre.log_dwell[pre.off[j] + t], ds.log_dwell[ds.off[s] + t], 0);
            assert_float_equal(pre.log_price[pre.off[j] + t], ds.log_price[ds.off[s] + t], 0);
        }
    }
    /* c's prefix is view, cart: the remove that follows is not seen */
    long c = fx_find(&pre, "c");
    assert_true(c >= 0);
    assert_string_equal(pre.type_names[pre.type[pre.off[c] + 1]], "cart");
    assert_float_equal(cart_of(&pre, "c"), 1.0f, 0);
    free(src);
    cs_early_prefix_free(&pre);
    /* k = 1: all five (each has 2+ inputs); k = 3: none */
    assert_int_equal(cs_early_prefix(&ds, all, 5, 1, &pre, NULL, NULL), CS_OK);
    assert_int_equal(pre.n, 5);
    cs_early_prefix_free(&pre);
    assert_int_equal(cs_early_prefix(&ds, all, 5, 3, &pre, NULL, NULL), CS_OK);
    assert_int_equal(pre.n, 0);
    cs_early_prefix_free(&pre);
    cs_error err;
    assert_int_equal(cs_early_prefix(&ds, all, 5, 0, &pre, NULL, &err), CS_EINPUT);
    cs_dataset_free(&ds);
    build(&ds, CS_VIEW_FEATURES, CS_METHOD_HONEST);
    assert_int_equal(cs_early_prefix(&ds, all, 5, 1, &pre, NULL, &err), CS_EINPUT);
    cs_dataset_free(&ds);
}

/* The curve at k depends only on the first k events: changing what comes later in the
 * sessions leaves every prediction at k unchanged (a random model is enough to see it). */
static void test_early_curve_ignores_later_events(void **state)
{
    (void)state;
    fx_event changed[NSHOP];
    memcpy(changed, shop, sizeof shop);
    /* the third input of c (its remove_from_cart) is of another item; e's third view
     * becomes a cart of another item (items that already exist: interned ids unchanged) */
    changed[7].item = "i3";
    changed[13].type = "cart";
    changed[13].item = "i4";
    cs_dataset a, b;
    build(&a, CS_VIEW_SEQUENCE, CS_METHOD_HONEST);
    cs_events ev;
    fx_load(&ev, changed, NSHOP);
    cs_dataset_opts o;
    cs_dataset_opts_init(&o);
    o.max_len = 0;
    assert_int_equal(cs_dataset_from_events(&b, &ev, &o, NULL, NULL), CS_OK);
    cs_events_free(&ev);
    assert_int_equal(a.n_types, b.n_types);
    cs_model_config mc;
    cs_model_config_init(&mc);
    mc.hidden[0] = 8;
    mc.emb_type = 4;
    mc.emb_item = 3;
    mc.hash_buckets = 16;
    cs_model_config_from_data(&mc, &a);
    cs_error err;
    cs_model *m = cs_model_new(&mc, 5, &err);
    assert_non_null(m);
    size_t all[5] = {0, 1, 2, 3, 4};
    cs_early_point pa[3], pb[3];
    assert_int_equal(cs_early_curve(m, &a, all, 5, 1, 3, 0.5, 4, pa, &err), CS_OK);
    assert_int_equal(cs_early_curve(m, &b, all, 5, 1, 3, 0.5, 4, pb, &err), CS_OK);
    for (int k = 0; k < 2; k++) {          /* k = 1, 2: only the first two events are seen */
        assert_int_equal(pa[k].sessions, pb[k].sessions);
        assert_int_equal(pa[k].m.cm.tp, pb[k].m.cm.tp);
        assert_int_equal(pa[k].m.cm.fp, pb[k].m.cm.fp);
        assert_float_equal(pa[k].m.roc_auc, pb[k].m.roc_auc, 0);
    }
    assert_int_equal(pa[0].sessions, 5);
    assert_int_equal(pa[1].sessions, 2);
    assert_int_equal(pa[2].sessions, 0);    /* nobody has more than 3 inputs */
    assert_true(isnan(pa[2].m.f1));
    /* and the probabilities themselves: prefix of a == prefix of b, while the full
     * sessions differ */
    cs_dataset qa, qb;
    assert_int_equal(cs_early_prefix(&a, all, 5, 2, &qa, NULL, NULL), CS_OK);
    assert_int_equal(cs_early_prefix(&b, all, 5, 2, &qb, NULL, NULL), CS_OK);
    size_t two[2] = {0, 1};
    float p1[2], p2[2], f1[5], f2[5];
    assert_int_equal(cs_predict(m, &qa, two, 2, 4, p1, &err), CS_OK);
    assert_int_equal(cs_predict(m, &qb, two, 2, 4, p2, &err), CS_OK);
    assert_float_equal(p1[0], p2[0], 0);
    assert_float_equal(p1[1], p2[1], 0);
    assert_int_equal(cs_predict(m, &a, all, 5, 4, f1, &err), CS_OK);
    assert_int_equal(cs_predict(m, &b, all, 5, 4, f2, &err), CS_OK);
    long c = fx_find(&a, "c");
    assert_true(f1[c] != f2[c]);            /* the change is visible to the full session */
    cs_early_prefix_free(&qa);
    cs_early_prefix_free(&qb);
    cs_model_free(m);
    cs_dataset_free(&a);
    cs_dataset_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cart_rule_every_view),
        cmocka_unit_test(test_cart_rule_metrics_and_majority),
        cmocka_unit_test(test_no_cart_event_is_an_input_error),
        cmocka_unit_test(test_logreg_config),
        cmocka_unit_test(test_early_prefix_first_k),
        cmocka_unit_test(test_early_curve_ignores_later_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
