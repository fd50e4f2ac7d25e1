/* app.c — the workbench: options, the main loop, key tables and commands.
 *
 * The loop (htop/ncdu style): wait up to one tick for a key; route it through the
 * current screen's key table to an action (actions change state and return reaction
 * bits, they never draw); poll the worker's snapshot; advance a replay; redraw when
 * something changed — at once after a key, at most every 100 ms for live updates.
 */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ncurses.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/tui/app.h"
#include "app/tui/crt.h"
#include "app/tui/rl.h"

#ifndef CS_DATADIR
#define CS_DATADIR "/usr/local/share/clickseq"
#endif

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* ======================= the form ======================= */
static int form_move(tui_app *a, int dir)
{
    /* the form shows model, training, then data parameters: move in that order */
    int order[128], n = 0;
    static const int groups[3] = {1, 2, 0};
    for (int g = 0; g < 3; g++)
        for (size_t i = 0; i < tui_eng_param_count() && n < 128; i++)
            if (tui_eng_param_at(i)->group == groups[g]) order[n++] = (int)i;
    if (n == 0) return R_REDRAW;
    int k = 0;
    while (k < n && order[k] != a->form_sel) k++;
    k = (k + dir + n) % n;
    a->form_sel = order[k];
    return R_REDRAW;
}

static int form_step(tui_app *a, int dir)
{
    const cs_param *p = tui_eng_param_at((size_t)a->form_sel);
    cs_error err;
    if (p->type == CS_P_ENUM || p->type == CS_P_BOOL) {
        tui_eng_param_cycle(&a->cfg, p->name, dir, &err);
    } else {
        char v[128], nv[128];
        tui_eng_param_get(&a->cfg, p->name, v, sizeof v);
        double x = strtod(v, NULL);
        int mult = !strcmp(p->name, "hidden") || !strcmp(p->name, "batch") || !strncmp(p->name, "emb-", 4) ||
                   !strcmp(p->name, "lr") || !strcmp(p->name, "hash-buckets") || !strcmp(p->name, "weight-decay");
        if (mult) x = dir > 0 ? (x > 0 ? x * 2 : 1) : x / 2;
        else if (p->type == CS_P_DOUBLE)
            x += dir * (p->max <= 1 ? 0.05 : 0.5);   /* fractions step by 0.05 */
        else x += dir;
        if (p->type == CS_P_STRING) {
            tui_app_message(a, 0, "%s: Enter edits the text", p->name);
            return R_REDRAW;
        }
        if (p->type == CS_P_DOUBLE) snprintf(nv, sizeof nv, "%.6g", x);
        else snprintf(nv, sizeof nv, "%.0f", floor(x));
        if (tui_eng_param_set(&a->cfg, p->name, nv, &err) != CS_OK)
            tui_app_message(a, 1, "%s", err.msg);
        else
            a->msg[0] = '\0';
    }
    return R_REDRAW;
}

static int form_edit_key(tui_app *a, int key, int fn)
{
    size_t n = strlen(a->edit);
    if (!fn && key == 27) { a->form_edit = 0; a->msg[0] = '\0'; return R_REDRAW; }
    if ((!fn && (key == '\r' || key == '\n')) || (fn && key == KEY_ENTER)) {
        const cs_param *p = tui_eng_param_at((size_t)a->form_sel);
        cs_error err;
        a->form_edit = 0;
        if (tui_eng_param_set(&a->cfg, p->name, a->edit, &err) != CS_OK)
            tui_app_message(a, 1, "refused: %s", err.msg);
        else
            tui_app_message(a, 0, "%s = %s", p->name, a->edit);
        return R_REDRAW;
    }
    if ((fn && key == KEY_BACKSPACE) || (!fn && (key == 127 || key == 8))) {
        if (n) a->edit[n - 1] = '\0';
        return R_REDRAW;
    }
    if (!fn && key >= 32 && key < 127 && n + 1 < sizeof a->edit) {
        a->edit[n] = (char)key;
        a->edit[n + 1] = '\0';
    }
    return R_REDRAW;
}

/* ======================= key tables ======================= */
typedef int (*tui_action)(tui_app *);
typedef struct tui_key { int key, fn; tui_action act; } tui_key;

