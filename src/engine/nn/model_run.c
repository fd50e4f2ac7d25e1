/* model_run.c — forward and backward passes over a packed batch.
 *
 * Per recurrent layer and direction:
 *   forward:  gx[NP,GH] = X·W_ihᵀ + b_ih for every packed step in ONE product, then per
 *             step t (n = bt[t] rows) gh = h_prev·W_hhᵀ (+ b_hh) and the cell's element-wise
 *             step.  The forward direction's h_prev is the previous step's output; the
 *             reverse direction runs t = T-1 .. 0 and its h_prev is step t+1's output for
 *             the sessions still running there (bt[t+1] rows), zero for the others — so
 *             each session's reverse pass starts at its own last step.
 *   backward: steps in the opposite order; dL/dh_prev (cell part + dgh·W_hh) is added
 *             straight into the output gradient of the previous step, then the weight
 *             gradients are one product each over all packed steps (dW_ih += dgxᵀ·X,
 *             dW_hh += dghᵀ·H_prev) and dX += dgx·W_ih.
 * No row of padding is ever computed.
 */
#include <math.h>
#include <stdatomic.h>
#include <string.h>

#include "clickseq/kernels.h"
#include "clickseq/model.h"
#include "engine/nn/model_impl.h"

static inline uint32_t bucket(uint32_t id, int buckets)
{
    uint32_t x = id * 0x9E3779B1u;
    x ^= x >> 15;
    x *= 0x85EBCA77u;
    x ^= x >> 13;
    return x % (uint32_t)buckets;
}

/* ------------------------------------------------------------------ input layer */

/* Embedding dropout (model.h): the factor of hashed embedding e's row k in this training
 * forward: 0 (dropped for the whole batch) or 1/(1-p).  A pure function of the forward's
 * seed, e and k, so backward finds the same rows without storing a mask, and every
 * occurrence of a row in the batch shares its fate. */
static float edrop_factor(const cs_model *m, int e, uint32_t k)
{
    if (!m->edrop_on)
        return 1.0f;
    uint64_t x = m->edrop_seed ^ ((uint64_t)(e + 1) << 56) ^ ((uint64_t)k * 0x9E3779B97F4A7C15ULL);
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 31;
    double u = (double)(x >> 11) * (1.0 / 9007199254740992.0);
    float p = m->cfg.emb_dropout;
    return u < (double)p ? 0.0f : 1.0f / (1.0f - p);
}

/* The input rows (embeddings gathered, one-hot types, dwell, price) of packed rows
 * [lo, hi); a row with an unknown event type sets bad. */
typedef struct in_job {
    cs_model *m;
    const cs_batch *b;
    _Atomic int bad;
} in_job;

static void input_rows(void *arg, int lo, int hi)
{
    in_job *j = arg;
    cs_model *m = j->m;
    const cs_batch *b = j->b;
    const cs_model_config *c = &m->cfg;
    const float *P = m->params;
    int D0 = m->D0;
    size_t embs[3] = { m->emb_cat, m->emb_brand, m->emb_item };
    int widths[3] = { c->emb_category, c->emb_brand, c->emb_item };
    const uint32_t *ids[3] = { b->category, b->brand, b->item };
    for (size_t r = (size_t)lo; r < (size_t)hi; r++) {
        float *x = m->X0 + r * D0;
        int t = b->type[r];
        if (t < 1 || t > c->n_types) {
            atomic_store(&j->bad, 1);
            return;
        }
        if (c->emb_type)
            memcpy(x, P + m->emb_type + (size_t)(t - 1) * c->emb_type, sizeof(float) * c->emb_type);
        else {
            memset(x, 0, sizeof(float) * c->n_types);
            x[t - 1] = 1.0f;
        }
        int col = m->d_type;
        for (int e = 0; e < 3; e++) {
            if (!widths[e])
                continue;
            uint32_t k = bucket(ids[e][r], c->hash_buckets);
            float f = edrop_factor(m, e, k);
            const float *row = P + embs[e] + (size_t)k * widths[e];
            if (f == 1.0f)
                memcpy(x + col, row, sizeof(float) * widths[e]);
            else
                for (int q = 0; q < widths[e]; q++)
                    x[col + q] = row[q] * f;
            col += widths[e];
        }
        if (c->use_dwell)
            x[col++] = b->log_dwell[r];
        if (c->use_price)
            x[col++] = b->log_price[r];
        if (c->history) {   /* the batch checked n_hist in cs_model_forward */
            memcpy(x + col, b->hist + r * CS_HIST_INPUTS, sizeof(float) * CS_HIST_INPUTS);
            col += CS_HIST_INPUTS;
        }
    }
}

