/* cell_lstm.c — LSTM step, gate order i, f, g, o (PyTorch and Keras):
 *   i = σ(.)  f = σ(.)  g = tanh(.)  o = σ(.)   c = f * c_prev + i * g   h = o * tanh(c)
 * with one bias per gate (PyTorch's b_ih + b_hh folded into one). */
#include <math.h>
#include <string.h>

#include "clickseq/kernels.h"
#include "engine/nn/cells.h"
#include "engine/nn/cell_simd.h"   /* last: O3 + target clones for what follows */

/* gx, gh, act: [n, 4H]; hp, cp, c: [n, H]; h: [n, H] stride ldh */
CELL_CLONES static void lstm_fwd(int n, int H, const float *gx, const float *gh, const float *hp,
                                 const float *cp, float *act, float *h, int ldh, float *c)
{
    (void)hp;
    int G = 4 * H;
    for (int i = 0; i < n; i++) {
        const float *restrict x = gx + (long)i * G, *restrict g = gh + (long)i * G;
        const float *restrict p = cp + (long)i * H;
        float *restrict a = act + (long)i * G, *restrict ci = c + (long)i * H, *restrict hi = h + (long)i * ldh;
        for (int k = 0; k < G; k++)
            a[k] = x[k] + g[k];
        cs_vsigmoid(a, 2 * H);          /* i, f */
        cs_vtanh(a + 2 * H, H);         /* g */
        cs_vsigmoid(a + 3 * H, H);      /* o */
        CS_IVDEP
        for (int k = 0; k < H; k++) {
            ci[k] = a[H + k] * p[k] + a[k] * a[2 * H + k];
            hi[k] = ci[k];
        }
        cs_vtanh(hi, H);
        for (int k = 0; k < H; k++)
            hi[k] *= a[3 * H + k];
    }
}

CELL_CLONES static void lstm_bwd(int n, int H, const float *dh, int ldd, const float *dc,
                                 const float *act, const float *gh, const float *hp, const float *cp,
                                 const float *c, float *dgx, float *dgh, float *dhp, float *dcp)
{
    (void)gh; (void)hp; (void)dgh;
    int G = 4 * H;
    for (int i = 0; i < n; i++) {
        const float *restrict a = act + (long)i * G, *restrict d = dh + (long)i * ldd;
        const float *restrict dci = dc + (long)i * H, *restrict p = cp + (long)i * H;
        float *restrict dx = dgx + (long)i * G, *restrict tc = dcp + (long)i * H;   /* tanh(c), then dL/dc_prev */
        memcpy(tc, c + (long)i * H, sizeof(float) * H);
        cs_vtanh(tc, H);
        CS_IVDEP
        for (int k = 0; k < H; k++) {
            float ig = a[k], fg = a[H + k], gg = a[2 * H + k], og = a[3 * H + k], t = tc[k];
            float dcc = dci[k] + d[k] * og * (1.0f - t * t);
            dx[k] = dcc * gg * ig * (1.0f - ig);
            dx[H + k] = dcc * p[k] * fg * (1.0f - fg);
            dx[2 * H + k] = dcc * ig * (1.0f - gg * gg);
            dx[3 * H + k] = d[k] * t * og * (1.0f - og);
            tc[k] = dcc * fg;
        }
    }
    memset(dhp, 0, sizeof(float) * (size_t)n * H);
}

const cs_cell_ops cs_cell_lstm_ops = { "lstm", 4, 0, 1, 0, lstm_fwd, lstm_bwd };
