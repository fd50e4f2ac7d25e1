/* test_split.c — time, random and stratified splits: partitions, order, fractions,
 * stratification and determinism. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "clickseq/dataset.h"

/* A features-view dataset of n sessions: start times scrambled (with ties), every
 * k-th session positive. */
static void make_ds(cs_dataset *ds, size_t n, size_t every)
{
    memset(ds, 0, sizeof *ds);
    ds->view = CS_VIEW_FEATURES;
    ds->n = n;
    ds->label = calloc(n, 1);
    ds->start_ms = calloc(n, sizeof *ds->start_ms);
    assert_non_null(ds->label);
    assert_non_null(ds->start_ms);
    for (size_t i = 0; i < n; i++) {
        ds->label[i] = i % every == 0;
        ds->start_ms[i] = (int64_t)((i * 7919) % (n / 2 + 1)); /* ties: about two per time */
    }
}

/* Every index appears exactly once over the three parts. */
static void assert_partition(const cs_split *sp, size_t n)
{
    assert_int_equal(sp->n_train + sp->n_valid + sp->n_test, n);
    char *seen = calloc(n, 1);
    const size_t *parts[3] = {sp->train, sp->valid, sp->test};
    size_t sizes[3] = {sp->n_train, sp->n_valid, sp->n_test};
    for (int p = 0; p < 3; p++)
        for (size_t i = 0; i < sizes[p]; i++) {
            assert_true(parts[p][i] < n);
            assert_int_equal(seen[parts[p][i]], 0);
            seen[parts[p][i]] = 1;
        }
    free(seen);
}

static size_t count_pos(const cs_dataset *ds, const size_t *idx, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ds->label[idx[i]];
    return c;
}

static void test_time_split_orders_by_start(void **state)
{
    (void)state;
    cs_dataset ds;
    make_ds(&ds, 1000, 10);
    cs_split sp;
    assert_int_equal(cs_split_make(&sp, &ds, CS_SPLIT_TIME, 0.7, 0.15, 1, NULL), CS_OK);
    assert_partition(&sp, 1000);
    assert_int_equal(sp.n_train, 700);
    assert_int_equal(sp.n_valid, 150);
    assert_int_equal(sp.n_test, 150);
    int64_t last_train = INT64_MIN, first_valid = INT64_MAX, last_valid = INT64_MIN,
            first_test = INT64_MAX;
    for (size_t i = 0; i < sp.n_train; i++) {
        assert_true(ds.start_ms[sp.train[i]] >= last_train || i == 0);
        /* ties broken by index: in time order and index order within a tie */
        if (i > 0 && ds.start_ms[sp.train[i]] == ds.start_ms[sp.train[i - 1]])
            assert_true(sp.train[i] > sp.train[i - 1]);
        last_train = ds.start_ms[sp.train[i]];
    }
    for (size_t i = 0; i < sp.n_valid; i++) {
        int64_t t = ds.start_ms[sp.valid[i]];
        first_valid = t < first_valid ? t : first_valid;
        last_valid = t > last_valid ? t : last_valid;
    }
    for (size_t i = 0; i < sp.n_test; i++) {
        int64_t t = ds.start_ms[sp.test[i]];
        first_test = t < first_test ? t : first_test;
    }
    assert_true(last_train <= first_valid);
    assert_true(last_valid <= first_test);
    /* the same call again gives the same split (no seed needed) */
    cs_split sp2;
    assert_int_equal(cs_split_make(&sp2, &ds, CS_SPLIT_TIME, 0.7, 0.15, 99, NULL), CS_OK);
    assert_memory_equal(sp.train, sp2.train, sp.n_train * sizeof *sp.train);
    cs_split_free(&sp2);
    cs_split_free(&sp);
    cs_dataset_free(&ds);
}

static void test_stratified_keeps_the_rate(void **state)
{
    (void)state;
    cs_dataset ds;
    make_ds(&ds, 2000, 13); /* 154 positives */
    size_t pos = 0;
    for (size_t i = 0; i < ds.n; i++)
        pos += ds.label[i];
    cs_split sp;
    assert_int_equal(cs_split_make(&sp, &ds, CS_SPLIT_STRATIFIED, 0.7, 0.15, 5, NULL), CS_OK);
    assert_partition(&sp, 2000);
    size_t pt = count_pos(&ds, sp.train, sp.n_train), pv = count_pos(&ds, sp.valid, sp.n_valid),
           ps = count_pos(&ds, sp.test, sp.n_test);
    assert_int_equal(pt + pv + ps, pos);
    /* each part's positives within one session of its exact share */
    assert_true(labs((long)pt - (long)(0.70 * (double)pos + 0.5)) <= 1);
    assert_true(labs((long)pv - (long)(0.15 * (double)pos + 0.5)) <= 1);
    /* different seeds differ, the same seed repeats */
    cs_split a, b;
    assert_int_equal(cs_split_make(&a, &ds, CS_SPLIT_STRATIFIED, 0.7, 0.15, 5, NULL), CS_OK);
    assert_int_equal(cs_split_make(&b, &ds, CS_SPLIT_STRATIFIED, 0.7, 0.15, 6, NULL), CS_OK);
    assert_memory_equal(sp.train, a.train, sp.n_train * sizeof *sp.train);
    assert_true(memcmp(a.train, b.train, a.n_train * sizeof *a.train) != 0);
    cs_split_free(&a);
    cs_split_free(&b);
    cs_split_free(&sp);
    cs_dataset_free(&ds);
}

static void test_random_study_70_30(void **state)
{
    (void)state;
    cs_dataset ds;
    make_ds(&ds, 1001, 4);
    cs_split a, b;
    assert_int_equal(cs_split_make(&a, &ds, CS_SPLIT_RANDOM, 0.7, 0.0, 42, NULL), CS_OK);
    assert_partition(&a, 1001);
    assert_int_equal(a.n_train, 701);
    assert_int_equal(a.n_valid, 0);
    assert_int_equal(a.n_test, 300);
    assert_int_equal(cs_split_make(&b, &ds, CS_SPLIT_RANDOM, 0.7, 0.0, 42, NULL), CS_OK);
    assert_memory_equal(a.train, b.train, a.n_train * sizeof *a.train);
    /* shuffled: not simply the first 701 indices */
    int in_order = 1;
    for (size_t i = 0; i < a.n_train; i++)
        in_order &= a.train[i] == i;
    assert_false(in_order);
    cs_split_free(&a);
    cs_split_free(&b);
    cs_dataset_free(&ds);
}

static void test_bad_fractions(void **state)
{
    (void)state;
    cs_dataset ds;
    make_ds(&ds, 10, 2);
    cs_split sp;
    cs_error err;
    assert_int_equal(cs_split_make(&sp, &ds, CS_SPLIT_RANDOM, 0.8, 0.3, 1, &err), CS_EINPUT);
    assert_non_null(strstr(err.msg, "train"));
    assert_int_equal(cs_split_make(&sp, &ds, CS_SPLIT_RANDOM, 0.0, 0.3, 1, &err), CS_EINPUT);
    assert_int_equal(cs_split_make(&sp, &ds, CS_SPLIT_TIME, 1.0, 0.0, 1, &err), CS_OK);
    assert_int_equal(sp.n_train, 10);
    cs_split_free(&sp);
    assert_string_equal(cs_split_kind_name(CS_SPLIT_STRATIFIED), "stratified");
    cs_dataset_free(&ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_split_orders_by_start),
        cmocka_unit_test(test_stratified_keeps_the_rate),
        cmocka_unit_test(test_random_study_70_30),
        cmocka_unit_test(test_bad_fractions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
