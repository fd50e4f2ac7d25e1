/* xgb.c — gradient boosting through XGBoost's C API (see xgb.h).
 *
 * Why the validation metric is computed here and not by XGBoost's own "aucpr": the
 * networks stop early on cs_pr_auc (average precision, ties grouped); XGBoost's aucpr
 * interpolates differently, and the bar must be measured with the same ruler.  The
 * validation matrix is given to XGBoosterCreate, so its predictions are cached between
 * rounds and each round costs one tree's worth of prediction. */
#include "config.h"

#include "clickseq/xgb.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clickseq/runstore.h"

void cs_xgb_params_init(cs_xgb_params *p)
{
    *p = (cs_xgb_params){.max_depth = 6, .eta = 0.1, .rounds = 1000, .early_stop = 30,
                         .subsample = 0.8, .colsample = 0.8, .min_child_weight = 1.0,
                         .lambda = 1.0, .pos_weight = -1.0, .seed = 1, .threads = 0};
}

#ifndef HAVE_XGBOOST

int cs_xgb_available(void) { return 0; }

static cs_status absent(cs_error *err)
{
    return cs_error_fmt(err, CS_EINPUT,
                        "this clickseq was built without XGBoost: install libxgboost-dev and "
                        "run ./configure --with-xgboost");
}
cs_status cs_xgb_fit(const cs_dataset *ds, const cs_split *sp, const cs_xgb_params *p,
                     cs_xgb **out, cs_error *err)
{
    *out = NULL;
    return absent(err);
}
cs_status cs_xgb_predict(const cs_xgb *m, const cs_dataset *ds, const size_t *idx, size_t n,
                         float *prob, cs_error *err)
{
    return absent(err);
}
int cs_xgb_rounds(const cs_xgb *m) { return 0; }
cs_status cs_xgb_set_threads(cs_xgb *m, int n, cs_error *err) { return absent(err); }
size_t cs_xgb_n_feat(const cs_xgb *m) { return 0; }
cs_status cs_xgb_importance(const cs_xgb *m, double *imp, cs_error *err) { return absent(err); }
cs_status cs_xgb_save(const cs_xgb *m, const char *path, cs_error *err) { return absent(err); }
cs_status cs_xgb_to_buffer(const cs_xgb *m, unsigned char **image, size_t *size, cs_error *err)
{
    *image = NULL;
    *size = 0;
    return absent(err);
}
cs_status cs_xgb_from_buffer(const unsigned char *b, size_t n, const char *path, size_t n_feat,
                             cs_xgb **out, cs_error *err)
{
    *out = NULL;
    return absent(err);
}

cs_status cs_xgb_load(const char *path, size_t n_feat, cs_xgb **out, cs_error *err)
{
    *out = NULL;
    return absent(err);
}
void cs_xgb_free(cs_xgb *m) {}
cs_status cs_xgb_eval(const cs_dataset *ds, const cs_split *sp, const cs_xgb_params *p,
                      cs_metrics *valid, cs_metrics *test, cs_xgb **keep, cs_error *err)
{
    if (keep)
        *keep = NULL;
    return absent(err);
}

#else /* HAVE_XGBOOST */

#include <xgboost/c_api.h>

struct cs_xgb {
    BoosterHandle bst;
    size_t n_feat;
    int rounds;
};

int cs_xgb_available(void) { return 1; }

static cs_status xgb_fail(cs_error *err, const char *what)
{
    const char *m = XGBGetLastError();
    /* XGBoost's messages can span lines (a stack trace); keep the first */
    char line[512];
    snprintf(line, sizeof line, "%s", m ? m : "");
    line[strcspn(line, "\n")] = 0;
    return cs_error_fmt(err, CS_ERUNTIME, "xgboost: %s: %s", what, line);
}

