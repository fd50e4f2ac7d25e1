/* panes.c — the main screen: its state, keys and commands, and its panes: header, form
 * (form.c), data summary, curves, confusion matrix, progress and the runs list (drawn
 * from the state; no side effects). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/fmt.h"
#include "app/tui/app.h"
#include "app/tui/plot.h"
#include "clickseq/clock.h"

#include <ncurses.h>

static tui_main_state state;

tui_main_state *tui_main(void) { return &state; }

static void draw_header(tui_app *a, tui_canvas *cv, tui_rect r)
{
    tui_canvas_fill(cv, r, L' ', TC_SEL, 0);
    char b[512], len[32] = "all";
    if (a->cfg.ds.max_len)
        snprintf(len, sizeof len, "%s%d", cv->unicode ? "≤" : "<=", a->cfg.ds.max_len);
    double rate = a->data.sessions ? 100.0 * (double)a->data.positives / (double)a->data.sessions : 0;
    if (a->data_ok && r.w < 120)
        snprintf(b, sizeof b, " clickseq  %s  %ld sessions %.1f%% buy  %s %s  %s split", a->data.name,
                 a->data.sessions, rate, a->cfg.ds.view == CS_VIEW_SEQUENCE ? "seq" : cs_view_name(a->cfg.ds.view), len,
                 cs_split_kind_name(a->cfg.split));
    else if (a->data_ok)
        snprintf(b, sizeof b, " clickseq  data: %s (%ld sessions, %.1f%% buy)  view: %s %s %s"
                 "  split: %s %.0f/%.0f/%.0f", a->data.name, a->data.sessions, rate,
                 cs_view_name(a->cfg.ds.view), len,
                 a->cfg.ds.policy == CS_LEN_FILTER ? "filter" : "truncate",
                 cs_split_kind_name(a->cfg.split), a->cfg.train_frac * 100,
                 a->cfg.valid_frac * 100, (1 - a->cfg.train_frac - a->cfg.valid_frac) * 100);
    else if (a->loader.job.active)
        snprintf(b, sizeof b, " clickseq  loading %.400s ...", a->loader.cfg.data);
    else
        snprintf(b, sizeof b, " clickseq  no data loaded (:load FILE)");
    if (a->data_ok && a->loader.job.active) {   /* a :load over loaded data: said on the right */
        const char *lw = r.w >= 120 ? "   loading a new file ..." : "  loading ...";
        size_t k = strlen(b);
        snprintf(b + k, sizeof b - k, "%s", lw);
    }
    tui_puts(cv, r.x, r.y, r.w, b, TC_SEL, TA_BOLD);
}

/* The length histogram of a sequence dataset: 1..513+ in power-of-two bins, as wide as
 * the pane allows (up to 4 columns a bin), its axis labelled below. */
static void draw_lengths(const tui_data_info *d, tui_canvas *cv, int x, int y, int w, int hh)
{
    int per = w / TUI_LEN_BINS > 4 ? 4 : w / TUI_LEN_BINS;
    if (per < 1 || hh < 2) return;
    tui_rect hr = {x, y, TUI_LEN_BINS * per, hh - 1};
    long wide[TUI_LEN_BINS * 4];
    for (int i = 0; i < TUI_LEN_BINS * per; i++) wide[i] = d->len_hist[i / per];
    tui_histogram(cv, hr, wide, TUI_LEN_BINS * per, TC_S1);
    /* "1 ... events per session ... 513+": the label only where it fits whole */
    int by = y + hh - 1;
    tui_puts(cv, x, by, 1, "1", TC_DIM, 0);
    tui_puts(cv, x + hr.w - 4, by, 4, "513+", TC_DIM, 0);
    const char *const lab[] = {"events per session", "length"};
    for (int i = 0; i < 2; i++) {
        int lw = tui_strwidth(lab[i]);
        if (lw + 4 <= hr.w - 5) {
            tui_puts(cv, x + 2 + (hr.w - 7 - lw) / 2, by, lw, lab[i], TC_DIM, 0);
            break;
        }
    }
}

/* The data pane: every number whole at any width (the lines drop words, never digits); a
 * features table (one row a session, no lengths) shows its columns and positive rate. */
