/* model.h — the recurrent networks: simple RNN (tanh), GRU, LSTM; 1–4 stacked layers,
 * optional bidirectional, dropout between layers, embeddings, a dense head.
 *
 * Contract (owned by src/engine/model.c, model_run.c, cell_{rnn,gru,lstm}.c, batch.c,
 * kernels.c; see HACKING.md "Area: nn" for the parameter layout and tensor names):
 *  - Parameters, gradients (and the optimizer's moments, see optim.h) are each ONE flat
 *    float array with the same layout; cs_model_params()/cs_model_grads() expose them.
 *  - Forward caches what backward needs; backward ADDS into the gradients, which
 *    cs_model_zero_grad() clears.  Backward without a prior training forward on the same
 *    batch is refused (CS_ERUNTIME).
 *  - Batches are packed like PyTorch's packed sequences: sessions sorted by length
 *    (descending), time-major, and at step t only the bt[t] sessions still running are
 *    computed — no work on padding.  The backward direction of a bidirectional layer
 *    starts each session at its own last step.
 *  - Formulations follow PyTorch (gate order r,z,n for GRU with separate input/hidden
 *    biases; i,f,g,o for LSTM) so reference values can be checked; RNN and LSTM have a
 *    single bias per layer (as Keras, so the study's parameter counts are reproduced:
 *    SimpleRNN 40,80 = 11,882; GRU = 35,682; BiLSTM = 119,682 with the softmax2 head).
 *  - Deterministic for a given seed and thread count.
 */
#ifndef CLICKSEQ_MODEL_H
#define CLICKSEQ_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/dataset.h"
#include "clickseq/error.h"
#include "clickseq/kernels.h"
#include "clickseq/rng.h"

typedef enum cs_cell_kind {
    CS_CELL_RNN = 0, CS_CELL_GRU, CS_CELL_LSTM,
    CS_CELL_MLP,     /* features view only: dense relu layers (hidden[]) then the head */
    CS_CELL_LOGREG,  /* features view only: logistic regression (the head alone) */
    CS_CELL_XGBOOST  /* features view only: gradient boosting (study/xgb.h), not a network:
                        cs_model_new and the model config check refuse it */
} cs_cell_kind;
#define CS_N_CELLS 6
/* The cells' names in enum order, NULL-terminated. */
extern const char *const cs_cell_names[];
const char *cs_cell_name(cs_cell_kind c);   /* "rnn", "gru", "lstm", "mlp", "logreg", "xgboost" */
int cs_cell_parse(const char *s);           /* -1 if unknown; case-insensitive */

typedef enum cs_head_kind {
    CS_HEAD_SIGMOID = 0, /* one logit, sigmoid (default) */
    CS_HEAD_SOFTMAX2     /* two logits + softmax, as the study (prob = sigmoid(z1 - z0)) */
} cs_head_kind;

/* Initialisation.  TORCH: PyTorch's (recurrent tensors and biases U(+-1/sqrt(H)),
 * embeddings and dense weights Glorot uniform, dense biases 0).  KERAS: the study's
 * framework (input kernels Glorot uniform, recurrent kernels orthogonal, biases 0,
 * embeddings U(+-0.05)).  Either way the LSTM's forget-gate biases then start at
 * forget_bias when it is not 0 (Jozefowicz et al. 2015; Keras' unit_forget_bias). */
typedef enum cs_init_kind { CS_INIT_TORCH = 0, CS_INIT_KERAS = 1 } cs_init_kind;

#define CS_MAX_LAYERS 4

typedef struct cs_model_config {
    cs_cell_kind cell;
    int layers;                  /* 1..4 */
    int hidden[CS_MAX_LAYERS];   /* per layer; unused entries 0 */
    int bidir;                   /* 0/1 */
    float dropout;               /* between stacked layers, training only */
    int emb_type;                /* event-type embedding size (sequence view); 0 = one-hot */
    int emb_category, emb_brand, emb_item; /* hashed embedding sizes, 0 = off */
    int hash_buckets;            /* buckets for the hashed embeddings */
    int use_dwell, use_price;    /* numeric per-step inputs */
    cs_head_kind head;
    cs_init_kind init;           /* initialisation scheme (training, not layout) */
    float forget_bias;           /* LSTM forget-gate bias at init; 0 = the scheme's own */
    float emb_dropout;           /* training only: each hashed-embedding row (category, brand,
                                    item bucket) a batch reads is dropped for the WHOLE batch
                                    with this probability (zero input, zero gradient), the kept
                                    rows scaled by 1/(1-p) (Gal & Ghahramani's embedding dropout) */
    int feat_hidden;             /* hybrid view: a dense relu layer of this width on the
                                    standardised features before the join; 0 = the features
                                    join the last hidden state as they are */
    /* taken from the data by cs_model_config_from_data(): */
    cs_view view;
    int n_types;                 /* sequence and hybrid views: event types (ids 1..n_types) */
    int n_feat;                  /* features and hybrid views: inputs per session */
    int history;                 /* 1: CS_HIST_INPUTS history inputs per step (dataset.h) */
} cs_model_config;

