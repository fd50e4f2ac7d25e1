/* cell_rnn.c — simple RNN step: h = tanh(W_ih x + W_hh h_prev + b). */
#include <math.h>
#include <string.h>

#include "engine/cells.h"

/* gx, gh, act: [n, H]; h: [n, H] stride ldh */
static void rnn_fwd(int n, int H, const float *gx, const float *gh, const float *hp, const float *cp,
                    float *act, float *h, int ldh, float *c)
{
    (void)hp; (void)cp; (void)c;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < H; k++) {
            float a = tanhf(gx[i * H + k] + gh[i * H + k]);
            act[i * H + k] = a;
            h[(long)i * ldh + k] = a;
        }
}

static void rnn_bwd(int n, int H, const float *dh, int ldd, const float *dc, const float *act,
                    const float *gh, const float *hp, const float *cp, const float *c,
                    float *dgx, float *dgh, float *dhp, float *dcp)
{
    (void)dc; (void)gh; (void)hp; (void)cp; (void)c; (void)dgh; (void)dcp;
    for (int i = 0; i < n; i++)
        for (int k = 0; k < H; k++) {
            float a = act[i * H + k];
            dgx[i * H + k] = dh[(long)i * ldd + k] * (1.0f - a * a);
        }
    memset(dhp, 0, sizeof(float) * (size_t)n * H);
}

const cs_cell_ops cs_cell_rnn_ops = { "rnn", 1, 0, 0, 0, rnn_fwd, rnn_bwd };