static void draw_data(tui_app *a, tui_canvas *cv, tui_rect r)
{
    tui_box(cv, r, "Data", TC_BORDER);
    if (r.h < 5) return;
    const tui_data_info *d = &a->data;
    int x = r.x + 2, y = r.y + 1, w = r.w - 4;
    if (!a->data_ok) {
        tui_puts(cv, x, y, w, a->loader.job.active ? "loading ..." : "no data: :load FILE",
                 a->loader.job.active ? TC_DIM : TC_WARN, 0);
        return;
    }
    char l[4][4][128];
    double rate = d->sessions ? 100.0 * (double)d->positives / (double)d->sessions : 0;
    long hist = 0;
    for (int i = 0; i < TUI_LEN_BINS; i++) hist += d->len_hist[i];
    int table = hist == 0;   /* no lengths: a features table (or the features view) */
    snprintf(l[0][0], 128, "sessions %ld  buy %.1f%% (%ld)", d->sessions, rate, d->positives);
    snprintf(l[0][1], 128, "sessions %ld  buy %.1f%%", d->sessions, rate);
    snprintf(l[0][2], 128, "%ld sess %.1f%% buy", d->sessions, rate);
    snprintf(l[0][3], 128, "%ld %.1f%%", d->sessions, rate);
    snprintf(l[1][0], 128, "rows %ld = %ld used + %ld skipped", d->rows_read, d->rows_used, d->rows_skipped);
    snprintf(l[1][1], 128, "rows %ld, %ld skipped", d->rows_read, d->rows_skipped);
    snprintf(l[1][2], 128, "rows %ld %ld skip", d->rows_read, d->rows_skipped);
    snprintf(l[1][3], 128, "%ld rows", d->rows_read);
    if (table) {
        snprintf(l[2][0], 128, "features %d columns  label %s", d->shape_n_feat, a->cfg.label);
        snprintf(l[2][1], 128, "features %d  label %s", d->shape_n_feat, a->cfg.label);
        snprintf(l[2][2], 128, "features %d", d->shape_n_feat);
        snprintf(l[2][3], 128, "%d feat", d->shape_n_feat);
        snprintf(l[3][0], 128, "positive rate %.1f%%: %ld of %ld", rate, d->positives, d->sessions);
        snprintf(l[3][1], 128, "positive %.1f%%: %ld of %ld", rate, d->positives, d->sessions);
        snprintf(l[3][2], 128, "pos %.1f%% %ld/%ld", rate, d->positives, d->sessions);
        snprintf(l[3][3], 128, "pos %ld", d->positives);
    } else {
        snprintf(l[2][0], 128, "dropped %ld sessions, %ld events cut", d->dropped, d->dropped_events);
        snprintf(l[2][1], 128, "sessions dropped %ld", d->dropped);
        snprintf(l[2][2], 128, "dropped %ld", d->dropped);
        snprintf(l[2][3], 128, "-%ld", d->dropped);
        snprintf(l[3][0], 128, "length mean %.1f p50 %ld p90 %ld max %ld", d->mean_len, d->p50, d->p90, d->max_len);
        snprintf(l[3][1], 128, "length mean %.1f p50 %ld p90 %ld", d->mean_len, d->p50, d->p90);
        snprintf(l[3][2], 128, "len %.1f p50 %ld p90 %ld", d->mean_len, d->p50, d->p90);
        snprintf(l[3][3], 128, "p50 %ld p90 %ld", d->p50, d->p90);
    }
    for (int i = 0; i < 4; i++) {
        const char *const v[4] = {l[i][0], l[i][1], l[i][2], l[i][3]};
        tui_puts_fit(cv, x, y++, w, v, 4, i == 0 ? TC_NORMAL : TC_DIM, 0);
    }
    if (table) {
        if (y < r.y + r.h - 1)
            tui_puts_cut(cv, x, y, w, "one row a session: no lengths", TC_DIM, 0);
        return;
    }
    draw_lengths(d, cv, x, y, w, r.y + r.h - 2 - y);
}

tui_curve_view *tui_main_plot(void)
{
    if (!state.plot_ready) {
        tui_curve_view_init(&state.plot);
        state.plot_ready = 1;
    }
    return &state.plot;
}

