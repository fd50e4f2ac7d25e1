/* views.c — the whole screen for the current state: the current screen (through the
 * table of screen.h), the command line, the help overlay.  Pure apart from reading the
 * state (tests draw it). */
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
    tui_screen_cur(a)->draw(a, cv, &L);
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
    }
    if (a->help) tui_draw_help(a, cv);
}
