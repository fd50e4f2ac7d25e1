/* test_sim.c — the simulator's promised properties (simulate.h, DESIGN.md §9): positive
 * rate, a long-tailed length distribution, determinism per seed, the order effects
 * (where the last cart and a remove sit, long gaps) with counts that do not tell them, the long-range entry-source signal, users with
 * several sessions, the study's all-purchase sessions, and the atomic CSV writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "clickseq/dataset.h"
#include "clickseq/simulate.h"

#define N_SESS 20000

typedef struct fixture {
    cs_events ev;
    cs_sim_truth *tr;
    cs_sim_summary sum;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    cs_sim_opts o;
    cs_sim_opts_init(&o);
    o.sessions = N_SESS;
    o.seed = 11;
    if (!f || cs_events_init(&f->ev) != CS_OK ||
        cs_simulate_events(&o, &f->ev, &f->tr, &f->sum, NULL) != CS_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    cs_events_free(&f->ev);
    free(f->tr);
    free(f);
    return 0;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static void test_positive_rate_and_counts(void **state)
{
    fixture *f = *state;
    assert_int_equal(f->sum.sessions, N_SESS);
    assert_int_equal((long)f->ev.n, f->sum.events);
    double rate = (double)f->sum.positives / N_SESS;
    print_message("positive rate %.4f, events %ld\n", rate, f->sum.events);
    assert_true(rate >= 0.05 && rate <= 0.10);
    /* the truth agrees with the events: the store's sessions with a purchase */
    cs_dataset ds;
    cs_dataset_opts o;
    cs_dataset_opts_init(&o);
    cs_ledger led;
    memset(&led, 0, sizeof led);
    assert_int_equal(cs_dataset_from_events(&ds, &f->ev, &o, &led, NULL), CS_OK);
    assert_int_equal(led.sessions_seen, N_SESS);
    assert_int_equal(ds.seen_positive, (size_t)f->sum.positives);
    assert_int_equal(led.purchase_events, f->sum.purchase_events);
    cs_dataset_free(&ds);
}

static void test_length_has_a_long_tail(void **state)
{
    fixture *f = *state;
    uint32_t *len = malloc(N_SESS * sizeof *len);
    assert_non_null(len);
    for (int i = 0; i < N_SESS; i++)
        len[i] = f->tr[i].events;
    qsort(len, N_SESS, sizeof *len, cmp_u32);
    uint32_t p50 = len[N_SESS / 2], p90 = len[N_SESS * 9 / 10], p99 = len[N_SESS * 99 / 100],
             max = len[N_SESS - 1];
    print_message("length min %u p50 %u p90 %u p99 %u max %u\n", len[0], p50, p90, p99, max);
    assert_int_equal(len[0], 1);
    assert_true(p50 <= 6);      /* most sessions are short ... */
    assert_true(p99 >= 10 * p50); /* ... with a long tail */
    assert_true(max >= 200 && max <= 520);
    long ones = 0;
    for (int i = 0; i < N_SESS; i++)
        ones += len[i] == 1;
    assert_true(ones > N_SESS / 10); /* bounces */
    free(len);
}

/* The order decides (truth): a remove after the last cart buys far less than one before
 * it (a swap); a cart followed by few views buys far more than one followed by many; a long
 * pause before the last cart lowers the chance. */