/* (x - mean) / std of every session's features into X[B, F] (the stored normaliser). */
static void standardise(const cs_model *m, const cs_batch *b, int F, float *X)
{
    for (int j = 0; j < b->B; j++)
        for (int f = 0; f < F; f++) {
            float sd = m->norm_std[f] > 0.0f ? m->norm_std[f] : 1.0f;
            X[(size_t)j * F + f] = (b->feat[(size_t)j * F + f] - m->norm_mean[f]) / sd;
        }
}

static cs_status input_forward(cs_model *m, const cs_batch *b)
{
    const cs_model_config *c = &m->cfg;
    if (c->view == CS_VIEW_FEATURES) {
        standardise(m, b, m->D0, m->X0);
        return CS_OK;
    }
    if (c->view == CS_VIEW_HYBRID)
        standardise(m, b, c->n_feat, m->F0);
    in_job j = { m, b, 0 };
    cs_parallel_for((int)b->n_packed, 256, input_rows, &j);
    return atomic_load(&j.bad) ? CS_EINPUT : CS_OK;
}

/* Scatter dX0 into the embedding gradients.  Threads take ranges of dX0's columns (so of
 * embedding columns) and every column adds its rows in row order: the same sums for any
 * split. */
typedef struct emb_job {
    cs_model *m;
    const cs_batch *b;
} emb_job;

static void add_cols(float *g, const float *dx, int start, int w, int lo, int hi)
{
    int a = lo > start ? lo : start, e = hi < start + w ? hi : start + w;
    for (int k = a; k < e; k++)
        g[k - start] += dx[k];
}

static void add_cols_scaled(float *g, const float *dx, int start, int w, int lo, int hi, float f)
{
    int a = lo > start ? lo : start, e = hi < start + w ? hi : start + w;
    for (int k = a; k < e; k++)
        g[k - start] += dx[k] * f;
}

static void emb_cols(void *arg, int lo, int hi)
{
    emb_job *j = arg;
    cs_model *m = j->m;
    const cs_batch *b = j->b;
    const cs_model_config *c = &m->cfg;
    size_t embs[3] = { m->emb_cat, m->emb_brand, m->emb_item };
    int widths[3] = { c->emb_category, c->emb_brand, c->emb_item };
    const uint32_t *ids[3] = { b->category, b->brand, b->item };
    for (size_t r = 0; r < b->n_packed; r++) {
        const float *dx = m->dX0 + r * m->D0;
        if (c->emb_type && lo < c->emb_type)
            add_cols(m->grads + m->emb_type + (size_t)(b->type[r] - 1) * c->emb_type, dx, 0,
                     c->emb_type, lo, hi);
        int col = m->d_type;
        for (int e = 0; e < 3; e++) {
            if (!widths[e])
                continue;
            if (col < hi && col + widths[e] > lo) {
                uint32_t k = bucket(ids[e][r], c->hash_buckets);
                float f = edrop_factor(m, e, k);
                if (f == 1.0f)
                    add_cols(m->grads + embs[e] + (size_t)k * widths[e], dx, col, widths[e], lo, hi);
                else if (f != 0.0f)
                    add_cols_scaled(m->grads + embs[e] + (size_t)k * widths[e], dx, col, widths[e], lo,
                                    hi, f);
            }
            col += widths[e];
        }
    }
}

static void input_backward(cs_model *m, const cs_batch *b)
{
    if (!CS_VIEW_HAS_STEPS(m->cfg.view))
        return;
    emb_job j = { m, b };
    /* at least 8 columns a part, and rows enough to pay for the wake-up */
    cs_parallel_for(m->emb_end, b->n_packed >= 256 ? 8 : m->emb_end, emb_cols, &j);
}

