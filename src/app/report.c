/* report.c — a comparison of saved runs (see report.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/report.h"

static double r_f1(const cs_run *r) { return r->has_test ? r->test.f1 : NAN; }
static double r_prec(const cs_run *r) { return r->has_test ? r->test.precision : NAN; }
static double r_rec(const cs_run *r) { return r->has_test ? r->test.recall : NAN; }
static double r_pr(const cs_run *r) { return r->has_test ? r->test.pr_auc : NAN; }
static double r_roc(const cs_run *r) { return r->has_test ? r->test.roc_auc : NAN; }
static double r_acc(const cs_run *r) { return r->has_test ? r->test.accuracy : NAN; }
static double r_thr(const cs_run *r) { return r->threshold; }
static double r_best(const cs_run *r) { return r->best_epoch; }
static double r_ep(const cs_run *r) { return r->epochs_run; }
static double r_sec(const cs_run *r) { return r->seconds; }
static double r_np(const cs_run *r) { return (double)r->nparams; }
static const cs_epoch *best(const cs_run *r)
{
    return r->best_epoch >= 1 && (size_t)r->best_epoch <= r->n_hist ? &r->hist[r->best_epoch - 1] : NULL;
}
static double r_vf1(const cs_run *r) { return best(r) ? best(r)->valid.f1 : NAN; }
static double r_vpr(const cs_run *r) { return best(r) ? best(r)->valid.pr_auc : NAN; }
static double r_vroc(const cs_run *r) { return best(r) ? best(r)->valid.roc_auc : NAN; }
static double r_vloss(const cs_run *r) { return best(r) ? best(r)->valid_loss : NAN; }

const report_row report_rows[] = {
    {"test_f1", r_f1, 4},          {"test_precision", r_prec, 4},
    {"test_recall", r_rec, 4},     {"test_pr_auc", r_pr, 4},
    {"test_roc_auc", r_roc, 4},    {"test_accuracy", r_acc, 4},
    {"valid_f1", r_vf1, 4},        {"valid_pr_auc", r_vpr, 4},
    {"valid_roc_auc", r_vroc, 4},  {"valid_loss", r_vloss, 4},
    {"threshold", r_thr, 4},       {"best_epoch", r_best, 0},
    {"epochs_run", r_ep, 0},       {"seconds", r_sec, 1},
    {"nparams", r_np, 0},
};
const size_t report_n_rows = sizeof report_rows / sizeof report_rows[0];

size_t report_differing(const cs_run *runs, size_t n, const char ***names)
{
    size_t k = 0;
    *names = malloc((cs_param_count() + 1) * sizeof **names);
    if (!*names)
        return 0;
    for (size_t i = 0; i < cs_param_count(); i++) {
        const char *p = cs_param_at(i)->name;
        char a[1024], b[1024];
        cs_param_get(&runs[0].cfg, p, a, sizeof a);
        for (size_t j = 1; j < n; j++) {
            cs_param_get(&runs[j].cfg, p, b, sizeof b);
            if (strcmp(a, b)) {
                (*names)[k++] = p;
                break;
            }
        }
    }
    return k;
}

void report_free(report *r)
{
    cs_run_groups_free(r->groups, r->ng);
    free(r->pairs);
    memset(r, 0, sizeof *r);
}

cs_status report_build(report *r, const cs_run *runs, size_t n, const cs_cmp_opts *o,
                       unsigned metrics, cs_error *err)
{
    memset(r, 0, sizeof *r);
    r->runs = runs;
    r->n = n;
    r->opts = *o;
    r->metrics = metrics ? metrics : (1u << CS_CMP_N) - 1;
    cs_status s = cs_run_groups(runs, n, &r->groups, &r->ng, err);
    if (s != CS_OK)
        return s;
    size_t np = r->ng * (r->ng - (r->ng > 0)) / 2;
    r->pairs = calloc(np ? np : 1, sizeof *r->pairs);
    if (!r->pairs) {
        report_free(r);
        return cs_error_fmt(err, CS_ENOMEM, "compare: out of memory");
    }
    for (size_t a = 0; a < r->ng; a++)
        for (size_t b = a + 1; b < r->ng; b++) {
            report_pair *p = &r->pairs[r->np++];
            p->a = a;
            p->b = b;
            cs_error e;
            s = cs_cmp_bootstrap(runs, &r->groups[a], &r->groups[b], o, p->d, &e);
            if (s == CS_OK)
                p->ok = 1;
            else if (s == CS_EINPUT)
                snprintf(p->why, sizeof p->why, "%s", e.msg);
            else {
                *err = e;
                report_free(r);
                return s;
            }
        }
    return CS_OK;
}

void report_group_stat(const report *r, size_t g, size_t ri, double *mean, double *std)
{
    const cs_run_group *G = &r->groups[g];
    double s = 0, ss = 0;
    size_t k = 0;
    for (size_t i = 0; i < G->n; i++) {
        double v = report_rows[ri].get(&r->runs[G->run[i]]);
        if (isnan(v))
            continue;
        s += v;
        k++;
    }
    *mean = k ? s / (double)k : NAN;
    for (size_t i = 0; k && i < G->n; i++) {
        double v = report_rows[ri].get(&r->runs[G->run[i]]);
        if (!isnan(v))
            ss += (v - *mean) * (v - *mean);
    }
    *std = k > 1 ? sqrt(ss / (double)(k - 1)) : k ? 0.0 : NAN;
}

size_t report_group_of(const report *r, size_t run)
{
    for (size_t g = 0; g < r->ng; g++)
        for (size_t i = 0; i < r->groups[g].n; i++)
            if (r->groups[g].run[i] == run)
                return g;
    return 0;
}

/* ------------------------------------------------------------------ writers */

