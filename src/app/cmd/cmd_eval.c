/* cmd_eval.c — `clickseq eval` (metrics of a saved run on data, at the run's stored
 * threshold) and `clickseq predict` (a CSV of session probabilities).
 *
 * The data is read with the run's own data options (view, method, max length...), with
 * any data parameter given on the command line on top (usually --data).  Event types are
 * matched to the training run by NAME: interned ids depend on the order a file lists
 * them, so the ids of the new data are remapped to the run's before predicting.  A features
 * view is matched by feature NAME the same way (columns reordered to the run's, a missing
 * one refused, extra ones ignored with a note on stderr). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/progress.h"
#include "app/commands.h"
#include "clickseq/pipeline.h"
#include "clickseq/runstore.h"
#include "clickseq/train.h"
#include "clickseq/xgb.h"

/* eval, predict and early take --threads N (not a run parameter: the run's own thread
 * count is how it trained, and the scores are the same for any count). */
#define THREADS_HELP "compute threads, 0 = all cores (default); the output is the same for any count"
/* --quiet of the commands whose only progress is the load line */
#define QUIET_OPT(q) {"quiet", NULL, "no progress line on stderr (drawn only on a terminal)", NULL, &(q)}

typedef struct scored_data {
    cs_run run;
    cs_dataset ds;
    cs_model *model;
    cs_xgb *xgb;      /* cell xgboost: the booster instead of a network */
    float *prob;
    size_t *idx;
    char data[512];   /* the data file actually read */
} scored_data;

static void scored_free(scored_data *s)
{
    cs_model_free(s->model);
    cs_xgb_free(s->xgb);
    free(s->prob);
    free(s->idx);
    cs_dataset_free(&s->ds);
    cs_run_free(&s->run);
}

/* What matching the data's features to the run by name did, on stderr. */
static void feat_notes(const char *cmd, const char *rundir, const cs_feat_match *fm)
{
    if (fm->positional)
        fprintf(stderr, "clickseq: %s: note: %s stores no feature names (saved before they were "
                "kept): the data's columns are taken by position\n", cmd, rundir);
    if (fm->n_extra)
        fprintf(stderr, "clickseq: %s: note: %zu column%s of the data not used by the run %s "
                "ignored: %s\n", cmd, fm->n_extra, fm->n_extra == 1 ? "" : "s",
                fm->n_extra == 1 ? "is" : "are", fm->extra);
    if (fm->n_zero)
        fprintf(stderr, "clickseq: %s: note: %zu of the run's features never occur%s in the data "
                "(one-hot levels or event types) and read as 0: %s\n", cmd, fm->n_zero,
                fm->n_zero == 1 ? "s" : "", fm->zero);
}

/* Load the run and the data, predict every session.  Returns an exit code (0 ok). */
static int score(const char *cmd, const char *rundir, const cli_args *a, int batch, int threads,
                 int quiet,
                 scored_data *s)
{
    cs_error err;
    memset(s, 0, sizeof *s);
    if (cs_run_load(rundir, CS_RUN_WEIGHTS, &s->run, &err) != CS_OK)
        return cli_report(&err);
    cs_run_config cfg = s->run.cfg;
    cfg.threads = threads;   /* --threads (default all cores), not the run's: same logits for any count */
    if (cli_apply(a, &cfg, &err) != CS_OK)
        return cli_report(&err);
    cs_ledger led;
    snprintf(s->data, sizeof s->data, "%s", cfg.data);
    app_loadbar lb;
    app_loadbar_init(&lb, quiet, cfg.data);
    cs_status st = cs_pipeline_load_progress(&cfg, &s->ds, &led, NULL, app_loadbar_cb, &lb, &err);
    app_loadbar_done(&lb);
    if (st != CS_OK)
        return cli_report(&err);
    if (s->ds.view != s->run.cfg.model.view) {
        cs_error_fmt(&err, CS_EINPUT, "the data gives a %s view, the run was trained on a %s view",
                     cs_view_name(s->ds.view), cs_view_name(s->run.cfg.model.view));
        return cli_report(&err);
    }
    cs_feat_match fm;
    int boosted = s->run.cfg.model.cell == CS_CELL_XGBOOST;
    if (cs_run_remap_types(&s->run, &s->ds, &err) != CS_OK ||
        cs_run_match_features(&s->run, &s->ds, &fm, &err) != CS_OK ||
        (boosted ? cs_xgb_run_load(&s->run, &s->xgb, &err)
                 : cs_run_model_new(&s->run, &s->model, &err)) != CS_OK)
        return cli_report(&err);
    feat_notes(cmd, rundir, &fm);
    cs_set_threads(cs_threads_resolve(cfg.threads));
    size_t n = s->ds.n;
    s->prob = malloc((n ? n : 1) * sizeof *s->prob);
    s->idx = malloc((n ? n : 1) * sizeof *s->idx);
    if (!s->prob || !s->idx) {
        cs_error_fmt(&err, CS_ENOMEM, "out of memory");
        return cli_report(&err);
    }
    for (size_t i = 0; i < n; i++)
        s->idx[i] = i;
    if (boosted && cs_xgb_set_threads(s->xgb, cs_threads_resolve(cfg.threads), &err) != CS_OK)
        return cli_report(&err);
    if ((boosted ? cs_xgb_predict(s->xgb, &s->ds, s->idx, n, s->prob, &err)
                 : cs_predict(s->model, &s->ds, s->idx, n, batch, s->prob, &err)) != CS_OK)
        return cli_report(&err);
    return 0;
}