static int has_embeddings(const cs_model *m)
{
    return m->emb_type != CS_NO_TENSOR || m->emb_cat != CS_NO_TENSOR ||
           m->emb_brand != CS_NO_TENSOR || m->emb_item != CS_NO_TENSOR;
}

/* ------------------------------------------------------------------ recurrent layers */

/* The step loops run per range of sessions [lo, hi): a session's recurrence only touches
 * its own rows, so the batch is split among threads ONCE per layer and direction (not per
 * step), balanced by packed steps.  Every row is computed the same way whatever the split,
 * so results are identical for any thread count. */
typedef struct dir_job {
    cs_model *m;
    cs_layer *L;
    int d;
    const cs_batch *b;
    const cs_cell_ops *ops;   /* the rest follows from the above (dir_job_of) */
    cs_dir *r;
    int H, GH, ldy;
} dir_job;

static dir_job dir_job_of(cs_model *m, cs_layer *L, int d, const cs_batch *b)
{
    dir_job j = {m, L, d, b, m->ops, &L->dir[d], L->H, m->ops->G * L->H, L->ndir * L->H};
    return j;
}

/* Cost of a range of sessions [lo, hi) (sorted by length, descending): its packed rows plus
 * STEP_COST row-equivalents per time step it runs (len[lo] steps) for the per-step product
 * call, the partly filled register blocks and the short element-wise loops: the range with
 * the long sessions runs many steps of few rows. */
#define STEP_COST 6

static void split_sessions(const cs_batch *b, int *parts, int *bounds)
{
    int t = cs_parallel_parts();
    if (t > 8)
        t = 8;
    if ((long)b->n_packed < 64L * t || b->B < 8 * t)
        t = 1;
    bounds[0] = 0;
    if (t == 1) {
        *parts = 1;
        bounds[1] = b->B;
        return;
    }
    /* the smallest bottleneck cost C for which t greedy ranges cover the batch (binary
     * search; every range's cost is monotone in its end) */
    long lo = 1, hi = (long)b->n_packed + (long)STEP_COST * b->T, best = hi;
    while (lo <= hi) {
        long C = (lo + hi) / 2, cost = 0;
        int k = 0, start = 0;
        for (int j = 0; j < b->B; j++) {
            long c1 = cost + b->len[j] + (j == start ? (long)STEP_COST * b->len[j] : 0);
            if (c1 > C && j > start) {
                if (++k >= t)
                    break;
                start = j;
                c1 = b->len[j] + (long)STEP_COST * b->len[j];
            }
            cost = c1;
        }
        if (k < t) {
            best = C;
            hi = C - 1;
        } else
            lo = C + 1;
    }
    long cost = 0;
    int k = 1, start = 0;
    for (int j = 0; j < b->B; j++) {
        long c1 = cost + b->len[j] + (j == start ? (long)STEP_COST * b->len[j] : 0);
        if (c1 > best && j > start && k < t) {
            bounds[k++] = j;
            start = j;
            c1 = b->len[j] + (long)STEP_COST * b->len[j];
        }
        cost = c1;
    }
    *parts = k;
    bounds[k] = b->B;
}

static void run_split(const cs_batch *b, void (*fn)(void *, int, int), dir_job *job)
{
    int parts, bounds[9];
    split_sessions(b, &parts, bounds);
    cs_parallel_ranges(parts, bounds, fn, job);
}

/* Rows of the session range [lo, hi) active at step t (none outside the batch's steps). */
static int active_rows(const cs_batch *b, int t, int lo, int hi)
{
    if (t < 0 || t >= b->T)
        return 0;
    int n = (b->bt[t] < hi ? b->bt[t] : hi) - lo;
    return n > 0 ? n : 0;
}

/* One step of a session range: its n rows start at packed row r0; the first npv of them
 * carry a state from step tp, where they are the rows from p0. */
typedef struct step {
    int t, tp, n, npv;
    size_t r0, p0;
} step;

