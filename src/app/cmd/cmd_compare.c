/* cmd_compare.c — `clickseq compare`: saved runs side by side (the metrics, then the
 * parameters that differ), their seed groups (mean ± std) and, for every two groups
 * scored on the same test sessions, the paired-bootstrap difference in test PR-AUC,
 * ROC-AUC and F1 with its interval and a verdict (report.h, compare.h).  --json, --csv
 * (long-format histories) and --md write the same comparison for other tools. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/report.h"
#include "clickseq/runfind.h"

static void compare_text(const report *rep)
{
    const cs_run *runs = rep->runs;
    size_t n = rep->n;
    int w = 14;
    for (size_t j = 0; j < n; j++)
        if ((int)strlen(runs[j].name) + 2 > w)
            w = (int)strlen(runs[j].name) + 2;
    if (w > 30)
        w = 30;
    printf("%-16s", "");
    for (size_t j = 0; j < n; j++) {
        const char *nm = runs[j].name;
        size_t L = strlen(nm);
        if ((int)L > w - 2)   /* elided in the middle, never cut silently */
            printf("%*s%.*s~%s", 2, "", (w - 3) / 2, nm, nm + L - (size_t)(w - 3 - (w - 3) / 2));
        else
            printf("%*s", w, nm);
    }
    printf("\n");
    for (size_t i = 0; i < report_n_rows; i++) {
        printf("%-16s", report_rows[i].key);
        for (size_t j = 0; j < n; j++) {
            char v[64];
            double x = report_rows[i].get(&runs[j]);
            if (isnan(x))
                snprintf(v, sizeof v, "-");
            else
                snprintf(v, sizeof v, "%.*f", report_rows[i].decimals, x);
            printf("%*s", w, v);
        }
        printf("\n");
    }
    const char **diff = NULL;
    size_t nd = report_differing(runs, n, &diff);
    printf("%s\n", nd ? "parameters that differ:" : "all parameters are the same");
    for (size_t i = 0; i < nd; i++) {   /* full values, one run per line when long */
        char v[1024];
        int fits = 1;
        for (size_t j = 0; j < n; j++) {
            cs_param_get(&runs[j].cfg, diff[i], v, sizeof v);
            fits &= (int)strlen(v) <= w - 2;
        }
        printf("  %-14s", diff[i]);
        for (size_t j = 0; j < n; j++) {
            cs_param_get(&runs[j].cfg, diff[i], v, sizeof v);
            if (fits)
                printf("%*s", w, v);
            else
                printf("\n    %-*s %s", w - 2, runs[j].name, v);
        }
        printf("\n");
    }
    free(diff);
    for (size_t j = 1; j < n; j++)
        if (runs[j].fingerprint != runs[0].fingerprint) {
            printf("warning: the runs were trained on different data (fingerprints %016llx, %016llx...)\n",
                   (unsigned long long)runs[0].fingerprint, (unsigned long long)runs[j].fingerprint);
            break;
        }
}

static void groups_text(const report *rep)
{
    static const size_t show[] = {3, 4, 0};   /* test PR-AUC, ROC-AUC, F1 */
    printf("groups (runs that differ only by seed; mean ± std over the runs):\n");
    for (size_t g = 0; g < rep->ng; g++) {
        printf("  %-20s %2zu run%s", rep->groups[g].name, rep->groups[g].n, rep->groups[g].n == 1 ? " " : "s");
        for (size_t c = 0; c < sizeof show / sizeof show[0]; c++) {
            double m, s;
            report_group_stat(rep, g, show[c], &m, &s);
            printf("  %s %.4f ± %.4f", report_rows[show[c]].key, m, s);
        }
        printf("\n");
    }
    if (rep->np) {
        printf("differences (paired bootstrap over the test sessions, seeds resampled within groups; "
               "%d replicates, %.0f %% interval):\n",
               rep->opts.n_boot, 100 * rep->opts.level);
        report_verdicts(stdout, rep, 1);
    }
}

/* pr_auc,roc_auc,f1 -> bit mask */
static int parse_metrics(const char *s, unsigned *mask, cs_error *err)
{
    *mask = 0;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", s);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        int m = 0;
        while (m < CS_CMP_N && strcmp(t, cs_cmp_metric_key((cs_cmp_metric)m) + 5))
            m++;
        if (m == CS_CMP_N) {
            cs_error_fmt(err, CS_EINPUT, "compare: --metric '%s': choose from pr_auc, roc_auc, f1", t);
            return -1;
        }
        *mask |= 1u << m;
    }
    if (!*mask) {
        cs_error_fmt(err, CS_EINPUT, "compare: --metric is empty");
        return -1;
    }
    return 0;
}

/* Load each argument: a run directory, or every run below a directory; a plain file
 * (results.csv when a shell expands a sweep folder with a star) is skipped with a note. */
