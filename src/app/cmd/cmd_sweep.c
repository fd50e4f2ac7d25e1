/* cmd_sweep.c — `clickseq sweep`: a grid of runs from comma lists on top of any run option,
 * each run saved under --out DIR/<name>, and the results table (mean ± std over seeds)
 * written to DIR/results.csv, DIR/results.md and DIR/runs.csv and printed. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/cli.h"
#include "app/progress.h"
#include "app/commands.h"
#include "app/dist.h"
#include "app/livewrite.h"
#include "app/cmd/sweep_cli.h"
#include "app/stopsig.h"
#include "clickseq/clock.h"
#include "clickseq/rundir.h"
#include "clickseq/sweep.h"

/* The hooks' user data: the one monitor, the live record writer, the runs folder, the
 * load's progress line. */
typedef struct sweep_watch {
    cs_monitor *mon;
    app_live *live;
    const char *out;
    app_loadbar lb;
    int quiet;
} sweep_watch;

/* Headless progress: one line per finished run on stderr (none with --quiet). */
static void on_end(void *ud, size_t i, size_t n, const cs_run_config *cfg,
                   const cs_train_result *res, cs_status st, const cs_error *err)
{
    sweep_watch *w = ud;
    app_live_done(w->live);   /* saved (or failed): the record goes */
    app_loadbar_done(&w->lb);
    if (w->quiet)
        return;
    if (st || !res)
        fprintf(stderr, "%s[%zu/%zu] %s: failed: %s\n", app_dist_tag(), i + 1, n, cfg->name,
                err ? err->msg : "");
    else
        fprintf(stderr, "%s[%zu/%zu] %s: test F1 %.3f PR-AUC %.3f (%.1f s)\n", app_dist_tag(),
                i + 1, n, cfg->name, res->test.f1, res->test.pr_auc, res->seconds);
}

/* Every run of the sweep is watched through one monitor, which the signal watcher
 * interrupts and the live writer follows (OUT/.NAME.live while the run trains); between
 * runs the sweep asks whether a signal came. */
static cs_monitor *on_begin(void *ud, size_t i, size_t n, const cs_run_config *cfg)
{
    (void)i, (void)n;
    sweep_watch *w = ud;
    char run[1200];
    snprintf(run, sizeof run, "%s/%s", w->out, cfg->name);   /* where cs_sweep_run saves it */
    app_live_target(w->live, run, cfg);
    return w->mon;
}

static int on_cancelled(void *ud)
{
    (void)ud;
    return stopsig_caught() != 0;
}

/* The command line, for the record in results.md. */
static void command_line(int argc, char **argv, char *buf, size_t n)
{
    size_t len = (size_t)snprintf(buf, n, "clickseq");
    for (int i = 0; i < argc && len < n; i++)
        len += (size_t)snprintf(buf + len, n - len, " %s", argv[i]);
}

static const char sweep_usage[] =
    "--data FILE --out DIR [--PARAM V1,V2,...]... [--seeds N] [options]";
static const char sweep_summary[] =
    "Train every combination of the comma-separated parameter values (e.g. --cell rnn,gru,lstm "
    "--hidden 32,64 --lr 1e-3,3e-3 --max-len 10,300 --view sequence,features), --seeds runs "
    "each (seeds --seed, --seed+1, ...), save each run as DIR/<name>, and write DIR/results.csv, "
    "DIR/results.md (mean ± std over seeds) and DIR/runs.csv.  Per-layer sizes inside a "
    "list: --hidden 40:80.  Baselines (majority, has-cart, logistic regression and, when "
    "built with XGBoost, gradient boosting on session features) are added for each data configuration unless --no-baselines.";

