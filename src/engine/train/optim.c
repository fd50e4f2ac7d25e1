/* optim.c — Adam and SGD with momentum over a flat parameter array (see optim.h). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clickseq/kernels.h"
#include "clickseq/optim.h"

struct cs_optim {
    cs_optim_config c;
    size_t n;
    long t;            /* steps taken */
    float *m, *v;      /* Adam moments; SGD uses m as the momentum buffer */
    uint8_t *mask;
};

void cs_optim_config_init(cs_optim_config *c)
{
    c->kind = CS_OPT_ADAM;
    c->lr = 1e-3;
    c->momentum = 0;
    c->weight_decay = 0;
    c->beta1 = 0.9;
    c->beta2 = 0.999;
    c->eps = 1e-8;
}

cs_optim *cs_optim_new(const cs_optim_config *c, size_t n, const uint8_t *decay_mask, cs_error *err)
{
    cs_optim *o = calloc(1, sizeof *o);
    if (!o)
        goto oom;
    o->c = *c;
    o->n = n;
    o->m = calloc(n ? 2 * n : 1, sizeof(float));   /* m and v in one block */
    o->mask = malloc(n ? n : 1);
    if (!o->m || !o->mask)
        goto oom;
    o->v = o->m + n;
    if (decay_mask)
        memcpy(o->mask, decay_mask, n);
    else
        memset(o->mask, 1, n);
    return o;
oom:
    cs_optim_free(o);
    cs_error_fmt(err, CS_ENOMEM, "optimizer: out of memory for %zu parameters", n);
    return NULL;
}

void cs_optim_free(cs_optim *o)
{
    if (!o)
        return;
    free(o->m);
    free(o->mask);
    free(o);
}

void cs_optim_set_lr(cs_optim *o, double lr) { o->c.lr = lr; }
long cs_optim_steps(const cs_optim *o) { return o->t; }

/* The steps are element-wise: split over the thread pool in ranges of CHUNK elements,
 * the result is the same for any split. */
#define CHUNK 8192

static void adam_step(cs_optim *o, float *p, const float *g, size_t lo, size_t hi)
{
    const float b1 = (float)o->c.beta1, b2 = (float)o->c.beta2, eps = (float)o->c.eps;
    const float wd = (float)o->c.weight_decay;
    const double bc1 = 1.0 - pow(o->c.beta1, (double)o->t);
    const double bc2 = 1.0 - pow(o->c.beta2, (double)o->t);
    const float step = (float)(o->c.lr / bc1), sbc2 = (float)sqrt(bc2);
    float *m = o->m, *v = o->v;
    const uint8_t *mask = o->mask;
    for (size_t i = lo; i < hi; i++) {
        float gi = g[i];
        if (mask[i])
            gi += wd * p[i];
        m[i] = b1 * m[i] + (1.0f - b1) * gi;
        v[i] = b2 * v[i] + (1.0f - b2) * gi * gi;
        p[i] -= step * m[i] / (sqrtf(v[i]) / sbc2 + eps);
    }
}

static void sgd_step(cs_optim *o, float *p, const float *g, size_t lo, size_t hi)
{
    const float lr = (float)o->c.lr, mu = (float)o->c.momentum, wd = (float)o->c.weight_decay;
    float *buf = o->m;
    if (mu == 0.0f && wd == 0.0f) {   /* plain SGD: a loop the compiler vectorises */
        for (size_t i = lo; i < hi; i++)
            p[i] -= lr * g[i];
        return;
    }
    for (size_t i = lo; i < hi; i++) {
        float gi = g[i];
        if (o->mask[i])
            gi += wd * p[i];
        if (mu != 0.0f) {
            buf[i] = o->t == 1 ? gi : mu * buf[i] + gi;
            gi = buf[i];
        }
        p[i] -= lr * gi;
    }
}

typedef struct step_job {
    cs_optim *o;
    float *p;
    const float *g;
} step_job;

static void step_part(void *arg, int lo, int hi)
{
    step_job *j = arg;
    size_t a = (size_t)lo * CHUNK, b = (size_t)hi * CHUNK < j->o->n ? (size_t)hi * CHUNK : j->o->n;
    if (j->o->c.kind == CS_OPT_ADAM)
        adam_step(j->o, j->p, j->g, a, b);
    else
        sgd_step(j->o, j->p, j->g, a, b);
}

void cs_optim_step(cs_optim *o, float *params, const float *grads)
{
    o->t++;
    step_job j = { o, params, grads };
    cs_parallel_for((int)((o->n + CHUNK - 1) / CHUNK), 2, step_part, &j);
}

/* Sum of squares per chunk of CHUNK elements (in parallel), then the chunks in order:
 * the same norm for any thread count. */
typedef struct norm_job {
    float *g;
    size_t n;
    double *part;
    float k;
} norm_job;

static void norm_part(void *arg, int lo, int hi)
{
    norm_job *j = arg;
    for (int c = lo; c < hi; c++) {
        size_t a = (size_t)c * CHUNK, b = a + CHUNK < j->n ? a + CHUNK : j->n;
        double ss = 0;
        for (size_t i = a; i < b; i++)
            ss += (double)j->g[i] * j->g[i];
        j->part[c] = ss;
    }
}

static void scale_part(void *arg, int lo, int hi)
{
    norm_job *j = arg;
    size_t a = (size_t)lo * CHUNK, b = (size_t)hi * CHUNK < j->n ? (size_t)hi * CHUNK : j->n;
    for (size_t i = a; i < b; i++)
        j->g[i] *= j->k;
}

double cs_grad_clip(float *grads, size_t n, double max_norm)
{
    int nc = (int)((n + CHUNK - 1) / CHUNK);
    double stack[64], *part = nc <= 64 ? stack : malloc(sizeof(double) * (size_t)nc);
    norm_job j = { grads, n, part, 1.0f };
    double ss = 0;
    if (part) {
        cs_parallel_for(nc, 2, norm_part, &j);
        for (int c = 0; c < nc; c++)
            ss += part[c];
        if (part != stack)
            free(part);
    } else {   /* no memory for the partial sums: one pass, chunk by chunk */
        for (int c = 0; c < nc; c++) {
            size_t a = (size_t)c * CHUNK, b = a + CHUNK < n ? a + CHUNK : n;
            double one = 0;
            for (size_t i = a; i < b; i++)
                one += (double)grads[i] * grads[i];
            ss += one;
        }
    }
    double norm = sqrt(ss);
    if (max_norm > 0 && isfinite(norm) && norm > max_norm) {
        j.k = (float)(max_norm / (norm + 1e-6));
        cs_parallel_for(nc, 2, scale_part, &j);
    }
    return norm;
}
