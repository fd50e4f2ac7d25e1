/* test_model.c — the model's contract: the study's parameter counts, packed batches,
 * padding independence (a session's logit does not depend on its batch), determinism
 * across thread counts, dropout, refusal of backward without forward, config checks. */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "clickseq/model.h"
#include "test_model_util.h"

/* The study (DESIGN.md §1): one step of 10 raw features, layers 40 and 80, softmax2 head. */
static size_t study_params(cs_cell_kind cell, int bidir)
{
    cs_model_config c;
    tu_model_config(&c, cell, 2, 40, 80, bidir);
    c.view = CS_VIEW_FEATURES;
    c.n_feat = 10;
    c.head = CS_HEAD_SOFTMAX2;
    cs_error err;
    cs_model *m = cs_model_new(&c, 1, &err);
    assert_non_null(m);
    size_t n = cs_model_nparams(m);
    /* the tensors tile the arena exactly */
    size_t sum = 0, off, cnt;
    for (size_t t = 0; t < cs_model_ntensors(m); t++) {
        cs_model_tensor(m, t, &off, &cnt);
        assert_int_equal(off, sum);
        sum += cnt;
    }
    assert_int_equal(sum, n);
    cs_model_free(m);
    size_t counted;   /* the count without building the model is the same layout */
    assert_int_equal(cs_model_config_nparams(&c, &counted, &err), CS_OK);
    assert_int_equal(counted, n);
    return n;
}

/* cs_model_config_nparams (counted, not built) equals the built model's count for every
 * cell, view, head and input option, and refuses what cs_model_new refuses. */
static void test_count_without_building(void **s)
{
    (void)s;
    cs_error err;
    for (int cell = 0; cell <= CS_CELL_LOGREG; cell++)
        for (int v = 0; v < 8; v++) {
            cs_model_config c;
            cs_model_config_init(&c);
            c.cell = (cs_cell_kind)cell;
            c.view = cell >= CS_CELL_MLP || (v & 1) ? CS_VIEW_FEATURES : CS_VIEW_SEQUENCE;
            c.n_types = 5;
            c.n_feat = 7;
            c.layers = 1 + (v & 2 ? 2 : 0);
            for (int l = 0; l < CS_MAX_LAYERS; l++)
                c.hidden[l] = 3 + l;
            c.bidir = (v & 4) && cell <= CS_CELL_LSTM;
            c.head = v & 2 ? CS_HEAD_SOFTMAX2 : CS_HEAD_SIGMOID;
            c.emb_type = v & 4 ? 0 : 6;
            c.emb_item = v & 1 ? 0 : 4;
            c.hash_buckets = 33;
            c.use_price = v & 2;
            cs_model *m = cs_model_new(&c, 1, &err);
            assert_non_null(m);
            size_t n;
            assert_int_equal(cs_model_config_nparams(&c, &n, &err), CS_OK);
            assert_int_equal(n, cs_model_nparams(m));
            cs_model_free(m);
        }
    cs_model_config c;
    cs_model_config_init(&c);
    c.n_types = 0;
    size_t n = 1;
    assert_int_equal(cs_model_config_nparams(&c, &n, &err), CS_EINPUT);
    assert_int_equal(n, 0);
    assert_non_null(strstr(err.msg, "event types"));
}

static void test_study_param_counts(void **s)
{
    (void)s;
    assert_int_equal(study_params(CS_CELL_RNN, 0), 11882);
    assert_int_equal(study_params(CS_CELL_GRU, 0), 35682);
    assert_int_equal(study_params(CS_CELL_LSTM, 1), 119682);
}

