/* cell_gru.c — GRU step in PyTorch's formulation (gate order r, z, n):
 *   r = σ(gx_r + gh_r)   z = σ(gx_z + gh_z)   n = tanh(gx_n + r * gh_n)
 *   h = (1 - z) * n + z * h_prev
 * where gx = W_ih x + b_ih and gh = W_hh h_prev + b_hh (so b_hn sits inside r * (...)),
 * the "reset_after" variant Keras also uses by default. */
#include <math.h>

#include "clickseq/kernels.h"
#include "engine/cells.h"

/* Element-wise loops are compiled for AVX-512, AVX2 and baseline (target_clones, chosen
 * at load time) and vectorised (O3 for this file); exp/tanh use cs_vsigmoid / cs_vtanh. */
#pragma GCC optimize("O3")
#define CELL_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

/* gx, gh, act: [n, 3H] (r | z | n); hp: [n, H]; h: [n, H] stride ldh */
CELL_CLONES static void gru_fwd(int n, int H, const float *gx, const float *gh, const float *hp,
                                const float *cp, float *act, float *h, int ldh, float *c)
{
    (void)cp; (void)c;
    int G = 3 * H;
    for (int i = 0; i < n; i++) {
        const float *x = gx + (long)i * G, *g = gh + (long)i * G, *p = hp + (long)i * H;
        float *a = act + (long)i * G, *hi = h + (long)i * ldh;
        for (int k = 0; k < 2 * H; k++)
            a[k] = x[k] + g[k];
        cs_vsigmoid(a, 2 * H);                                  /* r, z */
        for (int k = 0; k < H; k++)
            a[2 * H + k] = x[2 * H + k] + a[k] * g[2 * H + k];
        cs_vtanh(a + 2 * H, H);                                 /* n */
        for (int k = 0; k < H; k++)
            hi[k] = a[2 * H + k] + a[H + k] * (p[k] - a[2 * H + k]);   /* (1-z)n + z h_prev */
    }
}

CELL_CLONES static void gru_bwd(int n, int H, const float *dh, int ldd, const float *dc, const float *act,
                    const float *gh, const float *hp, const float *cp, const float *c,
                    float *dgx, float *dgh, float *dhp, float *dcp)
{
    (void)dc; (void)cp; (void)c; (void)dcp;
    int G = 3 * H;
    for (int i = 0; i < n; i++) {
        const float *a = act + (long)i * G, *g = gh + (long)i * G;
        float *dx = dgx + (long)i * G, *dg = dgh + (long)i * G;
        for (int k = 0; k < H; k++) {
            float r = a[k], z = a[H + k], nn = a[2 * H + k];
            float d = dh[(long)i * ldd + k], p = hp[(long)i * H + k];
            float dn = d * (1.0f - z) * (1.0f - nn * nn);     /* d pre-activation of n */
            float dz = d * (p - nn) * z * (1.0f - z);
            float dr = dn * g[2 * H + k] * r * (1.0f - r);
            dx[k] = dr; dx[H + k] = dz; dx[2 * H + k] = dn;
            dg[k] = dr; dg[H + k] = dz; dg[2 * H + k] = dn * r;
            dhp[(long)i * H + k] = d * z;
        }
    }
}

const cs_cell_ops cs_cell_gru_ops = { "gru", 3, 1, 0, 1, gru_fwd, gru_bwd };
