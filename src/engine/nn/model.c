/* model.c — model configuration, the parameter layout (one flat arena for parameters and
 * one for gradients, described by a table of named tensors), initialisation and the
 * activation buffers.  Forward and backward are in model_run.c. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clickseq/kernels.h"
#include "clickseq/model.h"
#include "engine/core/freeall.h"
#include "engine/nn/model_impl.h"

/* ------------------------------------------------------------------ configuration */

const char *const cs_cell_names[] = {"rnn", "gru", "lstm", "mlp", "logreg", "xgboost", NULL};

const char *cs_cell_name(cs_cell_kind c)
{
    return (unsigned)c < CS_N_CELLS ? cs_cell_names[c] : "?";
}

int cs_cell_parse(const char *s)
{
    for (int i = 0; s && i < CS_N_CELLS; i++)
        if (strcasecmp(s, cs_cell_names[i]) == 0)
            return i;
    return -1;
}

void cs_model_config_init(cs_model_config *c)
{
    memset(c, 0, sizeof *c);
    c->cell = CS_CELL_GRU;
    c->layers = 1;
    c->hidden[0] = 64;
    c->emb_type = 16;
    c->hash_buckets = 4096;
    c->use_dwell = 1;
    c->use_price = 1;
    c->head = CS_HEAD_SIGMOID;
    c->init = CS_INIT_TORCH;
    c->forget_bias = 1.0f;   /* Jozefowicz et al. 2015 */
    c->view = CS_VIEW_SEQUENCE;
    c->n_types = 4;
}

void cs_model_config_from_data(cs_model_config *c, const cs_dataset *ds)
{
    c->view = ds->view;
    c->n_types = CS_VIEW_HAS_STEPS(ds->view) ? ds->n_types : 0;
    c->n_feat = CS_VIEW_HAS_FEAT(ds->view) ? (int)ds->n_feat : 0;
    c->history = CS_VIEW_HAS_STEPS(ds->view) && ds->hist != NULL;
}

static int is_recurrent(cs_cell_kind c) { return c == CS_CELL_RNN || c == CS_CELL_GRU || c == CS_CELL_LSTM; }

cs_status cs_model_config_check(const cs_model_config *c, cs_error *err)
{
    if (c->cell == CS_CELL_XGBOOST)
        return cs_error_fmt(err, CS_EINPUT, "model: xgboost is gradient boosting, not a network");
    if ((unsigned)c->cell > CS_CELL_LOGREG)
        return cs_error_fmt(err, CS_EINPUT, "model: unknown cell %d", (int)c->cell);
    if (c->cell != CS_CELL_LOGREG && (c->layers < 1 || c->layers > CS_MAX_LAYERS))
        return cs_error_fmt(err, CS_EINPUT, "model: layers %d out of range 1..%d", c->layers, CS_MAX_LAYERS);
    for (int l = 0; c->cell != CS_CELL_LOGREG && l < c->layers; l++)
        if (c->hidden[l] < 1 || c->hidden[l] > 4096)
            return cs_error_fmt(err, CS_EINPUT, "model: hidden size %d of layer %d out of range 1..4096",
                                c->hidden[l], l + 1);
    if (c->bidir != 0 && c->bidir != 1)
        return cs_error_fmt(err, CS_EINPUT, "model: bidir must be 0 or 1");
    if (c->bidir && !is_recurrent(c->cell))
        return cs_error_fmt(err, CS_EINPUT, "model: bidir needs a recurrent cell (rnn, gru, lstm)");
    if (!(c->dropout >= 0.0f && c->dropout < 1.0f))
        return cs_error_fmt(err, CS_EINPUT, "model: dropout %g out of range [0, 1)", (double)c->dropout);
    if (c->emb_type < 0 || c->emb_type > 1024 || c->emb_category < 0 || c->emb_category > 1024 ||
        c->emb_brand < 0 || c->emb_brand > 1024 || c->emb_item < 0 || c->emb_item > 1024)
        return cs_error_fmt(err, CS_EINPUT, "model: embedding sizes must be in 0..1024");
    if ((c->emb_category || c->emb_brand || c->emb_item) && (c->hash_buckets < 1 || c->hash_buckets > (1 << 24)))
        return cs_error_fmt(err, CS_EINPUT, "model: hash_buckets %d out of range 1..16777216", c->hash_buckets);
    if (c->head != CS_HEAD_SIGMOID && c->head != CS_HEAD_SOFTMAX2)
        return cs_error_fmt(err, CS_EINPUT, "model: unknown head %d", (int)c->head);
    if (!(c->emb_dropout >= 0.0f && c->emb_dropout < 1.0f))
        return cs_error_fmt(err, CS_EINPUT, "model: emb-dropout %g out of range [0, 1)", (double)c->emb_dropout);
    if (c->feat_hidden < 0 || c->feat_hidden > 4096)
        return cs_error_fmt(err, CS_EINPUT, "model: feat-hidden %d out of range 0..4096", c->feat_hidden);
    if (c->history != 0 && c->history != 1)
        return cs_error_fmt(err, CS_EINPUT, "model: history must be 0 or 1");
    if (c->history && !CS_VIEW_HAS_STEPS(c->view))
        return cs_error_fmt(err, CS_EINPUT, "model: history inputs need the sequence or hybrid view");
    if (CS_VIEW_HAS_STEPS(c->view)) {
        if (!is_recurrent(c->cell))
            return cs_error_fmt(err, CS_EINPUT, "model: %s needs the features view", cs_cell_name(c->cell));
        if (c->n_types < 1 || c->n_types > 65535)
            return cs_error_fmt(err, CS_EINPUT, "model: %d event types (need 1..65535)", c->n_types);
        if (c->view == CS_VIEW_HYBRID && (c->n_feat < 1 || c->n_feat > 1 << 20))
            return cs_error_fmt(err, CS_EINPUT, "model: %d features (the hybrid view needs at least 1)", c->n_feat);
    } else if (c->view == CS_VIEW_FEATURES) {
        if (c->n_feat < 1 || c->n_feat > 1 << 20)
            return cs_error_fmt(err, CS_EINPUT, "model: %d features (need at least 1)", c->n_feat);
    } else {
        return cs_error_fmt(err, CS_EINPUT, "model: unknown view %d", (int)c->view);
    }
    return CS_OK;
}