static void fwd_step(const dir_job *j, const step *s)
{
    const cs_cell_ops *ops = j->ops;
    cs_dir *r = j->r;
    int H = j->H, GH = j->GH, npv = s->npv, n = s->n;
    const float *P = j->m->params;
    float *hp = r->hp + s->r0 * H, *gh = r->gh + s->r0 * GH;
    float *cp = ops->has_c ? r->cp + s->r0 * H : NULL;
    for (int i = 0; i < npv; i++) {
        size_t rp = s->p0 + (size_t)i;
        memcpy(hp + (size_t)i * H, j->L->Y + rp * j->ldy + j->d * H, sizeof(float) * H);
        if (cp)
            memcpy(cp + (size_t)i * H, r->c + rp * H, sizeof(float) * H);
    }
    memset(hp + (size_t)npv * H, 0, sizeof(float) * (size_t)(n - npv) * H);
    if (cp)
        memset(cp + (size_t)npv * H, 0, sizeof(float) * (size_t)(n - npv) * H);
    if (ops->sep_bias) {   /* GRU: gh = b_hh + h_prev·W_hhᵀ */
        cs_mm_nn_bias(npv, H, GH, hp, H, r->WhhT, GH, P + r->b_hh, gh, GH);
        for (int i = npv; i < n; i++)
            memcpy(gh + (size_t)i * GH, P + r->b_hh, sizeof(float) * GH);
    } else {               /* gh = h_prev·W_hhᵀ, zero for sessions starting here */
        cs_mm_nn(npv, H, GH, hp, H, r->WhhT, GH, gh, GH, 0);
        memset(gh + (size_t)npv * GH, 0, sizeof(float) * (size_t)(n - npv) * GH);
    }
    ops->fwd(n, H, r->gx + s->r0 * GH, gh, hp, cp, r->act + s->r0 * GH,
             j->L->Y + s->r0 * j->ldy + j->d * H, j->ldy, ops->has_c ? r->c + s->r0 * H : NULL);
}

/* dhp, dcp: this range's scratch */
static void bwd_step(const dir_job *j, const step *s, float *dhp, float *dcp)
{
    const cs_cell_ops *ops = j->ops;
    cs_dir *r = j->r;
    int H = j->H, GH = j->GH, ldy = j->ldy;
    float *dgh = ops->sep_dgh ? r->dgh : r->dgx, *dY = j->L->dY;
    size_t o1 = s->r0 * H, og = s->r0 * GH;
    ops->bwd(s->n, H, dY + s->r0 * ldy + j->d * H, ldy, ops->has_c ? r->dC + o1 : NULL, r->act + og,
             r->gh + og, r->hp + o1, ops->has_c ? r->cp + o1 : NULL, ops->has_c ? r->c + o1 : NULL,
             r->dgx + og, dgh + og, dhp, dcp);
    if (s->npv <= 0)
        return;
    cs_mm_nn(s->npv, GH, H, dgh + og, GH, j->m->params + r->W_hh, H, dhp, H, 1);
    for (int i = 0; i < s->npv; i++) {
        size_t rp = s->p0 + (size_t)i;
        float *dy = dY + rp * ldy + j->d * H;
        const float *src = dhp + (size_t)i * H;
        for (int k = 0; k < H; k++)
            dy[k] += src[k];
        if (ops->has_c) {
            float *dc = r->dC + rp * H;
            const float *cs = dcp + (size_t)i * H;
            for (int k = 0; k < H; k++)
                dc[k] += cs[k];
        }
    }
}

/* The steps of the session range [lo, hi): forward in the direction's time order,
 * backward against it. */
static void dir_rows(const dir_job *j, int lo, int hi, int backward)
{
    const cs_batch *b = j->b;
    for (int k = 0; k < b->T; k++) {
        int t = j->d != backward ? b->T - 1 - k : k;
        step s = {t, j->d ? t + 1 : t - 1, active_rows(b, t, lo, hi), 0, 0, 0};
        if (s.n <= 0)
            continue;
        int carried = active_rows(b, s.tp, lo, hi);
        s.npv = carried < s.n ? carried : s.n;
        s.r0 = (size_t)b->step_off[t] + (size_t)lo;
        if (s.npv > 0)
            s.p0 = (size_t)b->step_off[s.tp] + (size_t)lo;
        if (backward)
            bwd_step(j, &s, j->m->dhp + (size_t)lo * j->H, j->m->dcp + (size_t)lo * j->H);
        else
            fwd_step(j, &s);
    }
}