void report_json(FILE *f, const report *r)
{
    const char **diff = NULL;
    size_t nd = report_differing(r->runs, r->n, &diff);
    fprintf(f, "{\"runs\":[");
    for (size_t j = 0; j < r->n; j++) {
        const cs_run *run = &r->runs[j];
        fprintf(f, "%s{\"name\":", j ? "," : "");
        cli_json_str(f, run->name);
        fprintf(f, ",\"path\":");
        cli_json_str(f, run->path);
        fprintf(f, ",\"group\":");
        cli_json_str(f, r->groups[report_group_of(r, j)].name);
        fprintf(f, ",\"data_fingerprint\":\"%016llx\",\"has_scores\":%s", (unsigned long long)run->fingerprint,
                run->has_scores ? "true" : "false");
        for (size_t i = 0; i < report_n_rows; i++) {
            fprintf(f, ",\"%s\":", report_rows[i].key);
            cli_json_num(f, report_rows[i].get(run));
        }
        fprintf(f, ",\"params\":{");
        for (size_t i = 0; i < nd; i++) {
            char v[1024];
            cs_param_get(&run->cfg, diff[i], v, sizeof v);
            fprintf(f, "%s\"%s\":", i ? "," : "", diff[i]);
            cli_json_str(f, v);
        }
        fprintf(f, "}}");
    }
    fprintf(f, "],\"differ\":[");
    for (size_t i = 0; i < nd; i++)
        fprintf(f, "%s\"%s\"", i ? "," : "", diff[i]);
    free(diff);
    fprintf(f, "],\"groups\":[");
    for (size_t g = 0; g < r->ng; g++) {
        fprintf(f, "%s{\"name\":", g ? "," : "");
        cli_json_str(f, r->groups[g].name);
        fprintf(f, ",\"runs\":[");
        for (size_t i = 0; i < r->groups[g].n; i++) {
            fprintf(f, "%s", i ? "," : "");
            cli_json_str(f, r->runs[r->groups[g].run[i]].name);
        }
        fprintf(f, "],\"metrics\":{");
        for (size_t i = 0; i < report_n_rows; i++) {
            double m, s;
            report_group_stat(r, g, i, &m, &s);
            fprintf(f, "%s\"%s\":{\"mean\":", i ? "," : "", report_rows[i].key);
            cli_json_num(f, m);
            fprintf(f, ",\"std\":");
            cli_json_num(f, s);
            fprintf(f, "}");
        }
        fprintf(f, "}}");
    }
    fprintf(f, "],\"differences\":[");
    int first = 1;
    for (size_t k = 0; k < r->np; k++) {
        const report_pair *p = &r->pairs[k];
        for (int m = 0; p->ok && m < CS_CMP_N; m++) {
            if (!(r->metrics >> m & 1))
                continue;
            const cs_cmp_diff *d = &p->d[m];
            char v[512];
            cs_cmp_verdict(r->groups[p->a].name, r->groups[p->b].name, d, v, sizeof v);
            fprintf(f, "%s{\"a\":", first ? "" : ",");
            first = 0;
            cli_json_str(f, r->groups[p->a].name);
            fprintf(f, ",\"b\":");
            cli_json_str(f, r->groups[p->b].name);
            fprintf(f, ",\"metric\":\"%s\",\"a_value\":", cs_cmp_metric_key(d->metric));
            cli_json_num(f, d->a_value);
            fprintf(f, ",\"b_value\":");
            cli_json_num(f, d->b_value);
            fprintf(f, ",\"delta\":");
            cli_json_num(f, d->delta);
            fprintf(f, ",\"ci_low\":");
            cli_json_num(f, d->lo);
            fprintf(f, ",\"ci_high\":");
            cli_json_num(f, d->hi);
            fprintf(f, ",\"distinguishable\":%s,\"replicates\":%d,\"sessions\":%zu,\"verdict\":",
                    d->lo > 0 || d->hi < 0 ? "true" : "false", d->n_used, d->n_sessions);
            cli_json_str(f, v);
            fprintf(f, "}");
        }
    }
    fprintf(f, "],\"refused\":[");
    first = 1;
    for (size_t k = 0; k < r->np; k++) {
        const report_pair *p = &r->pairs[k];
        if (p->ok)
            continue;
        fprintf(f, "%s{\"a\":", first ? "" : ",");
        first = 0;
        cli_json_str(f, r->groups[p->a].name);
        fprintf(f, ",\"b\":");
        cli_json_str(f, r->groups[p->b].name);
        fprintf(f, ",\"reason\":");
        cli_json_str(f, p->why);
        fprintf(f, "}");
    }
    fprintf(f, "],\"bootstrap\":{\"replicates\":%d,\"seed\":%llu,\"level\":", r->opts.n_boot,
            (unsigned long long)r->opts.seed);
    cli_json_num(f, r->opts.level);
    fprintf(f, ",\"method\":\"paired over test sessions; seeds resampled within each group\"}}\n");
}

