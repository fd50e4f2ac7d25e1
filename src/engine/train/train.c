/* train.c — the trainer (train.h): mini-batch training with bucketed batches, weighted
 * BCE on logits, Adam/SGD, per-epoch validation with the F1-optimal threshold, early
 * stopping on validation PR-AUC with the best weights kept, divergence detection, the
 * test evaluation at the end, and progress published into a monitor.
 *
 * Determinism: every random choice (initialisation, shuffling, dropout) comes from
 * generators seeded with cfg->seed, and the kernels are deterministic per thread count,
 * so a run is repeated exactly by its config (seed and threads are in it). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engine/core/grow.h"
#include "clickseq/optim.h"
#include "clickseq/clock.h"
#include "clickseq/comm.h"
#include "clickseq/hash.h"
#include "clickseq/train.h"
#include "engine/core/freeall.h"
#include "engine/train/predict_int.h"

/* Sessions per length-sorting chunk, in batches: large enough that batches hold sessions
 * of similar length (little padding work), small enough to keep batches varied. */
#define CHUNK_BATCHES 32

/* log(1 + e^x) without overflow. */
static inline double softplus(double x) { return (x > 0 ? x : 0) + log1p(exp(-fabs(x))); }

/* Weighted BCE on logits, summed over the batch:
 *   l = pw*y*softplus(-z) + (1-y)*softplus(z);  dl/dz = pw*y*(s-1) + (1-y)*s,  s = sigmoid(z).
 * Writes dlogits divided by norm when d is not NULL; returns the sum of l. */
static double bce_sum(const float *z, const float *y, int B, double pw, double norm, float *d)
{
    double sum = 0;
    for (int j = 0; j < B; j++) {
        double zj = z[j], yj = y[j];
        sum += pw * yj * softplus(-zj) + (1 - yj) * softplus(zj);
        if (d) {
            double s = 1.0 / (1.0 + exp(-zj));
            d[j] = (float)((pw * yj * (s - 1) + (1 - yj) * s) / norm);
        }
    }
    return sum;
}

/* The mean over the batch (torch BCEWithLogitsLoss(pos_weight)), dlogits divided by B. */
static double bce(const float *z, const float *y, int B, double pw, float *d)
{
    double sum = bce_sum(z, y, B, pw, B, d);
    return B ? sum / B : 0;
}

/* ------------------------------------------------------------------ batching */


/* Order idx[0..n-1] for one epoch: shuffle, sort by length within chunks of
 * CHUNK_BATCHES batches, cut into batches, shuffle the batch order.  order receives the
 * sessions, starts[k]..starts[k+1] the k-th batch.  Returns the number of batches. */
static size_t epoch_order(const cs_dataset *ds, const size_t *idx, size_t n, int batch, cs_rng *rng,
                          size_t *order, cs_lenpos *tmp, size_t *starts, size_t *perm)
{
    memcpy(order, idx, n * sizeof *order);
    cs_rng_shuffle_sz(rng, order, n);
    size_t chunk = (size_t)batch * CHUNK_BATCHES;
    for (size_t c0 = 0; c0 < n; c0 += chunk) {
        size_t m = n - c0 < chunk ? n - c0 : chunk;
        for (size_t i = 0; i < m; i++)
            tmp[i] = (cs_lenpos){cs_dataset_len(ds, order[c0 + i]), i, order[c0 + i]};
        qsort(tmp, m, sizeof *tmp, cs_lenpos_by_len_desc);
        for (size_t i = 0; i < m; i++)
            order[c0 + i] = tmp[i].idx;
    }
    /* batches never straddle chunks, so each holds similar lengths */
    size_t nb = 0;
    for (size_t c0 = 0; c0 < n; c0 += chunk) {
        size_t end = c0 + chunk < n ? c0 + chunk : n;
        for (size_t s = c0; s < end; s += (size_t)batch)
            perm[nb++] = s;
    }
    cs_rng_shuffle_sz(rng, perm, nb);
    for (size_t k = 0; k < nb; k++) {
        size_t s = perm[k], chunk_end = (s / chunk) * chunk + chunk;
        size_t e = s + (size_t)batch;
        if (e > chunk_end)
            e = chunk_end;
        if (e > n)
            e = n;
        starts[2 * k] = s;
        starts[2 * k + 1] = e;
    }
    return nb;
}