/* A dense matrix of rows idx[0..n-1] of a features view (labels set when y != 0). */
static cs_status make_matrix(const cs_dataset *ds, const size_t *idx, size_t n, int y,
                             DMatrixHandle *out, cs_error *err)
{
    size_t nf = ds->n_feat;
    float *x = malloc((n ? n : 1) * (nf ? nf : 1) * sizeof *x);
    float *lab = y ? malloc((n ? n : 1) * sizeof *lab) : NULL;
    if (!x || (y && !lab)) {
        free(x);
        free(lab);
        return cs_error_fmt(err, CS_ENOMEM, "out of memory for a %zu x %zu matrix", n, nf);
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(x + i * nf, ds->feat + idx[i] * nf, nf * sizeof *x);
        if (lab)
            lab[i] = ds->label[idx[i]] ? 1.0f : 0.0f;
    }
    cs_status st = CS_OK;
    if (XGDMatrixCreateFromMat(x, (bst_ulong)n, (bst_ulong)nf, NAN, out))
        st = xgb_fail(err, "matrix");
    else if (lab && XGDMatrixSetFloatInfo(*out, "label", lab, (bst_ulong)n)) {
        st = xgb_fail(err, "labels");
        XGDMatrixFree(*out);
    }
    free(x);
    free(lab);
    return st;
}

static int set_params(BoosterHandle b, const cs_xgb_params *p, double pos_weight)
{
    char v[64];
    int r = XGBoosterSetParam(b, "objective", "binary:logistic");
    r |= XGBoosterSetParam(b, "tree_method", "hist");
    r |= XGBoosterSetParam(b, "verbosity", "0");
#define SETF(k, fmt, val) (snprintf(v, sizeof v, fmt, val), XGBoosterSetParam(b, k, v))
    r |= SETF("max_depth", "%d", p->max_depth);
    r |= SETF("eta", "%.17g", p->eta);
    r |= SETF("subsample", "%.17g", p->subsample);
    r |= SETF("colsample_bytree", "%.17g", p->colsample);
    r |= SETF("min_child_weight", "%.17g", p->min_child_weight);
    r |= SETF("lambda", "%.17g", p->lambda);
    r |= SETF("scale_pos_weight", "%.17g", pos_weight);
    r |= SETF("seed", "%llu", (unsigned long long)(p->seed & 0x7fffffff));
    if (p->threads > 0)
        r |= SETF("nthread", "%d", p->threads);
#undef SETF
    return r;
}

static cs_status predict_matrix(BoosterHandle b, DMatrixHandle d, size_t n, float *prob,
                                cs_error *err)
{
    static const char cfg[] = "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, "
                              "\"iteration_end\": 0, \"strict_shape\": false}";
    const bst_ulong *shape;
    bst_ulong dim;
    const float *res;
    if (XGBoosterPredictFromDMatrix(b, d, cfg, &shape, &dim, &res))
        return xgb_fail(err, "predict");
    bst_ulong got = dim ? shape[0] : 0;
    if (got != (bst_ulong)n)
        return cs_error_fmt(err, CS_ERUNTIME, "xgboost: %llu predictions for %zu rows",
                            (unsigned long long)got, n);
    memcpy(prob, res, n * sizeof *prob);
    return CS_OK;
}

/* Boost round by round; keep the booster cut to the best validation round.  With
 * p->on_round, the training split's probabilities are computed each round too (the
 * booster caches both matrices' predictions: one tree's worth of work a round) and the
 * hook may end boosting. */