static void csv_row(FILE *f, const cs_run *run, const char *group, const cs_epoch *e, long step,
                    double secs, const char *metric, double v)
{
    cli_csv_str(f, run->name);
    fputc(',', f);
    cli_csv_str(f, group);
    fprintf(f, ",%d,", e->epoch);
    if (step >= 0)
        fprintf(f, "%ld", step);
    fprintf(f, ",%.6g,%s,", secs, metric);
    if (!isnan(v))
        fprintf(f, "%.10g", v);
    fputc('\n', f);
}

void report_csv(FILE *f, const report *r)
{
    fprintf(f, "run,group,epoch,step,seconds,metric,value\n");
    for (size_t j = 0; j < r->n; j++) {
        const cs_run *run = &r->runs[j];
        const char *g = r->groups[report_group_of(r, j)].name;
        double secs = 0;
        size_t b = 0;
        for (size_t i = 0; i < run->n_hist; i++) {
            const cs_epoch *e = &run->hist[i];
            secs += e->seconds;
            long step = -1;
            if (run->n_batch) {
                while (b < run->n_batch && run->batch_epoch[b] <= e->epoch)
                    b++;
                step = (long)b;
            }
            const struct {
                const char *k;
                double v;
            } m[] = {{"train_loss", e->train_loss},         {"valid_loss", e->valid_loss},
                     {"valid_accuracy", e->valid.accuracy}, {"valid_precision", e->valid.precision},
                     {"valid_recall", e->valid.recall},     {"valid_f1", e->valid.f1},
                     {"valid_roc_auc", e->valid.roc_auc},   {"valid_pr_auc", e->valid.pr_auc},
                     {"valid_threshold", e->valid.threshold}};
            for (size_t k = 0; k < sizeof m / sizeof m[0]; k++)
                csv_row(f, run, g, e, step, secs, m[k].k, m[k].v);
        }
    }
}

static void md_cell(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n' || *s == '\r')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

void report_markdown(FILE *f, const report *r)
{
    static const size_t cols[] = {3, 4, 0, 7, 11, 13, 14};   /* rows shown, by index */
    fprintf(f, "| group | runs |");
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
        fprintf(f, " %s |", report_rows[cols[c]].key);
    fprintf(f, "\n|---|---:|");
    for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++)
        fprintf(f, "---:|");
    fprintf(f, "\n");
    for (size_t g = 0; g < r->ng; g++) {
        fprintf(f, "| ");
        md_cell(f, r->groups[g].name);
        fprintf(f, " | %zu |", r->groups[g].n);
        for (size_t c = 0; c < sizeof cols / sizeof cols[0]; c++) {
            double m, s;
            report_group_stat(r, g, cols[c], &m, &s);
            int dec = report_rows[cols[c]].decimals;
            if (isnan(m))
                fprintf(f, " - |");
            else if (r->groups[g].n > 1)
                fprintf(f, " %.*f ± %.*f |", dec, m, dec, s);
            else
                fprintf(f, " %.*f |", dec, m);
        }
        fprintf(f, "\n");
    }
    if (r->np) {
        fprintf(f, "\nDifferences (paired bootstrap over the test sessions, %d replicates, %.0f %% interval):\n\n",
                r->opts.n_boot, 100 * r->opts.level);
        for (size_t k = 0; k < r->np; k++) {
            const report_pair *p = &r->pairs[k];
            for (int m = 0; m < CS_CMP_N; m++) {
                if (!p->ok && m > 0)
                    break;
                if (p->ok && !(r->metrics >> m & 1))
                    continue;
                char v[1400];
                if (p->ok)
                    cs_cmp_verdict(r->groups[p->a].name, r->groups[p->b].name, &p->d[m], v, sizeof v);
                else
                    snprintf(v, sizeof v, "%s vs %s: %s", r->groups[p->a].name, r->groups[p->b].name, p->why);
                fprintf(f, "- ");
                md_cell(f, v);
                fprintf(f, "\n");
            }
        }
    }
}

void report_verdicts(FILE *f, const report *r, int utf8)
{
    for (size_t k = 0; k < r->np; k++) {
        const report_pair *p = &r->pairs[k];
        if (!p->ok) {
            fprintf(f, "  %s vs %s: %s\n", r->groups[p->a].name, r->groups[p->b].name, p->why);
            continue;
        }
        for (int m = 0; m < CS_CMP_N; m++) {
            if (!(r->metrics >> m & 1))
                continue;
            char v[600];
            (utf8 ? cs_cmp_verdict : cs_cmp_verdict_ascii)(r->groups[p->a].name, r->groups[p->b].name, &p->d[m],
                                                         v, sizeof v);
            fprintf(f, "  %s\n", v);
        }
    }
}
