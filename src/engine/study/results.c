/* results.c — results tables: one row per run, grouped into mean ± std over seeds, written
 * as CSV and Markdown (see sweep.h). */
#include "clickseq/sweep.h"
#include "clickseq/csvfield.h"
#include "clickseq/files.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a growing string (for CSV and Markdown text) ---- */
typedef struct sbuf {
    char *s;
    size_t n, cap;
    int failed;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->failed = 1;
            return;
        }
        if (b->s && b->n + (size_t)k < b->cap) {
            b->n += (size_t)k;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->n + (size_t)k + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
}

static char *sb_finish(sbuf *b)
{
    if (b->failed) {
        free(b->s);
        return NULL;
    }
    if (!b->s)
        return calloc(1, 1);
    return b->s;
}

/* ---- the table ---- */
cs_status cs_results_init(cs_results *r, size_t n_keys, const char *const *names, cs_error *err)
{
    memset(r, 0, sizeof *r);
    if (n_keys > CS_RESULTS_MAX_KEYS)
        return cs_error_fmt(err, CS_EINPUT, "a results table has at most %d key columns",
                            CS_RESULTS_MAX_KEYS);
    r->n_keys = n_keys;
    for (size_t k = 0; k < n_keys; k++)
        snprintf(r->key_names[k], sizeof r->key_names[k], "%s", names[k]);
    return CS_OK;
}

void cs_results_free(cs_results *r)
{
    free(r->rows);
    memset(r, 0, sizeof *r);
}

cs_status cs_results_add(cs_results *r, const char *const *keys, uint64_t seed,
                         const cs_metrics *test, size_t nparams, double seconds,
                         const char *run, cs_error *err)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        cs_result *p = realloc(r->rows, cap * sizeof *p);
        if (!p)
            return cs_error_fmt(err, CS_ENOMEM, "out of memory for the results table");
        r->rows = p;
        r->cap = cap;
    }
    cs_result *row = &r->rows[r->n++];
    memset(row, 0, sizeof *row);
    for (size_t k = 0; k < r->n_keys; k++)
        snprintf(row->key[k], sizeof row->key[k], "%s", keys[k] ? keys[k] : "");
    row->seed = seed;
    row->test = *test;
    row->nparams = nparams;
    row->seconds = seconds;
    snprintf(row->run, sizeof row->run, "%s", run ? run : "");
    snprintf(row->status, sizeof row->status, "done");
    return CS_OK;
}

void cs_results_mark(cs_results *r, const char *status, const char *note)
{
    if (!r->n)
        return;
    cs_result *row = &r->rows[r->n - 1];
    snprintf(row->status, sizeof row->status, "%s", status ? status : "done");
    snprintf(row->note, sizeof row->note, "%s", note ? note : "");
}

int cs_result_counts(const cs_result *row)
{
    return !row->status[0] || !strcmp(row->status, "done") || !strcmp(row->status, "stopped");
}

cs_stat cs_stat_of(const double *x, size_t n)
{
    cs_stat s = {NAN, NAN, (int)n};
    if (n == 0)
        return s;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(x[i]))
            return s;
        sum += x[i];
    }
    s.mean = sum / (double)n;
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - s.mean) * (x[i] - s.mean);
    s.std = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;
    return s;
}

static const char *const metric_names[CS_RM_N] = {"f1", "precision", "recall", "pr_auc",
                                                   "roc_auc", "seconds"};
static const char *const metric_titles[CS_RM_N] = {"F1", "precision", "recall", "PR-AUC",
                                                    "ROC-AUC", "train s"};

const char *cs_result_metric_name(cs_result_metric m)
{
    return (unsigned)m < CS_RM_N ? metric_names[m] : "?";
}

static double metric_of(const cs_result *row, int m)
{
    switch (m) {
    case CS_RM_F1: return row->test.f1;
    case CS_RM_PRECISION: return row->test.precision;
    case CS_RM_RECALL: return row->test.recall;
    case CS_RM_PR_AUC: return row->test.pr_auc;
    case CS_RM_ROC_AUC: return row->test.roc_auc;
    default: return row->seconds;
    }
}

