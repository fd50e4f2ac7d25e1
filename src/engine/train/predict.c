/* predict.c — inference (trainer.h: cs_predict; predict_int.h: cs_predict_logits for the
 * trainer's validation and test passes).
 *
 * The sessions are sorted by length (longest first, stable) and cut into batches of
 * `batch` sessions and at most PREDICT_MAX_ROWS packed events (a batch of long sessions
 * holds fewer: the activations of a forward pass grow with its events, ~3 KB an event
 * for a GRU h64, so a thread's buffers stay near 100 MB instead of 1 GB for 1024
 * sessions of 300 events); every batch is one forward pass.  A session's logit does not
 * depend on the other sessions of its batch (the kernels reduce every row alike), so the
 * cut changes no result.  With a pool of several threads and at least
 * two batches a thread, the batches are shared out WHOLE: each thread runs its own clone
 * of the model (cs_model_clone: same weights, own activation buffers) and takes the next
 * batch from a shared counter, so the longest batches go first and a thread slowed by
 * the machine's load simply takes fewer.  Nothing is reduced across batches and a
 * batch's logits do not depend on the thread that ran it (the forward pass is
 * bit-identical for any thread count, kernels.h), so the logits are those of one thread,
 * bit for bit.  One parallel region for the whole pass instead of a dozen per batch.
 * With fewer batches the forward pass itself is split (sessions, output rows), as in
 * training.  A failing batch stops the others after their current batch; the error
 * reported is that of the first failing batch in batch order, as with one thread. */
#include "config.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "clickseq/kernels.h"
#include "clickseq/trainer.h"
#include "engine/train/predict_int.h"

/* Packed events a batch holds at most (unless its one session is longer). */
#define PREDICT_MAX_ROWS 32768


/* What one thread owns: a model, a batch, the batch's indices and logits. */
typedef struct worker_ctx {
    cs_model *m;
    cs_batch b;
    size_t *sub;
    float *z;
    cs_status st;
    size_t failed;     /* the batch that failed (when st != CS_OK) */
    cs_error err;
} worker_ctx;

typedef struct pass {
    const cs_dataset *ds;
    const cs_lenpos *o;
    const size_t *start;   /* nb + 1: batch k is o[start[k] .. start[k+1]) */
    size_t nb;
    float *logit;
    worker_ctx *w;
    _Atomic size_t next;
    _Atomic int stop;
} pass;

/* Batch k through c's model into the logits. */
static cs_status run_batch(const pass *p, worker_ctx *c, size_t k)
{
    size_t s0 = p->start[k], cnt = p->start[k + 1] - s0;
    for (size_t j = 0; j < cnt; j++)
        c->sub[j] = p->o[s0 + j].idx;
    cs_status s = cs_batch_build(&c->b, p->ds, c->sub, cnt, &c->err);
    if (s != CS_OK)
        return s;
    if ((s = cs_model_forward(c->m, &c->b, c->z, 0, NULL)) != CS_OK)
        return cs_error_fmt(&c->err, s, "predict: the model rejected a batch (event types unknown to it?)");
    /* already sorted by length (stable), so batch order is our order */
    for (size_t j = 0; j < cnt; j++) {
        if (c->b.idx[j] != c->sub[j])
            return cs_error_fmt(&c->err, CS_ERUNTIME, "predict: batch order changed unexpectedly");
        p->logit[p->o[s0 + j].pos] = c->z[j];
    }
    return CS_OK;
}

/* One thread's share: part lo's context takes batches until none is left (run inline,
 * a single call covers every part: context lo then does all the batches). */
static void run_part(void *arg, int lo, int hi)
{
    pass *p = arg;
    worker_ctx *c = &p->w[lo];
    (void)hi;
    while (!atomic_load_explicit(&p->stop, memory_order_relaxed)) {
        size_t k = atomic_fetch_add(&p->next, 1);
        if (k >= p->nb)
            break;
        if ((c->st = run_batch(p, c, k)) != CS_OK) {
            c->failed = k;
            atomic_store(&p->stop, 1);
        }
    }
}

