/* cmd_runs.c — `clickseq compare` (saved runs side by side: the metrics, then the
 * parameters that differ) and `clickseq replay` (a run's history, epoch by epoch, at a
 * chosen speed). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/cli.h"
#include "app/commands.h"
#include "clickseq/runstore.h"

#define MAX_COMPARE 16

typedef struct row {
    const char *name;
    double (*get)(const cs_run *r);
    int decimals;
} row;

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
static double r_vf1(const cs_run *r)
{
    return r->best_epoch >= 1 && (size_t)r->best_epoch <= r->n_hist ? r->hist[r->best_epoch - 1].valid.f1 : NAN;
}
static double r_vpr(const cs_run *r)
{
    return r->best_epoch >= 1 && (size_t)r->best_epoch <= r->n_hist ? r->hist[r->best_epoch - 1].valid.pr_auc
                                                                    : NAN;
}

static const row rows[] = {
    {"test_f1", r_f1, 4},          {"test_precision", r_prec, 4},
    {"test_recall", r_rec, 4},     {"test_pr_auc", r_pr, 4},
    {"test_roc_auc", r_roc, 4},    {"test_accuracy", r_acc, 4},
    {"valid_f1", r_vf1, 4},        {"valid_pr_auc", r_vpr, 4},
    {"threshold", r_thr, 4},       {"best_epoch", r_best, 0},
    {"epochs_run", r_ep, 0},       {"seconds", r_sec, 1},
    {"nparams", r_np, 0},
};
#define NROWS (sizeof rows / sizeof rows[0])

/* Parameters whose values differ between the runs (data path included); at most cap. */
static size_t differing(const cs_run *runs, size_t n, const char **names, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < cs_param_count() && k < cap; i++) {
        const char *p = cs_param_at(i)->name;
        char a[600], b[600];
        cs_param_get(&runs[0].cfg, p, a, sizeof a);
        for (size_t j = 1; j < n; j++) {
            cs_param_get(&runs[j].cfg, p, b, sizeof b);
            if (strcmp(a, b)) {
                names[k++] = p;
                break;
            }
        }
    }
    return k;
}

static void compare_text(const cs_run *runs, size_t n, const char **diff, size_t nd)
{
    int w = 14;
    for (size_t j = 0; j < n; j++)
        if ((int)strlen(runs[j].name) + 2 > w)
            w = (int)strlen(runs[j].name) + 2;
    if (w > 30)
        w = 30;
    printf("%-16s", "");
    for (size_t j = 0; j < n; j++)
        printf("%*.*s", w, w - 2, runs[j].name);
    printf("\n");
    for (size_t i = 0; i < NROWS; i++) {
        printf("%-16s", rows[i].name);
        for (size_t j = 0; j < n; j++) {
            char v[64];
            double x = rows[i].get(&runs[j]);
            if (isnan(x))
                snprintf(v, sizeof v, "-");
            else
                snprintf(v, sizeof v, "%.*f", rows[i].decimals, x);
            printf("%*s", w, v);
        }
        printf("\n");
    }
    printf("%s\n", nd ? "parameters that differ:" : "all parameters are the same");
    for (size_t i = 0; i < nd; i++) {
        printf("  %-14s", diff[i]);
        for (size_t j = 0; j < n; j++) {
            char v[600];
            cs_param_get(&runs[j].cfg, diff[i], v, sizeof v);
            printf("%*.*s", w, w - 2, v);
        }
        printf("\n");
    }
}

static void compare_json(const cs_run *runs, size_t n, const char **diff, size_t nd)
{
    printf("{\"runs\":[");
    for (size_t j = 0; j < n; j++) {
        printf("%s{\"name\":", j ? "," : "");
        cli_json_str(stdout, runs[j].name);
        printf(",\"path\":");
        cli_json_str(stdout, runs[j].path);
        for (size_t i = 0; i < NROWS; i++) {
            printf(",\"%s\":", rows[i].name);
            cli_json_num(stdout, rows[i].get(&runs[j]));
        }
        printf(",\"params\":{");
        for (size_t i = 0; i < nd; i++) {
            char v[600];
            cs_param_get(&runs[j].cfg, diff[i], v, sizeof v);
            printf("%s\"%s\":", i ? "," : "", diff[i]);
            cli_json_str(stdout, v);
        }
        printf("}}");
    }
    printf("],\"differ\":[");
    for (size_t i = 0; i < nd; i++)
        printf("%s\"%s\"", i ? "," : "", diff[i]);
    printf("]}\n");
}

