/* test_torch.c — forward outputs, loss and every gradient against PyTorch.
 *
 * The fixtures in tests/fixtures/torch/ are written by scripts/make_torch_fixtures.py
 * (PyTorch in float64 on float32 parameters).  Each one is loaded into a cs_model by
 * tensor name; the logits, the loss (mean BCE-with-logits with a positive-class weight,
 * computed here) and each gradient tensor must agree within 1e-4 relative to the
 * tensor's largest reference value.  The last test shows a mismatch is caught. */
#include <errno.h>
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

#define TOL 1e-4
#define MAX_RECS 128

typedef struct rec { char name[64]; size_t n; double *v; } rec;
typedef struct fixture { rec r[MAX_RECS]; int n; } fixture;

static int load(fixture *f, const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    memset(f, 0, sizeof *f);
    char name[64];
    int c;
    while ((c = fgetc(fp)) != EOF) {
        if (c == '#') {
            while ((c = fgetc(fp)) != EOF && c != '\n')
                ;
            continue;
        }
        if (c == '\n')
            continue;
        ungetc(c, fp);
        rec *r = &f->r[f->n];
        if (f->n >= MAX_RECS || fscanf(fp, "%63s %zu", name, &r->n) != 2)
            break;
        snprintf(r->name, sizeof r->name, "%s", name);
        r->v = malloc(sizeof(double) * (r->n + 1));
        for (size_t i = 0; i < r->n; i++)
            if (fscanf(fp, "%lf", &r->v[i]) != 1)
                fail_msg("%s: record %s: short", path, name);
        f->n++;
    }
    fclose(fp);
    return 0;
}

static void fixture_free(fixture *f)
{
    for (int i = 0; i < f->n; i++)
        free(f->r[i].v);
}

static const rec *get(const fixture *f, const char *name)
{
    for (int i = 0; i < f->n; i++)
        if (strcmp(f->r[i].name, name) == 0)
            return &f->r[i];
    return NULL;
}

static double num(const fixture *f, const char *name)
{
    const rec *r = get(f, name);
    if (!r)
        fail_msg("fixture lacks %s", name);
    return r->v[0];
}

/* max |a - b| / max(max |b|, 1e-6) */
static double rel_err(const float *a, const double *b, size_t n)
{
    double e = 0, s = 1e-6;
    for (size_t i = 0; i < n; i++) {
        e = fmax(e, fabs(a[i] - b[i]));
        s = fmax(s, fabs(b[i]));
    }
    return e / s;
}

typedef struct loaded {
    fixture f;
    cs_dataset ds;
    cs_model *m;
    cs_batch b;
} loaded;

static void build_dataset(loaded *L)
{
    const fixture *f = &L->f;
    cs_dataset *ds = &L->ds;
    const rec *len = get(f, "data.len"), *lab = get(f, "data.label");
    memset(ds, 0, sizeof *ds);
    ds->view = (cs_view)num(f, "cfg.view");
    ds->n = len->n;
    ds->label = malloc(ds->n);
    for (size_t i = 0; i < ds->n; i++)
        ds->label[i] = (uint8_t)lab->v[i];
    if (ds->view == CS_VIEW_FEATURES) {
        const rec *ft = get(f, "data.feat");
        ds->n_feat = (size_t)num(f, "cfg.n_feat");
        ds->feat = malloc(sizeof(float) * ft->n);
        for (size_t i = 0; i < ft->n; i++)
            ds->feat[i] = (float)ft->v[i];
        return;
    }
    ds->n_types = (int)num(f, "cfg.n_types");
    ds->off = calloc(ds->n + 1, sizeof(size_t));
    for (size_t i = 0; i < ds->n; i++)
        ds->off[i + 1] = ds->off[i] + (size_t)len->v[i];
    size_t S = ds->n_steps = ds->off[ds->n];
    ds->type = malloc(S * sizeof *ds->type);
    ds->category = malloc(S * sizeof(uint32_t));
    ds->brand = malloc(S * sizeof(uint32_t));
    ds->item = malloc(S * sizeof(uint32_t));
    ds->log_dwell = malloc(S * sizeof(float));
    ds->log_price = malloc(S * sizeof(float));
    for (size_t s = 0; s < S; s++) {
        ds->type[s] = (uint16_t)get(f, "data.type")->v[s];
        ds->category[s] = (uint32_t)get(f, "data.category")->v[s];
        ds->brand[s] = (uint32_t)get(f, "data.brand")->v[s];
        ds->item[s] = (uint32_t)get(f, "data.item")->v[s];
        ds->log_dwell[s] = (float)get(f, "data.dwell")->v[s];
        ds->log_price[s] = (float)get(f, "data.price")->v[s];
    }
}