/* ------------------------------------------------------------------ prediction */

/* Logits (cs_predict_logits) and cs_predict are in predict.c. */

/* Logits of idx[0..n-1] into logit[0..n-1]; with a communicator of several ranks each
 * rank computes its share (cs_comm_share) and the shares are gathered, so every rank ends
 * with every logit (as computed by the rank that owned it). */
static cs_status shared_logits(cs_model *m, const cs_dataset *ds, const size_t *idx, size_t n,
                               int batch, const cs_comm *comm, float *logit, cs_error *err)
{
    if (!cs_comm_many(comm))
        return cs_predict_logits(m, ds, idx, n, batch, logit, err);
    size_t *counts = malloc((size_t)comm->size * sizeof *counts);
    if (!counts)
        return cs_error_fmt(err, CS_ENOMEM, "evaluate: out of memory");
    for (int r = 0; r < comm->size; r++)
        counts[r] = cs_comm_share(n, r + 1, comm->size) - cs_comm_share(n, r, comm->size);
    size_t a = cs_comm_share(n, comm->rank, comm->size);
    cs_status s = cs_predict_logits(m, ds, idx + a, counts[comm->rank], batch, logit + a, err);
    /* a failing rank still takes part: the others would wait for it forever */
    cs_error e2;
    cs_status s2 = comm->gather_f32(comm->ctx, logit, counts, s ? &e2 : err);
    free(counts);
    return s ? s : s2;
}

/* Probabilities, mean weighted loss and metrics of the sessions idx at a threshold
 * (threshold < 0: choose the F1-optimal one). */
static cs_status evaluate(cs_model *m, const cs_dataset *ds, const size_t *idx, size_t n, int batch,
                          const cs_comm *comm, double pw, double threshold, float *prob, uint8_t *y,
                          cs_metrics *out, cs_error *err)
{
    cs_status s = shared_logits(m, ds, idx, n, batch, comm, prob, err);
    if (s != CS_OK)
        return s;
    double loss = 0;
    for (size_t i = 0; i < n; i++) {
        float yi = ds->label[idx[i]] ? 1.0f : 0.0f;
        y[i] = (uint8_t)yi;
        loss += bce(&prob[i], &yi, 1, pw, NULL);
        prob[i] = (float)(1.0 / (1.0 + exp(-(double)prob[i])));
    }
    if (threshold < 0)
        threshold = cs_metrics_best_threshold(prob, y, n, NULL);
    cs_metrics_compute(prob, y, n, threshold, out);
    out->loss = n ? loss / (double)n : NAN;
    return CS_OK;
}

/* ------------------------------------------------------------------ the trainer */

static const char *const status_names[] = {"done", "stopped", "diverged", "interrupted"};

const char *cs_run_status_name(cs_run_status s)
{
    return (unsigned)s < sizeof status_names / sizeof status_names[0] ? status_names[s] : "?";
}

int cs_run_status_parse(const char *name, cs_run_status *out)
{
    for (size_t i = 0; i < sizeof status_names / sizeof status_names[0]; i++)
        if (!strcmp(name, status_names[i])) {
            *out = (cs_run_status)i;
            return 0;
        }
    return -1;
}

void cs_train_result_free(cs_train_result *r)
{
    if (!r)
        return;
    cs_model_free(r->model);
    CS_FREE_ALL(r->hist, r->batch_loss, r->batch_epoch, r->test_index, r->test_label,
                r->test_prob);
    memset(r, 0, sizeof *r);
}

/* FNV-1a 64 over the test sessions' names (row numbers when the dataset has none) and
 * labels, in split order: equal keys mean the same test sessions in the same order. */
uint64_t cs_sessions_key(const cs_dataset *ds, const size_t *idx, size_t n)
{
    uint64_t h = CS_FNV64_INIT;
    for (size_t i = 0; i < n; i++) {
        char num[32];
        const char *name = ds->session_names && ds->session_names[idx[i]] ? ds->session_names[idx[i]] : NULL;
        if (!name) {
            snprintf(num, sizeof num, "#%zu", idx[i]);
            name = num;
        }
        h = cs_fnv64_str(h, name);
        h = cs_fnv64_byte(h, 0xffu);   /* separator: no byte of a name */
        h = cs_fnv64_byte(h, ds->label[idx[i]] ? 1u : 0u);
    }
    return h;
}