static int same_keys(const cs_results *r, const cs_result *a, const cs_result *b, int skip)
{
    for (size_t k = 0; k < r->n_keys; k++)
        if ((int)k != skip && strcmp(a->key[k], b->key[k]))
            return 0;
    return 1;
}

/* Rows of one group are gathered by key equality, so a group's seeds need not be
 * adjacent (a sweep with data axes outermost interleaves nothing, but a caller may). */
cs_status cs_results_group(const cs_results *r, cs_result_group **out, size_t *n_out,
                           cs_error *err)
{
    *out = NULL;
    *n_out = 0;
    cs_result_group *g = calloc(r->n ? r->n : 1, sizeof *g);
    double *x = malloc((r->n ? r->n : 1) * sizeof *x);
    size_t *member = malloc((r->n ? r->n : 1) * sizeof *member);
    if (!g || !x || !member) {
        free(g);
        free(x);
        free(member);
        return cs_error_fmt(err, CS_ENOMEM, "out of memory grouping results");
    }
    size_t ng = 0;
    for (size_t i = 0; i < r->n; i++) {
        int seen = 0;
        for (size_t j = 0; j < ng && !seen; j++)
            seen = same_keys(r, &r->rows[g[j].first], &r->rows[i], -1);
        if (seen)
            continue;
        size_t nm = 0;   /* the group's finished runs (failed ones have no metrics) */
        for (size_t j = i; j < r->n; j++)
            if (same_keys(r, &r->rows[i], &r->rows[j], -1) && cs_result_counts(&r->rows[j]))
                member[nm++] = j;
        g[ng].first = i;
        g[ng].runs = (int)nm;
        g[ng].nparams = r->rows[i].nparams;
        for (size_t t = 0; t < nm && !g[ng].nparams; t++)
            g[ng].nparams = r->rows[member[t]].nparams;
        for (int m = 0; m < CS_RM_N; m++) {
            for (size_t t = 0; t < nm; t++)
                x[t] = metric_of(&r->rows[member[t]], m);
            g[ng].stat[m] = cs_stat_of(x, nm);
        }
        ng++;
    }
    free(x);
    free(member);
    *out = g;
    *n_out = ng;
    return CS_OK;
}

static void sb_put(void *ud, const char *p, size_t n)
{
    sb_printf(ud, "%.*s", (int)n, p);
}

/* CSV fields: quoted when needed (keys are user text). */
static void csv_field(sbuf *b, const char *s)
{
    cs_csv_field(s, sb_put, b);
}

static void csv_num(sbuf *b, double v)
{
    if (isnan(v))
        sb_printf(b, ",");
    else
        sb_printf(b, ",%.6g", v);
}

static cs_status finish_write(sbuf *b, const char *path, cs_error *err)
{
    char *text = sb_finish(b);
    if (!text)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory writing %s", path);
    cs_status st = cs_write_file_atomic(path, text, err);
    free(text);
    return st;
}

cs_status cs_results_write_csv(const cs_results *r, const char *path, cs_error *err)
{
    cs_result_group *g;
    size_t ng;
    cs_status st = cs_results_group(r, &g, &ng, err);
    if (st)
        return st;
    sbuf b = {0};
    for (size_t k = 0; k < r->n_keys; k++)
        sb_printf(&b, "%s,", r->key_names[k]);
    sb_printf(&b, "runs");
    for (int m = 0; m < CS_RM_N; m++)
        sb_printf(&b, ",%s_mean,%s_std", metric_names[m], metric_names[m]);
    sb_printf(&b, ",nparams\n");
    for (size_t i = 0; i < ng; i++) {
        const cs_result *row = &r->rows[g[i].first];
        for (size_t k = 0; k < r->n_keys; k++) {
            csv_field(&b, row->key[k]);
            sb_printf(&b, ",");
        }
        sb_printf(&b, "%d", g[i].runs);
        for (int m = 0; m < CS_RM_N; m++) {
            csv_num(&b, g[i].stat[m].mean);
            csv_num(&b, g[i].stat[m].std);
        }
        sb_printf(&b, ",%zu\n", g[i].nparams);
    }
    free(g);
    return finish_write(&b, path, err);
}

