/* app.c — the workbench: options, start-up and the main loop.
 *
 * The loop (htop/ncdu style): wait up to one tick for a key; route it (tui_handle_key,
 * screen.c) through the current screen's key table to an action (actions change state
 * and return reaction bits, they never draw); poll the worker's snapshot and the jobs;
 * tick the current screen (a replay advances); redraw when something changed — at once
 * after a key that asked for it, at most every 100 ms for live updates.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <ncurses.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/tui/app.h"
#include "app/tui/crt.h"
#include "app/tui/rl.h"
#include "app/tui/settings.h"
#include "clickseq/clock.h"
#include "clickseq/runfind.h"

#ifndef CS_DATADIR
#define CS_DATADIR "/usr/local/share/clickseq"
#endif

/* ======================= completion candidates ======================= */
/* Folders of runs one level below the runs directory (a sweep's) and their runs, as
 * "sweepA" and "sweepA/gru-s1" (compare takes both, replay the second): Tab descends. */
#define NESTED_MAX 128
static char nested[NESTED_MAX][TUI_RUN_REF];
static int nested_runs(const char *dir)
{
    int n = 0;
    DIR *d = opendir(dir);
    if (!d) return 0;
    struct dirent *e;
    char p[1200], q[1400];
    while ((e = readdir(d)) && n < NESTED_MAX - 1) {
        struct stat st;
        if (e->d_name[0] == '.' || snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= (int)sizeof p ||
            lstat(p, &st) != 0 || !S_ISDIR(st.st_mode) || cs_is_run_dir(p))
            continue;
        DIR *s = opendir(p);
        if (!s) continue;
        int first = n;
        struct dirent *f;
        while ((f = readdir(s)) && n < NESTED_MAX - 1) {
            if (f->d_name[0] == '.' || snprintf(q, sizeof q, "%s/%s", p, f->d_name) >= (int)sizeof q || !cs_is_run_dir(q) ||
                strlen(e->d_name) + strlen(f->d_name) + 2 > sizeof nested[0])
                continue;
            if (n == first) snprintf(nested[n++], sizeof nested[0], "%s", e->d_name);
            snprintf(nested[n++], sizeof nested[0], "%s/%s", e->d_name, f->d_name);
        }
        closedir(s);
    }
    closedir(d);
    return n;
}

static const char *const *candidates(int kind, const char *param, void *ctx)
{
    tui_app *a = ctx;
    static const char *list[TUI_MAX_RUNS + NESTED_MAX + 64];
    static const char *const cells[] = {"rnn", "gru", "lstm", NULL};
    static const char *const fmts[] = {"auto", "rees46", "yoochoose", "features", NULL};
    static const char *const views[] = {"loss", "metrics", "data", NULL};
    static const char *const focus[] = {"form", "runs", "plot", NULL};
    int n = 0;
    switch (kind) {
    case COMPL_COMMAND: return tui_cmd_words;
    case COMPL_CELL: return cells;
    case COMPL_FORMAT: return fmts;
    case COMPL_VIEW: return views;
    case COMPL_FOCUS: return focus;
    case COMPL_PARAM:
        for (size_t i = 0; i < cs_param_count() && n < 63; i++) list[n++] = cs_param_at(i)->name;
        break;
    case COMPL_VALUE: {
        const cs_param *p = cs_param_find(param);
        static const char *const yesno[] = {"no", "yes", NULL};
        if (p && p->choices) return p->choices;
        if (p && p->type == CS_P_BOOL) return yesno;
        break;
    }
    case COMPL_RUN:
        for (int i = a->nruns - 1; i >= 0; i--) list[n++] = a->runs[i].name;
        for (int i = 0, k = nested_runs(a->runs_dir); i < k; i++) list[n++] = nested[i];
        break;
    default: break;
    }
    list[n] = NULL;
    return list;
}

/* ======================= start-up ======================= */
/* The bundled demo: next to the binary (a build tree), one or two levels up (a build
 * directory inside the source tree, make distcheck's _build/sub), or the installed data
 * directory. */