static void test_batch_packing(void **s)
{
    (void)s;
    int lens[] = { 2, 5, 1, 5, 3 };
    cs_dataset ds;
    tu_seq_dataset(&ds, 5, lens, 5, 4, 1);
    cs_batch b = { 0 };
    size_t idx[] = { 0, 1, 2, 3, 4 };
    assert_int_equal(cs_batch_build(&b, &ds, idx, 5, NULL), CS_OK);
    /* sorted by length descending, stable: 1, 3 (len 5), 4 (3), 0 (2), 2 (1) */
    size_t want[] = { 1, 3, 4, 0, 2 };
    for (int j = 0; j < 5; j++)
        assert_int_equal(b.idx[j], want[j]);
    assert_int_equal(b.T, 5);
    assert_int_equal(b.n_packed, 16);
    int bt[] = { 5, 4, 3, 2, 2 }, off[] = { 0, 5, 9, 12, 14, 16 };
    for (int t = 0; t < 5; t++)
        assert_int_equal(b.bt[t], bt[t]);
    for (int t = 0; t <= 5; t++)
        assert_int_equal(b.step_off[t], off[t]);
    /* session 4 (batch row 2), step 1 sits at packed row 5 + 2 */
    assert_int_equal(b.type[7], ds.type[ds.off[4] + 1]);
    assert_true(b.log_dwell[7] == ds.log_dwell[ds.off[4] + 1]);
    assert_true(b.y[2] == (float)ds.label[4]);
    /* reuse with a bigger batch, then errors */
    size_t idx2[] = { 2, 2, 1 };
    assert_int_equal(cs_batch_build(&b, &ds, idx2, 3, NULL), CS_OK);
    assert_int_equal(b.idx[0], 1);
    assert_int_equal(b.n_packed, 7);
    cs_error err;
    size_t badidx[] = { 9 };
    assert_int_equal(cs_batch_build(&b, &ds, badidx, 1, &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "out of range"));
    cs_batch_free(&b);
    tu_dataset_free(&ds);
}

static cs_model *seq_model(cs_cell_kind cell, int bidir, int layers, const cs_dataset *ds, uint64_t seed)
{
    cs_model_config c;
    tu_model_config(&c, cell, layers, 8, 6, bidir);
    cs_model_config_from_data(&c, ds);
    c.emb_category = 3;
    c.hash_buckets = 11;
    cs_error err;
    cs_model *m = cs_model_new(&c, seed, &err);
    if (!m)
        fail_msg("%s", err.msg);
    return m;
}

/* A session alone and inside a batch of 20 gives the same logit: packing, the shrinking
 * active set and the reverse direction's start at each session's own end are right. */
static void test_padding_independence(void **s)
{
    (void)s;
    cs_dataset ds;
    tu_seq_dataset(&ds, 20, NULL, 9, 4, 3);
    for (int cell = CS_CELL_RNN; cell <= CS_CELL_LSTM; cell++)
        for (int bidir = 0; bidir < 2; bidir++) {
            cs_model *m = seq_model((cs_cell_kind)cell, bidir, 2, &ds, 5);
            cs_batch all = { 0 }, one = { 0 };
            float lall[20], l1;
            assert_int_equal(tu_batch_all(&all, &ds), CS_OK);
            assert_int_equal(cs_model_forward(m, &all, lall, 0, NULL), CS_OK);
            for (int j = 0; j < 20; j++) {
                size_t i = all.idx[j];
                assert_int_equal(cs_batch_build(&one, &ds, &i, 1, NULL), CS_OK);
                assert_int_equal(cs_model_forward(m, &one, &l1, 0, NULL), CS_OK);
                if (fabsf(l1 - lall[j]) > 1e-5f * (1.0f + fabsf(l1)))
                    fail_msg("%s bidir %d session %zu: alone %g, batched %g", cs_cell_name(cell), bidir,
                             i, (double)l1, (double)lall[j]);
            }
            cs_batch_free(&all);
            cs_batch_free(&one);
            cs_model_free(m);
        }
    tu_dataset_free(&ds);
}

/* Same seed -> same parameters; results identical for 1 and 2 threads; different seed differs. */
static void test_determinism_threads(void **s)
{
    (void)s;
    cs_dataset ds;
    tu_seq_dataset(&ds, 300, NULL, 12, 4, 8);
    cs_batch b = { 0 };
    assert_int_equal(tu_batch_all(&b, &ds), CS_OK);
    float *lg[2], *g[2], dl[300];
    for (int j = 0; j < 300; j++)
        dl[j] = (float)((j % 7) - 3) / 10.0f;
    int old = cs_get_threads();
    for (int r = 0; r < 2; r++) {
        cs_set_threads(r + 1);
        cs_model *m = seq_model(CS_CELL_GRU, 1, 2, &ds, 42);
        lg[r] = malloc(sizeof(float) * 300);
        assert_int_equal(cs_model_forward(m, &b, lg[r], 1, NULL), CS_OK);
        cs_model_zero_grad(m);
        assert_int_equal(cs_model_backward(m, &b, dl), CS_OK);
        g[r] = malloc(sizeof(float) * cs_model_nparams(m));
        memcpy(g[r], cs_model_grads(m), sizeof(float) * cs_model_nparams(m));
        if (r == 1) {
            assert_memory_equal(lg[0], lg[1], sizeof(float) * 300);
            assert_memory_equal(g[0], g[1], sizeof(float) * cs_model_nparams(m));
            cs_model *m2 = seq_model(CS_CELL_GRU, 1, 2, &ds, 43);
            assert_memory_not_equal(cs_model_params(m), cs_model_params(m2), sizeof(float) * 64);
            cs_model_free(m2);
        }
        cs_model_free(m);
    }
    cs_set_threads(old);
    for (int r = 0; r < 2; r++) {
        free(lg[r]);
        free(g[r]);
    }
    cs_batch_free(&b);
    tu_dataset_free(&ds);
}

