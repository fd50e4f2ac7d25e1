/* test_runstore.c — run directories: save -> load round trip, listing, and damaged,
 * truncated or foreign files reported as CS_EINPUT naming the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "clickseq/rng.h"

#include "clickseq/pipeline.h"
#include "clickseq/runstore.h"

#define SCRATCH_TEMPLATE "/tmp/cs-runstore-XXXXXX"
#include "test_scratch.h"

typedef struct fake {
    cs_run_config cfg;
    cs_train_result res;
    cs_weights w;
    cs_epoch hist[3];
    float bl[7];
    int be[7];
    float wts[512], mean[3], sd[3];   /* wts: the first w.nparams are the model's */
} fake;

static void make_fake(fake *f, int cell)
{
    memset(f, 0, sizeof *f);
    cs_run_config_init(&f->cfg);
    f->cfg.model.cell = (cs_cell_kind)cell;
    f->cfg.model.n_types = 4;
    f->cfg.model.n_feat = 3;
    /* a model whose layout holds exactly the saved weights (the loader counts it) */
    f->cfg.model.view = CS_VIEW_FEATURES;
    for (int l = 0; l < CS_MAX_LAYERS; l++)
        f->cfg.model.hidden[l] = 3;
    f->cfg.lr = 0.0123;
    f->cfg.seed = 99;
    for (int e = 0; e < 3; e++) {
        cs_epoch *h = &f->hist[e];
        h->epoch = e + 1;
        h->train_loss = 0.7 - 0.1 * e;
        h->valid_loss = 0.8 - 0.05 * e;
        h->valid.accuracy = 0.9;
        h->valid.precision = 0.25 + e * 0.01;
        h->valid.recall = 0.5;
        h->valid.f1 = 1.0 / 3.0;
        h->valid.roc_auc = 0.81;
        h->valid.pr_auc = e == 0 ? NAN : 0.4;
        h->valid.threshold = 0.61;
        h->valid.cm = (cs_confusion){10 + e, 20, 300, 5};
        h->seconds = 1.5;
        h->events_per_s = 123456;
    }
    for (int i = 0; i < 7; i++) {
        f->bl[i] = 1.0f / (float)(i + 1);
        f->be[i] = i < 3 ? 1 : i < 5 ? 2 : 3;
    }
    for (int i = 0; i < 512; i++)
        f->wts[i] = (float)sin(i) * 1e-3f * (float)(i + 1);
    for (int i = 0; i < 3; i++) {
        f->mean[i] = (float)i;
        f->sd[i] = 1.0f + (float)i;
    }
    f->res.hist = f->hist;
    f->res.n_hist = 3;
    f->res.batch_loss = f->bl;
    f->res.batch_epoch = f->be;
    f->res.n_batch_loss = 7;
    f->res.threshold = 0.6123456789;
    f->res.best_epoch = 2;
    f->res.seconds = 4.5;
    f->res.has_test = 1;
    f->res.test.cm = (cs_confusion){7, 8, 90, 3};
    f->res.test.f1 = 0.56;
    f->res.test.pr_auc = 0.47;
    f->res.test.roc_auc = 0.86;
    f->res.test.n = 108;
    f->w.config_hash = cs_model_config_hash(&f->cfg.model);
    cs_error e;
    assert_int_equal(cs_model_config_nparams(&f->cfg.model, &f->w.nparams, &e), CS_OK);
    assert_true(f->w.nparams > 10 && f->w.nparams <= 512);
    f->w.w = f->wts;
    f->w.n_norm = 3;
    f->w.norm_mean = f->mean;
    f->w.norm_std = f->sd;
}

static cs_status save_fake(const char *name, fake *f, cs_error *e)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    static const char *const types[] = {"view", "cart", "remove_from_cart", "purchase"};
    static const char *const feats[] = {"n_view", "Month=Feb", "Month=Mar"};
    cs_run_save_info info = {0xdeadbeef12345678ULL, types, 4, &f->w, 0, feats, 3, NULL, NULL, 0};
    return cs_run_save(dir, &f->cfg, &f->res, &info, e);
}