static void find_demo(char *out, size_t n)
{
    char exe[PATH_MAX];
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    out[0] = '\0';
    if (k > 0) {
        exe[k] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) *slash = '\0';
        const char *rel[] = {"/data/demo-shop.csv", "/../data/demo-shop.csv",
                             "/../../data/demo-shop.csv"};   /* build dirs up to two deep */
        for (int i = 0; i < 3; i++) {
            snprintf(out, n, "%.400s%s", exe, rel[i]);
            if (access(out, R_OK) == 0) return;
        }
    }
    snprintf(out, n, "%s/demo-shop.csv", CS_DATADIR);
}

typedef struct tui_opts {
    int train_now, exit_when_done, no_ui, ascii, no_config, watch;
    const char *history, *runs;
} tui_opts;

/* The settings file under the command line: what the file says, then every parameter the
 * command line named.  A data file named on the command line does not take the remembered
 * file's reading options (outcomes, format, mapping, ...: they belonged to that file).
 * With --preset the command line is the whole configuration (the file is not read). */
static void apply_settings(tui_app *a, const cli_args *ca)
{
    static const char *const of_the_file[] = {"outcomes", "format", "map", "purchase-event", "header",
                                              "delim", "session-gap", "label", "drop", "time-col", "view"};
    char msg[1200];
    if (tui_settings_path(a->settings_path, sizeof a->settings_path) != 0) {
        a->settings_path[0] = '\0';
        return;
    }
    cs_run_config merged, def;
    cs_run_config_init(&merged);
    cs_run_config_init(&def);
    if (tui_settings_read(a->settings_path, &merged, NULL, msg, sizeof msg) > 0)
        tui_app_message(a, 1, "%s", msg);
    int data_named = 0;
    for (int i = 0; i < ca->n_set; i++) {
        const cs_param *p = cs_param_find(ca->set_name[i]);
        if (p && !strcmp(p->name, "data")) data_named = 1;
    }
    if (data_named)
        for (size_t k = 0; k < sizeof of_the_file / sizeof of_the_file[0]; k++) {
            char v[2048];
            cs_param_get(&def, of_the_file[k], v, sizeof v);
            cs_param_set(&merged, of_the_file[k], v, NULL);
        }
    for (int i = 0; i < ca->n_set; i++) {   /* in the order given: a list sets the depth */
        const cs_param *p = cs_param_find(ca->set_name[i]);
        char v[2048];
        if (!p) continue;
        cs_param_get(&a->cfg, p->name, v, sizeof v);
        cs_param_set(&merged, p->name, v, NULL);
    }
    a->cfg = merged;
}

/* Options: the workbench's own, plus every parameter of the table (--NAME VALUE,
 * --[no-]FLAG, --preset NAME) through the shared parser of the headless commands.
 * Returns -1 to go on, else the exit code. */
static int parse_args(tui_app *a, tui_opts *o, int argc, char **argv)
{
    const cli_opt opts[] = {
        {"runs", "DIR", "directory of saved runs (default ./runs)", &o->runs, NULL},
        {"history", "FILE", "command-line history (default $CLICKSEQ_HISTORY or ~/.clickseq_history)", &o->history, NULL},
        {"ascii", NULL, "draw curves with block characters instead of braille", NULL, &o->ascii},
        {"train", NULL, "start training the configured model at once", NULL, &o->train_now},
        {"exit-when-done", NULL, "quit when the queue of runs is empty (scripts, benchmarks)", NULL, &o->exit_when_done},
        {"no-ui", NULL, "no terminal: train through the same worker and monitor (benchmarks)", NULL, &o->no_ui},
        {"watch", NULL, "open on the watch view: the runs other processes are training below --runs (live records)", NULL, &o->watch},
        {"no-config", NULL, "neither read nor write the settings file ($XDG_CONFIG_HOME/clickseq/config, else ~/.config/clickseq/config)", NULL, &o->no_config},
    };
    const cli_spec sp = {"tui", "[--data FILE] [options] [RUN|DIR...]   (or: clickseq [--data FILE] [options] [RUN|DIR...])",
                         "Open the workbench (on the bundled demo without --data).  RUN|DIR...: saved runs anywhere, or "
                         "folders of runs, listed in the runs library and opened in compare (two or more runs).  "
                         "Keys: ? in the workbench; man clickseq.",
                         opts, sizeof opts / sizeof opts[0], CLI_ALL, TUI_MAX_PATHS};
    cli_args ca;
    cs_error err;
    /* argv[0] is the program or "tui": the parser skips it */
    switch (cli_parse(&sp, argc, argv, &a->cfg, &ca, &err)) {
    case CLI_HELP:
        cli_help(&sp, &a->cfg, stdout);
        return 0;
    case CLI_ERROR:
        return cli_report(&err);
    }
    if (o->runs) snprintf(a->runs_dir, sizeof a->runs_dir, "%s", o->runs);
    for (int i = 0; i < ca.n_pos; i++) {   /* runs anywhere: kept as paths (./ before a relative one) */
        const char *p = ca.pos[i];
        struct stat st;
        if (stat(p, &st) != 0) {
            fprintf(stderr, "clickseq: %s: cannot open: %s\n", p, strerror(errno));
            return 2;
        }
        if (!S_ISDIR(st.st_mode)) {
            fprintf(stderr, "clickseq: %s: not a run directory nor a folder of runs\n", p);
            return 2;
        }
        char ref[TUI_RUN_REF + 8];
        size_t L = strlen(p);
        while (L > 1 && p[L - 1] == '/') L--;   /* runs/sweepA/ -> runs/sweepA */
        int k = snprintf(ref, sizeof ref, "%s%.*s", tui_run_is_path(p) ? "" : "./", (int)L, p);
        if (k < 0 || (size_t)k >= TUI_RUN_REF) {
            fprintf(stderr, "clickseq: %.80s...: the path is too long\n", p);
            return 2;
        }
        tui_app_add_path(a, ref);
    }
    if (!o->no_config && !o->no_ui && !ca.preset) apply_settings(a, &ca);
    return -1;
}