/* ------------------------------------------------------------------ layout */

static size_t add_tensor(cs_model *m, const char *name, size_t count, int weight)
{
    cs_tensor *t = &m->tens[m->ntens++];
    snprintf(t->name, sizeof t->name, "%s", name);
    t->off = m->nparams;
    t->count = count;
    t->weight = weight;
    m->nparams += count;
    return t->off;
}

static void add_buf(cs_model *m, float **p, size_t per_row, int by_b)
{
    m->bufs[m->nbufs++] = (cs_buf){ p, per_row, by_b };
}

static void layout_input(cs_model *m)
{
    const cs_model_config *c = &m->cfg;
    m->emb_type = m->emb_cat = m->emb_brand = m->emb_item = CS_NO_TENSOR;
    if (c->view == CS_VIEW_FEATURES) {
        m->D0 = c->n_feat;
        return;
    }
    m->d_type = c->emb_type ? c->emb_type : c->n_types;
    m->emb_end = m->d_type + c->emb_category + c->emb_brand + c->emb_item;
    m->D0 = m->emb_end + (c->use_dwell != 0) + (c->use_price != 0) + (c->history ? CS_HIST_INPUTS : 0);
    if (c->emb_type)
        m->emb_type = add_tensor(m, "emb.type", (size_t)c->n_types * c->emb_type, 2);
    if (c->emb_category)
        m->emb_cat = add_tensor(m, "emb.category", (size_t)c->hash_buckets * c->emb_category, 2);
    if (c->emb_brand)
        m->emb_brand = add_tensor(m, "emb.brand", (size_t)c->hash_buckets * c->emb_brand, 2);
    if (c->emb_item)
        m->emb_item = add_tensor(m, "emb.item", (size_t)c->hash_buckets * c->emb_item, 2);
}

