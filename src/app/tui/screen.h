/* screen.h — the workbench as a state machine: one table of screens, key tables, reaction
 * bits (htop's key tables, ncdu's one state variable).
 *
 *  - tui_app.screen is the one state variable: an index into the table (screen.c).
 *  - A screen is a descriptor exported by its own module (panes.c, compare.c, replay.c,
 *    early.c): how it draws, its key table, its state (a static of that module: nobody
 *    else keeps it), and optional hooks.  Adding a screen is a new file that exports a
 *    tui_screen, one tui_screen_id value and one row of the table in screen.c.
 *  - Keys route through tables to actions; an action changes state and returns reaction
 *    bits, it never draws.  A key that changes nothing returns R_NONE and nothing is
 *    redrawn (the loop redraws only on R_REDRAW, or at most every 100 ms while a run or a
 *    replay is live).
 *  - Dispatch order for a key (tui_handle_key): resize, the help overlay (any key closes
 *    it), the command line (Readline), the screen's grab hook (raw keys, e.g. editing a
 *    form value or a modal prompt), the common keys (':', '?', ^C), the screen's table.
 */
#ifndef CLICKSEQ_TUI_SCREEN_H
#define CLICKSEQ_TUI_SCREEN_H

#include <stddef.h>

#include "app/tui/canvas.h"
#include "app/tui/cmdline.h"
#include "app/tui/layout.h"

typedef struct tui_app tui_app;

/* Reaction bits returned by actions, commands and hooks. */
enum { R_NONE = 0, R_REDRAW = 1, R_QUIT = 2 };

/* A list's selection *sel moved by d rows, kept within 0..n-1: R_REDRAW when it moved. */
static inline int tui_sel_move(size_t *sel, size_t n, long d)
{
    if (!n) return R_NONE;
    long s = (long)*sel + d;
    if (s < 0) s = 0;
    if (s >= (long)n) s = (long)n - 1;
    if ((size_t)s == *sel) return R_NONE;
    *sel = (size_t)s;
    return R_REDRAW;
}

/* The screens, in table order (screen.c). */
typedef enum tui_screen_id { SCR_MAIN = 0, SCR_COMPARE, SCR_REPLAY, SCR_EARLY, SCR_QUIT, SCR_LIBRARY, SCR_SWEEPS,
                             SCR_WATCH, SCR_COUNT } tui_screen_id;

/* One row of a key table: key (a character, or a KEY_* code when fn) -> an action, or
 * -- when act is NULL -- the command line cmd run through tui_exec_line (every key has a
 * command; the help shows it).  A table ends with a row whose act and cmd are NULL. */
typedef int (*tui_action)(tui_app *a);
typedef struct tui_key {
    int key, fn;
    tui_action act;
    const char *cmd;
} tui_key;

typedef struct tui_screen {
    const char *name;
    /* Draw the whole screen from the state into cv (L: the main layout for cv's size).
     * Pure apart from reading the state. */
    void (*draw)(tui_app *a, tui_canvas *cv, const tui_layout *L);
    const tui_key *keys;
    void *state;              /* the module's own state (type in its header) */
    /* Optional hooks (NULL: none). */
    /* Raw keys before any table: reaction bits, or -1 to let the tables route the key. */
    int (*grab)(tui_app *a, int key, int fn);
    /* First say on a command while this screen shows: reaction bits, or -1 for the
     * workbench's own handling (exec.c). */
    int (*command)(tui_app *a, const tui_cmd *c);
    /* Called every pass of the loop with the seconds since the last one; nonzero when
     * something moved (a live redraw, rate-limited). */
    int (*tick)(tui_app *a, double dt);
    /* The saved run this screen is about (default of r / e / :replay / :early), or NULL. */
    const char *(*subject)(tui_app *a);
    /* Free what the state holds and zero it (at exit; tests). */
    void (*reset)(void);
} tui_screen;

/* The screen of id (never NULL for id < SCR_COUNT); tui_screen_cur: a->screen's. */
const tui_screen *tui_screen_of(tui_screen_id id);
const tui_screen *tui_screen_cur(const tui_app *a);
/* Reset every screen's state (exit, tests). */
void tui_screens_reset(void);

/* Route key through table t: the matching row's reaction bits, or -1 when no row matches. */
int tui_route(tui_app *a, const tui_key *t, int key, int fn);
/* A key from the terminal, in the dispatch order above: reaction bits. */
int tui_handle_key(tui_app *a, int key, int fn);

#endif