static int a_up(tui_app *a)
{
    if (a->focus == 1) { if (a->runs_sel > 0) a->runs_sel--; return R_REDRAW; }
    return form_move(a, -1);
}
static int a_down(tui_app *a)
{
    if (a->focus == 1) { if (a->runs_sel + 1 < a->nruns) a->runs_sel++; return R_REDRAW; }
    return form_move(a, 1);
}
static int a_left(tui_app *a) { return a->focus == 0 ? form_step(a, -1) : R_NONE; }
static int a_right(tui_app *a) { return a->focus == 0 ? form_step(a, 1) : R_NONE; }
static int a_mark(tui_app *a) { return tui_exec_line(a, "mark"); }
static int a_enter(tui_app *a)
{
    if (a->focus == 1) return a_mark(a);
    const cs_param *p = tui_eng_param_at((size_t)a->form_sel);
    if (p->type == CS_P_ENUM || p->type == CS_P_BOOL) return form_step(a, 1);
    tui_eng_param_get(&a->cfg, p->name, a->edit, sizeof a->edit);
    a->form_edit = 1;
    tui_app_message(a, 0, "%s: %s  (Enter sets, Esc cancels)", p->name, p->help);
    return R_REDRAW;
}
static int a_space(tui_app *a) { return a->focus == 1 ? a_mark(a) : R_NONE; }
static int a_tab(tui_app *a) { return tui_exec_line(a, "focus"); }
static int a_train(tui_app *a) { return tui_exec_line(a, "train"); }
static int a_train3(tui_app *a) { return tui_exec_line(a, "train rnn gru lstm"); }
static int a_pause(tui_app *a)
{
    return tui_exec_line(a, a->have_snap && a->snap.state == CS_RUN_PAUSED ? "resume" : "pause");
}
static int a_stop(tui_app *a) { return tui_exec_line(a, "stop"); }
static int a_save(tui_app *a) { return tui_exec_line(a, "save"); }
static int a_view(tui_app *a) { return tui_exec_line(a, "view"); }
static int a_compare(tui_app *a) { return tui_exec_line(a, "compare"); }
static int a_replay(tui_app *a) { return tui_exec_line(a, "replay"); }
static int a_help(tui_app *a) { return tui_exec_line(a, "help"); }
static int a_quit(tui_app *a) { return tui_exec_line(a, "quit"); }
static int a_main(tui_app *a) { return tui_exec_line(a, "main"); }
static int a_cmdline(tui_app *a)
{
    a->cmdline = 1;
    a->msg[0] = '\0';
    tui_rl_begin();
    return R_REDRAW;
}
static int a_rep_pause(tui_app *a) { return tui_exec_line(a, a->rep_paused ? "resume" : "pause"); }
static int a_rep_step(tui_app *a) { return tui_exec_line(a, "step 1"); }
static int a_rep_back(tui_app *a) { return tui_exec_line(a, "step -1"); }
static int rep_speed(tui_app *a, double f)
{
    char cmd[64];
    double v = a->rep_speed * f;
    snprintf(cmd, sizeof cmd, "speed %g", v < 1.0 / 64 ? 1.0 / 64 : v > 512 ? 512 : v);
    return tui_exec_line(a, cmd);
}
static int a_rep_faster(tui_app *a) { return rep_speed(a, 2); }
static int a_rep_slower(tui_app *a) { return rep_speed(a, 0.5); }
static int a_rep_restart(tui_app *a)
{
    int r = tui_exec_line(a, "step 0");
    a->rep_paused = 0;
    return r;
}

static const tui_key keys_common[] = {
    {':', 0, a_cmdline}, {'?', 0, a_help}, {3, 0, a_quit}, {0, 0, NULL},   /* 3: ^C */
};
static const tui_key keys_main[] = {
    {KEY_UP, 1, a_up}, {'k', 0, a_up}, {KEY_DOWN, 1, a_down}, {'j', 0, a_down},
    {KEY_LEFT, 1, a_left}, {'h', 0, a_left}, {KEY_RIGHT, 1, a_right}, {'l', 0, a_right},
    {'\r', 0, a_enter}, {'\n', 0, a_enter}, {KEY_ENTER, 1, a_enter}, {' ', 0, a_space},
    {'\t', 0, a_tab}, {'t', 0, a_train}, {'T', 0, a_train3}, {'p', 0, a_pause}, {'s', 0, a_stop},
    {'w', 0, a_save}, {'v', 0, a_view}, {'c', 0, a_compare}, {'r', 0, a_replay}, {'q', 0, a_quit},
    {0, 0, NULL},
};
static const tui_key keys_compare[] = {
    {'m', 0, a_view}, {'r', 0, a_replay}, {'q', 0, a_main}, {27, 0, a_main}, {0, 0, NULL},
};
static const tui_key keys_replay[] = {
    {' ', 0, a_rep_pause}, {'n', 0, a_rep_step}, {'.', 0, a_rep_step}, {KEY_RIGHT, 1, a_rep_step},
    {'b', 0, a_rep_back}, {',', 0, a_rep_back}, {KEY_LEFT, 1, a_rep_back},
    {'+', 0, a_rep_faster}, {'=', 0, a_rep_faster}, {'-', 0, a_rep_slower}, {'0', 0, a_rep_restart},
    {KEY_HOME, 1, a_rep_restart}, {'q', 0, a_main}, {27, 0, a_main}, {0, 0, NULL},
};

