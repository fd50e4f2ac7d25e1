/* baseline.c — rule baselines (majority class, has a cart event) and the logistic-regression
 * configuration (see baseline.h). */
#include "clickseq/baseline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *cs_baseline_name(cs_baseline_kind k)
{
    return k == CS_BASE_MAJORITY ? "majority" : k == CS_BASE_CART ? "has-cart" : "?";
}

static int is_cart_name(const char *s)
{
    static const char *const names[] = {"cart", "addtocart", "add_to_cart", "add-to-cart"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (s && !strcasecmp(s, names[i]))
            return 1;
    return 0;
}

/* Case-insensitive substring. */
static int contains(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (; s && *s; s++)
        if (!strncasecmp(s, w, n))
            return 1;
    return 0;
}

/* The cart event type id in a sequence view, 0 if none. */
static int cart_type(const cs_dataset *ds)
{
    if (!ds->type_names)
        return 0;
    for (int t = 1; t <= ds->n_types; t++)
        if (is_cart_name(ds->type_names[t]))
            return t;
    return 0;
}

/* The derived-features column counting cart events, -1 if none. */
static long cart_column(const cs_dataset *ds)
{
    if (!ds->feat_names)
        return -1;
    for (size_t j = 0; j < ds->n_feat; j++)
        if (contains(ds->feat_names[j], "cart") && !contains(ds->feat_names[j], "remove"))
            return (long)j;
    return -1;
}

/* The study's code for add-to-cart (purchase 1, cart 2, view 3, remove_from_cart 4). */
#define STUDY_CART_CODE 2.0f

/* The study's padded rows of raw codes (compat sequence -> features "code_1".."code_N"). */
static int is_code_rows(const cs_dataset *ds)
{
    return ds->view == CS_VIEW_FEATURES && ds->method == CS_METHOD_COMPAT && ds->n_feat > 0 &&
           ds->feat_names && ds->feat_names[0] && !strncmp(ds->feat_names[0], "code_", 5);
}

int cs_baseline_has_cart(const cs_dataset *ds)
{
    if (CS_VIEW_HAS_STEPS(ds->view))   /* sequence, hybrid: the events */
        return cart_type(ds) > 0;
    if (is_code_rows(ds)) {   /* the code exists in every compat view: look for a cart */
        for (size_t k = 0; k < ds->n * ds->n_feat; k++)
            if (ds->feat[k] == STUDY_CART_CODE)
                return 1;
        return 0;
    }
    return cart_column(ds) >= 0;
}


static float cart_score(const cs_dataset *ds, size_t s, int type, long col)
{
    if (CS_VIEW_HAS_STEPS(ds->view)) {
        for (size_t t = ds->off[s]; t < ds->off[s + 1]; t++)
            if (ds->type[t] == type)
                return 1.0f;
        return 0.0f;
    }
    const float *row = ds->feat + s * ds->n_feat;
    if (col < 0) {   /* rows of raw codes */
        for (size_t j = 0; j < ds->n_feat; j++)
            if (row[j] == STUDY_CART_CODE)
                return 1.0f;
        return 0.0f;
    }
    return row[col] > 0 ? 1.0f : 0.0f;
}

cs_status cs_baseline_scores(cs_baseline_kind k, const cs_dataset *ds, const size_t *train,
                             size_t n_train, const size_t *idx, size_t n, float *prob,
                             double *threshold, cs_error *err)
{
    *threshold = 0.5;
    if (k == CS_BASE_MAJORITY) {
        if (n_train == 0)
            return cs_error_fmt(err, CS_EINPUT, "majority baseline: the training split is empty");
        size_t pos = 0;
        for (size_t i = 0; i < n_train; i++)
            pos += ds->label[train[i]] != 0;
        float rate = (float)((double)pos / (double)n_train);
        for (size_t i = 0; i < n; i++)
            prob[i] = rate;
        return CS_OK;
    }
    if (k != CS_BASE_CART)
        return cs_error_fmt(err, CS_EINPUT, "unknown baseline %d", (int)k);
    if (!cs_baseline_has_cart(ds))
        return cs_error_fmt(err, CS_EINPUT, "has-cart baseline: no cart event in this data");
    int type = CS_VIEW_HAS_STEPS(ds->view) ? cart_type(ds) : 0;
    long col = ds->view == CS_VIEW_FEATURES && !is_code_rows(ds) ? cart_column(ds) : -1;
    for (size_t i = 0; i < n; i++)
        prob[i] = cart_score(ds, idx[i], type, col);
    return CS_OK;
}

cs_status cs_baseline_eval(cs_baseline_kind k, const cs_dataset *ds, const cs_split *sp,
                           cs_metrics *test, cs_error *err)
{
    size_t n = sp->n_test;
    float *prob = malloc((n ? n : 1) * sizeof *prob);
    uint8_t *y = malloc(n ? n : 1);
    if (!prob || !y) {
        free(prob);
        free(y);
        return cs_error_fmt(err, CS_ENOMEM, "out of memory for a baseline");
    }
    double thr;
    cs_status st = cs_baseline_scores(k, ds, sp->train, sp->n_train, sp->test, n, prob, &thr, err);
    if (!st) {
        for (size_t i = 0; i < n; i++)
            y[i] = ds->label[sp->test[i]];
        cs_metrics_compute(prob, y, n, thr, test);
    }
    free(prob);
    free(y);
    return st;
}


void cs_baseline_logreg_config(const cs_run_config *base, cs_run_config *out)
{
    if (out != base)
        *out = *base;
    if (out->ds.method != CS_METHOD_COMPAT)
        out->ds.view = CS_VIEW_FEATURES;   /* compat keeps its view: code rows or leaky table */
    out->model.cell = CS_CELL_LOGREG;
    out->model.head = CS_HEAD_SIGMOID;
    out->model.layers = 1;
    out->model.bidir = 0;
    /* a convex model: train it to convergence so the baseline is not handicapped by the
     * networks' schedule (cheap: one dot product per session) */
    cs_run_config_convex_schedule(out, 0);
    snprintf(out->name, sizeof out->name, "logreg");
}
