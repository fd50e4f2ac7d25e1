/* watch.c — the watch view (see watch.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifdef HAVE_SYS_INOTIFY_H
#include <sys/inotify.h>
#endif

#include <ncurses.h>

#include "app/tui/app.h"
#include "app/tui/watch.h"
#include "clickseq/clock.h"
#include "clickseq/runfind.h"

static tui_watch_state state = {.inotify_fd = -1};

tui_watch_state *tui_watch(void) { return &state; }

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void run_free(tui_watch_run *r)
{
    cs_live_free(&r->live);
    free(r->bl);
    if (r->have_saved) cs_run_free(&r->saved);
    memset(r, 0, sizeof *r);
}

/* ======================= inotify: a change in a watched folder rescans at once */
static void watch_folder(const char *dir)
{
#ifdef HAVE_SYS_INOTIFY_H
    if (state.inotify_fd < 0 || state.nwatch >= (int)(sizeof state.watched / sizeof state.watched[0])) return;
    for (int i = 0; i < state.nwatch; i++)
        if (!strcmp(state.watched[i], dir)) return;
    if (inotify_add_watch(state.inotify_fd, dir, IN_CREATE | IN_DELETE | IN_MOVED_TO | IN_MOVED_FROM |
                                                     IN_CLOSE_WRITE | IN_ONLYDIR) >= 0)
        snprintf(state.watched[state.nwatch++], sizeof state.watched[0], "%s", dir);
#else
    (void)dir;
#endif
}

/* events waiting? (drained, never blocks) */
static int folder_changed(void)
{
#ifdef HAVE_SYS_INOTIFY_H
    if (state.inotify_fd < 0) return 0;
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    int any = 0;
    while (read(state.inotify_fd, buf, sizeof buf) > 0) any = 1;
    return any;
#else
    return 0;
#endif
}

static void inotify_start(const char *root)
{
#ifdef HAVE_SYS_INOTIFY_H
    if (state.inotify_fd < 0) state.inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    watch_folder(root);
#else
    (void)root;
#endif
}

/* ======================= scanning */
static tui_watch_run *find_run(const char *run)
{
    for (size_t i = 0; i < state.n; i++)
        if (!strcmp(state.runs[i].run, run)) return &state.runs[i];
    return NULL;
}

static tui_watch_run *add_run(tui_app *a, const char *run)
{
    if (state.n >= TUI_WATCH_MAX) {
        /* make room by forgetting the oldest saved run; else count it */
        size_t k = state.n;
        for (size_t i = 0; i < state.n && k == state.n; i++)
            if (state.runs[i].kind == TUI_W_SAVED) k = i;
        if (k == state.n) return NULL;
        run_free(&state.runs[k]);
        memmove(&state.runs[k], &state.runs[k + 1], (state.n - k - 1) * sizeof *state.runs);
        state.n--;
    }
    if (state.n == state.cap) {
        size_t cap = state.cap ? 2 * state.cap : 8;
        tui_watch_run *g = realloc(state.runs, cap * sizeof *g);
        if (!g) return NULL;
        state.runs = g;
        state.cap = cap;
    }
    tui_watch_run *r = &state.runs[state.n++];
    memset(r, 0, sizeof *r);
    snprintf(r->run, sizeof r->run, "%s", run);
    size_t L = strlen(a->runs_dir);
    const char *p = run;
    if (!strncmp(p, a->runs_dir, L) && p[L] == '/') p += L + 1;
    snprintf(r->rel, sizeof r->rel, "%.599s", p);
    return r;
}

/* the record's batch losses into the run's own array (a watcher that came late has NaN
 * where it saw nothing; a restarted run starts over) */
static void merge_batches(tui_watch_run *r, const cs_live *l)
{
    if (l->batch_total < r->n_bl || (r->have_live && l->started != r->live.started)) r->n_bl = 0;
    if (l->batch_total > r->cap_bl) {
        size_t cap = l->batch_total + 1024;
        float *g = realloc(r->bl, cap * sizeof *g);
        if (!g) return;
        r->bl = g;
        r->cap_bl = cap;
    }
    for (size_t i = r->n_bl; i < l->batch_first && i < l->batch_total; i++) r->bl[i] = NAN;
    for (size_t i = 0; i < l->n_batch; i++) r->bl[l->batch_first + i] = l->batch_loss[i];
    r->n_bl = l->batch_total;
}

