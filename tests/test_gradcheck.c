/* test_gradcheck.c — every parameter's gradient against central finite differences.
 *
 * Loss: L = Σ_j c_j·logit_j with fixed random c (so dL/dlogit = c exactly and the check
 * isolates the model's backward pass).  Choice of precision: the model runs in float32
 * and there is one implementation of the cells, so the finite-difference side perturbs
 * the float parameter, runs the float forward, and accumulates L in double.  With
 * eps = 2e-3 (relative to max(1, |θ|)) the truncation error of the central difference is
 * ~eps²·L''' ≈ 1e-6 and the rounding error is ~1e-7·|L|/eps ≈ 1e-4 absolute, far below
 * the error any real bug makes (a missing term, a wrong sign or a wrong row gives O(1)
 * relative error).  The test accepts |g - n| <= 2e-2·max(|g|, |n|) + 3e-4 per element,
 * and the last test proves the check fails when one gradient element is off by 10 %.
 * Every element of every tensor is checked (models are tiny: a few hundred parameters). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "clickseq/model.h"
#include "test_model_util.h"

#define EPS 2e-3
#define RTOL 2e-2
#define ATOL 3e-4

typedef struct gc {
    cs_model *m;
    cs_batch b;
    float *logits, *c;
    uint64_t drop_seed;
} gc;

static double loss(gc *g)
{
    cs_rng r;
    cs_rng_seed(&r, g->drop_seed);   /* the same dropout masks on every evaluation */
    assert_int_equal(cs_model_forward(g->m, &g->b, g->logits, 1, &r), CS_OK);
    double L = 0;
    for (int j = 0; j < g->b.B; j++)
        L += (double)g->c[j] * g->logits[j];
    return L;
}

/* Returns the number of elements out of tolerance; worst relative error in *worst,
 * naming its tensor in *where.  corrupt >= 0 scales that analytic element by 1.1. */
static int check(gc *g, long corrupt, double *worst, const char **where)
{
    cs_model *m = g->m;
    size_t n = cs_model_nparams(m);
    float *p = cs_model_params(m);
    cs_model_zero_grad(m);
    loss(g);
    assert_int_equal(cs_model_backward(m, &g->b, g->c), CS_OK);
    float *ga = malloc(n * sizeof(float));
    memcpy(ga, cs_model_grads(m), n * sizeof(float));
    if (corrupt >= 0)
        ga[corrupt] = ga[corrupt] * 1.1f + (ga[corrupt] == 0.0f ? 1e-2f : 0.0f);
    int bad = 0;
    *worst = 0;
    *where = "";
    for (size_t t = 0; t < cs_model_ntensors(m); t++) {
        size_t off, cnt;
        const char *name = cs_model_tensor(m, t, &off, &cnt);
        for (size_t i = off; i < off + cnt; i++) {
            float save = p[i];
            float h = (float)(EPS * (fabsf(save) > 1.0f ? fabsf(save) : 1.0f));
            p[i] = save + h;
            double lp = loss(g);
            p[i] = save - h;
            double lm = loss(g);
            p[i] = save;
            double dh = (double)(save + h) - (double)(save - h);   /* the step actually taken */
            double num = (lp - lm) / dh, an = ga[i];
            double err = fabs(num - an), scale = fmax(fabs(num), fabs(an));
            if (err > RTOL * scale + ATOL)
                bad++;
            double rel = err / (scale + ATOL / RTOL);
            if (rel > *worst) {
                *worst = rel;
                *where = name;
            }
        }
    }
    free(ga);
    return bad;
}

static void setup(gc *g, cs_model_config *cfg, const cs_dataset *ds, uint64_t seed)
{
    memset(g, 0, sizeof *g);
    cs_model_config_from_data(cfg, ds);
    cs_error err;
    g->m = cs_model_new(cfg, seed, &err);
    if (!g->m)
        fail_msg("model: %s", err.msg);
    assert_int_equal(tu_batch_all(&g->b, ds), CS_OK);
    g->logits = malloc(sizeof(float) * ds->n);
    g->c = malloc(sizeof(float) * ds->n);
    cs_rng r;
    cs_rng_seed(&r, seed + 1);
    for (size_t j = 0; j < ds->n; j++)
        g->c[j] = (float)(cs_rng_uniform(&r) * 2.0 - 1.0);
    g->drop_seed = seed + 2;
    /* features and hybrid views: a non-trivial normaliser */
    if (CS_VIEW_HAS_FEAT(cfg->view))
        for (int f = 0; f < cfg->n_feat; f++) {
            cs_model_norm_mean(g->m)[f] = (float)f + 2.0f;
            cs_model_norm_std(g->m)[f] = 1.5f;
        }
}

static void teardown(gc *g)
{
    cs_model_free(g->m);
    cs_batch_free(&g->b);
    free(g->logits);
    free(g->c);
}