/* --no-ui: the same worker and monitor without a terminal (benchmarks compare the two). */
static int run_headless(tui_app *a)
{
    tui_exec_line(a, "train");
    while (tui_worker_active(&a->worker) || a->nqueue) {
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
        tui_app_poll_jobs(a);
    }
    printf("%s\n", a->msg);
    return a->msg_err ? 1 : 0;
}

static void trace_key(FILE *tr, double t0)
{
    if (tr) fprintf(tr, "key_latency_us %.0f\n", (cs_now_s() - t0) * 1e6), fflush(tr);
}

static int loop(tui_app *a, tui_crt *crt, const tui_opts *o)
{
    tui_canvas cv = {0};
    FILE *tr = getenv("CLICKSEQ_TUI_TRACE") ? fopen(getenv("CLICKSEQ_TUI_TRACE"), "a") : NULL;
    double last_draw = 0, last_tick = cs_now_s();
    int dirty = 1, live = 0, ran = 0;
    for (;;) {
        if (tui_crt_signalled()) {   /* a signal or a closed terminal: the run is saved */
            tui_worker_interrupt(&a->worker);
            break;
        }
        int key = 0, fn = 0;
        double t_key = 0;
        int got = tui_crt_getkey(crt, dirty ? 0 : 40, &key, &fn);
        if (got && !fn && key == 26) {
            tui_crt_suspend(crt);   /* ^Z: suspend; fg brings the screen back, drawn anew */
            tui_canvas_free(&cv);
            dirty = 1;
        } else if (got) {
            t_key = cs_now_s();
            int r = tui_handle_key(a, key, fn);
            if (r & R_QUIT) break;
            dirty |= r & R_REDRAW;
        }
        int jobs = tui_app_poll_jobs(a);
        if (jobs & TUI_JOB_LIVE) live = 1;
        if (jobs & TUI_JOB_CHANGED) dirty = 1;
        if (jobs & TUI_JOB_ENDED) ran = 1;
        double t = cs_now_s();
        const tui_screen *scr = tui_screen_cur(a);
        if (scr->tick && scr->tick(a, t - last_tick)) live = 1;
        last_tick = t;
        if (o->exit_when_done && ran && !tui_worker_active(&a->worker) && !a->nqueue) break;
        if (dirty || (live && t - last_draw >= 0.1)) {
            if (cv.w != crt->w || cv.h != crt->h) {
                tui_canvas_free(&cv);
                if (tui_canvas_init(&cv, crt->w, crt->h, crt->unicode) != 0) break;
            }
            tui_draw(a, &cv);
            int cx = -1, cy = -1;
            if (a->cmdline) { tui_rl_text(&cx); cx += 1; cy = crt->h - 1; }
            tui_crt_show(crt, &cv, cx, cy);
            if (tr) fprintf(tr, "draw_us %.0f\n", (cs_now_s() - t) * 1e6);
            if (t_key > 0) trace_key(tr, t_key);
            last_draw = t;
            dirty = live = 0;
        }
    }
    tui_canvas_free(&cv);
    if (tr) fclose(tr);
    return 0;
}

