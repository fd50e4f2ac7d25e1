/* split.c — train / validation / test splits of a dataset (dataset.h).
 *
 * Sizes: n_train = round(train * n), n_valid = round(valid * n) (capped by what is left),
 * test = the rest.  STRATIFIED applies the same fractions to each class separately, so
 * every part keeps the positive rate.  TIME keeps each part in time order (train = the
 * earliest sessions); RANDOM keeps the shuffled order; STRATIFIED parts are sorted by
 * index (the trainer shuffles its batches anyway). */
#include "clickseq/dataset.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clickseq/rng.h"
#include "engine/core/freeall.h"

const char *const cs_split_kind_names[] = {"time", "random", "stratified", NULL};

const char *cs_split_kind_name(cs_split_kind k)
{
    return (unsigned)k < 3 ? cs_split_kind_names[k] : "?";
}

typedef struct keyed {
    int64_t key;
    size_t idx;
} keyed;

/* By start time, ties by index: a total order, so qsort's instability cannot show. */
static int cmp_time(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static cs_status time_order(const cs_dataset *ds, size_t *order)
{
    keyed *k = malloc((ds->n ? ds->n : 1) * sizeof *k);
    if (!k)
        return CS_ENOMEM;
    for (size_t i = 0; i < ds->n; i++)
        k[i] = (keyed){ds->start_ms[i], i};
    qsort(k, ds->n, sizeof *k, cmp_time);
    for (size_t i = 0; i < ds->n; i++)
        order[i] = k[i].idx;
    free(k);
    return CS_OK;
}

static int cmp_idx(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static size_t frac_count(double f, size_t n)
{
    double c = floor(f * (double)n + 0.5);
    return c < 0 ? 0 : (c > (double)n ? n : (size_t)c);
}

static cs_status split_alloc(cs_split *sp, size_t nt, size_t nv, size_t ns)
{
    sp->n_train = nt;
    sp->n_valid = nv;
    sp->n_test = ns;
    sp->train = malloc((nt ? nt : 1) * sizeof *sp->train);
    sp->valid = malloc((nv ? nv : 1) * sizeof *sp->valid);
    sp->test = malloc((ns ? ns : 1) * sizeof *sp->test);
    return sp->train && sp->valid && sp->test ? CS_OK : CS_ENOMEM;
}

/* Cut order[0..n) into the three parts at the given fractions, appending at *pos. */
static void cut(const size_t *order, size_t n, double train, double valid, cs_split *sp,
                size_t pos[3])
{
    size_t nt = frac_count(train, n), nv = frac_count(valid, n);
    if (nv > n - nt)
        nv = n - nt;
    for (size_t i = 0; i < n; i++) {
        if (i < nt)
            sp->train[pos[0]++] = order[i];
        else if (i < nt + nv)
            sp->valid[pos[1]++] = order[i];
        else
            sp->test[pos[2]++] = order[i];
    }
}

static void part_sizes(size_t n, double train, double valid, size_t out[3])
{
    out[0] = frac_count(train, n);
    out[1] = frac_count(valid, n);
    if (out[1] > n - out[0])
        out[1] = n - out[0];
    out[2] = n - out[0] - out[1];
}

cs_status cs_split_make(cs_split *sp, const cs_dataset *ds, cs_split_kind kind, double train,
                        double valid, uint64_t seed, cs_error *err)
{
    memset(sp, 0, sizeof *sp);
    if (!(train > 0 && train <= 1) || !(valid >= 0 && valid < 1) || train + valid > 1 + 1e-9)
        return cs_error_fmt(err, CS_EINPUT,
                            "split fractions train %g and valid %g must satisfy 0 < train, "
                            "0 <= valid, train + valid <= 1", train, valid);
    if (kind != CS_SPLIT_TIME && kind != CS_SPLIT_RANDOM && kind != CS_SPLIT_STRATIFIED)
        return cs_error_fmt(err, CS_EINPUT, "unknown split kind %d", (int)kind);
    size_t n = ds->n;
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory splitting %zu sessions", n);
    cs_rng rng;
    cs_rng_seed(&rng, seed);
    size_t pos[3] = {0, 0, 0}, sz[3];
    cs_status st = CS_OK;
    if (kind == CS_SPLIT_STRATIFIED) {
        /* negatives first, then positives, each shuffled and cut by the fractions */
        size_t k = 0, npos = 0;
        for (size_t i = 0; i < n; i++)
            if (!ds->label[i])
                order[k++] = i;
        npos = n - k;
        for (size_t i = 0; i < n; i++)
            if (ds->label[i])
                order[k++] = i;
        size_t a[3], b[3];
        part_sizes(n - npos, train, valid, a);
        part_sizes(npos, train, valid, b);
        if ((st = split_alloc(sp, a[0] + b[0], a[1] + b[1], a[2] + b[2])) == CS_OK) {
            cs_rng_shuffle_sz(&rng, order, n - npos);
            cs_rng_shuffle_sz(&rng, order + (n - npos), npos);
            cut(order, n - npos, train, valid, sp, pos);
            cut(order + (n - npos), npos, train, valid, sp, pos);
            qsort(sp->train, sp->n_train, sizeof *sp->train, cmp_idx);
            qsort(sp->valid, sp->n_valid, sizeof *sp->valid, cmp_idx);
            qsort(sp->test, sp->n_test, sizeof *sp->test, cmp_idx);
        }
    } else {
        for (size_t i = 0; i < n; i++)
            order[i] = i;
        if (kind == CS_SPLIT_TIME)
            st = time_order(ds, order);
        else
            cs_rng_shuffle_sz(&rng, order, n);
        part_sizes(n, train, valid, sz);
        if (st == CS_OK && (st = split_alloc(sp, sz[0], sz[1], sz[2])) == CS_OK)
            cut(order, n, train, valid, sp, pos);
    }
    free(order);
    if (st != CS_OK) {
        cs_split_free(sp);
        return cs_error_fmt(err, st, "out of memory splitting %zu sessions", n);
    }
    return CS_OK;
}

double cs_split_pos_weight(const cs_dataset *ds, const cs_split *sp, double given)
{
    if (given >= 0)
        return given;
    size_t pos = 0;
    for (size_t i = 0; i < sp->n_train; i++)
        pos += ds->label[sp->train[i]] != 0;
    return pos ? (double)(sp->n_train - pos) / (double)pos : 1.0;
}

void cs_split_free(cs_split *sp)
{
    if (!sp)
        return;
    CS_FREE_ALL(sp->train, sp->valid, sp->test);
    memset(sp, 0, sizeof *sp);
}