static int read_record(tui_watch_run *r, const cs_live_entry *e)
{
    if (r->have_live && r->mtime_ns == e->mtime_ns && r->size == e->size && r->ino == e->ino) return 0;
    cs_live l;
    cs_error err;
    r->mtime_ns = e->mtime_ns;
    r->size = e->size;
    r->ino = e->ino;
    if (cs_live_read(e->path, &l, &err) != CS_OK) {
        snprintf(r->why, sizeof r->why, "%.199s", err.msg);
        return 1;
    }
    merge_batches(r, &l);
    cs_live_free(&r->live);
    r->live = l;
    r->have_live = 1;
    r->why[0] = '\0';
    return 1;
}

/* a record gone: its run saved (loaded once), or it vanished without one (dropped) */
static int record_gone(tui_watch_run *r)
{
    if (r->kind == TUI_W_SAVED) return 0;
    cs_error err;
    if (cs_is_run_dir(r->run) && cs_run_load(r->run, CS_RUN_HISTORY | CS_RUN_BATCHES, &r->saved, &err) == CS_OK) {
        r->have_saved = 1;
        r->kind = TUI_W_SAVED;
        snprintf(r->why, sizeof r->why, "saved, %s", cs_run_status_name(r->saved.status));
        return 1;
    }
    r->kind = -1;   /* dropped below */
    return 1;
}

static int kind_rank(int k) { return k == TUI_W_RUNNING ? 0 : k == TUI_W_STALE ? 1 : 2; }

static int cmp_runs(const void *x, const void *y)
{
    const tui_watch_run *a = x, *b = y;
    int d = kind_rank(a->kind) - kind_rank(b->kind);
    return d ? d : strcmp(a->rel, b->rel);
}

int tui_watch_scan(tui_app *a)
{
    double t0 = cs_now_s();
    char sel[1024] = "";
    if (state.sel < state.n) snprintf(sel, sizeof sel, "%s", state.runs[state.sel].run);
    cs_live_entry *e = NULL;
    size_t ne = 0;
    cs_error err;
    int changed = 0;
    struct stat st;
    if (stat(a->runs_dir, &st) == 0) cs_live_find(a->runs_dir, CS_RUN_FIND_DEPTH, &e, &ne, &err);
    for (size_t i = 0; i < state.n; i++) state.runs[i].seen = 0;
    state.more = 0;
    double now = wall_s();
    for (size_t i = 0; i < ne; i++) {
        tui_watch_run *r = find_run(e[i].run);
        if (r && r->kind == TUI_W_SAVED) {   /* saved, and a new run took its name: follow it */
            cs_run_free(&r->saved);
            r->have_saved = 0;
            r->kind = TUI_W_RUNNING;
        }
        if (!r && !(r = add_run(a, e[i].run))) { state.more++; continue; }
        r->seen = 1;
        changed |= read_record(r, &e[i]);
        char folder[1024];
        snprintf(folder, sizeof folder, "%s", e[i].path);
        char *slash = strrchr(folder, '/');
        if (slash) *slash = '\0', watch_folder(folder);
        int k = r->have_live && cs_live_stale(&r->live, now, r->why, sizeof r->why) ? TUI_W_STALE : TUI_W_RUNNING;
        if (!r->have_live) k = TUI_W_STALE;   /* a record that never read: say why */
        changed |= k != r->kind;
        r->kind = k;
    }
    free(e);
    for (size_t i = 0; i < state.n; i++)
        if (!state.runs[i].seen) changed |= record_gone(&state.runs[i]);
    size_t j = 0;
    for (size_t i = 0; i < state.n; i++)
        if (state.runs[i].kind < 0) run_free(&state.runs[i]);
        else state.runs[j++] = state.runs[i];
    state.n = j;
    if (state.n > 1) qsort(state.runs, state.n, sizeof *state.runs, cmp_runs);
    state.sel = 0;
    for (size_t i = 0; i < state.n; i++)
        if (!strcmp(state.runs[i].run, sel)) state.sel = i;
    state.scans++;
    state.since = 0;
    state.scan_s = cs_now_s() - t0;
    state.poll_s = fmax(TUI_WATCH_POLL_S, 20 * state.scan_s);
    return changed || state.n;   /* ages and ETAs move: redraw while anything is shown */
}