static int route(tui_app *a, const tui_key *t, int key, int fn)
{
    for (; t->act; t++)
        if (t->key == key && t->fn == fn) return t->act(a) | R_REDRAW;
    return -1;
}

static int handle_key(tui_app *a, int key, int fn)
{
    if (fn && key == KEY_RESIZE) return R_REDRAW;
    if (a->help) { a->help = 0; return R_REDRAW; }
    if (a->cmdline) {
        char *line = NULL;
        int r = tui_rl_feed(key, fn, &line);
        if (r == 0) return R_REDRAW;
        a->cmdline = 0;
        int react = R_REDRAW;
        if (r == 1) react |= tui_exec_line(a, line);
        free(line);
        return react;
    }
    if (a->form_edit) return form_edit_key(a, key, fn);
    int r = route(a, keys_common, key, fn);
    if (r >= 0) return r;
    const tui_key *t = a->screen == SCR_MAIN ? keys_main : a->screen == SCR_COMPARE ? keys_compare : keys_replay;
    r = route(a, t, key, fn);
    return r >= 0 ? r : R_NONE;
}

/* ======================= completion candidates ======================= */
static const char *const *candidates(int kind, const char *param, void *ctx)
{
    tui_app *a = ctx;
    static const char *list[TUI_MAX_RUNS + 64];
    static const char *const cells[] = {"rnn", "gru", "lstm", NULL};
    static const char *const fmts[] = {"auto", "rees46", "yoochoose", "features", NULL};
    static const char *const views[] = {"loss", "metrics", "data", NULL};
    static const char *const focus[] = {"form", "runs", NULL};
    int n = 0;
    switch (kind) {
    case COMPL_COMMAND: return tui_cmd_words;
    case COMPL_CELL: return cells;
    case COMPL_FORMAT: return fmts;
    case COMPL_VIEW: return views;
    case COMPL_FOCUS: return focus;
    case COMPL_PARAM:
        for (size_t i = 0; i < tui_eng_param_count() && n < 63; i++) list[n++] = tui_eng_param_at(i)->name;
        break;
    case COMPL_VALUE: {
        const cs_param *p = tui_eng_param_find(param);
        static const char *const yesno[] = {"no", "yes", NULL};
        if (p && p->choices) return p->choices;
        if (p && p->type == CS_P_BOOL) return yesno;
        break;
    }
    case COMPL_RUN:
        for (int i = a->nruns - 1; i >= 0; i--) list[n++] = a->runs[i].name;
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
    int train_now, exit_when_done, no_ui, ascii;
    const char *history, *runs;
} tui_opts;

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
    };
    const cli_spec sp = {"tui", "[--data FILE] [options]   (or: clickseq [--data FILE] [options])",
                         "Open the workbench (on the bundled demo without --data).  Keys: ? in the workbench; man clickseq.",
                         opts, sizeof opts / sizeof opts[0], CLI_ALL, 0};
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
    return -1;
}

/* --no-ui: the same worker and monitor without a terminal (benchmarks compare the two). */
static int run_headless(tui_app *a)
{
    tui_exec_line(a, "train");
    while (a->worker.active || a->nqueue) {
        struct timespec ts = {0, 50 * 1000000L};
        nanosleep(&ts, NULL);
        tui_worker_poll(&a->worker, &a->snap);
        if (tui_worker_collect(&a->worker)) { tui_app_finish_run(a); tui_app_start_next(a); }
    }
    printf("%s\n", a->msg);
    return a->msg_err ? 1 : 0;
}

static void trace_key(FILE *tr, double t0)
{
    if (tr) fprintf(tr, "key_latency_us %.0f\n", (now_s() - t0) * 1e6), fflush(tr);
}

