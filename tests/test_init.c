/* test_init.c — fair starts for every cell: the LSTM forget-gate bias at 1 by default,
 * PyTorch's scheme otherwise unchanged (GRU and RNN draw the very same numbers), and the
 * Keras scheme of the study's framework (Glorot input kernels, orthogonal recurrent
 * kernels, zero biases, unit forget bias) used by the study's presets; runs saved before
 * the parameters existed load with what they were trained with. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "clickseq/model.h"
#include "clickseq/runstore.h"
#include "clickseq/train.h"
#include "test_model_util.h"

static cs_model *make(cs_cell_kind cell, cs_init_kind init, float fb, int H, int layers,
                      int bidir)
{
    cs_model_config c;
    tu_model_config(&c, cell, layers, H, H, bidir);   /* layers: 1 or 2 */
    c.init = init;
    c.forget_bias = fb;
    c.emb_category = 4;
    c.hash_buckets = 64;
    cs_error err;
    cs_model *m = cs_model_new(&c, 3, &err);
    assert_non_null(m);
    return m;
}

/* The tensor named nm: its values and count. */
static const float *tensor(cs_model *m, const char *nm, size_t *n)
{
    for (size_t i = 0; i < cs_model_ntensors(m); i++) {
        size_t off;
        const char *t = cs_model_tensor(m, i, &off, n);
        if (!strcmp(t, nm))
            return cs_model_params(m) + off;
    }
    fail_msg("no tensor %s", nm);
    return NULL;
}

static void test_torch_lstm_forget_bias_is_one(void **state)
{
    (void)state;
    const int H = 8;
    cs_model *m = make(CS_CELL_LSTM, CS_INIT_TORCH, 1.0f, H, 2, 1);
    const char *bias[] = {"l0.b", "l0r.b", "l1.b", "l1r.b"};
    for (int k = 0; k < 4; k++) {
        size_t n;
        const float *b = tensor(m, bias[k], &n);
        assert_int_equal(n, 4 * H);
        int other_nonzero = 0;
        for (int i = 0; i < 4 * H; i++) {
            if (i >= H && i < 2 * H)
                assert_true(b[i] == 1.0f);                  /* gate order i, f, g, o */
            else {
                assert_true(fabsf(b[i]) <= 1.0f / sqrtf((float)H) + 1e-6f);
                other_nonzero += b[i] != 0.0f;
            }
        }
        assert_true(other_nonzero > 2 * H);                  /* still PyTorch's uniform */
    }
    /* forget bias 0: the forget rows are PyTorch's uniform too, and everything else is
     * the same draw */
    cs_model *z = make(CS_CELL_LSTM, CS_INIT_TORCH, 0.0f, H, 2, 1);
    size_t n;
    const float *b = tensor(z, "l0.b", &n), *b1 = tensor(m, "l0.b", &n);
    int ones = 0;
    for (int i = H; i < 2 * H; i++)
        ones += b[i] == 1.0f;
    assert_int_equal(ones, 0);
    assert_memory_equal(b, b1, (size_t)H * sizeof *b);             /* the i gate */
    assert_memory_equal(b + 2 * H, b1 + 2 * H, 2 * (size_t)H * sizeof *b);
    cs_model_free(m);
    cs_model_free(z);
}

static void test_torch_gru_rnn_unchanged_by_forget_bias(void **state)
{
    (void)state;
    const cs_cell_kind cells[] = {CS_CELL_GRU, CS_CELL_RNN};
    for (int k = 0; k < 2; k++) {
        cs_model *a = make(cells[k], CS_INIT_TORCH, 1.0f, 6, 1, 0);
        cs_model *b = make(cells[k], CS_INIT_TORCH, 0.0f, 6, 1, 0);
        assert_int_equal(cs_model_nparams(a), cs_model_nparams(b));
        assert_memory_equal(cs_model_params(a), cs_model_params(b),
                            cs_model_nparams(a) * sizeof(float));
        cs_model_free(a);
        cs_model_free(b);
    }
}