int tui_watch_open(tui_app *a)
{
    if (a->screen != SCR_WATCH) tui_screen_push(a, SCR_WATCH);
    if (!state.view_ready) tui_curve_view_init(&state.view), state.view_ready = 1;
    inotify_start(a->runs_dir);
    tui_watch_scan(a);
    return R_REDRAW;
}

int tui_watch_tick(tui_app *a, double dt)
{
    state.since += dt;
    int now = folder_changed() && state.since >= 0.2;
    if (!now && state.since < state.poll_s) return 0;
    return tui_watch_scan(a);
}

void tui_watch_counts(size_t *running, size_t *stale)
{
    *running = *stale = 0;
    for (size_t i = 0; i < state.n; i++)
        *running += state.runs[i].kind == TUI_W_RUNNING, *stale += state.runs[i].kind == TUI_W_STALE;
}

/* ======================= drawing */
static const char *kind_name(const tui_watch_run *r)
{
    return r->kind == TUI_W_RUNNING ? (r->have_live ? cs_run_state_name(r->live.state) : "running")
         : r->kind == TUI_W_STALE ? "stale" : "saved";
}

static void curve_data(const tui_watch_run *r, tui_curve_data *d)
{
    memset(d, 0, sizeof *d);
    if (r->kind == TUI_W_SAVED && r->have_saved) {
        const cs_run *s = &r->saved;
        d->hist = s->hist;
        d->n_hist = s->n_hist;
        d->batch_loss = s->batch_loss;
        d->n_batch = s->n_batch;
        long b1 = 0;
        for (size_t i = 0; i < s->n_batch && s->batch_epoch[i] == s->batch_epoch[0]; i++) b1++;
        d->batches_per_epoch = b1;
        d->epochs = s->cfg.epochs;
        d->elapsed_s = s->seconds;
        return;
    }
    const cs_live *l = &r->live;
    d->hist = l->hist;
    d->n_hist = l->n_hist;
    d->batch_loss = r->bl;
    d->n_batch = r->n_bl;
    d->batches_per_epoch = l->batches;
    d->epochs = l->epochs;
    d->elapsed_s = l->elapsed_s;
    d->eta_s = r->kind == TUI_W_RUNNING ? l->eta_s : 0;
    d->empty = l->state == CS_RUN_LOADING ? "loading the data..." : "waiting for the first batches";
}

static void draw_row(tui_canvas *cv, int y, int w, const tui_watch_run *r, int sel)
{
    int color = sel ? TC_SEL : TC_NORMAL;
    if (sel) tui_canvas_fill(cv, (tui_rect){0, y, w, 1}, L' ', TC_SEL, 0);
    wchar_t mark = r->kind == TUI_W_RUNNING ? (cv->unicode ? L'●' : L'*')
                 : r->kind == TUI_W_STALE ? (cv->unicode ? L'✗' : L'!') : (cv->unicode ? L'✓' : L'+');
    int mcolor = sel ? TC_SEL : r->kind == TUI_W_RUNNING ? TC_GOOD : r->kind == TUI_W_STALE ? TC_WARN : TC_DIM;
    tui_putc(cv, 1, y, mark, mcolor, TA_BOLD);
    int nw = w >= 120 ? 32 : 20;
    tui_puts_cut(cv, 3, y, nw - 1, r->rel, color, 0);
    int x = 3 + nw;
    tui_puts(cv, x, y, 8, kind_name(r), sel ? TC_SEL : r->kind == TUI_W_STALE ? TC_WARN : color, TA_BOLD);
    x += 9;
    char t[600];
    const cs_epoch *last = NULL;
    int epoch = 0, epochs = 0;
    if (r->kind == TUI_W_SAVED && r->have_saved) {
        epoch = (int)r->saved.n_hist;
        epochs = r->saved.cfg.epochs;
        last = r->saved.n_hist ? &r->saved.hist[r->saved.n_hist - 1] : NULL;
    } else if (r->have_live) {
        epoch = (int)r->live.n_hist;
        epochs = r->live.epochs;
        last = r->live.n_hist ? &r->live.hist[r->live.n_hist - 1] : NULL;
    }
    snprintf(t, sizeof t, "ep %d/%d", epoch, epochs);
    tui_puts(cv, x, y, 13, t, color, 0);
    x += 14;
    if (r->kind == TUI_W_STALE && w < 100) {   /* narrow: why it is stale matters more */
        tui_puts_cut(cv, x, y, w - x - 1, r->why, sel ? TC_SEL : TC_WARN, 0);
        return;
    }
    if (last) snprintf(t, sizeof t, "loss %.4f  PR-AUC %.3f", last->train_loss, last->valid.pr_auc);
    else snprintf(t, sizeof t, "loss -       PR-AUC -");
    tui_puts(cv, x, y, 26, t, color, 0);
    x += 27;
    if (x < w - 4) {
        if (r->kind == TUI_W_RUNNING && r->have_live) {
            char eta[32];
            snprintf(t, sizeof t, "ETA %s  %s  pid %ld@%.100s", tui_fmt_dur(r->live.eta_s, eta, sizeof eta),
                     r->why, r->live.pid, r->live.host);
        } else
            snprintf(t, sizeof t, "%s", r->why);
        tui_puts_cut(cv, x, y, w - x - 1, t, sel ? TC_SEL : r->kind == TUI_W_STALE ? TC_WARN : TC_DIM, 0);
    }
}