/* Per-feature mean and standard deviation over the training split (features view).
 * Constant features get std 1 so they pass through as x - mean = 0. */
static void fit_normaliser(cs_model *m, const cs_dataset *ds, const cs_split *sp)
{
    size_t F = ds->n_feat, n = sp->n_train;
    float *mean = cs_model_norm_mean(m), *sd = cs_model_norm_std(m);
    for (size_t f = 0; f < F; f++) {
        double s = 0, s2 = 0;
        for (size_t i = 0; i < n; i++) {
            double x = ds->feat[sp->train[i] * F + f];
            s += x;
            s2 += x * x;
        }
        double mu = n ? s / (double)n : 0, var = n ? s2 / (double)n - mu * mu : 0;
        mean[f] = (float)mu;
        sd[f] = var > 1e-12 ? (float)sqrt(var) : 1.0f;
    }
}

typedef struct trainer {
    const cs_run_config *cfg;
    const cs_dataset *ds;
    const cs_split *sp;
    cs_monitor *mon;
    const cs_comm *comm;      /* several ranks: data-parallel (dp_step); else NULL */
    cs_train_result *res;
    cs_model *model;
    cs_optim *opt;
    cs_rng shuffle_rng, dropout_rng;
    double pw;
    size_t np;
    float *best, *dz, *z, *vprob;
    uint8_t *vy;
    size_t *order, *starts, *perm;
    cs_lenpos *tmp;
    cs_batch b;
    size_t cap_bl, cap_be;    /* capacities of res->batch_loss and res->batch_epoch */
    double t0, paused, events_total;
    int interrupted;          /* the stop was cs_monitor_interrupt */
} trainer;

static cs_status record_batch(trainer *t, int epoch, float loss, cs_error *err)
{
    cs_train_result *r = t->res;
    if (cs_grow((void **)&r->batch_loss, &t->cap_bl, r->n_batch_loss + 1, sizeof *r->batch_loss) ||
        cs_grow((void **)&r->batch_epoch, &t->cap_be, r->n_batch_loss + 1, sizeof *r->batch_epoch))
        return cs_error_fmt(err, CS_ENOMEM, "train: out of memory for the batch history");
    r->batch_loss[r->n_batch_loss] = loss;
    r->batch_epoch[r->n_batch_loss++] = epoch;
    return CS_OK;
}

/* One optimisation step on the sessions order[s..e).  *loss receives the batch loss. */
static cs_status train_step(trainer *t, size_t s, size_t e, double *loss, cs_error *err)
{
    cs_status st = cs_batch_build(&t->b, t->ds, t->order + s, e - s, err);
    if (st != CS_OK)
        return st;
    int B = t->b.B;
    if ((st = cs_model_forward(t->model, &t->b, t->z, 1, &t->dropout_rng)) != CS_OK)
        return cs_error_fmt(err, st, "train: forward pass failed");
    *loss = bce(t->z, t->b.y, B, t->pw, t->dz);
    if (!isfinite(*loss))
        return CS_ERUNTIME;
    cs_model_zero_grad(t->model);
    if ((st = cs_model_backward(t->model, &t->b, t->dz)) != CS_OK)
        return cs_error_fmt(err, st, "train: backward pass failed");
    cs_model_emb_decay(t->model, &t->b, (float)t->cfg->emb_decay);
    double norm = cs_grad_clip(cs_model_grads(t->model), t->np, t->cfg->clip);
    if (!isfinite(norm))
        return CS_ERUNTIME;
    cs_optim_step(t->opt, cs_model_params(t->model), cs_model_grads(t->model));
    return CS_OK;
}

/* The spare floats after the gradients (CS_MODEL_GRAD_TAIL) in a data-parallel step. */
enum { TAIL_LOSS_HI, TAIL_LOSS_LO, TAIL_PACKED, TAIL_STOP, TAIL_INTERRUPT, TAIL_BAD, TAIL_N };
_Static_assert(TAIL_N <= CS_MODEL_GRAD_TAIL, "the gradient arena's tail is too short");