static void test_roundtrip(void **state)
{
    (void)state;
    fake f;
    make_fake(&f, CS_CELL_LSTM);
    cs_error e;
    assert_int_equal(save_fake("r1", &f, &e), CS_OK);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/r1", root);
    cs_run r;
    if (cs_run_load(dir, CS_RUN_ALL, &r, &e) != CS_OK)
        fail_msg("%s", e.msg);
    assert_string_equal(r.name, "r1");
    assert_memory_equal(&r.cfg, &f.cfg, sizeof r.cfg);   /* every parameter and the shape */
    assert_int_equal(r.fingerprint, 0xdeadbeef12345678ULL);
    assert_int_equal(r.nparams, f.w.nparams);
    assert_int_equal(r.n_type_names, 4);
    assert_string_equal(r.type_names[2], "remove_from_cart");
    assert_int_equal(r.n_feat_names, 3);
    assert_string_equal(r.feat_names[0], "n_view");
    assert_string_equal(r.feat_names[2], "Month=Mar");
    assert_true(r.threshold == f.res.threshold);          /* exact: the decision depends on it */
    assert_int_equal(r.best_epoch, 2);
    assert_int_equal(r.epochs_run, 3);
    assert_int_equal(r.test.cm.tp, 7);
    assert_true(fabs(r.test.f1 - 0.56) < 1e-12);
    assert_int_equal(r.n_hist, 3);
    assert_int_equal(r.hist[2].valid.cm.tp, 12);
    assert_true(isnan(r.hist[0].valid.pr_auc));
    assert_true(fabs(r.hist[1].valid_loss - 0.75) < 1e-9);
    assert_int_equal(r.n_batch, 7);
    assert_int_equal(r.batch_epoch[6], 3);
    assert_true(r.batch_loss[3] == 0.25f);
    assert_int_equal(r.weights.nparams, f.w.nparams);
    assert_memory_equal(r.weights.w, f.wts, f.w.nparams * sizeof *f.wts);   /* bit-exact */
    assert_memory_equal(r.weights.norm_std, f.sd, sizeof f.sd);
    cs_run_free(&r);
    /* saving over a complete run is refused */
    assert_int_equal(save_fake("r1", &f, &e), CS_EINPUT);
    assert_non_null(strstr(e.msg, "already exists"));
}

static void corrupt(const char *path, long at, int truncate_to)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    if (truncate_to >= 0) {
        assert_int_equal(ftruncate(fileno(f), truncate_to), 0);
    } else {
        fseek(f, at, at < 0 ? SEEK_END : SEEK_SET);
        int c = fgetc(f);
        fseek(f, -1, SEEK_CUR);
        fputc(c ^ 0x40, f);
    }
    fclose(f);
}

static void expect_load_error(const char *dir, const char *file, const char *frag)
{
    cs_run r;
    cs_error e;
    assert_int_equal(cs_run_load(dir, CS_RUN_ALL, &r, &e), CS_EINPUT);
    if (!strstr(e.msg, file) || !strstr(e.msg, frag))
        fail_msg("message '%s' lacks '%s' or '%s'", e.msg, file, frag);
}

