/* baseline.h — what the networks must beat: the majority class, the rule "the session has a
 * cart event", and logistic regression on session features (a configuration for the
 * trainer with CS_CELL_LOGREG on the features view).
 *
 * Contract (owned by src/engine/baseline.c):
 *  - Rules score sessions; metrics then come from metrics.h like a model's.
 *  - Majority: every session scores the positive rate of the TRAINING sessions and the
 *    threshold is 0.5, so the prediction is the training majority class (negative at any
 *    realistic rate: recall 0, F1 0; PR-AUC = the test positive rate; ROC-AUC 0.5).
 *  - Has-a-cart: score 1 when the session's inputs hold a cart event, else 0; threshold
 *    0.5.  "Cart" is found per view: sequence view — an event type named cart, addtocart,
 *    add_to_cart or add-to-cart (any case); the study's rows of raw codes (compat method,
 *    columns "code_1".."code_N") — a value equal to the study's cart code 2 (not applicable
 *    when no row holds that code); feature views
 *    (derived, or the study's leaky table) — the first column whose name contains "cart"
 *    but not "remove" (e.g. "n_cart") with a value > 0.  Data without
 *    cart events (YooChoose clicks, the UCI table) is CS_EINPUT "no cart event".
 */
#ifndef CLICKSEQ_BASELINE_H
#define CLICKSEQ_BASELINE_H

#include <stddef.h>

#include "clickseq/dataset.h"
#include "clickseq/error.h"
#include "clickseq/metrics.h"
#include "clickseq/train.h"

typedef enum cs_baseline_kind { CS_BASE_MAJORITY = 0, CS_BASE_CART = 1 } cs_baseline_kind;
const char *cs_baseline_name(cs_baseline_kind k);   /* "majority", "has-cart" */

/* Scores of sessions idx[0..n-1] (prob[n]) and the threshold to use.  train (n_train
 * indices) is the training split, used by the majority rule. */
cs_status cs_baseline_scores(cs_baseline_kind k, const cs_dataset *ds, const size_t *train,
                             size_t n_train, const size_t *idx, size_t n, float *prob,
                             double *threshold, cs_error *err);
/* Test metrics of a rule on split sp. */
cs_status cs_baseline_eval(cs_baseline_kind k, const cs_dataset *ds, const cs_split *sp,
                           cs_metrics *test, cs_error *err);
/* 1 if the cart rule applies to ds (it has a recognisable cart event or column). */
int cs_baseline_has_cart(const cs_dataset *ds);

/* The logistic-regression baseline for a run configuration: the same data, method, split,
 * seed and training options, CS_CELL_LOGREG with a sigmoid head.  Honest: on the features
 * view (the features derived from the pre-purchase events, or the table itself for a
 * features table).  Compat: the view is kept, so the input is what the study's networks
 * got (sequence -> its rows of raw codes; features -> its leaky table).  Being convex and
 * cheap it is trained to convergence rather than on the networks' schedule: Adam lr 1e-2,
 * at least 50 epochs, early-stopping patience at least 10 when early stopping is on.  Other
 * fields (split, seed, batch, class weight, threshold rule) are kept. */
void cs_baseline_logreg_config(const cs_run_config *base, cs_run_config *out);

#endif