tui_curve_data tui_curve_data_of(const cs_snapshot *s, int planned_epochs)
{
    tui_curve_data d;
    memset(&d, 0, sizeof d);
    d.epochs = planned_epochs;
    if (!s) return d;
    d.hist = s->hist;
    d.n_hist = s->n_hist;
    d.batch_loss = s->batch_loss;
    d.n_batch = s->n_batch_loss;
    d.batches_per_epoch = s->batches;
    if (s->epochs > 0) d.epochs = s->epochs;
    d.elapsed_s = s->elapsed_s;
    d.eta_s = s->state == CS_RUN_RUNNING || s->state == CS_RUN_PAUSED ? s->eta_s : 0;
    return d;
}

static void draw_confusion_pane(tui_app *a, tui_canvas *cv, tui_rect r)
{
    const cs_snapshot *s = &a->snap;
    char t[64];
    if (a->have_snap && s->n_hist) {
        const cs_metrics *m = &s->hist[s->n_hist - 1].valid;
        snprintf(t, sizeof t, "Validation @ thr %.2f", m->threshold);
        tui_box(cv, r, t, TC_BORDER);
        tui_confusion(cv, (tui_rect){r.x + 2, r.y + 1, r.w - 3, r.h - 2}, m);
    } else {
        tui_box(cv, r, "Validation", TC_BORDER);
        tui_puts(cv, r.x + 2, r.y + 2, r.w - 4, "confusion matrix after", TC_DIM, 0);
        tui_puts(cv, r.x + 2, r.y + 3, r.w - 4, "the first epoch", TC_DIM, 0);
    }
}

/* A load in progress: "loading ████░░ 312.4 MB / 1.05 GB  30%  1.2M rows/s  ETA 0:03  Esc
 * cancels", words dropped (never the numbers) when the line is short. */
static void draw_load_progress(tui_app *a, tui_canvas *cv, tui_rect r)
{
    tui_load_progress p;
    tui_loader_progress(&a->loader, cs_now_s(), &p);
    int x = r.x + 1;
    x += tui_printf(cv, x, r.y, -1, TC_HEAD, 0, "loading ");
    int bw = r.w / 8;
    double frac = p.bytes_total ? (double)p.bytes_done / (double)p.bytes_total : 0;
    tui_progress(cv, x, r.y, bw, frac, TC_GOOD);
    x += bw + 1;
    char v[4][160];
    for (int i = 0; i < 4; i++) app_fmt_load(p.bytes_done, p.bytes_total, p.rows_per_s, p.eta_s, p.parsed, i, v[i], 140);
    if (!p.parsed) {
        size_t k = strlen(v[0]);
        snprintf(v[0] + k, sizeof v[0] - k, "  Esc cancels");
    }
    const char *const vv[4] = {v[0], v[1], v[2], v[3]};
    tui_puts_fit(cv, x, r.y, r.x + r.w - x, vv, 4, TC_NORMAL, 0);
}