/* One data-parallel step on the sessions order[s..e) (the global batch, the same on every
 * rank): this rank runs its share, with dlogits divided by the GLOBAL batch size, so that
 * the gradients summed over the ranks are those of one process on the whole batch; the
 * loss sum (as a float pair: hi + lo), the packed events and every rank's stop request
 * ride in the arena's tail, so the step costs ONE sum over nparams + TAIL_N floats.  Then
 * every rank clips and steps with the same summed gradients.  stop: this rank's monitor
 * request (0, 1 stop, 2 interrupt); any rank's request stops every rank before the step
 * (CS_ECANCEL, t->interrupted).  *packed receives the batch's packed events. */
static cs_status dp_step(trainer *t, size_t s, size_t e, int stop, double *loss, double *packed,
                         cs_error *err)
{
    const cs_comm *c = t->comm;
    size_t G = e - s, a = s + cs_comm_share(G, c->rank, c->size),
           b = s + cs_comm_share(G, c->rank + 1, c->size);
    float *g = cs_model_grads(t->model);
    cs_model_zero_grad(t->model);
    double sum = 0, pk = 0;
    int bad = 0;
    cs_status st = CS_OK;
    if (b > a && !stop) {
        if ((st = cs_batch_build(&t->b, t->ds, t->order + a, b - a, err)) != CS_OK)
            return st;   /* out of memory: the job ends (the program aborts it) */
        if ((st = cs_model_forward(t->model, &t->b, t->z, 1, &t->dropout_rng)) != CS_OK)
            return cs_error_fmt(err, st, "train: forward pass failed");
        sum = bce_sum(t->z, t->b.y, t->b.B, t->pw, (double)G, t->dz);
        bad = !isfinite(sum);
        if (!bad && (st = cs_model_backward(t->model, &t->b, t->dz)) != CS_OK)
            return cs_error_fmt(err, st, "train: backward pass failed");
        if (!bad)   /* the rows of this rank's share (a row in two shares: decayed twice) */
            cs_model_emb_decay(t->model, &t->b, (float)t->cfg->emb_decay);
        pk = (double)t->b.n_packed;
    }
    float hi = bad ? 0.0f : (float)sum;
    g[t->np + TAIL_LOSS_HI] = hi;
    g[t->np + TAIL_LOSS_LO] = bad ? 0.0f : (float)(sum - (double)hi);
    g[t->np + TAIL_PACKED] = (float)pk;
    g[t->np + TAIL_STOP] = stop ? 1.0f : 0.0f;
    g[t->np + TAIL_INTERRUPT] = stop == 2 ? 1.0f : 0.0f;
    g[t->np + TAIL_BAD] = bad ? 1.0f : 0.0f;
    if ((st = c->sum_f32(c->ctx, g, t->np + TAIL_N, err)) != CS_OK)
        return st;
    if (g[t->np + TAIL_STOP] > 0) {
        t->interrupted = g[t->np + TAIL_INTERRUPT] > 0;
        return CS_ECANCEL;
    }
    *loss = g[t->np + TAIL_BAD] > 0 ? NAN
            : ((double)g[t->np + TAIL_LOSS_HI] + (double)g[t->np + TAIL_LOSS_LO]) / (double)G;
    *packed = g[t->np + TAIL_PACKED];
    if (!isfinite(*loss))
        return CS_ERUNTIME;
    double norm = cs_grad_clip(g, t->np, t->cfg->clip);
    if (!isfinite(norm))
        return CS_ERUNTIME;
    cs_optim_step(t->opt, cs_model_params(t->model), g);
    return CS_OK;
}

static cs_status diverged(trainer *t, int epoch, long batch, double loss, cs_error *err)
{
    t->res->status = CS_STATUS_DIVERGED;
    t->res->fail_epoch = epoch;
    t->res->fail_batch = batch;
    return cs_error_fmt(err, CS_ERUNTIME,
                        "training diverged at epoch %d, batch %ld (loss %g or a non-finite gradient); "
                        "the last good weights are kept — try a lower --lr or --clip",
                        epoch, batch, loss);
}

