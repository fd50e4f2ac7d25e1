/* panes.c — the main screen: header, form, data summary, curves, confusion matrix,
 * progress and the runs list (drawn from the state; no side effects). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/tui/app.h"
#include "app/tui/plot.h"

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
                 tui_eng_split_name(a->cfg.split));
    else if (a->data_ok)
        snprintf(b, sizeof b, " clickseq  data: %s (%ld sessions, %.1f%% buy)  view: %s %s %s"
                 "  split: %s %.0f/%.0f/%.0f", a->data.name, a->data.sessions, rate,
                 a->cfg.ds.view == CS_VIEW_FEATURES ? "features" : "sequence", len,
                 a->cfg.ds.policy == CS_LEN_FILTER ? "filter" : "truncate",
                 tui_eng_split_name(a->cfg.split), a->cfg.train_frac * 100,
                 a->cfg.valid_frac * 100, (1 - a->cfg.train_frac - a->cfg.valid_frac) * 100);
    else
        snprintf(b, sizeof b, " clickseq  no data loaded (:load FILE)");
    tui_puts(cv, r.x, r.y, r.w, b, TC_SEL, TA_BOLD);
}

/* Rows of the form: -1 - group for a group heading, else a parameter index. */
static int form_rows(int *rows, int max)
{
    int n = 0, g = -1;
    static const int order[3] = {1, 2, 0};   /* model first: what people change most */
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < tui_eng_param_count() && n < max; i++) {
            const cs_param *p = tui_eng_param_at(i);
            if (p->group != order[k]) continue;
            if (g != order[k]) { rows[n++] = -1 - order[k]; g = order[k]; }
            rows[n++] = (int)i;
        }
    return n;
}

/* A parameter's label in nw columns: its name, or a short form of it in a narrow form
 * (80x24), instead of cutting "emb-category" to "emb-categor".  `:set` takes full names. */
static const char *form_label(const char *name, int nw)
{
    static const char *const shorts[][2] = {
        {"emb-category", "emb-cat"}, {"hash-buckets", "buckets"}, {"weight-decay", "w-decay"},
        {"tune-threshold", "tune-thr"}, {"purchase-event", "purchase"}, {"skip-bad-rows", "skip-bad"},
        {"session-gap", "gap"}, {"train-frac", "train"}, {"valid-frac", "valid"}};
    if ((int)strlen(name) <= nw)
        return name;
    for (size_t i = 0; i < sizeof shorts / sizeof shorts[0]; i++)
        if (!strcmp(name, shorts[i][0]))
            return shorts[i][1];
    return name;   /* cut by the caller's width */
}