static void test_damage(void **state)
{
    (void)state;
    fake f;
    make_fake(&f, CS_CELL_GRU);
    cs_error e;
    char dir[512], p[600];
    static const char *const names[] = {"d-flip", "d-trunc", "d-foreign", "d-hash", "d-hist", "d-cfg"};
    for (int i = 0; i < 6; i++)
        assert_int_equal(save_fake(names[i], &f, &e), CS_OK);
    /* one flipped bit in a weight */
    snprintf(dir, sizeof dir, "%s/d-flip", root);
    snprintf(p, sizeof p, "%s/model.bin", dir);
    corrupt(p, 60, -1);
    expect_load_error(dir, "d-flip/model.bin", "checksum");
    /* truncated */
    snprintf(dir, sizeof dir, "%s/d-trunc", root);
    snprintf(p, sizeof p, "%s/model.bin", dir);
    corrupt(p, 0, 100);
    expect_load_error(dir, "d-trunc/model.bin", "truncated");
    corrupt(p, 0, 3);
    expect_load_error(dir, "d-trunc/model.bin", "not a clickseq model");
    /* files written over ("w") or added to ("a") by hand */
    static const struct { const char *run, *file, *mode, *text, *where, *frag; } edits[] = {
        /* a foreign file */
        {"d-foreign", "model.bin", "w", "PK\003\004 this is a zip file, not weights ...........................",
         "d-foreign/model.bin", "not a clickseq model file"},
        /* weights of another model configuration (config edited afterwards) */
        /* in the hash, not in a features view's layout */
        {"d-hash", "config.txt", "a", "emb-type = 8\n", "d-hash/model.bin", "different model configuration"},
        /* another layout: counted from config.txt, before model.bin is read */
        {"d-hash", "config.txt", "a", "hidden = 65\n", "d-hash/config.txt", "describes a model of"},
        /* a torn history line and a bad value in the config */
        {"d-hist", "history.csv", "a", "4,0.5,0.6", "d-hist/history.csv", "damaged"},
        {"d-cfg", "config.txt", "a", "layers = 9\n", "d-cfg/config.txt:", "layers: 9 is out of range"},
    };
    for (size_t k = 0; k < sizeof edits / sizeof *edits; k++) {
        snprintf(dir, sizeof dir, "%s/%s", root, edits[k].run);
        snprintf(p, sizeof p, "%s/%s", dir, edits[k].file);
        FILE *fp = fopen(p, edits[k].mode);
        assert_non_null(fp);
        fputs(edits[k].text, fp);
        fclose(fp);
        expect_load_error(dir, edits[k].where, edits[k].frag);
    }
    /* not a directory at all */
    snprintf(dir, sizeof dir, "%s/nope", root);
    expect_load_error(dir, "nope", "not a run directory");
}

static void test_list(void **state)
{
    (void)state;
    char sub[512];
    snprintf(sub, sizeof sub, "%s/list", root);
    mkdir(sub, 0755);
    fake f;
    make_fake(&f, CS_CELL_RNN);
    cs_error e;
    assert_int_equal(save_fake("list/b-run", &f, &e), CS_OK);
    assert_int_equal(save_fake("list/a-run", &f, &e), CS_OK);
    /* a temporary left by a kill, a non-run dir, a damaged run */
    char p[600];
    snprintf(p, sizeof p, "%s/.c-run.tmp-abc123", sub);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/notes", sub);
    mkdir(p, 0755);
    assert_int_equal(save_fake("list/z-bad", &f, &e), CS_OK);
    snprintf(p, sizeof p, "%s/z-bad/summary.txt", sub);
    unlink(p);
    cs_run *runs;
    size_t n, bad;
    assert_int_equal(cs_run_list(sub, CS_RUN_HISTORY, &runs, &n, &bad, &e), CS_OK);
    assert_int_equal(n, 2);
    assert_int_equal(bad, 1);
    assert_string_equal(runs[0].name, "a-run");
    assert_string_equal(runs[1].name, "b-run");
    assert_int_equal(runs[1].n_hist, 3);
    assert_null(runs[0].weights.w);   /* not asked for */
    cs_run_list_free(runs, n);
    /* the save left no temporaries behind */
    snprintf(p, sizeof p, "ls -A '%s' | grep -c tmp", sub);
    FILE *ls = popen(p, "r");
    int tmps = -1;
    assert_int_equal(fscanf(ls, "%d", &tmps), 1);
    pclose(ls);
    assert_int_equal(tmps, 1);   /* only the one planted above */
}

static void test_crc(void **state)
{
    (void)state;
    assert_int_equal(cs_crc32("123456789", 9), 0xCBF43926u);   /* the standard check value */
    cs_model_config a, b;
    cs_run_config c;
    cs_run_config_init(&c);
    a = b = c.model;
    assert_int_equal(cs_model_config_hash(&a), cs_model_config_hash(&b));
    b.dropout = 0.5f;   /* training-only: same layout */
    assert_int_equal(cs_model_config_hash(&a), cs_model_config_hash(&b));
    b.hidden[0] = 65;
    assert_int_not_equal(cs_model_config_hash(&a), cs_model_config_hash(&b));
    b = a;
    b.n_types = 9;
    assert_int_not_equal(cs_model_config_hash(&a), cs_model_config_hash(&b));
}