static void ctx_free(worker_ctx *c, const cs_model *keep)
{
    if (c->m != keep)
        cs_model_free(c->m);
    cs_batch_free(&c->b);
    free(c->sub);
    free(c->z);
}

/* Cut the sorted sessions o[0..n) into batches: start[0..nb], returns nb. */
static size_t cut_batches(const cs_lenpos *o, size_t n, size_t batch, size_t *start)
{
    size_t nb = 0, cnt = 0, rows = 0;
    for (size_t i = 0; i < n; i++) {
        if (cnt == batch || (cnt > 0 && rows + o[i].len > PREDICT_MAX_ROWS)) {
            start[++nb] = i;
            cnt = rows = 0;
        }
        cnt++;
        rows += o[i].len;
    }
    start[0] = 0;
    start[++nb] = n;
    return nb;
}

cs_status cs_predict_logits(cs_model *m, const cs_dataset *ds, const size_t *idx, size_t n,
                            int batch, float *logit, cs_error *err)
{
    if (n == 0)
        return CS_OK;
    if (batch < 1)
        batch = 256;
    cs_lenpos *o = malloc(n * sizeof *o);
    size_t *start = malloc((n + 1) * sizeof *start), nb = 0;
    int parts = cs_parallel_parts();
    worker_ctx *w = calloc((size_t)parts, sizeof *w);
    cs_status s = o && start && w ? CS_OK : cs_error_fmt(err, CS_ENOMEM, "predict: out of memory");
    if (s == CS_OK) {
        for (size_t i = 0; i < n; i++)
            o[i] = (cs_lenpos){cs_dataset_len(ds, idx[i]), i, idx[i]};
        qsort(o, n, sizeof *o, cs_lenpos_by_len_desc);
        nb = cut_batches(o, n, (size_t)batch, start);
        if ((size_t)parts * 2 > nb)   /* too few batches to share: split each forward pass */
            parts = 1;
    }
    for (int t = 0; s == CS_OK && t < parts; t++) {
        w[t].m = t == 0 ? m : cs_model_clone(m, err);
        w[t].sub = malloc((size_t)batch * sizeof *w[t].sub);
        w[t].z = malloc((size_t)batch * sizeof *w[t].z);
        if (!w[t].m)
            s = err ? err->code : CS_ENOMEM;
        else if (!w[t].sub || !w[t].z)
            s = cs_error_fmt(err, CS_ENOMEM, "predict: out of memory");
    }
    if (s == CS_OK) {
        pass p = {ds, o, start, nb, logit, w, 0, 0};
        if (parts > 1) {
            int bounds[65];
            for (int t = 0; t <= parts; t++)
                bounds[t] = t;
            cs_parallel_ranges(parts, bounds, run_part, &p);
        } else {
            run_part(&p, 0, 1);
        }
        int first = -1;   /* the first failing batch in batch order, as one thread fails */
        for (int t = 0; t < parts; t++)
            if (w[t].st != CS_OK && (first < 0 || w[t].failed < w[first].failed))
                first = t;
        if (first >= 0) {
            s = w[first].st;
            if (err)
                *err = w[first].err;
        }
    }
    for (int t = 0; w && t < parts; t++)
        ctx_free(&w[t], m);
    free(w);
    free(start);
    free(o);
    return s;
}

cs_status cs_predict(cs_model *m, const cs_dataset *ds, const size_t *idx, size_t n, int batch,
                     float *prob, cs_error *err)
{
    cs_status s = cs_predict_logits(m, ds, idx, n, batch, prob, err);
    if (s == CS_OK)
        for (size_t i = 0; i < n; i++)
            prob[i] = (float)(1.0 / (1.0 + exp(-(double)prob[i])));
    return s;
}
