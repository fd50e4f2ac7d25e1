/* panes.c — the main screen: its state, keys and commands, and its panes: header, form
 * (form.c), data summary, curves, confusion matrix, progress and the runs list (drawn
 * from the state; no side effects). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/tui/app.h"
#include "app/tui/plot.h"

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
                 a->data.sessions, rate, a->cfg.ds.view == CS_VIEW_FEATURES ? "features" : "seq", len,
                 cs_split_kind_name(a->cfg.split));
    else if (a->data_ok)
        snprintf(b, sizeof b, " clickseq  data: %s (%ld sessions, %.1f%% buy)  view: %s %s %s"
                 "  split: %s %.0f/%.0f/%.0f", a->data.name, a->data.sessions, rate,
                 a->cfg.ds.view == CS_VIEW_FEATURES ? "features" : "sequence", len,
                 a->cfg.ds.policy == CS_LEN_FILTER ? "filter" : "truncate",
                 cs_split_kind_name(a->cfg.split), a->cfg.train_frac * 100,
                 a->cfg.valid_frac * 100, (1 - a->cfg.train_frac - a->cfg.valid_frac) * 100);
    else
        snprintf(b, sizeof b, " clickseq  no data loaded (:load FILE)");
    tui_puts(cv, r.x, r.y, r.w, b, TC_SEL, TA_BOLD);
}

static void draw_data(tui_app *a, tui_canvas *cv, tui_rect r)
{
    tui_box(cv, r, "Data", TC_BORDER);
    if (r.h < 5) return;
    const tui_data_info *d = &a->data;
    int x = r.x + 2, y = r.y + 1, w = r.w - 4;
    if (!a->data_ok) {
        tui_puts(cv, x, y, w, "no data: :load FILE", TC_WARN, 0);
        return;
    }
    tui_printf(cv, x, y++, w, TC_NORMAL, 0, "sessions %ld  buy %.1f%%", d->sessions,
               d->sessions ? 100.0 * (double)d->positives / (double)d->sessions : 0);
    tui_printf(cv, x, y++, w, TC_DIM, 0, "rows %ld = %ld used + %ld skip", d->rows_read,
               d->rows_used, d->rows_skipped);
    tui_printf(cv, x, y++, w, TC_DIM, 0, "sessions dropped %ld", d->dropped);
    tui_printf(cv, x, y++, w, TC_DIM, 0, "length mean %.1f p50 %ld p90 %ld", d->mean_len, d->p50, d->p90);
    int hh = r.y + r.h - 2 - y;
    if (hh >= 2) {
        tui_rect hr = {x, y, TUI_LEN_BINS * (w >= 2 * TUI_LEN_BINS ? 2 : 1), hh - 1};
        long wide[TUI_LEN_BINS * 2];
        int per = hr.w / TUI_LEN_BINS;
        for (int i = 0; i < TUI_LEN_BINS * per; i++) wide[i] = d->len_hist[i / per];
        tui_histogram(cv, hr, wide, TUI_LEN_BINS * per, TC_S1);
        tui_printf(cv, x, y + hh - 1, w, TC_DIM, 0, "%-*s%s", hr.w - 4, "1", "513+");
        tui_puts(cv, x + hr.w + 1, y + hh - 2, w - hr.w - 1, "length", TC_DIM, 0);
    }
}

void tui_draw_curves(tui_canvas *cv, tui_rect r, const char *title, const cs_epoch *h, size_t n,
                     const float *bl, size_t nbl, long bpe, int metrics, int epochs, int braille)
{
    tui_box(cv, r, title, TC_BORDER);
    tui_rect in = {r.x + 1, r.y + 1, r.w - 2, r.h - 2};
    size_t cap = n > nbl ? n : nbl;
    double *ya = calloc(cap + 1, sizeof *ya), *yb = calloc(cap + 1, sizeof *yb);
    double *xs = calloc(cap + 1, sizeof *xs), *raw = calloc(cap + 1, sizeof *raw);
    double *sm = calloc(cap + 1, sizeof *sm);
    if (!ya || !yb || !xs || !raw || !sm) goto out;
    tui_plot_opts o;
    tui_plot_opts_init(&o);
    o.braille = braille;
    o.xlabel = "epoch";
    o.xmin = 0;
    o.xmax = epochs > 0 ? epochs : (double)(n ? n : 1);
    tui_series s[3];
    int ns = 0;
    for (size_t i = 0; i < n; i++) {
        ya[i] = metrics ? h[i].valid.f1 : h[i].train_loss;
        yb[i] = metrics ? h[i].valid.pr_auc : h[i].valid_loss;
    }
    if (metrics) {
        o.ymin = 0; o.ymax = 1;
        s[ns++] = (tui_series){ya, NULL, n, TC_S1, 0, "F1"};
        s[ns++] = (tui_series){yb, NULL, n, TC_S2, 0, "PR-AUC"};
    } else {
        if (nbl && bpe > 0) {
            for (size_t i = 0; i < nbl; i++) { raw[i] = bl[i]; xs[i] = (double)(i + 1) / (double)bpe; }
            tui_smooth(raw, sm, nbl, 0.1);
            s[ns++] = (tui_series){sm, xs, nbl, TC_S3, 0, "batch"};
        }
        s[ns++] = (tui_series){ya, NULL, n, TC_S1, 0, "train"};
        s[ns++] = (tui_series){yb, NULL, n, TC_S2, 0, "valid"};
        /* the loss range comes from the epoch means and the smoothed batches */
    }
    if (n == 0 && nbl == 0) {
        tui_puts(cv, in.x + 2, in.y + in.h / 2, in.w - 4, "no run yet: t trains with these settings", TC_DIM, 0);
        goto out;
    }
    tui_plot(cv, in, s, ns, &o);
