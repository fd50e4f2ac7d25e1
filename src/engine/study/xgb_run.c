/* xgb_run.c — XGBoost as a cell: a run of cell xgboost trained, watched and scored like a
 * network's run (see xgb.h, "XGBoost as a cell").  Built the same with or without
 * XGBoost: without it cs_xgb_fit and cs_xgb_load say how to get it. */
#include "clickseq/xgb.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clickseq/clock.h"
#include "clickseq/kernels.h"

/* What the round hook needs: the run's history, the monitor, the labels. */
typedef struct xgb_watch {
    const cs_run_config *cfg;
    cs_monitor *mon;
    cs_train_result *res;
    uint8_t *yt, *yv;          /* training / validation labels in split order */
    double pw;                 /* positive-class weight of the loss */
    double t_round, paused;    /* start of the current round; time spent paused */
    int cap;                   /* rows res->hist holds */
    int stop;                  /* 1 stop, 2 interrupt (cs_monitor_poll) */
} xgb_watch;

/* The networks' loss (trainer.h): weighted binary cross-entropy, mean over sessions. */
static double bce_mean(const float *p, const uint8_t *y, size_t n, double pw)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) {
        double q = p[i] < 1e-7f ? 1e-7 : p[i] > 1 - 1e-7f ? 1 - 1e-7 : (double)p[i];
        s += y[i] ? -pw * log(q) : -log(1 - q);
    }
    return n ? s / (double)n : NAN;
}

static void no_valid(cs_metrics *m, double threshold)
{
    memset(m, 0, sizeof *m);
    m->threshold = threshold;
    m->accuracy = m->precision = m->recall = m->f1 = NAN;
    m->roc_auc = m->pr_auc = m->loss = NAN;
}

static int on_round(void *ud, const cs_xgb_round *r)
{
    xgb_watch *w = ud;
    cs_train_result *res = w->res;
    if ((int)res->n_hist >= w->cap)
        return 1;
    cs_epoch *ep = &res->hist[res->n_hist];
    memset(ep, 0, sizeof *ep);
    ep->epoch = r->round + 1;
    ep->train_loss = bce_mean(r->train_prob, w->yt, r->n_train, w->pw);
    if (r->valid_prob) {
        double thr = w->cfg->tune_threshold
                         ? cs_metrics_best_threshold(r->valid_prob, w->yv, r->n_valid, NULL)
                         : w->cfg->threshold;
        cs_metrics_compute(r->valid_prob, w->yv, r->n_valid, thr, &ep->valid);
        ep->valid.loss = bce_mean(r->valid_prob, w->yv, r->n_valid, w->pw);
    } else
        no_valid(&ep->valid, w->cfg->threshold);
    ep->valid_loss = ep->valid.loss;
    double now = cs_now_s();
    ep->seconds = now - w->t_round;
    w->t_round = now;
    res->n_hist++;
    res->best_epoch = r->best_round + 1;
    if (w->mon) {
        cs_monitor_epoch(w->mon, ep);
        double paused = 0;
        int s = cs_monitor_poll(w->mon, &paused);
        w->paused += paused;
        w->t_round += paused;
        if (s)
            w->stop = s;
    }
    return w->stop != 0;
}

/* Probabilities of sessions idx (labels into y), metrics at thr (thr < 0: F1-optimal). */
static cs_status score(const cs_xgb *m, const cs_dataset *ds, const size_t *idx, size_t n,
                       double pw, double thr, float *p, uint8_t *y, cs_metrics *out, cs_error *err)
{
    cs_status st = cs_xgb_predict(m, ds, idx, n, p, err);
    if (st)
        return st;
    for (size_t i = 0; i < n; i++)
        y[i] = ds->label[idx[i]] != 0;
    if (thr < 0)
        thr = cs_metrics_best_threshold(p, y, n, NULL);
    cs_metrics_compute(p, y, n, thr, out);
    out->loss = bce_mean(p, y, n, pw);
    return CS_OK;
}

/* The test split's scores kept in res (split order), as the network trainer keeps them. */
static cs_status test_set(const cs_xgb *m, const cs_dataset *ds, const cs_split *sp, double pw,
                          cs_train_result *res, cs_error *err)
{
    size_t n = sp->n_test;
    float *p = malloc(n * sizeof *p);
    uint8_t *y = malloc(n);
    size_t *ix = malloc(n * sizeof *ix);
    cs_status st = p && y && ix ? CS_OK : cs_error_fmt(err, CS_ENOMEM, "xgboost: out of memory "
                                                        "for the test set");
    if (!st)
        st = score(m, ds, sp->test, n, pw, res->threshold, p, y, &res->test, err);
    if (!st) {
        memcpy(ix, sp->test, n * sizeof *ix);
        res->has_test = 1;
        res->n_test = n;
        res->test_index = ix;
        res->test_label = y;
        res->test_prob = p;
        res->test_key = cs_sessions_key(ds, sp->test, n);
        return CS_OK;
    }
    free(p);
    free(y);
    free(ix);
    return st;
}

