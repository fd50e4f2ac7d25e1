/* replay.c — a saved run played back epoch by epoch at a chosen speed: the curves and
 * the confusion matrix animate as they did during training. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/tui/app.h"
#include "app/tui/plot.h"

#include <ncurses.h>

static tui_replay_state state;

tui_replay_state *tui_replay(void) { return &state; }

static void draw_replay(tui_app *a, tui_canvas *cv, const tui_layout *L)
{
    (void)L;
    int w = cv->w, h = cv->h;
    const tui_run *run = &state.run;
    size_t N = run->n_hist;
    double pos = state.pos > (double)N ? (double)N : state.pos;
    size_t shown = (size_t)floor(pos);
    long bpe = N ? (long)(run->n_batch_loss / N) : 0;
    size_t nbl = (size_t)(pos * (double)bpe);
    if (nbl > run->n_batch_loss) nbl = run->n_batch_loss;
    tui_canvas_fill(cv, (tui_rect){0, 0, w, 1}, L' ', TC_SEL, 0);
    char cellbuf[16];
    cs_param_get(&run->cfg, "cell", cellbuf, sizeof cellbuf);
    tui_printf(cv, 0, 0, w, TC_SEL, TA_BOLD, " clickseq  replay: %s  (%s, hidden %d, %zu params)",
               run->name, cellbuf, run->cfg.model.hidden[0], run->nparams);
    int body = h - 3, cw = 32;
    int top_h = body * 55 / 100;
    /* the main screen's plot settings (:plot) apply here too; the x axis grows as it plays */
    tui_curve_data d;
    memset(&d, 0, sizeof d);
    d.hist = run->hist;
    d.n_hist = shown;
    d.batch_loss = run->batch_loss;
    d.n_batch = nbl;
    d.batches_per_epoch = bpe;
    d.epochs = (int)N;
    for (size_t i = 0; i < shown; i++) d.elapsed_s += run->hist[i].seconds;
    d.empty = "replay at epoch 0: Space plays, n steps";
    tui_curves_draw(cv, (tui_rect){0, 1, w, top_h}, "Loss", &d, tui_main_plot(), 0, a->braille);
    tui_curves_draw(cv, (tui_rect){0, 1 + top_h, w - cw, body - top_h - 1}, "F1 / PR-AUC", &d,
                    tui_main_plot(), 1, a->braille);
    tui_rect cr = {w - cw, 1 + top_h, cw, body - top_h - 1};
    if (shown) {
        char t[48];
        snprintf(t, sizeof t, "Epoch %zu @ thr %.2f", shown, run->hist[shown - 1].valid.threshold);
        tui_box(cv, cr, t, TC_BORDER);
        tui_confusion(cv, (tui_rect){cr.x + 2, cr.y + 1, cr.w - 3, cr.h - 2}, &run->hist[shown - 1].valid);
    } else {
        tui_box(cv, cr, "Validation", TC_BORDER);
    }
    int y = h - 3, x = 1;
    x += tui_printf(cv, x, y, -1, TC_HEAD, 0, "epoch %zu/%zu ", shown, N);
    tui_progress(cv, x, y, w / 3, N ? pos / (double)N : 0, TC_GOOD);
    x += w / 3;
    char sp[32];
    tui_fmt_num(state.speed, sp, sizeof sp);
    tui_printf(cv, x, y, w - x, TC_NORMAL, 0, "  %s epochs/s  %s", sp,
               state.paused ? "paused" : shown >= N ? "end" : "playing");
    if (a->msg[0])
        tui_puts(cv, 1, h - 2, w - 1, a->msg, a->msg_err ? TC_BAD : TC_NORMAL, 0);
    tui_puts(cv, 0, h - 1, w, " space pause  n step  b back  + faster  - slower  0 restart  q/Esc back  ? help",
             TC_DIM, 0);
}

/* ======================= keys and commands ======================= */
int tui_replay_open(tui_app *a, const char *name, double speed)
{
    tui_run r;
    if (tui_app_load_run(a, name, &r)) return R_REDRAW;
    if (state.have) tui_run_free(&state.run);
    state.run = r;
    state.have = 1;
    state.pos = 0;
    state.speed = speed > 0 ? speed : 2;
    state.paused = 0;
    tui_screen_push(a, SCR_REPLAY);
    a->msg[0] = '\0';
    return R_REDRAW;
}

/* pause, resume, step and speed act on the replay while it is on screen. */
static int command(tui_app *a, const tui_cmd *c)
{
    (void)a;
    tui_replay_state old = state;
    double n = (double)state.run.n_hist;
    switch (c->kind) {
    case CMD_PAUSE: state.paused = 1; break;
    case CMD_RESUME: state.paused = 0; break;
    case CMD_SPEED: state.speed = c->speed; break;
    case CMD_STEP:
        state.paused = 1;
        if (c->step == 0) state.pos = 0;
        else if (c->step > 0) state.pos = floor(state.pos) + c->step;
        else state.pos = ceil(state.pos) + c->step;
        if (state.pos < 0) state.pos = 0;
        if (state.pos > n) state.pos = n;
        break;
    default: return -1;
    }
    return old.paused != state.paused || old.pos != state.pos || old.speed != state.speed ? R_REDRAW : R_NONE;
}

/* Playing: the position advances with the clock. */
static int tick(tui_app *a, double dt)
{
    (void)a;
    if (state.paused || state.pos >= (double)state.run.n_hist) return 0;
    state.pos += dt * state.speed;
    return 1;
}

static const char *subject(tui_app *a)
{
    (void)a;
    return state.have ? state.run.name : NULL;
}

static void reset(void)
{
    if (state.have) tui_run_free(&state.run);
    memset(&state, 0, sizeof state);
}

static int speed_by(tui_app *a, double f)
{
    char cmd[64];
    double v = state.speed * f;
    snprintf(cmd, sizeof cmd, "speed %g", v < 1.0 / 64 ? 1.0 / 64 : v > 512 ? 512 : v);
    return tui_exec_line(a, cmd);
}
static int a_pause(tui_app *a) { return tui_exec_line(a, state.paused ? "resume" : "pause"); }
static int a_faster(tui_app *a) { return speed_by(a, 2); }
static int a_slower(tui_app *a) { return speed_by(a, 0.5); }
static int a_restart(tui_app *a)
{
    int r = tui_exec_line(a, "step 0");
    if (state.paused) r |= R_REDRAW;
    state.paused = 0;
    return r;
}

static const tui_key keys[] = {
    {' ', 0, a_pause, NULL}, {'n', 0, NULL, "step 1"}, {'.', 0, NULL, "step 1"}, {KEY_RIGHT, 1, NULL, "step 1"},
    {'b', 0, NULL, "step -1"}, {',', 0, NULL, "step -1"}, {KEY_LEFT, 1, NULL, "step -1"},
    {'+', 0, a_faster, NULL}, {'=', 0, a_faster, NULL}, {'-', 0, a_slower, NULL}, {'0', 0, a_restart, NULL},
    {KEY_HOME, 1, a_restart, NULL}, {'q', 0, NULL, "back"}, {27, 0, NULL, "back"}, {0, 0, NULL, NULL},
};

const tui_screen tui_replay_screen = {
    .name = "replay", .draw = draw_replay, .keys = keys, .state = &state,
    .command = command, .tick = tick, .subject = subject, .reset = reset,
};
