/* test_train.c — the trainer on small hand-made datasets: it learns an order signal,
 * is deterministic for a seed, keeps the best weights under early stopping, detects
 * divergence, honours a stop request, fits the normaliser on the training split, and
 * cs_predict returns probabilities in the caller's order, the same bit for bit on any
 * number of threads (batch-parallel inference). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "clickseq/train.h"
#include "test_config_util.h"

/* Sequence dataset: types 1..3, lengths 1..12; label = the last event is type 3 (or
 * random labels when noise).  Sessions start one minute apart (time split). */
static void make_seq(cs_dataset *ds, size_t n, uint64_t seed, int noise)
{
    memset(ds, 0, sizeof *ds);
    cs_rng r;
    cs_rng_seed(&r, seed);
    ds->view = CS_VIEW_SEQUENCE;
    ds->n = n;
    ds->n_types = 3;
    ds->off = calloc(n + 1, sizeof *ds->off);
    ds->label = calloc(n, 1);
    ds->start_ms = calloc(n, sizeof *ds->start_ms);
    size_t *len = calloc(n, sizeof *len);
    for (size_t i = 0; i < n; i++) {
        len[i] = 1 + cs_rng_below(&r, 12);
        ds->off[i + 1] = ds->off[i] + len[i];
        ds->start_ms[i] = (int64_t)i * 60000;
    }
    size_t S = ds->n_steps = ds->off[n];
    ds->type = calloc(S, sizeof *ds->type);
    ds->item = calloc(S, sizeof *ds->item);
    ds->category = calloc(S, sizeof *ds->category);
    ds->brand = calloc(S, sizeof *ds->brand);
    ds->log_dwell = calloc(S, sizeof *ds->log_dwell);
    ds->log_price = calloc(S, sizeof *ds->log_price);
    for (size_t i = 0; i < n; i++) {
        for (size_t k = ds->off[i]; k < ds->off[i + 1]; k++) {
            ds->type[k] = (uint16_t)(1 + cs_rng_below(&r, 3));
            ds->log_dwell[k] = (float)cs_rng_uniform(&r) * 3;
            ds->log_price[k] = (float)cs_rng_uniform(&r) * 4;
        }
        ds->label[i] = noise ? cs_rng_below(&r, 3) == 0 : ds->type[ds->off[i + 1] - 1] == 3;
    }
    free(len);
    ds->fingerprint = 42;
}

static void base_cfg(cs_run_config *c)
{
    TU_CONFIG(c, {"hidden", "16"}, {"emb-type", "4"}, {"epochs", "6"}, {"batch", "32"},
              {"lr", "0.01"}, {"threads", "1"}, {"patience", "0"}, {"seed", "7"});
}

/* The labels of sessions idx[0 .. n) (malloc'd). */
static uint8_t *labels_of(const cs_dataset *ds, const size_t *idx, size_t n)
{
    uint8_t *y = malloc(n ? n : 1);
    assert_non_null(y);
    for (size_t i = 0; i < n; i++)
        y[i] = ds->label[idx[i]];
    return y;
}

static void split(cs_split *sp, const cs_dataset *ds, const cs_run_config *c)
{
    cs_error e;
    assert_int_equal(cs_split_make(sp, ds, c->split, c->train_frac, c->valid_frac, c->seed, &e), CS_OK);
}

