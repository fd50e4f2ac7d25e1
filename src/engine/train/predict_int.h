/* predict_int.h (internal, train layer) — the logits behind cs_predict, for the trainer's
 * validation and test passes (predict.c). */
#ifndef CS_PREDICT_INT_H
#define CS_PREDICT_INT_H

#include <stddef.h>

#include "clickseq/model.h"

/* A session in a batch order: its length, its place in the caller's list, its index.
 * Longest first, ties by place (stable): how training and inference cut batches. */
typedef struct cs_lenpos {
    size_t len, pos, idx;
} cs_lenpos;

static inline int cs_lenpos_by_len_desc(const void *pa, const void *pb)
{
    const cs_lenpos *a = pa, *b = pb;
    if (a->len != b->len)
        return a->len < b->len ? 1 : -1;
    return (a->pos > b->pos) - (a->pos < b->pos);
}

/* Logits of sessions idx[0..n-1] into logit[0..n-1] (in that order), in batches of
 * `batch` sessions sorted by length; whole batches on the pool's threads when there are
 * at least two a thread (one clone of m per extra thread), else each forward pass split.
 * The same logits, bit for bit, for any thread count. */
cs_status cs_predict_logits(cs_model *m, const cs_dataset *ds, const size_t *idx, size_t n,
                            int batch, float *logit, cs_error *err);

#endif