static int load_args(const cli_args *a, cs_run **runs, size_t *n, cs_error *err)
{
    for (int i = 0; i < a->n_pos; i++) {
        const char *p = a->pos[i];
        struct stat st;
        if (stat(p, &st) != 0) {
            cs_error_set(err, CS_EINPUT, p, 0, 0, "cannot open: %s", strerror(errno));
            return -1;
        }
        if (!S_ISDIR(st.st_mode)) {
            fprintf(stderr, "clickseq: compare: skipping %s: not a run directory\n", p);
            continue;
        }
        size_t before = *n, bad = 0;
        cs_error bad_msg;
        if (cs_is_run_dir(p)) {
            cs_run *g = realloc(*runs, (*n + 1) * sizeof *g);
            if (!g) {
                cs_error_fmt(err, CS_ENOMEM, "compare: out of memory");
                return -1;
            }
            *runs = g;
            if (cs_run_load(p, CS_RUN_HISTORY | CS_RUN_BATCHES | CS_RUN_SCORES, &g[*n], err) != CS_OK)
                return -1;
            (*n)++;
            continue;
        }
        if (cs_run_find(p, CS_RUN_HISTORY | CS_RUN_BATCHES | CS_RUN_SCORES, CS_RUN_FIND_DEPTH, runs, n, &bad,
                        &bad_msg, err) != CS_OK)
            return -1;
        if (bad) {
            *err = bad_msg;
            return -1;
        }
        if (*n == before) {
            cs_error_set(err, CS_EINPUT, p, 0, 0, "not a run directory, and no runs below it");
            return -1;
        }
    }
    return 0;
}

int cmd_compare(int argc, char **argv)
{
    int json = 0, csv = 0, md = 0, table = 0;
    const char *boot_s = NULL, *seed_s = NULL, *metric_s = NULL;
    const cli_opt opts[] = {
        {"json", NULL, "print the comparison (runs, groups, differences) as JSON", NULL, &json},
        {"csv", NULL, "print the runs' histories as long-format CSV (run,group,epoch,step,seconds,metric,value)",
         NULL, &csv},
        {"md", NULL, "print the groups table and the verdicts as Markdown", NULL, &md},
        {"table", NULL, "allow a single run: print its summary table", NULL, &table},
        {"bootstrap", "N", "bootstrap replicates (default 2000)", &boot_s, NULL},
        {"boot-seed", "N", "seed of the bootstrap's resampling (default 1)", &seed_s, NULL},
        {"metric", "LIST", "differences to report: pr_auc,roc_auc,f1 (default all three)", &metric_s, NULL},
    };
    const cli_spec sp = {"compare", "RUN RUN... [--json | --csv | --md] | RUN --table",
                         "Compare saved runs: test and validation metrics, the parameters that differ, "
                         "seed groups (runs that differ only by seed) with mean ± std, and for every two "
                         "groups tested on the same sessions the difference in test PR-AUC, ROC-AUC and F1 "
                         "with a 95 % paired-bootstrap interval.  A directory that is not a run stands for "
                         "every run below it (a sweep's folder).",
                         opts, sizeof opts / sizeof opts[0], 0, CLI_MAX_SET};
    cli_args a;
    cs_error err;
    int rc = cli_begin(&sp, argc, argv, NULL, &a);
    if (rc >= 0)
        return rc;
    rc = 0;
    cs_cmp_opts co;
    cs_cmp_opts_init(&co);
    long v;
    unsigned mask = 0;
    if (boot_s) {
        if (cli_long(&sp, "bootstrap", boot_s, 1, 1000000, &v, &err))
            return cli_report(&err);
        co.n_boot = (int)v;
    }
    if (seed_s) {
        if (cli_long(&sp, "boot-seed", seed_s, 0, 0x7fffffffL, &v, &err))
            return cli_report(&err);
        co.seed = (uint64_t)v;
    }
    if (metric_s && parse_metrics(metric_s, &mask, &err))
        return cli_report(&err);
    if (json + csv + md > 1) {
        cs_error_fmt(&err, CS_EINPUT, "compare: choose one of --json, --csv, --md");
        return cli_report(&err);
    }
    if (a.n_pos < 1) {
        cs_error_fmt(&err, CS_EINPUT, "compare: give two or more run directories (see --help)");
        return cli_report(&err);
    }
    cs_run *runs = NULL;
    size_t n = 0;
    report rep;
    memset(&rep, 0, sizeof rep);
    if (load_args(&a, &runs, &n, &err))
        rc = cli_report(&err);
    else if (n == 0) {
        cs_error_fmt(&err, CS_EINPUT, "compare: no run directory among the arguments");
        rc = cli_report(&err);
    } else if (n == 1 && !table) {
        cs_error_fmt(&err, CS_EINPUT,
                     "compare: only one run (%s): give two or more runs, or --table for its summary",
                     runs[0].name);
        rc = cli_report(&err);
    } else if (report_build(&rep, runs, n, &co, mask, &err) != CS_OK)
        rc = cli_report(&err);
    else {
        if (json)
            report_json(stdout, &rep);
        else if (csv)
            report_csv(stdout, &rep);
        else if (md)
            report_markdown(stdout, &rep);
        else {
            compare_text(&rep);
            if (n > 1)
                groups_text(&rep);
        }
        for (size_t k = 0; k < rep.np; k++)   /* refusals also on stderr, whatever the format */
            if (!rep.pairs[k].ok && (json || csv || md))
                fprintf(stderr, "clickseq: compare: %s vs %s: %s\n", rep.groups[rep.pairs[k].a].name,
                        rep.groups[rep.pairs[k].b].name, rep.pairs[k].why);
    }
    report_free(&rep);
    for (size_t j = 0; j < n; j++)
        cs_run_free(&runs[j]);
    free(runs);
    return rc;
}