int cmd_tui(int argc, char **argv)
{
    static tui_app app;     /* large: keep it off the stack */
    tui_app *a = &app;
    memset(a, 0, sizeof *a);
    cs_run_config_init(&a->cfg);
    snprintf(a->runs_dir, sizeof a->runs_dir, "runs");
    tui_screens_reset();
    tui_form_select("cell");
    tui_opts o = {0};
    int rc = parse_args(a, &o, argc, argv);
    if (rc >= 0) return rc;
    find_demo(a->demo_data, sizeof a->demo_data);
    if (!a->cfg.data[0]) snprintf(a->cfg.data, sizeof a->cfg.data, "%s", a->demo_data);
    cs_error err;
    if (tui_worker_init(&a->worker) != 0) {
        fprintf(stderr, "clickseq: out of memory\n");
        tui_worker_shutdown(&a->worker);
        return 1;
    }
    tui_app_refresh_runs(a);
    if (o.no_ui) {
        /* no screen: the data is read here, into the worker's cache (the run reuses it) */
        if (tui_eng_data_load(a->worker.cache, &a->cfg, &a->data, &err) == CS_OK) {
            a->data_ok = 1;
            tui_eng_use_data(&a->data);
        } else {
            fprintf(stderr, "clickseq: %s\n", err.msg);
            tui_worker_shutdown(&a->worker);
            return cs_status_exit_code(err.code);
        }
        rc = run_headless(a);
        tui_app_stop_jobs(a);
        tui_worker_shutdown(&a->worker);
        if (a->have_last) tui_run_free(&a->last);
        cs_snapshot_free(&a->snap);
        return rc;
    }
    tui_crt crt;
    char msg[256];
    if (tui_crt_init(&crt, msg, sizeof msg) != 0) {
        fprintf(stderr, "clickseq: %s\n", msg);
        tui_worker_shutdown(&a->worker);
        return 1;
    }
    a->unicode = crt.unicode;
    a->braille = crt.unicode && !o.ascii;
    tui_rl_init(o.history ? o.history : "", candidates, a);
    a->cmd_begin = tui_rl_begin;
    a->cmd_feed = tui_rl_feed;
    a->cmd_text = tui_rl_text;
    a->cmd_hint = tui_rl_hint;
    /* the first load runs on the loader's thread with the screen open (progress, keys,
     * Esc cancels), into a data cache the worker adopts: the first run reuses it; --train
     * starts once it has loaded (tui_app_finish_load) */
    a->loader.first = 1;
    a->train_after_load = o.train_now;
    if (tui_loader_start(&a->loader, &a->cfg) != 0)
        tui_app_message(a, 1, "cannot start the loading thread");
    if (a->npaths) tui_library_open_paths(a);   /* clickseq RUN|DIR...: the library, then compare */
    if (o.watch) {
        tui_exec_line(a, "watch");
        tui_app_message(a, 0, "watching the runs being trained below %s (? shows the keys)", a->runs_dir);
    }
    loop(a, &crt, &o);
    tui_crt_done(&crt);
    char smsg[1200];
    if (a->settings_path[0] && !tui_crt_signalled() &&
        tui_settings_write(a->settings_path, &a->cfg, a->demo_data, smsg, sizeof smsg) != 0)
        fprintf(stderr, "clickseq: settings not saved: %s\n", smsg);
    tui_rl_done();
    tui_app_stop_jobs(a);   /* quitting mid-sweep: the table of the runs that finished */
    tui_worker_shutdown(&a->worker);
    cs_data_cache_free(a->loader.cache);
    cs_data_cache_free(a->pending_cache);
    cs_snapshot_free(&a->snap);
    if (a->have_last) tui_run_free(&a->last);
    tui_screens_reset();   /* frees what the screens hold; waits for an :early job */
    int sig = tui_crt_signalled();
    if (sig) {   /* a closed terminal may take stderr with it: the message is best effort */
        fprintf(stderr, "clickseq: interrupted by signal %d; the run in progress is saved as "
                        "interrupted and the terminal is restored\n", sig);
        return 128 + sig;
    }
    return 0;
}