static void fwd_rows(void *arg, int lo, int hi) { dir_rows(arg, lo, hi, 0); }
static void bwd_rows(void *arg, int lo, int hi) { dir_rows(arg, lo, hi, 1); }

/* X[NP, D] (stride ldx) -> L->Y columns d*H .. d*H+H-1 */
static void dir_forward(cs_model *m, cs_layer *L, int d, const cs_batch *b, const float *X, int ldx)
{
    cs_dir *r = &L->dir[d];
    int H = L->H, GH = m->ops->G * H, D = L->D;
    const float *P = m->params;
    int np = (int)b->n_packed;
    cs_transpose(GH, D, P + r->W_ih, D, r->WihT);
    cs_transpose(GH, H, P + r->W_hh, H, r->WhhT);
    cs_mm_nn_bias(np, D, GH, X, ldx, r->WihT, GH, P + r->b_ih, r->gx, GH);   /* b_ih + X·W_ihᵀ */
    dir_job job = dir_job_of(m, L, d, b);
    run_split(b, fwd_rows, &job);
}

/* L->dY holds every gradient arriving at the outputs; adds into grads and dX (may be NULL). */
static void dir_backward(cs_model *m, cs_layer *L, int d, const cs_batch *b, const float *X, int ldx,
                         float *dX, int lddx, int dcols, int dacc)
{
    const cs_cell_ops *ops = m->ops;
    cs_dir *r = &L->dir[d];
    int H = L->H, GH = ops->G * H, D = L->D;
    int np = (int)b->n_packed;
    float *dgh = ops->sep_dgh ? r->dgh : r->dgx;
    if (ops->has_c)
        memset(r->dC, 0, sizeof(float) * (size_t)np * H);
    dir_job job = dir_job_of(m, L, d, b);
    run_split(b, bwd_rows, &job);
    float *gW = m->grads + r->W_ih;
    if (D % 16) {
        /* dW_ihᵀ[D, GH] = Xᵀ·dgx: rows of GH columns fill the vector registers (D, e.g. 34,
         * would leave most of the last one empty), into WihT (free until the next forward),
         * then added to the gradient */
        memset(r->WihT, 0, sizeof(float) * (size_t)D * GH);
        cs_mm_tn(np, D, GH, X, ldx, r->dgx, GH, r->WihT, GH);
        for (int g = 0; g < GH; g++)
            for (int k = 0; k < D; k++)
                gW[(size_t)g * D + k] += r->WihT[(size_t)k * GH + g];
    } else
        cs_mm_tn(np, GH, D, r->dgx, GH, X, ldx, gW, D);
    cs_mm_tn(np, GH, H, dgh, GH, r->hp, H, m->grads + r->W_hh, H);
    cs_colsum_add(np, GH, r->dgx, GH, m->grads + r->b_ih);
    if (ops->sep_bias)
        cs_colsum_add(np, GH, dgh, GH, m->grads + r->b_hh);
    if (dX)   /* the first dcols columns of dX (=, or += with dacc) dgx·W_ih */
        cs_mm_nn(np, GH, dcols, r->dgx, GH, m->params + r->W_ih, D, dX, lddx, dacc);
}

/* ------------------------------------------------------------------ MLP layers */

/* X[B, D] -> Y[B, H] = relu(X·Wᵀ + b) */
static void mlp_forward(cs_model *m, cs_layer *L, int B, const float *X, int ldx)
{
    cs_dir *r = &L->dir[0];
    int H = L->H, D = L->D;
    cs_transpose(H, D, m->params + r->W_ih, D, r->WihT);
    cs_mm_nn_bias(B, D, H, X, ldx, r->WihT, H, m->params + r->b_ih, L->Y, H);
    for (size_t i = 0; i < (size_t)B * H; i++)
        L->Y[i] = L->Y[i] > 0.0f ? L->Y[i] : 0.0f;
}

