/* quitask.c — the quit prompt (see quitask.h): a modal box over the screen it was opened
 * from; its grab hook takes every key.  s (or q, Enter, ^C again): stop the run, save it
 * with every finished epoch, quit; k or Esc: back, training goes on; d: quit and drop the
 * run in progress (runs that finished are saved already). */
#include "config.h"

#include "app/tui/app.h"

static tui_quit_state state;

tui_quit_state *tui_quit(void) { return &state; }

int tui_quit_ask(tui_app *a)
{
    if (!tui_worker_active(&a->worker) && !a->nqueue) return R_QUIT;
    if (a->screen != SCR_QUIT) state.back = a->screen;
    a->screen = SCR_QUIT;
    return R_REDRAW;
}

static void draw_quit(tui_app *a, tui_canvas *cv, const tui_layout *L)
{
    tui_screen_of(state.back)->draw(a, cv, L);   /* the screen beneath, still live */
    char name[64];
    size_t i = 0, runs = 0;
    tui_worker_current(&a->worker, name, sizeof name, &i, &runs);
    static const char *const lines[] = {
        "  s  stop it, save it (every finished epoch) and quit",
        "  k  keep training                             (Esc)",
        "  d  quit without saving it",
    };
    int w = 60 < cv->w ? 60 : cv->w, h = 7 < cv->h ? 7 : cv->h;
    tui_rect r = {(cv->w - w) / 2, (cv->h - h) / 2, w, h};
    tui_canvas_fill(cv, r, L' ', TC_NORMAL, 0);
    tui_box(cv, r, "Quit?", TC_TITLE);
    if (a->have_snap && a->snap.epochs > 0)
        tui_printf(cv, r.x + 2, r.y + 1, w - 3, TC_HEAD, TA_BOLD, "%s is training (epoch %d/%d%s)",
                   name[0] ? name : "a run", a->snap.epoch, a->snap.epochs,
                   runs > 1 ? ", in a grid" : "");
    else
        tui_printf(cv, r.x + 2, r.y + 1, w - 3, TC_HEAD, TA_BOLD, "%s is about to train",
                   name[0] ? name : "a run");
    for (int k = 0; k < 3 && k + 3 < h; k++)
        tui_puts(cv, r.x + 2, r.y + 3 + k, w - 3, lines[k], TC_NORMAL, 0);
}

static int grab(tui_app *a, int key, int fn)
{
    if (fn) return R_NONE;
    switch (key) {
    case 's': case 'S': case 'q': case '\r': case '\n': case 3:
        a->quit_discard = 0;
        return R_QUIT;     /* the exit path stops the run and saves it */
    case 'd': case 'D':
        a->quit_discard = 1;
        return R_QUIT;
    case 'k': case 'K': case 27:
        a->screen = state.back;
        return R_REDRAW;
    default:
        return R_NONE;
    }
}

static void reset(void) { state.back = SCR_MAIN; }

static const tui_key keys[] = {{0, 0, NULL, NULL}};   /* the grab hook takes every key */

const tui_screen tui_quit_screen = {
    .name = "quit", .draw = draw_quit, .keys = keys, .state = &state, .grab = grab, .reset = reset,
};
