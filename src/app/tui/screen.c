/* screen.c — the table of screens and the key dispatcher (see screen.h). */
#include "config.h"

#include <stdlib.h>

#include <ncurses.h>

#include "app/tui/app.h"

/* The table: one row per screen, in tui_screen_id order.  A new screen adds its row here
 * (and its id in screen.h); its module exports the descriptor. */
static const tui_screen *const table[SCR_COUNT] = {
    [SCR_MAIN] = &tui_main_screen,
    [SCR_COMPARE] = &tui_compare_screen,
    [SCR_REPLAY] = &tui_replay_screen,
    [SCR_EARLY] = &tui_early_screen,
    [SCR_QUIT] = &tui_quit_screen,
    [SCR_LIBRARY] = &tui_library_screen,
    [SCR_SWEEPS] = &tui_sweepview_screen,
    [SCR_WATCH] = &tui_watch_screen,
};

const tui_screen *tui_screen_of(tui_screen_id id)
{
    return (unsigned)id < SCR_COUNT && table[id] ? table[id] : table[SCR_MAIN];
}

const tui_screen *tui_screen_cur(const tui_app *a) { return tui_screen_of(a->screen); }

void tui_screens_reset(void)
{
    for (int i = 0; i < SCR_COUNT; i++)
        if (table[i] && table[i]->reset) table[i]->reset();
}

int tui_route(tui_app *a, const tui_key *t, int key, int fn)
{
    for (; t && (t->act || t->cmd); t++)
        if (t->key == key && t->fn == fn) return t->act ? t->act(a) : tui_exec_line(a, t->cmd);
    return -1;
}

/* ======================= keys of every screen ======================= */
static int a_cmdline(tui_app *a)
{
    a->cmdline = 1;
    a->msg[0] = '\0';
    if (a->cmd_begin) a->cmd_begin();
    return R_REDRAW;
}

static const tui_key keys_common[] = {
    {':', 0, a_cmdline, NULL}, {'?', 0, NULL, "help"}, {3, 0, NULL, "quit"},   /* 3: ^C */
    {0, 0, NULL, NULL},
};

/* The command line has the keys: Readline edits, Enter runs the line, Esc cancels. */
static int cmdline_key(tui_app *a, int key, int fn)
{
    char *line = NULL;
    int r = a->cmd_feed ? a->cmd_feed(key, fn, &line) : 2;
    if (r == 0) return R_REDRAW;   /* the line changed (or its cursor) */
    a->cmdline = 0;
    int react = R_REDRAW;
    if (r == 1 && line) react |= tui_exec_line(a, line);
    free(line);
    return react;
}

int tui_handle_key(tui_app *a, int key, int fn)
{
    if (fn && key == KEY_RESIZE) return R_REDRAW;
    if (a->help) { a->help = 0; return R_REDRAW; }
    if (a->cmdline) return cmdline_key(a, key, fn);
    const tui_screen *s = tui_screen_cur(a);
    int r = s->grab ? s->grab(a, key, fn) : -1;
    if (r >= 0) return r;
    r = tui_route(a, keys_common, key, fn);
    if (r >= 0) return r;
    r = tui_route(a, s->keys, key, fn);
    return r >= 0 ? r : R_NONE;
}
