/* cmd_train.c — `clickseq train`: every parameter as an option, load the data, train
 * with a progress line on stderr, save the run directory, print the final metrics.
 *
 * The trainer runs on the main thread; a small progress thread reads the monitor's
 * snapshots (the same channel the workbench uses) and draws the line.  SIGINT, SIGTERM and
 * SIGHUP (a closed terminal) only set a flag; the progress thread turns it into an
 * interrupt request, the trainer stops after the current batch, and the run is saved with
 * every finished epoch as `interrupted`; the command then exits 128 + the signal (130,
 * 143, 129).  A second SIGINT kills the program (the run store keeps the disk consistent
 * anyway).  A diverged run is saved too (status `diverged`, exit 1).  Without --out the
 * run takes the next free name (NAME-TIME, NAME-TIME-2 ...), claimed atomically. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/progress.h"
#include "app/commands.h"
#include "app/dist.h"
#include "app/fmt.h"
#include "app/livewrite.h"
#include "app/stopsig.h"
#include "clickseq/runner.h"
#include "clickseq/runstore.h"
#include "clickseq/train.h"

typedef struct progress {
    cs_monitor *mon;
    int tty, quiet;
    atomic_int done;     /* set by the main thread when training has returned */
    size_t epochs_printed;
    int boosting;        /* cell xgboost: an "epoch" is a boosting round */
} progress;

static void print_epoch(const cs_epoch *e, int epochs, int tty, int boosting)
{
    if (boosting) {
        fprintf(stderr, "%sround %d (of at most %d)  train loss %.4f  valid loss %.4f  F1 %.4f  "
                        "PR-AUC %.4f  ROC-AUC %.4f  thr %.3f\n",
                tty ? "\r\033[K" : "", e->epoch, epochs, e->train_loss, e->valid_loss,
                e->valid.f1, e->valid.pr_auc, e->valid.roc_auc, e->valid.threshold);
        return;
    }
    fprintf(stderr, "%sepoch %d/%d  train loss %.4f  valid loss %.4f  F1 %.4f  PR-AUC %.4f  ROC-AUC %.4f"
                    "  thr %.3f  %.1f s  %.0f ev/s\n",
            tty ? "\r\033[K" : "", e->epoch, epochs, e->train_loss, e->valid_loss, e->valid.f1,
            e->valid.pr_auc, e->valid.roc_auc, e->valid.threshold, e->seconds, e->events_per_s);
}

/* Draw what changed since the last call. */
static void progress_draw(progress *p, cs_snapshot *s)
{
    if (!cs_monitor_read(p->mon, s) || p->quiet)
        return;
    for (; p->epochs_printed < s->n_hist; p->epochs_printed++)
        print_epoch(&s->hist[p->epochs_printed], s->epochs, p->tty, p->boosting);
    if (p->tty && s->state == CS_RUN_RUNNING && s->batches > 0) {
        char eta[32];
        app_fmt_dur(s->eta_s, eta, sizeof eta);   /* the workbench's format: M:SS or H:MM:SS */
        float loss = s->n_batch_loss ? s->batch_loss[s->n_batch_loss - 1] : NAN;
        fprintf(stderr, "\r\033[Kepoch %d/%d  batch %ld/%ld  loss %.4f  %.0fk ev/s  ETA %s", s->epoch,
                s->epochs, s->batch, s->batches, loss, s->events_per_s / 1000, eta);
    } else if (p->tty && s->state == CS_RUN_PAUSED)
        fprintf(stderr, "\r\033[Kpaused");
    fflush(stderr);
}

static void *progress_main(void *arg)
{
    progress *p = arg;
    cs_snapshot s;
    memset(&s, 0, sizeof s);
    while (!atomic_load(&p->done)) {
        if (stopsig_caught())
            cs_monitor_interrupt(p->mon);
        progress_draw(p, &s);
        struct timespec ts = {0, 100 * 1000000L};
        nanosleep(&ts, NULL);
    }
    progress_draw(p, &s);   /* the last epochs */
    if (p->tty && !p->quiet)
        fprintf(stderr, "\r\033[K");
    cs_snapshot_free(&s);
    return NULL;
}