/* A small in-test fuzzer: every truncation of model.bin is an error; random byte changes
 * in every file load or fail with CS_EINPUT, never crash (run it under ASan too). */
static void test_mutations(void **state)
{
    (void)state;
    fake f;
    make_fake(&f, CS_CELL_GRU);
    cs_error e;
    assert_int_equal(save_fake("m-orig", &f, &e), CS_OK);
    char orig[512], dir[512], cmd[1600];
    snprintf(orig, sizeof orig, "%s/m-orig", root);
    snprintf(dir, sizeof dir, "%s/m-work", root);
    static const char *const files[] = {"model.bin", "config.txt", "summary.txt", "history.csv",
                                        "batches.csv"};
    cs_rng r;
    cs_rng_seed(&r, 77);
    long ok_loads = 0, errors = 0;
    for (int fi = 0; fi < 5; fi++) {
        for (int k = 0; k < 40; k++) {
            snprintf(cmd, sizeof cmd, "rm -rf '%s' && cp -r '%s' '%s'", dir, orig, dir);
            assert_int_equal(system(cmd), 0);
            char p[640];
            snprintf(p, sizeof p, "%s/%s", dir, files[fi]);
            struct stat st;
            assert_int_equal(stat(p, &st), 0);
            FILE *fp = fopen(p, "r+b");
            if (k % 3 == 0) {   /* truncate */
                assert_int_equal(ftruncate(fileno(fp), (off_t)cs_rng_below(&r, (uint64_t)st.st_size)), 0);
            } else {            /* overwrite 1-4 random bytes */
                int nb = 1 + (int)cs_rng_below(&r, 4);
                for (int b = 0; b < nb; b++) {
                    fseek(fp, (long)cs_rng_below(&r, (uint64_t)st.st_size), SEEK_SET);
                    fputc((int)cs_rng_below(&r, 256), fp);
                }
            }
            fclose(fp);
            cs_run run;
            cs_status s = cs_run_load(dir, CS_RUN_ALL, &run, &e);
            if (s == CS_OK) {
                ok_loads++;
                cs_run_free(&run);
                /* a changed model.bin must never load (CRC-32 catches up to 4 bytes) */
                if (fi == 0 && k % 3)
                    fail_msg("model.bin with changed bytes loaded");
            } else {
                errors++;
                assert_int_equal(s, CS_EINPUT);
                assert_non_null(strstr(e.msg, files[fi]));
            }
            if (fi == 0 && k % 3 == 0)
                assert_int_equal(s, CS_EINPUT);   /* every truncation of model.bin */
        }
    }
    print_message("mutations: %ld loaded (harmless changes), %ld rejected\n", ok_loads, errors);
    assert_true(errors > 100);
}

/* Stored fingerprints and hashes never change: the committed runs' model-config hashes are
 * computed again from their config.txt, and the demo's dataset fingerprints under their
 * data options are pinned (values from before the FNV-1a helpers were folded into
 * hash.h).  (The runs' own data_fingerprint lines predate a change of the demo's
 * fingerprint and no longer match; nothing compares them.) */