/* Defaults: GRU, 1 layer, hidden 64, emb_type 16, category/brand 0, dwell+price on,
 * PyTorch initialisation with the LSTM forget bias at 1. */
void cs_model_config_init(cs_model_config *c);
/* Fill view, n_types, n_feat from a dataset. */
void cs_model_config_from_data(cs_model_config *c, const cs_dataset *ds);
/* Check ranges; a clear message for the first bad value. */
cs_status cs_model_config_check(const cs_model_config *c, cs_error *err);

/* ---- batches ---- */
typedef struct cs_batch {
    int B, T;          /* sessions, longest length */
    int *len;          /* B lengths, descending */
    int *bt;           /* T: sessions active at step t (len > t) */
    int *step_off;     /* T + 1: packed offset of step t; rows 0..bt[t]-1 follow */
    size_t n_packed;   /* sum of lengths */
    uint16_t *type;    /* n_packed, per packed step */
    uint32_t *category, *brand, *item;
    float *log_dwell, *log_price;
    float *hist;       /* n_packed * CS_HIST_INPUTS history inputs (dataset.h) when n_hist */
    int n_hist;        /* CS_HIST_INPUTS when the dataset has history inputs, else 0 */
    float *feat;       /* features and hybrid views: B * n_feat */
    float *y;          /* B labels (0/1) in batch order */
    size_t *idx;       /* B dataset indices in batch order */
    size_t cap_B, cap_steps; /* allocation sizes, so one batch can be reused */
} cs_batch;
/* Gather sessions idx[0..n-1] of ds into b (reusing its buffers), sorted by length
 * descending (stable).  */
cs_status cs_batch_build(cs_batch *b, const cs_dataset *ds, const size_t *idx, size_t n,
                         cs_error *err);
void cs_batch_free(cs_batch *b);

/* ---- the model ---- */
typedef struct cs_model cs_model;

cs_model *cs_model_new(const cs_model_config *cfg, uint64_t seed, cs_error *err);
/* The number of trainable parameters cs_model_new would give cfg (the layout is a pure
 * function of the config), without allocating the model: check a stored model's size
 * before building it.  Errors as cs_model_new's config check. */
cs_status cs_model_config_nparams(const cs_model_config *cfg, size_t *nparams, cs_error *err);
void cs_model_free(cs_model *m);
/* A copy of m's configuration, parameters and normaliser with its own activation buffers
 * (and zero gradients): forward passes on it give m's logits bit for bit, and it can run
 * on another thread than m (batch-parallel inference, cs_predict).  NULL with err set. */
cs_model *cs_model_clone(const cs_model *m, cs_error *err);
const cs_model_config *cs_model_config_of(const cs_model *m);
size_t cs_model_nparams(const cs_model *m);   /* trainable parameters */
float *cs_model_params(cs_model *m);
/* nparams gradients, then CS_MODEL_GRAD_TAIL spare floats that belong to the caller (never
 * read or cleared by the model): data-parallel training puts the batch's loss and counts
 * there, so that the gradients and the loss are summed over ranks in one call. */
#define CS_MODEL_GRAD_TAIL 8
float *cs_model_grads(cs_model *m);
void cs_model_zero_grad(cs_model *m);
/* Non-trainable state saved with the weights: per-feature mean and std (features view),
 * applied to inputs before the first layer.  n_feat floats each; identity by default. */
float *cs_model_norm_mean(cs_model *m);
float *cs_model_norm_std(cs_model *m);
/* Embedding weight decay (L2 on embedding rows, lazily): adds lambda * w to the gradient
 * of every row of the HASHED embeddings (category, brand, item) that batch b reads, once
 * per row however often the batch reads it; rows the batch does not read, the event-type
 * embedding and every other tensor are left alone.  Call after cs_model_backward. */
void cs_model_emb_decay(cs_model *m, const cs_batch *b, float lambda);
/* Indices of weight matrices in the flat array (for weight decay: biases excluded). */
void cs_model_decay_mask(const cs_model *m, uint8_t *mask /* nparams */);
/* Names and sizes of the parameter tensors, in layout order (for tests and dumps). */
size_t cs_model_ntensors(const cs_model *m);
const char *cs_model_tensor(const cs_model *m, size_t i, size_t *offset, size_t *count);

/* Forward: logits[B] in batch order (prob = sigmoid(logit)).  train = 1 caches the
 * activations for backward and applies dropout with rng. */
cs_status cs_model_forward(cs_model *m, const cs_batch *b, float *logits, int train, cs_rng *rng);
/* Backward from dL/dlogit (B values); adds into the gradients. */
cs_status cs_model_backward(cs_model *m, const cs_batch *b, const float *dlogits);

/* The kernels' thread count (cs_set_threads ...): kernels.h. */

#endif
