/* compare.c — 2 to 4 saved runs side by side: overlaid curves (distinct colours AND
 * markers, so they read in monochrome too), a metrics table, and the hyperparameters,
 * those that differ highlighted. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/tui/app.h"
#include "app/tui/plot.h"

static tui_compare_state state;

tui_compare_state *tui_compare(void) { return &state; }

static const wchar_t markers_u[4] = {L'●', L'▲', L'■', L'◆'};
static const wchar_t markers_a[4] = {L'o', L'^', L'#', L'+'};
static const char *const metric_names[3] = {"validation loss", "F1 (validation)", "PR-AUC (validation)"};

static void draw_overlay(tui_app *a, tui_canvas *cv, tui_rect r)
{
    char title[96];
    snprintf(title, sizeof title, "%s  (m: next metric)", metric_names[state.metric]);
    tui_box(cv, r, title, TC_BORDER);
    tui_series s[4];
    double *ys[4] = {0};
    int maxe = 1;
    for (int k = 0; k < state.n; k++) {
        const tui_run *run = &state.run[k];
        ys[k] = calloc(run->n_hist + 1, sizeof(double));
        for (size_t i = 0; ys[k] && i < run->n_hist; i++)
            ys[k][i] = state.metric == 0 ? run->hist[i].valid_loss
                     : state.metric == 1 ? run->hist[i].valid.f1 : run->hist[i].valid.pr_auc;
        if ((int)run->n_hist > maxe) maxe = (int)run->n_hist;
        s[k] = (tui_series){ys[k], NULL, ys[k] ? run->n_hist : 0, TC_S1 + k,
                            cv->unicode ? markers_u[k] : markers_a[k], run->name};
    }
    tui_plot_opts o;
    tui_plot_opts_init(&o);
    o.braille = a->braille;
    o.xlabel = "epoch";
    o.xmin = 1;
    o.xmax = maxe;
    /* the y range follows the data (differences between cells are often a few points) */
    tui_plot(cv, (tui_rect){r.x + 1, r.y + 1, r.w - 2, r.h - 2}, s, state.n, &o);
    for (int k = 0; k < state.n; k++) free(ys[k]);
}

static void draw_table(tui_app *a, tui_canvas *cv, tui_rect r)
{
    tui_box(cv, r, "Test metrics (best epoch)", TC_BORDER);
    int x = r.x + 2, y = r.y + 1, w = r.w - 4;
    tui_printf(cv, x, y++, w, TC_HEAD, TA_BOLD, "  %-14s %5s %5s %5s %6s %6s %4s %8s %6s", "run", "F1",
               "P", "R", "PR-AUC", "ROC", "ep", "params", "time");
    double best = -1;
    for (int k = 0; k < state.n; k++) if (state.run[k].test.f1 > best) best = state.run[k].test.f1;
    for (int k = 0; k < state.n && y < r.y + r.h - 1; k++, y++) {
        const tui_run *run = &state.run[k];
        const cs_metrics *m = &run->test;
        char t[32];
        tui_putc(cv, x, y, cv->unicode ? markers_u[k] : markers_a[k], TC_S1 + k, TA_BOLD);
        tui_printf(cv, x + 2, y, w - 2, m->f1 == best ? TC_GOOD : TC_NORMAL, m->f1 == best ? TA_BOLD : 0,
                   "%-14.14s %5.3f %5.3f %5.3f %6.3f %6.3f %4d %8zu %6s", run->name, m->f1,
                   m->precision, m->recall, m->pr_auc, m->roc_auc, run->best_epoch, run->nparams,
                   tui_fmt_dur(run->seconds, t, sizeof t));
    }
}

/* Parameters as rows, runs as columns; differing rows highlighted and listed first. */
static void draw_params(tui_app *a, tui_canvas *cv, tui_rect r)
{
    tui_box(cv, r, "Hyperparameters (differences highlighted)", TC_BORDER);
    int x = r.x + 2, y = r.y + 1, w = r.w - 4, nw = 15, last = r.y + r.h - 2;
    int colw = (w - nw) / (state.n ? state.n : 1);
    if (colw > 16) colw = 16;
    int ndiff = 0, nsame = 0;
    for (size_t i = 0; i < cs_param_count(); i++) {
        const cs_param *p = cs_param_at(i);
        char v0[64], v[64];
        int differ = 0;
        cs_param_get(&state.run[0].cfg, p->name, v0, sizeof v0);
        for (int k = 1; k < state.n; k++) {
            cs_param_get(&state.run[k].cfg, p->name, v, sizeof v);
            differ |= strcmp(v, v0) != 0;
        }
        ndiff += differ;
        nsame += !differ;
    }
    /* differing rows first; identical ones (dimmed) while there is room, else a count */
    int room_same = (last - y + 1) - ndiff, shown_same = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < cs_param_count() && y <= last; i++) {
            const cs_param *p = cs_param_at(i);
            char v[4][64];
            int differ = 0;
            for (int k = 0; k < state.n; k++) {
                cs_param_get(&state.run[k].cfg, p->name, v[k], sizeof v[k]);
                if (k && strcmp(v[k], v[0])) differ = 1;
            }
            if (differ != (pass == 0)) continue;
            if (!differ && room_same < nsame && y == last) {
                tui_printf(cv, x, y++, w, TC_DIM, 0, "  ... %d more identical (larger window: all)",
                           nsame - shown_same);
                break;
            }
            shown_same += !differ;
            int col = differ ? TC_WARN : TC_DIM, attr = differ ? TA_BOLD : 0;
            tui_printf(cv, x, y, nw, col, attr, "%s%s", differ ? (cv->unicode ? "▶ " : "> ") : "  ", p->name);
            for (int k = 0; k < state.n; k++)
                tui_printf(cv, x + nw + k * colw, y, colw - 1, differ ? TC_S1 + k : TC_DIM, attr, "%s", v[k]);
            y++;
        }
    if (ndiff == 0 && y <= last)
        tui_puts(cv, x, y, w, "(all parameters are the same)", TC_DIM, 0);
}