static void test_order_decides(void **state)
{
    fixture *f = *state;
    long n_aft = 0, b_aft = 0, n_bef = 0, b_bef = 0, n_gap = 0, b_gap = 0, n_nogap = 0, b_nogap = 0;
    long n_near = 0, b_near = 0, n_far = 0, b_far = 0;
    for (int i = 0; i < N_SESS; i++) {
        const cs_sim_truth *t = &f->tr[i];
        if (!t->carted)
            continue;
        if (t->cart_removed) {
            if (t->removed_after) { n_aft++; b_aft += t->purchased; }
            else { n_bef++; b_bef += t->purchased; }
            continue;
        }
        if (t->long_gap) { n_gap++; b_gap += t->purchased; }
        else { n_nogap++; b_nogap += t->purchased; }
        if (t->tail_views <= 1) { n_near++; b_near += t->purchased; }
        if (t->tail_views >= 5) { n_far++; b_far += t->purchased; }
    }
    double r_aft = (double)b_aft / (double)n_aft, r_bef = (double)b_bef / (double)n_bef;
    double r_gap = (double)b_gap / (double)n_gap, r_nogap = (double)b_nogap / (double)n_nogap;
    double r_near = (double)b_near / (double)n_near, r_far = (double)b_far / (double)n_far;
    print_message("buy rate: remove after the last cart %.3f (%ld) before %.3f (%ld); long gap %.3f "
                  "(%ld) no gap %.3f; <= 1 view after the last cart %.3f (%ld), >= 5 %.3f (%ld)\n",
                  r_aft, n_aft, r_bef, n_bef, r_gap, n_gap, r_nogap, r_near, n_near, r_far, n_far);
    assert_true(n_aft >= 100 && n_bef >= 100 && n_gap >= 30 && n_near >= 100 && n_far >= 100);
    assert_true(r_aft < 0.5 * r_bef);
    assert_true(r_gap < 0.6 * r_nogap);
    assert_true(r_near > 3.0 * r_far);
    /* cart abandonment is common, as in real shops */
    assert_true((double)(b_aft + b_bef + b_gap + b_nogap) / (double)(n_aft + n_bef + n_gap + n_nogap) < 0.5);
}

static uint16_t type_id(const cs_dataset *ds, const char *name)
{
    for (int k = 1; k <= ds->n_types; k++)
        if (strcmp(ds->type_names[k], name) == 0)
            return (uint16_t)k;
    fail_msg("no event type %s", name);
    return 0;
}

/* What a model sees (the honest inputs): among sessions with a cart, buyers and non-buyers
 * have about the same numbers of carts, removes and events -- counts do not give the
 * outcome away -- while the views after the last cart differ by far. */
static void test_counts_balanced_order_not(void **state)
{
    fixture *f = *state;
    cs_dataset ds;
    assert_int_equal(cs_dataset_from_events(&ds, &f->ev, NULL, NULL, NULL), CS_OK);
    uint16_t cart = type_id(&ds, "cart"), rm = type_id(&ds, "remove_from_cart"),
             view = type_id(&ds, "view");
    double n[2] = {0}, carts[2] = {0}, rms[2] = {0}, len[2] = {0}, tail[2] = {0};
    for (size_t i = 0; i < ds.n; i++) {
        long nc = 0, nr = 0, t = 0;
        for (size_t k = ds.off[i]; k < ds.off[i + 1]; k++) {
            nc += ds.type[k] == cart;
            nr += ds.type[k] == rm;
            t = ds.type[k] == cart ? 0 : t + (ds.type[k] == view);
        }
        if (nc == 0 || ds.off[i + 1] - ds.off[i] > 60)
            continue;
        int y = ds.label[i];
        n[y]++;
        carts[y] += (double)nc;
        rms[y] += (double)nr;
        len[y] += (double)(ds.off[i + 1] - ds.off[i]);
        tail[y] += (double)t;
    }
    for (int y = 0; y < 2; y++) {
        carts[y] /= n[y];
        rms[y] /= n[y];
        len[y] /= n[y];
        tail[y] /= n[y];
    }
    print_message("sessions with a cart (<= 60 inputs), non-buyers / buyers: %.0f / %.0f; carts %.2f / "
                  "%.2f, removes %.3f / %.3f, inputs %.1f / %.1f, views after the last cart %.2f / %.2f\n",
                  n[0], n[1], carts[0], carts[1], rms[0], rms[1], len[0], len[1], tail[0], tail[1]);
    assert_true(n[0] > n[1] && n[1] >= 200);
    assert_true(carts[1] < 1.25 * carts[0] && carts[0] < 1.25 * carts[1]);
    assert_true(rms[1] < 1.35 * rms[0] && rms[0] < 1.35 * rms[1]);
    assert_true(len[1] < 1.4 * len[0] && len[0] < 1.4 * len[1]); /* the tail itself is part of the length */
    assert_true(tail[1] < 0.4 * tail[0]);
    cs_dataset_free(&ds);
}