static void mlp_backward(cs_model *m, cs_layer *L, int B, const float *X, int ldx, float *dX, int lddx)
{
    cs_dir *r = &L->dir[0];
    int H = L->H, D = L->D;
    for (size_t i = 0; i < (size_t)B * H; i++)
        r->dgx[i] = L->Y[i] > 0.0f ? L->dY[i] : 0.0f;
    cs_mm_tn(B, H, D, r->dgx, H, X, ldx, m->grads + r->W_ih, D);
    cs_colsum_add(B, H, r->dgx, H, m->grads + r->b_ih);
    if (dX)
        cs_mm_nn(B, H, D, r->dgx, H, m->params + r->W_ih, D, dX, lddx, 0);
}

/* ------------------------------------------------------------------ the model */

/* Input of layer l as seen in the last forward: X0, the previous output, or its dropped copy. */
static const float *layer_input(cs_model *m, int l, int drop, int *ldx)
{
    if (l == 0) {
        *ldx = m->D0;
        return m->X0;
    }
    const cs_layer *P = &m->L[l - 1];
    *ldx = P->ndir * P->H;
    return drop ? m->L[l].Xd : P->Y;
}

/* Inverted dropout on the input of layer l >= 1: mask = 1/(1-p) with probability 1-p. */
static void dropout_forward(cs_model *m, int l, size_t rows, cs_rng *rng)
{
    cs_layer *L = &m->L[l];
    const float *Y = m->L[l - 1].Y;
    float p = m->cfg.dropout, keep = 1.0f / (1.0f - p);
    for (size_t i = 0; i < rows * (size_t)L->D; i++) {
        L->mask[i] = cs_rng_uniform(rng) >= p ? keep : 0.0f;
        L->Xd[i] = Y[i] * L->mask[i];
    }
}

/* Last hidden state of every session (both directions when bidirectional) -> Hl[B, Hh]. */
static void head_gather(cs_model *m, const cs_batch *b)
{
    int Hh = m->Hh;
    if (m->nl == 0) {
        memcpy(m->Hl, m->X0, sizeof(float) * (size_t)b->B * Hh);
        return;
    }
    const cs_layer *L = &m->L[m->nl - 1];
    if (!m->ops) {
        memcpy(m->Hl, L->Y, sizeof(float) * (size_t)b->B * Hh);
        return;
    }
    int H = L->H, ldy = L->ndir * H;
    const float *F = m->feat_W != CS_NO_TENSOR ? m->FY : m->F0;
    for (int j = 0; j < b->B; j++) {
        size_t rf = (size_t)b->step_off[b->len[j] - 1] + j;
        memcpy(m->Hl + (size_t)j * Hh, L->Y + rf * ldy, sizeof(float) * H);
        if (L->ndir == 2)   /* reverse direction: its last step is t = 0 */
            memcpy(m->Hl + (size_t)j * Hh + H, L->Y + (size_t)j * ldy + H, sizeof(float) * H);
        if (m->Fh)   /* hybrid: the feature branch after the last hidden state */
            memcpy(m->Hl + (size_t)j * Hh + m->Hseq, F + (size_t)j * m->Fh, sizeof(float) * m->Fh);
    }
}

/* Hybrid with feat.W: FY[B, Fh] = relu(F0·feat.Wᵀ + feat.b). */
static void feat_forward(cs_model *m, int B)
{
    if (m->feat_W == CS_NO_TENSOR)
        return;
    int F = m->cfg.n_feat, Fh = m->Fh;
    cs_transpose(Fh, F, m->params + m->feat_W, F, m->featWT);
    cs_mm_nn_bias(B, F, Fh, m->F0, F, m->featWT, Fh, m->params + m->feat_b, m->FY, Fh);
    for (size_t i = 0; i < (size_t)B * Fh; i++)
        m->FY[i] = m->FY[i] > 0.0f ? m->FY[i] : 0.0f;
}

/* The head's gradient at the feature columns of Hl -> feat.W, feat.b (the standardised
 * features themselves have no parameters behind them). */
