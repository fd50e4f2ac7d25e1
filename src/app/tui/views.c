/* views.c — the whole screen for the current state: the screen, the command line or
 * the key hints, the help overlay.  Pure apart from reading the state (tests draw it). */
#include "config.h"

#include "app/tui/app.h"

void tui_draw(tui_app *a, tui_canvas *cv)
{
    tui_canvas_clear(cv);
    tui_layout L;
    if (tui_layout_compute(cv->w, cv->h, &L) != 0) {
        tui_printf(cv, 0, 0, cv->w, TC_WARN, TA_BOLD, "clickseq needs 80x24; this terminal is %dx%d", cv->w, cv->h);
        return;
    }
    if (a->screen == SCR_COMPARE) tui_draw_compare(a, cv);
    else if (a->screen == SCR_REPLAY) tui_draw_replay(a, cv);
    else if (a->screen == SCR_EARLY) tui_draw_early(a, cv);
    else tui_draw_main(a, cv, &L);
    if (a->cmdline) {
        int cur;
        const char *t = a->cmd_text ? a->cmd_text(&cur) : "";
        tui_canvas_fill(cv, L.keys, L' ', TC_NORMAL, 0);
        tui_putc(cv, 0, L.keys.y, L':', TC_HEAD, TA_BOLD);
        tui_puts(cv, 1, L.keys.y, cv->w - 1, t, TC_NORMAL, 0);
        const char *hint = a->cmd_hint ? a->cmd_hint() : "";
        if (*hint) {
            tui_canvas_fill(cv, L.status, L' ', TC_NORMAL, 0);
            tui_puts(cv, 1, L.status.y, cv->w - 1, hint, TC_DIM, 0);
        }
    } else if (a->screen == SCR_MAIN) {
        tui_puts(cv, 0, L.keys.y, cv->w, cv->w >= 122 ?
                 " t train  T rnn+gru+lstm  p pause  s stop  Tab runs  space mark  c compare  r replay  e early  : command  ? help  q quit" :
                 " t train T 3 cells p pause s stop Tab runs c cmp r replay e early : cmd ? help q",
                 TC_DIM, 0);
    }
    if (a->help) tui_draw_help(a, cv);
}