cs_status cs_results_write_runs_csv(const cs_results *r, const char *path, cs_error *err)
{
    sbuf b = {0};
    for (size_t k = 0; k < r->n_keys; k++)
        sb_printf(&b, "%s,", r->key_names[k]);
    sb_printf(&b, "seed,f1,precision,recall,pr_auc,roc_auc,accuracy,threshold,tp,fp,tn,fn,"
                  "nparams,seconds,run,status,note\n");
    for (size_t i = 0; i < r->n; i++) {
        const cs_result *row = &r->rows[i];
        for (size_t k = 0; k < r->n_keys; k++) {
            csv_field(&b, row->key[k]);
            sb_printf(&b, ",");
        }
        sb_printf(&b, "%llu", (unsigned long long)row->seed);
        const cs_metrics *t = &row->test;
        csv_num(&b, t->f1);
        csv_num(&b, t->precision);
        csv_num(&b, t->recall);
        csv_num(&b, t->pr_auc);
        csv_num(&b, t->roc_auc);
        csv_num(&b, t->accuracy);
        csv_num(&b, t->threshold);
        sb_printf(&b, ",%ld,%ld,%ld,%ld,%zu", t->cm.tp, t->cm.fp, t->cm.tn, t->cm.fn,
                  row->nparams);
        csv_num(&b, row->seconds);
        sb_printf(&b, ",");
        csv_field(&b, row->run);
        sb_printf(&b, ",");
        csv_field(&b, row->status[0] ? row->status : "done");
        sb_printf(&b, ",");
        csv_field(&b, row->note);
        sb_printf(&b, "\n");
    }
    return finish_write(&b, path, err);
}

/* "0.512 ± 0.013", "0.512" for one run, "n/a" for NaN. */
static void md_stat(sbuf *b, cs_stat s, int decimals)
{
    if (isnan(s.mean))
        sb_printf(b, " n/a |");
    else if (s.n > 1)
        sb_printf(b, " %.*f ± %.*f |", decimals, s.mean, decimals, s.std);
    else
        sb_printf(b, " %.*f |", decimals, s.mean);
}

static char *markdown_flat(const cs_results *r, const cs_result_group *g, size_t ng)
{
    sbuf b = {0};
    sb_printf(&b, "|");
    for (size_t k = 0; k < r->n_keys; k++)
        sb_printf(&b, " %s |", r->key_names[k]);
    sb_printf(&b, " runs |");
    for (int m = 0; m < CS_RM_N - 1; m++)
        sb_printf(&b, " %s |", metric_titles[m]);
    sb_printf(&b, " params | %s |\n|", metric_titles[CS_RM_SECONDS]);
    for (size_t k = 0; k < r->n_keys; k++)
        sb_printf(&b, "---|");
    sb_printf(&b, "---:|");
    for (int m = 0; m < CS_RM_N + 1; m++)
        sb_printf(&b, "---:|");
    sb_printf(&b, "\n");
    for (size_t i = 0; i < ng; i++) {
        const cs_result *row = &r->rows[g[i].first];
        sb_printf(&b, "|");
        for (size_t k = 0; k < r->n_keys; k++)
            sb_printf(&b, " %s |", row->key[k]);
        sb_printf(&b, " %d |", g[i].runs);
        for (int m = 0; m < CS_RM_N - 1; m++)
            md_stat(&b, g[i].stat[m], 3);
        sb_printf(&b, " %zu |", g[i].nparams);
        md_stat(&b, g[i].stat[CS_RM_SECONDS], 1);
        sb_printf(&b, "\n");
    }
    return sb_finish(&b);
}

