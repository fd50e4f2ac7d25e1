/* model_impl.h (internal) — the cs_model struct shared by model.c (configuration, parameter
 * layout, allocation) and model_run.c (forward and backward).
 *
 * Parameters and gradients are two flat arrays with the same layout, described by a
 * table of named tensors.  Activations are per layer (and direction) buffers sized for
 * `cap_np` packed rows and `cap_b` sessions; they grow (realloc) only when a batch needs
 * more, through the list in `bufs`.
 */
#ifndef CS_MODEL_IMPL_H
#define CS_MODEL_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/model.h"
#include "engine/nn/cells.h"

#define CS_MAX_TENSORS 48
#define CS_NO_TENSOR ((size_t)-1)
#define CS_MAX_BUFS 168

typedef struct cs_dir {
    size_t W_ih, W_hh, b_ih, b_hh;   /* offsets into params/grads (b_hh: GRU only) */
    float *WihT, *WhhT;              /* transposed weights [D, GH], [H, GH], per forward */
    float *gx, *gh, *act;            /* [NP, GH] */
    float *hp, *cp, *c;              /* [NP, H] previous hidden / cell, cell (LSTM) */
    float *dgx, *dgh, *dC;           /* [NP, GH], [NP, GH] (GRU), [NP, H] (LSTM) */
} cs_dir;

typedef struct cs_layer {
    int D, H, ndir;                  /* input width, hidden size, directions */
    float *Y, *dY;                   /* output [NP, ndir*H] (MLP: [B, H]) */
    float *mask, *Xd, *dXd;          /* dropout on this layer's input: [NP, D] */
    cs_dir dir[2];
} cs_layer;

typedef struct cs_tensor {
    char name[40];
    size_t off, count;
    int weight;                      /* 1: weight matrix (decayed); 0: bias; 2: embedding */
} cs_tensor;

typedef struct cs_buf {
    float **p;
    size_t per_row;                  /* floats per row */
    int by_b;                        /* rows = sessions (1) or packed steps (0) */
} cs_buf;

struct cs_model {
    cs_model_config cfg;
    const cs_cell_ops *ops;          /* NULL for MLP / LOGREG */
    size_t nparams;
    float *params, *grads;
    float *norm_mean, *norm_std;     /* n_feat each (features view) */
    cs_tensor tens[CS_MAX_TENSORS];
    size_t ntens;
    /* input layer */
    int D0;                          /* width of the first layer's input */
    int d_type;                      /* columns for event type (emb_type or n_types) */
    int emb_end;                     /* columns up to the last embedding's (dX0 beyond is unused) */
    size_t emb_type, emb_cat, emb_brand, emb_item;   /* tensor offsets or CS_NO_TENSOR */
    float *X0, *dX0;                 /* [NP, D0] */
    /* layers (recurrent or MLP) */
    int nl;
    cs_layer L[CS_MAX_LAYERS];
    /* hybrid feature branch: F0 [B, n_feat] standardised features; with feat.W, FY [B, Fh]
     * = relu(F0·feat.Wᵀ + feat.b) joins the head, else F0 itself (Fh = n_feat) */
    int Hseq, Fh;                    /* head input columns from the layers / the features */
    size_t feat_W, feat_b;           /* tensor offsets or CS_NO_TENSOR */
    float *F0, *FY, *dFY, *featWT;
    /* embedding dropout of the last training forward (drop_rows: a seed per forward) */
    int edrop_on;
    uint64_t edrop_seed;
    unsigned char *touched;          /* hash_buckets bits: cs_model_emb_decay's marks */
    /* head */
    int K, Hh;                       /* outputs (1 or 2), input width */
    size_t head_W, head_b;
    float *Hl, *dHl, *Z;             /* [B, Hh], [B, Hh], [B, K] */
    float *headWT;                   /* [Hh, K] */
    float *dhp, *dcp;                /* [B, Hmax] per-step scratch */
    cs_buf bufs[CS_MAX_BUFS];
    int nbufs;
    size_t cap_np, cap_b;
    /* state of the last training forward (backward needs it) */
    const cs_batch *fwd_batch;
    size_t fwd_np;
    int fwd_B, fwd_ok, fwd_dropout;
};

/* Grow the activation buffers for np packed rows and B sessions; 0 or -1 (no memory). */
int cs_model_reserve(cs_model *m, size_t np, size_t B);

#endif
