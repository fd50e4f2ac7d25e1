/* cell_rnn.c — simple RNN step: h = tanh(W_ih x + W_hh h_prev + b). */
#include <math.h>
#include <string.h>

#include "clickseq/kernels.h"
#include "engine/nn/cells.h"
#include "engine/nn/cell_simd.h"   /* last: O3 + target clones for what follows */

/* gx, gh, act: [n, H]; h: [n, H] stride ldh */
static void rnn_fwd(int n, int H, const float *gx, const float *gh, const float *hp, const float *cp,
                    float *act, float *h, int ldh, float *c)
{
    (void)hp; (void)cp; (void)c;
    for (long i = 0; i < (long)n * H; i++)
        act[i] = gx[i] + gh[i];
    cs_vtanh(act, n * H);
    for (int i = 0; i < n; i++)
        memcpy(h + (long)i * ldh, act + (long)i * H, sizeof(float) * H);
}

CELL_CLONES static void rnn_bwd(int n, int H, const float *dh, int ldd, const float *dc, const float *act,
                    const float *gh, const float *hp, const float *cp, const float *c,
                    float *dgx, float *dgh, float *dhp, float *dcp)
{
    (void)dc; (void)gh; (void)hp; (void)cp; (void)c; (void)dgh; (void)dcp;
    for (int i = 0; i < n; i++) {
        const float *restrict a = act + (long)i * H, *restrict d = dh + (long)i * ldd;
        float *restrict dx = dgx + (long)i * H;
        for (int k = 0; k < H; k++)
            dx[k] = d[k] * (1.0f - a[k] * a[k]);
    }
    memset(dhp, 0, sizeof(float) * (size_t)n * H);
}

const cs_cell_ops cs_cell_rnn_ops = { "rnn", 1, 0, 0, 0, rnn_fwd, rnn_bwd };