static void layout_layers(cs_model *m)
{
    const cs_model_config *c = &m->cfg;
    static const char *dn[2] = { "", "r" };
    char nm[40];
    int D = m->D0;
    m->nl = c->cell == CS_CELL_LOGREG ? 0 : c->layers;
    for (int l = 0; l < m->nl; l++) {
        cs_layer *L = &m->L[l];
        L->D = D;
        L->H = c->hidden[l];
        L->ndir = c->bidir ? 2 : 1;
        int GH = m->ops ? m->ops->G * L->H : L->H;
        for (int d = 0; d < L->ndir; d++) {
            cs_dir *r = &L->dir[d];
            if (m->ops) {
                snprintf(nm, sizeof nm, "l%d%s.W_ih", l, dn[d]);
                r->W_ih = add_tensor(m, nm, (size_t)GH * D, 1);
                snprintf(nm, sizeof nm, "l%d%s.W_hh", l, dn[d]);
                r->W_hh = add_tensor(m, nm, (size_t)GH * L->H, 1);
                snprintf(nm, sizeof nm, m->ops->sep_bias ? "l%d%s.b_ih" : "l%d%s.b", l, dn[d]);
                r->b_ih = add_tensor(m, nm, (size_t)GH, 0);
                r->b_hh = CS_NO_TENSOR;
                if (m->ops->sep_bias) {
                    snprintf(nm, sizeof nm, "l%d%s.b_hh", l, dn[d]);
                    r->b_hh = add_tensor(m, nm, (size_t)GH, 0);
                }
            } else {   /* MLP dense layer */
                snprintf(nm, sizeof nm, "mlp%d.W", l);
                r->W_ih = add_tensor(m, nm, (size_t)GH * D, 1);
                snprintf(nm, sizeof nm, "mlp%d.b", l);
                r->b_ih = add_tensor(m, nm, (size_t)GH, 0);
                r->W_hh = r->b_hh = CS_NO_TENSOR;
            }
        }
        D = L->ndir * L->H;
    }
    m->Hseq = D;
    m->feat_W = m->feat_b = CS_NO_TENSOR;
    m->Fh = 0;
    if (c->view == CS_VIEW_HYBRID) {   /* the feature branch joins before the head */
        m->Fh = c->feat_hidden ? c->feat_hidden : c->n_feat;
        if (c->feat_hidden) {
            m->feat_W = add_tensor(m, "feat.W", (size_t)c->feat_hidden * c->n_feat, 1);
            m->feat_b = add_tensor(m, "feat.b", (size_t)c->feat_hidden, 0);
        }
        D += m->Fh;
    }
    m->Hh = D;
    m->K = c->head == CS_HEAD_SOFTMAX2 ? 2 : 1;
    m->head_W = add_tensor(m, "head.W", (size_t)m->K * m->Hh, 1);
    m->head_b = add_tensor(m, "head.b", (size_t)m->K, 0);
}

/* Register every activation buffer with its row width; cs_model_reserve sizes them. */
static int setup_buffers(cs_model *m)
{
    int B_rows = m->cfg.view == CS_VIEW_FEATURES || !m->ops;   /* MLP/LOGREG: rows = sessions */
    int Hmax = 1;
    add_buf(m, &m->X0, (size_t)m->D0, 0);
    add_buf(m, &m->dX0, (size_t)m->D0, 0);
    for (int l = 0; l < m->nl; l++) {
        cs_layer *L = &m->L[l];
        int G = m->ops ? m->ops->G : 1, GH = G * L->H;
        if (L->H > Hmax)
            Hmax = L->H;
        add_buf(m, &L->Y, (size_t)L->ndir * L->H, B_rows);
        add_buf(m, &L->dY, (size_t)L->ndir * L->H, B_rows);
        if (l > 0 && m->cfg.dropout > 0.0f) {
            add_buf(m, &L->mask, (size_t)L->D, B_rows);
            add_buf(m, &L->Xd, (size_t)L->D, B_rows);
            add_buf(m, &L->dXd, (size_t)L->D, B_rows);
        }
        for (int d = 0; d < L->ndir; d++) {
            cs_dir *r = &L->dir[d];
            r->WihT = malloc(sizeof(float) * (size_t)L->D * GH);
            r->WhhT = m->ops ? malloc(sizeof(float) * (size_t)L->H * GH) : NULL;
            if (!r->WihT || (m->ops && !r->WhhT))
                return -1;
            add_buf(m, &r->dgx, (size_t)GH, B_rows);
            if (!m->ops)
                continue;
            add_buf(m, &r->gx, (size_t)GH, 0);
            add_buf(m, &r->gh, (size_t)GH, 0);
            add_buf(m, &r->act, (size_t)GH, 0);
            add_buf(m, &r->hp, (size_t)L->H, 0);
            if (m->ops->sep_dgh)
                add_buf(m, &r->dgh, (size_t)GH, 0);
            if (m->ops->has_c) {
                add_buf(m, &r->cp, (size_t)L->H, 0);
                add_buf(m, &r->c, (size_t)L->H, 0);
                add_buf(m, &r->dC, (size_t)L->H, 0);
            }
        }
    }
    if (m->cfg.view == CS_VIEW_HYBRID) {
        add_buf(m, &m->F0, (size_t)m->cfg.n_feat, 1);
        if (m->feat_W != CS_NO_TENSOR) {
            add_buf(m, &m->FY, (size_t)m->Fh, 1);
            add_buf(m, &m->dFY, (size_t)m->Fh, 1);
            m->featWT = malloc(sizeof(float) * (size_t)m->Fh * m->cfg.n_feat);
            if (!m->featWT)
                return -1;
        }
    }
    if (m->emb_cat != CS_NO_TENSOR || m->emb_brand != CS_NO_TENSOR || m->emb_item != CS_NO_TENSOR) {
        m->touched = calloc(((size_t)m->cfg.hash_buckets + 7) / 8, 1);
        if (!m->touched)
            return -1;
    }
    add_buf(m, &m->Hl, (size_t)m->Hh, 1);
    add_buf(m, &m->dHl, (size_t)m->Hh, 1);
    add_buf(m, &m->Z, (size_t)m->K, 1);
    add_buf(m, &m->dhp, (size_t)Hmax, 1);
    add_buf(m, &m->dcp, (size_t)Hmax, 1);
    m->headWT = malloc(sizeof(float) * (size_t)m->Hh * m->K);
    return m->headWT ? 0 : -1;
}