/* runs/<name> with a time stamp when no --out was given. */
static void default_out(const cs_run_config *c, char *buf, size_t n)
{
    char stamp[32];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    if (c->name[0])
        snprintf(buf, n, "runs/%s-%s", c->name, stamp);
    else
        snprintf(buf, n, "runs/%s-h%d-%s", cs_cell_name(c->model.cell), c->model.hidden[0], stamp);
}

/* mkdir -p of dir's parent, so a bad path fails before training, not after. */
static int make_parents(const char *dir, cs_error *err)
{
    char p[1024];
    snprintf(p, sizeof p, "%s", dir);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            cs_error_set(err, CS_EIO, p, 0, 0, "cannot create the directory: %s", strerror(errno));
            return 0;
        }
        *s = '/';
    }
    return 1;
}

/* Before training: the run can be saved where asked (cs_run_dir_check says what is wrong:
 * a parent that is a file, a name too long, no write permission, a run already there);
 * an automatic name needs its folder (it takes the next free name in it). */
static int out_is_usable(const char *dir, int named, cs_error *err)
{
    char parent[1024];
    snprintf(parent, sizeof parent, "%s", dir);
    char *slash = strrchr(parent, '/');
    if (slash)
        *slash = '\0';
    else
        snprintf(parent, sizeof parent, ".");
    if (named ? cs_run_dir_check(dir, 1, 0, err) != CS_OK : cs_run_dir_check(parent, 0, 64, err) != CS_OK)
        return 0;
    return make_parents(dir, err);
}

static void print_json(const char *dir, const cs_trained *t)
{
    FILE *f = stdout;
    const cs_train_result *r = &t->res;
    fputs("{\"run\":", f);
    cli_json_str(f, dir);
    fprintf(f, ",\"cell\":\"%s\",\"nparams\":%zu,\"sessions\":%zu,\"train\":%zu,\"valid\":%zu,\"test\":%zu,",
            cs_cell_name(t->cfg.model.cell), r->model ? cs_model_nparams(r->model) : 0,
            t->n_sessions, t->n_train,
            t->n_valid, t->n_test);
    fprintf(f, "\"epochs_run\":%zu,\"best_epoch\":%d,\"stopped\":%s,\"status\":\"%s\",\"seconds\":",
            r->n_hist, r->best_epoch, r->stopped ? "true" : "false", cs_run_status_name(r->status));
    cli_json_num(f, r->seconds);
    fputs(",\"threshold\":", f);
    cli_json_num(f, r->threshold);
    fputs(",\"history\":[", f);
    for (size_t i = 0; i < r->n_hist; i++) {
        if (i)
            fputc(',', f);
        cli_json_epoch(f, &r->hist[i]);
    }
    fputs("],\"test\":", f);
    if (r->has_test) {
        fputc('{', f);
        cli_json_metrics(f, &r->test);
        fputc('}', f);
    } else
        fputs("null", f);
    fputs("}\n", f);
}

/* The run is watched by a progress thread reading the monitor; it turns the signal flag
 * into an interrupt request (the best weights so far are kept and saved as interrupted). */
typedef struct watch {
    progress p;
    app_loadbar lb;      /* the load's line (a TTY, not --quiet) */
    pthread_t th;
    int have_thread;
    app_live *live;   /* the live record beside the run's final place (rank 0) */
} watch;

/* The monitor and the signal handlers around one cs_run_train; watch_end joins the
 * progress thread (started by on_ready) and returns the signal caught, 0 if none. */
static void watch_begin(watch *w, int quiet, int tty, const char *data)
{
    memset(w, 0, sizeof *w);
    app_loadbar_init(&w->lb, quiet || !tty, data);
    w->p.mon = cs_monitor_new();
    w->p.tty = tty;
    w->p.quiet = quiet;
    stopsig_catch();
}

static int watch_end(watch *w)
{
    app_loadbar_done(&w->lb);   /* a load that failed */
    atomic_store(&w->p.done, 1);
    if (w->have_thread)
        pthread_join(w->th, NULL);
    app_live_stop(w->live);   /* after the save: the run replaces its record */
    cs_monitor_free(w->p.mon);
    stopsig_restore();
    return stopsig_caught();
}

/* SIGINT/SIGTERM/SIGHUP are caught from the start (a signal while the data loads stops
 * the run as soon as training starts) until stopsig_restore. */