/* One epoch of training.  Returns CS_ECANCEL when a stop was requested. */
static cs_status train_epoch(trainer *t, int epoch, double *mean_loss, double *events, cs_error *err)
{
    const cs_run_config *c = t->cfg;
    size_t nb = epoch_order(t->ds, t->sp->train, t->sp->n_train, c->batch, &t->shuffle_rng, t->order,
                            t->tmp, t->starts, t->perm);
    double sum = 0, ev = 0;
    for (size_t k = 0; k < nb; k++) {
        double p = 0;
        int stop = t->mon ? cs_monitor_poll(t->mon, &p) : 0;
        if (stop && !cs_comm_many(t->comm)) {
            t->interrupted = stop == 2;
            return CS_ECANCEL;
        }
        t->paused += p;
        double loss = 0, packed = 0;
        cs_status st;
        if (cs_comm_many(t->comm)) {   /* every rank stops together, in the step's sum */
            st = dp_step(t, t->starts[2 * k], t->starts[2 * k + 1], stop, &loss, &packed, err);
            if (st == CS_ECANCEL)
                return st;
        } else {
            st = train_step(t, t->starts[2 * k], t->starts[2 * k + 1], &loss, err);
            packed = (double)t->b.n_packed;
        }
        if (st == CS_ERUNTIME && !isfinite(loss))
            return diverged(t, epoch, (long)k + 1, loss, err);
        if (st == CS_ERUNTIME && err && !err->msg[0])
            return diverged(t, epoch, (long)k + 1, loss, err);
        if (st != CS_OK)
            return st;
        sum += loss;
        ev += packed;
        if ((st = record_batch(t, epoch, (float)loss, err)) != CS_OK)
            return st;
        t->events_total += packed;
        if (t->mon) {
            double el = cs_now_s() - t->t0 - t->paused;
            long done = (long)(epoch - 1) * (long)nb + (long)k + 1;
            long total = (long)nb * t->cfg->epochs;
            double eta = el / (double)done * (double)(total - done);
            cs_monitor_batch(t->mon, epoch, (long)k + 1, (long)nb, (float)loss, el, eta,
                             el > 0 ? t->events_total / el : 0);
        }
    }
    *mean_loss = nb ? sum / (double)nb : NAN;
    *events = ev;
    return CS_OK;
}

static cs_status trainer_setup(trainer *t, cs_error *err)
{
    const cs_run_config *c = t->cfg;
    cs_model_config mc = c->model;
    cs_model_config_from_data(&mc, t->ds);
    for (int l = mc.layers; l < CS_MAX_LAYERS; l++)
        mc.hidden[l] = 0;
    t->model = cs_model_new(&mc, c->seed, err);
    if (!t->model)
        return err ? err->code : CS_ERUNTIME;
    t->np = cs_model_nparams(t->model);
    if (CS_VIEW_HAS_FEAT(t->ds->view) && t->ds->method != CS_METHOD_COMPAT)
        fit_normaliser(t->model, t->ds, t->sp);   /* features, hybrid: training split only */
    t->pw = cs_split_pos_weight(t->ds, t->sp, c->pos_weight);   /* class weight */
    cs_optim_config oc;
    cs_optim_config_init(&oc);
    oc.kind = c->optim;
    oc.lr = c->lr;
    oc.momentum = c->momentum;
    oc.weight_decay = c->weight_decay;
    uint8_t *mask = malloc(t->np ? t->np : 1);
    if (!mask)
        return cs_error_fmt(err, CS_ENOMEM, "train: out of memory");
    cs_model_decay_mask(t->model, mask);
    t->opt = cs_optim_new(&oc, t->np, mask, err);
    free(mask);
    if (!t->opt)
        return CS_ENOMEM;
    cs_rng base;
    cs_rng_seed(&base, c->seed ^ 0x5eed5eed5eedULL);
    t->shuffle_rng = cs_rng_split(&base);
    t->dropout_rng = cs_rng_split(&base);
    size_t n = t->sp->n_train, nv = t->sp->n_valid > t->sp->n_test ? t->sp->n_valid : t->sp->n_test;
    size_t B = (size_t)c->batch;
    t->best = malloc(t->np * sizeof *t->best + 1);
    t->dz = malloc(B * sizeof *t->dz);
    t->z = malloc(B * sizeof *t->z);
    t->vprob = malloc((nv ? nv : 1) * sizeof *t->vprob);
    t->vy = malloc(nv ? nv : 1);
    t->order = malloc(n * sizeof *t->order);
    t->tmp = malloc((n < B * CHUNK_BATCHES ? n : B * CHUNK_BATCHES) * sizeof *t->tmp + 1);
    t->starts = malloc(2 * (n / B + n / (B * CHUNK_BATCHES) + 2) * sizeof *t->starts);
    t->perm = malloc((n / B + n / (B * CHUNK_BATCHES) + 2) * sizeof *t->perm);
    if (!t->best || !t->dz || !t->z || !t->vprob || !t->vy || !t->order || !t->tmp || !t->starts ||
        !t->perm)
        return cs_error_fmt(err, CS_ENOMEM, "train: out of memory");
    memcpy(t->best, cs_model_params(t->model), t->np * sizeof *t->best);
    t->res->hist = calloc((size_t)c->epochs, sizeof *t->res->hist);
    if (!t->res->hist)
        return cs_error_fmt(err, CS_ENOMEM, "train: out of memory");
    return CS_OK;
}