static void draw_form(tui_app *a, tui_canvas *cv, tui_rect r)
{
    tui_box(cv, r, "Model", a->focus == 0 ? TC_TITLE : TC_BORDER);
    int rows[64], n = form_rows(rows, 64), inner = r.h - 3, sel_row = 0;
    for (int i = 0; i < n; i++)
        if (rows[i] == a->form_sel) sel_row = i;
    int top = 0;
    if (sel_row >= inner) top = sel_row - inner + 1;
    if (top > 0 && rows[top - 1] < 0 && sel_row - top + 1 < inner) top--;   /* keep the heading */
    static const char *const groups[3] = {"data", "model", "training"};
    for (int i = top, y = r.y + 1; i < n && y < r.y + 1 + inner; i++, y++) {
        if (rows[i] < 0) {
            tui_printf(cv, r.x + 1, y, r.w - 2, TC_DIM, 0, "%s", groups[-1 - rows[i]]);
            continue;
        }
        const cs_param *p = tui_eng_param_at((size_t)rows[i]);
        int sel = rows[i] == a->form_sel && a->focus == 0;
        char v[128];
        tui_eng_param_get(&a->cfg, p->name, v, sizeof v);
        if (sel) tui_canvas_fill(cv, (tui_rect){r.x + 1, y, r.w - 2, 1}, L' ', TC_SEL, 0);
        int col = sel ? TC_SEL : TC_NORMAL;
        int nw = r.w >= 30 ? 14 : 11, vx = r.x + 3 + nw;
        tui_printf(cv, r.x + 2, y, nw, col, 0, "%s", form_label(p->name, nw));
        if (sel && a->form_edit) {
            tui_printf(cv, vx, y, r.x + r.w - 1 - vx, col, TA_BOLD, "%s_", a->edit);
        } else if (p->type == CS_P_ENUM || p->type == CS_P_BOOL) {
            tui_printf(cv, vx, y, r.x + r.w - 1 - vx, col, TA_BOLD, "[%s]", v);
            if (sel && vx + (int)strlen(v) + 2 + 4 <= r.x + r.w - 1)   /* arrows when they fit */
                tui_puts(cv, r.x + r.w - 5, y, 3, cv->unicode ? "◂ ▸" : "< >", col, 0);
        } else {
            tui_printf(cv, vx, y, r.x + r.w - 1 - vx, col, TA_BOLD, "%s", v);
        }
    }
    char np[32];
    size_t k = tui_eng_nparams(&a->cfg);
    if (k >= 1000000) snprintf(np, sizeof np, "%zu,%03zu,%03zu", k / 1000000, k / 1000 % 1000, k % 1000);
    else if (k >= 1000) snprintf(np, sizeof np, "%zu,%03zu", k / 1000, k % 1000);
    else snprintf(np, sizeof np, "%zu", k);
    tui_printf(cv, r.x + 2, r.y + r.h - 2, r.w - 3, TC_HEAD, TA_BOLD, "params   %s", np);
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
        tui_printf(cv, r.x + 1, r.y, r.w - 1, TC_DIM, 0, "idle  queue %d", a->nqueue);
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
             tui_eng_state_name(s->state));
    if ((int)strlen(b) > r.x + r.w - x)
        snprintf(b, sizeof b, " %3.0f%% %s ev/s ETA %s", frac * 100, ev, etas);
    x += tui_puts(cv, x, r.y, r.x + r.w - x, b, s->state == CS_RUN_FAILED ? TC_BAD : TC_NORMAL, 0);
    if (a->nqueue)
        tui_printf(cv, x, r.y, r.x + r.w - x, TC_WARN, 0, "  +%d queued", a->nqueue);
}

void tui_draw_runs_pane(tui_app *a, tui_canvas *cv, tui_rect r)
{
    tui_box(cv, r, "Runs", a->focus == 1 ? TC_TITLE : TC_BORDER);
    int y = r.y + 1, maxy = r.y + r.h - 1, w = r.w - 2;
    if (a->worker.active && a->have_snap) {
        char nm[64];
        if (a->worker.cfg.name[0]) snprintf(nm, sizeof nm, "%.63s", a->worker.cfg.name);
        else snprintf(nm, sizeof nm, "%s-h%d", tui_eng_cell_name(a->worker.cfg.model.cell),
                      a->worker.cfg.model.hidden[0]);
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
        int sel = a->focus == 1 && k == a->runs_sel;
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

void tui_draw_main(tui_app *a, tui_canvas *cv, const tui_layout *L)
{
    draw_header(a, cv, L->header);
    draw_form(a, cv, L->form);
    if (L->data.w) draw_data(a, cv, L->data);
    const cs_snapshot *s = &a->snap;
    const cs_epoch *h = a->have_snap ? s->hist : NULL;
    size_t n = a->have_snap ? s->n_hist : 0, nbl = a->have_snap ? s->n_batch_loss : 0;
    int epochs = a->have_snap ? s->epochs : a->cfg.epochs;
    long bpe = a->have_snap ? s->batches : 0;
    if (L->cycled && a->plot_view == 2)
        draw_data(a, cv, L->loss);
    else if (L->cycled && a->plot_view == 1)
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
}