/* A part of the split with one class only: the model trains (or is measured) on nothing
 * it could tell apart, and the AUCs come out NaN.  Said on stderr even with --quiet. */
static void warn_one_class(const char *part, size_t n, size_t pos)
{
    if (n == 0 || (pos > 0 && pos < n))
        return;
    fprintf(stderr, "clickseq: WARNING: the %s split has %s (%zu of %zu sessions %s)%s\n", part,
            pos ? "no negative sessions" : "no positive sessions", pos, n, "positive",
            !strcmp(part, "training") ? ": the model cannot learn to tell buyers from the others; its "
                                        "metrics are NaN or meaningless"
                                      : ": its ROC-AUC and PR-AUC are NaN");
}

/* cs_run_train's ready hook: the data line, then the progress thread. */
static void on_ready(void *ud, const cs_trained *t)
{
    watch *w = ud;
    app_loadbar_done(&w->lb);
    warn_one_class("training", t->n_train, t->pos_train);
    warn_one_class("validation", t->n_valid, t->pos_valid);
    warn_one_class("test", t->n_test, t->pos_test);
    if (!w->p.quiet)
        fprintf(stderr, "data: %zu sessions (%.2f%% positive), split %s: train %zu, valid %zu, test %zu\n",
                t->n_sessions, 100 * t->positive_rate, cs_split_kind_name(t->cfg.split), t->n_train,
                t->n_valid, t->n_test);
    w->p.boosting = t->cfg.model.cell == CS_CELL_XGBOOST;
    w->have_thread = w->p.mon && pthread_create(&w->th, NULL, progress_main, &w->p) == 0;
    if (w->p.mon && !w->have_thread && stopsig_caught())
        cs_monitor_interrupt(w->p.mon);
}

/* A rank other than 0 of a data-parallel run (mpirun -np N clickseq train): it trains its
 * share of every batch in step with the others and writes nothing (rank 0 saves the run and
 * prints); it says only what is its own (a failure that is not the shared divergence). */
static int other_rank(cs_run_config *cfg, const cs_comm *comm)
{
    cs_error err;
    cs_error_clear(&err);
    watch w;
    watch_begin(&w, 1, 0, cfg->data);   /* quiet: the thread still turns a signal into the shared stop request */
    cs_run_opts ro = {NULL, w.p.mon, NULL, on_ready, &w, comm, NULL, NULL};
    cs_trained t;
    cs_status st = cs_run_train(cfg, &ro, &t, &err);
    int sig = watch_end(&w), rc = 0;
    if (st && !(st == CS_ERUNTIME && t.res.status == CS_STATUS_DIVERGED)) {
        fprintf(stderr, "%s", app_dist_tag());
        rc = cli_report(&err);
    } else if (st)
        rc = 1;
    if (sig)
        rc = 128 + sig;
    cs_trained_free(&t);
    return rc;
}