/* Long sessions with a cart: campaign entries buy more than direct ones; the source
 * makes no such difference in short sessions. */
static void test_long_range_source_signal(void **state)
{
    fixture *f = *state;
    long n[2][3] = {{0}}, b[2][3] = {{0}};
    for (int i = 0; i < N_SESS; i++) {
        const cs_sim_truth *t = &f->tr[i];
        if (!t->carted || t->cart_removed)
            continue;
        if (t->events > 8 && t->events < 40)
            continue;
        int lng = t->events >= 40;
        n[lng][t->source]++;
        b[lng][t->source] += t->purchased;
    }
    double lc = (double)b[1][CS_SIM_CAMPAIGN] / (double)n[1][CS_SIM_CAMPAIGN];
    double ld = (double)b[1][CS_SIM_DIRECT] / (double)n[1][CS_SIM_DIRECT];
    double sc = (double)b[0][CS_SIM_CAMPAIGN] / (double)n[0][CS_SIM_CAMPAIGN];
    double sd = (double)b[0][CS_SIM_DIRECT] / (double)n[0][CS_SIM_DIRECT];
    print_message("long: campaign %.3f (%ld) direct %.3f (%ld); short: campaign %.3f direct %.3f\n",
                  lc, n[1][CS_SIM_CAMPAIGN], ld, n[1][CS_SIM_DIRECT], sc, sd);
    assert_true(n[1][CS_SIM_CAMPAIGN] >= 20 && n[1][CS_SIM_DIRECT] >= 20);
    assert_true(lc > 2.0 * ld);
    assert_true(sc < 1.5 * sd && sd < 1.5 * sc);
}

static void test_users_and_buy_only_sessions(void **state)
{
    fixture *f = *state;
    uint32_t nu = cs_intern_count(f->ev.users);
    assert_true(nu < N_SESS / 2);
    /* the most active user has many sessions */
    uint32_t *sessions_of = calloc(nu + 1, sizeof *sessions_of);
    cs_dataset ds;
    assert_int_equal(cs_dataset_from_events(&ds, &f->ev, NULL, NULL, NULL), CS_OK);
    uint32_t max = 0;
    for (size_t i = 0; i < ds.n; i++)
        if (++sessions_of[ds.user_id[i]] > max)
            max = sessions_of[ds.user_id[i]];
    assert_true(max >= 5);
    free(sessions_of);
    cs_dataset_free(&ds);
    long buy_only = 0;
    for (int i = 0; i < N_SESS; i++)
        buy_only += f->tr[i].buy_only;
    assert_true(buy_only > N_SESS / 200 && buy_only < N_SESS / 40);
    /* the study's method turns the buy-only sessions of length >= 2 into all-zero positives */
    cs_dataset_opts o;
    cs_dataset_opts_init(&o);
    o.method = CS_METHOD_COMPAT;
    o.max_len = 10;
    assert_int_equal(cs_dataset_from_events(&ds, &f->ev, &o, NULL, NULL), CS_OK);
    long zero_rows = 0, zero_pos = 0;
    for (size_t i = 0; i < ds.n; i++) {
        int zero = 1;
        for (size_t j = 0; j < ds.n_feat; j++)
            zero &= ds.feat[i * ds.n_feat + j] == 0;
        zero_rows += zero;
        zero_pos += zero && ds.label[i];
    }
    assert_true(zero_rows > 0);
    assert_int_equal(zero_pos, zero_rows);
    cs_dataset_free(&ds);
}