static void draw_progress(tui_app *a, tui_canvas *cv, tui_rect r)
{
    const cs_snapshot *s = &a->snap;
    char eta[32], ev[32], b[160];
    if (a->loader.job.active && !tui_worker_active(&a->worker)) {
        draw_load_progress(a, cv, r);
        return;
    }
    if (!a->have_snap) {
        tui_printf(cv, r.x + 1, r.y, r.w - 1, TC_DIM, 0, "idle  queue %d", tui_app_waiting(a));
        return;
    }
    double frac = s->epochs ? ((s->epoch > 0 ? s->epoch - 1 : 0) +
                               (s->batches ? (double)s->batch / (double)s->batches : 0)) / s->epochs : 0;
    if (s->state == CS_RUN_DONE) frac = 1;
    int x = r.x + 1;
    x += tui_printf(cv, x, r.y, -1, TC_HEAD, 0, "epoch %d/%d ", s->epoch, s->epochs);
    int bw = r.w / 6;
    tui_progress(cv, x, r.y, bw, frac, s->state == CS_RUN_PAUSED ? TC_WARN : TC_GOOD);
    x += bw;
    /* no ETA before the first batch has been timed: "-", and the state says starting */
    int timed = s->batch > 0 || s->epoch > 1 || s->n_hist > 0;
    const char *etas = s->state == CS_RUN_RUNNING && timed ? tui_fmt_dur(s->eta_s, eta, sizeof eta) : "-";
    const char *word = s->state == CS_RUN_RUNNING && !timed ? "starting" : cs_run_state_name(s->state);
    tui_fmt_num(s->events_per_s, ev, sizeof ev);
    /* the state word goes first when space is short (the pane title and colours show it),
     * and a queue's count always keeps room: "+2 queued", "+2q", "+2" */
    /* a run that early stopping ended: "stopped early at epoch 9 (best epoch 4)", not
     * "100% done" (the trainer's message says it) */
    int stop_ep, best_ep;
    if (s->state == CS_RUN_DONE &&
        sscanf(s->message, "stopped early at epoch %d (best epoch %d)", &stop_ep, &best_ep) == 2) {
        char e[3][96];
        snprintf(e[0], sizeof e[0], " stopped early at epoch %d (best epoch %d)", stop_ep, best_ep);
        snprintf(e[1], sizeof e[1], " early stop: epoch %d, best %d", stop_ep, best_ep);
        snprintf(e[2], sizeof e[2], " early stop %d best %d", stop_ep, best_ep);
        const char *const v[3] = {e[0], e[1], e[2]};
        tui_puts_fit(cv, x, r.y, r.x + r.w - x, v, 3, TC_NORMAL, 0);
        return;
    }
    int waiting = tui_app_waiting(a);
    char q[3][32];
    snprintf(q[0], 32, "  +%d queued", waiting);
    snprintf(q[1], 32, " +%dq", waiting);
    snprintf(q[2], 32, " +%d", waiting);
    int qmin = waiting ? (int)strlen(q[2]) : 0;
    snprintf(b, sizeof b, " %3.0f%%  %s ev/s  ETA %s  %s", frac * 100, ev, etas, word);
    if ((int)strlen(b) + qmin > r.x + r.w - x)
        snprintf(b, sizeof b, " %3.0f%% %s ev/s ETA %s", frac * 100, ev, etas);
    x += tui_puts(cv, x, r.y, r.x + r.w - x - qmin, b, s->state == CS_RUN_FAILED ? TC_BAD : TC_NORMAL, 0);
    if (waiting) {
        const char *const v[3] = {q[0], q[1], q[2]};
        tui_puts_fit(cv, x, r.y, r.x + r.w - x, v, 3, TC_WARN, 0);
    }
}