static void test_learns_and_is_deterministic(void **state)
{
    (void)state;
    cs_dataset ds;
    make_seq(&ds, 1500, 1, 0);
    cs_run_config c;
    base_cfg(&c);
    cs_split sp;
    split(&sp, &ds, &c);
    cs_train_result a, b;
    cs_error e;
    if (cs_train(&c, &ds, &sp, NULL, &a, &e) != CS_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(a.n_hist, 6);
    assert_true(a.has_test);
    assert_int_equal(a.test.n, (long)sp.n_test);
    print_message("test F1 %.3f PR-AUC %.3f ROC-AUC %.3f thr %.3f loss %.3f -> %.3f\n", a.test.f1,
                  a.test.pr_auc, a.test.roc_auc, a.threshold, a.hist[0].train_loss, a.hist[5].train_loss);
    assert_true(a.test.f1 > 0.9);         /* base rate is 1/3: F1 of "all positive" is 0.5 */
    assert_true(a.test.pr_auc > 0.9);
    assert_true(a.hist[5].train_loss < 0.5 * a.hist[0].train_loss);
    assert_true(a.threshold > 0 && a.threshold < 1);
    /* batches: every epoch covers the training split once */
    size_t per_epoch = 0;
    for (size_t i = 0; i < a.n_batch_loss; i++)
        per_epoch += a.batch_epoch[i] == 1;
    assert_int_equal(per_epoch, (sp.n_train + 31) / 32);
    /* the same seed gives the same run, bit for bit */
    assert_int_equal(cs_train(&c, &ds, &sp, NULL, &b, &e), CS_OK);
    assert_int_equal(a.n_batch_loss, b.n_batch_loss);
    assert_memory_equal(a.batch_loss, b.batch_loss, a.n_batch_loss * sizeof(float));
    assert_memory_equal(cs_model_params(a.model), cs_model_params(b.model),
                        cs_model_nparams(a.model) * sizeof(float));
    cs_train_result_free(&b);
    /* cs_train leaves the thread count alone (the program sets it once), and the same
     * config gives the same run with the pool at 2 threads */
    cs_set_threads(2);
    c.threads = 1;
    assert_int_equal(cs_train(&c, &ds, &sp, NULL, &b, &e), CS_OK);
    assert_int_equal(cs_get_threads(), 2);
    assert_memory_equal(a.batch_loss, b.batch_loss, a.n_batch_loss * sizeof(float));
    cs_train_result_free(&b);
    cs_set_threads(1);
    /* another seed gives another run */
    c.seed = 8;
    assert_int_equal(cs_train(&c, &ds, &sp, NULL, &b, &e), CS_OK);
    assert_true(memcmp(a.batch_loss, b.batch_loss, a.n_batch_loss * sizeof(float)) != 0);
    cs_train_result_free(&b);

    /* cs_predict: same probabilities whatever the order asked for */
    size_t n = sp.n_test;
    size_t *rev = malloc(n * sizeof *rev);
    float *p1 = malloc(n * sizeof *p1), *p2 = malloc(n * sizeof *p2);
    for (size_t i = 0; i < n; i++)
        rev[i] = sp.test[n - 1 - i];
    assert_int_equal(cs_predict(a.model, &ds, sp.test, n, 7, p1, &e), CS_OK);
    assert_int_equal(cs_predict(a.model, &ds, rev, n, 1000, p2, &e), CS_OK);
    for (size_t i = 0; i < n; i++) {
        assert_true(p1[i] >= 0 && p1[i] <= 1);
        assert_true(fabsf(p1[i] - p2[n - 1 - i]) < 1e-6f);
    }
    /* and they reproduce the test metrics at the stored threshold */
    uint8_t *y = labels_of(&ds, sp.test, n);
    cs_metrics m;
    cs_metrics_compute(p1, y, n, a.threshold, &m);
    assert_int_equal(m.cm.tp, a.test.cm.tp);
    assert_int_equal(m.cm.fp, a.test.cm.fp);
    free(y);
    free(rev);
    free(p1);
    free(p2);
    cs_train_result_free(&a);
    cs_split_free(&sp);
    cs_dataset_free(&ds);
}

/* No signal: validation PR-AUC wanders; patience 1 stops early and the model holds the
 * weights of the best epoch (its validation PR-AUC is reproduced exactly). */
static void test_early_stopping_keeps_best(void **state)
{
    (void)state;
    cs_dataset ds;
    make_seq(&ds, 600, 2, 1);
    cs_run_config c;
    base_cfg(&c);
    c.epochs = 30;
    c.patience = 1;
    c.lr = 0.03;
    cs_split sp;
    split(&sp, &ds, &c);
    cs_train_result r;
    cs_error e;
    cs_monitor *m = cs_monitor_new();
    assert_int_equal(cs_train(&c, &ds, &sp, m, &r, &e), CS_OK);
    assert_true(r.n_hist < 30);
    assert_true(r.best_epoch >= 1 && r.best_epoch <= (int)r.n_hist);
    /* the monitor says it stopped early, where, and the best epoch (the workbench's
     * progress line shows it instead of "100% done") */
    cs_snapshot s;
    memset(&s, 0, sizeof s);
    assert_int_equal(cs_monitor_read(m, &s), 1);
    assert_int_equal(s.state, CS_RUN_DONE);
    int at, best;
    assert_int_equal(sscanf(s.message, "stopped early at epoch %d (best epoch %d)", &at, &best), 2);
    assert_int_equal(at, (int)r.n_hist);
    assert_int_equal(best, r.best_epoch);
    cs_snapshot_free(&s);
    cs_monitor_free(m);
    assert_int_equal(r.best_epoch, (int)r.n_hist - 1);   /* patience 1: one worse epoch ends it */
    float *p = malloc(sp.n_valid * sizeof *p);
    uint8_t *y = labels_of(&ds, sp.valid, sp.n_valid);
    assert_int_equal(cs_predict(r.model, &ds, sp.valid, sp.n_valid, 64, p, &e), CS_OK);
    double pr = cs_pr_auc(p, y, sp.n_valid);
    assert_true(fabs(pr - r.hist[r.best_epoch - 1].valid.pr_auc) < 1e-12);
    assert_true(r.threshold == r.hist[r.best_epoch - 1].valid.threshold);
    free(p);
    free(y);
    cs_train_result_free(&r);
    cs_split_free(&sp);
    cs_dataset_free(&ds);
}

static void test_divergence_and_stop(void **state)
{
    (void)state;
    cs_dataset ds;
    make_seq(&ds, 300, 3, 0);
    cs_run_config c;
    base_cfg(&c);
    cs_split sp;
    split(&sp, &ds, &c);
    /* a NaN input poisons the loss: the run fails with a message, weights stay finite */
    ds.log_dwell[ds.off[sp.train[5]]] = NAN;
    cs_train_result r;
    cs_error e;
    assert_int_equal(cs_train(&c, &ds, &sp, NULL, &r, &e), CS_ERUNTIME);
    assert_non_null(strstr(e.msg, "diverged at epoch 1"));
    assert_non_null(r.model);
    const float *w = cs_model_params(r.model);
    for (size_t i = 0; i < cs_model_nparams(r.model); i++)
        assert_true(isfinite(w[i]));
    cs_train_result_free(&r);
    ds.log_dwell[ds.off[sp.train[5]]] = 0;
    /* a stop requested before training (e.g. while loading) ends the run at once */
    cs_monitor *m = cs_monitor_new();
    cs_monitor_stop(m);
    assert_int_equal(cs_train(&c, &ds, &sp, m, &r, &e), CS_OK);
    assert_int_equal(r.stopped, 1);
    assert_int_equal(r.n_hist, 0);
    cs_snapshot s;
    memset(&s, 0, sizeof s);
    assert_int_equal(cs_monitor_read(m, &s), 1);
    assert_int_equal(s.state, CS_RUN_STOPPED);
    cs_train_result_free(&r);
    /* the stop died with that run: the next one completes, publishing every batch */
    c.epochs = 2;
    assert_int_equal(cs_train(&c, &ds, &sp, m, &r, &e), CS_OK);
    assert_int_equal(r.stopped, 0);
    assert_int_equal(cs_monitor_read(m, &s), 1);
    assert_int_equal(s.state, CS_RUN_DONE);
    assert_null(strstr(s.message, "stopped early"));   /* it ran its planned epochs */
    assert_int_equal(s.n_hist, 2);
    assert_int_equal(s.n_batch_loss, r.n_batch_loss);
    assert_int_equal(s.nparams, cs_model_nparams(r.model));
    assert_true(s.has_test);
    assert_true(s.events_per_s > 0);
    cs_snapshot_free(&s);
    cs_monitor_free(m);
    cs_train_result_free(&r);
    cs_split_free(&sp);
    cs_dataset_free(&ds);
}

/* Features view: the normaliser is fitted on the training split only; logistic
 * regression learns a scaled feature that raw inputs would make hard. */
static void test_features_normaliser(void **state)
{
    (void)state;
    size_t n = 800, F = 2;
    cs_dataset ds;
    memset(&ds, 0, sizeof ds);
    ds.view = CS_VIEW_FEATURES;
    ds.n = n;
    ds.n_feat = F;
    ds.feat = calloc(n * F, sizeof *ds.feat);
    ds.label = calloc(n, 1);
    ds.start_ms = calloc(n, sizeof *ds.start_ms);
    cs_rng r;
    cs_rng_seed(&r, 5);
    for (size_t i = 0; i < n; i++) {
        double x = cs_rng_normal(&r);
        ds.feat[i * F] = (float)(5000 + 1000 * x);
        ds.feat[i * F + 1] = 3.0f;   /* constant */
        ds.label[i] = x + 0.3 * cs_rng_normal(&r) > 0.8;
        ds.start_ms[i] = (int64_t)i;
    }
    cs_run_config c;
    base_cfg(&c);
    c.ds.view = CS_VIEW_FEATURES;
    c.model.cell = CS_CELL_LOGREG;
    c.epochs = 15;
    c.lr = 0.05;
    cs_split sp;
    split(&sp, &ds, &c);
    cs_train_result res;
    cs_error e;
    if (cs_train(&c, &ds, &sp, NULL, &res, &e) != CS_OK)
        fail_msg("%s", e.msg);
    double s = 0;
    for (size_t i = 0; i < sp.n_train; i++)
        s += ds.feat[sp.train[i] * F];
    float *mean = cs_model_norm_mean(res.model), *sd = cs_model_norm_std(res.model);
    assert_true(fabs(mean[0] - s / (double)sp.n_train) < 1e-2);
    assert_true(sd[0] > 800 && sd[0] < 1200);
    assert_true(sd[1] == 1.0f);   /* constant feature */
    print_message("logreg test F1 %.3f ROC-AUC %.3f\n", res.test.f1, res.test.roc_auc);
    assert_true(res.test.roc_auc > 0.9);
    cs_train_result_free(&res);
    cs_split_free(&sp);
    cs_dataset_free(&ds);
}

/* Logits of every session of ds (batches of `batch`) with `threads` threads in the pool,
 * and the parallel regions that took (malloc'd). */
static float *predict_with(cs_model *m, const cs_dataset *ds, int batch, int threads,
                           long *regions, cs_status *st, cs_error *e)
{
    size_t n = ds->n, *idx = malloc(n * sizeof *idx);
    float *p = malloc(n * sizeof *p);
    assert_non_null(idx);
    assert_non_null(p);
    for (size_t i = 0; i < n; i++)
        idx[i] = (i * 7919) % n;   /* not the dataset's order */
    cs_set_threads(threads);
    cs_parallel_stats ps;
    cs_parallel_stats_start();
    *st = cs_predict(m, ds, idx, n, batch, p, e);
    cs_parallel_stats_stop(&ps);
    cs_set_threads(1);
    *regions = ps.regions;
    free(idx);
    return p;
}

/* Inference on several threads (issue 12): whole batches on each thread with its own
 * clone of the model give exactly the probabilities of one thread, for every cell, a
 * stacked bidirectional layer and the features view; with two batches a thread or more
 * the pass is ONE parallel region (the batch-parallel path, not the per-batch split);
 * with fewer, each forward pass is split and the result is the same again. */
static void test_predict_threads_identical(void **state)
{
    (void)state;
    cs_dataset seq, feat, hyb;
    make_seq(&seq, 700, 11, 1);
    make_seq(&hyb, 600, 12, 1);   /* hybrid with history inputs: the clones' F0 / FY too */
    hyb.view = CS_VIEW_HYBRID;
    hyb.n_feat = 3;
    hyb.feat = malloc(hyb.n * 3 * sizeof *hyb.feat);
    hyb.hist = malloc(hyb.n_steps * CS_HIST_INPUTS * sizeof *hyb.hist);
    for (size_t i = 0; i < hyb.n * 3; i++)
        hyb.feat[i] = (float)((i * 29) % 53) / 7.0f;
    for (size_t i = 0; i < hyb.n_steps * CS_HIST_INPUTS; i++)
        hyb.hist[i] = (float)((i * 13) % 31) / 9.0f;
    memset(&feat, 0, sizeof feat);
    feat.view = CS_VIEW_FEATURES;
    feat.n = 500;
    feat.n_feat = 5;
    feat.feat = malloc(feat.n * feat.n_feat * sizeof *feat.feat);
    feat.label = calloc(feat.n, 1);
    for (size_t i = 0; i < feat.n * feat.n_feat; i++)
        feat.feat[i] = (float)((i * 37) % 101) / 17.0f;
    struct { cs_cell_kind cell; int layers, bidir; const cs_dataset *ds; } cases[] = {
        {CS_CELL_GRU, 1, 0, &seq}, {CS_CELL_LSTM, 2, 1, &seq}, {CS_CELL_RNN, 1, 0, &seq},
        {CS_CELL_MLP, 1, 0, &feat}, {CS_CELL_GRU, 1, 0, &hyb},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        cs_model_config mc;
        cs_model_config_init(&mc);
        cs_model_config_from_data(&mc, cases[c].ds);
        mc.cell = cases[c].cell;
        mc.layers = cases[c].layers;
        mc.hidden[0] = 24;
        mc.hidden[1] = cases[c].layers > 1 ? 12 : 0;
        mc.bidir = cases[c].bidir;
        mc.emb_item = CS_VIEW_HAS_STEPS(cases[c].ds->view) ? 4 : 0;
        mc.feat_hidden = cases[c].ds->view == CS_VIEW_HYBRID ? 5 : 0;
        mc.hash_buckets = 64;
        cs_error e;
        cs_model *m = cs_model_new(&mc, 3 + c, &e);
        assert_non_null(m);
        if (CS_VIEW_HAS_FEAT(mc.view))
            for (int f = 0; f < mc.n_feat; f++) {
                cs_model_norm_mean(m)[f] = 0.5f * (float)f;
                cs_model_norm_std(m)[f] = 1.0f + (float)f;
            }
        long r1, r2, r3, rb;
        cs_status s1, s2, s3, sb;
        float *p1 = predict_with(m, cases[c].ds, 16, 1, &r1, &s1, &e);
        float *p2 = predict_with(m, cases[c].ds, 16, 2, &r2, &s2, &e);
        float *p3 = predict_with(m, cases[c].ds, 16, 3, &r3, &s3, &e);
        float *pb = predict_with(m, cases[c].ds, 400, 2, &rb, &sb, &e);  /* 2 batches: split */
        assert_int_equal(s1, CS_OK);
        assert_int_equal(s2, CS_OK);
        assert_int_equal(s3, CS_OK);
        assert_int_equal(sb, CS_OK);
        size_t n = cases[c].ds->n;
        assert_memory_equal(p1, p2, n * sizeof *p1);
        assert_memory_equal(p1, p3, n * sizeof *p1);
        assert_memory_equal(p1, pb, n * sizeof *p1);
        assert_int_equal(r1, 0);
        assert_int_equal(r2, 1);   /* the whole pass in one region */
        assert_int_equal(r3, 1);
        print_message("case %zu: regions 1 thread %ld, 2 threads %ld (batch 16) %ld (batch 400)\n", c, r1, r2, rb);
        if (CS_VIEW_HAS_STEPS(cases[c].ds->view))
            assert_true(rb > 1);   /* each forward pass split instead (an MLP this small is not) */
        /* not a constant: the sessions do get different scores */
        int differ = 0;
        for (size_t i = 1; i < n; i++)
            differ |= p1[i] != p1[0];
        assert_true(differ);
        free(p1);
        free(p2);
        free(p3);
        free(pb);
        cs_model_free(m);
    }
    /* a batch the model rejects (an event type it does not know) fails alike on one
     * thread and on two, with the same message, and nothing is left allocated */
    cs_model_config mc;
    cs_model_config_init(&mc);
    cs_model_config_from_data(&mc, &seq);
    mc.hidden[0] = 8;
    cs_error e1, e2;
    cs_model *m = cs_model_new(&mc, 1, &e1);
    assert_non_null(m);
    seq.type[seq.off[300]] = 9;   /* n_types is 3 */
    long r;
    cs_status s1, s2;
    free(predict_with(m, &seq, 16, 1, &r, &s1, &e1));
    free(predict_with(m, &seq, 16, 2, &r, &s2, &e2));
    assert_int_equal(s1, CS_EINPUT);
    assert_int_equal(s2, CS_EINPUT);
    assert_string_equal(e1.msg, e2.msg);
    cs_model_free(m);
    cs_dataset_free(&seq);
    cs_dataset_free(&feat);
    cs_dataset_free(&hyb);
}

/* Long sessions: batches are cut at 32768 packed events as well as at `batch` sessions
 * (a thread's activations stay bounded); the cut changes no logit: each session scored
 * alone (batch 1) gives the same bits, on one thread and on two. */
static void test_predict_long_sessions(void **state)
{
    (void)state;
    cs_dataset ds;
    make_seq(&ds, 60, 9, 1);
    /* stretch: session i gets 3000 - 40 i events (3000 .. 640): 60 x ~1800 = 108 k rows */
    size_t n = ds.n, S = 0;
    for (size_t i = 0; i < n; i++)
        S += 3000 - 40 * i;
    free(ds.type);
    free(ds.log_dwell);
    free(ds.log_price);
    free(ds.item);
    ds.type = malloc(S * sizeof *ds.type);
    ds.item = calloc(S, sizeof *ds.item);
    ds.log_dwell = malloc(S * sizeof *ds.log_dwell);
    ds.log_price = malloc(S * sizeof *ds.log_price);
    free(ds.category);
    free(ds.brand);
    ds.category = calloc(S, sizeof *ds.category);
    ds.brand = calloc(S, sizeof *ds.brand);
    for (size_t i = 0; i < n; i++)
        ds.off[i + 1] = ds.off[i] + 3000 - 40 * i;
    ds.n_steps = S;
    for (size_t k = 0; k < S; k++) {
        ds.type[k] = (uint16_t)(1 + (k * 2654435761u >> 7) % 3);
        ds.log_dwell[k] = (float)(k % 13) / 5.0f;
        ds.log_price[k] = (float)(k % 7) / 3.0f;
    }
    cs_model_config mc;
    cs_model_config_init(&mc);
    cs_model_config_from_data(&mc, &ds);
    mc.hidden[0] = 8;
    cs_error e;
    cs_model *m = cs_model_new(&mc, 2, &e);
    assert_non_null(m);
    long r1, r2, ra;
    cs_status s1, s2, sa;
    float *p1 = predict_with(m, &ds, 1024, 1, &r1, &s1, &e);
    float *p2 = predict_with(m, &ds, 1024, 2, &r2, &s2, &e);
    float *pa = predict_with(m, &ds, 1, 1, &ra, &sa, &e);
    assert_int_equal(s1, CS_OK);
    assert_int_equal(s2, CS_OK);
    assert_int_equal(sa, CS_OK);
    assert_memory_equal(p1, pa, n * sizeof *p1);
    assert_memory_equal(p1, p2, n * sizeof *p1);
    assert_int_equal(r2, 1);   /* 108 k events in 32 k batches: 4+ batches, shared whole */
    free(p1);
    free(p2);
    free(pa);
    cs_model_free(m);
    cs_dataset_free(&ds);
}

/* cs_model_clone: the same logits as the model it copies, from its own buffers. */
static void test_model_clone(void **state)
{
    (void)state;
    cs_dataset ds;
    make_seq(&ds, 60, 4, 1);
    cs_model_config mc;
    cs_model_config_init(&mc);
    cs_model_config_from_data(&mc, &ds);
    mc.cell = CS_CELL_LSTM;
    mc.hidden[0] = 10;
    cs_error e;
    cs_model *a = cs_model_new(&mc, 5, &e), *b = cs_model_clone(a, &e);
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(cs_model_nparams(a), cs_model_nparams(b));
    assert_memory_equal(cs_model_params(a), cs_model_params(b), cs_model_nparams(a) * sizeof(float));
    assert_true(cs_model_params(a) != cs_model_params(b));
    size_t *idx = malloc(ds.n * sizeof *idx);
    for (size_t i = 0; i < ds.n; i++)
        idx[i] = i;
    float *pa = malloc(ds.n * sizeof *pa), *pb = malloc(ds.n * sizeof *pb);
    assert_int_equal(cs_predict(a, &ds, idx, ds.n, 8, pa, &e), CS_OK);
    assert_int_equal(cs_predict(b, &ds, idx, ds.n, 8, pb, &e), CS_OK);
    assert_memory_equal(pa, pb, ds.n * sizeof *pa);
    /* a change to one is not seen by the other */
    cs_model_params(b)[0] += 1.0f;
    assert_true(cs_model_params(a)[0] != cs_model_params(b)[0]);
    free(idx);
    free(pa);
    free(pb);
    cs_model_free(a);
    cs_model_free(b);
    cs_dataset_free(&ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_learns_and_is_deterministic),
        cmocka_unit_test(test_early_stopping_keeps_best),
        cmocka_unit_test(test_divergence_and_stop),
        cmocka_unit_test(test_features_normaliser),
        cmocka_unit_test(test_predict_threads_identical),
        cmocka_unit_test(test_predict_long_sessions),
        cmocka_unit_test(test_model_clone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
