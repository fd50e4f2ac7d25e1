/* cmd_runs.c — `clickseq replay` (a run's history, epoch by epoch, at a chosen speed).
 * `clickseq compare` is cmd_compare.c. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/cli.h"
#include "app/commands.h"
#include "clickseq/runstore.h"

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
        printf("run %s: %s, %zu parameters, %d epochs, best %d, %s\n"
               "%5s %10s %10s %7s %7s %7s %7s %7s %6s %7s %7s %7s %7s %8s\n",
               r.name, cs_cell_name(r.cfg.model.cell), r.nparams, r.epochs_run, r.best_epoch,
               cs_run_status_name(r.status), "epoch",
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
        if (speed > 0 && fflush(stdout) != 0)   /* paced: show each epoch as it comes */
            break;                              /* main reports the write error */
    }
    if (!json && r.has_test)
        cli_print_metrics(stdout, "test", &r.test);
    cs_run_free(&r);
    return 0;
}