static cs_status boost(BoosterHandle b, DMatrixHandle dtr, DMatrixHandle dva, size_t nt,
                       const uint8_t *yv, size_t nv, const cs_xgb_params *p, int *best_out,
                       cs_error *err)
{
    float *pv = malloc((nv ? nv : 1) * sizeof *pv);
    float *pt = p->on_round ? malloc((nt ? nt : 1) * sizeof *pt) : NULL;
    if (!pv || (p->on_round && !pt)) {
        free(pv);
        free(pt);
        return cs_error_fmt(err, CS_ENOMEM, "out of memory for validation scores");
    }
    double best = -1.0;
    int best_it = 0, ended = 0;
    cs_status st = CS_OK;
    for (int it = 0; it < p->rounds && !st && !ended; it++) {
        if (XGBoosterUpdateOneIter(b, it, dtr)) {
            st = xgb_fail(err, "training round");
            break;
        }
        if (!nv) {
            best_it = it;
        } else {
            st = predict_matrix(b, dva, nv, pv, err);
            double ap = st ? NAN : cs_pr_auc(pv, yv, nv);
            if (!st && ap > best + 1e-12) {
                best = ap;
                best_it = it;
            } else if (!st && it - best_it >= p->early_stop)
                ended = 1;
        }
        if (!st && p->on_round)
            st = predict_matrix(b, dtr, nt, pt, err);
        if (!st && p->on_round) {
            cs_xgb_round r = {it, pt, nt, nv ? pv : NULL, nv, best_it};
            if (p->on_round(p->ud, &r))
                ended = 1;
        }
    }
    free(pv);
    free(pt);
    *best_out = best_it;
    return st;
}

cs_status cs_xgb_fit(const cs_dataset *ds, const cs_split *sp, const cs_xgb_params *p,
                     cs_xgb **out, cs_error *err)
{
    *out = NULL;
    if (ds->view != CS_VIEW_FEATURES || !ds->n_feat)
        return cs_error_fmt(err, CS_EINPUT, "xgboost needs a features view (session features)");
    if (!sp->n_train)
        return cs_error_fmt(err, CS_EINPUT, "xgboost: the training split is empty");
    DMatrixHandle dtr = NULL, dva = NULL;
    uint8_t *yv = malloc((sp->n_valid ? sp->n_valid : 1) * sizeof *yv);
    cs_xgb *m = calloc(1, sizeof *m);
    cs_status st = yv && m ? CS_OK : cs_error_fmt(err, CS_ENOMEM, "out of memory for xgboost");
    if (!st)
        st = make_matrix(ds, sp->train, sp->n_train, 1, &dtr, err);
    if (!st)
        st = make_matrix(ds, sp->valid, sp->n_valid, 1, &dva, err);
    for (size_t i = 0; !st && i < sp->n_valid; i++)
        yv[i] = ds->label[sp->valid[i]];
    BoosterHandle b = NULL;
    DMatrixHandle cache[2] = {dtr, dva};
    if (!st && XGBoosterCreate(cache, 2, &b))
        st = xgb_fail(err, "booster");
    double w = cs_split_pos_weight(ds, sp, p->pos_weight);
    if (!st && set_params(b, p, w))
        st = xgb_fail(err, "parameters");
    int best = 0;
    if (!st)
        st = boost(b, dtr, dva, sp->n_train, yv, sp->n_valid, p, &best, err);
    if (!st && XGBoosterSlice(b, 0, best + 1, 1, &m->bst))
        st = xgb_fail(err, "keeping the best round");
    if (b)
        XGBoosterFree(b);
    if (dtr)
        XGDMatrixFree(dtr);
    if (dva)
        XGDMatrixFree(dva);
    free(yv);
    if (st) {
        cs_xgb_free(m);
        return st;
    }
    m->n_feat = ds->n_feat;
    m->rounds = best + 1;
    *out = m;
    return CS_OK;
}

cs_status cs_xgb_predict(const cs_xgb *m, const cs_dataset *ds, const size_t *idx, size_t n,
                         float *prob, cs_error *err)
{
    if (ds->view != CS_VIEW_FEATURES || ds->n_feat != m->n_feat)
        return cs_error_fmt(err, CS_EINPUT, "xgboost model has %zu features, the data %zu",
                            m->n_feat, ds->view == CS_VIEW_FEATURES ? ds->n_feat : 0);
    if (!n)
        return CS_OK;
    DMatrixHandle d;
    cs_status st = make_matrix(ds, idx, n, 0, &d, err);
    if (st)
        return st;
    st = predict_matrix(m->bst, d, n, prob, err);
    XGDMatrixFree(d);
    return st;
}

