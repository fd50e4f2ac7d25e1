/* optim.c — Adam and SGD with momentum over a flat parameter array (see optim.h). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

static void adam_step(cs_optim *o, float *p, const float *g)
{
    const float b1 = (float)o->c.beta1, b2 = (float)o->c.beta2, eps = (float)o->c.eps;
    const float wd = (float)o->c.weight_decay;
    const double bc1 = 1.0 - pow(o->c.beta1, (double)o->t);
    const double bc2 = 1.0 - pow(o->c.beta2, (double)o->t);
    const float step = (float)(o->c.lr / bc1), sbc2 = (float)sqrt(bc2);
    float *m = o->m, *v = o->v;
    const uint8_t *mask = o->mask;
    for (size_t i = 0; i < o->n; i++) {
        float gi = g[i];
        if (mask[i])
            gi += wd * p[i];
        m[i] = b1 * m[i] + (1.0f - b1) * gi;
        v[i] = b2 * v[i] + (1.0f - b2) * gi * gi;
        p[i] -= step * m[i] / (sqrtf(v[i]) / sbc2 + eps);
    }
}

static void sgd_step(cs_optim *o, float *p, const float *g)
{
    const float lr = (float)o->c.lr, mu = (float)o->c.momentum, wd = (float)o->c.weight_decay;
    float *buf = o->m;
    for (size_t i = 0; i < o->n; i++) {
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

void cs_optim_step(cs_optim *o, float *params, const float *grads)
{
    o->t++;
    if (o->c.kind == CS_OPT_ADAM)
        adam_step(o, params, grads);
    else
        sgd_step(o, params, grads);
}

double cs_grad_clip(float *grads, size_t n, double max_norm)
{
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (double)grads[i] * grads[i];
    double norm = sqrt(ss);
    if (max_norm > 0 && isfinite(norm) && norm > max_norm) {
        float k = (float)(max_norm / (norm + 1e-6));
        for (size_t i = 0; i < n; i++)
            grads[i] *= k;
    }
    return norm;
}
