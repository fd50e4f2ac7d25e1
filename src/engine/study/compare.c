/* compare.c — seed groups and the paired bootstrap of differences (see compare.h). */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clickseq/compare.h"

static const char *const metric_keys[CS_CMP_N] = {"test_pr_auc", "test_roc_auc", "test_f1"};
static const char *const metric_labels[CS_CMP_N] = {"PR-AUC", "ROC-AUC", "F1"};

const char *cs_cmp_metric_key(cs_cmp_metric m) { return m < CS_CMP_N ? metric_keys[m] : "?"; }
const char *cs_cmp_metric_label(cs_cmp_metric m) { return m < CS_CMP_N ? metric_labels[m] : "?"; }

void cs_cmp_opts_init(cs_cmp_opts *o)
{
    o->n_boot = 2000;
    o->seed = 1;
    o->level = 0.95;
}

/* ------------------------------------------------------------------ groups */

static int ignored_param(const char *name)
{
    return !strcmp(name, "seed") || !strcmp(name, "threads") || !strcmp(name, "name");
}

int cs_run_same_but_seed(const cs_run *a, const cs_run *b)
{
    if (a->fingerprint != b->fingerprint || a->cfg.model.view != b->cfg.model.view ||
        a->cfg.model.n_types != b->cfg.model.n_types || a->cfg.model.n_feat != b->cfg.model.n_feat)
        return 0;
    for (size_t i = 0; i < cs_param_count(); i++) {
        const char *p = cs_param_at(i)->name;
        if (ignored_param(p))
            continue;
        char va[1024], vb[1024];
        cs_param_get(&a->cfg, p, va, sizeof va);
        cs_param_get(&b->cfg, p, vb, sizeof vb);
        if (strcmp(va, vb))
            return 0;
    }
    return 1;
}

/* A run's name without a trailing -sN or -N (N digits). */
static size_t stem_len(const char *name)
{
    size_t n = strlen(name), k = n;
    while (k > 0 && isdigit((unsigned char)name[k - 1]))
        k--;
    if (k == n || k == 0)
        return n;
    if (name[k - 1] == 's' && k >= 2 && name[k - 2] == '-')
        return k - 2;
    if (name[k - 1] == '-')
        return k - 1;
    return n;
}

static void group_name(const cs_run *runs, const cs_run_group *g, char *out, size_t cap)
{
    const char *first = runs[g->run[0]].name;
    if (g->n == 1) {
        snprintf(out, cap, "%s", first);
        return;
    }
    size_t L = stem_len(first);
    int same = 1;
    for (size_t i = 1; i < g->n && same; i++) {
        const char *nm = runs[g->run[i]].name;
        same = stem_len(nm) == L && !strncmp(nm, first, L);
    }
    if (!same) {   /* the common prefix, without a trailing separator */
        L = strlen(first);
        for (size_t i = 1; i < g->n; i++) {
            const char *nm = runs[g->run[i]].name;
            size_t k = 0;
            while (k < L && nm[k] == first[k])
                k++;
            L = k;
        }
        while (L > 0 && strchr("-_.", first[L - 1]))
            L--;
    }
    if (L == 0)
        snprintf(out, cap, "%s+%zu", first, g->n - 1);
    else
        snprintf(out, cap, "%.*s", (int)L, first);
}

void cs_run_groups_free(cs_run_group *g, size_t ng)
{
    for (size_t i = 0; g && i < ng; i++)
        free(g[i].run);
    free(g);
}

cs_status cs_run_groups(const cs_run *runs, size_t n, cs_run_group **groups, size_t *ng,
                        cs_error *err)
{
    *groups = NULL;
    *ng = 0;
    cs_run_group *g = calloc(n ? n : 1, sizeof *g);
    size_t *of = malloc((n ? n : 1) * sizeof *of);   /* group of each run */
    if (!g || !of) {
        free(g);
        free(of);
        return cs_error_fmt(err, CS_ENOMEM, "compare: out of memory");
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t j = 0;
        while (j < k && !cs_run_same_but_seed(&runs[g[j].run[0]], &runs[i]))
            j++;
        if (j == k) {
            g[k].run = malloc(n * sizeof *g[k].run);
            if (!g[k].run) {
                cs_run_groups_free(g, k);
                free(of);
                return cs_error_fmt(err, CS_ENOMEM, "compare: out of memory");
            }
            k++;
        }
        g[j].run[g[j].n++] = i;
        of[i] = j;
    }
    free(of);
    for (size_t j = 0; j < k; j++)
        group_name(runs, &g[j], g[j].name, sizeof g[j].name);
    for (size_t j = 1; j < k; j++) {   /* unique names */
        int dup = 1;
        for (size_t i = 0; i < j; i++)
            if (!strcmp(g[i].name, g[j].name))
                dup++;
        if (dup > 1) {
            char base[96];
            snprintf(base, sizeof base, "%s", g[j].name);
            snprintf(g[j].name, sizeof g[j].name, "%.80s#%d", base, dup);
        }
    }
    *groups = g;
    *ng = k;
    return CS_OK;
}

/* ------------------------------------------------------------------ weighted metrics */