static void feat_backward(cs_model *m, int B)
{
    if (m->feat_W == CS_NO_TENSOR)
        return;
    int F = m->cfg.n_feat, Fh = m->Fh, Hh = m->Hh;
    for (int j = 0; j < B; j++)
        for (int k = 0; k < Fh; k++) {
            size_t i = (size_t)j * Fh + k;
            m->dFY[i] = m->FY[i] > 0.0f ? m->dHl[(size_t)j * Hh + m->Hseq + k] : 0.0f;
        }
    cs_mm_tn(B, Fh, F, m->dFY, Fh, m->F0, F, m->grads + m->feat_W, F);
    cs_colsum_add(B, Fh, m->dFY, Fh, m->grads + m->feat_b);
}

static void head_scatter(cs_model *m, const cs_batch *b)
{
    cs_layer *L = &m->L[m->nl - 1];
    int Hh = m->Hh;
    if (!m->ops) {
        for (size_t i = 0; i < (size_t)b->B * Hh; i++)
            L->dY[i] += m->dHl[i];
        return;
    }
    int H = L->H, ldy = L->ndir * H;
    for (int j = 0; j < b->B; j++) {
        float *df = L->dY + ((size_t)b->step_off[b->len[j] - 1] + j) * ldy;
        const float *src = m->dHl + (size_t)j * Hh;
        for (int k = 0; k < H; k++)
            df[k] += src[k];
        if (L->ndir == 2) {
            float *dr = L->dY + (size_t)j * ldy + H;
            for (int k = 0; k < H; k++)
                dr[k] += src[H + k];
        }
    }
}

cs_status cs_model_forward(cs_model *m, const cs_batch *b, float *logits, int train, cs_rng *rng)
{
    if (!m || !b || !logits || b->B < 1 || b->T < 1)
        return CS_EINPUT;
    if (m->cfg.view == CS_VIEW_FEATURES && (b->T != 1 || !b->feat))
        return CS_EINPUT;
    if (m->cfg.view == CS_VIEW_HYBRID && !b->feat)
        return CS_EINPUT;
    if (m->cfg.history && b->n_hist != CS_HIST_INPUTS)
        return CS_EINPUT;   /* a history model needs a dataset built with history inputs */
    int drop = train && m->cfg.dropout > 0.0f && m->nl > 1;
    int edrop = train && m->cfg.emb_dropout > 0.0f && m->touched;
    if ((drop || edrop) && !rng)
        return CS_EINPUT;
    m->fwd_ok = 0;
    m->edrop_on = edrop;
    if (edrop)
        m->edrop_seed = cs_rng_u64(rng);
    if (cs_model_reserve(m, b->n_packed, (size_t)b->B) != 0)
        return CS_ENOMEM;
    cs_status st = input_forward(m, b);
    if (st != CS_OK)
        return st;
    size_t rows = m->ops ? b->n_packed : (size_t)b->B;
    for (int l = 0; l < m->nl; l++) {
        cs_layer *L = &m->L[l];
        if (l > 0 && drop)
            dropout_forward(m, l, rows, rng);
        int ldx;
        const float *X = layer_input(m, l, drop, &ldx);
        if (m->ops)
            for (int d = 0; d < L->ndir; d++)
                dir_forward(m, L, d, b, X, ldx);
        else
            mlp_forward(m, L, b->B, X, ldx);
    }
    feat_forward(m, b->B);
    head_gather(m, b);
    int K = m->K, Hh = m->Hh;
    cs_transpose(K, Hh, m->params + m->head_W, Hh, m->headWT);
    cs_mm_nn(b->B, Hh, K, m->Hl, Hh, m->headWT, K, m->Z, K, 0);
    for (int j = 0; j < b->B; j++) {
        float z0 = m->Z[(size_t)j * K] + m->params[m->head_b];
        logits[j] = K == 1 ? z0 : m->Z[(size_t)j * K + 1] + m->params[m->head_b + 1] - z0;
    }
    if (train) {
        m->fwd_ok = 1;
        m->fwd_batch = b;
        m->fwd_B = b->B;
        m->fwd_np = b->n_packed;
        m->fwd_dropout = drop;
    }
    return CS_OK;
}

