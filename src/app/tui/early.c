/* early.c — the early-prediction view (:early, e): F1 and PR-AUC of a saved sequence run
 * against k, the events seen so far, with the sessions still going at each k beside. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/tui/app.h"
#include "app/tui/plot.h"

static tui_early_state state;

tui_early_state *tui_early(void) { return &state; }

static void fmt3(char *b, size_t n, double v)
{
    if (isnan(v)) snprintf(b, n, "  n/a");
    else snprintf(b, n, "%5.3f", v);
}

/* k, sessions, buy %, F1, PR-AUC: every k when they fit, else every step-th (and the last). */
static void draw_counts(tui_canvas *cv, tui_rect r)
{
    tui_box(cv, r, "Sessions at k", TC_BORDER);
    int x = r.x + 2, y = r.y + 1, w = r.w - 3, rows = r.h - 3, rate_col = r.w >= 36;
    if (rate_col)
        tui_printf(cv, x, y++, w, TC_HEAD, TA_BOLD, "%3s %8s %5s %5s %6s", "k", "sessions", "buy%", "F1", "PR-AUC");
    else
        tui_printf(cv, x, y++, w, TC_HEAD, TA_BOLD, "%3s %8s %5s %6s", "k", "sessions", "F1", "PR-AUC");
    if (rows < 1 || state.n < 1) return;
    int step = (state.n + rows - 1) / rows;
    for (int i = 0; i < state.n && y < r.y + r.h - 1; i += step) {
        if (i + step >= state.n) i = state.n - 1;   /* the last k is always shown */
        const cs_early_point *p = &state.pts[i];
        char f1[16], pr[16];
        fmt3(f1, sizeof f1, p->m.f1);
        fmt3(pr, sizeof pr, p->m.pr_auc);
        double rate = p->sessions ? 100.0 * (double)p->positives / (double)p->sessions : NAN;
        if (rate_col)
            tui_printf(cv, x, y++, w, p->sessions ? TC_NORMAL : TC_DIM, 0, "%3d %8ld %5.1f %5s %6s", p->k,
                       p->sessions, rate, f1, pr);
        else
            tui_printf(cv, x, y++, w, p->sessions ? TC_NORMAL : TC_DIM, 0, "%3d %8ld %5s %6s", p->k,
                       p->sessions, f1, pr);
    }
    if (step > 1 && y < r.y + r.h - 1)
        tui_printf(cv, x, y, w, TC_DIM, 0, "(every %d k; taller: all)", step);
}

static void draw_early(tui_app *a, tui_canvas *cv, const tui_layout *L)
{
    (void)L;
    int w = cv->w, h = cv->h;
    tui_canvas_fill(cv, (tui_rect){0, 0, w, 1}, L' ', TC_SEL, 0);
    double thr = state.n ? state.pts[0].m.threshold : NAN;
    tui_printf(cv, 0, 0, w, TC_SEL, TA_BOLD, " clickseq  early prediction: %s  (test sessions, threshold %.2f)",
               state.name, thr);
    /* the table loses its buy% column below 100 columns: the plot keeps room for markers */
    int body = h - 3, tw = w >= 100 ? 38 : 28;
    tui_rect pr = {0, 1, w - tw, body};
    tui_box(cv, pr, "F1 / PR-AUC against k", TC_BORDER);
    double k[TUI_EARLY_MAXK], f1[TUI_EARLY_MAXK], pa[TUI_EARLY_MAXK];
    int n = state.n < TUI_EARLY_MAXK ? state.n : TUI_EARLY_MAXK;
    for (int i = 0; i < n; i++) {
        k[i] = state.pts[i].k;
        f1[i] = state.pts[i].m.f1;
        pa[i] = state.pts[i].m.pr_auc;
    }
    tui_series s[2] = {
        {f1, k, (size_t)n, TC_S1, cv->unicode ? L'●' : L'o', "F1"},
        {pa, k, (size_t)n, TC_S2, cv->unicode ? L'▲' : L'^', "PR-AUC"},
    };
    tui_plot_opts o;
    tui_plot_opts_init(&o);
    o.braille = a->braille;
    o.xlabel = "k (events seen)";
    o.legend = 1;
    o.ymin = 0;
    o.ymax = 1;
    if (n) { o.xmin = k[0]; o.xmax = k[n - 1] > k[0] ? k[n - 1] : k[0] + 1; }
    tui_plot(cv, (tui_rect){pr.x + 1, pr.y + 1, pr.w - 2, pr.h - 2}, s, 2, &o);
    draw_counts(cv, (tui_rect){w - tw, 1, tw, body});
    if (a->msg[0])
        tui_puts(cv, 1, h - 2, w - 1, a->msg, a->msg_err ? TC_BAD : TC_NORMAL, 0);
    tui_puts(cv, 0, h - 1, w, " q/Esc back  : command (early RUN K)  ? help", TC_DIM, 0);
}

/* ======================= the job and the keys ======================= */
int tui_early_open(tui_app *a, const char *name, int k_max)
{
    if (state.job.job.active) {
        tui_app_message(a, 1, "early: still computing %s", state.job.name);
        return R_REDRAW;
    }
    if (tui_early_start(&state.job, a->runs_dir, name, k_max) != 0) {
        tui_app_message(a, 1, "cannot start the early-prediction thread");
        return R_REDRAW;
    }
    tui_app_message(a, 0, "early: evaluating %s on its first k = 1..%d events ...", name, k_max);
    return R_REDRAW;
}

int tui_early_collect_job(tui_app *a)
{
    tui_early_job *j = &state.job;
    if (!tui_job_collect(&j->job)) return 0;
    if (j->job.status != CS_OK) {
        tui_app_message(a, 1, "early: %s", j->job.err.msg);
        return 1;
    }
    memcpy(state.pts, j->pts, (size_t)j->k_max * sizeof j->pts[0]);
    state.n = j->k_max;
    snprintf(state.name, sizeof state.name, "%s", j->name);
    tui_screen_push(a, SCR_EARLY);
    tui_app_message(a, 0, "early prediction of %s: k = 1..%d (q back)", j->name, j->k_max);
    return 1;
}

static const char *subject(tui_app *a)
{
    (void)a;
    return state.name[0] ? state.name : NULL;
}

static void reset(void)
{
    tui_job_wait(&state.job.job);   /* no cancel flag in early.h: wait for it */
    memset(&state, 0, sizeof state);
}

static const tui_key keys[] = {
    {'q', 0, NULL, "back"}, {27, 0, NULL, "back"}, {0, 0, NULL, NULL},
};

const tui_screen tui_early_screen = {
    .name = "early", .draw = draw_early, .keys = keys, .state = &state,
    .subject = subject, .reset = reset,
};