int cmd_sweep(int argc, char **argv)
{
    const char *out = NULL, *seeds_s = NULL;
    int no_baselines = 0, stop_on_error = 0, json = 0, quiet = 0;
    cli_opt opts[] = {
        {"out", "DIR", "directory for the runs and the results tables (created)", &out, NULL},
        {"seeds", "N", "runs per configuration, seeds --seed .. --seed+N-1 (default 1)",
         &seeds_s, NULL},
        {"no-baselines", NULL, "do not add the baseline rows", NULL, &no_baselines},
        {"stop-on-error", NULL, "end the sweep when a run fails (default: report and go on)",
         NULL, &stop_on_error},
        {"json", NULL, "print the results (every run and the mean ± std per configuration) as "
         "JSON on stdout", NULL, &json},
        {"quiet", NULL, "no progress on stderr: neither the load's line (drawn only on a terminal) "
         "nor a line per run", NULL, &quiet},
    };
    cli_spec sp = {"sweep", sweep_usage, sweep_summary, opts, sizeof opts / sizeof opts[0],
                   CLI_ALL, 0};
    cs_run_config base;
    cs_sweep_grid g;
    cs_sweep_grid_init(&g);
    cs_results res;
    memset(&res, 0, sizeof res);
    cs_error err;
    cli_args a;
    int rc = cli_start(&sp, argc, argv, &base, &err, &a);
    if (rc >= 0)
        return rc;
    cs_status st = sweep_grid_from_args(&a, &base, &g, &err);
    if (!st && !out)
        st = cs_error_fmt(&err, CS_EINPUT, "sweep: --out DIR is required");
    if (!st && seeds_s && (sweep_parse_count(seeds_s, &g.seeds) || g.seeds < 1 || g.seeds > 1000))
        st = cs_error_fmt(&err, CS_EINPUT, "sweep: --seeds: '%s' is not a count 1..1000", seeds_s);
    if (!st && !base.data[0])
        st = cs_error_fmt(&err, CS_EINPUT, "sweep: --data FILE is required");
    if (!st)   /* before anything trains: runs are saved as DIR/NAME (63 bytes at most) */
        st = cs_run_dir_check(out, 0, 64, &err);
    if (st) {
        cs_sweep_grid_free(&g);
        return cli_report(&err);
    }
    const cs_comm *comm = app_dist_comm();   /* mpirun -np N: the runs over the ranks */
    base.threads = app_dist_threads(base.threads);
    if (app_dist_rank() == 0 && !quiet)
        fprintf(stderr, "sweep: %zu configurations x %d seeds = %zu runs -> %s%s\n",
                cs_sweep_grid_size(&g), g.seeds, cs_sweep_grid_runs(&g), out,
                comm ? " (handed out to the MPI ranks as they finish runs)" : "");
    sweep_watch sw;
    memset(&sw, 0, sizeof sw);
    sw.quiet = quiet;
    app_loadbar_init(&sw.lb, quiet || app_dist_rank() != 0, base.data);   /* rank 0 draws */
    cs_data_cache *dc = cs_data_cache_new();   /* with the load's progress line */
    if (dc)
        cs_data_cache_set_progress(dc, app_loadbar_cb, &sw.lb);
    cs_sweep_opts so = {out, stop_on_error, !no_baselines, dc, 0, comm};
    /* SIGINT/SIGTERM/SIGHUP stop the run in progress (saved as interrupted) and the sweep;
     * the tables are written for the runs so far and the command exits 128 + signal */
    cs_monitor *mon = cs_monitor_new();
    stopsig_watch watch;
    stopsig_catch();
    sw.mon = mon;
    if (!dc || !mon || stopsig_watch_start(&watch, mon) != 0) {
        stopsig_restore();
        cs_data_cache_free(dc);
        cs_monitor_free(mon);
        cs_sweep_grid_free(&g);
        return cs_error_fmt(&err, CS_ENOMEM, "sweep: out of memory"), cli_report(&err);
    }
    sw.live = app_live_start(mon);
    sw.out = out;
    cs_sweep_hooks hooks = {&sw, on_begin, on_end, on_cancelled};
    cs_set_threads(base.threads);   /* once, for every run */
    double t0 = cs_now_s();
    st = cs_sweep_run(&base, &g, &so, &hooks, &res, &err);
    double wall = cs_now_s() - t0;
    app_loadbar_done(&sw.lb);
    cs_data_cache_free(dc);
    stopsig_watch_stop(&watch);
    app_live_stop(sw.live);
    cs_monitor_free(mon);
    stopsig_restore();
    if (app_dist_rank() != 0) {   /* its rows and its failure went to rank 0, which reports */
        cs_results_free(&res);
        cs_sweep_grid_free(&g);
        return 0;
    }
    int sig = stopsig_caught();
    if (sig && st == CS_ECANCEL)
        st = CS_OK;   /* stopped on request: the runs so far make the tables */
    if (!st) {
        char cmd[4096];
        command_line(argc, argv, cmd, sizeof cmd);
        st = sweep_write_tables(&res, out, "Sweep results", cmd, wall, -1, &err);
    }
    if (!st && json) {
        st = sweep_print_json(stdout, &res, wall, &err);
    } else if (!st) {
        char *md = cs_results_markdown(&res, -1);
        if (md)
            fputs(md, stdout);
        free(md);
        printf("\n%zu runs in %.1f s; tables in %s/results.{csv,md}, every run in %s/runs.csv\n",
               res.n, wall, out, out);
    }
    if (sig) {
        size_t finished = 0;
        const char *cut = NULL;   /* the run in progress, saved as interrupted */
        size_t n_cut = 0;         /* several under mpirun: one per rank */
        for (size_t i = 0; i < res.n; i++)
            if (strcmp(res.rows[i].status, "interrupted"))
                finished++;
            else if (n_cut++ == 0)
                cut = res.rows[i].run;
        char cuts[64] = "";
        if (n_cut > 1)
            snprintf(cuts, sizeof cuts, " (and %zu more, one per MPI rank: runs.csv)", n_cut - 1);
        fprintf(stderr, "clickseq: sweep interrupted by %s after %zu finished run%s%s%s%s%s%s%s\n",
                stopsig_name(sig), finished, finished == 1 ? "" : "s",
                cut ? "; the run in progress is saved as interrupted in " : "", cut ? cut : "", cuts,
                st ? "" : "; the tables of the runs so far are in ", st ? "" : out,
                st ? "" : "/results.{csv,md}");
        if (st)
            cli_report(&err);
        cs_results_free(&res);
        cs_sweep_grid_free(&g);
        return 128 + sig;
    }
    size_t lost = 0;   /* runs that failed or could not be saved (a diverged run is saved) */
    for (size_t i = 0; !st && i < res.n; i++)
        lost += !strcmp(res.rows[i].status, "failed") || !strcmp(res.rows[i].status, "unsaved");
    if (lost) {
        fprintf(stderr, "clickseq: sweep: %zu of %zu runs failed or could not be saved (marked in "
                        "%s/runs.csv and results.md); the tables hold the others\n", lost, res.n, out);
        cs_results_free(&res);
        cs_sweep_grid_free(&g);
        return 1;
    }
    cs_results_free(&res);
    cs_sweep_grid_free(&g);
    return st ? cli_report(&err) : 0;
}