int cmd_compare(int argc, char **argv)
{
    int json = 0;
    const cli_opt opts[] = {{"json", NULL, "print the comparison as JSON", NULL, &json}};
    const cli_spec sp = {"compare", "RUNDIR RUNDIR... [--json]",
                         "Compare saved runs side by side: test and validation metrics, then the "
                         "parameters that differ.",
                         opts, 1, 0, MAX_COMPARE};
    cli_args a;
    cs_error err;
    int rc = cli_begin(&sp, argc, argv, NULL, &a);
    if (rc >= 0)
        return rc;
    if (a.n_pos < 1) {
        cs_error_fmt(&err, CS_EINPUT, "compare: give at least one run directory (see --help)");
        return cli_report(&err);
    }
    cs_run runs[MAX_COMPARE];
    size_t n = 0;
    rc = 0;
    for (int i = 0; i < a.n_pos; i++) {
        if (cs_run_load(a.pos[i], CS_RUN_HISTORY, &runs[n], &err) != CS_OK) {
            rc = cli_report(&err);
            break;
        }
        n++;
    }
    if (rc == 0) {
        const char *diff[128];
        size_t nd = differing(runs, n, diff, sizeof diff / sizeof diff[0]);
        if (json)
            compare_json(runs, n, diff, nd);
        else
            compare_text(runs, n, diff, nd);
    }
    for (size_t j = 0; j < n; j++)
        cs_run_free(&runs[j]);
    return rc;
}

/* ---------------------------------------------------------------- replay */

static void sleep_s(double s)
{
    if (!(s > 0))
        return;
    if (s > 60)
        s = 60;
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    nanosleep(&ts, NULL);
}

int cmd_replay(int argc, char **argv)
{
    const char *speed_s = NULL;
    int json = 0;
    const cli_opt opts[] = {
        {"speed", "X", "play X times faster than the run trained (0 = no waiting, the default)", &speed_s, NULL},
        {"json", NULL, "one JSON object per epoch", NULL, &json},
    };
    const cli_spec sp = {"replay", "RUNDIR [--speed X]",
                         "Print a saved run's history epoch by epoch, as it trained.", opts, 2, 0, 1};
    cli_args a;
    cs_error err;
    int rc = cli_begin(&sp, argc, argv, NULL, &a);
    if (rc >= 0)
        return rc;
    double speed = 0;
    if (speed_s) {
        char *end;
        speed = strtod(speed_s, &end);
        if (*end || !*speed_s || !(speed >= 0) || speed > 1e9) {
            cs_error_fmt(&err, CS_EINPUT, "replay: --speed '%s' is not a number >= 0", speed_s);
            return cli_report(&err);
        }
    }
    if (a.n_pos != 1) {
        cs_error_fmt(&err, CS_EINPUT, "replay: give one run directory (see --help)");
        return cli_report(&err);
    }
    cs_run r;
    if (cs_run_load(a.pos[0], CS_RUN_HISTORY | CS_RUN_BATCHES, &r, &err) != CS_OK)
        return cli_report(&err);
    if (!json)
        printf("run %s: %s, %zu parameters, %d epochs, best %d\n"
               "%5s %10s %10s %7s %7s %7s %7s %7s %6s %7s %7s %7s %7s %8s\n",
               r.name, cs_cell_name(r.cfg.model.cell), r.nparams, r.epochs_run, r.best_epoch, "epoch",
               "train_loss", "valid_loss", "F1", "prec", "recall", "PR-AUC", "ROC-AUC", "thr", "tp", "fp",
               "tn", "fn", "seconds");
    for (size_t i = 0; i < r.n_hist; i++) {
        const cs_epoch *e = &r.hist[i];
        if (speed > 0)
            sleep_s(e->seconds / speed);
        if (json) {
            cli_json_epoch(stdout, e);
            putchar('\n');
        } else
            printf("%5d %10.4f %10.4f %7.4f %7.4f %7.4f %7.4f %7.4f %6.3f %7ld %7ld %7ld %7ld %8.2f%s\n",
                   e->epoch, e->train_loss, e->valid_loss, e->valid.f1, e->valid.precision,
                   e->valid.recall, e->valid.pr_auc, e->valid.roc_auc, e->valid.threshold, e->valid.cm.tp,
                   e->valid.cm.fp, e->valid.cm.tn, e->valid.cm.fn, e->seconds,
                   e->epoch == r.best_epoch ? "  *best" : "");
        fflush(stdout);
    }
    if (!json && r.has_test)
        cli_print_metrics(stdout, "test", &r.test);
    cs_run_free(&r);
    return 0;
}