static void run(cs_model_config *cfg, const cs_dataset *ds, const char *label)
{
    gc g;
    setup(&g, cfg, ds, 11);
    double worst;
    const char *where;
    int bad = check(&g, -1, &worst, &where);
    print_message("%-28s %5zu params, worst rel err %.2e (%s)\n", label, cs_model_nparams(g.m), worst, where);
    if (bad)
        fail_msg("%s: %d gradient elements out of tolerance, worst %.3g in %s", label, bad, worst, where);
    teardown(&g);
}

static const int lens[] = { 4, 1, 6, 3, 6, 2 };   /* ties, a length-1 session, unsorted */

static void seq_case(cs_cell_kind cell, int layers, int bidir, cs_head_kind head, int emb_type,
                     int hashed, float dropout, const char *label)
{
    cs_dataset ds;
    tu_seq_dataset(&ds, 6, lens, 6, 3, 5);
    cs_model_config cfg;
    tu_model_config(&cfg, cell, layers, 4, 3, bidir);
    cfg.head = head;
    cfg.emb_type = emb_type;
    cfg.dropout = dropout;
    if (hashed) {
        cfg.emb_category = 2;
        cfg.emb_brand = 2;
        cfg.emb_item = 1;
        cfg.hash_buckets = 5;
    }
    run(&cfg, &ds, label);
    tu_dataset_free(&ds);
}

static void test_rnn(void **s) { (void)s; seq_case(CS_CELL_RNN, 1, 0, CS_HEAD_SIGMOID, 3, 0, 0, "rnn 1 layer"); }
static void test_rnn_stack_bidir(void **s) { (void)s; seq_case(CS_CELL_RNN, 2, 1, CS_HEAD_SOFTMAX2, 3, 1, 0, "rnn 2 layers bidir"); }
static void test_gru(void **s) { (void)s; seq_case(CS_CELL_GRU, 1, 0, CS_HEAD_SIGMOID, 3, 1, 0, "gru 1 layer hashed"); }
static void test_gru_stack_bidir(void **s) { (void)s; seq_case(CS_CELL_GRU, 2, 1, CS_HEAD_SOFTMAX2, 0, 0, 0, "gru 2 layers bidir one-hot"); }
static void test_lstm(void **s) { (void)s; seq_case(CS_CELL_LSTM, 1, 0, CS_HEAD_SOFTMAX2, 3, 0, 0, "lstm 1 layer"); }
static void test_lstm_stack_bidir(void **s) { (void)s; seq_case(CS_CELL_LSTM, 2, 1, CS_HEAD_SIGMOID, 2, 1, 0, "lstm 2 layers bidir hashed"); }
static void test_gru_dropout(void **s) { (void)s; seq_case(CS_CELL_GRU, 2, 0, CS_HEAD_SIGMOID, 3, 0, 0.4f, "gru 2 layers dropout (fixed mask)"); }

static void feat_case(cs_cell_kind cell, int layers, int bidir, cs_head_kind head, const char *label)
{
    cs_dataset ds;
    tu_feat_dataset(&ds, 7, 5, 9);
    cs_model_config cfg;
    tu_model_config(&cfg, cell, layers, 4, 3, bidir);
    cfg.head = head;
    run(&cfg, &ds, label);
    tu_dataset_free(&ds);
}

static void test_feat_lstm(void **s) { (void)s; feat_case(CS_CELL_LSTM, 2, 1, CS_HEAD_SOFTMAX2, "features bilstm 2 layers"); }
static void test_feat_mlp(void **s) { (void)s; feat_case(CS_CELL_MLP, 2, 0, CS_HEAD_SIGMOID, "features mlp 2 layers"); }
static void test_feat_logreg(void **s) { (void)s; feat_case(CS_CELL_LOGREG, 1, 0, CS_HEAD_SOFTMAX2, "features logreg softmax2"); }

/* The hybrid view: the sequence through the cell, the standardised session features
 * (straight, or through feat.W/feat.b with feat_hidden) joined to the last hidden state
 * before the head; history inputs and embedding dropout (the same rows dropped on every
 * evaluation: the loss seeds its rng alike) on top. */
static void hybrid_case(cs_cell_kind cell, int layers, int bidir, cs_head_kind head, int feat_hidden,
                        int history, float emb_dropout, const char *label)
{
    cs_dataset ds;
    tu_hybrid_dataset(&ds, 6, lens, 6, 3, 4, 5);
    if (history)
        tu_add_history(&ds, 17);
    cs_model_config cfg;
    tu_model_config(&cfg, cell, layers, 4, 3, bidir);
    cfg.head = head;
    cfg.emb_type = 3;
    cfg.emb_category = 2;
    cfg.emb_item = 2;
    cfg.hash_buckets = 5;
    cfg.feat_hidden = feat_hidden;
    cfg.emb_dropout = emb_dropout;
    run(&cfg, &ds, label);
    tu_dataset_free(&ds);
}