static void draw(tui_app *a, tui_canvas *cv, const tui_layout *L)
{
    (void)L;
    int w = cv->w, h = cv->h;
    size_t nr = 0, ns = 0, nd = 0;
    for (size_t i = 0; i < state.n; i++)
        nr += state.runs[i].kind == TUI_W_RUNNING, ns += state.runs[i].kind == TUI_W_STALE,
            nd += state.runs[i].kind == TUI_W_SAVED;
    tui_canvas_fill(cv, (tui_rect){0, 0, w, 1}, L' ', TC_SEL, 0);
    char more[48] = "";
    if (state.more) snprintf(more, sizeof more, ", %zu more not shown", state.more);
    tui_printf(cv, 0, 0, w, TC_SEL, TA_BOLD, " clickseq  watch %s: %zu running, %zu stale, %zu saved%s  (poll %.0f s%s)",
               a->runs_dir, nr, ns, nd, more, state.poll_s, state.inotify_fd >= 0 ? " + inotify" : "");
    int list_h = (int)state.n;
    int max_list = h >= 40 ? h / 3 : h / 4;
    if (max_list < 2) max_list = 2;
    if (list_h > max_list) list_h = max_list;
    if (list_h < 1) list_h = 1;
    size_t top = state.sel >= (size_t)list_h ? state.sel - (size_t)list_h + 1 : 0;
    int y = 1;
    if (state.n == 0)
        tui_puts(cv, 2, y, w - 4, "no run is training below the runs directory (a headless train or sweep there shows up here)",
                 TC_DIM, 0);
    for (size_t k = top; k < state.n && y < 1 + list_h; k++, y++) draw_row(cv, y, w, &state.runs[k], k == state.sel);
    y = 1 + list_h;
    int ph = h - y - 2;
    if (ph >= 5 && state.n) {
        const tui_watch_run *r = &state.runs[state.sel];
        tui_curve_data d;
        curve_data(r, &d);
        char title[160];
        snprintf(title, sizeof title, "loss: %.60s (%s)", r->rel, kind_name(r));
        int lw = w >= 100 ? w / 2 : w;
        int mh = w >= 100 ? ph : ph / 2, lh = w >= 100 ? ph : ph - mh;
        tui_curves_draw(cv, (tui_rect){0, y, lw, lh}, title, &d, &state.view, 0, a->braille);
        snprintf(title, sizeof title, "validation F1, PR-AUC: %.40s", r->rel);
        if (w >= 100) tui_curves_draw(cv, (tui_rect){lw, y, w - lw, ph}, title, &d, &state.view, 1, a->braille);
        else tui_curves_draw(cv, (tui_rect){0, y + lh, w, mh}, title, &d, &state.view, 1, a->braille);
    }
    if (a->msg[0]) tui_puts(cv, 1, h - 2, w - 1, a->msg, a->msg_err ? TC_BAD : TC_NORMAL, 0);
    static const char *const foot[] = {
        " Up/Down select  x x axis  y log y  [ ] smoothing  r replay (saved)  d forget a stale record  L library  q back",
        " Up/Down  x axis  y log  [ ] smooth  r replay  d forget stale  L library  q back",
        " ↑↓ x y [ ] r d L q  (? help)"};
    tui_puts_fit(cv, 0, h - 1, w, foot, 3, TC_DIM, 0);
}