/* Side by side: rows = distinct values of the other keys, column groups = pivot values. */
static char *markdown_pivot(const cs_results *r, const cs_result_group *g, size_t ng, int pivot)
{
    size_t *pv = malloc((ng ? ng : 1) * sizeof *pv), npv = 0;   /* groups giving pivot values */
    size_t *rows = malloc((ng ? ng : 1) * sizeof *rows), nrows = 0;
    sbuf b = {0};
    if (!pv || !rows)
        b.failed = 1;
    for (size_t i = 0; i < ng && !b.failed; i++) {
        const cs_result *a = &r->rows[g[i].first];
        int seen = 0;
        for (size_t j = 0; j < npv && !seen; j++)
            seen = !strcmp(r->rows[g[pv[j]].first].key[pivot], a->key[pivot]);
        if (!seen)
            pv[npv++] = i;
        seen = 0;
        for (size_t j = 0; j < nrows && !seen; j++)
            seen = same_keys(r, &r->rows[g[rows[j]].first], a, pivot);
        if (!seen)
            rows[nrows++] = i;
    }
    static const int shown[] = {CS_RM_F1, CS_RM_PRECISION, CS_RM_RECALL, CS_RM_PR_AUC,
                                CS_RM_ROC_AUC};
    const size_t nshown = sizeof shown / sizeof shown[0];
    sb_printf(&b, "|");
    for (size_t k = 0; k < r->n_keys; k++)
        if ((int)k != pivot)
            sb_printf(&b, " %s |", r->key_names[k]);
    for (size_t j = 0; j < npv; j++)
        for (size_t m = 0; m < nshown; m++)
            sb_printf(&b, " %s %s |", r->rows[g[pv[j]].first].key[pivot],
                      metric_titles[shown[m]]);
    sb_printf(&b, "\n|");
    for (size_t k = 0; k < r->n_keys; k++)
        if ((int)k != pivot)
            sb_printf(&b, "---|");
    for (size_t j = 0; j < npv * nshown; j++)
        sb_printf(&b, "---:|");
    sb_printf(&b, "\n");
    for (size_t i = 0; i < nrows && !b.failed; i++) {
        const cs_result *a = &r->rows[g[rows[i]].first];
        sb_printf(&b, "|");
        for (size_t k = 0; k < r->n_keys; k++)
            if ((int)k != pivot)
                sb_printf(&b, " %s |", a->key[k]);
        for (size_t j = 0; j < npv; j++) {
            const char *p = r->rows[g[pv[j]].first].key[pivot];
            const cs_result_group *cell = NULL;
            for (size_t t = 0; t < ng && !cell; t++) {
                const cs_result *c = &r->rows[g[t].first];
                if (!strcmp(c->key[pivot], p) && same_keys(r, c, a, pivot))
                    cell = &g[t];
            }
            for (size_t m = 0; m < nshown; m++) {
                if (cell)
                    md_stat(&b, cell->stat[shown[m]], 3);
                else
                    sb_printf(&b, " – |");
            }
        }
        sb_printf(&b, "\n");
    }
    free(pv);
    free(rows);
    return sb_finish(&b);
}

char *cs_results_markdown(const cs_results *r, int pivot)
{
    cs_result_group *g;
    size_t ng;
    if (cs_results_group(r, &g, &ng, NULL))
        return NULL;
    char *s = pivot >= 0 && (size_t)pivot < r->n_keys ? markdown_pivot(r, g, ng, pivot)
                                                       : markdown_flat(r, g, ng);
    free(g);
    size_t nf = 0;
    for (size_t i = 0; i < r->n; i++)
        nf += !cs_result_counts(&r->rows[i]);
    if (!s || !nf)
        return s;
    /* the runs that are not in the means, each with its status and why */
    sbuf b = {0};
    sb_printf(&b, "%s\nNot in the means (%zu run%s):\n", s, nf, nf == 1 ? "" : "s");
    free(s);
    for (size_t i = 0; i < r->n; i++) {
        const cs_result *row = &r->rows[i];
        if (cs_result_counts(row))
            continue;
        sb_printf(&b, "- ");
        for (size_t k = 0; k < r->n_keys; k++)
            sb_printf(&b, "%s%s", k ? " " : "", row->key[k]);
        sb_printf(&b, " seed %llu: **%s**", (unsigned long long)row->seed, row->status);
        if (row->run[0])
            sb_printf(&b, " (saved as %s)", row->run);
        if (row->note[0])
            sb_printf(&b, " — %s", row->note);
        sb_printf(&b, "\n");
    }
    return sb_finish(&b);
}
