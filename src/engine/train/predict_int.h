/* predict_int.h (internal, train layer) — the logits behind cs_predict, for the trainer's
 * validation and test passes (predict.c). */
#ifndef CS_PREDICT_INT_H
#define CS_PREDICT_INT_H

#include "clickseq/model.h"

/* Logits of sessions idx[0..n-1] into logit[0..n-1] (in that order), in batches of
 * `batch` sessions sorted by length; whole batches on the pool's threads when there are
 * at least two a thread (one clone of m per extra thread), else each forward pass split.
 * The same logits, bit for bit, for any thread count. */
cs_status cs_predict_logits(cs_model *m, const cs_dataset *ds, const size_t *idx, size_t n,
                            int batch, float *logit, cs_error *err);

#endif
