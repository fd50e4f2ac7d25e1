/* cell_gru.c — GRU step in PyTorch's formulation (gate order r, z, n):
 *   r = σ(gx_r + gh_r)   z = σ(gx_z + gh_z)   n = tanh(gx_n + r * gh_n)
 *   h = (1 - z) * n + z * h_prev
 * where gx = W_ih x + b_ih and gh = W_hh h_prev + b_hh (so b_hn sits inside r * (...)),
 * the "reset_after" variant Keras also uses by default. */
#include <math.h>

#include "clickseq/kernels.h"
#include "engine/nn/cells.h"
#include "engine/nn/cell_simd.h"   /* last: O3 + target clones for what follows */

/* gx, gh, act: [n, 3H] (r | z | n); hp: [n, H]; h: [n, H] stride ldh */
CELL_CLONES static void gru_fwd(int n, int H, const float *gx, const float *gh, const float *hp,
                                const float *cp, float *act, float *h, int ldh, float *c)
{
    (void)cp; (void)c;
    int G = 3 * H;
    for (int i = 0; i < n; i++) {
        const float *restrict x = gx + (long)i * G, *restrict g = gh + (long)i * G;
        const float *restrict p = hp + (long)i * H;
        float *restrict a = act + (long)i * G, *restrict hi = h + (long)i * ldh;
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
        /* one restrict pointer per gate block: the vectoriser needs plain a[k] accesses */
        const float *restrict ar = act + (long)i * G, *restrict az = ar + H, *restrict an = ar + 2 * H;
        const float *restrict ghn = gh + (long)i * G + 2 * H;
        const float *restrict dd = dh + (long)i * ldd, *restrict pp = hp + (long)i * H;
        float *restrict dxr = dgx + (long)i * G, *restrict dxz = dxr + H, *restrict dxn = dxr + 2 * H;
        float *restrict dgr = dgh + (long)i * G, *restrict dgz = dgr + H, *restrict dgn = dgr + 2 * H;
        float *restrict dp = dhp + (long)i * H;
        CS_IVDEP
        for (int k = 0; k < H; k++) {
            float r = ar[k], z = az[k], nn = an[k], d = dd[k], p = pp[k];
            float dn = d * (1.0f - z) * (1.0f - nn * nn);     /* d pre-activation of n */
            float dz = d * (p - nn) * z * (1.0f - z);
            float dr = dn * ghn[k] * r * (1.0f - r);
            dxr[k] = dr; dxz[k] = dz; dxn[k] = dn;
            dgr[k] = dr; dgz[k] = dz; dgn[k] = dn * r;
            dp[k] = d * z;
        }
    }
}

const cs_cell_ops cs_cell_gru_ops = { "gru", 3, 1, 0, 1, gru_fwd, gru_bwd };