static void test_hybrid_gru(void **s) { (void)s; hybrid_case(CS_CELL_GRU, 1, 0, CS_HEAD_SIGMOID, 0, 0, 0, "hybrid gru, features joined"); }
static void test_hybrid_lstm_branch(void **s) { (void)s; hybrid_case(CS_CELL_LSTM, 2, 1, CS_HEAD_SOFTMAX2, 3, 0, 0, "hybrid bilstm 2 layers feat.W"); }
static void test_hybrid_rnn_history(void **s) { (void)s; hybrid_case(CS_CELL_RNN, 1, 0, CS_HEAD_SIGMOID, 2, 1, 0, "hybrid rnn history feat.W"); }
static void test_seq_history_emb_dropout(void **s) { (void)s; hybrid_case(CS_CELL_GRU, 1, 0, CS_HEAD_SIGMOID, 0, 1, 0.5f, "hybrid gru history emb-dropout"); }

/* The check must fail when any one analytic element is 10 % off: try one element in each
 * tensor of a bidirectional 2-layer LSTM with embeddings, and of a hybrid GRU whose
 * feature branch has its own layer (feat.W, feat.b) and whose head reads the features. */
static void can_fail(cs_dataset *ds, cs_model_config *cfg)
{
    gc g;
    setup(&g, cfg, ds, 11);
    cs_model_zero_grad(g.m);
    loss(&g);
    assert_int_equal(cs_model_backward(g.m, &g.b, g.c), CS_OK);
    for (size_t t = 0; t < cs_model_ntensors(g.m); t++) {
        size_t off, cnt;
        cs_model_tensor(g.m, t, &off, &cnt);
        /* the largest-gradient element of the tensor, so the 10 % is above the noise */
        size_t best = off;
        for (size_t i = off; i < off + cnt; i++)
            if (fabsf(cs_model_grads(g.m)[i]) > fabsf(cs_model_grads(g.m)[best]))
                best = i;
        double worst;
        const char *where;
        int bad = check(&g, (long)best, &worst, &where);
        if (bad != 1)
            fail_msg("corrupting tensor %zu element %zu: %d elements flagged (want 1)", t, best, bad);
        cs_model_zero_grad(g.m);
        loss(&g);
        assert_int_equal(cs_model_backward(g.m, &g.b, g.c), CS_OK);
    }
    teardown(&g);
}

static void test_check_can_fail(void **s)
{
    (void)s;
    cs_dataset ds;
    tu_seq_dataset(&ds, 6, lens, 6, 3, 5);
    cs_model_config cfg;
    tu_model_config(&cfg, CS_CELL_LSTM, 2, 3, 2, 1);
    cfg.emb_type = 2;
    can_fail(&ds, &cfg);
    tu_dataset_free(&ds);
}

static void test_check_can_fail_hybrid(void **s)
{
    (void)s;
    cs_dataset ds;
    tu_hybrid_dataset(&ds, 6, lens, 6, 3, 4, 5);
    cs_model_config cfg;
    tu_model_config(&cfg, CS_CELL_GRU, 1, 3, 2, 0);
    cfg.emb_type = 2;
    cfg.feat_hidden = 3;
    can_fail(&ds, &cfg);
    /* and without feat.W: the head's feature columns carry the branch; a 10 % error in the
     * largest of them is caught too (can_fail covers head.W as a whole only once) */
    cfg.feat_hidden = 0;
    gc g;
    setup(&g, &cfg, &ds, 11);
    size_t off, cnt;
    size_t nt = cs_model_ntensors(g.m);
    const char *name = cs_model_tensor(g.m, nt - 2, &off, &cnt);
    assert_string_equal(name, "head.W");
    assert_int_equal(cnt, 3 + 4);   /* hidden 3, then the 4 features */
    cs_model_zero_grad(g.m);
    loss(&g);
    assert_int_equal(cs_model_backward(g.m, &g.b, g.c), CS_OK);
    size_t best = off + 3;
    for (size_t i = off + 3; i < off + cnt; i++) {
        assert_true(cs_model_grads(g.m)[i] != 0.0f);   /* every feature reaches the logit */
        if (fabsf(cs_model_grads(g.m)[i]) > fabsf(cs_model_grads(g.m)[best]))
            best = i;
    }
    double worst;
    const char *where;
    assert_int_equal(check(&g, (long)best, &worst, &where), 1);
    teardown(&g);
    tu_dataset_free(&ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rnn),
        cmocka_unit_test(test_rnn_stack_bidir),
        cmocka_unit_test(test_gru),
        cmocka_unit_test(test_gru_stack_bidir),
        cmocka_unit_test(test_lstm),
        cmocka_unit_test(test_lstm_stack_bidir),
        cmocka_unit_test(test_gru_dropout),
        cmocka_unit_test(test_feat_lstm),
        cmocka_unit_test(test_feat_mlp),
        cmocka_unit_test(test_feat_logreg),
        cmocka_unit_test(test_hybrid_gru),
        cmocka_unit_test(test_hybrid_lstm_branch),
        cmocka_unit_test(test_hybrid_rnn_history),
        cmocka_unit_test(test_seq_history_emb_dropout),
        cmocka_unit_test(test_check_can_fail),
        cmocka_unit_test(test_check_can_fail_hybrid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