int cs_xgb_rounds(const cs_xgb *m) { return m ? m->rounds : 0; }

cs_status cs_xgb_set_threads(cs_xgb *m, int n, cs_error *err)
{
    char v[32];
    snprintf(v, sizeof v, "%d", n > 0 ? n : 1);
    return XGBoosterSetParam(m->bst, "nthread", v) ? xgb_fail(err, "threads") : CS_OK;
}
size_t cs_xgb_n_feat(const cs_xgb *m) { return m ? m->n_feat : 0; }

cs_status cs_xgb_importance(const cs_xgb *m, double *imp, cs_error *err)
{
    bst_ulong nf = 0, dim = 0;
    const char **names;
    const bst_ulong *shape;
    const float *scores;
    for (size_t j = 0; j < m->n_feat; j++)
        imp[j] = 0.0;
    if (XGBoosterFeatureScore(m->bst, "{\"importance_type\": \"total_gain\"}", &nf, &names,
                              &dim, &shape, &scores))
        return xgb_fail(err, "feature importance");
    for (bst_ulong k = 0; k < nf; k++) {   /* unnamed features are "f<index>" */
        unsigned long j;
        if (names[k][0] == 'f' && sscanf(names[k] + 1, "%lu", &j) == 1 && j < m->n_feat)
            imp[j] = scores[k];
    }
    return CS_OK;
}

static const char MAGIC[8] = {'C', 'S', 'X', 'G', 'B', '0', '0', '1'};

cs_status cs_xgb_to_buffer(const cs_xgb *m, unsigned char **image, size_t *size, cs_error *err)
{
    *image = NULL;
    *size = 0;
    bst_ulong len;
    const char *buf;
    if (XGBoosterSaveModelToBuffer(m->bst, "{\"format\": \"json\"}", &len, &buf))
        return xgb_fail(err, "saving the model");
    size_t n = 8 + 4 + 8 + (size_t)len;
    unsigned char *out = malloc(n);
    if (!out)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory for a %zu-byte model", n);
    uint32_t crc = cs_crc32(buf, (size_t)len);
    uint64_t l64 = (uint64_t)len;
    memcpy(out, MAGIC, 8);
    for (int i = 0; i < 4; i++)
        out[8 + i] = (unsigned char)(crc >> (8 * i));
    for (int i = 0; i < 8; i++)
        out[12 + i] = (unsigned char)(l64 >> (8 * i));
    memcpy(out + 20, buf, (size_t)len);
    *image = out;
    *size = n;
    return CS_OK;
}

cs_status cs_xgb_save(const cs_xgb *m, const char *path, cs_error *err)
{
    unsigned char *out;
    size_t n;
    cs_status st = cs_xgb_to_buffer(m, &out, &n, err);
    if (!st)
        st = cs_write_atomic(path, out, n, err);
    free(out);
    return st;
}