int cs_model_reserve(cs_model *m, size_t np, size_t B)
{
    if (np <= m->cap_np && B <= m->cap_b)
        return 0;
    size_t cnp = np > m->cap_np ? np + np / 4 : m->cap_np;
    size_t cb = B > m->cap_b ? B : m->cap_b;
    for (int i = 0; i < m->nbufs; i++) {
        size_t rows = m->bufs[i].by_b ? cb : cnp;
        float *q = realloc(*m->bufs[i].p, sizeof(float) * (rows * m->bufs[i].per_row + 1));
        if (!q)
            return -1;
        *m->bufs[i].p = q;
    }
    m->cap_np = cnp;
    m->cap_b = cb;
    return 0;
}

static void uniform(cs_rng *r, float *p, size_t n, double a)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (float)((2.0 * cs_rng_uniform(r) - 1.0) * a);
}

/* An n x k matrix (row-major, n >= k) with orthonormal columns: Gram-Schmidt (twice, for
 * stability) on standard normal columns, each column's sign fixed like a QR's positive
 * diagonal.  Keras' Orthogonal initialiser on the (k, n) kernel gives orthonormal rows,
 * i.e. our transposed layout's orthonormal columns.  When n < k the rows are made
 * orthonormal instead (the transpose of the same construction). */
static void orthogonal(cs_rng *r, float *p, size_t n, size_t k)
{
    int tr = n < k;
    size_t rows = tr ? k : n, cols = tr ? n : k;
    double *q = malloc(rows * cols * sizeof *q);
    if (!q) {   /* no memory for the scratch: fall back to a scaled uniform */
        for (size_t i = 0; i < n * k; i++)
            p[i] = (float)((2.0 * cs_rng_uniform(r) - 1.0) / sqrt((double)(n > k ? n : k)));
        return;
    }
    for (size_t i = 0; i < rows * cols; i++)
        q[i] = cs_rng_normal(r);
    for (size_t j = 0; j < cols; j++) {
        for (int pass = 0; pass < 2; pass++)
            for (size_t c = 0; c < j; c++) {
                double d = 0;
                for (size_t i = 0; i < rows; i++)
                    d += q[i * cols + j] * q[i * cols + c];
                for (size_t i = 0; i < rows; i++)
                    q[i * cols + j] -= d * q[i * cols + c];
            }
        double nn = 0;
        for (size_t i = 0; i < rows; i++)
            nn += q[i * cols + j] * q[i * cols + j];
        nn = sqrt(nn);
        for (size_t i = 0; i < rows; i++)
            q[i * cols + j] = nn > 0 ? q[i * cols + j] / nn : 0.0;
    }
    for (size_t i = 0; i < rows; i++)
        for (size_t j = 0; j < cols; j++)
            p[tr ? j * k + i : i * k + j] = (float)q[i * cols + j];
    free(q);
}