cs_status cs_model_backward(cs_model *m, const cs_batch *b, const float *dlogits)
{
    if (!m || !b || !dlogits)
        return CS_EINPUT;
    if (!m->fwd_ok || b != m->fwd_batch || b->B != m->fwd_B || b->n_packed != m->fwd_np)
        return CS_ERUNTIME;
    int K = m->K, Hh = m->Hh, B = b->B, drop = m->fwd_dropout;
    /* head: two logits get +g and -g (their difference is the logit) */
    for (int j = 0; j < B; j++) {
        if (K == 1)
            m->Z[j] = dlogits[j];
        else {
            m->Z[2 * j] = -dlogits[j];
            m->Z[2 * j + 1] = dlogits[j];
        }
    }
    cs_mm_tn(B, K, Hh, m->Z, K, m->Hl, Hh, m->grads + m->head_W, Hh);
    cs_colsum_add(B, K, m->Z, K, m->grads + m->head_b);
    if (m->nl == 0)
        return CS_OK;   /* logistic regression: the inputs have no parameters */
    cs_mm_nn(B, K, Hh, m->Z, K, m->params + m->head_W, Hh, m->dHl, Hh, 0);
    size_t rows = m->ops ? b->n_packed : (size_t)B;
    /* dY of the last layer collects the head's gradient; a lower layer's dY is written
     * whole by the layer above (=, then += for a second direction) unless dropout sits
     * between them (then dY += dXd * mask) */
    for (int l = 0; l < m->nl; l++)
        if (l == m->nl - 1 || drop)
            memset(m->L[l].dY, 0, sizeof(float) * rows * m->L[l].ndir * m->L[l].H);
    head_scatter(m, b);
    feat_backward(m, B);
    int emb = has_embeddings(m);
    for (int l = m->nl - 1; l >= 0; l--) {
        cs_layer *L = &m->L[l];
        int ldx;
        const float *X = layer_input(m, l, drop, &ldx);
        float *dX = l > 0 ? (drop ? L->dXd : m->L[l - 1].dY) : (emb ? m->dX0 : NULL);
        /* dX0: only the embedding columns have parameters behind them */
        int dcols = l > 0 ? ldx : m->emb_end;
        if (m->ops)
            for (int d = 0; d < L->ndir; d++)
                dir_backward(m, L, d, b, X, ldx, dX, ldx, dcols, d > 0);
        else
            mlp_backward(m, L, B, X, ldx, dX, ldx);
        if (l > 0 && drop) {
            float *dY = m->L[l - 1].dY;
            for (size_t i = 0; i < rows * (size_t)ldx; i++)
                dY[i] += L->dXd[i] * L->mask[i];
        }
    }
    if (emb)
        input_backward(m, b);
    return CS_OK;
}

void cs_model_emb_decay(cs_model *m, const cs_batch *b, float lambda)
{
    if (!m || !b || !m->touched || lambda == 0.0f || !CS_VIEW_HAS_STEPS(m->cfg.view))
        return;
    const cs_model_config *c = &m->cfg;
    size_t embs[3] = { m->emb_cat, m->emb_brand, m->emb_item };
    int widths[3] = { c->emb_category, c->emb_brand, c->emb_item };
    const uint32_t *ids[3] = { b->category, b->brand, b->item };
    for (int e = 0; e < 3; e++) {
        if (!widths[e])
            continue;
        for (int pass = 0; pass < 2; pass++)   /* 0: decay each row once, 1: clear the marks */
            for (size_t r = 0; r < b->n_packed; r++) {
                uint32_t k = bucket(ids[e][r], c->hash_buckets);
                unsigned char bit = (unsigned char)(1u << (k & 7));
                if (pass) {
                    m->touched[k >> 3] &= (unsigned char)~bit;
                    continue;
                }
                if (m->touched[k >> 3] & bit)
                    continue;
                m->touched[k >> 3] |= bit;
                float *g = m->grads + embs[e] + (size_t)k * widths[e];
                const float *w = m->params + embs[e] + (size_t)k * widths[e];
                for (int q = 0; q < widths[e]; q++)
                    g[q] += lambda * w[q];
            }
    }
}