static void trainer_free(trainer *t)
{
    cs_optim_free(t->opt);
    cs_batch_free(&t->b);
    CS_FREE_ALL(t->best, t->dz, t->z, t->vprob, t->vy, t->order, t->tmp, t->starts, t->perm);
}

/* Validation after an epoch; updates the best weights.  Returns 1 when early stopping
 * says stop. */
static cs_status validate(trainer *t, cs_epoch *ep, double *best_pr, int *bad, int *stop,
                          cs_error *err)
{
    const cs_run_config *c = t->cfg;
    const cs_split *sp = t->sp;
    cs_train_result *r = t->res;
    double thr = c->tune_threshold && sp->n_valid ? -1 : c->threshold;
    if (sp->n_valid) {
        cs_status s = evaluate(t->model, t->ds, sp->valid, sp->n_valid, c->batch, t->comm, t->pw, thr,
                               t->vprob, t->vy, &ep->valid, err);
        if (s != CS_OK)
            return s;
    } else {
        memset(&ep->valid, 0, sizeof ep->valid);
        ep->valid.threshold = c->threshold;
        ep->valid.accuracy = ep->valid.precision = ep->valid.recall = ep->valid.f1 = NAN;
        ep->valid.roc_auc = ep->valid.pr_auc = ep->valid.loss = NAN;
    }
    ep->valid_loss = ep->valid.loss;
    /* PR-AUC decides; without it (no validation set or no positive there) the latest
     * epoch is the best one */
    double pr = ep->valid.pr_auc;
    int better = isnan(pr) ? 1 : (isnan(*best_pr) || pr > *best_pr);
    if (better) {
        if (!isnan(pr))
            *best_pr = pr;
        *bad = 0;
        r->best_epoch = ep->epoch;
        r->threshold = ep->valid.threshold;
        memcpy(t->best, cs_model_params(t->model), t->np * sizeof *t->best);
    } else if (c->patience > 0 && ++*bad >= c->patience)
        *stop = 1;
    return CS_OK;
}

cs_status cs_train(const cs_run_config *cfg, const cs_dataset *ds, const cs_split *sp,
                   cs_monitor *mon, cs_train_result *res, cs_error *err)
{
    return cs_train_comm(cfg, ds, sp, mon, NULL, res, err);
}