static int run_train(cs_run_config *cfg, const char *out, int json, int quiet)
{
    cs_error err;
    cs_error_clear(&err);
    const cs_comm *comm = app_dist_comm();   /* mpirun -np N: data-parallel */
    cfg->threads = app_dist_threads(cfg->threads);   /* record the real count */
    if (app_dist_rank() != 0) {
        if (cs_run_config_check(cfg, &err) != CS_OK)
            return cli_report(&err);
        cs_set_threads(cfg->threads);
        return other_rank(cfg, comm);
    }
    char dir[1024];
    if (out)
        snprintf(dir, sizeof dir, "%s", out);
    else
        default_out(cfg, dir, sizeof dir);
    if (cs_run_config_check(cfg, &err) != CS_OK || !out_is_usable(dir, out != NULL, &err))
        return cli_report(&err);
    cs_set_threads(cfg->threads);                       /* once, for the process */
    watch w;
    watch_begin(&w, quiet, isatty(2), cfg->data);
    w.live = app_live_start(w.p.mon);   /* DIR/.NAME.live while it trains (live.h) */
    app_live_target(w.live, dir, cfg);
    if (comm && !quiet)
        fprintf(stderr, "data-parallel on %d MPI ranks: %d sessions of each batch of %d per rank, "
                        "%d thread(s) each\n", comm->size, (cfg->batch + comm->size - 1) / comm->size,
                cfg->batch, cfg->threads);
    /* an automatic name is saved here, as the next free one; --out by cs_run_train */
    cs_run_opts ro = {NULL, w.p.mon, out ? dir : NULL, on_ready, &w, comm, app_loadbar_cb, &w.lb};
    cs_trained t;
    cs_status st = cs_run_train(cfg, &ro, &t, &err);
    if (!out && t.trained) {
        cs_error se;
        cs_status ss = cs_trained_save_as(&t, dir, 1, t.dir, sizeof t.dir, &se);
        t.saved = ss == CS_OK;
        if (ss && !st) {
            st = ss;
            err = se;
        } else if (ss) {   /* diverged and not saved */
            cli_report(&se);
            st = ss;
        }
    }
    int sig = watch_end(&w), rc = 0;
    int diverged = st == CS_ERUNTIME && t.saved && t.res.status == CS_STATUS_DIVERGED;
    if (t.saved && out && strcmp(t.dir, dir))
        fprintf(stderr, "clickseq: %s was taken by another run while this one trained; the run "
                        "is saved as %s\n", dir, t.dir);
    if (st != CS_OK && !diverged)
        rc = cli_report(&err);
    else if (json)
        print_json(t.dir, &t);
    else {
        printf("run: %s\n", t.dir);
        if (t.xgb)
            printf("model: xgboost, %d trees kept; %zu boosting rounds (best %d, early-stopped "
                   "on validation PR-AUC)%s, %.1f s\n", t.res.best_epoch, t.res.n_hist,
                   t.res.best_epoch,
                   t.res.status == CS_STATUS_INTERRUPTED ? ", interrupted"
                   : t.res.stopped ? ", stopped early on request" : "", t.res.seconds);
        else
            printf("model: %s, %zu trainable parameters; %zu epochs (best %d)%s, %.1f s\n",
                   cs_cell_name(t.cfg.model.cell), cs_model_nparams(t.res.model), t.res.n_hist,
                   t.res.best_epoch,
                   t.res.status == CS_STATUS_INTERRUPTED ? ", interrupted"
                   : t.res.status == CS_STATUS_DIVERGED  ? ", diverged"
                   : t.res.stopped                       ? ", stopped early on request" : "",
                   t.res.seconds);
        if (t.res.has_test)
            cli_print_metrics(stdout, "test", &t.res.test);
        else
            printf("test: no test sessions (train-frac + valid-frac leave none)\n");
    }
    if (diverged) {
        rc = cli_report(&err);
        fprintf(stderr, "clickseq: the run is saved in %s (status diverged, %zu finished epochs)\n",
                t.dir, t.res.n_hist);
    } else if (sig && t.saved)
        fprintf(stderr, "clickseq: interrupted by %s: the run is saved in %s (status %s, %zu "
                        "finished epochs)\n", stopsig_name(sig), t.dir,
                cs_run_status_name(t.res.status), t.res.n_hist);
    else if (sig)
        fprintf(stderr, "clickseq: interrupted by %s\n", stopsig_name(sig));
    if (sig)
        rc = 128 + sig;
    cs_trained_free(&t);
    return rc;
}

int cmd_train(int argc, char **argv)
{
    const char *out = NULL;
    int json = 0, quiet = 0;
    const cli_opt opts[] = {
        {"out", "RUNDIR", "save the run in this directory (default runs/NAME-TIME)", &out, NULL},
        {"json", NULL, "print the results as JSON on stdout", NULL, &json},
        {"quiet", NULL, "no progress lines on stderr (they are drawn only on a terminal)", NULL, &quiet},
    };
    const cli_spec sp = {"train", "--data FILE [options]",
                         "Train a model on a data file and save the run (config, history, weights).",
                         opts, sizeof opts / sizeof opts[0], CLI_ALL, 0};
    cs_run_config cfg;
    cs_run_config_init(&cfg);
    cli_args a;
    cs_error err;
    int rc = cli_begin(&sp, argc, argv, &cfg, &a);
    if (rc >= 0)
        return rc;
    if (!cfg.data[0]) {
        cs_error_fmt(&err, CS_EINPUT, "train: --data FILE is required (see --help)");
        return cli_report(&err);
    }
    return run_train(&cfg, out, json, quiet);
}