static void test_stored_hashes_unchanged(void **state)
{
    (void)state;
    const char *names[] = {"seq", "feat", "lstm"};
    /* the events file's fingerprint is made of 1 MiB segment hashes since the loader reads
     * files in parallel parts (csvread.h), which changed it for files over 1 MiB like the
     * demo (was 0x63abcb4311b97bd7, 0x3e5b5e347f2b09de, 0x63abcb4311b97bd7) */
    const uint64_t fingerprint[] = {0x6d454cd04543a5b5ULL, 0x47f4dfc1b2b533bcULL, 0x6d454cd04543a5b5ULL};
    for (int i = 0; i < 3; i++) {
        char dir[512];
        snprintf(dir, sizeof dir, "%s/tests/fixtures/runs/%s", CS_SRCDIR, names[i]);
        cs_run run;
        cs_error err;
        assert_int_equal(cs_run_load(dir, CS_RUN_WEIGHTS, &run, &err), CS_OK);
        assert_int_equal(cs_model_config_hash(&run.cfg.model), run.weights.config_hash);
        cs_run_config c = run.cfg;
        snprintf(c.data, sizeof c.data, "%s/data/demo-shop.csv", CS_SRCDIR);
        cs_dataset ds;
        cs_ledger led;
        assert_int_equal(cs_pipeline_load(&c, &ds, &led, NULL, &err), CS_OK);
        assert_int_equal(ds.fingerprint, fingerprint[i]);
        cs_dataset_free(&ds);
        cs_run_free(&run);
    }
}

/* One remap for eval, predict and early prediction (they disagreed: early trusted the ids
 * of a run without type names and indexed its table without a bound).  Ids follow a file's
 * order, names do not. */
static void test_remap_types_by_name(void **state)
{
    (void)state;
    char *run_names[] = {"view", "cart", "purchase"};          /* the run's ids 1, 2, 3 */
    cs_run run;
    memset(&run, 0, sizeof run);
    snprintf(run.path, sizeof run.path, "runs/r1");
    run.type_names = run_names;
    run.n_type_names = 3;
    char *data_names[] = {"", "cart", "view", "remove"};       /* this file's ids 1, 2, 3 */
    uint16_t type[] = {1, 2, 2, 1};
    cs_dataset ds;
    memset(&ds, 0, sizeof ds);
    ds.view = CS_VIEW_SEQUENCE;
    ds.type_names = data_names;
    ds.n_types = 3;
    ds.type = type;
    ds.n_steps = 4;
    cs_error err;
    assert_int_equal(cs_run_remap_types(&run, &ds, &err), CS_OK);
    assert_int_equal(type[0], 2);                             /* cart */
    assert_int_equal(type[1], 1);                             /* view */
    assert_int_equal(type[3], 2);
    uint16_t unseen[] = {2, 3};                               /* "remove": never trained on */
    ds.type = unseen;
    ds.n_steps = 2;
    assert_int_equal(cs_run_remap_types(&run, &ds, &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "runs/r1"));
    assert_non_null(strstr(err.msg, "'remove'"));
    uint16_t bad[] = {9};                                     /* out of the data's range */
    ds.type = bad;
    ds.n_steps = 1;
    assert_int_equal(cs_run_remap_types(&run, &ds, &err), CS_EINPUT);
    run.n_type_names = 0;                                     /* no names: cannot check */
    ds.type = type;
    assert_int_equal(cs_run_remap_types(&run, &ds, &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "type_names"));
    ds.view = CS_VIEW_FEATURES;                               /* no type ids to map */
    assert_int_equal(cs_run_remap_types(&run, &ds, &err), CS_OK);
}

/* Event types with ',' or a newline, and string parameters that would not read back raw,
 * round-trip through config.txt (issue 9 item 2: they made runs that never loaded); a
 * list written before quoting still loads. */