/* Two threads training their own models at once while the pool has 2 threads (the
 * workbench's worker next to an evaluation): same results as alone. */
typedef struct conc { const cs_dataset *ds; float lg[300]; float g0; int ok; } conc;

static void *conc_run(void *p)
{
    conc *c = p;
    cs_model *m = seq_model(CS_CELL_LSTM, 1, 2, c->ds, 77);
    cs_batch b = { 0 };
    float dl[300];
    for (int j = 0; j < 300; j++)
        dl[j] = 0.01f * (float)(j % 5);
    c->ok = tu_batch_all(&b, c->ds) == CS_OK;
    for (int rep = 0; rep < 5 && c->ok; rep++) {
        cs_model_zero_grad(m);
        c->ok = cs_model_forward(m, &b, c->lg, 1, NULL) == CS_OK && cs_model_backward(m, &b, dl) == CS_OK;
    }
    c->g0 = cs_model_grads(m)[cs_model_nparams(m) - 3];
    cs_batch_free(&b);
    cs_model_free(m);
    return NULL;
}

static void test_concurrent_models(void **s)
{
    (void)s;
    cs_dataset ds;
    tu_seq_dataset(&ds, 300, NULL, 10, 4, 12);
    int old = cs_get_threads();
    cs_set_threads(1);
    conc ref = { &ds, { 0 }, 0, 0 };
    conc_run(&ref);
    assert_true(ref.ok);
    cs_set_threads(2);
    conc a = { &ds, { 0 }, 0, 0 }, b = { &ds, { 0 }, 0, 0 };
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, conc_run, &a), 0);
    assert_int_equal(pthread_create(&tb, NULL, conc_run, &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_true(a.ok && b.ok);
    assert_memory_equal(a.lg, ref.lg, sizeof ref.lg);
    assert_memory_equal(b.lg, ref.lg, sizeof ref.lg);
    assert_true(a.g0 == ref.g0 && b.g0 == ref.g0);
    cs_set_threads(old);
    tu_dataset_free(&ds);
}

static void test_backward_needs_forward(void **s)
{
    (void)s;
    cs_dataset ds;
    tu_seq_dataset(&ds, 5, NULL, 4, 3, 2);
    cs_model *m = seq_model(CS_CELL_LSTM, 0, 1, &ds, 1);
    cs_batch b = { 0 }, b2 = { 0 };
    float lg[5], dl[5] = { 1, 1, 1, 1, 1 };
    assert_int_equal(tu_batch_all(&b, &ds), CS_OK);
    assert_int_equal(tu_batch_all(&b2, &ds), CS_OK);
    assert_int_equal(cs_model_backward(m, &b, dl), CS_ERUNTIME);
    assert_int_equal(cs_model_forward(m, &b, lg, 0, NULL), CS_OK);   /* inference only */
    assert_int_equal(cs_model_backward(m, &b, dl), CS_ERUNTIME);
    assert_int_equal(cs_model_forward(m, &b, lg, 1, NULL), CS_OK);
    assert_int_equal(cs_model_backward(m, &b2, dl), CS_ERUNTIME);     /* another batch */
    assert_int_equal(cs_model_backward(m, &b, dl), CS_OK);
    /* a type id outside 1..n_types is refused */
    b.type[0] = 9;
    assert_int_equal(cs_model_forward(m, &b, lg, 1, NULL), CS_EINPUT);
    cs_batch_free(&b);
    cs_batch_free(&b2);
    cs_model_free(m);
    tu_dataset_free(&ds);
}

/* Dropout: training forwards differ by mask and are reproducible from the rng seed;
 * inference ignores dropout. */
static void test_dropout(void **s)
{
    (void)s;
    cs_dataset ds;
    tu_seq_dataset(&ds, 30, NULL, 6, 3, 4);
    cs_model_config c;
    cs_model_config_init(&c);
    cs_model_config_from_data(&c, &ds);
    c.layers = 2;
    c.hidden[1] = 32;
    c.dropout = 0.5f;
    cs_model *m = cs_model_new(&c, 3, NULL);
    assert_non_null(m);
    cs_batch b = { 0 };
    assert_int_equal(tu_batch_all(&b, &ds), CS_OK);
    float e1[30], e2[30], t1[30], t2[30], t3[30];
    cs_rng r;
    cs_rng_seed(&r, 1);
    assert_int_equal(cs_model_forward(m, &b, t1, 1, NULL), CS_EINPUT);   /* needs an rng */
    assert_int_equal(cs_model_forward(m, &b, e1, 0, NULL), CS_OK);
    assert_int_equal(cs_model_forward(m, &b, t1, 1, &r), CS_OK);
    assert_int_equal(cs_model_forward(m, &b, t2, 1, &r), CS_OK);
    assert_int_equal(cs_model_forward(m, &b, e2, 0, NULL), CS_OK);
    cs_rng_seed(&r, 1);
    assert_int_equal(cs_model_forward(m, &b, t3, 1, &r), CS_OK);
    assert_memory_equal(e1, e2, sizeof e1);
    assert_memory_equal(t1, t3, sizeof t1);
    assert_memory_not_equal(t1, t2, sizeof t1);
    assert_memory_not_equal(t1, e1, sizeof t1);
    cs_batch_free(&b);
    cs_model_free(m);
    tu_dataset_free(&ds);
}

/* A larger batch after a small one grows the buffers and gives the same answers. */
/* Rows of the item embedding (hash_buckets rows of `w`) whose gradient is not all zero. */
static int item_rows_touched(cs_model *m, size_t off, int buckets, int w, unsigned char *out)
{
    int n = 0;
    for (int k = 0; k < buckets; k++) {
        out[k] = 0;
        for (int q = 0; q < w; q++)
            out[k] |= cs_model_grads(m)[off + (size_t)k * w + q] != 0.0f;
        n += out[k];
    }
    return n;
}

static size_t tensor_off(cs_model *m, const char *name)
{
    for (size_t t = 0; t < cs_model_ntensors(m); t++) {
        size_t off;
        if (!strcmp(cs_model_tensor(m, t, &off, NULL), name))
            return off;
    }
    fail_msg("no tensor %s", name);
    return 0;
}

/* Embedding dropout: a dropped row is dropped for the whole batch, so it gets exactly zero
 * gradient while every occurrence's neighbours still train; about p of the rows the batch
 * reads are dropped; evaluation (train = 0) drops nothing. */
static void test_emb_dropout(void **s)
{
    (void)s;
    enum { N = 40, BK = 64, W = 3 };
    cs_dataset ds;
    tu_seq_dataset(&ds, N, NULL, 8, 3, 21);
    for (size_t i = 0; i < ds.n_steps; i++)
        ds.item[i] = 1 + (uint32_t)(i * 7919u % 200u);   /* ~200 ids over 64 buckets */
    cs_model_config c;
    tu_model_config(&c, CS_CELL_GRU, 1, 4, 0, 0);
    c.emb_item = W;
    c.hash_buckets = BK;
    cs_model_config_from_data(&c, &ds);
    cs_batch b;
    memset(&b, 0, sizeof b);
    assert_int_equal(tu_batch_all(&b, &ds), CS_OK);
    float z0[N], z1[N], dz[N];
    for (int j = 0; j < N; j++)
        dz[j] = 1.0f;
    cs_model *m0 = cs_model_new(&c, 5, NULL);
    c.emb_dropout = 0.5f;
    cs_model *m1 = cs_model_new(&c, 5, NULL);   /* the same weights (same seed) */
    assert_non_null(m0);
    assert_non_null(m1);
    size_t off = tensor_off(m0, "emb.item");
    cs_rng r;
    cs_rng_seed(&r, 3);
    unsigned char t0[BK], t1[BK];
    assert_int_equal(cs_model_forward(m0, &b, z0, 1, &r), CS_OK);
    cs_model_zero_grad(m0);
    assert_int_equal(cs_model_backward(m0, &b, dz), CS_OK);
    int read = item_rows_touched(m0, off, BK, W, t0);
    assert_true(read >= 50);
    int dropped_total = 0;
    for (int rep = 0; rep < 4; rep++) {
        assert_int_equal(cs_model_forward(m1, &b, z1, 1, &r), CS_OK);
        cs_model_zero_grad(m1);
        assert_int_equal(cs_model_backward(m1, &b, dz), CS_OK);
        int kept = item_rows_touched(m1, off, BK, W, t1);
        for (int k = 0; k < BK; k++)
            assert_true(!t1[k] || t0[k]);   /* only rows the batch reads have gradients */
        int dropped = read - kept;
        assert_true(dropped > 0 && kept > 0);
        dropped_total += dropped;
        assert_memory_not_equal(z0, z1, sizeof z0);   /* the dropped rows changed the logits */
    }
    /* 4 batches x ~57 rows read at p = 0.5: the count is binomial, mean ~114, sd ~7.5 */
    assert_true(dropped_total > 4 * read * 3 / 10 && dropped_total < 4 * read * 7 / 10);
    /* evaluation drops nothing: the same logits as without dropout */
    assert_int_equal(cs_model_forward(m0, &b, z0, 0, NULL), CS_OK);
    assert_int_equal(cs_model_forward(m1, &b, z1, 0, NULL), CS_OK);
    assert_memory_equal(z0, z1, sizeof z0);
    /* a training forward needs the rng for it */
    assert_int_equal(cs_model_forward(m1, &b, z1, 1, NULL), CS_EINPUT);
    cs_model_free(m0);
    cs_model_free(m1);
    cs_batch_free(&b);
    tu_dataset_free(&ds);
}

/* Embedding decay: lambda * w is added to the gradient of exactly the hashed rows the batch
 * reads, once each (ids repeat many times in the batch), and nowhere else. */
static void test_emb_decay(void **s)
{
    (void)s;
    enum { N = 30, BK = 64, W = 2 };
    cs_dataset ds;
    tu_seq_dataset(&ds, N, NULL, 6, 3, 22);   /* item, category ids 0..9: repeats, 0 = missing */
    cs_model_config c;
    tu_model_config(&c, CS_CELL_LSTM, 1, 3, 0, 0);
    c.emb_item = W;
    c.emb_category = W;
    c.hash_buckets = BK;
    cs_model_config_from_data(&c, &ds);
    cs_batch b;
    memset(&b, 0, sizeof b);
    assert_int_equal(tu_batch_all(&b, &ds), CS_OK);
    cs_model *m = cs_model_new(&c, 9, NULL);
    assert_non_null(m);
    float z[N], dz[N];
    for (int j = 0; j < N; j++)
        dz[j] = 0.5f;
    /* which rows the batch reads: those a backward gives a gradient */
    unsigned char read_item[BK], read_cat[BK];
    cs_rng r;
    cs_rng_seed(&r, 1);
    assert_int_equal(cs_model_forward(m, &b, z, 1, &r), CS_OK);
    cs_model_zero_grad(m);
    assert_int_equal(cs_model_backward(m, &b, dz), CS_OK);
    size_t oi = tensor_off(m, "emb.item"), oc = tensor_off(m, "emb.category");
    int ni = item_rows_touched(m, oi, BK, W, read_item);
    int nc = item_rows_touched(m, oc, BK, W, read_cat);
    assert_true(ni >= 5 && ni <= 10 && nc >= 5 && nc <= 10);   /* <= 10 ids, some share a bucket */
    size_t np = cs_model_nparams(m);
    cs_model_zero_grad(m);
    cs_model_emb_decay(m, &b, 0.25f);
    const float *g = cs_model_grads(m), *w = cs_model_params(m);
    for (size_t i = 0; i < np; i++) {
        float want = 0.0f;
        if (i >= oi && i < oi + (size_t)BK * W && read_item[(i - oi) / W])
            want = 0.25f * w[i];
        if (i >= oc && i < oc + (size_t)BK * W && read_cat[(i - oc) / W])
            want = 0.25f * w[i];
        if (g[i] != want)
            fail_msg("gradient %zu: %g, want %g", i, (double)g[i], (double)want);
    }
    /* a second call adds the same again (the marks were cleared) */
    cs_model_emb_decay(m, &b, 0.25f);
    for (size_t i = oi; i < oi + (size_t)BK * W; i++)
        assert_float_equal(g[i], read_item[(i - oi) / W] ? 0.5f * w[i] : 0.0f, 1e-7);
    cs_model_free(m);
    cs_batch_free(&b);
    tu_dataset_free(&ds);
}

static void test_buffer_growth(void **s)
{
    (void)s;
    cs_dataset ds;
    tu_seq_dataset(&ds, 400, NULL, 40, 4, 6);
    cs_model *m = seq_model(CS_CELL_LSTM, 1, 2, &ds, 9), *m2 = seq_model(CS_CELL_LSTM, 1, 2, &ds, 9);
    cs_batch small = { 0 }, big = { 0 };
    size_t i0 = 0;
    float l1, *lb = malloc(sizeof(float) * 400), *lb2 = malloc(sizeof(float) * 400);
    assert_int_equal(cs_batch_build(&small, &ds, &i0, 1, NULL), CS_OK);
    assert_int_equal(cs_model_forward(m, &small, &l1, 1, NULL), CS_OK);
    assert_int_equal(tu_batch_all(&big, &ds), CS_OK);
    assert_int_equal(cs_model_forward(m, &big, lb, 1, NULL), CS_OK);
    assert_int_equal(cs_model_forward(m2, &big, lb2, 1, NULL), CS_OK);
    assert_memory_equal(lb, lb2, sizeof(float) * 400);
    free(lb);
    free(lb2);
    cs_batch_free(&small);
    cs_batch_free(&big);
    cs_model_free(m);
    cs_model_free(m2);
    tu_dataset_free(&ds);
}

static void test_config_and_names(void **s)
{
    (void)s;
    cs_model_config c;
    cs_error err;
    cs_model_config_init(&c);
    assert_int_equal(cs_model_config_check(&c, &err), CS_OK);
    c.layers = 5;
    assert_int_equal(cs_model_config_check(&c, &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "layers"));
    cs_model_config_init(&c);
    c.hidden[0] = 0;
    assert_int_equal(cs_model_config_check(&c, &err), CS_EINPUT);
    cs_model_config_init(&c);
    c.dropout = 1.0f;
    assert_int_equal(cs_model_config_check(&c, &err), CS_EINPUT);
    cs_model_config_init(&c);
    c.cell = CS_CELL_MLP;   /* needs the features view */
    assert_int_equal(cs_model_config_check(&c, &err), CS_EINPUT);
    assert_null(cs_model_new(&c, 1, &err));
    assert_int_equal(cs_cell_parse("GRU"), CS_CELL_GRU);
    assert_int_equal(cs_cell_parse("logreg"), CS_CELL_LOGREG);
    assert_int_equal(cs_cell_parse("transformer"), -1);
    assert_string_equal(cs_cell_name(CS_CELL_LSTM), "lstm");
    /* decay mask: weights yes, biases and embeddings no */
    cs_model_config_init(&c);
    cs_model *m = cs_model_new(&c, 1, &err);
    assert_non_null(m);
    uint8_t *mask = malloc(cs_model_nparams(m));
    cs_model_decay_mask(m, mask);
    for (size_t t = 0; t < cs_model_ntensors(m); t++) {
        size_t off, cnt;
        const char *nm = cs_model_tensor(m, t, &off, &cnt);
        int want = strstr(nm, ".W") != NULL;
        for (size_t i = off; i < off + cnt; i++)
            assert_int_equal(mask[i], want);
    }
    free(mask);
    cs_model_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_study_param_counts),
        cmocka_unit_test(test_count_without_building),
        cmocka_unit_test(test_batch_packing),
        cmocka_unit_test(test_padding_independence),
        cmocka_unit_test(test_determinism_threads),
        cmocka_unit_test(test_concurrent_models),
        cmocka_unit_test(test_backward_needs_forward),
        cmocka_unit_test(test_dropout),
        cmocka_unit_test(test_emb_dropout),
        cmocka_unit_test(test_emb_decay),
        cmocka_unit_test(test_buffer_growth),
        cmocka_unit_test(test_config_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
