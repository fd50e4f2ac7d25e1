/* optim.h — optimizers over one flat parameter array (model.h): Adam and SGD with
 * momentum, with PyTorch's semantics so steps can be checked against it.
 *
 * Weight decay is L2 added to the gradient (torch.optim.Adam / SGD `weight_decay`), not
 * the decoupled AdamW form: it is what the study's Keras/PyTorch setups mean by weight
 * decay, and it lets tests compare against torch.optim directly.  It applies only where
 * decay_mask[i] is 1 (weight matrices; biases and norms excluded, cs_model_decay_mask).
 *
 *  Adam (t = 1, 2, ...):  g += wd*p;  m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g^2;
 *                         p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)
 *  SGD:                   g += wd*p;  buf = g (t = 1) or momentum*buf + g;  p -= lr*buf
 * The moments have the parameters' layout (one allocation, n floats each).
 */
#ifndef CLICKSEQ_OPTIM_H
#define CLICKSEQ_OPTIM_H

#include <stddef.h>
#include <stdint.h>

#include "clickseq/error.h"

typedef enum cs_optim_kind { CS_OPT_ADAM = 0, CS_OPT_SGD = 1 } cs_optim_kind;

typedef struct cs_optim_config {
    cs_optim_kind kind;
    double lr;
    double momentum;        /* SGD */
    double weight_decay;    /* L2 on masked entries */
    double beta1, beta2, eps; /* Adam: 0.9, 0.999, 1e-8 by default */
} cs_optim_config;
void cs_optim_config_init(cs_optim_config *c);   /* Adam, lr 1e-3, PyTorch defaults */

typedef struct cs_optim cs_optim;
/* n parameters; decay_mask (n bytes, may be NULL = decay everywhere) is copied. */
cs_optim *cs_optim_new(const cs_optim_config *c, size_t n, const uint8_t *decay_mask, cs_error *err);
void cs_optim_free(cs_optim *o);
/* One update of params from grads (grads are read, not changed). */
void cs_optim_step(cs_optim *o, float *params, const float *grads);
void cs_optim_set_lr(cs_optim *o, double lr);
long cs_optim_steps(const cs_optim *o);

/* L2 norm of the gradient (double accumulation); if max_norm > 0 and the norm exceeds
 * it, scale grads by max_norm / (norm + 1e-6) as torch.nn.utils.clip_grad_norm_.
 * Returns the norm before clipping (NaN/Inf when the gradient is not finite). */
double cs_grad_clip(float *grads, size_t n, double max_norm);

#endif
