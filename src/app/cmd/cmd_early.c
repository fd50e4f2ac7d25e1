/* cmd_early.c — `clickseq early`: how early can we know?  A trained sequence model on the
 * first k events of each session, F1 / PR-AUC against k, as CSV (see early.h for the exact
 * definition of the sessions counted at each k). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/cli.h"
#include "app/progress.h"
#include "app/commands.h"
#include "app/stopsig.h"
#include "app/cmd/sweep_cli.h"
#include "clickseq/early.h"
#include "clickseq/runstore.h"

/* "20" -> 1..20, "3..12" -> 3..12 */
static int parse_k(const char *s, int *lo, int *hi)
{
    const char *dots = strstr(s, "..");
    char a[32];
    if (!dots) {
        *lo = 1;
        return sweep_parse_count(s, hi) || *hi < 1 ? -1 : 0;
    }
    size_t n = (size_t)(dots - s);
    if (n == 0 || n >= sizeof a)
        return -1;
    memcpy(a, s, n);
    a[n] = '\0';
    if (sweep_parse_count(a, lo) || sweep_parse_count(dots + 2, hi))
        return -1;
    return *lo >= 1 && *hi >= *lo && *hi <= 10000 ? 0 : -1;
}

static const char early_summary[] =
    "Evaluate a trained sequence model (honest method) on the first k events of each session, "
    "k = 1..20 by default, at the run's stored threshold.  At k only sessions with MORE than k "
    "input events are counted (events before the first purchase): the session is still going "
    "and has not bought yet.  Sessions: the run's own test sessions (or --all).  Prints CSV "
    "(k,sessions,positives,positive_rate,f1,precision,recall,pr_auc,roc_auc,threshold,tp,fp,"
    "tn,fn) or writes it to --out.  Data options override the run's (e.g. --data if the file "
    "moved).";

/* [{"k": 1, "sessions": .., "positives": .., <metrics>}, ...] */
static void print_json(const cs_early_point *p, size_t n)
{
    fputc('[', stdout);
    for (size_t i = 0; i < n; i++) {
        printf("%s{\"k\": %d, \"sessions\": %ld, \"positives\": %ld, ", i ? ",\n " : "",
               p[i].k, p[i].sessions, p[i].positives);
        cli_json_metrics(stdout, &p[i].m);
        fputc('}', stdout);
    }
    fputs("]\n", stdout);
}

static int cancelled(void *ud)
{
    (void)ud;
    return stopsig_caught() != 0;
}

int cmd_early(int argc, char **argv)
{
    const char *run_dir = NULL, *k_s = NULL, *out = NULL, *threads_s = NULL;
    int all = 0, json = 0, quiet = 0;
    cli_opt opts[] = {
        {"run", "RUNDIR", "the trained run", &run_dir, NULL},
        {"k", "K|A..B", "prefix lengths: 1..K or A..B (default 1..20)", &k_s, NULL},
        {"out", "FILE", "write the CSV here instead of stdout", &out, NULL},
        {"all", NULL, "every session of the data, not only the run's test sessions", NULL, &all},
        {"json", NULL, "print the curve as JSON on stdout (the CSV still goes to --out)", NULL,
         &json},
        {"threads", "N", "compute threads, 0 = all cores (default); the curve is the same for any "
         "count", &threads_s, NULL},
        {"quiet", NULL, "no progress line and no per-k lines on stderr (the progress line is drawn "
         "only on a terminal)", NULL, &quiet},
    };
    cli_spec sp = {"early", "--run RUNDIR [--k 1..20] [--out FILE] [data options]",
                   early_summary, opts, sizeof opts / sizeof opts[0], CLI_DATA, 0};
    cli_args a;
    int rc = cli_begin(&sp, argc, argv, NULL, &a);   /* --help (defaults), usage errors */
    if (rc >= 0)
        return rc;
    cs_error err;
    cs_early_opts eo;
    cs_early_opts_init(&eo);
    eo.all_sessions = all;
    if (!run_dir)
        return cs_error_fmt(&err, CS_EINPUT, "early: --run RUNDIR is required"), cli_report(&err);
    if (k_s && parse_k(k_s, &eo.k_min, &eo.k_max))
        return cs_error_fmt(&err, CS_EINPUT, "early: --k: '%s' is not K or A..B with 1 <= A <= B",
                            k_s), cli_report(&err);
    long threads = 0;   /* --threads (default all cores), not the run's: the same curve for any count */
    if (threads_s && cli_long(&sp, "threads", threads_s, 0, 256, &threads, &err))
        return cli_report(&err);
    cs_run run;
    memset(&run, 0, sizeof run);
    cs_status st = cs_run_load(run_dir, CS_RUN_WEIGHTS, &run, &err);
    if (st)
        return cli_report(&err);
    cs_run_config cfg = run.cfg;   /* the run's configuration, then the command line's */
    cfg.threads = (int)threads;
    st = cli_apply(&a, &cfg, &err);
    size_t np = (size_t)(eo.k_max - eo.k_min + 1);
    cs_early_point *pts = st ? NULL : calloc(np, sizeof *pts);
    if (!st && !pts)
        st = cs_error_fmt(&err, CS_ENOMEM, "out of memory");
    int sig = 0;
    if (!st) {
        cs_set_threads(cs_threads_resolve(cfg.threads));
        eo.cancelled = cancelled;   /* SIGINT/TERM/HUP stop it between prefix lengths */
        app_loadbar lb;
        app_loadbar_init(&lb, quiet, cfg.data);
        eo.progress = app_loadbar_cb;
        eo.progress_ctx = &lb;
        stopsig_catch();
        st = cs_early_from_run(&run, &cfg, &eo, pts, &err);
        app_loadbar_done(&lb);
        stopsig_restore();
        sig = stopsig_caught();
    }
    if (sig) {   /* nothing is written: the curve is incomplete */
        fprintf(stderr, "clickseq: early interrupted by %s: nothing written\n", stopsig_name(sig));
        free(pts);
        cs_run_free(&run);
        return 128 + sig;
    }
    char *csv = st ? NULL : cs_early_csv(pts, np);
    if (!st && !csv)
        st = cs_error_fmt(&err, CS_ENOMEM, "out of memory");
    if (!st && out)
        st = cs_write_file_atomic(out, csv, &err);
    else if (!st && !json)
        fputs(csv, stdout);
    if (!st && json)
        print_json(pts, np);
    if (!st && !quiet)
        for (size_t i = 0; i < np; i++)
            fprintf(stderr, "k=%-3d sessions %-7ld positives %-6ld F1 %.3f PR-AUC %.3f\n",
                    pts[i].k, pts[i].sessions, pts[i].positives, pts[i].m.f1, pts[i].m.pr_auc);
    free(csv);
    free(pts);
    cs_run_free(&run);
    return st ? cli_report(&err) : 0;
}
