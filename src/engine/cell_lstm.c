/* cell_lstm.c — LSTM step, gate order i, f, g, o (PyTorch and Keras):
 *   i = σ(.)  f = σ(.)  g = tanh(.)  o = σ(.)   c = f * c_prev + i * g   h = o * tanh(c)
 * with one bias per gate (PyTorch's b_ih + b_hh folded into one). */
#include <math.h>

#include "clickseq/kernels.h"
#include "engine/cells.h"

/* gx, gh, act: [n, 4H]; hp, cp, c: [n, H]; h: [n, H] stride ldh */
static void lstm_fwd(int n, int H, const float *gx, const float *gh, const float *hp, const float *cp,
                     float *act, float *h, int ldh, float *c)
{
    (void)hp;
    int G = 4 * H;
    for (int i = 0; i < n; i++) {
        const float *x = gx + (long)i * G, *g = gh + (long)i * G;
        float *a = act + (long)i * G;
        for (int k = 0; k < H; k++) {
            float ig = cs_sigmoidf(x[k] + g[k]);
            float fg = cs_sigmoidf(x[H + k] + g[H + k]);
            float gg = tanhf(x[2 * H + k] + g[2 * H + k]);
            float og = cs_sigmoidf(x[3 * H + k] + g[3 * H + k]);
            float cc = fg * cp[(long)i * H + k] + ig * gg;
            a[k] = ig; a[H + k] = fg; a[2 * H + k] = gg; a[3 * H + k] = og;
            c[(long)i * H + k] = cc;
            h[(long)i * ldh + k] = og * tanhf(cc);
        }
    }
}

static void lstm_bwd(int n, int H, const float *dh, int ldd, const float *dc, const float *act,
                     const float *gh, const float *hp, const float *cp, const float *c,
                     float *dgx, float *dgh, float *dhp, float *dcp)
{
    (void)gh; (void)hp; (void)dgh;
    int G = 4 * H;
    for (int i = 0; i < n; i++) {
        const float *a = act + (long)i * G;
        float *dx = dgx + (long)i * G;
        for (int k = 0; k < H; k++) {
            float ig = a[k], fg = a[H + k], gg = a[2 * H + k], og = a[3 * H + k];
            float tc = tanhf(c[(long)i * H + k]);
            float d = dh[(long)i * ldd + k];
            float dcc = dc[(long)i * H + k] + d * og * (1.0f - tc * tc);
            dx[k] = dcc * gg * ig * (1.0f - ig);
            dx[H + k] = dcc * cp[(long)i * H + k] * fg * (1.0f - fg);
            dx[2 * H + k] = dcc * ig * (1.0f - gg * gg);
            dx[3 * H + k] = d * tc * og * (1.0f - og);
            dcp[(long)i * H + k] = dcc * fg;
            dhp[(long)i * H + k] = 0.0f;
        }
    }
}

const cs_cell_ops cs_cell_lstm_ops = { "lstm", 4, 0, 1, 0, lstm_fwd, lstm_bwd };