static int loop(tui_app *a, tui_crt *crt, const tui_opts *o)
{
    tui_canvas cv = {0};
    FILE *tr = getenv("CLICKSEQ_TUI_TRACE") ? fopen(getenv("CLICKSEQ_TUI_TRACE"), "a") : NULL;
    double last_draw = 0, last_tick = now_s();
    int dirty = 1, live = 0, ran = 0;
    for (;;) {
        if (tui_crt_signalled()) break;
        int key, fn;
        double t_key = 0;
        if (tui_crt_getkey(crt, dirty ? 0 : 40, &key, &fn)) {
            t_key = now_s();
            int r = handle_key(a, key, fn);
            if (r & R_QUIT) break;
            dirty |= r & R_REDRAW;
        }
        if (tui_worker_poll(&a->worker, &a->snap)) { a->have_snap = 1; live = 1; }
        if (tui_loader_collect(&a->loader)) { tui_app_finish_load(a); dirty = 1; }
        if (tui_worker_collect(&a->worker)) {
            tui_worker_poll(&a->worker, &a->snap);
            tui_app_finish_run(a);
            tui_app_start_next(a);
            dirty = 1;
            ran = 1;
        }
        double t = now_s();
        if (a->screen == SCR_REPLAY && !a->rep_paused && a->rep_pos < (double)a->rep.n_hist) {
            a->rep_pos += (t - last_tick) * a->rep_speed;
            live = 1;
        }
        last_tick = t;
        if (o->exit_when_done && ran && !a->worker.active && !a->nqueue) break;
        if (dirty || (live && t - last_draw >= 0.1)) {
            if (cv.w != crt->w || cv.h != crt->h) {
                tui_canvas_free(&cv);
                if (tui_canvas_init(&cv, crt->w, crt->h, crt->unicode) != 0) break;
            }
            tui_draw(a, &cv);
            int cx = -1, cy = -1;
            if (a->cmdline) { tui_rl_text(&cx); cx += 1; cy = crt->h - 1; }
            tui_crt_show(crt, &cv, cx, cy);
            if (tr) fprintf(tr, "draw_us %.0f\n", (now_s() - t) * 1e6);
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
    tui_eng_config_init(&a->cfg);
    snprintf(a->runs_dir, sizeof a->runs_dir, "runs");
    for (size_t i = 0; i < tui_eng_param_count(); i++)
        if (!strcmp(tui_eng_param_at(i)->name, "cell")) a->form_sel = (int)i;
    tui_opts o = {0};
    int rc = parse_args(a, &o, argc, argv);
    if (rc >= 0) return rc;
    if (!a->cfg.data[0]) find_demo(a->cfg.data, sizeof a->cfg.data);
    cs_error err;
    /* the first load happens before the screen opens (as any program reads its input);
     * later :load commands run on a thread */
    if (tui_eng_data_load(&a->cfg, &a->data, &err) == CS_OK) {
        a->data_ok = 1;
        tui_eng_use_data(&a->data);
    }
    else tui_app_message(a, 1, "%s", err.msg);
    tui_app_refresh_runs(a);
    if (o.no_ui) {
        if (!a->data_ok) { fprintf(stderr, "clickseq: %s\n", err.msg); return cs_status_exit_code(err.code); }
        rc = run_headless(a);
        tui_worker_shutdown(&a->worker);
        return rc;
    }
    tui_crt crt;
    char msg[256];
    if (tui_crt_init(&crt, msg, sizeof msg) != 0) {
        fprintf(stderr, "clickseq: %s\n", msg);
        return 1;
    }
    a->unicode = crt.unicode;
    a->braille = crt.unicode && !o.ascii;
    tui_rl_init(o.history ? o.history : "", candidates, a);
    a->cmd_text = tui_rl_text;
    a->cmd_hint = tui_rl_hint;
    if (!a->msg[0] && a->data_ok)
        tui_app_message(a, 0, "%s: %ld sessions.  t trains, ? shows the keys", a->data.name, a->data.sessions);
    if (o.train_now) tui_exec_line(a, "train");
    loop(a, &crt, &o);
    tui_crt_done(&crt);
    tui_rl_done();
    tui_worker_shutdown(&a->worker);
    tui_loader_shutdown(&a->loader);
    tui_snapshot_free(&a->snap);
    if (a->have_last) tui_run_free(&a->last);
    if (a->have_rep) tui_run_free(&a->rep);
    for (int i = 0; i < a->ncmp; i++) tui_run_free(&a->cmp[i]);
    if (tui_crt_signalled()) {
        fprintf(stderr, "clickseq: interrupted; the terminal is restored\n");
        return 1;
    }
    return 0;
}