cs_status cs_xgb_from_buffer(const unsigned char *b, size_t n, const char *path, size_t n_feat,
                             cs_xgb **out, cs_error *err)
{
    *out = NULL;
    cs_status st = CS_OK;
    uint32_t crc = 0;
    uint64_t len = 0;
    if (n < 20 || memcmp(b, MAGIC, 8))
        st = cs_error_fmt(err, CS_EINPUT, "%s: not a clickseq XGBoost model (damaged file)", path);
    for (int i = 0; !st && i < 4; i++)
        crc |= (uint32_t)b[8 + i] << (8 * i);
    for (int i = 0; !st && i < 8; i++)
        len |= (uint64_t)b[12 + i] << (8 * i);
    if (!st && len != n - 20)
        st = cs_error_fmt(err, CS_EINPUT, "%s: %llu bytes of model where %llu were written "
                          "(damaged file)", path, (unsigned long long)(n - 20),
                          (unsigned long long)len);
    if (!st && cs_crc32(b + 20, (size_t)len) != crc)
        st = cs_error_fmt(err, CS_EINPUT, "%s: checksum mismatch (damaged file)", path);
    cs_xgb *m = st ? NULL : calloc(1, sizeof *m);
    if (!st && !m)
        st = cs_error_fmt(err, CS_ENOMEM, "out of memory loading %s", path);
    if (!st && XGBoosterCreate(NULL, 0, &m->bst))
        st = xgb_fail(err, "booster");
    if (!st && XGBoosterLoadModelFromBuffer(m->bst, b + 20, (bst_ulong)len))
        st = xgb_fail(err, path);
    bst_ulong nf = 0;
    int rounds = 0;
    if (!st && (XGBoosterGetNumFeature(m->bst, &nf) || XGBoosterBoostedRounds(m->bst, &rounds)))
        st = xgb_fail(err, path);
    if (!st && nf != (bst_ulong)n_feat)
        st = cs_error_fmt(err, CS_EINPUT, "%s: the model has %llu features, the run %zu", path,
                          (unsigned long long)nf, n_feat);
    if (st) {
        cs_xgb_free(m);
        return st;
    }
    m->n_feat = n_feat;
    m->rounds = rounds;
    *out = m;
    return CS_OK;
}

cs_status cs_xgb_load(const char *path, size_t n_feat, cs_xgb **out, cs_error *err)
{
    *out = NULL;
    char *text = NULL;
    size_t n = 0;
    cs_status st = cs_slurp(path, CS_XGB_MAX_BYTES, &text, &n, err);
    if (st)
        return st;
    st = cs_xgb_from_buffer((const unsigned char *)text, n, path, n_feat, out, err);
    free(text);
    return st;
}

void cs_xgb_free(cs_xgb *m)
{
    if (!m)
        return;
    if (m->bst)
        XGBoosterFree(m->bst);
    free(m);
}

static cs_status metrics_of(const cs_xgb *m, const cs_dataset *ds, const size_t *idx, size_t n,
                            double thr, double *best_thr, cs_metrics *out, cs_error *err)
{
    float *p = malloc((n ? n : 1) * sizeof *p);
    uint8_t *y = malloc((n ? n : 1) * sizeof *y);
    cs_status st = p && y ? CS_OK : cs_error_fmt(err, CS_ENOMEM, "out of memory for scores");
    if (!st)
        st = cs_xgb_predict(m, ds, idx, n, p, err);
    for (size_t i = 0; !st && i < n; i++)
        y[i] = ds->label[idx[i]];
    if (!st && best_thr) {
        double f1;
        thr = *best_thr = cs_metrics_best_threshold(p, y, n, &f1);
    }
    if (!st && out)
        cs_metrics_compute(p, y, n, thr, out);
    free(p);
    free(y);
    return st;
}

cs_status cs_xgb_eval(const cs_dataset *ds, const cs_split *sp, const cs_xgb_params *p,
                      cs_metrics *valid, cs_metrics *test, cs_xgb **keep, cs_error *err)
{
    if (keep)
        *keep = NULL;
    cs_xgb *m;
    cs_status st = cs_xgb_fit(ds, sp, p, &m, err);
    if (st)
        return st;
    double thr = 0.5;
    cs_metrics mv;
    memset(&mv, 0, sizeof mv);
    if (sp->n_valid)
        st = metrics_of(m, ds, sp->valid, sp->n_valid, 0.5, &thr, &mv, err);
    if (!st && valid)
        *valid = mv;
    if (!st && test)
        st = metrics_of(m, ds, sp->test, sp->n_test, thr, NULL, test, err);
    if (!st && keep)
        *keep = m;
    else
        cs_xgb_free(m);
    return st;
}

#endif /* HAVE_XGBOOST */