static void free_dataset(cs_dataset *ds)
{
    free(ds->off); free(ds->label); free(ds->type); free(ds->item); free(ds->category);
    free(ds->brand); free(ds->log_dwell); free(ds->log_price); free(ds->feat);
}

/* Returns 0 and fills L, or 77-style skip (1) when the fixture is missing. */
static int setup_case(loaded *L, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/torch/%s.txt", CS_SRCDIR, name);
    if (load(&L->f, path) != 0)
        fail_msg("cannot read %s: %s", path, strerror(errno));
    const fixture *f = &L->f;
    build_dataset(L);
    cs_model_config c;
    cs_model_config_init(&c);
    c.cell = (cs_cell_kind)num(f, "cfg.cell");
    c.layers = (int)num(f, "cfg.layers");
    char key[32];
    for (int i = 0; i < CS_MAX_LAYERS; i++) {
        snprintf(key, sizeof key, "cfg.hidden%d", i);
        c.hidden[i] = (int)num(f, key);
    }
    c.bidir = (int)num(f, "cfg.bidir");
    c.head = (cs_head_kind)num(f, "cfg.head");
    c.emb_type = (int)num(f, "cfg.emb_type");
    c.emb_category = (int)num(f, "cfg.emb_category");
    c.emb_brand = (int)num(f, "cfg.emb_brand");
    c.emb_item = (int)num(f, "cfg.emb_item");
    c.hash_buckets = (int)num(f, "cfg.hash_buckets");
    c.use_dwell = (int)num(f, "cfg.use_dwell");
    c.use_price = (int)num(f, "cfg.use_price");
    cs_model_config_from_data(&c, &L->ds);
    cs_error err;
    L->m = cs_model_new(&c, 1, &err);
    if (!L->m)
        fail_msg("%s: %s", name, err.msg);
    /* every tensor of the model must come from the fixture, and nothing else */
    size_t nparam_recs = 0;
    for (int i = 0; i < f->n; i++)
        nparam_recs += strncmp(f->r[i].name, "param.", 6) == 0;
    assert_int_equal(nparam_recs, cs_model_ntensors(L->m));
    for (size_t t = 0; t < cs_model_ntensors(L->m); t++) {
        size_t off, cnt;
        const char *tn = cs_model_tensor(L->m, t, &off, &cnt);
        snprintf(key, sizeof key, "param.%s", tn);
        const rec *r = get(f, key);
        if (!r || r->n != cnt)
            fail_msg("%s: tensor %s (%zu values) missing or of another size in the fixture", name, tn, cnt);
        for (size_t i = 0; i < cnt; i++)
            cs_model_params(L->m)[off + i] = (float)r->v[i];
    }
    if (c.view == CS_VIEW_FEATURES)
        for (int i = 0; i < c.n_feat; i++) {
            cs_model_norm_mean(L->m)[i] = (float)get(f, "norm.mean")->v[i];
            cs_model_norm_std(L->m)[i] = (float)get(f, "norm.std")->v[i];
        }
    size_t *idx = malloc(sizeof(size_t) * L->ds.n);
    for (size_t i = 0; i < L->ds.n; i++)
        idx[i] = i;
    memset(&L->b, 0, sizeof L->b);
    assert_int_equal(cs_batch_build(&L->b, &L->ds, idx, L->ds.n, NULL), CS_OK);
    free(idx);
    return 0;
}

static void teardown_case(loaded *L)
{
    cs_model_free(L->m);
    cs_batch_free(&L->b);
    free_dataset(&L->ds);
    fixture_free(&L->f);
}

/* Forward + loss + backward; returns the worst relative error over logits, loss and
 * gradients (and prints each). */
