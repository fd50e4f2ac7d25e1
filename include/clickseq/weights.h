/* weights.h — model weights as stored in a run's model.bin (runs layer): magic
 * "CSQMODEL", format version, model-config hash, nparams, normaliser, float32 weights,
 * CRC-32 of all that (little-endian).  Damaged, truncated or foreign files are CS_EINPUT
 * errors naming the file. */
#ifndef CLICKSEQ_WEIGHTS_H
#define CLICKSEQ_WEIGHTS_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/error.h"
#include "clickseq/model.h"

#define CS_MODEL_MAGIC "CSQMODEL"
#define CS_MODEL_FORMAT 1
/* model.bin is read only from a regular file of at most this size (1 G weights). */
#define CS_MODEL_MAX_BYTES ((size_t)4 << 30)

/* Model weights as stored in model.bin, independent of the model implementation. */
typedef struct cs_weights {
    uint64_t config_hash;    /* cs_model_config_hash of the model that owns them */
    size_t nparams;
    float *w;                /* nparams */
    size_t n_norm;           /* features view: n_feat, else 0 */
    float *norm_mean, *norm_std;
} cs_weights;
void cs_weights_free(cs_weights *w);
cs_status cs_weights_write(const char *path, const cs_weights *w, cs_error *err);
cs_status cs_weights_read(const char *path, cs_weights *w, cs_error *err);

/* FNV-1a 64 of everything that fixes the parameter layout (cell, layers, sizes, head,
 * inputs, view, n_types, n_feat). */
uint64_t cs_model_config_hash(const cs_model_config *m);

/* A view of a model's weights for saving (points into the model; nothing to free). */
void cs_weights_of_model(cs_model *m, cs_weights *w);

#endif