/* The LSTM's forget-gate rows (gate order i, f, g, o) of a bias vector of 4H. */
static void forget_bias(const cs_model *m, float *b, int H)
{
    if (m->cfg.cell != CS_CELL_LSTM || m->cfg.forget_bias == 0.0f)
        return;
    for (int i = 0; i < H; i++)
        b[H + i] = m->cfg.forget_bias;
}

/* TORCH: recurrent tensors U(+-1/sqrt(H)); embeddings and dense weights Glorot uniform;
 * dense biases zero.  KERAS: input kernels Glorot uniform over (D, G*H), recurrent
 * kernels orthogonal, recurrent biases zero, embeddings U(+-0.05).  Then the LSTM forget
 * bias (model.h).  With two biases (GRU) the forget rule does not apply. */
static void init_params(cs_model *m, uint64_t seed)
{
    cs_rng r;
    cs_rng_seed(&r, seed);
    memset(m->params, 0, sizeof(float) * m->nparams);
    const cs_model_config *c = &m->cfg;
    int keras = c->init == CS_INIT_KERAS;
    size_t embs[4] = { m->emb_type, m->emb_cat, m->emb_brand, m->emb_item };
    int ecols[4] = { c->emb_type, c->emb_category, c->emb_brand, c->emb_item };
    int erows[4] = { c->n_types, c->hash_buckets, c->hash_buckets, c->hash_buckets };
    for (int e = 0; e < 4; e++)
        if (embs[e] != CS_NO_TENSOR)
            uniform(&r, m->params + embs[e], (size_t)erows[e] * ecols[e],
                    keras ? 0.05 : sqrt(6.0 / (erows[e] + ecols[e])));
    for (int l = 0; l < m->nl; l++) {
        cs_layer *L = &m->L[l];
        int GH = (m->ops ? m->ops->G : 1) * L->H;
        for (int d = 0; d < L->ndir; d++) {
            cs_dir *dr = &L->dir[d];
            if (m->ops && keras) {
                uniform(&r, m->params + dr->W_ih, (size_t)GH * L->D, sqrt(6.0 / (GH + L->D)));
                orthogonal(&r, m->params + dr->W_hh, (size_t)GH, (size_t)L->H);
            } else if (m->ops) {
                double a = 1.0 / sqrt((double)L->H);
                uniform(&r, m->params + dr->W_ih, (size_t)GH * L->D, a);
                uniform(&r, m->params + dr->W_hh, (size_t)GH * L->H, a);
                uniform(&r, m->params + dr->b_ih, (size_t)GH, a);
                if (dr->b_hh != CS_NO_TENSOR)
                    uniform(&r, m->params + dr->b_hh, (size_t)GH, a);
            } else {
                uniform(&r, m->params + dr->W_ih, (size_t)GH * L->D, sqrt(6.0 / (GH + L->D)));
            }
            if (m->ops && dr->b_hh == CS_NO_TENSOR)
                forget_bias(m, m->params + dr->b_ih, L->H);
        }
    }
    if (m->feat_W != CS_NO_TENSOR)   /* drawn after the layers: the other tensors' draws stay */
        uniform(&r, m->params + m->feat_W, (size_t)m->Fh * c->n_feat, sqrt(6.0 / (m->Fh + c->n_feat)));
    uniform(&r, m->params + m->head_W, (size_t)m->K * m->Hh, sqrt(6.0 / (m->K + m->Hh)));
}

/* The parameter layout of cfg (checked) into m's tensor table: no allocation. */
static void layout(cs_model *m, const cs_model_config *cfg)
{
    m->cfg = *cfg;
    for (int l = cfg->cell == CS_CELL_LOGREG ? 0 : cfg->layers; l < CS_MAX_LAYERS; l++)
        m->cfg.hidden[l] = 0;
    m->ops = cfg->cell == CS_CELL_RNN ? &cs_cell_rnn_ops : cfg->cell == CS_CELL_GRU ? &cs_cell_gru_ops
           : cfg->cell == CS_CELL_LSTM ? &cs_cell_lstm_ops : NULL;
    layout_input(m);
    layout_layers(m);
}

cs_status cs_model_config_nparams(const cs_model_config *cfg, size_t *nparams, cs_error *err)
{
    *nparams = 0;
    cs_status s = cs_model_config_check(cfg, err);
    if (s != CS_OK)
        return s;
    cs_model *m = calloc(1, sizeof *m);   /* the tensor table only: no arenas, no buffers */
    if (!m)
        return cs_error_fmt(err, CS_ENOMEM, "model: out of memory");
    layout(m, cfg);
    *nparams = m->nparams;
    free(m);
    return CS_OK;
}