static double compare(loaded *L, const char *name, int verbose)
{
    int B = L->b.B;
    float *lg = malloc(sizeof(float) * B), *dl = malloc(sizeof(float) * B), *lds = malloc(sizeof(float) * B);
    assert_int_equal(cs_model_forward(L->m, &L->b, lg, 1, NULL), CS_OK);
    double pw = num(&L->f, "pos_weight"), loss = 0;
    for (int j = 0; j < B; j++) {
        double z = lg[j], y = L->b.y[j], p = 1.0 / (1.0 + exp(-z));
        double sp_pos = log1p(exp(-fabs(z))) + fmax(-z, 0.0);   /* softplus(-z) */
        loss += pw * y * sp_pos + (1 - y) * (sp_pos + z);
        dl[j] = (float)((pw * y * (p - 1.0) + (1 - y) * p) / B);
        lds[L->b.idx[j]] = lg[j];   /* back to dataset order */
    }
    loss /= B;
    double worst = rel_err(lds, get(&L->f, "out.logits")->v, (size_t)B);
    double lerr = fabs(loss - num(&L->f, "out.loss")) / fabs(num(&L->f, "out.loss"));
    if (verbose)
        print_message("%-24s logits %.1e  loss %.1e", name, worst, lerr);
    worst = fmax(worst, lerr);
    cs_model_zero_grad(L->m);
    assert_int_equal(cs_model_backward(L->m, &L->b, dl), CS_OK);
    double gworst = 0;
    for (size_t t = 0; t < cs_model_ntensors(L->m); t++) {
        size_t off, cnt;
        char key[64];
        const char *tn = cs_model_tensor(L->m, t, &off, &cnt);
        snprintf(key, sizeof key, "grad.%s", tn);
        const rec *r = get(&L->f, key);
        assert_non_null(r);
        double e = rel_err(cs_model_grads(L->m) + off, r->v, cnt);
        if (e > TOL && verbose)
            print_message("\n    grad %s: %.3g", tn, e);
        gworst = fmax(gworst, e);
    }
    if (verbose)
        print_message("  grads %.1e\n", gworst);
    free(lg);
    free(dl);
    free(lds);
    return fmax(worst, gworst);
}

static void run_case(void **state)
{
    const char *name = *state;
    loaded L;
    setup_case(&L, name);
    double e = compare(&L, name, 1);
    if (e > TOL)
        fail_msg("%s: worst relative difference to PyTorch %.3g > %g", name, e, TOL);
    teardown_case(&L);
}

/* One recurrent weight off by 5 % must make the comparison fail. */
static void test_mismatch_detected(void **state)
{
    (void)state;
    loaded L;
    setup_case(&L, "gru_seq_bidir2_hashed");
    assert_true(compare(&L, "unchanged", 0) <= TOL);
    size_t off, cnt;
    const char *tn = cs_model_tensor(L.m, 4, &off, &cnt);
    assert_string_equal(tn, "l0.W_hh");
    cs_model_params(L.m)[off + 1] *= 1.05f;
    double e = compare(&L, "perturbed", 0);
    print_message("one weight of l0.W_hh off by 5%%: worst relative difference %.3g\n", e);
    if (!(e > TOL))
        fail_msg("a 5%% change of one weight went unnoticed (%.3g)", e);
    teardown_case(&L);
}

static const char *cases[] = {
    "rnn_seq", "gru_seq", "lstm_seq", "gru_seq_bidir2_hashed", "lstm_seq_bidir2_onehot",
    "rnn_seq_bidir2", "lstm_feat_bidir2", "gru_feat2", "mlp_feat2", "logreg_feat",
};

int main(void)
{
    struct CMUnitTest tests[sizeof cases / sizeof cases[0] + 1];
    size_t n = 0;
    for (; n < sizeof cases / sizeof cases[0]; n++) {
        struct CMUnitTest t = { cases[n], run_case, NULL, NULL, (void *)cases[n] };
        tests[n] = t;
    }
    struct CMUnitTest last = { "mismatch_detected", test_mismatch_detected, NULL, NULL, NULL };
    tests[n++] = last;
    return _cmocka_run_group_tests("torch", tests, n, NULL, NULL);
}
