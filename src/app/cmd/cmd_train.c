/* cmd_train.c — `clickseq train`: every parameter as an option, load the data, train
 * with a progress line on stderr, save the run directory, print the final metrics.
 *
 * The trainer runs on the main thread; a small progress thread reads the monitor's
 * snapshots (the same channel the workbench uses) and draws the line.  SIGINT/SIGTERM
 * ask the trainer to stop after the current batch; the run is then saved as stopped.
 * A second SIGINT kills the program (the run store keeps the disk consistent anyway). */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/tui/canvas.h"
#include "clickseq/pipeline.h"
#include "clickseq/runstore.h"
#include "clickseq/train.h"

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

typedef struct progress {
    cs_monitor *mon;
    int tty, quiet;
    atomic_int done;     /* set by the main thread when training has returned */
    size_t epochs_printed;
} progress;

static void print_epoch(const cs_epoch *e, int epochs, int tty)
{
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
        print_epoch(&s->hist[p->epochs_printed], s->epochs, p->tty);
    if (p->tty && s->state == CS_RUN_RUNNING && s->batches > 0) {
        char eta[32];
        tui_fmt_dur(s->eta_s, eta, sizeof eta);   /* the workbench's format: M:SS or H:MM:SS */
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
        if (interrupted)
            cs_monitor_stop(p->mon);
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

static int out_is_usable(const char *dir, cs_error *err)
{
    struct stat st;
    if (!make_parents(dir, err))
        return 0;
    if (stat(dir, &st) != 0)
        return 1;
    if (!S_ISDIR(st.st_mode)) {
        cs_error_set(err, CS_EINPUT, dir, 0, 0, "exists and is not a directory");
        return 0;
    }
    /* the run store refuses a non-empty directory; say so before training, not after */
    cs_run r;
    cs_error e;
    if (cs_run_load(dir, 0, &r, &e) == CS_OK) {
        cs_run_free(&r);
        cs_error_set(err, CS_EINPUT, dir, 0, 0, "already holds a run (choose another --out)");
        return 0;
    }
    return 1;
}

static void print_json(const char *dir, const cs_run_config *c, const cs_dataset *ds,
                       const cs_split *sp, const cs_train_result *r, size_t np)
{
    FILE *f = stdout;
    fputs("{\"run\":", f);
    cli_json_str(f, dir);
    fprintf(f, ",\"cell\":\"%s\",\"nparams\":%zu,\"sessions\":%zu,\"train\":%zu,\"valid\":%zu,\"test\":%zu,",
            cs_cell_name(c->model.cell), np, ds->n, sp->n_train, sp->n_valid, sp->n_test);
    fprintf(f, "\"epochs_run\":%zu,\"best_epoch\":%d,\"stopped\":%s,\"seconds\":", r->n_hist,
            r->best_epoch, r->stopped ? "true" : "false");
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

/* cs_train with a progress thread reading the monitor, and SIGINT/SIGTERM turned into a
 * stop request (the best weights so far are kept and saved). */
static cs_status train_watched(cs_run_config *cfg, const cs_dataset *ds, const cs_split *sp,
                               int quiet, cs_train_result *res, cs_error *err)
{
    cs_monitor *mon = cs_monitor_new();
    progress p = {mon, isatty(2), quiet, 0, 0};
    pthread_t th;
    int have_thread = mon && pthread_create(&th, NULL, progress_main, &p) == 0;
    struct sigaction sa, old_int, old_term;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESETHAND;   /* a second Ctrl-C ends the program */
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    cs_status st = cs_train(cfg, ds, sp, mon, res, err);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    atomic_store(&p.done, 1);
    if (have_thread)
        pthread_join(th, NULL);
    cs_monitor_free(mon);
    return st;
}

static int run_train(cs_run_config *cfg, const char *out, int json, int quiet)
{
    cs_error err;
    cs_error_clear(&err);
    char dir[1024];
    if (out)
        snprintf(dir, sizeof dir, "%s", out);
    else
        default_out(cfg, dir, sizeof dir);
    if (cs_run_config_check(cfg, &err) != CS_OK || !out_is_usable(dir, &err))
        return cli_report(&err);
    cfg->threads = cs_threads_resolve(cfg->threads);   /* record the real count */
    cs_set_threads(cfg->threads);                       /* once, for the process */
    cs_dataset ds;
    cs_ledger led;
    cs_split sp;
    memset(&sp, 0, sizeof sp);
    cs_train_result res;
    memset(&res, 0, sizeof res);
    int rc = 0;
    if (cs_pipeline_load(cfg, &ds, &led, NULL, &err) != CS_OK)
        return cli_report(&err);
    if (cs_split_make(&sp, &ds, cfg->split, cfg->train_frac, cfg->valid_frac, cfg->seed, &err) != CS_OK) {
        rc = cli_report(&err);
        goto done;
    }
    cs_model_config_from_data(&cfg->model, &ds);
    cs_run_config_absolute_paths(cfg);   /* the run should find its data from anywhere */
    if (!quiet)
        fprintf(stderr, "data: %zu sessions (%.2f%% positive), split %s: train %zu, valid %zu, test %zu\n",
                ds.n, 100 * cs_dataset_positive_rate(&ds), cs_split_kind_name(cfg->split), sp.n_train,
                sp.n_valid, sp.n_test);
    if (train_watched(cfg, &ds, &sp, quiet, &res, &err) != CS_OK) {
        rc = cli_report(&err);
        goto done;
    }
    size_t np = cs_model_nparams(res.model);
    cs_weights w;
    cs_weights_of_model(res.model, &w);
    /* every event type, by id 1..n (at most 256 were kept before: eval then refused the
     * data of a run trained on more types) */
    cs_run_save_info info = {ds.fingerprint, ds.type_names ? (const char *const *)ds.type_names + 1 : NULL,
                             ds.type_names ? ds.n_types : 0, &w, np};
    if (cs_run_save(dir, cfg, &res, &info, &err) != CS_OK) {
        rc = cli_report(&err);
        goto done;
    }
    if (json)
        print_json(dir, cfg, &ds, &sp, &res, np);
    else {
        printf("run: %s\n", dir);
        printf("model: %s, %zu trainable parameters; %zu epochs (best %d)%s, %.1f s\n",
               cs_cell_name(cfg->model.cell), np, res.n_hist, res.best_epoch,
               res.stopped ? ", stopped early on request" : "", res.seconds);
        if (res.has_test)
            cli_print_metrics(stdout, "test", &res.test);
        else
            printf("test: no test sessions (train-frac + valid-frac leave none)\n");
    }
done:
    cs_train_result_free(&res);
    cs_split_free(&sp);
    cs_dataset_free(&ds);
    return rc;
}

int cmd_train(int argc, char **argv)
{
    const char *out = NULL;
    int json = 0, quiet = 0;
    const cli_opt opts[] = {
        {"out", "RUNDIR", "save the run in this directory (default runs/NAME-TIME)", &out, NULL},
        {"json", NULL, "print the results as JSON on stdout", NULL, &json},
        {"quiet", NULL, "no progress on stderr", NULL, &quiet},
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
