/* bench_infer.c — clickseq's inference (cs_predict: what eval, predict and early run after
 * loading) on real data, on 1 thread and on N: every session of the data through the
 * model in batches of 1024 (eval's), timed wall and process CPU, repeated with the thread
 * counts alternating (the machine is shared: each repetition meets the same load).  The
 * logits of every thread count are compared with those of the first, bit for bit.
 * The model is bench/train's (and torch_bench.py's): event-type embedding 16 + hashed item
 * embedding 16 (4,096 buckets) + log dwell + log price -> one GRU/LSTM layer -> one logit,
 * with PyTorch-style random weights (the speed does not depend on them).
 *
 * usage: bench_infer [--dump DIR] [--reps R] [--threads 1,2] [--cell gru] [--hidden 64]
 *                    [--batch 1024] PARAM=VALUE...
 * PARAM=VALUE are run parameters for the data (data=FILE format=yoochoose outcomes=FILE).
 * Prints
 *   data sessions N events E load_s S
 *   infer threads T rep R wall_s W cpu_s C events/s X sessions/s Y regions K span_s S ...
 * (span: the calling thread's CPU time outside parallel regions + the longest part of each
 * region, cs_parallel_stats: the wall time on otherwise idle cores, what a shared machine
 * cannot show by wall time)
 *   identical yes|no
 * --dump DIR writes what torch_infer.py needs for the same model on the same sessions:
 * meta.txt, lengths.i32, types.i16 (type id - 1), items.i32 (hash bucket), dwell.f32,
 * price.f32 (events in dataset order), weights.txt ("name count v1 v2 ..."), and
 * probs.f32 (clickseq's probabilities, dataset order).  Not part of `make check`. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clickseq/clock.h"
#include "clickseq/kernels.h"
#include "clickseq/model.h"
#include "clickseq/params.h"
#include "clickseq/pipeline.h"
#include "clickseq/trainer.h"
#include "../train/bench_util.h"

#define EMB 16
#define BUCKETS 4096


static void write_raw(const char *dir, const char *name, const void *p, size_t size, size_t n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, size, n, f) != n || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static void dump(const char *dir, const cs_dataset *ds, cs_model *m, const float *prob,
                 const char *cell, int hidden, int batch)
{
    size_t n = ds->n, S = ds->n_steps;
    int32_t *len = malloc(n * sizeof *len), *items = malloc(S * sizeof *items);
    int16_t *types = malloc(S * sizeof *types);
    if (!len || !items || !types) { fprintf(stderr, "out of memory\n"); exit(1); }
    for (size_t i = 0; i < n; i++)
        len[i] = (int32_t)(ds->off[i + 1] - ds->off[i]);
    for (size_t s = 0; s < S; s++) {
        types[s] = (int16_t)(ds->type[s] - 1);
        items[s] = (int32_t)bucket(ds->item[s], BUCKETS);
    }
    write_raw(dir, "lengths.i32", len, sizeof *len, n);
    write_raw(dir, "types.i16", types, sizeof *types, S);
    write_raw(dir, "items.i32", items, sizeof *items, S);
    write_raw(dir, "dwell.f32", ds->log_dwell, sizeof(float), S);
    write_raw(dir, "price.f32", ds->log_price, sizeof(float), S);
    write_raw(dir, "probs.f32", prob, sizeof(float), n);
    free(len);
    free(items);
    free(types);
    char path[4096];
    snprintf(path, sizeof path, "%s/meta.txt", dir);
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(1); }
    fprintf(f, "sessions %zu\nevents %zu\nn_types %d\nbuckets %d\nemb %d\ncell %s\nhidden %d\nbatch %d\n",
            n, S, ds->n_types, BUCKETS, EMB, cell, hidden, batch);
    fclose(f);
    snprintf(path, sizeof path, "%s/weights.txt", dir);
    bench_dump_weights(path, m);
}

int main(int argc, char **argv)
{
    const char *dumpdir = NULL, *threads_s = "1,2", *cell = "gru";
    int reps = 3, hidden = 64, batch = 1024;
    cs_run_config cfg;
    cs_run_config_init(&cfg);
    cs_error err;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--dump") && v) dumpdir = argv[++i];
        else if (!strcmp(a, "--reps") && v) reps = atoi(argv[++i]);
        else if (!strcmp(a, "--threads") && v) threads_s = argv[++i];
        else if (!strcmp(a, "--cell") && v) cell = argv[++i];
        else if (!strcmp(a, "--hidden") && v) hidden = atoi(argv[++i]);
        else if (!strcmp(a, "--batch") && v) batch = atoi(argv[++i]);
        else if (strchr(a, '=')) {
            char name[64];
            size_t k = (size_t)(strchr(a, '=') - a);
            snprintf(name, sizeof name, "%.*s", (int)k, a);
            if (cs_param_set(&cfg, name, a + k + 1, &err) != CS_OK) {
                fprintf(stderr, "bench_infer: %s\n", err.msg);
                return 2;
            }
        } else {
            fprintf(stderr, "usage: %s [--dump DIR] [--reps R] [--threads 1,2] [--cell gru] "
                    "[--hidden 64] [--batch 1024] PARAM=VALUE...\n", argv[0]);
            return 2;
        }
    }
    int threads[16], nt = 0;
    for (const char *p = threads_s; *p && nt < 16; p = strchr(p, ',') ? strchr(p, ',') + 1 : "")
        threads[nt++] = atoi(p);
    cs_set_threads(cs_threads_resolve(threads[nt - 1]));   /* the load on every core */
    cs_dataset ds;
    cs_ledger led;
    double t0 = cs_now_s();
    if (cs_pipeline_load(&cfg, &ds, &led, NULL, &err) != CS_OK) {
        fprintf(stderr, "bench_infer: %s\n", err.msg);
        return 1;
    }
    double load_s = cs_now_s() - t0;
    printf("data sessions %zu events %zu load_s %.3f\n", ds.n, ds.n_steps, load_s);
    cs_model_config mc;
    cs_model_config_init(&mc);
    cs_model_config_from_data(&mc, &ds);
    mc.cell = cs_cell_parse(cell);
    mc.hidden[0] = hidden;
    mc.emb_type = EMB;
    mc.emb_item = EMB;
    mc.hash_buckets = BUCKETS;
    mc.use_dwell = mc.use_price = 1;
    cs_model *m = cs_model_new(&mc, 1, &err);
    if (!m) {
        fprintf(stderr, "bench_infer: %s\n", err.msg);
        return 1;
    }
    size_t n = ds.n, *idx = malloc(n * sizeof *idx);
    float *ref = malloc(n * sizeof *ref), *p = malloc(n * sizeof *p);
    if (!idx || !ref || !p) { fprintf(stderr, "out of memory\n"); return 1; }
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    int identical = 1;
    for (int r = 0; r < reps; r++)
        for (int k = 0; k < nt; k++) {
            cs_set_threads(threads[k]);
            cs_parallel_stats ps;
            double w0 = cs_now_s(), c0 = cpu_now();
            cs_parallel_stats_start();
            if (cs_predict(m, &ds, idx, n, batch, p, &err) != CS_OK) {
                fprintf(stderr, "bench_infer: %s\n", err.msg);
                return 1;
            }
            cs_parallel_stats_stop(&ps);
            double w = cs_now_s() - w0, c = cpu_now() - c0;
            printf("infer threads %d rep %d wall_s %.4f cpu_s %.4f events/s %.0f sessions/s %.0f "
                   "regions %ld span_s %.4f span_events/s %.0f\n", threads[k], r + 1, w, c,
                   ds.n_steps / w, n / w, ps.regions, ps.span_s, ds.n_steps / ps.span_s);
            fflush(stdout);
            if (r == 0 && k == 0)
                memcpy(ref, p, n * sizeof *p);
            else if (memcmp(ref, p, n * sizeof *p) != 0)
                identical = 0;
        }
    printf("identical %s\n", identical ? "yes" : "no");
    if (dumpdir)
        dump(dumpdir, &ds, m, ref, cell, hidden, batch);
    cs_model_free(m);
    free(idx);
    free(ref);
    free(p);
    cs_dataset_free(&ds);
    return identical ? 0 : 1;
}