void tui_draw_runs_pane(tui_app *a, tui_canvas *cv, tui_rect r)
{
    /* a saved run's F1 is its test split's; the run in training shows its validation F1 */
    tui_box(cv, r, r.w >= 22 ? "Runs (test F1)" : "Runs", state.focus == 1 ? TC_TITLE : TC_BORDER);
    int y = r.y + 1, maxy = r.y + r.h - 1, w = r.w - 2;
    if (tui_worker_active(&a->worker) && a->have_snap) {
        char nm[64];
        tui_worker_current(&a->worker, nm, sizeof nm, NULL, NULL);
        double f1 = a->snap.n_hist ? a->snap.hist[a->snap.n_hist - 1].valid.f1 : NAN;
        char f[16], right[64];
        snprintf(f, sizeof f, isnan(f1) ? "  -" : "%.2f", f1);
        /* the numbers whole ("F1 0.67 2/12"); the name takes what is left, cut with "…" */
        /* the name keeps 8 columns: " paused" goes first (the progress line says it) */
        const char *paused = a->snap.state == CS_RUN_PAUSED ? " paused" : "";
        snprintf(right, sizeof right, " valid F1 %s %d/%d%s", f, a->snap.epoch, a->snap.epochs, paused);
        if (tui_strwidth(right) > w - 2 - 8)
            snprintf(right, sizeof right, " val %s %d/%d%s", f, a->snap.epoch, a->snap.epochs, paused);
        if (tui_strwidth(right) > w - 2 - 8)
            snprintf(right, sizeof right, " val %s %d/%d", f, a->snap.epoch, a->snap.epochs);
        if (tui_strwidth(right) > w - 2 - 8)
            snprintf(right, sizeof right, " %s %d/%d", f, a->snap.epoch, a->snap.epochs);
        int rw = tui_strwidth(right), nw = w - 2 - rw;
        tui_puts(cv, r.x + 1, y, 2, cv->unicode ? "●" : "*", TC_GOOD, TA_BOLD);
        if (nw > 16) nw = 16;
        int used = nw > 0 ? tui_puts_cut(cv, r.x + 3, y, nw, nm, TC_GOOD, TA_BOLD) : 0;
        for (; used < nw; used++) tui_putc(cv, r.x + 3 + used, y, L' ', TC_GOOD, 0);
        tui_puts(cv, r.x + 3 + (nw > 0 ? nw : 0), y++, rw, right, TC_GOOD, TA_BOLD);
    }
    /* runs other processes are training below --runs (watch.c's last poll): ● running with
     * their epoch, ✗ stale; at most half the pane, the rest counted */
    const tui_watch_state *ws = tui_watch();
    size_t nlive = 0, drawn = 0;
    for (size_t k = 0; k < ws->n; k++) nlive += ws->runs[k].kind == TUI_W_RUNNING || ws->runs[k].kind == TUI_W_STALE;
    int lmax = (maxy - y) / 2 > 1 ? (maxy - y) / 2 : 1;
    for (size_t k = 0; k < ws->n && y < maxy; k++) {
        const tui_watch_run *wr = &ws->runs[k];
        int run = wr->kind == TUI_W_RUNNING;
        if (!run && wr->kind != TUI_W_STALE) continue;
        if ((int)drawn == lmax - 1 && nlive > drawn + 1) {
            tui_printf(cv, r.x + 3, y++, w - 2, TC_DIM, 0, "+%zu more training (W)", nlive - drawn);
            break;
        }
        drawn++;
        char right[48];
        if (run) snprintf(right, sizeof right, w >= 30 ? " ep %zu/%d" : " %zu/%d", wr->have_live ? wr->live.n_hist : 0,
                          wr->have_live ? wr->live.epochs : 0);
        else snprintf(right, sizeof right, " stale");
        int rw = tui_strwidth(right), nw = w - 2 - rw;
        if (nw > 16) nw = 16;
        tui_puts(cv, r.x + 1, y, 2, run ? (cv->unicode ? "●" : "*") : (cv->unicode ? "✗" : "!"), run ? TC_GOOD : TC_WARN,
                 TA_BOLD);
        if (nw > 0) tui_puts_cut(cv, r.x + 3, y, nw, wr->rel, run ? TC_NORMAL : TC_WARN, 0);
        tui_puts(cv, r.x + 3 + (nw > 0 ? nw : 0), y++, rw, right, run ? TC_GOOD : TC_WARN, 0);
    }
    int avail = maxy - y;
    int top = a->runs_sel - avail + 1 > 0 ? a->runs_sel - avail + 1 : 0;
    if (a->nruns == 0 && y < maxy)
        tui_puts(cv, r.x + 2, y, w - 1, "no saved runs yet", TC_DIM, 0);
    /* newest first */
    for (int k = top; k < a->nruns && y < maxy; k++, y++) {
        const tui_run_row *rr = &a->runs[a->nruns - 1 - k];
        int sel = state.focus == 1 && k == a->runs_sel;
        int col = sel ? TC_SEL : TC_NORMAL;
        if (sel) tui_canvas_fill(cv, (tui_rect){r.x + 1, y, w, 1}, L' ', TC_SEL, 0);
        char t[32];
        int nw = w >= 34 ? 16 : 11;
        tui_puts(cv, r.x + 1, y, 1, rr->marked ? (cv->unicode ? "✓" : "x") : " ", col, 0);
        tui_puts_cut(cv, r.x + 3, y, nw, rr->name, col, 0);   /* a long name ends in "…" */
        tui_printf(cv, r.x + 3 + nw, y, w - 2 - nw, col, 0, " F1 %.2f %s", rr->f1,
                   w >= 30 ? tui_fmt_dur(rr->seconds, t, sizeof t) : "");
    }
}

static void draw_status(tui_app *a, tui_canvas *cv, const tui_layout *L)
{
    if (a->msg[0])
        tui_puts(cv, 1, L->status.y, L->status.w - 1, a->msg, a->msg_err ? TC_BAD : TC_NORMAL,
                 a->msg_err ? TA_BOLD : 0);
}

