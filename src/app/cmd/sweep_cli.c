/* sweep_cli.c — the command line of the experiment commands (see sweep_cli.h). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cmd/sweep_cli.h"

cs_status sweep_grid_from_args(const cli_args *a, cs_run_config *base, cs_sweep_grid *g,
                               cs_error *err)
{
    cs_status st;
    if (a->preset && (st = cs_run_config_preset(base, a->preset, err)) != CS_OK)
        return st;
    for (int k = 0; k < a->n_set; k++) {
        const cs_param *p = cs_param_find(a->set_name[k]);
        const char *v = a->set_value[k];
        if (p && p->type != CS_P_STRING && strchr(v, ',')) {
            if ((st = cs_sweep_grid_add(g, p->name, v, err)) != CS_OK)
                return st;
            continue;
        }
        char one[1024];
        snprintf(one, sizeof one, "%s", v);
        if (p && p->type == CS_P_INTLIST)
            for (char *c = one; *c; c++)
                if (*c == ':')
                    *c = ',';
        if ((st = cs_param_set(base, a->set_name[k], one, err)) != CS_OK)
            return st;
    }
    /* logistic regression trains with the baseline's schedule unless the user set it */
    g->convex = 1;
    g->convex_keep = cli_schedule_keep(a);
    return cs_sweep_grid_check(g, base, err);
}

int sweep_parse_count(const char *s, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || *end || errno || v < 0 || v > INT_MAX)
        return -1;
    *out = (int)v;
    return 0;
}

static void json_keys(FILE *f, const cs_results *res, const cs_result *row)
{
    fputs("\"keys\": {", f);
    for (size_t k = 0; k < res->n_keys; k++) {
        fputs(k ? ", " : "", f);
        cli_json_str(f, res->key_names[k]);
        fputs(": ", f);
        cli_json_str(f, row->key[k]);
    }
    fputc('}', f);
}

cs_status sweep_print_json(FILE *f, const cs_results *res, double wall_s, cs_error *err)
{
    cs_result_group *gr = NULL;
    size_t ng = 0;
    cs_status st = cs_results_group(res, &gr, &ng, err);
    if (st)
        return st;
    fputs("{\"seconds\": ", f);
    cli_json_num(f, wall_s);
    fputs(",\n \"runs\": [", f);
    for (size_t i = 0; i < res->n; i++) {
        const cs_result *row = &res->rows[i];
        fputs(i ? ",\n  {" : "\n  {", f);
        json_keys(f, res, row);
        fprintf(f, ", \"seed\": %llu, \"run\": ", (unsigned long long)row->seed);
        cli_json_str(f, row->run);
        fputs(", \"status\": ", f);
        cli_json_str(f, row->status[0] ? row->status : "done");
        if (row->note[0]) {
            fputs(", \"note\": ", f);
            cli_json_str(f, row->note);
        }
        fprintf(f, ", \"nparams\": %zu, \"seconds\": ", row->nparams);
        cli_json_num(f, row->seconds);
        fputs(", \"test\": {", f);
        cli_json_metrics(f, &row->test);
        fputs("}}", f);
    }
    fputs("],\n \"groups\": [", f);
    for (size_t g = 0; g < ng; g++) {
        fputs(g ? ",\n  {" : "\n  {", f);
        json_keys(f, res, &res->rows[gr[g].first]);
        fprintf(f, ", \"runs\": %d, \"nparams\": %zu", gr[g].runs, gr[g].nparams);
        for (int m = 0; m < CS_RM_N; m++) {
            fprintf(f, ", \"%s\": {\"mean\": ", cs_result_metric_name((cs_result_metric)m));
            cli_json_num(f, gr[g].stat[m].mean);
            fputs(", \"std\": ", f);
            cli_json_num(f, gr[g].stat[m].std);
            fputc('}', f);
        }
        fputc('}', f);
    }
    fputs("]}\n", f);
    free(gr);
    return CS_OK;
}

cs_status sweep_write_tables(const cs_results *res, const char *dir, const char *title,
                             const char *cmdline, double wall_s, int pivot, cs_error *err)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/results.csv", dir);
    cs_status st = cs_results_write_csv(res, path, err);
    snprintf(path, sizeof path, "%s/runs.csv", dir);
    if (!st)
        st = cs_results_write_runs_csv(res, path, err);
    if (st)
        return st;
    char *md = cs_results_markdown(res, pivot);
    if (!md)
        return cs_error_fmt(err, CS_ENOMEM, "out of memory for the results table");
    size_t cap = strlen(md) + strlen(cmdline) + strlen(title) + 512;
    char *doc = malloc(cap);
    if (!doc) {
        free(md);
        return cs_error_fmt(err, CS_ENOMEM, "out of memory for the results table");
    }
    snprintf(doc, cap,
             "# %s\n\nCommand: `%s`\n\nTest-set metrics, mean ± sample std over seeds "
             "(runs per row in `runs`; every run in runs.csv).\n\n%s\nWall time: %.1f s.\n",
             title, cmdline, md, wall_s);
    snprintf(path, sizeof path, "%s/results.md", dir);
    st = cs_write_file_atomic(path, doc, err);
    free(doc);
    free(md);
    return st;
}