/* max |W^T W - I| over the H columns of a (G*H) x H recurrent kernel */
static double ortho_error(const float *W, int rows, int cols)
{
    double worst = 0;
    for (int a = 0; a < cols; a++)
        for (int b = 0; b < cols; b++) {
            double d = 0;
            for (int r = 0; r < rows; r++)
                d += (double)W[r * cols + a] * W[r * cols + b];
            worst = fmax(worst, fabs(d - (a == b)));
        }
    return worst;
}

static void test_keras_scheme(void **state)
{
    (void)state;
    const int H = 8;
    const cs_cell_kind cells[] = {CS_CELL_RNN, CS_CELL_GRU, CS_CELL_LSTM};
    const int G[] = {1, 3, 4};
    for (int k = 0; k < 3; k++) {
        cs_model *m = make(cells[k], CS_INIT_KERAS, 1.0f, H, 2, 0);
        size_t n;
        const float *W = tensor(m, "l1.W_hh", &n);
        assert_int_equal(n, (size_t)G[k] * H * H);
        assert_true(ortho_error(W, G[k] * H, H) < 1e-5);
        W = tensor(m, "l0.W_hh", &n);
        assert_true(ortho_error(W, G[k] * H, H) < 1e-5);
        /* input kernel: Glorot uniform over fan-in D + fan-out G*H */
        const float *Wi = tensor(m, "l1.W_ih", &n);
        double lim = sqrt(6.0 / (G[k] * H + H)), mx = 0;
        for (size_t i = 0; i < n; i++)
            mx = fmax(mx, fabs(Wi[i]));
        assert_true(mx <= lim + 1e-6 && mx > 0.5 * lim);
        /* biases zero, but the LSTM's forget rows */
        const char *bn = cells[k] == CS_CELL_GRU ? "l0.b_ih" : "l0.b";
        const float *b = tensor(m, bn, &n);
        for (size_t i = 0; i < n; i++)
            assert_true(b[i] == (cells[k] == CS_CELL_LSTM && i >= (size_t)H && i < 2u * H
                                     ? 1.0f : 0.0f));
        if (cells[k] == CS_CELL_GRU) {
            b = tensor(m, "l0.b_hh", &n);
            for (size_t i = 0; i < n; i++)
                assert_true(b[i] == 0.0f);
        }
        const float *e = tensor(m, "emb.category", &n);
        for (size_t i = 0; i < n; i++)
            assert_true(fabsf(e[i]) <= 0.05f);
        cs_model_free(m);
    }
}

static void test_presets_and_defaults(void **state)
{
    (void)state;
    cs_run_config c;
    cs_run_config_init(&c);
    assert_int_equal(c.model.init, CS_INIT_TORCH);
    assert_true(c.model.forget_bias == 1.0f);
    cs_error err;
    assert_int_equal(cs_run_config_preset(&c, "study-lstm", &err), CS_OK);
    assert_int_equal(c.model.init, CS_INIT_KERAS);
    assert_true(c.model.forget_bias == 1.0f);
    char v[64];
    assert_int_equal(cs_param_set(&c, "init", "torch", &err), CS_OK);
    cs_param_get(&c, "init", v, sizeof v);
    assert_string_equal(v, "torch");
    assert_int_equal(cs_param_set(&c, "init", "xavier", &err), CS_EINPUT);
    assert_int_equal(cs_param_set(&c, "forget-bias", "2.5", &err), CS_OK);
    assert_true(c.model.forget_bias == 2.5f);
}

/* The fixture runs were saved by 0.1.0, before init and forget-bias existed: they load,
 * and say what they were trained with (PyTorch's init, no forget bias). */
static void test_old_runs_load_with_their_init(void **state)
{
    (void)state;
    cs_run r;
    cs_error err;
    assert_int_equal(cs_run_load(CS_SRCDIR "/tests/fixtures/runs/lstm", 0, &r, &err),
                     CS_OK);
    assert_int_equal(r.cfg.model.init, CS_INIT_TORCH);
    assert_true(r.cfg.model.forget_bias == 0.0f);
    cs_run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_torch_lstm_forget_bias_is_one),
        cmocka_unit_test(test_torch_gru_rnn_unchanged_by_forget_bias),
        cmocka_unit_test(test_keras_scheme),
        cmocka_unit_test(test_presets_and_defaults),
        cmocka_unit_test(test_old_runs_load_with_their_init),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