static void draw_main(tui_app *a, tui_canvas *cv, const tui_layout *L)
{
    draw_header(a, cv, L->header);
    tui_form_draw(a, cv, L->form);
    if (L->data.w) draw_data(a, cv, L->data);
    tui_curve_data d = tui_curve_data_of(a->have_snap ? &a->snap : NULL, a->cfg.epochs);
    if (a->loader.job.active && !a->have_snap)
        d.empty = a->train_after_load ? "loading: training starts once the data is in"
                                      : "loading: t trains once the data is in";
    const tui_curve_view *v = tui_main_plot();
    char lt[96];
    snprintf(lt, sizeof lt, "%s%s", L->cycled ? "Loss (v: metrics, data)" : "Loss",
             state.focus == 2 ? (cv->unicode ? "  ←/→ cursor" : "  </> cursor") : "");
    state.plot_w = L->loss.w;
    if (L->cycled && state.plot_view == 2)
        draw_data(a, cv, L->loss);
    else if (L->cycled && state.plot_view == 1)
        tui_curves_draw(cv, L->loss, state.focus == 2 ? "F1 / PR-AUC  cursor" : "F1 / PR-AUC (v: loss, data)",
                        &d, v, 1, a->braille);
    else
        tui_curves_draw(cv, L->loss, lt, &d, v, 0, a->braille);
    if (L->metrics.w)
        tui_curves_draw(cv, L->metrics, "F1 / PR-AUC (validation)", &d, v, 1, a->braille);
    draw_progress(a, cv, L->progress);
    draw_confusion_pane(a, cv, L->confusion);
    tui_draw_runs_pane(a, cv, L->runs);
    draw_status(a, cv, L);
    if (!a->cmdline)
        tui_puts(cv, 0, L->keys.y, cv->w, cv->w >= 122 ?
                 " t train  T rnn+gru+lstm  p pause  s stop  Tab runs  space mark  c compare  r replay  e early  : command  ? help  q quit" :
                 " t train T 3 cells p pause s stop Tab runs c cmp r replay e early : cmd ? help q",
                 TC_DIM, 0);
}

/* ======================= keys and commands ======================= */
static int runs_move(tui_app *a, int dir)
{
    int sel = a->runs_sel + dir;
    if (sel < 0 || sel >= a->nruns) return R_NONE;
    a->runs_sel = sel;
    return R_REDRAW;
}
static int cursor_move(tui_app *a, int dir)
{
    tui_curve_view *v = tui_main_plot();
    tui_curve_data d = tui_curve_data_of(a->have_snap ? &a->snap : NULL, a->cfg.epochs);
    double lo, hi, step = tui_curves_xstep(&d, v, state.plot_w > 0 ? state.plot_w : 60);
    tui_curves_xrange(&d, v, &lo, &hi);
    double x = v->cursor && !isnan(v->cursor_x) ? v->cursor_x : hi;
    if (v->cursor) x += dir * step;
    if (x < lo) x = lo;
    if (x > hi) x = hi;
    v->cursor = 1;
    v->cursor_x = x;
    return R_REDRAW;
}
static int a_left(tui_app *a)
{
    return state.focus == 0 ? tui_form_step(a, -1) : state.focus == 2 ? cursor_move(a, -1) : R_NONE;
}
static int a_right(tui_app *a)
{
    return state.focus == 0 ? tui_form_step(a, 1) : state.focus == 2 ? cursor_move(a, 1) : R_NONE;
}
static int a_up(tui_app *a)
{
    return state.focus == 1 ? runs_move(a, -1) : state.focus == 0 ? tui_form_move(a, -1) : R_NONE;
}
static int a_down(tui_app *a)
{
    return state.focus == 1 ? runs_move(a, 1) : state.focus == 0 ? tui_form_move(a, 1) : R_NONE;
}
static int a_smooth_less(tui_app *a)
{
    char b[48];
    double w = tui_main_plot()->smooth - 0.1;
    snprintf(b, sizeof b, "plot smooth %.2f", w < 0 ? 0 : w);
    return tui_exec_line(a, b);
}
static int a_smooth_more(tui_app *a)
{
    char b[48];
    double w = tui_main_plot()->smooth + 0.1;
    snprintf(b, sizeof b, "plot smooth %.2f", w > 0.99 ? 0.99 : w);
    return tui_exec_line(a, b);
}
static int a_enter(tui_app *a) { return state.focus == 1 ? tui_exec_line(a, "mark") : tui_form_enter(a); }
static int a_space(tui_app *a) { return state.focus == 1 ? tui_exec_line(a, "mark") : R_NONE; }
static int a_pause(tui_app *a)
{
    return tui_exec_line(a, a->have_snap && a->snap.state == CS_RUN_PAUSED ? "resume" : "pause");
}