out:
    free(ya); free(yb); free(xs); free(raw); free(sm);
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

static void draw_progress(tui_app *a, tui_canvas *cv, tui_rect r)
{
    const cs_snapshot *s = &a->snap;
    char eta[32], ev[32], b[160];
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
    const char *etas = s->state == CS_RUN_RUNNING ? tui_fmt_dur(s->eta_s, eta, sizeof eta) : "-";
    tui_fmt_num(s->events_per_s, ev, sizeof ev);
    /* the state word goes first when space is short: the pane title and colours show it */
    snprintf(b, sizeof b, " %3.0f%%  %s ev/s  ETA %s  %s", frac * 100, ev, etas,
             cs_run_state_name(s->state));
    if ((int)strlen(b) > r.x + r.w - x)
        snprintf(b, sizeof b, " %3.0f%% %s ev/s ETA %s", frac * 100, ev, etas);
    x += tui_puts(cv, x, r.y, r.x + r.w - x, b, s->state == CS_RUN_FAILED ? TC_BAD : TC_NORMAL, 0);
    int waiting = tui_app_waiting(a);
    if (waiting)
        tui_printf(cv, x, r.y, r.x + r.w - x, TC_WARN, 0, "  +%d queued", waiting);
}

void tui_draw_runs_pane(tui_app *a, tui_canvas *cv, tui_rect r)
{
    tui_box(cv, r, "Runs", state.focus == 1 ? TC_TITLE : TC_BORDER);
    int y = r.y + 1, maxy = r.y + r.h - 1, w = r.w - 2;
    if (tui_worker_active(&a->worker) && a->have_snap) {
        char nm[64];
        tui_worker_current(&a->worker, nm, sizeof nm, NULL, NULL);
        double f1 = a->snap.n_hist ? a->snap.hist[a->snap.n_hist - 1].valid.f1 : NAN;
        char f[16];
        snprintf(f, sizeof f, isnan(f1) ? "  -" : "%.2f", f1);
        tui_printf(cv, r.x + 1, y++, w, TC_GOOD, TA_BOLD, "%s %-10.10s F1 %s %d/%d%s",
                   cv->unicode ? "●" : "*", nm, f, a->snap.epoch, a->snap.epochs,
                   a->snap.state == CS_RUN_PAUSED ? " paused" : "");
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
        tui_printf(cv, r.x + 1, y, w, col, 0, "%s %-*.*s F1 %.2f %s",
                   rr->marked ? (cv->unicode ? "✓" : "x") : " ", nw, nw, rr->name, rr->f1,
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
    const cs_snapshot *s = &a->snap;
    const cs_epoch *h = a->have_snap ? s->hist : NULL;
    size_t n = a->have_snap ? s->n_hist : 0, nbl = a->have_snap ? s->n_batch_loss : 0;
    int epochs = a->have_snap ? s->epochs : a->cfg.epochs;
    long bpe = a->have_snap ? s->batches : 0;
    if (L->cycled && state.plot_view == 2)
        draw_data(a, cv, L->loss);
    else if (L->cycled && state.plot_view == 1)
        tui_draw_curves(cv, L->loss, "F1 / PR-AUC (v: loss, data)", h, n, NULL, 0, bpe, 1, epochs, a->braille);
    else
        tui_draw_curves(cv, L->loss, L->cycled ? "Loss (v: metrics, data)" : "Loss", h, n,
                        a->have_snap ? s->batch_loss : NULL, nbl, bpe, 0, epochs, a->braille);
    if (L->metrics.w)
        tui_draw_curves(cv, L->metrics, "F1 / PR-AUC (validation)", h, n, NULL, 0, bpe, 1, epochs, a->braille);
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
static int a_up(tui_app *a) { return state.focus == 1 ? runs_move(a, -1) : tui_form_move(a, -1); }
static int a_down(tui_app *a) { return state.focus == 1 ? runs_move(a, 1) : tui_form_move(a, 1); }
static int a_left(tui_app *a) { return state.focus == 0 ? tui_form_step(a, -1) : R_NONE; }
static int a_right(tui_app *a) { return state.focus == 0 ? tui_form_step(a, 1) : R_NONE; }
static int a_enter(tui_app *a) { return state.focus == 1 ? tui_exec_line(a, "mark") : tui_form_enter(a); }
static int a_space(tui_app *a) { return state.focus == 1 ? tui_exec_line(a, "mark") : R_NONE; }
static int a_pause(tui_app *a)
{
    return tui_exec_line(a, a->have_snap && a->snap.state == CS_RUN_PAUSED ? "resume" : "pause");
}

static const tui_key keys[] = {
    {KEY_UP, 1, a_up, NULL}, {'k', 0, a_up, NULL}, {KEY_DOWN, 1, a_down, NULL}, {'j', 0, a_down, NULL},
    {KEY_LEFT, 1, a_left, NULL}, {'h', 0, a_left, NULL}, {KEY_RIGHT, 1, a_right, NULL}, {'l', 0, a_right, NULL},
    {'\r', 0, a_enter, NULL}, {'\n', 0, a_enter, NULL}, {KEY_ENTER, 1, a_enter, NULL}, {' ', 0, a_space, NULL},
    {'\t', 0, NULL, "focus"}, {'t', 0, NULL, "train"}, {'T', 0, NULL, "train rnn gru lstm"},
    {'p', 0, a_pause, NULL}, {'s', 0, NULL, "stop"}, {'w', 0, NULL, "save"}, {'v', 0, NULL, "view"},
    {'c', 0, NULL, "compare"}, {'r', 0, NULL, "replay"}, {'e', 0, NULL, "early"}, {'q', 0, NULL, "quit"},
    {0, 0, NULL, NULL},
};

int tui_main_command(tui_app *a, const tui_cmd *c)
{
    (void)a;
    int old;
    switch (c->kind) {
    case CMD_VIEW:
        old = state.plot_view;
        state.plot_view = c->argc ? (!strcmp(c->argv[0], "loss") ? 0 : !strcmp(c->argv[0], "metrics") ? 1 : 2)
                                  : (state.plot_view + 1) % 3;
        return state.plot_view != old ? R_REDRAW : R_NONE;
    case CMD_FOCUS:
        old = state.focus;
        state.focus = c->argc ? !strcmp(c->argv[0], "runs") : !state.focus;
        return state.focus != old ? R_REDRAW : R_NONE;
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

static void reset(void) { memset(&state, 0, sizeof state); }

const tui_screen tui_main_screen = {
    .name = "main", .draw = draw_main, .keys = keys, .state = &state,
    .grab = tui_form_grab, .command = tui_main_command, .subject = subject, .reset = reset,
};