static void test_deterministic_per_seed(void **state)
{
    (void)state;
    cs_sim_opts o;
    cs_sim_opts_init(&o);
    o.sessions = 500;
    o.seed = 3;
    cs_events a, b, c;
    assert_int_equal(cs_events_init(&a), CS_OK);
    assert_int_equal(cs_events_init(&b), CS_OK);
    assert_int_equal(cs_events_init(&c), CS_OK);
    assert_int_equal(cs_simulate_events(&o, &a, NULL, NULL, NULL), CS_OK);
    assert_int_equal(cs_simulate_events(&o, &b, NULL, NULL, NULL), CS_OK);
    o.seed = 4;
    assert_int_equal(cs_simulate_events(&o, &c, NULL, NULL, NULL), CS_OK);
    assert_int_equal(a.n, b.n);
    assert_memory_equal(a.time_ms, b.time_ms, a.n * sizeof *a.time_ms);
    assert_memory_equal(a.type, b.type, a.n * sizeof *a.type);
    assert_memory_equal(a.item, b.item, a.n * sizeof *a.item);
    assert_true(a.n != c.n || memcmp(a.time_ms, c.time_ms, a.n * sizeof *a.time_ms) != 0);
    cs_events_free(&a);
    cs_events_free(&b);
    cs_events_free(&c);
}

static long file_lines(const char *path, char *first, size_t cap)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return -1;
    long n = 0;
    char line[512];
    while (fgets(line, sizeof line, fp)) {
        if (n == 0)
            snprintf(first, cap, "%s", line);
        n++;
    }
    fclose(fp);
    return n;
}

static void test_csv_writer(void **state)
{
    (void)state;
    char dir[] = "/tmp/clickseq-simtest.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p1[256], p2[256], first[512];
    snprintf(p1, sizeof p1, "%s/a.csv", dir);
    snprintf(p2, sizeof p2, "%s/b.csv", dir);
    cs_sim_opts o;
    cs_sim_opts_init(&o);
    o.sessions = 300;
    o.seed = 9;
    cs_sim_summary s1, s2;
    assert_int_equal(cs_simulate_write(&o, p1, &s1, NULL), CS_OK);
    assert_int_equal(cs_simulate_write(&o, p2, &s2, NULL), CS_OK);
    assert_int_equal(file_lines(p1, first, sizeof first), s1.events + 1);
    assert_string_equal(first, "event_time,event_type,product_id,category_id,category_code,brand,"
                               "price,user_id,user_session\n");
    /* same seed, same bytes */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cmp -s %s %s", p1, p2);
    assert_int_equal(system(cmd), 0);
    /* rows are in time order */
    FILE *fp = fopen(p1, "r");
    char line[512], prev[32] = "";
    assert_non_null(fgets(line, sizeof line, fp));
    while (fgets(line, sizeof line, fp)) {
        assert_true(strncmp(prev, line, 19) <= 0);
        memcpy(prev, line, 19);
        prev[19] = '\0';
    }
    fclose(fp);
    /* an unwritable target is an I/O error naming the file, and leaves no temporary */
    char bad[300];
    snprintf(bad, sizeof bad, "%s/missing/x.csv", dir);
    cs_error err;
    assert_int_equal(cs_simulate_write(&o, bad, NULL, &err), CS_EIO);
    assert_non_null(strstr(err.msg, "missing/x.csv"));
    o.sessions = 0;
    assert_int_equal(cs_simulate_write(&o, p1, NULL, &err), CS_EINPUT);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positive_rate_and_counts),
        cmocka_unit_test(test_length_has_a_long_tail),
        cmocka_unit_test(test_order_decides),
        cmocka_unit_test(test_counts_balanced_order_not),
        cmocka_unit_test(test_long_range_source_signal),
        cmocka_unit_test(test_users_and_buy_only_sessions),
    };
    const struct CMUnitTest solo[] = {
        cmocka_unit_test(test_deterministic_per_seed),
        cmocka_unit_test(test_csv_writer),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    return rc | cmocka_run_group_tests(solo, NULL, NULL);
}