/* Esc: cancel a load in progress (nothing else on the main screen). */
static int a_escape(tui_app *a)
{
    if (!a->loader.job.active || atomic_load(&a->loader.cancel)) return R_NONE;
    tui_loader_cancel(&a->loader);
    tui_app_message(a, 0, "cancelling the load of %s ...", a->loader.cfg.data);
    return R_REDRAW;
}

static const tui_key keys[] = {
    {27, 0, a_escape, NULL},
    {KEY_UP, 1, a_up, NULL}, {'k', 0, a_up, NULL}, {KEY_DOWN, 1, a_down, NULL}, {'j', 0, a_down, NULL},
    {KEY_LEFT, 1, a_left, NULL}, {'h', 0, a_left, NULL}, {KEY_RIGHT, 1, a_right, NULL}, {'l', 0, a_right, NULL},
    {'\r', 0, a_enter, NULL}, {'\n', 0, a_enter, NULL}, {KEY_ENTER, 1, a_enter, NULL}, {' ', 0, a_space, NULL},
    {'\t', 0, NULL, "focus"}, {'t', 0, NULL, "train"}, {'T', 0, NULL, "train rnn gru lstm seeds=3"},
    {'p', 0, a_pause, NULL}, {'s', 0, NULL, "stop"}, {'w', 0, NULL, "save"}, {'v', 0, NULL, "view"},
    {'c', 0, NULL, "compare"}, {'r', 0, NULL, "replay"}, {'e', 0, NULL, "early"}, {'L', 0, NULL, "library"},
    {'S', 0, NULL, "sweeps"}, {'W', 0, NULL, "watch"},
    {'q', 0, NULL, "quit"},
    {'g', 0, NULL, "focus plot"}, {'x', 0, NULL, "plot x"}, {'y', 0, NULL, "plot log"},
    {'[', 0, a_smooth_less, NULL}, {']', 0, a_smooth_more, NULL},
    {'1', 0, NULL, "plot toggle batch"}, {'2', 0, NULL, "plot toggle train"},
    {'3', 0, NULL, "plot toggle valid"}, {'4', 0, NULL, "plot toggle f1"},
    {'5', 0, NULL, "plot toggle pr-auc"},
    {0, 0, NULL, NULL},
};

static int on_off(const char *w, int cur)
{
    if (!w) return !cur;
    if (!strcmp(w, "on") || !strcmp(w, "yes") || !strcmp(w, "1")) return 1;
    if (!strcmp(w, "off") || !strcmp(w, "no") || !strcmp(w, "0")) return 0;
    return -1;
}

static void plot_settings(const tui_curve_view *v, char *b, size_t n)
{
    snprintf(b, n, "plot: x %s, smooth %.2f, log y %s, cursor %s%s%s%s%s%s", tui_xmode_name(v->xmode),
             v->smooth, v->logy ? "on" : "off", v->cursor ? "on" : "off",
             v->hide ? ", off:" : "", v->hide & TUI_S_BATCH ? " batch" : "", v->hide & TUI_S_TRAIN ? " train" : "",
             v->hide & TUI_S_VALID ? " valid" : "",
             v->hide & (TUI_S_F1 | TUI_S_PRAUC) ? (v->hide & TUI_S_F1 ? (v->hide & TUI_S_PRAUC ? " f1 pr-auc" : " f1") : " pr-auc") : "");
}