typedef struct ranked {
    float p;
    uint8_t y;
    size_t i;    /* session position in the scores */
} ranked;

static int cmp_desc(const void *a, const void *b)
{
    float x = ((const ranked *)a)->p, y = ((const ranked *)b)->p;
    return x > y ? -1 : x < y ? 1 : 0;
}

/* One run prepared for the replicates: sessions by score, highest first. */
typedef struct prepared {
    ranked *r;
    size_t n;
    double thr;
} prepared;

static int prepare(const cs_run *run, prepared *pr)
{
    const cs_scores *s = &run->scores;
    pr->n = s->n;
    pr->thr = run->threshold;
    pr->r = malloc((s->n ? s->n : 1) * sizeof *pr->r);
    if (!pr->r)
        return -1;
    for (size_t i = 0; i < s->n; i++) {
        pr->r[i].p = s->prob[i];
        pr->r[i].y = s->label[i];
        pr->r[i].i = i;
    }
    qsort(pr->r, s->n, sizeof *pr->r, cmp_desc);
    return 0;
}

/* PR-AUC (average precision, ties grouped), ROC-AUC and F1 at the run's threshold with
 * session weights w (NULL: 1 each) — cs_metrics_compute's definitions. */
static void metrics_w(const prepared *pr, const double *w, double out[CS_CMP_N])
{
    double P = 0, N = 0, ap = 0, area = 0, tp = 0, fp = 0, ttp = 0, tfp = 0;
    for (size_t k = 0; k < pr->n; k++) {
        double wk = w ? w[pr->r[k].i] : 1.0;
        if (pr->r[k].y)
            P += wk;
        else
            N += wk;
    }
    for (size_t i = 0; i < pr->n;) {
        size_t j = i;
        double gp = 0, gn = 0;
        float p = pr->r[i].p;
        while (j < pr->n && pr->r[j].p == p) {
            double wk = w ? w[pr->r[j].i] : 1.0;
            if (pr->r[j].y)
                gp += wk;
            else
                gn += wk;
            j++;
        }
        area += gn * (tp + 0.5 * gp);
        tp += gp;
        fp += gn;
        if (gp > 0)
            ap += gp * (tp / (tp + fp));
        if ((double)p >= pr->thr) {
            ttp += gp;
            tfp += gn;
        }
        i = j;
    }
    out[CS_CMP_PR_AUC] = P > 0 ? ap / P : NAN;
    out[CS_CMP_ROC_AUC] = P > 0 && N > 0 ? area / (P * N) : NAN;
    double fn = P - ttp;
    out[CS_CMP_F1] = ttp > 0 ? 2 * ttp / (2 * ttp + tfp + fn) : 0.0;
}

double cs_cmp_run_metric(const cs_run *r, cs_cmp_metric m)
{
    if (!r->has_scores || m >= CS_CMP_N)
        return NAN;
    prepared pr;
    if (prepare(r, &pr))
        return NAN;
    double v[CS_CMP_N];
    metrics_w(&pr, NULL, v);
    free(pr.r);
    return v[m];
}

/* ------------------------------------------------------------------ the bootstrap */

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y ? 1 : 0;
}

/* numpy.percentile's default (linear): position q (0..1) of sorted v[n]. */
static double percentile(const double *v, int n, double q)
{
    if (n <= 0)
        return NAN;
    double pos = q * (double)(n - 1);
    int lo = (int)floor(pos);
    if (lo >= n - 1)
        return v[n - 1];
    double f = pos - lo;
    return v[lo] + (v[lo + 1] - v[lo]) * f;
}

static cs_status check_same_tests(const cs_run *runs, const cs_run_group *a, const cs_run_group *b,
                                  cs_error *err)
{
    const cs_run *ref = &runs[a->run[0]];
    const cs_run_group *gs[2] = {a, b};
    for (int g = 0; g < 2; g++)
        for (size_t i = 0; i < gs[g]->n; i++) {
            const cs_run *r = &runs[gs[g]->run[i]];
            if (!r->has_scores)
                return cs_error_fmt(err, CS_EINPUT,
                                    "run %s has no stored test scores (saved before scores.csv, or "
                                    "without a test set): no confidence interval for %s vs %s",
                                    r->name, a->name, b->name);
            if (r->scores.n != ref->scores.n || r->scores.key != ref->scores.key ||
                memcmp(r->scores.index, ref->scores.index, r->scores.n * sizeof *r->scores.index))
                return cs_error_fmt(err, CS_EINPUT,
                                    "runs %s and %s were tested on different test data (%zu vs %zu "
                                    "sessions, test keys %016llx vs %016llx): %s vs %s is not compared",
                                    ref->name, r->name, ref->scores.n, r->scores.n,
                                    (unsigned long long)ref->scores.key,
                                    (unsigned long long)r->scores.key, a->name, b->name);
        }
    return CS_OK;
}