cs_status cs_train_comm(const cs_run_config *cfg, const cs_dataset *ds, const cs_split *sp,
                        cs_monitor *mon, const cs_comm *comm, cs_train_result *res, cs_error *err)
{
    memset(res, 0, sizeof *res);
    if (err)
        cs_error_clear(err);
    cs_status s = cs_run_config_check(cfg, err);
    if (s != CS_OK)
        return s;
    if (sp->n_train == 0)
        return cs_error_fmt(err, CS_EINPUT, "train: the training split is empty (%zu sessions in the data)",
                            ds->n);
    trainer t;
    memset(&t, 0, sizeof t);
    t.cfg = cfg;
    t.ds = ds;
    t.sp = sp;
    t.mon = mon;
    t.comm = cs_comm_many(comm) ? comm : NULL;
    comm = t.comm;
    t.res = res;
    res->fingerprint = ds->fingerprint;
    res->threshold = cfg->threshold;
    if ((s = trainer_setup(&t, err)) != CS_OK)
        goto out;
    /* requests made while the data loaded (before cs_train) still apply */
    if (mon)
        cs_monitor_begin(mon, CS_RUN_RUNNING, cfg->epochs, t.np, 1);
    t.t0 = cs_now_s();
    double best_pr = NAN;
    int bad = 0, stop = 0;
    for (int e = 1; e <= cfg->epochs && !stop; e++) {
        double te = cs_now_s(), pe = t.paused, loss = 0, events = 0;
        s = train_epoch(&t, e, &loss, &events, err);
        if (s == CS_ECANCEL) {
            res->stopped = 1;
            res->status = t.interrupted ? CS_STATUS_INTERRUPTED : CS_STATUS_STOPPED;
            s = CS_OK;
            break;
        }
        if (s != CS_OK)
            break;
        cs_epoch *ep = &res->hist[res->n_hist];
        ep->epoch = e;
        ep->train_loss = loss;
        double train_s = cs_now_s() - te - (t.paused - pe);
        ep->events_per_s = train_s > 0 ? events / train_s : 0;
        if ((s = validate(&t, ep, &best_pr, &bad, &stop, err)) != CS_OK)
            break;
        ep->seconds = cs_now_s() - te - (t.paused - pe);
        res->n_hist++;
        if (mon)
            cs_monitor_epoch(mon, ep);
    }
    /* best (or last good) weights back into the model; a diverged run is evaluated with
     * them too (when an epoch finished: before that they are the initial weights) */
    memcpy(cs_model_params(t.model), t.best, t.np * sizeof *t.best);
    int dv = s == CS_ERUNTIME && res->status == CS_STATUS_DIVERGED && res->n_hist > 0;
    if ((s == CS_OK || dv) && sp->n_test) {
        cs_error e2, *ep = s == CS_OK ? err : &e2;   /* keep the divergence message */
        cs_status s2;
        float *p = malloc(sp->n_test * sizeof *p);
        uint8_t *y = malloc(sp->n_test);
        if (!p || !y)
            s2 = cs_error_fmt(ep, CS_ENOMEM, "train: out of memory for the test set");
        else if ((s2 = evaluate(t.model, ds, sp->test, sp->n_test, cfg->batch, comm, t.pw,
                                res->threshold, p, y, &res->test, ep)) == CS_OK) {
            res->has_test = 1;
            res->test_index = malloc(sp->n_test * sizeof *res->test_index);
            if (res->test_index) {   /* without memory the run is saved without its scores */
                memcpy(res->test_index, sp->test, sp->n_test * sizeof *res->test_index);
                res->test_prob = p;
                res->test_label = y;
                res->n_test = sp->n_test;
                res->test_key = cs_sessions_key(ds, sp->test, sp->n_test);
                p = NULL;
                y = NULL;
            }
        }
        if (s == CS_OK)
            s = s2;
        free(p);
        free(y);
    }
out:
    res->seconds = t.t0 > 0 ? cs_now_s() - t.t0 - t.paused : 0;
    res->model = t.model;
    trainer_free(&t);
    if (mon) {
        /* early stopping ends a run before its planned epochs: the monitor says so (the
         * progress lines would otherwise read "epoch 9/30 ... done") */
        char early[160] = "";
        if (s == CS_OK && !res->stopped && cfg->patience > 0 && (int)res->n_hist < cfg->epochs)
            snprintf(early, sizeof early, "stopped early at epoch %zu (best epoch %d): no better "
                     "validation PR-AUC for %d epochs", res->n_hist, res->best_epoch, cfg->patience);
        cs_monitor_finish(mon, s != CS_OK ? CS_RUN_FAILED : res->stopped ? CS_RUN_STOPPED : CS_RUN_DONE,
                          res->has_test ? &res->test : NULL,
                          s != CS_OK && err ? err->msg : early[0] ? early : NULL);
    }
    return s;
}