static void test_stored_strings_roundtrip(void **state)
{
    (void)state;
    fake f;
    make_fake(&f, CS_CELL_GRU);
    static const char *const types[] = {"view,alt", "look\nagain", " padded ", "\"q", "back\\slash",
                                        "tab\there", "cart"};
    f.cfg.model.n_types = 7;
    snprintf(f.cfg.label, sizeof f.cfg.label, "%s", " my label\n");
    snprintf(f.cfg.data, sizeof f.cfg.data, "%s", "/tmp/odd\ndir/\"x\".csv");
    f.w.config_hash = cs_model_config_hash(&f.cfg.model);
    char dir[512];
    snprintf(dir, sizeof dir, "%s/strs", root);
    static const char *const feats[] = {"a,b", "line\nbreak", "Visitor=\"New\""};
    cs_run_save_info info = {1, types, 7, &f.w, 0, feats, 3, NULL, NULL, 0};
    cs_error e;
    assert_int_equal(cs_run_save(dir, &f.cfg, &f.res, &info, &e), CS_OK);
    cs_run r;
    if (cs_run_load(dir, CS_RUN_ALL, &r, &e) != CS_OK)
        fail_msg("%s", e.msg);
    assert_int_equal(r.n_type_names, 7);
    for (int i = 0; i < 7; i++)
        assert_string_equal(r.type_names[i], types[i]);
    assert_int_equal(r.n_feat_names, 3);
    for (int i = 0; i < 3; i++)
        assert_string_equal(r.feat_names[i], feats[i]);
    assert_string_equal(r.cfg.label, " my label\n");
    assert_string_equal(r.cfg.data, "/tmp/odd\ndir/\"x\".csv");
    assert_memory_equal(&r.cfg, &f.cfg, sizeof r.cfg);
    cs_run_free(&r);
    /* lists as written before quoting: raw, split at every comma */
    char cfg[600];
    snprintf(cfg, sizeof cfg, "%s/config.txt", dir);
    FILE *in = fopen(cfg, "r");
    assert_non_null(in);
    char *text = calloc(1, 1 << 16);
    assert_true(fread(text, 1, (1 << 16) - 1, in) > 0);
    fclose(in);
    char *tn = strstr(text, "type_names = ");
    assert_non_null(tn);
    char *eol = strchr(tn, '\n');
    static const char *const old_lists[] = {"type_names = a,b\"c,d,e,f,g,h", "type_names = \"a,b,c,d,e,f,g"};
    for (int k = 0; k < 2; k++) {
        FILE *o = fopen(cfg, "w");
        fprintf(o, "%.*s%s%s", (int)(tn - text), text, old_lists[k], eol);
        fclose(o);
        if (cs_run_load(dir, CS_RUN_ALL, &r, &e) != CS_OK)
            fail_msg("%s", e.msg);
        assert_int_equal(r.n_type_names, 7);
        assert_string_equal(r.type_names[1], k ? "b" : "b\"c");
        assert_string_equal(r.type_names[0], k ? "\"a" : "a");
        cs_run_free(&r);
    }
    free(text);
}

/* A features dataset of n rows on the heap (cs_run_match_features replaces its vectors):
 * row i, column j holds 10 * i + j. */
static void feat_ds(cs_dataset *ds, size_t n, const char *const *names, size_t nf, int events)
{
    memset(ds, 0, sizeof *ds);
    ds->view = CS_VIEW_FEATURES;
    ds->n = n;
    ds->n_feat = nf;
    ds->feat = malloc(n * nf * sizeof *ds->feat + 1);
    ds->feat_names = calloc(nf + 1, sizeof *ds->feat_names);
    assert_non_null(ds->feat);
    assert_non_null(ds->feat_names);
    for (size_t j = 0; j < nf; j++)
        ds->feat_names[j] = strdup(names[j]);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < nf; j++)
            ds->feat[i * nf + j] = (float)(10 * i + j);
    if (events) {   /* derived from events: sessions have names */
        ds->session_names = calloc(n, sizeof *ds->session_names);
        for (size_t i = 0; i < n; i++)
            ds->session_names[i] = strdup("s");
    }
}

/* Issue 9 item 4: a features-view run's inputs are found in new data by NAME; equal names
 * pair up in order; absent one-hot levels and event-type counts are 0; anything else
 * missing is refused naming it; extras are dropped and listed; without names, by position. */
