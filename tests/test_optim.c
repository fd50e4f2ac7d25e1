/* test_optim.c — Adam and SGD steps against PyTorch (tests/fixtures/optim/torch_steps.txt,
 * made by scripts/gen_optim_fixture.py), plus hand-checked properties. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "clickseq/model.h"   /* cs_set_threads */
#include "clickseq/optim.h"

static void read_vec(FILE *f, const char *tag, float *x, size_t n)
{
    char word[32];
    assert_int_equal(fscanf(f, " %31s", word), 1);
    assert_string_equal(word, tag);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(fscanf(f, "%f", &x[i]), 1);
}

static void test_against_torch(void **state)
{
    (void)state;
    FILE *f = fopen(CS_SRCDIR "/tests/fixtures/optim/torch_steps.txt", "r");
    assert_non_null(f);
    char name[64];
    size_t n;
    int steps, cases = 0;
    double lr, mom, wd, clip, worst = 0;
    while (fscanf(f, " case %63s %zu %d %lf %lf %lf %lf", name, &n, &steps, &lr, &mom, &wd, &clip) == 7) {
        float *p = malloc(n * sizeof *p), *g = malloc(n * sizeof *g), *want = malloc(n * sizeof *want);
        uint8_t *mask = malloc(n);
        char word[16];
        assert_int_equal(fscanf(f, " %15s", word), 1);
        assert_string_equal(word, "mask");
        for (size_t i = 0; i < n; i++) {
            int m;
            assert_int_equal(fscanf(f, "%d", &m), 1);
            mask[i] = (uint8_t)m;
        }
        read_vec(f, "init", p, n);
        cs_optim_config oc;
        cs_optim_config_init(&oc);
        oc.kind = strncmp(name, "adam", 4) ? CS_OPT_SGD : CS_OPT_ADAM;
        oc.lr = lr;
        oc.momentum = mom;
        oc.weight_decay = wd;
        cs_error e;
        cs_optim *o = cs_optim_new(&oc, n, mask, &e);
        assert_non_null(o);
        for (int s = 0; s < steps; s++) {
            double norm;
            read_vec(f, "grad", g, n);
            assert_int_equal(fscanf(f, " norm %lf", &norm), 1);
            read_vec(f, "after", want, n);
            double got_norm = cs_grad_clip(g, n, clip);
            assert_true(fabs(got_norm - norm) < 1e-6 * norm);
            cs_optim_step(o, p, g);
            for (size_t i = 0; i < n; i++) {
                double d = fabs((double)p[i] - want[i]) / fmax(1.0, fabs(want[i]));
                if (d > worst)
                    worst = d;
                if (d > 1e-5)
                    fail_msg("%s step %d param %zu: got %.9g, torch %.9g", name, s + 1, i, p[i], want[i]);
            }
        }
        assert_int_equal(cs_optim_steps(o), steps);
        cs_optim_free(o);
        free(p);
        free(g);
        free(want);
        free(mask);
        cases++;
    }
    fclose(f);
    assert_int_equal(cases, 4);
    print_message("largest difference to PyTorch: %.3g\n", worst);
}

/* Adam's first step moves every parameter by about lr against the sign of its gradient
 * (bias correction makes m/sqrt(v) = sign(g)); decay is skipped where the mask is 0. */
static void test_adam_first_step_and_mask(void **state)
{
    (void)state;
    cs_optim_config oc;
    cs_optim_config_init(&oc);
    oc.lr = 0.1;
    oc.weight_decay = 0.5;
    float p[3] = {1, 1, 1}, g[3] = {2, -3, 0};
    uint8_t mask[3] = {0, 0, 1};
    cs_optim *o = cs_optim_new(&oc, 3, mask, NULL);
    cs_optim_step(o, p, g);
    assert_true(fabs(p[0] - 0.9) < 1e-6);
    assert_true(fabs(p[1] - 1.1) < 1e-6);
    assert_true(fabs(p[2] - 0.9) < 1e-6);   /* zero gradient, but decay 0.5*1 pushes it */
    cs_optim_free(o);
}