static void draw_compare(tui_app *a, tui_canvas *cv, const tui_layout *L)
{
    (void)L;
    int w = cv->w, h = cv->h;
    tui_rect head = {0, 0, w, 1};
    tui_canvas_fill(cv, head, L' ', TC_SEL, 0);
    int x = tui_puts(cv, 0, 0, -1, " clickseq  compare: ", TC_SEL, TA_BOLD);
    for (int k = 0; k < state.n; k++) {
        tui_putc(cv, x++, 0, cv->unicode ? markers_u[k] : markers_a[k], TC_SEL, TA_BOLD);
        x += tui_printf(cv, x, 0, -1, TC_SEL, TA_BOLD, " %s%s", state.run[k].name, k + 1 < state.n ? "  vs  " : "");
    }
    int body = h - 3, tab_h = state.n + 3;
    if (w >= 140) {
        int pw = w - 48;
        draw_overlay(a, cv, (tui_rect){0, 1, pw, body - tab_h});
        draw_table(a, cv, (tui_rect){0, 1 + body - tab_h, pw, tab_h});
        draw_params(a, cv, (tui_rect){pw, 1, w - pw, body});
    } else {
        int ph = body - tab_h - 7;
        if (ph < 8) ph = 8;
        draw_overlay(a, cv, (tui_rect){0, 1, w, ph});
        draw_table(a, cv, (tui_rect){0, 1 + ph, w, tab_h});
        draw_params(a, cv, (tui_rect){0, 1 + ph + tab_h, w, body - ph - tab_h});
    }
    if (a->msg[0])
        tui_puts(cv, 1, h - 2, w - 1, a->msg, a->msg_err ? TC_BAD : TC_NORMAL, 0);
    tui_puts(cv, 0, h - 1, w, " m metric  r replay first  q/Esc back  : command  ? help", TC_DIM, 0);
}

/* ======================= keys and commands ======================= */
int tui_compare_open(tui_app *a, const char *const *names, int n)
{
    tui_run tmp[TUI_CMP_MAX];
    if (n > TUI_CMP_MAX) n = TUI_CMP_MAX;
    for (int i = 0; i < n; i++)
        if (tui_app_load_run(a, names[i], &tmp[i])) {
            while (i--) tui_run_free(&tmp[i]);
            return R_REDRAW;
        }
    for (int i = 0; i < state.n; i++) tui_run_free(&state.run[i]);
    memcpy(state.run, tmp, sizeof tmp[0] * (size_t)n);
    state.n = n;
    a->screen = SCR_COMPARE;
    a->msg[0] = '\0';
    return R_REDRAW;
}

/* view [loss|...]: the compared metric (loss, F1, PR-AUC in turn). */
static int command(tui_app *a, const tui_cmd *c)
{
    (void)a;
    if (c->kind != CMD_VIEW) return -1;
    int old = state.metric;
    state.metric = c->argc ? (!strcmp(c->argv[0], "loss") ? 0 : 1) : (state.metric + 1) % 3;
    return state.metric != old ? R_REDRAW : R_NONE;
}

static const char *subject(tui_app *a)
{
    (void)a;
    return state.n ? state.run[0].name : NULL;
}

static void reset(void)
{
    for (int i = 0; i < state.n; i++) tui_run_free(&state.run[i]);
    memset(&state, 0, sizeof state);
}

static const tui_key keys[] = {
    {'m', 0, NULL, "view"}, {'r', 0, NULL, "replay"}, {'e', 0, NULL, "early"}, {'q', 0, NULL, "main"},
    {27, 0, NULL, "main"}, {0, 0, NULL, NULL},
};

const tui_screen tui_compare_screen = {
    .name = "compare", .draw = draw_compare, .keys = keys, .state = &state,
    .command = command, .subject = subject, .reset = reset,
};