cs_status cs_cmp_bootstrap(const cs_run *runs, const cs_run_group *a, const cs_run_group *b,
                           const cs_cmp_opts *o, cs_cmp_diff *out, cs_error *err)
{
    if (!a->n || !b->n)
        return cs_error_fmt(err, CS_EINPUT, "compare: an empty group");
    cs_status st = check_same_tests(runs, a, b, err);
    if (st != CS_OK)
        return st;
    size_t na = a->n, nb = b->n, nr = na + nb, ns = runs[a->run[0]].scores.n;
    int B = o->n_boot > 0 ? o->n_boot : 1;
    prepared *pr = calloc(nr, sizeof *pr);
    double *w = malloc((ns ? ns : 1) * sizeof *w);
    double *v = malloc(nr * CS_CMP_N * sizeof *v);
    double *d = malloc((size_t)B * CS_CMP_N * sizeof *d);
    size_t *pick = malloc(nr * sizeof *pick);
    int ok = pr && w && v && d && pick;
    for (size_t i = 0; ok && i < nr; i++)
        ok = prepare(&runs[i < na ? a->run[i] : b->run[i - na]], &pr[i]) == 0;
    if (!ok) {
        st = cs_error_fmt(err, CS_ENOMEM, "compare: out of memory for the bootstrap");
        goto out;
    }
    /* the point values: every session once, every run */
    double mean[2][CS_CMP_N] = {{0}};
    for (size_t i = 0; i < nr; i++) {
        metrics_w(&pr[i], NULL, &v[i * CS_CMP_N]);
        for (int m = 0; m < CS_CMP_N; m++)
            mean[i >= na][m] += v[i * CS_CMP_N + m] / (double)(i < na ? na : nb);
    }
    for (int m = 0; m < CS_CMP_N; m++) {
        out[m].metric = (cs_cmp_metric)m;
        out[m].a_value = mean[0][m];
        out[m].b_value = mean[1][m];
        out[m].delta = mean[0][m] - mean[1][m];
        out[m].n_sessions = ns;
        out[m].n_used = 0;
    }
    uint64_t rng = o->seed;
    for (int r = 0; r < B; r++) {
        memset(w, 0, ns * sizeof *w);
        for (size_t k = 0; k < ns; k++)
            w[splitmix64(&rng) % ns] += 1;
        for (size_t k = 0; k < na; k++)
            pick[k] = splitmix64(&rng) % na;
        for (size_t k = 0; k < nb; k++)
            pick[na + k] = na + splitmix64(&rng) % nb;
        for (size_t i = 0; i < nr; i++)
            metrics_w(&pr[i], w, &v[i * CS_CMP_N]);
        for (int m = 0; m < CS_CMP_N; m++) {
            double sa = 0, sb = 0;
            for (size_t k = 0; k < na; k++)
                sa += v[pick[k] * CS_CMP_N + m];
            for (size_t k = 0; k < nb; k++)
                sb += v[pick[na + k] * CS_CMP_N + m];
            double delta = sa / (double)na - sb / (double)nb;
            if (!isnan(delta))
                d[(size_t)m * (size_t)B + (size_t)out[m].n_used++] = delta;
        }
    }
    for (int m = 0; m < CS_CMP_N; m++) {
        double *dm = &d[(size_t)m * (size_t)B];
        qsort(dm, (size_t)out[m].n_used, sizeof *dm, cmp_double);
        out[m].lo = percentile(dm, out[m].n_used, (1 - o->level) / 2);
        out[m].hi = percentile(dm, out[m].n_used, (1 + o->level) / 2);
    }
out:
    for (size_t i = 0; pr && i < nr; i++)
        free(pr[i].r);
    free(pr);
    free(w);
    free(v);
    free(d);
    free(pick);
    return st;
}

/* ------------------------------------------------------------------ verdicts */

static void signed_num(char *buf, size_t n, double x, const char *minus)
{
    if (isnan(x))
        snprintf(buf, n, "n/a");
    else if (x < 0 && fabs(x) >= 0.0005)
        snprintf(buf, n, "%s%.3f", minus, -x);
    else
        snprintf(buf, n, "+%.3f", fabs(x));
}

static void verdict(const char *a, const char *b, const cs_cmp_diff *d, char *buf, size_t n,
                    const char *minus)
{
    char dl[32], lo[32], hi[32];
    signed_num(dl, sizeof dl, d->delta, minus);
    signed_num(lo, sizeof lo, d->lo, minus);
    signed_num(hi, sizeof hi, d->hi, minus);
    const char *what;
    char who[120];
    if (isnan(d->lo) || isnan(d->hi))
        what = "no interval (undefined on every replicate)";
    else if (d->lo > 0 || d->hi < 0) {
        snprintf(who, sizeof who, "%.100s higher", d->lo > 0 ? a : b);
        what = who;
    } else
        what = "not distinguishable";
    snprintf(buf, n, "%s %s %s %s %s [%s, %s]: %s", a, minus, b, cs_cmp_metric_label(d->metric), dl, lo,
             hi, what);
}

void cs_cmp_verdict(const char *a, const char *b, const cs_cmp_diff *d, char *buf, size_t n)
{
    verdict(a, b, d, buf, n, "\xe2\x88\x92");
}

void cs_cmp_verdict_ascii(const char *a, const char *b, const cs_cmp_diff *d, char *buf, size_t n)
{
    verdict(a, b, d, buf, n, "-");
}