/* The options eval and predict share, filled by cli_begin through their option tables. */
typedef struct scored_opts {
    const char *run, *threads, *out;
    int json, quiet;
} scored_opts;

/* What a command does with the scored data: returns its exit code. */
typedef int (*scored_body)(const scored_data *s, const char *dir, const scored_opts *o);

/* Parse the command line (--run or the first argument names the run), load the run, score
 * the data, hand it to the command's body and free it.  Returns the exit code. */
static int scored_main(const cli_spec *sp, int argc, char **argv, const scored_opts *o,
                       scored_body body)
{
    cli_args a;
    scored_data s;
    memset(&s, 0, sizeof s);
    int rc = cli_begin(sp, argc, argv, NULL, &a);
    if (rc >= 0)
        return rc;
    const char *dir = o->run ? o->run : a.n_pos ? a.pos[0] : NULL;
    cs_error err;
    if (!dir) {
        cs_error_fmt(&err, CS_EINPUT, "%s: --run RUNDIR is required (see --help)", sp->cmd);
        return cli_report(&err);
    }
    long threads = 0;
    if (o->threads && cli_long(sp, "threads", o->threads, 0, 256, &threads, &err))
        return cli_report(&err);
    rc = score(sp->cmd, dir, &a, 1024, (int)threads, o->quiet, &s);
    if (rc == 0)
        rc = body(&s, dir, o);
    scored_free(&s);
    return rc;
}

/* Out of memory: report it, exit code 1. */
static int runtime_failure(const char *what)
{
    cs_error err;
    cs_error_fmt(&err, CS_ERUNTIME, "%s", what);
    return cli_report(&err);
}

static int eval_body(const scored_data *s, const char *dir, const scored_opts *o)
{
    uint8_t *y = malloc(s->ds.n ? s->ds.n : 1);
    if (!y)
        return runtime_failure("out of memory");
    for (size_t i = 0; i < s->ds.n; i++)
        y[i] = s->ds.label[i] != 0;
    cs_metrics m;
    cs_metrics_compute(s->prob, y, s->ds.n, s->run.threshold, &m);
    free(y);
    if (o->json) {
        fputs("{\"run\":", stdout);
        cli_json_str(stdout, dir);
        fputs(",\"data\":", stdout);
        cli_json_str(stdout, s->data);
        fputs(",", stdout);
        cli_json_metrics(stdout, &m);
        fputs("}\n", stdout);
    } else {
        printf("run: %s (%s, threshold %.4g)\ndata: %s\n", dir, cs_cell_name(s->run.cfg.model.cell),
               s->run.threshold, s->data);
        cli_print_metrics(stdout, "eval", &m);
    }
    return 0;   /* a failed write on stdout is reported by main (close_stdout) */
}

int cmd_eval(int argc, char **argv)
{
    scored_opts o = {0};
    const cli_opt opts[] = {
        {"run", "RUNDIR", "the saved run to evaluate (or give it as the first argument)", &o.run, NULL},
        {"json", NULL, "print the results as JSON", NULL, &o.json},
        {"threads", "N", THREADS_HELP, &o.threads, NULL},
        QUIET_OPT(o.quiet),
    };
    const cli_spec sp = {"eval", "--run RUNDIR [--data FILE] [data options]",
                         "Evaluate a saved run on data (all its sessions) at the run's stored threshold.",
                         opts, sizeof opts / sizeof opts[0], CLI_DATA, 1};
    return scored_main(&sp, argc, argv, &o, eval_body);
}

static int predict_body(const scored_data *s, const char *dir, const scored_opts *o)
{
    (void)dir;
    int rc = 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = o->out ? open_memstream(&buf, &len) : stdout;
    if (!f)
        return runtime_failure("out of memory");
    fprintf(f, "session,probability,label\n");
    for (size_t i = 0; i < s->ds.n; i++) {
        if (s->ds.session_names)
            cli_csv_str(f, s->ds.session_names[i]);   /* session ids are user text */
        else
            fprintf(f, "%zu", i + 1);
        fprintf(f, ",%.6f,%d\n", s->prob[i], s->prob[i] >= s->run.threshold);
    }
    if (o->out) {
        cs_error err;
        if (fclose(f) != 0)
            rc = runtime_failure("out of memory");
        else if (cs_write_atomic(o->out, buf, len, &err) != CS_OK)
            rc = cli_report(&err);
        free(buf);
    }   /* on stdout: a failed write is reported by main (close_stdout) */
    return rc;
}

int cmd_predict(int argc, char **argv)
{
    scored_opts o = {0};
    const cli_opt opts[] = {
        {"run", "RUNDIR", "the saved run (or give it as the first argument)", &o.run, NULL},
        {"out", "FILE", "write the CSV here (atomically) instead of stdout", &o.out, NULL},
        {"threads", "N", THREADS_HELP, &o.threads, NULL},
        QUIET_OPT(o.quiet),
    };
    const cli_spec sp = {"predict", "--run RUNDIR [--data FILE] [--out FILE]",
                         "Write session,probability,label for every session of the data "
                         "(label: 1 when probability >= the run's threshold).",
                         opts, sizeof opts / sizeof opts[0], CLI_DATA, 1};
    return scored_main(&sp, argc, argv, &o, predict_body);
}