/* :plot x MODE | smooth W | log [on|off] | hide|show|toggle SERIES | cursor [on|off] */
static int plot_command(tui_app *a, const tui_cmd *c)
{
    tui_curve_view *v = tui_main_plot();
    char b[200];
    const char *w = c->argc ? c->argv[0] : "", *arg = c->argc > 1 ? c->argv[1] : NULL;
    if (!c->argc) {
        plot_settings(v, b, sizeof b);
        tui_app_message(a, 0, "%s", b);
    } else if (!strcmp(w, "x")) {
        int m = arg ? tui_xmode_parse(arg) : (v->xmode + 1) % TUI_X_COUNT;
        if (m < 0) { tui_app_message(a, 1, "plot x: '%s' is not epoch, step or time", arg); return R_REDRAW; }
        if (m != v->xmode) { v->cursor = 0; v->cursor_x = NAN; }
        v->xmode = m;
        tui_app_message(a, 0, "x axis: %s%s", tui_xmode_name(m), arg ? "" : " (x: next)");
    } else if (!strcmp(w, "smooth")) {
        double x = tui_smooth_parse(arg);
        if (isnan(x)) {
            tui_app_message(a, 1, "plot smooth: give a weight from 0 (raw) to 0.99 (smoothest), not '%s'", arg ? arg : "");
            return R_REDRAW;
        }
        v->smooth = x;
        tui_app_message(a, 0, "smoothing %.2f%s", x, x > 0 ? " (raw curve faint behind)" : " (raw batches)");
    } else if (!strcmp(w, "log")) {
        int on = on_off(arg, v->logy);
        if (on < 0) { tui_app_message(a, 1, "plot log: on or off, not '%s'", arg); return R_REDRAW; }
        v->logy = on;
        tui_app_message(a, 0, "log y %s", on ? "on" : "off");
    } else if (!strcmp(w, "hide") || !strcmp(w, "show") || !strcmp(w, "toggle")) {
        unsigned bit = arg ? tui_series_bit(arg) : 0;
        if (!bit) {
            tui_app_message(a, 1, "plot %s: name a series: batch, train, valid, f1, pr-auc", w);
            return R_REDRAW;
        }
        if (w[0] == 'h') v->hide |= bit;
        else if (w[0] == 's') v->hide &= ~bit;
        else v->hide ^= bit;
        tui_app_message(a, 0, "%s %s", arg, v->hide & bit ? "off" : "on");
    } else if (!strcmp(w, "cursor")) {
        int on = on_off(arg, v->cursor);
        if (on < 0) { tui_app_message(a, 1, "plot cursor: on or off, not '%s'", arg); return R_REDRAW; }
        v->cursor = on;
        if (on && isnan(v->cursor_x)) {
            tui_curve_data d = tui_curve_data_of(a->have_snap ? &a->snap : NULL, a->cfg.epochs);
            double lo;
            tui_curves_xrange(&d, v, &lo, &v->cursor_x);
        }
        tui_app_message(a, 0, "cursor %s", on ? "on (focus the plot with g; Left/Right move it)" : "off");
    } else {
        tui_app_message(a, 1, "plot: x epoch|step|time, smooth W, log [on|off], hide|show|toggle SERIES, cursor [on|off]");
    }
    return R_REDRAW;
}

int tui_main_command(tui_app *a, const tui_cmd *c)
{
    int old;
    switch (c->kind) {
    case CMD_VIEW:
        old = state.plot_view;
        state.plot_view = c->argc ? (!strcmp(c->argv[0], "loss") ? 0 : !strcmp(c->argv[0], "metrics") ? 1 : 2)
                                  : (state.plot_view + 1) % 3;
        return state.plot_view != old ? R_REDRAW : R_NONE;
    case CMD_FOCUS:
        old = state.focus;
        if (!c->argc) state.focus = state.focus == 0;   /* Tab: form <-> runs (plot -> form) */
        else state.focus = !strcmp(c->argv[0], "runs") ? 1 : !strcmp(c->argv[0], "plot") ? (old == 2 ? 0 : 2) : 0;
        if (state.focus == 2 && old != 2)
            tui_app_message(a, 0, "plot focused: Left/Right cursor  x axis  y log  [ ] smooth  1-5 series  g back");
        return state.focus != old ? R_REDRAW : R_NONE;
    case CMD_PLOT:
        return plot_command(a, c);
    default:
        return -1;
    }
}

/* The run r / e open: the selected one in the runs pane, else the last trained. */
static const char *subject(tui_app *a)
{
    if (state.focus == 1) return tui_app_selected_run(a);
    return a->have_last ? a->last.name : tui_app_selected_run(a);
}

static void reset(void) { memset(&state, 0, sizeof state); }   /* plot_ready 0: defaults again */

const tui_screen tui_main_screen = {
    .name = "main", .draw = draw_main, .keys = keys, .state = &state,
    .grab = tui_form_grab, .command = tui_main_command, .subject = subject, .reset = reset,
    .tick = tui_watch_tick,   /* the runs pane marks the runs other processes train */
};