static void test_match_features(void **state)
{
    (void)state;
    char *run_names[] = {"a", "Month=Feb", "b", "b", "Month=Mar", "n_cart"};
    cs_run run;
    memset(&run, 0, sizeof run);
    snprintf(run.path, sizeof run.path, "runs/f1");
    run.cfg.model.view = CS_VIEW_FEATURES;
    run.cfg.model.n_feat = 6;
    run.feat_names = run_names;
    run.n_feat_names = 6;
    static const char *const data[] = {"b", "x", "Month=Feb", "n_cart", "a", "b", "Month=Jan", "Month=Mar"};
    cs_dataset ds;
    cs_feat_match m;
    cs_error err;
    feat_ds(&ds, 2, data, 8, 0);
    assert_int_equal(cs_run_match_features(&run, &ds, &m, &err), CS_OK);
    assert_int_equal(ds.n_feat, 6);
    /* run order a, Month=Feb, b (1st), b (2nd), Month=Mar, n_cart <- data 4, 2, 0, 5, 7, 3 */
    static const float want0[] = {4, 2, 0, 5, 7, 3};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 6; j++)
            assert_true(ds.feat[i * 6 + j] == want0[j] + 10.0f * (float)i);
    for (int j = 0; j < 6; j++)
        assert_string_equal(ds.feat_names[j], run_names[j]);
    assert_true(m.reordered && !m.positional);
    assert_int_equal(m.n_extra, 2);
    assert_string_equal(m.extra, "'x', 'Month=Jan'");
    assert_int_equal(m.n_zero, 0);
    cs_dataset_free(&ds);
    /* Month=Mar never occurs (Month is there), n_cart of events that hold no cart: 0 */
    static const char *const fewer[] = {"n_view", "Month=Feb", "a", "b", "b"};
    feat_ds(&ds, 1, fewer, 5, 1);
    assert_int_equal(cs_run_match_features(&run, &ds, &m, &err), CS_OK);
    static const float want1[] = {2, 1, 3, 4, 0, 0};
    for (int j = 0; j < 6; j++)
        assert_true(ds.feat[j] == want1[j]);
    assert_int_equal(m.n_zero, 2);
    assert_string_equal(m.zero, "'Month=Mar', 'n_cart'");
    assert_string_equal(m.extra, "'n_view'");
    cs_dataset_free(&ds);
    /* the same from a table: n_cart is a column like any other, so it is missing */
    feat_ds(&ds, 1, fewer, 5, 0);
    assert_int_equal(cs_run_match_features(&run, &ds, &m, &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "runs/f1"));
    assert_non_null(strstr(err.msg, "lacks 1 of the run's 6 feature columns (matched by name): 'n_cart'"));
    cs_dataset_free(&ds);
    /* a level of a column the data does not have at all is missing too */
    static const char *const nomonth[] = {"a", "b", "b", "n_cart"};
    feat_ds(&ds, 1, nomonth, 4, 0);
    assert_int_equal(cs_run_match_features(&run, &ds, &m, &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "lacks 2 of the run's 6 feature columns (matched by name): 'Month=Feb', 'Month=Mar'"));
    cs_dataset_free(&ds);
    /* same order: nothing moves */
    feat_ds(&ds, 1, (const char *const *)run_names, 6, 0);
    assert_int_equal(cs_run_match_features(&run, &ds, &m, &err), CS_OK);
    assert_false(m.reordered);
    assert_int_equal(m.n_extra + m.n_zero, 0);
    for (int j = 0; j < 6; j++)
        assert_true(ds.feat[j] == (float)j);
    cs_dataset_free(&ds);
    /* a run saved without names: by position, the counts must agree */
    run.n_feat_names = 0;
    feat_ds(&ds, 1, data, 6, 0);
    assert_int_equal(cs_run_match_features(&run, &ds, &m, &err), CS_OK);
    assert_true(m.positional);
    assert_string_equal(ds.feat_names[0], "b");   /* left as it is */
    cs_dataset_free(&ds);
    feat_ds(&ds, 1, data, 8, 0);
    assert_int_equal(cs_run_match_features(&run, &ds, &m, &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "the data gives 8 features, the run was trained on 6"));
    cs_dataset_free(&ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc),
        cmocka_unit_test(test_stored_hashes_unchanged),
        cmocka_unit_test(test_remap_types_by_name),
        cmocka_unit_test(test_match_features),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_damage),
        cmocka_unit_test(test_list),
        cmocka_unit_test(test_mutations),
        cmocka_unit_test(test_stored_strings_roundtrip),
    };
    return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