/* The threshold: F1-optimal on validation with the kept model (cs_xgb_eval's rule), or
 * the fixed one. */
static cs_status choose_threshold(const cs_xgb *m, const cs_run_config *cfg, const cs_dataset *ds,
                                  const cs_split *sp, double pw, cs_train_result *res, cs_error *err)
{
    res->threshold = cfg->threshold;
    if (!cfg->tune_threshold || !sp->n_valid)
        return CS_OK;
    float *p = malloc(sp->n_valid * sizeof *p);
    uint8_t *y = malloc(sp->n_valid);
    cs_metrics mv;
    cs_status st = p && y ? score(m, ds, sp->valid, sp->n_valid, pw, -1, p, y, &mv, err)
                          : cs_error_fmt(err, CS_ENOMEM, "xgboost: out of memory for validation");
    if (!st)
        res->threshold = mv.threshold;
    free(p);
    free(y);
    return st;
}

void cs_xgb_params_of(const cs_run_config *cfg, cs_xgb_params *p)
{
    cs_xgb_params_init(p);
    p->seed = cfg->seed;
    p->threads = cs_threads_resolve(cfg->threads);
    p->pos_weight = cfg->pos_weight;
}

cs_status cs_xgb_train(const cs_run_config *cfg, const cs_dataset *ds, const cs_split *sp,
                       cs_monitor *mon, cs_train_result *res, cs_xgb **out, cs_error *err)
{
    memset(res, 0, sizeof *res);
    *out = NULL;
    cs_status st = cs_run_config_check(cfg, err);
    if (st)
        return st;
    cs_xgb_params p;
    cs_xgb_params_of(cfg, &p);
    xgb_watch w;
    memset(&w, 0, sizeof w);
    w.cfg = cfg;
    w.mon = mon;
    w.res = res;
    w.pw = cs_split_pos_weight(ds, sp, cfg->pos_weight);
    w.cap = p.rounds;
    res->fingerprint = ds->fingerprint;
    res->threshold = cfg->threshold;
    res->hist = calloc((size_t)w.cap, sizeof *res->hist);
    w.yt = malloc(sp->n_train ? sp->n_train : 1);
    w.yv = malloc(sp->n_valid ? sp->n_valid : 1);
    if (!res->hist || !w.yt || !w.yv)
        st = cs_error_fmt(err, CS_ENOMEM, "xgboost: out of memory for the history");
    for (size_t i = 0; !st && i < sp->n_train; i++)
        w.yt[i] = ds->label[sp->train[i]] != 0;
    for (size_t i = 0; !st && i < sp->n_valid; i++)
        w.yv[i] = ds->label[sp->valid[i]] != 0;
    p.on_round = on_round;
    p.ud = &w;
    if (!st && mon)   /* requests made while the data loaded still apply */
        cs_monitor_begin(mon, CS_RUN_RUNNING, p.rounds, 0, 1);
    double t0 = cs_now_s();
    w.t_round = t0;
    cs_xgb *m = NULL;
    if (!st)
        st = cs_xgb_fit(ds, sp, &p, &m, err);
    if (!st && w.stop) {
        res->stopped = 1;
        res->status = w.stop == 2 ? CS_STATUS_INTERRUPTED : CS_STATUS_STOPPED;
    }
    if (!st)
        res->best_epoch = cs_xgb_rounds(m);
    if (!st)
        st = choose_threshold(m, cfg, ds, sp, w.pw, res, err);
    if (!st && sp->n_test)
        st = test_set(m, ds, sp, w.pw, res, err);
    res->seconds = cs_now_s() - t0 - w.paused;
    free(w.yt);
    free(w.yv);
    if (st)
        cs_xgb_free(m);
    else
        *out = m;
    if (mon)
        cs_monitor_finish(mon, st ? CS_RUN_FAILED : res->stopped ? CS_RUN_STOPPED : CS_RUN_DONE,
                          res->has_test ? &res->test : NULL, st && err ? err->msg : NULL);
    return st;
}

cs_status cs_xgb_run_load(const cs_run *run, cs_xgb **out, cs_error *err)
{
    *out = NULL;
    if (run->cfg.model.cell != CS_CELL_XGBOOST)
        return cs_error_fmt(err, CS_EINPUT, "%s: not an xgboost run (cell %s)", run->path,
                            cs_cell_name(run->cfg.model.cell));
    char p[1200];
    snprintf(p, sizeof p, "%s/" CS_XGB_FILE, run->path);
    return cs_xgb_load(p, (size_t)run->cfg.model.n_feat, out, err);
}