/* A model of cfg (checked) with its arrays and buffers allocated, parameters not set. */
static cs_model *model_alloc(const cs_model_config *cfg, cs_error *err)
{
    if (cs_model_config_check(cfg, err) != CS_OK)
        return NULL;
    cs_model *m = calloc(1, sizeof *m);
    if (!m) {
        cs_error_fmt(err, CS_ENOMEM, "model: out of memory");
        return NULL;
    }
    layout(m, cfg);
    int nf = CS_VIEW_HAS_FEAT(cfg->view) ? cfg->n_feat : 0;
    m->params = malloc(sizeof(float) * (m->nparams + 1));
    m->grads = calloc(m->nparams + CS_MODEL_GRAD_TAIL, sizeof(float));
    m->norm_mean = calloc((size_t)nf + 1, sizeof(float));
    m->norm_std = malloc(sizeof(float) * ((size_t)nf + 1));
    if (!m->params || !m->grads || !m->norm_mean || !m->norm_std || setup_buffers(m) != 0 ||
        cs_model_reserve(m, 64, 16) != 0) {
        cs_model_free(m);
        cs_error_fmt(err, CS_ENOMEM, "model: out of memory");
        return NULL;
    }
    for (int i = 0; i < nf; i++)
        m->norm_std[i] = 1.0f;
    return m;
}

cs_model *cs_model_new(const cs_model_config *cfg, uint64_t seed, cs_error *err)
{
    cs_model *m = model_alloc(cfg, err);
    if (m)
        init_params(m, seed);
    return m;
}

cs_model *cs_model_clone(const cs_model *src, cs_error *err)
{
    cs_model *m = model_alloc(&src->cfg, err);
    if (!m)
        return NULL;
    int nf = CS_VIEW_HAS_FEAT(src->cfg.view) ? src->cfg.n_feat : 0;   /* features, hybrid */
    memcpy(m->params, src->params, sizeof(float) * src->nparams);
    memcpy(m->norm_mean, src->norm_mean, sizeof(float) * (size_t)nf);
    memcpy(m->norm_std, src->norm_std, sizeof(float) * (size_t)nf);
    return m;
}

void cs_model_free(cs_model *m)
{
    if (!m)
        return;
    for (int i = 0; i < m->nbufs; i++)
        free(*m->bufs[i].p);
    for (int l = 0; l < m->nl; l++)
        for (int d = 0; d < 2; d++) {
            free(m->L[l].dir[d].WihT);
            free(m->L[l].dir[d].WhhT);
        }
    CS_FREE_ALL(m->headWT, m->featWT, m->touched, m->params, m->grads, m->norm_mean, m->norm_std, m);
}

const cs_model_config *cs_model_config_of(const cs_model *m) { return &m->cfg; }
size_t cs_model_nparams(const cs_model *m) { return m->nparams; }
float *cs_model_params(cs_model *m) { return m->params; }
float *cs_model_grads(cs_model *m) { return m->grads; }
static void zero_part(void *arg, int lo, int hi)
{
    cs_model *m = arg;
    size_t a = (size_t)lo * 8192, e = (size_t)hi * 8192 < m->nparams ? (size_t)hi * 8192 : m->nparams;
    memset(m->grads + a, 0, sizeof(float) * (e - a));
}

void cs_model_zero_grad(cs_model *m)
{
    cs_parallel_for((int)((m->nparams + 8191) / 8192), 2, zero_part, m);
}
float *cs_model_norm_mean(cs_model *m) { return m->norm_mean; }
float *cs_model_norm_std(cs_model *m) { return m->norm_std; }

/* Weight matrices (recurrent, dense, head) are decayed; biases and embeddings are not. */
void cs_model_decay_mask(const cs_model *m, uint8_t *mask)
{
    for (size_t i = 0; i < m->ntens; i++)
        memset(mask + m->tens[i].off, m->tens[i].weight == 1, m->tens[i].count);
}

size_t cs_model_ntensors(const cs_model *m) { return m->ntens; }

const char *cs_model_tensor(const cs_model *m, size_t i, size_t *offset, size_t *count)
{
    if (i >= m->ntens)
        return NULL;
    if (offset)
        *offset = m->tens[i].off;
    if (count)
        *count = m->tens[i].count;
    return m->tens[i].name;
}