static void test_clip(void **state)
{
    (void)state;
    float g[2] = {3, 4};
    assert_true(fabs(cs_grad_clip(g, 2, 0) - 5) < 1e-12);   /* off: unchanged */
    assert_true(g[0] == 3 && g[1] == 4);
    assert_true(fabs(cs_grad_clip(g, 2, 10) - 5) < 1e-12);  /* below: unchanged */
    assert_true(g[0] == 3);
    cs_grad_clip(g, 2, 1);
    assert_true(fabs(sqrt(g[0] * g[0] + g[1] * g[1]) - 1) < 1e-5);
    assert_true(fabs(g[0] / g[1] - 0.75) < 1e-6);
    float h[2] = {NAN, 1};
    assert_true(isnan(cs_grad_clip(h, 2, 1)));
}

/* Over many chunks of the parallel split: the steps equal a plain loop and do not depend
 * on the thread count; the clip norm neither (its chunked sum is fixed by the data). */
static void test_parallel_steps(void **state)
{
    (void)state;
    size_t n = 100003;
    float *p1 = malloc(n * sizeof *p1), *p2 = malloc(n * sizeof *p2), *g = malloc(n * sizeof *g);
    float *ref = malloc(n * sizeof *ref);
    uint8_t *mask = malloc(n);
    for (size_t i = 0; i < n; i++) {
        p1[i] = p2[i] = ref[i] = (float)sin((double)i);
        g[i] = (float)cos(0.7 * (double)i);
        mask[i] = i % 3 != 0;
    }
    for (int kind = 0; kind < 3; kind++) {   /* plain SGD, SGD with momentum and decay, Adam */
        cs_optim_config c;
        cs_optim_config_init(&c);
        c.kind = kind == 2 ? CS_OPT_ADAM : CS_OPT_SGD;
        c.lr = 0.01;
        c.momentum = kind == 1 ? 0.9 : 0;
        c.weight_decay = kind == 1 ? 0.1 : 0;
        cs_error e;
        cs_optim *a = cs_optim_new(&c, n, mask, &e), *b = cs_optim_new(&c, n, mask, &e);
        assert_non_null(a);
        assert_non_null(b);
        int old = cs_get_threads();
        for (int step = 0; step < 3; step++) {
            cs_set_threads(1);
            cs_optim_step(a, p1, g);
            cs_set_threads(2);
            cs_optim_step(b, p2, g);
        }
        cs_set_threads(old);
        assert_memory_equal(p1, p2, n * sizeof *p1);
        if (kind == 0) {   /* three plain steps by hand */
            for (int step = 0; step < 3; step++)
                for (size_t i = 0; i < n; i++)
                    ref[i] -= 0.01f * g[i];
            assert_memory_equal(p1, ref, n * sizeof *p1);
        }
        cs_optim_free(a);
        cs_optim_free(b);
    }
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (double)g[i] * g[i];
    memcpy(p1, g, n * sizeof *g);
    memcpy(p2, g, n * sizeof *g);
    int old = cs_get_threads();
    cs_set_threads(1);
    double n1 = cs_grad_clip(p1, n, 1.0);
    cs_set_threads(2);
    double n2 = cs_grad_clip(p2, n, 1.0);
    cs_set_threads(old);
    assert_true(n1 == n2);
    assert_true(fabs(n1 - sqrt(ss)) < 1e-9 * sqrt(ss));
    assert_memory_equal(p1, p2, n * sizeof *p1);
    double after = 0;
    for (size_t i = 0; i < n; i++)
        after += (double)p1[i] * p1[i];
    assert_true(fabs(sqrt(after) - 1.0) < 1e-4);
    free(p1); free(p2); free(g); free(ref); free(mask);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_torch),
        cmocka_unit_test(test_adam_first_step_and_mask),
        cmocka_unit_test(test_clip),
        cmocka_unit_test(test_parallel_steps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