/* ======================= keys */
static int sel_move(int d) { return tui_sel_move(&state.sel, state.n, d); }
static int a_up(tui_app *a) { (void)a; return sel_move(-1); }
static int a_down(tui_app *a) { (void)a; return sel_move(1); }
static int a_x(tui_app *a) { (void)a; state.view.xmode = (state.view.xmode + 1) % TUI_X_COUNT; return R_REDRAW; }
static int a_y(tui_app *a) { (void)a; state.view.logy = !state.view.logy; return R_REDRAW; }
static int smooth_step(int d)
{
    static const double w[] = {0, 0.6, 0.8, 0.9, 0.95, 0.99};
    int k = 0;
    for (int i = 0; i < 6; i++)
        if (fabs(w[i] - state.view.smooth) < fabs(w[k] - state.view.smooth)) k = i;
    k += d;
    if (k < 0 || k > 5) return R_NONE;
    state.view.smooth = w[k];
    return R_REDRAW;
}
static int a_less(tui_app *a) { (void)a; return smooth_step(-1); }
static int a_more(tui_app *a) { (void)a; return smooth_step(1); }

/* d: a stale record (its writer gone) is removed; a running one is not touched */
static int a_forget(tui_app *a)
{
    if (!state.n) return R_NONE;
    tui_watch_run *r = &state.runs[state.sel];
    if (r->kind != TUI_W_STALE) {
        tui_app_message(a, 1, "%s is %s: only a stale record can be forgotten", r->rel, kind_name(r));
        return R_REDRAW;
    }
    char p[1100];
    struct stat st;
    if (cs_live_path(r->run, p, sizeof p) == 0 && lstat(p, &st) == 0 && S_ISREG(st.st_mode) && unlink(p) == 0)
        tui_app_message(a, 0, "forgot the stale record of %s", r->rel);
    else
        tui_app_message(a, 1, "cannot remove the record of %s: %s", r->rel, strerror(errno));
    r->kind = -1;
    size_t j = 0;
    for (size_t i = 0; i < state.n; i++)
        if (state.runs[i].kind < 0) run_free(&state.runs[i]);
        else state.runs[j++] = state.runs[i];
    state.n = j;
    if (state.sel >= state.n) state.sel = state.n ? state.n - 1 : 0;
    return R_REDRAW;
}

static char subject_buf[700];
static const char *subject(tui_app *a)
{
    (void)a;
    if (!state.n || state.runs[state.sel].kind != TUI_W_SAVED) return NULL;
    snprintf(subject_buf, sizeof subject_buf, "%s", state.runs[state.sel].rel);
    return subject_buf;
}

static void reset(void)
{
    for (size_t i = 0; i < state.n; i++) run_free(&state.runs[i]);
    free(state.runs);
#ifdef HAVE_SYS_INOTIFY_H
    if (state.inotify_fd >= 0) close(state.inotify_fd);
#endif
    memset(&state, 0, sizeof state);
    state.inotify_fd = -1;
}

static const tui_key keys[] = {
    {KEY_UP, 1, a_up, NULL}, {'k', 0, a_up, NULL}, {KEY_DOWN, 1, a_down, NULL}, {'j', 0, a_down, NULL},
    {'x', 0, a_x, NULL}, {'y', 0, a_y, NULL}, {'[', 0, a_less, NULL}, {']', 0, a_more, NULL},
    {'d', 0, a_forget, NULL}, {'r', 0, NULL, "replay"}, {'L', 0, NULL, "library"},
    {'q', 0, NULL, "back"}, {27, 0, NULL, "back"}, {0, 0, NULL, NULL},
};

const tui_screen tui_watch_screen = {
    .name = "watch", .draw = draw, .keys = keys, .state = &state, .tick = tui_watch_tick,
    .subject = subject, .reset = reset,
};
