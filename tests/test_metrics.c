/* test_metrics.c — metrics against hand-computed values (ties, degenerate cases) and
 * against scikit-learn (tests/fixtures/metrics/sklearn.txt, scripts/gen_metrics_fixture.py). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "clickseq/metrics.h"

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9)

/* Hand-computed: pos scores .9 .8 .4, neg scores .8 .4 .1.
 * Mann–Whitney: .9 beats 3; .8 beats 2 + tie 1/2; .4 beats 1 + tie 1/2 -> 7/9.
 * AP: groups {.9:+} {.8:+-} {.4:+-} {.1:-}: (1*1/1 + 1*2/3 + 1*3/5) / 3. */
static const float P6[] = {0.9f, 0.8f, 0.8f, 0.4f, 0.4f, 0.1f};
static const uint8_t Y6[] = {1, 1, 0, 0, 1, 0};

static void test_ties_by_hand(void **state)
{
    (void)state;
    NEAR(cs_roc_auc(P6, Y6, 6), 7.0 / 9.0);
    NEAR(cs_pr_auc(P6, Y6, 6), (1.0 + 2.0 / 3.0 + 3.0 / 5.0) / 3.0);
    cs_metrics m;
    cs_metrics_compute(P6, Y6, 6, 0.5, &m);
    assert_int_equal(m.cm.tp, 2);
    assert_int_equal(m.cm.fp, 1);
    assert_int_equal(m.cm.tn, 2);
    assert_int_equal(m.cm.fn, 1);
    NEAR(m.accuracy, 4.0 / 6.0);
    NEAR(m.precision, 2.0 / 3.0);
    NEAR(m.recall, 2.0 / 3.0);
    NEAR(m.f1, 2.0 / 3.0);
    NEAR(m.roc_auc, 7.0 / 9.0);
    assert_int_equal(m.n, 6);
    assert_int_equal(m.positives, 3);
    assert_true(isnan(m.loss));
    /* threshold is inclusive: at 0.8 both tied 0.8 scores are positive */
    cs_metrics_compute(P6, Y6, 6, 0.8f, &m);
    assert_int_equal(m.cm.tp + m.cm.fp, 3);
}

static void test_best_threshold(void **state)
{
    (void)state;
    /* F1 at .9: 2/4, at .8: 4/6, at .4: 6/8, at .1: 6/9 -> best .4 with 0.75 */
    double f1;
    double t = cs_metrics_best_threshold(P6, Y6, 6, &f1);
    NEAR(t, 0.4f);
    NEAR(f1, 0.75);
    cs_metrics m;
    cs_metrics_compute(P6, Y6, 6, t, &m);
    NEAR(m.f1, f1);
    /* equal F1 (2/3) at .9 and at .6: the higher threshold wins */
    const float p[] = {0.9f, 0.8f, 0.7f, 0.6f};
    const uint8_t y[] = {1, 0, 0, 1};
    t = cs_metrics_best_threshold(p, y, 4, &f1);
    NEAR(t, 0.9f);
    NEAR(f1, 2.0 / 3.0);
}

static void test_degenerate(void **state)
{
    (void)state;
    const float p[] = {0.2f, 0.7f, 0.7f};
    const uint8_t none[] = {0, 0, 0}, all[] = {1, 1, 1};
    cs_metrics m;
    cs_metrics_compute(p, none, 3, 0.5, &m);
    assert_true(isnan(m.roc_auc));
    assert_true(isnan(m.pr_auc));
    assert_true(m.precision == 0 && m.recall == 0 && m.f1 == 0);
    NEAR(m.accuracy, 1.0 / 3.0);
    cs_metrics_compute(p, all, 3, 0.5, &m);
    assert_true(isnan(m.roc_auc));
    NEAR(m.pr_auc, 1.0);
    NEAR(m.recall, 2.0 / 3.0);
    NEAR(m.precision, 1.0);
    /* no data at all */
    cs_metrics_compute(p, none, 0, 0.5, &m);
    assert_true(isnan(m.accuracy));
    assert_int_equal(m.n, 0);
    /* every score tied: ROC 1/2, AP = positive rate */
    const float q[] = {0.3f, 0.3f, 0.3f, 0.3f};
    const uint8_t yq[] = {1, 0, 0, 0};
    NEAR(cs_roc_auc(q, yq, 4), 0.5);
    NEAR(cs_pr_auc(q, yq, 4), 0.25);
    /* no positive: the best threshold stays at 0.5 with F1 0 */
    double f1 = -1;
    NEAR(cs_metrics_best_threshold(p, none, 3, &f1), 0.5);
    NEAR(f1, 0.0);
    /* perfect and inverted rankings */
    const float r[] = {0.9f, 0.8f, 0.2f, 0.1f};
    const uint8_t yr[] = {1, 1, 0, 0}, yi[] = {0, 0, 1, 1};
    NEAR(cs_roc_auc(r, yr, 4), 1.0);
    NEAR(cs_roc_auc(r, yi, 4), 0.0);
    NEAR(cs_pr_auc(r, yr, 4), 1.0);
    /* inverted: positives at ranks 3,4: (1/3 + 2/4) / 2 */
    NEAR(cs_pr_auc(r, yi, 4), (1.0 / 3.0 + 0.5) / 2.0);
    /* NaN scores never predict positive and rank last */
    const float pn[] = {NAN, 0.9f, 0.1f};
    const uint8_t yn[] = {0, 1, 0};
    NEAR(cs_roc_auc(pn, yn, 3), 1.0);
    cs_metrics_compute(pn, yn, 3, 0.5, &m);
    assert_int_equal(m.cm.fp, 0);
}

static void test_against_sklearn(void **state)
{
    (void)state;
    FILE *f = fopen(CS_SRCDIR "/tests/fixtures/metrics/sklearn.txt", "r");
    assert_non_null(f);
    char name[64];
    size_t n;
    double thr;
    int cases = 0;
    while (fscanf(f, " case %63s %zu %lf", name, &n, &thr) == 3) {
        float *p = malloc(n * sizeof *p);
        uint8_t *y = malloc(n);
        for (size_t i = 0; i < n; i++) {
            int lab;
            assert_int_equal(fscanf(f, "%f %d", &p[i], &lab), 2);
            y[i] = (uint8_t)lab;
        }
        double e[6];
        assert_int_equal(fscanf(f, " expect %lf %lf %lf %lf %lf %lf", &e[0], &e[1], &e[2], &e[3],
                                &e[4], &e[5]), 6);
        cs_metrics m;
        cs_metrics_compute(p, y, n, thr, &m);
        double got[6] = {m.accuracy, m.precision, m.recall, m.f1, m.roc_auc, m.pr_auc};
        for (int k = 0; k < 6; k++) {
            if (fabs(got[k] - e[k]) > 1e-9)
                fail_msg("%s: metric %d: got %.12g, sklearn %.12g", name, k, got[k], e[k]);
        }
        free(p);
        free(y);
        cases++;
    }
    fclose(f);
    assert_int_equal(cases, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ties_by_hand),
        cmocka_unit_test(test_best_threshold),
        cmocka_unit_test(test_degenerate),
        cmocka_unit_test(test_against_sklearn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
